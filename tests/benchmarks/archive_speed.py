"""Benchmark: ingest, re-ingest, search and export on a synthetic archive.

Run: ``python -m tests.benchmarks.archive_speed [--db URL] [--articles 10000]
[--search-articles 100000]``. Targets (issue 3): ingest >= 500 articles/s on SQLite; search p50
<= 50 ms at 100,000 articles on SQLite.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from archive import exports
from archive.db import Database
from archive.ingest import Fetch, Record, ingest
from archive.queries import Filters, iter_export, run_search
from tests.replica.content import STORIES

WORDS = sorted({w.strip(".,:;—()").lower() for s in STORIES for p in s.paragraphs
                for w in p.split() if len(w) > 3})
LANGS = ["sv", "en", "fi", "no", "da", "is"]
TAGS = ["Arbete", "Bostad", "Integration", "Ukraina", "Utbildning", "Sociala insatser"]


def synthetic(i: int, rng: random.Random, version: int = 0) -> Record:
    words = [WORDS[(i * 7 + k * 13 + version) % len(WORDS)] for k in range(8)]
    paragraphs = [" ".join(rng.choice(WORDS) for _ in range(40)).capitalize() + "."
                  for _ in range(4)]
    return Record(
        canonical_url=f"https://portal.example/integration-norden/nyheter/article-{i}",
        title=" ".join(words).capitalize(), text="\n\n".join(paragraphs),
        language=LANGS[i % len(LANGS)], published=date(2015, 1, 1) + timedelta(days=i % 3650),
        tags=(TAGS[i % len(TAGS)], TAGS[(i // 7) % len(TAGS)]), section="nyheter",
        extractor_version="bench")


def ingest_all(db: Database, records: list[Record], label: str) -> float:
    start = time.perf_counter()
    now = datetime.now(UTC)
    for record in records:
        ingest(db, record, Fetch(url=record.canonical_url, fetched_at=now))
    elapsed = time.perf_counter() - start
    print(f"{label}: {len(records)} in {elapsed:.1f} s = {len(records) / elapsed:.0f} articles/s")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="archive URL (default: a new SQLite file)")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--search-articles", type=int, default=0,
                        help="grow the archive to this many articles, then time search")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    db = Database(args.db or str(Path(tmp) / "bench.db"))
    print(f"archive: {db.display_url}")
    rng = random.Random(1)
    records = [synthetic(i, rng) for i in range(args.articles)]
    ingest_all(db, records, "ingest new")
    changed = {i for i in range(0, args.articles, 10)}
    again = [synthetic(i, random.Random(i + 99)) if i in changed else records[i]
             for i in range(args.articles)]
    ingest_all(db, again, "re-ingest, 10% changed")

    if args.search_articles > args.articles:
        more = [synthetic(i, rng) for i in range(args.articles, args.search_articles)]
        ingest_all(db, more, f"grow to {args.search_articles}")
    queries = rng.sample(WORDS, 60)
    timings = []
    for word in queries:
        start = time.perf_counter()
        run_search(db, word, Filters(), limit=20)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    total = max(args.articles, args.search_articles)
    print(f"search at {total} articles: p50 {statistics.median(timings):.1f} ms, "
          f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms ({len(timings)} queries)")
    start = time.perf_counter()
    count = exports.write_jsonl(iter_export(db, Filters()), io.StringIO())
    elapsed = time.perf_counter() - start
    print(f"export jsonl: {count} rows in {elapsed:.1f} s = {count / elapsed:.0f} rows/s")


if __name__ == "__main__":
    main()
