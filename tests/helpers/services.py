"""The services the suite needs, named once: the PostgreSQL server and Debian's Chromium."""

from __future__ import annotations

import os

PG_URL = os.environ.get("NORDARCHIVE_TEST_PG",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
#: The browser the web tests drive (Debian's Chromium, never a downloaded build).
CHROMIUM = os.environ.get("NORDARCHIVE_CHROMIUM", "/usr/bin/chromium")


def pg_reachable(timeout: float = 5) -> bool:
    """Whether the server answers a query now."""
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_URL, connect_args={"connect_timeout": int(timeout)})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        engine.dispose()
