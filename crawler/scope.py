"""The crawl's scope: the start URL's host and path prefix, over http(s) only."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

#: Files at a host's root that a crawl may read although they sit outside the prefix.
HOST_FILES = re.compile(r"^/(robots\.txt|[\w-]*sitemap[\w-]*\.xml(\.gz)?)$", re.IGNORECASE)


@dataclass(frozen=True)
class Scope:
    prefixes: tuple[tuple[str, str, str], ...]  # (scheme-less host:port, path prefix)

    @classmethod
    def from_start_urls(cls, urls: Iterable[str]) -> Scope:
        prefixes = []
        for url in urls:
            parts = urlsplit(url)
            path = parts.path or "/"
            if not path.endswith("/"):
                path = path.rsplit("/", 1)[0] + "/"
            # "/integration-norden/en/" keeps "/integration-norden/" as its portal prefix.
            segments = [s for s in path.split("/") if s]
            root = "/" + segments[0] + "/" if segments else "/"
            prefixes.append((parts.scheme, _host(parts), root))
        return cls(tuple(dict.fromkeys(prefixes)))

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        host = _host(parts)
        path = parts.path or "/"
        return any(host == allowed_host and (path.startswith(prefix) or path + "/" == prefix)
                   for _scheme, allowed_host, prefix in self.prefixes)

    def allows_host_file(self, url: str) -> bool:
        """robots.txt and root sitemaps live outside the prefix on the same host."""
        parts = urlsplit(url)
        return (parts.scheme in ("http", "https") and bool(HOST_FILES.match(parts.path))
                and any(_host(parts) == allowed_host for _s, allowed_host, _p in self.prefixes))


def _host(parts) -> str:
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((parts.scheme == "http" and port == 80) or
                     (parts.scheme == "https" and port == 443)):
        return f"{host}:{port}"
    return host
