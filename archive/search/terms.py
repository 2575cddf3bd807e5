"""How text becomes search terms, identically on SQLite and PostgreSQL, so that both backends
answer a query with the same articles.

Words are runs of letters and digits, lower-cased; å ä ö æ ø ð þ stay letters of their own.
Each article's words are indexed twice: as written (exact words, phrases and ``word*``
prefixes match these) and stemmed with the Snowball stemmer of the article's language (the
stemmers of PostgreSQL's text search configurations, via PyStemmer), tagged with that
stemmer's code so a Swedish stem only ever matches Swedish articles. A plain query word is
stemmed with every stemmer and matches an article through its own language's stem; Icelandic
and other languages without a stemmer match the word as a prefix instead.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from itertools import islice, pairwise

import Stemmer

#: Snowball stemmer of each article language; other languages are not stemmed.
STEMMERS = {"sv": "swedish", "fi": "finnish", "no": "norwegian", "nb": "norwegian",
            "nn": "norwegian", "da": "danish", "en": "english"}
#: Two-letter tag of each stemmer's terms in the index ("xx": words of unstemmed languages).
CODES = {"swedish": "sv", "finnish": "fi", "norwegian": "no", "danish": "da", "english": "en"}
UNSTEMMED = "xx"
#: Most query terms accepted (each plain word expands to one alternative per stemmer).
MAX_TERMS = 64
WORD = re.compile(r"[^\W_]+")
_QUERY = re.compile(r'"([^"]*)"|([^\W_]+)(\*?)')
# PostgreSQL limits (tsvector): positions above 16383 are clamped, at most 256 per lexeme.
_MAX_POS, _MAX_POSITIONS, _MAX_LEXEME = 16383, 256, 2000
#: Words of the title in the ranking vector.
_TITLE_WORDS = 24
_local = threading.local()


def _stemmer(name: str) -> Stemmer.Stemmer:
    """One stemmer per thread and language (PyStemmer objects are not thread-safe)."""
    cache = _local.__dict__.setdefault("stemmers", {})
    if name not in cache:
        cache[name] = Stemmer.Stemmer(name)
    return cache[name]


def code_of(language: str | None) -> str:
    """The tag of an article language's stems in the index."""
    name = STEMMERS.get(language or "")
    return CODES[name] if name else UNSTEMMED


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def stems(tokens: list[str], code: str) -> list[str]:
    if code == UNSTEMMED:
        return tokens
    name = next(n for n, c in CODES.items() if c == code)
    return _stemmer(name).stemWords(tokens)


def sqlite_columns(language: str | None, title: str, text: str) -> dict[str, str]:
    """Column values of ``article_fts``: the text as written, the tagged stems, and the
    title's stems marked (``fts5_marks``)."""
    code = code_of(language)
    stem_title = " ".join(code + s for s in stems(words(title), code))
    return {"title": title, "text": text, "stem_title": stem_title,
            "stem_text": " ".join(code + s for s in stems(words(text), code)),
            "marks": fts5_marks(stem_title)}


#: Starts a title's stem in SQLite's ``marks`` column (``0svflykt`` beside ``svflykt``): a term
#: of its own, as no stem starts with a digit (each starts with its code); a written word that
#: looks like one is in another column, which the expressions leave out (``fts5_marked``).
FTS5_MARK = "0"


def fts5_marks(stem_title: str) -> str:
    """The ``marks`` column of ``article_fts``: each stem of the title (``stem_title``) again,
    marked (``FTS5_MARK``). A column filter (``{stem_title}: svflykt``) reads every entry of
    the stem's list, text and title alike; the marked stem's list holds the titles alone, and
    leads the intersection of several words' long lists (``fts5_marked``). Migration 0018
    writes the same in SQL."""
    return " ".join(FTS5_MARK + stem for stem in stem_title.split())


def fts5_marked(terms: list[Term]) -> str | None:
    """Several plain words: the FTS5 expression of the matches whose title holds one of them
    (the candidates the ranking scores), one branch per stemmer code asking for its code's
    marks, as ``tsquery_marked`` does on PostgreSQL:
    ``({stem_title stem_text}: (sva AND svb) AND {marks}: (0sva OR 0svb)) OR ...``. None for
    other queries (prefixes and phrases match the title as written: a column filter finds
    those)."""
    if len(terms) < 2 or any(term.kind != "word" for term in terms):
        return None
    return " OR ".join(
        "({stem_title stem_text} : (" + " AND ".join(_fts5_term(*option) for option in options)
        + ") AND {marks} : (" + " OR ".join(_fts5_term(*option, FTS5_MARK) for option in options)
        + "))"
        for options in by_code(terms))


