"""The web-archive replicas behave as the archives they stand for document it: the era WARC
files (and the wget and Heritrix ones) parse with their digests checked and say what their
description says; the IA CDX server pages with resume keys, collapses, bounds and filters;
``id_`` answers the capture's own bytes and status; the fault knobs answer as documented;
Common Crawl's index pages and its ``Range`` requests return the records the index names;
and real pywb, given the same WARC files, indexes them as the replicas describe them."""

from __future__ import annotations

import difflib
import gzip
import http.client
import io
import json
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import pytest
import trafilatura
from warcio.archiveiterator import ArchiveIterator

from tests.replica import content, eras
from tests.replica.eras import PREFIX, article_text
from tests.replica.webarchives import (
    IA_FIELDS,
    CommonCrawlReplica,
    IaWaybackReplica,
    PywbCollections,
    search_range,
    shared_pywb,
)

AGENT = "nordarchive-test/1.0 (+https://example.org/nordarchive)"


def fetch(url: str, headers: dict[str, str] | None = None
          ) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One GET, redirects not followed."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", url[len(f"{parts.scheme}://{parts.netloc}"):],
                           headers={"User-Agent": AGENT, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def cdx(replica: IaWaybackReplica, **params) -> tuple[int, http.client.HTTPMessage, bytes]:
    return fetch(replica.cdx_url() + "?" + urlencode(params, doseq=True))


def cdx_json(replica: IaWaybackReplica, **params) -> list[list[str]]:
    status, _, body = cdx(replica, output="json", **params)
    assert status == 200, body[:300]
    return json.loads(body)


def index_rows(body: bytes) -> list[dict]:
    return [json.loads(line) for line in body.decode().splitlines() if line.strip()]


def read_records(path) -> list:
    """Every record of a WARC file, its payload read (and so its digests checked)."""
    found = []
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream, check_digests=True):
            payload = record.content_stream().read()
            found.append((record.rec_type, record.rec_headers, record.http_headers, payload,
                          record.digest_checker))
    return found


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def captured(tmp_path_factory) -> eras.EraCaptures:
    return eras.write_era_warcs(tmp_path_factory.mktemp("eras"))


@pytest.fixture(scope="module")
def tools(tmp_path_factory) -> dict[str, eras.ToolWarc]:
    folder = tmp_path_factory.mktemp("tools")
    return {"wget": eras.write_wget_warc(folder), "heritrix": eras.write_heritrix_warc(folder)}


@pytest.fixture(scope="module")
def ia(captured):
    with IaWaybackReplica(captured) as replica:
        yield replica


@pytest.fixture(scope="module")
def cc(captured):
    with CommonCrawlReplica(captured) as replica:
        yield replica


# --- the WARC files ------------------------------------------------------------------------------


def test_era_warcs_parse_with_digests_checked_and_hold_what_is_described(captured):
    for era, path in captured.warcs.items():
        records = read_records(path)
        assert records[0][0] == "warcinfo"
        assert all(checker.passed is not False and not checker.problems
                   for *_, checker in records), path
        responses = [(h.get_header("WARC-Target-URI"), h.get_header("WARC-Date"),
                      int(http.get_statuscode()), payload)
                     for kind, h, http, payload, _ in records if kind == "response"]
        described = [(c.url, c.warc_date, c.status, c.body) for c in captured.era(era)]
        assert responses == described
        requests = [(h.get_header("WARC-Target-URI"), http.protocol, http.statusline)
                    for kind, h, http, *_ in records if kind == "request"]
        assert requests == [(c.url, "GET", urlsplit(c.url).path + " HTTP/1.1")
                            for c in captured.era(era)]
        raw = gzip.decompress(path.read_bytes())
        assert raw.count(b"\r\n\r\nGET /") == len(requests)  # "GET /path HTTP/1.1"
        start = eras.ERA1_START if era == 1 else eras.ERA2_START
        assert described[0][1] == start.strftime("%Y-%m-%dT%H:%M:%SZ")
        # Each capture's offset and length bound exactly its own gzip member.
        data = path.read_bytes()
        for capture in captured.era(era):
            chunk = data[capture.offset:capture.offset + capture.length]
            (record,) = list(ArchiveIterator(io.BytesIO(chunk)))
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Record-ID") == capture.record_id
            assert record.rec_headers.get_header("WARC-Payload-Digest") == \
                f"sha1:{capture.digest}"


