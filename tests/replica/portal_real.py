"""The portal's real pages, served: the 23 real texts of ``shared/portal-real/pages.json``
(read at run time, never copied here) rendered in a choice of markups, with the portal's real
chrome (site-name line, cookie banner first or last, share and follow lines, theme labels,
"SORT CONTENT:" teaser cards) and its real listing layout (category, date, linked title,
excerpt ending "[...]"), plus news listings with pagination, tag pages, a publication listing
and sitemaps (Yoast's names: posts, pages, tags).

The portal's HTML is unknown, so there is more than one guess: ``classic`` is a classic
WordPress theme (``article``/``header``/``h1``/``.entry-meta``/``.entry-content``);
``builder`` is a page builder's div soup (Elementor-like widgets, the date in a post-info list
under the title, the tags as links after the body, the listing's titles links in a div);
``blocks`` is a WordPress block theme (Gutenberg template parts, ``wp-block-post-*`` blocks,
the date a ``<time>`` under the tags, a consent plugin's banner in divs after the footer, the
listings a query loop whose date comes after the linked title).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from tests.helpers.shared_files import shared_dir
from tests.replica.site import Page

PREFIX = "/integration-norden/"
MARKUPS = ("classic", "builder", "blocks")
#: Teasers per page of a news listing: small, so that the replica paginates.
LISTING_PAGE_SIZE = 3
SORT = {"sv": "SORTERA INNEHÅLL:", "en": "SORT CONTENT:"}
FOLLOW = {"sv": "Följ oss på sociala medier:", "en": "Follow us on social media:"}
RESEARCH = {"sv": "Forskning på temat", "en": "Research on the theme"}
SHARE_WORDS = {"X": ("Facebook", "X", "LinkedIn", "Email", "Print"),
               "Twitter": ("Facebook", "Twitter", "LinkedIn", "Email", "Print")}
SITE_NAME = {"sv": "Nordiskt samarbete om integration och inkludering",
             "en": "Nordic co-operation on integration and inclusion"}
MONTHS = {"sv": ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov",
                 "dec"),
          "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                 "Dec")}
NEWS_SECTIONS = ("nyheter", "fakta", "exempel", "publikationer")


def pages_file() -> Path:
    return shared_dir() / "portal-real" / "pages.json"


def load_pages() -> list[dict]:
    """The real pages (``url``, ``path``, ``language``, ``clean`` ...), as the corpus has them."""
    return json.loads(pages_file().read_text(encoding="utf-8"))


def template_lang(path: str) -> str:
    """The template's language follows the path: ``/en/`` English, everything else Swedish."""
    return "en" if path.startswith(PREFIX + "en/") else "sv"


def is_dated(page: dict) -> bool:
    return bool(page["clean"].get("date")) and page.get("date_iso") is not None


def is_listing(page: dict) -> bool:
    return "listing" in page["clean"]


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def excerpt(page: dict, size: int = 140) -> str:
    """The portal's excerpt: the first ~140 characters of the body, then " [...]"."""
    text = " ".join(line for block in page["clean"]["blocks"]
                    for line in block.get("lines", []) if block["kind"] == "p")
    return text[:size].rstrip() + " [...]"


def banner_texts(pages: list[dict]) -> dict[str, str]:
    """The cookie banner's sentences, Swedish and English, as the captures show them."""
    found: dict[str, str] = {}
    for page in pages:
        for line in page["text"].splitlines():
            line = line.strip()
            if line.startswith("Vi använder tredjepartscookies") and line.endswith("."):
                found.setdefault("sv", line)
            elif line.startswith("We use cookies for our website") and line.endswith("."):
                found.setdefault("en", line)
    return found


@dataclass
class Teaser:
    category: str
    date: str
    title: str
    href: str
    snippet: str


