"""The SQL of corrections and runs (issue 14): what a person corrected, and what each run stored.

A correction is keyed by what re-reading the articles does not change: a fact's or milestone's document content
hash and evidence offsets, or a commitment's stable id. Nothing here decides what a correction does to the record:
``filiere.track.corrections`` applies them. A store opened read-only by an older filiere may lack these tables: it
reads as having no corrections and no runs.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ..errors import InputError
from .sqlite import Store, _now

TARGETS = ("fact", "milestone", "commitment")


def has_table(store: Store, name: str) -> bool:
    return store.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() \
        is not None


def record_key(store: Store, target: str, record_id: int) -> dict[str, Any]:
    """The lasting key of a stored fact or milestone (its document's content hash, its evidence offsets), and what
    it says now (for the correction's label).

    Raises:
        InputError: no such record.
    """
    table = {"fact": "facts", "milestone": "milestones"}[target]
    row = store.conn.execute(f"SELECT x.*, d.content_hash, d.doc FROM {table} x JOIN documents d ON d.id = x.document_id "
                             "WHERE x.id = ?", (record_id,)).fetchone()
    if row is None:
        raise InputError(f"{target} {record_id}", f"no such {target} in the store",
                         f"'filiere facts --format jsonl' lists the facts with their ids")
    return dict(row)


def add_correction(store: Store, *, target: str, action: str, label: str, author: str,
                   content_hash: str | None = None, evidence_start: int | None = None, evidence_end: int | None = None,
                   commitment_id: str | None = None, field: str | None = None, value: Any = None,
                   other: str | None = None, note: str | None = None) -> int:
    """Store one correction in its own transaction; returns its id."""
    with store._transaction():
        cursor = store.conn.execute(
            "INSERT INTO corrections (target, content_hash, evidence_start, evidence_end, commitment_id, action, field, "
            "value, other, label, note, author, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (target, content_hash, evidence_start, evidence_end, commitment_id, action, field,
             None if value is None and action != "set" else json.dumps(value, ensure_ascii=False), other, label, note,
             author, _now()))
        return cursor.lastrowid


def undo_correction(store: Store, correction_id: int, author: str) -> dict[str, Any]:
    """Mark a correction undone (it is kept, with who undid it and when).

    Raises:
        InputError: no such correction, or it is undone already.
    """
    row = store.conn.execute("SELECT * FROM corrections WHERE id = ?", (correction_id,)).fetchone()
    if row is None:
        raise InputError(f"correction {correction_id}", "no such correction", "'filiere corrections' lists them")
    if row["undone_at"]:
        raise InputError(f"correction {correction_id}", f"already undone by {row['undone_by']} at {row['undone_at']}")
    with store._transaction():
        store.conn.execute("UPDATE corrections SET undone_at = ?, undone_by = ? WHERE id = ?",
                           (_now(), author, correction_id))
    return dict(store.conn.execute("SELECT * FROM corrections WHERE id = ?", (correction_id,)).fetchone())


def corrections(store: Store, active_only: bool = False) -> list[dict[str, Any]]:
    """Every correction, oldest first, its value decoded; with active_only, those not undone."""
    if not has_table(store, "corrections"):
        return []
    where = "WHERE undone_at IS NULL" if active_only else ""
    out = []
    for row in store.conn.execute(f"SELECT * FROM corrections {where} ORDER BY id"):
        record = dict(row)
        record["value"] = json.loads(record["value"]) if record["value"] is not None else None
        out.append(record)
    return out


def document_hashes(store: Store) -> dict[str, str]:
    """doc id -> content hash of every stored document."""
    return {r[0]: r[1] for r in store.conn.execute("SELECT doc, content_hash FROM documents")}


def corrections_fingerprint(store: Store) -> tuple:
    """Changes whenever a correction is added or undone (a key for caching the tracker)."""
    if not has_table(store, "corrections"):
        return ()
    return tuple(store.conn.execute("SELECT count(*), max(id), max(undone_at) FROM corrections").fetchone())


# runs ------------------------------------------------------------------------------------------------------

class RunRecorder:
    """Notes what one run (ingest, fetch, reprocess, a watch round) stored: the content hashes new after it."""

    def __init__(self, store: Store, command: str):
        self.store, self.command = store, command
        self.started = _now_precise()
        self.before = set(document_hashes(store).values())

    def finish(self) -> int | None:
        """Record the run and its new documents; returns the run's id (None when it stored nothing)."""
        new = set(document_hashes(self.store).values()) - self.before
        if not new:
            return None
        with self.store._transaction():
            run_id = self.store.conn.execute("INSERT INTO runs (command, started_at, finished_at) VALUES (?, ?, ?)",
                                             (self.command, self.started, _now_precise())).lastrowid
            self.store.conn.executemany("INSERT INTO run_documents VALUES (?, ?)", [(run_id, h) for h in sorted(new)])
        return run_id


def last_run(store: Store) -> dict[str, Any] | None:
    """The latest run that stored documents, with the content hashes it stored; None when no run was recorded."""
    if not has_table(store, "runs"):
        return None
    row = store.conn.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    hashes = {r[0] for r in store.conn.execute("SELECT content_hash FROM run_documents WHERE run_id = ?", (row["id"],))}
    return {**dict(row), "hashes": hashes}


def documents_ingested(store: Store) -> dict[str, str]:
    """doc id -> when it was stored (UTC, ISO 8601)."""
    return {r[0]: r[1] for r in store.conn.execute("SELECT doc, ingested_at FROM documents")}


def sources_of(store: Store) -> dict[str, dict[str, Any]]:
    """doc id -> what a reader needs to know a source: title, URL, date, the text's beginning, content hash."""
    rows = store.conn.execute("SELECT doc, title, url, date, substr(text, 1, 300) AS head, content_hash FROM documents")
    return {r["doc"]: dict(r) for r in rows}


def _now_precise() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")
