"""Benchmark: ``reextract`` over an archive of N captured articles, with 1 and N workers.

Run: ``python -m tests.benchmarks.reextract_speed [--articles 5000] [--workers N]``. Builds an
SQLite archive whose revisions link WARC captures of portal pages (~75 KB, as the real
WordPress pages weigh), then re-extracts it as a dry run (every capture read and extracted,
nothing written) with one worker and with N (default: one per core), and checks both give the
same report. Target (issue 13): >= 1.7x faster with 2 workers on 2 cores.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from archive.ingest.articles import ingest
from archive.ingest.records import Fetch
from archive.search.filters import Filters
from archive.storage.database import Database
from archive.webarchive.captures import add_capture
from archive.webarchive.warc import RotatingWarcWriter
from crawler.reextract import default_workers, reextract
from tests.benchmarks.crawl_speed import synthetic_stories
from tests.helpers.archive_data import record_of
from tests.replica import templates
from tests.replica.corpus import _VARIANTS
from tests.replica.site import story_path


def build(db: Database, warc_dir: Path, n: int) -> None:
    start = time.perf_counter()
    now = datetime.now(UTC)
    writer = RotatingWarcWriter(warc_dir, "nordarchive-1")
    for i, story in enumerate(synthetic_stories(n)):
        url = "http://127.0.0.1" + story_path(story)
        chrome = replace(_VARIANTS[i % len(_VARIANTS)], padding=True)
        body = templates.portal_page(story, url, chrome).encode()
        written = writer.write(url, 200, "OK", [("Content-Type", "text/html; charset=utf-8")],
                               body, [], now)
        capture_id = add_capture(db, written, url, 200, now, None)
        ingest(db, record_of(story, canonical_url=url),
               Fetch(url=url, fetched_at=now, capture_id=capture_id))
    writer.close()
    print(f"built {n} captured articles in {time.perf_counter() - start:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    with Database(f"sqlite:///{folder / 'bench.db'}") as db:
        build(db, folder / "bench-warc", args.articles)
        reports, rates = [], []
        for workers in (1, args.workers):
            start = time.perf_counter()
            reports.append(reextract(db, folder / "bench-warc", Filters(), dry_run=True,
                                     workers=workers))
            rates.append(args.articles / (time.perf_counter() - start))
            print(f"reextract, {workers} worker{'s' if workers > 1 else ''}: "
                  f"{rates[-1]:.0f} articles/s ({reports[-1].changed} would change, "
                  f"{len(reports[-1].failed)} failed)")
        same = reports[0] == reports[1]
        print(f"speed-up {rates[1] / rates[0]:.2f}x; same result: {same}")


if __name__ == "__main__":
    main()
