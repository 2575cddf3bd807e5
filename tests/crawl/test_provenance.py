"""WARC captures of a real crawl, revisits, raw HTML of a revision, re-extraction without
network, and verification of the capture files."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from dataclasses import replace

import pytest
from sqlalchemy import func, select, update
from warcio.archiveiterator import ArchiveIterator

from archive.search.filters import Filters
from archive.storage.database import Database
from archive.storage.models import Capture, Revision
from archive.webarchive.warc import check_file
from crawler.extraction import extract
from crawler.reextract import reextract
from tests.helpers.cli import run_cli
from tests.helpers.crawl_helpers import run_crawl
from tests.replica.site import ARCHIVED_PAGES, PREFIX, ReplicaServer, ReplicaSite


@pytest.fixture
def crawled(tmp_path, sqlite_url):
    """An archive after one crawl of the replica (and the live server, for comparisons)."""
    with ReplicaServer(ReplicaSite()) as server:
        result = run_crawl(sqlite_url, server.base + PREFIX)
        assert result.returncode == 0, result.stderr.decode()[-2000:]
        yield sqlite_url, server, tmp_path / "archive-warc"


def test_captures_are_valid_warc_linked_from_every_revision(crawled):
    db_url, server, warc_dir = crawled
    files = sorted(warc_dir.glob("nordarchive-*-1-*.warc.gz"))
    assert files, list(warc_dir.iterdir())
    kinds = []
    for path in files:
        count, problems = check_file(path)
        assert count > 0 and problems == []
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                kinds.append(record.rec_type)
                if record.rec_type == "response":
                    assert record.rec_headers.get_header("WARC-Payload-Digest").startswith("sha1:")
    assert kinds[0] == "warcinfo" and kinds.count("request") == kinds.count("response") + \
        kinds.count("revisit")
    # The standard tools read them: warcio check (digests) and warcio index (offsets).
    check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", *map(str, files)],
                           capture_output=True)
    assert check.returncode == 0, check.stdout + check.stderr
    index = subprocess.run([sys.executable, "-m", "warcio.cli", "index", str(files[0])],
                           capture_output=True, text=True)
    offsets = {json.loads(line)["offset"] for line in index.stdout.splitlines()}
    with Database(db_url) as db, db.session() as session:
        first_file = set(session.scalars(select(Capture.offset).where(
            Capture.warc_file == files[0].name)))
    assert {str(o) for o in first_file} <= offsets
    with Database(db_url) as db, db.session() as session:
        revisions = list(session.scalars(select(Revision)))
        assert revisions and all(r.capture_id for r in revisions)
    # The raw HTML of a revision is byte for byte what the portal served.
    story_url = server.site.url(server.site.paths["sv-ukraina"])
    raw = run_cli("show", story_url, "--revision", "1", "--raw", "--db", db_url)
    assert raw.returncode == 0, raw.stderr
    assert raw.stdout == server.site.pages[server.site.paths["sv-ukraina"]].body


def test_unchanged_pages_are_revisits_not_copies(crawled):
    db_url, server, warc_dir = crawled
    server.clear()
    assert run_crawl(db_url, server.base + PREFIX).returncode == 0
    article_urls = {server.site.url(p) for p in server.site.paths.values()}
    with Database(db_url) as db, db.session() as session:
        second = list(session.scalars(select(Capture).where(Capture.crawl_run_id == 2)))
        article_captures = [c for c in second if c.url in article_urls]
        assert article_captures  # re-checked articles were captured ...
        assert {c.kind for c in article_captures} == {"revisit"}  # ... as revisits
        assert all(c.refers_to_id for c in article_captures)
        assert {c.http_status for c in article_captures} <= {200, 304}
    size = sum(p.stat().st_size for p in warc_dir.glob("nordarchive-*-2-*.warc.gz"))
    first = sum(p.stat().st_size for p in warc_dir.glob("nordarchive-*-1-*.warc.gz"))
    assert size < first / 3


def test_reextraction_records_extractor_revisions_only_where_output_changed(crawled):
    db_url, server, warc_dir = crawled

    def stricter(html, url):
        """A rule that drops one more line: the "Ytterligare upplysningar" heading."""
        article = extract(html, url)
        kept = [p for p in article.paragraphs if p != "Ytterligare upplysningar"]
        return replace(article, text="\n\n".join(kept))

    with Database(db_url) as db:
        def count(kind=None):
            with db.session() as session:
                query = select(func.count()).select_from(Revision)
                if kind:
                    query = query.where(Revision.origin == kind)
                return session.scalar(query)

        before = count()
        dry = reextract(db, warc_dir, Filters(), dry_run=True, extractor=stricter, workers=2)
        assert (dry.examined, dry.changed) == (25 + len(ARCHIVED_PAGES), 1)
        assert "Ytterligare upplysningar" in dry.sample_diff
        # One process or several: the same reading, reported in the same order.
        assert reextract(db, warc_dir, Filters(), dry_run=True, extractor=stricter,
                         workers=1) == dry
        assert count() == before  # a dry run writes nothing
        unchanged = reextract(db, warc_dir, Filters(), extractor=extract)
        assert (unchanged.changed, count()) == (0, before)
        report = reextract(db, warc_dir, Filters(), extractor=stricter, workers=3)
        assert report.changed == 1 and count() == before + 1 and count("extractor") == 1
        assert reextract(db, warc_dir, Filters(), extractor=stricter).changed == 0
    url = server.site.url(server.site.paths["sv-finland-mitt-hem"])
    history = json.loads(run_cli("history", url, "--format", "json", "--db", db_url).stdout)
    assert [(r["origin"], r["change_kind"]) for r in history] == [
        ("site", "new"), ("extractor", "extractor:text")]
    site_only = json.loads(run_cli("history", url, "--origin", "site", "--format", "json",
                                       "--db", db_url).stdout)
    assert [r["number"] for r in site_only] == [1]
    # The shipped extractor keeps the heading: from the command line it would put it back.
    cli_dry = run_cli("reextract", "--dry-run", "--db", db_url)
    assert cli_dry.returncode == 0 and b"would change 1," in cli_dry.stdout
    assert b"+Ytterligare upplysningar" in cli_dry.stdout


def test_verify_reports_missing_and_stray_files(crawled):
    db_url, _server, warc_dir = crawled
    ok = run_cli("verify", "--db", db_url)
    assert ok.returncode == 0 and b" 0 problems, 0 orphans" in ok.stdout, ok.stdout
    files = sorted(warc_dir.glob("*.warc.gz"))
    (warc_dir / "stray.warc.gz").write_bytes(b"")
    files[0].unlink()
    result = run_cli("verify", "--db", db_url)
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    out = result.stdout.decode()
    assert f"WARC file missing: {files[0].name}" in out
    assert "orphan: WARC file not in the index: stray.warc.gz" in out
    raw = run_cli("show", "1", "--raw", "--db", db_url)
    assert raw.returncode == 1 and raw.stderr.decode().startswith("nordarchive: error:")


def _capture_of(db_url: str, url: str) -> Capture:
    with Database(db_url) as db, db.session() as session:
        return session.scalar(select(Capture).join(Revision, Revision.capture_id == Capture.id)
                              .where(Capture.url == url))


def _problems(db_url: str) -> list[str]:
    result = run_cli("verify", "--db", db_url)
    assert b"Traceback" not in result.stderr, result.stderr
    lines = result.stdout.decode().splitlines()
    assert (result.returncode == 0) == (lines[-1].endswith(" 0 problems, 0 orphans")), lines
    return [line for line in lines if line.startswith("problem:")]


def test_verify_finds_a_byte_flipped_inside_a_payload(crawled):
    """One byte of an article's HTML changed inside its record (gzip member recompressed, so
    the file still reads): the payload digest no longer matches, and only there."""
    db_url, server, warc_dir = crawled
    assert _problems(db_url) == []
    url = server.site.url(server.site.paths["sv-ukraina"])
    capture = _capture_of(db_url, url)
    path = warc_dir / capture.warc_file
    data = path.read_bytes()
    member = gzip.decompress(data[capture.offset:capture.offset + capture.length])
    at = member.rindex(b"</p>")  # inside the payload: the article's last paragraph
    flipped = member[:at] + bytes([member[at] ^ 0x20]) + member[at + 1:]
    new_member = gzip.compress(flipped)
    path.write_bytes(data[:capture.offset] + new_member + data[capture.offset + capture.length:])
    shift = len(new_member) - capture.length
    with Database(db_url) as db, db.session() as session:  # keep the later offsets right
        session.execute(update(Capture).where(Capture.warc_file == capture.warc_file,
                                              Capture.offset > capture.offset)
                        .values(offset=Capture.offset + shift))
        session.execute(update(Capture).where(Capture.id == capture.id)
                        .values(length=len(new_member)))
    problems = _problems(db_url)
    assert len(problems) == 2, problems
    assert any(f"payload digest mismatch in {capture.warc_file} at offset {capture.offset}" in p
               for p in problems), problems
    assert any(f"{capture.warc_file}: digest mismatch in {capture.record_id}" in p
               for p in problems), problems


def test_verify_finds_an_offset_that_points_at_another_record(crawled):
    db_url, server, _warc_dir = crawled
    first = _capture_of(db_url, server.site.url(server.site.paths["sv-ukraina"]))
    other = _capture_of(db_url, server.site.url(server.site.paths["sv-finland-mitt-hem"]))
    assert first.warc_file == other.warc_file
    with Database(db_url) as db, db.session() as session:
        session.execute(update(Capture).where(Capture.id == first.id)
                        .values(offset=other.offset))
    problems = _problems(db_url)
    assert problems == [f"problem: article {_article_of(db_url, first.id)} revision 1: offset "
                        f"{other.offset} of {first.warc_file} holds record {other.record_id}, "
                        f"not {first.record_id}"]
    with Database(db_url) as db, db.session() as session:  # mid-record: unreadable there
        session.execute(update(Capture).where(Capture.id == first.id)
                        .values(offset=first.offset + 7))
    problems = _problems(db_url)
    assert len(problems) == 1 and "no readable record" in problems[0], problems


def _article_of(db_url: str, capture_id: int) -> int:
    with Database(db_url) as db, db.session() as session:
        return session.scalar(select(Revision.article_id).where(
            Revision.capture_id == capture_id))
