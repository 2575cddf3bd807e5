"""Attention over time: how many articles match a search, per week, month or year, split by
language or tag and optionally normalised by all articles of the period (the share of
attention), for one query or several compared.

A match is exactly what ``search`` finds (the same match expressions of
``archive.search.terms`` and the same ``Filters``), so the counts equal ``search``'s hits. An
article's day is its publication date, else the day it was first seen, as the date filters
and ``search --order date`` use it.
"""

from __future__ import annotations

import functools
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from archive.search import term_counts
from archive.search.filters import Filters
from archive.search.index import FACETS, match_source
from archive.storage.database import Database

#: Period lengths of a trend.
PERIODS = ("month", "week", "year")


@dataclass(frozen=True)
class Split:
    """A dimension a trend can be split by: the SQL of its value on the facets ``a`` of the
    search index (``archive.search.index.FACET_COLUMNS``) and the joins it needs (a value of NULL is
    shown as ``NONE``)."""

    value: str
    joins: str = ""


#: Dimensions of ``--split``; adding one (a facet column) is one line here.
SPLITS = {
    "language": Split("a.language"),
    "kind": Split("a.kind"),
    "tag": Split("t.name", "LEFT JOIN article_tags at ON at.article_id = a.article_id "
                           "LEFT JOIN tags t ON t.id = at.tag_id"),
}
#: Split value of articles without one (no tag).
NONE = "(none)"
#: The day of an article, per dialect (as ``search --order date`` sorts).
_DAY = {"sqlite": "COALESCE(a.published, substr(a.first_seen, 1, 10))",
        "postgresql": "COALESCE(a.published, CAST(a.first_seen AS DATE))"}


class TrendError(ValueError):
    """A trend that cannot be drawn (unknown period or split)."""


@functools.lru_cache(maxsize=100_000)
def period_of(day: date, by: str) -> str:
    """The label of the period holding ``day``: ``2024-03``, ``2024-W09`` (ISO week) or
    ``2024``."""
    if by == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if by == "year":
        return f"{day.year:04d}"
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def periods_between(first: date, last: date, by: str) -> list[str]:
    """Every period label from ``first`` to ``last``, gaps included (a curve needs its
    zeros)."""
    labels, day = [], first
    while day <= last:  # day by day: a few thousand steps for a decade
        label = period_of(day, by)
        if not labels or labels[-1] != label:
            labels.append(label)
        day += timedelta(days=1)
    return labels


def _as_day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _start_of(label: str, by: str) -> date:
    """The first day of a period label."""
    if by == "week":
        return date.fromisocalendar(int(label[:4]), int(label[6:8]), 1)
    return date(int(label[:4]), int(label[5:7]) if by == "month" else 1, 1)


def _per_period(session: Session, source: str, where: str, params: dict[str, Any],
                split: Split | None, filters: Filters, by: str
                ) -> dict[tuple[str, str | None], int]:
    """Articles per (period label, split value) among ``source`` rows meeting ``where`` and
    the filters, counted by the database per day (a few thousand rows; grouping by a day is
    cheaper there than computing each match's label) and labelled here."""
    condition, filter_params = filters.sql("a.article_id")
    dialect = session.get_bind().dialect.name
    day = _DAY[dialect]
    value = split.value if split else "NULL"
    joins = split.joins if split else ""
    conditions = " AND ".join(c for c in (where, condition) if c) or "1 = 1"
    rows = session.execute(text(
        f"SELECT {day} AS p, {value} AS v, count(*) FROM {source} {joins} "
        f"WHERE {conditions} GROUP BY p, v"), {**params, **filter_params})
    counts: dict[tuple[str, str | None], int] = defaultdict(int)
    for label, v, n in rows:
        label = period_of(_as_day(label), by)
        counts[label, v if v is not None or not split else NONE] += n
    return dict(counts)


def _query_per_period(session: Session, query: str, split: str | None, filters: Filters,
                      by: str) -> dict[tuple[str, str | None], int]:
    """A query's matches per (period label, split value): from the kept counts of a common
    word (``archive.search.term_counts``) where they answer, the rest from the index."""
    dimension = SPLITS[split] if split else None
    kept = term_counts.kept_counts(session, query, filters, split) if by != "week" else None
    if kept is None:
        source, where, params = match_source(session, query)
        return _per_period(session, source, where, params, dimension, filters, by)
    counts: dict[tuple[str, str | None], int] = defaultdict(int)
    for month, value, n in kept.rows:
        label = period_of(_start_of(month, "month"), by)
        counts[label, value if value is not None or not split else NONE] += n
    for source, where, params in kept.others:
        for key, n in _per_period(session, source, where, params, dimension, filters,
                                  by).items():
            counts[key] += n
    return dict(counts)


