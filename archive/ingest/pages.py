"""What a crawl records of pages besides their articles (failures with their reason, the URLs
the portal lists) and what it reads back before fetching (validators, last visits, the URLs
to re-check)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from archive.ingest.records import cut, fits
from archive.storage.database import Database, retrying
from archive.storage.models import Article, ArticleUrl, CrawlRun, FetchFailure, ListedUrl
from archive.storage.times import as_utc, utcnow
from archive.storage.urls import normalize_url

ARTICLES = Article.__table__
URLS = ArticleUrl.__table__
RUNS = CrawlRun.__table__
FAILURES = FetchFailure.__table__
LISTED = ListedUrl.__table__


def record_failure(db: Database, url: str, reason: str, message: str | None = None,
                   run_id: int | None = None) -> None:
    """A page that could not be archived: kept with its reason, counted in the run."""
    def work(conn: Connection) -> None:
        conn.execute(insert(FAILURES).values(crawl_run_id=run_id, at=utcnow(),
                                             url=cut(url, FAILURES.c.url),
                                             reason=reason, message=(message or "")[:2000]))
        if run_id is not None:
            conn.execute(update(RUNS).where(RUNS.c.id == run_id)
                         .values(failed=RUNS.c.failed + 1))

    retrying(db, work)


def record_listed(db: Database, urls: Iterable[str], source: str, found_on: str | None = None,
                  run_id: int | None = None, at: datetime | None = None) -> int:
    """URLs the portal names (``source``: ``sitemap``, ``feed`` or ``page``), kept once each
    by identity with the form first written, for ``coverage``. Returns how many were new."""
    at = at or utcnow()
    forms: dict[str, str] = {}
    for url in urls:
        key = normalize_url(url)
        # Longer ones are never requested (URLLENGTH_LIMIT) and no column holds them.
        if fits(url, LISTED.c.url) and fits(key, LISTED.c.normalized_url):
            forms.setdefault(key, url)
    keys = list(forms)  # in the order named

    def work(conn: Connection) -> int:
        new = 0
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            known = set(conn.scalars(select(LISTED.c.normalized_url)
                                     .where(LISTED.c.normalized_url.in_(chunk))))
            if known:
                conn.execute(update(LISTED).where(LISTED.c.normalized_url.in_(sorted(known)))
                             .values(last_seen=at, last_run_id=run_id))
            rows = [{"url": forms[key], "normalized_url": key, "source": source,
                     "found_on": found_on, "first_seen": at, "last_seen": at,
                     "last_run_id": run_id} for key in chunk if key not in known]
            if rows:
                conn.execute(insert(LISTED), rows)
            new += len(rows)
        return new

    return retrying(db, work) if keys else 0


def validators(db: Database, urls: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
    """``{normalized url: (etag, last_modified)}`` for conditional requests."""
    wanted = sorted({normalize_url(u) for u in urls})
    result: dict[str, tuple[str | None, str | None]] = {}
    with db.engine.connect() as conn:
        for start in range(0, len(wanted), 500):
            rows = conn.execute(
                select(URLS.c.normalized_url, URLS.c.etag, URLS.c.last_modified)
                .where(URLS.c.normalized_url.in_(wanted[start:start + 500]))
                .where(URLS.c.etag.is_not(None) | URLS.c.last_modified.is_not(None)))
            result.update({row[0]: (row[1], row[2]) for row in rows})
    return result


def last_seen_by_url(db: Database) -> dict[str, datetime]:
    """``{normalized url: when its article was last seen}`` (UTC): a sitemap ``lastmod``
    older than that means the page cannot have changed since."""
    with db.engine.connect() as conn:
        rows = conn.execute(select(URLS.c.normalized_url, ARTICLES.c.last_seen)
                            .join(ARTICLES, ARTICLES.c.id == URLS.c.article_id))
        return {url: as_utc(seen) for url, seen in rows}


def known_article_urls(db: Database) -> list[str]:
    """For each archived article, the URL that last served it (as the site wrote it): what a
    re-crawl re-checks when links no longer lead there (a removed article vanishes from
    listings and sitemaps)."""
    query = (select(URLS.c.article_id, URLS.c.url)
             .join(ARTICLES, ARTICLES.c.id == URLS.c.article_id)
             .where(URLS.c.http_status.in_((200, 404, 410)))
             .order_by(URLS.c.article_id, URLS.c.last_seen, URLS.c.id))
    latest: dict[int, str] = {}
    with db.engine.connect() as conn:
        for article_id, url in conn.execute(query):
            latest[article_id] = url
    return list(latest.values())


