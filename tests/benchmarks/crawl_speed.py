"""Benchmark: crawl a generated replica of N articles over loopback, politeness off, then an
unchanged re-crawl.

Run: ``python -m tests.benchmarks.crawl_speed [--articles 5000] [--db URL]``. Reports
articles/s and the crawl process's peak RSS (targets: >= 100 articles/s, <= 400 MB), and the
re-crawl's requests, bytes and time as a fraction of the full crawl (target <= 5 % of bytes).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from archive.webarchive.warc import warc_dir_for
from tests.helpers.crawl_helpers import crawl_args
from tests.replica import content
from tests.replica.site import PREFIX, ReplicaServer, ReplicaSite


def synthetic_stories(n: int) -> list[content.Story]:
    rng = random.Random(5)
    base = content.STORIES
    stories = []
    for i in range(n):
        story = base[i % len(base)]
        words = story.paragraphs[0].split()
        paragraphs = tuple(" ".join(rng.sample(words, min(len(words), 30))) + "." for _ in
                           range(len(story.paragraphs)))
        stories.append(replace(story, key=f"{story.key}-{i}", slug=f"{story.slug}-{i}",
                               title=f"{story.title} {i}", paragraphs=paragraphs))
    return stories


def _peak_rss_kb(pid: int) -> int:
    """VmHWM of a running process: its own peak, unlike ru_maxrss of children, which also
    counts the forked copy of this (large) process before exec."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(args: list[str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak_kb = 0
    while proc.poll() is None:
        peak_kb = max(peak_kb, _peak_rss_kb(proc.pid))
        time.sleep(0.2)
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"crawl failed ({proc.returncode}): {err.decode()[-2000:]}")
    return elapsed, peak_kb, out.decode().strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--db", default=None)
    parser.add_argument("--light", action="store_true", help="pages without the ~70 KB padding")
    options = parser.parse_args()
    site = ReplicaSite(synthetic_stories(options.articles), padding=not options.light,
                       page_size=50)
    db_url = options.db or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    with ReplicaServer(site) as server:
        total = sum(len(p.body) for p in site.pages.values())
        print(f"replica: {options.articles} articles, {len(site.pages)} pages, "
              f"{total / 1e6:.0f} MB; archive {db_url}")
        args = crawl_args(db_url, server.base + PREFIX, "--set",
                          "CONCURRENT_REQUESTS_PER_DOMAIN=16", "--set", "CONCURRENT_REQUESTS=16")
        elapsed, peak_kb, summary = run(args)
        first_requests, first_bytes = len(server.requests), sum(r.size for r in server.requests)
        print(summary)
        warc_dir = warc_dir_for(db_url)
        first_warc = sum(p.stat().st_size for p in warc_dir.glob("*.warc.gz"))
        print(f"full crawl: {elapsed:.1f} s, {options.articles / elapsed:.0f} articles/s, "
              f"{first_requests} requests, {first_bytes / 1e6:.1f} MB, peak RSS "
              f"{peak_kb / 1024:.0f} MB")
        print(f"WARC captures: {first_warc / 1e6:.1f} MB = "
              f"{first_warc / options.articles * 1000 / 1e6:.1f} MB per 1000 articles")
        server.clear()
        elapsed2, _, summary2 = run(args)
        requests2, bytes2 = len(server.requests), sum(r.size for r in server.requests)
        print(summary2)
        second_warc = sum(p.stat().st_size for p in warc_dir.glob("*.warc.gz")) - first_warc
        print(f"re-crawl WARC: {second_warc / 1e3:.0f} KB "
              f"({second_warc / options.articles:.0f} bytes per article)")
        print(f"unchanged re-crawl: {elapsed2:.1f} s ({elapsed2 / elapsed:.0%} of the time), "
              f"{requests2} requests ({requests2 / first_requests:.0%}), "
              f"{bytes2 / 1e6:.2f} MB ({bytes2 / first_bytes:.1%} of the bytes)")


if __name__ == "__main__":
    main()
