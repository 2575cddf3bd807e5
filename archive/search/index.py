"""Full-text search of each article's current revision: SQLite FTS5 or PostgreSQL text search
over the same terms (``archive.search.terms``), so both backends find the same articles.

Ranking runs first and only snippets of the shown hits are built: on 100,000 articles a common
word matches tens of thousands."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.orm import Session

from archive.search import ranking
from archive.search import terms as search_terms
from archive.search.filters import Filters
from archive.search.term_tracking import tracking
from archive.search.terms import QueryError, parse_query
from archive.storage.database import dialect_of

#: Longest query accepted; longer input is refused with a message, not truncated silently.
MAX_QUERY_CHARS = 1000
#: Orders of results: by relevance, or newest first (by publication date, undated last).
ORDERS = ("rank", "date")
_FTS_DELETE = text("DELETE FROM article_fts WHERE rowid = :id")
_FTS_INSERT = text("INSERT INTO article_fts(rowid, title, text, stem_title, stem_text, marks) "
                   "VALUES (:id, :title, :text, :stem_title, :stem_text, :marks)")
#: The word pairs of each entry (``archive.search.terms.pairs``), which answer a query of
#: phrases: SQLite a contentless FTS5 table (removing an entry names its old pairs, made again
#: from the entry's text), PostgreSQL a vector per article with a GIN index.
_PAIRS_OLD = text("SELECT title, text FROM article_fts WHERE rowid = :id")
_PAIRS_INSERT = text("INSERT INTO article_pairs(rowid, title, text) VALUES (:id, :title, :text)")
_PAIRS_DELETE = text("INSERT INTO article_pairs(article_pairs, rowid, title, text) "
                     "VALUES ('delete', :id, :title, :text)")
_PG_PAIRS_UPSERT = text(
    "INSERT INTO article_pairs(article_id, pairs) VALUES (:id, CAST(:pairs AS tsvector)) "
    "ON CONFLICT (article_id) DO UPDATE SET pairs = EXCLUDED.pairs")
#: The article columns filters and trends read, kept beside each index entry (the facets):
#: counting and dating a common word's matches then reads no article row. ``first_seen`` only
#: where ``published`` is missing (the day of an article is ``COALESCE(published,
#: first_seen)``), so that the facets stay small. Copied from ``articles`` by SQL, so their
#: values are stored exactly as the articles' are and any condition on ``articles a`` written
#: with these columns means the same on the facets.
FACET_COLUMNS = ("language", "kind", "published", "first_seen")
_FACETS_OF = ("a.language, a.kind, a.published, "
              "CASE WHEN a.published IS NULL THEN a.first_seen END")
_FACETS_SQLITE = text(
    "INSERT OR REPLACE INTO article_facets(article_id, language, kind, published, first_seen) "
    f"SELECT a.id, {_FACETS_OF} FROM articles a WHERE a.id = :id")
_PG_UPSERT = text(
    "INSERT INTO article_search(article_id, document, language, kind, published, first_seen) "
    f"SELECT a.id, CAST(:document AS tsvector), {_FACETS_OF} FROM articles a WHERE a.id = :id "
    "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document, "
    "language = EXCLUDED.language, kind = EXCLUDED.kind, published = EXCLUDED.published, "
    "first_seen = EXCLUDED.first_seen")
#: The ranking vectors live in a table of their own: ``article_search`` stays narrow (its
#: documents out of line), so that counting a fifth of a million rows reads few pages.
_PG_HEAD_UPSERT = text(
    "INSERT INTO article_heads(article_id, head) VALUES (:id, CAST(:head AS tsvector)) "
    "ON CONFLICT (article_id) DO UPDATE SET head = EXCLUDED.head")
_PG_FACETS = text(
    f"UPDATE article_search s SET (language, kind, published, first_seen) = (SELECT "
    f"{_FACETS_OF} FROM articles a WHERE a.id = s.article_id) WHERE s.article_id = :id")
#: For this transaction (``SET LOCAL``), in one round trip: see ``_pg_settings``.
_PG_SETTINGS = text("SELECT set_config('enable_seqscan', 'off', true), "
                    "set_config('work_mem', '64MB', true), set_config('jit', 'off', true)")
#: The marked matches are few and the planner cannot tell: it would filter every document in
#: the order of the primary key rather than read the GIN index (``_pg_top``).
_PG_BITMAPS_ONLY = text("SELECT set_config('enable_indexscan', 'off', true)")
_PG_INDEX_SCANS = text("SELECT set_config('enable_indexscan', 'on', true)")
#: Where each backend keeps the facets: the table (aliased ``a``) and how it meets the index.
FACETS = {"sqlite": "article_facets", "postgresql": "article_search"}
_SHOWN = text("SELECT a.id, a.language, r.title, r.text, a.title, a.published, "
              "a.url, a.kind FROM articles a JOIN revisions r "
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
    kind: str | None = None


def index_row(article_id: int, language: str | None, title: str, body: str,
              dialect: str) -> dict:
    """Statement parameters of one article's index entry (for bulk loads)."""
    if dialect == "sqlite":
        return {"id": article_id, **search_terms.sqlite_columns(language, title, body)}
    document, head = search_terms.pg_vectors(language, title, body)
    return {"id": article_id, "document": document, "head": head}


