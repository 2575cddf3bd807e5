"""The one look of the window's charts (Vega-Lite): time on the x axis as a time scale, so
that its ticks are thinned to what fits (years, quarters or months by span) and a month
without articles is a month without a bar, and counts on whole-number ticks."""

from __future__ import annotations

from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
#: Period labels (``2024-03``, ``2024``) and their time unit; ISO weeks stay ordinal labels.
_TIME_UNITS = {"month": "utcyearmonth", "year": "utcyear"}
_FORMATS = {"month": "%b %Y", "year": "%Y"}


def time_x(field: str, by: str = "month", title: str | None = None) -> dict[str, Any]:
    """The x encoding of a period field (``month``, ``year`` or ``week``)."""
    if by in _TIME_UNITS:
        return {"field": field, "type": "temporal", "timeUnit": _TIME_UNITS[by],
                "title": title or by,
                "axis": {"format": _FORMATS[by], "labelOverlap": True, "labelAngle": 0,
                         "labelSeparation": 6}}
    return {"field": field, "type": "ordinal", "title": title or by,
            "axis": {"labelOverlap": "greedy", "labelAngle": 0, "labelSeparation": 6}}


def count_y(field: str, title: str) -> dict[str, Any]:
    """A count: ticks on whole numbers only."""
    return {"field": field, "type": "quantitative", "title": title,
            "axis": {"tickMinStep": 1, "format": "d"}}


def share_y(field: str, title: str) -> dict[str, Any]:
    return {"field": field, "type": "quantitative", "title": title, "axis": {"format": "%"}}


def chart(title: str, values_or_url: list | dict, mark: dict, encoding: dict, *,
          width: int = 640, height: int | dict = 220) -> dict[str, Any]:
    data = values_or_url if isinstance(values_or_url, dict) else {"values": values_or_url}
    return {"$schema": SCHEMA, "width": width, "height": height, "title": title,
            "data": data, "mark": mark, "encoding": encoding}
