"""Golden files: the records of the demo corpus are checked in and diffed.

After a deliberate change, rewrite them with ``FILIERE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py``
and review the diff in the commit.
"""
import json
import os
from pathlib import Path

from filiere.cli import extract_paths
from filiere.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "seeds.expected.jsonl"


def _extractions(monkeypatch):
    monkeypatch.chdir(ROOT)
    return list(extract_paths(["examples/seeds"], Settings()))


def _records(monkeypatch):
    return [r for e in _extractions(monkeypatch) for r in e.records()]


def test_golden_seed_records_unchanged(nlp, monkeypatch):
    got = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in _records(monkeypatch)]
    for record in got:  # never compare absolute paths of the machine that wrote the file
        assert str(ROOT) not in record
    if os.environ.get("FILIERE_UPDATE_GOLDEN"):
        GOLDEN.write_text("\n".join(got) + "\n", encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8").splitlines()
    assert got == expected


def test_golden_evidence_offsets_point_into_cleaned_text(nlp, monkeypatch):
    extractions = _extractions(monkeypatch)
    records = [r for e in extractions for r in e.records()]
    texts = {e.document.doc: e.document.text for e in extractions}
    figures = [r for r in records if r["type"] == "fact"]
    assert figures
    for r in figures:
        text = texts[r["doc"]]
        start, end = r["evidence"]["start"], r["evidence"]["end"]
        assert r["evidence"]["text"] in text
        assert text.index(r["evidence"]["text"]) <= start < end <= len(text)
