"""Read-side functions behind ``show``, ``history``, ``diff``, ``search``, ``stats`` and
``export``: each returns plain data, so the CLI and Python users share them."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import String, cast, func, select, text
from sqlalchemy.orm import Session

from archive.read.changes import RECORD_COLUMNS, record_of
from archive.search import index as search
from archive.search import term_counts
from archive.search.filters import Filters
from archive.sources.read import source_counts, sources_of
from archive.storage.content import Content, unified_diff
from archive.storage.database import ArchiveError, Database
from archive.storage.models import (
    Article,
    ArticleEvent,
    ArticleTag,
    ArticleUrl,
    Capture,
    CrawlRun,
    Revision,
    Tag,
    Translation,
)
from archive.storage.times import iso_instant
from archive.storage.urls import normalize_url

#: Columns of ``export`` (JSON keys, CSV header, Parquet schema), in this order.
EXPORT_COLUMNS = ("id", "url", "urls", "title", "language", "published", "modified",
                  "published_at", "modified_at", "tags", "section", "kind", "text",
                  "first_seen", "last_seen", "removed", "revisions", "sources")
#: Columns of ``export --revisions``: one row per revision.
REVISION_COLUMNS = ("article_id", "number", "fetched_at", "url", "title", "language",
                    "change_kind", "lines_added", "lines_removed", "origin", "diff",
                    *RECORD_COLUMNS)


def resolve(session: Session, ref: str) -> Article:
    """An article by id or by any URL it was seen at."""
    ref = ref.strip()
    article = None
    if ref.isdigit() and len(ref) < 18:
        article = session.get(Article, int(ref))
    elif "://" in ref:
        normal = normalize_url(ref)
        article_id = session.scalar(select(ArticleUrl.article_id).where(
            (ArticleUrl.url == ref) | (ArticleUrl.normalized_url == normal)).limit(1))
        if article_id is None:
            article_id = session.scalar(select(Article.id).where(Article.canonical_url == normal))
        article = session.get(Article, article_id) if article_id is not None else None
    if article is None:
        raise ArchiveError(f"no article {ref!r} in the archive (give an id or a URL)")
    return article


_iso = iso_instant


def _row(article: Article, revision: Revision, urls: list[str], tags: list[str],
         revisions: int, sources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": article.id, "url": article.url, "urls": urls, "title": revision.title,
        "language": article.language, "published": _iso(revision.published),
        "modified": _iso(revision.modified), "published_at": _iso(revision.published_at),
        "modified_at": _iso(revision.modified_at), "tags": tags, "section": article.section,
        "kind": article.kind, "text": revision.text, "first_seen": _iso(article.first_seen),
        "last_seen": _iso(article.last_seen), "removed": _iso(article.removed_at),
        "revisions": revisions, "sources": sources,
    }


def article_dict(session: Session, article: Article) -> dict[str, Any]:
    """The export/show row of one article (its current revision)."""
    return _export_rows(session, [article.id])[0]


def show(db: Database, ref: str) -> dict[str, Any]:
    with db.session() as session:
        article = resolve(session, ref)
        row = article_dict(session, article)
        row["translations"] = _translations(session, article.id)
        row["events"] = [
            {"at": _iso(e.at), "kind": e.kind, "url": e.url, "http_status": e.http_status,
             "final_url": e.final_url, "page_kind": e.page_kind}
            for e in session.scalars(select(ArticleEvent).where(
                ArticleEvent.article_id == article.id)
                .order_by(ArticleEvent.at, ArticleEvent.id))]
        row["observed"] = observed(session, article.id)
        return row


def observed(session: Session, article_id: int) -> list[dict[str, Any]]:
    """Every capture of the article's URLs, ours and the web archives', in time order: the
    evidence a history stands on (a stretch with no revision and no capture is unseen, not
    unchanged)."""
    urls = select(ArticleUrl.normalized_url).where(ArticleUrl.article_id == article_id)
    return [{"at": _iso(c.fetched_at), "origin": c.origin, "status": c.http_status,
             "url": c.url}
            for c in session.scalars(select(Capture).where(
                Capture.normalized_url.in_(urls.scalar_subquery()))
                .order_by(Capture.fetched_at, Capture.id))]


def _translations(session: Session, article_id: int) -> dict[str, str]:
    """hreflang links, each as the portal's own URL of the archived article it names (the
    stored link is only an identity key); a translation not archived keeps the key."""
    links = dict(session.execute(select(Translation.language, Translation.url)
                                 .where(Translation.article_id == article_id)).all())
    own = dict(session.execute(
        select(ArticleUrl.normalized_url, Article.url)
        .join(Article, Article.id == ArticleUrl.article_id)
        .where(ArticleUrl.normalized_url.in_(list(links.values())))).all()) if links else {}
    found = {language: own.get(url, url) for language, url in links.items()}
    # Both ways: the pages whose own links name this one are its translations too (an
    # English page linking its root-level Danish translation lists it; the Danish page, which
    # links nothing, lists the English one).
    mine = select(ArticleUrl.normalized_url).where(ArticleUrl.article_id == article_id)
    for language, url in session.execute(
            select(Article.language, Article.url)
            .join(Translation, Translation.article_id == Article.id)
            .where(Translation.url.in_(mine.scalar_subquery()), Article.id != article_id)
            .order_by(Article.id)):
        if url not in found.values():
            found.setdefault(language, url)
    return found


def revision_of(db: Database, ref: str, number: int | None = None) -> dict[str, Any]:
    """One revision (default: the current one), with its capture id."""
    with db.session() as session:
        article = resolve(session, ref)
        query = select(Revision).where(Revision.article_id == article.id)
        query = query.where(Revision.number == number) if number else query.where(
            Revision.id == article.current_revision_id)
        r = session.scalar(query)
        if r is None:
            raise ArchiveError(f"article {article.id} has no revision {number}")
        return {"article": article.id, "number": r.number, "fetched_at": _iso(r.fetched_at),
                "title": r.title, "language": r.language, "published": _iso(r.published),
                "modified": _iso(r.modified), "tags": r.tags, "text": r.text,
                "origin": r.origin, "source": r.source, "change_kind": r.change_kind,
                "extractor_version": r.extractor_version, "crawl_run": r.crawl_run_id,
                "capture_id": r.capture_id, **record_of(r)}


def history(db: Database, ref: str, origin: str = "all") -> list[dict[str, Any]]:
    """Every revision in the order of time (a revision's number is given once and never
    changes, so a backfilled older version has a higher number than the ones before it);
    ``origin`` "site" or "extractor" keeps only those (diffs stay against the revision
    before, whatever its origin)."""
    with db.session() as session:
        article = resolve(session, ref)
        query = select(Revision).where(Revision.article_id == article.id)
        if origin != "all":
            query = query.where(Revision.origin == origin)
        return [
            {"number": r.number, "fetched_at": _iso(r.fetched_at), "title": r.title,
             "change_kind": r.change_kind, "origin": r.origin, "source": r.source,
             "lines_added": r.lines_added,
             "lines_removed": r.lines_removed, "extractor_version": r.extractor_version,
             "crawl_run": r.crawl_run_id, "capture_id": r.capture_id, "diff": r.diff,
             **record_of(r)}
            for r in session.scalars(query.order_by(Revision.fetched_at, Revision.number))
        ]


def diff(db: Database, ref: str, from_number: int | None = None,
         to_number: int | None = None) -> str:
    """Unified diff between two revisions (default: the last two in time; ``to`` alone:
    against the revision before it in time)."""
    with db.session() as session:
        article = resolve(session, ref)
        numbers = list(session.scalars(select(Revision.number).where(
            Revision.article_id == article.id).order_by(Revision.fetched_at, Revision.number)))
        to_number = to_number or numbers[-1]
        if not from_number:
            place = numbers.index(to_number) if to_number in numbers else 0
            from_number = numbers[place - 1] if place > 0 else to_number
        revisions = {}
        for n in (from_number, to_number):
            revision = session.scalar(select(Revision).where(Revision.article_id == article.id,
                                                             Revision.number == n))
            if revision is None:
                raise ArchiveError(f"article {article.id} has no revision {n} "
                                   f"(it has 1 to {max(numbers)})")
            revisions[n] = Content(revision.title, revision.text, tuple(revision.tags),
                                   revision.published, revision.modified)
        return "\n".join(unified_diff(revisions[from_number].as_document(),
                                      revisions[to_number].as_document(),
                                      f"revision {from_number}", f"revision {to_number}"))


def run_search(db: Database, query: str, filters: Filters, limit: int = 20,
               order: str = "rank") -> list[dict[str, Any]]:
    """Hits best first (``order="rank"``) or newest first (``"date"``), with snippets."""
    with db.session() as session:
        hits = search.search_ids(session, query, filters, limit, order)
        return [{"id": hit.article_id, "rank": round(hit.rank, 4), "title": hit.title,
                 "language": hit.language, "kind": hit.kind,
                 "published": _iso(_day(hit.published)),
                 "url": hit.url, "snippet": " ".join(hit.snippet.split())} for hit in hits]


def search_kinds(db: Database, query: str, filters: Filters) -> dict[str | None, int]:
    """Matches of the query per page kind, under every filter but the kind (a common word's
    from its kept counts, ``archive.search.term_counts``)."""
    unkinded = dataclasses.replace(filters, kind=None)
    condition, params = unkinded.sql("a.article_id")
    with db.session() as session:
        kept = term_counts.kept_counts(session, query, unkinded, "kind")
        if kept is None:
            return search.count_by_kind(session, query, condition, params)
        counts: Counter = Counter()
        for _, kind, n in kept.rows:
            counts[kind] += n
        for source in kept.others:
            counts.update(search.count_source_by_kind(session, source, condition, params))
        return dict(counts)


def _day(value: Any) -> date | None:
    """A date column read by raw SQL (SQLite hands back its text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def iter_export(db: Database, filters: Filters, batch: int = 500) -> Iterator[dict[str, Any]]:
    """Export rows in id order, read in batches (six queries a batch, whatever its size) so
    that memory stays flat and large archives export quickly."""
    condition, params = filters.sql()
    last_id = 0
    while True:
        with db.session() as session:
            ids = list(session.scalars(text(
                "SELECT a.id FROM articles a WHERE a.current_revision_id IS NOT NULL "
                f"{'AND ' + condition if condition else ''} AND a.id > :last "
                "ORDER BY a.id LIMIT :n"),
                {**params, "last": last_id, "n": batch}))
            if not ids:
                return
            rows = _export_rows(session, ids)
        yield from rows
        last_id = ids[-1]


def _export_rows(session: Session, ids: list[int]) -> list[dict[str, Any]]:
    urls: dict[int, list[str]] = {i: [] for i in ids}
    for article_id, url in session.execute(
            select(ArticleUrl.article_id, ArticleUrl.url).where(ArticleUrl.article_id.in_(ids))
            .order_by(ArticleUrl.article_id, ArticleUrl.first_seen, ArticleUrl.id)):
        urls[article_id].append(url)
    tags: dict[int, list[str]] = {i: [] for i in ids}
    for article_id, name in session.execute(
            select(ArticleTag.article_id, Tag.name).join(Tag, Tag.id == ArticleTag.tag_id)
            .where(ArticleTag.article_id.in_(ids))
            .order_by(ArticleTag.article_id, ArticleTag.position)):
        tags[article_id].append(name)
    counts = dict(session.execute(
        select(Revision.article_id, func.count()).where(Revision.article_id.in_(ids))
        .group_by(Revision.article_id)).all())
    sources = sources_of(session, ids)
    rows = []
    for article, revision in session.execute(
            select(Article, Revision).join(Revision, Revision.id == Article.current_revision_id)
            .where(Article.id.in_(ids)).order_by(Article.id)):
        rows.append(_row(article, revision, urls[article.id], tags[article.id],
                         counts.get(article.id, 0), sources[article.id]))
    return rows


def stats(db: Database) -> dict[str, Any]:
    """Counts for ``stats``. Groups are lists of ``{<field>: value, "articles": n}``, largest
    first, so that articles without a value (no section, no date) are a ``None`` value (JSON
    null), not a "None" key. ``sources``: how many sources the articles cite, and how many
    of them are captured, refused, failed and gone (``archive.sources.read.source_counts``)."""

    with db.session() as session:
        def grouped(column, field: str) -> list[dict[str, Any]]:
            rows = session.execute(select(column, func.count()).group_by(column)
                                   .order_by(func.count().desc(), column))
            return [{field: None if key is None else str(key), "articles": count}
                    for key, count in rows]

        month = func.substr(cast(Article.published, String), 1, 7)
        return {
            "articles": session.scalar(select(func.count(Article.id))),
            "removed": session.scalar(select(func.count(Article.id))
                                      .where(Article.removed_at.is_not(None))),
            "revisions": session.scalar(select(func.count(Revision.id))),
            "urls": session.scalar(select(func.count(ArticleUrl.id))),
            "by_language": grouped(Article.language, "language"),
            "by_section": grouped(Article.section, "section"),
            "by_kind": grouped(Article.kind, "kind"),
            "by_month": grouped(month, "month"),
            "by_tag": [{"tag": name, "articles": count} for name, count in session.execute(
                select(Tag.name, func.count()).join(ArticleTag, ArticleTag.tag_id == Tag.id)
                .group_by(Tag.name).order_by(func.count().desc(), Tag.name))],
            "last_runs": [
                {"id": r.id, "started_at": _iso(r.started_at), "finished_at": _iso(r.finished_at),
                 "status": r.status, "kind": r.kind, "new": r.new, "revised": r.revised,
                 "unchanged": r.unchanged, "removed": r.removed, "failed": r.failed,
                 "pages": r.pages_fetched}
                for r in session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(5))
            ],
            "sources": source_counts(session),
            "captures_by_month": captures_by_month(session),
        }


