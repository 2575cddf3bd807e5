"""The backfill's archive clients: the parsers on every form of answer, and the clients against
tiny archives on 127.0.0.1 (a Wayback-style CDX server with resume keys and 429s, a pywb
collection, a Common Crawl index with a WARC file served by Range), each test asserting what
a user would see: the one-line error, every capture exactly once, the waits, the User-Agent."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.backfill import cdx
from crawler.backfill.archives import (
    ArchiveSourceError,
    Capture,
    CaptureUnavailable,
    RateLimited,
    open_archive,
)
from tests.helpers.net import free_port

AGENT = "nordarchive-test/1 (+https://example.invalid; research archive)"
PREFIX = "https://portal.example/news/"


# --- tiny servers -------------------------------------------------------------------------

class Clock:
    """The injected clock and sleep: sleeping only moves the clock."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


class Seen:
    def __init__(self, handler: BaseHTTPRequestHandler, at: float) -> None:
        parts = urlsplit(handler.path)
        self.path, self.at = parts.path, at
        self.query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.headers = dict(handler.headers.items())


class Server:
    """A threaded server on 127.0.0.1 handing each GET to ``handle``; it keeps every request
    (with the injected clock's time) in ``seen``."""

    def __init__(self, handle: Callable[[Server, BaseHTTPRequestHandler], None],
                 clock: Clock) -> None:
        self.seen: list[Seen] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                server.seen.append(Seen(self, clock.now))
                handle(server, self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True).start()

    def requests(self, path: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.path.startswith(path)]

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes | str = b"",
         content_type: str = "application/json", headers: dict[str, str] | None = None) -> None:
    body = body.encode() if isinstance(body, str) else body
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def serve(clock: Clock) -> Iterator[Callable[..., Server]]:
    servers: list[Server] = []

    def start(handle: Callable[[Server, BaseHTTPRequestHandler], None]) -> Server:
        servers.append(Server(handle, clock))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def opened(spec: str, clock: Clock, **options):
    options.setdefault("user_agent", AGENT)
    return open_archive(spec, sleep=clock.sleep, clock=clock.clock, **options)


# --- the parsers ----------------------------------------------------------------------------

README_JSON = """[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],
 ["org,archive)/", "19970126045828", "http://www.archive.org:80/", "text/html", "200",
  "Q4YULN754FHV2U6Q5JUT6Q2P57WEWNNY", "1415"],
 ["org,archive)/", "19971011050034", "http://www.archive.org:80/", "text/html", "200",
  "XAHDNHZ5P3GSSSNJ3DMEOJF7BMCCPZR3", "1402"],
 [],
 ["org%2Carchive%29%2F+19980109140106%21"]]"""

README_TEXT = """\
org,archive)/ 19970126045828 http://www.archive.org:80/ text/html 200 Q4YULN754FHV2U6Q5JUT6Q2P57WEWNNY 1415
org,archive)/ 19971011050034 http://www.archive.org:80/ text/html 200 XAHDNHZ5P3GSSSNJ3DMEOJF7BMCCPZR3 1402

org%2Carchive%29%2F+19980109140106%21
"""  # noqa: E501


def test_wayback_json_has_a_header_row_and_a_resume_key_after_an_empty_row():
    rows, key = cdx.parse_ia_json(README_JSON)
    assert key == "org%2Carchive%29%2F+19980109140106%21"
    assert [row["timestamp"] for row in rows] == ["19970126045828", "19971011050034"]
    capture = cdx.capture_from_row(rows[0], archive="wayback", replay="https://w.example/web/")
    assert (capture.url, capture.status, capture.mime, capture.length) == (
        "http://www.archive.org:80/", 200, "text/html", 1415)
    assert capture.captured_at == datetime(1997, 1, 26, 4, 58, 28, tzinfo=UTC)
    assert capture.memento_uri == "https://w.example/web/19970126045828/http://www.archive.org:80/"
    assert cdx.parse_ia_json("[]") == ([], None)
    assert cdx.parse_ia_json('[["urlkey","timestamp","original"]]') == ([], None)


def test_wayback_plain_text_lines_end_with_a_blank_line_and_the_key():
    rows, key = cdx.parse_ia_text(README_TEXT)
    assert key == "org%2Carchive%29%2F+19980109140106%21"
    assert [row["digest"] for row in rows] == ["Q4YULN754FHV2U6Q5JUT6Q2P57WEWNNY",
                                               "XAHDNHZ5P3GSSSNJ3DMEOJF7BMCCPZR3"]
    assert cdx.parse_ia_text(README_TEXT.split("\n\n")[0]) == (rows, None)


@pytest.mark.timeout(10)  # a parser that loops on trailing blank lines fails here, not later
def test_wayback_plain_text_with_trailing_blank_lines_reads_the_same():
    assert cdx.parse_ia_text(README_TEXT + "\n\n \n") == cdx.parse_ia_text(README_TEXT)


def test_pywb_ndjson_uses_its_own_names_and_dashes_for_nothing():
    body = ('{"urlkey": "example,portal)/news/a", "timestamp": "20190314100000", '
            '"url": "https://portal.example/news/a", "mime": "warc/revisit", "status": "-", '
            '"digest": "AAAA", "length": "512", "offset": "1024", "filename": "a.warc.gz"}\n\n')
    [row] = cdx.parse_ndjson(body)
    capture = cdx.capture_from_row(row, archive="commoncrawl", replay="https://d.example/")
    assert (capture.status, capture.length, capture.offset, capture.filename) == (
        None, 512, 1024, "a.warc.gz")
    assert capture.memento_uri == "https://d.example/a.warc.gz#offset=1024&length=512"


