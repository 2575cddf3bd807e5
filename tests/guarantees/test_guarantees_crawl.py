"""The README's promises on what a re-crawl decides, each on a real crawl of the replica that
fails when the promise breaks: an archived article redirected to a page ``extract()``
refuses, or off the portal (another host, a sister sub-site), is removed with what was
served there; a page at a non-listing URL that ``extract()`` refuses outright (a consent
wall, no article mark) is a recorded failure; every article the crawl saw is counted once."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from archive.storage.database import Database
from archive.storage.models import Article, ArticleEvent, CrawlRun, FetchFailure
from tests.helpers.crawl_helpers import crawl, last_run, run_crawl, story_url
from tests.replica import content, templates
from tests.replica.site import ARCHIVED_PAGES, PREFIX, Page, ReplicaServer, ReplicaSite
from tests.replica.tiny import tiny_portal

#: A consent wall: no headline, a consent dialog outweighing a short text. ``extract()``
#: refuses it (``mostly-consent``); nothing on it says "article".
_BANNER = "".join(f"<p>{text}</p>" for text in templates.BANNER.values())
CONSENT_WALL = (
    '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Kampanj</title></head>'
    f'<body><div class="wall">{_BANNER * 2}</div><div><p>'
    f'{" ".join(content.STORIES[0].paragraphs)[:560]}</p></div></body></html>').encode()
#: A whole article, marked as one (og:type=article, JSON-LD NewsArticle), served at a tag URL:
#: the archive never keeps a tag page, and no teaser makes it a listing, so extract()'s "no
#: article" contradicts the site's marks: a recorded failure, never a silent loss.
_STORY = content.STORIES[1]
MARKED_AT_TAG = (
    '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
    f'<title>{_STORY.title}</title><meta property="og:type" content="article">'
    '<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
    f'"NewsArticle", "headline": "{_STORY.title}"}}</script></head><body><main><article>'
    f'<h1>{_STORY.title}</h1>{"".join(f"<p>{p}</p>" for p in _STORY.paragraphs)}'
    '</article></main></body></html>').encode()
TAG_MARKED = f"{PREFIX}tag/seminarier/"
WALL_TARGET = f"{PREFIX}samtycke/"  # where an archived article now redirects
WALL_LINKED = f"{PREFIX}kampanj-kakor"  # a new page the home page links
OTHER_HOST = "https://other.example/nyheter/"


def render(site: ReplicaSite) -> None:
    """The replica's pages, plus the consent walls and a home-page link to one of them."""
    site.extra_pages[WALL_TARGET] = Page(CONSENT_WALL)
    site.extra_pages[WALL_LINKED] = Page(CONSENT_WALL)
    site.extra_pages[TAG_MARKED] = Page(MARKED_AT_TAG)
    site.render()
    home = site.pages[PREFIX]
    home.body = home.body.replace(b"</main>",
                                  f'<p><a href="{site.url(WALL_LINKED)}">Kampanj</a> '
                                  f'<a href="{site.url(TAG_MARKED)}">Seminarier</a></p>'
                                  f"</main>".encode())


@pytest.fixture
def portal():
    site = ReplicaSite(stories=content.STORIES[:8])
    with ReplicaServer(site) as server:
        render(site)
        yield server


