"""The embedded SQLite store: documents, sentences, facts, milestones, actors.

Every document is written in its own transaction (BEGIN IMMEDIATE ... COMMIT), or, inside ``Store.batch()`` (what
an ingest run uses), in its own savepoint of a transaction committed every BATCH_DOCUMENTS documents or
BATCH_SECONDS seconds: a document that fails is rolled back alone, a run killed at any moment leaves only complete
documents (losing at most the last uncommitted batch, which the next run stores again), and the next run finishes
the job. Committing batches rather than single documents saves writing the same index and full-text pages again
for every document (issue 16). Documents are keyed by the hash of their
cleaned text, so ingesting the same articles again stores nothing; a new version of the same URL (or file)
replaces the old one and its records. Document ids are unique: an article whose id another stored article
already holds is stored under the id followed by ``~2`` (``~3``...), so both stay reachable (issue 13).

What readers get is readable whatever an older filiere stored: a date that is no longer accepted reads as no date
(``periods.period_or_none``), and a figure too large for a float is left out (it is no figure).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import heapq
import json
import os
import sqlite3
import time
import zlib
from collections import OrderedDict
from pathlib import Path
from typing import Any, Iterator, NamedTuple

import numpy as np

from ..errors import InputError, StoreError
from ..ingest.dedup import (STORY_DAYS, DedupSettings, Signature, StoryFeatures, band_keys, clusters, copy_verdicts,
                            is_copy, jaccard, story_score)
from ..periods import period_or_none
from ..records import Extraction
from .schema import MIGRATIONS, TABLES

DEFAULT_DB = "filiere.db"
FACT_FILTERS = ("metric", "subject", "year", "kind", "unit")
STORY_CANDIDATES = 200  # stored articles scored against a new one, those sharing the most people and companies
CACHE_KIB = 64 * 1024  # SQLite's page cache of the connection, in KiB
BATCH_DOCUMENTS = 200  # Store.batch(): documents per commit at most...
BATCH_SECONDS = 1.0  # ...and seconds between commits at most (other writers wait for the write lock meanwhile)
# What is kept in memory of stored articles, each the most recently used first (bounded: memory stays flat)
FEATURES_KEPT = 20_000  # story features (the candidates scored against a new article)
SIGNATURES_KEPT = 20_000  # MinHash signatures (1 KiB each) of copy candidates
MASKS_KEPT = 200_000  # people and companies as bit sets (two integers each): every article of a story window
IN_CHUNK = 500  # ids per 'IN (...)' look-up
# a value the store cannot hold is the document's fault (bad input), not the store's: it costs that document only
DATA_ERRORS = (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.DataError, OverflowError, ValueError,
               UnicodeError)
FINITE = "abs({0}.value) <= 1.7976931348623157e308"  # leaves out an infinite value an older filiere stored


class Added(NamedTuple):
    """What ``Store.add`` did: "known", "replaced" or "stored", and the id the document is stored under."""

    outcome: str
    doc: str


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
            # a 64 MiB page cache (SQLite's default is 2 MiB): the copy and story look-ups of every new article
            # read the bands, signatures and actors of many stored ones, again and again; bounded, so memory stays flat
            self.conn.execute(f"PRAGMA cache_size = {-CACHE_KIB}")
            self.migrate()
        except sqlite3.DatabaseError as error:
            raise StoreError(path, f"not a usable SQLite store ({error})") from None
        # story features of committed documents, by id: a document scored against a new one is scored again
        # against the next ones of its weeks; dropped when a document is replaced or another connection writes
        self._features: _Kept[StoryFeatures] = _Kept(FEATURES_KEPT)
        self._signatures: _Kept[tuple[int, bytes]] = _Kept(SIGNATURES_KEPT)  # (shingles, signature), the same way
        self._masks: _Kept[tuple[int, int]] = _Kept(MASKS_KEPT)  # people and companies as bit sets, the same way
        self._actor_bits: dict[str, int] = {}  # an actor's name -> its bit in those sets (never changes)
        self._data_version = None
        self._batch: _Batch | None = None

    @contextlib.contextmanager
    def batch(self, documents: int = BATCH_DOCUMENTS, seconds: float = BATCH_SECONDS) -> Iterator[None]:
        """Within it, ``add`` commits every ``documents`` documents or ``seconds`` seconds, each document in its own
        savepoint (rolled back alone when it fails); what is complete is committed on leaving, error or not.

        The write lock is held between commits (readers are never blocked, WAL): other writers wait at most about
        ``seconds`` plus the extraction of the next documents. Nested batches are the outer one.
        """
        if self._batch is not None:
            yield
            return
        self._batch = _Batch(documents, seconds)
        try:
            yield
        except BaseException:
            self._forget()  # (an error SQLite rolled a whole batch back for would leave what we kept of ids gone)
            raise
        finally:
            self._batch = None
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    def _batch_begin(self) -> None:
        """In a batch, open its transaction (a document then gets a savepoint in it)."""
        batch = self._batch
        if batch is not None and not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")
            batch.started, batch.count = time.monotonic(), 0

    def _batch_step(self) -> None:
        """In a batch, count one document and commit when the batch is full or old enough."""
        batch = self._batch
        if batch is None or not self.conn.in_transaction:
            return
        batch.count += 1
        if batch.count >= batch.documents or time.monotonic() - batch.started >= batch.seconds:
            self.conn.execute("COMMIT")

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
            dedup: DedupSettings = DedupSettings()) -> Added:
        """Store one document and its records in one transaction, and link it to its copies and its story.

        Args:
            extraction: the document and its records.
            sig: its MinHash signature (ingest/dedup.py); without one, no copy or story link is made.
            dedup: copy thresholds.
        Returns:
            "known" (same text already stored), "replaced" (new version of a stored URL or file) or "stored", and
            the document's id in the store: its own, or ``ID~2`` when another article holds its id.
        Raises:
            InputError: a value the store cannot hold; the transaction is rolled back, earlier data stays intact.
        """
        document = extraction.document
        self._batch_begin()
        try:
            return self._add(extraction, sig, dedup)
        except DATA_ERRORS as error:
            raise InputError(document.source, f"document '{document.doc}' cannot be stored "
                                              f"({type(error).__name__}: {error})") from None
        finally:
            self._batch_step()

    def _add(self, extraction: Extraction, sig: Signature | None, dedup: DedupSettings) -> Added:
        document = extraction.document
        digest = content_hash(document.text)
        identity = document.url or document.source
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:  # another connection committed: what we kept may be stale
            self._forget()
            self._data_version = version
        with self._transaction():
            if self.conn.execute("SELECT 1 FROM documents WHERE content_hash = ?", (digest,)).fetchone():
                return Added("known", document.doc)
            old = self.conn.execute("DELETE FROM documents WHERE identity = ? RETURNING id", (identity,)).fetchall()
            for (gone,) in old:
                self._features.pop(gone, None)
                self._signatures.pop(gone, None)
                self._masks.pop(gone, None)
            doc = self._free_id(document.doc)
            document_id = self._insert_document(extraction, digest, identity, doc)
            sentence_ids = self._insert_sentences(document_id, extraction)
            self._insert_facts(document_id, extraction, sentence_ids)
            self._insert_milestones(document_id, extraction, sentence_ids)
            self._insert_actors(document_id, extraction)
            if sig is not None:
                self.link_copies(document_id, sig, dedup)
                self._link_stories(document_id, dedup.story_score)
        return Added("replaced" if old else "stored", doc)

    def _forget(self) -> None:
        """Drop the story features and signatures kept in memory."""
        self._features.clear()
        self._signatures.clear()
        self._masks.clear()

    def _free_id(self, doc: str) -> str:
        """The id, or when another stored article holds it, the first of ``ID~2``, ``ID~3``... that none holds."""
        candidate, n = doc, 1
        while self.conn.execute("SELECT 1 FROM documents WHERE doc = ?", (candidate,)).fetchone():
            n += 1
            candidate = f"{doc}~{n}"
        return candidate

    def add_actor_aliases(self, actors) -> None:
        """Record the pack's actors and their written forms (aliases, plants, former names)."""
        with self._transaction():
            for actor in actors:
                actor_id = self._actor_id(actor.name, actor.kind)
                rows = [(actor_id, a, "alias") for a in actor.aliases] + [(actor_id, u, "unit") for u in actor.units]
                self.conn.executemany("INSERT OR IGNORE INTO actor_aliases VALUES (?, ?, ?)", rows)

    def _insert_document(self, extraction: Extraction, digest: str, identity: str, doc: str) -> int:
        d = extraction.document
        cursor = self.conn.execute(
            "INSERT INTO documents (doc, identity, url, source, title, date, date_source, language, content_hash, "
            "chars, removed, text, ingested_at, pack) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc, identity, d.url, d.source, d.title, d.date, d.date_source, d.language, digest, len(d.text),
             json.dumps([r.to_dict() for r in d.removed], ensure_ascii=False), d.text, _now(), d.pack))
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
            "year, quarter, month, qualifier, claimed_by, evidence_text, evidence_start, evidence_end, "
            "scope_site, scope_segment, scope_period, evidence_page, evidence_paragraph) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(document_id, _sentence_of(f.evidence.start, sentences), f.kind, f.metric, f.value, f.value_high, f.unit,
              f.approx, f.subject, f.year, f.quarter, f.month, f.qualifier, f.claimed_by, f.evidence.text,
              f.evidence.start, f.evidence.end, *_scope_columns(f.scope), *_location(extraction.document, f))
             for f in extraction.facts])

    def _insert_milestones(self, document_id: int, extraction: Extraction, sentences) -> None:
        self.conn.executemany(
            "INSERT INTO milestones (document_id, sentence_id, what, keywords, subject, year, quarter, month, "
            "claimed_by, done, evidence_text, evidence_start, evidence_end, scope_site, scope_segment, scope_period, "
            "evidence_page, evidence_paragraph) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(document_id, _sentence_of(m.evidence.start, sentences), m.what, json.dumps(list(m.keywords)), m.subject,
              m.year, m.quarter, m.month, m.claimed_by, int(m.done), m.evidence.text, m.evidence.start,
              m.evidence.end, *_scope_columns(m.scope), *_location(extraction.document, m))
             for m in extraction.milestones])

    def _insert_actors(self, document_id: int, extraction: Extraction) -> None:
        for actor in extraction.actors:
            actor_id = self._actor_id(actor.name, actor.kind)
            self.conn.execute("INSERT INTO document_actors VALUES (?, ?, ?, ?, ?)",
                              (document_id, actor_id, actor.mentions, actor.as_subject, actor.as_source))

    def link_copies(self, document_id: int, sig: Signature, dedup: DedupSettings = DedupSettings()) -> None:
        """Look the document up in the stored LSH bands (no rebuild, no all-pairs), link copies, add its bands.

        The candidates (the stored documents sharing a band) are compared with it at once (``copy_verdicts``):
        their number grows with the store when many articles share paragraphs, a comparison each in Python did not.
        """
        keys = band_keys(sig, dedup)
        candidates: set[int] = set()
        for band, key in keys:  # one indexed look-up per band: the cost does not grow with the store
            candidates.update(r[0] for r in self.conn.execute(
                "SELECT document_id FROM lsh_bands WHERE band = ? AND key = ?", (band, key)))
        ordered = sorted(candidates)
        stored = self._signatures.fetch(ordered, self._signatures_of)  # the same candidates come back again and again
        if ordered:
            width = len(sig.hashvalues) * 8
            blobs = [stored[other][1] for other in ordered]
            sizes = np.fromiter((stored[other][0] for other in ordered), dtype=np.int64, count=len(ordered))
            if all(len(blob) == width for blob in blobs):
                values = np.frombuffer(b"".join(blobs), dtype=np.uint64).reshape(len(ordered), -1)
                copy, similarity = copy_verdicts(sig, values, sizes, dedup)
            else:  # signatures of another length (another num_perm): one by one, as is_copy does
                others = [Signature.from_bytes(blob, int(size)) for blob, size in zip(blobs, sizes)]
                copy = [is_copy(sig, other, dedup) for other in others]
                similarity = [jaccard(sig, other) for other in others]
            self.conn.executemany("INSERT OR REPLACE INTO document_links VALUES (?, ?, 'copy', ?)",
                                  [(min(document_id, other), max(document_id, other), float(similarity[i]))
                                   for i, other in enumerate(ordered) if copy[i]])
        self.conn.execute("INSERT INTO document_signatures VALUES (?, ?, ?)", (document_id, sig.size, sig.to_bytes()))
        self.conn.executemany("INSERT INTO lsh_bands VALUES (?, ?, ?)", [(b, k, document_id) for b, k in keys])

    def _signatures_of(self, ids: list[int]) -> dict[int, tuple[int, bytes]]:
        """(shingles, signature) of stored documents, by id, in a few queries."""
        out = {}
        for chunk in _chunks(ids):
            out.update((r[0], (r[1], r[2])) for r in self.conn.execute(
                "SELECT document_id, shingles, signature FROM document_signatures WHERE document_id IN "
                f"({','.join('?' * len(chunk))})", chunk))
        return out

    def _link_stories(self, document_id: int, threshold: float) -> None:
        """Link the document to stored articles about the same event (shared people, organisations, figures).

        Candidates share a person or a company with it and, when both are dated, lie within the story window
        (indexed look-ups by date, then by actor: the cost follows the articles of the same weeks, not the store);
        the STORY_CANDIDATES sharing the most are scored. For a dated document, the articles of its window are
        counted from their people and companies as bit sets kept in memory (``_masks``: the same actors the
        store holds, so the same counts as the SQL below gives for an undated one, without joining their actors
        again for every new article of the same weeks); the candidates' story features are kept too
        (``_features``), and what is not kept is read in a few queries.
        """
        mine = self._story_features(document_id)
        period = period_or_none(mine.date)
        counts: dict[int, int] = {}
        if period is not None:  # documents of the same weeks (a month or a year: of the weeks around), and undated ones
            window = {"id": document_id, "first": (period.start - dt.timedelta(days=STORY_DAYS)).isoformat(),
                      "last": (period.end + dt.timedelta(days=STORY_DAYS)).isoformat()}
            people, organisations = self._mask(mine)
            if people or organisations:
                ids = [r[0] for r in self.conn.execute(
                    "SELECT id FROM documents WHERE (date BETWEEN :first AND :last OR date IS NULL) AND id != :id",
                    window)]
                masks = self._masks.fetch(ids, self._masks_of)  # kept, or read in a few queries
                for other in ids:
                    theirs = masks[other]
                    shared = 2 * (people & theirs[0]).bit_count() + (organisations & theirs[1]).bit_count()
                    if shared:
                        counts[other] = shared
        else:
            counts = dict(self.conn.execute(
                "SELECT other.document_id, SUM(CASE a.kind WHEN 'person' THEN 2 ELSE 1 END) "
                "FROM document_actors mine2 CROSS JOIN document_actors other ON other.actor_id = mine2.actor_id "
                "AND mine2.document_id = :id "
                "JOIN document_actors mine ON mine.document_id = :id AND mine.actor_id = other.actor_id "
                "JOIN actors a ON a.id = other.actor_id AND a.kind IN ('person', 'company') "
                "WHERE other.document_id != :id GROUP BY other.document_id", {"id": document_id}).fetchall())
        best = heapq.nsmallest(STORY_CANDIDATES, counts, key=lambda d: (-counts[d], -d))  # sorted(...)[:N], faster
        features = self._features.fetch(best, self._story_features_many)
        scores = ((other, story_score(mine, features[other])) for other in best)
        self.conn.executemany("INSERT OR REPLACE INTO document_links VALUES (?, ?, 'story', ?)",
                              [(min(document_id, other), max(document_id, other), score)
                               for other, score in scores if score >= threshold])

    def _kept_features(self, document_id: int) -> StoryFeatures:
        """A committed document's story features, kept for the next articles of its weeks."""
        return self._features.fetch([document_id], self._story_features_many)[document_id]

    def _masks_of(self, ids: list[int]) -> dict[int, tuple[int, int]]:
        """Stored documents' people and companies as bit sets (``_mask``), by id, in a few queries."""
        actors: dict[int, tuple[set[str], set[str]]] = {i: (set(), set()) for i in ids}
        for chunk in _chunks(ids):
            for document, name, kind in self.conn.execute(
                    "SELECT d.document_id, a.name, a.kind FROM document_actors d JOIN actors a ON a.id = d.actor_id "
                    f"WHERE a.kind IN ('person', 'company') AND d.document_id IN ({','.join('?' * len(chunk))})",
                    chunk):
                actors[document][kind == "company"].add(name)
        return {i: self._mask(StoryFeatures(frozenset(people), frozenset(companies)))
                for i, (people, companies) in actors.items()}

    def _mask(self, features: StoryFeatures) -> tuple[int, int]:
        """The people and the companies of story features as bit sets (one bit per actor's name): shared ones are
        counted with an AND, for each article of the story window."""
        bits = self._actor_bits

        def mask(names: frozenset[str]) -> int:
            out = 0
            for name in names:
                bit = bits.get(name)
                if bit is None:
                    bit = bits[name] = 1 << len(bits)
                out |= bit
            return out
        return mask(features.people), mask(features.organisations)

    def story_features(self, document_id: int) -> StoryFeatures:
        """People, companies, places, figures, milestone nouns and date of a stored document."""
        return self._story_features(document_id)

    def _story_features(self, document_id: int) -> StoryFeatures:
        return self._story_features_many([document_id])[document_id]

    def _story_features_many(self, ids: list[int]) -> dict[int, StoryFeatures]:
        """Story features of stored documents, by id (an id not stored is left out), in four queries per chunk."""
        out = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            actors: dict[int, list[tuple[str, str]]] = {}
            for document, name, kind in self.conn.execute(
                    "SELECT d.document_id, a.name, a.kind FROM document_actors d JOIN actors a ON a.id = d.actor_id "
                    f"WHERE d.document_id IN ({marks})", chunk):
                actors.setdefault(document, []).append((name, kind))
            figures: dict[int, list[tuple]] = {}
            for document, *figure in self.conn.execute(
                    "SELECT document_id, metric, unit, year, value FROM facts "
                    f"WHERE document_id IN ({marks}) AND year IS NOT NULL", chunk):
                figures.setdefault(document, []).append(tuple(figure))
            milestones: dict[int, list[frozenset[str]]] = {}
            for document, keywords in self.conn.execute(
                    f"SELECT document_id, keywords FROM milestones WHERE document_id IN ({marks}) "
                    "ORDER BY document_id, id", chunk):
                milestones.setdefault(document, []).append(frozenset(json.loads(keywords)))
            for document, date in self.conn.execute(f"SELECT id, date FROM documents WHERE id IN ({marks})", chunk):
                mine = actors.get(document, [])
                by_kind = lambda kind: frozenset(name for name, k in mine if k == kind)
                out[document] = StoryFeatures(by_kind("person"), by_kind("company"), by_kind("place"),
                                              frozenset(figures.get(document, ())),
                                              tuple(milestones.get(document, ())), date)
        return out

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
        where = _and(where, FINITE.format("f"))
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
        figures = self.conn.execute("SELECT metric, value, unit, kind, year, subject FROM facts f "
                                    f"WHERE sentence_id = ? AND {FINITE.format('f')}", (row["id"],)).fetchall()
        return {"doc": row["doc"], "date": _readable(row["date"]), "title": row["title"], "text": row["text"],
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
        return [_dated(r) for r in rows]

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of a table, for exports."""
        if table not in TABLES:
            raise StoreError(self.path, f"no table '{table}'", f"tables: {', '.join(TABLES)}")
        for row in self.conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
            yield dict(row)

    # web --- read-only queries of the dashboard and its JSON API (src/filiere/web/), with paging ---------

    @classmethod
    def open_readonly(cls, url: str | None = None) -> "Store":
        """The store at --db / $FILIERE_DB / ./filiere.db, read-only (SQLite mode=ro, query_only): no migration.

        Raises:
            StoreError: the file is missing or is not a filiere store.
        """
        path = resolve_db(url)
        if not Path(path).is_file():
            raise StoreError(path, "no such store", "run 'filiere ingest PATH --db ...' first")
        store = cls.__new__(cls)
        store.path = path
        try:
            # one request's connection may be used by two threads of the server in turn, never at once
            store.conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, timeout=30,
                                         isolation_level=None, check_same_thread=False)
            store.conn.row_factory = sqlite3.Row
            store.conn.execute("PRAGMA query_only = ON")
            store.conn.execute("SELECT count(*) FROM documents").fetchone()
        except sqlite3.DatabaseError as error:
            raise StoreError(path, f"not a usable filiere store ({error})") from None
        return store

    def facts_page(self, offset: int = 0, limit: int = 50, doc: str | None = None,
                   **filters: Any) -> tuple[list[dict[str, Any]], int]:
        """One page of facts (filtered like facts(), and by document id) and how many match in all."""
        where, params = _where(filters, FACT_FILTERS, "f")
        where = _and(where, FINITE.format("f"))
        if doc is not None:
            where, params = _and(where, "d.doc = ?"), [*params, doc]
        base = f"FROM facts f JOIN documents d ON d.id = f.document_id {where}"
        total = self.conn.execute(f"SELECT count(*) {base}", params).fetchone()[0]
        rows = self.conn.execute(f"SELECT f.*, d.doc AS doc, d.date AS doc_date {base} "
                                 "ORDER BY f.subject, f.metric, f.year, f.id LIMIT ? OFFSET ?", [*params, limit, offset])
        return [_fact_record(r) for r in rows], total

    def distinct(self, column: str) -> list[str]:
        """The values of facts.subject, facts.metric or facts.unit, for the dashboard's filters."""
        if column not in ("subject", "metric", "unit"):
            raise StoreError("distinct", f"unknown column '{column}'", "use subject, metric or unit")
        return [r[0] for r in self.conn.execute(f"SELECT DISTINCT {column} FROM facts ORDER BY {column}")]

    def packs(self) -> dict[str, int]:
        """Documents per domain pack they were read with (those stored before packs were recorded: automotive)."""
        rows = self.conn.execute("SELECT COALESCE(pack, 'automotive'), count(*) FROM documents GROUP BY 1 ORDER BY 1")
        return {name: n for name, n in rows}

    def docs_of_pack(self, pack: str) -> set[str]:
        """Ids of the documents read with a pack."""
        rows = self.conn.execute("SELECT doc FROM documents WHERE COALESCE(pack, 'automotive') = ?", (pack,))
        return {r[0] for r in rows}

    def documents_page(self, offset: int = 0, limit: int = 50,
                       q: str | None = None, pack: str | None = None) -> tuple[list[dict[str, Any]], int]:
        """Documents, newest first, with their counts of facts and milestones; q filters titles and ids, pack the
        domain pack they were read with."""
        clauses, params = [], []
        if q:
            clauses, params = ["(d.title LIKE ? OR d.doc LIKE ?)"], [f"%{q}%", f"%{q}%"]
        if pack:
            clauses.append("COALESCE(d.pack, 'automotive') = ?")
            params.append(pack)
        where = "WHERE " + " AND ".join(clauses) if clauses else ""
        total = self.conn.execute(f"SELECT count(*) FROM documents d {where}", params).fetchone()[0]
        rows = self.conn.execute(
            "SELECT d.doc, d.title, d.date, d.date_source, d.language, d.url, d.chars, "
            "(SELECT count(*) FROM facts f WHERE f.document_id = d.id) AS facts, "
            "(SELECT count(*) FROM milestones m WHERE m.document_id = d.id) AS milestones "
            f"FROM documents d {where} ORDER BY d.date IS NULL, d.date DESC, d.doc LIMIT ? OFFSET ?",
            [*params, limit, offset])
        return [_dated(r) for r in rows], total

    def document(self, doc: str) -> dict[str, Any] | None:
        """One document (its newest version) with its cleaned text, what cleaning removed, facts and milestones."""
        row = self.conn.execute("SELECT * FROM documents WHERE doc = ? ORDER BY id DESC LIMIT 1", (doc,)).fetchone()
        if row is None:
            return None
        removed = json.loads(row["removed"])
        facts = self.conn.execute("SELECT f.*, ? AS doc, ? AS doc_date FROM facts f WHERE f.document_id = ? "
                                  f"AND {FINITE.format('f')} ORDER BY f.evidence_start", (doc, row["date"], row["id"]))
        milestones = self.conn.execute("SELECT m.*, ? AS doc, ? AS doc_date FROM milestones m WHERE m.document_id = ? "
                                       "ORDER BY m.evidence_start", (doc, row["date"], row["id"]))
        return {"type": "document", "doc": doc, "title": row["title"], "date": _readable(row["date"]),
                "date_source": row["date_source"], "language": row["language"], "url": row["url"],
                "chars": row["chars"], "removed": sorted({r["reason"] for r in removed}), "removed_items": removed,
                "text": row["text"], "facts": [_fact_record(r) for r in facts],
                "milestones": [_milestone_record(r) for r in milestones]}

    def actors_page(self, offset: int = 0, limit: int = 50, kind: str | None = None,
                    q: str | None = None) -> tuple[list[dict[str, Any]], int]:
        """Actors with how many documents name them, most named first; filtered by kind and by a piece of name."""
        clauses, params = [], []
        if kind:
            clauses.append("a.kind = ?"), params.append(kind)
        if q:
            clauses.append("a.name LIKE ?"), params.append(f"%{q}%")
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        total = self.conn.execute(f"SELECT count(*) FROM actors a {where}", params).fetchone()[0]
        rows = self.conn.execute(
            "SELECT a.id, a.name, a.kind, count(da.document_id) AS documents, coalesce(sum(da.mentions), 0) AS mentions "
            f"FROM actors a LEFT JOIN document_actors da ON da.actor_id = a.id {where} GROUP BY a.id "
            "ORDER BY documents DESC, a.name LIMIT ? OFFSET ?", [*params, limit, offset])
        return [dict(r) for r in rows], total

    def actor(self, actor_id: int) -> dict[str, Any] | None:
        """One actor: its kind, written forms, roles, the articles that name it, and the facts and milestones
        about it (as subject) or claimed by it."""
        row = self.conn.execute("SELECT id, name, kind FROM actors WHERE id = ?", (actor_id,)).fetchone()
        if row is None:
            return None
        aliases = [r[0] for r in self.conn.execute("SELECT alias FROM actor_aliases WHERE actor_id = ? ORDER BY alias",
                                                   (actor_id,))]
        documents = [_dated(r) for r in self.conn.execute(
            "SELECT d.doc, d.title, d.date, da.mentions, da.as_subject, da.as_source FROM document_actors da "
            "JOIN documents d ON d.id = da.document_id WHERE da.actor_id = ? ORDER BY d.date DESC, d.doc",
            (actor_id,))]
        about = ("FROM {0} x JOIN documents d ON d.id = x.document_id WHERE (x.subject = ? OR x.claimed_by = ?) {1} "
                 "ORDER BY x.year, x.id")
        facts = self.conn.execute("SELECT x.*, d.doc AS doc, d.date AS doc_date "
                                  + about.format("facts", "AND " + FINITE.format("x")), (row["name"], row["name"]))
        milestones = self.conn.execute("SELECT x.*, d.doc AS doc, d.date AS doc_date " + about.format("milestones", ""),
                                       (row["name"], row["name"]))
        roles = {"mentions": sum(d["mentions"] for d in documents), "as_subject": sum(d["as_subject"] for d in documents),
                 "as_source": sum(d["as_source"] for d in documents)}
        return {"type": "actor", "id": row["id"], "name": row["name"], "kind": row["kind"], "aliases": aliases,
                "roles": roles, "documents": documents, "facts": [_fact_record(r) for r in facts],
                "milestones": [_milestone_record(r) for r in milestones]}

    def search_page(self, query: str, offset: int = 0, limit: int = 20) -> tuple[list[dict[str, Any]], int]:
        """One page of search() hits and how many sentences match in all (plain words, never FTS5 syntax)."""
        words = [w for w in "".join(c if c.isalnum() else " " for c in query).split() if w]
        if not words:
            return [], 0
        match = " ".join(f'"{w}"' for w in words)
        total = self.conn.execute("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH ?", (match,)).fetchone()[0]
        rows = self.conn.execute(
            "SELECT s.id, s.text, s.start, s.end, d.doc, d.date, d.title FROM sentences_fts "
            "JOIN sentences s ON s.id = sentences_fts.rowid JOIN documents d ON d.id = s.document_id "
            "WHERE sentences_fts MATCH ? ORDER BY bm25(sentences_fts) LIMIT ? OFFSET ?", (match, limit, offset)).fetchall()
        return [self._hit(r) for r in rows], total

    def fingerprint(self) -> tuple:
        """Changes whenever a document is stored, replaced or deleted: a key for caching what is computed from it."""
        return tuple(self.conn.execute("SELECT count(*), max(id), max(ingested_at) FROM documents").fetchone())

    # web --- end -----------------------------------------------------------------------------------------

    # fetch --- followed sources, the pages met (raw HTML kept, zlib-compressed) and feed validators ------
    # Used by src/filiere/fetch/ (filiere fetch, watch, reprocess, sources). Page URLs are canonical.

    def record_source(self, name: str, kind: str, url: str | None) -> None:
        """Register a followed source (or update its kind and URL) and note the time of this run."""
        with self._transaction():
            self.conn.execute(
                "INSERT INTO fetch_sources (name, kind, url, last_run) VALUES (?, ?, ?, ?) ON CONFLICT(name) "
                "DO UPDATE SET kind = excluded.kind, url = excluded.url, last_run = excluded.last_run",
                (name, kind, url, _now()))

    def record_source_outcome(self, name: str, error: str | None = None) -> None:
        """Note that a source was read (error None) or its latest error, with the time."""
        with self._transaction():
            if error is None:
                self.conn.execute("UPDATE fetch_sources SET last_success = ? WHERE name = ?", (_now(), name))
            else:
                self.conn.execute("UPDATE fetch_sources SET last_error = ?, last_error_at = ? WHERE name = ?",
                                  (error, _now(), name))

    def page_state(self, url: str, exclude: str | None = None) -> dict[str, Any] | None:
        """The state of a page met before under this canonical URL (as listed, or where it led), leaving out the
        page listed as ``exclude``; None if never met."""
        row = self.conn.execute("SELECT url, source, final_url, status, attempts, error FROM fetched_pages "
                                "WHERE (url = ? OR final_url = ?) AND url IS NOT ? ORDER BY url = ? DESC, rowid "
                                "LIMIT 1", (url, url, exclude, url)).fetchone()
        return dict(row) if row else None

    def save_page(self, url: str, source: str, status: str, *, final_url: str | None = None,
                  http_status: int | None = None, html: str | None = None, listed_date: str | None = None,
                  error: str | None = None) -> None:
        """Record one fetch attempt of a page in its own transaction: its HTML (compressed) or the failure."""
        blob = zlib.compress(html.encode("utf-8")) if html is not None else None
        with self._transaction():
            self.conn.execute(
                "INSERT INTO fetched_pages (url, source, final_url, status, http_status, attempts, listed_date, "
                "fetched_at, html, error) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                "final_url = excluded.final_url, status = excluded.status, http_status = excluded.http_status, "
                "attempts = attempts + 1, listed_date = coalesce(excluded.listed_date, listed_date), "
                "fetched_at = excluded.fetched_at, html = coalesce(excluded.html, html), error = excluded.error",
                (url, source, final_url, status, http_status, listed_date, _now(), blob, error))

    def set_page_status(self, url: str, status: str, error: str | None = None) -> None:
        """Mark a stored page ingested, filtered or failed (with the reason)."""
        with self._transaction():
            self.conn.execute("UPDATE fetched_pages SET status = ?, error = ? WHERE url = ?", (status, error, url))

    def pages(self, statuses: tuple[str, ...], source: str | None = None) -> Iterator[dict[str, Any]]:
        """Stored pages in these states (optionally of one source), their HTML decompressed, oldest first."""
        marks = ", ".join("?" for _ in statuses)
        where = f"status IN ({marks})" + (" AND source = ?" if source is not None else "")
        params = [*statuses, *([source] if source is not None else [])]
        rows = self.conn.execute(f"SELECT * FROM fetched_pages WHERE {where} ORDER BY rowid", params).fetchall()
        for row in rows:
            page = dict(row)
            page["html"] = zlib.decompress(page["html"]).decode("utf-8") if page["html"] is not None else None
            yield page

    def feed_validators(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified a feed last answered with, for a conditional GET."""
        row = self.conn.execute("SELECT etag, last_modified FROM feed_state WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def save_feed_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Keep a feed's validators once every page it listed has been handled."""
        with self._transaction():
            self.conn.execute("INSERT OR REPLACE INTO feed_state VALUES (?, ?, ?, ?)", (url, etag, last_modified, _now()))

    def source_report(self) -> list[dict[str, Any]]:
        """Per followed source: pages ingested, pages failed or waiting for a retry, last success, last error."""
        rows = self.conn.execute(
            "SELECT s.name, s.kind, s.url, s.last_run, s.last_success, s.last_error, s.last_error_at, "
            "sum(p.status = 'ingested') AS articles, sum(p.status IN ('failed', 'retry')) AS failed_pages, "
            "sum(p.status = 'filtered') AS filtered FROM fetch_sources s LEFT JOIN fetched_pages p "
            "ON p.source = s.name GROUP BY s.name ORDER BY s.name").fetchall()
        return [{**dict(r), "articles": r["articles"] or 0, "failed_pages": r["failed_pages"] or 0,
                 "filtered": r["filtered"] or 0} for r in rows]

    # fetch --- end ---------------------------------------------------------------------------------------


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error so earlier data stays intact; inside an open transaction
    (``Store.batch``), a savepoint, rolled back alone on any error."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.savepoint = False

    def __enter__(self):
        self.savepoint = self.conn.in_transaction
        self.conn.execute("SAVEPOINT document" if self.savepoint else "BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        if not self.savepoint:
            self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
        elif self.conn.in_transaction:  # (an error SQLite rolled the whole transaction back for leaves none)
            if exc_type:
                self.conn.execute("ROLLBACK TO document")
            self.conn.execute("RELEASE document")
        return False


class _Kept(OrderedDict):
    """Values of stored documents kept in memory, by id, at most ``size`` of them: reading one (``touch``) makes it
    the most recent, adding one past the size drops the least recently used (in constant time: a dict's first key,
    read again and again after deletions, is not)."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def touch(self, key):
        """The value kept for key, now the most recent, or None."""
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def fetch(self, keys: list, read) -> dict:
        """The values of keys, by key: those kept, and the others from ``read(missing keys) -> {key: value}`` (a
        key it leaves out is left out), which are then kept."""
        out = {key: self.touch(key) for key in keys}
        missing = [key for key, value in out.items() if value is None]
        if missing:
            found = read(missing)
            for key in missing:
                if key in found:
                    self[key] = out[key] = found[key]
                else:
                    del out[key]
        return out

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        if len(self) > self.size:
            self.popitem(last=False)


def _chunks(ids: list, size: int = IN_CHUNK) -> Iterator[list]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


class _Batch:
    """An open ``Store.batch``: its limits, when its transaction began and the documents added since."""

    def __init__(self, documents: int, seconds: float):
        self.documents, self.seconds = documents, seconds
        self.started, self.count = 0.0, 0


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


def _and(where: str, clause: str) -> str:
    return f"{where} AND {clause}" if where else f"WHERE {clause}"


def _sentence_of(start: int, sentences) -> int | None:
    return next((sid for s, e, sid in sentences if s <= start < e), None)


def _readable(date: str | None) -> str | None:
    """A stored date as a period's text ("2025-01-14T09:00" -> "2025-01-14"); an unreadable one reads as None."""
    period = period_or_none(date)
    return period.text if period is not None else None


def _dated(row) -> dict[str, Any]:
    """A row as a dict, its "date" readable."""
    record = dict(row)
    record["date"] = _readable(record.get("date"))
    return record


def _location(document, record) -> tuple[int | None, int | None]:
    """The page and the paragraph of a record's evidence (issue 17): one of them for a PDF or DOCX file, else none."""
    where = document.location(record.evidence.start)
    return where.get("page"), where.get("paragraph")


def _evidence(row) -> dict[str, Any]:
    """A stored evidence as FACTS.md writes it, with its page or paragraph when the document had them."""
    evidence = {"text": row["evidence_text"], "start": row["evidence_start"], "end": row["evidence_end"]}
    keys = row.keys()
    for unit in ("page", "paragraph"):
        if f"evidence_{unit}" in keys and row[f"evidence_{unit}"] is not None:
            evidence[unit] = row[f"evidence_{unit}"]
    return evidence


SCOPE_COLUMNS = ("scope_site", "scope_segment", "scope_period")


def _scope_columns(scope: dict[str, str] | None) -> tuple[str | None, str | None, str | None]:
    scope = scope or {}
    return scope.get("site"), scope.get("segment"), scope.get("period")


def _scope(row) -> dict[str, str] | None:
    """The scope columns as FACTS.md's object; None when all are empty (not narrowed, or stored before 0005_scope)."""
    keys = row.keys()
    found = {c[len("scope_"):]: row[c] for c in SCOPE_COLUMNS if c in keys and row[c]}
    return found or None


def _fact_record(row) -> dict[str, Any]:
    value = row["value"]
    return {"type": "fact", "id": row["id"], "doc": row["doc"], "date": _readable(row["doc_date"]), "kind": row["kind"],
            "metric": row["metric"], "value": int(value) if float(value).is_integer() else value,
            "unit": row["unit"], "approx": row["approx"], "subject": row["subject"], "year": row["year"],
            "quarter": row["quarter"], "month": row["month"], "qualifier": row["qualifier"], "scope": _scope(row),
            "claimed_by": row["claimed_by"], "evidence": _evidence(row)}


def _milestone_record(row) -> dict[str, Any]:
    return {"type": "milestone", "id": row["id"], "doc": row["doc"], "date": _readable(row["doc_date"]),
            "what": row["what"],
            "keywords": json.loads(row["keywords"]), "subject": row["subject"], "year": row["year"],
            "quarter": row["quarter"], "month": row["month"], "claimed_by": row["claimed_by"],
            "done": bool(row["done"]), "scope": _scope(row), "evidence": _evidence(row)}


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
