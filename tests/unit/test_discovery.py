"""Discovery helpers and scope rules on hostile and ordinary input."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from crawler import discovery
from crawler.scope import Scope

PORTAL = "https://nordicwelfare.org/integration-norden/"


def test_sitemap_index_and_urlset_with_lastmod():
    kind, entries = discovery.parse_sitemap(
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://a.example/x</loc><lastmod>2025-03-04T10:00:00+01:00</lastmod></url>"
        b"<url><loc>https://a.example/y</loc><lastmod>2025-03-04</lastmod></url>"
        b"<url><loc>https://a.example/z</loc></url></urlset>")
    assert kind == "urlset"
    assert entries[0] == ("https://a.example/x", datetime(2025, 3, 4, 9, tzinfo=UTC))
    # A bare date counts as the end of that day.
    assert entries[1] == ("https://a.example/y", datetime(2025, 3, 5, tzinfo=UTC))
    assert entries[2] == ("https://a.example/z", None)


def test_sitemap_entities_are_never_expanded_or_fetched():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
              b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
              b'<urlset><url><loc>https://a.example/&lol3;</loc></url></urlset>')
    _kind, entries = discovery.parse_sitemap(laughs)
    assert entries == [("https://a.example/", None)]  # the entity dropped, not expanded
    external = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                b"<urlset><url><loc>https://a.example/&xxe;</loc></url></urlset>")
    _kind, entries = discovery.parse_sitemap(external)
    assert entries == [("https://a.example/", None)]  # nothing read from the file


def test_garbage_sitemap_gives_nothing():
    assert discovery.parse_sitemap(b"\x00\x01 not xml")[1] == []
    assert discovery.parse_sitemap(b"")[1] == []


def test_gzip_bomb_is_refused_by_size():
    from scrapy.utils.gz import gunzip

    bomb = gzip.compress(b"<urlset>" + b" " * 50_000_000 + b"</urlset>")
    assert len(bomb) < 100_000
    with pytest.raises(Exception):  # noqa: B017 - scrapy raises its own size error
        gunzip(bomb, max_size=1_000_000)


def test_robots_sitemap_lines_and_feed_links():
    robots = "User-agent: *\nDisallow: /x/\nSitemap: /sitemap_index.xml\nsitemap: https://h/s.xml"
    assert discovery.sitemaps_in_robots(robots, "https://h/robots.txt") == [
        "https://h/sitemap_index.xml", "https://h/s.xml"]
    rss = b'<rss><channel><item><link>https://h/a</link></item></channel></rss>'
    atom = b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="/b"/></entry></feed>'
    assert discovery.feed_links(rss, "https://h/feed") == ["https://h/a"]
    assert discovery.feed_links(atom, "https://h/feed") == ["https://h/b"]


@pytest.mark.parametrize(
    ("url", "allowed"),
    [(PORTAL + "nyheter/a/", True), (PORTAL.rstrip("/"), True), (PORTAL + "en/nyheter/b", True),
     ("https://nordicwelfare.org/popnad/x/", False), ("https://nordicwelfare.org/pub/y", False),
     ("https://other.example/integration-norden/", False),
     ("ftp://nordicwelfare.org/integration-norden/", False),
     ("file:///etc/passwd", False), ("http://169.254.169.254/latest/meta-data/", False),
     ("http://127.0.0.1/integration-norden/", False),
     ("https://nordicwelfare.org:8443/integration-norden/", False)],
)
def test_scope_is_host_and_prefix(url, allowed):
    scope = Scope.from_start_urls([PORTAL, PORTAL + "en/"])
    assert scope.allows(url) is allowed


def test_host_files_are_only_robots_and_root_sitemaps():
    scope = Scope.from_start_urls([PORTAL])
    assert scope.allows_host_file("https://nordicwelfare.org/robots.txt")
    assert scope.allows_host_file("https://nordicwelfare.org/sitemap_index.xml")
    assert not scope.allows_host_file("https://nordicwelfare.org/popnad/sitemap.xml")
    assert not scope.allows_host_file("https://other.example/robots.txt")


def test_page_links_resolve_once_per_crawl():
    from crawler.extraction import parse_html

    html = ('<html><head><base href="https://h/base/"><link rel="alternate" '
            'type="application/rss+xml" href="/feed/"><link rel="next" href="page/2/"></head>'
            '<body><a href="/a/">a</a><a href="b">b</a><a href="https://h/c">c</a>'
            '<a href="mailto:x@h">m</a><a href="#top">t</a><a href="/file.pdf">f</a>'
            '<a href="/logo.png">l</a><a href="/Rapport.DOCX?v=2">r</a></body></html>')
    seen: set[str] = set()
    first = list(discovery.page_links(parse_html(html), "https://h/p/", seen))
    assert first == [("https://h/feed/", "feed"), ("https://h/base/page/2/", "page"),
                     ("https://h/a/", "page"), ("https://h/base/b", "page"),
                     ("https://h/c", "page"), ("https://h/file.pdf", "document"),
                     ("https://h/Rapport.DOCX?v=2", "document")]  # documents; no images
    # Absolute and root-relative links are given once per crawl; relative ones every time.
    again = list(discovery.page_links(parse_html(html), "https://h/q/", seen))
    assert again == [("https://h/feed/", "feed"), ("https://h/base/page/2/", "page"),
                     ("https://h/base/b", "page")]
