"""The planners' shared folder (real pages nobody here wrote), where tests and benchmarks find
it, and the one rule for a test that needs it: skip where it is absent, fail in CI."""

from __future__ import annotations

import os
from pathlib import Path

from tests.helpers import ROOT


def shared_dir() -> Path:
    """``$NORDARCHIVE_SHARED``, or ``shared/`` beside the project."""
    return Path(os.environ.get("NORDARCHIVE_SHARED") or ROOT.parent / "shared")


def require(path: Path, needed_for: str) -> Path:
    """``path`` inside the shared folder; a test without it skips, except in CI (``CI`` set),
    where it fails."""
    if not path.exists():
        import pytest

        message = (f"{path} is absent: {needed_for} needs the planners' shared folder beside "
                   "the project (or NORDARCHIVE_SHARED)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path
