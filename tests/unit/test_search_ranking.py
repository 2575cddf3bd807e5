"""The order of a search of several terms, as a reader sees it: the articles whose titles hold
more of the query's terms first (inflected, as prefixes, as phrases), a shorter such title
before a longer one, the articles with the words only in their text after them by id; the
same on both backends."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from archive.ingest.articles import ingest
from archive.read.queries import run_search
from archive.search import terms as search_terms
from archive.search.filters import Filters
from archive.search.ranking import best, title_score
from archive.search.terms import parse_query, sqlite_columns
from archive.storage.database import Database
from tests.helpers.archive_data import fetch_of, ingest_stories, record_of, url_of
from tests.replica.content import BY_KEY

BODY = "Kommunen öppnar ett språkcafé för nyanlända kvinnor.\n\nMer om kommunen och språket."


def _score(title: str, query: str, language: str = "sv") -> float:
    return title_score(title, sqlite_columns(language, title, "")["stem_title"],
                       parse_query(query))


def test_a_title_holding_more_terms_scores_higher_and_a_shorter_one_first():
    both = _score("Språkcafé i kommunerna", "kommun språkcafé")
    one = _score("Kommunerna får mer pengar", "kommun språkcafé")
    none = _score("Nyheter från Norden", "kommun språkcafé")
    assert both > one > none == 0  # inflected forms match through their stems
    assert 2 <= both < 3 and 1 <= one < 2
    assert _score("Kommunen", "kommun språkcafé") > _score("Kommunen i norr växer",
                                                           "kommun språkcafé")


def test_prefixes_and_phrases_match_the_title_as_written():
    assert _score("Nyanlända i skolor", "nyanl* skola") >= 2
    assert _score("Nya regler för kommunen", '"nya regler" kommun') >= 2
    assert _score("Regler som är nya", '"nya regler" kommun') == 0  # not in a row
    # Icelandic has no stemmer: a word matches as a prefix
    assert _score("Tungumálakaffi í Reykjavík", "tungumála reykjavík", "is") >= 2


def test_ties_keep_the_lower_id_first():
    rows = [(n, title, sqlite_columns("sv", title, "")["stem_title"]) for n, title in (
        (3, "Kommunen"), (1, "Kommunen"), (2, "Kommunen och språkcafé"))]
    terms = parse_query("kommun språkcafé")
    assert [hit[0] for hit in best(rows, terms, 10)] == [2, 1, 3]
    assert [hit[0] for hit in best(rows, terms, 2)] == [2, 1]


TITLES = {"text only": "Nyheter från Norden", "one word": "Kommunerna växer i norr",
          "both, long": "Kommunen i norr öppnar ett nytt språkcafé för alla",
          "both, short": "Språkcafé i kommunen"}
#: PostgreSQL: the documents holding "kommun" marked in their title, and the marks removed.
MARKED = text("SELECT count(*) FROM article_search WHERE document @@ CAST(:q AS tsquery)"
              ).bindparams(q="'^sv:kommun'")
UNMARK = text("UPDATE article_search SET document = ts_delete(document, ARRAY(SELECT l FROM "
              "unnest(tsvector_to_array(document)) l WHERE l LIKE '^%'))")

#: SQLite: the same count in the marks column, and the index as it was before migration 0018.
MARKED_SQLITE = text("SELECT count(*) FROM article_fts WHERE article_fts MATCH "
                     "'{marks}: \"0svkommun\"'")
UNMARK_SQLITE = ("CREATE VIRTUAL TABLE old_fts USING fts5(title, text, stem_title, stem_text, "
                 "tokenize = 'unicode61 remove_diacritics 0')",
                 "INSERT INTO old_fts(rowid, title, text, stem_title, stem_text) SELECT rowid, "
                 "title, text, stem_title, stem_text FROM article_fts",
                 "DROP TABLE article_fts", "ALTER TABLE old_fts RENAME TO article_fts")


def _titled(database) -> dict[str, int]:
    story = BY_KEY["sv-sprakkafe"]
    ids = {}
    for n, (name, title) in enumerate(TITLES.items()):
        url = f"{url_of(story)}{n}/"
        ids[name] = ingest(database, record_of(story, canonical_url=url, title=title,
                                               text=BODY, tags=()), fetch_of(url, n)).article_id
    return ids


def test_several_words_rank_titles_first_on_both_backends(database):
    ids = _titled(database)
    hits = run_search(database, "kommun språkcafé", Filters())
    assert [h["id"] for h in hits] == [ids["both, short"], ids["both, long"], ids["one word"],
                                       ids["text only"]]
    assert hits[0]["rank"] > hits[1]["rank"] > hits[2]["rank"] > hits[3]["rank"] == 0
    filtered = run_search(database, "kommun språkcafé", Filters(language="sv", kind="news"))
    assert [h["id"] for h in filtered] == [h["id"] for h in hits]
    for other in (Filters(language="fi"), Filters(kind="publication"), Filters(tag="Arbete"),
                  Filters(since=date(2100, 1, 1))):  # each filter applies to the ranked ones
        assert run_search(database, "kommun språkcafé", other) == [], other
    # a prefix beside a word, and a one-word phrase beside a word, rank the same way
    assert [h["id"] for h in run_search(database, "kommun språkcaf*", Filters())][:2] == [
        ids["both, short"], ids["both, long"]]
    # one word: of the titles holding it, the shorter first, then the text matches by id
    single = run_search(database, "språkcafé", Filters())
    assert [h["id"] for h in single] == [ids["both, short"], ids["both, long"], ids["text only"],
                                         ids["one word"]]
    phrase = run_search(database, '"kommunen" språkcafé', Filters())
    assert [h["id"] for h in phrase][:2] == [ids["both, short"], ids["both, long"]]


def test_the_migration_marks_the_titles_of_an_existing_archive(db_url):
    with Database(db_url) as database:
        ids = _titled(database)
        expected = [h["id"] for h in run_search(database, "kommun språkcafé", Filters())]
        with database.engine.begin() as conn:  # the archive as migration 0016 left it
            if database.dialect == "postgresql":
                conn.execute(UNMARK)
                assert conn.scalar(MARKED) == 0
            else:
                for statement in UNMARK_SQLITE:
                    conn.execute(text(statement))
            conn.execute(text("UPDATE alembic_version SET version_num = '0016'"))
    with Database(db_url) as database:
        with database.session() as session:
            assert session.scalar(text("SELECT version_num FROM alembic_version")) != "0016"
            # the three titles holding "kommun"
            assert session.scalar(MARKED if database.dialect == "postgresql" else MARKED_SQLITE
                                  ) == 3
        hits = run_search(database, "kommun språkcafé", Filters())
        assert [h["id"] for h in hits] == expected
        assert expected[0] == ids["both, short"]


def _ids(database, expression: str) -> set[int]:
    with database.session() as session:
        return set(session.scalars(text("SELECT rowid FROM article_fts WHERE article_fts "
                                        "MATCH :q"), {"q": expression}))


def test_sqlite_title_marks_find_exactly_the_matches_with_a_query_word_in_the_title(
        sqlite_url):
    """The marked stems (``fts5_marked``) find what the column filters find, in every
    language, and not a written word that looks like a stem or a mark."""
    with Database(sqlite_url) as database:
        ingest_stories(database)
        ids = _titled(database)
        story = BY_KEY["sv-sprakkafe"]
        stem = sqlite_columns("sv", "språkcafé", "")["stem_title"]  # "svspråkcafé"
        lookalikes = [ingest(database, record_of(story, canonical_url=url_of(story) + name,
                                                 title=title, text=body, tags=()),
                             fetch_of(url_of(story) + name, n)).article_id
                      for n, (name, title, body) in enumerate((
                          # both words, neither in the title: a written mark is no mark
                          ("mark/", "Nyheter", "Kommunen och språkcafé. 0svkommun 0" + stem),
                          # a word in the title, the other only as a written stem
                          ("stem/", "Kommunen", f"Om {stem}."),
                          # a title word that starts with a query word's stem: no match
                          ("longer/", "Kommunala frågor", "Kommunen och språkcafé.")), 10)]
        asked = ["kommun språkcafé", "språkcafé nyanlända kvinnor", "flóttafólk ukraina",
                 "kommun språkcafé kvinnor nyanlända", "språkcafé 0svkommun",
                 "tungumála innflytj"]  # Icelandic: no stemmer, the words are prefixes
        asked += [" ".join(search_terms.words(s.title)[:3]) for s in BY_KEY.values()]
        found = 0
        for query in asked:
            terms = parse_query(query)
            marked = search_terms.fts5_marked(terms)
            expected = _ids(database, f"({search_terms.fts5_match(terms)}) AND "
                                      f"({search_terms.fts5_title_match(terms)})")
            assert marked is not None and _ids(database, marked) == expected, query
            found += len(expected)
        assert found > len(asked)
        both = _ids(database, search_terms.fts5_marked(parse_query("språkcafé kommun")))
        assert ids["both, short"] in both and not both & set(lookalikes)
    assert search_terms.fts5_marked(parse_query("kommun")) is None  # one word: its title
    assert search_terms.fts5_marked(parse_query('kommun "nya regler"')) is None  # as written
