"""Clauses of a sentence: the stretch of words a figure's cues, dates and actors are looked for in first."""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span, Token

from ..domains.packs import DomainPack


def clause_index(sent: Span, pack: DomainPack) -> list[int]:
    """For each token of the sentence, the number of its clause (0, 1, ...), split at commas and openers."""
    cache = sent.doc.user_data.setdefault("filiere_clauses", {})  # asked for each figure and trigger of a sentence
    key = (sent.start, sent.end, pack.name)
    if key not in cache:
        cache[key] = _clause_index(sent, pack)
    return cache[key]


def _clause_index(sent: Span, pack: DomainPack) -> list[int]:
    punct, openers = _clause_cues(pack)
    out, current = [], 0
    for token in sent:
        if token.i > sent.start and (token.lower_ in openers or _coordinates_a_verb(token)):
            current += 1
        out.append(current)
        if token.text in punct:
            current += 1
    return out


def _coordinates_a_verb(token: Token) -> bool:
    """'... au Maroc et prévoit de créer ...': 'et' before a conjugated verb starts a clause."""
    if token.lower_ not in ("et", "and"):
        return False
    for nxt in token.doc[token.i + 1:token.i + 3]:
        if nxt.pos_ in ("VERB", "AUX") and "Fin" in nxt.morph.get("VerbForm"):
            return True
        if nxt.pos_ not in ("ADV", "PRON"):
            return False
    return False


def clause_tokens(sent: Span, index: list[int], clause: int) -> list[Token]:
    """The tokens of one clause (a new list: callers extend it)."""
    cache = sent.doc.user_data.setdefault("filiere_clause_tokens", {})  # asked many times for each sentence
    key = (sent.start, sent.end, id(index))
    found = cache.get(key)
    if found is None or found[0] is not index:
        clauses: dict[int, list[Token]] = {}
        for token, c in zip(sent, index):
            clauses.setdefault(c, []).append(token)
        found = cache[key] = (index, clauses)
    return list(found[1].get(clause, ()))


def has_finite_verb(tokens: list[Token], pack: DomainPack) -> bool:
    """True when the clause has a conjugated verb of its own (not a participle or an infinitive)."""
    return any(t.pos_ in ("VERB", "AUX") and ("Fin" in t.morph.get("VerbForm") or is_future(t, pack))
               for t in tokens)


def is_future(token: Token, pack: DomainPack) -> bool:
    """A future or conditional verb, by morphology or, where the morphologizer misses it, by its ending."""
    if token.pos_ not in ("VERB", "AUX"):
        return False
    if "Fut" in token.morph.get("Tense"):
        return True
    lower = token.lower_
    conditional, future = _verb_endings(pack)
    if "Cnd" in token.morph.get("Mood") and lower.endswith(conditional):
        return True
    lemma = token.lemma_.lower()
    if lemma.endswith(("er", "ir", "re")) and lower in {stem + end for stem in (lemma, lemma[:-1])
                                                        for end in ("ait", "aient")}:
        return True  # 'investirait', 'produirait': a conditional the morphologizer read as an imperfect
    return len(lower) > 4 and lower.endswith(future)


@lru_cache(maxsize=8)
def _clause_cues(pack: DomainPack) -> tuple[frozenset[str], frozenset[str]]:
    """The punctuation that ends a clause and the words that open one."""
    cues = pack.phrasing.kind["clauses"]
    return frozenset(cues["punctuation"]), frozenset(cues["openers"])


@lru_cache(maxsize=8)
def _verb_endings(pack: DomainPack) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The endings of conditional and of future verbs (asked for every verb of every clause read)."""
    kind = pack.phrasing.kind["target"]
    return tuple(kind["conditional_endings"]), tuple(kind["future_endings"])
