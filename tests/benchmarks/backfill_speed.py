"""How fast captures are backfilled, and whether memory stays flat in their number.

``python -m tests.benchmarks.backfill_speed [--captures 600 1800] [--pywb-venv DIR]``

Writes a WARC file of the replica's articles captured every week (each story's text
alternating between two versions, so that every other capture is a revision), serves it from
a local pywb collection and runs
``nordarchive backfill --cdx-interval 0 --fetch-interval 0`` into a fresh SQLite archive, timed,
with the backfill's own peak memory (``VmHWM``). Prints one line a size:
``backfill N captures: X captures/s, peak RSS Y MB``. Not part of the test run.
"""

from __future__ import annotations

import argparse
import dataclasses
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.replica import content
from tests.replica.eras import article_a
from tests.replica.site import ReplicaSite

BASE = "https://nordicwelfare.org"
START = datetime(2019, 1, 7, 10, 0, tzinfo=UTC)


def write_warc(path: Path, captures: int) -> int:
    """``captures`` responses: the stories in turn, a week apart per round, each story's
    second paragraph changed every other round."""
    site = ReplicaSite()
    site.base = BASE
    stories = list(content.STORIES)
    written = 0
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        round_ = 0
        while written < captures:
            for i, story in enumerate(stories):
                if written >= captures:
                    break
                url = site.url(site.paths[story.key])
                if round_ % 2:
                    story = dataclasses.replace(story, paragraphs=(
                        *story.paragraphs[:-1], story.paragraphs[-1] + " (uppdaterad)"))
                body = article_a(story, url, BASE, []).encode()
                moment = START + timedelta(weeks=round_, seconds=i)
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                      ("Content-Length", str(len(body)))],
                                           protocol="HTTP/1.1")
                record = writer.create_warc_record(
                    url, "response", payload=BytesIO(body), length=len(body),
                    http_headers=headers,
                    warc_headers_dict={"WARC-Date": moment.strftime("%Y-%m-%dT%H:%M:%SZ")})
                writer.write_record(record)
                written += 1
            round_ += 1
    return written


def run(captures: int, folder: Path, serve) -> tuple[float, float]:
    warc = folder / f"weekly-{captures}.warc.gz"
    write_warc(warc, captures)
    db = folder / f"b-{captures}.db"
    with serve(warc, folder / f"pywb-{captures}") as base:
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", _CHILD, base, f"sqlite:///{db}"],
            capture_output=True, text=True, timeout=3600)
        elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"backfill failed: {result.stderr[-2000:]}")
    peak_kib = int(result.stdout.strip().splitlines()[-1])
    return captures / elapsed, peak_kib / 1024


#: The backfill in a child process that reports its own high-water mark of memory.
_CHILD = """
import sys
from crawler.commands import cli
try:
    cli(["backfill", "--from", sys.argv[1], "--db", sys.argv[2], "--cdx-interval", "0",
         "--fetch-interval", "0", "--quiet"])
except SystemExit as done:
    if done.code:
        raise
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        print(line.split()[1])
"""


def pywb_server(venv: Path):
    from contextlib import contextmanager

    from tests.replica.webarchives import PywbCollections

    @contextmanager
    def serve(warc: Path, root: Path):
        with PywbCollections(venv, root, {"portal": [warc]}) as collections:
            yield f"{collections.base}/portal/"

    return serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, nargs="+", default=[600, 1800])
    parser.add_argument("--pywb-venv", type=Path, default=None,
                        help="a virtualenv with pywb 2.10 (default: installed into a temp dir)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="backfill-bench-") as tmp:
        folder = Path(tmp)
        venv = args.pywb_venv
        if venv is None:
            from tests.replica.webarchives import start_pywb_install

            install = start_pywb_install(folder / "pywb-install")
            ok, said = install.wait()
            if not ok:
                raise SystemExit(f"pip could not install pywb: {said}")
            venv = install.venv
        serve = pywb_server(venv)
        for n in args.captures:
            rate, peak = run(n, folder, serve)
            print(f"backfill {n} captures: {rate:.1f} captures/s, peak RSS {peak:.0f} MB",
                  flush=True)


if __name__ == "__main__":
    main()
