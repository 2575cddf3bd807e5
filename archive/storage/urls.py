"""URL identity: one normal form for every URL variant that reaches the same page."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import courlan
from w3lib.url import canonicalize_url


@lru_cache(maxsize=65536)  # pure, and asked several times for each URL of every article written
def normalize_url(url: str) -> str:
    """The identity form of ``url``.

    w3lib fixes percent-encoding, sorts the query and drops the fragment; courlan lower-cases the
    host, drops default ports and tracking parameters (``utm_*``, ``fbclid``, ``gclid``,
    ``mc_*`` ...). The trailing slash is dropped: the portal moved from ``/slug/`` to ``/slug``.
    """
    url = url.strip()
    try:
        normal = courlan.normalize_url(canonicalize_url(url), trailing_slash=False)
    except ValueError:
        normal = url
    return normal


def clean_url(url: str) -> str:
    """The URL to request: tracking parameters and the fragment dropped, the path (and its
    trailing slash) as the site wrote it. ``normalize_url`` is for identity, this for fetching.
    """
    url = url.strip()
    try:
        return courlan.normalize_url(canonicalize_url(url), trailing_slash=True)
    except ValueError:
        return url


def host_of(url: str) -> str:
    """The URL's host name in lower case, without port; "" when it has none or cannot be
    parsed."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def same_site(url: str, other: str) -> bool:
    """Whether two URLs are on the same host (``www.`` ignored)."""
    def site(u: str) -> str:
        return host_of(u).removeprefix("www.")

    return bool(site(url)) and site(url) == site(other)


#: Link targets that are no page: an anchor on the same page, a mail address, a phone number,
#: a script.
NOT_FOLLOWED = ("#", "mailto:", "tel:", "javascript:")


def followable(href: str | None) -> bool:
    """Whether a link's ``href`` leads to another page (compared case-blind: ``MAILTO:`` is a
    mail address too)."""
    href = (href or "").strip()
    return bool(href) and not href.lower().startswith(NOT_FOLLOWED)
