"""Search in the sources' text (``search --in sources``): the same query language and terms
as the articles' search (``archive.search.terms``), over the sources' own index
(``source_fts`` / ``source_search``, written by ``archive.sources.store.index_source``). Each hit
names the articles citing it; the article filters (language, tag, dates, kind) apply to
those."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.orm import Session

from archive.search import terms as search_terms
from archive.search.filters import Filters
from archive.search.index import check_query
from archive.storage.database import Database

#: Columns of a source hit (JSON keys, CSV header), in this order.
HIT_COLUMNS = ("source_id", "rank", "url", "kind", "title", "gone", "snippet", "cited_by")
_SHOWN = text(
    "SELECT s.id, s.url, s.kind, s.gone_at, s.language, c.title, c.text FROM sources s "
    "LEFT JOIN source_captures c ON c.id = s.current_capture_id WHERE s.id IN :ids"
).bindparams(bindparam("ids", expanding=True))
_CITING = text(
    "SELECT x.source_id, a.id, a.title, a.url FROM article_sources x JOIN articles a "
    "ON a.id = x.article_id WHERE x.source_id IN :ids ORDER BY x.source_id, a.id"
).bindparams(bindparam("ids", expanding=True))


def citing_articles(conn: Connection | Session, source_ids: list[int]
                    ) -> dict[int, list[dict[str, Any]]]:
    """The articles citing each source (``{"id", "title", "url"}``, oldest first), by source
    id; a source no article cites is absent."""
    citing: dict[int, list[dict[str, Any]]] = {}
    for source_id, article_id, title, url in conn.execute(_CITING, {"ids": source_ids}):
        citing.setdefault(source_id, []).append({"id": article_id, "title": title, "url": url})
    return citing


def search_sources(db: Database, query: str, filters: Filters | None = None,
                   limit: int = 20) -> list[dict[str, Any]]:
    """Sources whose text matches, best first, each with a snippet and its citing articles
    (``cited_by``: id, title, url)."""
    terms = check_query(query)
    condition, params = (filters or Filters()).sql()
    cited = ("EXISTS (SELECT 1 FROM article_sources x JOIN articles a ON a.id = x.article_id "
             f"WHERE x.source_id = {{id}} AND {condition})" if condition else "")
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            where = f"AND {cited.format(id='f.rowid')}" if cited else ""
            top = conn.execute(text(
                "SELECT f.rowid, -bm25(source_fts, 5.0, 1.0, 5.0, 1.0) AS rank FROM source_fts f "
                f"WHERE source_fts MATCH :q {where} ORDER BY rank DESC, f.rowid LIMIT :limit"),
                {**params, "q": search_terms.fts5_match(terms), "limit": limit}).all()
        else:
            where = f"AND {cited.format(id='s.source_id')}" if cited else ""
            top = conn.execute(text(
                "SELECT s.source_id, ts_rank(s.document, CAST(:q AS tsquery)) AS rank "
                "FROM source_search s WHERE s.document @@ CAST(:q AS tsquery) "
                f"{where} ORDER BY rank DESC, s.source_id LIMIT :limit"),
                {**params, "q": search_terms.tsqueries(terms, per_code=False)[0],
                 "limit": limit}).all()
        if not top:
            return []
        ids = [row[0] for row in top]
        shown = {row.id: row for row in conn.execute(_SHOWN, {"ids": ids})}
        citing = citing_articles(conn, ids)
    hits = []
    for source_id, rank in top:
        row = shown[source_id]
        snippet = search_terms.snippet(row.title or "", row.text or "", row.language, terms)
        hits.append({"source_id": source_id, "rank": round(float(rank), 4), "url": row.url,
                     "kind": row.kind, "title": row.title,
                     "gone": row.gone_at is not None,
                     "snippet": " ".join(snippet.split()),
                     "cited_by": citing.get(source_id, [])})
    return hits
