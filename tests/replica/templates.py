"""HTML templates of the replica: the portal's Swedish and English templates and four generic
layouts (WordPress, Elementor, Divi-style page builder, plain news), with the chrome placements
measured to leak through trafilatura (MEASUREMENTS.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape

from tests.replica.content import Story

SITE_TITLE = {"sv": "Nordiskt samarbete om integration och inkludering",
              "en": "Nordic co-operation on integration and inclusion"}
BANNER = {
    "sv": "Vi använder tredjepartscookies för vår hemsida i syfte att analysera och förbättra "
          "upplevelsen på hemsidan. Genom att använda vår webbplats godkänner du användningen av "
          "cookies på det sätt som beskrivits.",
    "en": "We use cookies for our website in order to analyse and improve the experience on the "
          "website. By using our website you accept the use of cookies as described.",
    "fi": "Käytämme evästeitä sivustollamme analysoidaksemme ja parantaaksemme käyttökokemusta.",
    "no": "Vi bruker informasjonskapsler på nettstedet vårt for å analysere og forbedre "
          "opplevelsen.",
    "da": "Vi bruger cookies på vores hjemmeside for at analysere og forbedre oplevelsen.",
    "is": "Við notum vafrakökur á vefnum okkar til að greina og bæta upplifunina.",
}
VIDEO_PLACEHOLDER = {
    "sv": "Vänligen acceptera marknadsförings-cookies för att se den här videon.",
    "en": "Please accept marketing-cookies to watch this video.",
}
SHARE_LABEL = {"sv": "Dela:", "en": "Share:"}
FOLLOW = {"sv": "Följ oss på sociala medier:", "en": "Follow us on social media:"}
RELATED = {"sv": "Relaterat innehåll", "en": "Related content"}
HOME = {"sv": ("Hem", "Nyheter"), "en": ("Home", "News")}
MENU = {"sv": ["Nyheter", "Teman", "Publikationer", "Om oss", "Webbinarier", "Kontakt"],
        "en": ["News", "Themes", "Publications", "About us", "Webinars", "Contact"]}


@dataclass
class Teaser:
    title: str
    href: str
    date_text: str
    excerpt: str


@dataclass
class Chrome:
    """Which chrome a page carries and where."""

    consent: str = "banner-top"
    video_placeholder: bool = False
    share: str = "portal-bar"
    tags_markup: str = "links"
    breadcrumbs: str | None = "nav"
    teasers: str = "marked"
    padding: bool = False
    og_article: bool = False
    meta_dates: bool = False
    json_ld: bool = False


@dataclass
class PageLinks:
    """Links that make the replica a site: menu, teasers, translations."""

    base: str = "/integration-norden/"
    teasers: list[Teaser] = field(default_factory=list)
    translations: dict[str, str] = field(default_factory=dict)
    tag_hrefs: dict[str, str] = field(default_factory=dict)


def _consent_block(kind: str, lang: str) -> str:
    text = escape(BANNER.get(lang, BANNER["sv"]))
    blocks = {
        "banner-top": f'<div class="cookie-banner"><h2>Cookies</h2><p>{text}</p>'
                      f'<button>OK</button></div>',
        "cookiebot-start": f'<div id="CybotCookiebotDialog" class="CybotEdge" role="region">'
                           f'<h2 id="CybotCookiebotDialogBodyContentTitle">Cookies</h2>'
                           f'<div id="CybotCookiebotDialogBodyContentText">{text}</div>'
                           f'<a href="#" id="CybotCookiebotDialogBodyButtonAccept">OK</a></div>',
        "cn-middle": f'<div id="cn" class="cookie-notice"><span id="cn-notice-text">{text}</span>'
                     f'<a href="#" id="cn-accept-cookie">OK</a></div>',
        "gdpr-start": f'<div class="gdpr-notice"><p>{text}</p><a href="#">OK</a></div>',
        "site-notice-middle": f'<div class="site-notice"><p>{text}</p></div>',
        "notice-area-middle": f'<section class="notice-area"><p>{text}</p></section>',
        "bare-p-middle": f'<p>{text} <a href="/integration-norden/om-oss/cookies/">Läs mer</a> '
                         f'<a href="#">OK</a></p>',
        "onetrust": f'<div id="onetrust-banner-sdk"><div id="onetrust-policy-text">{text}</div>'
                    f'</div>',
        "cookieyes": f'<div class="cky-consent-container"><div class="cky-notice-des">'
                     f'<p>{text}</p></div></div>',
        "complianz": f'<div class="cmplz-cookiebanner"><div class="cmplz-message">'
                     f'<p>{text}</p></div></div>',
        "osano": f'<div class="osano-cm-window"><div class="osano-cm-dialog">'
                 f'<p>{text}</p></div></div>',
    }
    return blocks[kind]


def _share_block(kind: str, lang: str) -> str:
    links = "".join(f'<a href="#">{name}</a>'
                    for name in ("Facebook", "Twitter", "LinkedIn", "Email", "Print"))
    label = SHARE_LABEL["en" if lang == "en" else "sv"]
    return {
        "portal-bar": f'<div class="share-links">{links}</div>',
        "in-content-label": f'<div class="addtoany_share_save_container addtoany_content">'
                            f'<div class="addtoany_header">{label}</div>{links}</div>',
        "bare-links": f"<p>{links}</p>",
    }[kind]


def _follow_block(lang: str) -> str:
    follow = FOLLOW["en" if lang == "en" else "sv"]
    return (f'<div class="footer-social"><p>{follow}</p><a href="https://facebook.example/">'
            f'Facebook</a> <a href="https://x.example/">X</a> '
            f'<a href="https://linkedin.example/">LinkedIn</a></div>')


def _teasers(kind: str, lang: str, teasers: list[Teaser]) -> str:
    if not teasers:
        return ""
    heading = RELATED["en" if lang == "en" else "sv"]
    items = "".join(
        f'<div class="item"><h3><a href="{escape(t.href)}">{escape(t.title)}</a></h3>'
        f"<p>{escape(t.date_text)}</p><p>{escape(t.excerpt)} [...]</p></div>"
        for t in teasers
    )
    if kind == "marked":
        return f'<section class="related-content"><h2>{heading}</h2>{items}</section>'
    return f'<div class="c-list"><h2>{heading}</h2>{items}</div>'


def _padding(base: str) -> tuple[str, str, str]:
    """~70 KB of what real WordPress pages carry: CSS, JSON, a mega-menu."""
    css = "\n".join(f".wp-block-{i} .x{i}{{margin:{i % 7}px;padding:{i % 5}px;color:#{i:06x}}}"
                    for i in range(600))
    blob = json.dumps({"settings": [{"id": i, "label": f"setting {i}", "enabled": i % 2 == 0}
                                    for i in range(500)]})
    menu = "".join(f'<li class="menu-item"><a href="{base}teman/">Ämne {i}</a></li>'
                   for i in range(150))
    return (f"<style>{css}</style>", f'<script type="application/json">{blob}</script>',
            f'<nav class="mega-menu"><ul>{menu}</ul></nav>')


def _body_html(story: Story, chrome: Chrome, lang: str) -> str:
    parts = []
    for paragraph in story.paragraphs:
        if len(paragraph) < 40 and not paragraph.endswith("."):
            parts.append(f"<h2>{escape(paragraph)}</h2>")
        else:
            parts.append(f"<p>{escape(paragraph)}</p>")
    if chrome.consent.endswith("-start") or chrome.consent in ("onetrust", "cookieyes",
                                                               "complianz", "osano"):
        parts.insert(0, _consent_block(chrome.consent, lang))
    elif chrome.consent.endswith("-middle"):
        parts.insert(1, _consent_block(chrome.consent, lang))
    if chrome.video_placeholder:
        parts.insert(2, f'<div class="cookieconsent-optout-marketing"><p>'
                        f'{VIDEO_PLACEHOLDER["en" if lang == "en" else "sv"]}</p></div>')
    if chrome.share == "in-content-label":
        parts.append(_share_block("in-content-label", lang))
    return "\n".join(parts)


def _head(story: Story, chrome: Chrome, url: str, title_suffix: str, links: PageLinks,
          html_lang: str) -> str:
    head = [f'<meta charset="utf-8"><title>{escape(story.title)} - {title_suffix}</title>',
            f'<link rel="canonical" href="{escape(url)}">',
            f'<meta property="og:title" content="{escape(story.title)}">',
            f'<meta property="og:site_name" content="{escape(title_suffix)}">',
            f'<meta property="og:type" content="{"article" if chrome.og_article else "website"}">']
    for lang, href in links.translations.items():
        head.append(f'<link rel="alternate" hreflang="{lang}" href="{escape(href)}">')
    if chrome.meta_dates and story.published:
        head.append(f'<meta property="article:published_time" '
                    f'content="{story.published.isoformat()}T08:00:00+00:00">')
        if story.modified:
            head.append(f'<meta property="article:modified_time" '
                        f'content="{story.modified.isoformat()}T09:30:00+00:00">')
    if chrome.json_ld:
        data = {"@context": "https://schema.org", "@graph": [
            {"@type": "WebPage", "name": story.title},
            {"@type": "NewsArticle", "headline": story.title, "inLanguage": html_lang,
             **({"datePublished": story.published.isoformat() + "T08:00:00+02:00"}
                if story.published else {}),
             **({"dateModified": story.modified.isoformat() + "T10:00:00+02:00"}
                if story.modified else {})}]}
        head.append(f'<script type="application/ld+json">{json.dumps(data)}</script>')
    return "\n".join(head)


def portal_page(story: Story, url: str, chrome: Chrome, links: PageLinks | None = None) -> str:
    """An article page in the portal's template: English for English stories, Swedish for all
    others (the portal serves fi/no/da/is texts inside the Swedish template)."""
    links = links or PageLinks()
    tlang = "en" if story.lang == "en" else "sv"
    base = links.base + ("en/" if tlang == "en" else "")
    css, blob, mega = _padding(links.base) if chrome.padding else ("", "", "")
    menu = "".join(f'<li><a href="{base}{word}/">{label}</a></li>' for word, label in
                   zip(("nyheter", "teman", "publikationer", "om-oss", "om-oss/webbinarier",
                        "om-oss/kontakt"), MENU[tlang], strict=True))
    home, news = HOME[tlang]
    crumbs = {
        "nav": f'<nav class="breadcrumbs"><a href="{base}">{home}</a> / '
               f'<a href="{base}nyheter/">{news}</a> / {escape(story.title)}</nav>',
        "bare": f'<p><a href="{base}">{home}</a> / <a href="{base}nyheter/">{news}</a> / '
                f"{escape(story.title)}</p>",
        None: "",
    }[chrome.breadcrumbs]
    if chrome.tags_markup == "links":
        tag_html = ", ".join(
            f'<a href="{escape(links.tag_hrefs.get(t, base + "teman/"))}">{escape(t)}</a>'
            for t in story.tags)
        tags = f'<p class="categories">{tag_html}</p>' if story.tags else ""
    else:
        tags = f"<p>{escape(', '.join(story.tags))}</p>" if story.tags else ""
    date_line = f"<p>{escape(story.date_text)}</p>" if story.date_text else ""
    ended = ""
    if story.ended:
        ended = f"<p>Avslutat {story.ended.day} jun {story.ended.year}</p>"
    updated = f"<p><em>{escape(story.modified_text)}</em></p>" if story.modified_text else ""
    banner = _consent_block("banner-top", tlang) if chrome.consent == "banner-top" else ""
    share_bar = "" if chrome.share == "in-content-label" else _share_block(chrome.share, tlang)
    return f"""<!DOCTYPE html>
