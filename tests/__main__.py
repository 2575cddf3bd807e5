"""The test command: ``python -m tests [PYTEST ARGS…]``.

It makes this machine able to run every test before pytest starts: Chromium from Debian's
packages when it is missing (as root, with apt-get), the PostgreSQL server started when it is
installed here but stopped. What it cannot have stays missing, and the suite then stops at once
with one line naming it (``tests/conftest.py``) rather than skip half of itself. Then it runs
``pytest -n 2 --durations=20`` with any arguments given (``-m "not postgres"`` and the like).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT
from tests.helpers.net import wait_until
from tests.helpers.services import CHROMIUM, PG_URL, pg_reachable


def say(message: str) -> None:
    print(f"tests: {message}", file=sys.stderr, flush=True)


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def ensure_chromium(wanted: bool) -> None:
    """Debian's Chromium (never a browser build of a test tool's own)."""
    if not wanted or Path(CHROMIUM).is_file():
        return
    if "NORDARCHIVE_CHROMIUM" in os.environ or not (is_root() and shutil.which("apt-get")):
        return  # conftest names what is missing
    say("Chromium is missing: installing Debian's chromium package")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT}
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False, **quiet)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=env, check=False,
                   **quiet)


def ensure_postgresql(wanted: bool) -> None:
    """Start the local cluster when it is installed but stopped (as the machine's boot would)."""
    if not wanted or pg_reachable():
        return
    clusters = sorted(p.name for p in Path("/etc/postgresql").glob("*")) \
        if Path("/etc/postgresql").is_dir() else []
    if not (clusters and shutil.which("pg_ctlcluster") and is_root()):
        return
    say(f"PostgreSQL is not reachable at {PG_URL}: starting cluster {clusters[-1]} main")
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", clusters[-1], "main",
                    "start"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, check=False)
    try:
        wait_until(pg_reachable, timeout=30, interval=1)
    except AssertionError:
        pass  # conftest names the missing server in one line


def wanted(args: list[str], mark: str) -> bool:
    """Whether a ``-m`` expression among the arguments could select tests of ``mark``."""
    for i, arg in enumerate(args):
        expression = args[i + 1] if arg == "-m" and i + 1 < len(args) else (
            arg[2:] if arg.startswith("-m") and len(arg) > 2 else None)
        if expression is not None and f"not {mark}" in expression:
            return False
    return True


def main(argv: list[str]) -> int:
    os.chdir(ROOT)
    ensure_chromium(wanted(argv, "browser"))
    ensure_postgresql(wanted(argv, "postgres"))
    workers = [] if any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in argv) \
        else ["-n", "2"]
    command = [sys.executable, "-m", "pytest", *workers, "--durations=20", *argv]
    return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
