"""The progress display of long commands, as a user reads it on standard error: a bar with
its percentage and time left when the total is known, a running count when it is not, and
notes that reach standard error with or without the display."""

from __future__ import annotations

import re

from archive.cli.progress import TerminalProgress


def test_a_known_total_shows_a_bar_with_percentage_and_count(capsys):
    with TerminalProgress("exporting", total=3, unit="rows", enabled=True) as shown:
        for _ in range(3):
            shown.advance()
    err = capsys.readouterr().err
    assert "exporting" in err and "100%" in err and re.search(r"\b3/3 rows\b", err), err


def test_an_unknown_total_shows_a_running_count_without_a_percentage(capsys):
    with TerminalProgress("crawling", unit="pages", enabled=True) as shown:
        shown(7)
    err = capsys.readouterr().err
    assert re.search(r"\b7 pages\b", err) and "%" not in err, err


def test_notes_reach_standard_error_with_and_without_the_display(capsys):
    with TerminalProgress("importing", total=1, unit="records", enabled=False) as hidden:
        hidden.note("skipped a.warc.gz: not a WARC file")
    with TerminalProgress("importing", total=1, unit="records", enabled=True) as shown:
        shown.note("skipped b.warc.gz: not a WARC file")
    err = capsys.readouterr().err
    assert "skipped a.warc.gz: not a WARC file\n" in err
    assert "skipped b.warc.gz: not a WARC file" in err
