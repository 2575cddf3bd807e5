"""The text of a fetched source: an HTML page through trafilatura, a PDF through pypdf, an
office document (DOCX, ODT) from its XML. A pure function of the response, like extraction:
nothing here fetches, and a document that cannot be read gives an empty text and a reason,
never an exception (a broken PDF must not stop a crawl)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import trafilatura
from lxml import etree

from archive.sources.store import source_kind
from crawler.extraction.language import detect_language

#: The most text kept of one source (a 500-page report is searchable by its first pages).
MAX_TEXT_CHARS = 2_000_000
_SPACES = re.compile(r"[ \t\u00a0]+")
_OFFICE_XML = {"word/document.xml": "{http://schemas.openxmlformats.org/wordprocessingml/"
                                    "2006/main}p",
               "content.xml": "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}p"}


@dataclass(frozen=True)
class SourceText:
    kind: str  # page | pdf | document
    title: str | None
    text: str
    language: str | None
    #: Why no text could be read (``unreadable-pdf``, ``unreadable-document``, ``no-text``).
    error: str | None = None


def read_source(body: bytes, url: str, content_type: str | None) -> SourceText:
    """What a source says, whatever its format."""
    kind = source_kind(url, content_type)
    if kind == "pdf" or body[:5] == b"%PDF-":
        title, text, error = _pdf(body)
        kind = "pdf"
    elif kind == "document":
        title, text, error = _office(body)
    else:
        title, text, error = _html(body, url)
    text = text[:MAX_TEXT_CHARS]
    if not text and error is None:
        error = "no-text"
    language = detect_language(title or "", text).language if text else None
    return SourceText(kind, title or None, text, language if language != "und" else None, error)


def _html(body: bytes, url: str) -> tuple[str | None, str, str | None]:
    from w3lib.encoding import html_to_unicode

    _, html = html_to_unicode(None, body)
    document = trafilatura.bare_extraction(html, url=url, include_comments=False,
                                           include_tables=True, with_metadata=True)
    if document is None:
        return None, "", None
    return document.title, (document.text or "").strip(), None


def _pdf(body: bytes) -> tuple[str | None, str, str | None]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted:
            reader.decrypt("")
        title = (reader.metadata.title if reader.metadata else None) or None
        pages, size = [], 0
        for page in reader.pages:
            text = page.extract_text() or ""
            pages.append(text)
            size += len(text)
            if size >= MAX_TEXT_CHARS:
                break
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError,
            NotImplementedError):
        return None, "", "unreadable-pdf"
    text = "\n\n".join(_SPACES.sub(" ", p).strip() for p in pages if p.strip())
    return (str(title).strip() if title else None), text, None


def _office(body: bytes) -> tuple[str | None, str, str | None]:
    """DOCX and ODT: the paragraphs of their main XML part (older binary formats: no text)."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as package:
            names = set(package.namelist())
            for part, paragraph in _OFFICE_XML.items():
                if part in names:
                    root = etree.fromstring(package.read(part),
                                            etree.XMLParser(resolve_entities=False))
                    lines = ("".join(p.itertext()).strip() for p in root.iter(paragraph))
                    return None, "\n\n".join(line for line in lines if line), None
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, OSError):
        pass
    return None, "", "unreadable-document"