def print_date(iso: str, lang: str) -> str:
    """``21 mar 2017`` on Swedish paths, ``31 Oct 2018`` under ``/en/``, as the portal prints."""
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{day} {MONTHS[lang][month - 1]} {year}"


@dataclass
class PortalRealSite:
    """The real pages in one markup, as a site the replica's server can serve."""

    markup: str = "classic"
    real: list[dict] = field(default_factory=load_pages)
    base: str = "http://127.0.0.1"
    pages: dict[str, Page] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base + path

    # -- the site's structure -----------------------------------------------------------------
    def by_path(self) -> dict[str, dict]:
        return {p["path"]: p for p in self.real}

    def dated(self) -> list[dict]:
        return sorted((p for p in self.real if is_dated(p)), key=lambda p: p["date_iso"],
                      reverse=True)

    def teaser(self, page: dict) -> Teaser:
        lang = template_lang(page["path"])
        tags = page["clean"]["tags"]
        return Teaser(tags[0] if tags else "", print_date(page["date_iso"], lang),
                      page["clean"]["title"], self.url(page["path"]), excerpt(page))

    def tag_path(self, tag: str, lang: str) -> str:
        return f"{PREFIX}{'en/' if lang == 'en' else ''}tag/{slugify(tag)}/"

    def listing_paths(self) -> list[str]:
        """Every listing, pagination and tag page the site serves."""
        return [path for path, page in self.pages.items()
                if page.content_type.startswith("text/html") and path not in self.by_path()]

    # -- rendering ----------------------------------------------------------------------------
    def render(self) -> None:
        pages: dict[str, Page] = {}
        banners = banner_texts(self.real)
        for page in self.real:
            if is_listing(page):
                continue
            pages[page["path"]] = Page(self.article(page, banners).encode())
        self._listings(pages, banners)
        self._discovery(pages)
        self.pages = pages

    def article(self, page: dict, banners: dict[str, str]) -> str:
        clean = page["clean"]
        lang = template_lang(page["path"])
        research = [self.teaser(p) for p in self.dated()[:4]] if clean.get("research") else []
        parts = {
            "site_name": clean.get("site_name") or SITE_NAME[lang],
            "label": clean.get("label"),
            "title": clean.get("title"),
            "tags": [(t, self.url(self.tag_path(t, lang))) for t in clean["tags"]],
            "date": clean.get("date"),
            "body": clean["blocks"],
            "share": clean.get("share") or ("X" if lang == "en" else "Twitter"),
            "follow": FOLLOW[lang],
            "pub_box": clean.get("pub_box"),
            "research": research,
            "lang": lang,
            "html_lang": "en-GB" if lang == "en" else "sv-SE",
        }
        parts["date_iso"] = page.get("date_iso")
        banner = _banner(lang, banners, self.markup) if page.get("has_cookie_banner") else ""
        head = _head(clean.get("title") or parts["site_name"], parts["site_name"])
        inner = _ARTICLES[self.markup](parts, self.base)
        first, last = (banner, "") if not clean.get("cookie_at_end") else ("", banner)
        return (f'<!DOCTYPE html><html lang="{parts["html_lang"]}"><head>{head}</head>'
                f'<body class="{_body_class(self.markup)}">{first}{inner}{last}</body></html>')

    def listing(self, title: str, teasers: list[Teaser], lang: str, banners: dict[str, str],
                *, next_path: str | None = None, banner_last: bool = False) -> str:
        banner = _banner(lang, banners, self.markup)
        render = _LISTINGS[self.markup]
        pager = (f'<nav class="navigation pagination"><a class="next page-numbers" '
                 f'href="{escape(self.url(next_path))}">'
                 f'{"Next" if lang == "en" else "Nästa"}</a></nav>' if next_path else "")
        inner = render(title, teasers, lang, self.base, pager)
        first, last = ("", banner) if banner_last else (banner, "")
        return (f'<!DOCTYPE html><html lang="{"en-GB" if lang == "en" else "sv-SE"}"><head>'
                f'{_head(title, SITE_NAME[lang])}</head><body class="archive '
                f'{_body_class(self.markup)}">{first}{inner}{last}</body></html>')

    def _listings(self, pages: dict[str, Page], banners: dict[str, str]) -> None:
        dated = self.dated()
        # The news listings (nyheter/, en/nyheter/) and the publication listing, paginated.
        for lang, root in (("sv", f"{PREFIX}nyheter/"), ("en", f"{PREFIX}en/nyheter/"),
                           ("en", f"{PREFIX}en/publikationer/")):
            items = [p for p in dated if template_lang(p["path"]) == lang and (
                ("publikationer" in root) == (p["kind"] == "publication"))]
            chunks = [items[i:i + LISTING_PAGE_SIZE]
                      for i in range(0, len(items), LISTING_PAGE_SIZE)] or [[]]
            title = {"nyheter": {"sv": "Nyheter", "en": "News"},
                     "publikationer": {"sv": "Publikationer", "en": "Publications"}}[
                root.rstrip("/").rsplit("/", 1)[-1]][lang]
            for n, chunk in enumerate(chunks, 1):
                path = root if n == 1 else f"{root}page/{n}/"
                nxt = f"{root}page/{n + 1}/" if n < len(chunks) else None
                pages[path] = Page(self.listing(title, [self.teaser(p) for p in chunk], lang,
                                                banners, next_path=nxt).encode())
        # Tag pages: every dated page under each of its tags.
        tags: dict[tuple[str, str], list[dict]] = {}
        for page in dated:
            lang = template_lang(page["path"])
            for tag in page["clean"]["tags"]:
                tags.setdefault((tag, lang), []).append(page)
        for (tag, lang), items in tags.items():
            pages[self.tag_path(tag, lang)] = Page(self.listing(
                tag, [self.teaser(p) for p in items], lang, banners).encode())
        # The real /en/teman/ listing: its own heading and teasers, linked to the theme pages
        # the corpus holds (by title), else to the theme listing itself.
        by_title = {(p["clean"].get("title") or "").lower(): p for p in self.real}
        for page in self.real:
            if not is_listing(page):
                continue
            listing = page["clean"]["listing"]
            teasers = []
            for item in listing["teasers"]:
                target = by_title.get(item["title"].lower())
                href = self.url(target["path"] if target else page["path"])
                teasers.append(Teaser(item.get("category", ""), item["date"], item["title"],
                                      href, item["snippet"]))
            pages[page["path"]] = Page(self.listing(
                listing["h1"], teasers, template_lang(page["path"]), banners,
                banner_last=bool(page["clean"].get("cookie_at_end"))).encode())
        # The home page links every section and every undated page (themes, events, about).
        links = [f'<li><a href="{escape(self.url(p))}">{escape(p.strip("/").rsplit("/", 1)[-1])}'
                 f"</a></li>" for p in (f"{PREFIX}nyheter/", f"{PREFIX}en/nyheter/",
                                        f"{PREFIX}en/publikationer/")]
        links += [f'<li><a href="{escape(self.url(p["path"]))}">'
                  f'{escape(p["clean"].get("title") or p["path"])}</a></li>'
                  for p in self.real if not is_dated(p)]
        pages[PREFIX] = Page(
            f'<!DOCTYPE html><html lang="sv-SE"><head>{_head(SITE_NAME["sv"], SITE_NAME["sv"])}'
            f'</head><body class="home">{_banner("sv", banners)}<header class="site-header">'
            f'<p class="site-title">{SITE_NAME["sv"]}</p></header><main><h1>{SITE_NAME["sv"]}'
            f'</h1><ul class="sections">{"".join(links)}</ul></main></body></html>'.encode())

    def _discovery(self, pages: dict[str, Page]) -> None:
        """robots.txt and Yoast's sitemaps: posts (the news items), pages (the undated
        pages), tags (the tag pages)."""
        pages["/robots.txt"] = Page(f"User-agent: *\nSitemap: {self.url('/sitemap_index.xml')}\n"
                                    .encode(), content_type="text/plain")
        news = [p["path"] for p in self.dated()
                if any(f"/{s}/" in p["path"] for s in NEWS_SECTIONS)]
        undated = [p["path"] for p in self.real if not is_dated(p) and not is_listing(p)]
        tag_pages = [path for path in pages if "/tag/" in path]
        sitemaps = {"/post-sitemap.xml": news, "/page-sitemap.xml": undated,
                    "/post_tag-sitemap.xml": tag_pages}
        index = "".join(f"<sitemap><loc>{escape(self.url(name))}</loc></sitemap>"
                        for name in sitemaps)
        pages["/sitemap_index.xml"] = Page(
            f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns='
            f'"http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>'.encode(),
            content_type="application/xml")
        for name, paths in sitemaps.items():
            urls = "".join(f"<url><loc>{escape(self.url(p))}</loc></url>" for p in paths)
            pages[name] = Page(
                f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns='
                f'"http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode(),
                content_type="application/xml")


