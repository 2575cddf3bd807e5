"""The kinds of page the portal publishes, and the section words (in each of its languages)
that name them. The crawler decides an archived page's kind (``crawler.extraction.page_kind``);
the archive keeps it, and falls back on these words for pages archived before kinds existed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

#: Every kind an archived page has (README, "What is archived").
KINDS = ("news", "publication", "fact", "example", "event", "theme", "page")

#: A section word of the path (after the portal prefix and the language segment) -> the kind of
#: the pages below it. sv first (the portal's default), then the /en/ words it uses and the
#: fi / no / da / is words a section of those languages would plausibly use.
SECTION_KINDS: dict[str, str] = {
    **dict.fromkeys(("nyheter", "news", "aktuellt", "uutiset", "nyheder", "frettir", "blog",
                     "blogg", "arkiv", "archive"), "news"),
    **dict.fromkeys(("publikationer", "publications", "publication", "publikation",
                     "julkaisut", "publikasjoner", "utgafa", "utgafur"), "publication"),
    **dict.fromkeys(("fakta", "facts", "fact", "faktaa", "tietoa", "stadreyndir"), "fact"),
    **dict.fromkeys(("exempel", "examples", "example", "good-practice", "esimerkit",
                     "eksempler", "eksempel", "daemi"), "example"),
    **dict.fromkeys(("evenemang", "events", "event", "webbinarier", "webinars", "webinarer",
                     "webinaarit", "seminarier", "seminars", "tapahtumat", "arrangementer",
                     "begivenheder", "vidburdir"), "event"),
    **dict.fromkeys(("teman", "themes", "theme", "teemat", "temaer", "temaer", "thema"),
                    "theme"),
    **dict.fromkeys(("om-oss", "about", "about-us", "kontakt", "contact", "tietoa-meista",
                     "om-os", "um-okkur", "yhteystiedot"), "page"),
}
#: The portal's path prefix: its pages directly below it (the language-suffixed calls and
#: translations, knowledge-overview subpages) are ``page``.
PORTAL_PREFIXES = ("/integration-norden/",)
_LANGUAGE_SEGMENTS = frozenset({"sv", "en", "fi", "no", "nb", "nn", "da", "is"})


def section_kind(segments: list[str]) -> str | None:
    """The kind the sections of a path name: the nearest known section word above the page's
    own slug wins (``om-oss/webbinarier/<slug>`` is an event, ``om-oss/kontakt`` a page)."""
    for segment in reversed(segments[:-1]):
        if segment in SECTION_KINDS:
            return SECTION_KINDS[segment]
    return None


def kind_from_url(url: str) -> str:
    """A page's kind from its URL alone: the archive's fallback for pages archived before
    kinds were decided at extraction (migration 0008) and records that carry none."""
    path = urlsplit(url).path
    prefix = next((p for p in PORTAL_PREFIXES
                   if path.startswith(p) or path == p.rstrip("/")), None)
    segments = [s for s in path[len(prefix) if prefix else 0:].lower().split("/") if s]
    if prefix and segments and segments[0] in _LANGUAGE_SEGMENTS:
        segments = segments[1:]
    kind = section_kind(segments)
    if kind:
        return kind
    if prefix and len(segments) <= 1:
        return "page"
    return "news"