def captures_by_month(session: Session) -> list[dict[str, Any]]:
    """``{"month", "origin", "captures"}`` for every month and observer (``site``, a web
    archive, ``import``): when the archive saw anything at all (``stats``, the charts page)."""
    month = func.substr(cast(Capture.fetched_at, String), 1, 7).label("m")
    return [{"month": m, "origin": origin, "captures": n} for m, origin, n in
            session.execute(select(month, Capture.origin, func.count())
                            .group_by(month, Capture.origin).order_by(month, Capture.origin))]


def count_articles(db: Database, filters: Filters) -> int:
    """How many rows ``iter_export`` will give (the total of a progress display)."""
    condition, params = filters.sql()
    with db.session() as session:
        return session.scalar(text(
            "SELECT count(*) FROM articles a WHERE a.current_revision_id IS NOT NULL "
            f"{'AND ' + condition if condition else ''}"), params) or 0


def iter_revision_export(db: Database, filters: Filters, batch: int = 1000
                         ) -> Iterator[dict[str, Any]]:
    """Every revision of the articles meeting ``filters``, by article and number, read in
    batches: change over time without SQL."""
    condition, params = filters.sql()
    last = (0, 0)
    while True:
        with db.session() as session:
            rows = session.execute(text(
                "SELECT r.article_id, r.number, r.fetched_at, r.url, r.title, r.language, "
                "r.change_kind, r.lines_added, r.lines_removed, r.origin, r.diff, "
                + ", ".join(f"r.{c}" for c in RECORD_COLUMNS) + " "
                "FROM revisions r JOIN articles a ON a.id = r.article_id "
                f"WHERE {condition + ' AND ' if condition else ''}"
                "(r.article_id > :a OR (r.article_id = :a AND r.number > :n)) "
                "ORDER BY r.article_id, r.number LIMIT :limit").columns(
                    fetched_at=Revision.__table__.c.fetched_at.type),
                {**params, "a": last[0], "n": last[1], "limit": batch}).all()
        if not rows:
            return
        for row in rows:
            item = {**dict(row._mapping), **record_of(row)}
            item["fetched_at"] = _iso(item["fetched_at"])
            yield item
        last = (rows[-1].article_id, rows[-1].number)