def _lexemes(parts: list[tuple[list[str], str]], code: str, *, exact: bool = True) -> str:
    """A tsvector literal of exact words and their tagged stems (``:sv:flykt``), at the same
    positions, so phrases match on the exact words (``exact=False``: the stems only).

    Each distinct word is stemmed once and its positions are gathered once: this runs for
    every article written, and PostgreSQL sorts lexemes and positions when it reads them."""
    where: dict[str, list[int]] = {}  # word -> its positions
    labels = [""]  # position -> "12A" (the position and its weight)
    for tokens, weight in parts:
        start = len(labels)
        labels += [f"{p}{weight}" for p in range(start, min(start + len(tokens), _MAX_POS + 1))]
        for position, token in enumerate(tokens, start):
            where.setdefault(token, []).append(min(position, _MAX_POS))
    unique = list(where)
    tag = f":{code}:"
    stem_at: dict[str, list[int]] = {}
    for token, stem in zip(unique, stems(unique, code), strict=True):
        stem_at.setdefault(tag + stem, []).extend(where[token])
    entries = [*where.items(), *stem_at.items()] if exact else stem_at.items()
    return " ".join([
        f"'{lexeme}':{labels[positions[0]]}" if len(positions) == 1 else
        f"'{lexeme}':{','.join([labels[p] for p in sorted(positions)[:_MAX_POSITIONS]])}"
        for lexeme, positions in entries if len(lexeme) <= _MAX_LEXEME])


def pg_vectors(language: str | None, title: str, text: str) -> tuple[str, str]:
    """``article_search`` vectors as tsvector literals: the whole article (title weighted A)
    with the title's stems marked (``title_marks``), and the small ranking vector: the stems
    of the title (A). The articles whose title holds a query word are ranked, the other
    matches follow, as on SQLite: a common word's title matches are a few percent of the
    archive, its title-or-lead matches many more."""
    code = code_of(language)
    title_words, text_words = words(title), words(text)
    marks = title_marks(title_words, code)
    return (_lexemes([(title_words, "A"), (text_words, "")], code) + (f" {marks}" if marks
                                                                     else ""),
            _lexemes([(title_words[:_TITLE_WORDS], "A")], code, exact=False))


#: Tags a title's stem in the document vector (``^sv:flykt``, beside the text's ``:sv:flykt``).
TITLE_MARK = "^"


def title_marks(title_words: list[str], code: str) -> str:
    """The stems of the title's words (those of the ranking vector) as lexemes of their own,
    without positions: one GIN scan of the documents then finds the matches of several terms
    that have one in the title (the candidates that are ranked), led by the titles' short
    posting lists instead of intersecting every word's long one."""
    unique = list(dict.fromkeys(title_words[:_TITLE_WORDS]))
    marks = dict.fromkeys(f"{TITLE_MARK}{code}:{stem}" for stem in stems(unique, code))
    return " ".join(_quoted(mark) for mark in marks if len(mark) <= _MAX_LEXEME)


def tsquery_marked(terms: list[Term]) -> list[str]:
    """The match of ``tsquery_branches`` as one tsquery per stemmer code, each also asking
    for one of the query's words marked in the title (``title_marks``) in that code: an entry
    holds the marks of its own code only, so an entry matches one of them exactly when it
    matches the query and its title holds a query word, as the ranking query (``tsqueries``)
    finds it in the ranking vector. Each branch keeps to its code's marks: prefix marks of
    other codes would make the planner expect every branch to read a range of the index."""
    marks: dict[str, list[str]] = {}
    for term in terms:
        for token in term.tokens:
            for code, t, prefix in alternatives(token):
                marks.setdefault(code, []).append(
                    _quoted(f"{TITLE_MARK}{code}:{t}")
                    + (":*" if prefix or term.kind == "prefix" else ""))
    branches = tsquery_branches(terms)
    if len(branches) == 1:
        branches = branches * len(marks)
    return [f"({branch}) & ({' | '.join(dict.fromkeys(leaves))})"
            for branch, leaves in zip(branches, marks.values(), strict=True)]


#: Joins the two words of a word pair in the pair index (no word holds it: words are runs
#: of letters and digits).
PAIR_JOIN = "_"


def pairs(tokens: list[str]) -> list[str]:
    """Each word joined to the next (``a_b b_c``): a phrase of n words is n-1 pairs in a row,
    so it is found by its pairs alone, without reading where its common words occur."""
    return [f"{a}{PAIR_JOIN}{b}" for a, b in pairwise(tokens)]


def sqlite_pairs(title: str, text: str) -> dict[str, str]:
    """Column values of ``article_pairs`` (SQLite): the word pairs of the title and the text."""
    return {"title": " ".join(pairs(words(title))), "text": " ".join(pairs(words(text)))}


