"""Building the Datasette that ``nordarchive serve`` runs: the archive file opened read-only,
the project's plugin and nothing else that could write, an SQL time limit, loopback by
default. A PostgreSQL archive is served through a fresh SQLite snapshot."""

from __future__ import annotations

import ipaddress
import shutil
import sys
import tempfile
import webbrowser
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from archive.db import ArchiveError, database_url
from archive.warc import warc_dir_for

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

    @property
    def snapshot_note(self) -> str | None:
        if self.source is None or self.taken is None:
            return None
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
    from datasette.database import Database as DatasetteDatabase

    _only_our_plugin()
    config = {"path": str(served.path),
              "warc_dir": str(served.warc_dir) if served.warc_dir else None,
              "snapshot": served.snapshot_note}
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
    # is_mutable: read with mode=ro, never immutable=1, since a crawl may write meanwhile.
    datasette.add_database(DatasetteDatabase(datasette, path=str(served.path),
                                             is_mutable=True), name=DB_NAME)
    return datasette


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
    from archive.db import Database, current_revision, head_revision
    from archive.snapshot import write_snapshot

    target = workdir / "snapshot.db"
    with Database(url, migrate=False) as source:  # serving never migrates an archive
        schema = current_revision(source.engine)
        if schema != head_revision():
            raise ArchiveError(f"the archive's schema is {schema or 'empty'}, this nordarchive "
                               f"reads {head_revision()}: run `nordarchive db upgrade` first")
        taken = datetime.now(UTC)
        write_snapshot(source, target)
        return Served(target, folder.resolve(), source.display_url, taken)


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
