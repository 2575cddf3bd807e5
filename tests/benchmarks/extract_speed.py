"""Benchmark: ``extract()`` (the whole record) against ``trafilatura.extract()`` alone.

Run: ``python -m tests.benchmarks.extract_speed [--rounds N]``. Both run on the same pages of
realistic weight (~75 KB: inline CSS, JSON, a mega-menu), in one process, interleaved.
Target (issue 2): the whole record in <= 1.5x the time of trafilatura.extract alone.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

import trafilatura

from crawler.extraction import extract
from tests.replica import content, templates
from tests.replica.corpus import _VARIANTS, TEASERS, story_url


def heavy_pages() -> list[tuple[str, str]]:
    pages = []
    for i, story in enumerate(content.STORIES):
        chrome = replace(_VARIANTS[i % len(_VARIANTS)], padding=True)
        url = story_url(story)
        pages.append((url, templates.portal_page(story, url, chrome,
                                                 templates.PageLinks(teasers=TEASERS))))
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pages = heavy_pages()
    sizes = [len(html.encode()) for _, html in pages]
    for url, html in pages[:3]:  # warm both (imports, models, caches)
        extract(html, url)
        trafilatura.extract(html, url=url)
    ours, theirs = [], []
    for _ in range(args.rounds):
        for url, html in pages:
            start = time.perf_counter()
            trafilatura.extract(html, url=url)
            theirs.append(time.perf_counter() - start)
            start = time.perf_counter()
            extract(html, url)
            ours.append(time.perf_counter() - start)
    med_ours, med_theirs = statistics.median(ours), statistics.median(theirs)
    print(f"pages: {len(pages)} x {args.rounds} rounds, "
          f"median size {statistics.median(sizes) / 1024:.0f} KB")
    print(f"trafilatura.extract alone: median {med_theirs*1000:.2f} ms/page, "
          f"{len(theirs)/sum(theirs):.0f} pages/s")
    print(f"nordarchive extract():     median {med_ours*1000:.2f} ms/page, "
          f"{len(ours)/sum(ours):.0f} pages/s")
    print(f"ratio (median): {med_ours/med_theirs:.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main()
