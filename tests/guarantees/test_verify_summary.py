"""``nordarchive verify`` on a sound archive: its last line counts every capture it read back
and every revision among them, and says 0 problems (a WARC file gone is one problem naming it
and its captures); the crawl's captures are marked as the site's own (``origin`` ``site``, as
against a web archive's or an import's)."""

from __future__ import annotations

import sqlite3

from tests.helpers.cli import run_cli
from tests.helpers.crawl_helpers import run_crawl
from tests.replica import content
from tests.replica.site import PREFIX
from tests.replica.tiny import tiny_portal


def test_verify_counts_every_capture_and_revision_of_a_sound_archive(tmp_path):
    db, warc = tmp_path / "archive.db", tmp_path / "warc"
    with tiny_portal(content.STORIES[:2]) as server:
        result = run_crawl(f"sqlite:///{db}", server.base + PREFIX, "--set",
                           f"NORDARCHIVE_WARC_DIR={warc}")
        assert result.returncode == 0, result.stderr.decode()[-2000:]
    with sqlite3.connect(db) as connection:
        captures = connection.execute("SELECT count(*) FROM captures").fetchone()[0]
        revisions = connection.execute(
            "SELECT count(*) FROM revisions WHERE capture_id IS NOT NULL").fetchone()[0]
        origins = {row[0] for row in connection.execute("SELECT origin FROM captures")}
    assert captures > revisions == 2 and origins == {"site"}
    result = run_cli("verify", "--db", f"sqlite:///{db}", "--warc-dir", str(warc))
    last = result.stdout.decode().splitlines()[-1]
    assert result.returncode == 0, result.stdout.decode()
    assert last.startswith(f"verified {captures} captures ({revisions} revisions), 1 WARC files")
    assert last.endswith(": 0 problems, 0 orphans"), last
    # The WARC file gone: one line naming it and how many captures it held, and exit 1.
    [path] = warc.glob("*.warc.gz")
    path.unlink()
    result = run_cli("verify", "--db", f"sqlite:///{db}", "--warc-dir", str(warc))
    assert result.returncode == 1
    assert f"problem: WARC file missing: {path.name} ({captures} captures)" in \
        result.stdout.decode().splitlines()
