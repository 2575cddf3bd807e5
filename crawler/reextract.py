"""Re-extraction: run the current extractor over stored captures, with no network. Where its
reading differs from the stored revision, a revision of origin ``extractor`` is added.

Reading a capture and extracting it are pure work on files: worker processes do them on every
core, while this process alone reads and writes the archive, in the archive's order, so the
result is the same whatever the number of workers."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, select, text
from w3lib.encoding import html_to_unicode

from archive.ingest.articles import add_extractor_revision
from archive.ingest.records import Record
from archive.ingest.revisions import refresh_change_records
from archive.search.filters import Filters
from archive.storage.content import compare
from archive.storage.database import ArchiveError, Database
from archive.storage.models import Article, Capture, Revision
from archive.webarchive.captures import CaptureLocation, read_located
from crawler.extraction import ExtractionError, extract

#: Jobs in flight per worker: enough to keep every core busy, few enough to bound memory.
_IN_FLIGHT = 8


@dataclass
class ReextractReport:
    examined: int = 0
    changed: int = 0
    unchanged: int = 0
    no_capture: int = 0
    failed: list[str] = field(default_factory=list)
    sample_diff: str | None = None
    #: Every article examined, and how many of their revisions' change records were stored
    #: anew (``archive.storage.changes``: what a newer nordarchive computes differently).
    article_ids: list[int] = field(default_factory=list)
    records: int = 0


@dataclass(frozen=True)
class _Job:
    article_id: int
    url: str
    current: dict[str, Any]
    where: CaptureLocation


_extractor: Callable = extract


def _set_extractor(extractor: Callable) -> None:
    global _extractor
    _extractor = extractor


def _extract_job(job: _Job) -> tuple[str, Any, str | None]:
    """("failed", message, None), ("unchanged", None, None) or ("changed", record, diff)."""
    try:
        page = read_located(job.where)
        _, text = html_to_unicode(page.content_type, page.body)
        article = _extractor(text, page.url)
    except (ArchiveError, ExtractionError) as error:
        return "failed", f"article {job.article_id}: {error}", None
    record = Record.from_mapping(article.to_dict())
    old = Record.from_mapping({**job.current, "canonical_url": job.url}).content
    change = compare(old, record.content, f"revision {job.current['number']}", "re-extracted")
    if change is None:
        return "unchanged", None, None
    return "changed", record, change.diff


class _Inline(Executor):
    """One worker: extraction in this process, as it comes."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


def reextract(db: Database, warc_dir: Path, filters: Filters, *, dry_run: bool = False,
              extractor: Callable = extract, progress: Callable[[int], None] | None = None,
              workers: int | None = None) -> ReextractReport:
    """Re-extract the current revision of every article that meets ``filters`` with
    ``workers`` processes (default: one per core)."""
    workers = workers or default_workers()
    report = ReextractReport()
    if workers > 1:
        # Forked workers inherit the extractor (a local function is fine); they never touch
        # the database.
        pool: Executor = ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("fork"),
            initializer=_set_extractor, initargs=(extractor,))
    else:
        _set_extractor(extractor)
        pool = _Inline()
    pending: deque[tuple[_Job, Future]] = deque()

    def finish(job: _Job | None, future: Future) -> None:
        outcome, value, diff = future.result()
        if outcome == "failed":
            report.failed.append(value)
        elif outcome == "unchanged":
            report.unchanged += 1
        else:
            report.changed += 1
            if report.sample_diff is None:
                report.sample_diff = f"article {job.article_id} ({job.url}):\n{diff}"
            if not dry_run:
                add_extractor_revision(db, job.article_id, value, job.where.capture_id)

    with pool:
        for job in _jobs(db, warc_dir, filters, report, progress):
            if isinstance(job, str):  # no readable capture: reported in its turn
                failed: Future = Future()
                failed.set_result(("failed", job, None))
                pending.append((None, failed))
                continue
            pending.append((job, pool.submit(_extract_job, job)))
            if len(pending) >= workers * _IN_FLIGHT:
                finish(*pending.popleft())
        while pending:
            finish(*pending.popleft())
    if not dry_run:
        report.records = refresh_change_records(db, report.article_ids)
    return report


def _jobs(db: Database, warc_dir: Path, filters: Filters, report: ReextractReport,
          progress: Callable[[int], None] | None, batch: int = 500) -> Iterator[_Job | str]:
    """A job per article with a capture, a message for those whose capture is unknown: the
    current revisions and their capture locations are read a batch at a time (in this
    process, which must keep up with every worker)."""
    condition, params = filters.sql()
    a, revision, capture = Article.__table__.alias("a"), Revision.__table__, Capture.__table__
    refers = capture.alias("refers")
    where = {c: func.coalesce(getattr(refers.c, c), getattr(capture.c, c))
             for c in ("url", "warc_file", "offset", "record_id")}
    query = (select(a.c.id, a.c.canonical_url, revision.c.number, revision.c.title,
                    revision.c.text, revision.c.tags, revision.c.published,
                    revision.c.modified, revision.c.language, revision.c.capture_id,
                    capture.c.id.label("known"), *(w.label(k) for k, w in where.items()))
             .select_from(a).join(revision, revision.c.id == a.c.current_revision_id)
             .outerjoin(capture, capture.c.id == revision.c.capture_id)
             .outerjoin(refers, (capture.c.kind == "revisit")
                        & (refers.c.id == capture.c.refers_to_id))
             .where(a.c.id > bindparam("last")).order_by(a.c.id).limit(batch))
    if condition:
        query = query.where(text(condition))
    last = 0
    while True:
        with db.engine.connect() as conn:
            rows = conn.execute(query, {**params, "last": last}).all()
        if not rows:
            return
        last = rows[-1].id
        for row in rows:
            report.examined += 1
            report.article_ids.append(row.id)
            if progress:
                progress(report.examined)
            if row.capture_id is None:
                report.no_capture += 1
                continue
            if row.known is None or row.warc_file is None:
                yield f"article {row.id}: capture {row.capture_id} is not in the archive"
                continue
            current = {"number": row.number, "title": row.title, "text": row.text,
                       "tags": row.tags, "published": row.published, "modified": row.modified,
                       "language": row.language}
            yield _Job(row.id, row.canonical_url, current, CaptureLocation(
                row.capture_id, row.url, Path(warc_dir) / row.warc_file, row.offset,
                row.record_id, row.warc_file))
