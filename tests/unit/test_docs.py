"""The manual builds with every warning an error: a broken link or anchor, a page left out
of the navigation, or a CLI reference that no longer matches the commands fails here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_docs_build_strict(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={"PATH": str(Path(sys.executable).parent), "NO_MKDOCS_2_WARNING": "1",
             "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-4000:]
    cli = (tmp_path / "site" / "cli" / "index.html").read_text()
    for command in ("crawl", "search", "export", "serve", "history", "diff", "trend"):
        assert f"nordarchive {command}" in cli, command


def test_the_readme_is_the_first_screen():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 150
    assert "pip install -e '.[test]' && python -m tests" in readme
