"""Page kinds and slug-convention translations in the archive, on SQLite and PostgreSQL: what
ingest keeps (one by one and batched alike), what the readers show, and what migration 0008
fills in for an archive written before kinds existed."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select, text

from archive.ingest.articles import ingest
from archive.ingest.batch import ingest_many
from archive.read.queries import iter_export, run_search, search_kinds, show, stats
from archive.search.filters import Filters
from archive.storage import database as archive_db
from archive.storage.database import Database
from archive.storage.models import Article, Translation
from tests.helpers.archive_data import BASE, archive_at, fetch_of, record_of
from tests.replica.content import BY_KEY

ORIGINAL = f"{BASE}nytt-forum-for-experter/"
DANISH = f"{BASE}nytt-forum-for-experter-da/"
NORWEGIAN = f"{BASE}nytt-forum-for-experter-no"  # newer pages: no trailing slash
THEME = f"{BASE}teman/ukraina/"
THEME_FI = f"{BASE}teman/ukraina-fi/"
LONE = f"{BASE}ensam-sida-is/"  # a suffix, and no original beside it


def family_records() -> list[tuple]:
    """(record, fetch) of a slug family at the portal's root and one in the theme section;
    the records carry no kind (an older crawler's): the archive decides it from the URL."""
    texts = [BY_KEY[k] for k in ("sv-sprakkafe", "da-sprogcafe", "no-sprakkafe", "sv-ukraina",
                                 "fi-ukraina", "is-ukraina")]
    urls = [ORIGINAL, DANISH, NORWEGIAN, THEME, THEME_FI, LONE]
    languages = ["sv", "da", "no", "sv", "fi", "is"]
    return [(record_of(story, canonical_url=url, language=lang, published=None, tags=(),
                       section=None), fetch_of(url, minute))
            for minute, (story, url, lang) in enumerate(zip(texts, urls, languages,
                                                            strict=True))]


def links(db: Database) -> dict[str, dict[str, str]]:
    """``{article URL: {language: linked key}}``."""
    with db.session() as session:
        url_of = dict(session.execute(select(Article.id, Article.url)).all())
        found: dict[str, dict[str, str]] = {url: {} for url in url_of.values()}
        for article_id, language, url in session.execute(
                select(Translation.article_id, Translation.language, Translation.url)):
            found[url_of[article_id]][language] = url
    return found


def key(url: str) -> str:
    return url.rstrip("/")


EXPECTED_LINKS = {
    ORIGINAL: {"da": key(DANISH), "no": key(NORWEGIAN)},
    DANISH: {"sv": key(ORIGINAL), "no": key(NORWEGIAN)},
    NORWEGIAN: {"sv": key(ORIGINAL), "da": key(DANISH)},
    THEME: {"fi": key(THEME_FI)},
    THEME_FI: {"sv": key(THEME)},
    LONE: {},
}


@pytest.mark.parametrize("batch", [None, 3, 10])
def test_slug_families_are_linked_both_ways_and_kinds_decided(db_url, batch):
    items = family_records()
    with Database(db_url) as db:
        if batch is None:
            for record, fetch in items:
                ingest(db, record, fetch)
        else:
            for first in range(0, len(items), batch):
                ingest_many(db, items[first:first + batch])
        assert links(db) == EXPECTED_LINKS
        with db.session() as session:
            kinds = dict(session.execute(select(Article.url, Article.kind)).all())
        assert kinds == {ORIGINAL: "page", DANISH: "page", NORWEGIAN: "page", THEME: "theme",
                         THEME_FI: "theme", LONE: "page"}
        # ``show`` names each translation by the portal's own URL of the archived page.
        assert show(db, ORIGINAL)["translations"] == {"da": DANISH, "no": NORWEGIAN}
        # Crawled again, unchanged, then the original rewritten: the links stay as they are.
        again = [(record, replace(fetch, fetched_at=fetch.fetched_at.replace(year=2027)))
                 for record, fetch in items]
        results = ingest_many(db, again) if batch else [ingest(db, *item) for item in again]
        assert {r.outcome.value for r in results} == {"unchanged"}
        record, fetch = items[0]
        assert ingest(db, replace(record, text=record.text + "\n\nEtt nytt stycke."),
                      replace(fetch, fetched_at=fetch.fetched_at.replace(year=2028))
                      ).outcome.value == "revised"
        assert links(db) == EXPECTED_LINKS


def test_an_hreflang_link_wins_over_the_slug_convention(db_url):
    other = f"{BASE}da/nyheder/nyt-forum/"
    with Database(db_url) as db:
        items = family_records()[:2]
        original, danish = items
        ingest(db, *danish)
        ingest(db, replace(original[0], translations={"da": other}), original[1])
        found = links(db)
        assert found[ORIGINAL] == {"da": key(other)}
        assert found[DANISH] == {"sv": key(ORIGINAL)}


def test_kind_is_kept_filtered_counted_and_exported(db_url, tmp_path):
    import pyarrow.parquet as pq

    from archive.read.exports import write_parquet

    story = BY_KEY["sv-ukraina"]
    with Database(db_url) as db:
        ingest(db, record_of(story), fetch_of(f"{BASE}nyheter/{story.slug}/"))
        theme = record_of(story, canonical_url=THEME, title="Ukraina", kind="theme",
                          published=None)
        ingest(db, theme, fetch_of(THEME, 1))
        event = record_of(BY_KEY["sv-natverk-unga"], canonical_url=f"{BASE}forum-2026/",
                          kind="event")
        ingest(db, event, fetch_of(f"{BASE}forum-2026/", 2))
        assert {g["kind"]: g["articles"] for g in stats(db)["by_kind"]} == {
            "news": 1, "theme": 1, "event": 1}
        assert [r["kind"] for r in iter_export(db, Filters(kind="theme"))] == ["theme"]
        hits = run_search(db, "Ukraina", Filters(kind="theme"))
        assert [(h["title"], h["kind"]) for h in hits] == [("Ukraina", "theme")]
        assert search_kinds(db, "Ukraina", Filters(kind="theme")) == {"news": 1, "theme": 1}
        # A later crawl decides otherwise (markup now says event): the kind follows, even
        # with nothing else changed.
        ingest(db, replace(theme, kind="event"), fetch_of(THEME, 3))
        assert show(db, THEME)["kind"] == "event" and show(db, THEME)["revisions"] == 1
        out = tmp_path / "a.parquet"
        write_parquet(iter_export(db, Filters()), str(out))
        assert sorted(pq.read_table(out).column("kind").to_pylist()) == [
            "event", "event", "news"]


def test_migration_0008_fills_kinds_and_links_slug_families(db_url):
    plain = archive_at(db_url, "0007")
    urls = [f"{BASE}nyheter/a/", f"{BASE}en/publications/b/", f"{BASE}fakta/c",
            f"{BASE}exempel/d/", f"{BASE}om-oss/webbinarier/e/", f"{BASE}en/teman/6854/",
            f"{BASE}om-oss/", f"{BASE}forum/", f"{BASE}forum-da/", f"{BASE}forum-fi",
            "https://other.example/2021/07/05/story/"]
    with plain.begin() as connection:
        for n, url in enumerate(urls, 1):
            normal = url.rstrip("/")
            connection.execute(text(
                "INSERT INTO articles (id, canonical_url, url, language, first_seen, last_seen,"
                " content_hash, body_hash, title) VALUES (:id, :key, :url, 'sv', '2026-01-01',"
                " '2026-01-01', 'h', 'b', 't')"), {"id": n, "key": normal, "url": url})
            connection.execute(text(
                "INSERT INTO article_urls (url, normalized_url, article_id, kind, first_seen,"
                " last_seen) VALUES (:url, :key, :id, 'canonical', '2026-01-01', '2026-01-01')"),
                {"id": n, "key": normal, "url": url})
        # The Finnish page had an hreflang link for Swedish already: it is kept.
        connection.execute(text("INSERT INTO translations (article_id, language, url) VALUES "
                                "(10, 'sv', 'https://x.example/sv')"))
    plain.dispose()
    with Database(db_url) as db:
        assert archive_db.current_revision(db.engine) == archive_db.head_revision()
        with db.session() as session:
            kinds = dict(session.execute(select(Article.url, Article.kind)).all())
        assert [kinds[url] for url in urls] == [
            "news", "publication", "fact", "example", "event", "theme", "page", "page",
            "page", "page", "news"]
        found = links(db)
        forum = key(f"{BASE}forum/")
        assert found[f"{BASE}forum/"] == {"da": key(f"{BASE}forum-da/"), "fi": f"{BASE}forum-fi"}
        assert found[f"{BASE}forum-da/"] == {"sv": forum, "fi": f"{BASE}forum-fi"}
        assert found[f"{BASE}forum-fi"] == {"sv": "https://x.example/sv", "da": f"{BASE}forum-da"}
        assert found[f"{BASE}nyheter/a/"] == {}
