"""The archive among web-archiving tools, each the real one: the replica crawled twice (one
article edited, one moved, one given a script), exported as WACZ (checked by py-wacz's
``wacz validate``) and as CDXJ, both loaded into pywb 2.10 and replayed there; ``nordarchive
serve``'s Memento TimeMaps and TimeGates compared with pywb's on the same captures; the
replayed pages loaded in headless Chromium (banner, no script run, links kept inside)."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.webarchive.warc import FILE_NAME
from tests.helpers.cli import run_cli
from tests.helpers.crawl_helpers import cli_json, run_crawl
from tests.helpers.net import answers, free_port, wait_until
from tests.helpers.web import serving
from tests.replica import content
from tests.replica.site import ARCHIVED_PAGES, PREFIX, Page, ReplicaServer, ReplicaSite
from tests.replica.webarchives import shared_pywb

pytestmark = pytest.mark.timeout(1200)  # two crawls and installing pywb on a busy machine

EDITED = content.BY_KEY["sv-sprakkafe"]
OLD_PARAGRAPH = EDITED.paragraphs[1]
NEW_PARAGRAPH = OLD_PARAGRAPH.replace("tre år", "fyra år")
MOVED = "fi-foorumi"
SCRIPTED = "sv-ukraina"
SCRIPT = ("<script>document.documentElement.setAttribute('data-script-ran', 'yes');"
          "alert('script ran')</script>")
LINK = re.compile(r",\s*(?=<)")


def request(url: str, headers: dict[str, str] | None = None, method: str = "GET"
            ) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One HTTP request, redirects not followed (the Memento answers are redirects)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        path = url[len(f"{parts.scheme}://{parts.netloc}"):]
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def links(text: str) -> list[dict[str, str]]:
    """``application/link-format`` (a TimeMap or a Link header) as a list of entries."""
    entries = []
    for part in LINK.split(text.strip()):
        target, _, rest = part.strip().partition(">")
        entry = {"url": target.lstrip("<")}
        entry.update(re.findall(r';\s*([\w-]+)="([^"]*)"', rest))
        entries.append(entry)
    return entries


def mementos_of(text: str) -> list[dict[str, str]]:
    return [e for e in links(text) if "memento" in e.get("rel", "").split()]


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """The replica crawled; ``sv-sprakkafe`` edited, ``fi-foorumi`` moved (its old URL
    answers 301), ``sv-ukraina`` given a script and an event handler; crawled again."""
    folder = tmp_path_factory.mktemp("webarchiving")
    db = folder / "archive.db"
    with ReplicaServer(ReplicaSite()) as portal:
        start = portal.base + PREFIX
        site = portal.site
        first_urls = {key: site.url(site.paths[key]) for key in (MOVED, SCRIPTED)}
        assert run_crawl(f"sqlite:///{db}", start).returncode == 0
        # the two crawls' captures of a page at least 3 s apart, whatever the machine's speed
        # (the TimeGate tests ask for moments between them)
        time.sleep(3)
        site.edit("sv-sprakkafe", paragraphs=(EDITED.paragraphs[0], NEW_PARAGRAPH,
                                              EDITED.paragraphs[2]))
        site.move(MOVED, "foorumi-siirretty")
        story = content.BY_KEY[SCRIPTED]
        site.edit(SCRIPTED, paragraphs=(*story.paragraphs, "Kartläggningen uppdateras."))
        site.render()
        path = site.paths[SCRIPTED]
        scripted = site.pages[path]
        site.pages[path] = Page(scripted.body.replace(
            b"</body>", SCRIPT.encode() + b'<button id="x" onclick="alert(2)">x</button>'
            b"</body>"), last_modified=scripted.last_modified)
        result = run_crawl(f"sqlite:///{db}", start)
        assert result.returncode == 0, result.stderr.decode()[-3000:]
        urls = {"edited": site.url(site.paths["sv-sprakkafe"]),
                "moved_old": first_urls[MOVED], "moved_new": site.url(site.paths[MOVED]),
                "scripted": site.url(path)}
    with sqlite3.connect(db) as conn:
        runs = dict(conn.execute("SELECT id, finished_at FROM crawl_runs"))
        captures = conn.execute("SELECT count(*) FROM captures").fetchone()[0]
    assert urls["edited"].endswith("/") and urls["moved_old"] != urls["moved_new"]
    edited = cli_json(f"sqlite:///{db}", "show", urls["edited"])
    return {"db": db, "folder": folder, "urls": urls, "edited": edited,
            "between": datetime.fromisoformat(runs[1]).replace(tzinfo=UTC),
            "captures": captures}


@pytest.fixture(scope="module")
def exported(crawled):
    """``export --format wacz`` (all, and since the second crawl) and ``--format cdxj``."""
    folder, db = crawled["folder"], str(crawled["db"])
    whole, since = folder / "archive.wacz", folder / "since.wacz"
    cdxj = folder / "index.cdxj"
    moment = crawled["between"].strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    for args in (["--format", "wacz", "--output", str(whole)],
                 ["--format", "wacz", "--since", moment, "--output", str(since)],
                 ["--format", "cdxj", "--output", str(cdxj)]):
        result = run_cli("export", "--db", db, *args, timeout=300)
        assert result.returncode == 0, result.stderr.decode()
    return {"wacz": whole, "since": since, "cdxj": cdxj, "moment": moment}


@pytest.fixture(scope="module")
def pywb(tmp_path_factory, crawled, exported):
    """``wayback`` (pywb 2.10) serving two collections: ``wacz``, the WACZ added with
    ``wb-manager add --unpack-wacz``, and ``cdxj``, the archive's own WARC files with the
    CDXJ index that ``export --format cdxj`` wrote."""
    started = time.monotonic()
    target = shared_pywb(tmp_path_factory)
    print(f"pywb ready after waiting {time.monotonic() - started:.1f} s")
    root = crawled["folder"] / "pywb"
    root.mkdir()
    manager = str(target / "bin" / "wb-manager")
    for collection in ("wacz", "cdxj"):
        subprocess.run([manager, "init", collection], cwd=root, check=True,
                       capture_output=True, timeout=120)
    added = subprocess.run([manager, "add", "--unpack-wacz", "wacz", str(exported["wacz"])],
                           cwd=root, capture_output=True, timeout=300)
    assert added.returncode == 0, added.stderr.decode()[-2000:]
    for warc in (crawled["folder"] / "archive-warc").glob("*.warc.gz"):
        shutil.copy(warc, root / "collections" / "cdxj" / "archive" / warc.name)
    shutil.copy(exported["cdxj"], root / "collections" / "cdxj" / "indexes" / "index.cdxj")
    log = open(root / "wayback.log", "wb")  # noqa: SIM115 - closed below
    port = free_port()
    server = subprocess.Popen([str(target / "bin" / "wayback"), "-p", str(port), "-b",
                               "127.0.0.1"], cwd=root, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        def up() -> bool:
            assert server.poll() is None, (root / "wayback.log").read_text()[-3000:]
            return answers(base + "/wacz/", timeout=60)

        wait_until(up, 120, 0.3, "wayback did not answer")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def served(crawled):
    with serving(str(crawled["db"]), crawled["folder"] / "serve.log") as (base, _):
        yield base


def pywb_timemap(pywb: str, url: str) -> list[dict[str, str]]:
    status, headers, body = request(f"{pywb}/wacz/timemap/link/{url}")
    assert status == 200, body[:500]
    return mementos_of(body.decode())


def our_timemap(served: str, url: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    status, headers, body = request(f"{served}/timemap/link/{url}")
    assert status == 200, (status, headers.get("Location"), body[:300])  # never a redirect
    assert headers["Content-Type"].startswith("application/link-format")
    return links(body.decode()), mementos_of(body.decode())


# --- WACZ and CDXJ ---------------------------------------------------------------------------


def test_wacz_validates_and_holds_every_capture_and_every_article(crawled, exported):
    check = subprocess.run([str(Path(sys.executable).parent / "wacz"), "validate", "-f",
                            str(exported["wacz"])], capture_output=True, text=True)
    assert check.returncode == 0 and "Validation succeeded" in check.stdout, check.stdout
    warc_dir = crawled["folder"] / "archive-warc"
    with zipfile.ZipFile(exported["wacz"]) as package:
        names = set(package.namelist())
        assert {"datapackage.json", "datapackage-digest.json", "pages/pages.jsonl",
                "indexes/index.cdx.gz", "indexes/index.idx"} <= names
        datapackage = json.loads(package.read("datapackage.json"))
        assert datapackage["wacz_version"].startswith("1.1")
        for warc in warc_dir.glob("*.warc.gz"):  # byte for byte, stored uncompressed
            info = package.getinfo(f"archive/{warc.name}")
            assert info.compress_type == zipfile.ZIP_STORED
            assert package.read(info.filename) == warc.read_bytes()
        index = gzip.decompress(package.read("indexes/index.cdx.gz")).decode().splitlines()
        pages = [json.loads(line) for line in package.read("pages/pages.jsonl").splitlines()]
    assert len(index) == crawled["captures"]
    assert pages[0]["format"] == "json-pages-1.0"
    by_url = {entry["url"]: entry for entry in pages[1:]}
    # every article once (the moved one at its first URL), the theme and about pages too
    assert len(by_url) == len(content.STORIES) + len(ARCHIVED_PAGES)
    edited = by_url[crawled["urls"]["edited"]]
    assert edited["title"] == EDITED.title and edited["id"] == f"article-{crawled['edited']['id']}"
    # The page's time is its first capture's, to the second: before the second crawl began
    # (compared as times: "…:32Z" and "…:32.57Z" are one second as text, in the wrong order).
    assert datetime.fromisoformat(edited["ts"].replace("Z", "+00:00")) <= crawled["between"]


def test_wacz_since_holds_the_later_captures_and_what_they_revisit(crawled, exported):
    check = subprocess.run([str(Path(sys.executable).parent / "wacz"), "validate", "-f",
                            str(exported["since"])], capture_output=True, text=True)
    assert check.returncode == 0 and "Validation succeeded" in check.stdout, check.stdout
    with sqlite3.connect(crawled["db"]) as conn:
        later = conn.execute("SELECT count(*) FROM captures WHERE crawl_run_id = 2"
                             ).fetchone()[0]
    with zipfile.ZipFile(exported["since"]) as package:
        index = [line.split(" ", 2) for line in gzip.decompress(
            package.read("indexes/index.cdx.gz")).decode().splitlines()]
        runs = [FILE_NAME.match(json.loads(fields)["filename"])["run"] for *_, fields in index]
        records = {}
        for name in package.namelist():
            if name.startswith("archive/"):
                with package.open(name) as stream:
                    for record in ArchiveIterator(stream, check_digests=True):
                        records[record.rec_headers.get_header("WARC-Record-ID")] = record
                        record.content_stream().read()
    revisits = [r for r in records.values() if r.rec_type == "revisit"]
    assert later < len(index) < crawled["captures"]
    assert runs.count("2") == later and runs.count("1") > 0, "the revisited responses come along"
    originals = {(r.rec_headers.get_header("WARC-Refers-To-Target-URI"),
                  r.rec_headers.get_header("WARC-Refers-To-Date")) for r in revisits}
    responses = {(r.rec_headers.get_header("WARC-Target-URI"),
                  r.rec_headers.get_header("WARC-Date"))
                 for r in records.values() if r.rec_type in ("response", "revisit")}
    assert originals <= responses


def test_pywb_replays_the_articles_from_the_wacz_and_from_the_cdxj(pywb, crawled):
    url = crawled["urls"]["edited"]
    found = pywb_timemap(pywb, url)
    assert len(found) == 2
    first, second = (m["url"].split("/wacz/", 1)[1].split("mp_/", 1)[0] for m in found)
    for collection in ("wacz", "cdxj"):
        for stamp, present, absent in ((first, OLD_PARAGRAPH, NEW_PARAGRAPH),
                                       (second, NEW_PARAGRAPH, OLD_PARAGRAPH)):
            status, _, body = request(f"{pywb}/{collection}/{stamp}id_/{url}")
            text = body.decode()
            assert status == 200 and present in text and absent not in text, collection
    # The moved article's first version, at its old URL, and the 301 that followed.
    status, _, body = request(f"{pywb}/cdxj/timemap/link/{crawled['urls']['moved_old']}")
    assert status == 200 and len(mementos_of(body.decode())) == 2


# --- Memento ---------------------------------------------------------------------------------


def test_timemap_lists_what_pywb_lists_for_the_same_captures(served, pywb, crawled):
    url = crawled["urls"]["edited"]
    entries, ours = our_timemap(served, url)
    theirs = pywb_timemap(pywb, url)
    assert len(ours) == len(theirs) == 2
    assert [m["datetime"] for m in ours] == [m["datetime"] for m in theirs]
    rels = {e["rel"]: e for e in entries}
    assert rels["original"]["url"] == url
    assert rels["timegate"]["url"] == f"{served}/timegate/{url}"
    assert rels["self"]["url"] == f"{served}/timemap/link/{url}"
    assert rels["self"]["from"] == ours[0]["datetime"]
    assert rels["self"]["until"] == ours[-1]["datetime"]
    # A moved article: its old and new URLs give one history, the union of pywb's two.
    old, new = crawled["urls"]["moved_old"], crawled["urls"]["moved_new"]
    from_old, from_new = our_timemap(served, old)[1], our_timemap(served, new)[1]
    assert [m["datetime"] for m in from_old] == [m["datetime"] for m in from_new]
    union = sorted((m["datetime"] for m in pywb_timemap(pywb, old) + pywb_timemap(pywb, new)),
                   key=parsedate_to_datetime)
    assert [m["datetime"] for m in from_old] == union and len(union) == 3
    assert request(f"{served}/timemap/link/http://127.0.0.1:9/never/")[0] == 404


def test_timegate_picks_the_memento_pywb_picks(served, pywb, crawled):
    url = crawled["urls"]["edited"]
    _, ours = our_timemap(served, url)
    first, second = (parsedate_to_datetime(m["datetime"]) for m in ours)
    assert second - first >= timedelta(seconds=3)
    for asked, expected in ((first + timedelta(seconds=1), ours[0]),  # between: the earlier
                            (second - timedelta(seconds=1), ours[1]),  # nearer the later
                            (first - timedelta(days=365), ours[0])):
        status, headers, _ = request(f"{served}/timegate/{url}",
                                     {"Accept-Datetime": http_date(asked)})
        assert status == 302, status
        assert headers["Location"] == expected["url"]
        assert "accept-datetime" in headers["Vary"].lower()
        given = {e["rel"]: e for e in links(headers["Link"])}
        assert given["original"]["url"] == url and "timemap" in given
        chosen = [e for e in links(headers["Link"]) if e["url"] == expected["url"]]
        assert chosen and chosen[0]["datetime"] == expected["datetime"]
        # pywb, asked the same, answers with the memento of the same second.
        status, theirs, _ = request(f"{pywb}/wacz/{url}", {"Accept-Datetime": http_date(asked)})
        assert status in (200, 302)
        assert mementos_of(theirs["Link"])[0]["datetime"] == expected["datetime"]
    status, headers, _ = request(f"{served}/timegate/{url}")  # no date: the latest
    assert status == 302 and headers["Location"] == ours[-1]["url"]
    assert request(f"{served}/timegate/{url}", {"Accept-Datetime": "last week"})[0] == 400


def test_memento_is_the_capture_with_its_headers_banner_and_no_script(served, crawled, page):
    url = crawled["urls"]["edited"]
    _, ours = our_timemap(served, url)
    status, headers, body = request(ours[0]["url"])
    assert status == 200
    assert headers["Memento-Datetime"] == ours[0]["datetime"]
    given = {e["rel"]: e["url"] for e in links(headers["Link"])}
    assert given["original"] == url and given["timegate"] == f"{served}/timegate/{url}"
    assert given["timemap"] == f"{served}/timemap/link/{url}"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    text = body.decode()
    assert OLD_PARAGRAPH in text and NEW_PARAGRAPH not in text
    # An inexact time redirects to the nearest memento, as in pywb.
    stamp = ours[0]["url"].split("/memento/", 1)[1][:14]
    status, headers, _ = request(f"{served}/memento/{stamp[:8]}/{url}")
    assert status == 302 and headers["Location"] == ours[0]["url"]
    # The moved article's old URL answered 301: its memento leads to the new URL's.
    old_url = crawled["urls"]["moved_old"]
    redirect = [m for m in our_timemap(served, old_url)[1] if m["url"].endswith(old_url)][-1]
    status, headers, _ = request(redirect["url"])
    assert status == 302 and crawled["urls"]["moved_new"] in headers["Location"]

    # In a browser: the banner, the script not run, links inside the archive or marked.
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    scripted = our_timemap(served, crawled["urls"]["scripted"])[1][-1]["url"]
    status, _, body = request(scripted)
    assert status == 200 and b"data-script-ran" not in body and b"onclick" not in body
    page.goto(scripted)
    banner = page.locator("#nordarchive-banner").inner_text()
    assert f"archived copy of {crawled['urls']['scripted']}" in banner and "captured" in banner
    assert page.locator("html").get_attribute("data-script-ran") is None
    page.click("#x")
    inside = page.locator("a.nordarchive-archived")
    leaving = page.locator("a.nordarchive-leaves")
    assert inside.count() > 3 and leaving.count() > 0
    for i in range(inside.count()):
        assert inside.nth(i).get_attribute("href").startswith("/memento/")
    for i in range(leaving.count()):
        assert leaving.nth(i).get_attribute("rel") == "nofollow noopener noreferrer"
        assert "Leaves the archive" in leaving.nth(i).get_attribute("title")
    page.locator("a.nordarchive-archived", has_text=EDITED.title).click()
    page.wait_for_load_state()
    # The archived copy of the linked article nearest in time: its edited version.
    assert page.locator("h1").first.inner_text() == EDITED.title
    assert NEW_PARAGRAPH in page.locator("body").inner_text()
    assert "/memento/" in page.url and page.locator("#nordarchive-banner").count() == 1
    assert all(r.startswith(served) for r in requests), requests  # nothing from outside


def test_article_cites_each_revision_and_raw_captures_are_replayed(served, crawled, page):
    article_id = crawled["edited"]["id"]
    page.goto(f"{served}/article/{article_id}")
    cites = page.locator("a.na-cite")
    assert cites.count() == 2
    page.click("#revision-1 a.na-cite")
    page.wait_for_load_state()
    assert re.search(r"/memento/\d{14}/http://127\.0\.0\.1:\d+/integration-norden/", page.url)
    assert OLD_PARAGRAPH in page.locator("body").inner_text()
    assert page.locator("#nordarchive-banner").count() == 1
    status, headers, body = request(f"{served}/article/{article_id}/revision/2/raw")
    assert status == 200 and b'id="nordarchive-banner"' in body
    assert NEW_PARAGRAPH.encode() in body and "sandbox" in headers["Content-Security-Policy"]
