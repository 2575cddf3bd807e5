"""One capture at a time into the archive, as a backfill and an import take them: what each
kind of answer becomes (a tally key the summary line counts) and what the copy keeps."""

from __future__ import annotations

import os
import signal
from datetime import UTC, datetime

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.ingest.runs import start_run
from archive.read.queries import show
from archive.storage.database import ArchiveError, Database
from crawler.backfill.observe import Observation, Observer
from crawler.backfill.runs import Interrupted, interruptible, run_locked
from crawler.scope import Scope
from tests.unit.test_backfill_warc_files import write_response, write_warc

BASE = "https://nordicwelfare.org/integration-norden/"
URL = BASE + "nyheter/sprakcafeer-i-malmo/"
TEXT = " ".join(["Språkcaféerna i Malmö samlar nyanlända och volontärer varje vecka för att "
                 "öva svenska i vardagliga samtal om arbete, skola och bostad."] * 6)
ARTICLE = (f'<html lang="sv"><head><title>Språkcaféer i Malmö</title>'
           f'<meta property="og:type" content="article"></head><body><main><article>'
           f'<h1>Språkcaféer i Malmö</h1><time datetime="2020-03-01">1 mars 2020</time>'
           f'<p>{TEXT}</p><p>{TEXT}</p></article></main></body></html>').encode()


def seen(url: str, status: int, day: int, body: bytes = b"", **headers: str) -> Observation:
    return Observation(url=url, status=status, captured_at=datetime(2020, 3, day, tzinfo=UTC),
                       headers=(("Content-Type", "text/html; charset=utf-8"),
                                *headers.items()),
                       body=body, origin="import", source=f"test.warc#{url}@{day}")


@pytest.fixture
def observer(tmp_path):
    with Database(f"sqlite:///{tmp_path / 'archive.db'}") as db:
        run = start_run(db, [BASE], kind="import")
        with Observer(db, tmp_path / "warc", run, Scope.from_start_urls([BASE])) as taking:
            yield taking


def test_a_410_capture_removes_the_article_as_a_404_does(observer):
    assert observer.take(seen(URL, 200, 1, ARTICLE)) == "new"
    assert observer.take(seen(URL, 410, 9)) == "removed"
    assert show(observer.db, URL)["removed"].startswith("2020-03-09")


def test_the_copy_keeps_the_headers_that_still_describe_the_body(observer, tmp_path):
    observer.take(seen(URL, 200, 1, ARTICLE, **{
        "Content-Encoding": "gzip", "Content-Length": "17", "Transfer-Encoding": "chunked",
        "Last-Modified": "Sun, 01 Mar 2020 10:00:00 GMT"}))
    observer.close()
    [path] = (tmp_path / "warc").glob("*.warc.gz")
    with open(path, "rb") as handle:
        [names] = [[k.lower() for k, _ in record.http_headers.headers]
                   for record in ArchiveIterator(handle) if record.rec_type == "response"]
    assert names == ["content-type", "last-modified"]  # the body is stored whole, decoded


def test_a_redirect_out_of_the_portal_is_refused_without_looking_for_its_target(observer):
    def follow(url, at):
        raise AssertionError(f"looked for {url}")

    away = seen(URL, 301, 2, Location="https://elsewhere.example/page")
    assert observer.take(away, follow) == "refused"
    assert observer.take(seen(BASE + "gammal/", 301, 3, Location=URL)) == "refused"  # no follow


def test_a_section_page_without_article_marks_is_a_listing_not_a_failure(observer):
    short = b'<html lang="sv"><body><h1>Nyheter</h1><p>Senaste nytt.</p></body></html>'
    assert observer.take(seen(BASE + "nyheter/", 200, 4, short)) == "listing"
    search = '<html lang="sv"><body><h1>Sök</h1><p>Inga träffar.</p></body></html>'.encode()
    assert observer.take(seen(BASE + "sok/?q=arbete", 200, 5, search)) == "listing"
    assert observer.tally.counts["failed"] == 0


def test_sigterm_stops_the_work_between_observations():
    with pytest.raises(Interrupted, match="SIGTERM"), interruptible():
        os.kill(os.getpid(), signal.SIGTERM)  # the handler raises at the next instruction
        for _ in range(1000):
            pass


def test_a_run_whose_work_fails_is_recorded_failed_with_a_non_zero_exit(tmp_path):
    def work(db, run_id, tally):
        raise ArchiveError("the WARC folder cannot be written")

    result = run_locked(f"sqlite:///{tmp_path / 'archive.db'}", "import", [BASE], work)
    assert (result.status, result.message) == ("failed", "the WARC folder cannot be written")
    assert result.exit_code != 0
    with Database(f"sqlite:///{tmp_path / 'archive.db'}") as db, db.session() as session:
        from archive.storage.models import CrawlRun

        assert session.get(CrawlRun, result.run_id).status == "failed"


def test_import_takes_the_pages_of_the_scope_it_is_given_and_shows_progress(cli, tmp_path):
    page = "https://blog.example.org/posts/sprakcafeer-i-malmo/"
    warc = write_warc(tmp_path / "blog.warc.gz", lambda writer: write_response(
        writer, page, ARTICLE, [("Content-Type", "text/html")], "2020-03-01T10:00:00Z"))
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    shown = cli("import", str(warc), "--db", db, "--start-url", "https://blog.example.org/posts/",
                "--progress")
    assert shown.returncode == 0, shown.stderr.decode()
    assert "new 1," in shown.stdout.decode() and "refused 0," in shown.stdout.decode()
    assert " 1/1 records " in shown.stderr.decode()  # the bar counts WARC records
    quiet = cli("import", str(warc), "--db", f"sqlite:///{tmp_path / 'other.db'}",
                "--start-url", "https://blog.example.org/posts/", "--quiet")
    assert quiet.returncode == 0 and "records" not in quiet.stderr.decode()


def test_a_capture_older_than_a_failed_one_and_the_first_revision_is_placed_first(observer):
    """Captures taken in any order: the article at day 5, a capture at day 3 that could not be
    read as the article, then an older version at day 1. The day-1 version comes first in the
    history, the day-5 one stays current."""
    from archive.read.queries import history

    wall = ('<html lang="sv"><body><div class="cookie">Vi använder kakor. Godkänn alla kakor '
            'för att fortsätta.</div></body></html>').encode()
    older = ARTICLE.replace(b"<p>", b"<p>En tidigare version. ", 1)
    assert observer.take(seen(URL, 200, 5, ARTICLE)) == "new"
    assert observer.take(seen(URL, 200, 3, wall)) in ("failed", "listing", "refused")
    assert observer.take(seen(URL, 200, 1, older)) in ("revised", "new")
    revisions = history(observer.db, URL)
    assert [r["fetched_at"][:10] for r in revisions] == ["2020-03-01", "2020-03-05"]
    assert show(observer.db, URL)["text"].startswith("Språkcaféerna")


def test_an_older_capture_of_the_same_text_moves_the_revision_back_to_it(observer):
    """The same article captured earlier than the revision that has it: the revision starts
    then, and its capture (what `show --raw` prints) is the earlier one."""
    from archive.read.queries import history

    assert observer.take(seen(URL, 200, 5, ARTICLE)) == "new"
    later = history(observer.db, URL)[0]["capture_id"]
    assert observer.take(seen(URL, 200, 1, ARTICLE)) == "unchanged"
    [revision] = history(observer.db, URL)
    assert revision["fetched_at"].startswith("2020-03-01")
    assert revision["capture_id"] not in (None, later)
    assert revision["source"].endswith("@1")  # the day-1 record
