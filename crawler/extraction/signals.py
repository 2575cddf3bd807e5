"""Does a page's URL or markup say "article"? Independent of ``extract()``'s own verdict, so
that a page ``extract()`` refuses or calls no article, although the portal marks it as one, is
recorded as a failure instead of vanishing. Pure functions of (parsed page, URL)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from lxml import html as lxml_html

from crawler.extraction import teasers
from crawler.extraction.metadata import walk_json
from crawler.extraction.page_kind import is_listing_url, never_archived
from crawler.extraction.teasers import looks_like_listing, teaser_count

__all__ = ["ARTICLE_TYPES", "NEWS_SECTIONS", "STRONG_MARKS", "article_signals",
           "has_dated_byline", "is_news_path", "listing_despite_marks", "looks_like_listing",
           "may_be_article", "sitemap_lists_posts", "strong_marks", "teaser_count"]

#: schema.org types that are articles (lower case).
ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
    "techarticle", "report", "liveblogposting", "socialmediaposting"})
#: Path segments of news sections in the portal's languages and in common CMS paths: a page
#: below one (``/nyheter/<slug>/``) is a news item.
NEWS_SECTIONS = frozenset({
    "nyheter", "news", "uutiset", "nyheder", "frettir", "fréttir", "aktuellt", "aktuelt",
    "ajankohtaista", "blog", "blogg", "blogs", "artiklar", "artikler", "artikkelit", "articles",
    "article", "pressmeddelanden", "pressemeldinger", "pressemeddelelser", "tiedotteet", "press",
    "publikationer", "publications", "webbinarier", "webinars", "posts", "post"})
#: A sitemap whose name says it lists posts (WordPress core, Yoast, Rank Math, news sitemaps).
_POST_SITEMAP = re.compile(r"(post|news|article|artik|nyhet|blog)", re.IGNORECASE)
#: Words in a sitemap's name that say it lists pages, terms or people, not posts
#: (``post_tag-sitemap.xml``, ``wp-sitemap-taxonomies-category-1.xml``, ``wp-sitemap-users-1``).
_NOT_POSTS = re.compile(r"^(pages?|tags?|categor\w*|cats?|authors?|users?|taxonom\w*|terms?"
                        r"|topics?|format)$")
_DATE_PATH = re.compile(r"/(19|20)\d{2}/(0?[1-9]|1[0-2])/")
#: How many lines after the headline a by-line may sit at.
_BYLINE_WINDOW = 8
#: Marks only markup gives: they stand even on a page that looks like a listing.
STRONG_MARKS = ("og:type=article", "json-ld:", "microdata:")
_TEASER_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
#: A teaser's card holds a title, a date, labels and an excerpt: no more text than this.
_CARD_CHARS = 1000
#: Headings that end the headline's by-line area.
_STOP_HEADINGS = frozenset({"h2", "h3", "h4"})


def sitemap_lists_posts(sitemap_url: str) -> bool:
    """Whether a sitemap's file name says its entries are posts (``post-sitemap.xml``,
    ``wp-sitemap-posts-post-1.xml``, ``news-sitemap.xml``) rather than pages, terms (tags,
    categories: ``post_tag-sitemap.xml``, ``wp-sitemap-taxonomies-*``) or authors."""
    name = urlsplit(sitemap_url).path.rsplit("/", 1)[-1]
    words = re.split(r"[^a-z]+", name.lower())
    return bool(_POST_SITEMAP.search(name)) and not any(_NOT_POSTS.match(w) for w in words)


def article_signals(tree: lxml_html.HtmlElement, url: str) -> list[str]:
    """What on this page says it is an article: ``og:type=article``, ``json-ld:<Type>``,
    ``microdata:<Type>``, ``article:published_time``, ``dated-byline``, ``news-path``.
    Empty for listings, home, theme and about pages (no such markup): those are only crawled
    for links; a microdata scope around one teaser of a listing is no mark. Read the tree
    before ``extract_tree`` consumes it."""
    found: list[str] = []
    head = tree.find("head")
    for meta in (head if head is not None else tree).iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        value = (meta.get("content") or "").strip().lower()
        if key == "og:type" and value == "article" and "og:type=article" not in found:
            found.append("og:type=article")
        elif key == "article:published_time" and value and \
                "article:published_time" not in found:
            found.append("article:published_time")
    for kind in _json_ld_types(tree):
        if kind.lower() in ARTICLE_TYPES and f"json-ld:{kind}" not in found:
            found.append(f"json-ld:{kind}")
    for element in tree.xpath("//*[@itemtype]"):  # XPath runs in C; ElementPath does not
        kind = (element.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1]
        if (kind.lower() in ARTICLE_TYPES and f"microdata:{kind}" not in found
                and not _teaser_scope(element)):
            found.append(f"microdata:{kind}")
    if has_dated_byline(tree):
        found.append("dated-byline")
    if is_news_path(url):
        found.append("news-path")
    return found


def may_be_article(url: str) -> bool:
    """Whether a link may lead to a page the archive keeps (an article, a theme, event or
    about page ...): not a listing (section root, pagination, feed), tag, author or search
    page. The links ``coverage`` accounts for."""
    return not never_archived(url)


def is_news_path(url: str) -> bool:
    """A page below a news section (``/nyheter/<slug>/``) or under a date path
    (``/2021/07/05/<slug>/``); never a listing (the section itself, its pagination)."""
    if is_listing_url(url):
        return False
    path = urlsplit(url).path
    segments = [s for s in path.lower().split("/") if s]
    if len(segments) < 2:
        return False
    if _DATE_PATH.search(path) and not segments[-1].isdigit():
        return True
    return any(s in NEWS_SECTIONS for s in segments[:-1]) and not segments[-1].isdigit()


def has_dated_byline(tree: lxml_html.HtmlElement) -> bool:
    """A date right under the page's one headline, before any other heading: the by-line of
    an article. A date that belongs to a teaser does not count: one followed by a linked
    heading (a listing's "category, date, title, excerpt"), or one in a teaser-sized block that
    holds a linked heading of its own. Under a listing's teaser headings dates never count."""
    lines = teasers.page_lines(tree, with_chrome=True)
    position = teasers.headline_position(lines)
    if position is None:
        return False
    headline = lines[position].element
    after = lines[position + 1:][:_BYLINE_WINDOW]
    for n, line in enumerate(after):
        if line.element is not None and line.element.tag in _STOP_HEADINGS:
            return False
        if line.kind == "date":
            return not (_followed_by_title(after[n + 1:])
                        or _in_card_with_title(line.element, headline))
    return False


def strong_marks(marks: list[str]) -> list[str]:
    """The marks only markup gives (``og:type=article``, JSON-LD or microdata ``Article``)."""
    return [m for m in marks if m.startswith(STRONG_MARKS)]


def listing_despite_marks(tree: lxml_html.HtmlElement, marks: list[str]) -> bool:
    """A page of teasers is a listing, whatever its URL, sitemap or dates say, unless its
    markup says article (``og:type=article``, JSON-LD or microdata ``Article``)."""
    return not strong_marks(marks) and teasers.looks_like_listing(tree)


def _teaser_scope(element: lxml_html.HtmlElement) -> bool:
    """A microdata scope around one teaser of a listing (GeneratePress gives each its own
    ``BlogPosting``): a linked heading and no headline."""
    return element.find(".//h1") is None and any(
        teasers.title_link(a) for h in element.iter(*_TEASER_HEADINGS) for a in h.iter("a"))


def _followed_by_title(lines: list[teasers.Line]) -> bool:
    """A linked heading comes next (within a teaser's reach), before any body text."""
    for line in lines[:teasers.TEASER_REACH]:
        if line.kind == "title":
            return True
        if line.kind == "heading" or len(line.text) > teasers.DATE_LINE_CHARS:
            return False
    return False


def _in_card_with_title(element, headline) -> bool:
    """The date sits in a teaser-sized block (not shared with the headline) that holds a
    linked heading: a card of a listing, not an article's body beside a sidebar."""
    if element is None or headline is None:
        return False
    shared = set(headline.iterancestors())
    for node in (element, *element.iterancestors()):
        if node in shared:
            return False
        if len(node.text_content()) > _CARD_CHARS:
            return False
        if any(teasers.title_link(a) for h in node.iter(*_TEASER_HEADINGS)
               for a in h.iter("a")):
            return True
    return False


def _json_ld_types(tree: lxml_html.HtmlElement) -> Iterator[str]:
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        for node in walk_json(data):
            kinds = node.get("@type")
            for kind in [kinds] if isinstance(kinds, str) else (kinds or []):
                if isinstance(kind, str):
                    yield kind.rsplit("/", 1)[-1]
