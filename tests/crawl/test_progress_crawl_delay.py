"""The live display of ``nordarchive crawl`` says when the site's robots.txt slows the crawl
down (``crawl-delay 1 s``), so a person watching a slow crawl knows why it is slow."""

from __future__ import annotations

from tests.crawl.test_progress import nordarchive_on_terminal, screen_lines
from tests.helpers.crawl_helpers import FAST
from tests.replica import content
from tests.replica.site import PREFIX
from tests.replica.tiny import tiny_portal


def test_the_display_shows_the_crawl_delay_robots_txt_asks_for(sqlite_url):
    story = content.STORIES[0]
    with tiny_portal([story], robots="User-agent: *\nCrawl-delay: 1\n") as server:
        code, raw = nordarchive_on_terminal(
            "crawl", "--db", sqlite_url, "--start-url", server.base + PREFIX, *FAST)
    lines = screen_lines(raw)
    assert code == 0, raw[-3000:]
    assert any(line.startswith("crawling pages") and "· crawl-delay 1 s" in line
               for line in lines), lines
