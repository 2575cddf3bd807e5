"""extract() under generated and mutated HTML: a record or an ExtractionError, never another
exception. (Time per page is measured by ``tests/benchmarks/extract_speed.py``, not here: a
wall-clock bound in a test fails on a loaded machine and passes on a slow extractor.)"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.extraction import ExtractionError, extract
from tests.replica.corpus import portal_pages

SEEDS = [page.html for page in portal_pages()[:6]]
TAGS = ["p", "div", "article", "main", "h1", "h2", "span", "a", "time", "script", "style",
        "nav", "footer", "table", "td", "li", "ul", "em", "br", "meta", "link", "html", "body"]
ATTRS = ['class="cookie-notice"', 'id="cn"', 'rel="category tag"', 'datetime="2019-02-30"',
         'class="share"', 'lang="is"', 'property="article:published_time" content="nonsense"',
         'type="application/ld+json"', 'hreflang="en" href="::bad::"', 'role="dialog"', ""]
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@st.composite
def html_fragments(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.integers(0, 3))
        if kind == 0 or depth > 3:
            parts.append(draw(TEXT))
        elif kind == 1:
            parts.append(draw(st.sampled_from(["12 feb 2018", "Uppdaterad 31.2.2020",
                                               "FacebookTwitterLinkedInEmailPrint",
                                               "Vi använder cookies", "[...]", "&amp;", "<!--",
                                               "]]>", "<![CDATA[", "\x00", "\ufeff"])))
        else:
            tag = draw(st.sampled_from(TAGS))
            attr = draw(st.sampled_from(ATTRS))
            inner = draw(html_fragments(depth=depth + 1))
            close = draw(st.booleans())
            parts.append(f"<{tag} {attr}>{inner}" + (f"</{tag}>" if close else ""))
    return "".join(parts)


def check(html, url="https://nordicwelfare.org/integration-norden/nyheter/x/") -> None:
    try:
        article = extract(html, url)
    except ExtractionError as error:
        assert error.reason and str(error)
    else:
        assert isinstance(article.text, str) and isinstance(article.title, str)
        assert 0.0 <= article.language_confidence <= 1.0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html_fragments())
def test_generated_html(fragment):
    check(f"<html><body>{fragment}</body></html>")
    check(fragment)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEEDS), st.data())
def test_mutated_portal_pages(seed, data):
    raw = bytearray(seed.encode())
    for _ in range(data.draw(st.integers(1, 20))):
        action = data.draw(st.integers(0, 2))
        position = data.draw(st.integers(0, len(raw) - 1))
        if action == 0:  # flip a byte
            raw[position] = data.draw(st.integers(0, 255))
        elif action == 1:  # cut a slice
            del raw[position:position + data.draw(st.integers(1, 2000))]
        else:  # duplicate a slice
            raw[position:position] = raw[position:position + data.draw(st.integers(1, 500))]
        if not raw:
            break
    check(bytes(raw))
    check(bytes(raw).decode("utf-8", "replace"))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(blob):
    check(blob)
