"""Accuracy gates: the demo corpus, the dev articles and the shared real set scored by the project's shared scorer,
against floors. The real set (../shared/eval/real/) is third-party text: it is read where it lies, at run time, and its
test skips, saying so, when the folder is not beside the repository."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from filiere.cli import extract_paths, write_jsonl
from filiere.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
EVAL = Path(__file__).parent / "eval"
REAL = ROOT.parent / "shared" / "eval" / "real"
FLOORS = json.loads((EVAL / "floors.json").read_text())
SETS = {"seeds": (ROOT / "examples" / "seeds", EVAL / "seeds.gold.jsonl"),
        "dev": (EVAL / "dev", EVAL / "dev.gold.jsonl"),
        "dev2": (EVAL / "dev2", EVAL / "dev2.gold.jsonl"),
        "real": (REAL / "articles.jsonl", REAL / "gold.jsonl")}


@pytest.mark.skipif(not SCORER.exists(), reason="shared/eval/score.py is not beside the repository")
@pytest.mark.parametrize("name", sorted(SETS))
def test_accuracy_scores_stay_above_floors(nlp, tmp_path, name):
    corpus, gold = SETS[name]
    if not (corpus.exists() and gold.exists()):
        pytest.skip(f"{corpus} or {gold} is absent: the {name} set is read at run time, never copied into the repo")
    pred = tmp_path / "pred.jsonl"
    with open(pred, "w", encoding="utf-8") as out:
        write_jsonl(extract_paths([str(corpus)], Settings(date=FLOORS[name].get("date"))), out)
    summary = tmp_path / "summary.json"
    subprocess.run([sys.executable, str(SCORER), str(gold), str(pred), "--json", str(summary)],
                   check=True, capture_output=True)
    scores, floors, noise = json.loads(summary.read_text()), FLOORS[name], FLOORS["noise"]
    assert scores["fact"]["f1"] >= floors["fact_f1"] - noise
    assert scores["milestone"]["f1"] >= floors["milestone_f1"] - noise
    assert scores["fact"]["attributes"]["kind"] >= floors["kind"] - noise
    assert scores["fact"]["attributes"]["subject"] >= floors["subject"] - noise
    if "claimed_by" in floors:
        assert scores["fact"]["attributes"]["claimed_by"] >= floors["claimed_by"] - noise
