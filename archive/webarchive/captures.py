"""The archive's index of its WARC captures: which record holds which response, dedup by
payload digest, reading a revision's raw HTML back, and verifying files against the index."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import bindparam, insert, select

from archive.storage.database import ArchiveError, Database
from archive.storage.models import Capture, Revision
from archive.storage.times import as_utc
from archive.storage.urls import normalize_url
from archive.webarchive.warc import FILE_NAME, FileCheck, WrittenRecord, inspect_file, read_record

CAPTURES = Capture.__table__
_EARLIER_COLUMNS = (CAPTURES.c.id, CAPTURES.c.url, CAPTURES.c.fetched_at,
                    CAPTURES.c.payload_digest)
_BY_DIGEST = (select(*_EARLIER_COLUMNS)
              .where(CAPTURES.c.payload_digest == bindparam("digest"),
                     CAPTURES.c.kind == "response").order_by(CAPTURES.c.id).limit(1))
_LATEST_FOR_URL = (select(*_EARLIER_COLUMNS)
                   .where(CAPTURES.c.normalized_url == bindparam("url"),
                          CAPTURES.c.http_status == 200)
                   .order_by(CAPTURES.c.id.desc()).limit(1))
_INSERT = insert(CAPTURES).returning(CAPTURES.c.id)


@dataclass(frozen=True)
class EarlierCapture:
    id: int
    url: str
    fetched_at: datetime
    payload_digest: str


def _earlier(row) -> EarlierCapture | None:
    if row is None:
        return None
    return EarlierCapture(row.id, row.url, as_utc(row.fetched_at), row.payload_digest)


def find_payload(db: Database, digest: str) -> EarlierCapture | None:
    """The first full response with this payload digest (a revisit refers to it)."""
    with db.engine.connect() as conn:
        return _earlier(conn.execute(_BY_DIGEST, {"digest": digest}).first())


def latest_for_url(db: Database, url: str) -> EarlierCapture | None:
    """The newest 200 capture of this URL (a 304 is a revisit of it)."""
    with db.engine.connect() as conn:
        return _earlier(conn.execute(_LATEST_FOR_URL, {"url": normalize_url(url)}).first())


def add_capture(db: Database, written: WrittenRecord, url: str, status: int,
                fetched_at: datetime, run_id: int | None,
                refers_to: EarlierCapture | None = None, *, origin: str = "site",
                source: str | None = None) -> int:
    """Index one written record; ``origin`` and ``source`` say who captured it first and
    where it was copied from (a backfill's memento, an imported file's record)."""
    with db.engine.begin() as conn:
        return conn.execute(_INSERT, {
            "crawl_run_id": run_id, "url": url, "normalized_url": normalize_url(url),
            "fetched_at": fetched_at, "http_status": status, "warc_file": written.warc_file,
            "offset": written.offset, "length": written.length,
            "record_id": written.record_id, "payload_digest": written.payload_digest,
            "kind": written.kind, "refers_to_id": refers_to.id if refers_to else None,
            "origin": origin, "source": source,
        }).scalar_one()


def has_source(db: Database, source: str) -> bool:
    """Whether a record copied from ``source`` is in the archive already (a second backfill
    or import of the same record adds nothing)."""
    with db.engine.connect() as conn:
        return conn.scalar(select(CAPTURES.c.id).where(CAPTURES.c.source == source)
                           .limit(1)) is not None


@dataclass(frozen=True)
class RawPage:
    url: str
    content_type: str | None
    body: bytes


@dataclass(frozen=True)
class CaptureLocation:
    """Where a capture's record sits: enough to read it without the database (in another
    process)."""

    capture_id: int
    url: str
    path: Path
    offset: int
    record_id: str
    warc_file: str


def locate_capture(db: Database, capture_id: int, warc_dir: Path) -> CaptureLocation:
    """Where the captured payload is; a revisit is followed to the response it refers to."""
    with db.engine.connect() as conn:
        row = conn.execute(select(CAPTURES).where(CAPTURES.c.id == capture_id)).first()
        if row is not None and row.kind == "revisit" and row.refers_to_id:
            row = conn.execute(select(CAPTURES).where(
                CAPTURES.c.id == row.refers_to_id)).first()
    if row is None:
        raise ArchiveError(f"capture {capture_id} is not in the archive")
    return CaptureLocation(capture_id, row.url, Path(warc_dir) / row.warc_file, row.offset,
                           row.record_id, row.warc_file)


def read_located(where: CaptureLocation) -> RawPage:
    """The payload of a located capture (no database)."""
    try:
        record = read_record(where.path, where.offset)
    except (OSError, ValueError) as error:
        raise ArchiveError(f"capture {where.capture_id} ({where.warc_file} at {where.offset}) "
                           f"cannot be read: {error}") from None
    if record.record_id != where.record_id:
        raise ArchiveError(f"capture {where.capture_id}: {where.warc_file} holds another record"
                           f" at offset {where.offset}")
    return RawPage(where.url, record.content_type, record.payload)


def read_capture(db: Database, capture_id: int, warc_dir: Path) -> RawPage:
    """The captured payload; a revisit is followed to the response it refers to."""
    return read_located(locate_capture(db, capture_id, warc_dir))


@dataclass
class VerifyReport:
    revisions_checked: int = 0
    captures_checked: int = 0
    files_checked: int = 0
    records_read: int = 0
    #: Files in the folder that another archive wrote (a shared ``--warc-dir``): not read.
    other_archives_files: int = 0
    problems: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(db: Database, warc_dir: Path) -> VerifyReport:
    """Every capture the index names is the record at its offset, with its payload digest,
    written into this archive's file by this archive's writer; every WARC file of this archive
    reads clean; files the index does not know and index rows whose file is gone are
    reported."""
    warc_dir = Path(warc_dir)
    report = VerifyReport()
    archive_id = db.archive_id
    revisions = Revision.__table__
    with db.engine.connect() as conn:
        labels = {capture_id: f"article {article_id} revision {number}"
                  for capture_id, article_id, number in conn.execute(
                      select(revisions.c.capture_id, revisions.c.article_id,
                             revisions.c.number).where(revisions.c.capture_id.is_not(None)))}
        rows = conn.execute(select(CAPTURES).order_by(CAPTURES.c.id)).all()
    indexed = {row.warc_file for row in rows}
    on_disk = {p.name for p in warc_dir.glob("*.warc.gz")} if warc_dir.exists() else set()
    files: dict[str, FileCheck] = {}
    for name in sorted(on_disk):
        named = FILE_NAME.match(name)
        if named and named["archive"] != archive_id and name not in indexed:
            report.other_archives_files += 1
            continue
        if name not in indexed:
            report.orphans.append(f"WARC file not in the index: {name}")
        found = files[name] = inspect_file(warc_dir / name)
        report.files_checked += 1
        report.records_read += found.records
        report.problems.extend(found.problems)
        if found.archive_id and found.archive_id != archive_id:
            report.problems.append(f"{name}: written for archive {found.archive_id}, not for "
                                   f"this one ({archive_id})")
    missing: dict[str, int] = {}
    for row in rows:
        if row.warc_file not in on_disk:
            missing[row.warc_file] = missing.get(row.warc_file, 0) + 1
            continue
        where = labels.get(row.id, f"capture {row.id} ({row.url})")
        try:
            record = read_record(warc_dir / row.warc_file, row.offset)
        except Exception as error:  # noqa: BLE001 - corrupt data is reported, never fatal
            report.problems.append(f"{where}: no readable record in {row.warc_file} at offset "
                                   f"{row.offset}: {error}")
            continue
        report.captures_checked += 1
        report.revisions_checked += row.id in labels
        found = files[row.warc_file]
        if record.record_id != row.record_id:
            report.problems.append(f"{where}: offset {row.offset} of {row.warc_file} holds "
                                   f"record {record.record_id}, not {row.record_id}")
        elif not record.digest_ok:
            report.problems.append(f"{where}: payload digest mismatch in {row.warc_file} at "
                                   f"offset {row.offset}")
        elif found.warcinfo_id and record.warcinfo_id != found.warcinfo_id:
            report.problems.append(f"{where}: {row.warc_file} at offset {row.offset} holds a "
                                   f"record of another writer (warcinfo "
                                   f"{record.warcinfo_id or 'none'})")
    for name, count in sorted(missing.items()):
        report.problems.append(f"WARC file missing: {name} ({count} captures)")
    return report