def pair_row(article_id: int, title: str, body: str, dialect: str) -> dict:
    """Statement parameters of one article's word pairs (for bulk loads)."""
    if dialect == "sqlite":
        return {"id": article_id, **search_terms.sqlite_pairs(title, body)}
    return {"id": article_id, "pairs": search_terms.pg_pairs(title, body)}


def index_article(session: Session | Connection, article_id: int, language: str, title: str,
                  body: str, *, new: bool = False) -> None:
    """Replace the article's entry in the index (one call per new revision)."""
    dialect = dialect_of(session)
    row = index_row(article_id, language, title, body, dialect)
    pairs = pair_row(article_id, title, body, dialect)
    with tracking(session, [article_id], new=new):
        if dialect == "sqlite":
            if not new:
                old = session.execute(_PAIRS_OLD, {"id": article_id}).first()
                if old is not None:
                    session.execute(_PAIRS_DELETE, pair_row(article_id, *old, dialect))
                session.execute(_FTS_DELETE, {"id": article_id})
            session.execute(_FTS_INSERT, row)
            session.execute(_PAIRS_INSERT, pairs)
            session.execute(_FACETS_SQLITE, {"id": article_id})
        else:
            session.execute(_PG_UPSERT, row)
            session.execute(_PG_HEAD_UPSERT, row)
            session.execute(_PG_PAIRS_UPSERT, pairs)


def refresh_facets(conn: Session | Connection, article_ids: list[int]) -> None:
    """Copy the articles' filter columns to their index entries again: after a change of an
    article row that made no new revision (its page kind). The article row is written first."""
    if not article_ids:
        return
    dialect = dialect_of(conn)
    rows = [{"id": article_id} for article_id in article_ids]
    with tracking(conn, list(article_ids)):
        if dialect == "sqlite":  # an article never indexed gets no facets
            conn.execute(text(
                "UPDATE article_facets SET (language, kind, published, first_seen) = (SELECT "
                f"{_FACETS_OF} FROM articles a WHERE a.id = article_facets.article_id) "
                "WHERE article_id = :id"), rows)
        else:
            conn.execute(_PG_FACETS, rows)


def index_articles(conn: Connection, articles: list[tuple[int, str, str, str]]) -> None:
    """Index new articles ``(id, language, title, text)``, in one statement (the kept term
    counts follow, as they follow every change of the index: ``archive.search.term_tracking``)."""
    if not articles:
        return
    dialect = conn.dialect.name
    rows = [index_row(article_id, language, title, body, dialect)
            for article_id, language, title, body in articles]
    pairs = [pair_row(article_id, title, body, dialect)
             for article_id, _, title, body in articles]
    with tracking(conn, [row["id"] for row in rows], new=True):
        if dialect == "sqlite":
            conn.execute(_FTS_INSERT, rows)
            conn.execute(_PAIRS_INSERT, pairs)
            conn.execute(_FACETS_SQLITE, [{"id": row["id"]} for row in rows])
        else:
            conn.execute(_PG_UPSERT, rows)
            conn.execute(_PG_HEAD_UPSERT, rows)
            conn.execute(_PG_PAIRS_UPSERT, pairs)


