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
from archive.ingest.runs import finish_run, get_run, start_run
from archive.read.queries import history, show
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


# --- what a re-crawl keeps true (generated mutants found these unasked) ----------------------

def test_changed_tags_replace_the_old_ones_in_page_order(database):
    ingest(database, record_of(STORY, tags=("Arbete", "Bostad")), fetch_of(URL))
    ingest(database, record_of(STORY, tags=("Ukraina", "Arbete")), fetch_of(URL, 5))
    assert show(database, URL)["tags"] == ["Ukraina", "Arbete"]


def test_changed_translation_links_replace_the_old_ones(database):
    danish, english = BASE + "da/netvaerk/", BASE + "en/network/"
    ingest(database, record_of(STORY, translations={"da": danish}), fetch_of(URL))
    ingest(database, record_of(STORY, title=STORY.title + " (ny)",
                               translations={"en": english}), fetch_of(URL, 5))
    assert show(database, URL)["translations"] == {"en": english.rstrip("/")}


def test_the_same_text_on_another_site_is_another_article(database):
    first = ingest(database, record_of(STORY), fetch_of(URL))
    elsewhere = "https://mirror.example.org/nyheter/natverk/"
    copy = ingest(database, record_of(STORY, canonical_url=elsewhere), fetch_of(elsewhere, 5))
    assert copy.outcome is Outcome.NEW and copy.article_id != first.article_id


def test_a_redirected_article_is_shown_at_its_new_address(database):
    ingest(database, record_of(STORY), fetch_of(URL))
    new_url = BASE + "nyheter/natverk-for-ensamkommande-unga"
    ingest(database, record_of(STORY, canonical_url=new_url),
           fetch_of(URL, 5, final_url=new_url, redirects=(URL,)))
    assert show(database, URL)["url"] == new_url
    with database.session() as session:
        status = dict(session.execute(select(ArticleUrl.url, ArticleUrl.http_status)).all())
    assert status == {URL: 301, new_url: 200}


def test_a_failure_keeps_its_message_and_a_run_its_bytes(database):
    from archive.storage.models import FetchFailure

    run = start_run(database, [URL])
    record_failure(database, URL, "http-500", "Internal Server Error from the site", run)
    finish_run(database, run, "finished", pages_fetched=3, bytes_fetched=123_456)
    with database.session() as session:
        failure = session.scalar(select(FetchFailure))
    assert (failure.reason, failure.message) == ("http-500", "Internal Server Error from the site")
    assert (get_run(database, run).pages_fetched, get_run(database, run).bytes_fetched) \
        == (3, 123_456)


def test_a_finished_run_says_nothing_of_common_terms_when_none_became_common(database, caplog):
    run = start_run(database, [URL])
    with caplog.at_level("INFO", logger="archive"):
        finish_run(database, run, "finished")
    assert not [r for r in caplog.records if "common search terms" in r.getMessage()]


def test_sitemap_dates_are_held_against_when_each_url_was_last_seen(database):
    from archive.ingest.pages import last_seen_by_url
    from archive.storage.urls import normalize_url

    ingest(database, record_of(STORY), fetch_of(URL))
    ingest(database, record_of(STORY), fetch_of(URL, 30))
    with database.session() as session:
        seen = session.scalar(select(Article.last_seen))
    assert last_seen_by_url(database) == {normalize_url(URL): seen}


def test_a_record_read_back_from_json_has_real_dates(database):
    from datetime import date

    from archive.ingest.records import Record

    record = Record.from_mapping({"url": URL, "title": "T", "text": "Text.",
                                  "published": "2019-10-19", "modified": None})
    assert (record.published, record.modified, record.kind) == (date(2019, 10, 19), None, "")
    assert ingest(database, record, fetch_of(URL)).outcome is Outcome.NEW


def test_a_removal_names_what_the_address_answered(database):
    ingest(database, record_of(STORY), fetch_of(URL))
    mark_gone(database, fetch_of(URL, 10, status=404))
    [event] = show(database, URL)["events"]
    assert (event["kind"], event["http_status"], event["page_kind"]) == ("removed", 404,
                                                                        "not-found")


def test_a_304_outside_a_run_keeps_the_run_that_last_checked_the_article(database):
    run = start_run(database, [URL])
    ingest(database, record_of(STORY), fetch_of(URL), run)
    mark_not_modified(database, fetch_of(URL, 10, status=304))
    with database.session() as session:
        assert session.scalar(select(Article.checked_run_id)) == run


def test_an_old_article_whose_addresses_all_lead_to_another_is_removed_once(database):
    old_slug, new_slug = BASE + "nyheter/natverk-2019/", BASE + "nyheter/natverk/"
    ingest(database, record_of(STORY, canonical_url=old_slug), fetch_of(old_slug))
    ingest(database, record_of(STORY, canonical_url=new_slug), fetch_of(new_slug, 5))
    other = BY_KEY["sv-sprakkafe"]
    ingest(database, record_of(other), fetch_of(url_of(other), 6))
    run = start_run(database, [old_slug])
    landed = ingest(database, record_of(other), fetch_of(
        old_slug, 10, final_url=url_of(other), redirects=(old_slug, new_slug)), run)
    assert landed.outcome is Outcome.UNCHANGED
    assert [e["kind"] for e in show(database, new_slug)["events"]] == ["alias", "redirected"]
    counted = get_run(database, run)
    assert (counted.removed, counted.unchanged) == (1, 1)
    with database.session() as session:
        status = dict(session.execute(select(ArticleUrl.url, ArticleUrl.http_status)).all())
    assert (status[old_slug], status[new_slug]) == (301, 301)  # both answered with a redirect


def test_a_new_article_reached_through_its_own_tracking_address_is_just_new(database):
    tracked = URL + "?utm_source=newsletter"
    result = ingest(database, record_of(STORY), fetch_of(tracked, final_url=URL,
                                                         redirects=(tracked,)))
    assert result.outcome is Outcome.NEW and count(database, ArticleEvent) == 0


def test_an_article_moved_and_edited_at_once_is_shown_at_its_new_address(database):
    ingest(database, record_of(STORY), fetch_of(URL))
    new_url = BASE + "nyheter/natverk-for-ensamkommande-unga-2"
    result = ingest(database, record_of(STORY, canonical_url=new_url, title="Nytt namn"),
                    fetch_of(URL, 5, final_url=new_url, redirects=(URL,)))
    assert result.outcome is Outcome.REVISED
    shown = show(database, new_url)
    assert (shown["url"], shown["title"], shown["revisions"]) == (new_url, "Nytt namn", 2)


def test_an_old_capture_at_another_address_is_an_alias_at_its_time(database):
    """A web archive's capture older than the crawl's last visit, at an address the article
    had then: that address joins the article, with an ``alias`` event at the capture's time."""
    ingest(database, record_of(STORY), fetch_of(URL))
    ingest(database, record_of(STORY), fetch_of(URL, 100))
    then = BASE + "nyheter/natverk-for-unga-2019/"
    past = ingest(database, record_of(STORY, canonical_url=then),
                  fetch_of(then, 50, origin="wayback"))
    assert past.outcome is Outcome.ALIAS
    events = [(e["kind"], e["url"], e["at"][:16]) for e in show(database, URL)["events"]]
    assert events == [("alias", then, fetch_of(then, 50).fetched_at.isoformat()[:16])]
