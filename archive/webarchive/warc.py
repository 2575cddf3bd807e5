"""Raw captures in WARC (ISO 28500) with warcio: gzip-compressed files per crawl run, rotated
at a size limit, one gzip member per record so that each record is addressable by offset.

A file belongs to one archive and one writer: its name carries the archive's UUID and the run,
it is created exclusively (never appended to), its warcinfo record names the archive, and every
record points at that warcinfo (``WARC-Warcinfo-ID``). ``verify`` checks all three.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

if TYPE_CHECKING:
    from archive.storage.database import Database

#: Default size at which a WARC file is closed and the next one begun.
MAX_WARC_BYTES = 100 * 1024 * 1024
#: gzip level of each record: warcio's own is 9, which costs twice the time of 6 on a 75 KB
#: page for 0.6 % less size.
GZIP_LEVEL = 6


def payload_digest(payload: bytes) -> str:
    """WARC's payload digest form: ``sha1:`` and the base32 SHA-1."""
    return "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode("ascii")


#: ``nordarchive-<archive uuid>-<run>-<n>.warc.gz``
FILE_NAME = re.compile(r"^nordarchive-(?P<archive>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
                       r"[0-9a-f]{4}-[0-9a-f]{12})-(?P<run>\d+)-(?P<n>\d+)\.warc\.gz$")
#: warcinfo field naming the archive a file belongs to.
ARCHIVE_FIELD = "nordarchive-archive"


def file_prefix(archive_id: str, run_id: int) -> str:
    """The name of a run's WARC files, without the sequence number."""
    return f"nordarchive-{archive_id}-{run_id}"


def data_dir() -> Path:
    """The user's data directory for nordarchive (``$XDG_DATA_HOME/nordarchive`` on Linux,
    ``~/.local/share/nordarchive`` by default)."""
    from platformdirs import user_data_path

    return user_data_path("nordarchive", appauthor=False)


def warc_dir_for(db: Database | str, override: str | None = None) -> Path:
    """The capture folder: ``override``, else beside an SQLite archive (``<name>-warc/``),
    else the archive's own folder in the user's data directory, named by its identity (never
    the working directory: two archives crawled from one directory must not share files)."""
    if override:
        return Path(override)
    url = make_url(db if isinstance(db, str) else db.url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database)
        return path.with_name(path.stem + "-warc")
    if isinstance(db, str):
        from archive.storage.database import Database

        with Database(db) as opened:
            return data_dir() / f"warc-{opened.archive_id}"
    return data_dir() / f"warc-{db.archive_id}"


@dataclass(frozen=True)
class WrittenRecord:
    warc_file: str
    offset: int
    length: int
    record_id: str
    payload_digest: str
    kind: str


class RotatingWarcWriter:
    """Writes response (or revisit) + request pairs into ``<prefix>-NNNNN.warc.gz`` files."""

    def __init__(self, folder: Path, prefix: str, max_bytes: int = MAX_WARC_BYTES,
                 archive_id: str | None = None) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.archive_id = archive_id
        self.warcinfo_id = ""
        self.sequence = -1
        self.handle = None
        self.writer: WARCWriter | None = None
        self.name = ""

    def _open_next(self) -> None:
        self.close()
        while True:  # created exclusively: a file another writer made is never appended to
            self.sequence += 1
            self.name = f"{self.prefix}-{self.sequence:05d}.warc.gz"
            try:
                self.handle = open(self.folder / self.name, "xb")  # noqa: SIM115 - kept open
                break
            except FileExistsError:
                continue
        self.buffer = BytesIO()
        self.writer = WARCWriter(self.buffer, gzip=False)
        fields = {"software": "nordarchive (warcio)", "format": "WARC File Format 1.1"}
        if self.archive_id:
            fields[ARCHIVE_FIELD] = self.archive_id
        info = self.writer.create_warcinfo_record(self.name, fields)
        self.warcinfo_id = info.rec_headers.get_header("WARC-Record-ID")
        self._append(info)

    def _append(self, record) -> None:
        """One record as its own gzip member, so that it can be read from its offset."""
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.write_record(record)
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        self.handle.write(compressor.compress(self.buffer.getvalue()) + compressor.flush())

    def _ensure(self) -> None:
        if self.writer is None or self.handle.tell() >= self.max_bytes:
            self._open_next()

    def write(self, url: str, status: int, reason: str, headers: list[tuple[str, str]],
              payload: bytes, request_headers: list[tuple[str, str]], fetched_at: datetime,
              revisit_of: tuple[str, datetime] | None = None, digest: str | None = None,
              source: str | None = None) -> WrittenRecord:
        """One exchange. ``revisit_of`` = (URI, date) of an identical earlier payload: a
        revisit record (headers, no payload) is written instead of the payload again.
        ``source``: where a copied record came from (a memento URI, a file and record), kept
        as ``WARC-Source-URI`` (WARC 1.1); ``fetched_at`` is then the original capture's."""
        self._ensure()
        digest = digest or payload_digest(payload)
        warc_date = fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        provenance = {"WARC-Source-URI": source} if source else {}
        http_headers = StatusAndHeaders(f"{status} {reason}".strip(), headers,
                                        protocol="HTTP/1.1")
        if revisit_of:
            record = self.writer.create_revisit_record(
                url, digest=digest, refers_to_uri=revisit_of[0],
                refers_to_date=revisit_of[1].strftime("%Y-%m-%dT%H:%M:%SZ"),
                http_headers=http_headers, warc_headers_dict={
                    "WARC-Date": warc_date, "WARC-Warcinfo-ID": self.warcinfo_id,
                    **provenance})
            kind = "revisit"
        else:
            record = self.writer.create_warc_record(
                url, "response", payload=BytesIO(payload), length=len(payload),
                http_headers=http_headers,
                warc_headers_dict={"WARC-Date": warc_date, "WARC-Payload-Digest": digest,
                                   "WARC-Warcinfo-ID": self.warcinfo_id, **provenance})
            kind = "response"
        offset = self.handle.tell()
        self._append(record)
        length = self.handle.tell() - offset
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        path = url.split("://", 1)[-1].split("/", 1)
        request = self.writer.create_warc_record(
            url, "request", payload=BytesIO(b""), length=0,
            http_headers=StatusAndHeaders(f"GET /{path[1] if len(path) > 1 else ''} HTTP/1.1",
                                          request_headers, is_http_request=True),
            warc_headers_dict={"WARC-Date": warc_date, "WARC-Concurrent-To": record_id,
                               "WARC-Warcinfo-ID": self.warcinfo_id})
        self._append(request)
        self.handle.flush()
        return WrittenRecord(self.name, offset, length, record_id, digest, kind)

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
            self.writer = None


