"""Benchmark: ingest, re-ingest, search and export on a synthetic archive, on SQLite and, when
a PostgreSQL URL is given, on PostgreSQL too (one invocation, both backends).

Run: ``python -m tests.benchmarks.archive_speed [--articles 3000] [--search-articles 100000]
[--db postgresql://postgres@127.0.0.1/test] [--order rank|date]``. Targets (issue 13): ingest
>= 500 new articles/s on SQLite, >= 300/s on PostgreSQL, re-ingest faster still; search p50
<= 50 ms, p95 <= 150 ms at 100,000 articles on both.

On PostgreSQL the ingest runs in a fresh database ``<db>_bench`` (dropped afterwards); the
search archive ``<db>_bench_<N>`` is kept and reused by later runs (``--rebuild`` makes it
again), since building 100,000 articles takes minutes.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from archive.ingest.batch import ingest_many
from archive.ingest.records import Fetch, Record
from archive.read import exports
from archive.read.queries import iter_export, run_search
from archive.search.filters import Filters
from archive.storage.database import Database, database_url
from archive.storage.models import Article
from crawler.pipelines import BATCH
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
    """Articles written as the crawl's pipeline writes them: ``BATCH`` per transaction."""
    start = time.perf_counter()
    now = datetime.now(UTC)
    for first in range(0, len(records), BATCH):
        ingest_many(db, [(r, Fetch(url=r.canonical_url, fetched_at=now))
                         for r in records[first:first + BATCH]])
    elapsed = time.perf_counter() - start
    rate = len(records) / elapsed
    print(f"  {label}: {len(records)} in {elapsed:.1f} s = {rate:.0f} articles/s "
          f"({BATCH} a transaction)")
    return rate


def bulk_load(db: Database, numbers: range, rng: random.Random) -> None:
    """Grow the archive for the search measurement in large transactions (the per-article
    ingest path is measured above; this only builds the size)."""
    from sqlalchemy import insert

    from archive.search.index import index_articles
    from archive.storage.models import ArticleTag, ArticleUrl, Revision, Tag

    start = time.perf_counter()
    now = datetime.now(UTC)
    numbers = list(numbers)
    with db.engine.begin() as conn:  # the tags, so that trend --split tag has them
        known = set(conn.scalars(select(Tag.name)))
        if set(TAGS) - known:
            conn.execute(insert(Tag.__table__), [{"name": n} for n in TAGS if n not in known])
        tag_ids = dict(conn.execute(select(Tag.name, Tag.id)).all())
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
            conn.execute(insert(ArticleTag.__table__), [
                {"article_id": first_id + k, "tag_id": tag_ids[name], "position": position}
                for k, r in enumerate(chunk)
                for position, name in enumerate(dict.fromkeys(r.tags))])
            index_articles(conn, [(first_id + k, r.language, r.title, r.text)
                                  for k, r in enumerate(chunk)])
    elapsed = time.perf_counter() - start
    print(f"  bulk-loaded to {numbers[-1] + 1} articles in {elapsed:.0f} s")


#: Articles made one by one for the search archive; the rest are SQL copies of them (same
#: word frequencies: each query word occurs in about a fifth of the articles).
DISTINCT = 20_000


def _copy_sqlite_pairs(conn, offsets: dict) -> None:
    """SQLite's pair index keeps no text (contentless): the copies' pairs are made from the
    copied entries' text (each distinct text once)."""
    from archive.search.index import pair_row

    made: dict[tuple[str, str], dict] = {}
    for low in range(0, offsets["k"], 5000):
        batch = []
        for rowid, title, body in conn.execute(text(
                "SELECT rowid, title, text FROM article_fts WHERE rowid > :low AND "
                "rowid <= :high"), {"low": low, "high": min(low + 5000, offsets["k"])}):
            if (title, body) not in made:
                made[title, body] = pair_row(0, title, body, "sqlite")
            batch.append({**made[title, body], "id": rowid + offsets["off"]})
        conn.execute(text("INSERT INTO article_pairs(rowid, title, text) VALUES "
                          "(:id, :title, :text)"), batch)


