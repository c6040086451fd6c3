"""Exports of every table, for spreadsheets (CSV), programs (JSON Lines) and notebooks (Parquet).

Each table's schema comes from the store's own columns (``PRAGMA table_info``), never from the rows: an empty table
keeps its types, a column of nulls keeps its type (``quarter`` is an integer), and two exports of one store version
have the same schema (issue 13, row 21). Parquet files carry it; each CSV file has it beside it as CSV on the Web
metadata (``<table>.csv-metadata.json``, W3C CSVW: column names, datatypes, required columns, primary key).
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..errors import StoreError
from .schema import TABLES
from .sqlite import Store

EXPORT_FORMATS = ("csv", "jsonl", "parquet", "xlsx")
BATCH_ROWS = 10_000  # rows per Parquet row group: memory stays flat whatever the table's size
CSVW_TYPES = {"integer": "integer", "real": "double", "text": "string", "blob": "hexBinary"}


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a stored table: its name, its SQLite type affinity, and whether it may be null."""

    name: str
    affinity: str  # integer, real, text or blob
    nullable: bool


def export_tables(store: Store, fmt: str, out_dir: str | Path, bom: bool = False, as_of=None) -> list[Path]:
    """Write each table to ``out_dir/<table>.<fmt>`` (CSV: and its ``.csv-metadata.json``); returns the tables' files.

    xlsx is one workbook, ``out_dir/filiere.xlsx`` (xlsx.py): a sheet of commitments, one row per commitment and
    source, then a sheet per table. ``bom`` starts each CSV file with a UTF-8 byte order mark, for Excel.

    Raises:
        StoreError: unknown format, the folder cannot be written, or a value does not fit its column's type.
    """
    if fmt not in EXPORT_FORMATS:
        raise StoreError("--format", f"unknown export format '{fmt}'", f"choose one of: {', '.join(EXPORT_FORMATS)}")
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if fmt == "xlsx":
            from .xlsx import write_workbook

            return [write_workbook(store, folder / "filiere.xlsx", as_of)]
        if fmt == "csv":
            return [_write_csv(store, table, folder / f"{table}.csv", bom) for table in TABLES]
        return [_WRITERS[fmt](store, table, folder / f"{table}.{fmt}") for table in TABLES]
    except OSError as error:
        raise StoreError(folder, f"cannot write the export ({error.strerror or error})") from None


def table_columns(store: Store, table: str) -> list[Column]:
    """The columns of a table as the store declares them."""
    return [Column(name, _affinity(declared), not (notnull or pk))
            for _, name, declared, notnull, _, pk in store.conn.execute(f"PRAGMA table_info({table})")]


def _affinity(declared: str) -> str:
    """SQLite's type affinity rules (https://sqlite.org/datatype3.html, 3.1), a column without a type read as text."""
    kind = (declared or "").upper()
    if "INT" in kind:
        return "integer"
    if any(word in kind for word in ("CHAR", "CLOB", "TEXT")) or not kind:
        return "text"
    if "BLOB" in kind:
        return "blob"
    return "real"


# CSV -------------------------------------------------------------------------------------------------------

def _write_csv(store: Store, table: str, path: Path, bom: bool = False) -> Path:
    columns = table_columns(store, table)
    with open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.name for c in columns])
        writer.writerows([_plain(row[c.name]) for c in columns] for row in store.rows(table))
    metadata = {"@context": "http://www.w3.org/ns/csvw", "url": path.name, "dc:title": table,
                "tableSchema": {"columns": [{"name": c.name, "titles": c.name, "datatype": CSVW_TYPES[c.affinity],
                                             "required": not c.nullable} for c in columns],
                                "primaryKey": _primary_key(store, table)}}
    path.with_name(path.name + "-metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return path


def _primary_key(store: Store, table: str) -> list[str]:
    keys = sorted((pk, name) for _, name, _, _, _, pk in store.conn.execute(f"PRAGMA table_info({table})") if pk)
    return [name for _, name in keys]


# JSON Lines ------------------------------------------------------------------------------------------------

def _write_jsonl(store: Store, table: str, path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        for row in store.rows(table):
            handle.write(json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
    return path


def _plain(value: Any) -> Any:
    """Binary columns (MinHash signatures) as hexadecimal text, for CSV and JSON."""
    return value.hex() if isinstance(value, bytes) else value


# Parquet ---------------------------------------------------------------------------------------------------

def arrow_schema(columns: list[Column]):
    """The Arrow schema of a table: int64, float64, string or binary per column, nullable as the store says."""
    import pyarrow as pa

    types = {"integer": pa.int64(), "real": pa.float64(), "text": pa.string(), "blob": pa.binary()}
    return pa.schema([pa.field(c.name, types[c.affinity], nullable=c.nullable) for c in columns])


def _write_parquet(store: Store, table: str, path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = table_columns(store, table)
    schema = arrow_schema(columns)
    with pq.ParquetWriter(path, schema) as writer:
        written = False
        for rows in _batches(store.rows(table)):
            written = True
            try:
                writer.write_table(pa.Table.from_pydict({c.name: [r[c.name] for r in rows] for c in columns}, schema))
            except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as error:
                raise StoreError(f"{store.path}: {table}", f"a value does not fit its column's type ({error})",
                                 "the store was changed by another program") from None
        if not written:  # an empty table: its schema and no row
            writer.write_table(schema.empty_table())
    return path


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


_WRITERS = {"csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet}
