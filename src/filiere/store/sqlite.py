"""The embedded SQLite store: documents, sentences, facts, milestones, actors.

Every document is written in its own transaction (BEGIN IMMEDIATE ... COMMIT): a run killed at any moment
leaves only complete documents, and the next run finishes the job. Documents are keyed by the hash of their
cleaned text, so ingesting the same articles again stores nothing; a new version of the same URL (or file)
replaces the old one and its records.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any, Iterator

from ..errors import StoreError
from ..ingest.dedup import (DedupSettings, Signature, StoryFeatures, band_keys, clusters, is_copy,
                            jaccard, story_score)
from ..records import Extraction
from .schema import MIGRATIONS, TABLES

DEFAULT_DB = "filiere.db"
FACT_FILTERS = ("metric", "subject", "year", "kind", "unit")


def resolve_db(url: str | None) -> str:
    """The database path: --db, else $FILIERE_DB, else ./filiere.db; 'sqlite:///path' is accepted."""
    url = url or os.environ.get("FILIERE_DB") or DEFAULT_DB
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):]
    if "://" in url:
        raise StoreError(url, "unsupported database URL", "use a file path or sqlite:///path")
    return url


def open_store(url: str | None = None, create: bool = True) -> "Store":
    """Open (and migrate) the store at --db / $FILIERE_DB / ./filiere.db.

    Raises:
        StoreError: the path is not a SQLite database, or is missing and create is False.
    """
    path = resolve_db(url)
    if not create and path != ":memory:" and not Path(path).is_file():
        raise StoreError(path, "no such store", "run 'filiere ingest PATH --db ...' first")
    return Store(path)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Store:
    """A filiere store in one SQLite file."""

    def __init__(self, path: str):
        self.path = path
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=30)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            if path != ":memory:":
                self.conn.execute("PRAGMA journal_mode = WAL")
                # WAL with NORMAL sync: a killed process never loses a committed document (only power loss might)
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self.migrate()
        except sqlite3.DatabaseError as error:
            raise StoreError(path, f"not a usable SQLite store ({error})") from None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # schema ------------------------------------------------------------------------------------------

    def migrate(self) -> list[str]:
        """Apply the migrations not yet recorded, each in its own transaction; returns their names."""
        self.conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
        done = {r[0] for r in self.conn.execute("SELECT name FROM schema_migrations")}
        known = {name for name, _ in MIGRATIONS}
        if done - known:
            raise StoreError(self.path, f"made by a newer filiere (migrations {sorted(done - known)})",
                             "upgrade filiere to read it")
        applied = []
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            with self._transaction():
                for statement in _statements(sql):
                    self.conn.execute(statement)
                self.conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, _now()))
            applied.append(name)
        return applied

    def schema_version(self) -> str:
        row = self.conn.execute("SELECT name FROM schema_migrations ORDER BY name DESC LIMIT 1").fetchone()
        return row[0] if row else ""

    # writing -------------------------------------------------------------------------------------------

    def known(self, text: str) -> bool:
        """True when a document with this cleaned text is already stored."""
        row = self.conn.execute("SELECT 1 FROM documents WHERE content_hash = ?", (content_hash(text),)).fetchone()
        return row is not None

    def add(self, extraction: Extraction, sig: Signature | None = None,
            dedup: DedupSettings = DedupSettings()) -> str:
        """Store one document and its records in one transaction, and link it to its copies and its story.

        Args:
            extraction: the document and its records.
            sig: its MinHash signature (ingest/dedup.py); without one, no copy or story link is made.
            dedup: copy thresholds.
        Returns:
            "known" (same text already stored), "replaced" (new version of a stored URL or file) or "stored".
        """
        document = extraction.document
        digest = content_hash(document.text)
        identity = document.url or document.source
        with self._transaction():
            if self.conn.execute("SELECT 1 FROM documents WHERE content_hash = ?", (digest,)).fetchone():
                return "known"
            old = self.conn.execute("DELETE FROM documents WHERE identity = ? RETURNING id", (identity,)).fetchall()
            document_id = self._insert_document(extraction, digest, identity)
            sentence_ids = self._insert_sentences(document_id, extraction)
            self._insert_facts(document_id, extraction, sentence_ids)
            self._insert_milestones(document_id, extraction, sentence_ids)
            self._insert_actors(document_id, extraction)
            if sig is not None:
                self.link_copies(document_id, sig, dedup)
                self._link_stories(document_id, dedup.story_score)
        return "replaced" if old else "stored"

    def add_actor_aliases(self, actors) -> None:
        """Record the pack's actors and their written forms (aliases, plants, former names)."""
        with self._transaction():
            for actor in actors:
                actor_id = self._actor_id(actor.name, actor.kind)
                rows = [(actor_id, a, "alias") for a in actor.aliases] + [(actor_id, u, "unit") for u in actor.units]
                self.conn.executemany("INSERT OR IGNORE INTO actor_aliases VALUES (?, ?, ?)", rows)

    def _insert_document(self, extraction: Extraction, digest: str, identity: str) -> int:
        d = extraction.document
        cursor = self.conn.execute(
            "INSERT INTO documents (doc, identity, url, source, title, date, date_source, language, content_hash, "
            "chars, removed, text, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (d.doc, identity, d.url, d.source, d.title, d.date, d.date_source, d.language, digest, len(d.text),
             json.dumps([r.to_dict() for r in d.removed], ensure_ascii=False), d.text, _now()))
        return cursor.lastrowid

    def _insert_sentences(self, document_id: int, extraction: Extraction) -> list[tuple[int, int, int]]:
        text = extraction.document.text
        out = []
        for start, end in extraction.sentences:
            cursor = self.conn.execute("INSERT INTO sentences (document_id, start, end, text) VALUES (?, ?, ?, ?)",
                                       (document_id, start, end, text[start:end].strip()))
            out.append((start, end, cursor.lastrowid))
        return out

    def _insert_facts(self, document_id: int, extraction: Extraction, sentences) -> None:
        self.conn.executemany(
            "INSERT INTO facts (document_id, sentence_id, kind, metric, value, value_high, unit, approx, subject, "
            "year, quarter, month, qualifier, claimed_by, evidence_text, evidence_start, evidence_end) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(document_id, _sentence_of(f.evidence.start, sentences), f.kind, f.metric, f.value, f.value_high, f.unit,
              f.approx, f.subject, f.year, f.quarter, f.month, f.qualifier, f.claimed_by, f.evidence.text,
              f.evidence.start, f.evidence.end) for f in extraction.facts])

    def _insert_milestones(self, document_id: int, extraction: Extraction, sentences) -> None:
        self.conn.executemany(
            "INSERT INTO milestones (document_id, sentence_id, what, keywords, subject, year, quarter, month, "
            "claimed_by, done, evidence_text, evidence_start, evidence_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(document_id, _sentence_of(m.evidence.start, sentences), m.what, json.dumps(list(m.keywords)), m.subject,
              m.year, m.quarter, m.month, m.claimed_by, int(m.done), m.evidence.text, m.evidence.start,
              m.evidence.end) for m in extraction.milestones])

    def _insert_actors(self, document_id: int, extraction: Extraction) -> None:
        for actor in extraction.actors:
            actor_id = self._actor_id(actor.name, actor.kind)
            self.conn.execute("INSERT INTO document_actors VALUES (?, ?, ?, ?, ?)",
                              (document_id, actor_id, actor.mentions, actor.as_subject, actor.as_source))

    def link_copies(self, document_id: int, sig: Signature, dedup: DedupSettings = DedupSettings()) -> None:
        """Look the document up in the stored LSH bands (no rebuild, no all-pairs), link copies, add its bands."""
        keys = band_keys(sig, dedup)
        candidates: set[int] = set()
        for band, key in keys:  # one indexed look-up per band: the cost does not grow with the store
            candidates.update(r[0] for r in self.conn.execute(
                "SELECT document_id FROM lsh_bands WHERE band = ? AND key = ?", (band, key)))
        for other in sorted(candidates):
            size, blob = self.conn.execute("SELECT shingles, signature FROM document_signatures WHERE document_id = ?",
                                           (other,)).fetchone()
            candidate = Signature.from_bytes(blob, size)
            if is_copy(sig, candidate, dedup):
                self._link(document_id, other, "copy", jaccard(sig, candidate))
        self.conn.execute("INSERT INTO document_signatures VALUES (?, ?, ?)", (document_id, sig.size, sig.to_bytes()))
        self.conn.executemany("INSERT INTO lsh_bands VALUES (?, ?, ?)", [(b, k, document_id) for b, k in keys])

    def _link_stories(self, document_id: int, threshold: float) -> None:
        """Link the document to stored articles about the same event (shared people, organisations, figures)."""
        mine = self.story_features(document_id)
        candidates = self.conn.execute(
            "SELECT DISTINCT other.document_id FROM document_actors mine JOIN actors a ON a.id = mine.actor_id "
            "JOIN document_actors other ON other.actor_id = mine.actor_id AND other.document_id != mine.document_id "
            "WHERE mine.document_id = ? AND a.kind IN ('person', 'company')", (document_id,)).fetchall()
        for (other,) in candidates:
            score = story_score(mine, self.story_features(other))
            if score >= threshold:
                self._link(document_id, other, "story", score)

    def story_features(self, document_id: int) -> StoryFeatures:
        """People, companies, places, figures, milestone nouns and date of a stored document."""
        actors = self.conn.execute("SELECT a.name, a.kind FROM document_actors d JOIN actors a ON a.id = d.actor_id "
                                   "WHERE d.document_id = ?", (document_id,)).fetchall()
        by_kind = lambda kind: frozenset(name for name, k in actors if k == kind)
        figures = frozenset(tuple(r) for r in self.conn.execute(
            "SELECT metric, unit, year, value FROM facts WHERE document_id = ? AND year IS NOT NULL", (document_id,)))
        milestones = tuple(frozenset(json.loads(r[0])) for r in self.conn.execute(
            "SELECT keywords FROM milestones WHERE document_id = ?", (document_id,)))
        date = self.conn.execute("SELECT date FROM documents WHERE id = ?", (document_id,)).fetchone()[0]
        return StoryFeatures(by_kind("person"), by_kind("company"), by_kind("place"), figures, milestones, date)

    def _link(self, a: int, b: int, kind: str, score: float) -> None:
        self.conn.execute("INSERT OR REPLACE INTO document_links VALUES (?, ?, ?, ?)", (min(a, b), max(a, b), kind, score))

    def _actor_id(self, name: str, kind: str) -> int:
        self.conn.execute("INSERT OR IGNORE INTO actors (name, kind) VALUES (?, ?)", (name, kind))
        return self.conn.execute("SELECT id FROM actors WHERE name = ?", (name,)).fetchone()[0]

    def _transaction(self):
        return _Transaction(self.conn)

    # reading -------------------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}

    def facts(self, **filters: Any) -> list[dict[str, Any]]:
        """Stored facts with their document's id and date, filtered by metric, subject, year, kind, unit."""
        where, params = _where(filters, FACT_FILTERS, "f")
        rows = self.conn.execute(
            "SELECT f.*, d.doc AS doc, d.date AS doc_date, d.title AS doc_title FROM facts f "
            f"JOIN documents d ON d.id = f.document_id {where} ORDER BY f.subject, f.metric, f.year, f.id", params)
        return [_fact_record(r) for r in rows]

    def milestones(self, **filters: Any) -> list[dict[str, Any]]:
        """Stored milestones with their document's id and date."""
        where, params = _where(filters, ("subject", "year"), "m")
        rows = self.conn.execute(
            "SELECT m.*, d.doc AS doc, d.date AS doc_date FROM milestones m JOIN documents d ON d.id = m.document_id "
            f"{where} ORDER BY m.subject, m.year, m.id", params)
        return [_milestone_record(r) for r in rows]

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search over sentences; each hit comes with the figures found in it.

        The query is matched as plain words (all of them), never as FTS5 syntax, so any text is safe.
        """
        words = [w for w in "".join(c if c.isalnum() else " " for c in query).split() if w]
        if not words:
            return []
        match = " ".join(f'"{w}"' for w in words)
        rows = self.conn.execute(
            "SELECT s.id, s.text, s.start, s.end, d.doc, d.date, d.title FROM sentences_fts "
            "JOIN sentences s ON s.id = sentences_fts.rowid JOIN documents d ON d.id = s.document_id "
            "WHERE sentences_fts MATCH ? ORDER BY bm25(sentences_fts) LIMIT ?", (match, limit)).fetchall()
        return [self._hit(r) for r in rows]

    def _hit(self, row) -> dict[str, Any]:
        figures = self.conn.execute("SELECT metric, value, unit, kind, year, subject FROM facts WHERE sentence_id = ?",
                                    (row["id"],)).fetchall()
        return {"doc": row["doc"], "date": row["date"], "title": row["title"], "text": row["text"],
                "start": row["start"], "end": row["end"], "facts": [dict(f) for f in figures]}

    def clusters(self) -> list[dict[str, Any]]:
        """Copy clusters (near-identical texts) and story clusters (articles about the same event).

        A story cluster groups story and copy links; it is listed only when it holds more than one group of copies.
        """
        links = self.conn.execute("SELECT da.doc, db.doc, l.kind FROM document_links l JOIN documents da ON da.id = l.a "
                                  "JOIN documents db ON db.id = l.b").fetchall()
        copies = clusters([(a, b) for a, b, kind in links if kind == "copy"])
        copy_of = {doc: group[0] for group in copies for doc in group}
        stories = [g for g in clusters([(a, b) for a, b, _ in links])
                   if len({copy_of.get(d, d) for d in g}) > 1]
        return ([{"type": "cluster", "kind": "copy", "docs": g} for g in copies] +
                [{"type": "cluster", "kind": "story", "docs": g} for g in stories])

    def copy_groups(self) -> dict[str, str]:
        """Each copied document's group (the first doc id of its copy cluster), for counting independent sources."""
        return {doc: c["docs"][0] for c in self.clusters() if c["kind"] == "copy" for doc in c["docs"]}

    def related(self, doc: str) -> list[dict[str, Any]]:
        """'Also reported by': the documents linked to this one, with how (copy or story) and how strongly."""
        rows = self.conn.execute(
            "SELECT other.doc, other.title, other.date, l.kind, l.score FROM documents me "
            "JOIN document_links l ON me.id IN (l.a, l.b) "
            "JOIN documents other ON other.id = CASE WHEN l.a = me.id THEN l.b ELSE l.a END "
            "WHERE me.doc = ? ORDER BY l.kind, l.score DESC", (doc,)).fetchall()
        return [dict(r) for r in rows]

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of a table, for exports."""
        if table not in TABLES:
            raise StoreError(self.path, f"no table '{table}'", f"tables: {', '.join(TABLES)}")
        for row in self.conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
            yield dict(row)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error so earlier data stays intact."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
        return False


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (triggers keep their inner semicolons)."""
    out, buffer = [], []
    for line in sql.strip().splitlines():
        buffer.append(line)
        joined = "\n".join(buffer).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buffer = []
    return out


