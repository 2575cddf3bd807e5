"""A person can see an article's captures: the TimeMap of a URL answers a browser with a page
listing every capture by year (each linked to its memento, and to the revision it began),
while a Memento client still gets ``application/link-format``."""

from __future__ import annotations

import urllib.request

from tests.helpers.web import serving
from tests.replica.eras import write_era_warcs


def fetch(url: str, accept: str | None) -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers["Content-Type"], response.read().decode()


def test_the_timemap_is_a_page_for_a_browser_and_link_format_for_a_client(cli, sqlite_url,
                                                                            tmp_path):
    eras = write_era_warcs(tmp_path / "eras")
    imported = cli("import", str(eras.warcs[1]), str(eras.warcs[2]), "--db", sqlite_url)
    assert imported.returncode == 0, imported.stderr
    edited = eras.urls[2][eras.edited]
    with serving(sqlite_url, tmp_path / "serve.log") as (base, _process):
        browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        status, kind, page = fetch(f"{base}/timemap/link/{edited}", browser)
        assert status == 200 and kind.startswith("text/html")
        assert "2 captures of" in page and '<h2 id="y2019">2019' in page
        assert '<h2 id="y2021">2021' in page
        assert f'href="{base}/memento/20190314100002/{edited}"' in page
        assert "revision 2</a>" in page and "revision 1</a>" in page
        for accept in ("application/link-format", None, "*/*"):
            status, kind, body = fetch(f"{base}/timemap/link/{edited}", accept)
            assert status == 200 and kind.startswith("application/link-format"), accept
            assert body.startswith(f'<{edited}>; rel="original"')
