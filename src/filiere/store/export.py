"""Exports of every table, for spreadsheets (CSV), programs (JSON Lines) and notebooks (Parquet)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from ..errors import StoreError
from .schema import TABLES
from .sqlite import Store

EXPORT_FORMATS = ("csv", "jsonl", "parquet")


def export_tables(store: Store, fmt: str, out_dir: str | Path) -> list[Path]:
    """Write each table to ``out_dir/<table>.<fmt>``; returns the files written.

    Raises:
        StoreError: unknown format, or the folder cannot be written.
    """
    if fmt not in EXPORT_FORMATS:
        raise StoreError("--format", f"unknown export format '{fmt}'", f"choose one of: {', '.join(EXPORT_FORMATS)}")
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return [_WRITERS[fmt](store, table, folder / f"{table}.{fmt}") for table in TABLES]
    except OSError as error:
        raise StoreError(folder, f"cannot write the export ({error.strerror or error})") from None


def _columns(store: Store, table: str) -> list[str]:
    return [row[1] for row in store.conn.execute(f"PRAGMA table_info({table})")]


def _write_csv(store: Store, table: str, path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=_columns(store, table))
        writer.writeheader()
        writer.writerows(_plain(row) for row in store.rows(table))
    return path


def _write_jsonl(store: Store, table: str, path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        for row in store.rows(table):
            handle.write(json.dumps(_plain(row), ensure_ascii=False) + "\n")
    return path


def _plain(row: dict) -> dict:
    """Binary columns (MinHash signatures) as hexadecimal text, for CSV and JSON."""
    return {k: v.hex() if isinstance(v, bytes) else v for k, v in row.items()}


def _write_parquet(store: Store, table: str, path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(store.rows(table))
    columns = _columns(store, table)
    data = pa.Table.from_pydict({c: [r[c] for r in rows] for c in columns}) if rows else \
        pa.Table.from_pydict({c: pa.array([], type=pa.string()) for c in columns})
    pq.write_table(data, path)
    return path


_WRITERS = {"csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet}
