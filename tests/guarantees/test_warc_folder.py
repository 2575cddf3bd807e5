"""Where a PostgreSQL archive's captures go: its own folder in the user's data directory,
named by the archive's identity, never a folder beside the working directory named after the
database (two archives crawled from one directory must not share files)."""

from __future__ import annotations

import os
from pathlib import Path

from archive.storage.database import Database
from archive.webarchive.warc import warc_dir_for


def test_a_postgresql_archives_captures_go_to_the_users_data_directory(pg_url):
    with Database(pg_url) as db:
        archive_id = db.archive_id
    folder = warc_dir_for(pg_url)
    assert folder.name == f"warc-{archive_id}"
    assert folder.is_absolute() and folder.is_relative_to(Path(os.environ["XDG_DATA_HOME"]))
