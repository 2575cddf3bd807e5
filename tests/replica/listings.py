"""Listing layouts of real WordPress themes and page builders, as the replica serves them: where
each teaser puts its date (before its title, after it, in its category line, nowhere) decides
whether a naive rule takes the listing for an article. The markup follows the themes' own
templates (Twenty Twenty-One, GeneratePress, Astra, Twenty Twenty-Four, Elementor's posts
widget) and the portal's real listing text (category, date, linked title, excerpt)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from tests.replica.templates import SITE_TITLE, _consent_block, _follow_block


@dataclass
class Card:
    """One teaser of a listing."""

    title: str
    href: str
    date_text: str = ""
    excerpt: str = ""
    category: str = ""
    category_href: str = ""


def _cat(card: Card, rel: str = "category tag") -> str:
    if not card.category:
        return ""
    return f'<a href="{escape(card.category_href or "#")}" rel="{rel}">{escape(card.category)}</a>'


def _date_before(card: Card) -> str:
    """The portal's own listing: category (may be empty), date, linked title, excerpt."""
    return (f'<article class="post-item"><div class="post-item__category">{_cat(card)}</div>'
            f'<div class="post-item__date">{escape(card.date_text)}</div>'
            f'<h2 class="post-item__title"><a href="{escape(card.href)}">{escape(card.title)}'
            f'</a></h2><p class="post-item__excerpt">{escape(card.excerpt)} [...]</p></article>')


def _generatepress(card: Card) -> str:
    """GeneratePress's content.php: a BlogPosting microdata scope per teaser, date after the
    title, categories in the entry footer."""
    return (f'<article class="post type-post status-publish hentry" itemtype='
            f'"https://schema.org/BlogPosting" itemscope><div class="inside-article">'
            f'<header class="entry-header"><h2 class="entry-title" itemprop="headline">'
            f'<a href="{escape(card.href)}" rel="bookmark">{escape(card.title)}</a></h2>'
            f'<div class="entry-meta"><span class="posted-on"><a href="{escape(card.href)}" '
            f'rel="bookmark"><time class="entry-date published" datetime="2021-06-17T09:00:00'
            f'+02:00" itemprop="datePublished">{escape(card.date_text)}</time></a></span> '
            f'<span class="byline">by <span class="author vcard" itemprop="author"><a class='
            f'"url fn n" href="/author/redaktionen/">Redaktionen</a></span></span></div>'
            f'</header><div class="entry-summary" itemprop="text"><p>{escape(card.excerpt)}'
            f' […]</p></div><footer class="entry-meta"><span class="cat-links">{_cat(card)}'
            f'</span></footer></div></article>')


def _category_line(card: Card) -> str:
    """Category and date on one line above the title (news themes' "Category — date")."""
    return (f'<article class="entry"><div class="entry-meta">{_cat(card)} — '
            f'<time datetime="2018-02-12">{escape(card.date_text)}</time></div>'
            f'<h3 class="entry-title"><a href="{escape(card.href)}">{escape(card.title)}</a>'
            f'</h3><div class="entry-excerpt"><p>{escape(card.excerpt)} […]</p></div></article>')


def _astra(card: Card) -> str:
    """Astra's blog layout: title, then "Category / By author / date", then the excerpt."""
    return (f'<article class="post ast-article-post"><div class="ast-post-format- '
            f'blog-layout-1"><div class="post-content"><h2 class="entry-title" itemprop='
            f'"headline"><a href="{escape(card.href)}" rel="bookmark">{escape(card.title)}</a>'
            f'</h2><header class="entry-header"><div class="entry-meta"><span class="cat-links">'
            f'{_cat(card)}</span> / By <span class="posted-by vcard author"><a class='
            f'"url fn n" href="/author/redaktionen/"><span class="author-name">Redaktionen'
            f'</span></a></span> / <span class="posted-on">{escape(card.date_text)}</span></div>'
            f'</header><div class="ast-excerpt-container ast-blog-single-element"><p>'
            f'{escape(card.excerpt)}</p></div><p class="ast-blog-single-element '
            f'ast-read-more-container read-more"><a class="" href="{escape(card.href)}">'
            f'Read More »</a></p></div></div></article>')


def _no_date(card: Card) -> str:
    """Twenty Twenty-Four's query loop with the date left out: title and excerpt."""
    return (f'<li class="wp-block-post post type-post"><h2 class="wp-block-post-title">'
            f'<a href="{escape(card.href)}" target="_self">{escape(card.title)}</a></h2>'
            f'<div class="wp-block-post-excerpt"><p class="wp-block-post-excerpt__excerpt">'
            f'{escape(card.excerpt)} </p></div></li>')


def _div_soup(card: Card) -> str:
    """A page builder's card: no heading, the title a link in a div named "title", the date
    before it."""
    return (f'<div class="elementor-post card"><div class="card-date">{escape(card.date_text)}'
            f'</div><div class="card-title"><a href="{escape(card.href)}">{escape(card.title)}'
            f'</a></div><div class="card-text">{escape(card.excerpt)} [...]</div>'
            f'<a class="card-more" href="{escape(card.href)}">Läs mer »</a></div>')


#: layout name → (teaser renderer, wrapper tag of the list)
LAYOUTS: dict[str, tuple[Callable[[Card], str], str]] = {
    "date-before": (_date_before, "div"),
    "date-after": (_generatepress, "div"),
    "category-line": (_category_line, "div"),
    "astra": (_astra, "div"),
    "no-date": (_no_date, "ul"),
    "div-soup": (_div_soup, "div"),
}


def listing_html(layout: str, title: str, cards: list[Card], base: str, *, lang: str = "sv",
                 next_href: str | None = None, intro: str = "", og_type: str = "website"
                 ) -> str:
    """A listing page in ``layout``: the site's chrome, one ``<h1>``, the teasers, a pager."""
    render, wrapper = LAYOUTS[layout]
    tlang = "en" if lang == "en" else "sv"
    pager = (f'<nav class="navigation pagination"><a class="next page-numbers" '
             f'href="{escape(next_href)}">Nästa</a></nav>' if next_href else "")
    intro_html = f'<div class="archive-description"><p>{escape(intro)}</p></div>' if intro else ""
    return f"""<!DOCTYPE html><html lang="{"en-GB" if tlang == "en" else "sv-SE"}"><head>
<meta charset="utf-8"><title>{escape(title)} - {SITE_TITLE[tlang]}</title>
<meta property="og:type" content="{og_type}"></head>
<body class="archive category wp-theme-x">
{_consent_block("banner-top", tlang)}
<header class="site-header"><p class="site-title"><a href="{base}">{SITE_TITLE[tlang]}</a></p>
</header>
<main id="main" class="site-main"><header class="page-header"><h1 class="page-title">
{escape(title)}</h1>{intro_html}</header>
<{wrapper} class="posts-list">{"".join(render(c) for c in cards)}</{wrapper}>{pager}</main>
<footer class="site-footer">{_follow_block(tlang)}</footer>
</body></html>
"""