# -- pieces of markup ---------------------------------------------------------------------------
def _head(title: str, site_name: str) -> str:
    return (f'<meta charset="utf-8"><title>{escape(title)} - {escape(site_name)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">')


def _body_class(markup: str) -> str:
    return {"classic": "wp-theme-nordicwelfare",
            "builder": "elementor-default elementor-kit-5 elementor-page",
            "blocks": "wp-site-blocks wp-embed-responsive"}[markup]


def _banner(lang: str, banners: dict[str, str], markup: str = "classic") -> str:
    text = banners.get(lang) or banners.get("sv", "")
    if markup == "blocks":  # a consent plugin's banner: divs, the heading a div too
        return (f'<div class="cmplz-cookiebanner cmplz-show" role="dialog" aria-live="polite">'
                f'<div class="cmplz-header"><div class="cmplz-title">Cookies</div></div>'
                f'<div class="cmplz-body"><div class="cmplz-message"><p>{escape(text)}</p>'
                f'</div></div><div class="cmplz-buttons"><button class="cmplz-btn '
                f'cmplz-accept">OK</button></div></div>')
    return (f'<div id="cookie-notice" class="cookie-notice" role="dialog"><h2>Cookies</h2>'
            f'<p>{escape(text)}</p><button>OK</button></div>')


