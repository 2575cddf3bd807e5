"""Stemming, not the prefix fallback, finds an inflected query word: the base forms of
``test_archive_search`` are also found from forms that are no prefix of the text's words (a
plural or definite form), so switching a language's stemmer off fails here."""

from __future__ import annotations

import pytest

from tests.test_archive_search import BASE_FORMS, fill, found

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


@pytest.fixture
def filled(database):
    fill(database)
    return database


def test_inflected_query_words_find_the_base_forms_articles_by_stem(filled):
    wanted = {query: keys for query, _, keys in BASE_FORMS}
    for query, base in INFLECTED:
        assert found(filled, query) == wanted[base], query
    # A stem is tagged with its language: the Swedish "flykting" finds no Danish article.
    assert found(filled, "flyktingarna", language="da") == set()
