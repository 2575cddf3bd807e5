"""The rules one by one: dates, chrome by text in six languages, the guard, bad input."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.extraction import ExtractionError, extract
from crawler.extraction import dates as date_rules
from crawler.extraction.chrome import clean_paragraphs
from crawler.extraction.page_kind import decide_is_article, kind_of, section_of
from tests.replica import templates
from tests.replica.content import BY_KEY
from tests.replica.templates import Chrome, PageLinks

PORTAL = "https://nordicwelfare.org/integration-norden/"
BODY = "<p>" + "Det här är en vanlig mening i en artikel om integration i Norden. " * 4 + "</p>"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("12 feb 2018", ("published", date(2018, 2, 12))),
        ("5 jul 2021", ("published", date(2021, 7, 5))),
        ("31 Oct 2018", ("published", date(2018, 10, 31))),
        ("Oct 31, 2018", ("published", date(2018, 10, 31))),
        ("12.2.2018", ("published", date(2018, 2, 12))),  # Finnish: never 2 December
        ("12. februar 2018", ("published", date(2018, 2, 12))),
        ("12. febrúar 2018", ("published", date(2018, 2, 12))),
        ("3. desember 2019", ("published", date(2019, 12, 3))),
        ("12. helmikuuta 2018", ("published", date(2018, 2, 12))),
        ("21. nóv 2025", ("published", date(2025, 11, 21))),
        ("Uppdaterad 20 aug 2021", ("modified", date(2021, 8, 20))),
        ("Päivitetty 20.8.2021", ("modified", date(2021, 8, 20))),
        ("Oppdatert 20. august 2021", ("modified", date(2021, 8, 20))),
        ("Opdateret 20. august 2021", ("modified", date(2021, 8, 20))),
        ("Updated 20 Aug 2021", ("modified", date(2021, 8, 20))),
        ("Avslutat 14 jun 2025", ("ignored", date(2025, 6, 14))),
        ("Publicerad 5 jul 2021 kl. 10:15", ("published", date(2021, 7, 5))),
    ],
)
def test_date_lines(line, expected):
    assert date_rules.parse_date_line(line) == expected


@pytest.mark.parametrize("line", ["Den 12 feb 2018 hände det", "31.2.2018", "12 foo 2018", ""])
def test_not_date_lines(line):
    assert date_rules.parse_date_line(line) is None


def _page(head: str = "", body: str = BODY, lang: str = "sv") -> str:
    return (f'<html lang="{lang}"><head><title>T</title>{head}</head><body><main><article>'
            f"<h1>Rubrik om integration</h1>{body}</article></main></body></html>")


def test_future_and_ancient_dates_are_never_taken():
    html = _page(body="<p>3 mar 2031</p>" + BODY)
    assert extract(html, PORTAL + "nyheter/a/", today=date(2026, 11, 27)).published is None
    html = _page(body="<p>3 mar 1970</p>" + BODY)
    assert extract(html, PORTAL + "nyheter/a/").published is None


def test_published_and_modified_meta_are_kept_apart():
    head = ('<meta property="article:published_time" content="2018-02-12T08:00:00+01:00">'
            '<meta property="article:modified_time" content="2021-03-01T08:00:00+01:00">')
    article = extract(_page(head), PORTAL + "nyheter/a/")
    assert (article.published, article.published_source) == (date(2018, 2, 12), "meta")
    assert (article.modified, article.modified_source) == (date(2021, 3, 1), "meta")


def test_date_from_url_is_the_last_resort():
    article = extract(_page(), "https://example.org/2020/05/17/slug/")
    assert (article.published, article.published_source) == (date(2020, 5, 17), "url")


CONSENT_BY_LANGUAGE = dict(templates.BANNER)
CONSENT_BY_LANGUAGE["en-placeholder"] = templates.VIDEO_PLACEHOLDER["en"]
CONSENT_BY_LANGUAGE["sv-placeholder"] = templates.VIDEO_PLACEHOLDER["sv"]


@pytest.mark.parametrize("text", CONSENT_BY_LANGUAGE.values(), ids=CONSENT_BY_LANGUAGE.keys())
def test_consent_text_in_a_bare_paragraph_is_dropped_in_every_language(text):
    body = f"<p>{text} <a href='/cookies'>Info</a></p>{BODY}"
    article = extract(_page(body=body), PORTAL + "nyheter/a/")
    assert text[:30] not in article.text
    assert "Det här är en vanlig mening" in article.text


@pytest.mark.parametrize(
    "line",
    ["FacebookTwitterLinkedInEmailPrint", "Dela: Facebook X LinkedIn E-post Skriv ut",
     "Jaa: Facebook Twitter Sähköposti Tulosta", "Del:", "Deildu", "Share:", "Dela",
     "Følg oss på sosiale medier:", "Følg os på sociale medier:", "Seuraa meitä somessa",
     "Fylgdu okkur á samfélagsmiðlum:", "Follow us on social media: Facebook Instagram",
     "Hem / Nyheter / Något", "Läs mer om detta [...]"],
)
def test_chrome_lines_are_dropped(line):
    verdict = clean_paragraphs([line, "Ett riktigt stycke text."], set())
    assert verdict.paragraphs == ["Ett riktigt stycke text."]


def test_everything_after_a_related_content_heading_is_cut():
    verdict = clean_paragraphs(["Brödtext.", "Relaterat innehåll", "Teaser", "Mer"], set())
    assert verdict.paragraphs == ["Brödtext."]


def test_guard_refuses_a_page_that_is_only_consent_text():
    body = "".join(f"<p>{text}</p>" for text in templates.BANNER.values()) + "<p>Kort.</p>"
    with pytest.raises(ExtractionError) as error:
        extract(_page(head='<meta property="og:type" content="article">', body=body),
                PORTAL + "nyheter/cookies-info/")
    assert error.value.reason == "mostly-consent"


def test_guard_refuses_an_empty_article():
    with pytest.raises(ExtractionError) as error:
        extract(_page(head='<meta property="og:type" content="article">', body="<p>Hej</p>"),
                PORTAL + "nyheter/tom/")
    assert error.value.reason == "no-text"  # "Hej": no chrome to blame, just no text


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"   \n", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary"),
     (b'{"json": "not html"}', "not-html"), ("plain text, no markup at all", "not-html")],
)
def test_bad_input_is_refused_with_a_reason(data, reason):
    with pytest.raises(ExtractionError) as error:
        extract(data, PORTAL + "nyheter/x/")
    assert error.value.reason == reason


def test_control_bytes_without_a_nul_are_binary_only_beyond_one_in_fifty():
    body = "<p>" + "Räksmörgås på Åland är gott för alla. " * 5 + "</p>"
    noisy = bytes(range(1, 9)) + bytes(range(14, 32))  # 26 control bytes, no NUL, no tab
    with pytest.raises(ExtractionError) as error:
        extract(noisy * 40 + _page(body=body).encode(), PORTAL + "nyheter/x/")
    assert error.value.reason == "binary"
    page = _page(body=body).encode()
    few = b"\x1b" * (len(page[:4096]) // 50)  # exactly one in fifty of the first 4 KB
    assert "Räksmörgås" in extract(few + page, PORTAL + "nyheter/x/").text


def test_parsed_trees_are_the_same_in_threads_at_once_and_name_classes_in_c():
    from concurrent.futures import ThreadPoolExecutor

    from lxml import etree
    from lxml import html as lxml_html

    from crawler.extraction import parse_html

    pages = [_page(body=f"<form><input name='q{i}'></form><p>Stycke {i}</p>" * 50)
             for i in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        trees = list(pool.map(parse_html, pages * 4))
    assert [etree.tostring(t) for t in trees] == [etree.tostring(parse_html(p)) for p in pages * 4]
    assert etree.tostring(trees[0]) == etree.tostring(lxml_html.document_fromstring(pages[0]))
    # lxml.html's own lookup (a Python call per element touched) would make this an InputElement.
    assert type(trees[0].find(".//input")) is lxml_html.HtmlElement


def test_declared_charset_of_bytes_is_honoured():
    html = _page(body="<p>" + "Räksmörgås på Åland är gott för alla. " * 5 + "</p>")
    html = html.replace("<head>", '<head><meta charset="windows-1252">')
    article = extract(html.encode("windows-1252"), PORTAL + "nyheter/rak/")
    assert "Räksmörgås på Åland" in article.text


def test_canonical_to_another_site_is_ignored_and_hreflang_becomes_translations():
    head = ('<link rel="canonical" href="https://evil.example/x">'
            f'<link rel="alternate" hreflang="en" href="{PORTAL}en/nyheter/b/">'
            f'<link rel="alternate" hreflang="x-default" href="{PORTAL}">')
    article = extract(_page(head), PORTAL + "nyheter/a/?utm_source=x")
    assert article.canonical_url == PORTAL + "nyheter/a"
    assert article.translations == {"en": PORTAL + "en/nyheter/b"}


def test_title_comes_from_the_headline_not_the_title_tag():
    story = BY_KEY["sv-ukraina"]
    html = templates.portal_page(story, PORTAL + "nyheter/x/", Chrome(), PageLinks())
    assert extract(html, PORTAL + "nyheter/x/").title == story.title


@pytest.mark.parametrize(
    ("url", "section"),
    [(PORTAL + "nyheter/slug/", "nyheter"), (PORTAL + "en/nyheter/slug/", "nyheter"),
     (PORTAL + "teman/bostad/", "teman"), (PORTAL + "publikationer/rapport", "publikationer"),
     (PORTAL + "om-oss/webbinarier/slug/", "webbinarier"), (PORTAL + "nytt-forum-no/", None),
     (PORTAL + "nyheter/page/3/", "nyheter")],
)
def test_section_from_url(url, section):
    assert section_of(url) == section


@pytest.mark.parametrize(
    ("url", "expected"),
    [(PORTAL + "nyheter/", False), (PORTAL + "nyheter/page/2/", False), (PORTAL, False),
     (PORTAL + "teman/", False), (PORTAL + "en/teman/", False), (PORTAL + "fakta/", False),
     (PORTAL + "om-oss/webbinarier/", False), (PORTAL + "tag/arbete/", False),
     (PORTAL + "category/bostad/", False), (PORTAL + "?s=flykting", False),
     (PORTAL + "teman/bostad/page/2/", False),
     (PORTAL + "teman/bostad/", True), (PORTAL + "om-oss/", True),
     (PORTAL + "om-oss/webbinarier/ett-webbinarium/", True), (PORTAL + "nyheter/slug/", True),
     (PORTAL + "publikationer/rapport", True)],
)
def test_is_article_by_url(url, expected):
    assert decide_is_article(url, article_markup=True, has_date=True, text_length=900,
                             paragraphs=4, linked_headings=0) is expected


@pytest.mark.parametrize("url", [PORTAL + "teman/bostad/", PORTAL + "om-oss/",
                                 PORTAL + "en/about-us/", PORTAL + "om-oss/kontakt/",
                                 PORTAL + "nyt-nordisk-forum-for-eksperter-da/",
                                 PORTAL + "en/teman/6854/", PORTAL + "evenemang/forum/"])
def test_undated_pages_of_the_portal_are_archived_however_short_or_teaser_heavy(url):
    # A theme page: a short intro above many teaser cards, no date, no article markup.
    assert decide_is_article(url, article_markup=False, has_date=False, text_length=60,
                             paragraphs=1, linked_headings=8)


@pytest.mark.parametrize(
    ("url", "dated", "kind"),
    [(PORTAL + "nyheter/slug/", True, "news"), (PORTAL + "en/nyheter/slug/", True, "news"),
     (PORTAL + "publikationer/rapport", True, "publication"),
     (PORTAL + "en/publications/report/", True, "publication"),
     (PORTAL + "en/publikationer/leaving-boys-behind", True, "publication"),
     (PORTAL + "fakta/integration-af-nyankomne", True, "fact"),
     (PORTAL + "en/fakta/coming-of-age/", False, "fact"),
     (PORTAL + "exempel/hembesoksprogram/", True, "example"),
     (PORTAL + "evenemang/forum/", False, "event"),
     (PORTAL + "en/evenemang/forum/", False, "event"),
     (PORTAL + "om-oss/webbinarier/bostader/", False, "event"),
     (PORTAL + "en/about-us/webinars/migrants/", False, "event"),
     (PORTAL + "teman/bostad/", False, "theme"), (PORTAL + "en/teman/6854/", False, "theme"),
     (PORTAL + "teman/bostad/ny-rapport-om-boende/", True, "news"),
     (PORTAL + "om-oss/", False, "page"), (PORTAL + "en/about-us/", False, "page"),
     (PORTAL + "om-oss/kontakt/", False, "page"),
     (PORTAL + "nyt-nordisk-forum-for-eksperter-da/", False, "page"),
     (PORTAL + "tidig-kartlaggning-av-kompetens/", False, "page"),
     (PORTAL + "fi/uutiset/juttu/", True, "news"), (PORTAL + "da/temaer/bolig/", False, "theme"),
     ("https://news.example.org/2021/07/05/a-story/", True, "news"),
     ("https://news.example.org/events/a-fair/", True, "event")],
)
def test_kind_from_the_path_in_every_language(url, dated, kind):
    assert kind_of(url, dated=dated) == kind


def test_event_markup_makes_an_event_and_extract_carries_the_kind():
    story = BY_KEY["sv-ukraina"]
    url = PORTAL + "nyheter/x/"
    html = templates.portal_page(story, url, Chrome(), PageLinks())
    assert extract(html, url).kind == "news"
    event = html.replace("</head>", '<script type="application/ld+json">{"@context": '
                         '"https://schema.org", "@type": "EducationEvent", "name": "x"}'
                         "</script></head>")
    assert extract(event, url).kind == "event"
    assert extract(html, PORTAL + "teman/ukraina/").kind == "theme"
    assert extract(html, PORTAL + "teman/ukraina/").to_dict()["kind"] == "theme"
