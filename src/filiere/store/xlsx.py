"""The Excel export (issue 14): one workbook, a sheet of commitments and a sheet per table (openpyxl).

The ``commitments`` sheet has one row per commitment and source: the commitment (id, kind, subject, promise, target,
deadline, status, latest figure, progress, sources and independent sources, who corrected it) then the source (its
title, outlet, date, URL, quote, who said it). Then each table of the store (TABLES, and the corrections) with the
columns the store declares. Every text is written as text, never as a formula ('=HYPERLINK(...)' in an article stays
those characters); characters a workbook cannot hold (control characters) are replaced by U+FFFD; a text longer than
a cell holds (32 767 characters) is cut, ending with '…'; a table longer than a sheet (1 048 575 rows) is cut too, and
its sheet's last row says so.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Iterable

from .schema import TABLES
from .sqlite import Store

CELL_CHARS = 32_767
SHEET_ROWS = 1_048_576
COMMITMENT_COLUMNS = ("commitment_id", "commitment_kind", "subject", "promise", "metric", "target", "unit",
                      "deadline", "status", "latest_figure", "latest_year", "progress", "articles",
                      "independent_sources", "corrected_by", "source_title", "outlet", "date", "url", "quote",
                      "claimed_by", "document")


def commitment_rows(records: list[dict[str, Any]]) -> Iterable[list[Any]]:
    """One row per commitment and source, promises first, as the tracker orders them."""
    for c in (r for r in records if r["type"] == "commitment"):
        target, deadline, latest = c.get("target") or {}, c.get("deadline") or {}, c.get("latest_actual") or {}
        head = [c["id"], c.get("commitment_kind"), c["subject"], c["what"], c.get("metric"), target.get("value"),
                target.get("unit"), deadline.get("year"), c["status"], latest.get("value"), latest.get("year"),
                c.get("progress"), len(c["announced"]), c.get("independent_sources"),
                ", ".join(c.get("corrected_by") or [])]
        for s in c["announced"] or [{}]:
            yield head + [s.get("title"), s.get("outlet"), s.get("date"), s.get("url"),
                          (s.get("evidence") or {}).get("text"), s.get("claimed_by"), s.get("doc")]


def write_workbook(store: Store, path: Path, as_of: dt.date | None = None) -> Path:
    from openpyxl import Workbook

    from ..track.stored import track_store
    from .corrections import has_table
    from .export import table_columns

    book = Workbook(write_only=True)
    records = track_store(store, as_of or dt.date.today())
    _sheet(book, "commitments", COMMITMENT_COLUMNS, commitment_rows(records))
    for table in (*TABLES, *(("corrections",) if has_table(store, "corrections") else ())):
        names = [c.name for c in table_columns(store, table)]
        _sheet(book, table, names, ([row[n] for n in names] for row in _rows(store, table)))
    book.save(path)
    return path


def _rows(store: Store, table: str):
    if table in TABLES:
        yield from store.rows(table)
    else:
        for row in store.conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
            yield dict(row)


def _sheet(book, name: str, header: Iterable[str], rows: Iterable[list[Any]]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = book.create_sheet(name[:31])
    bold = Font(bold=True)
    cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    written = 1
    for row in rows:
        if written == SHEET_ROWS - 1:
            sheet.append([f"(cut: a sheet holds {SHEET_ROWS} rows; export as CSV or Parquet for the whole table)"])
            return
        sheet.append([_cell(sheet, v) for v in row])
        written += 1


def _cell(sheet, value: Any):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, bytes):
        value = value.hex()
    elif isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if len(text) > CELL_CHARS:
        text = text[:CELL_CHARS - 1] + "…"
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # text, never a formula, whatever it starts with
    return cell
