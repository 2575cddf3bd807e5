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
#: A "teaser" that links nowhere and has this much text is the article's lead, not a teaser.
LEAD_MIN_CHARS = 40
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

_COOKIE_WORD = r"(cookies?|kakor|informasjonskapsl\w*|eväste\w*|vafrakök\w*)"
_SITE_WORD = (r"((web)?site|webbplats(en)?|hemsida(n)?|sida(n)?|hjemmeside(n)?|websted(et)?"
              r"|side(n)?|nettsted(et)?|nettside(n)?|sivu|sivusto|verkkosivusto|vefsíða|vefsíðan"
              r"|vefur(inn)?)")

#: A paragraph matching one of these is consent text, in any markup (a bare <p> with links).
#: They are the phrases of the consent platforms' default texts in the six languages (see
#: ``CONSENT_PLATFORM_TEXTS``), written as patterns so that a platform's rewording still matches.
#: Every pattern carries an anchor that article prose about cookies, consent or data protection
#: does not: the site speaking of itself ("this website uses", "we use cookies", "we need your
#: consent before you can continue"), the reader addressed about cookies ("by clicking ... you
#: consent ... cookies"), or a button's wording ("accept marketing cookies"). The tests check a
#: set of article sentences that must not match.
CONSENT_TEXT = re.compile(
    "|".join(
        [
            # "This website uses cookies" / "This site utilizes technologies such as cookies"
            # (c15t, tarteaucitron, Osano, Jetpack, Cookiebot's heading and most banners)
            rf"\b(this|our|denna|den här|vår|denne|dette|vores|tämä|þessi) {_SITE_WORD}"
            rf" (uses|utili[sz]es|använder|bruger|anvender|benytter|bruker|käyttää|notar)"
            rf" ([^.]{{0,40}}? )?{_COOKIE_WORD}",
            # "We use / are using cookies ..." (Cookie Notice, Moove, Real Cookie Banner, ...)
            r"\bwe (use|are using) (third[- ]party )?cookies\b",
            r"\bvi använder (oss av )?(tredjeparts)?cookies\b",
            r"\bvi (bruger|anvender|benytter( os af)?) cookies\b",
            r"\bvi (bruker|benytter( oss av)?) (informasjonskapsler|cookies)\b",
            r"\bkäytämme (kolmannen osapuolen )?evästeitä",
            r"\b(við )?notum (vafrakökur|kökur)",
            # "We use device identifiers to personalise ..." (Cookiebot's Swedish text)
            r"\b(we use|vi använder) (device identifiers|enhetsidentifierare)\b",
            # "By clicking 'Accept all' you consent to our use of cookies" (CookieYes, OneTrust)
            rf"(by clicking|genom att klicka på|ved at klikke på|ved å klikke på|napsauttamalla"
            rf"|kun napsautat|með því að smella á)\W[^.]{{0,60}}(consent|agree|samtycker|godkänner"
            rf"|giver du samtykke|accepterer du|samtykker|godtar|hyväksyt|samþykkir)"
            rf"[^.]{{0,80}}{_COOKIE_WORD}",
            rf"{_COOKIE_WORD}[^.]{{0,40}}(to|till|til)?[^.]{{0,10}}"
            r"(you consent|samtycker du|giver du samtykke|samtykker du|hyväksyt|samþykkir þú)",
            # "By allowing these third party services, you accept their cookies" (tarteaucitron)
            rf"(by allowing|genom att tillåta|ved at tillade|ved å tillate|hyväksymällä)"
            rf" (these |dessa |disse )?(third[- ]party services|tjänster från tredje part"
            rf"|tredjeparts ?tjeneste\w*|kolmansien osapuolten palvelut)[^.]{{0,80}}{_COOKIE_WORD}",
            # "... technologies like cookies to store and/or access device information" (Complianz)
            rf"{_COOKIE_WORD}[^.]{{0,40}}(store and/or|lagra och/eller|gemme og/eller"
            r"|lagre og/eller|tallentamiseen ja/tai|geyma og/eða)",
            # IAB TCF purpose 1 as a dialog's line of its own (TCF consent platforms)
            r"^\W*(store and/or access information on a device"
            r"|lagra och/eller få åtkomst till information på en enhet"
            r"|lagre og/eller få tilgang til informasjon på en enhet)\W*$",
            # "We use technologies like cookies ..." (Complianz, Osano), first person only
            rf"\b(we|vi|við) (use|använder|bruger|bruker|notum) (technologies|tekniker|teknologier"
            rf"|tækni) (such as|like|som|eins og) {_COOKIE_WORD}",
            r"\bkäytämme (evästeiden kaltaisia tekniikoita|tekniikoita,? kuten evästeitä)",
            # "We need your consent before you can continue on our website." (Borlabs)
            r"(we need your consent|vi behöver ditt samtycke|vi har brug for dit samtykke"
            r"|vi trenger (ditt samtykke|samtykket ditt)|tarvitsemme suostumuksesi"
            r"|við þurfum samþykki þitt),? (before you can continue|innan du kan fortsätta"
            r"|før du kan fortsætte|før du kan fortsette|ennen kuin voit jatkaa"
            r"|áður en þú getur haldið áfram)",
            # "Could we please enable some additional services for ...?" (Klaro, English)
            r"\bcould we (please )?enable (some )?(additional )?services\b",
            # "We collect and process your personal data for the following purposes: ..."
            # (Klaro sv/da/no/fi): first person, the reader's data and a list after a colon
            r"\b(we collect and process|vi samlar och bearbetar|vi gemmer og behandler"
            r"|vi samler inn og prosesserer|keräämme ja käsittelemme) (your |din |dina |dine )?"
            r"(personal (data|information)|personliga data|personuppgifter|personlige oplysninger"
            r"|personlige informasjon|personopplysninger|henkilötietoja)[^.:]{0,30}"
            r"(purposes|syften|formål|årsaker|tarkoituksiin)\s*:",
            # "This site uses third-party website tracking technologies ..." (Usercentrics)
            r"\bthird[- ]party website tracking technolog",
            r"\bI agree and may (revoke|withdraw)",
            # "We and selected third parties use cookies ..." (iubenda)
            r"\b(we|vi|me|við) (and|och|og|ja) (selected|utvalda|udvalgte|utvalgte|valitut|valdir)"
            r" (third parties|tredje ?parter|kolmannet osapuolet|þriðju aðilar)",
            # the reader addressed, and buttons' wording
            r"\bgodkänner du (användningen av )?cookies",
            r"\byou consent to (our |the )?(use of )?cookies\b",
            r"\bacceptera (alla |marknadsförings-?|statistik-?)cookies",
            r"\baccept (marketing|statistics|all)[- ]cookies\b",
            r"\bhyväksy (kaikki |markkinointi-?|tilasto-?)evästeet",
            r"\bgodta (alle |markedsførings-?)(informasjonskapsler|cookies)",
            r"\baccepter (alle |marketing-?|statistik-?)cookies",
            r"\bsamþykkja (allar |markaðs)(vafrakökur|kökur)",
            # Cookiebot's placeholder for blocked embeds names it
            r"cookiebot",
        ]
    ),
    re.IGNORECASE,
)

