"""Serve the replica portal on loopback: ``python -m tests.replica.serve [--port 8765]``.

Then crawl it: ``nordarchive crawl --start-url http://127.0.0.1:8765/integration-norden/``
(add ``--set DOWNLOAD_DELAY=0`` to drop politeness against your own machine).
"""

from __future__ import annotations

import argparse
import time

from tests.replica.site import ReplicaServer, ReplicaSite


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1", help="a loopback address")
    args = parser.parse_args()
    server = ReplicaServer(ReplicaSite(), host=args.host, port=args.port).start()
    print(f"replica portal at {server.base}/integration-norden/ (Ctrl-C stops)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