<html lang="{"en-GB" if tlang == "en" else "sv-SE"}">
<head>
{_head(story, chrome, url, SITE_TITLE[tlang], links, tlang)}
{css}
</head>
<body class="post-template-default single">
{banner}
<header class="site-header">
<a class="logo" href="/">Nordens välfärdscenter</a>
<p class="site-title"><a href="{base}">{SITE_TITLE[tlang]}</a></p>
<nav class="main-menu"><ul>{menu}</ul></nav>
{mega}
</header>
<main id="content">
<article class="post">
{crumbs}
<h1>{escape(story.title)}</h1>
{tags}
{date_line}
{ended}
<div class="entry-content">
{_body_html(story, chrome, story.lang)}
{updated}
</div>
{share_bar}
</article>
{_teasers(chrome.teasers, tlang, links.teasers)}
</main>
<footer class="site-footer">{_follow_block(tlang)}<p>Nordens välfärdscenter</p></footer>
{blob}
</body>
</html>
"""


def wordpress_page(story: Story, url: str, chrome: Chrome, links: PageLinks | None = None) -> str:
    """A generic WordPress theme: entry-header with <time>, rel=category tag links, sidebar
    with dated recent posts, JSON-LD."""
    links = links or PageLinks()
    cats = ", ".join(f'<a href="/category/{i}/" rel="category tag">{escape(t)}</a>'
                     for i, t in enumerate(story.tags))
    pub = story.published.isoformat() if story.published else ""
    recent = "".join(f'<li><a href="{escape(t.href)}">{escape(t.title)}</a> '
                     f'<span class="post-date">{escape(t.date_text)}</span></li>'
                     for t in links.teasers)
    return f"""<!DOCTYPE html><html lang="{story.lang}"><head>
{_head(story, chrome, url, "Integration News", links, story.lang)}
</head><body class="single">
{_consent_block(chrome.consent, "en")}
<div id="page" class="site">
<header id="masthead" class="site-header"><p class="site-title">Integration News</p>
<nav id="site-navigation" class="main-navigation"><a href="/">Home</a></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area">
<main id="main" class="site-main">
<article class="post type-post">
<header class="entry-header"><h1 class="entry-title">{escape(story.title)}</h1>
<div class="entry-meta"><span class="posted-on"><time class="entry-date published"
 datetime="{pub}T09:00:00+01:00">{escape(story.date_text or "")}</time></span>
