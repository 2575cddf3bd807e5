"""Finding pages: robots.txt Sitemap lines, sitemaps (safe against entity tricks and gzip
bombs), RSS/Atom feeds and links in HTML. Pure functions of a response body."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from archive.storage.times import as_utc
from archive.storage.urls import followable

#: Where WordPress sites keep their sitemaps, relative to the host root.
WELL_KNOWN_SITEMAPS = ("/sitemap_index.xml", "/sitemap.xml", "/wp-sitemap.xml")
_SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
_SKIP_EXTENSIONS = re.compile(
    r"\.(zip|gz|jpe?g|png|gif|svg|webp|mp4|mp3|ics|css|js)$", re.IGNORECASE)
#: Documents: archived with their text like a cited source, never crawled for links.
DOCUMENT_EXTENSIONS = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|odt|ods|odp|rtf)$", re.IGNORECASE)


def sitemaps_in_robots(body: str, base: str) -> list[str]:
    return [urljoin(base, m) for m in _SITEMAP_LINE.findall(body)]


def parse_sitemap(body: bytes) -> tuple[str, list[tuple[str, datetime | None]]]:
    """``("urlset" | "sitemapindex", [(loc, lastmod)])``. Entities are never resolved and
    nothing is fetched from the network (no XXE, no billion laughs)."""
    from scrapy.utils.sitemap import Sitemap

    try:
        sitemap = Sitemap(body)
    except (etree.XMLSyntaxError, StopIteration, ValueError):
        return "invalid", []
    entries = []
    for entry in sitemap:
        loc = (entry.get("loc") or "").strip()
        if loc:
            entries.append((loc, _lastmod(entry.get("lastmod"))))
    return sitemap.type, entries


def _lastmod(value: str | None) -> datetime | None:
    """A sitemap ``lastmod`` as a UTC instant. A bare date means "some time that day", so it
    counts as the day's end: a page changed after this morning's visit is fetched again."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if len(value) <= 10:
        parsed += timedelta(days=1)
    return as_utc(parsed)


def feed_links(body: bytes, base: str) -> list[str]:
    """Item links of an RSS or Atom feed."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             recover=True)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    links = []
    for element in root.iter():
        tag = etree.QName(element).localname if isinstance(element.tag, str) else ""
        if tag == "link":
            href = element.get("href") or (element.text or "").strip()
            if href:
                links.append(urljoin(base, href))
    return links


def page_links(tree: lxml_html.HtmlElement, base: str, seen: set[str] | None = None
               ) -> Iterator[tuple[str, str]]:
    """``(url, kind)`` for every link of a parsed HTML page: ``page``, ``feed`` or
    ``document`` (a PDF or an office file).

    ``seen`` (kept by the caller across pages) skips absolute and root-relative links already
    given once, before resolving them: menus repeat the same hundreds of links on every page.
    """
    base_href = tree.find(".//base")
    if base_href is not None and base_href.get("href"):
        base = urljoin(base, base_href.get("href"))
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower()
        kind = (link.get("type") or "").lower()
        href = link.get("href")
        if href and "alternate" in rel and ("rss" in kind or "atom" in kind):
            yield urljoin(base, href.strip()), "feed"
        elif href and rel == "next":
            yield urljoin(base, href.strip()), "page"
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not followable(href):
            continue
        if seen is not None and href.startswith(("/", "http:", "https:")):
            key = href if href.startswith("http") else origin + href
            if key in seen:
                continue
            seen.add(key)
        url = urljoin(base, href)
        path = url.split("?", 1)[0].split("#", 1)[0]
        if DOCUMENT_EXTENSIONS.search(path):
            yield url, "document"
        elif not _SKIP_EXTENSIONS.search(path):
            yield url, "page"
