"""Actors in a document: canonical names from the pack's aliases, anaphora and pronouns resolved.

"le Groupe" points back to the last company named, "il" to the last subject, a plant or a former name
("Somaca", "PSA") to its current group with the local name kept as a qualifier.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import LOWER
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from ..domains.packs import DomainPack
from .tokens import blank_tokenizer, phrase_matches

DETERMINERS = {"le", "la", "les", "l'", "l’", "ce", "cette", "ces", "son", "sa", "ses", "leur", "notre", "the", "this"}
GENITIVE = {"de", "du", "des", "d'", "d’", "of"}
LOCATIVE = {"à", "au", "aux", "en", "dans", "vers", "sur", "chez", "depuis", "hors", "in", "at", "across"}
OBLIQUE = {"avec", "pour", "entre", "parmi", "contre", "grâce", "with", "for", "between",
           "dont", "comme", "notamment", "devant", "derrière", "including", "such", "ahead"}  # 'les constructeurs, dont Renault': an example
AGENT = {"par", "by"}  # 'exportés par Renault': the agent of a passive is who the figure is about
ANAPHOR_BEFORE = DETERMINERS | {"du", "au", "aux"}
NOT_NAMES = {"DET", "ADP", "VERB", "AUX", "PUNCT", "PRON", "CCONJ", "SCONJ", "NUM", "SPACE"}
QUOTES = {"«", "»", "\"", "“", "”"}
COMPARED = {"celle", "celui", "celles", "ceux"}


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention of an actor: canonical name, kind, how it was found, and its role in the clause."""

    name: str
    kind: str
    via: str
    role: str
    qualifier: str | None = None
    brand: str | None = None  # the brand named ('Dacia', or a model of it): sales and shares are the brand's

    def subject(self, by_brand: bool = False) -> str:
        """The name a figure takes: the brand's for sales and market shares, else the group's."""
        return self.brand if by_brand and self.brand else self.name


def mention_role(doc: Doc, start: int, end: int | None = None) -> str:
    """subject, object, genitive, location or oblique, from the words just before the mention; with its end, the
    words after it may make it a subject: 'la Dacia qui détient 28 %', 'permettre au Royaume d'atteindre 65 %'."""
    if end is not None and end < len(doc) and _subject_after(doc, end) and \
            not (start > 0 and doc[start - 1].lower_ in OBLIQUE):  # 'devant Honda qui affiche': compared with
        return "subject"
    i = start - 1
    while i >= 0 and (doc[i].lower_ in DETERMINERS or doc[i].text in QUOTES):
        i -= 1
    # 'au journal saoudien Asharq', 'l'équipementier espagnol Forvia': the name stands in apposition to a common
    # noun (and its adjectives); its role is that noun's
    j = i
    while j >= 0 and j >= start - 4 and _noun_like(doc[j]) and doc[j].text[:1].islower():
        j -= 1
    if j < i:
        while j >= 0 and (doc[j].lower_ in DETERMINERS or doc[j].text in QUOTES):
            j -= 1
        i = j
    if i < 0 or doc[i].is_space or doc[i].text in (".", "!", "?", ";", ":"):
        return "subject"  # the mention opens its sentence or clause
    word = doc[i].lower_
    if word in LIST_JOINERS and i > 0:  # 'aux constructeurs BMW, Renault et Volkswagen': the list's first member's
        k = i
        while k > max(0, start - 12) and (doc[k].lower_ in LIST_JOINERS or _name_like(doc[k])):
            k -= 1
        if k + 1 < start and _name_like(doc[k + 1]):
            return mention_role(doc, k + 1)
    if word in GENITIVE and i > 0 and doc[i - 1].lower_ in COMPARED:
        return "oblique"  # 'cinq fois plus grande que celle de Renault': the actor compared with
    if word in GENITIVE:
        return "genitive"
    if word in LOCATIVE:
        return "location"
    if word in AGENT:
        return "agent"
    if word in OBLIQUE:
        return "oblique"
    if doc[i].pos_ in ("VERB", "AUX") and doc[i].lower_ not in ("est", "sont", "a", "ont"):
        return "object"
    return "subject"


LIST_JOINERS = {",", "et", "ou", "and", "or"}


def _noun_like(token) -> bool:
    """A common noun or adjective; in a sentence the parser did not read (no tags), any lower-case word that is not
    a function word."""
    if token.pos_:
        return token.pos_ in ("ADJ", "NOUN")
    return token.is_alpha and not token.is_stop


