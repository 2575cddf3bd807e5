"""Writers for ``export``: JSON Lines, CSV and Parquet carry the same columns."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import IO, Any

from archive.read.queries import EXPORT_COLUMNS, REVISION_COLUMNS  # noqa: F401 - re-exported
from archive.storage.times import as_utc

FORMATS = ("jsonl", "csv", "parquet")


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str],
                columns: Sequence[str] = EXPORT_COLUMNS) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps({k: row[k] for k in columns}, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str],
              columns: Sequence[str] = EXPORT_COLUMNS) -> int:
    """Lists (``urls``, ``tags``, ``sources``) are JSON arrays in their cell, so they survive
    commas."""
    writer = csv.writer(out)
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([json.dumps(row[k], ensure_ascii=False) if isinstance(row[k], list)
                         else ("" if row[k] is None else row[k]) for k in columns])
        count += 1
    return count


def _parquet_schemas():
    import pyarrow as pa

    moment = pa.timestamp("us", tz="UTC")
    articles = pa.schema([
        ("id", pa.int64()), ("url", pa.string()), ("urls", pa.list_(pa.string())),
        ("title", pa.string()), ("language", pa.string()), ("published", pa.date32()),
        ("modified", pa.date32()), ("published_at", moment), ("modified_at", moment),
        ("tags", pa.list_(pa.string())), ("section", pa.string()),
        ("kind", pa.string()), ("text", pa.string()), ("first_seen", moment), ("last_seen", moment),
        ("removed", moment), ("revisions", pa.int64()),
        ("sources", pa.list_(pa.struct([
            ("url", pa.string()), ("kind", pa.string()), ("status", pa.int64()),
            ("reason", pa.string()), ("gone", pa.bool_()), ("gone_since", pa.date32()),
            ("first_captured", moment), ("last_checked", moment), ("title", pa.string()),
            ("chars", pa.int64())]))),
    ])
    revisions = pa.schema([
        ("article_id", pa.int64()), ("number", pa.int64()), ("fetched_at", moment),
        ("url", pa.string()), ("title", pa.string()), ("language", pa.string()),
        ("change_kind", pa.string()), ("lines_added", pa.int64()),
        ("lines_removed", pa.int64()), ("origin", pa.string()), ("diff", pa.string()),
        ("changed_fields", pa.list_(pa.string())), ("words_added", pa.int64()),
        ("words_removed", pa.int64()), ("changed_share", pa.float64()),
        ("numbers_changed", pa.bool_()), ("minor", pa.bool_()), ("significance", pa.string()),
    ])
    return articles, revisions


#: Parquet columns by type, so that pandas, DuckDB and R read dates as dates and times as
#: UTC timestamps (the text formats carry ISO strings).
ARTICLE_SCHEMA = "articles"
REVISION_SCHEMA = "revisions"


def _typed(value: Any, kind: str) -> Any:
    """An ISO string (any of the forms the text exports write, ``Z`` or an offset included)
    as the date or UTC time Parquet stores."""
    if value is None or not isinstance(value, str):
        return value
    if kind == "date":
        return date.fromisoformat(value[:10])
    return as_utc(value)


def _typed_source(source: dict[str, Any]) -> dict[str, Any]:
    """A ``sources`` object with its date and times typed, like the article's own."""
    return {**source, "gone_since": _typed(source["gone_since"], "date"),
            "first_captured": _typed(source["first_captured"], "time"),
            "last_checked": _typed(source["last_checked"], "time")}


def write_parquet(rows: Iterable[dict[str, Any]], path: str, schema_name: str = ARTICLE_SCHEMA,
                  batch: int = 2000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    articles, revisions = _parquet_schemas()
    schema = revisions if schema_name == REVISION_SCHEMA else articles
    kinds = {f.name: ("date" if pa.types.is_date(f.type) else "time") for f in schema
             if pa.types.is_date(f.type) or pa.types.is_timestamp(f.type)}

    def typed(row: dict[str, Any]) -> dict[str, Any]:
        values = {name: _typed(row[name], kinds[name]) if name in kinds else row[name]
                  for name in schema.names}
        if "sources" in values:
            values["sources"] = [_typed_source(source) for source in values["sources"]]
        return values

    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(typed(row))
            if len(chunk) >= batch:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                count += len(chunk)
                chunk = []
        if chunk or count == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            count += len(chunk)
    return count
