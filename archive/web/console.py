"""What ``nordarchive serve`` says about the requests it answers: one access-log line per
request, a clean refusal of every write, and error pages that are answers (a 404, a bad query,
invalid SQL), not tracebacks. A traceback is printed only for a real bug (an answer 500)."""

from __future__ import annotations

import sys
import time
import traceback
from datetime import UTC, datetime
from typing import Any

from datasette.utils.asgi import Base400, Response
from datasette.views.base import DatasetteError
from markupsafe import Markup

#: The only methods a read-only archive answers; every other one is a write, refused (405).
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY = ("this archive is served read-only: {method} is not allowed (only `nordarchive "
             "crawl` changes an archive)")


def access_line(method: str, target: str, status: int, seconds: float) -> str:
    """``2026-12-04T21:20:01Z GET /search?q=x 200 12 ms``: when, what, the answer, how long."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{now} {method} {target} {status or 500} {seconds * 1000:.0f} ms"


def _target(scope: dict[str, Any]) -> str:
    raw = scope.get("raw_path") or scope.get("path", "").encode("utf-8")
    query = scope.get("query_string") or b""
    target = raw + (b"?" + query if query else b"")
    return target.decode("ascii", "backslashreplace")


def logged_and_read_only(app):
    """An ASGI wrapper: writes refused with 405 before Datasette sees them, and one line on
    standard output for every request once it is answered."""

    async def wrapped(scope, receive, send):
        if scope.get("type") != "http":
            return await app(scope, receive, send)
        started = time.perf_counter()
        answer = {"status": 0}

        async def sending(message):
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            await send(message)

        method = scope.get("method", "GET")
        try:
            if method in READ_METHODS:
                await app(scope, receive, sending)
            else:
                await _refuse_write(scope, method, sending)
        finally:
            print(access_line(method, _target(scope), answer["status"],
                              time.perf_counter() - started), flush=True)

    return wrapped


async def _refuse_write(scope: dict[str, Any], method: str, send) -> None:
    message = READ_ONLY.format(method=method)
    path = scope.get("path", "")
    if "/-/" in path or path.endswith(".json"):  # Datasette's JSON API: answer in JSON
        import json

        body = json.dumps({"ok": False, "errors": [message]}).encode()
        content_type = b"application/json; charset=utf-8"
    else:
        body = (message + "\n").encode()
        content_type = b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": 405, "headers": [
        (b"content-type", content_type), (b"allow", b"GET, HEAD"),
        (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def error_answer(datasette, request, exception: Exception, context: dict[str, Any]):
    """Datasette's ``handle_exception``: the error page inside the archive's own layout
    (navigation bar included); a traceback on standard error only for a status 500."""

    async def inner():
        title = None
        if isinstance(exception, Base400):
            status, message = exception.status, exception.args[0] if exception.args else ""
        elif isinstance(exception, DatasetteError):
            status, message, title = exception.status, exception.message, exception.title
            if exception.message_is_html:
                message = Markup(message)
        else:
            status, message = 500, f"{type(exception).__name__}: {exception}"
        if status >= 500:
            print(f"nordarchive serve: error answering {request.method} {request.path} "
                  "(a bug: please report it with this traceback):", file=sys.stderr)
            traceback.print_exception(exception, file=sys.stderr)
            sys.stderr.flush()
        info = {"ok": False, "error": str(message), "status": status, "title": title}
        if request.path.endswith(".json"):
            return Response.json(info, status=status)
        html = await datasette.render_template(
            "nordarchive/error.html", {**context, **info, "error": message}, request=request)
        return Response.html(html, status=status)

    return inner
