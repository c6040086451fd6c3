"""--workers and --dask: extraction spread over processes gives the records of a single process."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from filiere.cli import extract_paths, main
from filiere.errors import InputError
from filiere.settings import Settings

SEEDS = str(Path(__file__).resolve().parent.parent / "examples" / "seeds")


def _records(settings: Settings) -> list[dict]:
    out = []
    for extraction in extract_paths([SEEDS], settings):
        out.append(extraction.document.doc)
        out.extend(r.to_dict() for r in (*extraction.facts, *extraction.milestones))
    return out


@pytest.fixture(scope="module")
def single() -> list[dict]:
    return _records(Settings(batch_size=2))


def test_dask_local_cluster_with_two_workers_gives_the_single_process_records(single):
    spread = _records(Settings(batch_size=2, dask="local", workers=2))
    assert spread == single
    assert sum(1 for r in single if isinstance(r, dict) and r["type"] == "fact") >= 20


def test_two_worker_processes_give_the_single_process_records(single):
    assert _records(Settings(batch_size=1, workers=2)) == single


def _table(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_ingest_with_workers_fills_the_same_store(tmp_path):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    assert main(["ingest", SEEDS, "--db", str(one)]) == 0
    assert main(["ingest", SEEDS, "--db", str(two), "--workers", "2", "--batch-size", "1"]) == 0
    sql = ("SELECT d.doc, f.metric, f.value, f.unit, f.year, f.kind, f.subject, f.claimed_by, f.evidence_start "
           "FROM facts f JOIN documents d ON d.id = f.document_id ORDER BY 1, 9, 2")
    assert _table(two, sql) == _table(one, sql) and len(_table(one, sql)) >= 20
    links = "SELECT a.doc, b.doc, l.kind FROM document_links l JOIN documents a ON a.id = l.a JOIN documents b ON b.id = l.b"
    assert _table(two, links) == _table(one, links)


def test_bad_worker_counts_and_unreachable_schedulers_are_clear_errors(tmp_path, capsys):
    with pytest.raises(InputError, match="--workers"):
        Settings(workers=0)
    assert main(["ingest", SEEDS, "--db", str(tmp_path / "x.db"), "--dask", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "--dask: cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert not (tmp_path / "x.db").exists() or _table(tmp_path / "x.db", "SELECT count(*) FROM documents") == [(0,)]
