"""Every pattern the extractor applies, as data: the portal profile, page chrome by markup and by
text in the portal's six languages, date words and month names.

Keep rules here and the code that applies them small (see ``chrome.py``, ``dates.py``,
``page_kind.py``); a new consent tool or share plugin should be a one-line change in this file.
"""

from __future__ import annotations

import re

# --- The portal profile -------------------------------------------------------------------------

#: Path prefix of the portal on its host; sections and scope are read relative to it.
SITE_PREFIXES = ("/integration-norden/",)
#: Language segments that may follow the prefix ("/integration-norden/en/nyheter/...").
LANGUAGE_SEGMENTS = frozenset({"sv", "en", "fi", "no", "nb", "nn", "da", "is"})
#: Site titles that page-builder layouts leak into the text.
SITE_TITLES = frozenset(
    {
        "nordiskt samarbete om integration och inkludering",
        "nordic co-operation on integration and inclusion",
        "nordic cooperation on integration and inclusion",
        "nordens välfärdscenter",
        "nordic welfare centre",
    }
)
#: Section words whose root page (and its pagination) is a listing.
LISTING_SECTIONS = frozenset(
    {"nyheter", "news", "publikationer", "publications", "webbinarier", "webinars", "blog",
     "blogg", "arkiv", "archive", "aktuellt", "uutiset", "nyheder", "frettir"}
)
#: Sections whose pages are crawled for links but are not articles.
NON_ARTICLE_SECTIONS = frozenset(
    {"teman", "themes", "om-oss", "about", "about-us", "tag", "tags", "category", "kategori",
     "author", "forfattare", "kontakt", "contact", "sok", "search", "feed"}
)

# --- Chrome by markup -----------------------------------------------------------------------------
# Each rule is matched against every token of an element's ``id`` and ``class`` (lower-cased).
# Tokens, not the whole attribute: trafilatura's own rule looks only at whichever attribute comes
# first and misses ``<div id="cn" class="cookie-notice">`` and ``CybotCookiebotDialog``.

CHROME_TOKEN_RULES: dict[str, re.Pattern[str]] = {
    "consent": re.compile(
        r".*(cookie|consent|gdpr|cybot|onetrust|optanon|cmplz|complianz|osano|cookieyes).*"
        r"|cky-.*|cn|cn-.*|cc-(window|banner|revoke)|site-notice|notice-area|privacy-(banner|notice)"
    ),
    "share": re.compile(
        r".*(share|sharing|addtoany|sharedaddy).*|a2a_.*|ssba.*|heateor.*|print-link|print-page"
    ),
    "follow": re.compile(
        r".*follow.*|social-(links|media|icons|profiles)|some-links|socials|social"
    ),
    "teaser": re.compile(
        r".*(related|teaser|recommend).*|yarpp.*|more-news|read-more-list|post-navigation"
        r"|nav-links|navigation-post|latest-posts"
    ),
    "navigation": re.compile(
        r"breadcrumbs?.*|.*-?breadcrumbs?|nav|navbar|navigation|.*-navigation|main-nav.*"
        r"|.*-menu|menu|menu-.*|mega-menu.*|pagination|skip-link|screen-reader-text|search-form"
        r"|searchform|site-header|main-header|top-header|header-top|site-footer|main-footer"
        r"|footer-bottom|site-title|site-branding|site-logo|logo|masthead|sidebar|widget-area"
        r"|et-top-navigation|et_pb_menu.*|elementor-nav-menu.*|elementor-location-(header|footer)"
    ),
}

#: Elements that are chrome by their tag alone, wherever they stand.
CHROME_TAGS = frozenset({"nav", "aside", "form", "button", "dialog", "noscript", "iframe"})
#: Elements that are chrome unless they stand inside the article (``<footer class=entry-footer>``).
PAGE_LEVEL_TAGS = frozenset({"header", "footer"})
#: ARIA roles of chrome.
CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog",
                          "alertdialog", "search"})

# --- Chrome by text (all six languages) ---------------------------------------------------------

#: A paragraph matching one of these is consent text, in any markup (a bare <p> with links).
CONSENT_TEXT = re.compile(
    "|".join(
        [
            # sv
            r"\b(vi )?använder (oss av )?(tredjeparts)?cookies\b",
            r"godkänner du (användningen av )?cookies",
            r"acceptera (marknadsförings|statistik)?-?cookies",
            # en
            r"\bwe use (third[- ]party )?cookies\b",
            r"\bthis (web)?site uses cookies\b",
            r"\baccept (marketing|statistics|all)[- ]cookies\b",
            r"\bconsent to (the use of )?cookies\b",
            # fi
            r"käytämme (kolmannen osapuolen )?evästeitä",
            r"sivusto käyttää evästeitä",
            r"hyväksy (markkinointi|tilasto)?-?evästeet",
            # no
            r"vi bruker (informasjonskapsler|cookies)",
            r"godta (markedsførings)?-?(informasjonskapsler|cookies)",
            # da
            r"vi bruger cookies",
            r"accepter (marketing|statistik)?-?cookies",
            # is
            r"(við )?notum (vafrakökur|kökur)",
            r"samþykkja (markaðs)?(vafrakökur|kökur)",
            # Cookiebot's placeholder for blocked embeds
            r"cookiebot",
            r"(marketing|marknadsförings|markedsførings)[- ]?cookies (to|för att|for å|for at) ",
        ]
    ),
    re.IGNORECASE,
)

