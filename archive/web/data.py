"""What each page shows, as plain data read from the archive. The article, history and search
parts are the library's own functions (``archive.read.queries``), so the browser and the command
line agree; the rest (changes, numbers per month) is read here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from archive.read.changes import ChangeFilter, describe_record, record_of, typed
from archive.read.queries import captures_by_month, history, run_search, search_kinds, show
from archive.search.filters import Filters
from archive.storage.content import Content
from archive.storage.database import ArchiveError, Database
from archive.storage.kinds import KINDS
from archive.storage.models import Capture, Revision
from archive.storage.times import as_utc
from archive.storage.urls import normalize_url
from archive.web import charts
from archive.web.sidebyside import Row, inline_lines, side_by_side

#: Hits a search page shows; pages beyond ``MAX_PAGES`` are not offered.
PAGE_SIZE = 20
MAX_PAGES = 50
#: Entries on the changes page and in the feed.
CHANGES_PAGE = 50


def stamp(value: str | datetime | None) -> str:
    """A time for people: ``2026-11-27 23:53 UTC``."""
    moment = as_utc(value)
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


# --- search -------------------------------------------------------------------------------------

def search_page(db: Database, query: str, filters: Filters, page: int) -> dict[str, Any]:
    """One page of ranked hits; one more hit than shown tells whether a next page exists."""
    page = max(1, min(page, MAX_PAGES))
    rows = run_search(db, query, filters, PAGE_SIZE * page + 1)
    hits = rows[PAGE_SIZE * (page - 1):PAGE_SIZE * page]
    for hit in hits:
        hit["snippet_parts"] = snippet_parts(hit["snippet"])
    counts = search_kinds(db, query, filters)
    kinds = [{"kind": kind, "articles": counts[kind]} for kind in KINDS if counts.get(kind)]
    # every match under the filters (the kinds are counted without the kind filter)
    matches = counts.get(filters.kind, 0) if filters.kind else sum(counts.values())
    return {"hits": hits, "page": page, "kinds": kinds, "matches": matches,
            "has_next": len(rows) > PAGE_SIZE * page and page < MAX_PAGES}


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """Search snippets mark matches ``[like this]``: (text, is_match) pieces."""
    parts: list[tuple[str, bool]] = []
    rest = snippet
    while rest:
        start = rest.find("[")
        end = rest.find("]", start + 1) if start >= 0 else -1
        if start < 0 or end < 0:
            parts.append((rest, False))
            break
        if start:
            parts.append((rest[:start], False))
        parts.append((rest[start + 1:end], True))
        rest = rest[end + 1:]
    return parts


def choices(db: Database) -> dict[str, list[str]]:
    """Languages and tags present, for the search form."""
    with db.session() as session:
        languages = list(session.scalars(text(
            "SELECT language FROM articles GROUP BY language ORDER BY count(*) DESC, language")))
        tags = list(session.scalars(text("SELECT name FROM tags ORDER BY name")))
    return {"languages": languages, "tags": tags}


# --- numbers -----------------------------------------------------------------------------------

def numbers(db: Database) -> dict[str, Any]:
    with db.session() as session:
        row = session.execute(text(
            "SELECT (SELECT count(*) FROM articles), "
            "(SELECT count(*) FROM articles WHERE removed_at IS NOT NULL), "
            "(SELECT count(*) FROM revisions), "
            "(SELECT count(*) FROM revisions WHERE change_kind <> 'new'), "
            "(SELECT count(*) FROM article_urls), "
            "(SELECT count(DISTINCT language) FROM articles), "
            "(SELECT count(*) FROM crawl_runs), "
            "(SELECT max(finished_at) FROM crawl_runs WHERE status = 'finished')")).one()
    return {"articles": row[0], "removed": row[1], "revisions": row[2], "revised": row[3],
            "urls": row[4], "languages": row[5], "crawls": row[6], "last_crawl": stamp(row[7])
            if row[7] else None}


def chart_data(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Articles per month and language, revisions per month and kind, articles per tag,
    captures per month and who made them."""
    with db.session() as session:
        articles = [
            {"month": month, "language": language, "articles": count}
            for month, language, count in session.execute(text(
                "SELECT substr(CAST(COALESCE(a.published, a.first_seen) AS TEXT), 1, 7) AS m, "
                "a.language, count(*) FROM articles a GROUP BY m, a.language ORDER BY m"))]
        revisions = [
            {"month": month, "kind": kind, "revisions": count}
            for month, kind, count in session.execute(text(
                "SELECT substr(CAST(r.fetched_at AS TEXT), 1, 7) AS m, CASE "
                "WHEN r.change_kind = 'new' THEN 'new' WHEN r.origin = 'extractor' "
                "THEN 're-extracted' ELSE 'revised' END "
                "AS k, count(*) FROM revisions r GROUP BY m, k ORDER BY m"))]
        tags = [
            {"tag": name, "articles": count}
            for name, count in session.execute(text(
                "SELECT t.name, count(*) AS n FROM tags t JOIN article_tags at "
                "ON at.tag_id = t.id GROUP BY t.name ORDER BY n DESC, t.name LIMIT 30"))]
        captures = captures_by_month(session)
    return {"articles": articles, "revisions": revisions, "tags": tags, "captures": captures}


