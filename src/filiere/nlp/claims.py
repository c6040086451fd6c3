"""Who says it: "selon X", "X a affirmé que ...", "..., a déclaré le ministre"."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


from spacy.tokens import Span, Token

from ..domains.packs import DomainPack
from .actors import DETERMINERS
from .tokens import blank_tokenizer

STOP_POS = {"VERB", "AUX", "PUNCT", "SCONJ"}


@dataclass(frozen=True, slots=True)
class Claim:
    """A source for a sentence: its name and the tokens (cue to name) that are not the figure's subject."""

    name: str
    region_start: int
    region_end: int


def find_claim(sent: Span, pack: DomainPack) -> Claim | None:
    """The source a sentence attributes its content to, or None.

    Args:
        sent: one sentence of a parsed Doc.
        pack: gives the "selon" cues and the speech verbs.
    Returns:
        The first claim found: "selon"/"d'après" phrases first, then speech verbs.
    """
    return _according_to(sent, pack) or _speech_verb(sent, pack)


def _according_to(sent: Span, pack: DomainPack) -> Claim | None:
    """'selon l'Office des changes', 'Selon les chiffres de l'AIVAM, ...': the source up to the next comma."""
    lower = [t.lower_ for t in sent]
    for cue in _cue_tokens(pack):
        for i in range(len(lower) - len(cue) + 1):
            if tuple(lower[i:i + len(cue)]) != cue:
                continue
            start = sent.start + i + len(cue)
            end = _region_end(sent, start)
            name = _named_in(sent.doc, start, end) or _noun_phrase(sent, start)
            person = _apposed_person(sent, end)
            if person:  # 'Selon son directeur pour l'Afrique, Samir Cherfan, ...': the person is the source
                return Claim(person.text, sent.start + i, person.end + 1)
            if name:
                return Claim(name, sent.start + i, end)
    return None


def _apposed_person(sent: Span, comma: int):
    """A person's name set between two commas right after a source phrase."""
    if comma >= sent.end or sent.doc[comma].text != ",":
        return None
    for ent in sent.ents:
        if ent.start == comma + 1 and ent.label_ == "PER" and ent.end < sent.end and sent.doc[ent.end].text == ",":
            return ent
    return None


def _region_end(sent: Span, start: int) -> int:
    """The end of a source phrase: the next comma outside parentheses, at most 30 words on."""
    depth, j = 0, start
    while j < sent.end and j - start < 30:
        text = sent.doc[j].text
        depth += (text == "(") - (text == ")")
        if depth <= 0 and text in (",", ";", ".", ":"):
            break
        j += 1
    return j


def _named_in(doc, start: int, end: int, anaphora: bool = False) -> str | None:
    """A known actor (canonical name; 'le groupe' too when anaphora is True) or a person or organisation named
    between start and end."""
    for span in doc.spans.get("filiere_actors", []):
        mention = span._.filiere_actor
        if start <= span.start < end and mention is not None and mention.via != "pronoun":
            if mention.via != "anaphor" or anaphora:
                return mention.name
    people = [e for e in doc.ents if start <= e.start < end and e.label_ in ("PER", "ORG")]
    return people[0].text if people else None


def _noun_phrase(sent: Span, start: int) -> str | None:
    """The words of a source phrase, up to a verb, a punctuation mark or a date ('L'Economiste de ce 21 janvier')."""
    while start < sent.end and sent.doc[start].lower_ in DETERMINERS:
        start += 1
    dates = {s.start for s in sent.doc.spans.get("filiere_times", [])}
    end = start
    while end < sent.end and end - start < 8 and sent.doc[end].pos_ not in STOP_POS and end not in dates:
        end += 1
    while end - 1 > start and sent.doc[end - 1].lower_ in DETERMINERS | {"de", "du", "des", "d'", "d’"}:
        end -= 1
    return sent.doc[start:end].text if end > start else None


@lru_cache(maxsize=8)
def _cue_tokens(pack: DomainPack) -> tuple[tuple[str, ...], ...]:
    tokenizer = blank_tokenizer()
    return tuple(tuple(t.lower_ for t in tokenizer(c)) for c in pack.phrasing.claims["according_to"])


def _speech_verb(sent: Span, pack: DomainPack) -> Claim | None:
    """'X a déclaré', '..., a affirmé X', and a person or office making a promise ('Le ministre table sur ...')."""
    for token in sent:
        if not _is_speech(token, pack) or _not_reporting(token):
            continue
        if _inverted(sent, token):
            name = _right_source(sent, token, pack) or _left_source(sent, token, pack)
        else:
            name = _left_source(sent, token, pack)
        if name:
            text, start, end = name
            return Claim(text, min(start, token.i), max(token.i + 1, end))
    return _promise_claim(sent, pack)


