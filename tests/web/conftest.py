"""The browser of the web tests: Debian's Chromium, headless, driven by Playwright; a fresh
page per test, on which a script error or a JavaScript dialog fails the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CHROMIUM


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():  # the session's start already said so (tests/conftest.py)
        pytest.fail(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh page; a script error or a JavaScript dialog (an injected alert) fails the test."""
    context = browser.new_context()
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"),
                                     dialog.dismiss()))
    yield tab
    context.close()
    assert not problems, problems
