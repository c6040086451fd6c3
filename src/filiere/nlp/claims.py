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
    at: dict[str, list[int]] = {}  # where each word is: a cue is only tried where its first word is
    for i, word in enumerate(lower):
        at.setdefault(word, []).append(i)
    for cue in _cue_tokens(pack):
        for i in at.get(cue[0], ()) if cue else range(len(lower) + 1):
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


SOURCE_RANK = {"association": 0, "institution": 0, "company": 1, "brand": 1, "country": 3, "scope": 4}


def _named_in(doc, start: int, end: int, anaphora: bool = False) -> str | None:
    """A known actor (canonical name; 'le groupe' too when anaphora is True) or a person or organisation named
    between start and end: a person first, then an association or institution, a company, the country last
    ('selon l'Association des importateurs de véhicules au Maroc (AIVAM)' is the AIVAM's word, not the country's)."""
    found = []
    for span in doc.spans.get("filiere_actors", []):
        mention = span._.filiere_actor
        if start <= span.start < end and mention is not None and mention.via != "pronoun":
            if mention.via != "anaphor" or anaphora:
                found.append((SOURCE_RANK.get(mention.kind, 2), span.start, mention.name))
    known = {i for a in doc.spans.get("filiere_actors", []) for i in range(a.start, a.end)}
    for e in doc.ents:
        if start <= e.start < end and e.label_ in ("PER", "ORG") and not known.intersection(range(e.start, e.end)):
            found.append((-1 if e.label_ == "PER" else 2, e.start, e.text))
    return min(found)[2] if found else None


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
        pronoun = _pronoun_speaker(sent, token, pack)
        if pronoun is not None:  # 'a-t-il ajouté', 'explique-t-elle', 'Il souligne que': the last speaker
            return Claim(PRONOUN, min(pronoun, token.i), max(pronoun, token.i) + 1)
        if _inverted(sent, token):
            name = _right_source(sent, token, pack) or _left_source(sent, token, pack)
        else:
            name = _left_source(sent, token, pack)
        if name:
            text, start, end = name
            return Claim(text, min(start, token.i), max(token.i + 1, end))
    return _promise_claim(sent, pack)


PRONOUN = "\x00pronoun"  # a speaker named by a pronoun: resolve_claims gives it the last speaker's name


def _pronoun_speaker(sent: Span, verb: Token, pack: DomainPack) -> int | None:
    """The index of 'il'/'elle' when it is the speech verb's subject ('Il souligne', 'a-t-il ajouté',
    'explique-t-il'), else None."""
    pronouns = {w.lower() for w in pack.anaphora.get("pronouns", [])}
    doc = verb.doc
    for j in range(verb.i - 3, min(verb.i + 3, sent.end)):
        if j < sent.start or j == verb.i:
            continue
        word = doc[j].lower_.lstrip("-")
        if word in pronouns and (doc[j].head.i == verb.i or doc[j].lower_.startswith("-")) \
                and (doc[j].dep_.startswith(("nsubj", "expl", "dep")) or doc[j].lower_.startswith("-")):
            if doc[j].lower_.startswith("-") or doc[j].dep_.startswith("nsubj"):
                return j
    return None


def resolve_claims(doc, claims: dict[int, Claim | None], pack: DomainPack) -> dict[int, Claim | None]:
    """Who the sources of a document are, once its people are known: a title ('le ministre', 'le président de
    l'Amica') or a surname ('M. Elalamy', 'Mezzour') is the person the document introduced with it ('le ministre
    de l'Industrie, Moulay Hafid Elalamy'; 'Hakim Abdelmoumen, président de l'Amica'); a pronoun ('a-t-il
    ajouté') the last speaker."""
    people = _introduced_people(doc, pack)
    last: str | None = None
    out: dict[int, Claim | None] = {}
    for start in sorted(claims):
        claim = claims[start]
        if claim is None:
            out[start] = None
            continue
        name = claim.name
        if name == PRONOUN:  # the last speaker, else the last person named before
            name = last or next((full for position, full, _ in reversed(people) if position < start), None)
        else:
            name = _person_for(name, people, start, pack) or name
            last = name
        out[start] = Claim(name, claim.region_start, claim.region_end) if name else None
    return out