def test_page_counts_from_pywb_and_from_the_wayback_server():
    assert cdx.parse_num_pages('{"blocks": 423, "pages": 85, "pageSize": 5}') == 85
    assert cdx.parse_num_pages("3\n") == 3
    with pytest.raises(ArchiveSourceError, match="not a page count"):
        cdx.parse_num_pages('{"pages": "many"}')


def test_timestamps_are_14_digits_and_shorter_ones_start_their_period():
    assert cdx.timestamp14("20190314100000") == "20190314100000"
    assert cdx.timestamp14("2019") == "20190101000000"
    assert cdx.timestamp14("201903") == "20190301000000"
    for wrong in ("2019-03-14", "20191340000000", "", "201903141000001"):
        with pytest.raises(ArchiveSourceError, match="not a CDX timestamp"):
            cdx.timestamp14(wrong)
    assert cdx.prefix_query(PREFIX, date(2019, 1, 2), date(2019, 3, 4)) == {
        "url": PREFIX, "matchType": "prefix", "output": "json",
        "from": "20190102000000", "to": "20190304235959"}


@pytest.mark.parametrize("body, said", [
    (b"<!DOCTYPE html>\n<html><body>Service\nunavailable</body></html>", "an HTML page"),
    (b"garbage in\nthree\nlines", "'garbage in three lines'"),
    (bytes(range(256)) * 4, "1024 bytes that are not text"),
    (bytes(range(128, 256)), "128 bytes that are not text"),
    (b'{"status": "ok"}', "expected a JSON array"),
    (b"[1, 2, 3]", "expected a JSON array"),
    (b'[["urlkey", "timestamp"], ["only one"]]', "a row of 1 values"),
    (b'[["urlkey", "original"], ["a", "b"]]', "no timestamp field"),
    (b"", "an empty answer"),
])
def test_anything_but_a_listing_is_one_line_naming_the_source(body, said):
    with pytest.raises(ArchiveSourceError) as raised:
        cdx.parse_ia_json(body, "http://cdx.example/cdx")
    message = str(raised.value)
    assert message.startswith("http://cdx.example/cdx answered ") and said in message
    assert "\n" not in message


def test_ndjson_that_is_not_cdx_is_refused():
    for body in ("<html>\n</html>", '{"hello": 1}', "[1]", "nonsense"):
        with pytest.raises(ArchiveSourceError, match="not a CDX listing"):
            cdx.parse_ndjson(body, "src")
    with pytest.raises(ArchiveSourceError, match="not a number"):
        cdx.capture_from_row({"timestamp": "2019", "url": "u", "length": "big"}, archive="x")
    with pytest.raises(ArchiveSourceError, match="without a URL"):
        cdx.capture_from_row({"timestamp": "2019"}, archive="x")


def test_retry_after_in_seconds_or_as_a_date():
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert cdx.parse_retry_after("7", now) == 7.0
    assert cdx.parse_retry_after(later, now) == 30.0
    assert cdx.parse_retry_after(format_datetime(now - timedelta(hours=1), usegmt=True),
                                 now) == 0.0
    assert cdx.parse_retry_after("soon", now) is None
    assert cdx.parse_retry_after(None, now) is None


def test_collinfo_in_time_order_and_only_crawls_that_can_hold_the_dates():
    body = json.dumps([
        {"id": "CC-MAIN-2019-13", "cdx-api": "/CC-MAIN-2019-13-index",
         "from": "2019-03-18T10:00:00", "to": "2019-03-27T01:00:00"},
        {"id": "CC-MAIN-2019-04", "cdx-api": "https://i.example/CC-MAIN-2019-04-index"},
        {"id": "CC-MAIN-2017-51", "cdx-api": "https://i.example/CC-MAIN-2017-51-index"},
    ])
    crawls = cdx.parse_collinfo(body, base="https://i.example/")
    assert [c.id for c in crawls] == ["CC-MAIN-2017-51", "CC-MAIN-2019-04", "CC-MAIN-2019-13"]
    assert crawls[-1].cdx_api == "https://i.example/CC-MAIN-2019-13-index"
    assert [c.id for c in cdx.crawls_between(crawls, date(2019, 1, 1), date(2019, 2, 1))] == [
        "CC-MAIN-2019-04"]
    assert [c.id for c in cdx.crawls_between(crawls, date(2019, 3, 27), None)] == [
        "CC-MAIN-2019-13"]
    with pytest.raises(ArchiveSourceError, match="not a list of crawls"):
        cdx.parse_collinfo("<html></html>", "https://i.example/collinfo.json")


def test_a_replayed_redirect_leads_back_to_the_original_url():
    replay = "https://web.example/web/"
    assert cdx.original_of_replay(replay + "20190314100000id_/https://a.example/x?y=1",
                                  replay) == "https://a.example/x?y=1"
    assert cdx.original_of_replay(replay + "2019/https://a.example/", replay) == (
        "https://a.example/")
    assert cdx.original_of_replay("https://elsewhere.example/", replay) == (
        "https://elsewhere.example/")


