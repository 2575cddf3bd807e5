"""Every kind of page the portal publishes is archived with its kind, with revisions like an
article's; listings, pagination, home and tag pages never are; pages that are translations of
one another by the portal's slug convention (``<slug>/`` beside ``<slug>-da/`` ...) are linked
as translations. One real crawl of the replica (twice), on both backends."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from urllib.parse import urlsplit

import pytest

from tests.helpers.crawl_helpers import cli_json, export, run_crawl
from tests.helpers.pdf_files import make_pdf
from tests.replica import content, templates
from tests.replica.content import BY_KEY, Story
from tests.replica.site import PREFIX, Page, ReplicaServer, ReplicaSite
from tests.replica.templates import Chrome, PageLinks, Teaser

ORIGINAL = f"{PREFIX}nyt-nordisk-forum-for-eksperter/"  # beside the replica's ...-da page
NORWEGIAN = f"{PREFIX}nyt-nordisk-forum-for-eksperter-no/"
THEME = f"{PREFIX}teman/ukraina/"
THEME_FI = f"{PREFIX}teman/ukraina-fi/"
EVENT = f"{PREFIX}nordiskt-forum-2026/"  # directly under the prefix: its markup says event
FACT = f"{PREFIX}fakta/integration-af-nyankomne-kvinder"
WEBINAR = f"{PREFIX}om-oss/webbinarier/bostader-for-nyanlanda/"
TAG = f"{PREFIX}tag/arbete/"
ABOUT = f"{PREFIX}om-oss/"
BOSTAD = f"{PREFIX}teman/bostad/"
#: The portal's own documents: a PDF linked as a download, and one served at a page's address.
UPLOAD = f"{PREFIX}wp-content/uploads/2024/03/arsrapport-2023.pdf"
DOWNLOAD = f"{PREFIX}publikationer/arsrapport-2023/ladda-ner/"
NEW_INTRO = "Temat har fått en ny inledning om hemlöshet bland nyanlända."
BOSTAD_INTRO = "Här samlar vi nyheter om bostadsfrågor för nyanlända i Norden. " * 4


def _undated(key: str, lang: str, slug: str, title: str, paragraphs) -> Story:
    return Story(key, lang, slug, title, tuple(paragraphs))


def extra_pages(site: ReplicaSite) -> dict[str, Page]:
    """The portal's other kinds of page, linked from its about page."""
    sv, nb, fi = BY_KEY["sv-ukraina"], BY_KEY["no-ukraina"], BY_KEY["fi-ukraina"]
    stories = {
        ORIGINAL: _undated("x-original", "sv", "", "Nytt nordiskt forum för experter",
                           BY_KEY["sv-sprakkafe"].paragraphs),
        NORWEGIAN: _undated("x-no", "no", "", "Nytt nordisk forum for eksperter", nb.paragraphs),
        THEME: _undated("x-theme", "sv", "", "Mottagandet av flyktingar från Ukraina",
                        sv.paragraphs),
        THEME_FI: _undated("x-theme-fi", "fi", "", "Ukrainan pakolaisten vastaanotto",
                           fi.paragraphs),
        EVENT: _undated("x-event", "sv", "", "Nordiskt forum 2026 i Reykjavik",
                        BY_KEY["sv-natverk-unga"].paragraphs),
        WEBINAR: _undated("x-webinar", "sv", "", "Webbinarium om bostäder för nyanlända",
                          BY_KEY["sv-natverk-unga"].paragraphs[:1] + sv.paragraphs[:1]),
        FACT: replace(BY_KEY["da-sprogcafe"], key="x-fact",
                      title="Integration af nyankomne kvinder på arbejdsmarkedet"),
    }
    pages = {}
    for path, story in stories.items():
        html = templates.portal_page(story, site.url(path), Chrome(), PageLinks())
        if path == EVENT:
            html = html.replace("</head>", '<script type="application/ld+json">{"@context": '
                                '"https://schema.org", "@type": "Event", "name": "Forum"}'
                                "</script></head>")
        pages[path] = Page(html.encode())
    teasers = [Teaser(s.title, site.url(path), "", s.paragraphs[0][:80])
               for path, s in stories.items()]
    tagged = [site.teaser(s) for s in site.live() if "Arbete" in s.tags]
    pages[TAG] = Page(templates.listing_page("Arbete", tagged, "sv", site.url(PREFIX),
                                             intro="Allt om arbete. " * 20).encode())
    about = templates.listing_page(
        "Om oss", teasers + [Teaser("Arbete", site.url(TAG), "", "Etikett")], "sv",
        site.url(PREFIX), intro="Nordiskt samarbete om integration och inkludering är ett "
                                "kunskapsprogram. " * 4)
    about = about.replace("</main>", f'<p><a href="{site.url(UPLOAD)}">Årsrapport 2023 (PDF)</a> '
                                      f'<a href="{site.url(DOWNLOAD)}">Ladda ner</a></p></main>')
    pages[ABOUT] = Page(about.encode())
    pages[UPLOAD] = Page(make_pdf(["Arsrapport 2023 for det nordiska samarbetet",
                                   "om integration av flyktingar"], title="Arsrapport 2023"),
                         content_type="application/pdf")
    pages[DOWNLOAD] = Page(make_pdf(["Nedladdad rapport om integrationen i Norden"]),
                           content_type="application/pdf")
    return pages


