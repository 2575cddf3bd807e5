"""Scrapy's depth limit, except that a listing's next page is as deep as the page before:
pagination does not spend the depth budget (the pagination guard bounds it instead); and a
source an article cites is never cut off by it (it is one hop out by construction: its own
links are never followed)."""

from __future__ import annotations

from scrapy.spidermiddlewares.depth import DepthMiddleware


class PaginationDepthMiddleware(DepthMiddleware):
    def get_processed_request(self, request, response):
        if request.meta.get("source"):
            return request
        if response is not None and request.meta.get("pagination"):
            request.meta.pop("depth_reset", None)
            request.meta["depth"] = response.meta.get("depth", 0)
            return request
        return super().get_processed_request(request, response)