def _share(words: tuple[str, ...]) -> str:
    return "".join(f'<a class="share-{w.lower()}" href="#">{w}</a>' for w in words)


def _block_html(block: dict, markup: str) -> str:
    kind = block["kind"]
    if kind in ("ul", "ol"):
        items = "".join(f"<li>{'<br>'.join(escape(x) for x in item)}</li>"
                        for item in block["items"])
        return f"<{kind}>{items}</{kind}>"
    text = "<br>".join(escape(line) for line in block["lines"])
    if kind == "h":
        return {"classic": f"<h2>{text}</h2>",
                "builder": f'<h3 class="elementor-heading-title">{text}</h3>',
                "blocks": f'<h2 class="wp-block-heading">{text}</h2>'}[markup]
    if kind == "link":
        return f'<p><a href="https://example.org/{slugify(block["lines"][0])}">{text}</a></p>'
    if kind == "caption":
        return f'<p class="wp-caption-text">{text}</p>'
    if kind == "note":
        return f"<p><em>{text}</em></p>"
    return f"<p>{text}</p>"


def _research(parts: dict, markup: str) -> str:
    if not parts["research"]:
        return ""
    lang = parts["lang"]
    cards = "".join(
        f'<div class="research-card"><img src="/logo.png" alt="NVC logo.">'
        f'<span class="category">{escape(t.category)}</span><span class="date">{escape(t.date)}'
        f'</span><h3><a href="{escape(t.href)}">{escape(t.title)}</a></h3>'
        f'<p>{escape(t.snippet)}</p></div>' for t in parts["research"])
    return (f'<section class="theme-research"><h2>{RESEARCH[lang]}</h2>'
            f'<div class="sort"><span>{SORT[lang]}</span><select><option>A-Ö</option>'
            f'</select></div>{cards}</section>')


