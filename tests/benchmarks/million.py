"""Benchmark: every answer of the analyst's tools on an archive of a million pages, on SQLite
and, with ``--db`` naming a PostgreSQL server, on PostgreSQL too, in one run.

Run: ``python -m tests.benchmarks.million [--pages 1000000] [--db postgresql://postgres@127.0.0.1/test]``
(develop with ``--pages 20000``). The archive is grown set-wise (``tests.benchmarks.
archive_speed``: a few thousand articles written with bulk inserts, the rest SQL copies of
them), a tenth of the pages get a second revision, and the archive is kept for later runs
(SQLite: ``<workdir>/million-<N>.db``; PostgreSQL: database ``<db>_million_<N>``; ``--rebuild``
makes it again). Then it measures search, ``trend`` for a common word, the web window's
search, article, changes and stats pages through ``nordarchive serve``'s real HTTP server,
``export`` (rows/s and peak RSS, in a child process) and, on PostgreSQL, serve's startup.

Targets (issue 23, 2 cores): search and trend p50 <= 50 ms, p95 <= 150 ms; every web page p95
<= 300 ms; export peak RSS <= 500 MB; serve on PostgreSQL ready <= 60 s. Each figure is one line
``NAME at N pages: p50 X ms, p95 Y ms`` (or ``= N rows/s``, ``peak RSS N MB``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text

from archive.storage.database import Database, database_url
from archive.storage.models import Article
from tests.benchmarks.archive_speed import WORDS, grow, pg_database
from tests.helpers.net import answers, free_port, wait_until

#: Share of the pages that get a second revision.
REVISED_SHARE = 10


def add_revisions(db: Database, pages: int) -> None:
    """A second revision for every tenth article, set-wise: the text gains a sentence, the
    article's current revision moves to it (its index entry is left as it was: the words
    measured are the same)."""
    start = time.perf_counter()
    with db.engine.begin() as conn:
        offset = conn.scalar(text("SELECT max(id) FROM revisions"))
        conn.execute(text(
            "INSERT INTO revisions (id, article_id, number, fetched_at, crawl_run_id, url, "
            "title, language, published, modified, tags, text, content_hash, "
            "extractor_version, origin, change_kind, lines_added, lines_removed, diff, "
            "capture_id) SELECT id + :off, article_id, 2, fetched_at, crawl_run_id, url, "
            "title, language, published, modified, tags, text || ' Uppdaterad.', "
            "'bench2', extractor_version, 'site', 'text', 1, 1, "
            "'--- revision 1\n+++ revision 2\n@@ -1 +1 @@\n-old\n+new', capture_id "
            "FROM revisions WHERE number = 1 AND article_id % :share = 0"),
            {"off": offset, "share": REVISED_SHARE})
        conn.execute(text(
            "UPDATE articles SET current_revision_id = current_revision_id + :off "
            "WHERE id % :share = 0"), {"off": offset, "share": REVISED_SHARE})
    print(f"  gave {pages // REVISED_SHARE} articles a second revision in "
          f"{time.perf_counter() - start:.0f} s", flush=True)


@contextlib.contextmanager
def _without_search_indexes(db: Database):
    """On PostgreSQL the GIN indexes are dropped while rows are copied and built once at the
    end (updating them row by row makes a million-page build take hours)."""
    if db.dialect != "postgresql":
        yield
        return
    with db.engine.begin() as conn:
        indexes = conn.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('article_search', "
            "'article_heads', 'article_pairs') "
            "AND indexdef LIKE '%USING gin%'")).all()
        for name, _ in indexes:
            conn.execute(text(f'DROP INDEX "{name}"'))
    yield
    start = time.perf_counter()
    with db.engine.begin() as conn:
        conn.execute(text("SET LOCAL maintenance_work_mem = '1GB'"))
        for _, definition in indexes:
            conn.execute(text(definition))
    print(f"  built the search indexes in {time.perf_counter() - start:.0f} s", flush=True)


def _bulk_pragmas(db: Database) -> None:
    """SQLite while the archive is built: no syncing to disk and a large page cache (a crash
    means building again, nothing else)."""
    from sqlalchemy import event

    @event.listens_for(db.engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-400000")
        cursor.close()

    db.engine.dispose()


def build(url: str, pages: int) -> None:
    """Grow the archive at ``url`` to ``pages`` articles (kept when already there)."""
    with Database(url) as db:
        with db.session() as session:
            have = session.scalar(select(func.count(Article.id)))
        if have >= pages:
            print(f"  reusing the archive of {have} pages", flush=True)
            return
        start = time.perf_counter()
        if db.dialect == "sqlite":
            _bulk_pragmas(db)
        with _without_search_indexes(db):
            grow(db, have, pages, random.Random(1))
        add_revisions(db, pages)
        if db.dialect == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
        print(f"  built {pages} pages in {time.perf_counter() - start:.0f} s", flush=True)


def percentiles(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.95) - 1)]


def report(name: str, pages: int, timings: list[float]) -> None:
    p50, p95 = percentiles(timings)
    print(f"{name} at {pages} pages: p50 {p50:.0f} ms, p95 {p95:.0f} ms", flush=True)


def timed(function, *args, **kwargs) -> float:
    start = time.perf_counter()
    function(*args, **kwargs)
    return (time.perf_counter() - start) * 1000


def measure_library(url: str, pages: int, label: str, rng: random.Random) -> None:
    from archive.read.queries import run_search
    from archive.read.trend import trend
    from archive.search.filters import Filters

    with Database(url, migrate=False) as db:
        words = rng.sample(WORDS, 40)
        for word in words[:3]:
            run_search(db, word, Filters(), 20)
        report(f"{label} search", pages, [timed(run_search, db, w, Filters(), 20)
                                          for w in words])
        common = words[:20]
        trend(db, [common[0]], Filters(), by="month", split="language", normalise=True)
        report(f"{label} trend", pages, [
            timed(trend, db, [w], Filters(), by="month", split="language", normalise=True)
            for w in common])
        measure_phrases(db, pages, label, rng)


#: Filters of half of the phrase and several-word queries (the others have none).
_FILTERS = ("language", "kind", "since")


def phrase_queries(db: Database, pages: int, rng: random.Random) -> list[tuple[str, object]]:
    """40 queries of 2-4 words read from articles' texts (as an analyst copies a name from a
    page): half quoted (phrases), half plain words; every other one with a filter."""
    from archive.search.filters import Filters

    with db.session() as session:
        texts = [session.scalar(text(
            "SELECT r.text FROM articles a JOIN revisions r ON r.id = a.current_revision_id "
            "WHERE a.id = :id"), {"id": rng.randrange(1, pages + 1)}) for _ in range(40)]
    queries = []
    for n, body in enumerate(texts):
        words = [w.strip(".,").lower() for w in body.split()]
        size = 2 + n % 3
        first = rng.randrange(0, len(words) - size)
        phrase = " ".join(words[first:first + size])
        query = f'"{phrase}"' if n % 2 == 0 else phrase
        chosen = _FILTERS[n // 2 % 3] if n % 4 >= 2 else None
        filters = {None: Filters(), "language": Filters(language="sv"),
                   "kind": Filters(kind="news"),
                   "since": Filters(since=date(2020, 1, 1))}[chosen]
        queries.append((query, filters))
    return queries


def measure_phrases(db: Database, pages: int, label: str, rng: random.Random) -> None:
    """Phrases and several words (2-4, with and without filters): the hits (``search``) and
    the counts per page kind (the search page's, ``search_kinds``), each timed."""
    from archive.read.queries import run_search, search_kinds

    queries = phrase_queries(db, pages, rng)
    for name, group in (("phrase", queries[0::2]), ("words", queries[1::2])):
        run_search(db, group[0][0], group[0][1], 20)
        report(f"{label} {name} search", pages,
               [timed(run_search, db, q, f, 20) for q, f in group])
        report(f"{label} {name} counts", pages,
               [timed(search_kinds, db, q, f) for q, f in group])


def start_server(url: str) -> tuple[subprocess.Popen, str, float]:
    """``nordarchive serve`` in a child process; the seconds until it answers."""
    port = free_port()
    start = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-c", "from crawler.commands import main; main()", "serve", "--db", url,
         "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.getcwd()})
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        if server.poll() is not None:
            raise SystemExit(f"serve stopped: {server.stderr.read().decode()[-400:]}")
        return answers(base + "/-/versions.json")

    wait_until(up, None)
    return server, base, time.perf_counter() - start


def fetch(base: str, path: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(base + path, timeout=900) as response:
        response.read()
        assert response.status == 200, (path, response.status)
    return (time.perf_counter() - start) * 1000


def measure_web(url: str, pages: int, label: str, rng: random.Random) -> None:
    from urllib.parse import quote

    server, base, ready = start_server(url)
    try:
        print(f"{label} serve ready at {pages} pages = {ready:.1f} s", flush=True)
        words = rng.sample(WORDS, 20)
        ids = [rng.randrange(1, pages + 1) for _ in range(20)]
        paths = {
            "search page": [f"/search?q={quote(w)}" for w in words],
            "article page": [f"/article/{i - i % REVISED_SHARE or REVISED_SHARE}"
                             for i in ids],
            "changes page": ["/changes"] * 10 + [f"/changes?lang={lang}" for lang in
                                                 ("sv", "fi", "en", "da", "no")] * 2,
            "stats page": ["/stats"] * 10,
        }
        for name, group in paths.items():
            first = fetch(base, group[0])  # warms the per-process numbers of the archive
            print(f"{label} {name} first load at {pages} pages = {first:.0f} ms", flush=True)
            report(f"{label} {name}", pages, [fetch(base, path) for path in group])
    finally:
        server.terminate()
        server.wait(timeout=30)


_EXPORT = """
import resource, sys, time, io
from archive.storage.database import Database
from archive.read.exports import write_jsonl
from archive.search.filters import Filters
from archive.read.queries import iter_export

class Null(io.TextIOBase):
    def write(self, s):
        return len(s)

limit = float(sys.argv[2])
def rows(source):
    for row in source:
        yield row
        if time.perf_counter() - start > limit:
            return

with Database(sys.argv[1], migrate=False) as db:
    start = time.perf_counter()
    count = write_jsonl(rows(iter_export(db, Filters())), Null())
    elapsed = time.perf_counter() - start
def peak_mb():
    # VmHWM: this process's own high-water mark. ru_maxrss is not: after fork and exec it
    # starts from the parent's peak (the benchmark's own, 500 MB after a build).
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) // 1024 for line in status
                        if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024

print(count, elapsed, peak_mb())
"""


def measure_export(url: str, pages: int, label: str, seconds: float) -> None:
    """``export`` as the command runs it (JSON Lines, every article), in a child process: its
    own peak RSS. Stopped after ``seconds`` (0: never): rows/s and memory are flat by then."""
    out = subprocess.run([sys.executable, "-c", _EXPORT, url, str(seconds or 1e9)],
                         capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": os.getcwd()})
    count, elapsed, rss = out.stdout.split()
    part = f" ({count} rows in {float(elapsed):.0f} s)" if int(count) < pages else ""
    print(f"{label} export at {pages} pages = {int(count) / float(elapsed):.0f} rows/s{part}",
          flush=True)
    print(f"{label} export at {pages} pages: peak RSS {rss} MB", flush=True)


def keep_term_counts(url: str, pages: int, label: str) -> None:
    """The monthly counts of the common terms (``nordarchive db count-terms``; a crawl keeps
    them by itself): what it takes once, and how much it keeps."""
    from archive.search import term_counts

    with Database(url, migrate=False) as db:
        start = time.perf_counter()
        kept = term_counts.keep_common(db)
        elapsed = time.perf_counter() - start
        with db.session() as session:
            rows = session.scalar(text("SELECT count(*) FROM term_months"))
        print(f"{label} count-terms at {pages} pages = {elapsed:.0f} s ({len(kept)} terms "
              f"kept now, {term_counts.kept_total(db)} in all, {rows} rows)", flush=True)


def run(url: str, pages: int, label: str, args) -> None:
    print(f"{label}: (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)",
          flush=True)
    build(url, pages)
    keep_term_counts(url, pages, label)
    rng = random.Random(7)
    measure_library(url, pages, label, rng)
    if args.library_only:
        return
    measure_web(url, pages, label, rng)
    measure_export(url, pages, label, args.export_seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=1_000_000)
    parser.add_argument("--db", help="a PostgreSQL server URL: PostgreSQL is measured too")
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "nordarchive-bench"),
                        help="folder of the kept SQLite archive")
    parser.add_argument("--rebuild", action="store_true", help="build the archives again")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--library-only", action="store_true",
                        help="search, phrases and trend only (no web pages, no export)")
    parser.add_argument("--export-seconds", type=float, default=120,
                        help="stop the export after this long (0: export every row)")
    args = parser.parse_args()
    started = time.perf_counter()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if not args.skip_sqlite:
        folder = Path(args.workdir)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"million-{args.pages}.db"
        if args.rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        if args.build_only:
            print("SQLite:", flush=True)
            build(url, args.pages)
        else:
            run(url, args.pages, "SQLite", args)
    if args.db:
        server = database_url(args.db)
        base = server.rsplit("/", 1)[-1] or "postgres"
        url = pg_database(server, f"{base}_million_{args.pages}", fresh=args.rebuild)
        if args.build_only:
            print("PostgreSQL:", flush=True)
            build(url, args.pages)
        else:
            run(url, args.pages, "PostgreSQL", args)
    print(f"benchmark run took {time.perf_counter() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
