"""Mutation testing over the modules that hold the README's guarantees: each mutation of
``tests/mutations.toml`` (a condition dropped, a branch disabled, a constant changed) is
applied alone to a copy of the project in a temporary folder, never to the work tree, and the
tests listed for it are run there. A mutation the tests catch is *killed*; one they miss
*survives* and needs a test, or a one-line reason why it changes nothing (``equivalent``).

    python -m tests.mutation                 # every mutation, one at a time
    python -m tests.mutation -j 2            # two copies of the project, two at a time
    python -m tests.mutation --list          # the mutations, without running anything
    python -m tests.mutation --only verdicts # ids or files containing "verdicts"
    python -m tests.mutation --baseline      # first check that the tests pass unmutated

Slow (real crawls): not part of the test run; ``tests/unit/test_mutation_list.py`` checks that the
list still applies to the code (every original snippet occurs exactly once in its file, every
listed test file exists).
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers import ROOT

LIST = Path(__file__).with_name("mutations.toml")
#: Longest a mutation's tests may run; a mutation that hangs them is killed (a timeout).
TIMEOUT = 900
_IGNORED = shutil.ignore_patterns(".git", "__pycache__", ".pytest_cache", ".hypothesis",
                                  ".ruff_cache", ".venv", ".ci-venv", "*.egg-info", "*.db",
                                  "*.db-wal", "*.db-shm", "*-warc", "*.warc.gz", "build")


@dataclass(frozen=True)
class Mutation:
    id: str
    file: str
    original: str
    replacement: str
    tests: tuple[str, ...]
    #: Why this mutation changes no behaviour (then it is listed, not run or scored).
    equivalent: str = ""
    note: str = ""

    @property
    def module(self) -> str:
        return self.file.removesuffix(".py").replace("/", ".")

    def test_files(self) -> list[str]:
        return [t.split("::", 1)[0] for t in self.tests]

    def apply(self, text: str) -> str:
        """``text`` with the replacement, or a ValueError when the snippet is not there once."""
        if text.count(self.original) != 1:
            raise ValueError("the original snippet does not occur once")
        return text.replace(self.original, self.replacement, 1)


@dataclass
class Outcome:
    mutation: Mutation
    status: str  # killed, survived, timeout, error
    seconds: float
    detail: str = ""
    failed: list[str] = field(default_factory=list)


def load(path: Path = LIST) -> list[Mutation]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [Mutation(id=m["id"], file=m["file"], original=m["original"],
                     replacement=m["replacement"], tests=tuple(m["tests"]),
                     equivalent=m.get("equivalent", ""), note=m.get("note", ""))
            for m in data["mutation"]]


def problems(mutations: list[Mutation], root: Path = ROOT) -> list[str]:
    """Why the list no longer applies to the code: an empty list when it does."""
    found = []
    for id_, count in Counter(m.id for m in mutations).items():
        if count > 1:
            found.append(f"{id_}: listed {count} times")
    for m in mutations:
        source = root / m.file
        if not source.is_file():
            found.append(f"{m.id}: no file {m.file}")
            continue
        occurrences = source.read_text(encoding="utf-8").count(m.original)
        if occurrences != 1:
            found.append(f"{m.id}: the original snippet occurs {occurrences} times in {m.file}")
        if m.original == m.replacement:
            found.append(f"{m.id}: the replacement is the original")
        if not m.tests:
            found.append(f"{m.id}: no tests listed")
        for test in m.test_files():
            if not (root / test).is_file():
                found.append(f"{m.id}: no test file {test}")
    return found


def _env(copy: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(copy), "NORDARCHIVE_REQUIRE_PG": "1"}
    shared = ROOT.parent / "shared"
    if "NORDARCHIVE_SHARED" not in env and shared.is_dir():
        env["NORDARCHIVE_SHARED"] = str(shared)
    return env


def _pytest(copy: Path, tests: tuple[str, ...], timeout: float) -> tuple[str, str, float]:
    """Run ``tests`` in ``copy``: (passed | failed | timeout | error, output tail, seconds)."""
    started = time.monotonic()
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-n", "0", "-p", "no:cacheprovider",
               "-p", "no:randomly", "--no-header", *tests]
    try:
        result = subprocess.run(command, cwd=copy, env=_env(copy), capture_output=True,
                                timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", "", time.monotonic() - started
    output = (result.stdout + result.stderr).decode("utf-8", "replace")
    status = {0: "passed", 1: "failed"}.get(result.returncode, "error")
    return status, output, time.monotonic() - started


def _failed_tests(output: str) -> list[str]:
    return [line.split()[1] for line in output.splitlines()
            if line.startswith(("FAILED ", "ERROR ")) and len(line.split()) > 1]


def run_one(copy: Path, mutation, timeout: float) -> Outcome:
    """Apply ``mutation`` (anything with ``file``, ``tests`` and ``apply``) alone to ``copy``
    and run its tests there."""
    target = copy / mutation.file
    original = target.read_text(encoding="utf-8")
    try:
        mutated = mutation.apply(original)
    except ValueError as error:
        return Outcome(mutation, "error", 0.0, str(error))
    target.write_text(mutated, encoding="utf-8")
    try:
        status, output, seconds = _pytest(copy, mutation.tests, timeout)
    finally:
        target.write_text(original, encoding="utf-8")
    if status == "passed":
        return Outcome(mutation, "survived", seconds)
    if status == "timeout":
        return Outcome(mutation, "killed", seconds, "timeout")
    failed = _failed_tests(output)
    detail = "" if status == "failed" else "pytest error: " + output.strip()[-300:]
    return Outcome(mutation, "killed", seconds, detail, failed)


def _copy() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="nordarchive-mutation-"))
    project = folder / ROOT.name
    shutil.copytree(ROOT, project, ignore=_IGNORED, symlinks=True)
    return project


def _run_all(mutations: list[Mutation], jobs: int, timeout: float, report) -> list[Outcome]:
    work: queue.Queue[Mutation] = queue.Queue()
    for mutation in mutations:
        work.put(mutation)
    outcomes: list[Outcome] = []
    lock = threading.Lock()

    def worker() -> None:
        copy = _copy()
        try:
            while True:
                try:
                    mutation = work.get_nowait()
                except queue.Empty:
                    return
                outcome = run_one(copy, mutation, timeout)
                with lock:
                    outcomes.append(outcome)
                    report(outcome, len(outcomes), len(mutations))
        finally:
            shutil.rmtree(copy.parent, ignore_errors=True)

    threads = [threading.Thread(target=worker) for _ in range(max(1, min(jobs, len(mutations))))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _print_outcome(outcome: Outcome, done: int, total: int) -> None:
    m = outcome.mutation
    which = f" ({', '.join(outcome.failed[:2])})" if outcome.failed else ""
    detail = f" {outcome.detail}" if outcome.detail else ""
    print(f"[{done}/{total}] {outcome.status.upper():8} {m.id} ({m.file}, "
          f"{outcome.seconds:.0f} s){which}{detail}", flush=True)


def summary(outcomes: list[Outcome], equivalent: list[Mutation]) -> str:
    by_module: dict[str, Counter] = defaultdict(Counter)
    for outcome in outcomes:
        by_module[outcome.mutation.file][outcome.status] += 1
    lines = [f"{'module':40} killed  survived"]
    for module in sorted(by_module):
        counts = by_module[module]
        lines.append(f"{module:40} {counts['killed']:6}  {counts['survived']:8}")
    killed = sum(c["killed"] for c in by_module.values())
    survived = [o.mutation.id for o in outcomes if o.status == "survived"]
    total = len(outcomes)
    score = 100.0 * killed / total if total else 100.0
    if survived:
        lines.append("survived: " + ", ".join(sorted(survived)))
    lines.append(f"mutation score: {killed}/{total} killed ({score:.1f} %), "
                 f"{len(survived)} survived, {len(equivalent)} equivalent not run")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutation", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("--only", metavar="PATTERN", action="append", default=[],
                        help="only mutations whose id or file contains PATTERN (repeatable)")
    parser.add_argument("-j", "--jobs", type=int, default=1,
                        help="mutations run at once, each in its own copy (default 1)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT,
                        help=f"seconds a mutation's tests may take (default {TIMEOUT})")
    parser.add_argument("--baseline", action="store_true",
                        help="first run each mutation's tests unmutated: they must pass")
    parser.add_argument("--list-file", type=Path, default=LIST, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    mutations = load(args.list_file)
    broken = problems(mutations)
    if broken:
        for line in broken:
            print(f"mutation: error: {line}", file=sys.stderr)
        return 2
    if args.only:
        mutations = [m for m in mutations
                     if any(p in m.id or p in m.file for p in args.only)]
    equivalent = [m for m in mutations if m.equivalent]
    live = [m for m in mutations if not m.equivalent]
    if args.list:
        for m in mutations:
            mark = f"  [equivalent: {m.equivalent}]" if m.equivalent else ""
            print(f"{m.id:40} {m.file:40} {' '.join(m.tests)}{mark}")
        print(f"{len(mutations)} mutations ({len(equivalent)} equivalent)")
        return 0
    if not live:
        print("mutation: error: no mutation matches", file=sys.stderr)
        return 2
    if args.baseline:
        copy = _copy()
        try:
            for tests in dict.fromkeys(m.tests for m in live):
                status, output, seconds = _pytest(copy, tests, args.timeout)
                print(f"baseline {status:7} {' '.join(tests)} ({seconds:.0f} s)", flush=True)
                if status != "passed":
                    print(output[-3000:], file=sys.stderr)
                    print("mutation: error: the tests fail without any mutation",
                          file=sys.stderr)
                    return 2
        finally:
            shutil.rmtree(copy.parent, ignore_errors=True)
    for m in equivalent:
        print(f"EQUIVALENT {m.id}: {m.equivalent}")
    outcomes = _run_all(live, args.jobs, args.timeout, _print_outcome)
    print(summary(outcomes, equivalent))
    return 0 if all(o.status == "killed" for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