def _promise_claim(sent: Span, pack: DomainPack) -> Claim | None:
    """A target verb whose subject is a person or an office: 'Le ministre de l'Industrie table sur 200 milliards'."""
    target = pack.phrasing.kind["target"]
    verbs, lemmas = set(target["verbs"]), set(target.get("lemmas", []))
    titles = set(pack.phrasing.claims.get("titles", []))
    for token in sent:
        if token.lower_ not in verbs and token.lemma_ not in lemmas:
            continue
        subjects = [c for c in token.children if c.dep_.startswith("nsubj")]
        if not subjects:
            continue
        head = subjects[0]
        span = sent.doc[head.left_edge.i:head.right_edge.i + 1]
        actors = {i for a in sent.doc.spans.get("filiere_actors", []) for i in range(a.start, a.end)}
        people = [e for e in span.ents if e.label_ == "PER" and not actors.intersection(range(e.start, e.end))]
        if people:  # the NER calls some companies people ('Stellantis'): a known actor is never the source here
            return Claim(people[0].text, span.start, token.i + 1)
        if head.lower_ in titles and len(span) <= 8:
            text = sent.doc[head.i:head.right_edge.i + 1].text
            return Claim(text, span.start, token.i + 1)
    return None


def _not_reporting(token: Token) -> bool:
    """Infinitives ('il convient de rappeler'), gerunds ('confirmant') and passives do not report a source."""
    form, tense = token.morph.get("VerbForm"), token.morph.get("Tense")
    passive = token.i > 0 and token.doc[token.i - 1].lemma_ == "être"  # 'est estimée à': no speaker
    return form == ["Inf"] or (form == ["Part"] and tense == ["Pres"]) or token.lower_.endswith("ant") or passive


def _is_speech(token: Token, pack: DomainPack) -> bool:
    claims = pack.phrasing.claims
    if token.pos_ not in ("VERB", "AUX") and not token.lower_.startswith(tuple(claims["speech_prefixes"])):
        return False
    return token.lemma_ in claims["speech_lemmas"] or token.lower_.startswith(tuple(claims["speech_prefixes"]))


def _left_source(sent: Span, verb: Token, pack: DomainPack) -> tuple[str, int, int] | None:
    """A person or organisation named before the verb, within the same clause."""
    people = [e for e in sent.ents if e.end <= verb.i and verb.i - e.end <= 8 and e.label_ in ("PER", "ORG")]
    between = lambda e: sent.doc[e.end:verb.i]
    people = [e for e in people if not any(t.lower_ in ("que", "qu'", "qu’", ".") for t in between(e))]
    if people:
        best = max(people, key=lambda e: (e.label_ == "PER", e.end))
        return best.text, best.start, best.end
    subject = [c for c in verb.children if c.dep_.startswith("nsubj")]
    if not subject or subject[0].pos_ not in ("NOUN", "PROPN"):
        return None
    head = subject[0]
    if head.lower_ in pack.phrasing.claims["impersonal"] or head.right_edge.i - head.left_edge.i > 6:
        return None
    return sent.doc[head.left_edge.i:head.right_edge.i + 1].text, head.left_edge.i, head.right_edge.i + 1


def _inverted(sent: Span, verb: Token) -> bool:
    """'..., a affirmé Ryad Mezzour' / '» déclare le ministre': the source stands after the verb."""
    i = verb.i - 1
    if i >= sent.start and sent.doc[i].pos_ == "AUX":
        i -= 1
    after = sent.doc[verb.i + 1].lower_ if verb.i + 1 < sent.end else ""
    if after in ("que", "qu'", "qu’"):
        return False  # ', a affirmé que ...': the source stands before the verb
    return i >= sent.start and sent.doc[i].text in (",", "»", "”", "\"")


def _right_source(sent: Span, verb: Token, pack: DomainPack) -> tuple[str, int, int] | None:
    """The person, organisation, known actor ('a annoncé jeudi le groupe') or office right after an inverted verb."""
    for ent in sent.ents:
        if ent.start > verb.i and ent.start - verb.i <= 4 and ent.label_ in ("PER", "ORG"):
            return ent.text, ent.start, ent.end
    end = min(verb.i + 5, sent.end)
    actor = _named_in(sent.doc, verb.i + 1, end, anaphora=True)
    if actor:
        return actor, verb.i + 1, end
    titles = set(pack.phrasing.claims.get("titles", []))
    nxt = sent.doc[verb.i + 1:min(verb.i + 5, sent.end)]
    nouns = [t for t in nxt if t.lower_ in titles]
    if not nouns:
        return None
    start, end = nouns[0].i, nouns[0].i + 1
    if sent.doc[start - 1].pos_ == "DET":
        start -= 1  # 'a indiqué le ministre' -> 'le ministre'
    while end < sent.end and end - nouns[0].i < 5 and sent.doc[end].pos_ not in STOP_POS:
        end += 1
    return sent.doc[start:end].text, start, end
