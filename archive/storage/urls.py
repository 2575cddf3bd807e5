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


def same_site(url: str, other: str) -> bool:
    """Whether two URLs are on the same host (``www.`` ignored)."""
    def host(u: str) -> str:
        name = (urlsplit(u).hostname or "").lower()
        return name[4:] if name.startswith("www.") else name

    return bool(host(url)) and host(url) == host(other)