def test_a_replays_own_headers_are_told_from_the_captures():
    wayback = [("Server", "nginx"), ("X-App-Server", "wwwb-app"), ("Content-Type", "text/html"),
               ("X-Archive-Orig-Server", "Apache/2"), ("X-Archive-Orig-Content-Encoding", "gzip")]
    assert cdx.original_headers(wayback, prefixed_only=True) == [
        ("Server", "Apache/2"), ("Content-Type", "text/html")]
    pywb = [("Content-Type", "text/html"), ("X-Archive-Orig-Server", "Apache/2"),
            ("X-Site", "yes"), ("Memento-Datetime", "Sat, 16 Mar 2019 10:00:00 GMT"),
            ("Link", "<x>; rel=original"), ("Date", "today"), ("Transfer-Encoding", "chunked"),
            ("Server", "pywb")]
    assert cdx.original_headers(pywb, prefixed_only=False) == [
        ("Server", "Apache/2"), ("Content-Type", "text/html"), ("X-Site", "yes")]


def test_a_replayed_body_is_held_against_the_index_digest_where_that_can_be_told():
    capture = Capture(timestamp="20190314100000", url=PREFIX + "a", status=200, mime="text/html",
                      digest=cdx.payload_digest(b"<p>A</p>"), length=None, offset=None,
                      filename=None, archive="wayback")
    assert cdx.digest_matches(capture, b"<p>A</p>", [], prefixed_only=True) is True
    assert cdx.digest_matches(capture, b"<p>B</p>", [], prefixed_only=True) is False
    chunked = [("X-Archive-Orig-Transfer-Encoding", "chunked")]
    assert cdx.digest_matches(capture, b"<p>B</p>", chunked, prefixed_only=True) is None
    assert cdx.digest_matches(capture, b"<p>B</p>", [], prefixed_only=False) is None


# --- a Wayback-style CDX server -------------------------------------------------------------

IA_HEADER = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
IA_ROWS = [
    ["example,portal)/news/a", "20190314100000", PREFIX + "a", "text/html", "200", "AAAA", "90"],
    ["example,portal)/news/a", "20190401100000", PREFIX + "a", "text/html", "200", "BBBB", "95"],
    ["example,portal)/news/b", "20190314110000", PREFIX + "b", "text/html", "301", "CCCC", "50"],
    ["example,portal)/news/c", "20200101000000", PREFIX + "c", "text/html", "200", "DDDD", "9"],
    ["example,portal)/news/d", "20200202000000", PREFIX + "d", "text/html", "-", "EEEE", "-"],
]


class Wayback:
    """Pages of ``limit`` rows chained by resume keys ``k<n>``; 429 with ``Retry-After`` the
    first ``throttle`` times the listing is asked; mementos with ``X-Archive-Orig-*``."""

    def __init__(self, throttle: int = 0, retry_after: str = "7") -> None:
        self.throttle, self.retry_after = throttle, retry_after
        self.memento_503 = 0

    def __call__(self, server: Server, handler: BaseHTTPRequestHandler) -> None:
        seen = server.seen[-1]
        if seen.path == "/cdx/search/cdx":
            if "showResumeKey" in seen.query and self.throttle:
                self.throttle -= 1
                return send(handler, 429, "slow down", "text/plain",
                            {"Retry-After": self.retry_after})
            rows = [row for row in IA_ROWS if row[2].startswith(seen.query["url"])]
            start = int(seen.query.get("resumeKey", "k0")[1:])
            limit = int(seen.query.get("limit", len(rows)))
            answer = [IA_HEADER, *rows[start:start + limit]] if rows else []
            if start + limit < len(rows) and seen.query.get("showResumeKey"):
                answer += [[], [f"k{start + limit}"]]
            return send(handler, 200, json.dumps(answer))
        if seen.path.startswith("/web/"):
            if self.memento_503:
                self.memento_503 -= 1
                return send(handler, 503, "busy", "text/plain", {"Retry-After": "2"})
            timestamp, url = seen.path[len("/web/"):].split("id_/", 1)
            archived = {"Memento-Datetime": "Thu, 14 Mar 2019 10:00:00 GMT",
                        "X-Archive-Orig-Server": "Apache/2", "Link": f'<{url}>; rel="original"'}
            if url.endswith("/b"):
                target = f"{server.base}/web/{timestamp}id_/{PREFIX}b-moved"
                return send(handler, 301, "", "text/html", {**archived, "Location": target})
            if url.endswith("/c"):
                return send(handler, 200, b"x" * 5000, "text/html", archived)
            if url.endswith("/d"):
                return send(handler, 404, "<html>not in archive</html>", "text/html")
            return send(handler, 200, f"<html>{timestamp} {url}</html>",
                        "text/html; charset=utf-8", archived)
        send(handler, 404, "<html>no</html>", "text/html")


