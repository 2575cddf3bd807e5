"""The sites an article cites, served on a second loopback port: a report page (which links
further, never to be followed), a PDF, a page behind its robots.txt, and two pages that a
later phase removes (404) or sends to the home page (301 to ``/``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.helpers.pdf_files import make_pdf
from tests.replica.site import Page

REPORT = "/rapporter/natverket.html"
FURTHER = "/rapporter/bilaga.html"  # linked from the report: one hop too far
PDF = "/rapporter/indikatorer.pdf"
PRIVATE = "/privat/intern.html"
BIG = "/rapporter/hela-utredningen.pdf"  # over the size limit the test sets
BIG_BYTES = 300_000
REMOVED = "/rapporter/seminarium.html"
MOVED_HOME = "/kampanj/sommar.html"
METADATA = "http://169.254.169.254/latest/meta-data/"
PDF_LINES = ["Indikatorer for integrering 2021",
             "Sysselsettingen blant innvandrere okte i alle de nordiske landene."]
REPORT_WORD = "kommunförbundens"  # only in the report page's text


def _html(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{title}'
            f"</title></head><body><nav><a href='/'>Hem</a></nav><article><h1>{title}</h1>"
            f"{body}</article></body></html>").encode()


@dataclass
class SourceSite:
    """Pages by path, as ``ReplicaServer`` serves them (it sets ``base``)."""

    base: str = "http://127.0.0.1"
    pages: dict[str, Page] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base + path

    def render(self) -> None:
        self.pages = {
            "/robots.txt": Page(b"User-agent: *\nDisallow: /privat/\n",
                                content_type="text/plain"),
            "/": Page(_html("Kommuntorget", "<p>Välkommen till Kommuntorget.</p>")),
            REPORT: Page(_html("Nätverket växer", (
                f"<p>Det nordiska nätverket av {REPORT_WORD} integrationssakkunniga träffades "
                "för första gången i Finland, och Island deltog för första gången.</p>"
                f'<p>Se <a href="{FURTHER}">bilagan</a> för deltagarlistan och programmet.</p>'
            ))),
            FURTHER: Page(_html("Bilaga", "<p>Deltagarlista.</p>")),
            PDF: Page(make_pdf(PDF_LINES, title="Indikatorer for integrering"),
                      content_type="application/pdf"),
            PRIVATE: Page(_html("Internt", "<p>Endast för medarbetare.</p>")),
            BIG: Page(b"%PDF-1.4\n" + b"0" * BIG_BYTES, content_type="application/pdf"),
            REMOVED: Page(_html("Seminarium om mottagande", (
                "<p>Seminariet om mottagandet av nyanlända hålls i Köpenhamn i juni.</p>"))),
            MOVED_HOME: Page(_html("Sommarkampanj", (
                "<p>Sommarkampanjen om språkkaféer pågår hela sommaren i kommunerna.</p>"))),
        }

    def second_phase(self) -> None:
        """The seminar page is removed; the campaign page now redirects to the home page."""
        del self.pages[REMOVED]
        self.pages[MOVED_HOME] = Page(b"", status=301, location=self.url("/"))


def citing_paragraphs(site: SourceSite) -> str:
    """An article's paragraphs citing every source (and the metadata address) once."""
    return (
        f'<p>Enligt <a href="{site.url(REPORT)}">Kommuntorgets rapport</a> växer nätverket av '
        "integrationssakkunniga i de nordiska kommunförbunden för varje år.</p>"
        f'<p>Statistiken finns i <a href="{site.url(PDF)}">Indikatorer for integrering 2021 '
        "(PDF)</a>, som jämför sysselsättningen i de nordiska länderna.</p>"
        f'<p>Internt material <a href="{site.url(PRIVATE)}">finns här</a>, och tekniska data '
        f'<a href="{METADATA}">här</a>, för den som arbetar med nätverket.</p>'
        f'<p>Hela utredningen <a href="{site.url(BIG)}">(PDF, 300 kB)</a> är för stor för '
        "arkivets gräns i testet, men citeras ändå av artikeln.</p>"
        f'<p>Seminariet <a href="{site.url(REMOVED)}">om mottagande</a> och '
        f'<a href="{site.url(MOVED_HOME)}">sommarkampanjen</a> hör också till årets program.</p>')
