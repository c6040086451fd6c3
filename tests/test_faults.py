"""No article stops a run: a fault in any stage, on one article, costs that article only.

Each test makes one stage raise on the article that holds the word PANNE, then runs `extract` and `ingest` on a
folder of three articles: the two others are printed and stored whole, the failing one is named on stderr (file,
document id, stage, reason), and the exit code says that one document failed.
"""
import json
import sqlite3

import pytest

from filiere.cli import main

GOOD = ("Le constructeur a produit 250 000 véhicules en 2023 dans son usine de Tanger, "
        "selon le ministère de l'Industrie.\n")


def _fragile(original, position=0):
    def call(*args, **kwargs):
        doc = args[position]
        docs = doc if isinstance(doc, list) else [doc]
        if any("PANNE" in (getattr(d, "text", None) or "") for d in docs):
            raise ValueError("simulated failure")
        return original(*args, **kwargs)
    return call


def _stage(monkeypatch, stage: str) -> str:
    """Make one stage fragile; returns the stage name the error line must give."""
    import filiere.nlp as extraction
    from filiere.nlp import pipeline

    if stage == "tokenizer":
        original = extraction._make_doc
        monkeypatch.setattr(extraction, "_make_doc", lambda nlp, d: _fragile(original, 1)(nlp, d))
        return "tokenizer"
    if stage == "parser":
        monkeypatch.setattr(extraction, "parse_selected", _fragile(extraction.parse_selected, 1))
        return "parser"
    if stage == "records":
        monkeypatch.setattr(extraction, "_records", _fragile(extraction._records, 0))
        return "records"
    component = {"filiere_quantities": pipeline.QuantityFinder, "filiere_time": pipeline.TimeFinder,
                 "filiere_actors": pipeline.ActorFinder, "filiere_attribution": pipeline.Attribution,
                 "filiere_metrics": pipeline.MetricLinker}[stage]
    monkeypatch.setattr(component, "__call__", _fragile(component.__call__, 1))
    return stage


def _corpus(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b.txt").write_text("PANNE. " + GOOD, encoding="utf-8")
    (folder / "c.txt").write_text(GOOD.replace("250 000", "260 000"), encoding="utf-8")
    return folder


STAGES = ["tokenizer", "filiere_quantities", "filiere_time", "parser", "filiere_actors", "filiere_attribution",
          "filiere_metrics", "records"]


@pytest.mark.parametrize("stage", STAGES)
def test_a_fault_in_any_stage_costs_only_its_article_in_extract(nlp, tmp_path, capsys, monkeypatch, stage):
    name = _stage(monkeypatch, stage)
    code = main(["extract", str(_corpus(tmp_path))])
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [r["doc"] for r in records if r["type"] == "document"] == ["a", "c"]
    assert sorted(r["value"] for r in records if r["type"] == "fact") == [250000, 260000]
    assert f"b.txt: document 'b': extraction failed ({name}: ValueError: simulated failure)" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("stage", ["tokenizer", "parser", "filiere_metrics", "records"])
def test_a_fault_in_any_stage_costs_only_its_article_in_ingest(nlp, tmp_path, capsys, monkeypatch, stage):
    name = _stage(monkeypatch, stage)
    db = tmp_path / "store.db"
    code = main(["ingest", str(_corpus(tmp_path)), "--db", str(db)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"document 'b': extraction failed ({name}: ValueError: simulated failure)" in err
    with sqlite3.connect(db) as con:
        assert sorted(r[0] for r in con.execute("select doc from documents")) == ["a", "c"]
        assert sorted(r[0] for r in con.execute("select value from facts")) == [250000, 260000]


def test_a_date_written_with_slashes_stops_nothing(nlp, tmp_path, capsys):
    """A byline date such as 08/06/2017 once made a figure and a date share one span record."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Par la rédaction | Le 08/06/2017 | Partager\n" + GOOD, encoding="utf-8")
    code = main(["extract", str(folder)])
    out, err = capsys.readouterr()
    facts = [json.loads(line) for line in out.splitlines() if '"fact"' in line]
    assert code == 0 and err == ""
    assert [(f["metric"], f["value"]) for f in facts] == [("production_volume", 250000)]
