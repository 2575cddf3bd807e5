"""The text of a cited source, by format: a page through trafilatura, a PDF through pypdf, a
DOCX or ODT from its XML; what cannot be read is an empty text with a reason, never an error."""

from __future__ import annotations

import io
import zipfile

from crawler.source_text import read_source
from tests.helpers.pdf_files import make_pdf

REPORT = ["Integrationen i Norden 2024", "Kommunerna tar emot fler nyanlända än tidigare.",
          "Rapporten jämför mottagandet i de nordiska länderna."]


def test_a_pdf_gives_its_text_title_and_language():
    read = read_source(make_pdf(REPORT, title="Integration i Norden"),
                       "https://norden.example/rapport", "application/pdf")
    assert (read.kind, read.title, read.error) == ("pdf", "Integration i Norden", None)
    for line in REPORT:
        assert line in read.text
    assert read.language == "sv"


def test_a_pdf_is_known_by_its_bytes_when_the_server_says_octet_stream():
    read = read_source(make_pdf(REPORT), "https://norden.example/get?id=7",
                       "application/octet-stream")
    assert read.kind == "pdf" and "nordiska länderna" in read.text


def test_a_broken_pdf_is_no_text_and_a_reason():
    read = read_source(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "https://x.example/a.pdf",
                       "application/pdf")
    assert (read.kind, read.text, read.error, read.language) == ("pdf", "", "unreadable-pdf",
                                                                 None)


def test_a_page_gives_its_main_text_without_its_menu():
    html = ("<html><head><title>Kommuntorget – Nätverket växer</title></head><body>"
            "<nav><a href='/'>Hem</a> <a href='/om'>Om oss</a></nav><article>"
            "<h1>Nätverket växer</h1><p>Finska kommunförbundet stod värd för den årliga "
            "nordiska integrationsträffen, och för första gången deltog Island.</p><p>Nästa "
            "år ordnas träffen i Danmark, där kommunernas samarbete fortsätter.</p></article>"
            "</body></html>").encode()
    read = read_source(html, "https://kommuntorget.example/natverket", "text/html")
    assert read.kind == "page" and read.error is None
    assert "deltog Island" in read.text and "Om oss" not in read.text
    assert read.title and "Nätverket växer" in read.title
    assert read.language == "sv"


def _zipped(part: str, xml: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(part, xml)
    return buffer.getvalue()


def test_docx_and_odt_paragraphs_and_an_unreadable_document():
    docx = _zipped("word/document.xml", (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Bilaga 1: </w:t></w:r><w:r><w:t>mottagandet</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Bilaga 2</w:t></w:r></w:p></w:body></w:document>"))
    odt = _zipped("content.xml", (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:'
        '1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        "<text:p>Protokoll från mötet</text:p></office:body></office:document-content>"))
    assert read_source(docx, "https://x.example/b.docx", None).text == (
        "Bilaga 1: mottagandet\n\nBilaga 2")
    assert read_source(odt, "https://x.example/p.odt", None).text == "Protokoll från mötet"
    broken = read_source(b"PK\x03\x04 not a zip", "https://x.example/c.docx", None)
    assert (broken.kind, broken.text, broken.error) == ("document", "", "unreadable-document")
