"""The crawl's scope: the start URL's host and path prefix, over http(s) only. Hosts that are
IP literals in loopback, private or link-local ranges (``127.0.0.1``, ``10.0.0.5``,
``169.254.169.254``, ``[::1]``, and their decimal or hex spellings) are refused outright,
unless the start URL itself is on such a host (a replica on loopback)."""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

#: Files at a host's root that a crawl may read although they sit outside the prefix.
HOST_FILES = re.compile(r"^/(robots\.txt|[\w-]*sitemap[\w-]*\.xml(\.gz)?)$", re.IGNORECASE)


@dataclass(frozen=True)
class Scope:
    prefixes: tuple[tuple[str, str, str], ...]  # (scheme-less host:port, path prefix)
    #: Addresses the start URLs are on (IP literals only): these may be fetched.
    start_addresses: frozenset = frozenset()

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
        addresses = {ip_literal(urlsplit(url).hostname or "") for url in urls}
        return cls(tuple(dict.fromkeys(prefixes)), frozenset(addresses - {None}))

    def internal_target(self, url: str) -> bool:
        """An IP-literal host in a loopback, private or link-local range that no start URL
        is on: never fetched, whatever else the scope says."""
        try:
            hostname = urlsplit(url).hostname or ""
        except ValueError:
            return False
        address = ip_literal(hostname)
        if address is None or not (address.is_loopback or address.is_private
                                   or address.is_link_local):
            return False
        return address not in self.start_addresses

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or self.internal_target(url):
            return False
        host = _host(parts)
        path = parts.path or "/"
        return any(host == allowed_host and (path.startswith(prefix) or path + "/" == prefix)
                   for _scheme, allowed_host, prefix in self.prefixes)

    def allows_host_file(self, url: str) -> bool:
        """robots.txt and root sitemaps live outside the prefix on the same host."""
        parts = urlsplit(url)
        return (parts.scheme in ("http", "https") and not self.internal_target(url)
                and bool(HOST_FILES.match(parts.path))
                and any(_host(parts) == allowed_host for _s, allowed_host, _p in self.prefixes))


def _host(parts) -> str:
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((parts.scheme == "http" and port == 80) or
                     (parts.scheme == "https" and port == 443)):
        return f"{host}:{port}"
    return host


def ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host names literally, in any spelling a resolver accepts (``127.1``,
    ``2130706433``, ``0x7f.0.0.1``, ``[::ffff:127.0.0.1]``); None for a DNS name."""
    host = host.strip("[]").lower()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address