def path_of(url: str) -> str:
    return urlsplit(url).path


@pytest.mark.timeout(600)  # two crawls
def test_every_kind_is_archived_with_revisions_listings_never_slug_translations_linked(
        db_url):
    """One replica with every kind of page, crawled; its theme page rewritten; crawled again
    (on both backends)."""
    with ReplicaServer(ReplicaSite()) as portal:
        site = portal.site
        site.extra_pages = extra_pages(site)
        site.render()
        first = run_crawl(db_url, portal.base + PREFIX)
        crawled = {"site": site, "db": db_url, "first": first, "rows": export(db_url),
                   "paths": portal.paths()}
        check_kinds(crawled)
        check_slug_translations(crawled)
        check_teasers_are_not_the_pages(crawled)
        check_documents(crawled)
        # A week later the theme has a new intro and other teasers; the about page's teaser
        # list lost its first card (nothing of its own changed).
        theme = templates.listing_page(
            "Bostad", [site.teaser(BY_KEY["sv-ukraina"]), site.teaser(BY_KEY["en-forum"])],
            "sv", site.url(PREFIX), intro=BOSTAD_INTRO)
        site.pages[BOSTAD] = Page(theme.replace(
            '<div class="news-list">', f'<p>{NEW_INTRO}</p><div class="news-list">').encode())
        site.pages[ABOUT] = Page(re.sub(rb'<article class="news-item">.*?</article>', b"",
                                        site.pages[ABOUT].body, count=1))
        crawled["second"] = run_crawl(db_url, portal.base + PREFIX)
    check_theme_revision(crawled)
    check_slug_translations(crawled)  # unchanged by a crawl that changed nothing of them


def check_kinds(crawled) -> None:
    first, db_url, site = crawled["first"], crawled["db"], crawled["site"]
    assert first.returncode == 0, first.stderr.decode()[-3000:]
    assert "failed 0," in first.stdout.decode(), first.stdout
    kinds = {path_of(row["url"]): row["kind"] for row in crawled["rows"]}
    assert {path: kinds.get(path) for path in (
        ORIGINAL, NORWEGIAN, THEME, THEME_FI, EVENT, FACT, WEBINAR, ABOUT, BOSTAD)} == {
        ORIGINAL: "page", NORWEGIAN: "page", THEME: "theme", THEME_FI: "theme",
        EVENT: "event", FACT: "fact", WEBINAR: "event", ABOUT: "page", BOSTAD: "theme"}
    assert kinds[site.paths["sv-ukraina"]] == "news"
    assert kinds[site.paths["en-forum"]] == "news"
    assert kinds[site.paths["da-forum"]] == "page"  # a translation at the portal's root
    # Listings, their pagination, the home page and the tag page were fetched, never archived.
    fetched = set(crawled["paths"])
    never = {PREFIX, f"{PREFIX}nyheter/", f"{PREFIX}nyheter/page/2/", f"{PREFIX}en/nyheter/",
             TAG}
    assert never <= fetched
    assert not never & set(kinds)
    assert len(kinds) == len(content.STORIES) + 9
    # Every kind is a filter and a count.
    by_kind = {g["kind"]: g["articles"] for g in cli_json(db_url, "stats")["by_kind"]}
    assert by_kind == {"news": sum(v == "news" for v in kinds.values()), "theme": 3,
                       "page": sum(v == "page" for v in kinds.values()), "event": 2, "fact": 1}
    hits = cli_json(db_url, "search", "Ukraina", "--kind", "theme", "--format", "json")
    assert {path_of(h["url"]) for h in hits} == {THEME} and hits[0]["kind"] == "theme"
    assert {h["kind"] for h in cli_json(db_url, "search", "Ukraina", "--format",
                                        "json")} >= {"news", "theme"}
    events = run_export(db_url, "--kind", "event")
    assert {path_of(r["url"]) for r in events} == {EVENT, WEBINAR}
    assert cli_json(db_url, "show", site.url(FACT))["kind"] == "fact"


