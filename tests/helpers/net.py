"""Ports on the loopback address, and waiting for something to happen (a server to answer, a
crawl to write): the one free port and the one polling loop of the tests and benchmarks."""

from __future__ import annotations

import socket
import time
import urllib.request
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now (another process may take it before
    the caller binds it: a server started on it must be ready to try another)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate: Callable[[], T], timeout: float | None, interval: float = 0.2,
               message: str = "timed out") -> T:
    """Call ``predicate`` every ``interval`` seconds until it returns something true, and
    return that. After ``timeout`` seconds (None: no limit) the wait fails with ``message``
    (an ``AssertionError``). The predicate may fail itself to end the wait at once: a server
    process that died, say, with what it said."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while not (value := predicate()):
        assert deadline is None or time.monotonic() < deadline, message
        time.sleep(interval)
    return value


def answers(url: str, timeout: float = 5) -> bool:
    """Whether ``url`` answers 200 now: False while nothing listens there yet, when the
    connection fails or times out, or on an error status."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False