def check_query(query: str) -> list[search_terms.Term]:
    query = query.strip()
    if not query:
        raise QueryError("empty search query")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"search query too long ({len(query)} characters; at most "
                         f"{MAX_QUERY_CHARS})")
    return parse_query(query)


def search_ids(session: Session, query: str, filters: Filters, limit: int,
               order: str = "rank") -> list[Hit]:
    """Hits among the articles that meet ``filters``, best first or newest first, each with a
    snippet."""
    terms = check_query(query)
    dialect = session.get_bind().dialect.name
    if order not in ORDERS:
        raise QueryError(f"unknown order {order!r} (one of {', '.join(ORDERS)})")
    if dialect == "sqlite" and order == "rank":
        # ranked candidates are many: filtered on their narrow facets, not the article rows
        condition, params = filters.sql("a.article_id")
        join = (f"JOIN article_facets a ON a.article_id = {{id}} AND {condition}"
                if condition else "")
    elif order == "rank":  # PostgreSQL: on the facets the index entries hold
        condition, params = filters.sql("a.article_id")
        join = (f"JOIN article_search a ON a.article_id = {{id}} AND {condition}"
                if condition else "")
    else:
        condition, params = filters.sql()
        join = "JOIN articles a ON a.id = {id}" + (f" AND {condition}" if condition else "")
    sort = _NEWEST[dialect] if order == "date" else "rank DESC, {id}"
    if dialect == "sqlite":
        top = _sqlite_top(session, terms, join.format(id="f.rowid"), params, limit, sort)
    else:
        own = filters.sql("s.article_id", alias="s")[0] if order == "rank" else ""
        top = _pg_top(session, terms, (join, own), params, limit, order)
    if not top:
        return []
    shown = {row[0]: row for row in session.execute(_SHOWN, {"ids": [r[0] for r in top]})}
    hits = []
    for article_id, rank in top:
        _, language, title, body, shown_title, published, url, kind = shown[article_id]
        hits.append(Hit(article_id, float(rank),
                        search_terms.snippet(title, body, language, terms), shown_title,
                        language, published, url, kind))
    return hits


def count_by_kind(session: Session, query: str, condition: str, params: dict
                  ) -> dict[str, int]:
    """How many articles meeting ``condition`` match the query, per page kind: the search
    page's facet."""
    return count_source_by_kind(session, match_source(session, query), condition, params)


def count_source_by_kind(session: Session, source: tuple[str, str, dict], condition: str,
                         params: dict) -> dict[str, int]:
    """Per page kind, the entries of a ``match_source`` meeting ``condition``."""
    tables, where, values = source
    condition = f" AND {condition}" if condition else ""
    return dict(session.execute(text(
        f"SELECT a.kind, count(*) FROM {tables} WHERE {where}{condition} GROUP BY a.kind"),
        {**params, **values}).all())


def match_source(session: Session, query: str, *, facets: bool = True
                 ) -> tuple[str, str, dict]:
    """``(FROM, WHERE, parameters)`` of the index entries matching ``query``, as ``search``
    matches them, with the facets as ``a`` (conditions of ``Filters.sql(key="a.article_id")``
    apply); ``facets=False``: the index alone (a count needs nothing else)."""
    terms = check_query(query)
    phrases = search_terms.pair_phrases(terms)
    if session.get_bind().dialect.name == "sqlite":
        if phrases:
            source = ("article_pairs f JOIN article_facets a ON a.article_id = f.rowid"
                      if facets else "article_pairs f")
            return source, "article_pairs MATCH :q", {"q": search_terms.fts5_pairs(phrases)}
        source = ("article_fts f JOIN article_facets a ON a.article_id = f.rowid" if facets
                  else "article_fts f")
        return source, "article_fts MATCH :q", {"q": search_terms.fts5_match(terms)}
    _pg_settings(session)
    if phrases:
        return ("article_pairs p JOIN article_search a ON a.article_id = p.article_id"
                if facets else "article_pairs p", "p.pairs @@ CAST(:q AS tsquery)",
                {"q": search_terms.tsquery_pairs(phrases)})
    return ("article_search a", *pg_match("a.document", terms))


