"""Full-text search: SQLite FTS5 (unicode61, diacritics kept: å ≠ a) or PostgreSQL text search
with each article's language configuration. The index holds each article's current revision."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

#: PostgreSQL text search configuration per language; Icelandic has none and uses "simple".
PG_CONFIGS = {"sv": "swedish", "fi": "finnish", "no": "norwegian", "nb": "norwegian",
              "nn": "norwegian", "da": "danish", "en": "english"}
#: Longest query accepted; longer input is refused with a message, not truncated silently.
MAX_QUERY_CHARS = 1000
_WORD = re.compile(r"[\w'’-]+\*?", re.UNICODE)
_SNIPPET = text("SELECT snippet(article_fts, -1, '[', ']', '…', 16) FROM article_fts "
               "WHERE article_fts MATCH :q AND rowid = :id")
_FTS_DELETE = text("DELETE FROM article_fts WHERE rowid = :id")
_FTS_INSERT = text("INSERT INTO article_fts(rowid, title, text) VALUES (:id, :t, :b)")
_PG_UPSERT = text(
    "INSERT INTO article_search(article_id, config, document) VALUES (:id, "
    "CAST(:cfg AS regconfig), setweight(to_tsvector(CAST(:cfg AS regconfig), :t), 'A')"
    " || to_tsvector(CAST(:cfg AS regconfig), :b)) ON CONFLICT (article_id) DO "
    "UPDATE SET config = EXCLUDED.config, document = EXCLUDED.document")


class QueryError(ValueError):
    """A search query that cannot be run (empty, too long)."""


@dataclass(frozen=True)
class Hit:
    article_id: int
    rank: float
    snippet: str


def pg_config(language: str) -> str:
    return PG_CONFIGS.get(language, "simple")


def index_article(session: Session | Connection, article_id: int, language: str, title: str,
                  body: str, *, new: bool = False) -> None:
    """Replace the article's entry in the index (one call per new revision)."""
    dialect = (session.dialect if isinstance(session, Connection)
               else session.get_bind().dialect).name
    if dialect == "sqlite":
        if not new:
            session.execute(_FTS_DELETE, {"id": article_id})
        session.execute(_FTS_INSERT, {"id": article_id, "t": title, "b": body})
    else:
        session.execute(_PG_UPSERT, {"id": article_id, "cfg": pg_config(language), "t": title,
                                     "b": body})


def fts5_query(query: str) -> str:
    """User words as quoted FTS5 terms joined by AND: no FTS syntax can reach the engine.
    A trailing ``*`` keeps prefix search."""
    terms = []
    for word in _WORD.findall(query):
        prefix = word.endswith("*")
        word = word.rstrip("*").replace('"', '""')
        if word:
            terms.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(terms)


def check_query(query: str) -> str:
    query = query.strip()
    if not query:
        raise QueryError("empty search query")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"search query too long ({len(query)} characters; at most "
                         f"{MAX_QUERY_CHARS})")
    if not _WORD.search(query):
        raise QueryError(f"no words to search for in {query!r}")
    return query


def search_ids(session: Session, query: str, condition: str, params: dict,
               limit: int) -> list[Hit]:
    """Ranked hits among the articles ``a`` that meet ``condition`` (SQL with bound
    parameters only)."""
    query = check_query(query)
    if session.get_bind().dialect.name == "sqlite":
        # Rank first, then snippets for the top hits only: computed in the ranking query,
        # snippet() would run for every match before the sort.
        match = fts5_query(query)
        join = f"JOIN articles a ON a.id = f.rowid AND {condition} " if condition else ""
        top = session.execute(text(
            f"SELECT f.rowid, bm25(article_fts, 5.0, 1.0) AS rank FROM article_fts f {join}"
            "WHERE article_fts MATCH :q ORDER BY rank LIMIT :limit"),
            {**params, "q": match, "limit": limit}).all()
        return [Hit(rowid, -float(rank), session.execute(_SNIPPET, {"q": match, "id": rowid})
                    .scalar() or "") for rowid, rank in top]
    # Rank every match, then build headlines for the top hits only (ts_headline is costly).
    sql = (
        "SELECT top.article_id, top.rank, ts_headline(top.config, r.title || ' — ' || r.text, "
        "websearch_to_tsquery(top.config, :q), "
        "'StartSel=[,StopSel=],MaxWords=24,MinWords=8,ShortWord=2') FROM ("
        "SELECT s.article_id, s.config, a.current_revision_id, "
        "ts_rank(s.document, websearch_to_tsquery(s.config, :q)) AS rank "
        "FROM article_search s JOIN articles a ON a.id = s.article_id "
        f"WHERE s.document @@ websearch_to_tsquery(s.config, :q) "
        f"{'AND ' + condition if condition else ''} "
        "ORDER BY rank DESC, s.article_id LIMIT :limit) top "
        "JOIN revisions r ON r.id = top.current_revision_id ORDER BY top.rank DESC, "
        "top.article_id"
    )
    rows = session.execute(text(sql), {**params, "q": query, "limit": limit})
    return [Hit(r[0], float(r[1]), r[2]) for r in rows]
