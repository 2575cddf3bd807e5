"""The one way into the archive: an extracted record plus the facts of its fetch.

Every call is one transaction: an article, its URLs, its revision, its tags and its search entry
are written together or not at all, and the crawl run's counters move in the same transaction,
so a crash at any point leaves an archive whose counts match its content.

Written with SQLAlchemy Core on the models' tables (the ORM's unit of work cost ~3x more per
article here, and ingest is the crawl's hot path).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from archive.ingest import revisions
from archive.ingest import translations as slug_translations
from archive.ingest.records import Fetch, IngestResult, Outcome, Record, fits
from archive.ingest.revisions import add_revision, content_of, next_number
from archive.search import index as search
from archive.storage.content import Content, compare
from archive.storage.database import Database, retrying
from archive.storage.models import (
    MAX_TAG_LENGTH,
    Article,
    ArticleEvent,
    ArticleTag,
    ArticleUrl,
    CrawlRun,
    FetchFailure,
    ListedUrl,
    Revision,
    Tag,
    Translation,
)
from archive.storage.times import as_utc, utcnow
from archive.storage.urls import normalize_url

ARTICLES = Article.__table__
URLS = ArticleUrl.__table__
REVISIONS = Revision.__table__
TAGS = Tag.__table__
ARTICLE_TAGS = ArticleTag.__table__
TRANSLATIONS = Translation.__table__
EVENTS = ArticleEvent.__table__
RUNS = CrawlRun.__table__
FAILURES = FetchFailure.__table__
LISTED = ListedUrl.__table__

# Statements built once: on the hot path, building a statement costs 3x its execution.
_ARTICLE_COLUMNS = (ARTICLES.c.id, ARTICLES.c.canonical_url, ARTICLES.c.removed_at,
                    ARTICLES.c.current_revision_id, ARTICLES.c.checked_run_id,
                    ARTICLES.c.url, ARTICLES.c.kind, ARTICLES.c.first_seen,
                    ARTICLES.c.last_seen)
_FIND_BY_URLS = (select(*_ARTICLE_COLUMNS).join(URLS, URLS.c.article_id == ARTICLES.c.id)
                 .where(URLS.c.normalized_url.in_(bindparam("urls", expanding=True)))
                 .order_by(URLS.c.id).limit(1))
_FIND_MOVED = select(*_ARTICLE_COLUMNS).where(ARTICLES.c.body_hash == bindparam("body_hash"),
                                              ARTICLES.c.language == bindparam("language"))
_ARTICLE_BY_ID = select(*_ARTICLE_COLUMNS).where(ARTICLES.c.id == bindparam("key_id"))
_INSERT_ARTICLE = insert(ARTICLES).returning(ARTICLES.c.id)
_UPDATE_ARTICLE = update(ARTICLES).where(ARTICLES.c.id == bindparam("key_id"))
_TAKEN = select(ARTICLES.c.id).where(ARTICLES.c.canonical_url == bindparam("canonical"),
                                     ARTICLES.c.id != bindparam("key_id"))
_LOCK = select(ARTICLES.c.id).where(ARTICLES.c.id == bindparam("key_id")).with_for_update()
_KNOWN_URLS = select(URLS.c.normalized_url).where(URLS.c.article_id == bindparam("key_id"))
_EXISTING_URLS = select(URLS.c.url).where(URLS.c.url.in_(bindparam("urls", expanding=True)))
_UPDATE_URL = update(URLS).where(URLS.c.url == bindparam("key_url"))
_UPDATE_URLS_OF = update(URLS).where(URLS.c.normalized_url == bindparam("normal"))
_ARTICLE_OF_URL = select(URLS.c.article_id).where(URLS.c.url == bindparam("url"))
_OWNERS = select(URLS.c.normalized_url, URLS.c.article_id).where(
    URLS.c.normalized_url.in_(bindparam("urls", expanding=True)))
_INSERT_URLS = insert(URLS)
_REVISION_BY_ID = select(REVISIONS).where(REVISIONS.c.id == bindparam("key_id"))
_INSERT_REVISION = insert(REVISIONS).returning(REVISIONS.c.id)
_INSERT_EVENT = insert(EVENTS)
_CURRENT_TAGS = (select(TAGS.c.name).join(ARTICLE_TAGS, ARTICLE_TAGS.c.tag_id == TAGS.c.id)
                 .where(ARTICLE_TAGS.c.article_id == bindparam("key_id"))
                 .order_by(ARTICLE_TAGS.c.position))
_DELETE_TAGS = delete(ARTICLE_TAGS).where(ARTICLE_TAGS.c.article_id == bindparam("key_id"))
_TAG_IDS = select(TAGS.c.name, TAGS.c.id).where(
    TAGS.c.name.in_(bindparam("names", expanding=True)))
_INSERT_TAG = insert(TAGS).returning(TAGS.c.id)
_INSERT_ARTICLE_TAGS = insert(ARTICLE_TAGS)
_TRANSLATIONS = select(TRANSLATIONS.c.language, TRANSLATIONS.c.url).where(
    TRANSLATIONS.c.article_id == bindparam("key_id"))
_DELETE_TRANSLATIONS = delete(TRANSLATIONS).where(
    TRANSLATIONS.c.article_id == bindparam("key_id"))
_INSERT_TRANSLATIONS = insert(TRANSLATIONS)

#: Which crawl-run counter each outcome moves.
_RUN_COUNTER = {Outcome.NEW: "new", Outcome.REVISED: "revised", Outcome.UNCHANGED: "unchanged",
                Outcome.ALIAS: "aliases", Outcome.REMOVED: "removed",
                Outcome.RESTORED: "restored"}
_COUNT = {outcome: update(RUNS).where(RUNS.c.id == bindparam("key_id"))
          .values({column: RUNS.c[column] + 1}) for outcome, column in _RUN_COUNTER.items()}
#: Marks an article counted by a run; matches no row when that run counted it already.
_CHECK = (update(ARTICLES).where(ARTICLES.c.id == bindparam("key_id"))
          .where(ARTICLES.c.checked_run_id.is_(None)
                 | (ARTICLES.c.checked_run_id != bindparam("run")))
          .values(checked_run_id=bindparam("run")))


def ingest(db: Database, record: Record | Mapping[str, Any], fetch: Fetch,
           run_id: int | None = None) -> IngestResult:
    """Store one fetched article: new, revised, unchanged, alias or restored."""
    if not isinstance(record, Record):
        record = Record.from_mapping(record)
    record = record.fitted()
    return retrying(db, lambda connection: _ingest(connection, record, fetch, run_id))


def _ingest(conn: Connection, record: Record, fetch: Fetch, run_id: int | None
            ) -> IngestResult:
    now = fetch.fetched_at
    own_url, canonical, seen, targets = _addresses(record, fetch)
    content = record.content.normalized()
    article = _find_by_urls(conn, targets)
    owners = _owners(conn, seen, targets)
    if article is None:
        moved_from = [owners[normalize_url(u)] for u in fetch.redirects
                      if normalize_url(u) in owners]
        if moved_from:  # a permanent redirect to a URL no article held: a move
            article = conn.execute(_ARTICLE_BY_ID, {"key_id": moved_from[0]}).first()
    found_by_content = False
    if article is None:
        article = _find_moved(conn, content, record.language, canonical)
        found_by_content = article is not None
    if owners:
        retired = {normalize: owner for normalize, owner in owners.items()
                   if article is None or owner != article.id}
        seen = [u for u in seen if normalize_url(u) not in retired]
    record = _in_family(conn, record, article.id if article is not None else None, canonical)
    if article is None:
        article_id = conn.execute(_INSERT_ARTICLE, _article_row(
            record, content, own_url, canonical, now, run_id)).scalar_one()
        _attach_urls(conn, article_id, canonical, seen, canonical, fetch, known=set())
        revision_id = add_revision(conn, article_id, 1, record, content, fetch, run_id,
                                    change_kind="new")
        _refresh_article(conn, article_id, canonical, record, content, revision_id, new=True)
        if owners:
            _redirected(conn, retired, fetch, run_id)
        elif fetch.redirects and fetch.origin != "site":
            # a web archive's move seen before the old URL's own captures: the move is in the
            # history whichever came first
            _event(conn, article_id, now, "alias", fetch.landed_url, fetch.status, run_id)
        return _done(conn, run_id, Outcome.NEW, article_id, 1, checked=None)

    article_id = article.id
    _lock(conn, article_id)
    if article.last_seen is not None and now < as_utc(article.last_seen):
        return _ingest_past(conn, article, record, content, fetch, run_id, seen, canonical)
    known = set(conn.scalars(_KNOWN_URLS, {"key_id": article_id}))
    new_url = _attach_urls(conn, article_id, article.canonical_url, seen, canonical, fetch,
                           known=known)
    outcome = Outcome.UNCHANGED
    if article.removed_at is not None:
        conn.execute(_UPDATE_ARTICLE, {"key_id": article_id, "removed_at": None})
        _event(conn, article_id, now, "restored", fetch.landed_url, fetch.status, run_id)
        outcome = Outcome.RESTORED
    current = conn.execute(_REVISION_BY_ID, {"key_id": article.current_revision_id}).first()
    number = next_number(conn, article_id)
    change = compare(content_of(current), content, f"revision {current.number}",
                     f"revision {number}") if current else None
    revision_number = None
    values: dict[str, Any] = {"last_seen": now, "kind": record.kind}
    if change is not None:
        revision_id = add_revision(conn, article_id, number, record, content, fetch, run_id,
                                   change_kind=change.kind, change=change, previous=current)
        _refresh_article(conn, article_id, canonical, record, content, revision_id,
                         current_canonical=article.canonical_url, own_url=own_url)
        revision_number = number
        if outcome is Outcome.UNCHANGED:
            outcome = Outcome.REVISED
    else:
        if canonical != article.canonical_url and not _taken(conn, canonical, article_id):
            values["canonical_url"] = canonical  # the slug changed; the newest URL leads
            values["url"] = own_url
        if (new_url or found_by_content) and outcome is Outcome.UNCHANGED:
            _event(conn, article_id, now, "alias", fetch.landed_url, fetch.status, run_id)
            outcome = Outcome.ALIAS
        _refresh_links(conn, article_id, record, values.get("canonical_url",
                                                           article.canonical_url))
    if run_id is not None:
        values["checked_run_id"] = run_id
    if article.url == article.canonical_url != own_url and canonical == article.canonical_url:
        values["url"] = own_url  # only the bare key was known (archives before 0005)
    conn.execute(_UPDATE_ARTICLE, {"key_id": article_id, **values})
    if change is None and article.kind != record.kind:  # the index's facets follow
        search.refresh_facets(conn, [article_id])
    if owners:
        _redirected(conn, retired, fetch, run_id)
    return _done(conn, run_id, outcome, article_id, revision_number,
                 checked=article.checked_run_id)


def _ingest_past(conn: Connection, article, record: Record, content: Content, fetch: Fetch,
                 run_id: int | None, seen: list[str], canonical: str) -> IngestResult:
    """An observation older than the article's latest (a web archive's capture): placed in
    its history by its time. What the article is now (its current revision, URL, validators,
    removal) is left as the later observations made it; its URLs of then are kept as its."""
    outcome, number, latest_id = revisions.place(conn, article.id, record, content, fetch,
                                                 run_id)
    known = set(conn.scalars(_KNOWN_URLS, {"key_id": article.id}))
    existing = set(conn.scalars(_EXISTING_URLS, {"urls": seen}))
    inserts, _updates, new_url = _url_rows(article.id, article.canonical_url, seen, canonical,
                                           fetch, known=known, existing=existing)
    for row in inserts:  # validators are the latest observation's: none from the past
        row.update(http_status=None, etag=None, last_modified=None, last_seen=fetch.fetched_at)
    if inserts:
        conn.execute(_INSERT_URLS, inserts)
    conn.execute(update(URLS).where(URLS.c.url.in_(sorted(existing)),
                                    URLS.c.first_seen > fetch.fetched_at)
                 .values(first_seen=fetch.fetched_at))
    values: dict[str, Any] = {}
    if article.first_seen is None or fetch.fetched_at < as_utc(article.first_seen):
        values["first_seen"] = fetch.fetched_at
    if latest_id is not None:
        values["current_revision_id"] = latest_id
    if values:
        conn.execute(_UPDATE_ARTICLE, {"key_id": article.id, **values})
    if outcome is Outcome.UNCHANGED and new_url:
        # An address older than every other one is the article's first; the move to the
        # others happened when the first of them was seen (the article's first observation).
        first = as_utc(article.first_seen) if article.first_seen is not None else None
        if first is not None and fetch.fetched_at < first:
            _event(conn, article.id, first, "alias", article.url, 200, run_id)
        else:
            _event(conn, article.id, fetch.fetched_at, "alias", fetch.landed_url,
                   fetch.status, run_id)
        outcome = Outcome.ALIAS
    return _done(conn, run_id, outcome, article.id, number)


def _addresses(record: Record, fetch: Fetch) -> tuple[str, str, list[str], set[str]]:
    """``(own URL, canonical key, URLs seen, target keys)`` of a fetched article. The page
    is identified by where it was served (the targets); the URLs that redirected here are only
    its old addresses if no other archived article holds them (a redirect never merges)."""
    own_url = record.canonical_url or fetch.landed_url  # as the portal wrote it
    canonical = normalize_url(own_url)  # the identity key, never shown
    seen = list(dict.fromkeys([*fetch.redirects, fetch.url, fetch.landed_url, own_url]))
    return own_url, canonical, seen, {normalize_url(fetch.landed_url), canonical}


def _article_row(record: Record, content: Content, own_url: str, canonical: str,
                 now: datetime, run_id: int | None) -> dict[str, Any]:
    return {"canonical_url": canonical, "url": own_url, "language": record.language,
            "section": record.section, "kind": record.kind, "first_seen": now,
            "last_seen": now,
            "content_hash": content.fingerprint(), "body_hash": content.body_fingerprint(),
            "title": content.title, "published": content.published,
            "modified": content.modified, "removed_at": None, "current_revision_id": None,
            "checked_run_id": run_id}


def _owners(conn: Connection, seen: list[str], targets: set[str]) -> dict[str, int]:
    """``{normalized url: article}`` for the URLs that redirected to this page."""
    sources = {normalize_url(u) for u in seen} - targets
    if not sources:
        return {}
    return dict(conn.execute(_OWNERS, {"urls": sorted(sources)}).all())


def _redirected(conn: Connection, retired: dict[str, int], fetch: Fetch,
                run_id: int | None) -> None:
    """Articles whose URL now redirects to a different article: removed, with a
    ``redirected`` event naming where it led; never merged into that article. Each of its
    URLs on the way is marked with its answer; the article is removed at the first of them
    (``remove_article`` leaves a removed article as it is)."""
    for url in dict.fromkeys([*fetch.redirects, fetch.url]):
        owner = retired.get(normalize_url(url))
        if owner is None:
            continue
        conn.execute(_UPDATE_URLS_OF, {"normal": normalize_url(url),
                                       "last_seen": fetch.fetched_at,
                                       "http_status": 301 if url in fetch.redirects else 302})
        remove_article(conn, owner, fetch, run_id, kind="redirected", url=url,
                       status=301 if url in fetch.redirects else 302,
                       final_url=fetch.landed_url, page_kind="article")


def add_extractor_revision(db: Database, article_id: int, record: Record | Mapping[str, Any],
                           capture_id: int | None) -> int | None:
    """Store what the current extractor reads from an old capture, when it differs from the
    current revision: a revision of origin ``extractor`` (change kind ``extractor:<fields>``),
    so that the site's own changes stay apart. Returns its number, or None (no change)."""
    if not isinstance(record, Record):
        record = Record.from_mapping(record)
    record = record.fitted()

    def work(conn: Connection) -> int | None:
        _lock(conn, article_id)
        article = conn.execute(_ARTICLE_BY_ID, {"key_id": article_id}).first()
        current = conn.execute(_REVISION_BY_ID, {"key_id": article.current_revision_id}).first()
        kept = _in_family(conn, record, article_id, article.canonical_url)
        content = kept.content.normalized()
        number = next_number(conn, article_id)
        change = compare(content_of(current), content, f"revision {current.number}",
                         f"revision {number}")
        if change is None:
            return None
        fetch = Fetch(url=current.url, fetched_at=utcnow(), capture_id=capture_id)
        revision_id = add_revision(conn, article_id, number, kept, content, fetch, None,
                                   change_kind=f"extractor:{change.kind}", change=change,
                                   origin="extractor", previous=current)
        _refresh_article(conn, article_id, article.canonical_url, kept, content, revision_id,
                         current_canonical=article.canonical_url)
        return number

    return retrying(db, work)


