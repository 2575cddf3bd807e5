"""``nordarchive serve`` in a real browser: the replica crawled twice (one article edited, one
removed), served by the real command in a subprocess on loopback, every page loaded in
headless Chromium (Debian's, driven by Playwright), the archive unchanged afterwards."""

from __future__ import annotations

import hashlib
import json
import re
import signal
import socket
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.helpers.crawl_helpers import cli_json, run_crawl
from tests.helpers.net import free_port
from tests.helpers.web import get, serving
from tests.replica import content
from tests.replica.site import PREFIX, ReplicaServer, ReplicaSite

ATOM = "{http://www.w3.org/2005/Atom}"
EDITED = content.BY_KEY["sv-sprakkafe"]
OLD_PARAGRAPH = EDITED.paragraphs[1]
NEW_PARAGRAPH = OLD_PARAGRAPH.replace("tre år", "fyra år")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """The replica crawled, ``sv-sprakkafe`` edited and ``en-forum`` removed, crawled again."""
    folder = tmp_path_factory.mktemp("web")
    db = folder / "archive.db"
    with ReplicaServer(ReplicaSite()) as portal:
        start = portal.base + PREFIX
        assert run_crawl(f"sqlite:///{db}", start).returncode == 0
        site = portal.site
        site.edit("sv-sprakkafe", paragraphs=(EDITED.paragraphs[0], NEW_PARAGRAPH,
                                              EDITED.paragraphs[2]))
        site.remove("en-forum")
        site.render()
        result = run_crawl(f"sqlite:///{db}", start)
        assert result.returncode == 0, result.stderr.decode()[-3000:]
        edited_url = site.url(site.paths["sv-sprakkafe"])
        removed_url = site.url(site.paths["en-forum"])
    edited = cli_json(f"sqlite:///{db}", "show", edited_url)
    removed = cli_json(f"sqlite:///{db}", "show", removed_url)
    return {"db": db, "edited": edited, "removed": removed}


@pytest.fixture(scope="module")
def server(crawled):
    before = digest(crawled["db"])
    with serving(str(crawled["db"]), crawled["db"].parent / "serve.log") as (base, process):
        yield base
    assert digest(crawled["db"]) == before, "serving changed the archive file"


def test_start_page_has_search_numbers_changes_charts_and_the_feed_link(server, crawled, page):
    page.goto(server + "/")
    assert page.locator("form[action='/search'] input[name=q]").count() == 1
    feed = page.locator("link[rel=alternate][type='application/atom+xml']")
    assert feed.get_attribute("href") == "/changes.atom"
    numbers = page.locator(".na-numbers").inner_text()
    # The replica's 25 articles, its theme and about pages.
    assert "27 articles" in numbers and "28 revisions" in numbers and "1 removed" in numbers
    latest = page.locator(".na-changes li").all_inner_texts()
    assert any("revised" in line and EDITED.title in line for line in latest), latest
    assert any("removed" in line for line in latest), latest
    page.wait_for_selector("figure[data-vega-chart] svg")
    assert page.locator("figure[data-vega-chart] svg").count() == 2
    page.screenshot(path=str(crawled["db"].parent / "start.png"), full_page=True)


