"""Generated articles for benchmarks and evaluation sets: words of the demo corpus in random order.

No outside text: the vocabulary is the demo corpus's own words, so generated documents look like the
domain to a tokenizer but share almost no word sequence unless a script copies one on purpose.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"


def vocabulary() -> list[str]:
    words = re.findall(r"[\wÀ-ÿ’']+", " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))))
    return sorted({w for w in words if not w.isdigit()})


class Generator:
    """Deterministic article generator."""

    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        self.words = vocabulary()

    def sentence(self) -> str:
        words = self.rng.choices(self.words, k=self.rng.randint(12, 24))
        return " ".join(words).capitalize() + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 4)))

    def article(self, chars: int = 3000) -> list[str]:
        """Paragraphs of an article of about ``chars`` characters, headline first."""
        out = [" ".join(self.rng.choices(self.words, k=7)).capitalize()]
        while sum(len(p) + 1 for p in out) < chars:
            out.append(self.paragraph())
        return out