def remove_article(conn: Connection, article_id: int, fetch: Fetch, run_id: int | None, *,
                   kind: str = "removed", url: str, status: int, final_url: str | None = None,
                   page_kind: str | None = None) -> IngestResult:
    """Mark an article removed (nothing is deleted) with an event naming what its URL served.
    An article already removed stays so (counted unchanged); one this run saw served
    elsewhere is not removed (``SEEN``: it lives, at another URL)."""
    _lock(conn, article_id)
    article = conn.execute(_ARTICLE_BY_ID, {"key_id": article_id}).first()
    if article.removed_at is not None:
        return _done(conn, run_id, Outcome.UNCHANGED, article_id)
    # (a crawl's observations are all "now"; a backfill's are placed by their time instead)
    if run_id is not None and article.checked_run_id == run_id and fetch.origin == "site":
        return IngestResult(Outcome.SEEN, article_id, counted=False)
    conn.execute(_UPDATE_ARTICLE, {"key_id": article_id, "removed_at": fetch.fetched_at})
    _event(conn, article_id, fetch.fetched_at, kind, url, status, run_id,
           final_url=final_url, page_kind=page_kind)
    return _done(conn, run_id, Outcome.REMOVED, article_id)



# --- helpers ---------------------------------------------------------------------------------

def _find_by_urls(conn: Connection, normalized: set[str]):
    """The article any of these URLs reached (every canonical URL is among its URLs)."""
    return conn.execute(_FIND_BY_URLS, {"urls": sorted(normalized)}).first()


