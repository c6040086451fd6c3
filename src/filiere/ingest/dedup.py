"""Near-duplicate texts with MinHash (datasketch) and LSH banding, on normalised word shingles.

Pure functions: a text in, a signature out; two signatures in, a verdict out. The band index that makes
look-ups near-linear lives in the store (``store/sqlite.py``), so a new article is checked against the
stored index without rebuilding it; ``MemoryIndex`` is the same index in a dict, for scripts and tests.

Verdicts: two texts are copies when their estimated Jaccard similarity reaches ``copy_jaccard`` (exact
copies, another headline, boilerplate, a changed paragraph) or when one is mostly contained in the other
(``copy_containment``: a partial copy). Both thresholds were measured on ``bench/dedup_eval.py``'s edited
pairs; re-run it after changing them.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class DedupSettings:
    """Shingle size, signature length and the thresholds of a copy (see bench/dedup_eval.py)."""

    shingle: int = 4
    num_perm: int = 128
    candidate_jaccard: float = 0.3  # LSH banding tuned to retrieve pairs from this similarity up
    copy_jaccard: float = 0.5  # bench/dedup_eval.py: precision 1.000, recall 0.998 on 2 200 edited pairs
    copy_containment: float = 0.65
    paragraph_jaccard: float = 0.7
    min_paragraph_words: int = 8
    story_score: float = 5.0  # see STORY_WEIGHTS below


@dataclass(frozen=True, slots=True)
class Signature:
    """A text's MinHash values and the number of distinct shingles they summarise."""

    hashvalues: np.ndarray
    size: int

    def to_bytes(self) -> bytes:
        return self.hashvalues.astype(np.uint64).tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, size: int) -> "Signature":
        return cls(np.frombuffer(data, dtype=np.uint64), size)


def normalise(text: str) -> list[str]:
    """Lower-cased words without accents or punctuation: what shingles are made of."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return WORD.findall(text)


def shingles(text: str, k: int) -> set[bytes]:
    """Distinct k-word shingles of a text (a short text is one shingle)."""
    words = normalise(text)
    if len(words) <= k:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


def signature(text: str, settings: DedupSettings = DedupSettings()) -> Signature:
    """MinHash signature of a text's shingles."""
    grams = shingles(text, settings.shingle)
    scheme = _scheme(settings.num_perm)  # the permutations drawn once, not for every text: the same values
    minhash = MinHash(num_perm=settings.num_perm, seed=1, permutations=scheme.permutations, scheme=scheme.scheme)
    minhash.update_batch(grams)
    return Signature(minhash.hashvalues.copy(), len(grams))


@lru_cache(maxsize=8)
def _scheme(num_perm: int) -> MinHash:
    """An empty MinHash of seed 1, whose permutations every signature of that length reuses."""
    return MinHash(num_perm=num_perm, seed=1)


