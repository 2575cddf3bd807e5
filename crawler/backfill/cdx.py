"""What web archives answer, parsed: CDX rows, page counts, Common Crawl's list of crawls,
timestamps and ``Retry-After``. Pure functions, so every answer a server can give is tested
without a server; an answer of the wrong form raises :class:`ArchiveSourceError` with one line
saying what came instead, never a parser's traceback.

The forms, from the servers' own documentation:

* Wayback CDX server (internetarchive/wayback, ``wayback-cdx-server/README.md``):
  ``output=json`` is one JSON array whose first row names the fields (by default ``urlkey
  timestamp original mimetype statuscode digest length``); with ``showResumeKey=true`` an empty
  row ``[]`` and then ``[resumeKey]`` follow the rows when more remain. Plain text is one
  space-separated line per capture, then a blank line and the key.
* pywb (webrecorder/pywb, ``docs/manual/cdxserver_api.rst``): ``output=json`` is NDJSON, one
  object per line with pywb's names (``url mime status digest length offset filename``);
  ``showNumPages=true`` answers ``{"blocks": .., "pages": .., "pageSize": ..}``.
* Common Crawl runs pywb (commoncrawl/cc-index-server): no captures is a 404 with
  ``{"message": "No Captures found for: ..."}``; ``collinfo.json`` lists the crawls, newest
  first, as ``{"id", "name", "timegate", "cdx-api"}`` and, in newer entries, ``from``/``to``.
* Replay (``id_``): the Wayback Machine sends a capture's headers as ``X-Archive-Orig-*`` but
  Content-Type, and a captured redirect's Location as the replay address of its target
  (EDGI ``wayback``'s ``parse_memento_headers``); pywb 2.10 (run on loopback to check)
  prefixes only some (its ``header_rewriter``), answers an empty 200 for no captures and for a
  collection it lacks (whose page is a 404), and marks mementos with ``Memento-Datetime``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO
from urllib.parse import urljoin

from warcio.archiveiterator import ArchiveIterator

from archive.webarchive.memento import TIMESTAMP_FORMAT, parse_http_date, parse_timestamp

#: The Wayback CDX server's fields when ``fl`` is not given (its README).
IA_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
#: The Wayback server's field names that pywb calls otherwise.
_PYWB_NAMES = {"original": "url", "mimetype": "mime", "statuscode": "status"}
#: ``Capture.archive`` of Common Crawl: its mementos are WARC records, not replay URLs.
COMMONCRAWL = "commoncrawl"
_CC_WEEK = re.compile(r"^CC-MAIN-(\d{4})-(\d{2})$")
_REPLAY_TAIL = re.compile(r"^(\d{4,14})(?:[a-z]{2}_)?/(.+)$")
_SHA1_BASE32 = re.compile(r"^[A-Z2-7]{32}$")
#: Headers that describe an encoding the body handed over no longer has.
_TRANSFER = frozenset({"content-encoding", "transfer-encoding", "content-length"})
#: Headers of a replay answer that are the archive's, not the capture's (when unprefixed).
_ARCHIVE_HEADERS = _TRANSFER | {"connection", "keep-alive", "link", "memento-datetime",
                                "content-location", "date"}


class ArchiveSourceError(Exception):
    """An archive answered something this tool cannot use. The message is one line, naming
    the URL asked and what came back, so that the command can print it as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


class RateLimited(ArchiveSourceError):
    """The archive kept answering 429: going on would get this address blocked."""


class CaptureUnavailable(ArchiveSourceError):
    """One capture cannot be had (too large, not in the archive after all, not what the index
    said); the archive itself answers, so a backfill can skip it and go on."""


class TooLarge(Exception):
    """An answer over its size limit (``size``: as much as was seen or declared)."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


@dataclass(frozen=True)
class Capture:
    """One line of an archive's index: a response it holds for ``url`` at ``timestamp``."""

    timestamp: str
    url: str
    status: int | None
    mime: str
    digest: str
    length: int | None
    offset: int | None
    filename: str | None
    archive: str
    urlkey: str = ""
    #: Where the archive replays (``…/web/``, ``…/COLL/``) or, for Common Crawl, its data host.
    replay: str = field(default="", compare=False, repr=False)

    @property
    def captured_at(self) -> datetime:
        return parse_timestamp(self.timestamp)

    @property
    def memento_uri(self) -> str:
        """The capture's address for people: the archive's replay page, or for Common Crawl
        the WARC record's place (file, offset, length), which never moves."""
        if self.archive == COMMONCRAWL:
            return (f"{self.replay}{self.filename}"
                    f"#offset={self.offset}&length={self.length}")
        return f"{self.replay}{self.timestamp}/{self.url}"


