"""``nordarchive extract`` as a user runs it."""

from __future__ import annotations

import json

from tests.replica.corpus import portal_pages


def test_extract_prints_one_json_record(cli, tmp_path):
    page = portal_pages()[0]
    path = tmp_path / "page.html"
    path.write_text(page.html, encoding="utf-8")
    result = cli("extract", str(path), "--url", page.url)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["title"] == page.story.title
    assert record["published"] == page.published.isoformat()
    assert record["tags"] == list(page.story.tags)
    assert record["text"].split("\n\n") == list(page.story.paragraphs)
    assert record["is_article"] is True and record["extractor_version"]


def test_extract_reads_stdin(cli):
    page = portal_pages()[1]
    result = cli("extract", "-", "--url", page.url, input=page.html.encode())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == page.story.title


def test_bad_input_gives_one_line_and_exit_1(cli, tmp_path):
    cases = {"empty.html": b"", "binary.html": bytes(range(256)) * 8, "data.json": b'{"a": 1}'}
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        result = cli("extract", str(path))
        assert result.returncode == 1, name
        assert result.stdout == b""
        lines = result.stderr.decode().strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("nordarchive: error:"), lines


def test_missing_file_is_a_usage_error(cli, tmp_path):
    result = cli("extract", str(tmp_path / "nope.html"))
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr
