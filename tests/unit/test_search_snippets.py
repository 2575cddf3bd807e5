"""The snippet under each search hit (``search``, the web window): 16 words around the most
matches, the matches in [brackets], and an ellipsis wherever the article's text was cut, so a
reader knows whether the hit is the start, the middle or the end of the article."""

from __future__ import annotations

from archive.search.terms import parse_query, snippet

WORDS = [f"ord{i}" for i in range(60)]


def test_a_match_deep_in_the_text_is_shown_in_the_middle_cut_on_both_sides():
    text = " ".join(WORDS[:30] + ["kommunerna"] + WORDS[30:])
    assert snippet("Rubrik", text, "sv", parse_query("kommun")) == (
        "…ord27 ord28 ord29 [kommunerna] ord30 ord31 ord32 ord33 ord34 ord35 ord36 ord37 ord38"
        " ord39 ord40 ord41…")


def test_a_match_in_the_title_starts_the_snippet_without_an_ellipsis():
    text = " ".join(WORDS)
    assert snippet("Kommunerna", text, "sv", parse_query("kommun")) == (
        "[Kommunerna] — ord0 ord1 ord2 ord3 ord4 ord5 ord6 ord7 ord8 ord9 ord10 ord11 ord12"
        " ord13 ord14…")


def test_a_match_at_the_end_ends_the_snippet_without_an_ellipsis():
    text = " ".join(WORDS[:40] + ["kommunerna"])
    assert snippet("Rubrik", text, "sv", parse_query("kommun")) == (
        "…ord25 ord26 ord27 ord28 ord29 ord30 ord31 ord32 ord33 ord34 ord35 ord36 ord37 ord38"
        " ord39 [kommunerna]")


def test_a_short_article_is_shown_whole():
    assert snippet("Kort", "kommunerna svarar", "sv",
                   parse_query("kommun")) == "Kort — [kommunerna] svarar"


def test_an_inflected_query_word_marks_the_base_form_in_the_text():
    # "kommunerna" finds "kommun" by its stem: the snippet marks what was found.
    assert snippet("Rubrik", "Varje kommun har svarat", "sv",
                   parse_query("kommunerna")) == "Rubrik — Varje [kommun] har svarat"


def test_phrases_and_prefixes_mark_the_words_as_written():
    # a phrase marks each of its words as written, not their stems' other forms
    assert snippet("Rubrik", "Nya regler för nya kommuner", "sv",
                   parse_query('"nya regler"')) == "Rubrik — [Nya] [regler] för [nya] kommuner"
    assert snippet("Rubrik", "Nyanlända och nyanländas barn", "sv", parse_query("nyanl*")) == (
        "Rubrik — [Nyanlända] och [nyanländas] barn")
    # Icelandic has no stemmer: a plain word marks the words it starts
    assert snippet("Fyrirsögn", "Tungumálakaffi og tungumál", "is",
                   parse_query("tungumál")) == "Fyrirsögn — [Tungumálakaffi] og [tungumál]"


def test_an_article_without_words_has_an_empty_snippet():
    assert snippet("", "— …", "sv", parse_query("kommun")) == ""
    assert snippet("", "", None, parse_query("kommun")) == ""


def test_the_snippet_shows_the_words_around_the_most_matches():
    # matches at words 10, 26 and 30 of the text: the 16 words from 26 hold two of them
    text = " ".join("kommunen" if i in (10, 26, 30) else word for i, word in enumerate(WORDS))
    assert snippet("Rubrik", text, "sv", parse_query("kommun")) == (
        "…ord23 ord24 ord25 [kommunen] ord27 ord28 ord29 [kommunen] ord31 ord32 ord33 ord34"
        " ord35 ord36 ord37 ord38…")


def test_one_word_left_out_at_either_end_is_an_ellipsis():
    # the title and 16 words: the 16 shown from the title leave out the last word
    assert snippet("Kommunerna", " ".join(WORDS[:16]), "sv", parse_query("kommun")).endswith(
        "ord14…")
    # a match as the text's fourth word: the window starts after the title
    text = " ".join("kommunen" if i == 3 else word for i, word in enumerate(WORDS[:30]))
    assert snippet("Rubrik", text, "sv", parse_query("kommun")).startswith(
        "…ord0 ord1 ord2 [kommunen]")