def test_search_finds_what_the_cli_finds_and_filters(server, crawled, page):
    query = "språkkaféer"
    page.goto(server + "/search?" + urllib.parse.urlencode({"q": query}))
    hits = page.locator(".na-hit > a")
    titles = hits.all_inner_texts()
    assert EDITED.title in titles
    assert page.locator(".na-snippet mark").first.inner_text().lower() == query
    ids = [int(href.rsplit("/", 1)[1]) for href in
           (hits.nth(i).get_attribute("href") for i in range(hits.count()))]
    assert ids == [row["id"] for row in cli_json(str(crawled["db"]), "search", query)]
    page.goto(server + "/search?" + urllib.parse.urlencode({"q": query, "lang": "en"}))
    assert page.locator(".na-hit").count() == 0
    assert page.locator(".na-nohits").count() == 1
    # A facet of page kinds over the matches; following one filters the hits to that kind.
    page.goto(server + "/search?" + urllib.parse.urlencode({"q": "bostadsfrågor"}))
    facet = page.locator(".na-facet").inner_text()
    assert facet.startswith("kind: ") and "theme (1)" in facet, facet
    with page.expect_navigation():
        page.locator(".na-facet a", has_text="theme").click()
    assert "kind=theme" in page.url
    assert page.locator(".na-hit > a").all_inner_texts() == ["Bostad"]
    assert page.locator("select[name=kind]").input_value() == "theme"
    status, _, body = get(server + "/search?q=x&kind=listing")
    assert status == 400 and b"kind" in body


def test_search_output_is_escaped(server, page):
    attack = '<script>alert(1)</script><img src=x onerror=alert(2)> flyktingar'
    page.goto(server + "/search?" + urllib.parse.urlencode({"q": attack}))
    assert page.locator("input[name=q]").input_value() == attack
    assert page.locator("img[src=x]").count() == 0  # shown as text, never as markup
    status, _, body = get(server + "/search?" + urllib.parse.urlencode({"q": ""}))
    assert status == 200 and b"na-hit" not in body
    status, _, body = get(server + "/search?q=x&since=yesterday")
    assert status == 400 and b"not a date" in body


def test_article_page_shows_both_revisions_and_the_diff(server, crawled, page):
    article_id = crawled["edited"]["id"]
    page.goto(f"{server}/article/{article_id}")
    assert page.locator("h1").inner_text() == EDITED.title
    assert NEW_PARAGRAPH in page.locator(".na-text").inner_text()
    revisions = page.locator(".na-revision h3").all_inner_texts()
    assert len(revisions) == 2
    assert "Revision 2" in revisions[0] and "text" in revisions[0]
    assert "Revision 1" in revisions[1] and "new" in revisions[1]
    # What changed: one word for another, an edit.
    assert page.locator("#revision-2 .na-significance").inner_text() == "edit"
    assert page.locator("#revision-2 .na-what-changed").inner_text().startswith(
        "edit: text; +1 -1 words")
    assert page.locator("#revision-1 .na-significance").count() == 0
    # Side by side: the changed words marked in the changed paragraph.
    row = page.locator("#revision-2 tr.na-replace")
    assert row.count() == 1
    assert row.locator("del").all_inner_texts() == ["tre"]
    assert row.locator("ins").all_inner_texts() == ["fyra"]
    shown = page.locator(".na-urls").inner_text()
    assert crawled["edited"]["urls"] and all(url in shown for url in crawled["edited"]["urls"])
    assert page.locator("#revision-2 a.na-raw").count() == 1
    page.screenshot(path=str(crawled["db"].parent / "article.png"), full_page=True)
    # Inline: the stored unified diff.
    page.goto(f"{server}/article/{article_id}?view=inline")
    inline = page.locator("#revision-2 pre.na-inline")
    assert inline.locator(".na-del").all_inner_texts()[-1] == "-" + OLD_PARAGRAPH
    assert inline.locator(".na-add").all_inner_texts()[-1] == "+" + NEW_PARAGRAPH


def test_revision_page_and_its_raw_capture(server, crawled, page):
    article_id = crawled["edited"]["id"]
    page.goto(f"{server}/article/{article_id}/revision/1")
    assert OLD_PARAGRAPH in page.locator(".na-text").inner_text()
    assert page.locator("table.na-diff").count() == 0
    page.goto(f"{server}/article/{article_id}/revision/2")
    assert NEW_PARAGRAPH in page.locator(".na-text").inner_text()
    assert page.locator("tr.na-replace ins").all_inner_texts() == ["fyra"]
    page.click("a.na-raw")
    assert page.locator("h1").first.inner_text() == EDITED.title
    status, headers, body = get(f"{server}/article/{article_id}/revision/2/raw")
    assert status == 200 and "sandbox" in headers["Content-Security-Policy"]
    assert "fyra år".encode() in body
    assert get(f"{server}/article/{article_id}/revision/3")[0] == 404
    assert get(f"{server}/article/999999")[0] == 404


