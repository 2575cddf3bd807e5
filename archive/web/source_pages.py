"""The web window's view of the sources articles cite: each article page's list (with state
and links to the archived copies), one page per source (its captures and current text), the
share gone by the citing article's year (``/stats``) and source hits of the search page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text

from archive.search.filters import Filters
from archive.sources.read import source_object, source_state, sources_of
from archive.sources.search import citing_articles, search_sources
from archive.storage.database import ArchiveError, Database
from archive.storage.models import Source, SourceCapture
from archive.storage.times import iso_instant
from archive.web import charts

_CAPTURE_IDS = text(
    "SELECT s.url, s.id, c.capture_id FROM article_sources x JOIN sources s "
    "ON s.id = x.source_id LEFT JOIN source_captures c ON c.id = s.current_capture_id "
    "WHERE x.article_id = :id")
_GONE_BY_YEAR = text(
    "SELECT substr(CAST(COALESCE(a.published, a.first_seen) AS TEXT), 1, 4) AS y, count(*), "
    "sum(CASE WHEN s.gone_at IS NULL THEN 0 ELSE 1 END) FROM article_sources x "
    "JOIN articles a ON a.id = x.article_id JOIN sources s ON s.id = x.source_id "
    "GROUP BY y ORDER BY y")


def state_text(source: dict[str, Any]) -> str:
    """What a reader needs of a source's state, in a few words."""
    state = source_state(source)
    checked = (source["last_checked"] or "")[:10]
    if state == "gone":
        return f"gone since {source['gone_since']} ({source['reason']})"
    if state == "captured":
        return f"live, checked {checked}"
    if state == "failed":
        return f"failing since {checked} ({source['reason']})"
    if state == "refused":
        return f"not fetched: {source['reason']}"
    return "not yet fetched"


def of_article(db: Database, article_id: int) -> list[dict[str, Any]]:
    """The article's sources in citing order, each with ``id``, ``state`` (a word),
    ``state_text`` and the WARC ``capture_id`` of its current capture."""
    with db.engine.connect() as conn:
        objects = sources_of(conn, [article_id])[article_id]
        ids = {url: (source_id, capture_id)
               for url, source_id, capture_id in conn.execute(_CAPTURE_IDS, {"id": article_id})}
    return [{**o, "id": ids[o["url"]][0], "capture_id": ids[o["url"]][1],
             "state": source_state(o), "state_text": state_text(o)} for o in objects]


def source_page(db: Database, source_id: int) -> dict[str, Any]:
    """One source: its state, its captures (newest first), its current text and the articles
    citing it."""
    with db.session() as session:
        source = session.get(Source, source_id)
        if source is None:
            raise ArchiveError(f"no source {source_id} in the archive")
        captures = list(session.scalars(select(SourceCapture).where(
            SourceCapture.source_id == source_id).order_by(SourceCapture.id.desc())))
        citing = citing_articles(session, [source_id]).get(source_id, [])
    summary = source_object(db, source_id)
    current = next((c for c in captures if c.id == source.current_capture_id), None)
    return {
        "id": source.id, "url": source.url, "kind": source.kind, "host": source.host,
        "title": source.title, "language": source.language,
        "state_text": state_text(summary),
        "first_cited": iso_instant(source.first_cited), "citing": citing,
        "text": current.text if current else "",
        "current_capture_id": current.capture_id if current else None,
        "captures": [{"fetched": iso_instant(c.fetched_at), "status": c.http_status,
                      "url": c.url, "chars": c.chars, "title": c.title,
                      "capture_id": c.capture_id} for c in captures]}


def capture_of(db: Database, source_id: int, capture_id: int) -> int:
    """The WARC capture ``capture_id`` if it is one of this source's, else an error."""
    with db.engine.connect() as conn:
        found = conn.scalar(select(SourceCapture.capture_id).where(
            SourceCapture.source_id == source_id, SourceCapture.capture_id == capture_id))
    if found is None:
        raise ArchiveError(f"capture {capture_id} is not one of source {source_id}'s")
    return found


def gone_by_year(db: Database) -> list[dict[str, Any]]:
    """Citations per year of the citing article (published, else first seen), and how many
    of their sources are gone: the link rot a reader of that year's articles meets."""
    with db.engine.connect() as conn:
        return [{"year": year, "cited": cited, "gone": int(gone or 0),
                 "share_gone": round(int(gone or 0) / cited, 4)}
                for year, cited, gone in conn.execute(_GONE_BY_YEAR)]


def gone_chart(rows: list[dict[str, Any]], width: int = 640) -> dict[str, Any]:
    """The Vega-Lite specification of ``gone_by_year``."""
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "width": width,
            "height": 220, "title": "Share of cited sources gone, by the citing article's year",
            "data": {"values": rows}, "mark": {"type": "bar", "tooltip": True},
            "encoding": {"x": charts.time_x("year", "year"),
                         "y": {"field": "share_gone", "type": "quantitative",
                               "title": "share gone", "axis": {"format": "%"}}}}


def search_hits(db: Database, query: str, filters: Filters) -> list[dict[str, Any]]:
    return search_sources(db, query, filters, limit=20)