def test_wayback_lists_every_capture_once_across_pages_after_waiting_out_a_429(serve, clock):
    server = serve(Wayback(throttle=1, retry_after="7"))
    archive = opened(server.base, clock, page_size=2)
    assert archive.kind == "ia" and archive.name == server.base
    listed = list(archive.captures(PREFIX, since=date(2019, 1, 1), until=date(2020, 12, 31)))
    assert [(c.url, c.timestamp) for c, _ in listed] == [(row[2], row[1]) for row in IA_ROWS]
    assert listed[4][0].status is None and listed[4][0].length is None
    assert 7.0 in clock.sleeps  # the Retry-After, through the injected sleep
    listing = [seen for seen in server.requests("/cdx/search/cdx") if "showResumeKey" in seen.query]
    assert [seen.query.get("resumeKey") for seen in listing] == [None, None, "k2", "k4"]
    assert all(seen.query["collapse"] == "digest" and seen.query["matchType"] == "prefix"
               and seen.query["from"] == "20190101000000" and seen.query["to"] == "20201231235959"
               for seen in listing)
    times = [seen.at for seen in server.requests("/cdx/search/cdx")]
    assert all(b - a >= 2.5 for a, b in zip(times, times[1:], strict=False))
    assert {seen.headers["User-Agent"] for seen in server.seen} == {AGENT}


def test_a_wayback_listing_resumes_after_the_capture_its_token_came_with(serve, clock):
    server = serve(Wayback())
    archive = opened(server.base, clock, page_size=2)
    tokens = [token for _, token in archive.captures(PREFIX)]
    for n in range(len(IA_ROWS)):
        rest = [c.timestamp for c, _ in archive.captures(PREFIX, resume=tokens[n])]
        assert rest == [row[1] for row in IA_ROWS[n + 1:]]
    for wrong in ('{"a":"commoncrawl","c":"x","p":0,"n":1}', '{"a":"ia","k":null,"n":"x"}',
                  "garbage"):
        with pytest.raises(ArchiveSourceError, match=re.escape(f"token '{wrong}' is not one of")):
            next(archive.captures(PREFIX, resume=wrong))


def test_repeated_429s_stop_with_resume_later_and_retry_after_is_capped(serve, clock):
    server = serve(Wayback(throttle=100, retry_after="99999"))
    archive = opened(server.base, clock)
    with pytest.raises(RateLimited) as raised:
        list(archive.captures(PREFIX))
    message = str(raised.value)
    assert "429" in message and "resume later (it asks for 99999 s)" in message
    assert "\n" not in message
    assert len([s for s in server.requests("/cdx/") if "showResumeKey" in s.query]) == 3
    assert clock.sleeps.count(300.0) == 2  # capped, and no wait after the last


def test_a_resume_key_that_never_advances_is_an_error_not_a_loop(serve, clock):
    def stuck(server: Server, handler: BaseHTTPRequestHandler) -> None:
        if "showResumeKey" in server.seen[-1].query:
            return send(handler, 200, json.dumps([IA_HEADER, [], ["same-key"]]))
        send(handler, 200, "[]")

    server = serve(stuck)
    with pytest.raises(ArchiveSourceError, match="resume key 'same-key' again: the listing "
                                                 "does not advance"):
        list(opened(server.base, clock).captures(PREFIX))
    assert len(server.requests("/cdx/search/cdx")) == 3  # the probe and two pages


def test_a_listing_page_of_html_is_one_line_not_a_traceback(serve, clock):
    def broken(server: Server, handler: BaseHTTPRequestHandler) -> None:
        query = server.seen[-1].query
        if query.get("resumeKey"):
            return send(handler, 200, "<html>\n<h1>Internal error</h1>\n</html>", "text/html")
        rows = [IA_HEADER, IA_ROWS[0], [], ["k1"]] if "showResumeKey" in query else []
        send(handler, 200, json.dumps(rows))

    server = serve(broken)
    captures = opened(server.base, clock).captures(PREFIX)
    assert next(captures)[0].timestamp == IA_ROWS[0][1]
    with pytest.raises(ArchiveSourceError) as raised:
        next(captures)
    assert "answered an HTML page, not a CDX listing" in str(raised.value)
    assert "\n" not in str(raised.value)


def test_wayback_mementos_their_original_headers_redirects_and_size_limit(serve, clock):
    server = serve(Wayback())
    archive = opened(server.base, clock, max_bytes=1000)
    captures = [c for c, _ in archive.captures(PREFIX)]
    memento = archive.fetch(captures[0])
    assert memento.status == 200 and memento.body == (
        f"<html>{captures[0].timestamp} {PREFIX}a</html>".encode())
    assert memento.header("Server") == "Apache/2"
    assert memento.header("content-type") == "text/html; charset=utf-8"
    assert memento.fetched_from == f"{server.base}/web/{captures[0].timestamp}id_/{PREFIX}a"
    assert memento.digest_matches is None  # "AAAA" is no SHA-1
    assert server.requests("/web/")[-1].headers["Accept-Encoding"] == "identity"
    moved = archive.fetch(captures[2])
    assert (moved.status, moved.location, moved.final_url) == (
        301, PREFIX + "b-moved", PREFIX + "b-moved")
    with pytest.raises(CaptureUnavailable, match="over the limit of 1000 bytes"):
        archive.fetch(captures[3])
    with pytest.raises(CaptureUnavailable, match="the archive answered HTTP 404, not the capture"):
        archive.fetch(captures[4])
    times = [seen.at for seen in server.requests("/web/")]
    assert all(0.25 <= b - a < 2.5 for a, b in zip(times, times[1:], strict=False))


def test_a_503_with_retry_after_is_waited_out(serve, clock):
    wayback = Wayback()
    server = serve(wayback)
    archive = opened(server.base, clock)
    capture = next(archive.captures(PREFIX))[0]
    wayback.memento_503 = 1
    assert archive.fetch(capture).status == 200
    assert 2.0 in clock.sleeps and len(server.requests("/web/")) == 2