def test_changes_feed_is_atom_with_the_edit_inside(server, crawled):
    status, headers, body = get(server + "/changes.atom")
    assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(body)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}").text
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    ids = []
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}").text, name
        assert entry.find(f"{ATOM}link").get("href").startswith(server + "/article/")
        ids.append(entry.find(f"{ATOM}id").text)
    assert len(ids) == len(set(ids))
    updated = [entry.find(f"{ATOM}updated").text for entry in entries]
    assert updated == sorted(updated, reverse=True)  # newest first
    revised = [e for e in entries if e.find(f"{ATOM}title").text == f"Revised: {EDITED.title}"]
    assert len(revised) == 1
    assert "+" + NEW_PARAGRAPH in revised[0].find(f"{ATOM}content").text
    assert any(e.find(f"{ATOM}title").text.startswith("Removed: ") for e in entries)
    # Filters: English only.
    english = ET.fromstring(get(server + "/changes.atom?lang=en")[2])
    languages = {c.get("term") for e in english.findall(f"{ATOM}entry")
                 for c in e.findall(f"{ATOM}category") if c.get("label") == "language"}
    assert languages == {"en"}


def test_changes_page_lists_new_revised_and_removed(server, page):
    page.goto(server + "/changes")
    kinds = page.locator(".na-change-entry .na-badge").all_inner_texts()
    assert {"new", "revised", "removed"} <= set(kinds)
    assert NEW_PARAGRAPH in page.locator(".na-kind-revised pre").inner_text()
    page.goto(server + "/changes?tag=Arbete")
    titles = page.locator(".na-change-entry h3 a").all_inner_texts()
    assert EDITED.title in titles and len(titles) < 26
    # Only the edits: the form keeps the choice, removals and new articles are left out.
    page.goto(server + "/changes")
    page.select_option("select[name=significance]", "edit")
    page.click(".na-search button[type=submit]")
    assert page.locator(".na-change-entry h3 a").all_inner_texts() == [EDITED.title]
    assert page.locator("select[name=significance]").input_value() == "edit"
    page.goto(server + "/changes?what=title")
    assert page.locator(".na-change-entry").count() == 0
    assert "No changes for these filters" in page.locator("body").inner_text()


def test_stats_page_draws_its_charts_from_the_package(server, page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server + "/stats")
    page.wait_for_selector("figure[data-vega-chart] svg")
    assert page.locator("figure[data-vega-chart] svg").count() == 3
    assert page.locator("figure[data-vega-chart] svg .mark-rect path").count() > 0
    assert all(url.startswith(server) for url in requests), requests  # nothing from outside


def test_sql_writes_through_the_web_are_refused(server, crawled, page):
    counts = cli_json(f"sqlite:///{crawled['db']}", "stats")
    for sql in ("DELETE FROM articles",
                "WITH x AS (SELECT 1) DELETE FROM articles",
                "UPDATE articles SET title = 'x'",
                "INSERT INTO tags(name) VALUES ('x')"):
        page.goto(server + "/archive?" + urllib.parse.urlencode({"sql": sql}))
        assert page.locator("table.rows-and-columns").count() == 0, sql
        status, _, body = get(server + "/archive.json?" + urllib.parse.urlencode({"sql": sql}))
        assert status >= 400 and json.loads(body)["ok"] is False, (sql, body[:300])
    # Datasette's own pages for analysts still work.
    page.goto(server + "/archive/articles")
    assert page.locator("table.rows-and-columns tbody tr").count() == 27
    page.goto(server + "/archive?" + urllib.parse.urlencode(
        {"sql": "SELECT count(*) AS n FROM revisions"}))
    assert page.locator("td.col-n").inner_text() == "28"
    assert cli_json(f"sqlite:///{crawled['db']}", "stats") == counts


