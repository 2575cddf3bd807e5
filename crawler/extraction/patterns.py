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

#: Classes a CMS prints on the article itself to say what it is (WordPress ``post_class()``,
#: Divi, Elementor): taxonomy slugs and states. They are data, never chrome, whatever the slug says.
DATA_CLASS = re.compile(
    r"(tag|tags|category|categories|cat|post_tag|topic|topics|term|type|status|format"
    r"|product_cat|product_tag|taxonomy|has)[-_].*|(post|postid|page-id|pageid)-\d+|hentry|sticky"
)
#: The element holding the article's paragraphs needs at least this much paragraph text to be
#: protected from every chrome rule.
MAIN_TEXT_MIN_CHARS = 60
#: An ``<article>`` with this much paragraph text is an article, whatever its class says.
ARTICLE_PROSE_MIN_CHARS = 300
#: An ``<aside>`` inside the article is a fact box when it has this much text, mostly not links.
FACT_BOX_MIN_CHARS = 40
FACT_BOX_MAX_LINK_SHARE = 0.5

#: Elements that are chrome by their tag alone, wherever they stand.
CHROME_TAGS = frozenset({"nav", "aside", "form", "button", "dialog", "noscript", "iframe"})
#: Elements that are chrome unless they stand inside the article (``<footer class=entry-footer>``).
PAGE_LEVEL_TAGS = frozenset({"header", "footer"})
#: ARIA roles of chrome.
CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog",
                          "alertdialog", "search"})

# --- Tags ----------------------------------------------------------------------------------------

#: Paths of taxonomy pages: a link into one, standing in a line of links, is a tag.
TAXONOMY_PATH = re.compile(
    r"/(tag|tags|tagg|taggar|category|categories|kategori|kategorier|kategoria|kategorie"
    r"|tema|teman|teema|teemat|aihe|aiheet|emne|emner|efni|topic|topics|theme|themes"
    r"|schlagwort|schlagworte|stichwort|thema|themen|label|labels|keyword|keywords)(/|$)",
    re.IGNORECASE,
)
#: A line under the headline that starts like this names the author, not a category.
BYLINE_START = re.compile(
    r"^(by|von|av|af|ved|text|texte?|kirjoittanut|teksti|eftir|written by|skrivet av|skrevet av"
    r"|skrevet af|photo|foto|kuva|mynd)\b",
    re.IGNORECASE,
)
#: Markup of a by-line (class, itemprop, rel, href).
BYLINE_MARKUP = re.compile(r"author|byline|forfatter|forfattare|kirjoittaja|hofundur|/profile",
                           re.IGNORECASE)

# --- Chrome by text (all six languages) ---------------------------------------------------------

_COOKIE_WORD = r"(cookies?|kakor|informasjonskapsler|evästeitä|evästeiden|evästeet|vafrakök\w*)"
_SITE_WORD = (r"((web)?site|webbplats(en)?|hjemmeside|websted(et)?|nettsted(et)?|sivusto"
              r"|verkkosivusto|vefsíða|vefsíðan|vefur(inn)?)")

