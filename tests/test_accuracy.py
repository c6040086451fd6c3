"""Accuracy gate: the demo corpus scored by the project's shared scorer, against pinned floors."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from filiere.cli import extract_paths, write_jsonl
from filiere.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
GOLD = Path(__file__).parent / "eval" / "seeds.gold.jsonl"
FLOORS = json.loads((Path(__file__).parent / "eval" / "floors.json").read_text())


@pytest.mark.skipif(not SCORER.exists(), reason="shared/eval/score.py is not beside the repository")
def test_accuracy_seed_scores_stay_above_floors(nlp, tmp_path):
    pred = tmp_path / "pred.jsonl"
    with open(pred, "w", encoding="utf-8") as out:
        write_jsonl(extract_paths([str(ROOT / "examples" / "seeds")], Settings()), out)
    summary = tmp_path / "summary.json"
    subprocess.run([sys.executable, str(SCORER), str(GOLD), str(pred), "--json", str(summary)],
                   check=True, capture_output=True)
    scores = json.loads(summary.read_text())
    noise = FLOORS["noise"]
    assert scores["fact"]["f1"] >= FLOORS["fact_f1"] - noise
    assert scores["milestone"]["f1"] >= FLOORS["milestone_f1"] - noise
    assert scores["fact"]["attributes"]["kind"] >= FLOORS["kind"] - noise
    assert scores["fact"]["attributes"]["subject"] >= FLOORS["subject"] - noise
