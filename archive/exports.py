"""Writers for ``export``: JSON Lines, CSV and Parquet carry the same columns."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

from archive.queries import EXPORT_COLUMNS

FORMATS = ("jsonl", "csv", "parquet")


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps({k: row[k] for k in EXPORT_COLUMNS}, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """Lists (``urls``, ``tags``) are JSON arrays in their cell, so they survive commas."""
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([json.dumps(row[k], ensure_ascii=False) if isinstance(row[k], list)
                         else ("" if row[k] is None else row[k]) for k in EXPORT_COLUMNS])
        count += 1
    return count


def write_parquet(rows: Iterable[dict[str, Any]], path: str, batch: int = 2000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([
        ("id", pa.int64()), ("url", pa.string()), ("urls", pa.list_(pa.string())),
        ("title", pa.string()), ("language", pa.string()), ("published", pa.string()),
        ("modified", pa.string()), ("tags", pa.list_(pa.string())), ("section", pa.string()),
        ("text", pa.string()), ("first_seen", pa.string()), ("last_seen", pa.string()),
        ("removed", pa.string()), ("revisions", pa.int64()),
    ])
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                count += len(chunk)
                chunk = []
        if chunk or count == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            count += len(chunk)
    return count