def run_export(db_url: str, *args: str) -> list[dict]:
    from tests.helpers.cli import run_cli

    result = run_cli("export", "--db", db_url, *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def check_teasers_are_not_the_pages(crawled) -> None:
    """A theme's and an about page's teaser cards are other pages' words and dates: neither
    their text nor their date is the page's."""
    db_url, site = crawled["db"], crawled["site"]
    theme = cli_json(db_url, "show", site.url(BOSTAD))
    assert theme["published"] is None  # its one teaser is dated; the theme prints no date
    assert theme["text"] == BOSTAD_INTRO.strip()
    about = cli_json(db_url, "show", site.url(ABOUT))
    assert about["published"] is None
    assert about["text"].startswith("Nordiskt samarbete om integration")
    for title in ("Nytt nordiskt forum för experter", "Nordiskt forum 2026 i Reykjavik"):
        assert title not in about["text"]


def check_documents(crawled) -> None:
    """A PDF on the portal, linked as a download or served at a page's address, is archived
    with its text like a cited source: never dropped, never a failure."""
    db_url = crawled["db"]
    assert {UPLOAD, DOWNLOAD} <= set(crawled["paths"])
    documents = {path_of(s["url"]): s for s in cli_json(db_url, "sources")}
    assert documents[UPLOAD]["kind"] == documents[DOWNLOAD]["kind"] == "pdf"
    for path in (UPLOAD, DOWNLOAD):
        assert documents[path]["status"] == 200 and documents[path]["reason"] is None, path
        assert documents[path]["first_captured"] and documents[path]["chars"] > 20, path
    hits = cli_json(db_url, "search", "Nedladdad", "--in", "sources", "--format", "json")
    assert [path_of(h["url"]) for h in hits] == [DOWNLOAD]
    assert not {UPLOAD, DOWNLOAD} & {path_of(r["url"]) for r in crawled["rows"]}


def check_theme_revision(crawled) -> None:
    second, db_url, site = crawled["second"], crawled["db"], crawled["site"]
    assert second.returncode == 0, second.stderr.decode()[-3000:]
    summary = second.stdout.decode()
    # The theme's new intro is its one revision; its new teasers and the about page's lost
    # card are none.
    assert "revised 1," in summary and "new 0," in summary and "failed 0," in summary, summary
    history = cli_json(db_url, "history", site.url(BOSTAD))
    assert [r["change_kind"] for r in history] == ["new", "text"]
    changed = [line for line in history[1]["diff"].splitlines()
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == [f"+{NEW_INTRO}"], changed
    assert len(cli_json(db_url, "history", site.url(ABOUT))) == 1
    assert cli_json(db_url, "show", site.url(BOSTAD))["kind"] == "theme"


def check_slug_translations(crawled) -> None:
    db_url, site = crawled["db"], crawled["site"]
    da = site.paths["da-forum"]

    def translations(path: str) -> dict[str, str]:
        return {lang: path_of(url) for lang, url in
                cli_json(db_url, "show", site.url(path))["translations"].items()}

    assert translations(ORIGINAL) == {"da": da, "no": NORWEGIAN}
    assert translations(da) == {"sv": ORIGINAL, "no": NORWEGIAN}
    assert translations(NORWEGIAN) == {"sv": ORIGINAL, "da": da}
    assert translations(THEME) == {"fi": THEME_FI} and translations(THEME_FI) == {"sv": THEME}
    # A suffixed page with no original beside it links nothing.
    assert translations(site.paths["da-sprogcafe"]) == {}
