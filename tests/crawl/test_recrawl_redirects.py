"""A recrawl follows a link it has never seen that redirects to an article (a shortlink, an
old slug linked from a new page): the article at the end is archived, although no validator
of the archive's goes with the redirected request."""

from __future__ import annotations

import sqlite3

from tests.helpers.crawl_helpers import run_crawl
from tests.replica import content
from tests.replica.site import PREFIX, Page
from tests.replica.tiny import tiny_portal


def test_a_new_link_that_redirects_leads_to_its_article_on_a_recrawl(tmp_path):
    db = tmp_path / "archive.db"
    first, second = content.STORIES[0], content.STORIES[1]
    with tiny_portal([first, second], linked=[first]) as server:
        site = server.site
        assert run_crawl(f"sqlite:///{db}", server.base + PREFIX).returncode == 0
        short = PREFIX + "kort-lank"
        site.pages[short] = Page(b"", status=301, location=site.url(site.paths[second.key]))
        home = site.pages[PREFIX]
        site.pages[PREFIX] = Page(home.body.replace(
            b"</ul>", f'<li><a href="{site.url(short)}">Nytt</a></li></ul>'.encode()))
        result = run_crawl(f"sqlite:///{db}", server.base + PREFIX)
        assert result.returncode == 0, result.stderr.decode()[-2000:]
        target = site.url(site.paths[second.key])
    with sqlite3.connect(db) as connection:
        urls = {row[0] for row in connection.execute("SELECT url FROM article_urls")}
    assert target in urls, urls
