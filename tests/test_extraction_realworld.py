"""``extract()`` on a fixed sample of real pages nobody here wrote, against trafilatura and htmldate
alone in the same run (the whole sets: ``python -m tests.benchmarks.realworld``).

The pages live in the planners' ``shared/`` folder beside the project (``$NORDARCHIVE_SHARED``
overrides it). Where it is absent the tests skip, except in CI, where they fail.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.benchmarks import realworld

#: Every n-th page of each set: 248 text pages, 120 date pages.
TEXT_STEP = 4
DATES_STEP = 5
#: Pages of the text sample extract() may refuse (measured: 0).
ALLOWED_REFUSALS = 1


def _folder(name: str):
    folder = realworld.shared_dir() / name
    if not folder.is_dir():
        message = (f"{folder} is absent: the real-page sample needs the planners' shared folder"
                   " beside the project (or NORDARCHIVE_SHARED)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return folder


def _sample(folder, labels: str, step: int) -> list[realworld.Page]:
    keys = sorted(json.loads((folder / labels).read_text(encoding="utf-8")))[::step]
    return realworld.load_pages(folder, labels, keys)


@pytest.mark.timeout(1200)  # two extractors on 165 pages; slow only on a crowded machine
def test_text_sample_is_at_least_as_good_as_trafilatura_alone():
    pages = _sample(_folder("realworld"), "segments.json", TEXT_STEP)
    assert len(pages) >= 150
    result = realworld.run_text(pages)
    assert result.exceptions == []
    assert sum(result.refused.values()) <= ALLOWED_REFUSALS, result.refused_keys
    assert result.ours.f1 >= result.theirs.f1, (result.ours, result.theirs)


@pytest.mark.timeout(1200)
def test_date_sample_is_at_least_as_good_as_htmldate_alone():
    pages = _sample(_folder("realworld-dates"), "dates.json", DATES_STEP)
    assert len(pages) >= 100
    ours, theirs, exceptions = realworld.run_dates(pages)
    assert exceptions == []
    assert ours.accuracy >= theirs.accuracy, (ours.accuracy, theirs.accuracy)
    # A wrong date is worse than none: never more often wrong than htmldate.
    assert ours.precision >= theirs.precision, (ours.wrong, ours.precision, theirs.precision)