#: Words one of which every pattern of ``CONSENT_TEXT`` requires (a test checks each pattern):
#: a line holding none of them, lower-cased, is no consent text, and the big pattern is not
#: tried on it (it cost 3.5 ms a page on the real pages, the hints 0.1 ms).
CONSENT_HINTS = (
    "cookie", "kakor", "informasjonskapsl", "eväste", "vafrakök", "kökur", "identifier",
    "and/or", "och/eller", "og/eller", "consent", "samtyck", "samtykk", "suostumu", "samþykk",
    "could we", "collect and process", "samlar och", "gemmer og", "samler inn", "keräämme",
    "website tracking technolog", "i agree and may", "third parties", "tredje",
    "kolmannet osapuolet", "þriðju aðilar",
)
# Letters that re.IGNORECASE matches to a hint's letter and str.lower() does not lower to it
# (dotted and dotless i, long s): a line with one is searched with the pattern itself.
_CASE_ODD = re.compile("[\u0130\u0131\u017f]")


def is_consent_text(line: str) -> bool:
    """``CONSENT_TEXT.search(line)``, answered at once for a line that holds none of its
    ``CONSENT_HINTS``."""
    if not _CASE_ODD.search(line):
        lowered = line.lower()
        if not any(hint in lowered for hint in CONSENT_HINTS):
            return False
    return CONSENT_TEXT.search(line) is not None