def _name_like(token) -> bool:
    return token.pos_ == "PROPN" if token.pos_ else token.text[:1].isupper() and token.is_alpha


def _subject_after(doc: Doc, end: int) -> bool:
    nxt = doc[end]
    if nxt.lower_ == "qui":
        return True
    return nxt.lower_ in ("de", "d'", "d’") and end + 1 < len(doc) and "Inf" in doc[end + 1].morph.get("VerbForm")


def is_subject_actor(mention: Mention) -> bool:
    """A mention that "il" or "le groupe" can point back to: an actor as subject, not a scope or a source body."""
    return mention.role == "subject" and mention.kind not in ("scope", "institution", "association")


def find_mentions(doc: Doc, pack: DomainPack) -> list[tuple[Span, Mention]]:
    """Every actor mention in a document, in text order, with anaphora and pronouns resolved."""
    named = _named_mentions(doc, pack)
    out: list[tuple[Span, Mention]] = []
    last_by_kind: dict[str, Mention] = {}
    last_subject: Mention | None = None
    first_company = next((m for _, m in named if m.kind == "company"), None)
    named_at = {span.start: (span, m) for span, m in named}
    for i in sorted(set(named_at).union(_positions(doc, pack, ("pronouns", "company", "country")))):
        token = doc[i]
        if token.i in named_at:
            span, mention = named_at[token.i]
        else:
            found = _anaphor(doc, token, pack, last_by_kind, last_subject, first_company, named_at)
            if found is None:
                continue
            span, mention = found
        out.append((span, mention))
        if mention.kind != "scope":
            last_by_kind[mention.kind] = mention
        if is_subject_actor(mention):
            last_subject = mention
    return out


def _named_mentions(doc: Doc, pack: DomainPack) -> list[tuple[Span, Mention]]:
    """Pack aliases first; organisations the pack does not know, from spaCy's NER, keep their own words."""
    matcher, table = _matcher(doc.vocab, pack)
    spans = _longest([doc[s:e] for _, s, e in phrase_matches(doc, matcher)])
    out = []
    entries = [(span, table[span.text.lower()]) for span in spans]
    for k, (span, (name, kind, via, brand)) in enumerate(entries):
        if kind == "country" and k > 0 and entries[k - 1][0].end == span.start and entries[k - 1][1][1] == "company":
            continue  # 'Dacia Maroc', 'Leoni Maroc': the company's local arm, named with the country
        qualifier = span.text if via == "unit" or (brand and not name.startswith(brand)) else None
        out.append((span, Mention(name, kind, via, mention_role(doc, span.start, span.end), qualifier, brand)))
    known = {i for span in spans for i in range(span.start, span.end)}
    for span in _named_after_anaphor(doc, pack, known):
        out.append((span, Mention(span.text, "company", "ner", mention_role(doc, span.start - 1))))
        known.update(range(span.start, span.end))
    common = {w for words in pack.anaphora.values() for w in words} | set(pack.units["words"]) | \
        {t for m in pack.metrics for t in m.triggers}  # 'une part de marché (PDM)': a metric's word, no company
    for ent in doc.ents:
        if ent.label_ == "ORG" and not known.intersection(range(ent.start, ent.end)) and _proper(ent) \
                and ent.text.lower() not in common:  # 'le Groupe' is an anaphor, 'VUL' a unit, not a name
            out.append((ent, Mention(ent.text, "company", "ner", mention_role(doc, ent.start, ent.end))))
    return sorted(out, key=lambda sm: sm[0].start)


def _named_after_anaphor(doc: Doc, pack: DomainPack, known: set[int]) -> list[Span]:
    """'le groupe CNGR', 'l'équipementier Lear': a capitalised name right after a company noun is a company."""
    out = []
    for i in _positions(doc, pack, ("company",)):
        token = doc[i]
        if token.i + 1 >= len(doc):
            continue
        j = token.i + 1
        while j < len(doc) and doc[j].text in QUOTES:
            j += 1
        end = j
        while end < len(doc) and doc[end].text[:1].isupper() and doc[end].pos_ not in NOT_NAMES \
                and end not in known:
            end += 1
        if end > j and not known.intersection(range(j, end)):
            out.append(doc[j:end])
    return out


def _positions(doc: Doc, pack: DomainPack, kinds: tuple[str, ...]) -> list[int]:
    """Indices of the tokens that are anaphora words of these kinds (compared as lower-case string ids: no
    Token object is made for the other words)."""
    ids = _anaphora_ids(doc.vocab, pack, kinds)
    return [i for i, lower in enumerate(doc.to_array(LOWER).tolist()) if lower in ids]


