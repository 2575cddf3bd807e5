"""Building the Datasette that ``nordarchive serve`` runs: the archive file opened read-only,
the project's plugin and nothing else that could write, an SQL time limit, loopback by
default. A PostgreSQL archive is read live (read-only transactions) by the project's pages;
Datasette's tables and SQL pages show an SQLite snapshot written in the background."""

from __future__ import annotations

import ipaddress
import shutil
import sys
import tempfile
import threading
import webbrowser
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from archive.storage.database import ArchiveError, database_url
from archive.webarchive.warc import warc_dir_for

WEB = Path(__file__).resolve().parent
DB_NAME = "archive"
#: Datasette settings: every SQL query (the SQL page's included) stops after this long.
SETTINGS = {"sql_time_limit_ms": 1000, "facet_time_limit_ms": 200, "max_returned_rows": 1000,
            "allow_download": False, "default_allow_sql": True}


@dataclass(frozen=True)
class Served:
    """What is served: the SQLite file, its WARC folder, and for a snapshot, of what and when."""

    path: Path
    warc_dir: Path | None
    source: str | None = None
    taken: datetime | None = None
    #: A PostgreSQL archive: the project's pages read it live, read-only; only the tables and
    #: SQL pages show the snapshot at ``path``, written after start-up.
    live_url: str | None = None

    @property
    def snapshot_note(self) -> str | None:
        if self.source is None or self.taken is None:
            return None
        if self.live_url:
            return (f"Read live from {self.source}; the tables and SQL pages show a snapshot "
                    f"of {self.source} taken {self.taken:%Y-%m-%d %H:%M:%S} UTC (there once "
                    "copied); restart nordarchive serve for a newer one.")
        return (f"A snapshot of {self.source} taken {self.taken:%Y-%m-%d %H:%M:%S} UTC; "
                "restart nordarchive serve for a newer one.")


def _only_our_plugin():
    """Register the project's plugin; unregister every other non-default plugin installed in
    this environment, so that none can write or widen access."""
    from datasette.plugins import DEFAULT_PLUGINS, pm

    from archive.web import plugin

    for registered in list(pm.get_plugins()):
        name = pm.get_name(registered)
        if name not in DEFAULT_PLUGINS and registered is not plugin:
            pm.unregister(registered)
    if not pm.is_registered(plugin):
        pm.register(plugin, name=plugin.NAME)
    # Datasette's own error handler prints every 404 as a traceback with local variables;
    # the plugin answers every error itself (archive.web.console).
    default_errors = pm.get_plugin("datasette.handle_exception")
    if default_errors is not None:
        pm.unregister(default_errors)


def make_datasette(served: Served):
    """A Datasette over ``served.path`` (``mode=ro``) with the project's pages."""
    from datasette.app import Datasette

    _only_our_plugin()
    config = {"path": str(served.path),
              "warc_dir": str(served.warc_dir) if served.warc_dir else None,
              "snapshot": served.snapshot_note, "live_url": served.live_url}
    description = (served.snapshot_note or
                   "The archive of the Nordic integration-news portal, read-only.")
    metadata = {
        "title": "nordarchive", "description": description,
        "databases": {DB_NAME: {"description": description}},
        "plugins": {"nordarchive": config},
    }
    datasette = Datasette([], settings=SETTINGS, metadata=metadata,
                          template_dir=str(WEB / "templates"),
                          static_mounts=[("-/nordarchive", str(WEB / "static"))])
    if served.path.is_file():  # a live PostgreSQL archive: added once its snapshot is written
        add_tables(datasette, served.path)
    return datasette


def add_tables(datasette, path: Path) -> None:
    """Datasette's tables and SQL pages over the SQLite file ``path``."""
    from datasette.database import Database as DatasetteDatabase

    # is_mutable: read with mode=ro, never immutable=1, since a crawl may write meanwhile.
    datasette.add_database(DatasetteDatabase(datasette, path=str(path), is_mutable=True),
                           name=DB_NAME)


def snapshot_later(datasette, served: Served) -> threading.Thread:
    """Write the snapshot of a live PostgreSQL archive in the background (rows only: search
    runs on PostgreSQL), then add the tables and SQL pages. Start-up does not wait for it: at a
    million pages it takes many minutes."""
    from archive.read.snapshot import write_snapshot
    from archive.storage.database import Database

    def write() -> None:
        try:
            with Database(served.live_url, migrate=False) as source:
                write_snapshot(source, served.path, search_index=False)
            add_tables(datasette, served.path)
        except Exception as error:  # noqa: BLE001 - the pages go on without the tables
            print(f"nordarchive: warning: no snapshot for the tables and SQL pages: {error}",
                  file=sys.stderr, flush=True)

    thread = threading.Thread(target=write, name="nordarchive-snapshot", daemon=True)
    thread.start()
    return thread


def prepare(db: str | None, warc_dir: str | None, workdir: Path) -> Served:
    """The SQLite file to serve: the archive itself, or a snapshot of a PostgreSQL archive
    written into ``workdir``."""
    from archive.web.readonly import ReadOnlyArchive, sqlite_path

    url = database_url(db)
    folder = warc_dir_for(url, warc_dir)
    path = sqlite_path(url)
    if path is not None:
        ReadOnlyArchive(path).close()  # exists, readable, this schema
        return Served(path.resolve(), folder.resolve())
    from archive.web.readonly import ReadOnlyServer

    live = ReadOnlyServer(url)  # checks that it can be read and has this schema
    live.close()  # serving never migrates an archive
    return Served(workdir / "snapshot.db", folder.resolve(), live.display_url,
                  datetime.now(UTC), live_url=url)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_port(host: str, port: int) -> None:
    """Refuse a port that is taken before anything else is done (one line, not a log)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise ArchiveError(f"cannot serve on {host}:{port}: {error.strerror or error}"
                               ) from None


def serve(db: str | None, host: str, port: int, open_browser: bool,
          warc_dir: str | None) -> None:
    """Run the web server until interrupted; a snapshot is deleted afterwards."""
    import signal

    import uvicorn

    _check_port(host, port)
    # SIGTERM (systemd, kill) stops the server as Ctrl-C does, through the ``finally`` below:
    # uvicorn re-raises the signal once it has shut down, and Python's default action for
    # SIGTERM would end the process before the snapshot is deleted.
    signal.signal(signal.SIGTERM, _stop)
    workdir = Path(tempfile.mkdtemp(prefix="nordarchive-serve-"))
    try:
        served = prepare(db, warc_dir, workdir)
        datasette = make_datasette(served)
        if served.live_url:
            snapshot_later(datasette, served)
        url = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
        if served.snapshot_note:
            print(served.snapshot_note, flush=True)
        print(f"serving {served.path} read-only at {url} (Ctrl-C stops)", flush=True)
        if not is_loopback(host):
            print(f"nordarchive: warning: {host} is not a loopback address: anyone who can "
                  "reach it can read the archive", file=sys.stderr, flush=True)
        if open_browser:
            webbrowser.open(url)
        uvicorn.run(datasette.app(), host=host, port=port, log_level="warning",
                    lifespan="on", workers=1)
    except KeyboardInterrupt:  # Ctrl-C, SIGINT: a normal way to stop
        pass
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("stopped", flush=True)


class _Stopped(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C."""


def _stop(signum, frame) -> None:
    raise _Stopped()
