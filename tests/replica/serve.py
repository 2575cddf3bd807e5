"""Serve the replica portal on loopback: ``python -m tests.replica.serve [--port 8765]``.

Then crawl it: ``nordarchive crawl --start-url http://127.0.0.1:8765/integration-norden/``
(add ``--set DOWNLOAD_DELAY=0`` to drop politeness against your own machine).

``--phase 2`` serves the same portal a week later, so that a second crawl has history to
record: one article edited (a new revision with a diff), one removed (404), one moved to a new
slug (a 301 from its old URL). Stop the first server, start this one on the same port and crawl
again.

``--real classic`` (or ``builder``) serves the portal's real pages from the planners'
``shared/portal-real`` instead (``$NORDARCHIVE_SHARED`` or ``../shared``).
"""

from __future__ import annotations

import argparse
import html
import time

from tests.replica import content
from tests.replica import sources as cited
from tests.replica.portal_real import MARKUPS, PortalRealSite
from tests.replica.site import Page, ReplicaServer, ReplicaSite
from tests.replica.sources import SourceSite

#: What ``--phase 2`` changes: (article key, what happens to it).
EDITED, REMOVED, MOVED = "sv-sprakkafe", "en-forum", "da-forum"
MOVED_SLUG = "nordisk-forum-for-eksperter-i-integration-da"


#: The article of the demo that cites sources on a second loopback port (``--sources-port``).
CITING = "sv-natverk-unga"


def cite_sources(site: ReplicaSite, sources: SourceSite) -> None:
    """The citing article's text gains a paragraph citing a report page, a PDF and a seminar
    page of the sources' site (the seminar page is gone in phase 2)."""
    path = site.paths[CITING]
    page = site.pages[path]
    paragraph = (
        f'<p>Enligt <a href="{sources.url(cited.REPORT)}">Kommuntorgets rapport</a> och '
        f'<a href="{sources.url(cited.PDF)}">Indikatorer for integrering 2021 (PDF)</a> växer '
        "nätverket av integrationssakkunniga för varje år; "
        f'<a href="{sources.url(cited.REMOVED)}">seminariet om mottagande</a> hör till årets '
        "program.</p>")
    body = page.body.decode()
    last = html.escape(content.BY_KEY[CITING].paragraphs[-1], quote=False)
    end = body.index("</p>", body.index(last)) + len("</p>")  # after the article's last words
    body = body[:end] + paragraph + body[end:]
    site.pages[path] = Page(body.encode(), last_modified=page.last_modified)


def change_site(site: ReplicaSite) -> None:
    """Phase 2: an edit, a removal and a move (a new slug, its old URL answering 301)."""
    story = content.BY_KEY[EDITED]
    site.edit(EDITED, paragraphs=(story.paragraphs[0],
                                  story.paragraphs[1].replace("tre år", "fyra år"),
                                  *story.paragraphs[2:]))
    site.remove(REMOVED)
    site.move(MOVED, MOVED_SLUG)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1", help="a loopback address")
    parser.add_argument("--real", choices=MARKUPS,
                        help="serve the portal's real pages in this markup")
    parser.add_argument("--sources-port", type=int, default=None,
                        help="where the sites the articles cite are served (default: the "
                             "next port)")
    parser.add_argument("--phase", type=int, choices=(1, 2), default=1,
                        help="1: the portal as first crawled; 2: a week later (an article "
                             "edited, one removed, one moved)")
    args = parser.parse_args()
    if args.real:
        if args.phase != 1:
            parser.error("--phase 2 changes the replica's own pages, not --real ones")
        server = ReplicaServer(PortalRealSite(args.real), host=args.host, port=args.port).start()
        print(f"real portal pages ({args.real}) at {server.base}/integration-norden/ "
              "(Ctrl-C stops)", flush=True)
        _wait(server)
        return
    site = ReplicaSite()
    server = ReplicaServer(site, host=args.host, port=args.port)
    sources = SourceSite()
    sources_server = ReplicaServer(sources, host=args.host,
                                   port=args.sources_port or args.port + 1)
    old_urls = {key: site.url(site.paths[key]) for key in (EDITED, REMOVED, MOVED)}
    if args.phase == 2:
        change_site(site)
        site.render()
    server.start()
    sources_server.start()
    if args.phase == 2:
        sources.second_phase()
    cite_sources(site, sources)
    print(f"replica portal (phase {args.phase}) at {server.base}/integration-norden/, the "
          f"sites it cites at {sources_server.base}/ (Ctrl-C stops)", flush=True)
    if args.phase == 2:
        print(f"  edited:  {old_urls[EDITED]}\n  removed: {old_urls[REMOVED]}\n"
              f"  moved:   {old_urls[MOVED]} -> {site.url(site.paths[MOVED])}\n"
              f"  gone:    {sources.url(cited.REMOVED)} (a cited source)", flush=True)
    _wait(server, sources_server)


def _wait(*servers: ReplicaServer) -> None:
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        for server in servers:
            server.stop()


if __name__ == "__main__":
    main()