def test_redirects_to_refused_pages_and_off_the_portal_are_removals(portal, db_url, tmp_path):
    site = portal.site
    warc = tmp_path / "warc"
    # Two failures of a dozen pages: over the ratio that makes exit 5, which is not tested here.
    ratio = ("--set", "NORDARCHIVE_MAX_FAILURE_RATIO=1")
    crawl(db_url, portal, warc, *ratio)
    with Database(db_url) as db:
        first = last_run(db)
        with db.session() as session:
            failures = {(f.url, f.reason) for f in session.scalars(select(FetchFailure))}
    # No silent loss: refused outright at a non-listing URL, with no article mark; and a
    # page the site marks as an article where the archive keeps none.
    assert failures == {(site.url(WALL_LINKED), "mostly-consent"),
                        (site.url(TAG_MARKED), "not-article")}, failures
    assert (first["new"], first["failed"]) == (8 + len(ARCHIVED_PAGES), 2), first

    keys = [story.key for story in content.STORIES[:8]]
    refused, elsewhere, sister, replaced = keys[:4]
    site.retire(refused, WALL_TARGET)
    site.retire(elsewhere, "/")
    site.retire(sister, "/popnad/")
    render(site)
    site.pages[site.paths[elsewhere]] = Page(b"", status=301, location=OTHER_HOST)
    # An article's URL now serves a page that is no article in place (200).
    site.pages[site.paths[replaced]] = Page(
        b'<!DOCTYPE html><html lang="sv"><head><title>Arkiv</title></head><body><h1>Arkiv</h1>'
        b'<p>Se <a href="/integration-norden/nyheter/">nyheterna</a>.</p></body></html>')
    out = crawl(db_url, portal, warc, *ratio)
    assert "removed 4," in out, out
    with Database(db_url) as db:
        run = last_run(db)
        with db.session() as session:
            events = {(e.url, e.kind, e.http_status, e.final_url, e.page_kind)
                      for e in session.scalars(select(ArticleEvent))}
    # Each article counted once (and the consent wall and the marked tag page, fetched again,
    # as failures).
    assert sum(run.values()) == 10 + len(ARCHIVED_PAGES), run
    assert (run["removed"], run["failed"]) == (4, 2), run
    url = {key: site.url(story_url(site, key)) for key in (refused, elsewhere, sister, replaced)}
    assert (url[refused], "removed", 301, site.url(WALL_TARGET), "page") in events, events
    assert (url[elsewhere], "removed", 301, OTHER_HOST, "out-of-scope") in events, events
    assert (url[sister], "removed", 301, site.url("/popnad/"), "out-of-scope") in events
    assert (url[replaced], "removed", 200, None, "page") in events, events
    assert len(events) == 4, events  # nothing else was removed


def test_an_archive_error_writing_the_last_batch_fails_the_run(tmp_path, sqlite_url):
    """The crawl's only article waits for its batch until the crawl ends; the archive then
    refuses it (a trigger stands in for a full disk): the run failed, exit 1, one line."""
    Database(sqlite_url).close()
    with sqlite3.connect(tmp_path / "archive.db") as connection:
        connection.execute("CREATE TRIGGER refuse BEFORE INSERT ON revisions BEGIN "
                           "SELECT RAISE(ABORT, 'database or disk is full'); END")
    story = content.STORIES[0]
    with tiny_portal([story]) as server:
        result = run_crawl(sqlite_url, server.base + PREFIX, "--set",
                           f"NORDARCHIVE_WARC_DIR={tmp_path / 'warc'}")
    stderr = result.stderr.decode()
    assert result.returncode == 1, (result.stdout.decode(), stderr[-2000:])
    assert stderr.strip().splitlines()[-1].startswith(
        "nordarchive: error: crawl 1 failed: archive_error:"), stderr[-2000:]
    with Database(sqlite_url) as db, db.session() as session:
        run = session.scalar(select(CrawlRun))
        assert run.status == "failed" and run.message.startswith("archive_error:"), run.message
        assert session.scalar(select(func.count()).select_from(Article)) == 0


def test_a_429_answered_more_often_than_the_retries_allow_is_rate_limited(tmp_path, sqlite_url):
    """Also: a 5xx is retried after ``RETRY_BACKOFF_BASE`` seconds, not at once."""
    limited, busy = content.STORIES[:2]
    with tiny_portal([limited, busy]) as server:
        path, busy_path = server.site.paths[limited.key], server.site.paths[busy.key]
        server.scripted = {path: [Page(b"slow down", status=429) for _ in range(2)],
                           busy_path: [Page(b"busy", status=503)]}
        result = run_crawl(sqlite_url, server.base + PREFIX, "--set", "RETRY_TIMES=1",
                           "--set", "RETRY_BACKOFF_BASE=3",
                           "--set", "NORDARCHIVE_MAX_FAILURE_RATIO=1",
                           "--set", f"NORDARCHIVE_WARC_DIR={tmp_path / 'warc'}")
        asked = [r.status for r in server.requests if r.path == path]
        retried = [r for r in server.requests if r.path == busy_path]
        url = server.site.url(path)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert asked == [429, 429]  # the first answer and one retry, then given up
    with Database(sqlite_url) as db, db.session() as session:
        failures = session.execute(select(FetchFailure.url, FetchFailure.reason)).all()
    assert failures == [(url, "rate-limited")]
    assert [r.status for r in retried] == [503, 200]
    assert retried[1].at - retried[0].answered >= 3.0
