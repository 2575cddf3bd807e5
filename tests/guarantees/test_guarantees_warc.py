"""One archive, one writer per WARC file: a file is created exclusively (a second writer with
the same name prefix starts the next file, never appends), and ``verify`` reports every
record, file or appended part that another archive's writer made."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select, update

from archive.storage.database import Database
from archive.storage.models import Capture
from archive.webarchive.warc import RotatingWarcWriter, file_prefix, inspect_file
from tests.helpers.cli import run_cli
from tests.helpers.crawl_helpers import run_crawl
from tests.replica import content
from tests.replica.site import PREFIX
from tests.replica.tiny import tiny_portal

T = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def write_one(folder, prefix: str, archive_id: str, url: str):
    writer = RotatingWarcWriter(folder, prefix, archive_id=archive_id)
    written = writer.write(url, 200, "OK", [("Content-Type", "text/html")],
                           b"<html><body><p>Another writer's page.</p></body></html>", [], T)
    writer.close()
    return written


def test_a_second_writer_never_appends_to_a_file(tmp_path):
    archive_id = str(uuid.uuid4())
    prefix = file_prefix(archive_id, 1)
    first = write_one(tmp_path, prefix, archive_id, "https://a.example/1")
    before = (tmp_path / first.warc_file).read_bytes()
    second = write_one(tmp_path, prefix, archive_id, "https://a.example/2")
    assert second.warc_file != first.warc_file
    assert (tmp_path / first.warc_file).read_bytes() == before
    for name in (first.warc_file, second.warc_file):
        found = inspect_file(tmp_path / name)
        assert (found.records, found.problems, found.archive_id) == (3, [], archive_id)
    # A file is closed at NORDARCHIVE_WARC_MAX_BYTES and the next one begun.
    writer = RotatingWarcWriter(tmp_path / "small", "small", max_bytes=1, archive_id=archive_id)
    names = {writer.write(f"https://a.example/{n}", 200, "OK", [], b"x", [], T).warc_file
             for n in range(2)}
    writer.close()
    assert names == {"small-00000.warc.gz", "small-00001.warc.gz"}


def problems(db_url: str, warc_dir) -> list[str]:
    result = run_cli("verify", "--db", db_url, "--warc-dir", str(warc_dir))
    assert b"Traceback" not in result.stderr, result.stderr
    lines = result.stdout.decode().splitlines()
    found = [line.removeprefix("problem: ") for line in lines if line.startswith("problem:")]
    assert result.returncode == (1 if found else 0), lines
    return found


def test_verify_reports_what_another_archives_writer_wrote(tmp_path, sqlite_url):
    warc = tmp_path / "warc"
    story = content.STORIES[0]
    with tiny_portal([story]) as server:
        result = run_crawl(sqlite_url, server.base + PREFIX, "--set",
                           f"NORDARCHIVE_WARC_DIR={warc}")
        assert result.returncode == 0, result.stderr.decode()[-2000:]
        url = server.site.url(server.site.paths[story.key])
    # Another archive's file in the same folder is left alone.
    stranger = str(uuid.uuid4())
    write_one(warc, file_prefix(stranger, 1), stranger, url)
    assert problems(sqlite_url, warc) == []
    with Database(sqlite_url) as db, db.session() as session:
        ours = db.archive_id
        capture = session.scalar(select(Capture).where(Capture.url == url))
    path = warc / capture.warc_file
    clean = path.read_bytes()

    # A record of another writer appended to our file, without its warcinfo.
    other = tmp_path / "other"
    foreign = write_one(other, file_prefix(str(uuid.uuid4()), 1), "x", url)
    foreign_bytes = (other / foreign.warc_file).read_bytes()
    record = foreign_bytes[foreign.offset:foreign.offset + foreign.length]
    path.write_bytes(clean + record)
    found = problems(sqlite_url, warc)
    assert len(found) == 1 and found[0].startswith(
        f"{capture.warc_file}: record {foreign.record_id} was written by another writer"), found

    # ... and the index pointing at it.
    with Database(sqlite_url) as db, db.session() as session:
        session.execute(update(Capture).where(Capture.id == capture.id).values(
            offset=len(clean), length=foreign.length, record_id=foreign.record_id,
            payload_digest=foreign.payload_digest))
    found = problems(sqlite_url, warc)
    assert any(f"{capture.warc_file} at offset {len(clean)} holds a record of another writer"
               in line for line in found), found

    # Another writer's whole file appended (its warcinfo too): two writers in one file.
    path.write_bytes(clean + foreign_bytes)
    assert any("a second warcinfo record" in line and "another writer appended" in line
               for line in problems(sqlite_url, warc))

    # A file named for this archive that another archive's writer made.
    path.write_bytes(clean)
    mine = file_prefix(ours, 99) + "-00000.warc.gz"
    (warc / mine).write_bytes(foreign_bytes)
    assert f"{mine}: written for archive x, not for this one ({ours})" in [
        line for line in problems(sqlite_url, warc) if line.startswith(mine)]
