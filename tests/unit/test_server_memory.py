"""The check that tells a PostgreSQL user to give the server the memory every search needs:
a note naming the setting and the size to set when the search tables do not fit in
``shared_buffers``, nothing when they fit, nothing on SQLite; ``db current`` says it."""

from __future__ import annotations

from archive.search.server_memory import advice, search_memory_advice
from archive.storage.database import Database
from tests.helpers.cli import run_cli

MB = 1024 * 1024


def test_tables_larger_than_the_shared_buffers_get_the_size_to_set():
    note = advice(128 * MB, 313 * MB, "128MB")
    assert note is not None
    assert "shared_buffers (128MB)" in note and "(313 MB)" in note
    assert "shared_buffers = '640MB'" in note  # twice the tables, in steps of 128 MB
    assert "shared_buffers = '256MB'" in advice(100 * MB, 101 * MB)
    assert advice(640 * MB, 313 * MB) is None
    assert advice(128 * MB, 128 * MB) is None


def test_the_check_reads_the_server_and_the_archive(db_url):
    with Database(db_url) as database, database.engine.connect() as conn:
        # a new archive's tables are a few pages: they fit in any server's buffers
        assert search_memory_advice(conn) is None
    current = run_cli("db", "current", "--db", db_url)
    assert current.returncode == 0, current.stderr.decode()
    [line] = current.stdout.decode().splitlines()  # no note
    assert line.startswith("current ")