@dataclass
class Memento:
    """A capture's original response: its status, its headers as the site sent them, and
    its body. ``body`` is the payload with any content- or transfer-encoding undone, so the
    headers that describe those (Content-Encoding, Transfer-Encoding, Content-Length) are left
    out; ``warc_record`` (Common Crawl) is the record's bytes exactly as stored."""

    capture: Capture
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    location: str | None = None
    fetched_from: str = ""
    warc_record: bytes | None = None
    #: Whether the payload has the index's digest; None where that cannot be told.
    digest_matches: bool | None = None

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), None)

    @property
    def final_url(self) -> str:
        """Where the capture leads: a redirect's target, else the capture's own URL."""
        if 300 <= self.status < 400 and self.location:
            return self.location
        return self.capture.url


@dataclass(frozen=True)
class Crawl:
    """One Common Crawl crawl and its index; ``start``/``end`` None where unknown."""

    id: str
    cdx_api: str
    start: datetime | None
    end: datetime | None


def one_line(text: str, limit: int = 400) -> str:
    """``text`` on one line of at most ``limit`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def describe(body: bytes | str, content_type: str | None = None) -> str:
    """What an answer is, in a few words, for an error line."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    head = text.lstrip()[:200].lower()
    if not head:
        return "an empty answer"
    if "html" in (content_type or "").lower() or head.startswith(("<!doctype", "<html")):
        return "an HTML page"
    if sum(c == "\ufffd" or not (c.isprintable() or c.isspace()) for c in head) > len(head) // 10:
        return f"{len(body)} bytes that are not text"
    return f"{one_line(text.strip(), 60)!r}"


def timestamp14(value: str) -> str:
    """A CDX timestamp as 14 digits; a shorter one is the start of its period, as pywb and
    the Wayback server read it (``2019`` → ``20190101000000``)."""
    try:
        return parse_timestamp(str(value)).strftime(TIMESTAMP_FORMAT)
    except ValueError:
        raise ArchiveSourceError(f"not a CDX timestamp: {str(value)[:40]!r}") from None


def reason(error: BaseException) -> str:
    """A connection error in a few words (``connection refused``, ``timed out``)."""
    text = str(error)
    match = re.search(r"\[Errno -?\d+\] ([^)'\"]+)", text)
    if match:
        return match[1].strip().lower()
    return "timed out" if "timed out" in text.lower() else type(error).__name__


def size_text(n: int) -> str:
    return f"{n / 1048576:.1f} MiB" if n >= 1048576 else f"{n} bytes"


def read_capped(chunks: Iterable[bytes], limit: int) -> bytes:
    """The chunks joined; :class:`TooLarge` as soon as they pass ``limit`` bytes."""
    parts, total = [], 0
    for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise TooLarge(total)
        parts.append(chunk)
    return b"".join(parts)


def split_lines(chunks: Iterable[bytes], source: str = "the archive", max_line: int = 1 << 20
                ) -> Iterator[bytes]:
    """The lines of an answer as its chunks arrive; a line past ``max_line`` is no CDX."""
    buffer = b""
    for chunk in chunks:
        *lines, buffer = (buffer + chunk).split(b"\n")
        yield from lines
        if len(buffer) > max_line:
            raise ArchiveSourceError(f"{source} answered {describe(buffer)}: a line of over "
                                     f"{size_text(max_line)}, not a CDX listing")
    if buffer.strip():
        yield buffer


def day_bound(day: date, *, end: bool) -> str:
    """The first (or last) second of a day as a 14-digit timestamp: ``from``/``to`` are
    inclusive on every server, and a full timestamp leaves nothing to their padding rules."""
    return day.strftime("%Y%m%d") + ("235959" if end else "000000")


def prefix_query(prefix: str, since: date | None, until: date | None) -> dict[str, str]:
    """The CDX query parameters of every capture under ``prefix`` from ``since`` to
    ``until``, as JSON."""
    query = {"url": prefix, "matchType": "prefix", "output": "json"}
    if since:
        query["from"] = day_bound(since, end=False)
    if until:
        query["to"] = day_bound(until, end=True)
    return query


