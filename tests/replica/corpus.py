"""The labelled extraction corpus: every story in the portal's template with a different chrome
placement, several stories in generic layouts, and pages that are not articles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tests.replica import content, templates
from tests.replica.templates import Chrome, PageLinks, Teaser

PORTAL = "https://nordicwelfare.org/integration-norden/"

#: Teasers dated after every story: an extractor that takes the newest date on the page fails.
TEASERS = [
    Teaser("Nordiska ministrar möts om integration", PORTAL + "nyheter/ministrar-mots/",
           "14 okt 2026", "Ministrarna diskuterade arbetsmarknaden"),
    Teaser("Ny statistik om arbete och etablering", PORTAL + "nyheter/ny-statistik/",
           "2 sep 2026", "Statistiken visar att fler kommer i arbete"),
    Teaser("Webbinarium om bostäder", PORTAL + "om-oss/webbinarier/bostader/",
           "20 aug 2026", "Ett webbinarium om bostadsfrågor"),
]

# One chrome placement per page, cycling through what leaked in MEASUREMENTS.md.
_VARIANTS = [
    Chrome(consent="banner-top"),
    Chrome(consent="cookiebot-start", share="in-content-label"),
    Chrome(consent="cn-middle", tags_markup="bare", breadcrumbs="bare"),
    Chrome(consent="gdpr-start", video_placeholder=True, teasers="unmarked"),
    Chrome(consent="site-notice-middle", share="bare-links", padding=True),
    Chrome(consent="notice-area-middle", og_article=True, tags_markup="bare"),
    Chrome(consent="bare-p-middle", share="in-content-label", breadcrumbs=None),
    Chrome(consent="onetrust", meta_dates=True),
    Chrome(consent="cookieyes", json_ld=True, teasers="unmarked"),
    Chrome(consent="complianz", video_placeholder=True, share="bare-links"),
    Chrome(consent="osano", tags_markup="bare", padding=True),
]


@dataclass(frozen=True)
class CorpusPage:
    name: str
    url: str
    html: str
    story: content.Story | None  # None: not an article
    published: date | None = None
    modified: date | None = None


def story_url(story: content.Story) -> str:
    if story.lang == "en":
        return f"{PORTAL}en/nyheter/{story.slug}/"
    if story.key.startswith("sv-"):
        return f"{PORTAL}nyheter/{story.slug}/"
    return f"{PORTAL}{story.slug}"


def _expected_dates(story: content.Story, chrome: Chrome, visible: bool = True
                    ) -> tuple[date | None, date | None]:
    structured = chrome.meta_dates or chrome.json_ld
    published = story.published if (visible and story.date_text) or structured else None
    modified = story.modified if (visible and story.modified_text) or structured else None
    return published, modified


def portal_pages() -> list[CorpusPage]:
    pages = []
    for i, story in enumerate(content.STORIES):
        chrome = _VARIANTS[i % len(_VARIANTS)]
        url = story_url(story)
        html = templates.portal_page(story, url, chrome, PageLinks(teasers=TEASERS))
        pages.append(CorpusPage(f"portal-{story.key}", url, html, story,
                                *_expected_dates(story, chrome)))
    return pages


def generic_pages() -> list[CorpusPage]:
    cases = [
        ("wordpress", "en-forum", "https://news.example.org/2021/07/05/forum/", Chrome(
            consent="cookiebot-start", json_ld=True)),
        ("wordpress", "sv-sprakkafe", "https://nyheter.example.se/2019/10/03/sprakkafe/",
         Chrome(consent="cn-middle")),
        ("elementor", "en-ukraine", "https://today.example.org/ukraine-lessons/",
         Chrome(consent="gdpr-start")),
        ("elementor", "da-sprogcafe", "https://today.example.dk/sprogcafeer/",
         Chrome(consent="complianz")),
        ("divi", "sv-ukraina", "https://divi.example.se/ukrainska-flyktingar/",
         Chrome(consent="none-inline")),
        ("divi", "en-language-cafes", "https://divi.example.org/language-cafes/",
         Chrome(consent="none-inline")),
        ("plain", "en-language-cafes", "https://newsroom.example.org/stories/language-cafes",
         Chrome(consent="onetrust")),
        ("plain", "is-vettvangur", "https://newsroom.example.is/stories/vettvangur",
         Chrome(consent="site-notice-middle")),
    ]
    pages = []
    for layout, key, url, chrome in cases:
        story = content.BY_KEY[key]
        render = templates.LAYOUTS[layout]
        if chrome.consent == "none-inline":  # Divi carries its banner inline already
            chrome = Chrome(consent="banner-top")
        html = render(story, url, chrome, PageLinks(teasers=TEASERS))
        published, modified = _expected_dates(story, chrome)
        if layout == "wordpress":
            published = story.published  # <time datetime> always there
        pages.append(CorpusPage(f"{layout}-{key}", url, html, story, published, modified))
    return pages


def non_article_pages() -> list[CorpusPage]:
    items = [Teaser(s.title, story_url(s), s.date_text or "", s.paragraphs[0][:80])
             for s in content.STORIES if s.date_text][:8]
    theme_intro = ("Här samlar vi nyheter, rapporter och webbinarier om bostadsfrågor för "
                   "nyanlända i Norden. Temat följer hur kommunerna arbetar med boende, "
                   "bosättning och bostadssegregation, och vad forskningen säger om det. " * 2)
    about = ("Nordiskt samarbete om integration och inkludering är ett kunskapsprogram vid "
             "Nordens välfärdscenter. Programmet samlar och sprider kunskap om integration av "
             "flyktingar och invandrare i de nordiska länderna. " * 2)
    specs = [
        ("listing-sv", PORTAL + "nyheter/", "Nyheter", "sv", items, PORTAL + "nyheter/page/2/",
         ""),
        ("listing-sv-page2", PORTAL + "nyheter/page/2/", "Nyheter", "sv", items[4:], None, ""),
        ("listing-en", PORTAL + "en/nyheter/", "News", "en", items[:5], None, ""),
        ("theme-bostad", PORTAL + "teman/bostad/", "Bostad", "sv", items[:3], None, theme_intro),
        ("about", PORTAL + "om-oss/", "Om oss", "sv", [], None, about),
        ("home", PORTAL, "Nordiskt samarbete om integration och inkludering", "sv", items, None,
         ""),
        ("publications", PORTAL + "publikationer/", "Publikationer", "sv", items[:6], None, ""),
    ]
    return [
        CorpusPage(name, url, templates.listing_page(title, teasers, lang, PORTAL, nxt, intro),
                   None)
        for name, url, title, lang, teasers, nxt, intro in specs
    ]


def all_pages() -> list[CorpusPage]:
    return portal_pages() + generic_pages() + non_article_pages()
