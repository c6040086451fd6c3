"""Precision and recall of the near-duplicate detector on edited pairs, and its verdicts on the demo corpus.

    .venv/bin/python bench/dedup_eval.py [--pairs N]

Pairs are built by editing generated articles: exact copies, another headline, boilerplate added, one
paragraph rewritten, a paragraph deleted, paragraphs reordered, a paragraph inserted, and partial copies
(most of one article inside another); negatives are other articles, some sharing one paragraph (a quote).
Prints precision/recall at the default thresholds and around them, the repeated paragraphs inside the demo
articles, and the demo corpus's copy and story clusters.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import SEEDS, Generator  # noqa: E402

from filiere.ingest.dedup import DedupSettings, is_copy, repeated_paragraphs, signature  # noqa: E402

BOILERPLATE = ["Advertisement", "Lire aussi : les chiffres de la semaine", "Suivez-nous sur les réseaux sociaux",
               "© Tous droits réservés", "Publicité"]


def edits(gen: Generator, base: list[str], other: list[str]) -> dict[str, list[str]]:
    """Edited versions of an article that are copies of it."""
    rng = gen.rng
    body = base[1:]
    changed = list(base)
    i = rng.randrange(1, len(base))
    changed[i] = " ".join(w if rng.random() > 0.3 else rng.choice(gen.words) for w in base[i].split())
    deleted = [p for j, p in enumerate(base) if j != rng.randrange(1, len(base))]
    shuffled = [base[0], *rng.sample(body, len(body))]
    inserted = list(base)
    inserted.insert(rng.randrange(1, len(base)), rng.choice(other[1:]))
    keep = max(1, round(len(body) * 0.8))
    partial = [other[0], *other[1:3], *body[:keep]]
    return {"exact": list(base), "headline": [gen.sentence(), *body],
            "boilerplate": [BOILERPLATE[0], *base, *rng.sample(BOILERPLATE[1:], 3)],
            "changed_paragraph": changed, "deleted_paragraph": deleted, "reordered": shuffled,
            "inserted_paragraph": inserted, "partial_copy": partial}


def pairs(n: int, gen: Generator):
    """(label, kind, text a, text b) for n base articles: 8 copies and 3 negatives each."""
    for _ in range(n):
        base, other, third = gen.article(), gen.article(), gen.article()
        text = "\n".join(base)
        for kind, version in edits(gen, base, other).items():
            yield True, kind, text, "\n".join(version)
        yield False, "other_article", text, "\n".join(other)
        quoting = [third[0], base[1], *third[1:]]
        yield False, "shares_one_paragraph", text, "\n".join(quoting)
        fourth = gen.article()
        yield False, "shares_two_paragraphs", text, "\n".join([fourth[0], base[1], *fourth[1:3], base[2], *fourth[3:]])


def score(rows, settings: DedupSettings) -> tuple[float, float, dict]:
    tp = fp = fn = 0
    misses: dict[str, int] = {}
    for label, kind, a, b in rows:
        got = is_copy(a, b, settings)
        tp += got and label
        fp += got and not label
        fn += label and not got
        if got != label:
            misses[kind] = misses.get(kind, 0) + 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200, help="base articles (each gives 11 pairs)")
    args = parser.parse_args()
    gen = Generator(seed=11)
    settings = DedupSettings()
    rows = [(label, kind, signature(a, settings), signature(b, settings)) for label, kind, a, b in pairs(args.pairs, gen)]
    print(f"edited pairs: {len(rows)} ({sum(r[0] for r in rows)} copies, {sum(not r[0] for r in rows)} not)")
    for jac, cont in ((0.3, 0.4), (0.4, 0.5), (settings.copy_jaccard, settings.copy_containment), (0.6, 0.75),
                      (0.7, 0.85), (0.8, 0.9)):
        trial = DedupSettings(copy_jaccard=jac, copy_containment=cont)
        p, r, misses = score(rows, trial)
        mark = "  <- default" if trial == settings else ""
        print(f"copy_jaccard={jac:.2f} copy_containment={cont:.2f}: precision={p:.3f} recall={r:.3f} "
              f"errors={misses}{mark}")
    print("\nrepeated paragraphs inside the demo articles:")
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for a, b, similarity in repeated_paragraphs(text, settings):
            print(f"  {path.stem}: chars {a[0]}-{a[1]} ~ {b[0]}-{b[1]} (similarity {similarity:.2f}): "
                  f"{text[a[0]:min(a[1], a[0] + 50)]}...")


if __name__ == "__main__":
    main()
