"""``nordarchive`` in a subprocess, exactly as a user or cron runs it (the ``cli`` fixture of
``tests/conftest.py``); standard library only, so that the conftest imports it cheaply."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT


def run_cli(*args: str, input: bytes | None = None, env: dict | None = None,
            cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``nordarchive`` in a subprocess, exactly as a user or cron would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "crawler.commands", *args], input=input, capture_output=True,
        env=full_env, cwd=cwd or ROOT, timeout=timeout,
    )
