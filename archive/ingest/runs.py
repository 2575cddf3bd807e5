"""Crawl runs: opened when a crawl starts, closed with its status and counts.

Article counters (new, revised, …) move inside each ingest transaction (see ``ingest.py``);
the crawler adds what only it knows (pages and bytes fetched) when the run ends.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError

from archive.search import term_counts
from archive.storage.database import Database
from archive.storage.models import CrawlRun
from archive.storage.times import utcnow

log = logging.getLogger(__name__)


def start_run(db: Database, start_urls: Sequence[str], *, kind: str = "crawl") -> int:
    """Open a run (``kind``: crawl, backfill or import). Runs still marked running are from
    crawls that died (the crawl lock rules out a live one): they are marked interrupted."""
    with db.session() as session:
        session.execute(update(CrawlRun).where(CrawlRun.status == "running")
                        .values(status="interrupted",
                                message="the crawl ended without closing its run"))
        run = CrawlRun(started_at=utcnow(), status="running", start_urls=list(start_urls),
                       kind=kind)
        session.add(run)
        session.flush()
        return run.id


def finish_run(db: Database, run_id: int, status: str, *, pages_fetched: int = 0,
               bytes_fetched: int = 0, message: str | None = None) -> CrawlRun:
    with db.session() as session:
        run = session.get(CrawlRun, run_id)
        run.status = status
        run.finished_at = utcnow()
        run.pages_fetched = pages_fetched
        run.bytes_fetched = bytes_fetched
        run.message = message
    # the crawl's new articles may have made more search terms common: their counts are kept
    # from now on (a sample and a count only when the archive is large enough). Only a speed-up:
    # a failure is a warning, never the crawl's.
    try:
        kept = term_counts.keep_common(db)
    except SQLAlchemyError as error:
        log.warning("could not keep the counts of common search terms (run nordarchive db "
                    "count-terms later): %s", str(error).splitlines()[0])
    else:
        if kept:
            log.info("kept the counts of %d more common search terms", len(kept))
    return run


def get_run(db: Database, run_id: int) -> CrawlRun | None:
    with db.session() as session:
        return session.get(CrawlRun, run_id)