def _where(filters: dict, allowed: tuple[str, ...], alias: str) -> tuple[str, list]:
    clauses, params = [], []
    for key, value in filters.items():
        if value is None:
            continue
        if key not in allowed:
            raise StoreError("filter", f"unknown filter '{key}'", f"allowed: {', '.join(allowed)}")
        clauses.append(f"{alias}.{key} = ?")
        params.append(value)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def _sentence_of(start: int, sentences) -> int | None:
    return next((sid for s, e, sid in sentences if s <= start < e), None)


def _evidence(row) -> dict[str, Any]:
    return {"text": row["evidence_text"], "start": row["evidence_start"], "end": row["evidence_end"]}


def _fact_record(row) -> dict[str, Any]:
    value = row["value"]
    return {"type": "fact", "id": row["id"], "doc": row["doc"], "date": row["doc_date"], "kind": row["kind"],
            "metric": row["metric"], "value": int(value) if float(value).is_integer() else value,
            "unit": row["unit"], "approx": row["approx"], "subject": row["subject"], "year": row["year"],
            "quarter": row["quarter"], "month": row["month"], "qualifier": row["qualifier"],
            "claimed_by": row["claimed_by"], "evidence": _evidence(row)}


def _milestone_record(row) -> dict[str, Any]:
    return {"type": "milestone", "id": row["id"], "doc": row["doc"], "date": row["doc_date"], "what": row["what"],
            "keywords": json.loads(row["keywords"]), "subject": row["subject"], "year": row["year"],
            "quarter": row["quarter"], "month": row["month"], "claimed_by": row["claimed_by"],
            "done": bool(row["done"]), "evidence": _evidence(row)}


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