def alternative_source(session: Session | Connection, code: str, term: str, prefix: bool
                       ) -> tuple[str, str, dict]:
    """``match_source`` of one alternative of a plain word (``search_terms.alternatives``):
    its matches are the articles of that one stemmer code (``archive.search.term_counts``)."""
    dialect = dialect_of(session)
    if dialect == "sqlite":
        return ("article_fts f JOIN article_facets a ON a.article_id = f.rowid",
                "article_fts MATCH :q", {"q": search_terms.fts5_alternative(code, term, prefix)})
    _pg_settings(session)
    return ("article_search a", "a.document @@ CAST(:q AS tsquery)",
            {"q": search_terms.tsquery_alternative(code, term, prefix)})


def pg_match(column: str, terms: list) -> tuple[str, dict]:
    """``(condition, parameters)``: ``column`` (a document vector) matches the query's terms,
    one condition per stemmer code when it has several plain words
    (``search_terms.tsquery_branches``), ORed."""
    branches = search_terms.tsquery_branches(terms)
    values = {f"m{n}": branch for n, branch in enumerate(branches)}
    condition = " OR ".join(f"{column} @@ CAST(:{name} AS tsquery)" for name in values)
    return (f"({condition})" if len(values) > 1 else condition), values


def _pg_settings(session: Session | Connection) -> None:
    """The GIN indexes find the matches (the planner does not count reading out-of-line
    documents: a sequential scan would read every one); a common word matches a fifth of the
    archive, whose bitmap must stay exact (a lossy one rechecks every row of its pages); and
    compiling the plan (JIT) costs more than running it."""
    session.execute(_PG_SETTINGS)


def _sqlite_top(session: Session, terms: list, join: str, params: dict, limit: int,
                sort: str) -> list:
    """Ranked ids on SQLite: the matches with a query word in the title come first (the
    candidates); the other matches follow by id (rank 0), read only when fewer than
    ``limit`` candidates exist. A one-term query's candidates are its title matches, ranked
    by bm25 of their titles; phrases alone, by bm25 of their pairs; other queries of several
    terms, by their titles (``archive.search.ranking``), as PostgreSQL ranks them: bm25 would
    first count each word's every match, once per stemmer code."""
    phrases = search_terms.pair_phrases(terms)
    if phrases:  # the pair index alone, ranked as the text index would (title 5, text 1)
        table, weights = "article_pairs", "5.0, 1.0"
        match = search_terms.fts5_pairs(phrases)
        title = " OR ".join(search_terms.fts5_pairs([term], "title") for term in phrases)
    else:
        table, weights = "article_fts", "5.0, 1.0, 5.0, 1.0"
        match = search_terms.fts5_match(terms)
        title = search_terms.fts5_title_match(terms)
    select = (f"SELECT f.rowid, -bm25({table}, {weights}) AS rank "
              f"FROM {table} f {join} WHERE {table} MATCH :q ")
    values = {**params, "limit": limit}
    if not sort.startswith("rank"):
        return session.execute(text(f"{select} ORDER BY {sort} LIMIT :limit"),
                               {**values, "q": match}).all()
    if phrases or len(terms) == 1:
        # one term: a title holding it is a match, and the title alone is ranked
        candidates = title if len(terms) == 1 else f"({match}) AND ({title})"
        top = session.execute(text(f"{select} ORDER BY rank DESC, f.rowid LIMIT :limit"),
                              {**values, "q": candidates}).all()
    else:  # the matches with a term in the title, ranked by their titles (no bm25 statistics);
        # several plain words are found led by the title marks' short lists
        candidates = search_terms.fts5_marked(terms) or f"({match}) AND ({title})"
        top = ranking.best(session.execute(text(
            f"SELECT f.rowid, f.title, f.stem_title FROM {table} f {join} WHERE {table} "
            f"MATCH :q"), {**params, "q": candidates}), terms, limit)
    if len(top) < limit:
        top += session.execute(text(
            f"SELECT f.rowid, 0.0 FROM {table} f {join} WHERE {table} MATCH :q "
            f"ORDER BY f.rowid LIMIT :rest"),
            {**params, "q": f"({match}) NOT ({title})", "rest": limit - len(top)}).all()
    return top