<span class="cat-links">{cats}</span></div></header>
<div class="entry-content">
{_body_html(story, chrome, story.lang)}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3>
<ul><li><a href="#">Twitter</a></li><li><a href="#">Facebook</a></li></ul></div>
</div>
</article>
<nav class="navigation post-navigation"><a href="/prev/">Previous post</a></nav>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget">
<h2 class="widget-title">Recent Posts</h2><ul>{recent}</ul></section></aside>
</div>
<footer id="colophon" class="site-footer">{_follow_block("en")}</footer></div>
</body></html>
"""


def elementor_page(story: Story, url: str, chrome: Chrome, links: PageLinks | None = None) -> str:
    """An Elementor layout: everything in widgets, post-info widget with date and terms."""
    links = links or PageLinks()
    terms = "".join(f'<a href="/tag/{i}/">{escape(t)}</a>' for i, t in enumerate(story.tags))
    return f"""<!DOCTYPE html><html lang="{story.lang}"><head>
{_head(story, chrome, url, "Integration Today", links, story.lang)}</head><body>
<div data-elementor-type="header" class="elementor elementor-location-header">
<div class="elementor-widget elementor-widget-nav-menu"><nav class="elementor-nav-menu--main">
<a href="/">Home</a></nav></div></div>
<div data-elementor-type="single-post" class="elementor elementor-42">
<section class="elementor-section"><div class="elementor-container">
<div class="elementor-widget elementor-widget-theme-post-title">
<h1 class="elementor-heading-title">{escape(story.title)}</h1></div>
<div class="elementor-widget elementor-widget-post-info"><ul class="elementor-inline-items">
<li class="elementor-icon-list-item"><span class="elementor-post-info__item--type-date">
{escape(story.date_text or "")}</span></li>
<li class="elementor-icon-list-item"><span class="elementor-post-info__terms-list">{terms}
</span></li></ul></div>
<div class="elementor-widget elementor-widget-theme-post-content">
<div class="elementor-widget-container">{_body_html(story, chrome, story.lang)}</div></div>
<div class="elementor-widget elementor-widget-share-buttons"><div class="elementor-share-btn">
Facebook</div><div class="elementor-share-btn">LinkedIn</div></div>
</div></section></div>
</body></html>
"""


def divi_page(story: Story, url: str, chrome: Chrome, links: PageLinks | None = None) -> str:
    """A Divi-style page builder: no <article>, no <main>; the site title and the cookie notice
    sit in text modules next to the article's own."""
    links = links or PageLinks()
    tlang = "en" if story.lang == "en" else "sv"
    return f"""<!DOCTYPE html><html lang="{story.lang}"><head>
{_head(story, chrome, url, SITE_TITLE[tlang], links, story.lang)}</head><body class="et_divi_theme">
<div id="page-container"><div id="et-main-area">
<div class="et_pb_section et_pb_section_0"><div class="et_pb_row">
<div class="et_pb_module et_pb_text et_pb_text_0"><div class="et_pb_text_inner">
<p>{SITE_TITLE[tlang]}</p></div></div></div></div>
<div class="et_pb_section et_pb_section_1"><div class="et_pb_row">
<div class="et_pb_module et_pb_text et_pb_text_1"><div class="et_pb_text_inner">
<p>{escape(BANNER[tlang])}</p>
<h1>{escape(story.title)}</h1>
<p>{escape(', '.join(story.tags))}</p>
<p>{escape(story.date_text or "")}</p>
{_body_html(story, chrome, story.lang)}
{f"<p>{escape(story.modified_text)}</p>" if story.modified_text else ""}
</div></div></div></div>
</div></div></body></html>
"""


