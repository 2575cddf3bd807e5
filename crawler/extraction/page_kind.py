"""Where a page sits (its section) and whether it is an article or a listing/theme/about page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from crawler.extraction import patterns


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


def section_of(url: str) -> str | None:
    """``nyheter``, ``teman``, ``publikationer``, ``webbinarier`` ... from the URL; None for pages
    directly under the prefix (the portal's language-suffixed pages) and the home page."""
    segments = path_segments(url)
    if "page" in segments:
        segments = segments[: segments.index("page")]
        return segments[-1] if segments else None
    if len(segments) >= 2:
        return segments[-2]
    known_sections = patterns.LISTING_SECTIONS | patterns.NON_ARTICLE_SECTIONS
    if len(segments) == 1 and segments[0] in known_sections:
        return segments[0]
    return None


def is_listing_url(url: str) -> bool:
    segments = path_segments(url)
    query = parse_qs(urlsplit(url).query)
    return (
        not segments
        or "page" in segments
        or "paged" in query
        or "page" in query
        or segments[-1] in ("feed", "rss")
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
    if linked_headings >= 4:
        return False
    # A dateless page is an article when it has a body: the portal's fi/no/da pages show no date.
    return article_markup or has_date or (text_length >= 200 and paragraphs >= 2)
