"""Ingest on SQLite and PostgreSQL: dedup, revisions with diffs, removal and restore."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from archive.ingest.articles import ingest
from archive.ingest.batch import ingest_many
from archive.ingest.pages import record_failure
from archive.ingest.records import Outcome
from archive.ingest.removals import mark_gone, mark_not_modified
from archive.ingest.runs import finish_run, start_run
from archive.read.queries import history
from archive.storage.models import (
    Article,
    ArticleEvent,
    ArticleUrl,
    CrawlRun,
    Revision,
    Translation,
)
from tests.helpers.archive_data import BASE, fetch_of, record_of, url_of
from tests.replica.content import BY_KEY

STORY = BY_KEY["sv-natverk-unga"]
URL = url_of(STORY)


def count(db, model) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_new_then_unchanged(database):
    first = ingest(database, record_of(STORY), fetch_of(URL))
    assert first.outcome is Outcome.NEW and first.revision == 1
    again = ingest(database, record_of(STORY), fetch_of(URL, 5))
    assert again.outcome is Outcome.UNCHANGED and again.article_id == first.article_id
    assert (count(database, Article), count(database, Revision)) == (1, 1)
    with database.session() as session:
        article = session.get(Article, first.article_id)
        assert article.last_seen > article.first_seen
        assert article.canonical_url == URL.rstrip("/")


def test_url_variants_are_one_article_with_every_url_kept(database):
    ingest(database, record_of(STORY), fetch_of(URL))
    variants = [URL + "?utm_source=newsletter&utm_medium=email", URL.rstrip("/"),
                URL.replace("https://nordicwelfare.org", "https://NordicWelfare.org:443"),
                URL + "#section-2", URL + "?fbclid=abc123"]
    for minutes, variant in enumerate(variants, 1):
        result = ingest(database, record_of(STORY, canonical_url=variant), fetch_of(variant,
                                                                                    minutes))
        assert result.outcome is Outcome.UNCHANGED, variant
    assert count(database, Article) == 1 and count(database, Revision) == 1
    with database.session() as session:
        seen = set(session.scalars(select(ArticleUrl.url)))
    assert set(variants) <= seen


def test_whitespace_and_page_chrome_never_make_a_revision(database):
    ingest(database, record_of(STORY), fetch_of(URL))
    spaced = record_of(STORY, text="\n\n".join("  " + p.replace(" ", "   ") + " \t"
                                               for p in STORY.paragraphs) + "\n\n\n",
                       title=f"  {STORY.title} ")
    assert ingest(database, spaced, fetch_of(URL, 1)).outcome is Outcome.UNCHANGED
    assert count(database, Revision) == 1


def test_a_changed_text_is_a_revision_with_a_diff(database):
    ingest(database, record_of(STORY), fetch_of(URL))
    edited = list(STORY.paragraphs)
    edited[1] = edited[1].replace("arton år", "nitton år")
    result = ingest(database, record_of(STORY, text="\n\n".join(edited)), fetch_of(URL, 60))
    assert result.outcome is Outcome.REVISED and result.revision == 2
    revisions = history(database, str(result.article_id))
    assert [r["number"] for r in revisions] == [1, 2]
    assert revisions[0]["change_kind"] == "new"
    assert revisions[1]["change_kind"] == "text"
    assert (revisions[1]["lines_added"], revisions[1]["lines_removed"]) == (1, 1)
    assert "-" + STORY.paragraphs[1] in revisions[1]["diff"]
    assert "+" + edited[1] in revisions[1]["diff"]
    # The old revision's text is kept whole.
    with database.session() as session:
        first = session.scalar(select(Revision).where(Revision.number == 1))
        assert first.text == "\n\n".join(STORY.paragraphs)


def test_change_kind_names_every_changed_field(database):
    ingest(database, record_of(STORY), fetch_of(URL))
    changed = record_of(STORY, title=STORY.title + " (uppdaterad)", tags=("Arbete",),
                        modified=STORY.modified.replace(day=21))
    result = ingest(database, changed, fetch_of(URL, 1))
    assert result.outcome is Outcome.REVISED
    assert history(database, URL)[-1]["change_kind"] == "title,tags,modified"


def test_not_found_marks_removed_and_a_return_restores(database):
    runs = [start_run(database, [BASE]) for _ in range(4)]  # one crawl per step
    created = ingest(database, record_of(STORY), fetch_of(URL), runs[0])
    gone = mark_gone(database, fetch_of(URL, 10, status=404), runs[1])
    assert gone.outcome is Outcome.REMOVED
    assert mark_gone(database, fetch_of(URL, 20, status=410), runs[2]).outcome \
        is Outcome.UNCHANGED
    assert count(database, Article) == 1 and count(database, Revision) == 1  # nothing deleted
    back = ingest(database, record_of(STORY), fetch_of(URL, 30), runs[3])
    assert back.outcome is Outcome.RESTORED and back.article_id == created.article_id
    with database.session() as session:
        assert session.get(Article, created.article_id).removed_at is None
        kinds = list(session.scalars(select(ArticleEvent.kind).order_by(ArticleEvent.id)))
        assert kinds == ["removed", "restored"]
        counts = [(r.new, r.removed, r.unchanged, r.restored)
                  for r in (session.get(CrawlRun, run) for run in runs)]
        assert counts == [(1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1)]
    assert mark_gone(database, fetch_of(BASE + "nyheter/never-seen/", status=404)).outcome \
        is Outcome.UNKNOWN


def test_a_redirect_makes_the_old_url_an_alias(database):
    first = ingest(database, record_of(STORY), fetch_of(URL))
    new_url = BASE + "nyheter/natverk-for-ensamkommande-unga"
    moved = ingest(database, record_of(STORY, canonical_url=new_url),
                   fetch_of(URL, 5, final_url=new_url, redirects=(URL,)))
    assert moved.outcome is Outcome.ALIAS and moved.article_id == first.article_id
    assert count(database, Article) == 1 and count(database, Revision) == 1
    with database.session() as session:
        article = session.get(Article, first.article_id)
        assert article.canonical_url == new_url
        kinds = dict(session.execute(select(ArticleUrl.url, ArticleUrl.kind)).all())
    # The page declares the new URL its canonical one.
    assert kinds == {URL: "canonical", new_url: "canonical"}


def test_same_story_under_a_new_slug_without_redirect_is_an_alias(database):
    first = ingest(database, record_of(STORY), fetch_of(URL))
    new_url = BASE + "nyheter/ett-nytt-natverk-2021"
    moved = ingest(database, record_of(STORY, canonical_url=new_url), fetch_of(new_url, 5))
    assert moved.outcome is Outcome.ALIAS and moved.article_id == first.article_id
    assert count(database, Article) == 1 and count(database, Revision) == 1


def test_languages_are_separate_articles_linked_as_translations(database):
    sv, en = BY_KEY["sv-sprakkafe"], BY_KEY["en-language-cafes"]
    en_url = BASE + f"en/nyheter/{en.slug}/"
    a = ingest(database, record_of(sv, translations={"en": en_url}), fetch_of(url_of(sv)))
    b = ingest(database, record_of(en, canonical_url=en_url, translations={"sv": url_of(sv)}),
               fetch_of(en_url))
    assert a.article_id != b.article_id
    with database.session() as session:
        links = {(t.article_id, t.language) for t in session.scalars(select(Translation))}
    assert links == {(a.article_id, "en"), (b.article_id, "sv")}


def test_304_counts_as_seen(database):
    created = ingest(database, record_of(STORY), fetch_of(URL, headers={"ETag": '"v1"'}))
    result = mark_not_modified(database, fetch_of(URL, 90, status=304))
    assert result.outcome is Outcome.UNCHANGED and result.article_id == created.article_id
    with database.session() as session:
        article = session.get(Article, created.article_id)
        assert article.last_seen.replace(tzinfo=None) == fetch_of(URL, 90).fetched_at.replace(
            tzinfo=None)
        assert session.scalar(select(ArticleUrl.etag).where(ArticleUrl.url == URL)) == '"v1"'


def test_failures_are_recorded_and_counted(database):
    run = start_run(database, [BASE])
    record_failure(database, BASE + "x/", "mostly-consent", "the text is mostly consent", run)
    finished = finish_run(database, run, "finished", pages_fetched=3)
    assert (finished.failed, finished.pages_fetched, finished.status) == (1, 3, "finished")


def test_a_dead_run_is_marked_interrupted_by_the_next(database):
    first = start_run(database, [BASE])
    second = start_run(database, [BASE])
    with database.session() as session:
        assert session.get(CrawlRun, first).status == "interrupted"
        assert session.get(CrawlRun, second).status == "running"


def test_ingest_many_is_one_transaction_with_its_counters(database):
    """Several articles per transaction: the same outcomes as one by one, and a failure
    keeps none of the batch and none of its counts."""
    from dataclasses import replace

    from archive.ingest.batch import ingest_many
    from archive.ingest.runs import get_run

    run_id = start_run(database, [BASE])
    stories = [BY_KEY[k] for k in ("sv-ukraina", "en-forum", "da-unge")]
    results = ingest_many(database, [(record_of(s), fetch_of(url_of(s))) for s in stories],
                          run_id)
    assert [r.outcome for r in results] == [Outcome.NEW] * 3
    assert get_run(database, run_id).new == 3 and count(database, Article) == 3
    again = ingest_many(database, [(record_of(s), fetch_of(url_of(s), 5)) for s in stories],
                        run_id)
    assert [r.outcome for r in again] == [Outcome.UNCHANGED] * 3
    # The second article cannot be stored (no fetch time): the first is rolled back with it.
    first, second = BY_KEY["fi-kotini"], BY_KEY["is-ukraina"]
    with pytest.raises(SQLAlchemyError):
        ingest_many(database, [(record_of(first), fetch_of(url_of(first))),
                               (record_of(second), replace(fetch_of(url_of(second)),
                                                           fetched_at=None))], run_id)
    assert count(database, Article) == 3 and get_run(database, run_id).new == 3


def test_values_longer_than_their_columns_never_stop_an_article(database):
    """PostgreSQL refuses a string longer than its column (SQLite takes it): an odd page
    (a long path segment as section, a strange hreflang, a huge ETag, a canonical URL too long
    to be a key) is archived with what fits, on both backends alike."""
    long_canonical = f"{BASE}nyheter/{'c' * 2100}/"
    record = record_of(STORY, section="s" * 150, canonical_url=long_canonical,
                       extractor_version="v" * 120,
                       translations={"en-gb-x-" + "y" * 20: f"{BASE}en/a/",
                                     "da": f"{BASE}{'d' * 2100}/", "en": f"{BASE}en/news/b/"})
    fetch = fetch_of(URL, headers={"ETag": '"' + "e" * 600 + '"', "Last-Modified": "m" * 150})
    for result in (ingest(database, record, fetch),
                   ingest_many(database, [(record, fetch_of(URL, 5, headers=fetch.headers))])[0]):
        assert result.outcome in (Outcome.NEW, Outcome.UNCHANGED)
    with database.session() as session:
        article = session.scalar(select(Article))
        assert (article.url, article.section) == (URL, "s" * 100)
        assert [(t.language, t.url) for t in session.scalars(select(Translation))] == [
            ("en", f"{BASE}en/news/b")]
        assert session.scalar(select(Revision.extractor_version)) == "v" * 100
        validators = session.execute(select(ArticleUrl.etag, ArticleUrl.last_modified)).all()
        assert validators == [(None, None)]


def test_urls_too_long_to_keep_are_listed_never_and_failures_shortened(database):
    from archive.ingest.pages import record_listed
    from archive.storage.models import FetchFailure, ListedUrl

    too_long = f"{BASE}{'å' * 1000}/"  # 1,050 characters, 6,000 percent-encoded
    assert record_listed(database, [too_long, URL], "sitemap") == 1
    record_failure(database, too_long + "x" * 2000, "http-500", "Internal Server Error")
    with database.session() as session:
        assert session.scalars(select(ListedUrl.url)).all() == [URL]
        assert len(session.scalar(select(FetchFailure.url))) == 2048


def test_the_moment_behind_a_publication_day_is_kept_and_shown(database):
    from datetime import UTC, date, datetime

    from archive.read.queries import show

    moment = datetime(2019, 10, 18, 22, 4, tzinfo=UTC)
    record = record_of(STORY, published=date(2019, 10, 19), published_at=moment)
    ingest(database, record, fetch_of(URL))
    row = show(database, URL)
    # The publisher's day (Stockholm), and the moment it was in UTC.
    assert (row["published"], row["published_at"]) == ("2019-10-19", "2019-10-18T22:04:00Z")
    assert row["modified_at"] is None
    # From an extractor's JSON record too (as the crawl hands it over).
    data = {**record_of(STORY, title="Ny titel").__dict__, "published_at": moment.isoformat()}
    data.pop("content", None)
    ingest(database, data, fetch_of(URL, 1))
    assert show(database, URL)["published_at"] == "2019-10-18T22:04:00Z"


def test_a_reextraction_that_reads_more_is_an_extractor_revision(database):
    """What ``nordarchive reextract`` stores: the new reading of an old capture as a revision
    of origin ``extractor``, its diff against the current one; the same reading stores none."""
    from archive.ingest.articles import add_extractor_revision

    first = ingest(database, record_of(STORY), fetch_of(URL))
    assert add_extractor_revision(database, first.article_id, record_of(STORY), None) is None
    fuller = record_of(STORY, text="\n\n".join([*STORY.paragraphs, "Ett stycke till."]))
    assert add_extractor_revision(database, first.article_id, fuller, None) == 2
    [old, new] = history(database, URL)
    assert (new["origin"], new["change_kind"]) == ("extractor", "extractor:text")
    assert new["diff"].startswith("--- revision 1\n+++ revision 2\n")
    assert "+Ett stycke till." in new["diff"] and old["origin"] == "site"
