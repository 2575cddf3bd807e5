"""One history, whatever the order: observations of an article (our crawl's, a web
archive's) are placed by their time, so that any order of arrival gives the same revisions —
the same times, texts and diffs — and a revision's number, once given, never names another."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from archive.ingest.articles import ingest
from archive.ingest.records import Fetch, Outcome, Record
from archive.storage.database import Database
from archive.storage.models import Article, Capture, Revision

URL = "https://nordicwelfare.org/integration-norden/nyheter/sprakkafeer/"
T0 = datetime(2019, 3, 14, 10, 0, tzinfo=UTC)
TEXTS = {
    "A": "Biblioteken ordnar språkkaféer.\n\nProjektet har pågått i tre år.",
    "B": "Biblioteken ordnar språkkaféer.\n\nProjektet har pågått i fyra år.",
    "C": "Biblioteken ordnar språkkaféer.\n\nProjektet avslutades i år.",
}


def observe(db: Database, text: str, at: datetime, origin: str = "site"):
    """One observation as a crawl or a backfill makes it: its capture, then its ingest."""
    with db.engine.begin() as conn:
        capture_id = conn.execute(insert(Capture.__table__).returning(Capture.__table__.c.id), {
            "url": URL, "normalized_url": URL.rstrip("/"), "fetched_at": at, "http_status": 200,
            "warc_file": "x.warc.gz", "offset": 0, "length": 1, "record_id": f"<urn:{at}>",
            "payload_digest": "sha1:X", "kind": "response"}).scalar_one()
    record = Record(canonical_url=URL, title="Språkkaféer", text=TEXTS[text], language="sv")
    return ingest(db, record, Fetch(url=URL, fetched_at=at, capture_id=capture_id,
                                    origin=origin))


def revisions(db: Database) -> list[tuple[datetime, str, str, int, int]]:
    """(time, text, change kind, lines added, lines removed) of each revision, in time order."""
    with db.session() as session:
        rows = session.scalars(select(Revision).order_by(Revision.fetched_at, Revision.number))
        names = {v: k for k, v in TEXTS.items()}
        return [(r.fetched_at, names[r.text], r.change_kind, r.lines_added, r.lines_removed)
                for r in rows]


def expected_runs(observations: list[tuple[datetime, str]]) -> list[tuple[datetime, str]]:
    runs: list[tuple[datetime, str]] = []
    for at, text in sorted(observations):
        if not runs or runs[-1][1] != text:
            runs.append((at, text))
    return runs


def test_a_backfill_after_the_crawl_gives_the_history_a_backfill_first_gives(db_url, tmp_path):
    observations = [(T0, "A"), (T0 + timedelta(days=800), "B"), (T0 + timedelta(days=900), "B"),
                    (T0 + timedelta(days=2000), "C")]
    histories = []
    for order in ([3, 0, 1, 2], [0, 1, 2, 3], [2, 3, 1, 0]):
        url = db_url if not histories else f"sqlite:///{tmp_path / f'order{len(histories)}.db'}"
        with Database(url) as db:
            for i in order:
                observe(db, observations[i][1], observations[i][0])
            histories.append(revisions(db))
    assert histories[0] == histories[1] == histories[2]
    assert [(at, text) for at, text, *_ in histories[0]] == expected_runs(observations)
    assert [kind for _, _, kind, *_ in histories[0]] == ["new", "text", "text"]


def test_numbers_never_move_and_the_oldest_capture_dates_a_revision(database):
    now = T0 + timedelta(days=2500)
    observe(database, "C", now)  # the first crawl
    observe(database, "B", T0 + timedelta(days=800), origin="wayback")
    observe(database, "A", T0, origin="wayback")
    result = observe(database, "C", T0 + timedelta(days=1500), origin="wayback")
    assert result.outcome is Outcome.UNCHANGED  # the run of C starts earlier, no revision
    with database.session() as session:
        rows = list(session.scalars(select(Revision).order_by(Revision.fetched_at)))
        article = session.scalars(select(Article)).one()
        by_number = {r.number: r.text for r in rows}
    # the crawl's revision 1 keeps its number and text; it now starts at the archive's capture
    assert by_number == {1: TEXTS["C"], 2: TEXTS["B"], 3: TEXTS["A"]}
    assert [r.number for r in rows] == [3, 2, 1]
    assert rows[2].fetched_at == T0 + timedelta(days=1500) and rows[2].origin == "wayback"
    assert [r.change_kind for r in rows] == ["new", "text", "text"]
    assert "+Projektet avslutades i år." in rows[2].diff and "fyra år" in rows[2].diff
    assert article.current_revision_id == rows[2].id and article.first_seen == T0
    assert article.last_seen == now


def test_a_same_text_capture_later_adds_nothing(database):
    observe(database, "A", T0, origin="wayback")
    assert observe(database, "A", T0 + timedelta(days=30)).outcome is Outcome.UNCHANGED
    assert observe(database, "A", T0 + timedelta(days=10), "wayback").outcome is Outcome.UNCHANGED
    assert [text for _, text, *_ in revisions(database)] == ["A"]


def test_an_old_version_between_two_crawl_observations_returns_after_it(database):
    # Our crawls saw A on day 0 and day 100 (no change, one revision); an archive saw B on day 50.
    observe(database, "A", T0)
    observe(database, "A", T0 + timedelta(days=100))
    observe(database, "B", T0 + timedelta(days=50), origin="wayback")
    history = revisions(database)
    assert [(at - T0).days for at, *_ in history] == [0, 50, 100]
    assert [text for _, text, *_ in history] == ["A", "B", "A"]
    with database.session() as session:
        article = session.scalars(select(Article)).one()
        current = session.get(Revision, article.current_revision_id)
    assert current.text == TEXTS["A"] and (current.fetched_at - T0).days == 100


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 40), st.sampled_from("ABC")), min_size=1, max_size=7,
                unique_by=lambda o: o[0]),
       st.randoms(use_true_random=False))
def test_any_order_of_arrival_gives_the_runs_of_the_observations(tmp_path_factory, seen, rnd):
    observations = [(T0 + timedelta(days=day), text) for day, text in seen]
    arrival = observations[:]
    rnd.shuffle(arrival)
    path = tmp_path_factory.mktemp("order") / "a.db"
    with Database(f"sqlite:///{path}") as db:
        for at, text in arrival:
            observe(db, text, at)
        assert [(at, text) for at, text, *_ in revisions(db)] == expected_runs(observations)


def test_an_old_404_is_a_removal_then_and_a_return_at_the_next_observation(database):
    from archive.ingest.removals import mark_gone
    from archive.read.queries import show

    observe(database, "A", T0, origin="wayback")
    observe(database, "A", T0 + timedelta(days=400))  # our crawl, today: live
    gone = Fetch(url=URL, status=404, fetched_at=T0 + timedelta(days=100), origin="wayback")
    assert mark_gone(database, gone).outcome is Outcome.REMOVED
    assert mark_gone(database, gone).outcome is Outcome.UNCHANGED  # the same capture again
    article = show(database, URL)
    assert article["removed"] is None  # live now
    events = [(e["kind"], e["at"][:10]) for e in article["events"]]
    assert events == [("removed", "2019-06-22"), ("restored", "2020-04-17")]
    # a 404 after every observation is a removal now
    late = Fetch(url=URL, status=404, fetched_at=T0 + timedelta(days=500))
    assert mark_gone(database, late).outcome is Outcome.REMOVED
    assert show(database, URL)["removed"].startswith("2020-07-26")
