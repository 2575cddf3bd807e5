"""Rules that must hold on real pages: the article is never removed, what is article is kept,
tags are labels, and the consent platforms' own texts are recognised in every portal language."""

from __future__ import annotations

import pytest

from crawler.extraction import extract
from crawler.extraction.page_kind import section_of
from tests.unit.test_consent_texts import PLATFORM_TEXTS

BODY = (
    "Kommunen har öppnat ett nytt språkcafé för nyanlända i centrum av staden.",
    "Caféet är öppet varje tisdag och torsdag och drivs av frivilliga från föreningar.",
    "Under det första året kom fler än tvåhundra besökare till caféets träffar.",
)


def _page(article_class: str = "post", body: str = "", head: str = "",
          header: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    return (f'<html lang="sv"><head><title>Nytt språkcafé - Sajten</title>{head}</head><body>'
            f'<nav><a href="/">Hem</a></nav><main><article class="{article_class}">'
            f"<h1>Nytt språkcafé öppnar</h1>{header}<p>12 feb 2018</p>"
            f'<div class="entry-content">{paragraphs}{body}</div></article></main>'
            f"<footer><p>© Sajten</p></footer></body></html>")


@pytest.mark.parametrize(
    "slug_class",
    ["tag-gdpr", "category-cookies", "tag-sharing-economy", "tag-follow-up",
     "tag-related-research", "category-recommendations", "topics-consent-management"],
)
def test_taxonomy_classes_on_the_article_never_remove_it(slug_class):
    classes = f"post-12 post type-post status-publish format-standard hentry {slug_class}"
    article = extract(_page(classes), "https://example.org/2021/07/05/sprakcafe/")
    assert article.is_article
    assert article.paragraphs == list(BODY)
    assert article.title == "Nytt språkcafé öppnar"


@pytest.mark.parametrize("token", ["share-enabled", "cookie-consent-given", "has-related",
                                   "follow-wrapper", "main-navigation-target"])
def test_a_chrome_token_on_the_element_holding_the_text_never_empties_it(token):
    html = _page().replace('class="entry-content"', f'class="entry-content {token}"')
    assert extract(html, "https://example.org/nyheter/sprakcafe/").paragraphs == list(BODY)


def test_a_fact_box_inside_the_body_is_kept_and_a_link_list_aside_is_not():
    fact = "Språkcaféet startade 2017 och har i dag tolv frivilliga ledare från fyra länder."
    body = (f'<aside class="factbox"><h3>Fakta</h3><p>{fact}</p></aside>'
            '<aside><ul><li><a href="/a/">Läs också: bostäder</a></li>'
            '<li><a href="/b/">Läs också: arbete</a></li></ul></aside>')
    article = extract(_page(body=body), "https://example.org/nyheter/sprakcafe/")
    assert fact in article.paragraphs
    assert "Läs också" not in article.text


def test_quoted_elisions_and_one_word_paragraphs_are_body():
    quoted = "Rapporten konstaterar att ”språkcaféer ger nyanlända ett första nätverk […]"
    body = f"<p>{quoted}</p><p>Välkomna!</p><p>OK</p><p>Detaljer</p>"
    article = extract(_page(body=body), "https://example.org/nyheter/sprakcafe/")
    assert article.paragraphs[-4:] == [quoted, "Välkomna!", "OK", "Detaljer"]


def test_teaser_excerpts_are_still_dropped():
    body = ("<p>Webbinarium om bostäder: ett webbinarium om bostadsfrågor [...]</p>"
            "<p>Nytt nätverk för unga: ett nätverk för ensamkommande [...]</p>")
    article = extract(_page(body=body), "https://example.org/nyheter/sprakcafe/")
    assert article.paragraphs == list(BODY)


def test_a_date_path_gives_no_numeric_section():
    assert section_of("https://example.org/2021/07/05/slug/") is None
    assert section_of("https://example.org/nyheter/2021/07/05/slug/") == "nyheter"


def test_an_xhtml_page_with_an_xml_declaration_is_read():
    html = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0'
            ' Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
            + _page().replace("<html ", '<html xmlns="http://www.w3.org/1999/xhtml" ', 1))
    assert extract(html, "https://example.org/nyheter/sprakcafe/").paragraphs == list(BODY)
    assert extract(html.encode(), "https://example.org/nyheter/sprakcafe/").paragraphs == list(
        BODY)


# --- tags -------------------------------------------------------------------------------------


def _tags(header: str = "", body: str = "", head: str = "", article_class: str = "post"):
    return list(extract(_page(article_class, body, head, header),
                        "https://example.org/nyheter/sprakcafe/").tags)


def test_a_line_of_plain_taxonomy_links_under_the_headline_gives_tags():
    header = '<div><a href="/tema/arbete/">Arbete</a> <a href="/tema/sprak/">Språk</a></div>'
    assert _tags(header=header) == ["Arbete", "Språk"]


def test_a_plain_text_category_line_between_headline_and_date_gives_tags():
    assert _tags(header="<p>Arbete, Utbildning</p>") == ["Arbete", "Utbildning"]


def test_a_byline_between_headline_and_date_is_no_tag():
    assert _tags(header="<p>Av Anna Andersson</p>") == []
    assert _tags(header='<p class="author">Anna Andersson</p>') == []
    assert _tags(header='<p><a href="/author/anna/">Anna Andersson</a></p>') == []


def test_body_links_and_sentences_are_never_tags():
    body = ('<p>Läs mer i <a href="/tag/rapport/">rapporten om språkcaféer</a> som kom i går,'
            " och i kommunens plan.</p>")
    assert _tags(body=body, article_class="post category-news tag-cafe") == []


def test_a_tag_list_named_by_its_class_gives_its_link_texts():
    body = ('<div class="post-tags">Taggar: <a href="/s?q=1">Språk</a>, '
            '<a href="/s?q=2">Arbete</a></div>')
    assert _tags(body=body) == ["Språk", "Arbete"]


def test_keywords_are_the_last_resort_and_tags_are_short_labels():
    head = ('<meta property="article:tag" content="Integration">'
            f'<meta property="article:tag" content="{"x" * 81}">')
    assert _tags(head=head) == ["Integration"]


# --- consent ----------------------------------------------------------------------------------

# Platforms list only the languages they really ship (test_consent_texts.py checks that the six
# languages of the portal are covered between them).


@pytest.mark.parametrize(("platform", "lang", "text"), PLATFORM_TEXTS,
                         ids=[f"{p}-{lang}" for p, lang, _ in PLATFORM_TEXTS])
def test_consent_platform_default_text_is_never_article_text(platform, lang, text):
    # Bare markup: nothing but the text says it is consent.
    body = f'<div class="notice-x"><p>{text}</p><p><a href="#">OK</a></p></div>'
    article = extract(_page(body=body), "https://example.org/nyheter/sprakcafe/")
    assert article.paragraphs == list(BODY)
