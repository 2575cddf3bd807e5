"""Generated mutation testing: the mutants of ``tests/mutagen.py`` (standard operators applied
by a tool, not chosen by hand) over the modules that hold the README's guarantees, each run
against the tests that concern its module (end-to-end crawls included: the crawler runs in a
subprocess there, where a coverage-driven tool would not see it).

    nice -n 10 python -m tests.mutants -j 2            # the seeded sample (the score in the docs)
    python -m tests.mutants --module verdicts -j 2     # one module's sampled mutants
    python -m tests.mutants --module verdicts --all    # every mutant of that module
    python -m tests.mutants --list                     # the sample, without running anything
    python -m tests.mutants --show ID                  # one mutant as a diff
    python -m tests.mutants --only ID [--only ID]      # given mutants (e.g. last run's survivors)
    python -m tests.mutants -j 2 --results run.jsonl   # outcomes kept: run again to resume

It reuses the machinery of ``tests/mutation.py`` (copies of the project in temporary folders,
never the work tree; ``-j`` copies at once; killed / survived). A survivor needs a test that
asserts what a user sees, or an entry in ``tests/mutants_equivalent.toml`` saying why it changes
no behaviour (listed there, it is not run or scored). ``tests/mutations.toml`` stays the
hand-written regression set.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tests import mutation
from tests.helpers import ROOT
from tests.mutagen import Mutant, generate, iter_files, sample_key

EQUIVALENT = Path(__file__).with_name("mutants_equivalent.toml")
#: Mutants in a full run: a seeded sample, spread over the files by their number of mutants.
SAMPLE = 300
SEED = 33
#: Seconds a mutant's tests may take: beyond the slowest module's tests on a busy machine.
TIMEOUT = 2400
#: Fewest sampled mutants of any file.
FLOOR = 3
#: pytest options of every mutant's run: the browser is not installed everywhere and the
#: PostgreSQL cases repeat the SQLite ones (a mutant is one code path, not one database).
MARKS = ("-m", "not browser and not postgres")
#: Modules with code of their own for PostgreSQL: their PostgreSQL cases run too.
WITH_POSTGRES = {name: ("-m", "not browser") for name in ("terms", "web", "warc", "ingest")}

#: module -> (its files, the tests that concern it: cheapest first, since ``-x`` stops at the
#: first failure). End-to-end crawls stay: they run the crawler in a subprocess. Modules whose
#: tests are quick come first, so that a run shows most survivors early.
MODULES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "terms": (("archive/search/terms.py",), (
        "tests/unit/test_search_snippets.py", "tests/unit/test_archive_search.py",
        "tests/unit/test_search_ranking.py",
        "tests/guarantees/test_guarantees_search.py", "tests/unit/test_term_counts.py")),
    "web": (("archive/web/app.py", "archive/web/readonly.py"), (
        "tests/guarantees/test_guarantees_web.py", "tests/web/test_serve_guarantees.py",
        "tests/web/test_web.py")),
    "warc": (("archive/webarchive/warc.py", "archive/webarchive/captures.py"), (
        "tests/guarantees/test_warc_encodings.py", "tests/guarantees/test_warc_dates.py",
        "tests/guarantees/test_warc_folder.py",
        "tests/guarantees/test_verify_summary.py",
        "tests/guarantees/test_guarantees_warc.py",
        "tests/crawl/test_recrawl_captures.py", "tests/crawl/test_provenance.py")),
    "ingest": (("archive/ingest/*.py",), (
        "tests/unit/test_archive_ingest.py", "tests/unit/test_archive_ingest_batch.py",
        "tests/unit/test_archive_kinds.py", "tests/unit/test_archive_verdicts.py",
        "tests/guarantees/test_guarantees_archive.py", "tests/unit/test_history_order.py",
        "tests/unit/test_translation_kinds.py", "tests/unit/test_change_records.py",
        "tests/unit/test_backfill_archives.py", "tests/crawl/test_recrawl_redirects.py",
        "tests/crawl/test_crawl_verdicts.py", "tests/unit/test_archive_concurrency.py",
        "tests/unit/test_backfill_observe.py", "tests/backfill/test_backfill.py",
        "--deselect", "tests/backfill/test_backfill.py::test_backfill_from_a_pywb_collection")),
    "backfill": (("crawler/backfill/*.py",), (
        "tests/unit/test_backfill_archives.py", "tests/unit/test_backfill_warc_files.py",
        "tests/unit/test_backfill_observe.py",
        "tests/backfill/test_backfill.py",
        "--deselect", "tests/backfill/test_backfill.py::test_backfill_from_a_pywb_collection")),
    "middlewares": (("crawler/middlewares/*.py",), (
        "tests/guarantees/test_guarantees_scope.py",
        "tests/guarantees/test_guarantees_politeness.py",
        "tests/guarantees/test_retry_after_dates.py",
        "tests/guarantees/test_guarantees_crawl.py", "tests/crawl/test_capture_statuses.py",
        "tests/crawl/test_recrawl_captures.py", "tests/crawl/test_recrawl_redirects.py",
        "tests/crawl/test_progress_crawl_delay.py", "tests/crawl/test_politeness.py",
        "tests/crawl/test_sources_crawl.py")),
    "extensions": (("crawler/extensions.py",), (
        "tests/crawl/test_crawl_runs.py", "tests/guarantees/test_guarantees_crawl.py",
        "tests/crawl/test_progress.py", "tests/crawl/test_crawl_e2e.py")),
    "progress": (("archive/cli/progress.py",), (
        "tests/unit/test_progress_display.py", "tests/crawl/test_progress.py")),
    "pipelines": (("crawler/pipelines.py",), (
        "tests/guarantees/test_guarantees_crawl.py", "tests/crawl/test_crawl_e2e.py",
        "tests/crawl/test_crawl_coverage.py", "tests/crawl/test_sources_crawl.py",
        "tests/crawl/test_progress.py")),
    "spider": (("crawler/spiders/*.py",), (
        "tests/crawl/test_spider_requests.py", "tests/guarantees/test_guarantees_crawl.py",
        "tests/crawl/test_crawl_e2e.py",
        "tests/crawl/test_crawl_coverage.py", "tests/crawl/test_sources_crawl.py",
        "tests/crawl/test_crawl_hostile.py")),
}
#: The one test left out above installs pywb (a minute of pip) in every run of its file; the
#: other backfill tests cover the same code with the replicas' archives.


@dataclass(frozen=True)
class Run:
    """A generated mutant as ``tests/mutation.py`` runs it."""

    mutant: Mutant
    tests: tuple[str, ...]
    module: str

    @property
    def id(self) -> str:
        return self.mutant.id

    @property
    def file(self) -> str:
        return self.mutant.file

    @property
    def equivalent(self) -> str:
        return ""

    def apply(self, text: str) -> str:
        return self.mutant.apply(text)


def module_files(root: Path = ROOT) -> dict[str, list[str]]:
    return {name: list(iter_files(root, list(globs))) for name, (globs, _) in MODULES.items()}


def all_mutants(root: Path = ROOT) -> dict[str, list[Mutant]]:
    """Every mutant of the guarantee modules, by file."""
    return {file: generate(root, file)
            for files in module_files(root).values() for file in files}


def sample(by_file: dict[str, list[Mutant]], size: int = SAMPLE, seed: int = SEED) -> list[Mutant]:
    """A seeded sample of about ``size`` mutants: each file's share follows its number of
    mutants (at least ``FLOOR``), and within a file the seed orders them."""
    total = sum(len(m) for m in by_file.values()) or 1
    chosen: list[Mutant] = []
    for mutants in by_file.values():
        share = max(FLOOR, round(size * len(mutants) / total))
        chosen += sorted(mutants, key=lambda m: sample_key(seed, m.id))[:share]
    return chosen


def load_equivalent(path: Path = EQUIVALENT) -> dict[str, str]:
    """Mutant id -> why it changes no behaviour a user could see."""
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {entry["id"]: entry["reason"] for entry in data.get("equivalent", [])}


def _module_of(file: str, files: dict[str, list[str]]) -> str:
    return next(name for name, found in files.items() if file in found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutants", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--module", action="append", default=[], metavar="MODULE",
                        help="only the mutants of this module (" + ", ".join(MODULES)
                        + ") or of the files whose path contains MODULE (repeatable)")
    parser.add_argument("--all", action="store_true",
                        help="every mutant of the chosen modules, not the seeded sample")
    parser.add_argument("--sample", type=int, default=SAMPLE,
                        help=f"mutants in the sample (default {SAMPLE})")
    parser.add_argument("--seed", type=int, default=SEED, help=f"sample seed (default {SEED})")
    parser.add_argument("--only", action="append", default=[], metavar="ID",
                        help="only the mutant with this id (repeatable; any generated mutant)")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--show", metavar="ID", help="print one mutant as a diff and exit")
    parser.add_argument("-j", "--jobs", type=int, default=1,
                        help="mutants run at once, each in its own copy (default 1)")
    parser.add_argument("--baseline", action="store_true",
                        help="first run each chosen module's tests unmutated: they must pass")
    parser.add_argument("--results", type=Path, metavar="FILE",
                        help="append each outcome to FILE (JSON lines) as it comes; mutants "
                        "already there are not run again but counted (a stopped run resumes)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT,
                        help="seconds a mutant's tests may take (default %(default)s); more is "
                        "a *timeout*: not counted as killed (each test has its own limit, so "
                        "a mutant that hangs one fails it long before)")
    args = parser.parse_args(argv)

    files = module_files()
    by_file = all_mutants()
    everything = {m.id: m for mutants in by_file.values() for m in mutants}
    if args.show:
        if args.show not in everything:
            print(f"mutants: error: no mutant {args.show}", file=sys.stderr)
            return 2
        print(everything[args.show].diff())
        return 0
    if args.only:
        missing = [i for i in args.only if i not in everything]
        if missing:
            print(f"mutants: error: no mutant {', '.join(missing)}", file=sys.stderr)
            return 2
        chosen = [everything[i] for i in args.only]
    else:
        chosen = ([m for mutants in by_file.values() for m in mutants] if args.all
                  else sample(by_file, args.sample, args.seed))
        if args.module:
            wanted = {f for name in args.module for f in files.get(name, [])}
            wanted |= {f for found in files.values() for f in found
                       if any(name in f for name in args.module)}
            if not wanted:
                print(f"mutants: error: no module {', '.join(args.module)}", file=sys.stderr)
                return 2
            chosen = [m for m in chosen if m.file in wanted]
    equivalent = load_equivalent()
    runs = [Run(m, WITH_POSTGRES.get(module, MARKS) + MODULES[module][1], module)
            for m in chosen for module in [_module_of(m.file, files)]]
    live = [r for r in runs if r.id not in equivalent]
    skipped = [r for r in runs if r.id in equivalent]
    if args.list:
        for run in runs:
            mark = f"  [equivalent: {equivalent[run.id]}]" if run.id in equivalent else ""
            print(f"{run.id}  {run.mutant.line}{mark}")
        print(f"{len(runs)} mutants ({len(skipped)} equivalent) of {len(everything)} generated")
        return 0
    if not live:
        print("mutants: error: no mutant to run", file=sys.stderr)
        return 2
    if args.baseline and not _baseline(sorted({r.module for r in live}), args.timeout):
        return 2
    print(f"{len(live)} mutants of {len(everything)} generated (seed {args.seed}), "
          f"{len(skipped)} equivalent not run", flush=True)
    started = time.monotonic()
    earlier = _earlier(args.results, {r.id: r for r in live}) if args.results else []
    done = {o.mutation.id for o in earlier}
    report = _recorder(args.results) if args.results else _print
    outcomes = earlier + mutation._run_all([r for r in live if r.id not in done], args.jobs,
                                           args.timeout, report)
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(mutation.summary(outcomes, skipped))
    slow = sorted(o.mutation.id for o in outcomes if o.status == "timeout")
    if slow:
        print(f"timeout (not counted as killed; run again with a longer --timeout): "
              f"{', '.join(slow)}")
    print(f"{time.monotonic() - started:.0f} s, {(cpu.ru_utime + cpu.ru_stime) / 60:.0f} min of "
          f"CPU in the tests, -j {args.jobs}, load average {os.getloadavg()[0]:.1f} at the end")
    return 0 if all(o.status == "killed" for o in outcomes) else 1


def _baseline(modules: list[str], timeout: float) -> bool:
    """Each module's tests pass unmutated (else every mutant would count as killed)."""
    copy = mutation._copy()
    try:
        for module in modules:
            status, output, seconds = mutation._pytest(
                copy, WITH_POSTGRES.get(module, MARKS) + MODULES[module][1], timeout)
            print(f"baseline {module:12} {status:7} ({seconds:.0f} s)", flush=True)
            if status != "passed":
                print(output[-3000:], file=sys.stderr)
                print(f"mutants: error: the tests of {module} fail without any mutant",
                      file=sys.stderr)
                return False
    finally:
        mutation.shutil.rmtree(copy.parent, ignore_errors=True)
    return True


