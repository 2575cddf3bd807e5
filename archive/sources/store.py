"""The sources behind the news: the pages and documents an article's own text links to, one
hop out, and what became of them (captured, unchanged, failed, refused, gone).

The crawler tells the archive which URLs an article cites (``record_citations``), asks which
sources are due (``sources_due``) and reports each check (``record_source_fetch``) or refusal
(``record_source_refusal``). All the state logic lives here, so the crawler only fetches:

- a source is fetched once when first cited, then re-checked every ``recheck_days``
  (``NORDARCHIVE_SOURCE_RECHECK_DAYS``, default 30) plus a jitter of up to 20 % taken from a
  hash of its URL, so that the re-checks spread over the crawls instead of all falling due on
  one night;
- changed content gets a new capture (the earlier ones are kept); the same content, or a 304,
  moves ``last_checked`` only;
- 404/410, DNS failing on two checks in a row, or a redirect to a home page or an unrelated
  page make it ``gone`` (the date kept, the captures kept); a gone source is checked once more
  after ``recheck_days`` so that a return is noticed (``restored``), then never again;
- other failures (5xx, 403, timeouts ...) are retried after a day, then after twice the time
  since the previous failed check, up to ``recheck_days``: not every night;
- a refusal (robots.txt, too large, a private address ...) is recorded with its reason and
  looked at again after ``recheck_days`` (robots.txt may change); a URL whose scheme or address
  can never be fetched is not looked at again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, and_, bindparam, insert, or_, select, text, update

from archive.search import index as search
from archive.sources.reasons import FETCH_ERRORS, PERMANENT_REFUSALS
from archive.storage.database import ArchiveError, Database, retrying
from archive.storage.models import SOURCE_KINDS, ArticleSource, Capture, Source, SourceCapture
from archive.storage.times import as_utc, utcnow
from archive.storage.urls import host_of, normalize_url

__all__ = ["RECHECK_DAYS_DEFAULT", "SOURCE_KINDS", "DueSource", "SourceFetch",
           "record_citations", "record_source_fetch", "record_source_refusal",
           "recheck_days_from_env", "source_kind", "sources_due"]

SOURCES = Source.__table__
CAPTURES = SourceCapture.__table__
LINKS = ArticleSource.__table__
WARC_CAPTURES = Capture.__table__

RECHECK_DAYS_DEFAULT = 30
RECHECK_ENV = "NORDARCHIVE_SOURCE_RECHECK_DAYS"
#: Largest share of ``recheck_days`` added to a source's re-check (from a hash of its URL).
JITTER = 0.2
#: A failed check is retried after this long at first, then after twice the time since the
#: previous failed check (up to ``recheck_days``).
RETRY_DAYS = 1.0
_GONE_STATUSES = (404, 410)
_REDIRECTS = ("home", "unrelated")

_DOCUMENT_TYPES = (
    "application/msword", "application/vnd.openxmlformats-officedocument",
    "application/vnd.oasis.opendocument", "application/rtf", "text/rtf",
    "application/vnd.ms-excel", "application/vnd.ms-powerpoint", "application/epub+zip")
_DOCUMENT_EXTENSIONS = (".doc", ".docx", ".odt", ".ods", ".odp", ".rtf", ".xls", ".xlsx",
                        ".ppt", ".pptx", ".epub")


def source_kind(url: str, content_type: str | None = None) -> str:
    """'pdf' for application/pdf or a .pdf path; 'document' for DOCX/ODT/DOC/RTF/XLSX/PPTX...
    (content type or extension); else 'page'. A content type, when given, decides."""
    if content_type:
        media = content_type.split(";", 1)[0].strip().lower()
        if media == "application/pdf":
            return "pdf"
        if media.startswith(_DOCUMENT_TYPES):
            return "document"
        if media not in ("application/octet-stream", "binary/octet-stream", ""):
            return "page"
    path = urlsplit(url).path.lower()
    if path.endswith(".pdf"):
        return "pdf"
    if path.endswith(_DOCUMENT_EXTENSIONS):
        return "document"
    return "page"


def recheck_days_from_env(default: float = RECHECK_DAYS_DEFAULT) -> float:
    """``NORDARCHIVE_SOURCE_RECHECK_DAYS`` (a positive number of days), else ``default``."""
    value = os.environ.get(RECHECK_ENV, "").strip()
    if not value:
        return default
    try:
        days = float(value)
    except ValueError:
        raise ArchiveError(f"{RECHECK_ENV}: not a number of days: {value!r}") from None
    if not days > 0:
        raise ArchiveError(f"{RECHECK_ENV}: must be more than 0 days, not {value!r}")
    return days


def _jitter(normalized_url: str) -> float:
    """A share in [0, 1) fixed by the URL: the same source always falls due at the same
    point of its period."""
    digest = hashlib.sha256(normalized_url.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64


def recheck_after(normalized_url: str, recheck_days: float) -> timedelta:
    """How long after a check the source is checked again: ``recheck_days`` plus up to 20 %."""
    return timedelta(days=recheck_days * (1 + JITTER * _jitter(normalized_url)))


def _host(url: str) -> str:
    return host_of(url)[:SOURCES.c.host.type.length]


def _fits(value: str, column) -> bool:
    return len(value) <= column.type.length


def _cut(value: str | None, column) -> str | None:
    return value if value is None or _fits(value, column) else value[:column.type.length]


# --- citations ----------------------------------------------------------------------------

_SOURCE_IDS = select(SOURCES.c.normalized_url, SOURCES.c.id).where(
    SOURCES.c.normalized_url.in_(bindparam("urls", expanding=True)))
_LINKED = select(LINKS.c.source_id, LINKS.c.position).where(
    LINKS.c.article_id == bindparam("key_id"))


def record_citations(db: Database, article_id: int, urls: Sequence[str], *,
                     at: datetime | None = None) -> list[int]:
    """Links the article to each URL's source (creating sources not yet known, with
    next_check = at, i.e. due now); keeps existing links (never deletes article_sources rows:
    a source once cited stays cited by that article — revision history, placed after the ones
    it cites now); updates position.
    Returns the source ids in order (a URL cited twice counts once, at its first place; a URL
    too long to be stored is left out). URLs are normalised with
    archive.storage.urls.normalize_url."""
    at = as_utc(at) or utcnow()
    cited: dict[str, str] = {}  # normal form -> the URL as written, first place kept
    for url in urls:
        url = url.strip()
        normal = normalize_url(url) if url else ""
        if (normal and normal not in cited and _fits(url, SOURCES.c.url)
                and _fits(normal, SOURCES.c.normalized_url)):
            cited[normal] = url
    if not cited:
        return []

    def work(conn: Connection) -> list[int]:
        ids = dict(conn.execute(_SOURCE_IDS, {"urls": list(cited)}).all())
        for normal, url in cited.items():
            if normal not in ids:
                ids[normal] = conn.execute(insert(SOURCES).returning(SOURCES.c.id), {
                    "url": url, "normalized_url": normal, "host": _host(normal),
                    "kind": source_kind(url), "first_cited": at, "next_check": at,
                    "dns_failures": 0, "chars": 0}).scalar_one()
        order = [ids[normal] for normal in cited]
        linked = dict(conn.execute(_LINKED, {"key_id": article_id}).all())
        new = [{"article_id": article_id, "source_id": source_id, "position": position,
                "first_cited": at}
               for position, source_id in enumerate(order) if source_id not in linked]
        if new:
            conn.execute(insert(LINKS), new)
        # Sources the article no longer cites stay linked, after the ones it cites now.
        stale = sorted((s for s in linked if s not in set(order)), key=lambda s: linked[s])
        for position, source_id in enumerate([*order, *stale]):
            if source_id in linked and linked[source_id] != position:
                conn.execute(update(LINKS).where(LINKS.c.article_id == article_id,
                                                 LINKS.c.source_id == source_id)
                             .values(position=position))
        return order

    return retrying(db, work)


# --- what the crawler fetches -------------------------------------------------------------

@dataclass(frozen=True)
class DueSource:
    id: int
    url: str
    kind: str
    etag: str | None
    last_modified: str | None
    captured: bool        # has a capture already (a re-check: send conditional headers)


def sources_due(db: Database, *, now: datetime | None = None,
                recheck_days: float = RECHECK_DAYS_DEFAULT,
                limit: int | None = None) -> list[DueSource]:
    """Sources whose next_check <= now (never-fetched first, then the oldest checks). Gone
    sources have no next_check but for the one check that notices a return. A source checked
    longer ago than ``recheck_days`` (and its jitter) is due too, whatever its next_check says:
    a shorter period set since takes effect at once."""
    now = as_utc(now) or utcnow()
    soon = now - timedelta(days=recheck_days)
    columns = (SOURCES.c.id, SOURCES.c.url, SOURCES.c.normalized_url, SOURCES.c.kind,
               SOURCES.c.etag, SOURCES.c.last_modified, SOURCES.c.current_capture_id,
               SOURCES.c.last_checked, SOURCES.c.next_check)
    query = (select(*columns).where(SOURCES.c.next_check.is_not(None)).where(or_(
        SOURCES.c.next_check <= now,
        and_(SOURCES.c.last_checked.is_not(None), SOURCES.c.last_checked <= soon,
             SOURCES.c.reason.is_(None))))
        .order_by(SOURCES.c.last_checked.is_not(None), SOURCES.c.last_checked,
                  SOURCES.c.next_check, SOURCES.c.id))
    due = []
    with db.engine.connect() as conn:
        for row in conn.execute(query):
            if as_utc(row.next_check) > now and (
                    as_utc(row.last_checked) + recheck_after(row.normalized_url, recheck_days)
                    > now):
                continue
            due.append(DueSource(row.id, row.url, row.kind, row.etag, row.last_modified,
                                 row.current_capture_id is not None))
            if limit is not None and len(due) >= limit:
                break
    return due


def known_source_urls(db: Database) -> set[str]:
    """Normal forms of every source the archive holds, in any state: a crawl fetches a cited
    URL at once only when it is new (the others when ``sources_due`` says so)."""
    with db.engine.connect() as conn:
        return set(conn.scalars(select(SOURCES.c.normalized_url)))


@dataclass(frozen=True)
class SourceFetch:
    url: str                       # the source's URL as cited (the key)
    fetched_at: datetime
    status: int | None             # HTTP status; None when no HTTP answer (DNS, refused, timeout)
    final_url: str | None = None   # after redirects
    content_type: str | None = None
    title: str | None = None
    language: str | None = None
    text: str | None = None        # extracted text (None: nothing extracted)
    #: The WARC record (archive.webarchive.captures) of the raw response.
    capture_id: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None       # when status is None: 'dns', 'connection', 'timeout', ...
    message: str | None = None
    redirect: str | None = None    # 'home' or 'unrelated' when a redirect landed on a home
                                   # page or an unrelated page (decided by the crawler)
    run_id: int | None = None


_SOURCE_BY_URL = select(SOURCES).where(SOURCES.c.normalized_url == bindparam("normal"))
_CURRENT_HASH = select(CAPTURES.c.content_hash).where(CAPTURES.c.id == bindparam("key_id"))
_PAYLOAD_DIGEST = select(WARC_CAPTURES.c.payload_digest).where(
    WARC_CAPTURES.c.id == bindparam("key_id"))


def record_source_fetch(db: Database, fetch: SourceFetch, *,
                        recheck_days: float | None = None) -> str:
    """Records one check of a source (creating it if no article cited it yet); returns its
    new state, one of ``STATES``:

    'captured' (new content: a new SourceCapture, current_capture_id moves, search index
    updated, first_captured set on the first), 'unchanged' (same content as the current
    capture, or 304 Not Modified: no new capture), 'restored' (a gone source answers again:
    gone_at cleared, a capture if its content changed), 'gone' (404/410 at once; DNS failing
    on the second check in a row; a redirect to a home or unrelated page: gone_at set once,
    the captures kept, one more check after ``recheck_days``, then none), 'failed' (other
    errors, 4xx and 5xx: reason 'http-503', 'connection' ...; retried after a day, then less
    and less often). Always: last_checked, status, next_check updated; reason NULL on
    success. ``recheck_days``: default ``NORDARCHIVE_SOURCE_RECHECK_DAYS`` or 30."""
    days = recheck_days if recheck_days is not None else recheck_days_from_env()
    return retrying(db, lambda conn: _record_fetch(conn, fetch, days))


def _record_fetch(conn: Connection, fetch: SourceFetch, days: float) -> str:
    at = as_utc(fetch.fetched_at) or utcnow()
    source = _source_row(conn, fetch.url, at)
    normal = source.normalized_url
    was_gone = source.gone_at is not None
    values: dict[str, Any] = {"last_checked": at, "status": fetch.status}
    gone_reason = _gone_reason(fetch, source.dns_failures)
    values["dns_failures"] = source.dns_failures + 1 if fetch.error == "dns" else 0
    ok = fetch.status is not None and (200 <= fetch.status < 300 or fetch.status == 304)
    if gone_reason is None and ok and (fetch.status != 304 or source.current_capture_id):
        state = "restored" if was_gone else "unchanged"
        values.update(reason=None, message=None, gone_at=None, gone_reason=None,
                      next_check=at + recheck_after(normal, days))
        if fetch.status != 304 or fetch.etag or fetch.last_modified:
            values.update(etag=_cut(fetch.etag, SOURCES.c.etag),
                          last_modified=_cut(fetch.last_modified, SOURCES.c.last_modified))
        if fetch.status != 304:
            content_hash = _content_hash(conn, fetch)
            current = (conn.execute(_CURRENT_HASH, {"key_id": source.current_capture_id})
                       .scalar() if source.current_capture_id else None)
            if content_hash != current:
                values.update(_capture(conn, source, fetch, content_hash, at))
                state = "restored" if was_gone else "captured"
        _update(conn, source.id, values)
        return state
    reason = _failure_reason(fetch)
    values.update(reason=reason, message=_message(fetch))
    if gone_reason is not None or was_gone:
        if was_gone:  # the check after it went: still not back, never checked again
            values["next_check"] = None
        else:
            values.update(gone_at=at, gone_reason=gone_reason,
                          next_check=at + recheck_after(normal, days))
        _update(conn, source.id, values)
        return "gone"
    values["next_check"] = at + _retry_after(source, at, days)
    _update(conn, source.id, values)
    return "failed"


def _source_row(conn: Connection, url: str, at: datetime):
    """The source of ``url``, created when no article cited it yet."""
    normal = normalize_url(url)
    row = conn.execute(_SOURCE_BY_URL, {"normal": normal}).first()
    if row is None:
        conn.execute(insert(SOURCES), {
            "url": url[:SOURCES.c.url.type.length], "normalized_url": normal,
            "host": _host(normal), "kind": source_kind(url), "first_cited": at,
            "next_check": at, "dns_failures": 0, "chars": 0})
        row = conn.execute(_SOURCE_BY_URL, {"normal": normal}).first()
    return row


def _gone_reason(fetch: SourceFetch, dns_failures: int) -> str | None:
    if fetch.redirect in _REDIRECTS:
        return f"redirect-{fetch.redirect}"
    if fetch.status in _GONE_STATUSES:
        return f"http-{fetch.status}"
    if fetch.status is None and fetch.error == "dns" and dns_failures >= 1:
        return "dns"
    return None


def _failure_reason(fetch: SourceFetch) -> str:
    if fetch.redirect in _REDIRECTS:
        return f"redirect-{fetch.redirect}"
    if fetch.status is not None:
        return f"http-{fetch.status}"
    return (fetch.error or "error")[:SOURCES.c.reason.type.length]


def _message(fetch: SourceFetch) -> str | None:
    if fetch.message:
        return fetch.message
    if fetch.redirect in _REDIRECTS and fetch.final_url:
        return f"redirected to {fetch.final_url}"
    return None


def _retry_after(source, at: datetime, days: float) -> timedelta:
    """A day after a check that went well; after a failed one, twice the time since it."""
    longest = timedelta(days=days)
    if source.reason is None or source.last_checked is None:
        return min(timedelta(days=RETRY_DAYS), longest)
    since = at - as_utc(source.last_checked)
    return max(timedelta(days=RETRY_DAYS), min(2 * since, longest))


def _content_hash(conn: Connection, fetch: SourceFetch) -> str:
    """What decides whether a source changed: its extracted title and text, or, when nothing
    was extracted, the raw payload's digest."""
    if not (fetch.text or "").strip() and fetch.capture_id is not None:
        digest = conn.execute(_PAYLOAD_DIGEST, {"key_id": fetch.capture_id}).scalar()
        if digest:
            return hashlib.sha256(f"payload\n{digest}".encode()).hexdigest()
    body = f"{(fetch.title or '').strip()}\n\n{(fetch.text or '').strip()}"
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _capture(conn: Connection, source, fetch: SourceFetch, content_hash: str,
             at: datetime) -> dict[str, Any]:
    """A new capture of the source and its search entry; returns the source's new values."""
    text_ = fetch.text or ""
    title = fetch.title or None
    language = _cut(fetch.language, CAPTURES.c.language)
    content_type = _cut(fetch.content_type, CAPTURES.c.content_type)
    final_url = fetch.final_url or fetch.url
    if not _fits(final_url, CAPTURES.c.url):
        final_url = source.url
    capture_id = conn.execute(insert(CAPTURES).returning(CAPTURES.c.id), {
        "source_id": source.id, "fetched_at": at, "crawl_run_id": fetch.run_id,
        "url": final_url, "http_status": fetch.status, "content_type": content_type,
        "title": title, "language": language, "text": text_, "content_hash": content_hash,
        "chars": len(text_), "capture_id": fetch.capture_id}).scalar_one()
    index_source(conn, source.id, language, title or "", text_, new=source.current_capture_id
                 is None)
    values = {"current_capture_id": capture_id, "title": title, "language": language,
              "content_type": content_type, "chars": len(text_),
              "kind": source_kind(final_url, fetch.content_type)}
    if source.first_captured is None:
        values["first_captured"] = at
    return values