def chart_specs(data: dict[str, list[dict[str, Any]]], width: int = 640
                ) -> list[dict[str, Any]]:
    """Vega-Lite specifications (data inline) for the charts of ``/stats`` and ``/``."""
    bar = {"type": "bar", "tooltip": True}
    return [
        charts.chart("Articles per month (published, else first seen), by language",
                     data["articles"], bar,
                     {"x": charts.time_x("month"), "y": charts.count_y("articles", "articles"),
                      "color": {"field": "language", "type": "nominal"}}, width=width),
        charts.chart("Revisions per month (when fetched), by kind", data["revisions"], bar,
                     {"x": charts.time_x("month"),
                      "y": charts.count_y("revisions", "revisions"),
                      "color": {"field": "kind", "type": "nominal"}}, width=width),
        charts.chart("Articles per tag (30 most used)", data["tags"], bar,
                     {"y": {"field": "tag", "type": "nominal", "sort": "-x", "title": None},
                      "x": charts.count_y("articles", "articles")},
                     width=width, height={"step": 16}),
    ]


# --- changes -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """One line of the change feed: an article new, revised, re-extracted, removed or
    restored."""

    kind: str
    at: datetime
    article_id: int
    title: str
    language: str
    number: int | None
    change_kind: str | None
    lines_added: int | None
    lines_removed: int | None
    diff: str | None
    canonical_url: str  # identity key: only the entry id is made of it, never shown
    event_id: int | None
    #: The portal's own URL of the article (``articles.url``): the one shown and linked.
    url: str = ""
    #: What a revision changed (``archive.read.changes.record_of``); None for an event.
    record: dict[str, Any] | None = None

    @property
    def significance(self) -> str | None:
        return self.record["significance"] if self.record else None

    @property
    def path(self) -> str:
        if self.number:
            return f"/article/{self.article_id}/revision/{self.number}"
        return f"/article/{self.article_id}"

    @property
    def entry_id(self) -> str:
        """Stable across servers and copies of the archive (the article's canonical URL and
        what happened to it)."""
        what = (f"revision-{self.number}" if self.number
                else f"{self.kind}-{self.at.isoformat()}")
        return uuid.uuid5(uuid.NAMESPACE_URL, f"{self.canonical_url}#{what}").urn

    @property
    def diff_lines(self) -> list[tuple[str, str]]:
        return inline_lines(self.diff)


def changes(db: Database, filters: Filters, limit: int = CHANGES_PAGE, offset: int = 0,
            chosen: ChangeFilter | None = None) -> list[Change]:
    """Newest first: every revision (new, revised, re-extracted) and every removal and
    restoration, of articles meeting ``filters``; with an active ``chosen``, only the
    revisions it chooses (what changed, significance, words). A revision's language is its own
    (what the article was when it changed; the language of an article can change with a
    revision): a language's changes are then read in order through their own time index,
    however long ago that language last changed."""
    condition, params = replace(filters, language=None).sql()
    where = f"AND {condition}" if condition else ""
    revision_where, events = where, ""
    if chosen is not None and chosen.active:
        chosen_condition, chosen_params = chosen.sql()
        revision_where += f" AND {chosen_condition}"
        params = {**params, **chosen_params}
        events = "AND 1 = 0 "  # removals and restorations have no change record
    codes = filters.languages()
    # Each side reads only its newest limit + offset rows, through its time index: one
    # reading per language code.
    revisions = " UNION ALL ".join(
        "SELECT * FROM (SELECT CASE WHEN r.change_kind = 'new' THEN 'new' "
        "WHEN r.origin = 'extractor' THEN 're-extracted' ELSE 'revised' END AS kind, "
        "r.fetched_at AS at, r.article_id, "
        "r.title, COALESCE(r.language, a.language) AS language, r.number, r.change_kind, "
        "r.lines_added, r.lines_removed, r.diff, a.canonical_url, "
        "CAST(NULL AS INTEGER) AS event_id, r.id AS sort_id, a.url, r.changed_fields, "
        "r.words_added, r.words_removed, r.changed_share, r.numbers_changed, r.minor, "
        "r.significance "
        # CROSS JOIN: SQLite reads revisions first, newest first, whatever the filter.
        f"FROM revisions r CROSS JOIN articles a WHERE a.id = r.article_id {revision_where} "
        + (f"AND r.language = :c_lang{i} " if codes else "")
        + f"ORDER BY r.fetched_at DESC, r.id DESC LIMIT :newest) rv{i}"
        for i in range(max(len(codes), 1)))
    languages = ("AND a.language IN (" + ", ".join(f":c_lang{i}" for i in range(len(codes)))
                 + ")" if codes else "")
    sql = text(
        f"SELECT * FROM ({revisions} UNION ALL SELECT * FROM ("
        # Typed NULLs: PostgreSQL types an untyped NULL of a subquery as text.
        "SELECT e.kind, e.at, e.article_id, a.title, a.language, CAST(NULL AS INTEGER), "
        "CAST(NULL AS TEXT), CAST(NULL AS INTEGER), CAST(NULL AS INTEGER), CAST(NULL AS TEXT), "
        "a.canonical_url, e.id, e.id, a.url, CAST(NULL AS TEXT), CAST(NULL AS INTEGER), "
        "CAST(NULL AS INTEGER), CAST(NULL AS FLOAT), CAST(NULL AS BOOLEAN), "
        "CAST(NULL AS BOOLEAN), CAST(NULL AS TEXT) "
        "FROM article_events e JOIN articles a ON a.id = e.article_id "
        f"WHERE e.kind IN ('removed', 'restored') {where} {languages} {events}"
        "ORDER BY e.at DESC, e.id DESC LIMIT :newest) ev"
        ") c ORDER BY at DESC, sort_id DESC LIMIT :limit OFFSET :offset")
    with db.session() as session:
        rows = session.execute(typed(sql, params), {**params, "limit": limit, "offset": offset,
                                     "newest": limit + offset,
                                     **{f"c_lang{i}": code for i, code in enumerate(codes)}}
                               ).all()
    return [Change(kind=r.kind, at=as_utc(r.at), article_id=r.article_id, title=r.title,
                   language=r.language, number=r.number, change_kind=r.change_kind,
                   lines_added=r.lines_added, lines_removed=r.lines_removed, diff=r.diff,
                   canonical_url=r.canonical_url, event_id=r.event_id, url=r.url,
                   record=record_of(r) if r.number else None)
            for r in rows]


# --- one article -------------------------------------------------------------------------------

def _content(revision: Revision) -> Content:
    return Content(revision.title, revision.text, tuple(revision.tags or ()),
                   revision.published, revision.modified)


def raw_on_disk(db: Database, capture_id: int | None, warc_dir: Path | None) -> bool:
    """Whether a capture's WARC file is on this machine (a replayable raw page)."""
    with db.session() as session:
        return _raw_available(session, capture_id, warc_dir)