def _earlier(path: Path, runs: dict[str, Run]) -> list[mutation.Outcome]:
    """The outcomes a stopped run with the same ``--results`` file already has."""
    if not path.is_file():
        return []
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if entry["id"] in runs:
            found[entry["id"]] = mutation.Outcome(runs[entry["id"]], entry["status"],
                                                  entry["seconds"], entry.get("detail", ""))
    if found:
        print(f"{len(found)} mutants already run ({path})", flush=True)
    return list(found.values())


def _recorder(path: Path):
    def record(outcome: mutation.Outcome, done: int, total: int) -> None:
        _print(outcome, done, total)
        entry = {"id": outcome.mutation.id, "status": outcome.status,
                 "seconds": round(outcome.seconds), "detail": outcome.detail,
                 "at": datetime.now(UTC).isoformat(timespec="seconds")}
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(entry) + "\n")
    return record


def _print(outcome: mutation.Outcome, done: int, total: int) -> None:
    if outcome.detail == "timeout":  # slow tests are no proof that the mutant was caught
        outcome.status = "timeout"
    mutation._print_outcome(outcome, done, total)
    if outcome.status != "killed":
        print("    " + outcome.mutation.mutant.diff().replace("\n", "\n    "), flush=True)


if __name__ == "__main__":
    sys.exit(main())
