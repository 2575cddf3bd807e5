"""Only the page's own words and dates: other pages' teaser cards on the portal's theme,
publication and about pages (a theme's "Research on the theme" grid, an about page's news box)
are never part of its text and their dates never its ``published``; a theme whose teasers
change reads the same. Off the portal a linked heading with a short paragraph is often the
article's own, and stays."""

from __future__ import annotations

import copy

import pytest

from crawler.extraction import extract
from tests.helpers.shared_files import require
from tests.replica import portal_real, templates
from tests.replica.content import BY_KEY
from tests.replica.portal_real import MARKUPS, PortalRealSite
from tests.replica.templates import Teaser

PORTAL = "https://nordicwelfare.org/integration-norden/"
INTRO = "Här samlar vi nyheter om bostadsfrågor för nyanlända i Norden. " * 4


def _with_research_everywhere(site: PortalRealSite) -> list[dict]:
    """Every page of the real set that is not a news item carries the theme's teaser grid."""
    real = copy.deepcopy(site.real)
    for page in real:
        if page["kind"] != "news" and not portal_real.is_listing(page):
            page["clean"]["research"] = True
    return real


@pytest.mark.parametrize("markup", MARKUPS)
def test_real_theme_publication_and_about_pages_keep_only_their_own_words_and_dates(markup):
    require(portal_real.pages_file(), "the portal's real pages")
    site = PortalRealSite(markup)
    site.real = _with_research_everywhere(site)
    site.render()
    teasers = [site.teaser(p) for p in site.dated()[:4]]
    checked = 0
    for real in site.real:
        if not real["clean"].get("research"):
            continue
        article = extract(site.pages[real["path"]].body, site.url(real["path"]))
        assert article.is_article, real["path"]
        published = article.published.isoformat() if article.published else None
        assert published == real["date_iso"], real["path"]  # its own date, or none
        for teaser in teasers:
            if teaser.title != real["clean"]["title"]:  # (a page's own card quotes it)
                assert teaser.title not in article.text, (real["path"], teaser.title)
                assert teaser.snippet[:60] not in article.text, (real["path"], teaser.title)
        text = " ".join(article.text.split())
        for block in real["clean"]["blocks"]:
            if block["kind"] == "p":
                for line in block["lines"]:
                    assert " ".join(line.split()) in text, (real["path"], line)
        checked += 1
    assert checked >= 8


def _theme(items: list[Teaser], extra: str = "") -> str:
    html = templates.listing_page("Bostad", items, "sv", PORTAL, intro=INTRO)
    return html.replace('<div class="news-list">', extra + '<div class="news-list">')


def _teaser(key: str) -> Teaser:
    story = BY_KEY[key]
    return Teaser(story.title, f"{PORTAL}nyheter/{story.slug}/", story.date_text or "",
                  story.paragraphs[0][:140])


def test_a_theme_whose_teasers_change_reads_the_same():
    url = f"{PORTAL}teman/bostad/"
    before = extract(_theme([_teaser("sv-sprakkafe")]), url)
    after = extract(_theme([_teaser("sv-ukraina"), _teaser("sv-natverk-unga"),
                            _teaser("en-forum")]), url)
    assert before.text == after.text == INTRO.strip()
    assert before.published is after.published is None
    assert (before.kind, before.is_article) == ("theme", True)


def test_a_short_line_of_the_pages_own_before_its_cards_stays():
    url = f"{PORTAL}teman/bostad/"
    own = "Temat har fått en ny inledning om hemlöshet bland nyanlända."
    article = extract(_theme([_teaser("sv-sprakkafe"), _teaser("sv-ukraina")],
                             extra=f"<p>{own}</p>"), url)
    assert article.text.split("\n\n") == [INTRO.strip(), own]


def test_a_portal_page_of_teasers_alone_is_still_what_it_shows():
    # An archived page (directly under the prefix) with no text of its own keeps its cards:
    # removing them would leave nothing, and its cards are what it is.
    html = templates.listing_page("Kunskapsbank", [_teaser("sv-sprakkafe"), _teaser("sv-ukraina")],
                                  "sv", PORTAL)
    article = extract(html, f"{PORTAL}kunskapsbank/")
    assert article.is_article
    assert BY_KEY["sv-sprakkafe"].title in article.text


def test_off_the_portal_a_linked_heading_and_its_paragraphs_are_the_article():
    """A blog's headline is often a linked ``<h2>`` under the site's ``<h1>``: its text stays."""
    sentence = "Die Gemeinde eröffnet im Frühjahr ein neues Sprachcafé für Zugezogene. "
    html = (f"<html lang='de'><body><h1>Mein Blog</h1><main>"
            f"<h2 class='entry-title'><a href='https://blog.example/2019/03/13/cafe/'>Ein "
            f"Sprachcafé</a></h2><div class='entry-meta'>13. März 2019</div>"
            f"<p>{sentence * 2}</p><p>{sentence * 5}</p><p>{sentence * 5}</p>"
            f"</main></body></html>")
    article = extract(html, "https://blog.example/2019/03/13/cafe/")
    assert (sentence * 2).strip() in article.text
    assert article.published.isoformat() == "2019-03-13"
