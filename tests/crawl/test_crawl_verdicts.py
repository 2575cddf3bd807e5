"""End-to-end: every re-checked article gets a verdict. Retired posts (301 to the news
listing), soft 404s, redirects to another archived article and a slug move with an edit, on a
re-crawl of the replica over HTTP, on SQLite and PostgreSQL; the run's counters add up."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from archive.storage.database import Database
from archive.storage.models import Article, ArticleEvent
from tests.helpers.crawl_helpers import cli_json, crawl, last_run, story_url
from tests.replica import content
from tests.replica.site import ARCHIVED_PAGES, PREFIX, ReplicaServer, ReplicaSite


@pytest.fixture
def portal():
    with ReplicaServer(ReplicaSite(stories=content.STORIES[:11])) as server:
        yield server


#: The 11 articles, the theme page and the about page.
ARCHIVED = 11 + len(ARCHIVED_PAGES)


def articles(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Article))


def test_removals_moves_and_redirects_get_verdicts_and_counters_add_up(portal, db_url,
                                                                       tmp_path):
    site = portal.site
    warc = tmp_path / "warc"
    crawl(db_url, portal, warc)
    with Database(db_url) as db:
        assert articles(db) == ARCHIVED
    keys = [s.key for s in content.STORIES[:11]]
    retired, soft, redirected, moved, target = (
        "sv-finland-mitt-hem", "sv-natverk-unga", "sv-sprakkafe", "fi-foorumi", "sv-ukraina")
    assert {retired, soft, redirected, moved, target} <= set(keys)
    site.retire(retired, PREFIX + "nyheter/")  # a redirect plugin retires the post
    site.make_soft_404(soft)  # 200 with "page not found"
    site.retire(redirected, site.paths[target])  # 301 to another archived article
    story = content.BY_KEY[moved]
    site.move(moved, "uusi-foorumi-2026-fi")  # old URL 301 -> new URL, with an edit
    site.edit(moved, title=story.title + " (päivitetty)",
              paragraphs=(*story.paragraphs, "Foorumin ohjelma on nyt julkaistu kokonaan."))
    site.render()
    out = crawl(db_url, portal, warc)
    # Revised: the moved article only; the theme page's teaser list lost the retired ones, but
    # other pages' teasers are no part of its text: no revision.
    assert "removed 3," in out and "revised 1," in out, out
    with Database(db_url) as db:
        run = last_run(db)
        assert articles(db) == ARCHIVED  # the move made no second article
        assert sum(run.values()) == ARCHIVED, run  # every archived article counted once
        assert (run["removed"], run["revised"], run["new"]) == (3, 1, 0), run
        with db.session() as session:
            events = {(e.article_id, e.kind, e.http_status, e.final_url, e.page_kind)
                      for e in session.scalars(select(ArticleEvent))}
    shown = {key: cli_json(db_url, "show", site.url(story_url(site, key)))
             for key in (retired, soft, redirected, moved, target)}
    by_id = {row["id"]: key for key, row in shown.items()}
    kinds = {(by_id.get(a), kind, status, final, page) for a, kind, status, final, page in events}
    assert (retired, "removed", 301, site.url(PREFIX + "nyheter/"), "listing") in kinds
    assert (soft, "removed", 200, None, "not-found") in kinds
    assert (redirected, "redirected", 301, site.url(site.paths[target]), "article") in kinds
    for key in (retired, soft, redirected):
        assert shown[key]["removed"] is not None, key
    assert shown[target]["removed"] is None and shown[target]["revisions"] == 1
    # Never merged: the redirecting article keeps its own URL, the target does not get it.
    assert site.url(story_url(site, redirected)) not in shown[target]["urls"]
    move = shown[moved]
    assert move["removed"] is None and move["revisions"] == 2
    assert move["title"].endswith("(päivitetty)")
    assert site.url(site.paths[moved]) in move["urls"]
    assert cli_json(db_url, "show", site.url(PREFIX + "teman/bostad/"))["revisions"] == 1

    # They come back: restored, each counted once.
    for key in (retired, soft, redirected):
        site.restore(key)
    site.render()
    out = crawl(db_url, portal, warc)
    assert "restored 3," in out, out
    with Database(db_url) as db:
        run = last_run(db)
        assert sum(run.values()) == ARCHIVED and run["restored"] == 3, run
