"""Benchmark: what a revision changed (``archive.storage.changes``), computed per revision and
filled by migration 0014.

Run: ``python -m tests.benchmarks.change_records [--articles 20000] [--db URL]``. Times
``describe`` on texts of 300, 1,500 and 5,000 words (a first version, one word changed, a
rewrite), then builds an archive at migration 0013 with ``--articles`` articles of 300 words,
every tenth with a second revision, and times opening it (migration 0014 filling every
revision). With ``--db postgresql://…`` the database is made as ``<db>_changes`` and dropped
afterwards.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time

from sqlalchemy import create_engine, text

from archive.storage import database as archive_db
from archive.storage.changes import Seen, describe
from archive.storage.database import Database
from tests.helpers.archive_data import archive_at
from tests.replica import content

_WORDS = [w for s in content.STORIES for p in s.paragraphs for w in p.split()]


def _text(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(_WORDS) for _ in range(words)]
    return "\n\n".join(" ".join(chosen[i:i + 60]) for i in range(0, words, 60))


def time_describe() -> None:
    rng = random.Random(1)
    for words in (300, 1500, 5000):
        old = _text(rng, words)
        paragraphs = old.split("\n\n")
        paragraphs[len(paragraphs) // 2] = paragraphs[len(paragraphs) // 2].replace(" ", " ny ", 1)
        versions = [Seen("T", t, (), None, None, "sv")
                    for t in (old, "\n\n".join(paragraphs), _text(rng, words))]
        for label, before, after in (("first version", None, versions[0]),
                                     ("one word", versions[0], versions[1]),
                                     ("rewrite", versions[0], versions[2])):
            count, start = 0, time.perf_counter()
            while time.perf_counter() - start < 1.0:
                describe(before, after)
                count += 1
            print(f"describe, {words} words, {label}: "
                  f"{1000 * (time.perf_counter() - start) / count:.2f} ms")


def time_migration(url: str, articles: int) -> None:
    rng = random.Random(2)
    engine = archive_at(url, "0013")
    rows, revisions = [], []
    for i in range(1, articles + 1):
        rows.append({"id": i, "u": f"https://x.example/{i}", "t": f"T{i}"})
        body = _text(rng, 300)
        revisions.append({"id": len(revisions) + 1, "a": i, "n": 1, "d": "2026-01-01",
                          "t": f"T{i}", "b": body})
        if i % 10 == 0:
            revisions.append({"id": len(revisions) + 1, "a": i, "n": 2, "d": "2026-02-01",
                              "t": f"T{i}", "b": body.replace(" ", " ny ", 1)})
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO articles (id, canonical_url, url, language, kind, first_seen, "
            "last_seen, content_hash, body_hash, title) VALUES (:id, :u, :u, 'sv', 'news', "
            "'2026-01-01', '2026-01-01', 'h', 'b', :t)"), rows)
        conn.execute(text(
            "INSERT INTO revisions (id, article_id, number, fetched_at, url, title, language, "
            "tags, text, content_hash, extractor_version, origin, change_kind, lines_added, "
            "lines_removed) VALUES (:id, :a, :n, :d, 'u', :t, 'sv', '[]', :b, 'h', 'x', "
            "'site', 'text', 1, 1)"), revisions)
    engine.dispose()
    start = time.perf_counter()
    Database(url).close()
    seconds = time.perf_counter() - start
    print(f"{url.split(':')[0].split('+')[0]}: migration 0014 over {len(revisions)} revisions "
          f"({articles} articles of 300 words): {seconds:.1f} s, "
          f"{len(revisions) / seconds:.0f} revisions/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--db", default=None, help="a PostgreSQL server's database URL")
    args = parser.parse_args()
    time_describe()
    with tempfile.TemporaryDirectory() as folder:
        time_migration(f"sqlite:///{folder}/changes.db", args.articles)
    if args.db:
        admin = create_engine(archive_db.database_url(args.db), isolation_level="AUTOCOMMIT")
        name = f"{admin.url.database}_changes"
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            conn.execute(text(f"CREATE DATABASE {name}"))
        try:
            time_migration(str(admin.url.set(database=name).render_as_string(
                hide_password=False)), args.articles)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            admin.dispose()


if __name__ == "__main__":
    main()