def test_wayback_by_name_goes_where_the_environment_says(serve, clock, monkeypatch):
    server = serve(Wayback())
    monkeypatch.setenv("NORDARCHIVE_WAYBACK_URL", server.base + "/")
    archive = opened("wayback", clock)
    capture = next(archive.captures(PREFIX))[0]
    assert capture.archive == "wayback"
    assert capture.memento_uri == f"{server.base}/web/{IA_ROWS[0][1]}/{PREFIX}a"
    assert server.seen[0].path == "/cdx/search/cdx"  # no probe for a named archive


# --- what is no archive -------------------------------------------------------------------

@pytest.mark.parametrize("status, body, content_type, said", [
    (200, "<!doctype html><html><body>Welcome\n</body></html>", "text/html", "an HTML page"),
    (200, "garbage garbage", "text/plain", "'garbage garbage'"),
    (404, "Not Found", "text/plain", "HTTP 404"),
    (200, '{"api": "something else"}', "application/json", "'{\"api\": \"something else\"}'"),
    (200, "<div>Down for maintenance</div>", "text/html; charset=utf-8", "an HTML page"),
    (200, '["not", "a", "listing"]', "application/json", "'[\"not\", \"a\", \"listing\"]'"),
])
def test_a_url_that_is_no_archive_says_so_in_one_line(serve, clock, status, body, content_type,
                                                      said):
    server = serve(lambda s, handler: send(handler, status, body, content_type))
    with pytest.raises(ArchiveSourceError) as raised:
        opened(server.base + "/", clock)
    message = str(raised.value)
    assert message.startswith(f"{server.base} is not a web archive this tool can read")
    assert said in message and "\n" not in message
    assert [seen.path for seen in server.seen] == ["/cdx/search/cdx", "/cdx"]


def test_a_refused_connection_and_an_unknown_name_say_so(clock):
    port = free_port()
    with pytest.raises(ArchiveSourceError, match=rf"^http://127.0.0.1:{port}: cannot connect "
                                                 r"\(connection refused\)$"):
        opened(f"http://127.0.0.1:{port}", clock)
    with pytest.raises(ArchiveSourceError, match="unknown archive 'archive-it'"):
        opened("archive-it", clock)


# --- a pywb collection --------------------------------------------------------------------

PYWB_ROWS = [
    {"urlkey": "example,portal)/news/a", "timestamp": "20190314100000", "url": PREFIX + "a",
     "mime": "text/html", "status": "200", "digest": "AAAA", "length": "900", "offset": "0",
     "filename": "rec.warc.gz"},
    {"urlkey": "example,portal)/news/a", "timestamp": "20190315100000", "url": PREFIX + "a",
     "mime": "text/html", "status": "200", "digest": "AAAA", "length": "900", "offset": "900",
     "filename": "rec.warc.gz"},
    {"urlkey": "example,portal)/news/a", "timestamp": "20190316100000", "url": PREFIX + "a",
     "mime": "text/html", "status": "200", "digest": "BBBB", "length": "910", "offset": "1800",
     "filename": "rec.warc.gz"},
    {"urlkey": "example,portal)/news/b", "timestamp": "20190316100000", "url": PREFIX + "b",
     "mime": "text/html", "status": "200", "digest": "CCCC", "length": "700", "offset": "2710",
     "filename": "rec.warc.gz"},
]


def pywb(server: Server, handler: BaseHTTPRequestHandler) -> None:
    seen = server.seen[-1]
    if seen.path == "/coll/cdx":
        rows = [row for row in PYWB_ROWS if row["url"].startswith(seen.query["url"])]
        if not rows:
            return send(handler, 404, json.dumps(
                {"message": f"No Captures found for: {seen.query['url']}"}))
        return send(handler, 200, "".join(json.dumps(row) + "\n" for row in rows),
                    "text/x-ndjson")
    if seen.path.startswith("/coll/2019"):
        url = seen.path.split("id_/", 1)[1]
        return send(handler, 200, f"<p>{url}</p>", "text/html",  # as pywb 2.10 sends it
                    {"X-Archive-Orig-Server": "Apache/2", "X-Site": "yes",
                     "Memento-Datetime": "Sat, 16 Mar 2019 10:00:00 GMT",
                     "Link": f'<{url}>; rel="original"', "Content-Location": seen.path})
    send(handler, 404, "<html>not found</html>", "text/html")


def test_a_pywb_collection_is_told_from_its_answers_and_listed_once(serve, clock):
    server = serve(pywb)
    archive = opened(server.base + "/coll/", clock)
    assert archive.kind == "pywb" and archive.name == server.base + "/coll"
    listed = list(archive.captures(PREFIX, until=date(2019, 12, 31)))
    assert [c.timestamp for c, _ in listed] == ["20190314100000", "20190316100000",
                                                "20190316100000"]  # one same digest collapsed
    assert [c.url for c, _ in listed] == [PREFIX + "a", PREFIX + "a", PREFIX + "b"]
    for n, (_, token) in enumerate(listed):
        rest = list(archive.captures(PREFIX, resume=token))
        assert [c for c, _ in rest] == [c for c, _ in listed[n + 1:]]
    listing = [seen for seen in server.requests("/coll/cdx") if "matchType" in seen.query]
    assert listing[0].query["to"] == "20191231235959"
    memento = archive.fetch(listed[1][0])
    assert memento.body == f"<p>{PREFIX}a</p>".encode()
    assert sorted(memento.headers) == [("Content-Type", "text/html"), ("Server", "Apache/2"),
                                       ("X-Site", "yes")]
    assert {seen.headers["User-Agent"] for seen in server.seen} == {AGENT}


