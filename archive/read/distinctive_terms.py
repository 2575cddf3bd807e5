"""Top tags and most distinctive words of a result set: what the matching articles are about.

Tags are counted over every match. Words are compared per language, by the log-odds ratio
with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), between the matching
articles and the whole archive in that language: a word scores high when it is in many more
of the matches than its share of all articles predicts. Both sides are samples read once
(``SAMPLE`` matching articles spread over the result, ``BACKGROUND`` articles per language,
kept per process until the archive gains a revision), so the answer is quick at a million
pages. Words count once per article; stop words come from the stopwords-iso lists
(``stopwordsiso``) of the article's language; the query's own words and their inflections
are left out, and so is a language with no distinctive word.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from typing import Any

import stopwordsiso
from sqlalchemy import bindparam, text

from archive.search import terms as search_terms
from archive.search.filters import Filters
from archive.search.index import check_query, match_source
from archive.storage.database import Database

#: Matching articles whose words are read; background articles per language.
SAMPLE = 400
BACKGROUND = 1000
#: Words and tags listed.
TOP = 15
#: A word must be in at least this many sampled matches to be listed.
MIN_ARTICLES = 2
#: Weight of the background in the log-odds prior (in articles).
PRIOR = 10.0
#: Stop-word list of each article language (Norwegian Bokmål and Nynorsk: stopwords-iso's
#: Norwegian); a language without a list (Icelandic) keeps its words.
STOP_LANGUAGE = {"nb": "no", "nn": "no"}

_stop_cache: dict[str, frozenset[str]] = {}
_background: dict[tuple, dict[str, tuple[int, Counter]]] = {}
_lock = threading.Lock()


def stop_words(language: str | None) -> frozenset[str]:
    """The maintained stop-word list of an article language (empty when none exists)."""
    code = STOP_LANGUAGE.get(language or "", language or "")
    if code not in _stop_cache:
        _stop_cache[code] = frozenset(
            w.lower() for w in stopwordsiso.stopwords(code)) if stopwordsiso.has_lang(
                code) else frozenset()
    return _stop_cache[code]


def _words_of(language: str | None, title: str, body: str) -> set[str]:
    stop = stop_words(language)
    return {w for w in search_terms.words(f"{title} {body}")
            if len(w) > 2 and not w.isdigit() and w not in stop}


_TEXTS = text("SELECT a.language, r.title, r.text FROM articles a JOIN revisions r "
              "ON r.id = a.current_revision_id WHERE a.id IN :ids"
              ).bindparams(bindparam("ids", expanding=True))


def _background_counts(session, db: Database) -> dict[str, tuple[int, Counter]]:
    """Per language: (articles read, in how many of them each word is), from ``BACKGROUND``
    articles spread over the ids."""
    version = session.scalar(text("SELECT max(id) FROM revisions"))
    key = (db.url, version)
    with _lock:
        if key in _background:
            return _background[key]
    counts: dict[str, tuple[int, Counter]] = {}
    languages = list(session.execute(text(
        "SELECT language, count(*) FROM articles WHERE current_revision_id IS NOT NULL "
        "GROUP BY language")))
    for language, n in languages:
        step = max(1, n // BACKGROUND)
        ids = list(session.scalars(text(
            "SELECT id FROM articles WHERE language = :l AND current_revision_id IS NOT NULL "
            "ORDER BY id"), {"l": language}))[::step][:BACKGROUND]
        counter: Counter = Counter()
        for _, title, body in session.execute(_TEXTS, {"ids": ids}):
            counter.update(_words_of(language, title, body))
        counts[language] = (len(ids), counter)
    with _lock:
        _background.clear()
        _background[key] = counts
    return counts


def top_terms(db: Database, query: str, filters: Filters, *, top: int = TOP
              ) -> dict[str, Any]:
    """``{"query", "matches", "tags": [{"tag", "articles"}], "terms": {language: [{"term",
    "articles", "sample", "score"}]}}``: the result set's most used tags and, per language,
    its most distinctive words (``articles``: sampled matches holding the word, of
    ``sample``)."""
    terms = check_query(query)
    own = {t for term in terms for t in term.tokens}
    condition, filter_params = filters.sql("a.article_id")
    with db.session() as session:
        source, where, params = match_source(session, query)
        where_all = " AND ".join(c for c in (where, condition) if c)
        values = {**params, **filter_params}
        ids = list(session.scalars(text(f"SELECT a.article_id FROM {source} WHERE "
                                        f"{where_all} ORDER BY a.article_id"), values))
        tags = [{"tag": name, "articles": n} for name, n in session.execute(text(
            f"SELECT t.name, count(*) AS n FROM {source} JOIN article_tags at ON "
            f"at.article_id = a.article_id JOIN tags t ON t.id = at.tag_id WHERE {where_all} "
            f"GROUP BY t.name ORDER BY n DESC, t.name LIMIT :top"), {**values, "top": top})]
        sample = ids[::max(1, len(ids) // SAMPLE)][:SAMPLE]
        found: dict[str, tuple[int, Counter]] = {}
        for language, title, body in (session.execute(_TEXTS, {"ids": sample})
                                      if sample else []):
            n, counter = found.get(language, (0, Counter()))
            counter.update(_words_of(language, title, body) - own)
            found[language] = (n + 1, counter)
        background = _background_counts(session, db) if found else {}
    words = {}
    for language, (n, counter) in sorted(found.items()):
        listed = _distinctive(n, _not_the_query(language, counter, own),
                              *background.get(language, (0, Counter())), top)
        if listed:  # a language with nothing distinctive to say is left out
            words[language] = listed
    return {"query": query, "matches": len(ids), "tags": tags, "terms": words}


def _not_the_query(language: str | None, counter: Counter, own: set[str]) -> Counter:
    """The words of the matches but the query's own and their inflections, as the search
    matches them: the same stem in the language (``kommuner``, ``kommunerna`` for ``kommun``),
    or in a language without a stemmer the query word with an ending."""
    code = search_terms.code_of(language)
    own_stems = set(search_terms.stems(sorted(own), code))
    prefixes = tuple(w for w in own if len(w) >= 4) if code == search_terms.UNSTEMMED else ()
    words = list(counter)
    return Counter({word: counter[word] for word, stem in
                    zip(words, search_terms.stems(words, code), strict=True)
                    if stem not in own_stems and not word.startswith(prefixes)})


def _distinctive(n: int, counter: Counter, n_all: int, everything: Counter, top: int
                 ) -> list[dict[str, Any]]:
    """Words by the z-score of the log-odds ratio of being in a match against being in any
    article, with the background share as the Dirichlet prior (weight ``PRIOR``)."""
    scored = []
    for word, k in counter.items():
        if k < MIN_ARTICLES:
            continue
        seen = everything.get(word, 0)
        alpha = PRIOR * (seen + 0.5) / (n_all + 1)
        delta = (math.log((k + alpha) / (n - k + PRIOR - alpha))
                 - math.log((seen + alpha) / (n_all - seen + PRIOR - alpha)))
        score = delta / math.sqrt(1 / (k + alpha) + 1 / (seen + alpha))
        if score > 0:
            scored.append((score, word, k))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [{"term": word, "articles": k, "sample": n, "score": round(score, 3)}
            for score, word, k in scored[:top]]
