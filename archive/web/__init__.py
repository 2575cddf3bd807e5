"""The archive in the browser: ``nordarchive serve``, a Datasette with the project's own
plugin (search, article histories with diffs, a change feed, charts) over a read-only archive.

Nothing here writes to an archive: SQLite files are opened with ``mode=ro``; PostgreSQL
archives are served through an SQLite snapshot (``archive.read.snapshot``).
"""
