"""``nordarchive crawl``: lock the archive, open a run, run the ``portal`` spider, close the
run, print one summary line and return the documented exit code."""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from archive.db import ArchiveError, Database, database_url, error_line
from archive.runs import finish_run, get_run, start_run
from crawler.lock import CrawlLock, LockHeld

#: Exit codes (README, "Exit codes").
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_LOCKED = 3
EXIT_UNREACHABLE = 4
EXIT_TOO_MANY_FAILURES = 5
EXIT_INTERRUPTED = 6


@dataclass
class CrawlResult:
    run_id: int
    status: str
    exit_code: int
    summary: str
    message: str | None = None


def crawl(db_url: str | None, start_urls: list[str] | None = None, *,
          max_pages: int | None = None, log_file: str | None = None,
          overrides: dict[str, str] | None = None, quiet: bool | None = None) -> CrawlResult:
    """One crawl, start to summary. Raises ``ArchiveError`` when the archive cannot be
    opened or written; every other outcome is a ``CrawlResult`` with its exit code."""
    url = database_url(db_url)
    # The lock comes first, so that crawls racing on a new archive never migrate it twice.
    lock = CrawlLock(url)
    try:
        lock.acquire()
    except LockHeld as error:
        print(f"nordarchive: {error}; exiting (code {EXIT_LOCKED})", file=sys.stderr)
        return CrawlResult(0, "locked", EXIT_LOCKED, str(error))
    except SQLAlchemyError as error:
        raise ArchiveError(f"cannot open the archive: {error_line(error)}") from None
    except OSError as error:
        raise ArchiveError(f"cannot create the crawl lock {lock.lock_path()}: "
                           f"{error.strerror}") from None
    try:
        with Database(url) as db:
            return _crawl_locked(db, start_urls, max_pages=max_pages, log_file=log_file,
                                 overrides=overrides, quiet=quiet)
    finally:
        lock.release()


def _settings(db: Database, run_id: int, max_pages: int | None, log_file: str | None,
              overrides: dict[str, str] | None, quiet: bool | None):
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    if settings.get("BOT_NAME") != "nordarchive":  # run outside the project directory
        settings.setmodule("crawler.settings", priority="project")
    settings.set("NORDARCHIVE_DB", db.url, priority="cmdline")
    settings.set("NORDARCHIVE_RUN_ID", run_id, priority="cmdline")
    if max_pages:
        settings.set("CLOSESPIDER_PAGECOUNT", max_pages, priority="cmdline")
    if quiet is None:
        quiet = not sys.stderr.isatty()
    settings.set("LOG_LEVEL", "INFO" if (log_file or not quiet) else "WARNING",
                 priority="cmdline")
    if log_file:
        settings.set("LOG_FILE", log_file, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def _crawl_locked(db: Database, start_urls: list[str] | None, *, max_pages, log_file,
                  overrides, quiet) -> CrawlResult:
    from scrapy.crawler import CrawlerProcess

    from crawler import settings as defaults

    urls = list(start_urls or defaults.NORDARCHIVE_START_URLS)
    try:
        run_id = start_run(db, urls)
    except SQLAlchemyError as error:
        raise ArchiveError(f"cannot write to the archive: {error_line(error)}") from None
    settings = _settings(db, run_id, max_pages, log_file, overrides, quiet)
    started = time.monotonic()
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("portal")
    process.crawl(crawler, start_urls=urls)
    status, message = "finished", None
    try:
        process.start()
    except Exception as error:  # noqa: BLE001 - the run must be closed whatever happened
        status, message = "failed", f"{type(error).__name__}: {error}"
        logging.getLogger(__name__).exception("crawl failed")
    stats = crawler.stats.get_stats() if crawler.stats else {}
    reason = stats.get("finish_reason", "unknown")
    if status == "finished" and reason == "shutdown":
        status, message = "interrupted", "stopped by a signal"
    elif status == "finished" and reason not in ("finished", "closespider_pagecount"):
        status, message = "failed", f"spider closed: {reason}"
    elif status == "finished" and getattr(crawler.spider, "start_ok", 0) == 0:
        status, message = "unreachable", "no start URL answered"
    try:
        finish_run(db, run_id, status, pages_fetched=stats.get("downloader/response_count", 0),
                   bytes_fetched=stats.get("downloader/response_bytes", 0), message=message)
        run = get_run(db, run_id)
    except SQLAlchemyError as error:
        raise ArchiveError(f"crawl {run_id} {status} ({message or reason}); the run could "
                           f"not be closed: {error_line(error)}") from None
    articles = run.new + run.revised + run.unchanged + run.aliases + run.restored
    ratio = settings.getfloat("NORDARCHIVE_MAX_FAILURE_RATIO")
    exit_code = {"interrupted": EXIT_INTERRUPTED, "failed": EXIT_ERROR,
                 "unreachable": EXIT_UNREACHABLE}.get(status, EXIT_OK)
    if exit_code == EXIT_OK and run.failed > ratio * max(1, articles + run.failed):
        exit_code = EXIT_TOO_MANY_FAILURES
    summary = (f"crawl {run_id} {status}: new {run.new}, revised {run.revised}, unchanged "
               f"{run.unchanged}, removed {run.removed}, restored {run.restored}, aliases "
               f"{run.aliases}, failed {run.failed}, pages {run.pages_fetched}, "
               f"{time.monotonic() - started:.1f} s")
    return CrawlResult(run_id, status, exit_code, summary, message)
