"""The first run with the portal unreachable, as a person at a terminal and as cron see it:
one ``nordarchive: error:`` line naming the host and the whole cause, at most one retry of a
DNS failure or a refused connection, exit 4, and a summary that names no folder that does not
exist. No traffic leaves the machine: ``.invalid`` never resolves, the port is closed."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.crawl.test_progress import LOG_LINE, nordarchive_on_terminal, screen_lines
from tests.helpers import ROOT
from tests.helpers.crawl_helpers import FAST
from tests.helpers.net import free_port

DNS_CAUSE = "DNS lookup failed: no results for hostname lookup: nordarchive-test.invalid."


def given_up(log: str, url: str) -> list[int]:
    """How many times each give-up of ``url`` says it was tried."""
    return [int(n) for n in re.findall(
        rf"Gave up retrying <GET {re.escape(url)}> \(failed (\d+) times\)", log)]


def test_unresolvable_portal_on_a_narrow_terminal(tmp_path):
    start = "http://nordarchive-test.invalid/integration-norden/"
    log = tmp_path / "crawl.log"
    code, raw = nordarchive_on_terminal(
        "crawl", "--db", str(tmp_path / "a.db"), "--start-url", start, "--log-file", str(log),
        *FAST, columns=60)
    lines = screen_lines(raw)
    assert code == 4, raw[-3000:]
    errors = [line for line in lines if line.startswith("nordarchive: error:")]
    # One line, whole: the terminal wraps it, nothing cuts it.
    assert errors == [f"nordarchive: error: cannot reach nordarchive-test.invalid: {DNS_CAUSE} "
                      "(no start URL answered; no article was changed)"], lines
    assert "…" not in raw
    assert not [line for line in lines if LOG_LINE.search(line)], lines
    assert lines[-1].startswith("crawl 1 unreachable:"), lines[-3:]
    assert lines[-1].endswith("no WARC written") and not (tmp_path / "a-warc").exists()
    assert given_up(log.read_text(), start) == [2]  # one retry, not three


def test_refused_connection_under_cron(tmp_path):
    start = f"http://127.0.0.1:{free_port()}/integration-norden/"  # nothing listens there
    log = tmp_path / "crawl.log"
    result = subprocess.run(
        [sys.executable, "-m", "crawler.commands", "crawl", "--db", str(tmp_path / "a.db"),
         "--start-url", start, "--log-file", str(log), *FAST],
        capture_output=True, cwd=ROOT, timeout=180, stdin=subprocess.DEVNULL)
    assert result.returncode == 4, result.stderr.decode()
    errors = result.stderr.decode().splitlines()
    host = start.split("/")[2]
    assert len(errors) == 1 and errors[0].startswith(
        f"nordarchive: error: cannot reach {host}: "), errors
    assert "Connection refused" in errors[0] and errors[0].endswith(
        "(no start URL answered; no article was changed)"), errors
    assert re.fullmatch(rb"crawl 1 unreachable: new 0, [^\n]*; no WARC written\n",
                        result.stdout), result.stdout
    assert given_up(log.read_text(), start) == [2]
