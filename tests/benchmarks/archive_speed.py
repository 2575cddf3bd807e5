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


def bulk_load(db: Database, numbers: range, rng: random.Random) -> None:
    """Grow the archive for the search measurement in large transactions (the per-article
    ingest path is measured above; this only builds the size)."""
    from sqlalchemy import insert, text

    from archive.models import Article, ArticleUrl, Revision
    from archive.search import index_article

    start = time.perf_counter()
    now = datetime.now(UTC)
    numbers = list(numbers)
    for chunk_start in range(0, len(numbers), 5000):
        chunk = [synthetic(i, rng) for i in numbers[chunk_start:chunk_start + 5000]]
        with db.engine.begin() as conn:
            first_id = (conn.scalar(text("SELECT coalesce(max(id), 0) FROM articles")) or 0) + 1
            rev_id = (conn.scalar(text("SELECT coalesce(max(id), 0) FROM revisions")) or 0) + 1
            conn.execute(insert(Article.__table__), [
                {"id": first_id + k, "canonical_url": r.canonical_url, "url": r.canonical_url,
                 "language": r.language,
                 "section": r.section, "first_seen": now, "last_seen": now,
                 "removed_at": None, "current_revision_id": None, "content_hash": "bulk",
                 "body_hash": "bulk", "title": r.title, "published": r.published,
                 "modified": None} for k, r in enumerate(chunk)])
            conn.execute(insert(Revision.__table__), [
                {"id": rev_id + k, "article_id": first_id + k, "number": 1, "fetched_at": now,
                 "crawl_run_id": None, "url": r.canonical_url, "title": r.title,
                 "language": r.language, "published": r.published, "modified": None,
                 "tags": list(r.tags), "text": r.text, "content_hash": "bulk",
                 "extractor_version": "bench", "origin": "site", "change_kind": "new",
                 "lines_added": 0, "lines_removed": 0, "diff": None, "capture_id": None}
                for k, r in enumerate(chunk)])
            conn.execute(text("UPDATE articles SET current_revision_id = id - :d "
                              "WHERE id >= :first"), {"d": first_id - rev_id, "first": first_id})
            conn.execute(insert(ArticleUrl.__table__), [
                {"url": r.canonical_url, "normalized_url": r.canonical_url,
                 "article_id": first_id + k, "kind": "canonical", "first_seen": now,
                 "last_seen": now, "http_status": 200, "etag": None, "last_modified": None}
                for k, r in enumerate(chunk)])
            for k, r in enumerate(chunk):
                index_article(conn, first_id + k, r.language, r.title, r.text, new=True)
    elapsed = time.perf_counter() - start
    print(f"bulk-loaded to {numbers[-1] + 1} articles in {elapsed:.0f} s (for the search "
          f"measurement; not the ingest path)")


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
        bulk_load(db, range(args.articles, args.search_articles), rng)
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
