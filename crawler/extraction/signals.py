"""Does a page's URL or markup say "article"? Independent of ``extract()``'s own verdict, so
that a page ``extract()`` refuses or calls no article, although the portal marks it as one, is
recorded as a failure instead of vanishing. Pure functions of (parsed page, URL)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from lxml import html as lxml_html

from crawler.extraction.metadata import walk_json
from crawler.extraction.page_kind import is_listing_url, never_archived

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
_DATE_PATH = re.compile(r"/(19|20)\d{2}/(0?[1-9]|1[0-2])/")
_MONTH = (r"(jan|feb|mar|mär|apr|maj|mai|may|jun|jul|aug|ágú|sep|okt|oct|nov|nóv|dec|des|dez"
          r"|tam|hel|maa|huh|tou|kes|hei|elo|syy|lok|jou|maí|jún|júl)[^\W\d_]*\.?")
_DATE_TEXT = re.compile(
    r"\b((19|20)\d{2}-\d{2}-\d{2}"
    r"|\d{1,2}\.\s?\d{1,2}\.\s?(19|20)\d{2}"
    r"|\d{1,2}/\d{1,2}/(19|20)\d{2}"
    rf"|\d{{1,2}}\.?\s+{_MONTH}\s+(19|20)\d{{2}}"
    rf"|{_MONTH}\s+\d{{1,2}},?\s+(19|20)\d{{2}})\b", re.IGNORECASE)
#: How many text-bearing elements after the headline a by-line may sit at.
_BYLINE_WINDOW = 8
_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})


def sitemap_lists_posts(sitemap_url: str) -> bool:
    """Whether a sitemap's file name says its entries are posts (``post-sitemap.xml``,
    ``wp-sitemap-posts-post-1.xml``, ``news-sitemap.xml``) rather than pages or terms."""
    name = urlsplit(sitemap_url).path.rsplit("/", 1)[-1]
    return bool(_POST_SITEMAP.search(name)) and "page" not in name.lower()


def article_signals(tree: lxml_html.HtmlElement, url: str) -> list[str]:
    """What on this page says it is an article: ``og:type=article``, ``json-ld:<Type>``,
    ``microdata:<Type>``, ``article:published_time``, ``dated-byline``, ``news-path``.
    Empty for listings, home, theme and about pages (no such markup): those are only crawled
    for links. Read the tree before ``extract_tree`` consumes it."""
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
        if kind.lower() in ARTICLE_TYPES and f"microdata:{kind}" not in found:
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
    an article. A listing's dates sit under each teaser's own heading, so they do not count."""
    headlines = tree.findall(".//h1")
    if len(headlines) != 1:
        return False
    after = False
    seen = 0
    for element in tree.iter():
        if element is headlines[0]:
            after = True
            continue
        if not after or not isinstance(element.tag, str):
            continue
        if element.tag in _HEADINGS:
            return False
        if element.tag == "time" and (element.get("datetime") or "").strip():
            return True
        if element.get("itemprop") in ("datePublished", "dateCreated"):
            return True
        own = (element.text or "").strip()
        if not own:
            continue
        seen += 1
        if seen > _BYLINE_WINDOW:
            return False
        text = " ".join(element.text_content().split())
        if len(text) <= 120 and _DATE_TEXT.search(text):
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
