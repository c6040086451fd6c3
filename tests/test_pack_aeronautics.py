"""The aeronautics pack (issue 17): a second industry from data files alone, read by the same code."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from filiere.cli import extract_paths, write_jsonl
from filiere.domains.packs import available_packs, load_pack
from filiere.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
EVAL = Path(__file__).parent / "eval"
PACK = ROOT / "src" / "filiere" / "domains" / "aeronautics"
FACTS_METRICS = {"exports_value", "exports_growth", "jobs_created", "workforce", "investment", "revenue",
                 "local_integration_rate", "suppliers_count", "market_share", "export_share"}
# First measured on tests/eval/aero/ (gold written before the pack existed): facts F1 0.750, milestones F1 1.000.
FLOORS = {"fact_f1": 0.75, "milestone_f1": 1.0, "kind": 0.9, "subject": 0.8}


def _facts(paths, tmp_path, pack="aeronautics"):
    pred = tmp_path / "pred.jsonl"
    with open(pred, "w", encoding="utf-8") as out:
        write_jsonl(extract_paths([str(p) for p in paths], Settings(pack=pack, date="2025-06-01")), out)
    return pred, [json.loads(line) for line in pred.read_text().splitlines()]


@pytest.mark.issue(17)
def test_the_pack_is_shipped_and_validates():
    assert "aeronautics" in available_packs()
    pack = load_pack("aeronautics")
    names = {m.name for m in pack.metrics}
    assert FACTS_METRICS <= names  # FACTS.md's names where the meaning is the same
    assert names - FACTS_METRICS == {"companies_count"}
    actors = {a.name for a in pack.actors}
    assert {"Boeing", "Airbus", "Safran", "Spirit AeroSystems", "Hexcel", "Midparc", "GIMAS", "Maroc"} <= actors
    assert pack.default_subject == "Maroc"


@pytest.mark.issue(17)
def test_every_metric_is_documented_beside_the_pack():
    doc = (PACK / "METRICS.md").read_text()
    for metric in load_pack("aeronautics").metrics:
        assert f"`{metric.name}`" in doc


@pytest.mark.issue(17)
def test_the_pack_is_data_only():
    assert not list(PACK.glob("*.py"))


@pytest.mark.issue(17)
def test_aeronautics_figures_with_their_actors(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Stelia Aerospace emploie 1 200 salariés à Casablanca.\n\n"
                       "Le GIMAS vise un taux d'intégration de 60 % d'ici 2030.\n", encoding="utf-8")
    _, records = _facts([article], tmp_path)
    facts = {(r["metric"], r["value"], r["subject"], r["kind"]) for r in records if r["type"] == "fact"}
    assert ("workforce", 1200, "Airbus", "actual") in facts  # Stelia is Airbus's
    assert any(f[0] == "local_integration_rate" and f[1] == 60 and f[3] == "target" for f in facts)


@pytest.mark.issue(17)
def test_the_automotive_pack_leaves_aeronautics_figures_out(tmp_path):
    """A trade report's aeronautics figures are another industry's for the automotive pack (conventions 9)."""
    article = tmp_path / "a.txt"
    article.write_text("Les exportations du secteur aéronautique ont atteint 26,4 milliards de dirhams en 2024.\n",
                       encoding="utf-8")
    _, automotive = _facts([article], tmp_path, pack="automotive")
    _, aeronautics = _facts([article], tmp_path)
    assert not [r for r in automotive if r["type"] == "fact"]
    assert [r["value"] for r in aeronautics if r["type"] == "fact"] == [26.4e9]


@pytest.mark.issue(17)
@pytest.mark.skipif(not SCORER.exists(), reason="shared/eval/score.py is not beside the repository")
def test_invented_aeronautics_articles_score_above_floors(tmp_path):
    pred, _ = _facts([EVAL / "aero"], tmp_path)
    summary = tmp_path / "summary.json"
    subprocess.run([sys.executable, str(SCORER), str(EVAL / "aero.gold.jsonl"), str(pred), "--json", str(summary)],
                   check=True, capture_output=True)
    scores = json.loads(summary.read_text())
    assert scores["fact"]["f1"] >= FLOORS["fact_f1"]
    assert scores["milestone"]["f1"] >= FLOORS["milestone_f1"]
    assert scores["fact"]["attributes"]["kind"] >= FLOORS["kind"]
    assert scores["fact"]["attributes"]["subject"] >= FLOORS["subject"]


@pytest.mark.issue(17)
def test_ingest_and_dashboard_with_the_aeronautics_pack(tmp_path):
    """--pack aeronautics on ingest and serve: the store holds the pack's figures and the dashboard reads them."""
    from fastapi.testclient import TestClient

    from filiere.cli import main
    from filiere.web.app import create_app

    db = tmp_path / "aero.db"
    assert main(["ingest", str(EVAL / "aero"), "--db", str(db), "--pack", "aeronautics", "--date", "2025-06-01"]) == 0
    client = TestClient(create_app(str(db), pack="aeronautics"))
    metric = client.get("/api/metrics/companies_count").json()
    assert sorted(f["value"] for f in metric["facts"]) == [42, 150]
    assert client.get("/metrics/companies_count").status_code == 200
    assert client.get("/api/commitments").status_code == 200
    with pytest.raises(Exception, match="unknown domain pack"):
        create_app(str(db), pack="shipbuilding")