@dataclass(frozen=True)
class ReadRecord:
    record_id: str
    url: str
    status: int
    content_type: str | None
    payload: bytes
    digest_ok: bool
    warcinfo_id: str | None = None


def read_record(path: Path, offset: int) -> ReadRecord:
    """The record at ``offset`` with its payload decoded (chunking, content-encoding); raises
    ``OSError`` or ``ValueError`` for a missing or corrupt file."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        iterator = ArchiveIterator(handle)
        record = next(iterator, None)
        if record is None:
            raise ValueError(f"no WARC record at offset {offset} of {path.name}")
        raw = record.raw_stream.read()
        expected = record.rec_headers.get_header("WARC-Payload-Digest")
        headers = record.http_headers
        status = int(headers.get_statuscode()) if headers else 0
        content_type = headers.get_header("Content-Type") if headers else None
        payload = _decode(raw, headers.get_header("Content-Encoding") if headers else None)
        return ReadRecord(record.rec_headers.get_header("WARC-Record-ID"),
                          record.rec_headers.get_header("WARC-Target-URI"), status,
                          content_type, payload if record.rec_type == "response" else b"",
                          record.rec_type != "response" or expected == payload_digest(raw),
                          record.rec_headers.get_header("WARC-Warcinfo-ID"))


def _decode(raw: bytes, encoding: str | None) -> bytes:
    """The payload as the page's bytes: the capture keeps it as transferred."""
    encoding = (encoding or "").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return gzip.decompress(raw)
    if encoding == "deflate":
        try:
            return zlib.decompress(raw)
        except zlib.error:
            return zlib.decompress(raw, -zlib.MAX_WBITS)
    if encoding == "br":
        import brotli  # installed with Scrapy's brotli support when the site sends br

        return brotli.decompress(raw)
    return raw


@dataclass
class FileCheck:
    """What reading a whole WARC file found."""

    records: int = 0
    problems: list[str] = field(default_factory=list)
    #: The archive its (first) warcinfo record names; None for files written before 0006.
    archive_id: str | None = None
    warcinfo_id: str | None = None


def inspect_file(path: Path) -> FileCheck:
    """Read every record of a WARC file, verifying payload digests and that every record was
    written by the file's one writer (the warcinfo it points to)."""
    found = FileCheck()
    try:
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle, check_digests=True):
                if record.rec_type == "warcinfo":
                    fields = record.content_stream().read().decode("utf-8", "replace")
                    archive = _warcinfo_field(fields, ARCHIVE_FIELD)
                    record_id = record.rec_headers.get_header("WARC-Record-ID")
                    if found.records == 0:
                        found.archive_id, found.warcinfo_id = archive, record_id
                    else:
                        found.problems.append(
                            f"{path.name}: a second warcinfo record {record_id} (archive "
                            f"{archive or 'unknown'}): another writer appended to this file")
                    found.records += 1
                    continue
                record.content_stream().read()
                found.records += 1
                record_id = record.rec_headers.get_header("WARC-Record-ID")
                checker = getattr(record, "digest_checker", None)
                if checker is not None and checker.passed is False:
                    found.problems.append(f"{path.name}: digest mismatch in {record_id}")
                owner = record.rec_headers.get_header("WARC-Warcinfo-ID")
                if found.archive_id and owner != found.warcinfo_id:
                    found.problems.append(f"{path.name}: record {record_id} was written by "
                                          f"another writer (warcinfo {owner or 'none'})")
    except Exception as error:  # noqa: BLE001 - a corrupt file is a finding, not a crash
        found.problems.append(f"{path.name}: unreadable after {found.records} records "
                              f"({error})")
    return found


def _warcinfo_field(fields: str, name: str) -> str | None:
    for line in fields.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == name:
            return value.strip()
    return None


def check_file(path: Path) -> tuple[int, list[str]]:
    """Read every record of a WARC file, verifying payload digests: (records, problems)."""
    found = inspect_file(path)
    return found.records, found.problems
