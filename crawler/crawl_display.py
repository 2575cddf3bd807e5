"""What a person watching ``nordarchive crawl`` on a terminal sees: one live display on
standard error, redrawn in place (rich), with warnings printed above it as single lines and
none of Scrapy's INFO log (that goes to ``--log-file``).

The display reads the crawl's Scrapy stats and the session's outcome counts from rich's
refresh thread: plain dictionary look-ups, so it never slows the crawl and keeps ticking
while the crawl's thread is busy extracting a page.
"""

from __future__ import annotations

import logging
import time

from rich.console import Console, Group
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

#: Outcome counts shown, in order (the session's keys; "alias" and "restored" are archived).
OUTCOMES = ("new", "revised", "unchanged", "removed", "failed")


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class CrawlDisplay:
    """``with CrawlDisplay() as display: display.attach(crawler); process.start()``.
    ``display.handler`` is a logging handler that prints warnings above the display."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.crawler = None
        self.started = time.monotonic()
        self.live = Live(self, console=self.console, refresh_per_second=4,
                         redirect_stdout=False, redirect_stderr=False)
        self.handler = _WarningsAbove(self)

    def attach(self, crawler) -> None:
        self.crawler = crawler

    def __enter__(self) -> CrawlDisplay:
        self.started = time.monotonic()
        self.live.start()
        logging.getLogger().addHandler(self.handler)
        return self

    def __exit__(self, *exc) -> None:
        logging.getLogger().removeHandler(self.handler)
        self.live.stop()

    def print_line(self, line: str) -> None:
        """One terminal line above the display (cut to the width; the log has it whole)."""
        self.console.print(" ".join(line.split()), no_wrap=True, overflow="ellipsis",
                           crop=True, markup=False, highlight=False)

    # -- what is shown ----------------------------------------------------------------------
    def numbers(self) -> dict[str, float]:
        """Everything the display shows, from the crawl's stats and session."""
        crawler = self.crawler
        stats = getattr(crawler, "stats", None)
        value = (lambda key: stats.get_value(key, 0) or 0) if stats else (lambda key: 0)
        session = getattr(getattr(crawler, "spider", None), "session", None)
        counts = session.counts if session is not None else {}  # read with .get only
        numbers: dict[str, float] = {key: counts.get(key, 0) for key in OUTCOMES}
        numbers["new"] += counts.get("alias", 0) + counts.get("restored", 0)
        numbers["pages"] = value("downloader/response_count")
        numbers["queued"] = max(0, value("scheduler/enqueued") - value("scheduler/dequeued"))
        numbers["bytes"] = value("downloader/response_bytes")
        numbers["sitemap_urls"] = value("nordarchive/sitemap_urls")
        numbers["crawl_delay"] = value("nordarchive/crawl_delay")
        numbers["elapsed"] = time.monotonic() - self.started
        numbers["handled"] = sum(counts.get(k, 0) for k in (
            "new", "revised", "unchanged", "alias", "restored", "failed", "skipped_by_lastmod"))
        return numbers

    def __rich__(self):
        n = self.numbers()
        elapsed = max(n["elapsed"], 0.001)
        top = Table.grid(padding=(0, 1))
        line = Text.assemble(
            ("crawling ", "bold"), f"pages {n['pages']:.0f} fetched, {n['queued']:.0f} queued",
            f" · {human_bytes(n['bytes'])} · {n['pages'] / elapsed:.1f} pages/s",
            f" · {clock(n['elapsed'])}")
        if n["crawl_delay"]:
            line.append(f" · crawl-delay {n['crawl_delay']:g} s")
        top.add_row(line)
        articles = Text("articles " + ", ".join(f"{key} {n[key]:.0f}" for key in OUTCOMES))
        if n["sitemap_urls"]:
            total = max(n["sitemap_urls"], n["handled"])
            bar = Table.grid(padding=(0, 1))
            bar.add_row(ProgressBar(total=total, completed=n["handled"], width=30),
                        Text(f"{n['handled']:.0f} of ~{total:.0f} pages in sitemaps"))
            return Group(top, articles, bar)
        return Group(top, articles)


class _WarningsAbove(logging.Handler):
    def __init__(self, display: CrawlDisplay) -> None:
        super().__init__(level=logging.WARNING)
        self.display = display

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.display.print_line(f"{record.levelname.lower()}: {record.getMessage()}")
        except Exception:  # noqa: BLE001 - a display problem never stops the crawl
            self.handleError(record)