def _find_moved(conn: Connection, content: Content, language: str, canonical: str):
    """The same title and text on the same site under another URL: a changed slug."""
    if not content.text:
        return None
    host = urlsplit(canonical).hostname
    for row in conn.execute(_FIND_MOVED, {"body_hash": content.body_fingerprint(),
                                          "language": language}):
        if urlsplit(row.canonical_url).hostname == host:
            return row
    return None


def _lock(conn: Connection, article_id: int) -> None:
    """Serialise concurrent writers of one article on PostgreSQL (SQLite locks the file)."""
    if conn.dialect.name == "postgresql":
        conn.execute(_LOCK, {"key_id": article_id})


def _taken(conn: Connection, canonical: str, article_id: int) -> bool:
    return conn.scalar(_TAKEN, {"canonical": canonical, "key_id": article_id}) is not None


def _event(conn: Connection, article_id: int, at: datetime, kind: str, url: str, status: int,
           run_id: int | None, *, final_url: str | None = None,
           page_kind: str | None = None) -> None:
    conn.execute(_INSERT_EVENT, {"article_id": article_id, "at": at, "kind": kind, "url": url,
                                 "http_status": status, "crawl_run_id": run_id,
                                 "final_url": final_url, "page_kind": page_kind})


def _attach_urls(conn: Connection, article_id: int, article_canonical: str, seen: list[str],
                 canonical: str, fetch: Fetch, *, known: set[str]) -> bool:
    """Record every URL of this fetch; True when one is new to the article (not merely a
    tracking or slash variant of a URL it had)."""
    existing = set(conn.scalars(_EXISTING_URLS, {"urls": seen}))
    inserts, updates, new_url = _url_rows(article_id, article_canonical, seen, canonical, fetch,
                                          known=known, existing=existing)
    for values in updates:
        conn.execute(_UPDATE_URL, values)
    if inserts:
        conn.execute(_INSERT_URLS, inserts)
    return new_url


