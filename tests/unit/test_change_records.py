"""What each revision changed: the rule (a plain function of the version before and after, on
Swedish, Finnish and English text), stored when a revision is made, recomputed for the revision
that follows one a backfill places between two, and filled by migration 0014 for the
revisions of an older archive, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from archive.ingest.articles import ingest
from archive.ingest.batch import ingest_many
from archive.ingest.records import Fetch, Record
from archive.ingest.removals import mark_gone
from archive.read.changes import ChangeFilter, list_changes
from archive.search.filters import Filters
from archive.storage.changes import Seen, describe, numbers
from archive.storage.database import ArchiveError, Database
from archive.storage.models import Revision
from archive.web import data as web_data
from tests.helpers.archive_data import archive_at
from tests.unit.test_history_order import T0, TEXTS, observe

SV = ("Biblioteken ordnar språkkaféer för nyanlända.\n\n"
      "Projektet har pågått i tre år och samarbetet med frivilligorganisationer lyfts fram.")
FI = ("Hankkeelle on myönnetty jatkorahoitus vuosille 2018–2020.\n\n"
      "Alueelliset koordinaattorit jatkavat työtään ELY-keskusten toimialueilla.")


def seen(text: str, title: str = "Språkkaféer", *, tags: tuple[str, ...] = ("Arbete",),
         published: date | None = date(2019, 10, 19), language: str = "sv") -> Seen:
    return Seen(title, text, tags, published, None, language)


def test_a_changed_figure_is_an_edit_that_changed_numbers():
    record = describe(seen(FI, language="fi"), seen(FI.replace("2018–2020", "2018–2021"),
                                                     language="fi"))
    assert record.changed_fields == ("text",)
    assert record.numbers_changed and not record.minor
    assert record.significance == "edit"
    assert (record.words_added, record.words_removed) == (1, 1)


def test_a_word_for_a_word_is_an_edit_not_spelling():
    record = describe(seen(SV), seen(SV.replace("tre år", "fyra år")))
    assert record.significance == "edit" and not record.minor and not record.numbers_changed
    assert (record.words_added, record.words_removed) == (1, 1)
    assert 0 < record.changed_share < 0.1


@pytest.mark.parametrize("before, after", [
    ("frivilligorganisationer", "frivilliga organisationer"),  # a compound split, a letter
    ("språkkaféer för", "språkkafeer för"),                     # an accent
    ("Biblioteken ordnar", "biblioteken  ordnar"),              # case, whitespace
    ("nyanlända.", "nyanlända!"),                               # punctuation
])
def test_spelling_punctuation_case_and_whitespace_are_minor(before, after):
    record = describe(seen(SV), seen(SV.replace(before, after)))
    assert record.minor and record.significance == "minor", record
    assert not record.numbers_changed


def test_finnish_spelling_fix_is_minor_and_a_new_word_is_not():
    fixed = describe(seen(FI, language="fi"),
                     seen(FI.replace("koordinaattorit", "koordinaatorit"), language="fi"))
    assert fixed.significance == "minor"
    added = describe(seen(FI, language="fi"),
                     seen(FI.replace("jatkavat työtään", "jatkavat yhä työtään"), language="fi"))
    assert added.significance == "edit" and not added.minor
    assert (added.words_added, added.words_removed) == (1, 0)
    # however short the word removed: "i" is one letter, never a spelling fix
    short = describe(seen(SV), seen(SV.replace("pågått i tre", "pågått tre")))
    assert short.significance == "edit" and not short.minor


def test_figures_are_figures_whatever_their_separators():
    assert numbers("10 000 kronor, 2,5 procent") == numbers("10000 kronor, 2.5 procent")
    assert numbers("18.10.2019") != numbers("19.10.2019")
    record = describe(seen("Stödet är 10 000 kronor."), seen("Stödet är 10000 kronor."))
    assert not record.numbers_changed and record.significance == "minor"
    # a decimal comma lost is another figure: never minor, though only a comma went
    lost = describe(seen("Arbetslösheten steg med 2,5 procent."),
                    seen("Arbetslösheten steg med 25 procent."))
    assert lost.numbers_changed and not lost.minor and lost.significance == "edit"


def test_a_new_title_is_a_headline_change_even_when_only_its_spelling_changed():
    record = describe(seen(SV), seen(SV, title="Språkkaféer hjälper nyanlända"))
    assert record.changed_fields == ("title",) and record.significance == "headline"
    typo = describe(seen(SV), seen(SV, title="Sprakkaféer"))
    assert typo.significance == "headline" and typo.minor


def test_half_the_words_new_is_a_rewrite():
    other = ("Kommunerna har samlat erfarenheter från det första året.\n\n"
             "Rapporten rekommenderar ett närmare samarbete mellan stat och kommun.")
    record = describe(seen(SV), seen(other))
    assert record.significance == "rewrite" and record.changed_share >= 0.5
    assert (record.words_added, record.words_removed) == (15, 15)  # "har", "och" kept


def test_metadata_changes_name_their_fields_and_are_never_minor():
    tags = describe(seen(SV), seen(SV, tags=("Arbete", "Utbildning")))
    assert tags.changed_fields == ("tags",) and tags.significance == "edit"
    assert (tags.words_added, tags.words_removed, tags.changed_share) == (0, 0, 0.0)
    dated = describe(seen(SV), seen(SV, published=date(2019, 10, 18)))
    assert dated.changed_fields == ("published",) and not dated.minor
    language = describe(seen(SV), seen(SV.replace("tre", "Tre"), language="nb"))
    assert language.changed_fields == ("text", "language") and not language.minor


def test_a_first_version_has_its_words_and_no_significance():
    record = describe(None, seen(SV))
    assert record.significance is None and record.changed_fields == ()
    assert record.words_added == 17 and record.words_removed == 0


def test_the_filter_refuses_what_it_does_not_know():
    with pytest.raises(ArchiveError, match="what: one of title"):
        ChangeFilter.parse("headline")
    with pytest.raises(ArchiveError, match="significance: one of minor"):
        ChangeFilter.parse(significance="big")
    with pytest.raises(ArchiveError, match="min-words"):
        ChangeFilter.parse(min_words="-1")
    assert ChangeFilter.parse("title,numbers", ("minor", "headline")).what == ("title",
                                                                              "numbers")


# --- in the archive ----------------------------------------------------------------------------

def stored(db: Database) -> list[Revision]:
    with db.session() as session:
        rows = list(session.scalars(select(Revision).order_by(Revision.fetched_at,
                                                              Revision.number)))
        session.expunge_all()
        return rows


def columns(revision: Revision) -> dict:
    return {name: getattr(revision, name) for name in (
        "changed_fields", "words_added", "words_removed", "changed_share", "numbers_changed",
        "minor", "significance")}


def test_ingest_stores_the_record_and_changes_lists_by_what_changed(database):
    url = "https://nordicwelfare.org/integration-norden/nyheter/sprakkafeer/"
    at = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    versions = [("Språkkaféer", SV), ("Språkkaféer", SV.replace("tre år", "3 år")),
                ("Språkkaféer för nyanlända", SV.replace("tre år", "3 år")),
                ("Språkkaféer för nyanlända", SV.replace("tre år", "3  År"))]
    for day, (title, body) in enumerate(versions):
        record = Record(canonical_url=url, title=title, text=body, language="sv")
        ingest(database, record, Fetch(url=url, fetched_at=at + timedelta(days=day)))
    rows = stored(database)
    assert [r.significance for r in rows] == [None, "edit", "headline", "minor"]
    assert rows[1].numbers_changed and rows[1].changed_fields == "text"
    assert rows[2].changed_fields == "title" and rows[2].words_added == 0
    # changes: only what was asked, newest first
    title = list_changes(database, ChangeFilter.parse("title"))
    assert [c["number"] for c in title] == [3]
    assert [c["number"] for c in list_changes(database, ChangeFilter.parse("numbers"))] == [2]
    assert [c["number"] for c in list_changes(database, ChangeFilter())] == [4, 3, 2]
    assert [c["number"] for c in list_changes(
        database, ChangeFilter.parse(significance=("minor", "edit")))] == [4, 2]
    assert list_changes(database, ChangeFilter.parse(min_words=3)) == []
    assert [c["number"] for c in list_changes(
        database, ChangeFilter.parse(since="2026-12-04"))] == [4]
    # the web window's change feed: every revision (and event), or only those chosen
    mark_gone(database, Fetch(url=url, status=404, fetched_at=at + timedelta(days=9)))
    feed = web_data.changes(database, Filters())
    assert [(c.kind, c.number, c.significance) for c in feed] == [
        ("removed", None, None), ("revised", 4, "minor"), ("revised", 3, "headline"),
        ("revised", 2, "edit"), ("new", 1, None)]
    assert feed[1].record["changed_fields"] == ["text"] and feed[1].record["minor"]
    chosen = web_data.changes(database, Filters(), 50, 0, ChangeFilter.parse("numbers,title"))
    assert [c.number for c in chosen] == [3, 2]  # no removal: it changed no field


def test_the_batch_stores_first_versions_with_their_words(database):
    url = "https://nordicwelfare.org/integration-norden/nyheter/{}/"
    at = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    ingest_many(database, [(Record(canonical_url=url.format(i), title=f"T{i}", text=body,
                                   language=lang), Fetch(url=url.format(i), fetched_at=at))
                           for i, (body, lang) in enumerate([(SV, "sv"), (FI, "fi")])])
    rows = stored(database)
    assert sorted(r.words_added for r in rows) == sorted(
        describe(None, seen(body)).words_added for body in (SV, FI))
    assert {r.significance for r in rows} == {None}


def test_a_version_placed_between_two_recomputes_the_one_after_it(database, monkeypatch):
    rewritten = ("Kommunerna har samlat erfarenheter från det första året.\n\n"
                 "Rapporten rekommenderar ett närmare samarbete mellan stat och kommun.")
    monkeypatch.setitem(TEXTS, "P", SV)
    monkeypatch.setitem(TEXTS, "Q", rewritten)
    monkeypatch.setitem(TEXTS, "R", rewritten.replace("närmare", "narmare"))
    observe(database, "P", T0)
    observe(database, "R", T0 + timedelta(days=200))
    assert [r.significance for r in stored(database)] == [None, "rewrite"]
    observe(database, "Q", T0 + timedelta(days=100), origin="wayback")
    rows = stored(database)
    assert [r.text for r in rows] == [TEXTS["P"], TEXTS["Q"], TEXTS["R"]]
    for previous, revision in zip([None, *rows], rows, strict=False):
        assert columns(revision) == describe(previous, revision).columns(), revision.number
    # the follower's record is now against the revision placed before it: a spelling fix
    assert [r.significance for r in rows] == [None, "rewrite", "minor"]


def test_an_old_version_between_two_observations_gives_both_their_records(database):
    observe(database, "A", T0)
    observe(database, "A", T0 + timedelta(days=100))
    observe(database, "B", T0 + timedelta(days=50), origin="wayback")
    rows = stored(database)
    assert [r.text for r in rows] == [TEXTS["A"], TEXTS["B"], TEXTS["A"]]
    for previous, revision in zip([None, *rows], rows, strict=False):
        assert columns(revision) == describe(previous, revision).columns(), revision.number


def test_migration_0014_fills_the_records_of_existing_revisions(db_url):
    engine = archive_at(db_url, "0013")
    old, new = SV, SV.replace("tre år", "fyra år")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO articles (id, canonical_url, url, language, kind, first_seen, "
            "last_seen, content_hash, body_hash, title) VALUES (1, 'https://x.example/a', "
            "'https://x.example/a', 'sv', 'news', '2026-01-01', '2026-01-02', 'h', 'b', 'T')"))
        for number, (title, body, day) in enumerate(
                [("T", old, "2026-01-01"), ("T2", new, "2026-01-03"),
                 ("T", old, "2026-01-02")], 1):  # number 3 placed between 1 and 2 in time
            connection.execute(text(
                "INSERT INTO revisions (id, article_id, number, fetched_at, url, title, "
                "language, tags, text, content_hash, extractor_version, origin, change_kind, "
                "lines_added, lines_removed) VALUES (:n, 1, :n, :day, 'https://x.example/a', "
                ":title, 'sv', '[\"Arbete\"]', :body, 'h', 'old', 'site', 'text', 1, 1)"),
                {"n": number, "day": day, "title": title, "body": body})
    engine.dispose()
    with Database(db_url) as db:
        rows = stored(db)
    assert [r.number for r in rows] == [1, 3, 2]
    assert [r.significance for r in rows] == [None, None, "headline"]
    # revision 3 is the same text a day later: nothing changed, and no significance either
    assert rows[1].changed_fields == "" and rows[1].words_added == 0
    assert rows[2].changed_fields == "title,text"
    assert (rows[2].words_added, rows[2].words_removed) == (1, 1)
    assert rows[0].words_added == describe(None, seen(old)).words_added
