"""Attention over time in the web window: the count of matches and their curve beside a
search, the same numbers as CSV and JSON downloads (``/trend.csv``, ``/trend.json``), and a
result set's top tags and words (``/terms``). Every number comes from ``archive.read.trend`` and
``archive.read.distinctive_terms``, as ``nordarchive trend`` prints them."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from typing import Any
from urllib.parse import urlencode

from datasette.utils.asgi import BadRequest, Response

from archive.read.distinctive_terms import top_terms
from archive.read.trend import PERIODS, SPLITS, TrendError, columns, count_matches, trend
from archive.search.filters import Filters
from archive.search.index import QueryError
from archive.storage.database import ArchiveError, Database
from archive.web import charts

#: Most queries compared on one chart.
MAX_QUERIES = 6


def options(args) -> dict[str, Any]:
    """The queries and chart options of a query string (``q`` repeatable, ``by``, ``split``:
    ``language`` by default, ``none`` for one curve, ``norm=1``)."""
    queries = [q.strip() for q in args.getlist("q") if q.strip()][:MAX_QUERIES]
    by = args.get("by") if args.get("by") in PERIODS else "month"
    split = args.get("split") or "language"
    split = split if split in SPLITS else None
    return {"queries": queries, "by": by, "split": split, "normalise": args.get("norm") == "1"}


def compute(db: Database, filters: Filters, chosen: dict[str, Any]) -> dict[str, Any]:
    return trend(db, chosen["queries"], filters, by=chosen["by"], split=chosen["split"],
                 normalise=chosen["normalise"])


def spec(result: dict[str, Any], width: int = 640, data_url: str | None = None
         ) -> dict[str, Any]:
    """A Vega-Lite chart of a trend: stacked bars by split value for one query, lines per
    query (dashed by split value) for several. With ``data_url`` the browser loads the rows
    from ``/trend.json`` (the page itself need not wait for them)."""
    y = (charts.share_y("share", "share of articles") if result["normalised"]
         else charts.count_y("matches", "matching articles"))
    split = result["split"]
    several = len(result["queries"]) > 1
    encoding: dict[str, Any] = {"x": charts.time_x("period", result["by"]), "y": y}
    if several:
        encoding["color"] = {"field": "query", "type": "nominal"}
        if split:
            encoding["strokeDash"] = {"field": split, "type": "nominal"}
        mark = {"type": "line", "point": True, "tooltip": True}
    else:
        if split:
            encoding["color"] = {"field": split, "type": "nominal"}
        mark = {"type": "bar", "tooltip": True}
    what = "share of all articles" if result["normalised"] else "matching articles"
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "width": width,
            "height": 240, "title": f"{what} per {result['by']}"
            + (f", by {split}" if split else ""),
            "data": ({"url": data_url, "format": {"type": "json", "property": "rows"}}
                     if data_url else {"values": result["rows"]}),
            "mark": mark, "encoding": encoding}


def as_csv(result: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns(result), lineterminator="\n")
    writer.writeheader()
    writer.writerows(result["rows"])
    return out.getvalue()


def search_view(db: Database, filters: Filters, args, data_path: str = "/trend.json",
                known: dict[str, int] | None = None) -> dict[str, Any] | None:
    """What the search page shows above its hits: each query's number of matches now, and a
    chart whose rows the browser loads from ``/trend.json`` (so the page answers as fast as
    the search), with download links; None without a query (a bad query is the search's own
    error). ``known``: matches of queries counted already (the search page's own query)."""
    chosen = options(args)
    if not chosen["queries"]:
        return None
    try:
        known = known or {}
        missing = [q for q in chosen["queries"] if q not in known]
        counted = count_matches(db, missing, filters) if missing else {}
        totals = {q: known[q] if q in known else counted[q]
                  for q in dict.fromkeys(chosen["queries"])}
    except (QueryError, TrendError):
        return None
    result = {"queries": list(totals), "by": chosen["by"], "split": chosen["split"],
              "normalised": chosen["normalise"], "totals": totals}
    pairs = [(k, v) for k in args.keys() for v in args.getlist(k) if k != "page"]

    def changed(**values: str) -> str:
        """This page's query string with options replaced."""
        return urlencode([(k, v) for k, v in pairs if k not in values]
                         + [(k, v) for k, v in values.items() if v])

    choices = {
        "per": [(by, changed(by=by), by == chosen["by"]) for by in PERIODS],
        "split by": [(name, changed(split=name), name == (chosen["split"] or "none"))
                     for name in [*SPLITS, "none"]],
        "show": [("counts", changed(norm=""), not chosen["normalise"]),
                 ("share of all articles", changed(norm="1"), chosen["normalise"])],
    }
    query_string = urlencode(pairs)
    return {"result": result, "query_string": query_string, "choices": choices,
            "spec": spec(result, data_url=f"{data_path}?{query_string}")}


async def _computed(datasette, request, archive, filters: Filters) -> dict[str, Any]:
    chosen = options(request.args)
    if not chosen["queries"]:
        raise BadRequest("no query: give ?q=…")
    try:
        return await asyncio.to_thread(compute, archive, filters, chosen)
    except (QueryError, TrendError, ArchiveError) as error:
        raise BadRequest(str(error)) from None


async def trend_json(datasette, request, archive, filters: Filters) -> Response:
    result = await _computed(datasette, request, archive, filters)
    return Response(json.dumps(result, ensure_ascii=False, indent=2),
                    content_type="application/json; charset=utf-8",
                    headers={"Content-Disposition": 'inline; filename="trend.json"'})


async def trend_csv(datasette, request, archive, filters: Filters) -> Response:
    result = await _computed(datasette, request, archive, filters)
    return Response(as_csv(result), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="trend.csv"'})


def page_view(db: Database, filters: Filters, args, data_path: str = "/trend.json"
              ) -> dict[str, Any]:
    """The ``/trend`` page: the form's choices, and for queries the counts and chart of
    ``search_view`` and the table of every period (``nordarchive trend``'s rows)."""
    chosen = options(args)
    form = {"queries": chosen["queries"] + [""] * (3 - len(chosen["queries"])),
            "by": chosen["by"], "split": chosen["split"] or "none",
            "normalise": chosen["normalise"], "periods": PERIODS,
            "splits": [*SPLITS, "none"]}
    if not chosen["queries"]:
        return {"form": form, "view": None, "table": None, "error": None}
    try:
        result = compute(db, filters, chosen)
    except (QueryError, TrendError) as error:
        return {"form": form, "view": None, "table": None, "error": str(error)}
    names = columns(result)
    return {"form": form, "view": search_view(db, filters, args, data_path,
                                              result.get("totals")),
            "table": {"columns": names,
                      "rows": [[row.get(name) for name in names] for row in result["rows"]]},
            "error": None}


def terms_view(db: Database, filters: Filters, args) -> list[dict[str, Any]]:
    """Top tags and words of each query's matches (``/terms``)."""
    return [top_terms(db, query, filters) for query in options(args)["queries"]]