#: The default banner texts of the consent platforms, by platform and language, as the
#: platforms ship them (the tests check that ``CONSENT_TEXT`` recognises every one, and that
#: ordinary article sentences about cookies and consent are not recognised). Each platform names
#: the file its texts were taken from ("repo path@commit"). Only languages of the portal that a
#: platform really ships are listed; no entry is written from memory. An entry marked
#: "secondary" is a hosted platform whose texts live on its servers: it was taken from sites'
#: copies of the default text (their pages and templates), not from the platform's own source.
#: Placeholders in a default text ({purposes}) are filled with a purpose name.
CONSENT_PLATFORM_TEXTS: dict[str, dict[str, str]] = {
    # kiprotect/klaro src/translations/{en,sv,da,no,fi}.yml@db9f1ac, consentNotice.description
    # (no Icelandic file).
    "klaro": {
        "en": "Hi! Could we please enable some additional services for Analytics? You can always"
              " change or withdraw your consent later.",
        "sv": "Vi samlar och bearbetar din personliga data i följande syften: Analys.",
        "da": "Vi gemmer og behandler dine personlige oplysninger til følgende formål: Analyse.",
        "no": "Vi samler inn og prosesserer din personlige informasjon av følgende årsaker:"
              " Analyse.",
        "fi": "Keräämme ja käsittelemme henkilötietoja seuraaviin tarkoituksiin: Analytiikka.",
    },
    # AmauriC/tarteaucitron.js lang/tarteaucitron.{en,sv,da,no,fi}.js@76151fa, alertBigPrivacy
    # (the banner) and disclaimer (the services panel); no Icelandic file.
    "tarteaucitron": {
        "en": "This site uses cookies and gives you control over what you want to activate",
        "sv": "Denna webbplats använder cookies och ger dig kontroll över vad du vill aktivera",
        "da": "Dette websted bruger cookies og giver dig kontrol over, hvad du vil aktivere",
        "no": "Dette nettstedet bruker informasjonskapsler og gir deg kontroll over hva du vil"
              " aktivere",
        "fi": "Tämä sivusto käyttää evästeitä ja antaa sinun hallita niitä.",
    },
    "tarteaucitron-panel": {
        "en": "By allowing these third party services, you accept their cookies and the use of"
              " tracking technologies necessary for their proper functioning.",
        "sv": "Genom att tillåta dessa tjänster från tredje part accepterar du deras cookies och"
              " användningen av spårningsteknologier som är nödvändiga för att de ska fungera"
              " korrekt.",
        "da": "Ved at tillade disse tredjeparts tjenester accepterer du deres cookies og brugen af"
              " sporingsteknologier, der er nødvendige for, at de fungerer korrekt.",
        "no": "Ved å tillate disse tredjepartstjenestene godtar du informasjonskapslene deres og"
              " bruken av sporingsteknologier som er nødvendige for at de skal fungere korrekt.",
        "fi": "Hyväksymällä kolmansien osapuolten palvelut, hyväksyt toiminnan kannalta"
              " tarpeellisten evästeiden ja seurantateknologioiden käytön.",
    },
    # c15t/c15t packages/translations/src/translations/{en,sv,da,nb,fi,is}.ts@cfcbbf8,
    # cookieBanner.description ("no" is the Bokmål file nb.ts).
    "c15t": {
        "en": "This site uses cookies to improve your browsing experience, analyze site traffic,"
              " and show personalized content.",
        "sv": "Den här webbplatsen använder cookies för att förbättra din surfupplevelse,"
              " analysera webbplatstrafik och visa personligt anpassat innehåll.",
        "da": "Denne side bruger cookies til at forbedre din browsingoplevelse, analysere"
              " trafikken på siden og vise personligt tilpasset indhold.",
        "no": "Dette nettstedet bruker informasjonskapsler for å forbedre din nettopplevelse,"
              " analysere trafikk og vise personlig tilpasset innhold.",
        "fi": "Tämä sivusto käyttää evästeitä parantaakseen selauskokemustasi, analysoidakseen"
              " sivuston liikennettä ja näyttääkseen yksilöllistä sisältöä.",
        "is": "Þessi vefur notar vafrakökur til að bæta vafraupplifun þína, greina umferð á"
              " vefnum og sýna persónumiðað efni.",
    },
    # dfactoryplugins/cookie-notice cookie-notice.php@fa4bb1c (en, message_text) and
    # languages/cookie-notice-{sv_SE,fi}.po@0cdf850, cookie-notice-da_DK.po@78ae8e1.
    "cookie-notice": {
        "en": "We use cookies to ensure that we give you the best experience on our website. If"
              " you continue to use this site we will assume that you are happy with it.",
        "sv": "Vi använder cookies för att se till att vi ger dig den bästa upplevelsen på vår"
              " hemsida. Om du fortsätter att använda den här webbplatsen kommer vi att anta att"
              " du godkänner detta.",
        "da": "Vi anvender cookies for at sikre at vi giver dig den bedst mulige oplevelse af"
              " vores website. Hvis du fortsætter med at bruge dette site vil vi antage at du er"
              " indforstået med det.",
        "fi": "Käytämme evästeitä jotta voimme antaa sinulle parhaan kokemuksen sivuillamme. Jos"
              " jatkat tämän sivuston käyttöä, oletamme että hyväksyt ne.",
    },
    # Really-Simple-Plugins/complianz-gdpr cookiebanner/settings.php@87e4362 (en, message_optin).
    # sv secondary: the Swedish text as a live Complianz banner shows it (translate.wordpress.org
    # pack, not in the repository).
    "complianz": {
        "en": "To provide the best experiences, we use technologies like cookies to store and/or"
              " access device information. Consenting to these technologies will allow us to"
              " process data such as browsing behavior or unique IDs on this site.",
        "sv": "För att ge dig den bästa upplevelsen använder vi tekniker som cookies för att lagra"
              " och/eller få åtkomst till information på din enhet.",
    },
    # WordPressBugBounty/plugins-gdpr-cookie-compliance (GDPR Cookie Compliance by Moove)
    # gdpr-cookie-compliance/class-gdpr-modules.php@a505124, get_infobar_content().
    "moove-gdpr": {
        "en": "We are using cookies to give you the best experience on our website.",
    },
    # WordPressBugBounty/plugins-real-cookie-banner
    # real-cookie-banner/inc/view/customize/banner/Texts.php@e9cbeb4, description.
    "real-cookie-banner": {
        "en": "We use cookies and similar technologies on our website and process your personal"
              " data (e.g. IP address), for example, to personalize content and ads, to integrate"
              " media from third-party providers or to analyze traffic on our website.",
    },
    # Borlabs Cookie 2.x as vendored in wp-stars/juniper-base web/app/plugins/borlabs-cookie,
    # default cookieBoxTextDescription (the plugin ships de/es/fr/it/nl/pl .po only).
    "borlabs": {
        "en": "We need your consent before you can continue on our website.",
    },
    # Automattic/jetpack projects/plugins/jetpack/modules/widgets/eu-cookie-law.php, default-text.
    "jetpack-eu-cookie-law": {
        "en": "Privacy & Cookies: This site uses cookies. By continuing to use this website, you"
              " agree to their use.",
    },
    # osano/cookieconsent src/options/popup.js@af675e9, message (the open-source library).
    "osano-cookieconsent": {
        "en": "This website uses cookies to ensure you get the best experience on our website.",
    },
    # Secondary: Osano's hosted CMP (osano-cm-message), as captured on sites using it.
    "osano": {
        "en": "This website utilizes technologies such as cookies to enable essential site"
              " functionality, as well as for analytics, personalization, and targeted"
              " advertising.",
    },
    # Secondary: Cookiebot's default dialog text as sites copy it (en, da, sv, fi); no source
    # file is public. Its Swedish text says "device identifiers", not cookies.
    "cookiebot": {
        "en": "We use cookies to personalise content and ads, to provide social media features"
              " and to analyse our traffic.",
        "sv": "Vi använder enhetsidentifierare för att anpassa innehållet och annonserna till"
              " användarna, tillhandahålla funktioner för sociala medier och analysera vår"
              " trafik.",
        "da": "Vi bruger cookies til at tilpasse vores indhold og annoncer, til at vise dig"
              " funktioner til sociale medier og til at analysere vores trafik.",
        "fi": "Käytämme evästeitä tarjoamamme sisällön ja mainosten räätälöimiseen, sosiaalisen"
              " median ominaisuuksien tukemiseen ja kävijämäärämme analysoimiseen.",
    },
    # Secondary: CookieYes' default banner text as sites copy it.
    "cookieyes": {
        "en": "We use cookies to enhance your browsing experience, serve personalized ads or"
              ' content, and analyze our traffic. By clicking "Accept All", you consent to our'
              " use of cookies.",
    },
    # Secondary: OneTrust's default banner text as captured on sites using it.
    "onetrust": {
        "en": "By clicking “Accept All Cookies”, you agree to the storing of cookies on your"
              " device to enhance site navigation, analyze site usage, and assist in our"
              " marketing efforts.",
    },
    # Secondary: Usercentrics' default first-layer text as captured on sites using it.
    "usercentrics": {
        "en": "This site uses third-party website tracking technologies to provide and"
              " continually improve our services, and to display advertisements according to"
              " users' interests. I agree and may revoke or change my consent at any time with"
              " effect for the future.",
    },
    # Secondary: iubenda's default banner text as sites copy it.
    "iubenda": {
        "en": "We and selected third parties use cookies or similar technologies for technical"
              " purposes and, with your consent, for other purposes as specified in the cookie"
              " policy.",
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

#: A share button's address (a link that posts the page elsewhere, never a source it cites):
#: Facebook's sharer, X/Twitter's intent, LinkedIn's shareArticle, AddToAny, Pinterest ...
SHARE_URL = re.compile(
    r"facebook\.com/(sharer|share\.php|dialog/share)|twitter\.com/(intent|share)|x\.com/intent"
    r"|linkedin\.com/(sharing|shareArticle|cws/share)|addtoany\.com/(share|add_to)"
    r"|pinterest\.\w+/pin/create|reddit\.com/submit|wa\.me/\?|api\.whatsapp\.com/send"
    r"|t\.me/share|mastodon\.\w+/share|bsky\.app/intent", re.IGNORECASE)
