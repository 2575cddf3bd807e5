"""``coverage``: every URL the portal's sitemaps, feeds and pages name, against what the
archive holds — the report a researcher reads to trust the archive's completeness.

Each named URL (``listed_urls``) gets one status, from the archive's own records:

- ``archived``: an article holds it (any URL that reached an article: canonical, redirect,
  variant); its ``kind`` (news, theme, event, ...) is given;
- ``refused``: fetched but not archived, with the last reason from ``fetch_failures``
  (``no-text``, ``not-article``, ``fetch-error``, …), unless a later fetch went through;
- ``gone``: the portal answered 404/410 and no article holds it;
- ``not-article``: fetched, and neither the extractor nor the page's markup calls it an
  article (a listing, tag or home page: crawled for links);
- ``never-fetched``: never requested (a crawl cut short, a query-variant cap, or
  ``robots.txt``, then the reason says so).

Beside the named URLs, ``source_summary`` counts the sources the articles cite.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from archive.sources.read import source_counts
from archive.storage.database import Database
from archive.storage.models import Article, ArticleUrl, Capture, FetchFailure, ListedUrl
from archive.storage.times import as_utc, iso_instant
from archive.storage.urls import normalize_url

STATUSES = ("archived", "refused", "gone", "not-article", "never-fetched")
#: Columns of a coverage row (JSON keys, CSV header), in this order.
COLUMNS = ("url", "status", "reason", "article_id", "kind", "source", "found_on",
           "first_listed", "last_listed")
#: Failure reasons that mean the page was never requested.
_NOT_REQUESTED = frozenset({"robots-txt"})


def coverage(db: Database, statuses: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """One row per named URL (as the portal wrote it), in the order first named."""
    article_of = (select(func.min(ArticleUrl.article_id))
                  .where(ArticleUrl.normalized_url == ListedUrl.normalized_url)
                  .scalar_subquery())
    last_capture = (select(func.max(Capture.id))
                    .where(Capture.normalized_url == ListedUrl.normalized_url)
                    .scalar_subquery())
    with db.session() as session:
        failures: dict[str, tuple[datetime, str]] = {}
        for url, at, reason in session.execute(
                select(FetchFailure.url, FetchFailure.at, FetchFailure.reason)
                .order_by(FetchFailure.id)):
            failures[normalize_url(url)] = (as_utc(at), reason)
        listed_rows = session.execute(  # columns, not ORM objects: 5x faster at 20,000
            select(ListedUrl.url, ListedUrl.normalized_url, ListedUrl.source,
                   ListedUrl.found_on, ListedUrl.first_seen, ListedUrl.last_seen,
                   article_of.label("article_id"), last_capture.label("capture_id"))
            .order_by(ListedUrl.id)).all()
        wanted = sorted({row.capture_id for row in listed_rows if row.capture_id is not None})
        captures: dict[int, tuple[datetime, int]] = {}
        for start in range(0, len(wanted), 500):
            captures.update({row.id: (as_utc(row.fetched_at), row.http_status)
                             for row in session.execute(
                                 select(Capture.id, Capture.fetched_at, Capture.http_status)
                                 .where(Capture.id.in_(wanted[start:start + 500])))})
        archived = sorted({row.article_id for row in listed_rows if row.article_id is not None})
        kinds: dict[int, str] = {}
        for start in range(0, len(archived), 500):
            kinds.update(session.execute(select(Article.id, Article.kind).where(
                Article.id.in_(archived[start:start + 500]))).all())
        rows = []
        for listed in listed_rows:
            article_id = listed.article_id
            status, reason = _status(article_id, failures.get(listed.normalized_url),
                                     captures.get(listed.capture_id))
            if statuses and status not in statuses:
                continue
            rows.append({"url": listed.url, "status": status, "reason": reason,
                         "article_id": article_id, "kind": kinds.get(article_id),
                         "source": listed.source,
                         "found_on": listed.found_on,
                         "first_listed": iso_instant(as_utc(listed.first_seen)),
                         "last_listed": iso_instant(as_utc(listed.last_seen))})
        return rows


def _status(article_id: int | None, failure: tuple[datetime, str] | None,
            capture: tuple[datetime, int] | None) -> tuple[str, str | None]:
    if article_id is not None:
        return "archived", None
    if failure is not None and (capture is None or failure[0] >= capture[0]):
        at, reason = failure
        return ("never-fetched" if reason in _NOT_REQUESTED else "refused"), reason
    if capture is not None:
        status = capture[1]
        return ("gone", f"http-{status}") if status in (404, 410) else ("not-article", None)
    return "never-fetched", None


def source_summary(db: Database) -> dict[str, int]:
    """The other half of completeness: how many sources (pages and documents the articles
    cite, one hop out) are cited, captured, refused, failed and gone."""
    return source_counts(db)


def summary(rows: list[dict[str, Any]]) -> dict[str, int]:
    """How many named URLs have each status, and in all."""
    counts = {status: 0 for status in STATUSES}
    for row in rows:
        counts[row["status"]] += 1
    return {"named": len(rows), **counts}