def pg_pairs(title: str, text: str) -> str:
    """The pair vector (PostgreSQL) as a tsvector literal: the title's pairs, then the text's
    after a gap (no pair spans the two, as no phrase does on SQLite)."""
    where: dict[str, list[int]] = {}
    position = 1
    for part in (title, text):
        for pair in pairs(words(part)):
            where.setdefault(pair, []).append(min(position, _MAX_POS))
            position += 1
        position += 1
    return " ".join(
        _quoted(pair) + ":" + ",".join(map(str, positions[:_MAX_POSITIONS]))
        for pair, positions in where.items() if len(pair) <= _MAX_LEXEME)


@dataclass(frozen=True)
class Term:
    """One query term: ``word`` (stemmed per language), ``prefix`` (``word*`` as written) or
    ``phrase`` (``"…"``: the exact words, in this order)."""

    kind: str
    tokens: tuple[str, ...]


class QueryError(ValueError):
    """A search query that cannot be run (empty, too long)."""


def parse_query(query: str) -> list[Term]:
    """Terms of a user query; no other syntax exists, so no input is an error of syntax."""
    terms = []
    for phrase, word, star in _QUERY.findall(query):
        if word:
            terms.append(Term("prefix" if star else "word", (word.lower(),)))
        elif words(phrase):
            terms.append(Term("phrase", tuple(words(phrase))))
    if not terms:
        raise QueryError(f"no words to search for in {query!r}")
    if len(terms) > MAX_TERMS:
        raise QueryError(f"too many search words ({len(terms)}; at most {MAX_TERMS})")
    return list(dict.fromkeys(terms))


def pair_phrases(terms: list[Term]) -> list[Term] | None:
    """The terms when the pair index answers the query alone (phrases of two words or more,
    nothing else), else None."""
    if all(term.kind == "phrase" and len(term.tokens) > 1 for term in terms):
        return terms
    return None


def fts5_pairs(terms: list[Term], columns: str = "title text") -> str:
    """An FTS5 expression over ``article_pairs``: each phrase as its pairs in a row."""
    return " AND ".join(f'{{{columns}}} : "{" ".join(pairs(list(term.tokens)))}"'
                        for term in terms)


def tsquery_pairs(terms: list[Term]) -> str:
    """A tsquery literal over the pair vectors: each phrase as its pairs in a row."""
    return " & ".join("(" + " <-> ".join(_quoted(p) for p in pairs(list(term.tokens))) + ")"
                      for term in terms)


def alternatives(word: str) -> list[tuple[str, str, bool]]:
    """(code, term, prefix?) a plain word matches: each stemmer's stem, the unstemmed prefix.
    An article's index entry holds the terms of its own code only, so the alternatives match
    disjoint sets of articles (``archive.word_counts`` adds their counts up)."""
    found = [(code, _stemmer(name).stemWord(word), False) for name, code in CODES.items()]
    return [*dict.fromkeys(found), (UNSTEMMED, word, True)]


def fts5_match(terms: list[Term]) -> str:
    """An FTS5 expression over ``article_fts`` (every term quoted: no FTS syntax can reach
    the engine)."""
    words = [term for term in terms if term.kind == "word"]
    others = _fts5_parts([term for term in terms if term.kind != "word"], "", "title text")
    if len(words) < 2:
        return " AND ".join(_fts5_parts(words, "stem_title stem_text", "") + others)
    per_code = " OR ".join("(" + " AND ".join(_fts5_term(*option) for option in options) + ")"
                           for options in by_code(words))
    return " AND ".join([f"{{stem_title stem_text}} : ({per_code})", *others])


def by_code(words: list[Term]) -> list[list[tuple[str, str, bool]]]:
    """Several plain words as one alternative of each word per stemmer code: an index entry
    holds the terms of its own code only, so the words match an entry exactly when their
    alternatives of its code all do, and each code's words are intersected among that code's
    entries alone (``(sv:a AND sv:b) OR (fi:a AND fi:b) ...``), not every entry holding a
    word in any language."""
    codes: dict[str, list[tuple[str, str, bool]]] = {}
    for term in words:
        for option in alternatives(term.tokens[0]):
            codes.setdefault(option[0], []).append(option)
    return list(codes.values())


def fts5_title_match(terms: list[Term]) -> str:
    """An FTS5 expression: any query term in the title (the candidates bm25 ranks)."""
    return " OR ".join(_fts5_parts(terms, "stem_title", "title"))


def _fts5_parts(terms: list[Term], stem_columns: str, columns: str) -> list[str]:
    parts = []
    for term in terms:
        if term.kind == "word":
            options = " OR ".join(_fts5_term(*option)
                                  for option in alternatives(term.tokens[0]))
            parts.append(f"{{{stem_columns}}} : ({options})")
        elif term.kind == "prefix":
            parts.append(f'{{{columns}}} : "{term.tokens[0]}" *')
        else:
            parts.append(f'{{{columns}}} : "{" ".join(term.tokens)}"')
    return parts