def test_a_pywb_prefix_without_captures_lists_nothing(serve, clock):
    server = serve(pywb)
    assert list(opened(server.base + "/coll", clock).captures("https://none.example/")) == []


def test_a_pywb_collection_that_does_not_exist_is_refused(serve, clock):
    def lacking(server: Server, handler: BaseHTTPRequestHandler) -> None:
        if server.seen[-1].path == "/nocoll/cdx":  # pywb 2.10: nothing, for any collection
            return send(handler, 200, "", "text/x-ndjson")
        send(handler, 404, "<html><title>Pywb Error</title></html>", "text/html")

    server = serve(lacking)
    with pytest.raises(ArchiveSourceError, match=r"/cdx answered nothing and / answered HTTP "
                                                 r"404: no such collection$"):
        opened(server.base + "/nocoll/", clock)


# --- a Common Crawl index and its data host -----------------------------------------------

def warc_file() -> tuple[bytes, list[dict[str, str]]]:
    """A gzipped WARC of three responses; the index rows of the first two, and of the third
    under the wrong URL (a memento that is not what the index said)."""
    out = BytesIO()
    writer = WARCWriter(out, gzip=True)
    rows = []
    for url, timestamp, body in ((PREFIX + "a", "20190320101010", b"<p>A</p>"),
                                 (PREFIX + "b", "20190321101010", b"<p>B</p>"),
                                 ("https://elsewhere.example/", "20190322101010", b"<p>X</p>")):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("X-Site", "cc")],
                                protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=BytesIO(body),
                                           http_headers=http)
        start = out.tell()
        writer.write_record(record)
        digest = record.rec_headers.get_header("WARC-Payload-Digest").split(":")[1]
        rows.append({"urlkey": "x", "timestamp": timestamp, "url": url, "mime": "text/html",
                     "status": "200", "digest": digest, "length": str(out.tell() - start),
                     "offset": str(start), "filename": "crawl-data/CC-MAIN-2019-13/seg.warc.gz"})
    rows[2]["url"] = PREFIX + "c"
    return out.getvalue(), rows


class CommonCrawl:
    def __init__(self) -> None:
        self.warc, self.rows = warc_file()

    def __call__(self, server: Server, handler: BaseHTTPRequestHandler) -> None:
        seen = server.seen[-1]
        if seen.path == "/collinfo.json":
            return send(handler, 200, json.dumps([
                {"id": "CC-MAIN-2019-13", "cdx-api": f"{server.base}/CC-MAIN-2019-13-index",
                 "from": "2019-03-18T10:00:00", "to": "2019-03-27T01:00:00"},
                {"id": "CC-MAIN-2019-04", "cdx-api": f"{server.base}/CC-MAIN-2019-04-index",
                 "from": "2019-01-15T00:00:00", "to": "2019-01-24T00:00:00"},
                {"id": "CC-MAIN-2018-05", "cdx-api": f"{server.base}/CC-MAIN-2018-05-index"},
            ]))
        if seen.path == "/CC-MAIN-2019-13-index":
            if seen.query.get("showNumPages"):
                return send(handler, 200, '{"pages": 2, "pageSize": 5, "blocks": 6}')
            page = self.rows[:2] if seen.query["page"] == "0" else self.rows[2:]
            return send(handler, 200, "".join(json.dumps(row) + "\n" for row in page))
        if seen.path.endswith("-index"):
            return send(handler, 404, json.dumps(
                {"message": f"No Captures found for: {seen.query['url']}"}))
        if seen.path == "/data/crawl-data/CC-MAIN-2019-13/seg.warc.gz":
            first, last = seen.headers["Range"].removeprefix("bytes=").split("-")
            return send(handler, 206, self.warc[int(first):int(last) + 1],
                        "application/octet-stream")
        send(handler, 404, "<html>no</html>", "text/html")


def test_common_crawl_lists_the_crawls_of_the_dates_page_by_page(serve, clock):
    common = CommonCrawl()
    server = serve(common)
    archive = opened("commoncrawl", clock, commoncrawl_index=server.base,
                     commoncrawl_data=server.base + "/data")
    listed = list(archive.captures(PREFIX, since=date(2019, 1, 1)))
    assert [c.url for c, _ in listed] == [PREFIX + "a", PREFIX + "b", PREFIX + "c"]
    assert {c.archive for c, _ in listed} == {"commoncrawl"}
    asked = [(s.path, s.query.get("page", s.query.get("showNumPages"))) for s in server.seen]
    assert asked == [("/collinfo.json", None), ("/CC-MAIN-2019-04-index", "true"),
                     ("/CC-MAIN-2019-13-index", "true"), ("/CC-MAIN-2019-13-index", "0"),
                     ("/CC-MAIN-2019-13-index", "1")]  # 2018-05 is before the dates
    for n, (_, token) in enumerate(listed):
        rest = list(archive.captures(PREFIX, since=date(2019, 1, 1), resume=token))
        assert [c for c, _ in rest] == [c for c, _ in listed[n + 1:]]
    assert listed[0][0].memento_uri == (f"{server.base}/data/crawl-data/CC-MAIN-2019-13/"
                                        f"seg.warc.gz#offset=0&length={common.rows[0]['length']}")