def _not_cdx(source: str, body: bytes | str, why: str = "", what: str = "a CDX listing"
             ) -> ArchiveSourceError:
    tail = f" ({why})" if why else ""
    return ArchiveSourceError(f"{source} answered {describe(body)}, not {what}{tail}")


def _load_json(body: bytes | str, source: str, what: str = "a CDX listing"):
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise _not_cdx(source, body, what=what) from None


def parse_ia_json(body: bytes | str, source: str = "the archive"
                  ) -> tuple[list[dict[str, str]], str | None]:
    """A Wayback CDX server's ``output=json`` answer: its rows by field name and its resume
    key (None when the listing is complete)."""
    data = _load_json(body, source)
    if not isinstance(data, list) or not all(isinstance(row, list) for row in data):
        raise _not_cdx(source, body, "expected a JSON array of rows")
    if not data:
        return [], None
    header, rows, resume = data[0], data[1:], None
    if not header or not all(isinstance(name, str) for name in header):
        raise _not_cdx(source, body, "its first row names no fields")
    if "timestamp" not in header:
        raise _not_cdx(source, body, "no timestamp field")
    if len(rows) >= 2 and rows[-2] == [] and len(rows[-1]) == 1:
        resume, rows = str(rows[-1][0]), rows[:-2]
    if rows and rows[-1] == []:
        rows = rows[:-1]
    parsed = []
    for row in rows:
        if len(row) != len(header) or not all(isinstance(v, str | int) for v in row):
            raise _not_cdx(source, body, f"a row of {len(row)} values under {len(header)} fields")
        parsed.append({name: str(value) for name, value in zip(header, row, strict=True)})
    return parsed, resume or None


def parse_ia_text(body: bytes | str, source: str = "the archive",
                  fields: Sequence[str] = IA_FIELDS) -> tuple[list[dict[str, str]], str | None]:
    """A Wayback CDX server's plain-text answer: space-separated ``fields`` per line; a blank
    line then the resume key."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if text.lstrip().startswith(("<", "{", "[")):
        raise _not_cdx(source, body)
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    resume = None
    if len(lines) >= 2 and not lines[-2].strip() and len(lines[-1].split()) == 1:
        resume, lines = lines[-1].strip(), lines[:-2]
    rows = []
    for line in lines:
        values = line.split()
        if not values:
            continue
        if len(values) != len(fields):
            raise _not_cdx(source, body, f"a line of {len(values)} values, not {len(fields)}")
        rows.append(dict(zip(fields, values, strict=True)))
    return rows, resume


def parse_ndjson_line(line: bytes | str, source: str = "the archive") -> dict[str, str] | None:
    """One line of pywb's ``output=json``; None for a blank line."""
    if not line.strip():
        return None
    row = _load_json(line, source)
    if not isinstance(row, dict) or "timestamp" not in row:
        raise _not_cdx(source, line, "expected one JSON object with a timestamp per line")
    return {str(key): "" if value is None else str(value) for key, value in row.items()}


