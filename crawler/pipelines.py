"""The pipeline: items go to the archive through its public ingest API. Articles are written
a few at a time (``ingest_many``: one transaction, one commit for up to ``BATCH`` of them, at
most ``BATCH_SECONDS`` after the first arrived); every other item first writes the batch, so
the archive sees items in their order. Outcomes are counted in the crawl session and the
crawl's stats."""

from __future__ import annotations

import logging
import time

from sqlalchemy.exc import SQLAlchemyError

from archive.ingest.batch import ingest_many
from archive.ingest.pages import record_failure, record_listed
from archive.ingest.removals import mark_gone, mark_not_modified
from archive.ingest.verdicts import count_skipped, mark_retired
from archive.sources.store import record_citations, record_source_fetch, record_source_refusal
from archive.storage.database import error_line
from crawler.items import (
    ArticlePage,
    FailedPage,
    GonePage,
    ListedUrls,
    NotModifiedPage,
    RetiredPage,
    SourceChecked,
    SourceRefused,
)
from crawler.lock import LockHeld, held_lock
from crawler.source_requests import source_recheck_days

logger = logging.getLogger(__name__)

#: Every this many archive writes, one progress line (INFO; shown on a terminal).
PROGRESS_EVERY = 50
#: Articles per transaction, and the longest an article waits for its batch to fill.
BATCH = 20
BATCH_SECONDS = 1.0
#: Stats key of an archive error met while writing the last batch (the close reason then).
CLOSE_ERROR = "nordarchive/close_error"


class ArchivePipeline:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.written = 0
        self.stopping = False
        self.lock_checked = 0.0
        self.batch: list[ArticlePage] = []
        self.batch_started = 0.0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item, spider=None):
        return self._guarded(self._store, item)

    def close_spider(self, spider=None) -> None:
        """Write the articles still waiting for their batch (the crawl's end, SIGTERM). The
        spider is already closing: a failure is left in the stats for the crawl's status."""
        try:
            self._flush()
        except SQLAlchemyError as error:
            message = error_line(error)
            logger.error("archive write failed at the end of the crawl: %s", message)
            self.crawler.stats.set_value(CLOSE_ERROR, f"archive_error: {message}")
            return
        self._count_skipped()

    def _guarded(self, write, item):
        try:
            self._check_lock()
            return write(item)
        except LockHeld as error:
            if not self.stopping:
                self.stopping = True
                logger.error("stopping the crawl: %s", error)
                self._stop(f"lock_lost: {error}")
            return item
        except SQLAlchemyError as error:
            # The archive cannot be written (disk full, database gone after retries): stop
            # fetching; what was written is complete, the next crawl resumes.
            message = error_line(error)
            if not self.stopping:
                self.stopping = True
                logger.error("archive write failed, stopping the crawl: %s", message)
                self._stop(f"archive_error: {message}")
            return item

    def _count_skipped(self) -> None:
        """Articles skipped by their sitemap lastmod and not otherwise seen: counted once."""
        session = getattr(self.crawler.spider, "session", None)
        if session is None or not session.skipped or self.stopping:
            return
        try:
            skipped = count_skipped(session.db, session.run_id, session.skipped)
        except SQLAlchemyError as error:
            logger.error("skipped articles not counted: %s", error_line(error))
            return
        session.counts["skipped"] = skipped

    def _check_lock(self) -> None:
        """At most once a second: is the crawl lock still ours (see ``CrawlLock.ensure``)?"""
        now = time.monotonic()
        if now - self.lock_checked < 1.0:
            return
        self.lock_checked = now
        lock = held_lock()
        if lock is not None:
            lock.ensure()

    def _stop(self, reason: str) -> None:
        engine = self.crawler.engine
        if hasattr(engine, "close_spider_async"):
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(engine.close_spider_async(reason=reason))
        else:  # Scrapy < 2.14
            engine.close_spider(self.crawler.spider, reason)

    def _flush(self) -> None:
        if not self.batch:
            return
        session = self.crawler.spider.session
        batch, self.batch = self.batch, []
        results = ingest_many(session.db, [(i.record, i.fetch) for i in batch], session.run_id)
        for item, result in zip(batch, results, strict=True):
            self._counted(item, result)
            cited = item.record.get("sources")
            if cited and result.article_id is not None and self.crawler.spider.fetch_sources:
                record_citations(session.db, result.article_id, cited, at=item.fetch.fetched_at)

    def _store(self, item):
        spider = self.crawler.spider
        session = spider.session
        if isinstance(item, ArticlePage):
            if not self.batch:
                self.batch_started = time.monotonic()
            self.batch.append(item)
            if (len(self.batch) >= BATCH
                    or time.monotonic() - self.batch_started >= BATCH_SECONDS):
                self._flush()
            return item
        self._flush()
        if isinstance(item, GonePage):
            result = mark_gone(session.db, item.fetch, session.run_id)
        elif isinstance(item, NotModifiedPage):
            result = mark_not_modified(session.db, item.fetch, session.run_id)
        elif isinstance(item, RetiredPage):
            result = mark_retired(session.db, item.fetch, item.page_kind, session.run_id,
                                  status=item.status)
            if result.outcome == "removed" and result.counted:
                logger.info("removed: %s answers %s, ends at %s (%s)", item.fetch.url,
                            item.status, item.fetch.landed_url, item.page_kind)
        elif isinstance(item, FailedPage):
            record_failure(session.db, item.url, item.reason, item.message, session.run_id)
            session.count("failed")
            self.crawler.stats.inc_value("nordarchive/failed")
            logger.warning("not archived: %s (%s: %s)", item.url, item.reason, item.message)
            return item
        elif isinstance(item, ListedUrls):
            record_listed(session.db, item.urls, item.source, item.found_on, session.run_id)
            return item
        elif isinstance(item, SourceChecked):
            state = record_source_fetch(session.db, item.fetch,
                                        recheck_days=source_recheck_days(self.crawler.settings))
            self._source_counted(state, item.fetch.url)
            return item
        elif isinstance(item, SourceRefused):
            record_source_refusal(session.db, item.url, item.reason, item.message,
                                  run_id=session.run_id,
                                  recheck_days=source_recheck_days(self.crawler.settings))
            self._source_counted("refused", item.url, item.reason)
            return item
        else:
            return item
        self._counted(item, result)
        return item

    def _source_counted(self, state: str, url: str, reason: str | None = None) -> None:
        """Sources have counts of their own: none of them is an article, failed or not."""
        self.crawler.spider.session.count(f"source {state}")
        self.crawler.stats.inc_value(f"nordarchive/source_{state}")
        logger.info("source %s: %s%s", state, url, f" ({reason})" if reason else "")

    def _counted(self, item, result) -> None:
        session = self.crawler.spider.session
        outcome = str(result.outcome) if result.counted else f"{result.outcome} again"
        session.count(outcome)
        self.crawler.stats.inc_value(f"nordarchive/{outcome}")
        logger.debug("%s: %s (article %s)", outcome, item.fetch.url,
                     result.article_id)
        self.written += 1
        if self.written % PROGRESS_EVERY == 0:
            logger.info("progress: %s", ", ".join(f"{k} {v}" for k, v in
                                                  sorted(session.counts.items())))
