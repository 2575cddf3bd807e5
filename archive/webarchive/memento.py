"""Memento (RFC 7089) over the archive's captures: which captures are the mementos of a URL,
which one a TimeGate picks for a date, and the TimeMap in ``application/link-format``.

A URL's mementos are the captures of that URL and of every other URL the same article was
seen at (a moved article's old and new URLs share one history), in time order. Capture times
are the WARC records' ``WARC-Date`` (whole seconds, UTC), so a memento's 14-digit timestamp
names the same record in pywb, in a WACZ and here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from sqlalchemy import bindparam, select

from archive.storage.database import ArchiveError, Database
from archive.storage.models import Article, ArticleUrl, Capture, Revision
from archive.storage.times import as_utc
from archive.storage.urls import normalize_url

CAPTURES = Capture.__table__
#: ``YYYYMMDDhhmmss``, the form of a memento's address (as in pywb and the Wayback Machine).
TIMESTAMP_FORMAT = "%Y%m%d%H%M%S"


def timestamp(moment: datetime) -> str:
    """The 14-digit memento timestamp of a time (its WARC-Date, whole seconds)."""
    return as_utc(moment).strftime(TIMESTAMP_FORMAT)


def parse_timestamp(value: str) -> datetime:
    """A 14-digit timestamp as a UTC time; a shorter one (``2026``, ``20261204``) is the
    start of that period, as pywb reads it. Raises ``ValueError``."""
    if not value.isdigit() or not 4 <= len(value) <= 14:
        raise ValueError(f"not a timestamp: {value!r}")
    padded = value + "00000101000000"[len(value):]
    return datetime.strptime(padded, TIMESTAMP_FORMAT).replace(tzinfo=UTC)


def http_date(moment: datetime) -> str:
    """RFC 1123 date, as ``Memento-Datetime`` and a TimeMap's ``datetime`` carry it."""
    return format_datetime(as_utc(moment).replace(microsecond=0), usegmt=True)


def parse_http_date(value: str) -> datetime:
    """An ``Accept-Datetime`` value (RFC 1123) as a UTC time. Raises ``ValueError``."""
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"not an HTTP date: {value!r}") from None
    if moment is None:
        raise ValueError(f"not an HTTP date: {value!r}")
    return as_utc(moment)


@dataclass(frozen=True)
class Memento:
    """One capture of the URL (or of another URL of the same article)."""

    capture_id: int
    url: str
    datetime: datetime
    http_status: int
    kind: str

    @property
    def timestamp(self) -> str:
        return timestamp(self.datetime)


def urls_of_same_article(db: Database, url: str) -> list[str]:
    """The normal forms of ``url`` and of every URL the article it reached was seen at."""
    normal = normalize_url(url)
    with db.engine.connect() as conn:
        ids = set(conn.scalars(select(ArticleUrl.article_id).where(
            ArticleUrl.normalized_url == normal)))
        ids |= set(conn.scalars(select(Article.id).where(Article.canonical_url == normal)))
        found = {normal}
        if ids:
            found |= set(conn.scalars(select(ArticleUrl.normalized_url).where(
                ArticleUrl.article_id.in_(sorted(ids)))))
            found |= set(conn.scalars(select(Article.canonical_url).where(
                Article.id.in_(sorted(ids)))))
    return sorted(found)


def mementos(db: Database, url: str) -> list[Memento]:
    """Every capture of ``url`` and of the other URLs of its article, oldest first."""
    urls = urls_of_same_article(db, url)
    query = (select(CAPTURES.c.id, CAPTURES.c.url, CAPTURES.c.fetched_at,
                    CAPTURES.c.http_status, CAPTURES.c.kind)
             .where(CAPTURES.c.normalized_url.in_(bindparam("urls", expanding=True)))
             .order_by(CAPTURES.c.fetched_at, CAPTURES.c.id))
    with db.engine.connect() as conn:
        rows = conn.execute(query, {"urls": urls}).all()
    return [Memento(row.id, row.url, as_utc(row.fetched_at), row.http_status, row.kind)
            for row in rows]


def closest(found: Sequence[Memento], moment: datetime) -> Memento:
    """The memento nearest in time to ``moment``, before or after; of two equally near, the
    earlier. This is pywb's rule (``cdx_sort_closest``: distance in whole seconds, stable
    order), so both servers send a TimeGate request to the same capture."""
    if not found:
        raise ArchiveError("no mementos")
    target = int(as_utc(moment).timestamp())
    return min(found, key=lambda m: abs(int(m.datetime.timestamp()) - target))


