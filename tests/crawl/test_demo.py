"""The README's offline demo, step by step: the replica served, crawled, served again as
``--phase 2`` (an edit, a removal, a move) and crawled again, gives an article with two
revisions and a diff, a removed article and a moved one."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager

from tests.helpers import ROOT
from tests.helpers.crawl_helpers import cli_json, run_crawl
from tests.helpers.net import answers, free_port, wait_until
from tests.replica.serve import EDITED, MOVED, MOVED_SLUG, REMOVED
from tests.replica.site import PREFIX, ReplicaSite


@contextmanager
def replica(port: int, *extra: str):
    """``python -m tests.replica.serve --port PORT …`` as the README runs it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.replica.serve", "--port", str(port), *extra], cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT)
    try:
        def up() -> bool:
            if answers(f"http://127.0.0.1:{port}{PREFIX}"):
                return True
            assert process.poll() is None, process.stdout.read().decode()
            return False

        wait_until(up, 60, 0.2, "the replica did not answer")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_documented_demo_shows_history(tmp_path, cli):
    readme = (ROOT / "README.md").read_text()
    offline = readme.split("## Try it offline", 1)[1].split("\n## ", 1)[0]
    assert "python -m tests.replica.serve --port 8765 --phase 2" in offline
    assert "nordarchive diff" in offline and "/changes" in offline

    port, sources = free_port(), free_port()
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    start = f"http://127.0.0.1:{port}{PREFIX}"
    quick = ("--set", "NORDARCHIVE_SOURCE_RECHECK_DAYS=0.00001")  # as docs/install.md
    with replica(port, "--sources-port", str(sources)):
        first = run_crawl(db, start, *quick)
    assert first.returncode == 0, first.stderr.decode()[-3000:]
    assert "sources 3 (3 captured)" in first.stdout.decode(), first.stdout
    with replica(port, "--sources-port", str(sources), "--phase", "2") as process:
        second = run_crawl(db, start, *quick)
        process.terminate()
        said = process.communicate(timeout=30)[0].decode()
    assert second.returncode == 0, second.stderr.decode()[-3000:]
    assert "revised 1," in second.stdout.decode() and "removed 1," in second.stdout.decode()

    site = ReplicaSite()
    site.base = f"http://127.0.0.1:{port}"
    url = {key: site.url(site.paths[key]) for key in (EDITED, REMOVED, MOVED)}
    assert f"edited:  {url[EDITED]}" in said, said  # the server names what changed
    edited = cli_json(db, "history", url[EDITED])
    assert [r["number"] for r in edited] == [1, 2] and edited[1]["change_kind"] == "text"
    diff = cli(*["diff", url[EDITED], "--db", db]).stdout.decode()
    assert "-Projektet har pågått i tre år" in diff and "+Projektet har pågått i fyra år" in diff
    changes = cli(*["changes", "--db", db]).stdout.decode().splitlines()  # as docs/install.md
    assert len(changes) == 1 and "edit: text; +1 -1 words (1 %)" in changes[0], changes
    removed = cli_json(db, "show", url[REMOVED])
    assert removed["removed"] and [e["kind"] for e in removed["events"]] == ["removed"]
    moved = cli_json(db, "show", url[MOVED])
    assert any(MOVED_SLUG in u for u in moved["urls"]) and url[MOVED] in moved["urls"]
    assert cli_json(db, "show", url[MOVED].replace(url[MOVED].rsplit("/", 1)[1],
                                                   MOVED_SLUG))["id"] == moved["id"]
    cited = {s["url"].rsplit("/", 1)[1]: s for s in cli_json(db, "sources")}
    assert set(cited) == {"natverket.html", "indikatorer.pdf", "seminarium.html"}
    assert cited["seminarium.html"]["gone"] and not cited["natverket.html"]["gone"]
    assert cited["indikatorer.pdf"]["kind"] == "pdf"
