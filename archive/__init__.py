"""nordarchive's archive: models, migrations, ingest, diffs, queries and the CLI.

Nothing here imports Scrapy; the crawler reaches the archive through ``archive.ingest``.
"""
