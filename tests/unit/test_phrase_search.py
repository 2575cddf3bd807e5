"""Phrases and several words, counted exactly on both backends: a query of phrases is answered
from the word-pair index (``article_pairs``), and every answer (the hits, the search page's
kind counts, ``trend``'s counts) equals a full scan of the articles' current text, after
revisions too; migration 0015 fills the pair index of an existing archive."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import text

from archive.ingest.articles import ingest
from archive.read.queries import run_search, search_kinds
from archive.read.trend import count_matches
from archive.search import terms
from archive.search.filters import Filters
from archive.storage.database import Database
from tests.helpers.archive_data import fetch_of, ingest_stories, record_of
from tests.replica.content import BY_KEY, STORIES

_CURRENT = ("SELECT a.id, a.language, r.title, r.text FROM articles a JOIN revisions r "
            "ON r.id = a.current_revision_id")


def _has_phrase(tokens: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(tokens[i:i + n]) == phrase for i in range(len(tokens) - n + 1))


def _has_word(language: str | None, tokens: list[str], word: str) -> bool:
    """A plain query word as the stemmed index matches it: the stem in the article's own
    language, or (no stemmer) any word starting with it."""
    code = terms.code_of(language)
    if code == terms.UNSTEMMED:
        return any(t.startswith(word) for t in tokens)
    return terms.stems([word], code)[0] in set(terms.stems(tokens, code))


def scanned(database: Database, query: str, language: str | None = None) -> set[int]:
    """The articles matching ``query``, by reading every current revision (a phrase lies in
    the title or in the text, never across them)."""
    found = set()
    with database.session() as session:
        rows = session.execute(text(_CURRENT)).all()
    for article_id, lang, title, body in rows:
        if language and lang != language:
            continue
        title_words, text_words = terms.words(title), terms.words(body)
        if all(_has_phrase(title_words, term.tokens) or _has_phrase(text_words, term.tokens)
               if term.kind == "phrase" else
               _has_word(lang, title_words + text_words, term.tokens[0])
               for term in terms.parse_query(query)):
            found.add(article_id)
    return found


def queries() -> list[str]:
    """Phrases of 2-4 words read from the stories (every story, several places), several of
    them at once, the same words unquoted, and phrases found nowhere."""
    asked = []
    for n, story in enumerate(STORIES):
        tokens = terms.words(story.paragraphs[n % len(story.paragraphs)])
        size = 2 + n % 3
        start = (n * 5) % max(1, len(tokens) - size)
        words = " ".join(tokens[start:start + size])
        asked += [f'"{words}"', words]
        title = terms.words(story.title)
        asked.append(f'"{" ".join(title[:2])}"')
    asked += ['"nordiska länderna" "språkcafé"', '"länderna nordiska"', '"kommun kommun"',
              '"nordiska länderna" "flera kommuner"', '"ukraina kriget nordiska"',
              '"nordiska länderna" kommun', 'flóttafólk ukraina', 'kommun språkcafé']
    return asked


def _matches(database: Database, query: str, filters: Filters) -> set[int]:
    return {h["id"] for h in run_search(database, query, filters, limit=1000)}


def _fill(database: Database) -> None:
    ids = ingest_stories(database)
    # one article revised (its old phrases must be gone from the pair index), one whose
    # phrase repeats and lies in its title too
    story = BY_KEY["sv-sprakkafe"]
    ingest(database, record_of(story, text="Språkcafé i kommunen. Nordiska länderna möts.",
                               title="Nordiska länderna och språkcafé"),
           fetch_of(record_of(story).canonical_url, 200))
    other = BY_KEY["en-forum"]
    ingest(database, replace(record_of(other), canonical_url=record_of(other).canonical_url
                             + "twice/", title="Language cafés", text="language cafés " * 3),
           fetch_of(record_of(other).canonical_url + "twice/", 300))
    assert ids


def test_phrase_and_several_word_counts_equal_a_full_scan(database):
    _fill(database)
    asked = queries()
    assert sum(bool(scanned(database, q)) for q in asked) > len(asked) // 2  # most match
    for query in asked:
        for language in (None, "sv"):
            expected = scanned(database, query, language)
            filters = Filters(language=language)
            assert _matches(database, query, filters) == expected, (query, language)
            assert sum(search_kinds(database, query, filters).values()) == len(expected), query
            assert count_matches(database, [query], filters) == {query: len(expected)}, query


def test_a_revision_replaces_the_pairs_and_titles_rank_first(database):
    _fill(database)
    old = terms.words(BY_KEY["sv-sprakkafe"].paragraphs[0])
    gone = f'"{" ".join(old[3:6])}"'
    assert scanned(database, gone) == _matches(database, gone, Filters())
    assert _matches(database, '"språkcafé i kommunen"', Filters()) == scanned(
        database, '"språkcafé i kommunen"')
    hits = run_search(database, '"nordiska länderna"', Filters())
    assert hits[0]["title"] == "Nordiska länderna och språkcafé"  # the phrase in its title
    assert [h["rank"] for h in hits[1:]] == sorted((h["rank"] for h in hits[1:]),
                                                   reverse=True)
    dated = run_search(database, '"nordiska länderna"', Filters(), order="date")
    assert {h["id"] for h in dated} == {h["id"] for h in hits}


def test_the_migration_fills_the_pairs_of_an_existing_archive(db_url):
    with Database(db_url) as database:
        _fill(database)
        expected = {q: scanned(database, q) for q in queries()}
        with database.engine.begin() as conn:  # the archive as migration 0014 left it
            conn.execute(text("DROP TABLE article_pairs"))
            for column in ("published_at", "modified_at"):  # (migration 0016's)
                conn.execute(text(f"ALTER TABLE revisions DROP COLUMN {column}"))
            conn.execute(text("UPDATE alembic_version SET version_num = '0014'"))
    with Database(db_url) as database:
        with database.session() as session:
            assert session.scalar(text("SELECT version_num FROM alembic_version")) != "0014"
        for query, found in expected.items():
            assert _matches(database, query, Filters()) == found, query


def test_pairs_are_the_words_in_a_row():
    assert terms.pairs(["a", "b", "c"]) == ["a_b", "b_c"]
    assert terms.sqlite_pairs("Nordiska länderna", "Ett, två tre.") == {
        "title": "nordiska_länderna", "text": "ett_två två_tre"}
    # the text's pairs follow the title's after a gap: no phrase spans the two
    assert terms.pg_pairs("A b", "c d") == "'a_b':1 'c_d':3"