def _classic_article(parts: dict, base: str) -> str:
    tags = ", ".join(f'<a href="{escape(href)}" rel="tag">{escape(t)}</a>'
                     for t, href in parts["tags"])
    body = "".join(_block_html(b, "classic") for b in parts["body"])
    pub = ""
    if parts["pub_box"]:
        pub = (f'<div class="publication-box"><p class="publication-title">'
               f'{escape(parts["title"] or "")}</p><p><a href="https://example.org/read">Read '
               f'the publication online</a></p><p><a href="https://example.org/pdf">Download as '
               f'PDF</a></p></div>')
    label = f'<p class="post-label">{escape(parts["label"])}</p>' if parts["label"] else ""
    title = f'<h1 class="entry-title">{escape(parts["title"])}</h1>' if parts["title"] else ""
    meta = ""
    if parts["tags"] or parts["date"]:
        meta = (f'<div class="entry-meta"><span class="cat-links">{tags}</span>'
                + (f'<span class="posted-on">{escape(parts["date"])}</span>'
                   if parts["date"] else "") + "</div>")
    return f"""<header class="site-header"><div class="site-branding"><p class="site-title">
<a href="{base}{PREFIX}">{escape(parts["site_name"])}</a></p></div>
<nav class="main-navigation"><a href="{base}{PREFIX}nyheter/">Nyheter</a></nav></header>
<main id="main" class="site-main"><article class="post hentry">
<header class="entry-header">{label}{title}{meta}</header>
<div class="entry-content">{body}</div>{pub}
<div class="share-buttons">{_share(SHARE_WORDS[parts["share"]])}</div>
</article>{_research(parts, "classic")}</main>
<footer class="site-footer"><div class="footer-social"><p>{parts["follow"]}</p>
<a href="https://facebook.example/">Facebook</a></div></footer>"""


def _widget(kind: str, inner: str) -> str:
    return (f'<div class="elementor-element elementor-widget elementor-widget-{kind}">'
            f'<div class="elementor-widget-container">{inner}</div></div>')


def _builder_article(parts: dict, base: str) -> str:
    """Div soup: no article, main or header elements; the site name a heading widget; the date
    in a post-info list under the title; the tags as links after the body, before the share
    line."""
    body = "".join(_block_html(b, "builder") for b in parts["body"])
    tags = " ".join(f'<a href="{escape(href)}">{escape(t)}</a>' for t, href in parts["tags"])
    info = ""
    if parts["date"]:
        info = _widget("post-info", f'<ul class="elementor-post-info"><li class='
                       f'"elementor-icon-list-item"><span class="elementor-post-info__item '
                       f'elementor-post-info__item--type-date">{escape(parts["date"])}</span>'
                       f"</li></ul>")
    pub = ""
    if parts["pub_box"]:
        pub = _widget("text-editor", f'<p>{escape(parts["title"] or "")}</p><p><a href='
                      f'"https://example.org/read">Read the publication online</a></p>')
    return f"""<div data-elementor-type="header" class="elementor elementor-location-header">
{_widget("heading", f'<p class="elementor-heading-title"><a href="{base}{PREFIX}">'
         f'{escape(parts["site_name"])}</a></p>')}</div>
<div data-elementor-type="single-post" class="elementor elementor-42">
<div class="elementor-section"><div class="elementor-container"><div class="elementor-column">
{_widget("text-editor", f'<p>{escape(parts["label"])}</p>') if parts["label"] else ""}
{_widget("theme-post-title", f'<h1 class="elementor-heading-title">{escape(parts["title"])}'
         f'</h1>') if parts["title"] else ""}
{info}
{_widget("theme-post-content", body)}
{pub}
{_widget("post-info", f'<div class="elementor-post-info__terms-list">{tags}</div>')
 if tags else ""}
{_widget("share-buttons", _share(SHARE_WORDS[parts["share"]]))}
{_research(parts, "builder")}
</div></div></div></div>
<div data-elementor-type="footer" class="elementor elementor-location-footer">
{_widget("text-editor", f'<p>{parts["follow"]}</p>')}</div>"""


