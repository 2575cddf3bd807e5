"""nordarchive's archive, one sub-package per concern, bottom to top: ``storage`` (database,
tables, migrations, time and URL rules), ``search`` (the full-text index and its filters),
``ingest`` (the one way in), ``sources`` (what articles cite), ``webarchive`` (WARC, CDXJ,
WACZ, Memento, replay), ``read`` (queries, trend, coverage, exports), ``web`` (the Datasette
window) and ``cli`` (the command line). A package imports only from those below it
(import-linter contracts in ``pyproject.toml``); nothing here imports Scrapy or ``crawler``.
"""
