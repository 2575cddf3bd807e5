"""What an archived article's URL served when it no longer served an article: the page kind
named in its removal event. A pure function of the parsed page and its URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from lxml import html as lxml_html

from crawler.extraction.page_kind import is_listing_url, path_segments

#: "Page not found" headings and titles as WordPress themes write them, in the portal's
#: languages, and the ``error404`` body class WordPress gives every 404 template.
_NOT_FOUND = re.compile(
    r"\b(404|not found|page not found|sidan (finns inte|hittades inte|kunde inte hittas)|"
    r"siden (blev ikke fundet|finnes ikke|ble ikke funnet|findes ikke)|"
    r"sivua ei (löytynyt|löydy)|síðan fannst ekki|síða fannst ekki)\b", re.IGNORECASE)
_SEARCH_SEGMENTS = frozenset({"search", "sok", "sök", "haku", "leit", "sog", "søg"})


def page_kind(tree: lxml_html.HtmlElement | None, url: str) -> str:
    """``not-found`` (a soft 404), ``search``, ``home``, ``listing`` or ``page``."""
    if tree is not None and _looks_not_found(tree):
        return "not-found"
    query = parse_qs(urlsplit(url).query)
    segments = path_segments(url)
    if "s" in query or any(s in _SEARCH_SEGMENTS for s in segments):
        return "search"
    if not segments:
        return "home"
    if is_listing_url(url):
        return "listing"
    return "page"


#: A headline that is nothing but "page not found" (an article may mention "404" or "not found").
_NOT_FOUND_HEADLINE = re.compile(rf"^\W*(?:404\W*)?(?:{_NOT_FOUND.pattern})\W*$", re.IGNORECASE)


def is_not_found_page(tree: lxml_html.HtmlElement) -> bool:
    """A "not found" page served with 200 (a soft 404), told apart from an article before
    extraction: a short page under a lone headline can read like a short article. Only the
    theme's 404 body class or a headline that says nothing else counts."""
    body = tree.find(".//body")
    if body is not None and {"error404", "error-404"} & set(
            (body.get("class") or "").lower().split()):
        return True
    headline = tree.find(".//h1")
    return headline is not None and bool(
        _NOT_FOUND_HEADLINE.match(" ".join(headline.text_content().split())))


def _looks_not_found(tree: lxml_html.HtmlElement) -> bool:
    body = tree.find(".//body")
    if body is not None and {"error404", "error-404", "not-found"} & set(
            (body.get("class") or "").lower().split()):
        return True
    for tag in ("title", "h1"):
        element = tree.find(f".//{tag}")
        if element is not None and _NOT_FOUND.search(element.text_content() or ""):
            return True
    return False
