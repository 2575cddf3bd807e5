"""What a backfill and an import share with a crawl: the crawl lock, a run of their kind,
the summary line and the exit codes (a crawl's: 0, 1, 3 locked, 5 too many failures,
6 interrupted)."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from archive.ingest.runs import finish_run, start_run
from archive.storage.database import ArchiveError, Database, database_url, error_line
from crawler.backfill.observe import Tally
from crawler.crawl import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_TOO_MANY_FAILURES,
)
from crawler.lock import LockHeld, archive_lock

#: Share of failed article pages above which the run exits 5 (as a crawl).
MAX_FAILURE_RATIO = 0.2


@dataclass
class RunResult:
    run_id: int
    status: str
    exit_code: int
    summary: str
    message: str | None = None


class Interrupted(Exception):
    """SIGTERM or SIGINT: stop after the observation at hand (each is stored whole)."""


@contextmanager
def interruptible() -> Iterator[None]:
    def stop(signum, frame):
        raise Interrupted(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_locked(db_url: str | None, kind: str, described: list[str],
               work: Callable[[Database, int, Tally], str | None]) -> RunResult:
    """Take the crawl lock, open a run of ``kind``, do ``work(db, run_id, tally)`` (it
    returns a message for a run that ended early) and close the run with its status.
    ``ArchiveError`` is raised when the archive cannot be opened."""
    url = database_url(db_url)
    try:
        with archive_lock(url), Database(url) as db:
            run_id = start_run(db, described, kind=kind)
            tally = Tally()
            status, message = "finished", None
            try:
                with interruptible():
                    message = work(db, run_id, tally)
            except Interrupted as stopped:
                status, message = "interrupted", f"stopped by {stopped}"
            except ArchiveError as error:
                status, message = "failed", str(error)
            except SQLAlchemyError as error:
                status, message = "failed", f"archive_error: {error_line(error)}"
            if status == "finished" and message:
                status = "failed"
            run = finish_run(db, run_id, status, pages_fetched=tally.counts["captures"],
                             message=message)
            failures = tally.counts["failed"]
            articles = sum(tally.counts[k] for k in ("new", "revised", "unchanged", "alias",
                                                     "restored"))
            code = {"interrupted": EXIT_INTERRUPTED, "failed": EXIT_ERROR}.get(status, EXIT_OK)
            if code == EXIT_OK and failures > MAX_FAILURE_RATIO * max(1, articles + failures):
                code = EXIT_TOO_MANY_FAILURES
            return RunResult(run.id, status, code, tally.summary(kind, run.id), message)
    except LockHeld as error:
        print(f"nordarchive: {error}; exiting (code {EXIT_LOCKED})", file=sys.stderr)
        return RunResult(0, "locked", EXIT_LOCKED, str(error))
