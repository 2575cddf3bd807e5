"""End-to-end: the real ``nordarchive crawl`` over HTTP against the replica portal on
127.0.0.1, then the archive checked through the CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from archive.storage.database import Database
from archive.storage.models import Article, ArticleUrl, CrawlRun, Revision
from tests.helpers.crawl_helpers import cli_json, export, run_crawl
from tests.replica import content
from tests.replica.site import ARCHIVED_PAGES, PREFIX, ReplicaServer, ReplicaSite
from tests.replica.templates import Chrome


@pytest.fixture
def other_host():
    """A second site on another loopback address: the crawl must never touch it."""
    with ReplicaServer(ReplicaSite(stories=content.STORIES[:1]), host="127.0.0.2") as server:
        yield server


@pytest.fixture
def portal(other_host):
    site = ReplicaSite(other_host=other_host.base + "/integration-norden/")
    with ReplicaServer(site) as server:
        yield server


def start(server) -> str:
    return server.base + PREFIX


def by_title(rows):
    return {row["title"]: row for row in rows}


def expected_language(story) -> set[str]:
    return {story.lang, "no"} if story.lang in ("nb", "nn") else {story.lang}


#: Everything the replica publishes that is archived: its articles, its theme and about pages.
ARCHIVED = len(content.STORIES) + len(ARCHIVED_PAGES)


def test_first_crawl_archives_every_article_in_scope_and_nothing_else(portal, other_host,
                                                                      sqlite_url):
    result = run_crawl(sqlite_url, start(portal))
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    summary = result.stdout.decode().strip().splitlines()
    assert len(summary) == 1 and summary[0].startswith(f"crawl 1 finished: new {ARCHIVED},"), \
        summary
    rows = by_title(export(sqlite_url))
    pages = {title: kind for title, kind in ARCHIVED_PAGES.values()}
    # Every article, the theme and the about page; no listing, pagination or home page.
    assert set(rows) == {s.title for s in content.STORIES} | set(pages)
    assert {title: rows[title]["kind"] for title in pages} == pages
    assert {rows[s.title]["kind"] for s in content.STORIES} <= {"news", "page"}
    for story in content.STORIES:
        row = rows[story.title]
        assert row["language"] in expected_language(story), story.key
        assert row["tags"] == list(story.tags), story.key
        assert row["text"].split("\n\n") == list(story.paragraphs), story.key
        expected_date = story.published if story.date_text else None
        assert row["published"] == (expected_date.isoformat() if expected_date else None)
    # The feed-only and the sitemap-only articles were found.
    assert content.BY_KEY["is-ungmenni"].title in rows
    assert content.BY_KEY["da-unge"].title in rows
    # Scope: the sister sub-site and the other host were never requested.
    paths = portal.paths()
    assert not [p for p in paths if p.startswith("/popnad/")]
    assert other_host.paths() == []
    # A listing link with utm_* parameters made no duplicate and no extra request.
    assert not [p for p in paths if "utm_" in p or "fbclid" in p]
    assert len(rows) == ARCHIVED
    run = cli_json(sqlite_url, "stats")["last_runs"][0]
    assert (run["status"], run["new"], run["failed"]) == ("finished", ARCHIVED, 0)


def test_recrawl_records_edits_removals_moves_and_ignores_chrome(portal, sqlite_url):
    assert run_crawl(sqlite_url, start(portal)).returncode == 0
    site = portal.site
    edited = content.BY_KEY["sv-sprakkafe"]
    new_paragraphs = (edited.paragraphs[0], edited.paragraphs[1].replace("tre år", "fyra år"),
                      edited.paragraphs[2])
    site.edit("sv-sprakkafe", paragraphs=new_paragraphs)
    site.remove("en-forum")
    site.move("fi-foorumi", "uusi-foorumi-asiantuntijoille-fi")
    site.rechrome("da-forum", Chrome(consent="osano", share="bare-links", teasers="unmarked"))
    site.render()
    portal.clear()
    result = run_crawl(sqlite_url, start(portal))
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    assert "revised 1" in result.stdout.decode() and "removed 1" in result.stdout.decode()

    history = cli_json(sqlite_url, "history", site.url(site.paths["sv-sprakkafe"]))
    assert [r["change_kind"] for r in history] == ["new", "text"]
    assert "+" + new_paragraphs[1] in history[1]["diff"]
    removed = cli_json(sqlite_url, "show", site.url(site.paths["en-forum"]))
    assert removed["removed"] is not None and removed["revisions"] == 1
    moved = cli_json(sqlite_url, "show", site.url(site.paths["fi-foorumi"]))
    old_url = site.url(f"{PREFIX}{content.BY_KEY['fi-foorumi'].slug}")
    assert old_url in moved["urls"] and site.url(site.paths["fi-foorumi"]) in moved["urls"]
    assert moved["revisions"] == 1
    rechromed = cli_json(sqlite_url, "show", site.url(site.paths["da-forum"]))
    assert rechromed["revisions"] == 1
    assert any(p.startswith(site.paths["da-forum"]) for p in portal.paths())  # it was fetched
    with Database(sqlite_url) as db, db.session() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == ARCHIVED
        assert session.scalar(select(func.count()).select_from(Revision)) == ARCHIVED + 1


def test_unchanged_recrawl_downloads_listings_and_little_else(portal, sqlite_url):
    assert run_crawl(sqlite_url, start(portal)).returncode == 0
    first_bytes = sum(r.size for r in portal.requests)
    portal.clear()
    result = run_crawl(sqlite_url, start(portal))
    assert result.returncode == 0
    article_paths = set(portal.site.paths.values())
    article_requests = [r for r in portal.requests if r.path in article_paths]
    assert article_requests, "the re-crawl checked no article"
    assert {r.status for r in article_requests} == {304}
    assert all(r.headers.get("If-None-Match") for r in article_requests)
    run = cli_json(sqlite_url, "stats")["last_runs"][0]
    assert (run["new"], run["revised"], run["removed"]) == (0, 0, 0)
    second_bytes = sum(r.size for r in portal.requests)
    assert second_bytes < 0.25 * first_bytes, (second_bytes, first_bytes)


def test_a_second_crawl_is_refused_by_the_lock(portal, sqlite_url):
    import threading

    from tests.helpers.crawl_helpers import start_crawl

    gate, waiting = threading.Event(), threading.Event()

    def hold(_path):  # the portal answers nothing until the second crawl has been refused
        waiting.set()
        assert gate.wait(300)

    portal.before = hold
    # Its held answers never time out, however long the second crawl takes to start.
    first = start_crawl(sqlite_url, start(portal), "--set", "DOWNLOAD_TIMEOUT=600")
    try:
        assert waiting.wait(120)  # the first crawl holds the lock and waits on the portal
        second = run_crawl(sqlite_url, start(portal))
        assert second.returncode == 3, second.stderr.decode()
        assert b"another crawl" in second.stderr
        assert second.stdout == b""
    finally:
        gate.set()
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err.decode()[-2000:]
    assert out.decode().startswith(f"crawl 1 finished: new {ARCHIVED},")


@pytest.fixture
def dead_portal():
    """A portal host that accepts connections and hangs up without an answer; it records
    every request line it was sent."""
    import socketserver
    import threading

    seen: list[str] = []

    class HangUp(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            line = self.rfile.readline().decode("latin-1").split()
            if len(line) > 1:
                seen.append(line[1])

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), HangUp)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def test_unreachable_portal_is_one_line_per_start_url_and_exit_4(dead_portal, sqlite_url):
    from archive.ingest.articles import ingest
    from tests.helpers.archive_data import fetch_of, record_of

    base, seen = dead_portal
    known = f"{base}{PREFIX}nyheter/known/"  # archived before: not re-checked now
    with Database(sqlite_url) as db:
        ingest(db, record_of(content.STORIES[0], canonical_url=known), fetch_of(known))
    starts = [base + PREFIX, "http://portal.invalid/integration-norden/en/"]
    result = run_crawl(sqlite_url, starts[0], "--start-url", starts[1])
    assert result.returncode == 4, result.stderr.decode()[-2000:]
    err = result.stderr.decode().strip().splitlines()
    assert len(err) == 2 and b"Traceback" not in result.stderr, err
    # One error line per host, naming it and the cause in full.
    assert all(line.startswith("nordarchive: error: cannot reach ") for line in err), err
    hosts = [url.split("/")[2] for url in starts]
    assert {h for h in hosts if any(f"reach {h}: " in line for line in err)} == set(hosts)
    assert any("DNS lookup failed" in line for line in err), err
    out = result.stdout.decode().strip().splitlines()
    assert len(out) == 1 and out[0].startswith("crawl 1 unreachable:"), out
    # Retries of the start URL (and Scrapy's robots.txt check before it), nothing else.
    assert set(seen) == {"/robots.txt", PREFIX} and seen.count(PREFIX) == 4, seen


def test_scrapy_crawl_portal_runs_the_same_pipeline(portal, sqlite_url):
    import subprocess
    import sys

    from tests.helpers import ROOT

    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"start_urls={start(portal)}",
         "-s", f"NORDARCHIVE_DB={sqlite_url}", "-s", "DOWNLOAD_DELAY=0", "-s",
         "AUTOTHROTTLE_ENABLED=false", "-s", "LOG_LEVEL=WARNING"],
        capture_output=True, cwd=ROOT, timeout=180)
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    assert len(export(sqlite_url)) == ARCHIVED
    with Database(sqlite_url) as db, db.session() as session:
        run = session.scalar(select(CrawlRun))
        assert (run.status, run.new) == ("finished", ARCHIVED)
        urls = list(session.scalars(select(ArticleUrl.url)))
        assert len(urls) == len(set(urls))
