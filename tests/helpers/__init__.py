"""What the tests (and the benchmarks) share, each said once: the project's root (here);
``nordarchive`` in a subprocess (``cli``) and real crawls of the replica (``crawl_helpers``);
archive records and archives (``archive_data``) and the search tests' archive
(``search_data``); ``nordarchive serve`` and HTTP to it (``web``); free ports and waiting
(``net``); loopback servers (``loopback``, ``hostile_server``); small PDF files
(``pdf_files``); the planners' shared folder (``shared_files``)."""

from __future__ import annotations

from pathlib import Path

#: The project's root folder (the checkout, or a mutation run's copy of it).
ROOT = Path(__file__).resolve().parents[2]
