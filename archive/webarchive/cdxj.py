"""The archive's capture index as CDXJ (the index pywb, OutbackCDX and WACZ read), made by the
maintained ``cdxj-indexer`` from the WARC files themselves, and the choice of WARC records an
export of captures since (or until) a date holds.

A dated selection keeps each capture in the period and, for a revisit, the earlier response
it points to (followed to the end of a chain of revisits), so that every record can be
replayed from the export alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TextIO

from sqlalchemy import select

from archive.storage.database import ArchiveError, Database
from archive.storage.models import Capture
from archive.storage.times import as_utc

CAPTURES = Capture.__table__
#: The record types indexed, as pywb's own indexer does (requests and warcinfo are not).
INDEXED_RECORDS = "response,revisit,resource,metadata"


@dataclass(frozen=True)
class Period:
    """Captures fetched at or after ``since`` and before ``until`` (UTC; None: no bound)."""

    since: datetime | None = None
    until: datetime | None = None

    @property
    def whole(self) -> bool:
        return self.since is None and self.until is None

    def condition(self) -> list:
        where = []
        if self.since:
            where.append(CAPTURES.c.fetched_at >= self.since)
        if self.until:
            where.append(CAPTURES.c.fetched_at < self.until)
        return where

    @classmethod
    def parse(cls, since: str | None, until: str | None) -> Period:
        """``--since``/``--until`` of a capture export: a day (``2026-12-01``, the whole day
        included) or an ISO time (``2026-12-01T12:00:00Z``)."""
        return cls(_moment(since, "--since", end=False), _moment(until, "--until", end=True))


def _moment(value: str | None, name: str, *, end: bool) -> datetime | None:
    if value is None:
        return None
    try:
        if len(value.strip()) == 10:
            day = date.fromisoformat(value.strip()) + timedelta(days=1 if end else 0)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ArchiveError(f"{name}: not a date (YYYY-MM-DD) or time "
                           f"(YYYY-MM-DDThh:mm:ssZ): {value!r}") from None
    moment = as_utc(moment)
    return moment + timedelta(microseconds=1) if end else moment


def warc_files(db: Database, warc_dir: Path, period: Period | None = None) -> list[Path]:
    """The WARC files the archive's capture index names (holding a capture of ``period``), in
    the order they were written. A missing file is an error: the export would lack it."""
    period = period or Period()
    if period.whole:
        with db.engine.connect() as conn:
            names = list(dict.fromkeys(conn.scalars(
                select(CAPTURES.c.warc_file).order_by(CAPTURES.c.id))))
    else:
        chosen = _selected(db, period)
        names = list(dict.fromkeys(chosen[key][0] for key in sorted(chosen)))
    missing = [name for name in names if not (Path(warc_dir) / name).is_file()]
    if missing:
        raise ArchiveError(f"{len(missing)} WARC files of the archive are missing from "
                           f"{warc_dir} (first: {missing[0]}); see `nordarchive verify`")
    return [Path(warc_dir) / name for name in names]


def _selected(db: Database, period: Period) -> dict[int, tuple[str, str]]:
    """Capture id -> (WARC file, record id) of the captures of ``period`` and of the responses
    their revisits point to (followed to the end of a chain)."""
    columns = (CAPTURES.c.id, CAPTURES.c.warc_file, CAPTURES.c.record_id,
               CAPTURES.c.refers_to_id)
    chosen: dict[int, tuple[str, str]] = {}
    pending: set[int] = set()

    def take(rows) -> None:
        for row in rows:
            chosen[row.id] = (row.warc_file, row.record_id)
            if row.refers_to_id is not None:
                pending.add(row.refers_to_id)

    with db.engine.connect() as conn:
        take(conn.execute(select(*columns).where(*period.condition())))
        while pending - set(chosen):
            wanted = sorted(pending - set(chosen))
            pending.clear()
            for first in range(0, len(wanted), 500):
                take(conn.execute(select(*columns).where(
                    CAPTURES.c.id.in_(wanted[first:first + 500]))))
    return chosen


def selected_record_ids(db: Database, period: Period | None) -> set[str] | None:
    """The WARC-Record-IDs of the captures an export of ``period`` holds (None: all)."""
    if period is None or period.whole:
        return None
    return {record_id for _, record_id in _selected(db, period).values()}


def _indexer_class():
    from cdxj_indexer.main import CDXJIndexer

    class SelectingIndexer(CDXJIndexer):
        """cdxj-indexer, writing only the lines of the selected records."""

        def __init__(self, *args, keep: set[str] | None = None, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.keep = keep
            self.lines = 0

        def process_index_entry(self, it, record, *args):
            if self.keep is None or record.rec_headers.get_header("WARC-Record-ID") in \
                    self.keep:
                self.lines += 1
                super().process_index_entry(it, record, *args)

    return SelectingIndexer


def write_cdxj(files: Iterable[Path], out: TextIO, keep: set[str] | None = None) -> int:
    """Write the sorted CDXJ index of ``files`` (only the records in ``keep``, if given) to
    ``out``: ``<SURT> <timestamp> {json}`` a line, one line per response or revisit record,
    the file named by its base name. Returns the number of lines."""
    indexer = _indexer_class()(out, [str(path) for path in files], sort=True,
                               records=INDEXED_RECORDS, keep=keep)
    indexer.process_all()
    return indexer.lines


def export_cdxj(db: Database, warc_dir: Path, out: TextIO, period: Period | None = None
                ) -> int:
    """The archive's capture index (of ``period``) as CDXJ: what ``export --format cdxj``
    writes. Put it beside the WARC files in a pywb collection's ``indexes/``."""
    return write_cdxj(warc_files(db, warc_dir, period), out, selected_record_ids(db, period))