def at_timestamp(found: Sequence[Memento], stamp: str) -> Memento | None:
    """The memento captured in exactly that second (the first of several), else None."""
    return next((m for m in found if m.timestamp == stamp), None)


@dataclass(frozen=True)
class Addresses:
    """How the server spells its Memento addresses for one original URL."""

    original: str
    timegate: str
    timemap: str
    memento: Callable[[Memento], str]


def link_header(addresses: Addresses, *, memento: Memento | None = None,
                first: Memento | None = None, last: Memento | None = None) -> str:
    """The ``Link`` header of a TimeGate or memento response (RFC 7089 section 2.2)."""
    parts = [f'<{addresses.original}>; rel="original"',
             f'<{addresses.timegate}>; rel="timegate"',
             f'<{addresses.timemap}>; rel="timemap"; type="application/link-format"']
    marks: dict[int, list[str]] = {}
    for rel, item in (("first", first), ("last", last), ("", memento)):
        if item is not None:
            marks.setdefault(item.capture_id, []).append(rel)
    shown = {m.capture_id: m for m in (first, last, memento) if m is not None}
    for capture_id, rels in marks.items():
        item = shown[capture_id]
        rel = " ".join([r for r in rels if r] + ["memento"])
        parts.append(f'<{addresses.memento(item)}>; rel="{rel}"; '
                     f'datetime="{http_date(item.datetime)}"')
    return ", ".join(parts)


def timemap(addresses: Addresses, found: Sequence[Memento]) -> str:
    """The TimeMap in ``application/link-format`` (RFC 7089 section 5): original, TimeGate,
    the TimeMap itself with its time span, then one ``memento`` entry per capture."""
    lines = [f'<{addresses.original}>; rel="original"',
             f'<{addresses.timegate}>; rel="timegate"']
    span = (f'; from="{http_date(found[0].datetime)}"; until="{http_date(found[-1].datetime)}"'
            if found else "")
    lines.append(f'<{addresses.timemap}>; rel="self"; type="application/link-format"{span}')
    for index, item in enumerate(found):
        rel = ("first " if index == 0 else "") + ("last " if index == len(found) - 1 else "")
        lines.append(f'<{addresses.memento(item)}>; rel="{rel}memento"; '
                     f'datetime="{http_date(item.datetime)}"')
    return ",\n".join(lines) + "\n"


def memento_path(item: Memento | tuple[str, str]) -> str:
    """The server path of a memento: ``/memento/<timestamp>/<url>``."""
    stamp, url = (item.timestamp, item.url) if isinstance(item, Memento) else item
    return f"/memento/{stamp}/{url}"


def revision_mementos(db: Database, article_id: int) -> dict[int, str]:
    """Each revision's memento path (revision number -> ``/memento/<ts>/<url>``): the capture
    the revision was read from, for "cite this version"."""
    query = (select(Revision.number, CAPTURES.c.url, CAPTURES.c.fetched_at)
             .join(CAPTURES, CAPTURES.c.id == Revision.capture_id)
             .where(Revision.article_id == article_id))
    with db.engine.connect() as conn:
        return {number: memento_path((timestamp(as_utc(fetched)), url))
                for number, url, fetched in conn.execute(query)}


def of_capture(db: Database, capture_id: int) -> Memento:
    """The memento a capture is (a revision's capture, for its raw page)."""
    with db.engine.connect() as conn:
        row = conn.execute(select(CAPTURES.c.id, CAPTURES.c.url, CAPTURES.c.fetched_at,
                                  CAPTURES.c.http_status, CAPTURES.c.kind)
                           .where(CAPTURES.c.id == capture_id)).first()
    if row is None:
        raise ArchiveError(f"capture {capture_id} is not in the archive")
    return Memento(row.id, row.url, as_utc(row.fetched_at), row.http_status, row.kind)


def article_of(db: Database, url: str) -> int | None:
    """The archived article ``url`` reached, if any."""
    normal = normalize_url(url)
    with db.engine.connect() as conn:
        found = conn.scalar(select(ArticleUrl.article_id).where(
            ArticleUrl.normalized_url == normal).limit(1))
        if found is None:
            found = conn.scalar(select(Article.id).where(Article.canonical_url == normal))
    return found
