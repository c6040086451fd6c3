"""Extraction time and peak memory of one article holding 1 000, 5 000 and 20 000 figures (issue 13, row 11).

    .venv/bin/python bench/figures.py [--sizes 1000 5000 20000]

Each article is N lines of one figure each, in four shapes (a sales count, an export value, jobs created, a
production count), written for this benchmark. Every size runs in a child process
of its own, which loads the pipeline, then reads, cleans and extracts the article as `filiere extract` does; the
time counted is the extraction's (the load is reported apart) and the peak is the child's resident peak. What to
read is the time per figure: it must stay flat (within 2x) from the smallest article to the largest.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# short lines, so that 20 000 of them stay under the reader's 500 000-character limit for one article
SHAPES = ("{n} véhicules vendus.", "Exportations : {n} MDH.", "{n} emplois créés.", "{n} véhicules produits.")

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
started = time.perf_counter()
from filiere.cli import extract_paths
from filiere.nlp import build_nlp
from filiere.settings import Settings
build_nlp()
loaded = time.perf_counter()
facts = sum(len(e.facts) for e in extract_paths([sys.argv[1]], Settings()))
done = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"load": loaded - started, "extract": done - loaded, "facts": facts, "peak_mb": peak}))
"""


def article(n: int) -> str:
    return "\n".join(SHAPES[i % 4].format(n=1000 + i) for i in range(n))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    args = parser.parse_args()
    print(f"{'figures':>8} {'chars':>9} {'facts':>6} {'load s':>7} {'extract s':>9} {'ms/figure':>9} {'peak MB':>8}")
    first = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"figures_{n}.txt"
            text = article(n)
            path.write_text(text, encoding="utf-8")
            out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(ROOT / "src")], check=True,
                                 capture_output=True, text=True).stdout.strip().splitlines()[-1]
            r = json.loads(out)
            per = 1000 * r["extract"] / n
            first = first or per
            print(f"{n:8d} {len(text):9d} {r['facts']:6d} {r['load']:7.1f} {r['extract']:9.1f} {per:9.2f} "
                  f"{r['peak_mb']:8.0f}   x{per / first:.2f} per figure")


if __name__ == "__main__":
    main()