def _raw_available(session, capture_id: int | None, warc_dir: Path | None) -> bool:
    if capture_id is None or warc_dir is None:
        return False
    capture = session.get(Capture, capture_id)
    if capture is not None and capture.kind == "revisit" and capture.refers_to_id:
        capture = session.get(Capture, capture.refers_to_id)
    return capture is not None and (warc_dir / capture.warc_file).is_file()


def article(db: Database, article_id: int, warc_dir: Path | None) -> dict[str, Any]:
    """The article as ``nordarchive show`` and ``history`` see it, plus each revision's
    side-by-side diff, its translations' archived ids and whether raw captures are on disk."""
    row = show(db, str(article_id))
    row["history"] = history(db, str(article_id))
    with db.session() as session:
        revisions = list(session.scalars(select(Revision).where(
            Revision.article_id == article_id).order_by(Revision.fetched_at, Revision.number)))
        previous = None
        by_number = {r["number"]: r for r in row["history"]}
        for revision in revisions:
            entry = by_number[revision.number]
            entry["rows"] = (side_by_side(_content(previous).as_document(),
                                          _content(revision).as_document())
                             if previous is not None else [])
            entry["inline"] = inline_lines(revision.diff)
            entry["raw"] = _raw_available(session, revision.capture_id, warc_dir)
            entry["fetched"] = stamp(revision.fetched_at)
            entry["what_changed"] = describe_record(entry)
            previous = revision
        row["translation_links"] = []
        for language, url in sorted(row["translations"].items()):
            target = session.scalar(text(
                "SELECT article_id FROM article_urls WHERE normalized_url = :u LIMIT 1"),
                {"u": normalize_url(url)})
            row["translation_links"].append({"language": language, "url": url,
                                             "article_id": target})
    for key in ("first_seen", "last_seen", "removed"):
        row[key + "_text"] = stamp(row[key]) if row[key] else None
    for event in row["events"]:
        event["at_text"] = stamp(event["at"])
    return row


