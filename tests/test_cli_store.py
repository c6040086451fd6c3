"""The store commands in-process: ingest, track, facts, search, export."""
import json
from pathlib import Path

import pytest

from filiere.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = str(ROOT / "examples" / "seeds")


@pytest.fixture
def db(nlp, tmp_path, capsys):
    path = str(tmp_path / "c.db")
    assert main(["ingest", SEEDS, "--db", path]) == 0
    err = capsys.readouterr().err
    assert "documents read: 5, stored: 5, replaced: 0, skipped as already known: 0, failed: 0" in err
    return path


def _jsonl(out):
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_cli_track_gives_what_the_seeds_must_give(db, capsys):
    assert main(["track", "--db", db, "--as-of", "2026-11-24", "--format", "jsonl"]) == 0
    records = _jsonl(capsys.readouterr().out)
    commitments = {(r["subject"], r["metric"], r["target"]["value"] if r["target"] else r["what"]): r
                   for r in records if r["type"] == "commitment"}
    capacity = commitments[("Renault Group", "production_capacity", 500000)]
    assert capacity["status"] == "achieved" and capacity["decided_by"][0]["doc"] == "000_fb631d34b5572e81"
    integration = commitments[("Renault Group", "local_integration_rate", 80)]
    assert integration["status"] == "pending" and integration["latest_actual"]["value"] == 65.5
    assert integration["latest_actual"]["year"] == 2024 and integration["progress"] == pytest.approx(0.82, abs=0.01)
    sourcing = commitments[("Renault Group", "local_sourcing_value", 3e9)]
    assert sourcing["status"] == "pending" and sourcing["latest_actual"]["value"] == 2.39e9
    national = commitments[("Maroc", "production_capacity", 1e6)]
    assert national["status"] == "pending" and national["latest_actual"] is None
    [sandero] = [r for k, r in commitments.items() if r["metric"] is None and "Sandero" in r["what"]]
    assert sandero["status"] == "pending" and sandero["deadline"] == {"year": 2026, "quarter": 4, "month": None}
    conflicts = [r for r in records if r["type"] == "conflict"]
    exports = [c for c in conflicts if c.get("metric") == "exports_value"]
    assert [c["verdict"] for c in exports] == ["agree_within_rounding"]
    assert sorted(v["value"] for v in exports[0]["values"]) == [157e9, 157.6e9]
    [rnd] = [c for c in conflicts if c["verdict"] == "differ_in_details"]
    assert {v["doc"] for v in rnd["values"]} == {"000_fb631d34b5572e81", "001_c9524406ab961de6"}
    assert any("Rabat" in v["what"] for v in rnd["values"])


def test_cli_track_table_for_people(db, capsys):
    assert main(["track", "--db", db, "--as-of", "2026-11-24"]) == 0
    out = capsys.readouterr().out
    assert "status" in out.splitlines()[0] and "achieved" in out and "agree_within_rounding" in out


def test_cli_facts_filters_and_formats(db, capsys):
    assert main(["facts", "--db", db, "--metric", "exports_value", "--format", "jsonl"]) == 0
    rows = _jsonl(capsys.readouterr().out)
    assert {r["doc"] for r in rows} == {"003_01c1b89377d1d0ac", "004_47c0aad5b6007f53"}
    assert main(["facts", "--db", db, "--subject", "Stellantis", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("type,id,doc") and len(lines) == 3


def test_cli_search(db, capsys):
    assert main(["search", "intégration locale", "--db", db, "--format", "jsonl"]) == 0
    hits = _jsonl(capsys.readouterr().out)
    assert hits and any(f["metric"] == "local_integration_rate" for h in hits for f in h["facts"])


def test_cli_export(db, tmp_path, capsys):
    assert main(["export", "--db", db, "--format", "csv", "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "facts.csv").read_text(encoding="utf-8").count("\n") == 23


def test_cli_store_commands_need_an_existing_store(tmp_path, capsys):
    assert main(["track", "--db", str(tmp_path / "none.db")]) == 2
    assert "none.db: no such store" in capsys.readouterr().err


def test_cli_track_bad_as_of(db, capsys):
    assert main(["track", "--db", db, "--as-of", "demain"]) == 2
    assert "--as-of: 'demain' is not a date" in capsys.readouterr().err
