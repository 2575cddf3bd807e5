"""Reading the sources behind the news: each article's sources in citing order, one source,
the whole list, and the counts ``stats`` shows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, func, or_, select
from sqlalchemy.orm import Session

from archive.sources.reasons import FETCH_ERRORS, is_failure
from archive.storage.database import Database
from archive.storage.models import ArticleSource, Source
from archive.storage.times import as_utc, iso_instant

SOURCES = Source.__table__
LINKS = ArticleSource.__table__


#: Keys of each source object in exports (``sources_of``), in this order.
EXPORT_KEYS = ("url", "kind", "status", "reason", "gone", "gone_since", "first_captured",
               "last_checked", "title", "chars")
#: Keys of ``list_sources`` objects (``nordarchive sources --format json``).
LIST_KEYS = ("id", "host", *EXPORT_KEYS, "cited_by")
_BATCH = 500
_OBJECT_COLUMNS = (SOURCES.c.id, SOURCES.c.url, SOURCES.c.host, SOURCES.c.kind,
                   SOURCES.c.status, SOURCES.c.reason, SOURCES.c.gone_at,
                   SOURCES.c.first_captured, SOURCES.c.last_checked, SOURCES.c.title,
                   SOURCES.c.chars)


def _object(row) -> dict[str, Any]:
    gone_at = as_utc(row.gone_at)
    return {"url": row.url, "kind": row.kind, "status": row.status, "reason": row.reason,
            "gone": gone_at is not None,
            "gone_since": gone_at.date().isoformat() if gone_at else None,
            "first_captured": iso_instant(as_utc(row.first_captured)),
            "last_checked": iso_instant(as_utc(row.last_checked)), "title": row.title,
            "chars": row.chars or 0}


def _connection(db_or_conn: Database | Connection | Session):
    if isinstance(db_or_conn, Database):
        return db_or_conn.engine.connect()
    return _Borrowed(db_or_conn)


class _Borrowed:
    """A caller's connection or session, used as is and left open."""

    def __init__(self, conn: Connection | Session) -> None:
        self.conn = conn

    def __enter__(self) -> Connection | Session:
        return self.conn

    def __exit__(self, *exc) -> None:
        return None


def sources_of(db_or_conn: Database | Connection | Session, article_ids: Iterable[int]
               ) -> dict[int, list[dict]]:
    """Export objects per article, in citing order: {url, kind, status, reason, gone (bool),
    gone_since (ISO date or None), first_captured, last_checked (ISO datetimes or None), title,
    chars}. Every asked id is a key (an article citing nothing: []). One query per 500 ids."""
    ids = list(dict.fromkeys(int(i) for i in article_ids))
    found: dict[int, list[dict]] = {article_id: [] for article_id in ids}
    with _connection(db_or_conn) as conn:
        for start in range(0, len(ids), _BATCH):
            rows = conn.execute(
                select(LINKS.c.article_id, *_OBJECT_COLUMNS)
                .join(SOURCES, SOURCES.c.id == LINKS.c.source_id)
                .where(LINKS.c.article_id.in_(ids[start:start + _BATCH]))
                .order_by(LINKS.c.article_id, LINKS.c.position, SOURCES.c.id))
            for row in rows:
                found[row.article_id].append(_object(row))
    return found


def source_object(db_or_conn: Database | Connection | Session, source_id: int
                  ) -> dict | None:
    """One source's export object (``sources_of``'s form), or None if there is no such
    source."""
    with _connection(db_or_conn) as conn:
        row = conn.execute(select(*_OBJECT_COLUMNS).where(SOURCES.c.id == source_id)).first()
    return _object(row) if row is not None else None


def list_sources(db: Database, *, gone: bool | None = None, host: str | None = None
                 ) -> list[dict]:
    """Every source (in the order first cited) as ``sources_of``'s objects plus id, host and
    cited_by (the citing article ids, ascending), for ``nordarchive sources``. ``gone``: only
    the gone (True) or the not gone (False) ones; ``host``: only those on that host (``www.``
    ignored on either side)."""
    query = select(*_OBJECT_COLUMNS).order_by(SOURCES.c.id)
    if gone is not None:
        query = query.where(SOURCES.c.gone_at.is_not(None) if gone
                            else SOURCES.c.gone_at.is_(None))
    if host:
        name = host.strip().lower().removeprefix("www.")
        query = query.where(SOURCES.c.host.in_([name, f"www.{name}"]))
    with db.engine.connect() as conn:
        rows = conn.execute(query).all()
        cited_by: dict[int, list[int]] = {row.id: [] for row in rows}
        ids = list(cited_by)
        for start in range(0, len(ids), _BATCH):
            for source_id, article_id in conn.execute(
                    select(LINKS.c.source_id, LINKS.c.article_id)
                    .where(LINKS.c.source_id.in_(ids[start:start + _BATCH]))
                    .order_by(LINKS.c.source_id, LINKS.c.article_id)):
                cited_by[source_id].append(article_id)
    return [{"id": row.id, "host": row.host, **_object(row), "cited_by": cited_by[row.id]}
            for row in rows]


def source_state(source: dict[str, Any]) -> str:
    """One word for a ``sources_of``/``list_sources`` object: ``gone``, ``failed``,
    ``refused``, ``captured`` (its latest check went well) or ``pending`` (not fetched yet)."""
    if source["gone"]:
        return "gone"
    if source["reason"]:
        return "failed" if is_failure(source["reason"]) else "refused"
    return "captured" if source["first_captured"] else "pending"


def _failed_condition():
    return or_(SOURCES.c.reason.like("http-%"), SOURCES.c.reason.in_(FETCH_ERRORS))


def source_counts(db: Database | Connection | Session) -> dict[str, int]:
    """{'cited', 'captured', 'refused', 'failed', 'gone'}: sources cited by any article, with
    at least one capture, refused at their latest look, failed at their latest check (and not
    gone), gone."""
    live = SOURCES.c.gone_at.is_(None)
    failed = _failed_condition()
    query = select(
        func.count(),
        func.count(SOURCES.c.current_capture_id),
        func.count(SOURCES.c.id).filter(live, SOURCES.c.reason.is_not(None), ~failed),
        func.count(SOURCES.c.id).filter(live, failed),
        func.count(SOURCES.c.gone_at))
    cited = select(func.count()).select_from(
        select(LINKS.c.source_id).distinct().subquery())
    with _connection(db) as conn:
        _, captured, refused, failed_n, gone_n = conn.execute(query).one()
        cited_n = conn.execute(cited).scalar_one()
    return {"cited": cited_n, "captured": captured, "refused": refused, "failed": failed_n,
            "gone": gone_n}
