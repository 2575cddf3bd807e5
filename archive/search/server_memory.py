"""Whether PostgreSQL's shared buffers hold what every search reads.

A search reads the ranking vectors of its title matches (``article_heads``) and the narrow rows
of ``article_search``, a page per match. When they do not fit in ``shared_buffers``, each
search copies thousands of pages from the operating system's cache: at a million articles
(313 MB of them) a one-word search took p50 32 ms with the default 128 MB and 18–20 ms with
the 640 MB advised here (docs/databases.md). ``nordarchive db current`` prints the advice."""

from __future__ import annotations

from sqlalchemy import Connection, text

#: The relations each search reads, with their indexes where the search reads those too.
_SIZES = text("SELECT current_setting('shared_buffers'), "
              "(SELECT setting::bigint * 8192 FROM pg_settings WHERE name = 'shared_buffers'), "
              "COALESCE(pg_total_relation_size(to_regclass('article_heads')), 0) "
              "+ COALESCE(pg_relation_size(to_regclass('article_search')), 0)")
_MB = 1024 * 1024


def advice(shared_buffers: int, searched: int, shown: str = "") -> str | None:
    """A line for the user when ``searched`` bytes do not fit in ``shared_buffers`` bytes:
    the setting to make (the next 128 MB above them, with room for what else runs)."""
    if searched <= shared_buffers:
        return None
    wanted = -(-searched * 2 // (128 * _MB)) * 128  # twice the tables, in 128 MB steps
    return (f"PostgreSQL's shared_buffers ({shown or f'{shared_buffers // _MB} MB'}) is smaller "
            f"than the search tables every search reads ({searched // _MB} MB): searches of "
            f"this archive read them from the operating system; set shared_buffers = "
            f"'{wanted}MB' in postgresql.conf (or ALTER SYSTEM) and restart the server")


def search_memory_advice(conn: Connection) -> str | None:
    """``advice`` for the archive behind ``conn`` (None on SQLite)."""
    if conn.dialect.name != "postgresql":
        return None
    shown, shared_buffers, searched = conn.execute(_SIZES).one()
    return advice(int(shared_buffers), int(searched), shown)
