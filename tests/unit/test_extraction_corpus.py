"""The labelled corpus: every page's title, dates, tags, language and every paragraph."""

from __future__ import annotations

import pytest

from crawler.extraction import extract
from tests.replica import content, templates
from tests.replica.corpus import TEASERS, CorpusPage, all_pages

PAGES = all_pages()

#: Strings of page chrome that must never reach an article's text.
CHROME_STRINGS = [
    *templates.BANNER.values(), *templates.VIDEO_PLACEHOLDER.values(),
    *templates.SITE_TITLE.values(), *templates.FOLLOW.values(), *templates.RELATED.values(),
    "FacebookTwitterLinkedInEmailPrint", "Facebook", "LinkedIn", "Twitter", "Dela:", "Share:",
    "Share this", "[...]", "cookie", "Cookie", "Nordens välfärdscenter", "Hem /", "Home /",
    *(t.title for t in TEASERS), *(t.excerpt for t in TEASERS), "Recent Posts",
    "Previous post", "Nordic Newsroom",
]


def expected_languages(story: content.Story) -> set[str]:
    return {story.lang, "no"} if story.lang in ("nb", "nn") else {story.lang}


def test_corpus_is_large_and_covers_every_language_and_layout():
    articles = [p for p in PAGES if p.story]
    assert len(PAGES) >= 36
    assert {p.story.lang for p in articles} >= {"sv", "en", "fi", "nb", "nn", "da", "is"}
    assert {p.name.split("-")[0] for p in PAGES} >= {"portal", "wordpress", "elementor", "divi",
                                                      "plain", "listing", "theme", "about"}
    assert sum(1 for p in PAGES if p.story is None) >= 6


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page(page: CorpusPage):
    article = extract(page.html, page.url)
    if page.story is None:
        # The theme and about pages are archived (with their kind); listings never are.
        undated = {"theme-bostad": "theme", "about": "page"}
        assert article.is_article is (page.name in undated)
        assert article.kind == undated.get(page.name, article.kind)
        return
    story = page.story
    assert article.is_article is True
    assert article.title == story.title
    assert article.paragraphs == list(story.paragraphs)
    assert article.language in expected_languages(story)
    assert article.language_confidence >= 0.5
    assert article.published == page.published
    assert article.modified == page.modified
    assert list(article.tags) == list(story.tags)
    own = "\n".join((story.title, *story.paragraphs))
    for chrome in CHROME_STRINGS:
        if chrome not in own:
            assert chrome not in article.text, chrome
            assert chrome not in article.title, chrome


def test_visible_date_line_is_the_source_on_the_portal_template():
    page = next(p for p in PAGES if p.name == "portal-sv-finland-mitt-hem")
    article = extract(page.html, page.url)
    assert (article.published, article.published_source) == (page.published, "text")
    assert article.section == "nyheter"
    assert article.canonical_url == page.url.rstrip("/")


def test_pages_under_the_prefix_have_no_section_and_are_articles():
    page = next(p for p in PAGES if p.name == "portal-fi-foorumi")
    article = extract(page.html, page.url)
    assert article.section is None and article.is_article
    assert article.published is None  # the fi/no/da pages show no date; none is invented


def test_extraction_is_deterministic():
    for page in PAGES[:5]:
        assert extract(page.html, page.url) == extract(page.html, page.url)