#: A paragraph matching one of these is consent text, in any markup (a bare <p> with links).
#: They are the phrases of the consent platforms' default texts in the six languages (see
#: ``CONSENT_PLATFORM_TEXTS``), written as patterns so that a platform's rewording still matches.
CONSENT_TEXT = re.compile(
    "|".join(
        [
            # "This website uses cookies" (Cookiebot, Usercentrics, Osano and most banners)
            rf"\b(this|denna|den här|denne|dette|tämä|þessi) {_SITE_WORD}"
            rf" (uses|använder|bruger|bruker|käyttää|notar) {_COOKIE_WORD}",
            # "We use cookies ..." (Cookie Notice, Cookiebot, generic)
            r"\b(vi )?använder (oss av )?(tredjeparts)?cookies\b",
            r"\bwe use (third[- ]party )?cookies\b",
            r"käytämme (kolmannen osapuolen )?evästeitä",
            r"vi bruker (informasjonskapsler|cookies)",
            r"vi bruger cookies",
            r"(við )?notum (vafrakökur|kökur)",
            # "By clicking 'Accept all' you consent ..." (CookieYes, OneTrust) with a cookie word
            rf"(by clicking|genom att klicka på|ved at klikke på|ved å klikke på|napsauttamalla"
            rf"|kun napsautat|með því að smella á)\W[^.]{{0,60}}(consent|agree|samtycker|godkänner"
            rf"|giver du samtykke|accepterer du|samtykker|godtar|hyväksyt|samþykkir)"
            rf"[^.]{{0,80}}{_COOKIE_WORD}",
            rf"{_COOKIE_WORD}[^.]{{0,40}}(till|to|til)?[^.]{{0,10}}"
            r"(you consent|samtycker du|giver du samtykke|samtykker du|hyväksyt|samþykkir þú)",
            # "... technologies like cookies to store and/or access device information" (Complianz)
            r"(store and/or access|lagra och/eller|gemme og/eller|lagre og/eller"
            r"|tallentamiseen ja/tai|geyma og/eða)",
            # "... technologies such as cookies to enable essential site functionality" (Osano)
            rf"(technologies|tekniker|teknologier|teknologioita|tækni) (such as|like|som|eins og)"
            rf" {_COOKIE_WORD}",
            r"evästeiden kaltaisia tekniikoita|kuten evästeitä",
            # "We need your consent before you can continue" (Borlabs)
            r"(we need your consent|vi behöver ditt samtycke|vi har brug for dit samtykke"
            r"|vi trenger (ditt samtykke|samtykket ditt)|tarvitsemme suostumuksesi"
            r"|við þurfum samþykki þitt)",
            # "Could we please enable some additional services ...?" (Klaro)
            r"(could we (please )?enable|kan vi (få )?aktivera|får vi aktivera|må vi aktivere"
            r"|kan vi aktivere|voimmeko ottaa käyttöön|voisimmeko ottaa käyttöön|megum við virkja)",
            r"(change or withdraw your consent|ändra eller återkalla ditt samtycke"
            r"|ændre eller tilbagekalde dit samtykke|endre eller trekke tilbake samtykke"
            r"|muuttaa tai peruuttaa suostumuksesi|breytt eða afturkallað samþykki)",
            # "... third-party website tracking technologies ..." (Usercentrics)
            r"(third[- ]party (website )?tracking technolog|tredjeparts ?spårningstekni"
            r"|tredjeparts ?sporingsteknolog|kolmannen osapuolen seurantateknolog"
            r"|rakningartækni þriðja aðila)",
            # "We and selected third parties use cookies ..." (Iubenda)
            r"\b(we|vi|me|við) (and|och|og|ja) (selected|utvalda|udvalgte|utvalgte|valitut|valdir)"
            r" (third parties|tredje ?parter|kolmannet osapuolet|þriðju aðilar)",
            # older phrasings
            r"godkänner du (användningen av )?cookies",
            r"acceptera (marknadsförings|statistik)?-?cookies",
            r"\baccept (marketing|statistics|all)[- ]cookies\b",
            r"\bconsent to (the use of )?cookies\b",
            r"hyväksy (markkinointi|tilasto)?-?evästeet",
            r"godta (markedsførings)?-?(informasjonskapsler|cookies)",
            r"accepter (marketing|statistik)?-?cookies",
            r"samþykkja (markaðs)?(vafrakökur|kökur)",
            # Cookiebot's placeholder for blocked embeds
            r"cookiebot",
            r"(marketing|marknadsförings|markedsførings)[- ]?cookies (to|för att|for å|for at) ",
        ]
    ),
    re.IGNORECASE,
)

