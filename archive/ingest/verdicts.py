"""Verdicts on archived articles that did not come back as articles, and which articles a
crawl must re-verify.

A re-checked article URL that now redirects to a page that is no article (a listing, the home
page, a search), or answers 200 with a "page not found" page (a soft 404), is removed with an
event naming what was served. Redirects to other articles are decided in ``ingest`` (a move,
or a ``redirected`` removal). Each run counts an article once (``articles.checked_run_id``);
articles whose check was skipped (an unchanged sitemap ``lastmod``) are counted as skipped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, select, update

from archive.ingest.articles import ARTICLES, RUNS, URLS, remove_article
from archive.ingest.records import Fetch, IngestResult, Outcome
from archive.storage.database import Database, retrying
from archive.storage.times import as_utc, utcnow
from archive.storage.urls import normalize_url

#: Default of ``NORDARCHIVE_REVERIFY_DAYS``: every archived article is fetched (conditionally)
#: at least this often, whatever its sitemap ``lastmod`` says.
REVERIFY_DAYS = 7.0


def mark_retired(db: Database, fetch: Fetch, page_kind: str, run_id: int | None = None, *,
                 status: int | None = None) -> IngestResult:
    """An archived article's URL served no article (``page_kind``: ``listing``, ``home``,
    ``search``, ``not-found``, ``out-of-scope`` …): the article is marked removed, with an event
    naming the status its URL answered, where the request ended and what was there."""
    def work(conn: Connection) -> IngestResult:
        row = conn.execute(select(URLS.c.article_id).where(
            URLS.c.normalized_url == normalize_url(fetch.url)).order_by(URLS.c.id).limit(1)
        ).first()
        if row is None:
            return IngestResult(Outcome.UNKNOWN, None)
        landed = fetch.landed_url
        return remove_article(conn, row.article_id, fetch, run_id, url=fetch.url,
                              status=status or fetch.status,
                              final_url=landed if landed != fetch.url else None,
                              page_kind=page_kind)

    return retrying(db, work)


def count_skipped(db: Database, run_id: int, urls: Iterable[str]) -> int:
    """Count, once each, the articles behind ``urls`` (skipped by their sitemap ``lastmod``)
    that this run did not count otherwise; stored in ``crawl_runs.skipped``."""
    normals = sorted({normalize_url(u) for u in urls})

    def work(conn: Connection) -> int:
        ids: set[int] = set()
        for start in range(0, len(normals), 500):
            ids.update(conn.scalars(
                select(URLS.c.article_id).distinct()
                .join(ARTICLES, ARTICLES.c.id == URLS.c.article_id)
                .where(URLS.c.normalized_url.in_(normals[start:start + 500]))
                .where(ARTICLES.c.checked_run_id.is_(None)
                       | (ARTICLES.c.checked_run_id != run_id))))
        ordered = sorted(ids)
        for start in range(0, len(ordered), 500):
            conn.execute(update(ARTICLES).where(ARTICLES.c.id.in_(ordered[start:start + 500]))
                         .values(checked_run_id=run_id))
        conn.execute(update(RUNS).where(RUNS.c.id == run_id)
                     .values(skipped=RUNS.c.skipped + len(ordered)))
        return len(ordered)

    return retrying(db, work)


def due_for_reverify(db: Database, days: float = REVERIFY_DAYS,
                     now: datetime | None = None) -> set[str]:
    """Normalized URLs of the articles this crawl must fetch even when their sitemap
    ``lastmod`` says unchanged: every live article not verified (``last_seen``) for ``days``,
    the longest-unverified share that the time since the previous crawl calls for (so that the
    re-verification is spread over the crawls), and every removed article (a sitemap entry
    may mean it is back). ``days`` <= 0: every article."""
    now = now or utcnow()
    with db.engine.connect() as conn:
        rows = conn.execute(select(ARTICLES.c.id, ARTICLES.c.last_seen)
                            .where(ARTICLES.c.removed_at.is_(None))
                            .order_by(ARTICLES.c.last_seen, ARTICLES.c.id)).all()
        removed = list(conn.scalars(select(ARTICLES.c.id)
                                    .where(ARTICLES.c.removed_at.is_not(None))))
        if days <= 0:
            due = [row.id for row in rows]
        else:
            window = timedelta(days=days)
            previous = conn.scalar(select(func.max(RUNS.c.started_at))
                                   .where(RUNS.c.status != "running"))
            elapsed = now - as_utc(previous) if previous else window
            quota = math.ceil(len(rows) * max(0.0, min(1.0, elapsed / window)))
            due = [row.id for i, row in enumerate(rows)
                   if i < quota or as_utc(row.last_seen) <= now - window]
        due += removed
        urls: set[str] = set()
        for start in range(0, len(due), 500):
            urls.update(conn.scalars(select(URLS.c.normalized_url)
                                     .where(URLS.c.article_id.in_(due[start:start + 500]))))
        return urls


