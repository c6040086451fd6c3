"""The SQLite store: idempotent, one transaction per document, never corrupted, readable by standard tools."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from filiere.cli import main
from filiere.errors import InputError, StoreError
from filiere.run import ingest_paths
from filiere.settings import Settings
from filiere.store import open_store
from filiere.store.export import export_tables

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"


@pytest.fixture
def seeded(nlp, tmp_path):
    store = open_store(str(tmp_path / "s.db"))
    summary = ingest_paths([str(SEEDS)], store, Settings())
    yield store, summary
    store.close()


def test_store_ingest_twice_changes_nothing(seeded):
    store, summary = seeded
    assert (summary.read, summary.stored, summary.skipped, summary.failed) == (5, 5, 0, [])
    before = store.counts()
    again = ingest_paths([str(SEEDS)], store, Settings())
    assert (again.stored, again.skipped) == (0, 5)
    assert store.counts() == before
    assert before["documents"] == 5 and before["facts"] == 22 and before["milestones"] == 5


def test_store_records_round_trip(seeded):
    store, _ = seeded
    facts = store.facts(metric="exports_value")
    assert sorted(f["value"] for f in facts) == [157000000000, 157600000000]
    assert {f["subject"] for f in facts} == {"Maroc"}
    assert store.facts(subject="Renault Group", kind="target", year=2030)[0]["metric"] in (
        "local_integration_rate", "local_sourcing_value")
    assert store.schema_version() == "0011_lsh_bands_covering"
    applied = [r[0] for r in store.conn.execute("SELECT name FROM schema_migrations ORDER BY name")]
    assert applied == ["0001_initial", "0002_duplicates", "0003_fetch", "0004_story_index", "0005_scope",
                       "0007_evidence_location", "0008_corrections", "0009_runs", "0010_document_pack",
                       "0011_lsh_bands_covering"]


def test_store_actors_aliases_and_roles(seeded):
    store, _ = seeded
    conn = store.conn
    aliases = {r[0] for r in conn.execute("SELECT alias FROM actor_aliases JOIN actors ON actors.id = actor_id "
                                          "WHERE name = 'Stellantis'")}
    assert {"PSA", "Stellantis"} <= aliases
    row = conn.execute("SELECT sum(as_subject) FROM document_actors JOIN actors ON actors.id = actor_id "
                       "WHERE name = 'Renault Group'").fetchone()
    assert row[0] >= 10


def test_store_new_version_of_a_url_replaces_the_old(nlp, tmp_path):
    store = open_store(str(tmp_path / "u.db"))
    feed = tmp_path / "feed.jsonl"
    for value in ("140", "145"):
        feed.write_text(json.dumps({"id": "n1", "url": "https://exemple.ma/a", "date": "2025-01-02",
                                    "text": f"Les exportations ont atteint {value} milliards de dirhams en 2024."}))
        summary = ingest_paths([str(feed)], store, Settings())
    assert summary.replaced == 1
    assert store.counts()["documents"] == 1
    assert [f["value"] for f in store.facts()] == [145e9]


def test_store_failing_write_keeps_earlier_documents(seeded, monkeypatch):
    store, _ = seeded
    before = store.counts()
    from filiere.cli import extract_paths

    [extraction] = list(extract_paths([str(SEEDS / "002_86e094afeaac893d.txt")], Settings()))
    extraction = type(extraction)(extraction.document.__class__(**{
        **{f: getattr(extraction.document, f) for f in extraction.document.__slots__}, "text": "autre texte"}),
        extraction.facts, extraction.milestones, extraction.sentences, extraction.actors)
    monkeypatch.setattr(store, "_insert_milestones", lambda *a: (_ for _ in ()).throw(sqlite3.IntegrityError("boom")))
    with pytest.raises(InputError, match="cannot be stored \\(IntegrityError: boom\\)"):
        store.add(extraction)
    assert store.counts() == before


def test_store_batch_rolls_back_a_failing_document_alone_and_commits_the_others(nlp, tmp_path, monkeypatch):
    """In Store.batch (what ingest uses, issue 16), each document is a savepoint: one that fails leaves the documents
    before and after it in the same batch, all committed (another connection reads them) when the batch ends."""
    from filiere.cli import extract_paths
    from filiere.ingest.dedup import signature

    store = open_store(str(tmp_path / "b.db"))
    extractions = list(extract_paths([str(SEEDS)], Settings()))
    real = store._insert_milestones

    def failing(document_id, extraction, sentences):
        if extraction.document.doc == extractions[2].document.doc:
            raise sqlite3.IntegrityError("boom")
        return real(document_id, extraction, sentences)
    monkeypatch.setattr(store, "_insert_milestones", failing)
    with store.batch(documents=100, seconds=3600):
        for extraction in extractions:
            try:
                store.add(extraction, signature(extraction.document.text))
            except InputError as error:
                assert "IntegrityError: boom" in str(error) and extraction is extractions[2]
        assert store.conn.in_transaction  # not committed yet: one batch
    assert not store.conn.in_transaction
    with sqlite3.connect(store.path) as other:
        docs = {r[0] for r in other.execute("SELECT doc FROM documents")}
        orphans = other.execute("SELECT count(*) FROM sentences s WHERE NOT EXISTS "
                                "(SELECT 1 FROM documents d WHERE d.id = s.document_id)").fetchone()[0]
    assert docs == {e.document.doc for e in extractions} - {extractions[2].document.doc} and orphans == 0
    store.close()


def test_store_search_full_text_with_figures(seeded):
    store, _ = seeded
    hits = store.search("exportations dirhams")
    assert hits and all("dirhams" in h["text"] for h in hits)
    assert any(f["metric"] == "exports_value" for h in hits for f in h["facts"])
    assert store.search("integration locale")  # accents ignored
    assert isinstance(store.search('" OR 1=1 -- NEAR( *'), list)  # FTS syntax is never interpreted
    assert store.search("   ") == []


def test_store_exports_every_table(seeded, tmp_path):
    store, _ = seeded
    for fmt in ("csv", "jsonl", "parquet"):
        written = export_tables(store, fmt, tmp_path / fmt)
        assert {p.stem for p in written} == set(store.counts())
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "parquet" / "facts.parquet").num_rows == 22
    assert len((tmp_path / "jsonl" / "documents.jsonl").read_text(encoding="utf-8").splitlines()) == 5


def test_store_opens_in_sqlite_utils_and_passes_integrity_check(seeded):
    store, _ = seeded
    import sqlite_utils

    db = sqlite_utils.Database(store.path)
    assert {"documents", "sentences", "facts", "milestones", "actors", "sentences_fts"} <= set(db.table_names())
    assert db["facts"].count == 22
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_store_bad_files_are_clear_errors(tmp_path):
    not_db = tmp_path / "notes.db"
    not_db.write_text("ceci n'est pas une base")
    with pytest.raises(StoreError, match="notes.db: not a usable SQLite store"):
        open_store(str(not_db))
    with pytest.raises(StoreError, match="no such store"):
        open_store(str(tmp_path / "missing.db"), create=False)
    with pytest.raises(StoreError, match="unsupported database URL"):
        open_store("postgresql://localhost/x")


def test_store_newer_schema_is_refused(tmp_path):
    path = str(tmp_path / "n.db")
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES ('9999_future', 'x')")
    with pytest.raises(StoreError, match="made by a newer filiere"):
        open_store(path)


def _variants(folder: Path, n: int) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(n):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (folder / f"v{i:03d}.txt").write_text(f"{text}\nDépêche numéro {i}.\n", encoding="utf-8")


def _documents(db: Path) -> int:
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_store_killed_ingest_leaves_complete_documents_and_resumes(tmp_path):
    corpus, db = tmp_path / "corpus", tmp_path / "k.db"
    corpus.mkdir()
    _variants(corpus, 60)
    cmd = [sys.executable, "-m", "filiere.cli", "ingest", str(corpus), "--db", str(db), "--batch-size", "1"]
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while _documents(db) < 3 and time.time() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    partial = _documents(db)
    assert 0 < partial < 60
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orphans = conn.execute("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                               "(SELECT 1 FROM sentences s WHERE s.document_id = d.id)").fetchone()[0]
        assert orphans == 0
    assert main(["ingest", str(corpus), "--db", str(db)]) == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT content_hash) FROM documents").fetchone() == (60, 60)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_store_kept_story_features_follow_the_store(seeded, tmp_path):
    """Story features kept in memory (issue 16) are dropped when a document is replaced or another connection
    writes (SQLite may give a deleted document's id to the next one)."""
    store, _ = seeded
    ids = [r[0] for r in store.conn.execute("SELECT id FROM documents ORDER BY id")]
    assert all(store._kept_features(i) == store.story_features(i) for i in ids)
    other = sqlite3.connect(store.path)
    other.execute("PRAGMA foreign_keys = ON")
    other.execute("DELETE FROM documents WHERE id = ?", (ids[-1],))
    other.commit()
    other.close()
    feed = tmp_path / "feed.jsonl"
    for value in ("140", "145"):
        feed.write_text(json.dumps({"id": "n1", "url": "https://exemple.ma/a", "date": "2025-01-02",
                                    "text": f"Renault a exporté {value} 000 voitures en 2024, selon Renault."}))
        ingest_paths([str(feed)], store, Settings())
        kept = dict(store._features)
        assert ids[-1] not in kept or kept[ids[-1]] == store.story_features(ids[-1])
        assert all(features == store.story_features(i) for i, features in kept.items())


def test_store_links_do_not_depend_on_what_is_kept_in_memory(nlp, tmp_path):
    """The signatures, story features and bit sets kept in memory (issue 16) are bounded; past the bound the least
    recently used are dropped and read again from the store: the links are the same with room for two of each as
    with room for all."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    feed = tmp_path / "feed.jsonl"
    with feed.open("w", encoding="utf-8") as out:
        for k in range(4):  # each seed, whole and with one paragraph left out, on days close enough for a story
            for i, text in enumerate(texts):
                paragraphs = text.split("\n")
                if k:
                    del paragraphs[1 + (k + i) % (len(paragraphs) - 1)]
                out.write(json.dumps({"id": f"d{k}-{i}", "date": f"2025-01-{2 + 3 * k + i:02d}",
                                      "text": "\n".join(paragraphs)}, ensure_ascii=False) + "\n")
    links = []
    for room in (None, 2):
        store = open_store(str(tmp_path / f"links-{room}.db"))
        if room:
            for kept in (store._features, store._signatures, store._masks):
                kept.size = room
        ingest_paths([str(feed)], store, Settings())
        if room:
            assert all(len(kept) <= room for kept in (store._features, store._signatures, store._masks))
        links.append(store.conn.execute("SELECT a, b, kind, score FROM document_links ORDER BY a, b").fetchall())
        store.close()
    assert {kind for _, _, kind, _ in links[0]} == {"copy", "story"}
    assert links[0] == links[1]
