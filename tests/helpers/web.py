"""``nordarchive serve`` as the tests run it (a subprocess on a free loopback port, its output
in a log file) and plain HTTP requests to it."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import contextmanager
from email.message import Message
from pathlib import Path

from tests.helpers import ROOT
from tests.helpers.net import answers, free_port, wait_until


def get(url: str) -> tuple[int, Message, bytes]:
    """A GET: the status, headers and body, an error status included."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@contextmanager
def serving(db: str, log: Path, *extra: str, cwd: Path = ROOT, env: dict | None = None):
    """``nordarchive serve`` in a subprocess, its output into ``log`` (a pipe nobody reads
    would fill and stall it); yields its base URL once it answers. The free port may be taken
    by another process before ``serve`` binds it: then it is started again on another."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    output = open(log, "wb")  # noqa: SIM115 - closed below
    process = None
    try:
        for attempt in range(5):
            port = free_port()
            process = subprocess.Popen(
                [sys.executable, "-m", "crawler.commands", "serve", "--db", db, "--port", str(port),
                 *extra], cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)
            base = f"http://127.0.0.1:{port}"
            if _answers(base, process, log, retry_taken_port=attempt < 4):
                break
        yield base, process
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        output.close()


def _answers(base: str, process: subprocess.Popen, log: Path, *,
             retry_taken_port: bool) -> bool:
    """Wait until ``serve`` answers at ``base``: True; False if it could not bind its port."""

    def answered() -> str | None:
        if process.poll() is not None:
            said = log.read_text()
            # Refused up front, or taken between that check and uvicorn's bind.
            if retry_taken_port and ("cannot serve on 127.0.0.1" in said
                                     or "address already in use" in said.lower()):
                return "port taken"
            raise AssertionError(said[-3000:])
        return "answers" if answers(base + "/-/versions.json", timeout=30) else None

    # Start-up imports take a while on a busy machine.
    return wait_until(answered, 90, message="serve did not answer") == "answers"
