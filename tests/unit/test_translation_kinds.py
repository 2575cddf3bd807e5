"""A translation is of its family's kind: the portal's root-level translations (``/<slug>-da/``,
which no section names, so kind ``page``) of a news item or a theme take that kind, linked by
hreflang either way or by the slug convention, whichever page was archived first, through
single and batched ingest; ``--kind news`` then finds them, and each lists the other."""

from __future__ import annotations

from sqlalchemy import select

from archive.ingest.articles import ingest
from archive.ingest.batch import ingest_many
from archive.read.queries import run_search, show
from archive.search.filters import Filters
from archive.storage.models import Article
from tests.helpers.archive_data import BASE, fetch_of, record_of
from tests.replica.content import BY_KEY

NEWS = BY_KEY["sv-sprakkafe"]
DANISH = BY_KEY["da-sprogcafe"]
NORWEGIAN = BY_KEY["no-sprakkafe"]
NEWS_URL = f"{BASE}nyheter/{NEWS.slug}/"
DANISH_URL = f"{BASE}{DANISH.slug}/"
NORWEGIAN_URL = f"{BASE}{NORWEGIAN.slug}/"


def news(**changes):
    return record_of(NEWS, canonical_url=NEWS_URL, kind="news", **changes)


def translation(story, url, **changes):
    # A root-level page prints no date: undated, and of the plain kind its path gives.
    return record_of(story, canonical_url=url, kind="page", section=None, published=None,
                     modified=None, **changes)


def kinds(database) -> dict[str, str]:
    with database.session() as session:
        return dict(session.execute(select(Article.url, Article.kind)).all())


def test_a_translation_linking_its_original_takes_its_kind_and_both_list_each_other(
        database):
    ingest(database, news(), fetch_of(NEWS_URL))
    ingest(database, translation(DANISH, DANISH_URL, translations={"sv": NEWS_URL}),
           fetch_of(DANISH_URL, 1))
    assert kinds(database) == {NEWS_URL: "news", DANISH_URL: "news"}
    # Its own date only: the original's is not the translation's.
    assert show(database, DANISH_URL)["published"] is None
    assert show(database, NEWS_URL)["translations"] == {"da": DANISH_URL}
    assert show(database, DANISH_URL)["translations"] == {"sv": NEWS_URL}
    hits = run_search(database, "sprogcaféer", Filters(kind="news"))
    assert [hit["url"] for hit in hits] == [DANISH_URL]
    # Crawled again, unchanged: it keeps its family's kind (one by one and in a batch).
    ingest(database, translation(DANISH, DANISH_URL, translations={"sv": NEWS_URL}),
           fetch_of(DANISH_URL, 2))
    ingest_many(database, [(translation(DANISH, DANISH_URL, translations={"sv": NEWS_URL}),
                            fetch_of(DANISH_URL, 3))])
    assert kinds(database)[DANISH_URL] == "news"
    assert [hit["url"] for hit in run_search(database, "sprogcaféer", Filters(kind="page"))] == []


def test_an_original_archived_after_its_translation_gives_it_its_kind(database):
    ingest(database, translation(NORWEGIAN, NORWEGIAN_URL), fetch_of(NORWEGIAN_URL))
    assert kinds(database) == {NORWEGIAN_URL: "page"}
    ingest(database, news(translations={"no": NORWEGIAN_URL}), fetch_of(NEWS_URL, 1))
    assert kinds(database) == {NEWS_URL: "news", NORWEGIAN_URL: "news"}
    hits = run_search(database, "språkkafeer", Filters(kind="news", language="nb"))
    assert [hit["url"] for hit in hits] == [NORWEGIAN_URL]
    # The Norwegian page links nothing; it lists the page that names it.
    assert show(database, NORWEGIAN_URL)["translations"] == {"sv": NEWS_URL}
    # Re-crawled as the plain page its path says, set-wise: still the family's kind.
    ingest_many(database, [(translation(NORWEGIAN, NORWEGIAN_URL), fetch_of(NORWEGIAN_URL, 2)),
                           (news(translations={"no": NORWEGIAN_URL}), fetch_of(NEWS_URL, 3))])
    assert kinds(database) == {NEWS_URL: "news", NORWEGIAN_URL: "news"}


def test_an_original_archived_after_a_translation_that_names_it_gives_it_its_kind(database):
    ingest(database, translation(DANISH, DANISH_URL, translations={"sv": NEWS_URL}),
           fetch_of(DANISH_URL))
    assert kinds(database) == {DANISH_URL: "page"}
    ingest(database, news(), fetch_of(NEWS_URL, 1))
    assert kinds(database) == {NEWS_URL: "news", DANISH_URL: "news"}
    assert show(database, NEWS_URL)["translations"] == {"da": DANISH_URL}


def test_the_slug_convention_links_a_family_and_a_batch_of_new_pages_agrees(database):
    theme = f"{BASE}teman/ukraina/"
    finnish = f"{BASE}teman/ukraina-fi/"
    story = BY_KEY["sv-ukraina"]
    ingest_many(database, [
        (record_of(story, canonical_url=theme, kind="theme", published=None), fetch_of(theme)),
        (record_of(BY_KEY["fi-ukraina"], canonical_url=finnish, kind="page", published=None),
         fetch_of(finnish, 1))])
    assert kinds(database) == {theme: "theme", finnish: "theme"}


def test_a_page_is_not_a_translation_of_what_it_merely_shares_a_host_with(database):
    """Pages of their own kind keep it; a plain page linking only plain pages stays plain."""
    about, about_en = f"{BASE}om-oss/", f"{BASE}en/about-us/"
    ingest(database, record_of(NEWS, canonical_url=about, kind="page", published=None,
                               title="Om oss", text="Om programmet. " * 20), fetch_of(about))
    ingest(database, record_of(NEWS, canonical_url=about_en, kind="page", published=None,
                               title="About", text="About the programme. " * 20,
                               translations={"sv": about}), fetch_of(about_en, 1))
    ingest(database, translation(DANISH, DANISH_URL), fetch_of(DANISH_URL, 2))
    fact = f"{BASE}fakta/{DANISH.slug}/"
    ingest(database, record_of(DANISH, canonical_url=fact, kind="fact", text="Fakta. " * 30,
                               translations={"sv": NEWS_URL}), fetch_of(fact, 3))
    ingest(database, news(), fetch_of(NEWS_URL, 4))
    assert kinds(database) == {about: "page", about_en: "page", DANISH_URL: "page",
                               fact: "fact", NEWS_URL: "news"}