def test_common_crawl_records_come_by_range_and_are_checked(serve, clock):
    common = CommonCrawl()
    server = serve(common)
    archive = opened("commoncrawl", clock, commoncrawl_index=server.base,
                     commoncrawl_data=server.base + "/data/")
    a, b, c = [capture for capture, _ in archive.captures(PREFIX)]
    memento = archive.fetch(b)
    offset, length = int(common.rows[1]["offset"]), int(common.rows[1]["length"])
    assert server.seen[-1].headers["Range"] == f"bytes={offset}-{offset + length - 1}"
    assert memento.warc_record == common.warc[offset:offset + length]
    assert (memento.status, memento.body, memento.header("x-site")) == (200, b"<p>B</p>", "cc")
    assert memento.digest_matches is True
    with pytest.raises(CaptureUnavailable) as raised:
        archive.fetch(c)
    assert str(raised.value).startswith("memento is not what the index said: ")
    assert "'https://elsewhere.example/'" in str(raised.value)
    short = Capture(**{**vars(c), "length": c.length + 50})
    with pytest.raises(CaptureUnavailable, match=rf"sent {c.length} bytes of the record's "):
        archive.fetch(short)
    asked = len(server.seen)
    huge = Capture(**{**vars(a), "length": 5 * 1024 ** 3})
    with pytest.raises(CaptureUnavailable, match="refused, the record is 5120.0 MiB, over the "
                                                 "limit of 20.0 MiB"):
        archive.fetch(huge)
    assert len(server.seen) == asked  # not even asked for
    assert {seen.headers["User-Agent"] for seen in server.seen} == {AGENT}


# --- what a user relies on beyond the listings themselves ----------------------------------

def _pywb_with(listing: Callable[[Server, BaseHTTPRequestHandler], None]):
    """The pywb collection above, with its listings (``matchType`` queries) answered by
    ``listing``; the probe and the mementos as before."""
    def handle(server: Server, handler: BaseHTTPRequestHandler) -> None:
        seen = server.seen[-1]
        if seen.path == "/coll/cdx" and "matchType" in seen.query:
            return listing(server, handler)
        pywb(server, handler)
    return handle


def _ndjson(rows: list[dict]) -> str:
    return "".join(json.dumps(row) + "\n" for row in rows)


def test_listings_are_asked_compressed_and_mementos_as_they_were_sent(serve, clock):
    server = serve(pywb)
    archive = opened(server.base + "/coll/", clock)
    first = next(capture for capture, _ in archive.captures(PREFIX))
    archive.fetch(first)
    [listing] = [s for s in server.requests("/coll/cdx") if "matchType" in s.query]
    assert listing.headers["Accept-Encoding"] == "gzip, deflate"
    assert server.requests("/coll/2019")[-1].headers["Accept-Encoding"] == "identity"


def test_index_requests_are_two_and_a_half_seconds_apart_by_default(serve, clock):
    server = serve(pywb)
    archive = opened(server.base + "/coll/", clock)
    for _ in range(3):
        list(archive.captures(PREFIX))
    asked = [seen.at for seen in server.requests("/coll/cdx")]
    assert len(asked) >= 4
    assert {round(b - a, 3) for a, b in zip(asked, asked[1:], strict=False)} == {2.5}


def test_429s_stop_the_backfill_only_when_they_come_in_a_row(serve, clock):
    answers = iter([429, 200] * 4)

    def alternating(server: Server, handler: BaseHTTPRequestHandler) -> None:
        if next(answers) == 429:
            return send(handler, 429, "slow down", "text/plain", {"Retry-After": "1"})
        send(handler, 200, _ndjson(PYWB_ROWS[3:]), "text/x-ndjson")

    server = serve(_pywb_with(alternating))
    archive = opened(server.base + "/coll/", clock, max_429=2)
    for _ in range(4):  # each listing meets one 429, then an answer
        assert [c.url for c, _ in archive.captures(PREFIX)] == [PREFIX + "b"]
    assert clock.sleeps.count(1.0) == 4


def test_an_index_that_stops_answering_is_given_up_after_the_timeout(serve, clock):
    def silent(server: Server, handler: BaseHTTPRequestHandler) -> None:
        time.sleep(3)  # then the connection closes without an answer
        handler.close_connection = True

    server = serve(_pywb_with(silent))
    archive = opened(server.base + "/coll/", clock, timeout=0.5, max_retries=0)
    with pytest.raises(ArchiveSourceError, match=r"/coll/cdx\?.*: timed out \(1 tries\)$"):
        list(archive.captures(PREFIX))


def test_blank_lines_in_a_pywb_listing_are_skipped(serve, clock):
    def spaced(server: Server, handler: BaseHTTPRequestHandler) -> None:
        send(handler, 200, "\n".join(json.dumps(row) + "\n" for row in PYWB_ROWS),
             "text/x-ndjson")

    server = serve(_pywb_with(spaced))
    listed = [c.timestamp for c, _ in opened(server.base + "/coll/", clock).captures(PREFIX)]
    assert listed == ["20190314100000", "20190316100000", "20190316100000"]


