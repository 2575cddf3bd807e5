"""The portal's own URL of a page: the canonical URL exactly as the page declares it
(``rel=canonical``, then ``og:url``; trailing slash and case kept), else the URL fetched.

``extract()``'s ``canonical_url`` is the normalised identity key (``archive.storage.urls``); this is
what the archive shows, exports and lists as the article's URL. Pure functions of the page."""

from __future__ import annotations

from urllib.parse import urljoin

from lxml import html as lxml_html

from archive.storage.urls import normalize_url, same_site


def declared_urls(tree: lxml_html.HtmlElement, url: str) -> list[str]:
    """Every same-site URL the page declares for itself, as written (made absolute against
    ``url`` and ``<base href>``), best first: ``rel=canonical`` links, then ``og:url``."""
    head = tree.find("head")
    head = head if head is not None else tree
    base = head.find("base")
    if base is not None and base.get("href"):
        url = urljoin(url, base.get("href").strip())
    canonical, og_url = [], []
    for link in head.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical.append(urljoin(url, link.get("href").strip()))
    for meta in head.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key == "og:url" and (meta.get("content") or "").strip():
            og_url.append(urljoin(url, meta.get("content").strip()))
    # The extractor lets the last canonical link win; put it first here too.
    ordered = [*reversed(canonical), *og_url]
    return list(dict.fromkeys(u for u in ordered if u.startswith(("http://", "https://"))
                              and same_site(u, url)))


def portal_url(declared: list[str], fetched_url: str, key: str) -> str:
    """The URL to show for an article whose identity key is ``key``: the first declared URL
    with that key, else the URL fetched when it has that key, else the first declared one,
    else the URL fetched. Never the normalised key itself, unless the page wrote it so."""
    for candidate in declared:
        if normalize_url(candidate) == key:
            return candidate
    if normalize_url(fetched_url) == key or not declared:
        return fetched_url
    return declared[0]
