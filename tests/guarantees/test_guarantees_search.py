"""Stemming, not the prefix fallback, finds an inflected query word: the base forms of the
search tests (``tests/helpers/search_data.py``) are also found from forms that are no prefix of
the text's words (a plural or definite form), so switching a language's stemmer off fails
here."""

from __future__ import annotations

from tests.helpers.search_data import BASE_FORMS, found

#: (query, the base form whose articles it must find): none of these queries is a prefix of
#: the words those articles hold, so only the article language's stemmer can match them.
INFLECTED = [
    ("flyktingarna", "flykting"),           # sv, text: flyktingar
    ("kommunernas", "kommun"),              # sv, text: kommunerna, kommuner
    ("flygtningene", "flygtning"),          # da, text: flygtninge
    ("arbeidsplasser", "arbeidsplass"),     # nb, text: arbeidsplassen
    ("maahanmuuttajat", "maahanmuuttaja"),  # fi, text: maahanmuuttajien, -jia
    ("municipalities", "municipality"),     # en, text: municipality (stem municip)
]


def test_inflected_query_words_find_the_base_forms_articles_by_stem(searchable):
    wanted = {query: keys for query, _, keys in BASE_FORMS}
    for query, base in INFLECTED:
        assert found(searchable, query) == wanted[base], query
    # A stem is tagged with its language: the Swedish "flykting" finds no Danish article.
    assert found(searchable, "flyktingarna", language="da") == set()