@lru_cache(maxsize=32)
def _anaphora_ids(vocab, pack: DomainPack, kinds: tuple[str, ...]) -> frozenset[int]:
    return frozenset(vocab.strings.add(w.lower()) for kind in kinds for w in pack.anaphora.get(kind, []))


def _proper(ent: Span) -> bool:
    """An organisation name: capitalised, with a proper noun in it (the NER also tags 'R&D' or 'Groupe')."""
    return ent.text[:1].isupper() and any(t.pos_ == "PROPN" for t in ent)


def _anaphor(doc, token: Token, pack, last_by_kind, last_subject, first_company, named_at):
    """'le Groupe' -> last company; 'il' (not impersonal) -> last subject; None otherwise."""
    lower = token.lower_
    if lower in pack.anaphora.get("pronouns", []) and _is_personal(doc, token, pack):
        if last_subject and (token.dep_.startswith("nsubj") or _before_verb(doc, token)):
            return doc[token.i:token.i + 1], Mention(last_subject.name, "company", "pronoun", "subject",
                                                     brand=last_subject.brand)
        return None
    for kind in ("company", "country"):
        if lower in pack.anaphora.get(kind, []) and token.i > 0 and doc[token.i - 1].lower_ in ANAPHOR_BEFORE:
            if _named_follows(doc, token, named_at):
                return None
            last = last_by_kind.get(kind) or (first_company if kind == "company" else None)
            name = last.name if last is not None else (pack.default_subject if kind == "country" else None)
            if name:  # 'la marque' after 'Dacia' is Dacia; 'le groupe' after 'Dacia' is its group
                brand = last.brand if last is not None and lower in pack.anaphora.get("brand", []) else None
                return doc[token.i:token.i + 1], Mention(name, kind, "anaphor", mention_role(doc, token.i),
                                                         brand=brand)
    return None


def _is_personal(doc: Doc, token: Token, pack: DomainPack) -> bool:
    nxt = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
    return nxt not in pack.anaphora.get("impersonal_after", [])


def _before_verb(doc: Doc, token: Token) -> bool:
    for t in doc[token.i + 1:token.i + 4]:
        if t.pos_ in ("VERB", "AUX"):
            return True
        if t.pos_ not in ("ADV", "PRON"):
            return False
    return False


def _named_follows(doc: Doc, token: Token, named_at) -> bool:
    """'le groupe « Renault »', 'le constructeur Stellantis': the name that follows is the mention."""
    for j in range(token.i + 1, min(token.i + 4, len(doc))):
        if j in named_at:
            return True
        if doc[j].text not in QUOTES and doc[j].pos_ not in ("ADJ",):
            return False
    return False


def _longest(spans: list[Span]) -> list[Span]:
    spans = sorted(spans, key=lambda s: (-(s.end - s.start), s.start))
    taken: set[int] = set()
    kept = []
    for span in spans:
        if not taken.intersection(range(span.start, span.end)):
            kept.append(span)
            taken.update(range(span.start, span.end))
    return sorted(kept, key=lambda s: s.start)


@lru_cache(maxsize=8)
def _matcher(vocab, pack: DomainPack) -> tuple[PhraseMatcher, dict[str, tuple[str, str, str, str | None]]]:
    """A PhraseMatcher over every alias and unit of the pack, and the table from form to actor."""
    table: dict[str, tuple[str, str, str, str | None]] = {}
    groups = {a.name: a for a in pack.actors}
    for actor in pack.actors:
        group = groups[actor.group] if actor.group else None
        for via, forms in (("alias", actor.aliases), ("unit", actor.units)):
            for form in forms:
                if group is not None:  # a brand or a model of it: the group's figures, the brand's sales
                    table.setdefault(form.lower(), (group.name, group.kind, via, actor.name))
                else:
                    table.setdefault(form.lower(), (actor.name, actor.kind, via, None))
    tokenizer = blank_tokenizer()
    matcher = PhraseMatcher(vocab, attr="LOWER")
    for form in list(table):
        tokens = tokenizer(form)
        matcher.add("ACTOR", [tokens])
        table.setdefault(tokens.text.lower(), table[form])
    return matcher, table


def alias_tokens(doc: Doc, pack: DomainPack) -> set[int]:
    """Indices of the tokens that name an actor of the pack (no parse needed)."""
    matcher, _ = _matcher(doc.vocab, pack)
    return {i for _, start, end in phrase_matches(doc, matcher) for i in range(start, end)}
