"""The publisher's day: ``published`` and ``modified`` are calendar days where the page was
published — the day it prints, or the offset it states, or its zone (the portal's, its
language's or its domain's) — never the UTC day of a late-evening timestamp; the moment itself
is kept (``published_at``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crawler.extraction import extract
from crawler.extraction.dates import parse_instant

PORTAL_NEWS = "https://nordicwelfare.org/integration-norden/nyheter/forum/"
BODY = "<p>" + "Kommunerna i Norden samarbetar om mottagandet av nyanlända. " * 8 + "</p>"


def page(*, lang: str = "sv", meta: str = "", json_ld: str = "", printed: str = "",
         time: str = "") -> str:
    head = (f'<meta property="article:published_time" content="{meta}">' if meta else "")
    if json_ld:
        head += ('<script type="application/ld+json">{"@context": "https://schema.org", '
                 f'"@type": "NewsArticle", "datePublished": "{json_ld}"}}</script>')
    return (f'<html lang="{lang}"><head><title>Forum</title>{head}</head><body><main><article>'
            f"<h1>Forum</h1>{f'<p>{printed}</p>' if printed else ''}{time}{BODY}"
            f"</article></main></body></html>")


def test_a_utc_timestamp_is_the_day_the_portal_prints():
    article = extract(page(meta="2019-10-18T22:04:00Z", printed="19 okt 2019"), PORTAL_NEWS)
    assert article.published == date(2019, 10, 19)
    assert article.published_at == datetime(2019, 10, 18, 22, 4, tzinfo=UTC)
    assert article.to_dict()["published_at"] == "2019-10-18T22:04:00+00:00"


def test_without_a_printed_date_the_portals_own_zone_places_it():
    article = extract(page(meta="2019-10-18T22:04:00Z"), PORTAL_NEWS)
    assert article.published == date(2019, 10, 19)  # 00:04 in Stockholm (CEST)
    winter = extract(page(meta="2019-12-31T22:59:00Z"), PORTAL_NEWS)
    assert winter.published == date(2019, 12, 31)  # 23:59 in Stockholm (CET)


@pytest.mark.parametrize(("lang", "url", "expected"), [
    ("de", "https://www.example.com/2/", date(2020, 12, 6)),      # the language's zone
    ("en", "https://www.example.it/2/", date(2020, 12, 6)),       # the domain's
    ("en-GB", "https://www.example.com/2/", date(2020, 12, 5)),  # London: 23:15 still the 5th
    ("en", "https://www.example.com/2/", date(2020, 12, 5)),      # no zone said: UTC's day
])
def test_off_the_portal_the_zone_of_the_pages_language_or_domain(lang, url, expected):
    # "23:15:0Z" as one real page writes it
    article = extract(page(lang=lang, meta="2020-12-05T23:15:0Z"), url)
    assert article.published == expected


def test_an_offset_the_page_states_elsewhere_places_its_utc_timestamps():
    html = page(lang="ar", meta="2020-12-24T23:59:50+00:00", json_ld="2020-12-25T01:59:50+02:00")
    article = extract(html, "https://news.example.net/a/")
    assert article.published == date(2020, 12, 25)


def test_the_printed_day_wins_over_a_guessed_zone_but_only_a_day_away():
    # Berlin would make it the 19th; the page prints the 18th: a CMS writing local time as UTC.
    html = page(lang="de", meta="2019-10-18T23:30:00Z", printed="18. Oktober 2019")
    assert extract(html, "https://zeitung.example/a/").published == date(2019, 10, 18)
    # A printed date three days off is another date (an event's), not this timestamp's day.
    html = page(lang="en", meta="2019-10-18T23:30:00Z", printed="October 21, 2019")
    assert extract(html, "https://paper.example.com/a/").published == date(2019, 10, 18)


def test_a_time_elements_text_is_what_the_page_prints():
    time = '<time datetime="2019-10-18T22:04:00Z">19 October 2019</time>'
    article = extract(page(lang="en", time=time), "https://paper.example.com/b/")
    assert article.published == date(2019, 10, 19)
    assert article.published_at == datetime(2019, 10, 18, 22, 4, tzinfo=UTC)


def test_local_and_bare_timestamps_are_the_days_they_write():
    assert extract(page(meta="2019-10-18T23:30:00"), PORTAL_NEWS).published == date(2019, 10, 18)
    bare = extract(page(meta="2019-10-18"), PORTAL_NEWS)
    assert (bare.published, bare.published_at) == (date(2019, 10, 18), None)
    stated = extract(page(meta="2019-10-18T23:30:00-05:00"), PORTAL_NEWS)
    assert stated.published == date(2019, 10, 18)  # the offset it states, whatever the zone


def test_instants_as_pages_write_them():
    assert parse_instant("2020-12-05T23:15:0Z") == datetime(2020, 12, 5, 23, 15, tzinfo=UTC)
    assert parse_instant("2020-05-02T02:54:29.000Z") == datetime(2020, 5, 2, 2, 54, 29,
                                                                  tzinfo=UTC)
    assert parse_instant("2019-10-18 20:04:00+0200").utcoffset().total_seconds() == 7200
    assert parse_instant("2019-10-18T20:04:00") is None
    assert parse_instant("2019-10-18") is None
    assert parse_instant("2019-13-45T20:04Z") is None