def replicate(db: Database, have: int, need: int) -> int:
    """Copy articles 1..k (with revisions, URLs and index entries) to new ids; returns the
    new count."""
    from archive.storage.models import ArticleTag, ArticleUrl, Revision

    k = min(have, need - have)
    copies = {
        Article.__table__: {"canonical_url": "canonical_url || '/c' || CAST(id + :off AS TEXT)",
                            "current_revision_id": "NULL", "id": "id + :off"},
        Revision.__table__: {"id": "id + :roff", "article_id": "article_id + :off"},
        ArticleUrl.__table__: {"id": "id + :uoff", "article_id": "article_id + :off",
                               "url": "url || '/c' || CAST(id + :uoff AS TEXT)"},
        ArticleTag.__table__: {"article_id": "article_id + :off"},
    }
    keys = {Article.__table__: "id", Revision.__table__: "article_id",
            ArticleUrl.__table__: "article_id", ArticleTag.__table__: "article_id"}
    with db.engine.begin() as conn:
        offsets = {"off": have, "k": k,
                   "roff": conn.scalar(text("SELECT max(id) FROM revisions")),
                   "uoff": conn.scalar(text("SELECT max(id) FROM article_urls"))}
        for table, changes in copies.items():
            names = [c.name for c in table.columns]
            quoted = ", ".join(f'"{n}"' for n in names)
            values = ", ".join(changes.get(n, f'"{n}"') for n in names)
            conn.execute(text(f"INSERT INTO {table.name} ({quoted}) SELECT {values} FROM "
                              f"{table.name} WHERE {keys[table]} <= :k"), offsets)
        conn.execute(text("UPDATE articles SET current_revision_id = (SELECT o.current_"
                          "revision_id + :roff FROM articles o WHERE o.id = articles.id - :off)"
                          " WHERE id > :off"), offsets)
        if db.dialect == "sqlite":
            conn.execute(text("INSERT INTO article_fts(rowid, title, text, stem_title, "
                              "stem_text, marks) SELECT rowid + :off, title, text, stem_title, "
                              "stem_text, marks FROM article_fts WHERE rowid <= :k"), offsets)
            conn.execute(text("INSERT INTO article_facets SELECT article_id + :off, language, "
                              "kind, published, first_seen FROM article_facets WHERE "
                              "article_id <= :k"), offsets)
            _copy_sqlite_pairs(conn, offsets)
        else:
            conn.execute(text("INSERT INTO article_search(article_id, document, language, "
                              "kind, published, first_seen) SELECT article_id + :off, document, "
                              "language, kind, published, first_seen FROM article_search "
                              "WHERE article_id <= :k"), offsets)
            conn.execute(text("INSERT INTO article_heads(article_id, head) SELECT article_id "
                              "+ :off, head FROM article_heads WHERE article_id <= :k"), offsets)
            conn.execute(text("INSERT INTO article_pairs(article_id, pairs) SELECT article_id "
                              "+ :off, pairs FROM article_pairs WHERE article_id <= :k"), offsets)
    return have + k


def time_search(db: Database, total: int, order: str, rng: random.Random) -> None:
    queries = rng.sample(WORDS, 60)
    for word in queries[:3]:  # warm the caches
        run_search(db, word, Filters(), limit=20, order=order)
    timings = []
    for word in queries:
        start = time.perf_counter()
        run_search(db, word, Filters(), limit=20, order=order)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    print(f"  search at {total} articles (order {order}): p50 "
          f"{statistics.median(timings):.1f} ms, p95 "
          f"{timings[int(len(timings) * 0.95) - 1]:.1f} ms ({len(timings)} queries)")


def pg_database(server: str, name: str, *, fresh: bool) -> str:
    """URL of database ``name`` on the server of ``server``, created when missing (dropped
    and created again when ``fresh``)."""
    url = make_url(database_url(server))
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if exists and fresh:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        if fresh or not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


def grow(db: Database, have: int, need: int, rng: random.Random) -> None:
    start = time.perf_counter()
    if have < min(need, DISTINCT):
        bulk_load(db, range(have, min(need, DISTINCT)), rng)
        have = min(need, DISTINCT)
    while have < need:
        have = replicate(db, have, need)
    if db.dialect == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    print(f"  grew the archive to {need} articles in {time.perf_counter() - start:.0f} s "
          f"({DISTINCT} made one by one, the rest copies; not the ingest path)")


def run_backend(label: str, ingest_url: str, search_url: str | None, args) -> None:
    print(f"{label}:")
    rng = random.Random(1)
    with Database(ingest_url) as db:
        records = [synthetic(i, rng) for i in range(args.articles)]
        ingest_all(db, records, "ingest new")
        changed = set(range(0, args.articles, 10))
        again = [synthetic(i, random.Random(i + 99)) if i in changed else records[i]
                 for i in range(args.articles)]
        ingest_all(db, again, "re-ingest, 10% changed")
        if search_url is None:
            if args.search_articles > args.articles:
                grow(db, args.articles, args.search_articles, rng)
            time_search(db, max(args.articles, args.search_articles), args.order, rng)
            export_rate(db)
            return
    with Database(search_url) as db:
        with db.session() as session:
            have = session.scalar(select(func.count(Article.id)))
        if have < args.search_articles:
            grow(db, have, args.search_articles, rng)
        else:
            print(f"  reusing the search archive of {have} articles")
        time_search(db, max(have, args.search_articles), args.order, rng)
        export_rate(db)


def export_rate(db: Database) -> None:
    start = time.perf_counter()
    count = exports.write_jsonl(iter_export(db, Filters()), io.StringIO())
    elapsed = time.perf_counter() - start
    print(f"  export jsonl: {count} rows in {elapsed:.1f} s = {count / elapsed:.0f} rows/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="an SQLite archive to use instead of a new file, or a "
                        "PostgreSQL server URL: then both backends are measured")
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--search-articles", type=int, default=0,
                        help="grow the archive to this many articles, then time search")
    parser.add_argument("--order", choices=["rank", "date"], default="rank")
    parser.add_argument("--rebuild", action="store_true",
                        help="build the PostgreSQL search archive again")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    url = database_url(args.db) if args.db else None
    postgres = url is not None and url.startswith("postgresql")
    if not args.skip_sqlite:
        sqlite_url = url if url and not postgres else f"sqlite:///{tempfile.mkdtemp()}/b.db"
        run_backend("SQLite", sqlite_url, None, args)
    if postgres:
        base = make_url(url).database or "postgres"
        ingest_url = pg_database(url, f"{base}_bench", fresh=True)
        search_url = None
        if args.search_articles > args.articles:
            search_url = pg_database(url, f"{base}_bench_{args.search_articles}",
                                     fresh=args.rebuild)
        try:
            run_backend("PostgreSQL", ingest_url, search_url, args)
        finally:
            drop_pg_database(ingest_url)


if __name__ == "__main__":
    main()