#: The default banner texts of the common consent platforms, by platform and language, as
#: they publish them (the tests check that ``CONSENT_TEXT`` recognises every one).
CONSENT_PLATFORM_TEXTS: dict[str, dict[str, str]] = {
    "cookiebot": {
        "en": "This website uses cookies. We use cookies to personalise content and ads, to"
              " provide social media features and to analyse our traffic.",
        "sv": "Denna webbplats använder cookies. Vi använder enhetsidentifierare för att anpassa"
              " innehållet och annonserna till användarna.",
        "da": "Denne hjemmeside bruger cookies. Vi bruger cookies til at tilpasse vores indhold og"
              " annoncer, til at vise dig funktioner til sociale medier og til at analysere vores"
              " trafik.",
        "no": "Dette nettstedet bruker informasjonskapsler. Vi bruker informasjonskapsler for å"
              " tilpasse innholdet og annonsene.",
        "fi": "Tämä sivusto käyttää evästeitä. Käytämme evästeitä sisällön ja mainosten"
              " räätälöintiin ja kävijämäärämme analysoimiseen.",
        "is": "Þessi vefsíða notar vafrakökur. Við notum vafrakökur til að sérsníða efni og"
              " auglýsingar og til að greina umferð okkar.",
    },
    "cookieyes": {
        "en": "We use cookies to enhance your browsing experience, serve personalised ads or"
              ' content, and analyse our traffic. By clicking "Accept All", you consent to our'
              " use of cookies.",
        "sv": "Vi använder cookies för att förbättra din webbupplevelse, visa anpassade annonser"
              ' eller innehåll och analysera vår trafik. Genom att klicka på "Acceptera alla"'
              " samtycker du till vår användning av cookies.",
        "da": "Vi bruger cookies til at forbedre din browseroplevelse, vise personlige annoncer"
              ' eller indhold og analysere vores trafik. Ved at klikke på "Accepter alle" giver'
              " du samtykke til vores brug af cookies.",
        "no": "Vi bruker informasjonskapsler for å forbedre nettleseropplevelsen din, vise"
              " tilpassede annonser eller innhold og analysere trafikken vår. Ved å klikke på"
              ' "Godta alle" samtykker du til vår bruk av informasjonskapsler.',
        "fi": "Käytämme evästeitä parantaaksemme selauskokemustasi, näyttääksemme"
              " henkilökohtaisia mainoksia tai sisältöä ja analysoidaksemme liikennettämme."
              ' Napsauttamalla "Hyväksy kaikki" hyväksyt evästeiden käytön.',
        "is": "Við notum vafrakökur til að bæta vafraupplifun þína, birta sérsniðnar auglýsingar"
              ' eða efni og greina umferð okkar. Með því að smella á "Samþykkja allt" samþykkir'
              " þú notkun okkar á vafrakökum.",
    },
    "complianz": {
        "en": "To provide the best experiences, we use technologies like cookies to store and/or"
              " access device information.",
        "sv": "För att ge de bästa upplevelserna använder vi tekniker som cookies för att lagra"
              " och/eller komma åt enhetsinformation.",
        "da": "For at give den bedste oplevelse bruger vi teknologier som cookies til at gemme"
              " og/eller tilgå enhedsoplysninger.",
        "no": "For å gi de beste opplevelsene bruker vi teknologier som informasjonskapsler for å"
              " lagre og/eller få tilgang til enhetsinformasjon.",
        "fi": "Parhaan kokemuksen tarjoamiseksi käytämme teknologioita, kuten evästeitä,"
              " laitetietojen tallentamiseen ja/tai käyttämiseen.",
        "is": "Til að veita bestu upplifunina notum við tækni eins og vafrakökur til að geyma"
              " og/eða fá aðgang að upplýsingum um tæki.",
    },
    "onetrust": {
        "en": "By clicking “Accept All Cookies”, you agree to the storing of cookies on your"
              " device to enhance site navigation, analyze site usage, and assist in our"
              " marketing efforts.",
        "sv": "Genom att klicka på ”Acceptera alla cookies” godkänner du att cookies lagras på"
              " din enhet för att förbättra navigeringen på webbplatsen.",
        "da": "Ved at klikke på ”Accepter alle cookies” accepterer du lagring af cookies på din"
              " enhed for at forbedre navigation på webstedet.",
        "no": "Ved å klikke på «Godta alle informasjonskapsler» godtar du lagring av"
              " informasjonskapsler på enheten din for å forbedre navigeringen på nettstedet.",
        "fi": "Kun napsautat ”Hyväksy kaikki evästeet”, hyväksyt evästeiden tallentamisen"
              " laitteellesi sivuston navigoinnin parantamiseksi.",
        "is": "Með því að smella á „Samþykkja allar vafrakökur“ samþykkir þú að vafrakökur séu"
              " vistaðar í tækinu þínu.",
    },
    "cookie-notice": {
        "en": "We use cookies to ensure that we give you the best experience on our website. If"
              " you continue to use this site we will assume that you are happy with it.",
        "sv": "Vi använder cookies för att säkerställa att vi ger dig den bästa upplevelsen på"
              " vår webbplats.",
        "da": "Vi bruger cookies for at sikre, at vi giver dig den bedste oplevelse på vores"
              " hjemmeside.",
        "no": "Vi bruker informasjonskapsler for å sikre at vi gir deg den beste opplevelsen på"
              " nettstedet vårt.",
        "fi": "Käytämme evästeitä varmistaaksemme, että annamme sinulle parhaan kokemuksen"
              " verkkosivustollamme.",
        "is": "Við notum vafrakökur til að tryggja að við gefum þér bestu upplifunina á"
              " vefsíðunni okkar.",
    },
    "borlabs": {
        "en": "We need your consent before you can continue on our website.",
        "sv": "Vi behöver ditt samtycke innan du kan fortsätta på vår webbplats.",
        "da": "Vi har brug for dit samtykke, før du kan fortsætte på vores hjemmeside.",
        "no": "Vi trenger ditt samtykke før du kan fortsette på nettstedet vårt.",
        "fi": "Tarvitsemme suostumuksesi ennen kuin voit jatkaa verkkosivustollamme.",
        "is": "Við þurfum samþykki þitt áður en þú getur haldið áfram á vefsíðunni okkar.",
    },
    "klaro": {
        "en": "Hi! Could we please enable some additional services for analytics? You can always"
              " change or withdraw your consent later.",
        "sv": "Hej! Kan vi aktivera ytterligare tjänster för analys? Du kan alltid ändra eller"
              " återkalla ditt samtycke senare.",
        "da": "Hej! Må vi aktivere nogle ekstra tjenester til analyse? Du kan altid ændre eller"
              " tilbagekalde dit samtykke senere.",
        "no": "Hei! Kan vi aktivere noen ekstra tjenester for analyse? Du kan alltid endre eller"
              " trekke tilbake samtykket ditt senere.",
        "fi": "Hei! Voimmeko ottaa käyttöön lisäpalveluja analytiikkaa varten? Voit aina muuttaa"
              " tai peruuttaa suostumuksesi myöhemmin.",
        "is": "Halló! Megum við virkja viðbótarþjónustu fyrir greiningu? Þú getur alltaf breytt"
              " eða afturkallað samþykki þitt síðar.",
    },
    "usercentrics": {
        "en": "This site uses third-party website tracking technologies to provide and"
              " continually improve our services, and to display advertisements according to"
              " users' interests.",
        "sv": "Den här webbplatsen använder tredjeparts spårningstekniker för att tillhandahålla"
              " och kontinuerligt förbättra våra tjänster.",
        "da": "Dette websted bruger tredjeparts sporingsteknologier til at levere og løbende"
              " forbedre vores tjenester.",
        "no": "Dette nettstedet bruker tredjeparts sporingsteknologier for å levere og"
              " kontinuerlig forbedre tjenestene våre.",
        "fi": "Tämä sivusto käyttää kolmannen osapuolen seurantateknologioita palvelujemme"
              " tarjoamiseen ja jatkuvaan parantamiseen.",
        "is": "Þessi vefur notar rakningartækni þriðja aðila til að veita og stöðugt bæta"
              " þjónustu okkar.",
    },
    "iubenda": {
        "en": "We and selected third parties use cookies or similar technologies for technical"
              " purposes and, with your consent, for other purposes as specified in the cookie"
              " policy.",
        "sv": "Vi och utvalda tredje parter använder cookies eller liknande tekniker för"
              " tekniska ändamål och, med ditt samtycke, för andra ändamål.",
        "da": "Vi og udvalgte tredjeparter bruger cookies eller lignende teknologier til tekniske"
              " formål og, med dit samtykke, til andre formål.",
        "no": "Vi og utvalgte tredjeparter bruker informasjonskapsler eller lignende teknologier"
              " for tekniske formål og, med ditt samtykke, for andre formål.",
        "fi": "Me ja valitut kolmannet osapuolet käytämme evästeitä tai vastaavia tekniikoita"
              " teknisiin tarkoituksiin ja suostumuksellasi muihin tarkoituksiin.",
        "is": "Við og valdir þriðju aðilar notum vafrakökur eða svipaða tækni í tæknilegum"
              " tilgangi og, með samþykki þínu, í öðrum tilgangi.",
    },
    "osano": {
        "en": "This website utilizes technologies such as cookies to enable essential site"
              " functionality, as well as for analytics, personalization, and targeted"
              " advertising.",
        "sv": "Den här webbplatsen använder tekniker som cookies för att möjliggöra"
              " grundläggande funktioner på webbplatsen.",
        "da": "Dette websted bruger teknologier som cookies til at muliggøre vigtig"
              " funktionalitet på webstedet.",
        "no": "Dette nettstedet bruker teknologier som informasjonskapsler for å aktivere viktig"
              " funksjonalitet på nettstedet.",
        "fi": "Tämä verkkosivusto käyttää evästeiden kaltaisia tekniikoita sivuston olennaisten"
              " toimintojen mahdollistamiseksi.",
        "is": "Þessi vefsíða notar tækni eins og vafrakökur til að virkja nauðsynlega virkni"
              " vefsíðunnar.",
    },
}

