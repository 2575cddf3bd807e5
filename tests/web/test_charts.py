"""Charts a person can read, rendered in Chromium: on every chart of the window (start page,
charts page, search, trend) no two axis labels overlap, time axes carry a readable number of
ticks however many months the archive spans, and count axes only whole numbers."""

from __future__ import annotations

import urllib.parse

import pytest

from archive.storage.database import Database
from tests.helpers.archive_data import ingest_stories
from tests.helpers.web import serving

#: Every axis of every chart on the page: its orientation, and its labels' text and boxes.
_AXES = """() => [...document.querySelectorAll('figure[data-vega-chart] svg')].map(svg =>
  [...svg.querySelectorAll('g.role-axis')].map(axis => ({
    name: axis.getAttribute('aria-label') || '',
    labels: [...axis.querySelectorAll('g.role-axis-label text')]
      .filter(t => t.textContent.trim() !== '' && t.getAttribute('opacity') !== '0'
                   && getComputedStyle(t).opacity !== '0')  // labels Vega hid to make room
      .map(t => { const b = t.getBoundingClientRect();
                  return {text: t.textContent, x0: b.left, x1: b.right, y0: b.top, y1: b.bottom}; })
  })))"""


def overlapping(labels: list[dict]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            if a["x0"] < b["x1"] - 0.5 and b["x0"] < a["x1"] - 0.5 and \
                    a["y0"] < b["y1"] - 0.5 and b["y0"] < a["y1"] - 0.5:
                found.append((a["text"], b["text"]))
    return found


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("charts")
    db_url = f"sqlite:///{folder / 'archive.db'}"
    with Database(db_url) as db:
        ingest_stories(db)  # published from 2018 to 2025: about a hundred months
    with serving(db_url, folder / "serve.log") as (base, _process):
        yield base


@pytest.mark.parametrize("path", [
    "/", "/stats", "/search?q=flyktingar", "/trend?" + urllib.parse.urlencode(
        [("q", "flyktingar"), ("q", "kommun"), ("split", "none")]),
    "/trend?q=flyktingar&by=week", "/trend?q=flyktingar&norm=1"])
def test_every_chart_is_readable(page, served, path):
    page.goto(served + path)
    page.wait_for_selector("figure[data-vega-chart] svg g.role-axis-label text")
    page.wait_for_timeout(300)  # a chart whose rows load from /trend.json draws again
    charts = page.evaluate(_AXES)
    assert charts, path
    for axes in charts:
        for axis in axes:
            labels = axis["labels"]
            assert not overlapping(labels), (path, axis["name"], overlapping(labels)[:3])
            assert len(labels) <= 16, (path, axis["name"], [x["text"] for x in labels])
            if axis["name"].startswith("Y-axis") and "linear scale" in axis["name"] \
                    and "share" not in axis["name"]:
                assert all(x["text"].replace(",", "").isdigit() for x in labels), (
                    path, axis["name"], [x["text"] for x in labels])