def test_the_eras_hold_every_change_the_description_names(captured):
    era1, era2 = captured.era(1), captured.era(2)
    stories = {c.key for c in era1 if c.kind == "article"}
    assert stories == set(content.BY_KEY)
    assert all(c.status == 200 and c.markup == "A" for c in era1 if c.kind == "article")
    assert {c.kind for c in era1} == {"article", "listing", "pagination", "tag",
                                      "out-of-scope"}
    assert not [c for c in captured.captures if c.url.endswith("/robots.txt")]
    stamps = [c.timestamp for c in era1]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)

    edited = captured.of(captured.edited)
    assert [c.change for c in edited] == ["first", "edited"]
    assert captured.old_paragraph in edited[0].paragraphs
    assert captured.new_paragraph in edited[1].paragraphs
    assert captured.old_paragraph not in edited[1].paragraphs
    assert "tre år" in captured.old_paragraph and "fyra år" in captured.new_paragraph

    removed = captured.of(captured.removed)
    assert [(c.status, c.change) for c in removed] == [(200, "first"), (404, "removed")]
    assert removed[0].url == removed[1].url

    moved = captured.of(captured.moved)
    assert [(c.status, c.change) for c in moved] == [(200, "first"), (301, "moved-from"),
                                                     (200, "moved-to")]
    assert moved[1].url == captured.moved_from == moved[0].url
    assert moved[1].location == moved[1].header("Location") == captured.moved_to == moved[2].url
    assert moved[2].paragraphs == moved[0].paragraphs
    assert moved[1].body == b""

    chrome = captured.of(captured.chrome_only)
    assert [c.change for c in chrome] == ["first", "template", "chrome-only"]
    assert chrome[1].url == chrome[2].url and chrome[1].digest != chrome[2].digest

    unchanged = set(content.BY_KEY) - {captured.edited, captured.removed, captured.moved,
                                       captured.chrome_only}
    for key in unchanged:
        assert [c.change for c in captured.of(key)] == ["first", "template"], key

    for url in (captured.base + eras.OUT_OF_SCOPE_PATH,
                captured.other_host + eras.OTHER_HOST_PATH):
        both = captured.at(url)
        assert [c.era for c in both] == [1, 2] and both[0].digest == both[1].digest
    listing = captured.at(captured.base + eras.LISTING_PATH)
    assert [c.change for c in listing] == ["first", "identical", "template"]
    assert listing[0].body == listing[1].body != listing[2].body
    assert all(c.date - eras.ERA2_START < timedelta(hours=4) for c in era2)