def _url_rows(article_id: int, article_canonical: str, seen: list[str], canonical: str,
              fetch: Fetch, *, known: set[str], existing: set[str]
              ) -> tuple[list[dict], list[dict], bool]:
    """``(rows to insert, _UPDATE_URL parameters, a URL new to the article?)`` for the URLs of
    one fetch; ``existing``: those of them (as written) the archive holds already."""
    known_normal = set(known) | {article_canonical}
    new_url = False
    now = fetch.fetched_at
    inserts, updates = [], []
    for url in seen:
        normal = normalize_url(url)
        landed = url == fetch.landed_url
        values: dict[str, Any] = {"last_seen": now, "article_id": article_id}
        if landed:  # validators too long to store are not kept (the page is fetched whole)
            etag, modified = fetch.header("ETag"), fetch.header("Last-Modified")
            values.update(http_status=fetch.status,
                          etag=etag if fits(etag, URLS.c.etag) else None,
                          last_modified=modified if fits(modified, URLS.c.last_modified)
                          else None)
        elif url in fetch.redirects:
            values["http_status"] = 301
        if url in existing:
            updates.append({"key_url": url, **values})
            continue
        if url in fetch.redirects:
            kind = "redirect"
        elif normal in known:
            kind = "variant"  # a tracking, slash or case variant of a URL it had
        elif normal == canonical:
            kind = "canonical"
        else:
            kind = "fetched"
        inserts.append({"url": url, "normalized_url": normal, "kind": kind, "first_seen": now,
                        "http_status": None, "etag": None, "last_modified": None, **values})
        if normal not in known_normal:
            new_url = True
            known_normal.add(normal)
    return inserts, updates, new_url


