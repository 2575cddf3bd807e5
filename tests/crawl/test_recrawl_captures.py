"""A recrawl of an unchanged site in the archive's captures: every article is asked for
conditionally and answers 304 (no body fetched again), and a page that is fetched again with
the same body (a listing) is a revisit record pointing at the earlier capture, not a copy."""

from __future__ import annotations

import sqlite3

from tests.helpers.crawl_helpers import run_crawl
from tests.replica import content
from tests.replica.site import PREFIX
from tests.replica.tiny import tiny_portal


def test_an_unchanged_recrawl_is_304s_and_revisits(tmp_path):
    db = tmp_path / "archive.db"
    stories = content.STORIES[:3]
    with tiny_portal(stories) as server:
        for _ in range(2):
            result = run_crawl(f"sqlite:///{db}", server.base + PREFIX)
            assert result.returncode == 0, result.stderr.decode()[-2000:]
        article_urls = {server.site.url(server.site.paths[s.key]) for s in stories}
    with sqlite3.connect(db) as connection:
        second = connection.execute("SELECT max(id) FROM crawl_runs").fetchone()[0]
        rows = connection.execute(
            "SELECT url, http_status, kind, refers_to_id FROM captures WHERE crawl_run_id = ?",
            (second,)).fetchall()
    assert {url for url, status, _, _ in rows if status == 304} == article_urls, rows
    again = [(kind, refers) for url, status, kind, refers in rows
             if status == 200 and url not in article_urls]
    assert again and all(kind == "revisit" and refers for kind, refers in again), rows
