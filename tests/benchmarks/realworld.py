"""Benchmark: ``extract()`` against ``trafilatura.extract()`` alone on real pages nobody here wrote.

Run: ``python -m tests.benchmarks.realworld [--half tuning|checking] [--limit N]
[--dates-only|--text-only]``.

Each set is split once into a tuning half and a checking half by the page's file name
(``NNNN.html.gz``): the first byte of its SHA-256 even is tuning, odd is checking (text 502/488
pages, dates 306/294). Rules are changed only from what the tuning half shows; the checking half
says whether they generalise. Both halves are reported unless ``--half`` picks one.

Text (``../shared/realworld``, 990 pages): scored the way trafilatura scores itself — a ``with``
segment found in the text is a true positive, missing a false negative; a ``without`` segment found
is a false positive. The text of every page counts, whatever its page kind; a refused page has no
text. trafilatura runs with its own defaults (``trafilatura.extract(html, url=url)``).

Dates (``../shared/realworld-dates``, 600 pages): ``published`` against
``htmldate.find_date(html, url=url, original_date=True, extensive_search=True)``.

The data folder is ``$NORDARCHIVE_SHARED`` if set, else ``shared/`` beside the project directory.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers.shared_files import shared_dir


@dataclass(frozen=True)
class Page:
    key: str
    url: str
    html: bytes
    expected: dict


HALVES = ("tuning", "checking")


def half_of(key: str) -> str:
    """The half a page belongs to, fixed by its file name: SHA-256 first byte even is tuning."""
    return HALVES[hashlib.sha256(f"{key}.html.gz".encode()).digest()[0] % 2]


def half_keys(folder: Path, labels: str, half: str) -> list[str]:
    """The sorted page names of one half of a set."""
    data = json.loads((folder / labels).read_text(encoding="utf-8"))
    return [key for key in sorted(data) if half_of(key) == half]


def load_pages(folder: Path, labels: str, keys: Iterable[str] | None = None) -> list[Page]:
    """Pages of ``folder`` (``pages/NNNN.html.gz``) with their labels from the JSON ``labels``."""
    data = json.loads((folder / labels).read_text(encoding="utf-8"))
    wanted = sorted(data) if keys is None else list(keys)
    pages = []
    for key in wanted:
        html = gzip.decompress((folder / "pages" / f"{key}.html.gz").read_bytes())
        # Some evaluation URLs are not URLs ("hard::site-name.html"): passed as they are.
        pages.append(Page(key, data[key]["url"], html, data[key]))
    return pages


# --- text -----------------------------------------------------------------------------------------


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    seconds: float = 0.0

    def add(self, text: str | None, page: Page) -> None:
        text = text or ""
        for segment in page.expected["with"]:
            if segment in text:
                self.tp += 1
            else:
                self.fn += 1
        self.fp += sum(1 for segment in page.expected["without"] if segment in text)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class TextResult:
    pages: int = 0
    ours: Score = field(default_factory=Score)
    theirs: Score = field(default_factory=Score)
    refused: Counter[str] = field(default_factory=Counter)
    refused_keys: list[str] = field(default_factory=list)
    exceptions: list[tuple[str, str]] = field(default_factory=list)
    not_article: list[str] = field(default_factory=list)
    not_article_marked: list[str] = field(default_factory=list)


def warm_up(pages: list[Page]) -> None:
    """Every tool measured here, once over the pages, untimed and unscored: the timed pass is
    then a crawl process's steady state. One-time costs would otherwise land on whichever tool
    meets them first: dateparser (under htmldate, which ``extract()`` asks off the portal)
    compiles its languages' patterns once a process (1.5 s on one page here), and the first
    page pays for imports and caches."""
    import trafilatura
    from htmldate import find_date

    from crawler.extraction import extract

    for page in pages:
        for tool in (lambda p: trafilatura.extract(p.html, url=p.url),
                     lambda p: find_date(p.html, url=p.url, original_date=True,
                                         extensive_search=True),
                     lambda p: extract(p.html, p.url)):
            try:
                tool(page)
            except Exception:  # noqa: BLE001,S112 - a warm-up only; the timed pass counts
                continue


def run_text(pages: list[Page]) -> TextResult:
    """Both extractors on every page, interleaved, in this process (``warm_up`` first for
    times that mean something)."""
    import trafilatura

    from crawler.extraction import ExtractionError, extract

    result = TextResult(pages=len(pages))
    for page in pages:
        start = time.perf_counter()
        theirs = trafilatura.extract(page.html, url=page.url)
        result.theirs.seconds += time.perf_counter() - start
        result.theirs.add(theirs, page)
        start = time.perf_counter()
        text = None
        try:
            record = extract(page.html, page.url)
        except ExtractionError as error:
            result.refused[error.reason] += 1
            result.refused_keys.append(page.key)
        except Exception as error:  # noqa: BLE001 - a benchmark counts every failure
            result.exceptions.append((page.key, f"{type(error).__name__}: {error}"))
        else:
            text = record.text
            if not record.is_article:
                result.not_article.append(page.key)
                if article_evidence(page.html, page.url):
                    result.not_article_marked.append(page.key)
        result.ours.seconds += time.perf_counter() - start
        result.ours.add(text, page)
    return result


def print_text(result: TextResult, label: str = "", *, list_pages: bool = True) -> None:
    """The scores; with ``list_pages`` also the names of refused and lost pages."""
    n = result.pages
    print(f"realworld text{label}: {n} pages")
    for name, score in (("extract()", result.ours), ("trafilatura.extract()", result.theirs)):
        print(f"  {name:<22} P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}"
              f"  (tp {score.tp}, fn {score.fn}, fp {score.fp})"
              f"  {score.seconds / n * 1000:.1f} ms/page")
    ratio = result.ours.seconds / result.theirs.seconds if result.theirs.seconds else 0.0
    print(f"  time: {ratio:.2f}x trafilatura (target <= 1.2x)")
    refused = sum(result.refused.values())
    reasons = ", ".join(f"{k} {v}" for k, v in result.refused.most_common()) or "-"
    print(f"  refused: {refused} ({refused / n:.1%}; {reasons})"
          f" {' '.join(result.refused_keys) if list_pages else ''}")
    print(f"  exceptions: {len(result.exceptions)}")
    for key, error in result.exceptions:
        print(f"    {key}: {error}")
    print(f"  called no article: {len(result.not_article)}, of which with article markup "
          f"{len(result.not_article_marked)} ({len(result.not_article_marked) / n:.1%})"
          f" {' '.join(result.not_article_marked) if list_pages else ''}")
    lost = refused + len(result.not_article_marked)
    print(f"  lost (refused, or no article with article markup): {lost} ({lost / n:.1%},"
          f" target <= 0.5%)")


_NEWS_PATH = re.compile(r"/(news|nachrichten|aktuell\w*|meldung\w*|presse\w*|blog\w*|artikel"
                        r"|article\w*|story|nyheter|nyheder|uutiset|frettir|\d{4}/\d{1,2})/[^/?#]+",
                        re.IGNORECASE)
_BYLINE = re.compile(r"byline|posted-on|entry-date|published|post-date|article-date|datum|dateline",
                     re.IGNORECASE)


def article_evidence(html: bytes, url: str) -> list[str]:
    """What says "article" about a page, judged independently of ``extract()``'s decision:
    og:type=article, JSON-LD Article/NewsArticle/BlogPosting, a dated by-line, a news path."""
    from lxml import html as lxml_html

    from crawler.extraction.metadata import read_metadata

    evidence = []
    try:
        tree = lxml_html.document_fromstring(html)
    except Exception:  # noqa: BLE001
        return evidence
    meta = read_metadata(tree, url)
    if meta.og_type == "article":
        evidence.append("og:type")
    if meta.is_article_type:
        evidence.append("json-ld")
    for element in tree.iter("time", "span", "div", "p"):
        attrs = f"{element.get('class') or ''} {element.get('itemprop') or ''}"
        if element.tag == "time" and element.get("datetime") or _BYLINE.search(attrs) and (
                re.search(r"\d{4}", element.text_content()[:200])):
            evidence.append("dated-byline")
            break
    if _NEWS_PATH.search(url.split("?")[0]):
        evidence.append("news-path")
    return evidence


# --- dates ----------------------------------------------------------------------------------------


@dataclass
class DateScore:
    pages: int = 0
    right: int = 0
    given: int = 0
    seconds: float = 0.0
    wrong: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def add(self, found: str | None, page: Page) -> None:
        self.pages += 1
        if found is None:
            self.missing.append(page.key)
            return
        self.given += 1
        if found == page.expected["published"]:
            self.right += 1
        else:
            self.wrong.append(page.key)

    @property
    def accuracy(self) -> float:
        return self.right / self.pages if self.pages else 0.0

    @property
    def precision(self) -> float:
        return self.right / self.given if self.given else 0.0

    @property
    def recall(self) -> float:
        return self.given / self.pages if self.pages else 0.0


def run_dates(pages: list[Page]) -> tuple[DateScore, DateScore, list[tuple[str, str]]]:
    """(ours, htmldate's, exceptions) on every page (``warm_up`` first for times that mean
    something)."""
    from htmldate import find_date

    from crawler.extraction import ExtractionError, extract

    ours, theirs, exceptions = DateScore(), DateScore(), []
    for page in pages:
        start = time.perf_counter()
        try:
            found = find_date(page.html, url=page.url, original_date=True,
                              extensive_search=True)
        except Exception:  # noqa: BLE001 - htmldate's failure is its own miss
            found = None
        theirs.seconds += time.perf_counter() - start
        theirs.add(found, page)
        start = time.perf_counter()
        published = None
        try:
            record = extract(page.html, page.url)
            published = record.published.isoformat() if record.published else None
        except ExtractionError:
            pass
        except Exception as error:  # noqa: BLE001
            exceptions.append((page.key, f"{type(error).__name__}: {error}"))
        ours.seconds += time.perf_counter() - start
        ours.add(published, page)
    return ours, theirs, exceptions


def print_dates(ours: DateScore, theirs: DateScore, exceptions: list, label: str = "") -> None:
    print(f"realworld dates{label}: {ours.pages} pages")
    for name, score in (("extract().published", ours), ("htmldate.find_date", theirs)):
        print(f"  {name:<20} accuracy {score.accuracy:.3f}  precision {score.precision:.3f}"
              f"  recall {score.recall:.3f}  {score.seconds / max(score.pages, 1) * 1000:.1f}"
              f" ms/page")
    print(f"  exceptions: {len(exceptions)}")
    for key, error in exceptions:
        print(f"    {key}: {error}")


def _section(name: str, run: Callable[[], None]) -> None:
    folder = shared_dir() / name
    if not folder.is_dir():
        print(f"{folder} is absent: set NORDARCHIVE_SHARED to the shared folder")
        return
    run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--half", choices=HALVES, default=None,
                        help="only this half of each set (default: both, reported apart)")
    parser.add_argument("--limit", type=int, default=None,
                        help="only the first N pages of each half")
    parser.add_argument("--text-only", action="store_true")
    parser.add_argument("--dates-only", action="store_true")
    parser.add_argument("--verbose", action="store_true",
                        help="list wrong/missing date pages (tuning half only)")
    args = parser.parse_args()
    base = shared_dir()
    halves = [args.half] if args.half else list(HALVES)

    def text() -> None:
        folder = base / "realworld"
        for half in halves:
            keys = half_keys(folder, "segments.json", half)[: args.limit]
            pages = load_pages(folder, "segments.json", keys)
            warm_up(pages)
            print_text(run_text(pages), f" ({half} half)", list_pages=half == "tuning")

    def dates() -> None:
        folder = base / "realworld-dates"
        for half in halves:
            keys = half_keys(folder, "dates.json", half)[: args.limit]
            pages = load_pages(folder, "dates.json", keys)
            warm_up(pages)
            ours, theirs, exceptions = run_dates(pages)
            print_dates(ours, theirs, exceptions, f" ({half} half)")
            if args.verbose and half == "tuning":
                # The checking half's failures are never listed: rules are not tuned on them.
                print("  wrong:", " ".join(ours.wrong))
                print("  missing:", " ".join(ours.missing))

    if not args.dates_only:
        _section("realworld", text)
    if not args.text_only:
        _section("realworld-dates", dates)


if __name__ == "__main__":
    main()
