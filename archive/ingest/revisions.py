"""An article's revisions in the order of time, whoever observed them.

A revision is a run of consecutive observations of the same content; its ``fetched_at`` is the
first observation of that run, whether our crawl made it or a web archive did. Observations
arrive in any order (a backfill brings 2019 after a crawl of today), so one that is older than
what the article has seen since is *placed* among the revisions by its time:

- the same content as the revision in effect then: nothing new (an observation);
- the same content as the revision after it: that revision's run starts earlier (it is
  re-dated to this observation, its provenance with it);
- else a revision of its own, between the two; the diff of the one after it is then taken
  against it, and where the article was observed again before that next revision (our crawl's
  captures), the earlier content comes back there as a revision of its own.

A revision's ``number`` is given once, when it is stored (one more than the article's
highest), and never changes: it is what links and citations name. Order by ``fetched_at``
(then ``number``) for the sequence of versions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from archive.ingest.records import Fetch, Outcome, Record
from archive.storage.changes import Seen, Version, describe, fill
from archive.storage.content import Change, Content, compare
from archive.storage.database import Database, retrying
from archive.storage.models import ArticleUrl, Capture, Revision
from archive.storage.times import as_utc

REVISIONS = Revision.__table__
URLS = ArticleUrl.__table__
CAPTURES = Capture.__table__

_INSERT_REVISION = insert(REVISIONS).returning(REVISIONS.c.id)
_NEXT_NUMBER = select(func.coalesce(func.max(REVISIONS.c.number), 0) + 1).where(
    REVISIONS.c.article_id == bindparam("key_id"))
_IN_ORDER = (select(REVISIONS).where(REVISIONS.c.article_id == bindparam("key_id"))
             .order_by(REVISIONS.c.fetched_at, REVISIONS.c.number))
_UPDATE_REVISION = update(REVISIONS).where(REVISIONS.c.id == bindparam("key_id"))
#: Our own observations of the article between two times: its URLs' captures that served it.
_OBSERVED_BETWEEN = (
    select(func.min(CAPTURES.c.fetched_at))
    .where(CAPTURES.c.normalized_url.in_(
        select(URLS.c.normalized_url).where(URLS.c.article_id == bindparam("key_id"))
        .scalar_subquery()))
    .where(CAPTURES.c.http_status.in_((200, 304)))
    .where(CAPTURES.c.fetched_at > bindparam("after"))
    .where(CAPTURES.c.fetched_at < bindparam("before")))
#: Far enough ahead to stand for "no later revision".
_NEVER = datetime(9999, 1, 1)


def content_of(revision) -> Content:
    if revision is None:
        return Content("", "", (), None, None)
    return Content(revision.title, revision.text, tuple(revision.tags), revision.published,
                   revision.modified)


def next_number(conn: Connection, article_id: int) -> int:
    return conn.scalar(_NEXT_NUMBER, {"key_id": article_id})


def revision_row(article_id: int, number: int, record: Record, content: Content, fetch: Fetch,
                 run_id: int | None, *, change_kind: str, change: Change | None = None,
                 origin: str | None = None, previous: Version | None = None
                 ) -> dict[str, Any]:
    """The row of a new revision; ``previous``: the version before it in time (None: the
    article's first), which its change record (``archive.storage.changes``) is taken against."""
    return {
        "article_id": article_id, "number": number, "fetched_at": fetch.fetched_at,
        "crawl_run_id": run_id, "url": fetch.landed_url, "title": content.title,
        "language": record.language, "published": content.published,
        "modified": content.modified, "tags": list(content.tags), "text": content.text,
        "published_at": record.published_at, "modified_at": record.modified_at,
        "content_hash": content.fingerprint(), "extractor_version": record.extractor_version,
        "origin": origin or fetch.origin, "change_kind": change_kind,
        "capture_id": fetch.capture_id, "source": fetch.source,
        **_change_values(content, change),
        **describe(previous, Seen.of(content, record.language)).columns()}


def add_revision(conn: Connection, article_id: int, number: int, record: Record,
                 content: Content, fetch: Fetch, run_id: int | None, *, change_kind: str,
                 change: Change | None = None, origin: str | None = None,
                 previous: Version | None = None) -> int:
    return conn.execute(_INSERT_REVISION, revision_row(
        article_id, number, record, content, fetch, run_id, change_kind=change_kind,
        change=change, origin=origin, previous=previous)).scalar_one()


def _change_values(content: Content, change: Change | None) -> dict[str, Any]:
    return {"lines_added": change.lines_added if change else len(content.as_document()),
            "lines_removed": change.lines_removed if change else 0,
            "diff": change.diff if change else None}


def _compare(old, new: Content, old_number: int | None, new_number: int) -> Change | None:
    return compare(content_of(old), new, f"revision {old_number or 0}",
                   f"revision {new_number}")


def _rediff(conn: Connection, revision, before_content: Content | None,
            before_number: int | None, before_language: str | None = None) -> None:
    """The revision's change (its diff and its change record) taken anew against the revision
    now before it in time."""
    content = content_of(revision)
    before = (Seen.of(before_content, before_language) if before_content is not None
              else None)
    change = (compare(before_content, content, f"revision {before_number}",
                      f"revision {revision.number}") if before_content is not None else None)
    if revision.origin == "extractor":
        kind = f"extractor:{change.kind}" if change else revision.change_kind
    else:
        kind = change.kind if change else "new"
    conn.execute(_UPDATE_REVISION, {"key_id": revision.id, "change_kind": kind,
                                    **_change_values(content, change),
                                    **describe(before, revision).columns()})


def place(conn: Connection, article_id: int, record: Record, content: Content, fetch: Fetch,
          run_id: int | None) -> tuple[Outcome, int | None, int | None]:
    """An observation older than the article's latest, placed by its time (see the module's
    docstring). Returns ``(outcome, number of a new revision or None, id of the revision now
    latest in time when that changed, else None)``."""
    at = fetch.fetched_at
    revisions = conn.execute(_IN_ORDER, {"key_id": article_id}).all()
    before = [r for r in revisions if r.fetched_at <= at]
    after = [r for r in revisions if r.fetched_at > at]
    previous = before[-1] if before else None
    following = after[0] if after else None
    if previous is not None and compare(content_of(previous), content, "", "") is None:
        return Outcome.UNCHANGED, None, None
    # The article seen again before the next revision: then it still showed the earlier content.
    seen_again = conn.scalar(_OBSERVED_BETWEEN, {
        "key_id": article_id, "after": at,
        "before": following.fetched_at if following is not None else _NEVER})
    if (following is not None and seen_again is None
            and compare(content, content_of(following), "", "") is None):
        conn.execute(_UPDATE_REVISION, {
            "key_id": following.id, "fetched_at": at, "url": fetch.landed_url,
            "capture_id": fetch.capture_id, "crawl_run_id": run_id, "origin": fetch.origin,
            "source": fetch.source})
        return Outcome.UNCHANGED, None, None
    number = next_number(conn, article_id)
    change = _compare(previous, content, previous.number if previous else None, number) \
        if previous is not None else None
    add_revision(conn, article_id, number, record, content, fetch, run_id,
                 change_kind=change.kind if change else "new", change=change, previous=previous)
    latest_id = None
    if previous is not None and seen_again is not None:  # the earlier content is back then
        back = next_number(conn, article_id)
        old = content_of(previous)
        returned = compare(content, old, f"revision {number}", f"revision {back}")
        again = Fetch(url=previous.url, fetched_at=seen_again, origin=previous.origin,
                      source=previous.source)
        revision_id = add_revision(
            conn, article_id, back, _record_of(previous, record), old, again, None,
            change_kind=returned.kind, change=returned, origin=previous.origin,
            previous=Seen.of(content, record.language))
        if following is None:
            latest_id = revision_id
        else:
            _rediff(conn, following, old, back, previous.language)
    elif following is not None:
        _rediff(conn, following, content, number, record.language)
    return Outcome.REVISED, number, latest_id


def _record_of(revision, like: Record) -> Record:
    """A stored revision as a record (its own language and extractor version)."""
    return Record(canonical_url=like.canonical_url, title=revision.title, text=revision.text,
                  language=revision.language, published=revision.published,
                  modified=revision.modified, tags=tuple(revision.tags),
                  extractor_version=revision.extractor_version, kind=like.kind)


_FIRST_REVISION_AFTER = select(func.min(REVISIONS.c.fetched_at)).where(
    REVISIONS.c.article_id == bindparam("key_id"), REVISIONS.c.fetched_at > bindparam("after"))


def next_observation(conn: Connection, article_id: int, after: datetime) -> datetime | None:
    """When the article was next seen served after ``after`` (a capture or a revision)."""
    seen = [conn.scalar(_OBSERVED_BETWEEN, {"key_id": article_id, "after": after,
                                            "before": _NEVER}),
            conn.scalar(_FIRST_REVISION_AFTER, {"key_id": article_id, "after": after})]
    found = [as_utc(s) for s in seen if s is not None]
    return min(found) if found else None


def refresh_change_records(db: Database, article_ids: list[int]) -> int:
    """Recompute what each revision of these articles changed (``reextract``, after a newer
    nordarchive changed the rules); how many records were stored anew."""
    done = 0
    for start in range(0, len(article_ids), 500):
        chunk = article_ids[start:start + 500]
        done += retrying(db, lambda conn, chunk=chunk: fill(conn, chunk))
    return done
