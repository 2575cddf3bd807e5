"""Reading WARC, WARC.gz and WACZ files written by any tool, safely.

Every file is read twice: first to check it whole and list its records (a corrupt or truncated
file, random bytes, a zip bomb are refused before anything is written), then record by record
in the order of their capture time. Revisit records take the payload of the record they
revisit. A record larger than ``max_bytes`` is refused without being read into memory.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.storage.times import as_utc
from crawler.backfill.observe import Observation

#: Largest record payload taken in (a page or a document; larger ones are refused).
MAX_RECORD_BYTES = 50 * 1024 * 1024
#: A WACZ member may be at most this many times larger unpacked than packed (a zip bomb is
#: thousands of times), and at most this large.
MAX_ZIP_RATIO = 200
MAX_MEMBER_BYTES = 20 * 1024 ** 3


class WarcFileError(ValueError):
    """A file that is no readable WARC or WACZ; the message is one line naming it."""


@dataclass(frozen=True)
class Entry:
    """One response or revisit record found in the first pass."""

    file: int  # index into the files read
    member: str  # the WARC inside a WACZ ("" for a WARC file)
    offset: int
    url: str
    date: datetime
    record_id: str
    kind: str  # response | revisit
    status: int | None
    digest: str | None
    refers_to: str | None  # the record id a revisit names
    refers_uri: str | None
    refers_date: str | None
    length: int


@dataclass
class Listing:
    paths: list[Path]
    entries: list[Entry]
    by_id: dict[str, Entry]
    by_uri_date: dict[tuple[str, str], Entry]
    by_digest: dict[str, Entry]


def list_files(paths: list[Path]) -> Listing:
    """First pass: every response and revisit record of every file, or ``WarcFileError``."""
    entries: list[Entry] = []
    for index, path in enumerate(paths):
        for member, stream in _warc_streams(path):
            try:
                iterator = ArchiveIterator(stream, check_digests=False)
                for record in iterator:
                    if record.rec_type in ("response", "revisit") and _is_http(record):
                        entries.append(_entry(index, member, iterator, record))
                    else:
                        record.raw_stream.read()  # skipped, but read: the file is checked
            except (ArchiveLoadFailed, EOFError, OSError, ValueError, zipfile.BadZipFile,
                    LookupError) as error:
                raise WarcFileError(f"{_name(path, member)}: not a readable WARC file "
                                    f"({_reason(error)})") from None
    by_id = {e.record_id: e for e in entries if e.record_id}
    by_uri_date = {(e.url, e.date.strftime("%Y-%m-%dT%H:%M:%SZ")): e for e in entries
                   if e.kind == "response"}
    by_digest = {}
    for e in entries:
        if e.kind == "response" and e.digest:
            by_digest.setdefault(e.digest, e)
    return Listing(list(paths), entries, by_id, by_uri_date, by_digest)


def observations(listing: Listing, *, origin: str = "import",
                 max_bytes: int = MAX_RECORD_BYTES) -> Iterator[Observation | Entry]:
    """Second pass: an observation per record, in capture-time order; a record that cannot
    be taken (too large, a revisit of nothing here) comes back as its ``Entry``."""
    for entry in sorted(listing.entries, key=lambda e: (e.date, e.url, e.file, e.offset)):
        original = entry if entry.kind == "response" else _revisited(listing, entry)
        if original is None or original.length > max_bytes:
            yield entry
            continue
        status, headers, body = _payload(listing.paths[original.file], original, max_bytes)
        if entry is not original:  # a revisit: its own status and headers, the payload's body
            status, headers = entry.status or status, headers
        yield Observation(url=entry.url, status=status, captured_at=entry.date,
                          headers=headers, body=body, origin=origin,
                          source=f"{_name(listing.paths[entry.file], entry.member)}"
                                 f"#{entry.record_id}")


def source_of(listing: Listing, entry: Entry) -> str:
    return f"{_name(listing.paths[entry.file], entry.member)}#{entry.record_id}"


# --- helpers -----------------------------------------------------------------------------------

def _name(path: Path, member: str) -> str:
    return f"{path.name}/{member}" if member else path.name


def _reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]


def _is_http(record) -> bool:
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    return uri.strip("<>").startswith(("http://", "https://")) and record.http_headers is not None


def _entry(index: int, member: str, iterator, record) -> Entry:
    headers = record.rec_headers
    url = (headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    date = as_utc(headers.get_header("WARC-Date").replace("Z", "+00:00"))
    status = record.http_headers.get_statuscode() if record.http_headers else None
    length = int(headers.get_header("Content-Length") or 0)
    entry = Entry(
        file=index, member=member, offset=iterator.get_record_offset(), url=url, date=date,
        record_id=headers.get_header("WARC-Record-ID") or "", kind=record.rec_type,
        status=int(status) if status and status.isdigit() else None,
        digest=headers.get_header("WARC-Payload-Digest"),
        refers_to=headers.get_header("WARC-Refers-To"),
        refers_uri=(headers.get_header("WARC-Refers-To-Target-URI") or "").strip("<>") or None,
        refers_date=headers.get_header("WARC-Refers-To-Date"), length=length)
    _read_whole(record, length, entry.url)
    return entry


def _read_whole(record, length: int, url: str) -> None:
    """Read a record's block through, in pieces (never held whole: it may claim gigabytes),
    and refuse a file that ends inside it."""
    while record.raw_stream.read(1 << 20):
        pass
    left = getattr(record.raw_stream, "limit", 0)  # what the record declared, unread
    if left > 0:
        raise EOFError(f"it ends inside the record of {url} ({left} bytes missing)")


def _revisited(listing: Listing, revisit: Entry) -> Entry | None:
    if revisit.refers_to and revisit.refers_to in listing.by_id:
        return listing.by_id[revisit.refers_to]
    if revisit.refers_uri and revisit.refers_date:
        found = listing.by_uri_date.get((revisit.refers_uri, revisit.refers_date))
        if found is not None:
            return found
    return listing.by_digest.get(revisit.digest) if revisit.digest else None


def _payload(path: Path, entry: Entry, max_bytes: int
             ) -> tuple[int, tuple[tuple[str, str], ...], bytes]:
    """The record's status, headers and decoded body: read at its offset, or found by its id
    where the file cannot be read from an offset (one gzip stream for the whole file)."""
    for start in (entry.offset, 0):
        with _open_member(path, entry.member) as stream:
            stream.seek(start)
            for record in ArchiveIterator(stream, check_digests=False):
                if record.rec_headers.get_header("WARC-Record-ID") != entry.record_id:
                    if start:
                        break  # not at this offset: search the file from its start
                    record.raw_stream.read()
                    continue
                status = record.http_headers.get_statuscode()
                headers = tuple(record.http_headers.headers)
                body = record.content_stream().read(max_bytes + 1)
                return int(status), headers, body[:max_bytes]
    raise WarcFileError(f"{_name(path, entry.member)}: record {entry.record_id} vanished")


def _warc_streams(path: Path) -> Iterator[tuple[str, io.BufferedIOBase]]:
    """The WARC streams of a file: the file itself, or each WARC inside a WACZ."""
    if not path.is_file():
        raise WarcFileError(f"{path}: no such file")
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as package:
                members = [info for info in package.infolist()
                           if info.filename.endswith((".warc", ".warc.gz"))]
                if not members:
                    raise WarcFileError(f"{path.name}: a zip file with no WARC file in it "
                                        "(not a WACZ)")
                for info in members:
                    _check_member(path, info)
                    with package.open(info) as stream:
                        yield info.filename, stream
        except zipfile.BadZipFile as error:
            raise WarcFileError(f"{path.name}: a broken zip file ({_reason(error)})") from None
        return
    with open(path, "rb") as stream:
        head = stream.read(4)
        stream.seek(0)
        if head[:2] != b"\x1f\x8b" and head != b"WARC":
            raise WarcFileError(f"{path.name}: not a WARC file (it starts with {head!r})")
        yield "", stream


def _check_member(path: Path, info: zipfile.ZipInfo) -> None:
    packed = max(info.compress_size, 1)
    if info.file_size > MAX_MEMBER_BYTES or info.file_size / packed > MAX_ZIP_RATIO:
        raise WarcFileError(f"{path.name}: {info.filename} would unpack to {info.file_size} "
                            f"bytes from {info.compress_size} (refused: a zip bomb?)")


@contextmanager
def _open_member(path: Path, member: str):
    if not member:
        with open(path, "rb") as stream:
            yield stream
        return
    with zipfile.ZipFile(path) as package, package.open(member) as stream:
        yield stream