def test_a_postgresql_archive_is_served_through_a_snapshot(pg_url, tmp_path, page):
    """Articles ingested into the real PostgreSQL server (one revised), served: the page is a
    fresh SQLite snapshot and says so."""
    from archive.ingest.articles import ingest
    from archive.storage.database import Database
    from tests.helpers.archive_data import fetch_of, record_of, url_of

    stories = [EDITED, *content.STORIES[:4]]
    with Database(pg_url) as db:
        for story in stories:
            ingest(db, record_of(story), fetch_of(url_of(story)))
        revised = record_of(EDITED, text="\n\n".join(
            (EDITED.paragraphs[0], NEW_PARAGRAPH, EDITED.paragraphs[2])))
        article_id = ingest(db, revised, fetch_of(url_of(EDITED), minutes=60)).article_id
    log = tmp_path.parent / f"{tmp_path.name}-serve.log"
    with serving(pg_url, log, cwd=tmp_path) as (base, process):
        page.goto(f"{base}/article/{article_id}")
        note = page.locator(".na-snapshot").inner_text()
        assert "snapshot of postgresql" in note.lower() and "UTC" in note
        assert page.locator(".na-revision").count() == 2
        assert page.locator("#revision-2 tr.na-replace ins").all_inner_texts() == ["fyra"]
        page.goto(base + "/search?q=språkkaféer")
        assert page.locator(".na-hit > a").all_inner_texts() == [EDITED.title]
        page.goto(base + "/archive")
        assert "snapshot of postgresql" in page.locator("body").inner_text().lower()
    assert list(tmp_path.iterdir()) == []  # the snapshot was a temporary file, now gone


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return connection.execute(sql).fetchall()


def search_ids(db: Path, query: str) -> list[int]:
    return [row["id"] for row in cli_json(str(db), "search", query)]


def test_sqlite_export_is_a_complete_archive_with_the_same_schema(crawled, tmp_path, cli):
    target = tmp_path / "copy.db"
    result = cli("export", "--db", str(crawled["db"]), "--format", "sqlite", "--output",
                 str(target))
    assert result.returncode == 0, result.stderr.decode()
    assert schema(target) == schema(crawled["db"])
    assert table_counts(target) == table_counts(crawled["db"])
    identity = "SELECT uuid FROM archive_identity"
    assert rows(target, identity) == rows(crawled["db"], identity)  # the same archive
    assert search_ids(target, "språkkaféer") == search_ids(crawled["db"], "språkkaféer")
    again = cli("export", "--db", str(crawled["db"]), "--format", "sqlite", "--output",
                str(target))
    assert again.returncode == 1 and again.stderr.decode().startswith("nordarchive: error:")
    assert again.stderr.decode().count("\n") == 1
    refused = cli("export", "--db", str(crawled["db"]), "--format", "sqlite", "--lang", "sv",
                  "--output", str(tmp_path / "other.db"))
    assert refused.returncode == 1 and not (tmp_path / "other.db").exists()


def schema(path: Path) -> dict[tuple[str, str], list[str]]:
    """Every table, index and trigger with its definition's lines (in any order: SQLite keeps
    a rebuilt table's constraints in the order Alembic's batch mode happened to emit them)."""
    import sqlite3

    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        return {(kind, name): sorted(line.strip().rstrip(",") for line in (sql or "").splitlines())
                for kind, name, sql in connection.execute(
                    "SELECT type, name, sql FROM sqlite_master")}


def table_counts(path: Path) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        names = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'article_fts_%' AND name NOT LIKE 'article_pairs_%'")]
        # (FTS5's own segments differ by history)
        return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                for name in names}


