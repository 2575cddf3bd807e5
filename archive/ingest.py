"""The one way into the archive: an extracted record plus the facts of its fetch.

Every call is one transaction: an article, its URLs, its revision, its tags and its search entry
are written together or not at all, and the crawl run's counters move in the same transaction,
so a crash at any point leaves an archive whose counts match its content.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from archive import search
from archive.db import Database
from archive.diffs import Content, compare
from archive.models import (
    Article,
    ArticleEvent,
    ArticleTag,
    ArticleUrl,
    CrawlRun,
    FetchFailure,
    Revision,
    Tag,
    Translation,
)
from archive.urls import normalize_url

#: How often one ingest is tried when a concurrent writer got there first.
ATTEMPTS = 4


def utcnow() -> datetime:
    return datetime.now(UTC)


class Outcome(StrEnum):
    NEW = "new"
    REVISED = "revised"
    UNCHANGED = "unchanged"
    ALIAS = "alias"
    REMOVED = "removed"
    RESTORED = "restored"
    UNKNOWN = "unknown"  # a 404 for a URL the archive never held


#: Which crawl-run counter each outcome moves.
_RUN_COUNTER = {Outcome.NEW: "new", Outcome.REVISED: "revised", Outcome.UNCHANGED: "unchanged",
                Outcome.ALIAS: "aliases", Outcome.REMOVED: "removed",
                Outcome.RESTORED: "restored"}


@dataclass(frozen=True)
class Fetch:
    """What the crawler knows of one HTTP exchange."""

    url: str
    status: int = 200
    final_url: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    fetched_at: datetime = field(default_factory=utcnow)
    #: URLs that answered 301/308 on the way to ``final_url``.
    redirects: tuple[str, ...] = ()

    @property
    def landed_url(self) -> str:
        return self.final_url or self.url

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass(frozen=True)
class Record:
    """The archive's view of an extracted article (``crawler.extraction.Article.to_dict()``)."""

    canonical_url: str
    title: str
    text: str
    language: str
    published: date | None = None
    modified: date | None = None
    tags: tuple[str, ...] = ()
    section: str | None = None
    translations: Mapping[str, str] = field(default_factory=dict)
    extractor_version: str = "unknown"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Record:
        def as_date(value: Any) -> date | None:
            if value is None or isinstance(value, date):
                return value
            return date.fromisoformat(str(value))

        return cls(
            canonical_url=data.get("canonical_url") or data["url"],
            title=data.get("title") or "",
            text=data.get("text") or "",
            language=data.get("language") or "und",
            published=as_date(data.get("published")),
            modified=as_date(data.get("modified")),
            tags=tuple(data.get("tags") or ()),
            section=data.get("section"),
            translations=dict(data.get("translations") or {}),
            extractor_version=data.get("extractor_version") or "unknown",
        )

    @property
    def content(self) -> Content:
        return Content(self.title, self.text, tuple(self.tags), self.published, self.modified)


@dataclass(frozen=True)
class IngestResult:
    outcome: Outcome
    article_id: int | None
    revision: int | None = None


def _retrying(db: Database, work) -> Any:
    """Run ``work(session)`` in its own transaction; a unique-key race with a concurrent
    writer (or a dropped connection) rolls back and tries again from the start."""
    for attempt in range(ATTEMPTS):
        try:
            with db.session() as session:
                return work(session)
        except (IntegrityError, OperationalError):
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def ingest(db: Database, record: Record | Mapping[str, Any], fetch: Fetch,
           run_id: int | None = None) -> IngestResult:
    """Store one fetched article: new, revised, unchanged, alias or restored."""
    if not isinstance(record, Record):
        record = Record.from_mapping(record)
    return _retrying(db, lambda session: _ingest(session, record, fetch, run_id))


