"""Full-text search of each article's current revision: SQLite FTS5 or PostgreSQL text search
over the same terms (``archive.search_terms``), so both backends find the same articles.

Ranking runs first and only snippets of the shown hits are built: on 100,000 articles a common
word matches tens of thousands."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.orm import Session

from archive import search_terms
from archive.search_terms import QueryError, parse_query

#: Longest query accepted; longer input is refused with a message, not truncated silently.
MAX_QUERY_CHARS = 1000
#: Orders of results: by relevance, or newest first (by publication date, undated last).
ORDERS = ("rank", "date")
_FTS_DELETE = text("DELETE FROM article_fts WHERE rowid = :id")
_FTS_INSERT = text("INSERT INTO article_fts(rowid, title, text, stem_title, stem_text) "
                   "VALUES (:id, :title, :text, :stem_title, :stem_text)")
_PG_UPSERT = text(
    "INSERT INTO article_search(article_id, document, head) VALUES (:id, "
    "CAST(:document AS tsvector), CAST(:head AS tsvector)) ON CONFLICT (article_id) DO "
    "UPDATE SET document = EXCLUDED.document, head = EXCLUDED.head")
_SHOWN = text("SELECT a.id, a.language, r.title, r.text, a.title, a.published, "
              "a.url FROM articles a JOIN revisions r "
              "ON r.id = a.current_revision_id WHERE a.id IN :ids"
              ).bindparams(bindparam("ids", expanding=True))
#: Newest first: dated articles by publication date, then the undated ones (by when they were
#: first seen), which are not new just because the crawl found them late.
_NEWEST = {"sqlite": "a.published IS NULL, a.published DESC, a.first_seen DESC, a.id DESC",
           "postgresql": "a.published IS NULL, a.published DESC, a.first_seen DESC, a.id DESC"}

__all__ = ["ORDERS", "Hit", "QueryError", "check_query", "index_article", "index_articles",
           "search_ids"]


@dataclass(frozen=True)
class Hit:
    article_id: int
    rank: float
    snippet: str
    title: str = ""
    language: str = ""
    published: object = None
    url: str = ""


def index_row(article_id: int, language: str | None, title: str, body: str,
              dialect: str) -> dict:
    """Statement parameters of one article's index entry (for bulk loads)."""
    if dialect == "sqlite":
        return {"id": article_id, **search_terms.sqlite_columns(language, title, body)}
    document, head = search_terms.pg_vectors(language, title, body)
    return {"id": article_id, "document": document, "head": head}


def index_article(session: Session | Connection, article_id: int, language: str, title: str,
                  body: str, *, new: bool = False) -> None:
    """Replace the article's entry in the index (one call per new revision)."""
    dialect = (session.dialect if isinstance(session, Connection)
               else session.get_bind().dialect).name
    row = index_row(article_id, language, title, body, dialect)
    if dialect == "sqlite":
        if not new:
            session.execute(_FTS_DELETE, {"id": article_id})
        session.execute(_FTS_INSERT, row)
    else:
        session.execute(_PG_UPSERT, row)


def index_articles(conn: Connection, articles: list[tuple[int, str, str, str]]) -> None:
    """Index new articles ``(id, language, title, text)``, in one statement."""
    if not articles:
        return
    dialect = conn.dialect.name
    conn.execute(_FTS_INSERT if dialect == "sqlite" else _PG_UPSERT,
                 [index_row(article_id, language, title, body, dialect)
                  for article_id, language, title, body in articles])


def check_query(query: str) -> list[search_terms.Term]:
    query = query.strip()
    if not query:
        raise QueryError("empty search query")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"search query too long ({len(query)} characters; at most "
                         f"{MAX_QUERY_CHARS})")
    return parse_query(query)


def search_ids(session: Session, query: str, condition: str, params: dict, limit: int,
               order: str = "rank") -> list[Hit]:
    """Hits among the articles ``a`` that meet ``condition`` (SQL with bound parameters
    only), best first or newest first, each with a snippet."""
    terms = check_query(query)
    dialect = session.get_bind().dialect.name
    if order not in ORDERS:
        raise QueryError(f"unknown order {order!r} (one of {', '.join(ORDERS)})")
    join = ("JOIN articles a ON a.id = {id}" + (f" AND {condition}" if condition else "")
            if condition or order == "date" else "")
    sort = _NEWEST[dialect] if order == "date" else "rank DESC, {id}"
    if dialect == "sqlite":
        top = _sqlite_top(session, terms, join.format(id="f.rowid"), params, limit, sort)
    else:
        top = _pg_top(session, terms, join.format(id="s.article_id"), params, limit, order)
    if not top:
        return []
    shown = {row[0]: row for row in session.execute(_SHOWN, {"ids": [r[0] for r in top]})}
    hits = []
    for article_id, rank in top:
        _, language, title, body, shown_title, published, url = shown[article_id]
        hits.append(Hit(article_id, float(rank),
                        search_terms.snippet(title, body, language, terms), shown_title,
                        language, published, url))
    return hits


