"""The search index keeps each article's filter columns (its facets: language, kind, published,
first seen when undated) beside its entry, so that counts and trends read no article row:
migration 0011 fills them for an existing archive (and 0012 keeps the title's stems
alone in PostgreSQL's ranking vectors), and the ingest keeps them in step when an
article is revised, re-kinded, removed and restored (both backends)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import text

from archive.ingest.articles import ingest
from archive.ingest.records import Fetch
from archive.ingest.removals import mark_gone
from archive.read.queries import run_search
from archive.read.trend import count_matches, trend
from archive.search.filters import Filters
from archive.search.index import index_row
from archive.storage import database as archive_db
from archive.storage.database import Database
from tests.helpers.archive_data import archive_at, fetch_of, record_of, url_of
from tests.replica.content import BY_KEY

_ARTICLES = ("SELECT id, language, kind, published, CASE WHEN published IS NULL THEN "
             "first_seen END FROM articles WHERE current_revision_id IS NOT NULL ORDER BY id")


def _plain(row) -> tuple:
    """A row with its dates as ISO text (SQLite hands back text, PostgreSQL dates)."""
    return tuple(v if v is None or isinstance(v, int | str) else str(v) for v in row)


def facets(database: Database) -> list[tuple]:
    table = "article_facets" if database.dialect == "sqlite" else "article_search"
    with database.session() as session:
        return [_plain(row) for row in session.execute(text(
            f"SELECT article_id, language, kind, published, first_seen FROM {table} "
            "ORDER BY article_id"))]


def articles(database: Database) -> list[tuple]:
    with database.session() as session:
        return [_plain(row) for row in session.execute(text(_ARTICLES))]


def test_migration_fills_the_facets_of_an_existing_archive(db_url):
    plain = archive_at(db_url, "0009")
    stories = [BY_KEY["sv-ukraina"], BY_KEY["sv-sprakkafe"]]
    with plain.begin() as connection:
        for i, story in enumerate(stories, 1):
            body = "\n\n".join(story.paragraphs)
            connection.execute(text(
                "INSERT INTO articles (id, canonical_url, url, language, section, kind, "
                "first_seen, last_seen, content_hash, body_hash, title, published) VALUES "
                "(:id, :url, :url, 'sv', 'nyheter', :kind, '2026-01-01 10:00:00', "
                "'2026-01-01 10:00:00', 'h', 'b', :title, :published)"),
                {"id": i, "url": url_of(story), "title": story.title,
                 "kind": "news" if i == 1 else "theme",
                 "published": date(2024, 3, 5) if i == 1 else None})
            connection.execute(text(
                "INSERT INTO revisions (id, article_id, number, fetched_at, url, title, "
                "language, tags, text, content_hash, extractor_version, origin, change_kind, "
                "lines_added, lines_removed) VALUES (:id, :id, 1, '2026-01-01', :url, :title, "
                "'sv', '[]', :body, 'h', 'old', 'site', 'new', 1, 0)"),
                {"id": i, "url": url_of(story), "title": story.title, "body": body})
            connection.execute(text("UPDATE articles SET current_revision_id = :id "
                                    "WHERE id = :id"), {"id": i})
            row = index_row(i, "sv", story.title, body, connection.dialect.name)
            if "head" in row:  # before 0012 the ranking vector held the lead's stems too
                row = {**row, "head": row["head"] + " ':sv:ledord':30B,31B"}
            connection.execute(text(
                "INSERT INTO article_fts(rowid, title, text, stem_title, stem_text) VALUES "
                "(:id, :title, :text, :stem_title, :stem_text)" if connection.dialect.name
                == "sqlite" else "INSERT INTO article_search(article_id, document, head) "
                "VALUES (:id, CAST(:document AS tsvector), CAST(:head AS tsvector))"), row)
    plain.dispose()
    with Database(db_url) as database:
        assert archive_db.current_revision(database.engine) == archive_db.head_revision()
        filled = facets(database)
        assert [row[:4] for row in filled] == [(1, "sv", "news", "2024-03-05"),
                                                (2, "sv", "theme", None)]
        assert filled[0][4] is None and filled[1][4] is not None  # first seen: undated only
        assert filled == articles(database)
        if database.dialect == "postgresql":  # 0012: the title's stems only
            with database.session() as session:
                heads = session.execute(text(
                    "SELECT article_id, CAST(head AS text) FROM article_heads "
                    "ORDER BY article_id")).all()
                expected = [session.scalar(text("SELECT CAST(CAST(:h AS tsvector) AS text)"),
                                           {"h": index_row(i, "sv", s.title, "", "postgresql")[
                                               "head"]}) for i, s in enumerate(stories, 1)]
            assert [h for _, h in heads] == expected and "ledord" not in str(heads)
        # counted from the facets, as search finds them
        assert count_matches(database, ["kartläggning"], Filters(kind="news")) == {
            "kartläggning": len(run_search(database, "kartläggning", Filters(kind="news")))}
        assert trend(database, ["kartläggning"], Filters(), split="kind")["rows"][0][
            "period"] == "2024-03"


def test_ingest_keeps_the_facets_in_step(database):
    story, other = BY_KEY["sv-ukraina"], BY_KEY["sv-sprakkafe"]
    url = url_of(story)
    ingest(database, record_of(story), fetch_of(url))
    ingest(database, record_of(other), fetch_of(url_of(other)))
    assert facets(database) == articles(database)
    first = facets(database)[0]
    # revised: a new publication date and text
    revised = record_of(story, published=date(2019, 6, 1), text=story.paragraphs[0])
    assert ingest(database, revised, fetch_of(url, 10)).outcome == "revised"
    assert facets(database) == articles(database)
    assert facets(database)[0][3] == "2019-06-01" != first[3]
    # the same content under another page kind: no revision, the kind follows
    assert ingest(database, replace(revised, kind="theme"), fetch_of(url, 20)).outcome == (
        "unchanged")
    assert facets(database)[0][2] == "theme"
    assert facets(database) == articles(database)
    assert count_matches(database, [story.title.split()[0]], Filters(kind="theme"))[
        story.title.split()[0]] >= 1
    # removed and restored: still one entry, still its facets
    assert mark_gone(database, Fetch(url=url, fetched_at=fetch_of(url, 30).fetched_at,
                                     status=404)).outcome == "removed"
    assert facets(database) == articles(database)
    assert ingest(database, replace(revised, kind="theme"), fetch_of(url, 40)).outcome == (
        "restored")
    assert facets(database) == articles(database)
    # many at once (the batched ingest of unchanged pages) follow too
    from archive.ingest.batch import ingest_many
    ingest_many(database, [(replace(revised, kind="news"), fetch_of(url, 50)),
                           (replace(record_of(other), kind="fact"), fetch_of(url_of(other), 50))])
    assert [row[2] for row in facets(database)] == ["news", "fact"]
    assert facets(database) == articles(database)
