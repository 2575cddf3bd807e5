"""A backfill and the crawl make one history whichever comes first: the crawl of today's
portal (the replica after its edit, removal and move) then the archive's 2019 and 2021
captures, or the captures first and the crawl after them. A crawl after a backfill adds no
revision where the portal still says what the archive last captured; a killed backfill
(``--max-captures``) run again ends where one whole backfill ends."""

from __future__ import annotations

import pytest

from tests.backfill.test_backfill import FAST, history, run
from tests.helpers.crawl_helpers import run_crawl
from tests.replica.eras import write_era_warcs
from tests.replica.serve import change_site
from tests.replica.site import PREFIX, ReplicaServer, ReplicaSite
from tests.replica.webarchives import IaWaybackReplica


@pytest.fixture(scope="module")
def portal():
    site = ReplicaSite()
    change_site(site)  # today's portal: the era-2 state
    with ReplicaServer(site) as server:
        yield server


@pytest.fixture(scope="module")
def archive(portal, tmp_path_factory):
    eras = write_era_warcs(tmp_path_factory.mktemp("eras"), base=portal.base)
    with IaWaybackReplica(eras) as ia:
        yield ia


def backfill(cli, db_url: str, archive, portal, *extra: str):
    code, out, err = run(cli, "backfill", "--from", archive.base, "--start-url",
                         portal.base + PREFIX, "--db", db_url, *FAST, *extra)
    assert code == 0, err[-2000:]
    return out


def crawl(db_url: str, portal) -> str:
    result = run_crawl(db_url, portal.base + PREFIX)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    return result.stdout.decode()


def past(found: dict[str, dict]) -> dict[str, dict]:
    """The histories up to the archive's last capture (the crawl's own day differs), of the
    articles the archive captured."""
    return {url: {**a, "revisions": [r for r in a["revisions"] if r[0] < "2026"],
                  "events": [e for e in a["events"] if e[1] < "2026"]}
            for url, a in found.items() if any(r[0] < "2026" for r in a["revisions"])}


def test_crawl_first_or_backfill_first_is_one_history(cli, db_url, portal, archive,
                                                      tmp_path):
    crawl(db_url, portal)
    backfill(cli, db_url, archive, portal)
    crawl_first = history(db_url)
    other = f"sqlite:///{tmp_path / 'backfill-first.db'}"
    backfill(cli, other, archive, portal)
    backfilled = history(other)
    summary = crawl(other, portal)
    assert "revised 0," in summary, summary  # the portal says what 2021 said
    backfill_first = history(other)
    # new: only the pages the archive never captured (the theme and about pages)
    assert {u.split(PREFIX)[1] for u in set(backfill_first) - set(backfilled)} == {
        "teman/bostad", "om-oss"}
    assert past(backfill_first) == past(backfilled)
    assert past(crawl_first) == past(backfill_first)
    edited = next(a for a in crawl_first.values() if any("fyra år" in r[2]
                                                         for r in a["revisions"]))
    assert [r[0][:10] for r in edited["revisions"]] == ["2019-03-14", "2021-06-02"]


def test_a_killed_backfill_run_again_is_one_backfill(cli, portal, archive, tmp_path):
    whole = f"sqlite:///{tmp_path / 'whole.db'}"
    backfill(cli, whole, archive, portal)
    parts = f"sqlite:///{tmp_path / 'parts.db'}"
    first = backfill(cli, parts, archive, portal, "--max-captures", "20")
    assert "captures 20 " in first, first
    rest = backfill(cli, parts, archive, portal)
    assert "already archived 20" in rest and "captures 38 " in rest, rest
    assert history(parts) == history(whole)