def _blocks_research(parts: dict) -> str:
    if not parts["research"]:
        return ""
    lang = parts["lang"]
    return (f'<div class="wp-block-group theme-research"><h2 class="wp-block-heading">'
            f'{RESEARCH[lang]}</h2><p class="sort-label">{SORT[lang]}</p>'
            f'{_query_loop(parts["research"], image=True)}</div>')


def _query_loop(teasers: list[Teaser], *, image: bool = False) -> str:
    """A block theme's query loop: the linked title first, then the terms, the date and the
    excerpt."""
    items = "".join(
        '<li class="wp-block-post">'
        + ('<figure class="wp-block-post-featured-image"><img src="/logo.png" alt="NVC logo.">'
           '</figure>' if image else "")
        + f'<h3 class="wp-block-post-title"><a href="{escape(t.href)}">{escape(t.title)}</a></h3>'
        f'<div class="taxonomy-category wp-block-post-terms">{escape(t.category)}</div>'
        f'<div class="wp-block-post-date"><time>{escape(t.date)}</time></div>'
        f'<div class="wp-block-post-excerpt"><p class="wp-block-post-excerpt__excerpt">'
        f"{escape(t.snippet)}</p></div></li>" for t in teasers)
    return (f'<div class="wp-block-query"><ul class="wp-block-post-template">{items}</ul>'
            f"</div>")


def _blocks_header(site_name: str, base: str) -> str:
    return (f'<header class="wp-block-template-part"><div class="wp-block-group">'
            f'<p class="wp-block-site-title"><a href="{base}{PREFIX}" rel="home">'
            f'{escape(site_name)}</a></p><nav class="wp-block-navigation" aria-label="Meny">'
            f'<ul class="wp-block-navigation__container"><li class="wp-block-navigation-item">'
            f'<a class="wp-block-navigation-item__content" href="{base}{PREFIX}nyheter/">'
            f'<span>Nyheter</span></a></li></ul></nav></div></header>')


def _blocks_footer(follow: str) -> str:
    return (f'<footer class="wp-block-template-part"><div class="wp-block-group">'
            f'<p>{follow}</p><ul class="wp-block-social-links"><li class="wp-social-link">'
            f'<a href="https://facebook.example/"><span class="wp-block-social-link-label">'
            f'Facebook</span></a></li></ul></div></footer>')