def _refresh_article(conn: Connection, article_id: int, canonical: str, record: Record,
                     content: Content, revision_id: int, *, new: bool = False,
                     current_canonical: str | None = None, own_url: str | None = None
                     ) -> None:
    values: dict[str, Any] = {
        "current_revision_id": revision_id, "language": record.language,
        "section": record.section, "kind": record.kind, "title": content.title,
        "published": content.published,
        "modified": content.modified, "content_hash": content.fingerprint(),
        "body_hash": content.body_fingerprint()}
    if (not new and canonical != current_canonical
            and not _taken(conn, canonical, article_id)):
        values["canonical_url"] = canonical
        if own_url:
            values["url"] = own_url
    conn.execute(_UPDATE_ARTICLE, {"key_id": article_id, **values})
    key = values.get("canonical_url") or (canonical if new else current_canonical) or canonical
    _refresh_links(conn, article_id, record, key, new=new)
    search.index_article(conn, article_id, record.language, content.title, content.text,
                         new=new)


def _refresh_links(conn: Connection, article_id: int, record: Record, key: str, *,
                   new: bool = False) -> None:
    """Tags (in page order) and translation links of the current revision; ``key``: the
    article's normalised canonical URL."""
    names = _tag_names(record)
    if not new:
        current = list(conn.scalars(_CURRENT_TAGS, {"key_id": article_id}))
        if current != names:
            conn.execute(_DELETE_TAGS, {"key_id": article_id})
        else:
            names = []
    if names:
        ids = dict(conn.execute(_TAG_IDS, {"names": names}).all())
        for name in names:
            if name not in ids:
                ids[name] = conn.execute(_INSERT_TAG, {"name": name}).scalar_one()
        conn.execute(_INSERT_ARTICLE_TAGS, [
            {"article_id": article_id, "tag_id": ids[name], "position": position}
            for position, name in enumerate(names)])
    # hreflang links, and the pages of its slug family (``<slug>-da/`` ...) archived so far;
    # an hreflang link wins over the convention for its language.
    own, family = slug_translations.siblings(conn, article_id, key)
    translations = {**{lang: normal for lang, (_, normal) in family.items()},
                    **_translations(record)}
    slug_translations.link_back(conn, own, key, family)
    slug_translations.give_kind(conn, article_id, key, record.kind, translations.values())
    if not new:
        stored = dict(conn.execute(_TRANSLATIONS, {"key_id": article_id}).all())
        if stored == translations:
            return
        conn.execute(_DELETE_TRANSLATIONS, {"key_id": article_id})
    if translations:
        conn.execute(_INSERT_TRANSLATIONS, [
            {"article_id": article_id, "language": lang, "url": url}
            for lang, url in translations.items()])


