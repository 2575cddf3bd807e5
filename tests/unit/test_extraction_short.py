"""Short articles (one or two short paragraphs: event notices, "new report" blurbs) come out like
long ones: body paragraphs only, breaks kept, never the headline, tag line or date as text."""

from __future__ import annotations

from dataclasses import replace

import pytest

from crawler.extraction import extract
from tests.replica import templates
from tests.replica.content import BY_KEY
from tests.replica.corpus import _VARIANTS, TEASERS, story_url
from tests.replica.templates import PageLinks

SHORT = {
    "sv-sprakkafe": ("Seminariet om nyanlända kvinnor hålls i Stockholm den 14 mars.",
                     "Anmäl dig senast den 1 mars."),
    "en-forum": ("A new report on language cafés is out.",),
    "fi-kielikahvila": ("Uusi raportti kielikahviloista on julkaistu.",
                        "Lue raportti verkossa."),
    "no-sprakkafe": ("En ny rapport om språkkafeer er publisert.",),
    "no-nynorsk": ("Ein ny rapport om språkkafear er no ute.", "Les han på nettet."),
    "da-sprogcafe": ("En ny rapport om sprogcaféer er udkommet.", "Læs den her."),
    "is-tungumalakaffi": ("Ný skýrsla um tungumálakaffi er komin út.",),
}
LAYOUTS = ("portal", "wordpress", "elementor", "divi", "plain")


def _url(layout: str, story) -> str:
    return story_url(story) if layout == "portal" else f"https://example.org/news/{story.slug}/"


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("key", sorted(SHORT))
def test_short_article_keeps_its_paragraphs_and_nothing_else(key, layout):
    story = replace(BY_KEY[key], paragraphs=SHORT[key])
    variant = _VARIANTS[sorted(SHORT).index(key) % len(_VARIANTS)]
    url = _url(layout, story)
    html = templates.LAYOUTS[layout](story, url, variant, PageLinks(teasers=TEASERS))
    article = extract(html, url)
    assert article.is_article
    assert article.paragraphs == list(SHORT[key])
    assert article.title == story.title
    for metadata in (story.title, story.date_text, ", ".join(story.tags), *story.tags):
        if metadata:
            assert metadata not in article.text
