"""The project's Datasette plugin: the archive's own pages beside Datasette's table and SQL
pages. Registered by ``archive.web.app``; its settings (archive file, WARC folder, snapshot
note) come from ``plugin_config("nordarchive")``."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import BadRequest, NotFound, Response

from archive.read.changes import ChangeFilter
from archive.search.index import QueryError
from archive.storage.changes import SIGNIFICANCES, WHATS
from archive.storage.database import ArchiveError
from archive.web import data, feed
from archive.web import memento_pages as memento
from archive.web import source_pages as web_sources
from archive.web import trend_pages as web_trend
from archive.web.cache import cached
from archive.web.readonly import ReadOnlyArchive, ReadOnlyServer
from archive.webarchive import memento as mementos

NAME = "nordarchive"

_archives: dict[str, ReadOnlyArchive] = {}


def _config(datasette) -> dict[str, Any]:
    return datasette.plugin_config(NAME) or {}


def _archive(datasette) -> ReadOnlyArchive | ReadOnlyServer:
    """The archive the pages read: the SQLite file, or a PostgreSQL archive read live."""
    config = _config(datasette)
    key = config.get("live_url") or config["path"]
    if key not in _archives:
        _archives[key] = (ReadOnlyServer(key) if config.get("live_url")
                          else ReadOnlyArchive(key))
    return _archives[key]


def _warc_dir(datasette) -> Path | None:
    folder = _config(datasette).get("warc_dir")
    return Path(folder) if folder else None


async def _run(function, *args):
    """Archive reads are blocking SQLAlchemy calls: run them off the event loop."""
    return await asyncio.to_thread(function, *args)


async def _page(datasette, request, template: str, context: dict[str, Any]) -> Response:
    context = {**context, "snapshot": _config(datasette).get("snapshot"),
               "feed_url": datasette.urls.path("/changes.atom")}
    html = await datasette.render_template(f"nordarchive/{template}", context,
                                           request=request)
    return Response.html(html)


def _args(request) -> dict[str, str]:
    return {key: request.args.get(key) for key in request.args.keys()}


def _filters(request, archive=None):
    try:
        return data.parse_filters(_args(request), archive)
    except ArchiveError as error:
        raise BadRequest(str(error)) from None


def _chosen(request) -> ChangeFilter:
    """Which revisions the changes page and feed show (``?what=``, ``?significance=``,
    ``?min_words=``, ``?changed_since=``, ``?changed_until=``)."""
    try:
        return ChangeFilter.parse(tuple(request.args.getlist("what")),
                                  tuple(request.args.getlist("significance")),
                                  request.args.get("min_words"),
                                  request.args.get("changed_since") or None,
                                  request.args.get("changed_until") or None)
    except ArchiveError as error:
        raise BadRequest(str(error)) from None


def _int_arg(request, name: str, default: int = 1) -> int:
    value = request.args.get(name) or ""
    return int(value) if value.isdigit() and len(value) < 6 else default


async def home(datasette, request) -> Response:
    archive = _archive(datasette)
    numbers = await _run(cached, data.numbers, archive)
    latest = await _run(data.changes, archive, data.Filters(), 10)
    charts = data.chart_specs(await _run(cached, data.chart_data, archive), width=520)[:2]
    choices = await _run(cached, data.choices, archive)
    return await _page(datasette, request, "home.html", {
        "numbers": numbers, "latest": latest, "charts": charts, "choices": choices,
        "summary": feed.summary})


async def search(datasette, request) -> Response:
    archive = _archive(datasette)
    filters = _filters(request, _archive(datasette))
    query = (request.args.get("q") or "").strip()
    page = _int_arg(request, "page")
    result, error, source_hits = None, None, None
    if query:
        try:
            result = await _run(data.search_page, archive, query, filters, page)
            if request.args.get("in") == "sources":
                source_hits = await _run(web_sources.search_hits, archive, query, filters)
        except QueryError as problem:
            error = str(problem)
    choices = await _run(cached, data.choices, archive)
    trend = (await _run(web_trend.search_view, archive, filters, request.args,
                        datasette.urls.path("/trend.json"), {query: result["matches"]})
             if result else None)
    response = await _page(datasette, request, "search.html", {
        "q": query, "filters": filters, "result": result, "error": error,
        "choices": choices, "day": data.day, "args": _args(request), "kinds": data.KINDS,
        "trend": trend, "source_hits": source_hits})
    if error:
        response.status = 400
    return response


async def _article_or_404(function, *args):
    try:
        return await _run(function, *args)
    except ArchiveError as error:
        raise NotFound(str(error)) from None


async def article(datasette, request) -> Response:
    article_id = int(request.url_vars["id"])
    row = await _article_or_404(data.article, _archive(datasette), article_id,
                                _warc_dir(datasette))
    view = "inline" if request.args.get("view") == "inline" else "side"
    cite = await _run(mementos.revision_mementos, _archive(datasette), article_id)
    cited = await _run(web_sources.of_article, _archive(datasette), article_id)
    for source in cited:
        source["raw"] = await _run(data.raw_on_disk, _archive(datasette),
                                   source["capture_id"], _warc_dir(datasette))
    return await _page(datasette, request, "article.html", {"a": row, "view": view,
                                                            "cite": cite, "sources": cited})


async def source(datasette, request) -> Response:
    archive, folder = _archive(datasette), _warc_dir(datasette)
    row = await _article_or_404(web_sources.source_page, archive, int(request.url_vars["id"]))
    for capture in row["captures"]:
        capture["raw"] = await _run(data.raw_on_disk, archive, capture["capture_id"], folder)
    return await _page(datasette, request, "source.html", {"s": row})


async def source_raw(datasette, request) -> Response:
    """A source's captured response, replayed like an article's (banner, no script)."""
    archive, folder = _archive(datasette), _warc_dir(datasette)
    capture_id = await _article_or_404(web_sources.capture_of, archive,
                                       int(request.url_vars["id"]), int(request.url_vars["c"]))
    if not await _run(data.raw_on_disk, archive, capture_id, folder):
        raise NotFound(f"capture {capture_id} is not on this machine")
    item = await _article_or_404(mementos.of_capture, archive, capture_id)
    return await memento.replayed(datasette, archive, folder, item)


async def revision(datasette, request) -> Response:
    article_id, number = int(request.url_vars["id"]), int(request.url_vars["n"])
    row = await _article_or_404(data.revision, _archive(datasette), article_id, number,
                                _warc_dir(datasette))
    view = "inline" if request.args.get("view") == "inline" else "side"
    return await _page(datasette, request, "revision.html", {"r": row, "view": view})


async def raw(datasette, request) -> Response:
    """The captured page a revision was read from, as an archived copy: a banner, no script,
    links to the archive's own copies where it holds the page (``archive.webarchive.replay``)."""
    article_id, number = int(request.url_vars["id"]), int(request.url_vars["n"])
    archive, folder = _archive(datasette), _warc_dir(datasette)
    row = await _article_or_404(data.revision, archive, article_id, number, folder)
    if not row["raw"]:
        raise NotFound(f"the capture of revision {number} of article {article_id} is not "
                       "on this machine")
    item = await _article_or_404(mementos.of_capture, archive, row["capture_id"])
    return await memento.replayed(datasette, archive, folder, item)


