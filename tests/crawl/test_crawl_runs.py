"""Crawl runs fit the schema: only documented statuses (the reason in ``message``), 64-bit
counters, long messages, long tags; one close path for ``nordarchive crawl`` and ``scrapy
crawl portal``; the migration that brings older archives there."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
from sqlalchemy import func, select, text

from archive.ingest.articles import ingest
from archive.ingest.runs import finish_run, get_run, start_run
from archive.storage.database import Database
from archive.storage.models import RUN_STATUSES, ArchiveIdentity, CrawlRun, Tag
from crawler.extensions import run_outcome
from crawler.extraction import extract
from tests.helpers import ROOT
from tests.helpers.archive_data import archive_at, fetch_of, record_of, url_of
from tests.helpers.crawl_helpers import run_crawl
from tests.helpers.net import free_port
from tests.replica import content
from tests.replica.site import PREFIX, ReplicaServer, ReplicaSite

THREE_GB = 3 * 1024 ** 3


LONG_ERROR = "archive_error: " + "database or disk is full " * 40
PAGE_LIMIT = "stopped at the page limit (--max-pages / CLOSESPIDER_PAGECOUNT)"
NO_START = "no start URL answered"


@pytest.mark.parametrize(("reason", "answered", "none_answered"), [
    ("finished", ("finished", None), ("unreachable", NO_START)),
    ("closespider_pagecount", ("finished", PAGE_LIMIT), ("unreachable", NO_START)),
    ("shutdown", ("interrupted", "stopped by a signal"), ("interrupted", "stopped by a signal")),
    ("closespider_timeout", ("failed", "closespider_timeout"),
     ("failed", "closespider_timeout")),
    (LONG_ERROR, ("failed", LONG_ERROR), ("failed", LONG_ERROR)),  # kept whole, in message
    ("lock_lost: another crawl took it", ("failed", "lock_lost: another crawl took it"),
     ("failed", "lock_lost: another crawl took it")),
])
def test_every_close_reason_maps_to_a_documented_status(reason, answered, none_answered):
    """Each close reason gets its one status and message, whether a start URL answered
    (``start_ok=1``) or none did: the documented statuses, fitting their column."""
    assert run_outcome(reason, start_ok=1) == answered
    assert run_outcome(reason, start_ok=0) == none_answered
    assert {answered[0], none_answered[0]} <= set(RUN_STATUSES)
    assert len(answered[0]) <= 20 and len(none_answered[0]) <= 20


def test_a_3_gb_run_and_a_long_failure_message_fit(db_url):
    message = "archive_error: " + "x" * 5000
    with Database(db_url) as db:
        run_id = start_run(db, ["https://nordicwelfare.org/integration-norden/"])
        finish_run(db, run_id, *run_outcome(message, 1)[:1], pages_fetched=40_000,
                   bytes_fetched=THREE_GB, message=message)
        run = get_run(db, run_id)
        assert (run.status, run.bytes_fetched, run.message) == ("failed", THREE_GB, message)


def test_a_tag_longer_than_the_old_column_is_indexed(db_url):
    story = content.STORIES[0]
    tags = ("Migration & utveckling", "Å" * 450)
    with Database(db_url) as db:
        assert ingest(db, record_of(story, tags=tags), fetch_of(url_of(story))).outcome == "new"
        with db.session() as session:
            assert set(session.scalars(select(Tag.name))) == set(tags)


def test_extraction_drops_tags_that_are_text():
    page = content.STORIES[0]
    long_tag = "ord " * 80
    html = (f"<html><body><h1>{page.title}</h1><p><a rel='tag' href='/t/'>Integration</a>"
            f"<a rel='tag' href='/u/'>{long_tag}</a></p>"
            + "".join(f"<p>{p}</p>" for p in page.paragraphs) + "</body></html>")
    article = extract(html, "https://nordicwelfare.org/integration-norden/nyheter/x/")
    assert article.tags == ("Integration",) or list(article.tags) == ["Integration"]


def test_migration_moves_raw_close_reasons_into_message(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'old.db'}"
    plain = archive_at(db_url, "0003")
    with plain.begin() as connection:
        for status in ("finished", "closespider_pagecount", "archive_error: disk full"):
            connection.execute(text("INSERT INTO crawl_runs (started_at, status, start_urls, new,"
                                    " revised, unchanged, removed, restored, aliases, failed,"
                                    " pages_fetched, bytes_fetched) VALUES ('2026-01-01', :s,"
                                    " '[]', 0, 0, 0, 0, 0, 0, 0, 0, 0)"), {"s": status})
    plain.dispose()
    with Database(db_url) as db, db.session() as session:
        runs = [(r.status, r.message) for r in session.scalars(select(CrawlRun)
                                                                  .order_by(CrawlRun.id))]
        identity = db.archive_id
        # Migration 0006 gave the old archive its identity: one row, a UUID4 in its
        # canonical form (the form WARC file names and warcinfo records carry).
        assert session.scalar(select(func.count()).select_from(ArchiveIdentity)) == 1
    assert uuid.UUID(identity).version == 4 and str(uuid.UUID(identity)) == identity, identity
    assert runs == [("finished", None), ("finished", "closespider_pagecount"),
                    ("failed", "archive_error: disk full")]


def test_max_pages_on_postgresql_through_both_commands(pg_url):
    with ReplicaServer(ReplicaSite(stories=content.STORIES[:8])) as server:
        result = run_crawl(pg_url, server.base + PREFIX, "--max-pages", "5")
        assert result.returncode == 0, result.stderr.decode()[-2000:]
        assert result.stdout.decode().startswith("crawl 1 finished:")
        scrapy = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "portal", "-a",
             f"start_urls={server.base + PREFIX}", "-s", f"NORDARCHIVE_DB={pg_url}", "-s",
             "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false", "-s",
             "CLOSESPIDER_PAGECOUNT=5", "-s", "LOG_LEVEL=WARNING"],
            capture_output=True, cwd=ROOT, timeout=180)
        assert scrapy.returncode == 0, scrapy.stderr.decode()[-2000:]
    with Database(pg_url) as db, db.session() as session:
        runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
    assert [r.status for r in runs] == ["finished", "finished"]
    assert all("page limit" in r.message and 5 <= r.pages_fetched <= 15 for r in runs), \
        [(r.message, r.pages_fetched) for r in runs]
    assert all(r.finished_at is not None and r.bytes_fetched > 0 for r in runs)


def test_a_crawl_that_cannot_start_is_closed_as_failed_with_its_cause(tmp_path):
    """A setting that stops Scrapy before the spider opens (here a reactor that does not
    load): one error line naming the cause, exit 1, the run closed as failed with that cause
    as its message (never left running), the traceback in the log file only."""
    db, log = tmp_path / "a.db", tmp_path / "crawl.log"
    result = subprocess.run(
        [sys.executable, "-m", "crawler.commands", "crawl", "--db", str(db), "--log-file",
         str(log), "--start-url", f"http://127.0.0.1:{free_port()}/integration-norden/",
         "--set", "TWISTED_REACTOR=nordarchive_no_such_module.Reactor"],
        capture_output=True, cwd=ROOT, timeout=180, stdin=subprocess.DEVNULL)
    cause = "ModuleNotFoundError: No module named 'nordarchive_no_such_module'"
    assert result.returncode == 1, result.stderr.decode()[-2000:]
    assert result.stderr.decode().splitlines() == [
        f"nordarchive: error: crawl 1 failed: {cause}"]
    assert result.stdout.decode().startswith("crawl 1 failed: new 0,")
    with Database(f"sqlite:///{db}") as archive:
        run = get_run(archive, 1)
    assert (run.status, run.message) == ("failed", cause)
    assert "Traceback" in log.read_text()
