"""Where a page sits (its section) and whether it is an article or a listing/theme/about page."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from crawler.extraction import patterns

#: A page with linked headings is a listing when its text is no more than teaser excerpts.
LISTING_CHARS_PER_TEASER = 400
_NUMERIC = re.compile(r"^\d+$")


def path_segments(url: str) -> list[str]:
    """Path segments after the portal prefix and the language segment."""
    parts = urlsplit(url)
    path = parts.path
    for prefix in patterns.SITE_PREFIXES:
        if path.startswith(prefix) or path == prefix.rstrip("/"):
            path = path[len(prefix):]
            break
    segments = [s for s in path.lower().split("/") if s]
    if segments and segments[0] in patterns.LANGUAGE_SEGMENTS:
        segments = segments[1:]
    return segments


def in_portal(url: str) -> bool:
    """The page is under the portal's prefix, where the portal's own rules apply."""
    path = urlsplit(url).path
    return any(path.startswith(prefix) or path == prefix.rstrip("/")
               for prefix in patterns.SITE_PREFIXES)


def section_of(url: str) -> str | None:
    """``nyheter``, ``teman``, ``publikationer``, ``webbinarier`` ... from the URL; None for pages
    directly under the prefix (the portal's language-suffixed pages) and the home page."""
    segments = path_segments(url)
    if _paginated(segments):
        segments = segments[: segments.index("page")]
        return segments[-1] if segments else None
    # A date path (/2021/07/05/slug/) names no section: the section is the last word before it.
    segments = [s for s in segments[:-1] if not _NUMERIC.match(s)] + segments[-1:]
    if len(segments) >= 2:
        return segments[-2]
    known_sections = patterns.LISTING_SECTIONS | patterns.NON_ARTICLE_SECTIONS
    if len(segments) == 1 and segments[0] in known_sections:
        return segments[0]
    return None


def _paginated(segments: list[str]) -> bool:
    """``.../page/3/``: "page" followed by a page number."""
    return any(s == "page" and (i + 1 == len(segments) or segments[i + 1].isdigit())
               for i, s in enumerate(segments))


def is_listing_url(url: str) -> bool:
    """A home page, a section root or a page of a listing, by its URL alone. A query that names
    one item (WordPress ``?p=3289``) is not a home page."""
    segments = path_segments(url)
    query = parse_qs(urlsplit(url).query)
    return (
        (not segments and not (set(query) - {"lang", "utm_source", "utm_medium"}))
        or _paginated(segments)
        or "paged" in query
        or "page" in query
        or (bool(segments) and segments[-1] in ("feed", "rss"))
        or (len(segments) == 1 and segments[0] in patterns.LISTING_SECTIONS)
    )


def decide_is_article(
    url: str,
    *,
    article_markup: bool,
    has_date: bool,
    text_length: int,
    paragraphs: int,
    linked_headings: int,
    has_headline: bool = False,
) -> bool:
    """Article vs listing/theme/about page, from URL first, then markup, then content."""
    if is_listing_url(url):
        return False
    segments = path_segments(url)
    in_non_article_section = any(s in patterns.NON_ARTICLE_SECTIONS for s in segments[:-1])
    if in_non_article_section and section_of(url) not in patterns.LISTING_SECTIONS:
        return False  # theme and about pages; webinars under om-oss/ are articles
    if len(segments) == 1 and segments[0] in patterns.NON_ARTICLE_SECTIONS:
        return False
    if article_markup:
        return True  # og:type=article or JSON-LD Article: teasers below it are no listing
    if linked_headings >= 4 and text_length < LISTING_CHARS_PER_TEASER * linked_headings:
        return False  # teaser headings with short excerpts: a listing
    # A dateless page is an article when it has a body: the portal's fi/no/da pages show no date,
    # and a short notice under its own headline is an article too.
    return (has_date or (text_length >= 200 and paragraphs >= 2) or text_length >= 500
            or (has_headline and text_length >= 20))
