"""No silent loss, end to end: a real crawl of a replica whose sitemap lists pages marked as
articles that cannot be archived (one extract() refuses, one that robots.txt forbids) and a
news item filed under a theme's path (archived: every kind of page is). Each of the first two
is a fetch failure with its reason, counted in the run, and ``nordarchive coverage`` accounts
for every URL the portal named, in all three formats. The
same crawl checks that the archive shows the portal's own URLs, never their normal form."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

from archive.storage.database import Database
from archive.storage.models import FetchFailure
from tests.helpers.cli import run_cli
from tests.helpers.crawl_helpers import cli_json, export, run_crawl
from tests.replica import content
from tests.replica.site import ARCHIVED_PAGES, PREFIX, UNARCHIVABLE, ReplicaServer, ReplicaSite

REFUSED = f"{PREFIX}nyheter/seminarium-utan-text/"
UNDER_THEME = f"{PREFIX}teman/bostad/ny-rapport-om-boende/"
FORBIDDEN = f"{PREFIX}privat/intern-nyhet/"
#: About and contact pages the theme's menu and consent banner link, which the replica does
#: not serve: pages the archive would keep, so ``coverage`` names them, gone.
MENU_GONE = (f"{PREFIX}om-oss/kontakt/", f"{PREFIX}en/om-oss/", f"{PREFIX}en/om-oss/kontakt/",
             f"{PREFIX}om-oss/cookies/")


def refusal(site) -> str:
    """Why extract() refuses the empty page (``no-text``, or ``mostly-consent`` when the
    banner outweighs what is left): the reason the failure must carry."""
    from crawler.extraction import ExtractionError, extract

    with pytest.raises(ExtractionError) as refused:
        extract(site.pages[REFUSED].body, site.url(REFUSED))
    return refused.value.reason


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """One crawl for every check of this module (a crawl is the expensive part)."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('coverage') / 'archive.db'}"
    with ReplicaServer(ReplicaSite(unarchivable=True)) as server:
        result = run_crawl(db_url, server.base + PREFIX)
        yield server.site, db_url, result


def test_marked_pages_not_archived_are_failures_with_reasons_counted_in_the_run(crawled):
    site, db_url, result = crawled
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    summary = result.stdout.decode().strip()
    assert summary.startswith("crawl 1 finished: new 28,") and "failed 2," in summary, summary
    with Database(db_url) as db, db.session() as session:
        failures = {f.url: f for f in session.scalars(select(FetchFailure))}
    assert {url: f.reason for url, f in failures.items()} == {
        site.url(REFUSED): refusal(site), site.url(FORBIDDEN): "robots-txt"}
    # The message says what marked the page as an article.
    for url in (site.url(REFUSED),):
        message = failures[url].message
        for mark in ("sitemap-post", "og:type=article", "json-ld:NewsArticle", "dated-byline"):
            assert mark in message, (url, message)
    assert all(f.crawl_run_id == 1 for f in failures.values())
    run = cli_json(db_url, "stats")["last_runs"][0]
    assert (run["new"], run["failed"]) == (28, 2)  # 25 articles, theme, about, under theme
    under_theme = cli_json(db_url, "show", site.url(UNDER_THEME))
    assert (under_theme["kind"], under_theme["published"]) == ("news", "2021-05-04")


def _expected(site) -> dict[str, tuple[str, str | None]]:
    expected = {site.url(path): ("archived", None) for path in site.paths.values()}
    expected.update({site.url(path): ("archived", None) for path in ARCHIVED_PAGES})
    expected[site.url(REFUSED)] = ("refused", refusal(site))
    expected[site.url(UNDER_THEME)] = ("archived", None)
    expected[site.url(FORBIDDEN)] = ("never-fetched", "robots-txt")
    expected.update({site.url(path): ("gone", "http-404") for path in MENU_GONE})
    return expected


def test_coverage_accounts_for_every_named_url_in_every_format(crawled):
    site, db_url, _ = crawled
    expected = _expected(site)
    assert len(expected) == (len(content.STORIES) + len(UNARCHIVABLE) + len(ARCHIVED_PAGES)
                             + len(MENU_GONE))

    report = cli_json(db_url, "coverage")
    assert report["summary"] == {"named": 34, "archived": 28, "refused": 1, "gone": 4,
                                 "not-article": 0, "never-fetched": 1}
    assert {r["url"]: (r["status"], r["reason"]) for r in report["urls"]} == expected
    sources = {r["url"]: r["source"] for r in report["urls"]}
    assert sources[site.url(site.paths["is-ungmenni"])] == "feed"  # only the feed names it
    assert sources[site.url(FORBIDDEN)] == "sitemap"

    as_csv = run_cli("coverage", "--db", db_url, "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout.decode())))
    assert {r["url"]: (r["status"], r["reason"] or None) for r in rows} == expected

    table = run_cli("coverage", "--db", db_url)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.decode().splitlines()
    assert lines[-1] == ("34 URLs named: archived 28, refused 1, gone 4, not-article 0, "
                         "never-fetched 1")
    by_url = {line.split()[-1]: line.split()[:2] for line in lines[:-1]}
    assert by_url == {url: [status, reason or "-"] for url, (status, reason) in
                      expected.items()}

    refused = run_cli("coverage", "--db", db_url, "--status", "refused", "--format", "json")
    assert [r["url"] for r in json.loads(refused.stdout)["urls"]] == [site.url(REFUSED)]
    kinds = {r["url"]: r["kind"] for r in report["urls"]}
    assert kinds[site.url(UNDER_THEME)] == "news" and kinds[site.url(REFUSED)] is None
    assert {kinds[site.url(path)] for path in ARCHIVED_PAGES} == {"theme", "page"}


def test_archive_shows_the_portals_own_urls_never_their_normal_form(crawled):
    site, db_url, _ = crawled
    rows = {row["title"]: row for row in export(db_url)}
    slashed = 0
    for key, path in site.paths.items():
        row = rows[site.stories[key].title]
        own = site.url(path)
        assert row["url"] == own, key  # as the page declares it (rel=canonical)
        assert own in row["urls"]
        if own.endswith("/"):
            slashed += 1
            assert own.rstrip("/") not in row["urls"], (key, row["urls"])
    assert slashed >= 5  # the Swedish and English news pages end in a slash

    story = content.BY_KEY["sv-natverk-unga"]
    own = site.url(site.paths[story.key])
    hits = cli_json(db_url, "search", "ensamkommande")
    assert own in [hit["url"] for hit in hits]
    assert own.rstrip("/") not in [hit["url"] for hit in hits]
    shown = run_cli("show", own.rstrip("/"), "--db", db_url)  # any form finds it
    assert shown.returncode == 0, shown.stderr
    text = shown.stdout.decode()
    assert f"        url: {own}\n" in text
    assert f"   url seen: {own}\n" in text
    assert f"{own.rstrip('/')}\n" not in text