def _fts5_term(code: str, term: str, prefix: bool, mark: str = "") -> str:
    """One alternative of a plain word (``alternatives``) as an FTS5 phrase: its tagged stem,
    or its unstemmed prefix (``mark``: as ``fts5_marks`` writes it)."""
    return f'"{mark}{code}{term}"' + (" *" if prefix else "")


def fts5_alternative(code: str, term: str, prefix: bool) -> str:
    """An FTS5 expression matching one alternative of a plain word (``alternatives``)."""
    return f"{{stem_title stem_text}} : ({_fts5_term(code, term, prefix)})"


def tsquery_alternative(code: str, term: str, prefix: bool) -> str:
    """A tsquery literal matching one alternative of a plain word (``alternatives``)."""
    return _quoted(f":{code}:{term}") + (":*" if prefix else "")


def _quoted(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_branches(terms: list[Term]) -> list[str]:
    """The match of ``tsqueries`` as one tsquery per stemmer code when the query has several
    plain words (``(sv:a & sv:b) & rest``, ``(fi:a & fi:b) & rest``, ...), else the one
    tsquery: an entry matches the query exactly when it matches one of them. PostgreSQL's GIN
    index answers each branch as an intersection and ORs the branches' bitmaps, where one
    tsquery of ORed intersections makes it read and test the union of every word's list."""
    words = [term for term in terms if term.kind == "word"]
    if len(words) < 2:
        return [tsqueries(terms)[0]]
    rest = tsqueries([term for term in terms if term.kind != "word"])[0] if len(words) < len(
        terms) else ""
    return [" & ".join(tsquery_alternative(*option) for option in options)
            + (f" & {rest}" if rest else "") for options in by_code(words)]


def tsqueries(terms: list[Term], *, per_code: bool = True) -> tuple[str, str]:
    """tsquery literals: the match (every term; several plain words per stemmer code, see
    ``by_code``, unless ``per_code`` is false: the same matches, a query ``ts_rank`` of the
    match itself ranks as before) and the ranking query (the stems of any term's words, as
    the ranking vector holds stems only)."""
    parts, leaves = [], []
    words = [term for term in terms if term.kind == "word"] if per_code else []
    if len(words) > 1:
        parts.append("(" + " | ".join(
            "(" + " & ".join(tsquery_alternative(*option) for option in options) + ")"
            for options in by_code(words)) + ")")
    for term in terms:
        for token in term.tokens:
            leaves += [_quoted(f":{code}:{t}") + (":*" if prefix or term.kind == "prefix"
                                                  else "")
                       for code, t, prefix in alternatives(token)]
        if term.kind == "word" and len(words) > 1:
            continue
        if term.kind == "word":
            parts.append("(" + " | ".join(
                _quoted(f":{code}:{t}") + (":*" if prefix else "")
                for code, t, prefix in alternatives(term.tokens[0])) + ")")
        elif term.kind == "prefix":
            parts.append(_quoted(term.tokens[0]) + ":*")
        else:
            parts.append("(" + " <-> ".join(_quoted(t) for t in term.tokens) + ")")
    return " & ".join(parts), " | ".join(dict.fromkeys(leaves))


def snippet(title: str, text: str, language: str | None, terms: list[Term],
            width: int = 16) -> str:
    """About ``width`` words of the article around the most matches, matches in [brackets]
    (built for the shown hits only, the same way on both backends).

    Each distinct word is stemmed and tested once, and the words' places in the text are
    found only up to the end of the shown words: this runs for every hit shown."""
    document = f"{title} — {text}"
    code = code_of(language)
    tokens = words(document)
    if not tokens:
        return ""
    wanted, prefixes, exact = set(), [], set()
    for term in terms:
        if term.kind == "phrase":
            exact.update(term.tokens)
        elif term.kind == "prefix" or code == UNSTEMMED:
            prefixes.append(term.tokens[0])
        else:
            wanted.add(stems([term.tokens[0]], code)[0])
    distinct = list(set(tokens))
    starts = tuple(prefixes)
    matching = {token for token, stem in zip(distinct, stems(distinct, code), strict=True)
                if stem in wanted or token in exact or token.startswith(starts)}
    hits = [i for i, token in enumerate(tokens) if token in matching]
    first = max(hits, key=lambda i: sum(i <= j < i + width for j in hits)) if hits else 0
    first = max(0, min(first - 3, len(tokens) - width))
    last = min(len(tokens), first + width) - 1
    spans = [m.span() for m in islice(WORD.finditer(document), last + 1)]
    out, cursor, marked = [], spans[first][0], set(hits)
    for i in range(first, last + 1):
        start, end = spans[i]
        out.append(document[cursor:start])
        out.append(f"[{document[start:end]}]" if i in marked else document[start:end])
        cursor = end
    return (("…" if first > 0 else "") + "".join(out)
            + ("…" if last < len(tokens) - 1 else ""))