def _blocks_article(parts: dict, base: str) -> str:
    """A block theme: template parts for header and footer, the post's blocks in a group;
    the tags a terms block with separators, the date a ``<time>`` with its ISO datetime."""
    body = "".join(_block_html(b, "blocks") for b in parts["body"])
    separator = '<span class="wp-block-post-terms__separator">, </span>'
    tags = separator.join(f'<a href="{escape(href)}" rel="tag">{escape(t)}</a>'
                          for t, href in parts["tags"])
    label = (f'<p class="has-small-font-size post-label">{escape(parts["label"])}</p>'
             if parts["label"] else "")
    title = (f'<h1 class="wp-block-post-title">{escape(parts["title"])}</h1>'
             if parts["title"] else "")
    terms = (f'<div class="taxonomy-post_tag wp-block-post-terms">{tags}</div>'
             if tags else "")
    date = ""
    if parts["date"]:
        stamp = f' datetime="{parts["date_iso"]}T09:00:00+01:00"' if parts["date_iso"] else ""
        date = (f'<div class="wp-block-post-date"><time{stamp}>{escape(parts["date"])}</time>'
                f"</div>")
    pub = ""
    if parts["pub_box"]:
        pub = (f'<div class="wp-block-group publication-box"><p>{escape(parts["title"] or "")}'
               f'</p><div class="wp-block-buttons"><div class="wp-block-button"><a class='
               f'"wp-block-button__link" href="https://example.org/read">Read the publication '
               f'online</a></div><div class="wp-block-button"><a class="wp-block-button__link" '
               f'href="https://example.org/report.pdf">Download as PDF</a></div></div></div>')
    share = "".join(f'<div class="wp-block-button"><a class="wp-block-button__link share" '
                    f'href="#">{w}</a></div>' for w in SHARE_WORDS[parts["share"]])
    return f"""{_blocks_header(parts["site_name"], base)}
<main class="wp-block-group"><div class="wp-block-group">{label}{title}{terms}{date}</div>
<div class="entry-content wp-block-post-content">{body}</div>{pub}
<div class="wp-block-buttons share-bar">{share}</div>{_blocks_research(parts)}</main>
{_blocks_footer(parts["follow"])}"""


def _blocks_listing(title: str, teasers: list[Teaser], lang: str, base: str, pager: str
                    ) -> str:
    return (f'{_blocks_header(SITE_NAME[lang], base)}<main class="wp-block-group">'
            f'<h1 class="wp-block-query-title">{escape(title)}</h1>{_query_loop(teasers)}'
            f"{pager}</main>{_blocks_footer(FOLLOW[lang])}")


def _classic_listing(title: str, teasers: list[Teaser], lang: str, base: str, pager: str
                     ) -> str:
    items = "".join(
        f'<article class="post-item"><div class="post-item__category">{escape(t.category)}'
        f'</div><div class="post-item__date">{escape(t.date)}</div><h2 class="post-item__title">'
        f'<a href="{escape(t.href)}">{escape(t.title)}</a></h2><p class="post-item__excerpt">'
        f"{escape(t.snippet)}</p></article>" for t in teasers)
    return (f'<header class="site-header"><p class="site-title"><a href="{base}{PREFIX}">'
            f"{SITE_NAME[lang]}</a></p></header><main id=\"main\"><h1>{escape(title)}</h1>"
            f'<div class="posts">{items}</div>{pager}</main><footer class="site-footer"><p>'
            f"{FOLLOW[lang]}</p></footer>")


def _builder_listing(title: str, teasers: list[Teaser], lang: str, base: str, pager: str
                     ) -> str:
    cards = "".join(
        f'<div class="elementor-post"><div class="elementor-post__badge">{escape(t.category)}'
        f'</div><div class="elementor-post__meta-data"><span class="elementor-post-date">'
        f'{escape(t.date)}</span></div><div class="elementor-post__title"><a href='
        f'"{escape(t.href)}">{escape(t.title)}</a></div><div class="elementor-post__excerpt">'
        f"<p>{escape(t.snippet)}</p></div></div>" for t in teasers)
    return (_widget("heading", f'<p class="elementor-heading-title"><a href="{base}{PREFIX}">'
                               f"{SITE_NAME[lang]}</a></p>")
            + '<div class="elementor-section">'
            + _widget("heading", f'<h1 class="elementor-heading-title">{escape(title)}</h1>')
            + _widget("posts", f'<div class="elementor-posts-container">{cards}</div>{pager}')
            + "</div>" + _widget("text-editor", f"<p>{FOLLOW[lang]}</p>"))


_ARTICLES = {"classic": _classic_article, "builder": _builder_article,
             "blocks": _blocks_article}
_LISTINGS = {"classic": _classic_listing, "builder": _builder_listing,
             "blocks": _blocks_listing}


def path_of(url: str) -> str:
    return urlsplit(url).path
