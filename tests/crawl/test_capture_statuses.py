"""What a crawl captures to WARC besides articles: the redirect an old URL answers after a
move (301) and the 404 of a removed page are captures too, so the window's TimeMap and
replay show them as mementos, as the documentation says (pywb does the same). Each response
record keeps the headers the site sent (replay serves them), less the chunked transfer
encoding that its de-chunked body no longer has."""

from __future__ import annotations

import sqlite3

from warcio.archiveiterator import ArchiveIterator

from tests.helpers.crawl_helpers import run_crawl
from tests.replica import content
from tests.replica.site import PREFIX, ReplicaServer, ReplicaSite


def test_a_moved_articles_redirect_and_a_removed_pages_404_are_captured(tmp_path):
    db = tmp_path / "archive.db"
    with ReplicaServer(ReplicaSite()) as portal:
        start = portal.base + PREFIX
        assert run_crawl(f"sqlite:///{db}", start).returncode == 0
        site = portal.site
        old_url = site.url(site.paths["fi-foorumi"])
        removed_url = site.url(site.paths["en-forum"])
        site.move("fi-foorumi", "uusi-foorumi-asiantuntijoille-fi")
        site.remove("en-forum")
        site.render()
        result = run_crawl(f"sqlite:///{db}", start)
        assert result.returncode == 0, result.stderr.decode()[-3000:]
    assert old_url.endswith(content.BY_KEY["fi-foorumi"].slug)
    with sqlite3.connect(db) as connection:
        captured = set(connection.execute(
            "SELECT url, http_status FROM captures WHERE url IN (?, ?)", (old_url, removed_url)))
    assert {(old_url, 200), (old_url, 301), (removed_url, 200), (removed_url, 404)} <= captured
    responses = 0
    for path in (tmp_path / "archive-warc").glob("*.warc.gz"):
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response":
                    responses += 1
                    headers = record.http_headers
                    assert headers.get_header("Content-Type"), record.rec_headers
                    assert headers.get_header("Transfer-Encoding") is None
    assert responses >= len(content.STORIES)
