"""Which pack reads a document (``--pack auto``, issue 17): the one whose own vocabulary the text uses most.

A pack's own vocabulary is its actors' written forms and its metrics' trigger phrases that no other pack shipped
with filiere holds ("Boeing", "Midparc", "voitures" against "Renault", "Kénitra", "aérostructures"): the words both
share (exportations, emplois) say nothing of the industry. Each distinct word counts once per time it occurs, on
word boundaries and without regard to case. Nothing here names an industry: a new pack is chosen from its data.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .order import alternation, longest_first
from .packs import DomainPack, available_packs, load_pack

AUTO = "auto"


def choose_pack(text: str, names: tuple[str, ...] | None = None, default: str = "automotive") -> tuple[str, dict]:
    """(pack name, {pack: score}) for a text; the default pack when no pack's own word occurs or on a tie."""
    names = names or tuple(available_packs())
    scores = {name: len(pattern.findall(text)) if pattern is not None else 0
              for name, pattern in _patterns(names).items()}
    best = max(scores.values(), default=0)
    leaders = [n for n, s in scores.items() if s == best]
    if best == 0 or (len(leaders) > 1 and default in leaders):
        return default, scores
    return leaders[0], scores


@lru_cache(maxsize=4)
def _patterns(names: tuple[str, ...]) -> dict[str, re.Pattern | None]:
    vocab = {name: _vocabulary(load_pack(name)) for name in names}
    out = {}
    for name, words in vocab.items():
        others = set().union(*(v for n, v in vocab.items() if n != name))
        own = longest_first(words - others)
        out[name] = re.compile(r"(?<!\w)(?:" + alternation(own) + r")(?!\w)", re.I) if own else None
    return out


def _vocabulary(pack: DomainPack) -> set[str]:
    words = {alias.lower() for actor in pack.actors if actor.kind not in ("country", "scope", "place")
             for alias in (actor.name, *actor.aliases)}
    words |= {t.lower() for metric in pack.metrics for t in metric.triggers}
    return {w for w in words if len(w) > 2}
