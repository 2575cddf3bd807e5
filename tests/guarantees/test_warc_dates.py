"""The WARC records of one exchange carry the time it was captured, not the time they were
written: a page captured in 2020 and written today (a backfill, an import) is a 2020 request
and a 2020 response in the file, as replay tools and CDX indexes read them."""

from __future__ import annotations

from datetime import UTC, datetime

from warcio.archiveiterator import ArchiveIterator

from archive.webarchive.warc import RotatingWarcWriter

CAPTURED = datetime(2020, 6, 1, 9, 30, tzinfo=UTC)


def test_both_records_of_an_exchange_carry_its_capture_time(tmp_path):
    writer = RotatingWarcWriter(tmp_path, "nordarchive-test", archive_id="test")
    writer.write("https://example.org/a", 200, "OK", [("Content-Type", "text/html")],
                 b"<p>2020</p>", [("User-Agent", "test")], CAPTURED)
    writer.close()
    [path] = tmp_path.glob("*.warc.gz")
    with open(path, "rb") as handle:
        dates = {record.rec_type: record.rec_headers.get_header("WARC-Date")
                 for record in ArchiveIterator(handle) if record.rec_type != "warcinfo"}
    assert dates == {"response": "2020-06-01T09:30:00Z", "request": "2020-06-01T09:30:00Z"}
