"""Keeps the kept counts of common search terms (``archive.search.term_counts``) in step with the
search index: ``archive.search.index`` wraps every change of an index entry or of its facets in
``tracking``, so the counts change in the same transaction as the index."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.orm import Session

from archive.search.terms import UNSTEMMED
from archive.storage.database import dialect_of

#: Month of an entry (``archive.read.trend``'s day of an article: its publication date, else the
#: day it was first seen), on the facets ``a``.
MONTH = {"sqlite": "substr(COALESCE(a.published, substr(a.first_seen, 1, 10)), 1, 7)",
         "postgresql": "to_char(COALESCE(a.published, CAST(a.first_seen AS DATE)), "
                       "'YYYY-MM')"}
#: Each entry's tagged terms, month, language and kind (NULL shown as '').
_ENTRIES = {
    "sqlite": text(
        f"SELECT f.stem_title || ' ' || f.stem_text, {MONTH['sqlite']}, "
        "COALESCE(a.language, ''), COALESCE(a.kind, '') FROM article_facets a "
        "JOIN article_fts f ON f.rowid = a.article_id WHERE a.article_id IN :ids"),
    "postgresql": text(
        "SELECT ARRAY(SELECT l FROM unnest(tsvector_to_array(a.document)) l "
        f"WHERE l LIKE ':%'), {MONTH['postgresql']}, COALESCE(a.language, ''), "
        "COALESCE(a.kind, '') FROM article_search a WHERE a.article_id IN :ids"),
}
UPSERT = text(
    "INSERT INTO term_months(term, month, language, kind, articles) "
    "VALUES (:term, :month, :language, :kind, :n) ON CONFLICT (term, month, language, kind) "
    "DO UPDATE SET articles = term_months.articles + excluded.articles")
_EMPTIED = text("DELETE FROM term_months WHERE term = :term AND month = :month AND "
                "language = :language AND kind = :kind AND articles = 0")
_ID_CHUNK = 500
#: Longest key kept (the column's width; a "word" that long is no word an analyst asks for).
MAX_KEY = 300


def key_of(code: str, term: str, prefix: bool) -> str:
    """The key of one alternative of a query word."""
    return f"{code}:{term}" + ("*" if prefix else "")


def kept_keys(conn: Session | Connection) -> set[str]:
    """The kept keys. On PostgreSQL a writer first takes a share of the lock ``keep_common``
    takes whole: a key is never added while an index change that did not count it is under
    way."""
    if dialect_of(conn) == "postgresql":
        conn.execute(text("LOCK TABLE kept_terms IN SHARE MODE"))
    return set(conn.scalars(text("SELECT term FROM kept_terms")))


def entry_keys(terms: Any) -> set[str]:
    """An entry's keys: SQLite's stem columns (``svflykt``) or PostgreSQL's tagged lexemes
    (``:sv:flykt``)."""
    if isinstance(terms, str):
        return {t[:2] + ":" + t[2:] for t in terms.split()}
    return {t[1:] for t in terms}


def _matched(keys: set[str], exact: set[str], prefixes: set[str], longest: int) -> set[str]:
    """The kept keys an entry's keys match: equal, or (unstemmed words) starting with a kept
    prefix, each of whose lengths is tried (``xx:o``, ``xx:or``, ... up to the longest)."""
    found = keys & exact
    if prefixes:
        tag = UNSTEMMED + ":"
        for key in keys:
            if key.startswith(tag):
                found.update(key[:end] + "*"
                             for end in range(len(tag) + 1, min(len(key), longest) + 1)
                             if key[:end] in prefixes)
    return found


def entries(conn: Session | Connection, ids: list[int]) -> Iterator[tuple]:
    statement = _ENTRIES[dialect_of(conn)].bindparams(bindparam("ids", expanding=True))
    for start in range(0, len(ids), _ID_CHUNK):
        yield from conn.execute(statement, {"ids": ids[start:start + _ID_CHUNK]})


def _contributions(conn: Session | Connection, ids: list[int], kept: set[str]) -> Counter:
    exact = {k for k in kept if not k.endswith("*")}
    prefixes = {k[:-1] for k in kept if k.endswith("*")}
    longest = max(map(len, prefixes), default=0)
    counts: Counter = Counter()
    for terms, month, language, kind in entries(conn, ids):
        for key in _matched(entry_keys(terms), exact, prefixes, longest):
            counts[key, month, language, kind] += 1
    return counts


def _apply(conn: Session | Connection, delta: Counter) -> None:
    rows = [{"term": t, "month": m, "language": lang, "kind": k, "n": n}
            for (t, m, lang, k), n in delta.items() if n]
    if rows:
        conn.execute(UPSERT, rows)
    fallen = [row for row in rows if row["n"] < 0]  # only a decrease can empty a row
    if fallen:
        conn.execute(_EMPTIED, fallen)


@contextlib.contextmanager
def tracking(conn: Session | Connection, ids: list[int], *, new: bool = False
             ) -> Iterator[None]:
    """Around a change of these articles' index entries or facets: the kept counts follow it
    (``new``: the articles have no entry yet)."""
    kept = kept_keys(conn) if ids else set()
    if not kept:
        yield
        return
    before = Counter() if new else _contributions(conn, ids, kept)
    yield
    after = _contributions(conn, ids, kept)
    after.subtract(before)
    _apply(conn, after)