def _update(conn: Connection, source_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(SOURCES).where(SOURCES.c.id == source_id).values(**values))


_FTS_DELETE = text("DELETE FROM source_fts WHERE rowid = :id")
_FTS_INSERT = text("INSERT INTO source_fts(rowid, title, text, stem_title, stem_text) "
                   "VALUES (:id, :title, :text, :stem_title, :stem_text)")
_PG_UPSERT = text(
    "INSERT INTO source_search(source_id, document, head) VALUES (:id, "
    "CAST(:document AS tsvector), CAST(:head AS tsvector)) ON CONFLICT (source_id) DO "
    "UPDATE SET document = EXCLUDED.document, head = EXCLUDED.head")


def index_source(conn: Connection, source_id: int, language: str | None, title: str,
                 body: str, *, new: bool = False) -> None:
    """Replace the source's entry in its search index (``source_fts`` / ``source_search``),
    with the same terms as the articles' (``archive.search.index.index_row``)."""
    dialect = conn.dialect.name
    row = search.index_row(source_id, language, title, body, dialect)
    if dialect == "sqlite":
        if not new:
            conn.execute(_FTS_DELETE, {"id": source_id})
        conn.execute(_FTS_INSERT, row)
    else:
        conn.execute(_PG_UPSERT, row)


def record_source_refusal(db: Database, url: str, reason: str, message: str | None = None, *,
                          at: datetime | None = None, run_id: int | None = None,
                          recheck_days: float | None = None) -> None:
    """A source the crawler would not fetch: reason one of ``REFUSAL_REASONS`` ('robots',
    'too-large', 'private-address', 'scheme', 'content-type', 'too-many-redirects' ...);
    recorded, not retried every night (next_check = at + recheck_days and its jitter, as
    robots.txt may change; never again for 'scheme' and 'private-address'). Its status,
    last check and captures stay as they were."""
    at = as_utc(at) or utcnow()
    days = recheck_days if recheck_days is not None else recheck_days_from_env()
    if reason in FETCH_ERRORS or reason.startswith("http-"):
        raise ValueError(f"{reason!r} is the reason of a failed fetch, not of a refusal")

    def work(conn: Connection) -> None:
        source = _source_row(conn, url, at)
        _update(conn, source.id, {
            "reason": reason[:SOURCES.c.reason.type.length], "message": message,
            "next_check": None if reason in PERMANENT_REFUSALS
            else at + recheck_after(source.normalized_url, days)})

    retrying(db, work)