def _introduced_people(doc, pack: DomainPack) -> list[tuple[int, str, str]]:
    """(position, full name, title words) of the people the document names with two words or more, with the
    office apposed to them ('le ministre de l'Industrie, X' or 'X, président de Y'), if any."""
    titles = set(pack.phrasing.claims.get("titles", []))
    out = []
    for ent in doc.ents:
        if ent.label_ != "PER" or len(ent) < 2:
            continue
        title = ""
        before = doc[max(0, ent.start - 20):ent.start]
        if ent.start > 0 and (doc[ent.start - 1].text == "," or doc[ent.start - 1].lower_ in titles):
            heads = [t for t in before if t.lower_ in titles and not any(x.text in ".;:»«" for x in doc[t.i:ent.start])]
            if heads:  # 'le ministre de l'Industrie, X', 'le ministre X'
                title = doc[heads[-1].i:ent.start].text.rstrip(" ,").lower()
        if not title and ent.end < len(doc) and doc[ent.end].text == ",":
            after = doc[ent.end + 1:min(len(doc), ent.end + 9)]
            heads = [t for t in after[:2] if t.lower_ in titles]
            if heads:
                end = heads[0].i + 1
                while end < after.end and doc[end].text not in (",", ".", ";", ":", ")", "»") and \
                        not doc[end].pos_ in ("VERB", "AUX"):
                    end += 1
                title = doc[heads[0].i:end].text.lower()
        out.append((ent.start, ent.text, title))
    return out


def _person_for(name: str, people: list[tuple[int, str, str]], start: int, pack: DomainPack) -> str | None:
    """The full name a short name or a title stands for, among the people introduced so far (or anywhere when the
    document introduces them later)."""
    words = [w for w in name.replace("’", "'").split() if w.lower() not in DETERMINERS and w.lower() not in
             ("m.", "mme", "mr", "monsieur", "madame", "l'", "le", "la")]
    if not words or not people:
        return None
    titles = set(pack.phrasing.claims.get("titles", []))
    before = [p for p in people if p[0] <= start] + [p for p in people if p[0] > start][::-1]
    if len(words) == 1 and words[0][:1].isupper():  # a surname
        match = [full for _, full, _ in before if full.split()[-1].lower() == words[0].lower()]
        return match[0] if match else None
    if words[0].lower() in titles:  # an office: the person introduced with it, the exact office first
        office = " ".join(words).lower()
        earlier = [p for p in before if p[0] <= start][::-1] + [p for p in before if p[0] > start]
        exact = [full for _, full, title in earlier if title and (office in title or title in office)]
        loose = [full for _, full, title in earlier if title and title.split()[0] == words[0].lower()]
        return (exact or loose or [None])[0]
    return None


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
    """Infinitives ('il convient de rappeler'), gerunds ('confirmant') and passives do not report a source; an
    infinitive after 'faire' or 'venir de' does ('X fait remarquer que', 'X vient d'annoncer')."""
    form, tense = token.morph.get("VerbForm"), token.morph.get("Tense")
    doc = token.doc
    passive = token.i > 0 and doc[token.i - 1].lemma_ == "être"  # 'est estimée à': no speaker
    if form == ["Inf"] and token.i > 0 and (doc[token.i - 1].lemma_ == "faire" or (
            token.i > 1 and doc[token.i - 1].lower_ in ("de", "d'", "d’") and doc[token.i - 2].lemma_ == "venir")):
        return False
    return form == ["Inf"] or (form == ["Part"] and tense == ["Pres"]) or token.lower_.endswith("ant") or passive


def _is_speech(token: Token, pack: DomainPack) -> bool:
    if token.pos_ not in ("VERB", "AUX", ""):  # 'une progression remarquable' is no 'remarquer'
        return False
    lemmas, prefixes = _speech_words(pack)
    return token.lemma_ in lemmas or token.lower_.startswith(prefixes)


@lru_cache(maxsize=8)
def _speech_words(pack: DomainPack) -> tuple[frozenset[str], tuple[str, ...]]:
    """The pack's speech lemmas as a set and its speech verbs' beginnings as a tuple (asked for every verb)."""
    claims = pack.phrasing.claims
    return frozenset(claims["speech_lemmas"]), tuple(claims["speech_prefixes"])


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
    start, end = head.left_edge.i, head.right_edge.i + 1
    if head.lower_ not in pack.phrasing.claims.get("titles", []):  # 'l'entreprise chinoise' is the company named
        named = _named_in(sent.doc, start, end, anaphora=True)
        if named:
            return named, start, end
    return sent.doc[start:end].text, start, end


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
