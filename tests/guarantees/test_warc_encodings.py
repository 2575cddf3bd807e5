"""A capture keeps the payload as it was transferred (compressed when the site compressed
it); reading it back (``show --raw``, ``reextract``, ``verify``) gives the page's own bytes."""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime

import pytest

from archive.webarchive.warc import RotatingWarcWriter, read_record

PAGE = "<html><body><p>Språkcafé i Malmö</p></body></html>".encode()


def _deflated(raw: bool) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    return packer.compress(PAGE) + packer.flush()


@pytest.mark.parametrize("encoding, sent", [
    ("gzip", gzip.compress(PAGE, mtime=0)), ("x-gzip", gzip.compress(PAGE, mtime=0)),
    (" GZIP ", gzip.compress(PAGE, mtime=0)), ("deflate", _deflated(raw=False)),
    ("deflate", _deflated(raw=True)), (None, PAGE),
], ids=["gzip", "x-gzip", "GZIP-spaced", "deflate-zlib", "deflate-raw", "identity"])
def test_a_compressed_capture_reads_back_as_the_page(tmp_path, encoding, sent):
    writer = RotatingWarcWriter(tmp_path, "nordarchive-test", archive_id="test")
    headers = [("Content-Type", "text/html; charset=utf-8")]
    if encoding:
        headers.append(("Content-Encoding", encoding))
    written = writer.write("https://example.org/a", 200, "OK", headers, sent,
                           [("User-Agent", "test")], datetime(2024, 3, 1, tzinfo=UTC))
    writer.close()
    record = read_record(tmp_path / written.warc_file, written.offset)
    assert record.payload == PAGE
    assert record.digest_ok and record.status == 200
