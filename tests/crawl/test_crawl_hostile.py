"""A crawl of a hostile site: nothing escapes the scope, nothing hangs, no garbage is
archived, and the letters of the Nordic languages come out right whatever the charset says."""

from __future__ import annotations

import pytest

from tests.helpers.crawl_helpers import export, run_crawl
from tests.helpers.hostile_server import NORDIC, HostileServer, P
from tests.replica import content
from tests.replica.site import ReplicaServer, ReplicaSite


@pytest.fixture
def hostile():
    with ReplicaServer(ReplicaSite(stories=content.STORIES[:1]), host="127.0.0.2") as other:
        with HostileServer(other.base) as server:
            yield server, other


def test_hostile_site(hostile, tmp_path, sqlite_url):
    server, other = hostile
    result = run_crawl(sqlite_url, server.base + P, "--max-pages", "150", "--set",
                       "DOWNLOAD_TIMEOUT=10", "--set", "DOWNLOAD_MAXSIZE=5000000",
                       "--set", "RETRY_TIMES=0", "--set", "DEPTH_LIMIT=8",
                       "--log-file", str(tmp_path / "crawl.log"), timeout=240)
    log = (tmp_path / "crawl.log").read_text()
    assert result.returncode in (0, 5), result.stderr.decode()[-3000:]
    rows = {row["title"]: row for row in export(sqlite_url)}
    # Charsets: every declared-or-not variant decodes to the same Nordic letters.
    for title in ("Teckentabell 1252", "Latin 1 i meta", "Med BOM", "Fel meta"):
        assert title in rows, (title, sorted(rows))
        assert NORDIC in rows[title]["text"], title
    # 10,000 query variants of one page: one article, at most 3 of them fetched.
    assert rows["Ett vanligt inlägg"]["revisions"] == 1
    assert sum(1 for path in server.requests if path.startswith(P + "good/?v=")) <= 3
    # Binary, empty, huge, dripping pages: nothing archived from them.
    assert set(rows) == {"Teckentabell 1252", "Latin 1 i meta", "Med BOM", "Fel meta",
                         "Ett vanligt inlägg"}
    # Scope: the other host, the sub-site, file:, ftp: and link-local were never reached.
    assert other.paths() == []
    assert not [p for p in server.requests if p.startswith("/popnad/")]
    assert "internal address, out of scope, not fetched: http://169.254.169.254" in log
    # Entities were never expanded: no file content, no expanded entity in any request.
    assert not [p for p in server.requests if "root:" in p or "aaaaaaaaaa" in p]
    # Traps are bounded by depth and page caps.
    assert sum(1 for p in server.requests if p.startswith(P + "calendar")) <= 10
    assert sum(1 for p in server.requests if p.startswith(P + "trap/")) <= 10
    assert "trap guard stopped" in log  # pagination spends no depth: the guard stops it
    # Loops stop at the redirect limit.
    assert sum(1 for p in server.requests if p.startswith(P + "loop-")) <= 12
