"""Listing pagination: which links of a page lead to the next pages of the same listing, and
a guard that stops a chain of pages bringing nothing new (a crawler trap), or running past a
page cap. Pagination does not spend the depth budget (``middlewares.depth``), so a listing is
followed to its end however deep."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import html as lxml_html

from archive.storage.urls import followable, normalize_url

_PAGE_PATH = re.compile(r"^(.*/)page/(\d+)/?$")
_PAGE_PARAMS = frozenset({"paged", "page"})
#: Consecutive pages without a new listed URL after which a chain is stopped.
PATIENCE = 2


def position(url: str) -> tuple[str, int | None]:
    """``(listing root, page number)``: ``/nyheter/page/3/`` → (``/nyheter``, 3); a URL with
    no page number gives None."""
    parts = urlsplit(url)
    path, number = parts.path, None
    match = _PAGE_PATH.match(path)
    if match:
        path, number = match.group(1), int(match.group(2))
    query = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key in _PAGE_PARAMS and value.isdigit():
            number = int(value)
        else:
            query.append((key, value))
    root = urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))
    return normalize_url(root), number


def scan(tree: lxml_html.HtmlElement, url: str) -> tuple[list[str], list[str]]:
    """``(steps, items)`` of a page: links to other pages of its own listing (``rel=next`` or
    a numbered page of the same root), and every other link (absolute), in page order.
    Pages without pagination give no steps and no items (nothing is resolved)."""
    base_href = tree.find(".//base")
    base = urljoin(url, base_href.get("href")) if base_href is not None and \
        base_href.get("href") else url
    root, number = position(url)
    steps: list[str] = []
    candidates = [(e.get("href") or "").strip() for e in tree.iter("link")
                  if (e.get("rel") or "").lower() == "next"]
    anchors = [(a.get("href") or "").strip() for a in tree.iter("a")]
    rel_next = {(a.get("href") or "").strip() for a in tree.iter("a")
                if "next" in (a.get("rel") or "").lower().split()}
    for href in [*candidates, *anchors]:
        if not followable(href):
            continue
        if href in candidates or href in rel_next or "page" in href:
            target = urljoin(base, href)
            target_root, target_number = position(target)
            same = target_root == root and target_number != number and (
                target_number is not None or href in candidates or href in rel_next)
            if same and target not in steps:
                steps.append(target)
    if not steps:
        return [], []
    step_set = set(steps)
    items = [urljoin(base, h) for h in anchors
             if followable(h)]
    return steps, [u for u in dict.fromkeys(items) if u not in step_set]


@dataclass
class PaginationGuard:
    """Remembers every URL listed on a paginated page this crawl; decides whether a page's
    pagination is followed."""

    max_pages: int = 1000
    listed: set[str] = field(default_factory=set)
    #: Chains stopped because pages brought nothing new (first example kept).
    barren_stops: int = 0
    capped: int = 0
    examples: dict[str, str] = field(default_factory=dict)

    def new_items(self, items: list[str]) -> int:
        fresh = 0
        for url in items:
            normal = normalize_url(url)
            if normal not in self.listed:
                self.listed.add(normal)
                fresh += 1
        return fresh

    def streak(self, previous: int, fresh: int) -> int:
        """Consecutive barren pages up to this one."""
        return 0 if fresh else previous + 1

    def follow(self, page_url: str, streak: int, step: str) -> bool:
        if streak >= PATIENCE:
            self.barren_stops += 1
            self.examples.setdefault("barren", page_url)
            return False
        _root, number = position(step)
        if number is not None and number > self.max_pages:
            self.capped += 1
            self.examples.setdefault("capped", step)
            return False
        return True
