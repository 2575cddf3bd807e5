"""What the page says about itself in markup: canonical link, Open Graph, JSON-LD, hreflang,
meta dates and tags, ``<html lang>`` and ``<title>``. Read before any chrome is removed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml import html as lxml_html

from archive.storage.urls import normalize_url, same_site
from crawler.extraction import patterns


@dataclass
class PageMetadata:
    canonical_url: str | None = None
    og_type: str | None = None
    og_title: str | None = None
    site_name: str | None = None
    html_title: str | None = None
    html_lang: str | None = None
    #: ``<html lang>`` whole, lower case (``en-gb``): the region tells a publisher's zone.
    html_locale: str | None = None
    translations: dict[str, str] = field(default_factory=dict)
    is_article_type: bool = False
    #: A JSON-LD ``Event`` (or subtype): the page is an event's.
    is_event_type: bool = False
    headline: str | None = None
    dates: dict[str, str] = field(default_factory=dict)  # "<source>:<role>" -> raw value
    tags: list[str] = field(default_factory=list)


def read_metadata(tree: lxml_html.HtmlElement, url: str) -> PageMetadata:
    meta = PageMetadata()
    head = tree.find("head")
    if head is None:
        head = tree
    meta.html_lang = (tree.get("lang") or "").split("-")[0].lower() or None
    meta.html_locale = (tree.get("lang") or "").strip().lower() or None
    title = head.find("title")
    if title is not None and title.text:
        meta.html_title = " ".join(title.text.split())

    for link in head.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = link.get("href")
        if not href:
            continue
        absolute = urljoin(url, href.strip())
        if "canonical" in rel and same_site(absolute, url):
            meta.canonical_url = normalize_url(absolute)
        elif "alternate" in rel and link.get("hreflang"):
            lang = link.get("hreflang").lower()
            if lang != "x-default" and same_site(absolute, url):
                meta.translations[lang] = normalize_url(absolute)

    for tag in head.iter("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        value = (tag.get("content") or "").strip()
        if not value:
            continue
        if key == "og:url" and meta.canonical_url is None:
            absolute = urljoin(url, value)
            if same_site(absolute, url):
                meta.canonical_url = normalize_url(absolute)
        elif key == "og:type":
            meta.og_type = value.lower()
        elif key == "og:title":
            meta.og_title = value
        elif key == "og:site_name":
            meta.site_name = value
        elif key in ("article:published_time", "datepublished", "og:published_time",
                     "dc.date.issued", "date"):
            meta.dates.setdefault("meta:published", value)
        elif key in ("article:modified_time", "datemodified", "og:updated_time",
                     "dc.date.modified", "last-modified"):
            meta.dates.setdefault("meta:modified", value)
        elif key == "article:tag":
            meta.tags.append(value)

    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            _read_json_ld(script.text, meta)
    return meta


def _read_json_ld(text: str, meta: PageMetadata) -> None:
    try:
        data = json.loads(text)
    except ValueError:
        return
    for node in walk_json(data):
        types = node.get("@type")
        types = [types] if isinstance(types, str) else types or []
        if any(str(t).endswith("Event") for t in types):
            meta.is_event_type = True  # schema.org Event and its subtypes (EducationEvent ...)
        if not any(str(t).lower() in patterns.ARTICLE_TYPES for t in types):
            continue
        meta.is_article_type = True
        if isinstance(node.get("headline"), str):
            meta.headline = meta.headline or node["headline"].strip()
        for key, role in (("datePublished", "published"), ("dateModified", "modified")):
            if isinstance(node.get(key), str):
                meta.dates.setdefault(f"json-ld:{role}", node[key])
        keywords = node.get("keywords")
        if isinstance(keywords, str):
            keywords = [k for k in keywords.split(",")]
        if isinstance(keywords, list):
            meta.tags.extend(str(k).strip() for k in keywords if str(k).strip())


def walk_json(data: Any) -> Iterator[dict]:
    """Every object in a JSON-LD document, however deeply nested (``@graph`` and friends)."""
    if isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, (dict, list)):
                yield from walk_json(value)
    elif isinstance(data, list):
        for item in data:
            yield from walk_json(item)
