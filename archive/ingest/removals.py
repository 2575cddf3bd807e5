"""Removals and returns: a 404/410 marks an article removed (nothing is ever deleted), a 304
or a later 200 shows it again; an old 404 from a web archive is a removal in the past."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from archive.ingest import revisions
from archive.ingest.articles import (
    _ARTICLE_BY_ID,
    _ARTICLE_OF_URL,
    _UPDATE_ARTICLE,
    _UPDATE_URL,
    _UPDATE_URLS_OF,
    EVENTS,
    _done,
    _event,
    _find_by_urls,
    _lock,
    remove_article,
)
from archive.ingest.records import Fetch, IngestResult, Outcome
from archive.storage.database import Database, retrying
from archive.storage.models import ArticleUrl, Capture
from archive.storage.times import as_utc
from archive.storage.urls import normalize_url

URLS = ArticleUrl.__table__
CAPTURES = Capture.__table__


def mark_gone(db: Database, fetch: Fetch, run_id: int | None = None) -> IngestResult:
    """A 404/410 for an article's URL: the article is marked removed, never deleted."""
    def work(conn: Connection) -> IngestResult:
        # Only a URL that served the article, exactly as it served it: "/slug" may 404
        # where "/slug/" lives, and that is no removal.
        article_id = conn.scalar(_ARTICLE_OF_URL, {"url": fetch.url})
        if article_id is None:
            return IngestResult(Outcome.UNKNOWN, None)
        _lock(conn, article_id)
        article = conn.execute(_ARTICLE_BY_ID, {"key_id": article_id}).first()
        if article.last_seen is not None and fetch.fetched_at < as_utc(article.last_seen):
            return _removed_in_the_past(conn, article_id, fetch, run_id)
        conn.execute(_UPDATE_URL, {"key_url": fetch.url, "last_seen": fetch.fetched_at,
                                   "http_status": fetch.status})
        landed = fetch.landed_url
        return remove_article(conn, article_id, fetch, run_id, url=fetch.url,
                              status=fetch.status,
                              final_url=landed if landed != fetch.url else None,
                              page_kind="not-found")

    return retrying(db, work)


def _removed_in_the_past(conn: Connection, article_id: int, fetch: Fetch,
                         run_id: int | None) -> IngestResult:
    """A 404/410 older than the article's latest observation (a web archive's): a removal
    then, and a restoration at the article's next observation after it, unless the history
    holds that removal already. The article as it is now is left alone."""
    at = fetch.fetched_at
    back = revisions.next_observation(conn, article_id, at)
    known = conn.execute(select(EVENTS.c.kind, EVENTS.c.at).where(
        EVENTS.c.article_id == article_id, EVENTS.c.kind.in_(("removed", "restored")))
        .order_by(EVENTS.c.at, EVENTS.c.id)).all()
    state_then = "live"
    for kind, when in known:
        if as_utc(when) <= at:
            state_then = "removed" if kind == "removed" else "live"
    if state_then == "removed":
        return _done(conn, run_id, Outcome.UNCHANGED, article_id)
    _event(conn, article_id, at, "removed", fetch.url, fetch.status, run_id,
           page_kind="not-found")
    if back is not None and not any(kind == "restored" and at < as_utc(when) <= back
                                    for kind, when in known):
        _event(conn, article_id, back, "restored", fetch.url, 200, run_id)
    return _done(conn, run_id, Outcome.REMOVED, article_id)


def mark_not_modified(db: Database, fetch: Fetch, run_id: int | None = None) -> IngestResult:
    """A 304 answer: nothing downloaded, nothing extracted; the article was seen."""
    def work(conn: Connection) -> IngestResult:
        article = _find_by_urls(conn, {normalize_url(fetch.url)})
        if article is None:
            return IngestResult(Outcome.UNKNOWN, None)
        conn.execute(_UPDATE_URLS_OF, {"normal": normalize_url(fetch.url),
                                       "last_seen": fetch.fetched_at,
                                       "http_status": fetch.status})
        values: dict[str, Any] = {"last_seen": fetch.fetched_at}
        outcome = Outcome.UNCHANGED
        if article.removed_at is not None:
            values["removed_at"] = None
            _event(conn, article.id, fetch.fetched_at, "restored", fetch.url, fetch.status,
                   run_id)
            outcome = Outcome.RESTORED
        if run_id is not None:
            values["checked_run_id"] = run_id
        conn.execute(_UPDATE_ARTICLE, {"key_id": article.id, **values})
        return _done(conn, run_id, outcome, article.id, checked=article.checked_run_id)

    return retrying(db, work)




def reconcile_removals(db: Database, article_id: int, run_id: int | None = None) -> int:
    """Apply the 404/410 captures of the article's URLs that arrived before the article did
    (an import or a backfill taking a later era first): each is a removal at its time, as if
    it had come after. Returns how many were removals."""
    urls = select(URLS.c.normalized_url).where(URLS.c.article_id == article_id)
    with db.engine.connect() as conn:
        gone = conn.execute(select(CAPTURES.c.url, CAPTURES.c.http_status,
                                   CAPTURES.c.fetched_at, CAPTURES.c.origin,
                                   CAPTURES.c.source)
                            .where(CAPTURES.c.normalized_url.in_(urls.scalar_subquery()),
                                   CAPTURES.c.http_status.in_((404, 410)))
                            .order_by(CAPTURES.c.fetched_at, CAPTURES.c.id)).all()
    removals = 0
    for url, status, at, origin, source in gone:
        fetch = Fetch(url=url, status=status, fetched_at=as_utc(at), origin=origin,
                      source=source)
        if mark_gone(db, fetch, run_id).outcome is Outcome.REMOVED:
            removals += 1
    return removals
