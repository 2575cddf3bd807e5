"""Where a page sits (its section), whether it is archived (an article, theme, event, about page
...) or only crawled for links (a listing, home, tag or search page), and its kind."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from archive.storage.kinds import SECTION_KINDS, section_kind
from crawler.extraction import patterns

#: A page with linked headings is a listing when its text is no more than teaser excerpts.
LISTING_CHARS_PER_TEASER = 400
_NUMERIC = re.compile(r"^\d+$")
#: Sections whose pages are never archived: term, author and search pages list other pages.
NEVER_ARCHIVED_SECTIONS = frozenset({"tag", "tags", "category", "kategori", "author",
                                     "forfattare", "sok", "search", "feed", "haku", "leit",
                                     "sog", "søg", "sök"})


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
        or _section_root(segments)
    )


def _section_root(segments: list[str]) -> bool:
    """``teman/``, ``fakta/``, ``om-oss/webbinarier/``: a section's own page lists its pages
    (about and contact pages excepted: they are pages themselves)."""
    return bool(segments) and SECTION_KINDS.get(segments[-1], "page") != "page"


def never_archived(url: str) -> bool:
    """Listings, pagination, home, tag, category, author and search pages: crawled for their
    links, never archived, whatever they look like (off the portal a section's root is only
    presumed a listing: ``listing_whatever_it_shows`` says which are certain)."""
    segments = path_segments(url)
    query = parse_qs(urlsplit(url).query)
    return (is_listing_url(url) or "s" in query
            or any(s in NEVER_ARCHIVED_SECTIONS for s in segments))


def listing_whatever_it_shows(url: str) -> bool:
    """A never-archived URL that the page's content cannot overrule: anything on the portal,
    whose sections we know; elsewhere a home page, a page of a listing, a feed, a search, tag,
    category or author page. Off the portal a section's root (``/de/news``, ``/blog/``) is only
    a guess: many sites show their latest article in full there, marked as one."""
    if not never_archived(url):
        return False
    if in_portal(url):
        return True
    segments = path_segments(url)
    query = set(parse_qs(urlsplit(url).query)) - {"lang", "utm_source", "utm_medium"}
    section_root = _section_root(segments) or (
        len(segments) == 1 and segments[0] in patterns.LISTING_SECTIONS)
    return (not section_root or bool(query) or _paginated(segments)
            or any(s in NEVER_ARCHIVED_SECTIONS for s in segments))


def kind_of(url: str, *, dated: bool, event_markup: bool = False) -> str:
    """``news``, ``publication``, ``fact``, ``example``, ``event``, ``theme`` or ``page``: from
    the page's markup (a JSON-LD/microdata Event), then its path's section in any of the
    portal's languages; a dated page filed below a theme is an article of it (``news``); the
    portal's pages directly under its prefix (calls, translations) are ``page``; elsewhere,
    an article page is ``news``."""
    if event_markup:
        return "event"
    segments = path_segments(url)
    kind = section_kind(segments)
    if kind == "theme" and dated and _below_theme(segments):
        return "news"
    if kind:
        return kind
    if in_portal(url) and len(segments) <= 1:
        return "page"
    return "news"


def _below_theme(segments: list[str]) -> bool:
    """``teman/<theme>/<slug>``: more than one segment below the theme section's word."""
    words = [i for i, s in enumerate(segments[:-1]) if SECTION_KINDS.get(s) == "theme"]
    return bool(words) and len(segments) - words[-1] > 2


def decide_is_article(
    url: str,
    *,
    article_markup: bool,
    has_date: bool,
    text_length: int,
    paragraphs: int,
    linked_headings: int,
    has_headline: bool = False,
    body_beside_teasers: bool = False,
) -> bool:
    """Archived (an article, or a theme, event, fact, about ... page) vs only crawled for
    links (a listing, home, tag or search page): from the URL first, then markup, then content.
    Every page of the portal's sections and directly under its prefix is archived, dated or
    not, so that its rewrites are kept as revisions.

    ``linked_headings`` counts the headings that link elsewhere; ``body_beside_teasers`` says
    the page's own text outweighs what stands around those headings (a body followed by
    cards: products, related posts, a sidebar's menus)."""
    if listing_whatever_it_shows(url):
        return False
    if never_archived(url):
        # Off the portal, at a section's root: the page's markup, or posts shown in full (a
        # date, and more text per linked heading than a teaser's excerpt), say article.
        return article_markup or (
            has_date and paragraphs >= 2
            and text_length >= LISTING_CHARS_PER_TEASER * max(linked_headings, 1))
    segments = path_segments(url)
    kind = section_kind(segments)
    if (kind is not None and kind != "news") or (in_portal(url) and len(segments) == 1):
        return True
    if article_markup:
        return True  # og:type=article or JSON-LD Article: teasers below it are no listing
    if (linked_headings >= 4 and text_length < LISTING_CHARS_PER_TEASER * linked_headings
            and not body_beside_teasers):
        return False  # teaser headings with short excerpts: a listing
    # A dateless page is an article when it has a body: the portal's fi/no/da pages show no date,
    # and a short notice under its own headline is an article too.
    return (has_date or (text_length >= 200 and paragraphs >= 2) or text_length >= 500
            or (has_headline and text_length >= 20))
