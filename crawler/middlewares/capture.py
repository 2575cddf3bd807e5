"""Write every page response the crawl acts on (pages, redirects, 404/410, 304, 429/503) to
WARC, as it came off the wire, before any other middleware touches it; identical payloads and
304s become revisit records. The capture's id travels in ``request.meta["capture_id"]`` to
the ingest."""

from __future__ import annotations

import logging
from http import HTTPStatus

from scrapy import signals

from archive.storage.times import utcnow
from archive.webarchive.captures import add_capture, find_payload, latest_for_url
from archive.webarchive.warc import (
    MAX_WARC_BYTES,
    RotatingWarcWriter,
    file_prefix,
    payload_digest,
    warc_dir_for,
)

logger = logging.getLogger(__name__)

CAPTURED_STATUSES = frozenset({200, 301, 302, 303, 307, 308, 304, 404, 410, 429, 503})
_DROPPED_HEADERS = {b"transfer-encoding"}  # the body here is already de-chunked


class WarcCaptureMiddleware:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.writer: RotatingWarcWriter | None = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _writer(self, session) -> RotatingWarcWriter:
        if self.writer is None:
            settings = self.crawler.settings
            folder = warc_dir_for(session.db, settings.get("NORDARCHIVE_WARC_DIR"))
            archive_id = session.db.archive_id
            self.writer = RotatingWarcWriter(
                folder, file_prefix(archive_id, session.run_id),
                settings.getint("NORDARCHIVE_WARC_MAX_BYTES", MAX_WARC_BYTES), archive_id)
            logger.info("captures go to %s", folder)
        return self.writer

    def process_response(self, request, response, spider=None):
        session = getattr(self.crawler.spider, "session", None)
        if (session is None or not request.meta.get("page")
                or response.status not in CAPTURED_STATUSES):
            return response
        now = utcnow()
        headers = [(k.decode("latin-1"), v.decode("latin-1"))
                   for k, values in response.headers.items() if k.lower() not in
                   _DROPPED_HEADERS for v in values]
        request_headers = [(k.decode("latin-1"), v.decode("latin-1"))
                           for k, values in request.headers.items() for v in values]
        body = response.body if response.status != 304 else b""
        if response.status == 304:
            earlier = latest_for_url(session.db, request.url)
            digest = earlier.payload_digest if earlier else payload_digest(b"")
        else:
            digest = payload_digest(body)
            earlier = find_payload(session.db, digest) if body else None
        try:
            phrase = HTTPStatus(response.status).phrase
        except ValueError:
            phrase = ""
        written = self._writer(session).write(
            response.url, response.status, phrase, headers, body, request_headers, now,
            revisit_of=(earlier.url, earlier.fetched_at) if earlier else None, digest=digest)
        request.meta["capture_id"] = add_capture(session.db, written, response.url,
                                                 response.status, now, session.run_id, earlier)
        request.meta["captured_at"] = now  # the page's observation time, for its revision
        self.crawler.stats.inc_value(f"nordarchive/captures/{written.kind}")
        return response

    def spider_closed(self, spider, reason) -> None:
        if self.writer is not None:
            self.writer.close()