def _pg_top(session: Session, terms: list, filtered: tuple[str, str], params: dict,
            limit: int, order: str) -> list:
    """Ranked ids on PostgreSQL. The rank (ts_rank of the small title vector of
    ``article_heads``, over the log of the title's length: of titles holding as many query
    words, the shorter first) is above zero exactly where the title holds a query word: those
    candidates, found with its own GIN index, are ranked; the other matches follow by id
    (rank 0), read only when fewer than ``limit`` candidates exist, as on SQLite. No document
    is read and no full match set is ranked. ``filtered``: the join that applies the filters
    to another table's rows (``{id}`` their article id), and (ranked) their condition on
    ``article_search s``'s own facets, which needs no join."""
    join, own = filtered
    own = f" AND {own}" if own else ""
    title_query = search_terms.tsqueries(terms)[1]
    phrases = search_terms.pair_phrases(terms)
    if phrases:  # matched by the pair index; the matches found first, their titles ranked
        source, (matches, found) = "article_pairs s", ("s.pairs @@ CAST(:q AS tsquery)", {
            "q": search_terms.tsquery_pairs(phrases)})
    else:
        source, (matches, found) = "article_search s", pg_match("s.document", terms)
    values = {**params, **found, "rq": title_query, "limit": limit}
    _pg_settings(session)
    if order == "date":
        return session.execute(text(
            f"SELECT s.article_id, (SELECT ts_rank(h.head, CAST(:rq AS tsquery), 1) FROM "
            f"article_heads h WHERE h.article_id = s.article_id) AS rank "
            f"FROM {source} {join.format(id='s.article_id')} WHERE {matches} "
            f"ORDER BY {_NEWEST['postgresql']} LIMIT :limit"), values).all()
    if phrases:
        return session.execute(text(
            f"SELECT s.article_id, COALESCE(ts_rank(h.head, CAST(:rq AS tsquery), 1), 0) "
            f"AS rank "
            f"FROM article_pairs s LEFT JOIN article_heads h ON h.article_id = s.article_id "
            f"{join.format(id='s.article_id')} WHERE {matches} "
            f"ORDER BY rank DESC, s.article_id LIMIT :limit"), values).all()
    if len(terms) == 1 and terms[0].kind == "word":
        # A single plain word: a title holding it is a match (the document holds it). The
        # shortest such titles are taken, then ranked: ts_rank over the log of the title's
        # length orders them so too, but costs more than reading each match's title.
        top = session.execute(text(
            f"SELECT article_id, ts_rank(head, CAST(:rq AS tsquery), 1) AS rank FROM ("
            f"SELECT h.article_id, h.head FROM article_heads h {join.format(id='h.article_id')} "
            f"WHERE h.head @@ CAST(:rq AS tsquery) ORDER BY length(h.head), h.article_id "
            f"LIMIT :limit) shortest ORDER BY rank DESC, article_id"), values).all()
    else:
        # The matches with a query word marked in the title, found in one scan of the
        # documents' index (``search_terms.title_marks``); only they are ranked, in the same
        # statement (their ids never travel to Python and back).
        marked = {f"t{n}": branch
                  for n, branch in enumerate(search_terms.tsquery_marked(terms))}
        condition = " OR ".join(f"s.document @@ CAST(:{name} AS tsquery)" for name in marked)
        session.execute(_PG_BITMAPS_ONLY)
        top = session.execute(text(
            f"WITH candidates AS MATERIALIZED (SELECT s.article_id FROM article_search s "
            f"WHERE ({condition}){own}) SELECT h.article_id, ts_rank(h.head, "
            f"CAST(:rq AS tsquery), 1) AS rank FROM candidates c JOIN article_heads h ON "
            f"h.article_id = c.article_id ORDER BY rank DESC, h.article_id LIMIT :limit"),
            {**params, **marked, "rq": title_query, "limit": limit}).all()
        session.execute(_PG_INDEX_SCANS)
    if len(top) < limit:
        top += session.execute(text(
            f"SELECT s.article_id, 0.0 FROM article_search s WHERE {matches}{own} "
            f"AND NOT EXISTS (SELECT 1 FROM "
            f"article_heads h WHERE h.article_id = s.article_id AND h.head @@ "
            f"CAST(:rq AS tsquery)) ORDER BY s.article_id LIMIT :rest"),
            {**values, "rest": limit - len(top)}).all()
    return top
