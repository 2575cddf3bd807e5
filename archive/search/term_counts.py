"""Monthly counts of the archive's common search terms, kept current by the ingest, so that
``trend``, ``search``'s counts and the search page read a few hundred rows for a common word
instead of counting its matches (a fifth of a million index entries take 75–120 ms to count
and date; their kept counts, a few).

A plain query word matches an article through one *key*: the stem of the word in the
article's own language (``sv:flykt``) or, in a language without a stemmer, any word starting
with it (``xx:ord*``): ``archive.search.terms.alternatives``. An index entry holds the terms of
its own language only, so a word's keys match disjoint sets of articles and the word's count
is the sum of its keys'. A key is *kept* once it matches at least ``KEEP_AT`` articles
(``keep_common`` finds such keys in a sample and counts each exactly, once): rows
``(key, month, language, kind) -> articles`` in ``term_months``. Every change of an index
entry or of its facets updates the rows of the kept keys in the same transaction
(``tracking``), so the kept counts equal what the index finds at every commit; a key not kept
is counted from the index when asked. Months, not days: weeks and date filters that do not
start and end with a month are counted from the index.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.orm import Session

from archive.search import terms as search_terms
from archive.search.index import FACETS, alternative_source, check_query
from archive.search.term_tracking import MAX_KEY, MONTH, UPSERT, entries, entry_keys, key_of
from archive.storage.database import Database, dialect_of

if TYPE_CHECKING:
    from archive.search.filters import Filters

#: Articles a key must match to be kept: below it the index counts a key's matches in a few
#: milliseconds at any archive size.
KEEP_AT = 20_000
#: Index entries read to find the common keys.
SAMPLE = 2_000
_KEPT_OF = text("SELECT term FROM kept_terms WHERE term IN :keys").bindparams(
    bindparam("keys", expanding=True))


# -- reading ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class KeptCounts:
    """A query word's matches as the kept counts give them: ``rows`` of (month, split value,
    articles) of its kept keys, and ``others``, its keys that are not kept, each as the
    ``(FROM, WHERE, parameters)`` of its matches in the index (facets as ``a``)."""

    rows: list[tuple[str, Any, int]]
    others: list[tuple[str, str, dict]]


def _month_aligned(filters: Filters) -> bool:
    return ((filters.since is None or filters.since.day == 1)
            and (filters.until is None or (filters.until + timedelta(days=1)).day == 1))


def kept_counts(session: Session, query: str, filters: Filters, column: str | None
                ) -> KeptCounts | None:
    """The query's matches per month and value of ``column`` (``language``, ``kind`` or
    None), or None when the kept counts cannot answer: not one plain word, a tag filter,
    dates that cut a month, or no key of the word kept."""
    terms = check_query(query)
    if (len(terms) != 1 or terms[0].kind != "word" or filters.tag
            or column not in (None, "language", "kind") or not _month_aligned(filters)):
        return None
    options = search_terms.alternatives(terms[0].tokens[0])
    keys = {key_of(*option): option for option in options}
    found = set(session.scalars(_KEPT_OF, {"keys": list(keys)}))
    kept = [key for key in keys if key in found]
    if not kept:
        return None
    where, params = ["term IN :keys"], {"keys": kept}
    if filters.language:
        where.append("language IN :languages")
        params["languages"] = list(filters.languages())
    if filters.kind:
        where.append("kind = :kind")
        params["kind"] = filters.kind
    if filters.since:
        where.append("month >= :since")
        params["since"] = filters.since.isoformat()[:7]
    if filters.until:
        where.append("month <= :until")
        params["until"] = filters.until.isoformat()[:7]
    value = column or "NULL"
    statement = text(
        f"SELECT month, {value}, sum(articles) FROM term_months WHERE {' AND '.join(where)} "
        "GROUP BY 1, 2").bindparams(
        *[bindparam(name, expanding=True) for name in ("keys", "languages") if name in params])
    rows = [(month, v if v != "" else None, int(n))
            for month, v, n in session.execute(statement, params)]
    return KeptCounts(rows, [alternative_source(session, *keys[key])
                             for key in keys if key not in kept])


# -- keeping ----------------------------------------------------------------------------------

def _exact_months(conn: Connection, key: str) -> list[tuple[str, str, str, int]]:
    code, term = key.rstrip("*").split(":", 1)
    source, where, params = alternative_source(conn, code, term, key.endswith("*"))
    month = MONTH[dialect_of(conn)]
    return [tuple(row) for row in conn.execute(text(
        f"SELECT {month}, COALESCE(a.language, ''), COALESCE(a.kind, ''), count(*) "
        f"FROM {source} WHERE {where} GROUP BY 1, 2, 3"), params)]


def candidates(conn: Connection, at_least: int, sample: int) -> list[str]:
    """Keys that may match ``at_least`` articles, by a sample of the index (generously: each
    is counted exactly before it is kept); none in an index of fewer entries."""
    table = FACETS[dialect_of(conn)]
    total = conn.scalar(text(f"SELECT count(*) FROM {table}")) or 0
    if total < at_least:
        return []
    ids = list(conn.scalars(text(
        f"SELECT article_id FROM {table} ORDER BY random() LIMIT :n"), {"n": sample}))
    seen: Counter = Counter()
    for terms, *_ in entries(conn, ids):
        keys = entry_keys(terms)
        seen.update(keys | {k + "*" for k in keys
                            if k.startswith(search_terms.UNSTEMMED + ":")})
    kept = set(conn.scalars(text("SELECT term FROM kept_terms")))
    scale = total / len(ids)
    return sorted(k for k, n in seen.items() if n * scale * 2 >= at_least and k not in kept
                  and len(k) <= MAX_KEY
                  and (k.endswith("*") or not k.startswith(search_terms.UNSTEMMED + ":")))


def keep(conn: Connection, key: str, at_least: int) -> int | None:
    """Count one key exactly and keep it when it matches ``at_least`` articles: its count,
    or None (not kept). Writers wait meanwhile (PostgreSQL: the whole lock; SQLite: the
    write lock, taken first)."""
    if dialect_of(conn) == "postgresql":
        conn.execute(text("LOCK TABLE kept_terms IN EXCLUSIVE MODE"))
    else:
        conn.execute(text("DELETE FROM term_months WHERE term = :t"), {"t": key})
    rows = _exact_months(conn, key)
    total = sum(n for *_, n in rows)
    if total < at_least:
        return None
    conn.execute(text("INSERT INTO kept_terms(term, articles, kept_at) VALUES (:t, :n, :at)"),
                 {"t": key, "n": total, "at": datetime.now(UTC)})
    conn.execute(UPSERT, [{"term": key, "month": m, "language": lang, "kind": k, "n": n}
                           for m, lang, k, n in rows])
    return total


def keep_common(db: Database, *, at_least: int | None = None, sample: int | None = None,
                progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Keep the counts of every key that matches ``at_least`` articles and is not kept yet:
    ``{key: articles}`` of those kept now. Found by a sample of ``sample`` index entries; a
    key whose count falls later stays kept (its counts stay exact)."""
    at_least, sample = at_least or KEEP_AT, sample or SAMPLE
    with db.engine.connect() as conn:
        found = candidates(conn, at_least, sample)
    kept = {}
    for done, key in enumerate(found, 1):
        with db.engine.begin() as conn:
            total = keep(conn, key, at_least)
        if total is not None:
            kept[key] = total
        if progress:
            progress(done, len(found))
    return kept


def kept_total(db: Database) -> int:
    with db.session() as session:
        return session.scalar(text("SELECT count(*) FROM kept_terms")) or 0


def drop_all(db: Database) -> int:
    """Forget every kept count (they are made again by ``keep_common``): the keys dropped."""
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(text("LOCK TABLE kept_terms IN EXCLUSIVE MODE"))
        dropped = conn.scalar(text("SELECT count(*) FROM kept_terms")) or 0
        conn.execute(text("DELETE FROM term_months"))
        conn.execute(text("DELETE FROM kept_terms"))
    return dropped


def check(db: Database) -> list[str]:
    """Kept keys whose counts differ from the index's (empty: all agree): ``verify`` runs it."""
    wrong = []
    with db.engine.connect() as conn:
        for key in conn.scalars(text("SELECT term FROM kept_terms ORDER BY term")).all():
            exact = {(m, lang, k): n for m, lang, k, n in _exact_months(conn, key)}
            kept = {(m, lang, k): n for m, lang, k, n in conn.execute(text(
                "SELECT month, language, kind, articles FROM term_months WHERE term = :t "
                "AND articles <> 0"), {"t": key})}
            if exact != kept:
                wrong.append(key)
    return wrong