def _tag_names(record: Record) -> list[str]:
    """The tags the article is indexed under, in page order (the revision keeps every tag;
    the tag index only those its column holds)."""
    return [name for name in dict.fromkeys(record.content.normalized().tags)
            if len(name) <= MAX_TAG_LENGTH]


def _translations(record: Record) -> dict[str, str]:
    return {lang: normalize_url(url) for lang, url in record.translations.items()}


def _in_family(conn: Connection, record: Record, article_id: int | None, key: str) -> Record:
    """The record with the kind of the pages it translates (``translations.family_kind``)."""
    kind = slug_translations.family_kind(conn, article_id, key, record.kind,
                                         _translations(record).values())
    return record if kind == record.kind else replace(record, kind=kind)


_UNREAD = object()


def _done(conn: Connection, run_id: int | None, outcome: Outcome, article_id: int | None,
          revision: int | None = None, *, checked: Any = _UNREAD) -> IngestResult:
    """Count the outcome in the run, once per article and run (the first verdict counts).
    ``checked``: the article's ``checked_run_id`` as read under its lock, when the caller
    has set it to this run already (saves a statement on the hot path)."""
    if run_id is not None and outcome in _COUNT and article_id is not None:
        if checked is _UNREAD:
            first = conn.execute(_CHECK, {"key_id": article_id, "run": run_id}).rowcount == 1
        else:
            first = checked != run_id
        if not first:
            return IngestResult(outcome, article_id, revision, counted=False)
        conn.execute(_COUNT[outcome], {"key_id": run_id})
    return IngestResult(outcome, article_id, revision)
