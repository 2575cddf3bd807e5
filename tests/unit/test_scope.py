"""The crawl's scope: host and prefix, and no internal addresses unless the crawl starts on
one (the tests' replica does)."""

from __future__ import annotations

import pytest

from crawler.scope import Scope

PORTAL = Scope.from_start_urls(["https://nordicwelfare.org/integration-norden/"])
REPLICA = Scope.from_start_urls(["http://127.0.0.1:8765/integration-norden/"])

INTERNAL = ["http://127.0.0.1/integration-norden/", "http://169.254.169.254/latest/meta-data/",
            "http://10.1.2.3/integration-norden/", "http://192.168.0.1/robots.txt",
            "http://172.16.5.4/sitemap.xml", "http://[::1]/integration-norden/",
            "http://[fe80::1]/", "http://[::ffff:192.168.0.1]/", "http://2130706433/",
            "http://0x7f.1/integration-norden/", "http://127.1:8765/integration-norden/"]


@pytest.mark.parametrize("url", INTERNAL)
def test_internal_addresses_are_refused_from_a_public_start(url):
    assert PORTAL.internal_target(url)
    assert not PORTAL.allows(url) and not PORTAL.allows_host_file(url)


@pytest.mark.parametrize("url", ["https://nordicwelfare.org/integration-norden/a/",
                                 "http://8.8.8.8/", "https://example.org/"])
def test_public_hosts_are_not_internal(url):
    assert not PORTAL.internal_target(url)


def test_a_start_on_loopback_may_crawl_itself_but_no_other_internal_address():
    assert REPLICA.allows("http://127.0.0.1:8765/integration-norden/nyheter/a/")
    assert REPLICA.allows_host_file("http://127.0.0.1:8765/robots.txt")
    assert not REPLICA.internal_target("http://127.0.0.1:8765/integration-norden/")
    for url in ("http://169.254.169.254/latest/", "http://10.0.0.1:8765/integration-norden/",
                "http://[::1]:8765/integration-norden/"):
        assert REPLICA.internal_target(url), url
        assert not REPLICA.allows(url), url
