"""Reading WARC files and WACZ packages for an import, record by record: what each capture
comes back as, and the one-line refusals of what is no WARC."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.backfill.warc_files import WarcFileError, list_files, observations

URL = "https://portal.example/news/a"


def write_response(writer: WARCWriter, url: str, body: bytes, headers: list[tuple[str, str]],
                   date: str, **warc_headers: str):
    record = writer.create_warc_record(
        url, "response", payload=BytesIO(body), length=len(body),
        http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Date": date, **warc_headers})
    writer.write_record(record)
    return record


def write_warc(path: Path, write) -> Path:
    with open(path, "wb") as handle:
        write(WARCWriter(handle, gzip=True))
    return path


def test_two_pages_with_the_same_body_keep_their_own_headers(tmp_path):
    def write(writer):
        write_response(writer, URL, b"<p>same</p>", [("Content-Type", "text/html"),
                                                 ("X-Page", "a")], "2020-01-01T10:00:00Z")
        write_response(writer, URL + "-copy", b"<p>same</p>", [("Content-Type", "text/html"),
                                                          ("X-Page", "b")],
                  "2020-01-02T10:00:00Z")

    seen = list(observations(list_files([write_warc(tmp_path / "a.warc.gz", write)])))
    assert [(o.url, dict(o.headers)["X-Page"]) for o in seen] == [(URL, "a"),
                                                                  (URL + "-copy", "b")]


def test_a_revisit_naming_its_original_by_address_and_date_gets_its_payload(tmp_path):
    def write(writer):
        write_response(writer, URL, b"<p>first</p>", [("Content-Type", "text/html")],
                  "2020-01-01T10:00:00Z")
        revisit = writer.create_warc_record(
            URL, "revisit", http_headers=StatusAndHeaders("200 OK", [], protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": "2020-02-01T10:00:00Z",
                               "WARC-Refers-To-Target-URI": URL,
                               "WARC-Refers-To-Date": "2020-01-01T10:00:00Z",
                               "WARC-Profile": "http://netpreserve.org/warc/1.1/revisit/"
                                               "identical-payload-digest"})
        writer.write_record(revisit)

    seen = list(observations(list_files([write_warc(tmp_path / "r.warc.gz", write)])))
    assert [(o.captured_at, o.body) for o in seen] == [
        (datetime(2020, 1, 1, 10, tzinfo=UTC), b"<p>first</p>"),
        (datetime(2020, 2, 1, 10, tzinfo=UTC), b"<p>first</p>")]


def test_a_record_whose_digest_does_not_match_is_still_read(tmp_path):
    def write(writer):
        write_response(writer, URL, b"<p>edited after</p>", [("Content-Type", "text/html")],
                  "2020-01-01T10:00:00Z", **{"WARC-Payload-Digest": "sha1:" + "A" * 32})

    listing = list_files([write_warc(tmp_path / "d.warc.gz", write)])
    assert [o.body for o in observations(listing)] == [b"<p>edited after</p>"]


def test_a_zip_without_warc_files_is_refused_in_one_line(tmp_path):
    path = tmp_path / "notes.wacz"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("datapackage.json", "{}")
    with pytest.raises(WarcFileError, match=r"^notes\.wacz: a zip file with no WARC file in it "
                                            r"\(not a WACZ\)$"):
        list_files([path])


def test_a_wacz_member_that_would_unpack_thousands_of_times_larger_is_refused(tmp_path):
    path = tmp_path / "bomb.wacz"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("archive/data.warc", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(WarcFileError, match=r"^bomb\.wacz: archive/data\.warc would unpack to "
                                            r"20971520 bytes from \d+ \(refused: a zip bomb\?\)$"):
        list_files([path])
