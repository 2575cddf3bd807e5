"""The replica cut down to a handful of pages, for crawls where every request counts (a
crawl-delay) or where only the crawler's behaviour matters, not discovery."""

from __future__ import annotations

from html import escape

from tests.replica.site import PREFIX, Page, ReplicaServer, ReplicaSite


def tiny_portal(stories, robots: str = "", *, linked=None, sitemap=()) -> ReplicaServer:
    """The replica cut down to a home page (linking ``linked``, default all stories), bare
    article pages and optionally ``/sitemap.xml`` listing ``sitemap``: every request costs
    the crawl-delay, so no menus or listings."""
    site = ReplicaSite(stories=stories)
    server = ReplicaServer(site)
    pages = {}
    for story in stories:
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
        pages[site.paths[story.key]] = Page(
            f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>'
            f"{escape(story.title)}</title></head><body><article><h1>{escape(story.title)}"
            f"</h1>{paragraphs}</article></body></html>".encode())
    links = "".join(f'<li><a href="{site.url(site.paths[s.key])}">{escape(s.title)}</a></li>'
                    for s in (stories if linked is None else linked))
    pages[PREFIX] = Page(f'<!DOCTYPE html><html lang="sv"><head><title>Nyheter</title></head>'
                         f"<body><h1>Nyheter</h1><ul>{links}</ul></body></html>".encode())
    pages["/robots.txt"] = Page(f"User-agent: *\n{robots}Disallow: /privat/\n".encode(),
                                content_type="text/plain")
    if sitemap:
        urls = "".join(f"<url><loc>{site.url(site.paths[s.key])}</loc></url>" for s in sitemap)
        pages["/sitemap.xml"] = Page(
            f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
            f'schemas/sitemap/0.9">{urls}</urlset>'.encode(), content_type="application/xml")
    site.pages = pages
    return server
