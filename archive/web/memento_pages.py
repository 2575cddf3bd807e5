"""Memento (RFC 7089) in ``nordarchive serve``: ``/timemap/link/<url>``, ``/timegate/<url>``
and ``/memento/<YYYYMMDDhhmmss>/<url>``, and the replayed pages they lead to.

The archived URL is taken whole from the path (the portal's URLs end in a slash, which
Datasette's not-found handler would strip by a redirect) and its query string from the
request's; every answer, a 404 included, is made here so that no redirect changes it.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from datasette.utils.asgi import Response

from archive.storage.database import ArchiveError, Database
from archive.storage.urls import normalize_url
from archive.webarchive import memento as mementos
from archive.webarchive.replay import (
    REPLAY_HEADERS,
    Banner,
    archived_urls,
    page_links,
    read_exchange,
    rewrite,
)

LINK_FORMAT = "application/link-format"
_SCHEME_SLASH = re.compile(r"^(https?):/+(?=[^/])", re.IGNORECASE)

ArchiveOf = Callable[[object], Database]
FolderOf = Callable[[object], Path | None]
#: Draws a page of the window: (datasette, request, template, context) -> its response.
Render = Callable[[object, object, str, dict], Awaitable[Response]]


async def _run(function, *args):
    return await asyncio.to_thread(function, *args)


def _target(request) -> str:
    """The archived URL of a Memento request: the rest of the path, as sent, with the query
    string; ``http:/host`` (a client that folded the double slash) is mended."""
    url = request.url_vars["url"]
    if request.query_string:
        url += "?" + request.query_string
    return _SCHEME_SLASH.sub(lambda m: m.group(1).lower() + "://", url)


def _addresses(datasette, request, url: str) -> mementos.Addresses:
    def absolute(path: str) -> str:
        return datasette.absolute_url(request, datasette.urls.path(path))

    return mementos.Addresses(
        original=url, timegate=absolute(f"/timegate/{url}"),
        timemap=absolute(f"/timemap/link/{url}"),
        memento=lambda item: absolute(mementos.memento_path(item)))


def _not_archived(url: str) -> Response:
    return Response.text(f"nordarchive holds no capture of {url}\n", status=404)


def wants_html(request) -> bool:
    """A browser (``text/html`` in its Accept) gets a page; a Memento client asking for
    ``application/link-format``, or for anything (``*/*``), the link format."""
    accept = (request.headers.get("accept") or "").lower()
    return "text/html" in accept and LINK_FORMAT not in accept


def captures_view(archive: Database, url: str, found: list[mementos.Memento],
                  addresses: mementos.Addresses, path: Callable[[str], str]
                  ) -> dict[str, Any]:
    """Every capture of a URL (and of its article's other URLs) by year, each with its
    memento, and the revision it began when it began one, like a calendar of captures."""
    article_id = mementos.article_of(archive, url)
    began = ({memento_path: number for number, memento_path in
              mementos.revision_mementos(archive, article_id).items()}
             if article_id is not None else {})
    years: dict[int, list[dict[str, Any]]] = {}
    for item in found:
        years.setdefault(item.datetime.year, []).append({
            "when": item.datetime.strftime("%Y-%m-%d %H:%M:%S"), "url": item.url,
            "status": item.http_status, "memento": addresses.memento(item),
            "revision": began.get(mementos.memento_path(item))})
    return {"url": url, "count": len(found), "years": sorted(years.items()),
            "article": path(f"/article/{article_id}") if article_id is not None else None,
            "link_format": addresses.timemap}


def routes(archive_of: ArchiveOf, folder_of: FolderOf, render: Render | None = None
           ) -> list[tuple[str, Callable]]:
    """The Memento routes, for the plugin's ``register_routes``; ``render`` draws the
    TimeMap's page for a browser."""

    async def timemap(datasette, request) -> Response:
        url = _target(request)
        archive = archive_of(datasette)
        found = await _run(mementos.mementos, archive, url)
        if not found:
            return _not_archived(url)
        addresses = _addresses(datasette, request, url)
        if render is not None and wants_html(request):
            view = await _run(captures_view, archive, url, found, addresses,
                              datasette.urls.path)
            response = await render(datasette, request, "captures.html", view)
            response.headers["Vary"] = "accept"
            return response
        return Response(mementos.timemap(addresses, found), content_type=LINK_FORMAT,
                        headers={"Vary": "accept"})

    async def timegate(datasette, request) -> Response:
        url = _target(request)
        found = await _run(mementos.mementos, archive_of(datasette), url)
        if not found:
            return _not_archived(url)
        wanted = request.headers.get("accept-datetime")
        if wanted:
            try:
                chosen = mementos.closest(found, mementos.parse_http_date(wanted))
            except ValueError as error:
                return Response.text(f"Accept-Datetime: {error}\n", status=400,
                                     headers={"Vary": "accept-datetime"})
        else:
            chosen = found[-1]
        addresses = _addresses(datasette, request, url)
        return Response.redirect(addresses.memento(chosen), headers={
            "Vary": "accept-datetime",
            "Link": mementos.link_header(addresses, memento=chosen, first=found[0],
                                         last=found[-1])})

    async def memento(datasette, request) -> Response:
        stamp, url = request.url_vars["ts"], _target(request)
        try:
            moment = mementos.parse_timestamp(stamp)
        except ValueError as error:
            return Response.text(f"{error}\n", status=400)
        archive = archive_of(datasette)
        found = await _run(mementos.mementos, archive, url)
        if not found:
            return _not_archived(url)
        exact = next((m for m in found if m.timestamp == stamp and m.url == url), None)
        addresses = _addresses(datasette, request, url)
        if exact is None:  # as pywb: the capture nearest to the time asked for
            nearest = mementos.closest(found, moment)
            return Response.redirect(addresses.memento(nearest), headers={
                "Link": mementos.link_header(addresses, memento=nearest)})
        return await replayed(datasette, archive, folder_of(datasette), exact,
                              link=mementos.link_header(addresses, memento=exact,
                                                        first=found[0], last=found[-1]))

    return [
        (r"^/timemap/link/(?P<url>.+)$", timemap),
        (r"^/timegate/(?P<url>.+)$", timegate),
        (r"^/memento/(?P<ts>\d{4,14})/(?P<url>.+)$", memento),
    ]


def _replay(archive: Database, folder: Path | None, item: mementos.Memento,
            paths: Callable[[str], str]) -> tuple[int, dict[str, str], bytes, str]:
    """(status, headers, body, content type) of a memento: a redirect leads to the memento of
    its target; a page is rewritten with the banner, links to archived pages kept inside."""
    if folder is None:
        raise ArchiveError("no WARC folder is configured")
    exchange = read_exchange(archive, item.capture_id, folder)
    stamp = item.timestamp
    if 300 <= item.http_status < 400 and exchange.header("Location"):
        target = urljoin(item.url, exchange.header("Location").strip())
        return (302, {"Location": paths(mementos.memento_path((stamp, target)))}, b"",
                "text/plain; charset=utf-8")
    status = 200 if item.http_status == 304 else item.http_status
    if not exchange.is_html:
        return status, {}, exchange.body, "text/plain; charset=utf-8"
    held = archived_urls(archive, page_links(exchange.body, exchange.content_type, item.url))

    def link_for(target: str) -> str | None:
        if normalize_url(target) in held:
            return paths(mementos.memento_path((stamp, target)))
        return None

    article = mementos.article_of(archive, item.url)
    banner = Banner(item.url, item.datetime, cite=paths(mementos.memento_path(item)),
                    timemap=paths(f"/timemap/link/{item.url}"),
                    article=paths(f"/article/{article}") if article else None)
    body = rewrite(exchange.body, exchange.content_type, item.url, banner, link_for)
    return status, {}, body, "text/html; charset=utf-8"


async def replayed(datasette, archive: Database, folder: Path | None,
                   item: mementos.Memento, link: str | None = None) -> Response:
    """A memento as a response: ``Memento-Datetime``, ``Link`` (when given) and the replay
    headers (no script, nothing fetched from elsewhere)."""
    try:
        status, headers, body, content_type = await _run(
            _replay, archive, folder, item, datasette.urls.path)
    except ArchiveError as error:
        return Response.text(f"{error}\n", status=404)
    headers = {**REPLAY_HEADERS, **headers,
               "Memento-Datetime": mementos.http_date(item.datetime)}
    if link:
        headers["Link"] = link
    return Response(body, status=status, headers=headers, content_type=content_type)
