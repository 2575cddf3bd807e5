"""Whole-archive numbers (counts, chart data, the languages and tags of the forms) kept per
process until the archive changes: at a million pages each takes a full scan, and they change
only when a revision, an event, a crawl run or a source's state is written."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from archive.storage.database import Database

_VERSION = text("SELECT (SELECT max(id) FROM revisions), (SELECT max(id) FROM article_events), "
                "(SELECT max(id) FROM crawl_runs), (SELECT max(id) FROM tags), "
                "(SELECT count(*) FROM crawl_runs WHERE finished_at IS NOT NULL), "
                "(SELECT max(id) FROM source_captures), "
                "(SELECT count(*) FROM sources WHERE gone_at IS NOT NULL)")
_kept: dict[tuple, Any] = {}
_lock = threading.Lock()


def version(db: Database) -> tuple:
    """What changes whenever the archive does (each read through a primary key)."""
    with db.session() as session:
        return tuple(session.execute(_VERSION).one())


def cached(function: Callable[..., Any], db: Database, *args: Any) -> Any:
    """``function(db, *args)``, computed again only when the archive has changed."""
    key = (function.__module__, function.__qualname__, db.url, args, version(db))
    with _lock:
        if key in _kept:
            return _kept[key]
    value = function(db, *args)
    with _lock:
        for old in [k for k in _kept if k[:4] == key[:4]]:
            del _kept[old]
        _kept[key] = value
    return value
