"""What the spider asks of the portal, on a real crawl of a tiny replica: one request per page
however many tracking variants link it, at most as many query variants of a path as
``NORDARCHIVE_MAX_QUERY_VARIANTS`` says, and a 308 moves an article as a 301 does."""

from __future__ import annotations

from sqlalchemy import select

from archive.storage.database import Database
from archive.storage.models import ArticleUrl
from tests.helpers.crawl_helpers import crawl
from tests.replica import content
from tests.replica.site import PREFIX, Page
from tests.replica.tiny import tiny_portal


def test_each_page_once_query_variants_capped_and_308_is_a_move(sqlite_url, tmp_path):
    first, second, third = content.STORIES[:3]
    with tiny_portal([first, second, third], linked=[first, third]) as portal:
        site = portal.site
        old = f"{PREFIX}nyheter/gammal-adress/"
        site.pages[old] = Page(b"", status=308, location=site.url(site.paths[second.key]))
        plain, query = site.url(site.paths[first.key]), site.url(site.paths[third.key])
        links = "".join(f'<a href="{href}">x</a>' for href in (
            plain + "?utm_source=nyhetsbrev", plain + "?utm_medium=email", site.url(old),
            query + "?sida=1", query + "?sida=2"))
        home = site.pages[PREFIX]
        home.body = home.body.replace(b"</ul>", f"</ul><p>{links}</p>".encode())
        crawl(sqlite_url, portal, tmp_path / "warc", "--set",
              "NORDARCHIVE_MAX_QUERY_VARIANTS=1")
        asked = portal.paths()
        portal.clear()  # a re-crawl: archived pages are asked again, each once all the same
        crawl(sqlite_url, portal, tmp_path / "warc")
        again = portal.paths()
    assert sum(p.split("?")[0] == site.paths[first.key] for p in asked) == 1, asked
    assert sum(p.split("?")[0] == site.paths[first.key] for p in again) == 1, again
    assert sum(p.startswith(site.paths[third.key] + "?") for p in asked) == 1, asked
    with Database(sqlite_url) as db, db.session() as session:
        kinds = dict(session.execute(select(ArticleUrl.url, ArticleUrl.kind)).all())
    assert kinds[site.url(old)] == "redirect", kinds  # the old address of the moved article