def _ingest(session: Session, record: Record, fetch: Fetch, run_id: int | None) -> IngestResult:
    now = fetch.fetched_at
    canonical = normalize_url(record.canonical_url or fetch.landed_url)
    seen = list(dict.fromkeys([*fetch.redirects, fetch.url, fetch.landed_url,
                               record.canonical_url or fetch.landed_url]))
    content = record.content.normalized()
    article = _find_by_urls(session, {normalize_url(u) for u in seen} | {canonical})
    found_by_content = False
    if article is None:
        article = _find_moved(session, content, record.language, canonical)
        found_by_content = article is not None
    if article is None:
        article = Article(canonical_url=canonical, language=record.language,
                          section=record.section, first_seen=now, last_seen=now,
                          content_hash=content.fingerprint(),
                          body_hash=content.body_fingerprint(), title=content.title,
                          published=content.published, modified=content.modified)
        session.add(article)
        session.flush()
        _attach_urls(session, article, seen, canonical, fetch)
        revision = _add_revision(session, article, 1, record, content, fetch, run_id,
                                 change_kind="new")
        _refresh_article(session, article, record, content, canonical, revision, new=True)
        return _done(session, run_id, Outcome.NEW, article.id, 1)

    _lock(session, article)
    new_url = _attach_urls(session, article, seen, canonical, fetch)
    outcome = Outcome.UNCHANGED
    if article.removed_at is not None:
        article.removed_at = None
        session.add(ArticleEvent(article_id=article.id, at=now, kind="restored",
                                 url=fetch.landed_url, http_status=fetch.status,
                                 crawl_run_id=run_id))
        outcome = Outcome.RESTORED
    current = session.get(Revision, article.current_revision_id)
    number = current.number if current else 0
    change = compare(_content_of(current), content, f"revision {number}",
                     f"revision {number + 1}") if current else None
    revision_number = None
    if change is not None:
        revision = _add_revision(session, article, number + 1, record, content, fetch, run_id,
                                 change_kind=change.kind, change=change)
        _refresh_article(session, article, record, content, canonical, revision)
        revision_number = number + 1
        if outcome is Outcome.UNCHANGED:
            outcome = Outcome.REVISED
    else:
        if canonical != article.canonical_url and not _taken(session, canonical, article.id):
            article.canonical_url = canonical  # the slug changed; the newest URL leads
        if (new_url or found_by_content) and outcome is Outcome.UNCHANGED:
            session.add(ArticleEvent(article_id=article.id, at=now, kind="alias",
                                     url=fetch.landed_url, http_status=fetch.status,
                                     crawl_run_id=run_id))
            outcome = Outcome.ALIAS
        _refresh_links(session, article, record)
    article.last_seen = now
    return _done(session, run_id, outcome, article.id, revision_number)


def mark_gone(db: Database, fetch: Fetch, run_id: int | None = None) -> IngestResult:
    """A 404/410 for an article's URL: the article is marked removed, never deleted."""
    def work(session: Session) -> IngestResult:
        # Only a URL that served the article, exactly as it served it: "/slug" may 404
        # where "/slug/" lives, and that is no removal.
        row = session.scalar(select(ArticleUrl).where(ArticleUrl.url == fetch.url))
        if row is None:
            return IngestResult(Outcome.UNKNOWN, None)
        article = session.get(Article, row.article_id)
        _lock(session, article)
        row.last_seen = fetch.fetched_at
        row.http_status = fetch.status
        if article.removed_at is not None:
            return _done(session, run_id, Outcome.UNCHANGED, article.id)
        article.removed_at = fetch.fetched_at
        session.add(ArticleEvent(article_id=article.id, at=fetch.fetched_at, kind="removed",
                                 url=fetch.url, http_status=fetch.status, crawl_run_id=run_id))
        return _done(session, run_id, Outcome.REMOVED, article.id)

    return _retrying(db, work)


def mark_not_modified(db: Database, fetch: Fetch, run_id: int | None = None) -> IngestResult:
    """A 304 answer: nothing downloaded, nothing extracted; the article was seen."""
    def work(session: Session) -> IngestResult:
        article = _find_by_urls(session, {normalize_url(fetch.url)})
        if article is None:
            return IngestResult(Outcome.UNKNOWN, None)
        _touch_url(session, fetch)
        article.last_seen = fetch.fetched_at
        outcome = Outcome.UNCHANGED
        if article.removed_at is not None:
            article.removed_at = None
            session.add(ArticleEvent(article_id=article.id, at=fetch.fetched_at,
                                     kind="restored", url=fetch.url, http_status=fetch.status,
                                     crawl_run_id=run_id))
            outcome = Outcome.RESTORED
        return _done(session, run_id, outcome, article.id)

    return _retrying(db, work)


def record_failure(db: Database, url: str, reason: str, message: str | None = None,
                   run_id: int | None = None) -> None:
    """A page that could not be archived: kept with its reason, counted in the run."""
    def work(session: Session) -> None:
        session.add(FetchFailure(crawl_run_id=run_id, at=utcnow(), url=url, reason=reason,
                                 message=(message or "")[:2000]))
        if run_id is not None:
            session.execute(update(CrawlRun).where(CrawlRun.id == run_id)
                            .values(failed=CrawlRun.failed + 1))

    _retrying(db, work)