def jaccard(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of two shingle sets."""
    n = len(a.hashvalues)  # the share of equal values, as np.mean gives it (an exact count over n), faster
    return np.count_nonzero(a.hashvalues == b.hashvalues) / n if n else float("nan")


def containment(a: Signature, b: Signature, j: float | None = None) -> float:
    """Estimated share of a's shingles found in b, from the Jaccard estimate (given, or computed) and the set sizes."""
    j = jaccard(a, b) if j is None else j
    if not a.size or j <= 0:
        return 0.0
    return min(1.0, j * (a.size + b.size) / ((1 + j) * a.size))


def is_copy(a: Signature, b: Signature, settings: DedupSettings = DedupSettings()) -> bool:
    """Near-identical texts, or one mostly contained in the other."""
    j = jaccard(a, b)
    if j >= settings.copy_jaccard:
        return True
    return max(containment(a, b, j), containment(b, a, j)) >= settings.copy_containment


def copy_verdicts(sig: Signature, others: np.ndarray, sizes: np.ndarray,
                  settings: DedupSettings = DedupSettings()) -> tuple[np.ndarray, np.ndarray]:
    """``is_copy`` and ``jaccard`` of one signature against many at once, the very verdicts and values.

    Args:
        sig: the new text's signature.
        others: the other signatures' values, one row each (as many columns as ``sig`` has values).
        sizes: the other signatures' shingle counts.
    Returns:
        (copy, similarity): booleans and estimated Jaccard similarities, one per row; the same floating-point
        operations as ``containment`` and ``jaccard`` in the same order, so the same results to the last bit.
    """
    n = len(sig.hashvalues)
    if not n or others.shape[1] != n:  # no values, or signatures of another length: one by one, as before
        rows = [Signature(values, int(size)) for values, size in zip(others, sizes)]
        return (np.array([is_copy(sig, o, settings) for o in rows], dtype=bool),
                np.array([jaccard(sig, o) for o in rows], dtype=float))
    similarity = np.count_nonzero(others == sig.hashvalues, axis=1) / n
    sizes = np.asarray(sizes, dtype=np.int64)
    total = sig.size + sizes
    with np.errstate(divide="ignore", invalid="ignore"):
        mine = np.where((sig.size > 0) & (similarity > 0),
                        np.minimum(1.0, similarity * total / ((1 + similarity) * sig.size)), 0.0)
        theirs = np.where((sizes > 0) & (similarity > 0),
                          np.minimum(1.0, similarity * total / ((1 + similarity) * sizes)), 0.0)
    copy = (similarity >= settings.copy_jaccard) | (np.maximum(mine, theirs) >= settings.copy_containment)
    return copy, similarity


@lru_cache(maxsize=8)
def bands(settings: DedupSettings = DedupSettings()) -> tuple[int, int]:
    """(bands, rows) of the LSH banding for the candidate threshold (datasketch's optimum)."""
    return _optimal_param(settings.candidate_jaccard, settings.num_perm, 0.5, 0.5)


def band_keys(sig: Signature, settings: DedupSettings = DedupSettings()) -> list[tuple[int, int]]:
    """(band, key) pairs: two texts sharing one are candidates."""
    b, r = bands(settings)
    values = sig.hashvalues.astype(np.uint64)
    out = []
    for band in range(b):
        digest = hashlib.blake2b(values[band * r:(band + 1) * r].tobytes(), digest_size=8).digest()
        out.append((band, int.from_bytes(digest, "big", signed=True)))
    return out


class MemoryIndex:
    """The LSH band index in memory: add signatures, query candidates; no all-pairs comparison."""

    def __init__(self, settings: DedupSettings = DedupSettings()):
        self.settings = settings
        self.buckets: dict[tuple[int, int], list[str]] = {}
        self.signatures: dict[str, Signature] = {}

    def query(self, sig: Signature) -> list[str]:
        """Stored documents that are copies of this signature."""
        seen: set[str] = set()
        for key in band_keys(sig, self.settings):
            seen.update(self.buckets.get(key, ()))
        return sorted(d for d in seen if is_copy(sig, self.signatures[d], self.settings))

    def add(self, doc: str, sig: Signature) -> None:
        self.signatures[doc] = sig
        for key in band_keys(sig, self.settings):
            self.buckets.setdefault(key, []).append(doc)


def paragraphs(text: str, min_words: int) -> list[tuple[int, int]]:
    """(start, end) of the text's paragraphs (lines) of at least min_words words."""
    out, offset = [], 0
    for line in text.split("\n"):
        if len(line.split()) >= min_words:
            out.append((offset, offset + len(line)))
        offset += len(line) + 1
    return out


def repeated_paragraphs(text: str, settings: DedupSettings = DedupSettings()) -> list[tuple[tuple[int, int], tuple[int, int], float]]:
    """Pairs of near-identical paragraphs inside one text, with their similarity (a text has few paragraphs)."""
    spans = paragraphs(text, settings.min_paragraph_words)
    sigs = [signature(text[s:e], settings) for s, e in spans]
    pairs = []
    for (i, a), (j, b) in combinations(enumerate(sigs), 2):
        similarity = jaccard(a, b)
        if similarity >= settings.paragraph_jaccard:
            pairs.append((spans[i], spans[j], similarity))
    return pairs


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    """What two articles about the same event share: people, organisations, places, figures, promises, date."""

    people: frozenset[str] = frozenset()
    organisations: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    figures: frozenset[tuple] = frozenset()
    milestones: tuple[frozenset[str], ...] = ()
    date: str | None = None


# Weights of shared features and the score that makes a story; calibrated on the demo corpus (seeds 000 and 001
# score 9.0, no other pair more than 3.5) and tests/test_dedup.py; re-run bench/dedup_eval.py after changing them.
STORY_WEIGHTS = {"people": 2.0, "organisations": 1.0, "places": 0.5, "figures": 2.0, "milestones": 1.0}
STORY_DAYS = 30


def story_score(a: StoryFeatures, b: StoryFeatures) -> float:
    """How strongly two articles look like accounts of the same event; 0 when their dates are far apart."""
    apart = _days_apart(a.date, b.date)
    if apart is not None and apart > STORY_DAYS:
        return 0.0
    score = STORY_WEIGHTS["people"] * len(a.people & b.people)
    score += STORY_WEIGHTS["organisations"] * len(a.organisations & b.organisations)
    score += STORY_WEIGHTS["places"] * min(2, len(a.places & b.places))
    if a.figures and b.figures:  # (a score is never negative: adding nothing or 0.0 is the same)
        keys = {y[:3] for y in b.figures}  # a figure of b with the same metric, unit and year, or none is the same
        score += STORY_WEIGHTS["figures"] * sum(any(_same_figure(x, y) for y in b.figures)
                                                for x in a.figures if x[:3] in keys)
    if a.milestones and b.milestones:
        score += STORY_WEIGHTS["milestones"] * sum(any(_overlap(x, y) >= 0.5 for y in b.milestones)
                                                   for x in a.milestones)
    return score


def _same_figure(x: tuple, y: tuple) -> bool:
    """(metric, unit, year, value): the same figure, give or take rounding (1 %)."""
    return x[:3] == y[:3] and abs(x[3] - y[3]) <= 0.01 * max(abs(x[3]), abs(y[3]), 1e-9)


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _days_apart(a: str | None, b: str | None) -> int | None:
    """Days between two dates of any precision (0 when the periods overlap: 2025-01 and 2025-01-14); None when
    either is missing or unreadable (an older store may hold such dates)."""
    first, second = _period(a), _period(b)
    if first is None or second is None:
        return None
    return max(0, (max(first.start, second.start) - min(first.end, second.end)).days)


@lru_cache(maxsize=4096)
def _period(date: str | None):
    """A stored date's period (a few thousand distinct dates recur across the candidates of every article)."""
    from ..periods import period_or_none

    return period_or_none(date)


def clusters(edges: list[tuple[str, str]]) -> list[list[str]]:
    """Connected groups of an edge list (union-find), each sorted, largest first."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    groups: dict[str, list[str]] = {}
    for x in parent:
        groups.setdefault(find(x), []).append(x)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g))