#: Stand-alone lines left behind by consent dialogs (their heading and buttons).
CONSENT_LINES = frozenset(
    {
        "cookies", "cookie", "cookie settings", "cookie policy", "cookieinställningar",
        "evästeet", "evästeasetukset", "informasjonskapsler", "vafrakökur", "kökur",
        "accept", "accept all", "acceptera", "acceptera alla", "godkänn", "hyväksy", "godta",
        "accepter", "samþykkja", "neka", "avvisa", "decline", "reject", "hylkää", "avvis",
        "afvis", "hafna", "ok", "details", "detaljer", "inställningar", "settings",
    }
)

_SHARE_WORDS = (
    r"facebook|twitter|x|linkedin|e-?mail|e-?post|epost|sähköposti|netfang|tölvupóstur"
    r"|print|skriv ut|tulosta|utskrift|prenta|whatsapp|messenger|bluesky|threads|reddit"
    r"|copy link|kopiera länk|kopioi linkki|kopier lenke|kopier link|afrita hlekk"
)
_SHARE_LABELS = (
    r"dela|share|jaa|del|deildu|share this|share this page|share this article|dela sidan"
    r"|dela artikeln|jaa sivu|del siden|del artiklen|del artikkelen|deila"
)
#: A line that is only a share bar ("FacebookTwitterLinkedInEmailPrint", "Dela: Facebook X").
SHARE_LINE = re.compile(
    rf"^(?:(?:{_SHARE_LABELS})\s*:?\s*)?(?:(?:{_SHARE_WORDS})[\s,|·•/]*)+$|^(?:{_SHARE_LABELS})\s*:?$",
    re.IGNORECASE,
)
#: "Följ oss på sociala medier:" and its siblings.
FOLLOW_LINE = re.compile(
    r"^(följ oss|follow us|seuraa meitä|følg oss|følg os|fylgdu okkur)"
    r"(\s+(på|on|i|á)\s+(sociala medier|social media|sosiale medier|sociale medier"
    r"|samfélagsmiðlum|facebook|twitter|linkedin))?"
    r"(\s+(sosiaalisessa mediassa|somessa))?\s*:?"
    rf"(\s*(?:{_SHARE_WORDS}|instagram|youtube)[\s,|·]*)*$",
    re.IGNORECASE,
)
#: A heading after which only related-content teasers follow: the text is cut there.
RELATED_HEADING = re.compile(
    r"^(relaterat innehåll|relaterade artiklar|related content|related articles|related posts"
    r"|aiheeseen liittyvää|aiheeseen liittyvät|relatert innhold|relaterte artikler"
    r"|relateret indhold|relaterede artikler|tengt efni|fleiri fréttir|fler nyheter|more news"
    r"|lisää uutisia|flere nyheter|flere nyheder)\s*:?$",
    re.IGNORECASE,
)
#: A teaser excerpt ("... [...]").
TEASER_LINE = re.compile(r"(\[\s*(\.\.\.|…)\s*\]|\[…\])\s*$")
#: A breadcrumb trail ("Hem / Nyheter / ...").
BREADCRUMB_LINE = re.compile(
    r"^(hem|home|start|etusivu|hjem|forside|forsíða|heim)\s*[/»>›|]", re.IGNORECASE
)

# --- Dates ---------------------------------------------------------------------------------

#: Month names and abbreviations of the portal's languages (PORTAL.md), lower case.
MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "jan januari january januar janúar tammi tammikuu tammikuuta",
        "feb februari february februar febrúar helmi helmikuu helmikuuta",
        "mar mars march marts marz mars mar maaliskuu maaliskuuta maalis",
        "apr april apríl huhti huhtikuu huhtikuuta",
        "maj mai may maí touko toukokuu toukokuuta",
        "jun juni june júní jún kesä kesäkuu kesäkuuta",
        "jul juli july júlí júl heinä heinäkuu heinäkuuta",
        "aug augusti august ágúst ágú elo elokuu elokuuta",
        "sep sept september syys syyskuu syyskuuta",
        "okt oct oktober october október loka lokakuu lokakuuta",
        "nov november nóvember nóv marras marraskuu marraskuuta",
        "dec des december desember desember des desember joulu joulukuu joulukuuta",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

#: Words before a date that say it is an update.
UPDATED_WORDS = ("uppdaterad", "senast uppdaterad", "updated", "last updated", "päivitetty",
                 "oppdatert", "sist oppdatert", "opdateret", "senest opdateret", "uppfært")
#: Words before a date that say it is the publication date.
PUBLISHED_WORDS = ("publicerad", "publicerat", "published", "posted", "julkaistu", "publisert",
                   "publiceret", "birt", "birtist")
#: Words before a date that make it neither (a project's end date).
IGNORED_DATE_WORDS = ("avslutat", "avslutad", "ended", "closed", "päättynyt", "päättyi",
                      "avsluttet", "afsluttet", "lokið", "deadline", "sista ansökningsdag")

#: JSON-LD types that are articles.
ARTICLE_TYPES = frozenset({"article", "newsarticle", "blogposting", "reportagenewsarticle",
                           "analysisnewsarticle", "scholarlyarticle", "report"})