async def changes_page(datasette, request) -> Response:
    archive = _archive(datasette)
    filters = _filters(request, _archive(datasette))
    chosen = _chosen(request)
    page = _int_arg(request, "page")
    rows = await _run(data.changes, archive, filters, data.CHANGES_PAGE + 1,
                      data.CHANGES_PAGE * (page - 1), chosen)
    choices = await _run(cached, data.choices, archive)
    return await _page(datasette, request, "changes.html", {
        "changes": rows[:data.CHANGES_PAGE], "has_next": len(rows) > data.CHANGES_PAGE,
        "page": page, "filters": filters, "choices": choices, "summary": feed.summary,
        "args": _args(request), "chosen": chosen, "whats": WHATS,
        "significances": SIGNIFICANCES})


async def changes_atom(datasette, request) -> Response:
    archive = _archive(datasette)
    filters = _filters(request, _archive(datasette))
    chosen = _chosen(request)
    rows = await _run(data.changes, archive, filters, data.CHANGES_PAGE, 0, chosen)
    query = request.query_string
    suffix = f"?{query}" if query else ""
    label = ", ".join(f"{k} {v}" for k, v in (
        ("language", filters.language), ("tag", filters.tag),
        *((k.replace("_", " "), v) for k, v in chosen.query_string().items())) if v)
    body = feed.atom(
        rows, feed_id=f"urn:nordarchive:changes{':' + label if label else ''}",
        title="nordarchive: changes to the archived articles" + (f" ({label})" if label
                                                                 else ""),
        self_url=datasette.absolute_url(request, datasette.urls.path("/changes.atom") + suffix),
        page_url=datasette.absolute_url(request, datasette.urls.path("/changes") + suffix),
        absolute=lambda path: datasette.absolute_url(request, datasette.urls.path(path)))
    return Response(body, content_type="application/atom+xml; charset=utf-8")


