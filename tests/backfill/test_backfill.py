"""History before the first crawl, end to end, as a user runs it: ``nordarchive backfill``
from replicas of the Internet Archive's Wayback CDX server and of Common Crawl, and
``nordarchive import`` of the same captures as WARC files, on SQLite and PostgreSQL.

The replicas serve the portal captured in two eras (2019 in one markup, 2021 in another): an
edit, a removal, a move, a template change and a chrome-only change (``tests/replica/eras``).
Whatever the source and whatever the order (backfill first or import first, twice), the
archive ends with one history: the edit a second revision dated 2021 with its diff, the removal
an event, the move one article with both URLs, no revision for markup or chrome."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import select

from archive.storage.database import Database
from archive.storage.models import Article, ArticleEvent, ArticleUrl, Revision
from tests.replica.eras import write_era_warcs
from tests.replica.webarchives import CommonCrawlReplica, IaWaybackReplica

FAST = ["--cdx-interval", "0", "--fetch-interval", "0"]


@pytest.fixture(scope="module")
def eras(tmp_path_factory):
    return write_era_warcs(tmp_path_factory.mktemp("eras"))


def run(cli, *args: str):
    result = cli(*args, timeout=300)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


def history(db_url: str) -> dict[str, dict]:
    """Each article by its URLs: its revisions in time order (time, title, text, change kind,
    lines), its events, its URLs; nothing that names who observed it or in which order."""
    with Database(db_url) as db, db.session() as session:
        found = {}
        for article in session.scalars(select(Article)):
            urls = sorted(session.scalars(select(ArticleUrl.normalized_url).where(
                ArticleUrl.article_id == article.id)))
            revisions = [(r.fetched_at.isoformat(), r.title, r.text, r.change_kind,
                          r.lines_added, r.lines_removed)
                         for r in session.scalars(select(Revision).where(
                             Revision.article_id == article.id)
                             .order_by(Revision.fetched_at, Revision.number))]
            events = [(e.kind, e.at.isoformat()) for e in session.scalars(
                select(ArticleEvent).where(ArticleEvent.article_id == article.id)
                .order_by(ArticleEvent.at, ArticleEvent.id))]
            found[urls[0]] = {"urls": urls, "revisions": revisions, "events": events,
                              "removed": article.removed_at is not None}
        return found


def of(found: dict[str, dict], url: str) -> dict:
    from archive.storage.urls import normalize_url

    key = normalize_url(url)
    return next(a for a in found.values() if key in a["urls"])


def assert_the_two_eras(found: dict[str, dict], eras) -> None:
    edited = of(found, eras.urls[2][eras.edited])
    assert [r[0][:10] for r in edited["revisions"]] == ["2019-03-14", "2021-06-02"]
    assert [r[3] for r in edited["revisions"]] == ["new", "text"]
    assert "fyra år" in edited["revisions"][1][2] and "tre år" in edited["revisions"][0][2]
    removed = of(found, eras.urls[1][eras.removed])
    assert removed["removed"] and [k for k, _ in removed["events"]] == ["removed"]
    moved = of(found, eras.moved_to)
    assert {*map(str.lower, moved["urls"])} >= {u.rstrip("/").lower() for u in
                                                (eras.moved_from, eras.moved_to)}
    assert len(moved["revisions"]) == 1  # one article, one text, two URLs
    for key in (eras.chrome_only, "sv-finland-mitt-hem"):  # markup and chrome: no revision
        assert len(of(found, eras.urls[2][key])["revisions"]) == 1
    assert not any("popnad" in u or "norden.org/sv" in u for a in found.values()
                   for u in a["urls"])  # out of scope: never archived


def test_backfill_from_the_wayback_replica_is_the_history_and_resumes(cli, db_url, eras,
                                                                       tmp_path):
    with IaWaybackReplica(eras, rate_limit_first=2, page_size=20) as ia:
        code, out, err = run(cli, "backfill", "--from", ia.base, "--db", db_url, *FAST)
        assert code == 0, err[-2000:]
        assert "backfill 1 finished: captures 58 (2019-03-14 to 2021-06-02), new 25, " \
               "revised 1, removed 1," in out, out
        assert [r.status for r in ia.requests[:2]] == [429, 429]  # waited out, then on
        assert {r.user_agent for r in ia.requests} == {ia.requests[0].user_agent}
        assert ia.requests[0].user_agent.startswith("nordarchive/")
        first = history(db_url)
        assert_the_two_eras(first, eras)
        asked = len(ia.requests)
        code, out, _ = run(cli, "backfill", "--from", ia.base, "--db", db_url, *FAST)
        assert code == 0 and "captures 0," in out and "already archived 58" in out, out
        assert not any("id_/" in r.path for r in ia.requests[asked:])  # no memento again
    assert history(db_url) == first
    # each backfilled revision names its memento, and its raw record is the archive's own
    edited = eras.urls[2][eras.edited]
    revisions = json.loads(run(cli, "history", edited, "--db", db_url, "--format", "json")[1])
    assert [r["source"] for r in revisions] == [
        f"{ia.base}/web/{stamp}/{edited}" for stamp in ("20190314100002", "20210602090002")]
    assert {r["origin"] for r in revisions} == {ia.base.split("://")[1]}
    raw = run(cli, "show", edited, "--raw", "--db", db_url)
    assert raw[0] == 0 and "fyra år" in raw[1]
    assert run(cli, "verify", "--db", db_url)[0] == 0


def test_import_gives_the_history_the_backfill_gives_in_any_order(cli, eras, tmp_path):
    warcs = [str(eras.warcs[2]), str(eras.warcs[1])]
    imported = f"sqlite:///{tmp_path / 'imported.db'}"
    code, out, err = run(cli, "import", *warcs, "--db", imported)
    assert code == 0, err[-2000:]
    assert "import 1 finished: captures 59 (2019-03-14 to 2021-06-02), new 25," in out, out
    assert run(cli, "import", *warcs, "--db", imported)[1].count("captures 0,") == 1
    # era 2 alone, then era 1: the older captures are placed before the newer ones
    stepwise = f"sqlite:///{tmp_path / 'stepwise.db'}"
    assert run(cli, "import", warcs[0], "--db", stepwise)[0] == 0
    assert run(cli, "import", warcs[1], "--db", stepwise)[0] == 0
    backfilled = f"sqlite:///{tmp_path / 'backfilled.db'}"
    with IaWaybackReplica(eras) as ia:
        assert run(cli, "backfill", "--from", ia.base, "--db", backfilled, *FAST)[0] == 0
    found = history(imported)
    assert_the_two_eras(found, eras)
    assert history(stepwise) == found
    # the same history as from the archive, but for the listing captured twice in 2019
    assert history(backfilled) == found


def test_backfill_from_the_common_crawl_replica(cli, eras, tmp_path, monkeypatch):
    db_url = f"sqlite:///{tmp_path / 'cc.db'}"
    with CommonCrawlReplica(eras) as cc:
        monkeypatch.setenv("NORDARCHIVE_COMMONCRAWL_INDEX", cc.base + "/")
        monkeypatch.setenv("NORDARCHIVE_COMMONCRAWL_DATA", cc.data_base)
        code, out, err = run(cli, "backfill", "--from", "commoncrawl", "--db", db_url, *FAST)
        assert code == 0, err[-2000:]
        assert any("Range" in r.headers for r in cc.requests if "/crawl-data/" in r.path)
    assert_the_two_eras(history(db_url), eras)


def test_an_archive_that_is_no_archive_is_one_line_and_changes_nothing(cli, eras, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'a.db'}"
    assert run(cli, "import", str(eras.warcs[1]), "--db", db_url)[0] == 0
    before = history(db_url)
    for knobs in ({"html_instead": True}, {"garbage": True}, {"always_429": True}):
        with IaWaybackReplica(eras, page_size=5, **knobs) as ia:
            code, out, err = run(cli, "backfill", "--from", ia.base, "--db", db_url, *FAST)
        assert code == 1, (knobs, out, err)
        (line,) = [x for x in err.splitlines() if x.strip()]
        assert line.startswith("nordarchive: error:") and "Traceback" not in err, (knobs, err)
        assert history(db_url) == before, knobs
    # mementos that are not what the index said (another URL's page) are refused, not stored
    with IaWaybackReplica(eras, wrong_memento=True) as ia:
        code, out, err = run(cli, "backfill", "--from", ia.base, "--db", db_url, *FAST,
                             "--until", "2020-01-01")
    assert code == 0 and "new 0, revised 0," in out and "refused 25," in out, (out, err)
    assert history(db_url) == before
    code, _, err = run(cli, "backfill", "--from", "ftp://nowhere", "--db", db_url)
    assert code == 1 and err.startswith("nordarchive: error: unknown archive"), err
    # a resume key that never ends: what came before it is kept, the loop is stopped
    with IaWaybackReplica(eras, page_size=5, endless_resume=True) as ia:
        code, out, err = run(cli, "backfill", "--from", ia.base, "--db", db_url, *FAST)
    assert code == 1 and "Traceback" not in err, (out, err)
    (line,) = [x for x in err.splitlines() if x.strip()]
    assert line.startswith("nordarchive: error: run ") and "advance" in line, line


def test_bad_files_are_one_line_and_change_nothing(cli, eras, tmp_path):
    import zipfile

    db_url = f"sqlite:///{tmp_path / 'a.db'}"
    assert run(cli, "import", str(eras.warcs[1]), "--db", db_url)[0] == 0
    before = history(db_url)
    good = eras.warcs[2].read_bytes()
    bad = {"random.warc.gz": bytes(range(256)) * 40,
           "truncated.warc.gz": good[: len(good) // 2],
           "empty.warc": b""}
    bomb = tmp_path / "bomb.wacz"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("archive/data.warc", b"\0" * (20 * 1024 * 1024))
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    for path in [*(tmp_path / n for n in bad), bomb, tmp_path / "missing.warc"]:
        code, out, err = run(cli, "import", str(eras.warcs[2]), str(path), "--db", db_url)
        assert code in (1, 2), (path.name, out, err)
        (line,) = [x for x in err.splitlines() if x.strip()]
        assert line.startswith("nordarchive: error:") and path.name in line, (path.name, err)
        assert history(db_url) == before, path.name  # era 2 was not taken in either


def test_warc_files_of_other_tools_and_our_own_wacz(cli, eras, tmp_path):
    from tests.replica.eras import write_heritrix_warc, write_wget_warc

    db_url = f"sqlite:///{tmp_path / 'tools.db'}"
    wget = write_wget_warc(tmp_path, eras.base).path
    heritrix = write_heritrix_warc(tmp_path, eras.base).path
    code, out, err = run(cli, "import", str(wget), str(heritrix), "--db", db_url)
    assert code == 0, err[-2000:]
    assert "new 0," not in out and "failed 0" in out, out
    with sqlite3.connect(tmp_path / "tools.db") as conn:
        origins = {row[0] for row in conn.execute("SELECT DISTINCT origin FROM captures")}
        dates = {row[0][:10] for row in conn.execute("SELECT fetched_at FROM revisions")}
    assert origins == {"import"} and dates <= {"2022-02-01", "2022-05-10", "2022-05-11"}
    # our own WACZ export, imported into a new archive, gives the same history
    wacz = tmp_path / "export.wacz"
    assert run(cli, "export", "--format", "wacz", "--output", str(wacz), "--db", db_url)[0] == 0
    again = f"sqlite:///{tmp_path / 'again.db'}"
    code, out, err = run(cli, "import", str(wacz), "--db", again)
    assert code == 0, err[-2000:]
    assert history(again) == history(db_url)


@pytest.fixture(scope="module")
def pywb(eras, tmp_path_factory):
    """Real pywb (2.10, in a venv of its own) serving the collection ``portal`` made of both
    era WARC files."""
    from tests.replica.webarchives import PywbCollections, shared_pywb

    with PywbCollections.of_eras(shared_pywb(tmp_path_factory),
                                 tmp_path_factory.mktemp("pywb"), eras) as collections:
        yield collections


@pytest.mark.timeout(1200)  # installing pywb on a busy machine
def test_backfill_from_a_pywb_collection(cli, eras, pywb, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'pywb.db'}"
    collection = f"{pywb.base}/portal/"
    code, out, err = run(cli, "backfill", "--from", collection, "--db", db_url, *FAST)
    assert code == 0, err[-2000:]
    found = history(db_url)
    assert_the_two_eras(found, eras)
    edited = eras.urls[2][eras.edited]
    revisions = json.loads(run(cli, "history", edited, "--db", db_url, "--format", "json")[1])
    assert revisions[1]["source"] == f"{pywb.base}/portal/20210602090002/{edited}"
    # the same history as the IA's API gives for the same captures
    ia_db = f"sqlite:///{tmp_path / 'ia.db'}"
    with IaWaybackReplica(eras) as ia:
        assert run(cli, "backfill", "--from", ia.base, "--db", ia_db, *FAST)[0] == 0
    assert history(ia_db) == found


def test_the_window_and_stats_tell_unseen_from_unchanged(cli, eras, tmp_path):
    """Evidence, not only changes: each article lists its observations, and the archive its
    captures per month and origin (CLI and web window)."""
    from archive.web import data

    db_url = f"sqlite:///{tmp_path / 'a.db'}"
    assert run(cli, "import", str(eras.warcs[1]), str(eras.warcs[2]), "--db", db_url)[0] == 0
    stats = json.loads(run(cli, "stats", "--db", db_url, "--format", "json")[1])
    assert stats["captures_by_month"] == [
        {"month": "2019-03", "origin": "import", "captures": 29},
        {"month": "2021-06", "origin": "import", "captures": 30}]
    assert "captures by month: 2019-03 import 29, 2021-06 import 30" in run(
        cli, "stats", "--db", db_url)[1]
    edited = eras.urls[2][eras.edited]
    shown = json.loads(run(cli, "show", edited, "--db", db_url, "--format", "json")[1])
    assert [(o["at"][:10], o["origin"], o["status"]) for o in shown["observed"]] == [
        ("2019-03-14", "import", 200), ("2021-06-02", "import", 200)]
    with Database(db_url) as db:
        assert data.chart_data(db)["captures"] == stats["captures_by_month"]
        page = data.article(db, shown["id"], None)
        revision = data.revision(db, shown["id"], page["history"][-1]["number"], None)
    assert [o["origin"] for o in page["observed"]] == ["import", "import"]
    assert revision["origin"] == "import" and revision["source"].startswith("era2-2021.warc.gz#")


def test_an_import_waits_for_no_crawl_it_takes_the_crawl_lock(cli, eras, tmp_path):
    from crawler.lock import CrawlLock

    db_url = f"sqlite:///{tmp_path / 'a.db'}"
    lock = CrawlLock(db_url).acquire()  # a crawl running on this archive
    try:
        code, out, err = run(cli, "import", str(eras.warcs[1]), "--db", db_url)
    finally:
        lock.release()
    assert code == 3 and out == "" and "exiting (code 3)" in err, (out, err)
    assert run(cli, "import", str(eras.warcs[1]), "--db", db_url)[0] == 0
