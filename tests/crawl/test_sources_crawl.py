"""Sources one hop out, crawled for real on both backends: an article's cited page and PDF
are captured (their text readable and searchable), a source behind its host's robots.txt, one
on an internal address and one over the size limit are refused with their reason (the first
two never requested), nothing beyond one hop is fetched; a re-check finds the removed source
gone (its capture kept) and the one redirected to a home page gone; ``--no-sources`` fetches
none. Exit 0 throughout."""

from __future__ import annotations

import json
import re
import subprocess
from html import escape

from tests.helpers.cli import run_cli
from tests.helpers.crawl_helpers import cli_json, run_crawl
from tests.helpers.web import get, serving
from tests.replica import content
from tests.replica import sources as cited
from tests.replica.site import PREFIX, Page, ReplicaServer
from tests.replica.tiny import tiny_portal

STORY = content.STORIES[0]


def _portal(source_site: cited.SourceSite):
    server = tiny_portal([STORY])
    site = server.site
    path = site.paths[STORY.key]
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in STORY.paragraphs)
    site.pages[path] = Page(
        f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>'
        f"{escape(STORY.title)}</title></head><body><article><h1>{escape(STORY.title)}</h1>"
        f"{paragraphs}{cited.citing_paragraphs(source_site)}</article></body></html>".encode())
    return server


def _sources(db_url: str) -> dict[str, dict]:
    return {s["url"]: s for s in cli_json(db_url, "sources")}


def _search(db_url: str, word: str) -> subprocess.CompletedProcess:
    return run_cli("search", word, "--db", db_url, "--in", "sources", "--format", "json")


def test_sources_are_captured_one_hop_out_refused_with_reasons_and_found_gone(db_url,
                                                                              tmp_path):
    source_site = cited.SourceSite()
    with ReplicaServer(source_site) as sources, _portal(source_site) as portal:
        warc = ("--set", f"NORDARCHIVE_WARC_DIR={tmp_path / 'warc'}",
                "--set", f"NORDARCHIVE_SOURCE_MAX_BYTES={cited.BIG_BYTES // 3}")
        first = run_crawl(db_url, portal.base + PREFIX, *warc)
        assert first.returncode == 0, first.stderr.decode()[-3000:]
        summary = first.stdout.decode()
        assert "failed 0," in summary and "sources 7 (4 captured, 3 refused)" in summary, summary
        asked = sources.paths()
        state = _sources(db_url)
        url = source_site.url
        report, pdf = state[url(cited.REPORT)], state[url(cited.PDF)]
        assert (report["kind"], report["status"], report["title"]) == (
            "page", 200, "Nätverket växer")
        assert (pdf["kind"], pdf["status"], pdf["title"]) == (
            "pdf", 200, "Indikatorer for integrering")
        assert report["chars"] > 100 and pdf["chars"] > 60
        for source in state.values():
            assert len(source["cited_by"]) == 1
        assert (state[url(cited.PRIVATE)]["reason"], state[cited.METADATA]["reason"],
                state[url(cited.BIG)]["reason"]) == ("robots", "private-address", "too-large")
        # One hop: the report's own link, the robots-disallowed page: never asked for.
        assert cited.FURTHER not in asked and cited.PRIVATE not in asked, asked
        assert asked.count(cited.PDF) == 1 and asked.count(cited.REPORT) == 1

        source_site.second_phase()
        sources.clear()
        again = run_crawl(db_url, portal.base + PREFIX, *warc,
                          "--set", "NORDARCHIVE_SOURCE_RECHECK_DAYS=0")
        assert again.returncode == 0, again.stderr.decode()[-3000:]
        later = _sources(db_url)
        removed, home = later[url(cited.REMOVED)], later[url(cited.MOVED_HOME)]
        assert (removed["gone"], removed["reason"], removed["status"]) == (True, "http-404", 404)
        assert removed["first_captured"] == state[url(cited.REMOVED)]["first_captured"]
        assert removed["chars"] == state[url(cited.REMOVED)]["chars"] > 0  # capture kept
        assert (home["gone"], home["reason"]) == (True, "redirect-home")
        assert not later[url(cited.REPORT)]["gone"] and not later[url(cited.PDF)]["gone"]
        assert cited.FURTHER not in sources.paths()
        # a re-check asks with the validators of the capture it has: an unchanged source
        # answers 304 and is not downloaded again
        [recheck] = [r for r in sources.requests if r.path == cited.REPORT]
        assert "If-None-Match" in recheck.headers and recheck.status == 304, recheck

    # The PDF's text is searchable, and names the article citing it.
    found = _search(db_url, "Sysselsettingen")
    assert found.returncode == 0, found.stderr.decode()
    hits = json.loads(found.stdout)
    assert [h["url"] for h in hits] == [url(cited.PDF)]
    assert [a["title"] for a in hits[0]["cited_by"]] == [STORY.title]
    assert json.loads(_search(db_url, cited.REPORT_WORD).stdout)[0]["url"] == url(cited.REPORT)
    assert json.loads(_search(db_url, "mottagandet").stdout)[0]["gone"] is True
    if db_url.startswith("sqlite"):  # the web window reads either backend alike
        _web_window(db_url.removeprefix("sqlite:///"), tmp_path, later, url)