def plain_news_page(story: Story, url: str, chrome: Chrome, links: PageLinks | None = None
                    ) -> str:
    """A hand-written news site: no CMS classes, byline lines, tags as a list."""
    links = links or PageLinks()
    updated = f'<p class="byline">{escape(story.modified_text)}</p>' if story.modified_text else ""
    tags = "".join(f'<li><a href="/tags/{i}" rel="tag">{escape(t)}</a></li>'
                   for i, t in enumerate(story.tags))
    return f"""<html><head>{_head(story, chrome, url, "Nordic Newsroom", links, story.lang)}
</head><body>
<div id="top"><a href="/">Nordic Newsroom</a> | <a href="/archive/">Archive</a></div>
<div class="story">
<h1>{escape(story.title)}</h1>
<p class="byline">Published {escape(story.date_text or "")}</p>
{updated}
{_body_html(story, chrome, story.lang)}
<ul class="story-tags">{tags}</ul>
</div>
<div id="bottom">{_share_block("bare-links", "en")}<p>© Nordic Newsroom</p></div>
</body></html>
"""


LAYOUTS = {
    "portal": portal_page,
    "wordpress": wordpress_page,
    "elementor": elementor_page,
    "divi": divi_page,
    "plain": plain_news_page,
}


def listing_page(title: str, items: list[Teaser], lang: str, base: str,
                 next_href: str | None = None, intro: str = "") -> str:
    """A news listing, theme or about page: crawled for links, never archived."""
    tlang = "en" if lang == "en" else "sv"
    cards = "".join(
        f'<article class="news-item"><h2><a href="{escape(t.href)}">{escape(t.title)}</a></h2>'
        f"<p>{escape(t.date_text)}</p><p>{escape(t.excerpt)} [...]</p></article>"
        for t in items)
    pager = f'<nav class="pagination"><a rel="next" href="{escape(next_href)}">Nästa</a></nav>' \
        if next_href else ""
    intro_html = f"<p>{escape(intro)}</p>" if intro else ""
    return f"""<!DOCTYPE html><html lang="{"en-GB" if tlang == "en" else "sv-SE"}"><head>
<meta charset="utf-8"><title>{escape(title)} - {SITE_TITLE[tlang]}</title>
<meta property="og:type" content="website"></head><body>
{_consent_block("banner-top", tlang)}
<header class="site-header"><p class="site-title"><a href="{base}">{SITE_TITLE[tlang]}</a></p>
</header>
<main id="content"><h1>{escape(title)}</h1>{intro_html}
<div class="news-list">{cards}</div>{pager}</main>
<footer class="site-footer">{_follow_block(tlang)}</footer>
</body></html>
"""


def not_found_page(base: str) -> str:
    """A WordPress theme's 404 template, served with status 200 (a soft 404): the site chrome,
    a "page not found" heading, a search form and a few links."""
    return f"""<!DOCTYPE html><html lang="sv-SE"><head>
<meta charset="utf-8"><title>Sidan hittades inte - {SITE_TITLE["sv"]}</title></head>
<body class="error404 wp-theme-nordic">
{_consent_block("banner-top", "sv")}
<header class="site-header"><p class="site-title"><a href="{base}">{SITE_TITLE["sv"]}</a></p>
</header>
<main id="content"><h1>Sidan kunde inte hittas</h1>
<p>Det verkar som om ingenting hittades här. Prova att söka eller gå till startsidan.</p>
<form role="search" action="{base}"><input type="search" name="s"></form>
<p><a href="{base}nyheter/">Nyheter</a></p></main>
<footer class="site-footer">{_follow_block("sv")}</footer>
</body></html>
"""
