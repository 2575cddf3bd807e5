"""The sources an article cites (``Article.sources``): links of its own text that lead off the
portal, its "read more" lines, and documents anywhere in it; never chrome, teasers, the portal's
own pages or links that are no web address."""

from __future__ import annotations

import pytest

from crawler.extraction import extract
from tests.helpers.shared_files import require
from tests.replica import portal_real
from tests.replica.portal_real import MARKUPS, PortalRealSite

URL = "https://nordicwelfare.org/integration-norden/nyheter/kommunerna-samarbetar/"
BODY = ("Kommunerna i Norden samarbetar allt mer om mottagandet av nyanlända, och nätverket "
        "växer för varje år som går.")


def page(body: str, *, after: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Kommunerna '
            f'samarbetar</title></head><body><nav class="main-navigation"><a href='
            f'"https://menu.example/">Meny</a></nav><main><article><h1>Kommunerna samarbetar'
            f'</h1><p>{BODY}</p>{body}<div class="share-buttons"><a href="https://www.facebook'
            f'.com/sharer.php?u=x">Facebook</a><a href="https://twitter.com/share">Twitter</a>'
            f'</div></article>{after}</main><footer class="site-footer"><p>Följ oss på sociala '
            f'medier: <a href="https://facebook.example/nvc">Facebook</a></p></footer>'
            f"</body></html>")


def sources(body: str, **kwargs) -> tuple[str, ...]:
    return extract(page(body, **kwargs), URL).sources


def test_a_link_in_a_paragraph_of_the_text_is_a_source():
    assert sources('<p>Enligt <a href="https://kommuntorget.fi/artikel/?id=3#mitten">'
                   'Kommuntorget</a> deltog alla nordiska länder i år för första gången.</p>'
                   ) == ("https://kommuntorget.fi/artikel/?id=3",)


def test_a_read_more_line_beside_the_text_is_a_source():
    # The line is left out of the text (a link alone is no paragraph), but it is the citation.
    article = extract(page('<p><a href="https://kommuntorget.fi/natverk">Läs mer på '
                           'Kommuntorgets hemsida</a></p>'), URL)
    assert article.sources == ("https://kommuntorget.fi/natverk",)


def test_documents_anywhere_in_the_article_the_portals_own_too():
    body = ('<p>Rapporten <a href="/integration-norden/wp-content/uploads/rapport.pdf">'
            'Indikatorer (PDF, 8 MB)</a> visar hur integrationen har gått under året.</p>'
            '<div class="publication-box"><a class="button" href="https://norden.diva-portal'
            '.org/smash/get/diva2:1/FULLTEXT01.docx">Ladda ner</a></div>')
    assert sources(body) == (
        "https://nordicwelfare.org/integration-norden/wp-content/uploads/rapport.pdf",
        "https://norden.diva-portal.org/smash/get/diva2:1/FULLTEXT01.docx")


def test_chrome_portal_pages_and_non_web_links_are_not_sources():
    body = ('<p>Se också <a href="/integration-norden/nyheter/annan-nyhet/">en annan nyhet</a>,'
            ' <a href="mailto:info@nordicwelfare.org">mejla oss</a>, <a href="tel:+46">ring</a>'
            ' eller <a href="javascript:void(0)">öppna</a> om ni har frågor om nätverket.</p>')
    teasers = ('<section class="related"><h2>Relaterat</h2><div class="teaser"><h3><a href='
               '"https://other.example/nyhet/">En annan sajts nyhet</a></h3></div></section>')
    assert sources(body, after=teasers) == ()
    # the portal's host with or without www. is the portal; another host is a source whatever
    # its path
    hosts = ('<p>Läs <a href="https://www.nordicwelfare.org/integration-norden/nyheter/x/">'
             'nyheten</a> och <a href="https://archive.example/integration-norden/nyheter/x/">'
             'en kopia hos ett arkiv</a> om samarbetet mellan kommunerna i Norden.</p>')
    assert sources(hosts) == ("https://archive.example/integration-norden/nyheter/x/",)
    # Share buttons inside a paragraph: links that post the page elsewhere, not sources.
    shares = ('<p>Dela artikeln om nätverket: <a href="https://www.facebook.com/sharer/sharer.php'
              '?u=x">Facebook</a> <a href="https://twitter.com/intent/tweet?url=x">X</a> <a href='
              '"https://www.linkedin.com/shareArticle?url=x">LinkedIn</a> och läs <a href='
              '"https://twitter.com/kommuntorget/status/1">Kommuntorgets inlägg</a> om mötet.</p>')
    assert sources(shares) == ("https://twitter.com/kommuntorget/status/1",)


def test_each_source_once_in_page_order_relative_links_resolved():
    body = ('<p>Både <a href="https://b.example/">B</a> och <a href="https://a.example/x">A</a>'
            ' har skrivit om samarbetet mellan kommunerna i Norden under året.</p>'
            '<ul><li>Källa: <a href="https://b.example/#top">B igen</a> om samma sak.</li>'
            '<li><a href="../../wp-content/uploads/bilaga.odt">Bilagan</a> till rapporten'
            '</li></ul>')
    assert sources(body) == ("https://b.example/", "https://a.example/x",
                             "https://nordicwelfare.org/integration-norden/wp-content/uploads/"
                             "bilaga.odt")


@pytest.mark.parametrize("markup", MARKUPS)
def test_every_read_more_line_of_the_portals_real_pages_is_a_source(markup):
    require(portal_real.pages_file(), "the portal's real pages")
    site = PortalRealSite(markup)
    site.render()
    cited = 0
    for real in site.real:
        lines = [b["lines"][0] for b in real["clean"]["blocks"] if b["kind"] == "link"]
        if portal_real.is_listing(real) or not lines:
            continue
        article = extract(site.pages[real["path"]].body, site.url(real["path"]))
        # The replica links each such line to example.org/<its slug>.
        assert {f"https://example.org/{portal_real.slugify(line)}" for line in lines} <= set(
            article.sources), (real["path"], article.sources)
        # ... and no share, follow or "read the publication online" link.
        assert not {s for s in article.sources if s.endswith("/read") or "facebook" in s}
        cited += len(lines)
    assert cited >= 8