async def stats(datasette, request) -> Response:
    archive = _archive(datasette)
    chart_data = await _run(cached, data.chart_data, archive)
    gone = await _run(cached, web_sources.gone_by_year, archive)
    return await _page(datasette, request, "stats.html", {
        "numbers": await _run(cached, data.numbers, archive),
        "charts": data.chart_specs(chart_data) + ([web_sources.gone_chart(gone)] if gone else []),
        "chart_data": chart_data, "gone_by_year": gone})


async def trend_download(datasette, request) -> Response:
    """``/trend.csv`` and ``/trend.json``: the numbers of the search page's chart."""
    write = web_trend.trend_csv if request.url_vars["format"] == "csv" else web_trend.trend_json
    archive = _archive(datasette)
    return await write(datasette, request, archive, _filters(request, archive))


async def trend_page(datasette, request) -> Response:
    """``/trend``: ``nordarchive trend`` as a page (the form, the chart, the table)."""
    archive = _archive(datasette)
    view = await _run(web_trend.page_view, archive, _filters(request, archive), request.args,
                      datasette.urls.path("/trend.json"))
    response = await _page(datasette, request, "trend.html", {**view, "args": _args(request)})
    if view["error"]:
        response.status = 400
    return response


async def terms(datasette, request) -> Response:
    archive = _archive(datasette)
    filters = _filters(request, _archive(datasette))
    try:
        results = await _run(web_trend.terms_view, archive, filters, request.args)
    except QueryError as error:
        raise BadRequest(str(error)) from None
    return await _page(datasette, request, "terms.html", {
        "results": results, "args": _args(request)})


@hookimpl
def register_routes(datasette):
    return [
        (r"^/$", home),
        (r"^/search$", search),
        (r"^/article/(?P<id>\d{1,17})$", article),
        (r"^/article/(?P<id>\d{1,17})/revision/(?P<n>\d{1,9})$", revision),
        (r"^/article/(?P<id>\d{1,17})/revision/(?P<n>\d{1,9})/raw$", raw),
        (r"^/source/(?P<id>\d{1,17})$", source),
        (r"^/source/(?P<id>\d{1,17})/capture/(?P<c>\d{1,17})/raw$", source_raw),
        (r"^/changes$", changes_page),
        (r"^/changes\.atom$", changes_atom),
        (r"^/stats$", stats),
        (r"^/trend$", trend_page),
        (r"^/trend\.(?P<format>csv|json)$", trend_download),
        (r"^/terms$", terms),
        *memento.routes(_archive, _warc_dir, _page),
    ]


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/-/nordarchive/nordarchive.css")]


@hookimpl
def menu_links(datasette):
    return [{"href": datasette.urls.path(path), "label": label} for path, label in (
        ("/", "Start"), ("/search", "Search"), ("/trend", "Trend"), ("/changes", "Changes"),
        ("/stats", "Charts"),
        ("/archive", "Tables and SQL"))]


@hookimpl
def asgi_wrapper(datasette):
    from archive.web.console import logged_and_read_only

    return logged_and_read_only


@hookimpl
def handle_exception(datasette, request, exception):
    from archive.web.console import error_answer

    return error_answer(datasette, request, exception, {
        "snapshot": _config(datasette).get("snapshot"),
        "feed_url": datasette.urls.path("/changes.atom")})
