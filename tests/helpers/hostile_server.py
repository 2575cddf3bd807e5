"""A purpose-built hostile site on 127.0.0.1: wrong charsets, binary as HTML, empty, huge and
dripping pages, bomb and entity sitemaps, redirect loops and escapes, crawler traps."""

from __future__ import annotations

import functools
import gzip
import time

from tests.helpers.loopback import LoopbackServer

P = "/integration-norden/"
NORDIC = "Räksmörgås på Åland, smørrebrød i Ærøskøbing, þjóð og ðetta, hyvää päivää."


def article(title: str, charset_meta: str | None = None) -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    body = "".join(f"<p>{NORDIC} Stycke {i} handlar om integration i Norden och om hur "
                   f"kommunerna arbetar med nyanlända.</p>" for i in range(4))
    return (f"<html lang='sv'><head>{meta}<title>{title}</title>"
            f'<meta property="og:type" content="article"></head><body><main><article>'
            f"<h1>{title}</h1><p>12 feb 2018</p>{body}</article></main></body></html>")


ROUTES_HTML = {
    "cp1252": ("text/html; charset=windows-1252", article("Teckentabell 1252").encode("cp1252")),
    "latin1-meta": ("text/html", article("Latin 1 i meta", "iso-8859-1").encode("latin-1")),
    "bom": ("text/html", b"\xef\xbb\xbf" + article("Med BOM", "windows-1252").encode()),
    "wrong-meta": ("text/html; charset=utf-8", article("Fel meta", "iso-8859-1").encode()),
    "binary": ("text/html", bytes(range(256)) * 64),
    "empty": ("text/html", b""),
}
REDIRECTS = {
    "loop-a": P + "loop-b", "loop-b": P + "loop-a",
    "to-link-local": "http://169.254.169.254/latest/meta-data/",
    "to-file": "file:///etc/passwd",
    "to-ftp": "ftp://127.0.0.1/pub/x",
    "to-subsite": "/popnad/secret/",
}


@functools.cache
def _bomb() -> bytes:
    """~50 MB of XML in ~50 KB of gzip; made once, so that compressing it never slows the
    server's answers to the crawl's other requests."""
    return gzip.compress(b"<urlset>" + b"<!-- x -->" * 5_000_000 + b"</urlset>",
                         compresslevel=9)


class HostileServer:
    def __init__(self, other_base: str, host: str = "127.0.0.1") -> None:
        self.other_base = other_base
        self.requests: list[str] = []
        self.server = LoopbackServer(self._log_and_route, host)
        self.base = self.server.base

    def _log_and_route(self, handler) -> None:
        self.requests.append(handler.path)
        self.route(handler)

    def __enter__(self) -> HostileServer:
        _bomb()
        self.server.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.stop()

    def _send(self, h, status: int, body: bytes, content_type: str = "text/html",
              headers: dict | None = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            h.send_header(key, value)
        h.end_headers()
        h.wfile.write(body)

    def route(self, h) -> None:
        path = h.path
        name = path[len(P):].split("?")[0].strip("/") if path.startswith(P) else ""
        if path == "/robots.txt":
            self._send(h, 200, f"User-agent: *\nSitemap: {self.base}/sitemap_index.xml\n"
                       .encode(), "text/plain")
        elif path == "/sitemap_index.xml":
            maps = "".join(f"<sitemap><loc>{self.base}{P}{m}</loc></sitemap>"
                           for m in ("bomb.xml.gz", "entities.xml", "other-hosts.xml"))
            self._send(h, 200, f"<sitemapindex>{maps}</sitemapindex>".encode(),
                       "application/xml")
        elif name == "bomb.xml.gz":
            self._send(h, 200, _bomb(), "application/x-gzip")
        elif name == "entities.xml":
            body = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM '
                    '"file:///etc/passwd"><!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;'
                    '&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><urlset>'
                    f"<url><loc>{self.base}{P}x-&xxe;-&c;</loc></url></urlset>")
            self._send(h, 200, body.encode(), "application/xml")
        elif name == "other-hosts.xml":
            body = (f"<urlset><url><loc>{self.other_base}{P}elsewhere/</loc></url>"
                    f"<url><loc>{self.base}/popnad/sitemap-page/</loc></url></urlset>")
            self._send(h, 200, body.encode(), "application/xml")
        elif path == P:
            links = [*ROUTES_HTML, *REDIRECTS, "huge", "drip", "to-other-host", "calendar",
                     "trap/page/1", "good"]
            variants = "".join(f'<a href="{P}good/?v={i}">v{i}</a>' for i in range(10_000))
            html = ("<html><head><title>Start</title></head><body><main><h1>Start</h1>" +
                    "".join(f'<a href="{P}{link}">{link}</a> ' for link in links) + variants +
                    "</main></body></html>")
            self._send(h, 200, html.encode())
        elif name in ROUTES_HTML:
            content_type, body = ROUTES_HTML[name]
            self._send(h, 200, body, content_type)
        elif name == "good":
            self._send(h, 200, article("Ett vanligt inlägg").replace(
                "<title>", f'<link rel="canonical" href="{self.base}{P}good/"><title>').encode())
        elif name in REDIRECTS:
            self._send(h, 302 if name.startswith("loop") else 301, b"",
                       headers={"Location": REDIRECTS[name]})
        elif name == "to-other-host":
            self._send(h, 301, b"", headers={"Location": f"{self.other_base}{P}"})
        elif name == "huge":
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", str(100 * 1024 * 1024))
            h.end_headers()
            chunk = b"<p>" + b"x" * 65_530 + b"</p>"
            for _ in range(1600):
                h.wfile.write(chunk)
        elif name == "drip":
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", "100000")
            h.end_headers()
            for _ in range(60):
                h.wfile.write(b"<")
                h.wfile.flush()
                time.sleep(0.5)
        elif name.startswith("calendar"):
            month = int(path.split("month=")[1]) if "month=" in path else 0
            html = (f"<html><body><main><h1>Kalender {month}</h1><a href='{P}calendar/"
                    f"?month={month + 1}'>next</a><a href='{P}calendar/?month={month - 1}'>"
                    f"prev</a></main></body></html>")
            self._send(h, 200, html.encode())
        elif name.startswith("trap/page/"):
            n = int(name.rsplit("/", 1)[1])
            html = (f"<html><body><main><h1>Sida {n}</h1><a href='{P}trap/page/{n + 1}/'>"
                    f"next</a></main></body></html>")
            self._send(h, 200, html.encode())
        else:
            self._send(h, 404, b"<html><body>not here</body></html>")