#: Stand-alone lines left behind by consent dialogs (their heading and buttons).
CONSENT_LINES = frozenset(
    {
        "cookies", "cookie", "cookie settings", "cookie policy", "cookieinställningar",
        "evästeet", "evästeasetukset", "informasjonskapsler", "vafrakökur", "kökur",
        "accept", "accept all", "acceptera", "acceptera alla", "godkänn", "hyväksy", "godta",
        "accepter", "samþykkja", "neka", "avvisa", "decline", "reject", "hylkää", "avvis",
        "afvis", "hafna", "ok", "details", "detaljer", "inställningar", "settings",
        "we value your privacy", "vi värdesätter din integritet", "vi værdsætter dit privatliv",
        "vi verdsetter personvernet ditt", "arvostamme yksityisyyttäsi",
        "við metum friðhelgi þína", "manage cookie consent", "privacy preference",
        "accept all cookies", "acceptera alla cookies", "accepter alle cookies",
        "godta alle informasjonskapsler", "hyväksy kaikki evästeet", "samþykkja allar vafrakökur",
        "reject all", "avvisa alla", "afvis alle", "avvis alle", "hylkää kaikki", "hafna öllu",
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
#: "Read more" in the six languages: an excerpt starting so is a teaser even alone.
READ_MORE = re.compile(r"^(läs mer|read more|lue lisää|les mer|læs mere|lesa meira|lestu meira)\b",
                       re.IGNORECASE)
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
#: A line that is only one of those words is an empty date line.
DATE_WORDS = frozenset(UPDATED_WORDS + PUBLISHED_WORDS)
#: Words before a date that make it neither (a project's end date).
IGNORED_DATE_WORDS = ("avslutat", "avslutad", "ended", "closed", "päättynyt", "päättyi",
                      "avsluttet", "afsluttet", "lokið", "deadline", "sista ansökningsdag")

#: JSON-LD types that are articles.
ARTICLE_TYPES = frozenset({"article", "newsarticle", "blogposting", "reportagenewsarticle",
                           "analysisnewsarticle", "scholarlyarticle", "report"})