_totals_cache: dict[tuple, dict] = {}
_totals_lock = threading.Lock()


def _all_per_period(session: Session, db: Database, filters: Filters, split: Split | None,
                    by: str) -> dict[tuple[str, str | None], int]:
    """All searchable articles (those in the search index) per (period, split value): the
    denominator of a share. Kept per process until the archive gains a revision (it changes
    with nothing else)."""
    version = session.scalar(text("SELECT max(id) FROM revisions"))
    key = (db.url, filters, split, by, version)
    with _totals_lock:
        if key in _totals_cache:
            return _totals_cache[key]
    dialect = session.get_bind().dialect.name
    counts = _per_period(session, f"{FACETS[dialect]} a", "", {}, split, filters, by)
    with _totals_lock:
        if len(_totals_cache) > 64:
            _totals_cache.clear()
        _totals_cache[key] = counts
    return counts


def trend(db: Database, queries: list[str], filters: Filters, *, by: str = "month",
          split: str | None = None, normalise: bool = False) -> dict[str, Any]:
    """Matches of each query per period (and split value). Rows are
    ``{"period", "query", <split>, "matches"}`` plus, normalised, ``"articles"`` (all articles
    of that period and split value under the same filters) and ``"share"`` (matches/articles);
    ``totals`` holds each query's number of matching articles (``search``'s hits)."""
    if by not in PERIODS:
        raise TrendError(f"unknown period {by!r} (one of {', '.join(PERIODS)})")
    if split is not None and split not in SPLITS:
        raise TrendError(f"unknown split {split!r} (one of {', '.join(SPLITS)})")
    if not queries:
        raise TrendError("no query to draw")
    queries = list(dict.fromkeys(q.strip() for q in queries))
    dimension = SPLITS[split] if split else None
    counted: dict[str, dict[tuple[str, str | None], int]] = {}
    totals: dict[str, int] = {}
    starts: list[date] = []
    with db.session() as session:
        for query in queries:
            counted[query] = _query_per_period(session, query, split, filters, by)
            if split == "tag":  # an article with two tags is one match
                totals[query] = sum(_query_per_period(session, query, None, filters,
                                                      by).values())
            else:
                totals[query] = sum(counted[query].values())
            labels = {label for label, _ in counted[query]}
            starts += [_start_of(min(labels), by), _start_of(max(labels), by)] if labels else []
        everything = _all_per_period(session, db, filters, dimension, by) if normalise else {}
    labels = periods_between(min(starts), max(starts), by) if starts else []
    rows = []
    for query in queries:
        values = sorted({v for _, v in counted[query]}, key=lambda v: (v is None, v or ""))
        for label in labels:
            for value in values:
                row: dict[str, Any] = {"period": label, "query": query}
                if split:
                    row[split] = value
                row["matches"] = counted[query].get((label, value), 0)
                if normalise:
                    row["articles"] = everything.get((label, value), 0)
                    row["share"] = (round(row["matches"] / row["articles"], 6)
                                    if row["articles"] else 0.0)
                rows.append(row)
    return {"queries": queries, "by": by, "split": split, "normalised": normalise,
            "totals": totals, "rows": rows}


def count_matches(db: Database, queries: list[str], filters: Filters) -> dict[str, int]:
    """How many articles each query matches (``search``'s hits, all of them): the index alone
    answers when no filter applies, as ``search`` reads it."""
    condition, filter_params = filters.sql("a.article_id")
    counts = {}
    with db.session() as session:
        for query in dict.fromkeys(q.strip() for q in queries):
            kept = term_counts.kept_counts(session, query, filters, None)
            # no filter: the index alone (it holds one row an article)
            sources = ([match_source(session, query, facets=bool(condition))] if kept is None
                       else kept.others)
            counts[query] = sum(n for *_, n in kept.rows) if kept else 0
            for source, where, params in sources:
                where = " AND ".join(c for c in (where, condition) if c)
                counts[query] += session.scalar(text(
                    f"SELECT count(*) FROM {source} WHERE {where}"), {**params, **filter_params})
    return counts


def columns(result: dict[str, Any]) -> list[str]:
    """The CSV header (and JSON row keys) of a trend, in order."""
    return (["period", "query"] + ([result["split"]] if result["split"] else []) + ["matches"]
            + (["articles", "share"] if result["normalised"] else []))
