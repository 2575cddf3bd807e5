"""An article that a redirect leads past the archive's URL length is a recorded refusal, and
the crawl goes on (PostgreSQL would refuse the URL where SQLite keeps it)."""

from __future__ import annotations

from sqlalchemy import select

from archive.storage.database import Database
from archive.storage.models import FetchFailure
from tests.helpers.crawl_helpers import export, run_crawl
from tests.replica import content
from tests.replica.site import PREFIX, Page
from tests.replica.tiny import tiny_portal


def test_a_redirect_past_the_url_limit_is_refused_and_the_crawl_goes_on(pg_url):
    moved, kept = content.STORIES[:2]
    with tiny_portal([moved, kept]) as server:
        old_path = server.site.paths[moved.key]
        long_path = f"{PREFIX}nyheter/{'lang-' * 420}/"  # 2,100 characters
        server.site.pages[long_path] = server.site.pages[old_path]
        server.site.pages[old_path] = Page(b"", status=301, location=server.base + long_path)
        result = run_crawl(pg_url, server.base + PREFIX, "--set",
                           "NORDARCHIVE_MAX_FAILURE_RATIO=1")
        asked = [r.path for r in server.requests]
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert long_path not in asked  # never fetched, so never captured either
    assert [row["title"] for row in export(pg_url)] == [kept.title]
    with Database(pg_url) as db, db.session() as session:
        failures = session.execute(select(FetchFailure.reason, FetchFailure.url)).all()
    # The failure keeps the URL as far as its column holds it.
    assert [(reason, (server.base + long_path).startswith(url), len(url))
            for reason, url in failures] == [("url-too-long", True, 2048)]
