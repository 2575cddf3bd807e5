"""``nordarchive crawl``: lock the archive, open a run, run the ``portal`` spider, close the
run, print one summary line and return the documented exit code."""

from __future__ import annotations

import logging
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy.exc import SQLAlchemyError

from archive.ingest.runs import get_run, start_run
from archive.storage.database import ArchiveError, Database, database_url, error_line
from archive.webarchive.warc import warc_dir_for
from crawler.extensions import close_run
from crawler.lock import LockHeld, archive_lock

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
    #: Start URLs that could not be fetched: their cause (DNS failure, refused connection).
    start_failures: dict[str, str] = field(default_factory=dict)

    def unreachable_lines(self) -> list[str]:
        """One line per host that no start URL reached: the host and the cause, in full."""
        causes: dict[str, list[str]] = {}
        for url, cause in self.start_failures.items():
            host = urlsplit(url).netloc or url
            if cause not in causes.setdefault(host, []):
                causes[host].append(cause)
        return [f"cannot reach {host}: {'; '.join(found)} (no start URL answered; no article "
                "was changed)" for host, found in causes.items()]


def crawl(db_url: str | None, start_urls: list[str] | None = None, *,
          max_pages: int | None = None, log_file: str | None = None,
          overrides: dict[str, str] | None = None, quiet: bool | None = None,
          verbose: bool = False) -> CrawlResult:
    """One crawl, start to summary. Raises ``ArchiveError`` when the archive cannot be
    opened or written; every other outcome is a ``CrawlResult`` with its exit code.
    ``quiet`` None means "a live display if standard error is a terminal"; ``verbose`` shows
    the crawl's log on standard error instead."""
    url = database_url(db_url)
    # The lock comes first, so that crawls racing on a new archive never migrate it twice.
    try:
        with archive_lock(url), Database(url) as db:
            return _crawl_locked(db, start_urls, max_pages=max_pages, log_file=log_file,
                                 overrides=overrides, output=output_mode(quiet, verbose))
    except LockHeld as error:
        print(f"nordarchive: {error}; exiting (code {EXIT_LOCKED})", file=sys.stderr)
        return CrawlResult(0, "locked", EXIT_LOCKED, str(error))


def output_mode(quiet: bool | None, verbose: bool) -> str:
    """What the terminal gets: "display" (live progress, warnings above it), "log" (the
    crawl's INFO log) or "quiet" (warnings only, as under cron); the summary in every case."""
    if verbose:
        return "log"
    if quiet is None:
        quiet = not sys.stderr.isatty()
    return "quiet" if quiet else "display"


@contextmanager
def _terminal(output: str, log_file: str | None, crawler):
    """The live display, or the log on standard error beside ``--log-file`` (``-v``)."""
    if output == "display":
        from crawler.crawl_display import CrawlDisplay

        with CrawlDisplay() as display:
            display.attach(crawler)
            yield
        return
    handler = None
    if output == "log" and log_file:
        handler = logging.StreamHandler()
        handler.setLevel(crawler.settings.get("LOG_LEVEL"))
        handler.setFormatter(logging.Formatter(crawler.settings.get("LOG_FORMAT"),
                                               crawler.settings.get("LOG_DATEFORMAT")))
        logging.getLogger().addHandler(handler)
    try:
        yield
    finally:
        if handler is not None:
            logging.getLogger().removeHandler(handler)