def _web_window(db: str, tmp_path, later: dict[str, dict], url) -> None:
    """The article page lists its sources with their state and links to the archived copies;
    a source's page shows its text; the search checkbox finds a PDF's words; /stats shows the
    share gone (2 of 7 citations, all of the article's year)."""
    with serving(db, tmp_path / "serve.log", "--warc-dir", str(tmp_path / "warc")) as (base, _):
        status, _, body = get(f"{base}/article/1")
        page = body.decode()
        assert status == 200, page[-2000:]
        assert page.count('class="na-source ') == 7
        assert "live, checked" in page and "gone since" in page and "(http-404)" in page
        assert "not fetched: robots" in page and "not fetched: private-address" in page
        pdf_id = later[url(cited.PDF)]["id"]
        assert f"/source/{pdf_id}/capture/" in page  # its raw capture is on disk
        status, _, body = get(f"{base}/source/{pdf_id}")
        assert status == 200 and "Sysselsettingen blant innvandrere" in body.decode()
        assert "live, checked" in body.decode() and STORY.title in body.decode()
        gone_page = get(f"{base}/source/{later[url(cited.REMOVED)]['id']}")[2].decode()
        assert "gone since" in gone_page and "Seminariet om mottagandet" in gone_page
        raw = re.search(rf'/source/{pdf_id}/capture/(\d+)/raw', body.decode())
        assert raw and get(base + raw.group(0))[0] == 200
        status, _, body = get(f"{base}/search?q=Sysselsettingen&in=sources")
        assert status == 200 and f"/source/{pdf_id}" in body.decode()
        assert "/source/" not in get(f"{base}/search?q=Sysselsettingen")[2].decode()
        status, _, body = get(f"{base}/stats")
        assert status == 200 and "<td>7</td><td>2</td><td>28.6 %</td>" in body.decode()
        assert body.decode().count("Sources gone, by the citing") == 1  # not in the <title>
        assert get(f"{base}/source/999999")[0] == 404


def test_no_sources_fetches_none(tmp_path, sqlite_url):
    source_site = cited.SourceSite()
    with ReplicaServer(source_site) as sources, _portal(source_site) as portal:
        result = run_crawl(sqlite_url, portal.base + PREFIX, "--no-sources",
                           "--set", f"NORDARCHIVE_WARC_DIR={tmp_path / 'warc'}")
        assert result.returncode == 0, result.stderr.decode()[-3000:]
        assert sources.paths() == []
    assert ", sources " not in result.stdout.decode()
    assert cli_json(sqlite_url, "sources") == []


def test_the_depth_limit_never_cuts_a_source_off(tmp_path, sqlite_url):
    """An article at the depth limit still gets its sources (one hop out by construction)."""
    source_site = cited.SourceSite()
    with ReplicaServer(source_site) as sources, _portal(source_site) as portal:
        result = run_crawl(sqlite_url, portal.base + PREFIX, "--set", "DEPTH_LIMIT=1",
                           "--set", f"NORDARCHIVE_WARC_DIR={tmp_path / 'warc'}")
        assert result.returncode == 0, result.stderr.decode()[-3000:]
        assert cited.PDF in sources.paths() and cited.REPORT in sources.paths()
    assert _sources(sqlite_url)[source_site.url(cited.PDF)]["status"] == 200