def parse_ndjson(body: bytes | str, source: str = "the archive") -> list[dict[str, str]]:
    """pywb's whole ``output=json`` answer."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    rows = (parse_ndjson_line(line, source) for line in text.splitlines())
    return [row for row in rows if row is not None]


def parse_num_pages(body: bytes | str, source: str = "the archive") -> int:
    """A ``showNumPages=true`` answer: pywb's ``{"pages": n, ...}`` or the Wayback server's
    bare number."""
    data = _load_json(body, source, "a page count")
    if isinstance(data, dict):
        data = data.get("pages")
    if isinstance(data, bool) or not isinstance(data, int) or data < 0:
        raise ArchiveSourceError(f"{source} answered {describe(body)}, not a page count")
    return data


def is_no_captures(body: bytes | str) -> bool:
    """pywb's (and Common Crawl's) 404 for an empty result: ``{"message": "No Captures found
    for: ..."}`` (or ``error``), an empty listing rather than a failure."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    if not isinstance(data, dict):
        return False
    message = str(data.get("message") or data.get("error") or "")
    return "no captures" in message.lower()


def speaks(kind: str, status: int, body: bytes) -> bool:
    """Whether a probe's answer is of a CDX server of ``kind``: ``ia``, a JSON array with its
    header row (or ``[]``); ``pywb``, NDJSON (or nothing), or its 404 for no captures."""
    try:
        if status == 200 and kind == "ia":
            parse_ia_json(body)
            return body.lstrip()[:1] == b"["
        if status == 200 and kind == "pywb":
            parse_ndjson(body)
            return True
    except ArchiveSourceError:
        return False
    return kind == "pywb" and status == 404 and is_no_captures(body)


def _number(row: dict[str, str], name: str, source: str) -> int | None:
    value = row.get(name, "").strip()
    if value in ("", "-"):
        return None
    try:
        return int(value)
    except ValueError:
        raise ArchiveSourceError(f"{source} answered {name} {value[:30]!r}, not a number"
                                 ) from None


def capture_from_row(row: dict[str, str], *, archive: str, replay: str = "",
                     source: str = "the archive") -> Capture:
    """A row of either server's names as a :class:`Capture`."""
    row = {_PYWB_NAMES.get(name, name): value for name, value in row.items()}
    url = row.get("url", "").strip()
    if not url:
        raise ArchiveSourceError(f"{source} answered a CDX row without a URL")
    try:
        timestamp = timestamp14(row.get("timestamp", ""))
    except ArchiveSourceError as error:
        raise ArchiveSourceError(f"{source} answered {error}") from None
    return Capture(timestamp=timestamp, url=url, status=_number(row, "status", source),
                   mime=row.get("mime", ""), digest=row.get("digest", ""),
                   length=_number(row, "length", source),
                   offset=_number(row, "offset", source),
                   filename=row.get("filename") or None, archive=archive,
                   urlkey=row.get("urlkey", ""), replay=replay)


def _instant(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _weeks_of(crawl_id: str) -> tuple[datetime | None, datetime | None]:
    """A ``CC-MAIN-YYYY-WW`` crawl without ``from``/``to``: the ID's ISO week is about the
    crawl's last; allow three weeks before it (older entries of collinfo.json)."""
    match = _CC_WEEK.match(crawl_id)
    if not match:
        return None, None
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None, None
    start = datetime.combine(monday - timedelta(weeks=3), time(), UTC)
    return start, datetime.combine(monday + timedelta(days=7), time(), UTC)


def parse_collinfo(body: bytes | str, source: str = "the index", base: str = ""
                   ) -> list[Crawl]:
    """Common Crawl's ``collinfo.json`` as crawls in time order (oldest first)."""
    data = _load_json(body, source, "a list of crawls")
    if not isinstance(data, list) or not data:
        raise _not_cdx(source, body, what="a list of crawls")
    crawls = []
    for entry in data:
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("cdx-api"):
            raise ArchiveSourceError(f"{source} answered a crawl without id or cdx-api: "
                                     f"{describe(json.dumps(entry))}")
        start, end = _instant(entry.get("from")), _instant(entry.get("to"))
        if start is None or end is None:
            start, end = _weeks_of(str(entry["id"]))
        crawls.append(Crawl(str(entry["id"]), urljoin(base, str(entry["cdx-api"])), start, end))
    far = datetime.max.replace(tzinfo=UTC)
    return sorted(crawls, key=lambda crawl: (crawl.start or crawl.end or far, crawl.id))


def crawls_between(crawls: Iterable[Crawl], since: date | None, until: date | None
                   ) -> list[Crawl]:
    """The crawls that can hold captures from ``since`` to ``until`` (inclusive); a crawl of
    unknown dates is kept."""
    low = datetime.combine(since, time(), UTC) if since else None
    high = datetime.combine(until, time.max, UTC) if until else None
    return [crawl for crawl in crawls
            if not (low and crawl.end and crawl.end < low)
            and not (high and crawl.start and crawl.start > high)]


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """``Retry-After`` in seconds from ``now``: delta-seconds or an HTTP date (RFC 9110);
    None when absent or unreadable."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, (parse_http_date(value) - now).total_seconds())
    except ValueError:
        return None


def original_of_replay(location: str, replay: str) -> str:
    """The original URL inside a replay address (``<replay><ts>[mod_]/<url>``), as the
    Wayback Machine and pywb rewrite a captured redirect's ``Location``; other addresses
    come back unchanged."""
    if replay and location.startswith(replay):
        match = _REPLAY_TAIL.match(location[len(replay):])
        if match:
            return match[2]
    return location


def replay_timestamp(location: str, replay: str) -> str | None:
    """The timestamp of a replay address, or None when it is not one."""
    if replay and location.startswith(replay):
        match = _REPLAY_TAIL.match(location[len(replay):])
        if match:
            return match[1]
    return None


def original_headers(headers: list[tuple[str, str]], *, prefixed_only: bool
                     ) -> list[tuple[str, str]]:
    """A replayed capture's own headers. The Wayback Machine (``prefixed_only``) sends them
    all as ``X-Archive-Orig-*`` but Content-Type; pywb prefixes some (Server, Date, Cache-
    Control…) and keeps the rest as they were beside its own (Memento-Datetime, Link, its
    Date). The transfer's Content-Encoding and Length go: the body is handed over decoded."""
    prefix = "x-archive-orig-"
    original = [(k[len(prefix):], v) for k, v in headers if k.lower().startswith(prefix)
                and k[len(prefix):].lower() not in _TRANSFER]
    named = {k.lower() for k, _ in original}
    if prefixed_only:
        kept = [(k, v) for k, v in headers if k.lower() == "content-type"][:1]
    else:
        kept = [(k, v) for k, v in headers if k.lower() not in _ARCHIVE_HEADERS
                and not k.lower().startswith("x-archive-")]
    return original + [(k, v) for k, v in kept if k.lower() not in named]


def payload_digest(body: bytes) -> str:
    """The CDX form of a payload's digest: the base32 SHA-1."""
    return base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def digest_matches(capture: Capture, body: bytes, headers: list[tuple[str, str]], *,
                   prefixed_only: bool) -> bool | None:
    """Whether a replayed body is the payload the index hashed. None where that cannot be
    told: not a 200, no SHA-1 digest, an original content- or transfer-encoding (the index
    hashes the payload as stored), or pywb (its own encodings and the capture's look alike).
    False is a warning, not proof: the Wayback Machine does not say every original encoding."""
    if not prefixed_only or capture.status != 200 or not _SHA1_BASE32.match(capture.digest):
        return None
    encoded = {"x-archive-orig-content-encoding", "x-archive-orig-transfer-encoding"}
    if any(k.lower() in encoded for k, _ in headers):
        return None
    return payload_digest(body) == capture.digest


def memento_from_warc(capture: Capture, raw: bytes, *, max_bytes: int, source: str) -> Memento:
    """A Common Crawl record (one gzip member) as the capture's memento, checked against the
    index: a response (or revisit) record of the capture's URL and payload digest."""
    wrong = f"memento is not what the index said: {capture.memento_uri}"
    try:
        record = next(iter(ArchiveIterator(BytesIO(raw))))
        target = record.rec_headers.get_header("WARC-Target-URI")
        if record.rec_type not in ("response", "revisit"):
            raise CaptureUnavailable(f"{wrong} is a {record.rec_type} record")
        if target != capture.url:
            raise CaptureUnavailable(f"{wrong} holds {target!r}, not {capture.url!r}")
        digest = record.rec_headers.get_header("WARC-Payload-Digest") or ""
        if capture.digest and digest and digest.split(":")[-1] != capture.digest:
            raise CaptureUnavailable(f"{wrong} has payload digest {digest}")
        matches = True if capture.digest and digest else None
        http = record.http_headers
        status = int(http.get_statuscode()) if http and http.get_statuscode() else 0
        body = record.content_stream().read(max_bytes + 1)
    except CaptureUnavailable:
        raise
    except Exception as error:  # warcio's and zlib's many ways to say "not a record"
        raise CaptureUnavailable(f"{wrong} is no WARC record ({describe(raw[:60])}: "
                                 f"{type(error).__name__})") from None
    if len(body) > max_bytes:
        raise CaptureUnavailable(f"{source}: refused, the payload is over the limit of "
                                 f"{size_text(max_bytes)}")
    headers = [(k, v) for k, v in (http.headers if http else []) if k.lower() not in _TRANSFER]
    location = next((v for k, v in headers if k.lower() == "location"), None)
    return Memento(capture, status, headers, body,
                   location=urljoin(capture.url, location) if location else None,
                   fetched_from=source, warc_record=raw, digest_matches=matches)
