"""Serve the replica portal on loopback: ``python -m tests.replica.serve [--port 8765]``.

Then crawl it: ``nordarchive crawl --start-url http://127.0.0.1:8765/integration-norden/``
(add ``--set DOWNLOAD_DELAY=0`` to drop politeness against your own machine).
``--real classic`` (or ``builder``) serves the portal's real pages from the planners'
``shared/portal-real`` instead (``$NORDARCHIVE_SHARED`` or ``../shared``).
"""

from __future__ import annotations

import argparse
import time

from tests.replica.portal_real import MARKUPS, PortalRealSite
from tests.replica.site import ReplicaServer, ReplicaSite


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1", help="a loopback address")
    parser.add_argument("--real", choices=MARKUPS,
                        help="serve the portal's real pages in this markup")
    args = parser.parse_args()
    site = PortalRealSite(args.real) if args.real else ReplicaSite()
    server = ReplicaServer(site, host=args.host, port=args.port).start()
    print(f"replica portal at {server.base}/integration-norden/ (Ctrl-C stops)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
