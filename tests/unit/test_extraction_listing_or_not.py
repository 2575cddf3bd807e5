"""Listing or article, off the portal and on it: a section's root that shows an article, a blog
home of posts in full, a body followed by cards or under menus of linked headings. Small
hand-written pages, each reproducing one way a real article was called a listing."""

from __future__ import annotations

from crawler.extraction import extract

PORTAL = "https://nordicwelfare.org/integration-norden/"
SENTENCE = "Die Mannschaft blickt auf eine große Herausforderung bei den eigenen Spielen. "


def _body(paragraphs: int, sentences: int = 4) -> str:
    return "".join(f"<p>{SENTENCE * sentences} Absatz {n}.</p>" for n in range(paragraphs))


def _page(body: str, *, head: str = "", title: str = "Peking 2022") -> str:
    return (f"<html lang='de'><head><title>{title}</title>{head}</head>"
            f"<body>{body}</body></html>")


OG_ARTICLE = ("<meta property='og:type' content='article'>"
              "<meta property='article:published_time' content='2022-02-02T10:00:00Z'>")
JSON_LD_ARTICLE = ('<script type="application/ld+json">{"@context": "https://schema.org",'
                   ' "@type": "NewsArticle", "headline": "Peking 2022",'
                   ' "datePublished": "2022-02-02"}</script>')


def _article_body() -> str:
    return (f"<main><article><h1>Peking 2022</h1><p class='date'>2. Februar 2022</p>"
            f"{_body(5)}</article></main>")


def test_article_markup_wins_at_a_section_root_off_the_portal():
    # Sites show their latest story at /de/news, marked as an article: it is archived.
    for head in (OG_ARTICLE, JSON_LD_ARTICLE):
        record = extract(_page(_article_body(), head=head), "https://example.com/de/news")
        assert record.is_article
        assert SENTENCE.strip() in record.text


def test_article_markup_does_not_make_home_tag_search_or_pagination_pages_articles():
    for url in ("https://example.com/", "https://example.com/tag/biathlon/",
                "https://example.com/news/page/2/", "https://example.com/news?s=peking",
                "https://example.com/news?page=2"):
        assert not extract(_page(_article_body(), head=OG_ARTICLE), url).is_article, url


def test_on_the_portal_a_section_root_stays_a_listing_whatever_its_markup():
    for url in (PORTAL + "nyheter/", PORTAL + "en/news/", PORTAL + "teman/"):
        assert not extract(_page(_article_body(), head=OG_ARTICLE), url).is_article, url


def _posts(excerpt_sentences: int, paragraphs: int) -> str:
    return "".join(
        f"<div class='post'><h2><a href='/2013/0{n + 1}/post-{n}/'>Beitrag {n}</a></h2>"
        f"<div class='meta'>{n + 1}. Juli 2013</div>"
        f"<div class='entry'>{_body(paragraphs, excerpt_sentences)}</div></div>"
        for n in range(5))


def test_a_blog_home_of_posts_in_full_is_archived_off_the_portal():
    html = _page(f"<h1>Echte Demokratie</h1><div id='content'>{_posts(5, 4)}</div>")
    record = extract(html, "https://blog.example.org/blog/")
    assert record.is_article
    assert "Absatz 3." in record.text


def test_a_blog_home_of_excerpts_stays_a_listing():
    html = _page(f"<h1>Echte Demokratie</h1><div id='content'>{_posts(1, 1)}</div>")
    assert not extract(html, "https://blog.example.org/blog/").is_article
    # On the portal even posts in full at a section's root are a listing.
    assert not extract(_page(f"<h1>Nyheter</h1>{_posts(5, 4)}"), PORTAL + "nyheter/").is_article


def _cards(count: int) -> str:
    return "".join(
        f"<div class='card'><h2><a href='/wein/rioja/{n}.php'>201{n} Crianza (Rotwein)</a></h2>"
        f"<p>Ein kräftiger Rotwein aus dem Rioja, {n}0 Monate im Fass.</p>"
        f"<p>{n}9,90 EUR</p></div>"
        for n in range(count))


def test_a_body_followed_by_product_cards_is_an_article():
    # A shop's region page: a dated text of its own, then ten products under linked headings.
    body = (f"<h1>D.O.Ca. Rioja</h1><p class='date'>11.02.2020</p>{_body(4, 3)}"
            f"<table><tr><td>Mindestlagerzeit</td><td>24 Monate</td></tr></table>")
    record = extract(_page(body + _cards(10), title="Rioja"),
                     "https://shop.example.de/wein/spanien/rioja/")
    assert record.is_article
    assert "Absatz 2." in record.text


def test_cards_without_a_body_of_their_own_are_a_listing():
    record = extract(_page("<h1>Rioja</h1><p class='date'>11.02.2020</p>" + _cards(10),
                           title="Rioja"),
                     "https://shop.example.de/wein/spanien/rioja/")
    assert not record.is_article


def test_a_press_release_under_menus_of_linked_headings_is_an_article():
    # A government CMS: the main menu and the footer are lists of linked headings, and the
    # release's own subheadings link a glossary entry.
    menu = "".join(f"<li><div><h3><a href='/DE/{w}/{w}_node.html'>{w}</a></h3>"
                   f"<ul><li><a href='/DE/{w}/a.html'>Unterseite</a></li></ul></div></li>"
                   for w in ("Themen", "Aktuelles", "Mediathek", "Das BfS"))
    glossary = ("<h2>Messen in <a href='/glossar/radon.html?view=renderHelp'>Radon</a>"
                "-Gebieten</h2>")
    footer = "".join(f"<div class='block'><h3><a href='/DE/themen/{w}.html'>{w}</a></h3></div>"
                     for w in ("Felder", "Strahlung", "Kernenergie"))
    body = (f"<div id='navPrimary'><ul>{menu}</ul></div>"
            f"<div id='content'><h1>Radon im Boden: Neue Karte</h1><p>Datum 25.01.2022</p>"
            f"{_body(2)}{glossary}{_body(2)}</div><div id='footer'>{footer}</div>")
    record = extract(_page(body, title="Radon im Boden"),
                     "https://www.bfs.example.de/SharedDocs/Pressemitteilungen/2022/001.html")
    assert record.is_article
    assert "Absatz 1." in record.text
