"""The crawl's link to the archive: open it, hold the crawl lock, open and close the run.

``nordarchive crawl`` takes the lock and opens the run itself (so a second crawl exits at once
with its exit code) and hands the run id over in ``NORDARCHIVE_RUN_ID``; a plain
``scrapy crawl portal`` gets the same from this extension. Either way the run is closed here,
by ``close_run``: one mapping from Scrapy's close reason to the documented statuses.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from scrapy import signals
from sqlalchemy.exc import SQLAlchemyError

from archive.ingest.pages import known_article_urls, last_seen_by_url, validators
from archive.ingest.runs import finish_run, start_run
from archive.ingest.verdicts import REVERIFY_DAYS, due_for_reverify
from archive.sources.store import DueSource, known_source_urls, sources_due
from archive.storage.database import Database, error_line
from crawler.lock import CrawlLock
from crawler.pipelines import CLOSE_ERROR
from crawler.source_requests import source_recheck_days

logger = logging.getLogger(__name__)


@dataclass
class CrawlSession:
    """What the spider and the pipeline share during one crawl."""

    db: Database
    run_id: int
    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    known_articles: list[str] = field(default_factory=list)
    last_seen: dict[str, datetime] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    #: Normalized URLs of live articles to fetch even if their sitemap lastmod says unchanged.
    due: set[str] = field(default_factory=set)
    #: URLs not requested because of their sitemap lastmod (counted as skipped at the end).
    skipped: list[str] = field(default_factory=list)
    owns_run: bool = False
    lock: CrawlLock | None = None
    #: Sources: the normal forms the archive knows, and those due for a check now.
    known_sources: set[str] = field(default_factory=set)
    due_sources: list[DueSource] = field(default_factory=list)
    #: (status, message) once the run is closed; ``close_error`` if closing it failed.
    outcome: tuple[str, str | None] | None = None
    close_error: str | None = None

    def count(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1


def open_session(settings, start_urls: list[str]) -> CrawlSession:
    db = Database(settings.get("NORDARCHIVE_DB"))
    run_id = settings.getint("NORDARCHIVE_RUN_ID", 0)
    lock = None
    owns = False
    if not run_id:
        lock = CrawlLock(db.url).acquire()
        run_id = start_run(db, start_urls)
        owns = True
    known = known_article_urls(db)
    last_seen = last_seen_by_url(db)
    days = settings.getfloat("NORDARCHIVE_REVERIFY_DAYS", REVERIFY_DAYS)
    session = CrawlSession(db=db, run_id=run_id,
                           validators=validators(db, last_seen), known_articles=known,
                           last_seen=last_seen, due=due_for_reverify(db, days),
                           owns_run=owns, lock=lock)
    if settings.getbool("NORDARCHIVE_SOURCES", True):
        session.known_sources = known_source_urls(db)
        session.due_sources = sources_due(db, recheck_days=source_recheck_days(settings))
    return session


def run_outcome(reason: str, start_ok: int) -> tuple[str, str | None]:
    """A documented run status (``archive.storage.models.RUN_STATUSES``) for Scrapy's close reason;
    the reason itself, when it says more than the status, becomes the run's message."""
    if reason == "shutdown":
        return "interrupted", "stopped by a signal"
    if reason in ("finished", "closespider_pagecount"):
        if start_ok == 0:
            return "unreachable", "no start URL answered"
        return "finished", (None if reason == "finished" else
                            "stopped at the page limit (--max-pages / CLOSESPIDER_PAGECOUNT)")
    return "failed", reason  # archive_error: …, lock_lost: …, closespider_timeout, a crash


def close_run(db: Database, run_id: int, reason: str, stats, start_ok: int
              ) -> tuple[str, str | None]:
    """Close a run with its status, message and what only the crawler knows (pages and
    bytes fetched, from Scrapy's stats collector)."""
    status, message = run_outcome(reason, start_ok)
    finish_run(db, run_id, status,
               pages_fetched=stats.get_value("downloader/response_count", 0),
               bytes_fetched=stats.get_value("downloader/response_bytes", 0), message=message)
    return status, message


class _RobotsErrorIsInfo(logging.Filter):
    """Scrapy logs a robots.txt that cannot be downloaded as an ERROR with a traceback; the
    crawl goes on without it (and an unreachable portal is reported once per start URL), so
    it is an INFO line for the log file."""

    def filter(self, record: logging.LogRecord) -> bool:
        if (record.levelno >= logging.ERROR and isinstance(record.msg, str)
                and record.msg.startswith("Error downloading")):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info = record.exc_text = None
        return True


_ROBOTS_LOGGER = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")


class CrawlRunExtension:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        if not any(isinstance(f, _RobotsErrorIsInfo) for f in _ROBOTS_LOGGER.filters):
            _ROBOTS_LOGGER.addFilter(_RobotsErrorIsInfo())

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_closed(self, spider, reason: str) -> None:
        session: CrawlSession | None = getattr(spider, "session", None)
        if session is None:
            return
        start_ok = getattr(spider, "start_ok", 0)
        # An archive error while the pipeline wrote its last batch decides the run's status.
        reason = self.crawler.stats.get_value(CLOSE_ERROR) or reason
        session.outcome = run_outcome(reason, start_ok)
        try:
            close_run(session.db, session.run_id, reason, self.crawler.stats, start_ok)
        except SQLAlchemyError as error:  # reported by ``nordarchive crawl`` in one line
            session.close_error = error_line(error)
            logger.warning("crawl %s: the run could not be closed: %s", session.run_id,
                           session.close_error)
        finally:
            if session.lock:
                session.lock.release()
            session.db.close()
