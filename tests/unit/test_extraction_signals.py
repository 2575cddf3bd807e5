"""Article marks (``crawler.extraction.signals``) and the portal's own URL
(``crawler.extraction.own_url``): pure functions of a page and its URL."""

from __future__ import annotations

import pytest

from archive.storage.urls import normalize_url
from crawler.extraction import parse_html
from crawler.extraction.own_url import declared_urls, portal_url
from crawler.extraction.signals import (
    article_signals,
    has_dated_byline,
    is_news_path,
    listing_despite_marks,
    looks_like_listing,
    may_be_article,
    sitemap_lists_posts,
    teaser_count,
)
from tests.replica import content, templates
from tests.replica.listings import LAYOUTS, Card, listing_html
from tests.replica.templates import Chrome, PageLinks, Teaser

SITE = "https://nordicwelfare.org/integration-norden/"


def page(head: str = "", body: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_listings_home_and_theme_pages_carry_no_article_mark():
    teasers = [Teaser(f"Nyhet {i}", f"{SITE}nyheter/nyhet-{i}/", "12 feb 2018", "Utdrag")
               for i in range(4)]
    for url in (SITE, f"{SITE}nyheter/", f"{SITE}nyheter/page/2/", f"{SITE}teman/bostad/"):
        html = templates.listing_page("Nyheter", teasers, "sv", SITE, None, "Intro. " * 20)
        assert article_signals(parse_html(html), url) == [], url


def test_each_mark_alone_is_found():
    url = f"{SITE}om-sidan"
    assert article_signals(parse_html(page('<meta property="og:type" content="article">')),
                           url) == ["og:type=article"]
    assert article_signals(parse_html(page(
        '<meta property="article:published_time" content="2021-05-04T08:00:00Z">')), url
    ) == ["article:published_time"]
    json_ld = ('<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, '
               '{"@type": ["BlogPosting"], "headline": "x"}]}</script>')
    assert article_signals(parse_html(page(json_ld)), url) == ["json-ld:BlogPosting"]
    micro = page(body='<div itemscope itemtype="https://schema.org/NewsArticle"><p>x</p></div>')
    assert article_signals(parse_html(micro), url) == ["microdata:NewsArticle"]
    for byline in ("<p>14 mar 2019</p>", "<p>Published October 31, 2018 by Ann</p>",
                   '<div class="meta"><time datetime="2019-03-14">igår</time></div>',
                   "<p>Päivitetty 12.2.2018</p>", "<span>21. nóv 2025</span>"):
        html = page(body=f"<h1>Rubrik</h1><p class='cat'>Arbete</p>{byline}<p>Text.</p>")
        assert article_signals(parse_html(html), url) == ["dated-byline"], byline
    assert article_signals(parse_html(page(body="<h1>Rubrik</h1><p>Text.</p>")),
                           f"{SITE}nyheter/rubrik/") == ["news-path"]
    assert article_signals(parse_html(page('<script type="application/ld+json">{bad'
                                           '</script>')), url) == []


def test_a_date_under_a_teaser_heading_is_no_byline():
    html = page(body="<h1>Nyheter</h1><h2><a href='/a'>A</a></h2><p>12 feb 2018</p>")
    assert article_signals(parse_html(html), f"{SITE}arkiv-sida") == []
    two_headlines = page(body="<h1>A</h1><p>12 feb 2018</p><h1>B</h1>")
    assert article_signals(parse_html(two_headlines), f"{SITE}x") == []


def cards(n: int) -> list[Card]:
    return [Card(f"Ny rapport om integration nummer {i}", f"{SITE}nyheter/rapport-{i}/",
                 f"{12 + i} feb 2018", "Rapporten beskriver hur kommunerna i Norden tar emot "
                 "nyanlända och vilka metoder som har fungerat bäst under de", "Arbete" * (i % 2),
                 f"{SITE}tag/arbete/") for i in range(n)]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_listing_layout_is_a_listing_and_its_dates_no_byline(layout):
    """Date before the teaser's title (the portal's), after it, in the category line, none;
    headings or a page builder's title links. Its first date, right under the listing's
    headline, is a teaser's, never the page's by-line."""
    url = f"{SITE}nyheter/kategori/arbete/"  # below a news section: a news-path mark
    for n in (1, 2, 5):
        tree = parse_html(listing_html(layout, "Arbete", cards(n), SITE))
        assert teaser_count(tree) == n, (layout, n)
        assert looks_like_listing(tree), (layout, n)
        assert not has_dated_byline(tree), (layout, n)
        marks = article_signals(tree, url)
        assert marks == ["news-path"], (layout, marks)  # no per-teaser microdata either
        assert listing_despite_marks(tree, [*marks, "sitemap-post", "dated-byline"])
    # Strong markup says otherwise: an article whose page carries teasers stays marked.
    tree = parse_html(listing_html(layout, "Arbete", cards(3), SITE, og_type="article"))
    assert not listing_despite_marks(tree, article_signals(tree, url))
    # With an intro the listing is still a listing; a page whose own text outweighs its
    # teasers (a theme page with research cards) is not.
    intro = "Här samlar vi nyheter om arbete för nyanlända i Norden. "
    assert looks_like_listing(parse_html(listing_html(layout, "A", cards(3), SITE,
                                                      intro=intro * 3)))
    assert not looks_like_listing(parse_html(listing_html(layout, "A", cards(3), SITE,
                                                          intro=intro * 40)))
    assert not looks_like_listing(parse_html(listing_html(layout, "A", cards(1), SITE,
                                                          intro=intro * 2)))


def test_articles_with_related_teasers_are_no_listings_and_keep_their_byline():
    teasers = [templates.Teaser(f"Nyhet {i}", f"{SITE}nyheter/nyhet-{i}/", "12 feb 2018",
                                "Utdrag ur en annan nyhet som portalen visar under artikeln")
               for i in range(3)]
    for story in content.STORIES[:8]:
        for kind in ("marked", "plain"):
            url = f"{SITE}nyheter/{story.slug}/"
            html = templates.portal_page(story, url, Chrome(teasers=kind),
                                         PageLinks(teasers=teasers))
            tree = parse_html(html)
            assert not looks_like_listing(tree), story.key
            assert has_dated_byline(tree) is bool(story.date_text), story.key
    # A date under the headline followed by body text, then a linked sub-heading: a by-line.
    body = ("<h1>Rubrik</h1><p>14 mar 2019</p><p>" + "Brödtext. " * 30 + "</p>"
            "<h2><a href='/x'>Läs rapporten</a></h2><p>Kort text om rapporten.</p>")
    assert has_dated_byline(parse_html(page(body=body)))
    # A date followed by a linked heading is a teaser's; so is one whose card holds one.
    assert not has_dated_byline(parse_html(page(
        body="<h1>Arbete</h1><p>Arbete</p><p>14 mar 2019</p><h3><a href='/a'>A</a></h3>")))
    assert not has_dated_byline(parse_html(page(
        body="<h1>Arbete</h1><div><time datetime='2019-03-14'>14 mar 2019</time>"
             "<p>Utdrag.</p><h3><a href='/a'>A</a></h3></div>")))


@pytest.mark.parametrize("body", [
    # in an <aside> inside the entry header (as real themes print it)
    "<article><header class='entry-header'><h1>Rubrik</h1><aside class='entry-meta'>"
    "<span>20. Juni 2019</span></aside></header><p>Text.</p></article>",
    # one headline split by <br>
    "<h1 itemprop='headline'><small>Tunesien</small><br>Große Aufgaben</h1><p>18. Feb 2020</p>",
    # linked author and category lines around it are no teaser titles
    "<h1>Rubrik</h1><h6><a href='/author/yirou/'>durch Yirou Chen</a></h6><h6>24. Oktober "
    "2018</h6><h6><a href='/category/health/' rel='category tag'>in Health</a></h6><p>Text.</p>",
    # a malformed link beside it breaks nothing
    "<h1>Rubrik</h1><p>14 mar 2019</p><p><a href='//[ccpa-preferences]/x'>Inställningar</a>"
    "</p>",
])
def test_bylines_as_real_themes_print_them(body):
    assert has_dated_byline(parse_html(page(body=body)))


def test_a_replica_article_in_a_theme_section_is_marked():
    story = content.BY_KEY["sv-natverk-unga"]
    url = f"{SITE}teman/bostad/{story.slug}/"
    html = templates.portal_page(story, url, Chrome(og_article=True, json_ld=True), PageLinks())
    assert article_signals(parse_html(html), url) == [
        "og:type=article", "json-ld:NewsArticle", "dated-byline"]


@pytest.mark.parametrize("url, news", [
    (f"{SITE}nyheter/some-slug/", True), (f"{SITE}en/news/some-slug", True),
    ("https://news.example.org/2021/07/05/forum/", True), (f"{SITE}nyheter/", False),
    (f"{SITE}nyheter/page/2/", False), (f"{SITE}teman/bostad/", False), (f"{SITE}slug", False),
    ("https://x.example/blog/page/3", False)])
def test_news_paths(url, news):
    assert is_news_path(url) is news


@pytest.mark.parametrize("url, posts", [
    ("https://x.example/post-sitemap.xml", True),
    ("https://x.example/wp-sitemap-posts-post-1.xml", True),
    ("https://x.example/news-sitemap.xml", True),
    (f"{SITE}sitemap-articles.xml", True),
    ("https://x.example/page-sitemap.xml", False),
    ("https://x.example/wp-sitemap-posts-page-1.xml", False),
    ("https://x.example/category-sitemap.xml", False),
    ("https://x.example/post_tag-sitemap.xml", False),
    ("https://x.example/post_tag-sitemap2.xml", False),
    ("https://x.example/author-sitemap.xml", False),
    ("https://x.example/wp-sitemap-taxonomies-category-1.xml", False),
    ("https://x.example/wp-sitemap-taxonomies-post_tag-1.xml", False),
    ("https://x.example/wp-sitemap-users-1.xml", False),
    ("https://x.example/post-sitemap2.xml", True),
    ("https://x.example/sitemap.xml", False)])
def test_post_sitemaps(url, posts):
    assert sitemap_lists_posts(url) is posts


def test_links_that_may_be_articles():
    assert may_be_article(f"{SITE}nyheter/some-slug/")
    assert may_be_article(f"{SITE}fi-sivu-slug")
    # Theme and about pages are archived like articles: coverage accounts for them.
    assert may_be_article(f"{SITE}teman/bostad/") and may_be_article(f"{SITE}om-oss/kontakt/")
    for url in (SITE, f"{SITE}nyheter/", f"{SITE}nyheter/page/2/", f"{SITE}teman/",
                f"{SITE}tag/arbete/", f"{SITE}feed/", f"{SITE}?s=bostad"):
        assert not may_be_article(url), url


def test_the_declared_canonical_is_kept_exactly_as_written():
    fetched = f"{SITE}nyheter/some-slug/?utm_source=x"
    html = page(f'<link rel="canonical" href="/integration-norden/nyheter/some-slug/">'
                f'<meta property="og:url" content="{SITE}nyheter/Some-Slug">')
    declared = declared_urls(parse_html(html), fetched)
    assert declared == [f"{SITE}nyheter/some-slug/", f"{SITE}nyheter/Some-Slug"]
    key = normalize_url(f"{SITE}nyheter/some-slug/")
    assert portal_url(declared, fetched, key) == f"{SITE}nyheter/some-slug/"
    # og:url when there is no canonical link; another site's canonical is not the page's.
    og_only = page(f'<link rel="canonical" href="https://other.example/x/">'
                   f'<meta property="og:url" content="{SITE}nyheter/some-slug/">')
    assert declared_urls(parse_html(og_only), fetched) == [f"{SITE}nyheter/some-slug/"]
    # Nothing declared: the URL fetched, exactly.
    assert portal_url(declared_urls(parse_html(page()), fetched), fetched,
                      normalize_url(fetched)) == fetched