def test_era2_markup_differs_while_the_texts_are_the_same_except_the_edit(captured):
    for key, story in content.BY_KEY.items():
        shown = [c for c in captured.of(key) if c.status == 200]
        first, later = shown[0], shown[1:]
        assert first.markup == "A" and b'class="entry-content"' in first.body
        assert b"c-article__body" not in first.body
        assert article_text(first.body) == story.paragraphs
        for capture in later:
            assert capture.markup == "B" and b"c-article__body" in capture.body
            assert b"entry-content" not in capture.body and b"cookie-banner" not in capture.body
            expected = capture.paragraphs
            assert article_text(capture.body) == expected
            if key == captured.edited:
                changed = [(a, b) for a, b in zip(story.paragraphs, expected, strict=True)
                           if a != b]
                assert changed == [(captured.old_paragraph, captured.new_paragraph)]
            else:
                assert expected == story.paragraphs
            # A real extractor finds every paragraph in either markup.
            for markup in (first, capture):
                text = trafilatura.extract(markup.body.decode(), favor_precision=True)
                assert all(p in text for p in markup.paragraphs), (key, markup.markup)
    # The chrome-only recapture differs in the banner, the share bar and the footer only.
    template, chrome = captured.of(captured.chrome_only)[1:]
    diff = [line for line in difflib.unified_diff(template.body.decode().splitlines(),
                                                  chrome.body.decode().splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert diff and all(any(marker in line for marker in ("c-consent", "c-share", "c-footer"))
                        for line in diff), diff
    assert article_text(template.body) == article_text(chrome.body)


def test_other_tools_warcs_parse_and_look_like_their_tools(tools):
    wget = tools["wget"]
    raw = wget.path.read_bytes()
    assert wget.path.suffix == ".warc" and raw.startswith(b"WARC/1.0\r\n")  # uncompressed
    assert b"software: Wget/1.21" in raw and b"WARC-Target-URI: <https://" in raw
    records = read_records(wget.path)
    assert all(checker.passed is not False for *_, checker in records)
    assert [kind for kind, *_ in records] == [kind for kind, _ in wget.records]
    assert [kind for kind, *_ in records][-3:] == ["metadata", "resource", "resource"]
    responses = [(h.get_header("WARC-Target-URI"), payload)
                 for kind, h, _, payload, _ in records if kind == "response"]
    assert responses == [(c.url, c.body) for c in wget.captures]  # brackets stripped,
    chunked = [c for c in wget.captures if c.header("Transfer-Encoding") == "chunked"]
    assert len(chunked) == 1 and b"\r\n0\r\n\r\n" in raw  # and the chunked body decoded

    heritrix = tools["heritrix"]
    data = heritrix.path.read_bytes()
    records = read_records(heritrix.path)
    kinds = [kind for kind, *_ in records]
    assert kinds[:2] == ["warcinfo", "response"] and "metadata" in kinds
    assert records[1][1].get_header("WARC-Target-URI").startswith("dns:")
    assert b"software: Heritrix/3.4.0" in records[0][3]
    revisits = [(h, http) for kind, h, http, *_ in records if kind == "revisit"]
    described = [c for c in heritrix.captures if c.record_type == "revisit"]
    assert len(revisits) == len(described) == 2
    for (headers, http_headers), capture in zip(revisits, described, strict=True):
        original = next(c for c in heritrix.captures if c.record_id ==
                        headers.get_header("WARC-Refers-To"))
        assert headers.get_header("WARC-Refers-To-Target-URI") == original.url == capture.url
        assert headers.get_header("WARC-Refers-To-Date") == original.warc_date
        assert headers.get_header("WARC-Profile").endswith("/revisit/identical-payload-digest")
        assert headers.get_header("WARC-Payload-Digest") == f"sha1:{original.digest}"
        assert http_headers.get_statuscode() == "200"
        assert capture.refers_to == (original.url, original.timestamp)
    for capture in heritrix.captures:  # gzip per record: each offset starts a member
        chunk = data[capture.offset:capture.offset + capture.length]
        (record,) = list(ArchiveIterator(io.BytesIO(chunk)))
        assert record.rec_type == capture.record_type


# --- the Internet Archive --------------------------------------------------------------------


def test_ia_prefix_query_with_resume_keys_returns_every_capture_exactly_once(ia, captured):
    expected = sorted((c.url, c.timestamp) for c in captured.in_scope())
    start, end = search_range(captured.base + PREFIX, "prefix")
    assert expected == sorted((c.url, c.timestamp) for c in captured.captures
                              if start <= c.urlkey < end)
    seen, pages, key = [], 0, None
    while True:
        params = {"url": "nordicwelfare.org" + PREFIX, "matchType": "prefix", "limit": 7,
                  "showResumeKey": "true"}
        if key:
            params["resumeKey"] = key
        rows = cdx_json(ia, **params)
        pages += 1
        assert rows[0] == list(IA_FIELDS)
        if len(rows) > 2 and rows[-2] == []:
            body, key = rows[1:-2], rows[-1][0]
        else:
            body, key = rows[1:], None
        assert 0 < len(body) <= 7
        seen += [(row[2], row[1]) for row in body]
        if key is None:
            break
        assert pages < 50
    assert pages == -(-len(expected) // 7)
    assert len(seen) == len(set(seen)) and sorted(seen) == expected
    # Without showResumeKey no key is printed; url=…* means prefix; plain text: a blank line,
    # then the key; the key sent back encoded once more also resumes.
    assert [] not in cdx_json(ia, url="nordicwelfare.org" + PREFIX + "*", limit=7)
    status, _, text = cdx(ia, url="nordicwelfare.org" + PREFIX + "*", limit=7,
                          showResumeKey="true")
    lines = text.decode().split("\n")
    assert status == 200 and lines[7] == "" and lines[8] and len(lines[0].split(" ")) == 7
    again = cdx_json(ia, url="nordicwelfare.org" + PREFIX + "*", limit=7,
                     resumeKey=lines[8])
    assert again[1][1:3] == rows_after(ia, 7)[1:3]


def rows_after(ia: IaWaybackReplica, count: int) -> list[str]:
    rows = cdx_json(ia, url="nordicwelfare.org" + PREFIX + "*")
    return rows[1 + count]


def test_ia_collapse_digest_folds_adjacent_identical_captures(ia, captured):
    popnad = captured.base + eras.OUT_OF_SCOPE_PATH
    assert len(cdx_json(ia, url=popnad)) == 3  # header + both eras
    folded = cdx_json(ia, url=popnad, collapse="digest")
    assert [row[1][:4] for row in folded[1:]] == ["2019"]
    listing = captured.base + eras.LISTING_PATH
    assert [row[1] for row in cdx_json(ia, url=listing, collapse="digest")[1:]] == \
        [c.timestamp for c in captured.at(listing) if c.change != "identical"]
    every = cdx_json(ia, url="nordicwelfare.org/", matchType="host")
    fewer = cdx_json(ia, url="nordicwelfare.org/", matchType="host", collapse="digest")
    assert len(every) - len(fewer) == 2  # the listing's twin and popnad's second capture
    hourly = cdx_json(ia, url=listing, collapse="timestamp:10")
    assert len(hourly) == 3  # 2019031410 once, 2021060209 once


def test_ia_from_to_filter_fl_and_match_types(ia, captured):
    prefix = {"url": "nordicwelfare.org" + PREFIX, "matchType": "prefix"}
    in_scope = captured.in_scope()
    later = cdx_json(ia, **prefix, **{"from": "2021"})
    assert sorted(r[1] for r in later[1:]) == sorted(c.timestamp for c in in_scope
                                                     if c.era == 2)
    earlier = cdx_json(ia, **prefix, to="2019")
    assert {r[1][:4] for r in earlier[1:]} == {"2019"}
    assert len(earlier) - 1 == len([c for c in in_scope if c.era == 1])
    window = cdx_json(ia, **prefix, **{"from": "20190314100005", "to": "20190314100010"})
    assert sorted(r[1] for r in window[1:]) == [f"201903141000{s:02d}" for s in range(5, 11)]
    missing = cdx_json(ia, **prefix, filter="statuscode:404")
    assert [r[2] for r in missing[1:]] == [captured.urls[1][captured.removed]]
    odd = cdx_json(ia, **prefix, filter=["!statuscode:200", "mimetype:text/.*"])
    assert sorted(r[4] for r in odd[1:]) == ["301", "404"]
    picked = cdx_json(ia, **prefix, fl="original,timestamp", limit=2)
    assert picked[0] == ["original", "timestamp"] and len(picked[1]) == 2
    assert cdx(ia, **prefix, fl="url")[0] == 400  # pywb's names are not the IA's
    host = cdx_json(ia, url="nordicwelfare.org", matchType="host")
    assert any("/popnad/" in r[2] for r in host[1:])
    assert not any("norden.org" in r[2] for r in host[1:])
    domain = cdx_json(ia, url="*.norden.org")
    assert [r[2] for r in domain[1:]] == [captured.other_host + eras.OTHER_HOST_PATH] * 2
    assert cdx_json(ia, url="nordicwelfare.org/never/") == []
    last = cdx_json(ia, **prefix, limit=-1)
    assert len(last) == 2
    assert cdx(ia, matchType="prefix")[0] == 400


def test_ia_id_answers_the_capture_bytes_and_statuses(ia, captured):
    edited = captured.of(captured.edited)
    status, headers, body = fetch(ia.memento_url(edited[0].timestamp, edited[0].url))
    assert status == 200 and body == edited[0].body
    assert captured.old_paragraph.encode() in body and b"wm-ipp" not in body
    assert headers["Content-Type"] == "text/html; charset=UTF-8"
    assert headers["Memento-Datetime"] == "Thu, 14 Mar 2019 10:00:02 GMT"
    assert headers["X-Archive-Orig-Server"] == "nginx"
    assert headers["X-Archive-Orig-X-Powered-By"] == "PHP/7.2.15"
    # An inexact time: a redirect to the closest capture, as web.archive.org does.
    status, headers, _ = fetch(ia.memento_url("2019", edited[0].url))
    assert status == 302
    assert headers["Location"] == ia.memento_url(edited[0].timestamp, edited[0].url)
    status, _, body = fetch(ia.memento_url(edited[1].timestamp,
                                           edited[1].url.replace("https://", "http://")))
    assert status == 200 and captured.new_paragraph.encode() in body
    removed = captured.of(captured.removed)[1]
    status, headers, body = fetch(ia.memento_url(removed.timestamp, removed.url))
    assert status == 404 and body == removed.body and "Memento-Datetime" in headers
    moved = captured.of(captured.moved)[1]
    status, headers, body = fetch(ia.memento_url(moved.timestamp, moved.url))
    assert status == 301 and body == b""
    assert headers["X-Archive-Orig-Location"] == captured.moved_to
    assert headers["Location"] == ia.memento_url(moved.timestamp, captured.moved_to)
    status, headers, _ = fetch(ia.memento_url("20190314", "https://nordicwelfare.org/never/"))
    assert status == 404 and "Memento-Datetime" not in headers
    assert "ResourceNotInArchiveException" in headers["X-Archive-Wayback-Runtime-Error"]
    # Without id_: the toolbar and rewritten links, what a backfill must never store.
    status, _, body = fetch(f"{ia.base}/web/{edited[0].timestamp}/{edited[0].url}")
    assert status == 200 and b"BEGIN WAYBACK TOOLBAR INSERT" in body


def test_ia_rate_limit_knobs_answer_429_with_retry_after(captured):
    with IaWaybackReplica(captured, rate_limit_first=2) as replica:
        answers = [cdx(replica, url="nordicwelfare.org" + PREFIX + "*", limit=1)
                   for _ in range(3)]
        assert [a[0] for a in answers] == [429, 429, 200]
        assert all(a[1]["Retry-After"] == "1" for a in answers[:2])
        assert [r.status for r in replica.requests] == [429, 429, 200]
        assert all(r.user_agent == AGENT for r in replica.requests)
        assert replica.requests[0].query["limit"] == ["1"]
        assert replica.requests[0].at <= replica.requests[-1].at
    with IaWaybackReplica(captured, always_429=True) as replica:
        url = captured.urls[1][captured.edited]
        assert {fetch(replica.memento_url("20190314100002", url))[0],
                cdx(replica, url=url)[0]} == {429}


def test_ia_fault_knobs(captured):
    prefix = {"url": "nordicwelfare.org" + PREFIX + "*", "output": "json"}
    with IaWaybackReplica(captured, html_instead=True) as replica:
        status, headers, body = cdx(replica, **prefix)
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        with pytest.raises(ValueError):
            json.loads(body)
        replica.html_instead, replica.garbage = False, True
        status, _, body = cdx(replica, **prefix)
        assert status == 200 and len(body) > 100
        with pytest.raises(ValueError):
            json.loads(body)
    with IaWaybackReplica(captured, endless_resume=True) as replica:
        first = cdx_json(replica, **{k: v for k, v in prefix.items() if k != "output"},
                         limit=5, showResumeKey="true")
        key = first[-1][0]
        for _ in range(3):
            page = cdx_json(replica, **{k: v for k, v in prefix.items() if k != "output"},
                            limit=5, showResumeKey="true", resumeKey=key)
            assert page[1:] == [[], [key]]  # no rows, the same key again
    with IaWaybackReplica(captured, wrong_memento=True) as replica:
        edited = captured.of(captured.edited)[0]
        status, _, body = fetch(replica.memento_url(edited.timestamp, edited.url))
        assert status == 200 and body != edited.body
        assert f'rel="canonical" href="{edited.url}"'.encode() not in body


def test_gzip_unless_gzip_false(ia):
    params = {"url": "nordicwelfare.org" + PREFIX + "*", "limit": 2}
    status, headers, body = fetch(ia.cdx_url() + "?" + urlencode(params),
                                  {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert body[:2] == b"\x1f\x8b"
    status, headers, body = fetch(ia.cdx_url() + "?" + urlencode({**params, "gzip": "false"}),
                                  {"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in headers and body.startswith(b"org,nordicwelfare)")


# --- Common Crawl -----------------------------------------------------------------------------


def test_cc_collinfo_and_paged_index(cc, captured):
    status, _, body = fetch(cc.collinfo_url)
    crawls = json.loads(body)
    assert [c["id"] for c in crawls] == ["CC-MAIN-2021-25", "CC-MAIN-2019-13"]
    assert all(c["cdx-api"] == f"{cc.base}/{c['id']}-index" for c in crawls)
    for crawl, era in (("CC-MAIN-2019-13", 1), ("CC-MAIN-2021-25", 2)):
        api = cc.cdx_api(crawl)
        query = {"url": "nordicwelfare.org" + PREFIX + "*", "output": "json"}
        status, _, body = fetch(api + "?" + urlencode({**query, "showNumPages": "true"}))
        info = json.loads(body)
        assert set(info) == {"pages", "pageSize", "blocks"} and info["pages"] > 1
        rows = []
        for page in range(info["pages"]):
            status, headers, body = fetch(api + "?" + urlencode({**query, "page": page}))
            assert status == 200 and headers["Content-Type"] == "text/x-ndjson"
            rows += index_rows(body)
        expected = sorted((c.url, c.timestamp) for c in captured.in_scope() if c.era == era)
        assert sorted((r["url"], r["timestamp"]) for r in rows) == expected
        assert len(rows) == len(expected)
        assert set(rows[0]) >= {"urlkey", "timestamp", "url", "mime", "status", "digest",
                                "length", "offset", "filename"}
        # ZipNum: without page= only the first page comes back; past the last page a 400.
        status, _, body = fetch(api + "?" + urlencode(query))
        assert status == 200 and len(index_rows(body)) < len(rows)
        status, _, body = fetch(api + "?" + urlencode({**query, "page": info["pages"]}))
        assert status == 400 and "invalid" in json.loads(body)["error"]
    api = cc.cdx_api("CC-MAIN-2021-25")
    removed = captured.urls[1][captured.removed]
    status, _, body = fetch(api + "?" + urlencode({"url": removed, "output": "json",
                                                   "fl": "url,mimetype,status,filename"}))
    (row,) = index_rows(body)
    assert row["status"] == "404" and "mimetype" not in row and set(row) == {
        "url", "status", "filename"}
    assert "/crawldiagnostics/" in row["filename"]
    redirects = []
    for page in range(info["pages"]):  # a page without a match answers 404
        status, _, body = fetch(api + "?" + urlencode({
            "url": "nordicwelfare.org" + PREFIX + "*", "output": "json", "page": page,
            "filter": "=status:301"}))
        assert status in (200, 404)
        redirects += index_rows(body) if status == 200 else []
    assert [(r["url"], r["redirect"]) for r in redirects] == [(captured.moved_from,
                                                                captured.moved_to)]
    status, _, body = fetch(api + "?" + urlencode({"url": "nordicwelfare.org/never/",
                                                   "output": "json"}))
    assert status == 404 and "No Captures found" in json.loads(body)["error"]
    status, _, body = fetch(api + "?" + urlencode({"url": captured.moved_from}))
    assert status == 200 and body.decode().startswith(captured.of(captured.moved)[1].urlkey)


def test_cc_range_requests_return_the_record_the_index_names(cc, captured):
    for crawl in ("CC-MAIN-2019-13", "CC-MAIN-2021-25"):
        rows = []
        api = cc.cdx_api(crawl)
        pages = json.loads(fetch(api + "?" + urlencode({"url": "nordicwelfare.org/",
                                                        "matchType": "domain",
                                                        "showNumPages": "true"}))[2])["pages"]
        for page in range(pages):
            rows += index_rows(fetch(api + "?" + urlencode({
                "url": "nordicwelfare.org/", "matchType": "domain", "output": "json",
                "page": page}))[2])
        assert len(rows) == len([c for c in captured.era(1 if "2019" in crawl else 2)
                                 if "nordicwelfare.org" in c.url])
        for row in rows:
            first, length = int(row["offset"]), int(row["length"])
            status, headers, body = fetch(f"{cc.data_base}/{row['filename']}",
                                          {"Range": f"bytes={first}-{first + length - 1}"})
            assert status == 206 and len(body) == length
            assert headers["Content-Range"].startswith(f"bytes {first}-{first + length - 1}/")
            (record,) = list(ArchiveIterator(io.BytesIO(body)))
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Target-URI") == row["url"]
            assert record.rec_headers.get_header("WARC-Date").replace("-", "").replace(
                ":", "").replace("T", "")[:14] == row["timestamp"]
            assert record.http_headers.get_statuscode() == row["status"]
            if row.get("redirect"):
                assert record.http_headers.get_header("Location") == row["redirect"]
    name = rows[0]["filename"]
    size = len(fetch(f"{cc.data_base}/{name}")[2])
    status, headers, body = fetch(f"{cc.data_base}/{name}", {"Range": "bytes=-10"})
    assert status == 206 and headers["Content-Range"] == f"bytes {size - 10}-{size - 1}/{size}"
    status, headers, _ = fetch(f"{cc.data_base}/{name}", {"Range": f"bytes={size}-"})
    assert status == 416 and headers["Content-Range"] == f"bytes */{size}"
    assert fetch(f"{cc.data_base}/crawl-data/none.warc.gz")[0] == 404
    with CommonCrawlReplica(captured, ignore_range=True, rate_limit_first=1,
                            rate_limit_status=503) as replica:
        assert fetch(f"{replica.data_base}/{name}", {"Range": "bytes=0-9"})[0] == 503
        status, _, body = fetch(f"{replica.data_base}/{name}", {"Range": "bytes=0-9"})
        assert status == 200 and len(body) == size


# --- pywb --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pywb(captured, tmp_path_factory):
    """``wayback`` (pywb 2.10) serving ``portal``: both era WARC files, added with
    ``wb-manager add``."""
    collections = PywbCollections.of_eras(shared_pywb(tmp_path_factory),
                                          tmp_path_factory.mktemp("pywb"), captured)
    with collections:
        yield collections


@pytest.mark.timeout(1200)  # installing pywb on a busy machine
def test_pywb_indexes_the_era_warcs_as_the_replicas_describe_them(pywb, cc, captured):
    query = {"url": "nordicwelfare.org" + PREFIX + "*", "output": "json"}
    status, headers, body = fetch(pywb.cdx_url() + "?" + urlencode(query))
    assert status == 200 and "ndjson" in headers["Content-Type"]
    theirs = index_rows(body)
    assert {"urlkey", "timestamp", "url", "mime", "status", "digest", "length", "offset",
            "filename"} <= set(theirs[0])
    ours = []
    for crawl in ("CC-MAIN-2019-13", "CC-MAIN-2021-25"):
        api = cc.cdx_api(crawl)
        pages = json.loads(fetch(api + "?" + urlencode({**query, "showNumPages": "true"}))[2])
        for page in range(pages["pages"]):
            ours += index_rows(fetch(api + "?" + urlencode({**query, "page": page}))[2])

    def key(row):
        return (row["urlkey"], row["timestamp"], row["url"], str(row["status"]),
                row["digest"], str(row["offset"]), str(row["length"]))

    assert sorted(map(key, theirs)) == sorted(map(key, ours))
    assert sorted((r["url"], r["timestamp"]) for r in theirs) == sorted(
        (c.url, c.timestamp) for c in captured.in_scope())
    # pywb's prefix range for ".../nyheter/*" leaves out ".../nyheter/" itself, as ours does.
    listing = captured.base + eras.LISTING_PATH
    for_listing = index_rows(fetch(pywb.cdx_url() + "?" + urlencode(
        {"url": listing + "*", "output": "json"}))[2])
    assert listing not in {r["url"] for r in for_listing} and for_listing
    start, end = search_range(listing, "prefix")
    assert sorted(r["urlkey"] for r in for_listing) == sorted(
        c.urlkey for c in captured.captures if start <= c.urlkey < end)
    # fl names are not translated: the IA's "mimetype" is nothing to pywb.
    named = index_rows(fetch(pywb.cdx_url() + "?" + urlencode(
        {**query, "fl": "url,mimetype", "limit": 3}))[2])
    assert len(named) == 3 and all(set(r) == {"url"} for r in named)
    edited = captured.of(captured.edited)
    status, _, body = fetch(pywb.memento_url(edited[0].timestamp, edited[0].url))
    assert status == 200 and captured.old_paragraph.encode() in body
    status, _, body = fetch(pywb.memento_url(edited[1].timestamp, edited[1].url))
    assert status == 200 and captured.new_paragraph.encode() in body
