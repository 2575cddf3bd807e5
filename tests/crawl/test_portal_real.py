"""The portal's real pages (``shared/portal-real``), crawled as a new user would, in two guesses
at its markup: the crawl exits 0 with no failure (no listing, page of a listing or tag page
taken for an article that failed), and every dated page is archived exactly (title, tags,
date, language, every paragraph) without the portal's chrome.

Where the shared folder is absent the tests skip, except in CI, where they fail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from archive.storage.database import Database
from archive.storage.models import FetchFailure
from tests.helpers.crawl_helpers import export, run_crawl
from tests.helpers.shared_files import require
from tests.replica import portal_real
from tests.replica.portal_real import FOLLOW, MARKUPS, PREFIX, SITE_NAME, SORT, PortalRealSite
from tests.replica.site import ReplicaServer

#: The language of a text as the archive names it: Norwegian may be split into its standards.
SAME_LANGUAGE = {"no": {"no", "nb", "nn"}}
SHARE_LINES = ("FacebookXLinkedInEmailPrint", "FacebookTwitterLinkedInEmailPrint")
LABELS = ("Webinars & seminars", "Webbinarier & seminarier", "Aktuellt tema", "Current Theme")


def _real_pages() -> list[dict]:
    require(portal_real.pages_file(), "the portal's real pages")
    return portal_real.load_pages()


@pytest.fixture(scope="module", params=MARKUPS)
def crawled(request, tmp_path_factory):
    """One crawl of the real pages per markup."""
    site = PortalRealSite(request.param, _real_pages())
    db_url = f"sqlite:///{tmp_path_factory.mktemp(request.param) / 'archive.db'}"
    with ReplicaServer(site) as server:
        result = run_crawl(db_url, server.base + PREFIX)
        requested = {path.split("?", 1)[0] for path in server.paths()}
    with Database(db_url) as db, db.session() as session:
        failures = {f.url: (f.reason, f.message) for f in session.scalars(select(FetchFailure))}
    return site, result, requested, failures, export(db_url)


def test_no_listing_pagination_or_tag_page_is_a_failure(crawled):
    site, result, requested, failures, _ = crawled
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    listings = site.listing_paths()
    # The crawl reached every listing, page of a listing and tag page (the real /en/teman/
    # listing, the news and publication listings, their pagination, a dozen tag pages) ...
    assert any("/page/2/" in p for p in listings) and sum("/tag/" in p for p in listings) >= 10
    assert set(listings) <= requested, sorted(set(listings) - requested)
    # ... and nothing is a failure: not they, not the undated pages (themes, events, about).
    assert failures == {}, failures
    assert "failed 0," in result.stdout.decode()


def test_dated_pages_are_archived_exactly(crawled):
    site, _, _, _, articles = crawled
    by_path = {portal_real.path_of(a["url"]): a for a in articles}
    dated = [p for p in site.real if portal_real.is_dated(p)]
    assert len(dated) >= 12
    for page in dated:
        clean = page["clean"]
        article = by_path.get(page["path"])
        assert article is not None, page["path"]
        assert article["title"] == clean["title"], page["path"]
        assert set(article["tags"]) == set(clean["tags"]), page["path"]
        assert article["published"][:10] == page["date_iso"], page["path"]
        assert article["language"] in SAME_LANGUAGE.get(page["language"],
                                                        {page["language"]}), page["path"]
        text = " ".join(article["text"].split())
        for block in clean["blocks"]:
            lines = [line for item in block.get("items", []) for line in item]
            for line in (*block.get("lines", []), *lines):
                if block["kind"] in ("p", "ul", "ol"):
                    assert " ".join(line.split()) in text, (page["path"], line)


def test_no_chrome_in_any_archived_text(crawled):
    site, _, _, _, articles = crawled
    banners = portal_real.banner_texts(site.real)
    assert set(banners) == {"sv", "en"}
    chrome_lines = {*SITE_NAME.values(), *FOLLOW.values(), *SORT.values(), *LABELS, "Cookies",
                    *SHARE_LINES, "Knowledge bank for research and exchange of experience in "
                    "the area of integration in the Nordic region"}
    assert articles
    for article in articles:
        lines = {" ".join(line.split()) for line in article["text"].splitlines()}
        assert not lines & chrome_lines, (article["url"], lines & chrome_lines)
        for leak in (*SHARE_LINES, *SORT.values(), *banners.values()):
            assert leak not in article["text"], (article["url"], leak)


#: The kind the archive gives each section of the portal's paths (after the language prefix).
KIND_OF_SECTION = {"nyheter": "news", "publikationer": "publication", "fakta": "fact",
                   "exempel": "example", "teman": "theme", "about-us": "event"}


def _expected_kind(path: str) -> str:
    segments = [s for s in path.removeprefix(PREFIX).split("/") if s]
    if segments and segments[0] == "en":
        segments = segments[1:]
    return KIND_OF_SECTION.get(segments[0], "page") if len(segments) > 1 else "page"


def test_every_page_kind_is_archived_and_listings_never(crawled):
    site, _, _, _, articles = crawled
    kinds = {portal_real.path_of(a["url"]): a["kind"] for a in articles}
    pages = [p for p in site.real if not portal_real.is_listing(p)]
    # Themes, webinars, the root-level translations and overviews are archived like articles,
    # each with the kind of its section; dated or not.
    assert {p["path"]: kinds.get(p["path"]) for p in pages} == {
        p["path"]: _expected_kind(p["path"]) for p in pages}
    assert {"theme", "event", "page", "news", "publication", "fact", "example"} <= set(
        kinds.values())
    # No listing, page of a listing or tag page is ever archived.
    assert not set(kinds) & set(site.listing_paths()), set(kinds) & set(site.listing_paths())
    assert not any(portal_real.is_listing(p) and p["path"] in kinds for p in site.real)