def _settings(db: Database, run_id: int, max_pages: int | None, log_file: str | None,
              overrides: dict[str, str] | None, output: str):
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    if settings.get("BOT_NAME") != "nordarchive":  # run outside the project directory
        settings.setmodule("crawler.settings", priority="project")
    settings.set("NORDARCHIVE_DB", db.url, priority="cmdline")
    settings.set("NORDARCHIVE_RUN_ID", run_id, priority="cmdline")
    if max_pages:
        settings.set("CLOSESPIDER_PAGECOUNT", max_pages, priority="cmdline")
    settings.set("LOG_LEVEL", "INFO" if (log_file or output == "log") else "WARNING",
                 priority="cmdline")
    if log_file:
        settings.set("LOG_FILE", log_file, priority="cmdline")
    elif output == "display":  # warnings reach the terminal through the display only
        settings.set("LOG_ENABLED", False, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def _crawl_locked(db: Database, start_urls: list[str] | None, *, max_pages, log_file,
                  overrides, output) -> CrawlResult:
    from scrapy.crawler import CrawlerProcess

    from crawler import settings as defaults

    urls = list(start_urls or defaults.NORDARCHIVE_START_URLS)
    try:
        run_id = start_run(db, urls)
    except SQLAlchemyError as error:
        raise ArchiveError(f"cannot write to the archive: {error_line(error)}") from None
    settings = _settings(db, run_id, max_pages, log_file, overrides, output)
    started = time.monotonic()
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("portal")
    # A crawl that cannot start (a bad setting: a reactor or a component that does not load)
    # fails inside Twisted, not in process.start(): its error is kept for the run's message.
    failures: list = []
    process.crawl(crawler, start_urls=urls).addErrback(failures.append)
    crash = None
    with _terminal(output, log_file, crawler):
        try:
            process.start()
        except Exception as error:  # noqa: BLE001 - the run must be closed whatever happened
            crash = f"{type(error).__name__}: {error}"
            logging.getLogger(__name__).exception("crawl failed")
    if crash is None and failures:
        crash = f"{failures[0].type.__name__}: {failures[0].getErrorMessage()}"
        # The error line says what failed; the traceback is for the log file (INFO).
        logging.getLogger(__name__).info("crawl failed: %s", failures[0].getTraceback())
    session = getattr(crawler.spider, "session", None)
    outcome = getattr(session, "outcome", None)
    close_error = getattr(session, "close_error", None)
    try:
        if crash is not None or (outcome is None and close_error is None):
            # The spider never closed its run: close it here, through the same path.
            outcome = close_run(db, run_id, crash or "the spider did not close",
                                crawler.stats, getattr(crawler.spider, "start_ok", 0))
        status, message = outcome or ("failed", None)
        if close_error is not None:
            raise ArchiveError(f"crawl {run_id} {status}{f' ({message})' if message else ''}; "
                               f"the run could not be closed: {close_error}")
        run = get_run(db, run_id)
    except SQLAlchemyError as error:
        raise ArchiveError(f"crawl {run_id} failed; the run could not be closed: "
                           f"{error_line(error)}") from None
    articles = run.new + run.revised + run.unchanged + run.aliases + run.restored
    ratio = settings.getfloat("NORDARCHIVE_MAX_FAILURE_RATIO")
    exit_code = {"interrupted": EXIT_INTERRUPTED, "failed": EXIT_ERROR,
                 "unreachable": EXIT_UNREACHABLE}.get(status, EXIT_OK)
    if exit_code == EXIT_OK and run.failed > ratio * max(1, articles + run.failed):
        exit_code = EXIT_TOO_MANY_FAILURES
    summary = (f"crawl {run_id} {status}: new {run.new}, revised {run.revised}, unchanged "
               f"{run.unchanged}, removed {run.removed}, restored {run.restored}, aliases "
               f"{run.aliases}, failed {run.failed}, skipped {run.skipped}, "
               f"pages {run.pages_fetched}, {_sources_note(crawler.stats)}"
               f"{time.monotonic() - started:.1f} s; {_warc_note(db, settings)}")
    return CrawlResult(run_id, status, exit_code, summary, message,
                       dict(getattr(crawler.spider, "start_failures", None) or {}))


#: What a source's check came to, in the summary's order.
SOURCE_STATES = ("captured", "unchanged", "restored", "refused", "failed", "gone")


def _sources_note(stats) -> str:
    """``sources 4 (2 captured, 1 refused, 1 gone), `` when the crawl checked any."""
    counts = {state: stats.get_value(f"nordarchive/source_{state}", 0) for state in SOURCE_STATES}
    total = sum(counts.values())
    if not total:
        return ""
    return f"sources {total} ({', '.join(f'{n} {s}' for s, n in counts.items() if n)}), "


def _warc_note(db: Database, settings) -> str:
    """Where the captures are; never a folder that does not exist (nothing was fetched)."""
    folder = warc_dir_for(db, settings.get("NORDARCHIVE_WARC_DIR")).resolve()
    return f"WARC in {folder}" if folder.is_dir() else "no WARC written"
