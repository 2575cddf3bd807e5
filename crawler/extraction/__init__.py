"""Extraction: from one HTML page to one clean article record, with no network and no database.

``extract(html, url)`` is the public entry point; everything else in this package is a helper it
applies. The patterns it applies are data in ``patterns.py``.
"""

from crawler.extraction.core import EXTRACTOR_VERSION, extract, extract_tree, parse_html
from crawler.extraction.record import ExtractedArticle, ExtractionError

__all__ = ["ExtractedArticle", "EXTRACTOR_VERSION", "ExtractionError", "extract", "extract_tree",
           "parse_html"]