def count_by_kind(session: Session, query: str, condition: str, params: dict
                  ) -> dict[str, int]:
    """How many articles meeting ``condition`` match the query, per page kind: the search
    page's facet."""
    terms = check_query(query)
    join = "JOIN articles a ON a.id = {id}" + (f" AND {condition}" if condition else "")
    if session.get_bind().dialect.name == "sqlite":
        sql = (f"SELECT a.kind, count(*) FROM article_fts f {join.format(id='f.rowid')} "
               "WHERE article_fts MATCH :q GROUP BY a.kind")
        values = {**params, "q": search_terms.fts5_match(terms)}
    else:
        sql = (f"SELECT a.kind, count(*) FROM article_search s {join.format(id='s.article_id')}"
               " WHERE s.document @@ CAST(:q AS tsquery) GROUP BY a.kind")
        values = {**params, "q": search_terms.tsqueries(terms)[0]}
    return dict(session.execute(text(sql), values).all())


def _sqlite_top(session: Session, terms: list, join: str, params: dict, limit: int,
                sort: str) -> list:
    """Ranked ids on SQLite: bm25 over the matches with a query word in the title (bm25's
    cost grows with every match it ranks); the other matches follow by id (rank 0), read
    only when fewer than ``limit`` such candidates exist."""
    match = search_terms.fts5_match(terms)
    select = (f"SELECT f.rowid, -bm25(article_fts, 5.0, 1.0, 5.0, 1.0) AS rank "
              f"FROM article_fts f {join} WHERE article_fts MATCH :q ")
    values = {**params, "limit": limit}
    if not sort.startswith("rank"):
        return session.execute(text(f"{select} ORDER BY {sort} LIMIT :limit"),
                               {**values, "q": match}).all()
    title = search_terms.fts5_title_match(terms)
    top = session.execute(text(f"{select} ORDER BY rank DESC, f.rowid LIMIT :limit"),
                          {**values, "q": f"({match}) AND ({title})"}).all()
    if len(top) < limit:
        top += session.execute(text(
            f"SELECT f.rowid, 0.0 FROM article_fts f {join} WHERE article_fts MATCH :q "
            f"ORDER BY f.rowid LIMIT :rest"),
            {**params, "q": f"({match}) NOT ({title})", "rest": limit - len(top)}).all()
    return top


def _pg_top(session: Session, terms: list, join: str, params: dict, limit: int,
            order: str) -> list:
    """Ranked ids on PostgreSQL. The rank (ts_rank of the small title-and-lead vector) is
    above zero exactly where that vector holds a query word: those candidates, found with its
    own GIN index, are ranked; the other matches follow by id (rank 0), read only when fewer
    than ``limit`` candidates exist. No document is read and no full match set is ranked."""
    match, ranking = search_terms.tsqueries(terms)
    values = {**params, "q": match, "rq": ranking, "limit": limit}
    # The planner does not count reading out-of-line documents: a sequential scan would read
    # every one of them, the GIN indexes none.
    session.execute(text("SET LOCAL enable_seqscan = off"))
    if order == "date":
        return session.execute(text(
            f"SELECT s.article_id, ts_rank(s.head, CAST(:rq AS tsquery)) AS rank "
            f"FROM article_search s {join} WHERE s.document @@ CAST(:q AS tsquery) "
            f"ORDER BY {_NEWEST['postgresql']} LIMIT :limit"), values).all()
    # A single plain word: a title or lead holding it is a match (the document holds them).
    both = "" if len(terms) == 1 and terms[0].kind == "word" else (
        "AND s.document @@ CAST(:q AS tsquery) ")
    top = session.execute(text(
        f"SELECT s.article_id, ts_rank(s.head, CAST(:rq AS tsquery)) AS rank "
        f"FROM article_search s {join} WHERE s.head @@ CAST(:rq AS tsquery) {both}"
        f"ORDER BY rank DESC, s.article_id LIMIT :limit"), values).all()
    if len(top) < limit:
        top += session.execute(text(
            f"SELECT s.article_id, 0.0 FROM article_search s {join} "
            f"WHERE s.document @@ CAST(:q AS tsquery) AND NOT s.head @@ CAST(:rq AS tsquery) "
            f"ORDER BY s.article_id LIMIT :rest"), {**values, "rest": limit - len(top)}).all()
    return top
