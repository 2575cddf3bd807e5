"""What an archived article's URL served: a soft 404 is told apart from a short article."""

from __future__ import annotations

import pytest
from lxml import html

from crawler import served


def page(body: str, body_class: str = "") -> html.HtmlElement:
    return html.fromstring(f'<html><body class="{body_class}">{body}</body></html>')


@pytest.mark.parametrize("headline", [
    "Sidan kunde inte hittas", "404 – Page not found", "Siden blev ikke fundet",
    "Sivua ei löytynyt", "Síðan fannst ekki", "404"])
def test_a_not_found_headline_is_a_soft_404(headline):
    assert served.is_not_found_page(page(f"<h1>{headline}</h1><p>Prova att söka.</p>"))
    assert served.page_kind(page(f"<h1>{headline}</h1>"), "https://x.org/a/b/") == "not-found"


def test_the_404_body_class_is_a_soft_404_whatever_the_headline():
    assert served.is_not_found_page(page("<h1>Hoppsan!</h1>", "error404 wp-theme-x"))


@pytest.mark.parametrize("headline", [
    "404 flyktingar fick jobb i Malmö", "Not found: the children the registers lost",
    "Nyanlända kvinnor på arbetsmarknaden"])
def test_a_short_article_that_mentions_404_is_no_soft_404(headline):
    assert not served.is_not_found_page(page(f"<h1>{headline}</h1><p>Kort nyhet.</p>",
                                             "post-template-default single tag-404"))