@pytest.mark.parametrize("body, said", [
    ('{"timestamp": "20190314100000", "url": "x"}\n<html>oops</html>\n', "not a CDX listing"),
    ("x" * (1 << 20 | 10), "a line of over 1.0 MiB"),
], ids=["not-json", "line-too-long"])
def test_a_pywb_listing_that_goes_wrong_names_the_index_asked(serve, clock, body, said):
    def broken(server: Server, handler: BaseHTTPRequestHandler) -> None:
        send(handler, 200, body, "text/x-ndjson")

    server = serve(_pywb_with(broken))
    with pytest.raises(ArchiveSourceError) as raised:
        list(opened(server.base + "/coll/", clock).captures(PREFIX))
    message = str(raised.value)
    assert message.startswith(f"{server.base}/coll/cdx?") and said in message, message


def test_a_common_crawl_page_count_that_is_no_number_names_the_index(serve, clock):
    common = CommonCrawl()

    def odd_count(server: Server, handler: BaseHTTPRequestHandler) -> None:
        seen = server.seen[-1]
        if seen.path == "/CC-MAIN-2019-13-index" and seen.query.get("showNumPages"):
            return send(handler, 200, "<html>maintenance</html>", "text/html")
        common(server, handler)

    server = serve(odd_count)
    archive = opened("commoncrawl", clock, commoncrawl_index=server.base,
                     commoncrawl_data=server.base + "/data")
    with pytest.raises(ArchiveSourceError, match=f"^{server.base}/CC-MAIN-2019-13-index "
                                                 "answered"):
        list(archive.captures(PREFIX, since=date(2019, 1, 1)))


def test_a_listing_left_half_read_does_not_spoil_the_next_request(serve, clock):
    many = [{**PYWB_ROWS[3], "url": f"{PREFIX}n{i}", "urlkey": f"example,portal)/news/n{i}",
             "digest": f"D{i}"} for i in range(6000)]

    def long_listing(server: Server, handler: BaseHTTPRequestHandler) -> None:
        send(handler, 200, _ndjson(many), "text/x-ndjson")

    server = serve(_pywb_with(long_listing))
    archive = opened(server.base + "/coll/", clock)
    listing = archive.captures(PREFIX)
    first, _ = next(listing)
    listing.close()  # the user stopped (a limit, an interruption) with most of it unread
    memento = archive.fetch(first)
    assert memento.body == f"<p>{PREFIX}n0</p>".encode()


def test_an_archive_opened_in_a_with_block_is_the_archive(serve, clock):
    server = serve(pywb)
    with opened(server.base + "/coll/", clock) as archive:
        assert [c.url for c, _ in archive.captures(PREFIX)][-1] == PREFIX + "b"


def test_wayback_by_name_asks_the_internet_archive_unless_told_otherwise(clock, monkeypatch):
    """No request leaves the machine: the first request is stopped where it would be sent."""
    from crawler.backfill import archives

    monkeypatch.delenv("NORDARCHIVE_WAYBACK_URL", raising=False)
    asked = []

    def stop(self, url, **_):
        asked.append(url)
        raise ArchiveSourceError("stopped here")

    monkeypatch.setattr(archives.PoliteHttp, "open", stop)
    with pytest.raises(ArchiveSourceError):
        list(opened("wayback", clock).captures(PREFIX))
    assert asked[0].startswith("https://web.archive.org/cdx/search/cdx?")


def test_a_memento_declared_too_large_is_refused_by_its_declared_size(serve, clock):
    def large(server: Server, handler: BaseHTTPRequestHandler) -> None:
        if server.seen[-1].path.startswith("/coll/2019"):
            return send(handler, 200, b"x" * 200_000, "text/html")
        pywb(server, handler)

    server = serve(large)
    archive = opened(server.base + "/coll/", clock, max_bytes=1000)
    first = next(capture for capture, _ in archive.captures(PREFIX))
    with pytest.raises(CaptureUnavailable, match="the memento is 200000 bytes, over the limit "
                                                 "of 1000 bytes$"):
        archive.fetch(first)


def test_a_captured_redirect_leads_to_the_nearest_capture_that_served_the_page(serve, clock):
    from crawler.backfill.backfilling import _follower

    target = PREFIX + "moved"
    rows = [{**PYWB_ROWS[3], "url": target, "urlkey": "example,portal)/news/moved",
             "timestamp": stamp, "status": status, "digest": digest}
            for stamp, status, digest in (("20190301100000", "200", "M1"),
                                          ("20190316090000", "404", "M2"))]

    def archive_of_target(server: Server, handler: BaseHTTPRequestHandler) -> None:
        seen = server.seen[-1]
        if seen.path == "/coll/cdx" and "matchType" in seen.query:
            return send(handler, 200, _ndjson(rows), "text/x-ndjson")
        if seen.path.startswith("/coll/20190316090000"):
            return send(handler, 404, "<p>gone</p>", "text/html",
                        {"Memento-Datetime": "Sat, 16 Mar 2019 09:00:00 GMT"})
        pywb(server, handler)

    server = serve(archive_of_target)
    follow = _follower(opened(server.base + "/coll/", clock), None)
    landed = follow(target, datetime(2019, 3, 16, 10, tzinfo=UTC))
    assert (landed.status, landed.captured_at) == (200, datetime(2019, 3, 1, 10, tzinfo=UTC))
