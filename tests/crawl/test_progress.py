"""What a person sees: ``crawl``, ``export`` and ``reextract`` run under a pseudo-terminal
show one live display on standard error and the summary last, with no Scrapy log line;
without a terminal (cron) the output is exactly the summary line."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

from tests.helpers import ROOT
from tests.helpers.crawl_helpers import FAST
from tests.replica import content
from tests.replica.site import PREFIX, Page
from tests.replica.tiny import tiny_portal

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
#: A line of Scrapy's log format: "2026-11-27 12:00:00 [scrapy.core.engine] INFO: ..."
LOG_LINE = re.compile(r"\[[\w.]+\] (DEBUG|INFO|WARNING|ERROR):")
DISPLAY = re.compile(r"crawling pages |articles new |[━╺╸ ]+ \d+ of ~\d+ pages in sitemaps")


def nordarchive_on_terminal(*args: str, timeout: float = 180, columns: int = 120
                            ) -> tuple[int, str]:
    """Run ``nordarchive`` with stdin, stdout and stderr on one pseudo-terminal (120 columns),
    as a person at a terminal would; everything it wrote, escapes included."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": "40"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen([sys.executable, "-m", "crawler.commands", *args], cwd=ROOT,
                               stdin=slave, stdout=slave, stderr=slave, env=env,
                               start_new_session=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the terminal's other side is closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return process.wait(timeout=timeout), b"".join(chunks).decode("utf-8", "replace")


def screen_lines(raw: str) -> list[str]:
    """The non-empty lines a person reads, each redraw a line of its own."""
    return [line.strip() for line in re.split(r"[\r\n]+", ANSI.sub("", raw)) if line.strip()]


def test_crawl_export_and_reextract_on_a_terminal(tmp_path, sqlite_url):
    good, broken = content.STORIES[0], content.STORIES[1]
    with tiny_portal([good, broken], sitemap=[good, broken]) as server:
        # One article always answers 500: a warning, printed above the display.
        server.site.pages[server.site.paths[broken.key]] = Page(b"oops", status=500)
        code, raw = nordarchive_on_terminal(
            "crawl", "--db", sqlite_url, "--start-url", server.base + PREFIX, *FAST,
            "--set", "NORDARCHIVE_MAX_FAILURE_RATIO=1")
    lines = screen_lines(raw)
    assert code == 0, raw[-3000:]
    # The live display, redrawn in place (cursor up, erase line) ...
    assert any(line.startswith("crawling pages") for line in lines), lines
    assert any(line.startswith("articles new 1,") for line in lines), lines
    assert "of ~2 pages in sitemaps" in raw
    assert "\x1b[1A" in raw and "\x1b[2K" in raw
    # ... the warning as one line above it, no log line of Scrapy's, the summary last.
    warnings = [line for line in lines if line.startswith("warning: not archived: ")]
    assert len(warnings) == 1 and server.site.paths[broken.key] in warnings[0], lines
    assert not [line for line in lines if LOG_LINE.search(line)], lines
    # Every line is the display, one warning or error line (cut to the width), or the summary.
    assert all(DISPLAY.match(line) or line.startswith(("warning: ", "error: "))
               for line in lines[:-1]), lines
    assert "Dumping Scrapy stats" not in raw
    assert lines[-1].startswith("crawl 1 finished: new 1,"), lines[-3:]

    out = tmp_path / "export.jsonl"
    code, raw = nordarchive_on_terminal("export", "--db", sqlite_url, "--output", str(out))
    lines = screen_lines(raw)
    assert code == 0, raw
    assert any(line.startswith("exporting") and "1/1 rows" in line for line in lines), lines
    assert lines[-1] == f"exported 1 articles to {out}"
    assert len(out.read_text().splitlines()) == 1

    code, raw = nordarchive_on_terminal("reextract", "--db", sqlite_url, "--dry-run")
    lines = screen_lines(raw)
    assert code == 0, raw
    assert any(line.startswith("re-extracting") and "1/1 articles" in line
               for line in lines), lines
    assert lines[-1].startswith("re-extracted 1 articles: would change 0"), lines


def test_verbose_shows_the_log_and_no_terminal_shows_only_the_summary(tmp_path, sqlite_url):
    story = content.STORIES[0]
    log = tmp_path / "crawl.log"
    with tiny_portal([story]) as server:
        code, raw = nordarchive_on_terminal(
            "crawl", "-v", "--db", sqlite_url, "--start-url", server.base + PREFIX, *FAST)
        assert code == 0, raw[-3000:]
        lines = screen_lines(raw)
        assert any("[scrapy.core.engine] INFO: Spider opened" in line for line in lines)
        assert not any(line.startswith("crawling pages") for line in lines)
        assert lines[-1].startswith("crawl 1 finished:"), lines[-3:]
        # As under cron: no terminal, no option but the log file.
        result = subprocess.run([sys.executable, "-m", "crawler.commands", "crawl", "--db",
                                 sqlite_url, "--start-url", server.base + PREFIX, *FAST,
                                 "--log-file", str(log)],
                                capture_output=True, cwd=ROOT, timeout=180,
                                stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    assert result.stderr == b""
    assert re.fullmatch(rb"crawl 2 finished: new 0, revised 0, unchanged 1, [^\n]*\n",
                        result.stdout), result.stdout
    # The log file has it all.
    logged = log.read_text()
    assert "[scrapy.core.engine] INFO: Spider opened" in logged
    assert "Dumping Scrapy stats" in logged
    assert "progress:" not in logged  # the counts so far come every 50 articles, not after 1
