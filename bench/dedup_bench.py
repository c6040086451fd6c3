"""Benchmark of the near-duplicate index: index and query generated documents of about 3 000 characters.

    .venv/bin/python bench/dedup_bench.py [--sizes 10000 30000 100000] [--index sqlite|memory]

Each size runs in a fresh process (so peak memory is its own). In the same process, the baseline is generating the
texts and computing their MinHash signatures alone; the index run then signs, queries the LSH bands (no all-pairs comparison) and
adds each document. 5 % of the documents are edited copies of earlier ones, and the run checks they are found.
Prints documents per second, the ratio index / signature-only, peak memory (RSS), and the growth per size.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import Generator  # noqa: E402

from filiere.ingest.dedup import DedupSettings, MemoryIndex, signature  # noqa: E402


def documents(n: int):
    """n generated texts; every 20th is an edited copy (new headline, last paragraph dropped) of an earlier one."""
    gen = Generator(seed=n)
    kept: list[list[str]] = []
    for i in range(n):
        if i % 20 == 19 and kept:
            base = gen.rng.choice(kept)
            yield i, "\n".join([gen.sentence(), *base[1:-1]]), True
        else:
            paragraphs = gen.article(3000)
            if len(kept) < 2000:
                kept.append(paragraphs)
            yield i, "\n".join(paragraphs), False


def run(n: int, index_kind: str) -> dict:
    """Both passes stream the same generated texts, so peak memory is the index's, not the corpus's."""
    settings = DedupSettings()
    chars = injected = 0
    start = time.perf_counter()
    for _, text, copy in documents(n):
        signature(text, settings)
        chars += len(text)
        injected += copy
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    found = _index(documents(n), index_kind, settings)
    indexed = time.perf_counter() - start
    return {"n": n, "chars_per_doc": chars // n, "baseline_s": baseline, "index_s": indexed,
            "docs_per_s": n / indexed, "ratio": indexed / baseline, "copies_found": found, "copies_injected": injected,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _index(texts, index_kind: str, settings: DedupSettings) -> int:
    """Sign, query and add every document; returns how many injected copies were found."""
    if index_kind == "memory":
        index = MemoryIndex(settings)
        found = 0
        for i, text, copy in texts:
            sig = signature(text, settings)
            found += bool(copy and index.query(sig))
            index.add(str(i), sig)
        return found
    from filiere.store import open_store

    with tempfile.TemporaryDirectory() as folder, open_store(str(Path(folder) / "bench.db")) as store:
        for i, text, copy in texts:
            with store._transaction():
                cursor = store.conn.execute(
                    "INSERT INTO documents (doc, identity, source, content_hash, chars, removed, text, ingested_at) "
                    "VALUES (?, ?, 'bench', ?, ?, '[]', '', '')", (str(i), str(i), str(i), len(text)))
                store.link_copies(cursor.lastrowid, signature(text, settings), settings)
        return store.conn.execute("SELECT count(DISTINCT max(a, b)) FROM document_links WHERE kind = 'copy'").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 30000, 100000])
    parser.add_argument("--index", choices=("sqlite", "memory"), default="sqlite")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run(args.one, args.index)))
        return
    rows = []
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--index", args.index],
                             capture_output=True, text=True, check=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    print(f"index: {args.index}; settings: {DedupSettings()}")
    print(f"{'docs':>8} {'chars/doc':>9} {'docs/s':>8} {'index/sign-only':>15} {'peak MB':>8} "
          f"{'copies found':>13} {'time/doc vs first':>17} {'MB/1k docs':>10}")
    first = rows[0]
    for r in rows:
        per_doc = (r["index_s"] / r["n"]) / (first["index_s"] / first["n"])
        print(f"{r['n']:>8} {r['chars_per_doc']:>9} {r['docs_per_s']:>8.0f} {r['ratio']:>15.2f} "
              f"{r['peak_rss_mb']:>8.0f} {r['copies_found']:>6}/{r['copies_injected']:<6} {per_doc:>17.2f} "
              f"{r['peak_rss_mb'] / r['n'] * 1000:>10.2f}")


if __name__ == "__main__":
    main()
