"""SQLite's ranking of a query of several terms: by the titles of its candidates (the matches
with a query term in the title), as PostgreSQL ranks them by their title vectors.

On SQLite, bm25 counts each of a query's phrases over the whole index before it ranks
anything (its inverse document frequencies): several plain words are one phrase per word and
stemmer code, each read in full, where the candidates themselves are a few hundred rows. Their
titles are scored here instead, the same way on every call: no statistic of the archive."""

from __future__ import annotations

from archive.search.terms import UNSTEMMED, Term, alternatives, words


def title_score(title: str, stem_title: str, terms: list[Term]) -> float:
    """The number of query terms the title holds, plus the share of the title's words that are
    query words (under 1: it only orders titles holding as many terms, shorter first)."""
    return _scorer(terms)(title, stem_title)


def best(rows, terms: list[Term], limit: int) -> list[tuple[int, float]]:
    """``(id, score)`` of the ``limit`` best of ``rows`` (``(id, title, stem_title)``), ties
    by id, as the ranked queries order them."""
    score = _scorer(terms)
    scored = [(row[0], score(row[1] or "", row[2] or "")) for row in rows]
    scored.sort(key=lambda hit: (-hit[1], hit[0]))
    return scored[:limit]


def _scorer(terms: list[Term]):
    """A function of (title, stem_title): runs for every candidate, so the written words are
    read only when a prefix or a phrase needs them (the stems give the title's length)."""
    matchers = [_matcher(term) for term in terms]
    written_needed = any(term.kind != "word" for term in terms)

    def score(title: str, stem_title: str) -> float:
        stemmed = stem_title.split()
        written = words(title) if written_needed else None
        found = [match(written, stemmed) for match in matchers]
        return sum(n > 0 for n in found) + sum(found) / (len(stemmed) + 1)
    return score


def _matcher(term: Term):
    """How many title words the term matches, as the index matches it: a word by its stem
    of the article's stemmer code (or as a prefix where no stemmer applies), a prefix by the
    words as written, a phrase by the written words in a row."""
    if term.kind == "word":
        options = alternatives(term.tokens[0])
        exact = {code + stem for code, stem, prefix in options if not prefix}
        starts = tuple(code + stem for code, stem, prefix in options if prefix)

        def word(written, stemmed) -> int:
            found = sum(token in exact for token in stemmed)
            if stemmed and stemmed[0].startswith(UNSTEMMED):  # one code per title
                found += sum(token.startswith(starts) for token in stemmed)
            return found
        return word
    if term.kind == "prefix":
        start = term.tokens[0]
        return lambda written, stemmed: sum(word.startswith(start) for word in written)
    size, tokens = len(term.tokens), term.tokens
    return lambda written, stemmed: size * sum(
        tuple(written[i:i + size]) == tokens for i in range(len(written) - size + 1))