def revision(db: Database, article_id: int, number: int, warc_dir: Path | None
             ) -> dict[str, Any]:
    """One revision: its text and metadata, and the change from the revision before."""
    with db.session() as session:
        current = session.scalar(select(Revision).where(Revision.article_id == article_id,
                                                        Revision.number == number))
        if current is None:
            raise ArchiveError(f"article {article_id} has no revision {number}")
        previous = session.scalar(select(Revision).where(  # the one before it in time
            Revision.article_id == article_id,
            (Revision.fetched_at < current.fetched_at)
            | ((Revision.fetched_at == current.fetched_at) & (Revision.number < number)))
            .order_by(Revision.fetched_at.desc(), Revision.number.desc()).limit(1))
        following = session.scalar(select(Revision.number).where(  # the one after it in time
            Revision.article_id == article_id,
            (Revision.fetched_at > current.fetched_at)
            | ((Revision.fetched_at == current.fetched_at) & (Revision.number > number)))
            .order_by(Revision.fetched_at, Revision.number).limit(1))
        count = session.scalar(text("SELECT count(*) FROM revisions WHERE article_id = :a"),
                               {"a": article_id})
        rows: list[Row] = (side_by_side(_content(previous).as_document(),
                                        _content(current).as_document()) if previous else [])
        return {
            "article_id": article_id, "number": current.number, "count": count,
            "previous": previous.number if previous is not None else None, "next": following,
            "title": current.title, "text": current.text, "language": current.language,
            "url": current.url, "tags": list(current.tags or ()),
            "published": current.published.isoformat() if current.published else None,
            "modified": current.modified.isoformat() if current.modified else None,
            "fetched": stamp(current.fetched_at), "origin": current.origin,
            "source": current.source,
            "change_kind": current.change_kind, "lines_added": current.lines_added,
            "lines_removed": current.lines_removed, "extractor_version":
            current.extractor_version, "rows": rows, "inline": inline_lines(current.diff),
            "raw": _raw_available(session, current.capture_id, warc_dir),
            "capture_id": current.capture_id, **record_of(current),
            "what_changed": describe_record(record_of(current)),
        }


def parse_filters(params: dict[str, str], db: Database | None = None) -> Filters:
    """Filters from a query string, checked as the CLI checks its options (with ``db``: a
    language the archive never stored is an error, not an empty page)."""
    from archive.search.filters import check_language, parse_day

    def value(name: str) -> str | None:
        v = (params.get(name) or "").strip()
        return v or None

    kind = value("kind")
    if kind is not None and kind not in KINDS:
        raise ArchiveError(f"kind: one of {', '.join(KINDS)}, not {kind!r}")
    if db is not None and value("lang"):
        with db.engine.connect() as conn:
            check_language(conn, value("lang"), "lang")
    return Filters(language=value("lang"), tag=value("tag"),
                   since=parse_day(value("since"), "since"),
                   until=parse_day(value("until"), "until"), kind=kind)


def day(value: date | None) -> str:
    return value.isoformat() if value else ""