def test_serve_refuses_a_missing_archive_and_a_taken_port(tmp_path, cli):
    result = cli("serve", "--db", str(tmp_path / "none.db"), "--port", str(free_port()))
    assert result.returncode == 1
    assert result.stderr.decode().startswith("nordarchive: error: no archive at")
    assert not (tmp_path / "none.db").exists()  # serving never creates an archive
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = cli("serve", "--db", str(tmp_path / "none.db"), "--port",
                     str(taken.getsockname()[1]))
    assert result.returncode == 1 and b"cannot serve on 127.0.0.1" in result.stderr


# --- issue 20: a quiet, honest console; Norwegian filters; the snapshot cleaned up -------------

def post(url: str, body: bytes = b"", content_type: str = "application/x-www-form-urlencoded"
         ) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_console_logs_each_request_and_errors_are_answers_not_tracebacks(server, crawled):
    log = crawled["db"].parent / "serve.log"
    answers = {"/nope": 404, "/article/99999999": 404, "/archive/nope": 404,
               "/archive?sql=selec": 400, "/search?q=x&since=yesterday": 400}
    for path, status in answers.items():
        code, _, body = get(server + path)
        assert code == status, (path, code)
        page = body.decode()
        # The archive's own navigation bar, as on every page.
        assert 'class="na-nav"' in page and 'href="/changes"' in page, (path, page[:500])
    for path in ("/archive/tags", "/archive/tags/-/insert", "/archive/articles/1/-/delete"):
        code, body = post(server + path, b'{"row": {"name": "x"}}', "application/json")
        assert code == 405 and b"read-only" in body, (path, code, body[:300])
    assert post(server + "/archive/tags")[0] == 405
    assert get(server + "/")[0] == 200
    time.sleep(0.5)  # the access line is written once the answer has gone out
    said = log.read_text()
    assert "Traceback" not in said and "│" not in said, said[-3000:]
    lines = said.splitlines()
    for path, status in [*answers.items(), ("/archive/tags/-/insert", 405), ("/", 200)]:
        pattern = re.compile(rf"^\S+Z (GET|POST) {re.escape(path)} {status} \d+ ms$")
        assert any(pattern.match(line) for line in lines), (path, lines[-20:])


def test_norwegian_filter_in_search_changes_and_feed(server):
    norwegian = [s for s in content.STORIES if s.lang in ("nb", "nn")]
    code, _, body = get(server + "/search?" + urllib.parse.urlencode(
        {"q": "nordisk", "lang": "no"}))
    assert code == 200 and content.BY_KEY["no-forum"].title in body.decode()
    code, _, body = get(server + "/changes?lang=no")
    assert code == 200 and all(s.title in body.decode() for s in norwegian), body[:300]
    code, _, body = get(server + "/changes.atom?lang=nb")
    titles = [e.find(f"{ATOM}title").text for e in ET.fromstring(body).iter(f"{ATOM}entry")]
    assert code == 200 and titles and all(
        any(s.title in t for s in norwegian if s.lang == "nb") for t in titles), titles


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_postgresql_snapshot_is_deleted_on_sigterm_and_sigint(pg_url, tmp_path, stop):
    from archive.ingest.articles import ingest
    from archive.storage.database import Database
    from tests.helpers.archive_data import fetch_of, record_of, url_of

    with Database(pg_url) as db:
        ingest(db, record_of(EDITED), fetch_of(url_of(EDITED)))
    temp = tmp_path / "tmp"
    temp.mkdir()
    log = tmp_path / "serve.log"
    with serving(pg_url, log, cwd=tmp_path, env={"TMPDIR": str(temp)}) as (base, process):
        # (SQLite's own short-lived temp files, ``etilqs_*``, may be there a moment)
        assert [p.name[:len("nordarchive-serve-")] for p in temp.iterdir()
                if not p.name.startswith("etilqs_")] == ["nordarchive-serve-"]
        process.send_signal(stop)
        assert process.wait(timeout=60) == 0, log.read_text()[-2000:]
    assert list(temp.iterdir()) == [], log.read_text()[-2000:]
    assert "Traceback" not in log.read_text()
