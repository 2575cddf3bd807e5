"""The archive as a WACZ package (Web Archive Collection Zipped, 1.1.x): its WARC files, a CDXJ
index, ``pages/pages.jsonl`` (each archived article's first capture, with its title),
``pages/extraPages.jsonl`` (each captured source an article cites, one hop out) and
``datapackage.json`` with every file's hash — one file that ReplayWeb.page opens and pywb
(``wb-manager add --unpack-wacz``) replays, the exchange format of web archives.

The package is made by py-wacz (``wacz create``), the reference implementation. A dated export
holds copies of the WARC files with only the records of that period (each record's gzip
member copied byte for byte, with its request record and the file's warcinfo), plus the
earlier responses its revisits point to.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from archive.storage.database import ArchiveError, Database
from archive.storage.models import ArticleUrl, Revision, SourceCapture
from archive.storage.times import as_utc
from archive.webarchive.cdxj import CAPTURES, Period, selected_record_ids, warc_files


@dataclass(frozen=True)
class WaczSummary:
    path: Path
    warc_files: int
    records: int
    pages: int


def _copy_selected(source: Path, target: Path, keep: set[str]) -> None:
    """Copy into ``target`` the gzip members of ``source`` that hold its warcinfo, the kept
    records and their request records."""
    with open(source, "rb") as read, open(source, "rb") as raw, open(target, "xb") as out:
        iterator = ArchiveIterator(read)
        for record in iterator:
            kind = record.rec_type
            headers = record.rec_headers
            take = (kind == "warcinfo" or headers.get_header("WARC-Record-ID") in keep
                    or (kind == "request" and headers.get_header("WARC-Concurrent-To") in keep))
            iterator.read_to_end()
            if take:
                raw.seek(iterator.get_record_offset())
                out.write(raw.read(iterator.get_record_length()))


def _pages(db: Database, keep: set[str] | None) -> list[dict]:
    """One page per archived article: its first 200 capture in the export (at any of its
    URLs), titled as the article's revision in force then. The ``id`` is stable:
    ``article-<id>``."""
    captures = (select(ArticleUrl.article_id, CAPTURES.c.url, CAPTURES.c.fetched_at,
                       CAPTURES.c.record_id)
                .join(CAPTURES, CAPTURES.c.normalized_url == ArticleUrl.normalized_url)
                .where(CAPTURES.c.http_status == 200)
                .order_by(ArticleUrl.article_id, CAPTURES.c.fetched_at, CAPTURES.c.id))
    revisions = (select(Revision.article_id, Revision.fetched_at, Revision.title)
                 .order_by(Revision.article_id, Revision.number))
    pages: dict[int, dict] = {}
    with db.engine.connect() as conn:
        titles: dict[int, list[tuple[datetime, str]]] = {}
        for article_id, fetched, title in conn.execute(revisions):
            titles.setdefault(article_id, []).append((as_utc(fetched), title))
        for row in conn.execute(captures):
            if row.article_id in pages or (keep is not None and row.record_id not in keep):
                continue
            when = as_utc(row.fetched_at)
            known = titles.get(row.article_id) or [(when, row.url)]
            title = next((t for at, t in reversed(known) if at <= when), known[0][1])
            pages[row.article_id] = {"id": f"article-{row.article_id}", "url": row.url,
                                     "ts": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "title": title}
    return list(pages.values())


def _source_pages(db: Database, keep: set[str] | None) -> list[dict]:
    """One extra page per captured source (an article's cited page or document, one hop
    out): its first 200 capture in the export, titled as that capture. The ``id`` is stable:
    ``source-<id>``. WACZ keeps such pages apart from the seeds (``extraPages.jsonl``)."""
    rows = (select(SourceCapture.source_id, CAPTURES.c.url, CAPTURES.c.fetched_at,
                   CAPTURES.c.record_id, SourceCapture.title)
            .join(CAPTURES, CAPTURES.c.id == SourceCapture.capture_id)
            .where(CAPTURES.c.http_status == 200)
            .order_by(SourceCapture.source_id, CAPTURES.c.fetched_at, CAPTURES.c.id))
    pages: dict[int, dict] = {}
    with db.engine.connect() as conn:
        for row in conn.execute(rows):
            if row.source_id in pages or (keep is not None and row.record_id not in keep):
                continue
            pages[row.source_id] = {
                "id": f"source-{row.source_id}", "url": row.url,
                "ts": as_utc(row.fetched_at).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "title": row.title or row.url}
    return list(pages.values())


def _write_pages(path: Path, pages: list[dict], pages_id: str, title: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps({"format": "json-pages-1.0", "id": pages_id,
                              "title": title}) + "\n")
        for page in pages:
            out.write(json.dumps(page, ensure_ascii=False) + "\n")


def write_wacz(db: Database, warc_dir: Path, output: Path, period: Period | None = None,
               title: str | None = None) -> WaczSummary:
    """Write the archive's captures (of ``period``) as a WACZ to ``output`` (replaced whole,
    only once it is complete)."""
    from wacz.main import main as wacz_main  # py-wacz: imported only for this export

    output, period = Path(output), period or Period()
    files = warc_files(db, warc_dir, period)
    if not files:
        raise ArchiveError("the archive holds no captures" + ("" if period.whole else
                                                              " in that period"))
    keep = selected_record_ids(db, period)
    pages = _pages(db, keep)
    source_pages = _source_pages(db, keep)
    with tempfile.TemporaryDirectory(prefix="nordarchive-wacz-") as work:
        folder = Path(work)
        if keep is not None:
            copies = []
            for source in files:
                copy = folder / source.name
                _copy_selected(source, copy, keep)
                copies.append(copy)
            files = copies
        pages_file = folder / "pages.jsonl"
        _write_pages(pages_file, pages, "pages", "Archived articles")
        extra = []
        if source_pages:
            extra = ["-e", str(folder / "extraPages.jsonl")]
            _write_pages(folder / "extraPages.jsonl", source_pages, "extra-pages",
                         "Sources the articles cite")
        partial = folder / "export.wacz"
        said = io.StringIO()
        with contextlib.redirect_stdout(said):  # py-wacz reports progress with print()
            code = wacz_main(["create", "-o", str(partial), "-p", str(pages_file), *extra,
                              "--copy-pages", "--title", title or f"nordarchive {db.archive_id}",
                              "--desc", "Articles of the Nordic integration-news portal as "
                              "captured by nordarchive",
                              *map(str, files)])
        if code != 0:
            lines = said.getvalue().strip().splitlines()
            raise ArchiveError(f"py-wacz could not make the package: "
                               f"{lines[-1] if lines else code}")
        with zipfile.ZipFile(partial) as package:
            with package.open("pages/pages.jsonl") as listed:
                written_pages = sum(1 for _ in listed) - 1
            with package.open("indexes/index.cdx.gz") as index, \
                    gzip.open(index) as lines:
                records = sum(1 for _ in lines)
        output.parent.mkdir(parents=True, exist_ok=True)
        staged = output.with_name(f".{output.name}.partial")
        shutil.copyfile(partial, staged)
        os.replace(staged, output)
    return WaczSummary(output, len(files), records, written_pages)