def validators(db: Database, urls: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
    """``{normalized url: (etag, last_modified)}`` for conditional requests."""
    wanted = {normalize_url(u) for u in urls}
    if not wanted:
        return {}
    with db.session() as session:
        rows = session.execute(
            select(ArticleUrl.normalized_url, ArticleUrl.etag, ArticleUrl.last_modified)
            .where(ArticleUrl.normalized_url.in_(wanted))
            .where((ArticleUrl.etag.is_not(None)) | (ArticleUrl.last_modified.is_not(None)))
        )
        return {row[0]: (row[1], row[2]) for row in rows}


def last_seen_by_url(db: Database) -> dict[str, datetime]:
    """``{normalized url: when its article was last seen}`` (UTC): a sitemap ``lastmod``
    older than that means the page cannot have changed since."""
    with db.session() as session:
        rows = session.execute(select(ArticleUrl.normalized_url, Article.last_seen)
                               .join(Article, Article.id == ArticleUrl.article_id))
        return {url: (seen if seen.tzinfo else seen.replace(tzinfo=UTC)) for url, seen in rows}


def known_article_urls(db: Database, *, include_removed: bool = True) -> list[str]:
    """For each archived article, the URL that last served it (as the site wrote it): what a
    re-crawl re-checks when links no longer lead there (a removed article vanishes from
    listings and sitemaps)."""
    with db.session() as session:
        query = (select(ArticleUrl.article_id, ArticleUrl.url)
                 .join(Article, Article.id == ArticleUrl.article_id)
                 .where(ArticleUrl.http_status.in_((200, 404, 410)))
                 .order_by(ArticleUrl.article_id, ArticleUrl.last_seen, ArticleUrl.id))
        if not include_removed:
            query = query.where(Article.removed_at.is_(None))
        latest: dict[int, str] = {}
        for article_id, url in session.execute(query):
            latest[article_id] = url
        return list(latest.values())


# --- helpers ---------------------------------------------------------------------------------


def _find_by_urls(session: Session, normalized: set[str]) -> Article | None:
    """The article any of these URLs reached (every canonical URL is among its URLs)."""
    article_id = session.scalar(
        select(ArticleUrl.article_id).where(ArticleUrl.normalized_url.in_(sorted(normalized)))
        .order_by(ArticleUrl.id).limit(1)
    )
    return session.get(Article, article_id) if article_id is not None else None


def _find_moved(session: Session, content: Content, language: str,
                canonical: str) -> Article | None:
    """The same title and text on the same site under another URL: a changed slug."""
    if not content.text:
        return None
    host = urlsplit(canonical).hostname
    for candidate in session.scalars(
        select(Article).where(Article.body_hash == content.body_fingerprint(),
                              Article.language == language)
    ):
        if urlsplit(candidate.canonical_url).hostname == host:
            return candidate
    return None


def _lock(session: Session, article: Article) -> None:
    """Serialise concurrent writers of one article on PostgreSQL (SQLite locks the file)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Article.id).where(Article.id == article.id).with_for_update())
        session.refresh(article)


def _taken(session: Session, canonical: str, article_id: int) -> bool:
    return session.scalar(select(Article.id).where(Article.canonical_url == canonical,
                                                   Article.id != article_id)) is not None


def _attach_urls(session: Session, article: Article, seen: list[str], canonical: str,
                 fetch: Fetch) -> bool:
    """Record every URL of this fetch; True when one is new to the article (not merely a
    tracking or slash variant of a URL it had)."""
    known_normal = set(session.scalars(select(ArticleUrl.normalized_url)
                                       .where(ArticleUrl.article_id == article.id)))
    recorded = set(known_normal)
    known_normal.add(article.canonical_url)
    new_url = False
    now = fetch.fetched_at
    rows = {row.url: row for row in session.scalars(
        select(ArticleUrl).where(ArticleUrl.url.in_(seen)))}
    for url in seen:
        normal = normalize_url(url)
        row = rows.get(url)
        if row is None:
            if url in fetch.redirects:
                kind = "redirect"
            elif normal in recorded:
                kind = "variant"  # a tracking, slash or case variant of a URL it had
            elif normal == canonical:
                kind = "canonical"
            else:
                kind = "fetched"
            row = ArticleUrl(url=url, normalized_url=normal, article_id=article.id, kind=kind,
                             first_seen=now, last_seen=now)
            session.add(row)
            if normal not in known_normal:
                new_url = True
                known_normal.add(normal)
        else:
            row.last_seen = now
            row.article_id = article.id
        if url == fetch.landed_url:
            row.http_status = fetch.status
            row.etag = fetch.header("ETag")
            row.last_modified = fetch.header("Last-Modified")
        elif url in fetch.redirects:
            row.http_status = 301
    session.flush()
    return new_url


def _touch_url(session: Session, fetch: Fetch) -> None:
    for row in session.scalars(select(ArticleUrl).where(
            ArticleUrl.normalized_url == normalize_url(fetch.url))):
        row.last_seen = fetch.fetched_at
        row.http_status = fetch.status


def _content_of(revision: Revision | None) -> Content:
    if revision is None:
        return Content("", "", (), None, None)
    return Content(revision.title, revision.text, tuple(revision.tags), revision.published,
                   revision.modified)


def _add_revision(session: Session, article: Article, number: int, record: Record,
                  content: Content, fetch: Fetch, run_id: int | None, *, change_kind: str,
                  change=None, origin: str = "site") -> Revision:
    revision = Revision(
        article_id=article.id, number=number, fetched_at=fetch.fetched_at, crawl_run_id=run_id,
        url=fetch.landed_url, title=content.title, language=record.language,
        published=content.published, modified=content.modified, tags=list(content.tags),
        text=content.text, content_hash=content.fingerprint(),
        extractor_version=record.extractor_version, origin=origin, change_kind=change_kind,
        lines_added=change.lines_added if change else len(content.as_document()),
        lines_removed=change.lines_removed if change else 0,
        diff=change.diff if change else None,
    )
    session.add(revision)
    session.flush()
    return revision


def _refresh_article(session: Session, article: Article, record: Record, content: Content,
                     canonical: str, revision: Revision, *, new: bool = False) -> None:
    article.current_revision_id = revision.id
    article.language = record.language
    article.section = record.section
    article.title = content.title
    article.published = content.published
    article.modified = content.modified
    article.content_hash = content.fingerprint()
    article.body_hash = content.body_fingerprint()
    if not new and canonical != article.canonical_url and not _taken(session, canonical,
                                                                     article.id):
        article.canonical_url = canonical
    _refresh_links(session, article, record, new=new)
    search.index_article(session, article.id, record.language, content.title, content.text,
                         new=new)


def _refresh_links(session: Session, article: Article, record: Record, *,
                   new: bool = False) -> None:
    """Tags (in page order) and translation links of the current revision."""
    names = list(dict.fromkeys(record.content.normalized().tags))
    if not new:
        current = list(session.scalars(
            select(Tag.name).join(ArticleTag, ArticleTag.tag_id == Tag.id)
            .where(ArticleTag.article_id == article.id).order_by(ArticleTag.position)))
        if current != names:
            session.execute(delete(ArticleTag).where(ArticleTag.article_id == article.id))
        else:
            names = []
    if names:
        ids = dict(session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(names))).all())
        for name in names:
            if name not in ids:
                tag = Tag(name=name)
                session.add(tag)
                session.flush()
                ids[name] = tag.id
        session.execute(insert(ArticleTag), [
            {"article_id": article.id, "tag_id": ids[name], "position": position}
            for position, name in enumerate(names)])
    translations = {lang: normalize_url(url) for lang, url in record.translations.items()}
    if not new:
        stored = dict(session.execute(select(Translation.language, Translation.url)
                                      .where(Translation.article_id == article.id)).all())
        if stored == translations:
            return
        session.execute(delete(Translation).where(Translation.article_id == article.id))
    if translations:
        session.execute(insert(Translation), [
            {"article_id": article.id, "language": lang, "url": url}
            for lang, url in translations.items()])


def _done(session: Session, run_id: int | None, outcome: Outcome, article_id: int | None,
          revision: int | None = None) -> IngestResult:
    if run_id is not None and outcome in _RUN_COUNTER:
        column = _RUN_COUNTER[outcome]
        session.execute(update(CrawlRun).where(CrawlRun.id == run_id)
                        .values({column: getattr(CrawlRun, column) + 1}))
    return IngestResult(outcome, article_id, revision)
