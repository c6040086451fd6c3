"""Milestones: dated promises without a figure ("lancement de ... prévu pour le quatrième trimestre 2026").

``find_milestones`` runs, per sentence:
1. triggers: milestone nouns, verbs whose object is the milestone, verbs whose subject is;
2. date: a date of the sentence that is not a "since" and not before the document's year;
3. description: the trigger's noun phrase (or the verb's object or subject), stopped at the next clause;
4. dropped: descriptions holding a figure (those are facts), past reports, headings without a date.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Span, Token

from ..domains.order import by_first_letter
from ..domains.packs import DomainPack
from ..domains.scope import derive_scope
from ..records import Evidence, Milestone, TimeExpr
from .actors import DETERMINERS
from .facts import Context, choose_subject, _claimant
from .clauses import clause_index, is_future
from .tokens import blank_tokenizer, span_text

STOP_WORDS = {"qui", "que", "qu'", "qu’", "dont", "afin", "pour", "tandis", "alors", "which", "that"}
STOP_TEXT = {",", ";", ":", ".", "!", "?", "«", "»", "—", "–"}
MAX_WORDS = 18
MAX_SENTENCE = 150  # tokens; the longest sentence of the demo corpus, both dev sets and the real set has 71 words


def find_milestones(sent: Span, ctx: Context, pack: DomainPack) -> list[Milestone]:
    """Milestones of one sentence, or the events it reports done (doc id left empty, the caller sets it)."""
    if not ctx.times or len(sent) > MAX_SENTENCE:
        return []  # a 'sentence' of thousands of words is a list or a dump, not a promise someone made
    text = span_text(sent)
    events: list[Milestone] = []
    if any(p.search(text) for _, p in _done_patterns(pack)):
        times = [(s, t) for s, t in ctx.times if t.role not in ("since", "base", "deadline")]
        events = _found(sent, ctx, pack, times, _done_triggers(sent, pack, times), done=True) if times else []
        if events or not times:
            # 'Les travaux ont été lancés jeudi et devront s'achever avant fin 2020': a done part, a promised part
            promised = [(s, t) for s, t in ctx.times if t.role == "deadline" and _promise_date(t, ctx)]
            if not promised:
                return events
    times = [(s, t) for s, t in ctx.times if _promise_date(t, ctx)]
    if not times or not may_hold_milestone(text, pack):
        return events
    return events + _found(sent, ctx, pack, times, _triggers(sent, pack, times), done=False)


def _found(sent: Span, ctx: Context, pack: DomainPack, times, triggers, done: bool) -> list[Milestone]:
    out, taken = [], set()
    for start, what_tokens, anchor, needed, *template in triggers:
        if not what_tokens or start in taken or _holds_figure(what_tokens, ctx) or len(_content(what_tokens)) < needed:
            continue
        if not done and _reported_past(anchor, pack):
            continue  # 'a procédé au lancement des travaux', 'L'année 2019 a été marquée par l'entrée en production
        if out and needed == 1 and any(m.evidence.start < anchor.idx for m in out):
            continue  # 'La commercialisation du SUV ... débutera en 2027': the noun already named it
        taken.update(t.i for t in what_tokens)  # 'démarrage de la production en série': one milestone
        tspan, time = _milestone_time(times, anchor, what_tokens)
        index = clause_index(sent, pack)
        # an event is a company's, like a company's figure: the one last spoken of, else the article's protagonist
        subject = _subject_in(what_tokens, ctx) or choose_subject(sent, anchor_span(anchor), ctx, pack, index,
                                                                  national=False)[0]
        what = template[0].format(_render(what_tokens)) if template and template[0] else _render(what_tokens)
        inside = [t for t in what_tokens if sent.start <= t.i < sent.end] or [anchor]  # an antecedent may be before
        first, last = inside[0], inside[-1]
        out.append(Milestone(doc="", what=what, subject=subject, year=time.year, claimed_by=_claimant(
            anchor_span(anchor), ctx.claim), evidence=Evidence(span_text(sent).strip(), min(anchor.idx, first.idx),
                                                              last.idx + len(last.text)),
            quarter=time.quarter, month=time.month, keywords=_keywords(what_tokens), done=done,
            scope=derive_scope(what, pack, "target")))
    return out


def _milestone_time(times, anchor: Token, what_tokens: list[Token]):
    """The date of a milestone: the nearest after its description (a promise states its date after the thing),
    else the nearest before it."""
    end = max(anchor.i, what_tokens[-1].i)
    after = [st for st in times if st[0].start >= end]
    if after:
        return min(after, key=lambda st: st[0].start - end)
    return min(times, key=lambda st: abs(st[0].start - anchor.i))


def anchor_span(token: Token) -> Span:
    return token.doc[token.i:token.i + 1]


def _promise_date(time: TimeExpr, ctx: Context) -> bool:
    if time.role in ("since", "now"):
        return False
    return ctx.ref_year is None or time.year >= ctx.ref_year


@lru_cache(maxsize=8)
def _done_patterns(pack: DomainPack) -> tuple[tuple[str, re.Pattern], ...]:
    """('subject' | 'object', pattern) of the past forms that report a thing done ('a été lancée')."""
    return tuple((role, re.compile(rf"(?<!\w){re.escape(m)}(?!\w)", re.I))
                 for role in ("subject", "object") for m in pack.milestones.get(f"done_{role}", []))


def _done_triggers(sent: Span, pack: DomainPack, times):
    """'La nouvelle Logan a été lancée en 2026': what was done is the subject (or, for 'a inauguré', the object)."""
    starts = {s.start for s, _ in times}
    for role, pattern in _done_patterns(pack):
        m = pattern.search(span_text(sent))
        if not m:
            continue
        verb = sent.char_span(m.start(), m.end(), alignment_mode="expand")
        if role == "subject":
            yield verb.start, _strip(_subject_before(sent, verb.start)), sent.doc[verb.start], 1
        else:
            yield verb.start, _strip(_phrase_after(sent, verb.end - sent.start, starts, verbs_ok=True)), \
                sent.doc[verb.start], 1


def _triggers(sent: Span, pack: DomainPack, times):
    """(start, description tokens, anchor token, content words needed) for each milestone trigger.

    A noun or an object needs two content words ('lancement' alone says nothing); the subject of
    'sera opérationnelle' may be one ('L'usine sera opérationnelle en 2027').
    """
    starts = {s.start for s, _ in times}
    lower = [t.lower_ for t in sent]
    for phrase in _phrases(pack, "nouns"):
        for i in _find(lower, phrase):
            head = sent[i]
            if i > 0 and sent[i - 1].lower_ == "depuis" or (i > 1 and sent[i - 2].lower_ == "depuis"):
                continue
            after = _phrase_after(sent, i + len(phrase), starts)
            owner = _dont_antecedent(sent, i)
            if owner and not _content(after):  # 'Le HUV, dont la sortie est prévue en 2025': the HUV's
                yield head.i, [head, *sent[i + 1:i + len(phrase)], *owner], head, 2, "{}"
                continue
            yield head.i, [head, *sent[i + 1:i + len(phrase)], *after], head, 2
    for phrase in _phrases(pack, "object_verbs"):
        for i in _find(lower, phrase):
            yield sent[i].i, _strip(_phrase_after(sent, i + len(phrase), starts, verbs_ok=True)), sent[i], 2
    for phrase, pattern in zip(pack.milestones.get("subject_verbs", []), _subject_patterns(pack)):
        m = pattern.search(span_text(sent))
        if m:
            verb = sent.char_span(m.start(), m.end(), alignment_mode="expand")
            subject = _strip(_subject_before(sent, verb.start))
            if subject and "".join(t.text_with_ws for t in subject).strip().lower() in PRONOUNS:
                subject = _previous_antecedent(sent) or subject  # 'Elle sera commercialisée ...': the one just named
            place = _phrase_after(sent, verb.end - sent.start, starts)
            yield verb.start, subject + _strip_verbs(place), sent.doc[verb.start], 1, \
                pack.milestone_what.get(phrase.lower())


PRONOUNS = {"il", "elle", "ils", "elles", "celui-ci", "celle-ci", "ceux-ci", "celles-ci"}


def _dont_antecedent(sent: Span, i: int) -> list[Token]:
    """'Le HUV, dont la sortie est prévue en 2025': the noun phrase before ', dont la' a milestone noun names."""
    j = sent.start + i - 1
    doc = sent.doc
    while j > sent.start and doc[j].pos_ == "DET":
        j -= 1
    if j <= sent.start or doc[j].lower_ != "dont" or doc[j - 1].text != ",":
        return []
    return _strip(_antecedent(sent, j - 1))


def _previous_antecedent(sent: Span) -> list[Token]:
    """What a subject pronoun stands for: the last thing the previous sentence named, a noun phrase with a name or a
    number in it ('Il s'agit de la nouvelle Peugeot 208. Elle sera ...'), else its last noun with its complement."""
    from .pipeline import sentences

    sents = sentences(sent.doc)
    k = next((n for n, s in enumerate(sents) if s.start == sent.start), 0)
    if k == 0:
        return []
    previous = sents[k - 1]
    actors = [s for s in sent.doc.spans.get("filiere_actors", []) if previous.start <= s.start < previous.end
              and s._.filiere_actor is not None and s._.filiere_actor.via in ("alias", "unit")]
    doc = sent.doc
    if actors:
        start, end = actors[-1].start, actors[-1].end
        while end < previous.end and (doc[end].text[:1].isupper() or doc[end].like_num):
            end += 1  # 'Peugeot 208'
        while start > previous.start and doc[start - 1].lower_ not in DETERMINERS and doc[start - 1].is_alpha \
                and doc[start - 1].lower_ not in ("de", "d'", "d’", "la", "le", "les") and start - actors[-1].start > -2:
            start -= 1  # 'nouvelle Peugeot 208'
        return list(doc[start:end])
    nouns = [t for t in previous if t.pos_ == "NOUN" and t.dep_ in ("obj", "nsubj", "obl", "obl:arg")]
    if not nouns and not any(t.pos_ for t in previous):  # a sentence the model did not parse: its first noun phrase
        nouns = [t for t in previous[1:] if t.doc[t.i - 1].lower_ in DETERMINERS and t.is_alpha and not t.is_stop][:1]
    if not nouns:
        return []
    head = nouns[-1]
    end = head.i + 1
    while end + 1 < previous.end and doc[end].lower_ in ("de", "d'", "d’") and doc[end + 1].pos_ == "NOUN":
        end += 2  # 'accord d'investissement'
    return list(doc[head.i:end])


def _reported_past(anchor: Token, pack: DomainPack) -> bool:
    """The trigger is governed by a past tense and nothing in its clause promises: 'a procédé au lancement des
    travaux', 'a été marquée par l'entrée en production', 'a signé des accords pour la construction'."""
    head = anchor
    for _ in range(4):
        if head.pos_ in ("VERB", "AUX") or head.head is head:
            break
        head = head.head
    if head.pos_ not in ("VERB", "AUX"):
        return False
    if is_future(head, pack) or head.lower_ in pack.phrasing.kind["target"]["verbs"]:
        return False
    auxiliaries = [c for c in head.children if c.dep_.startswith("aux")]
    past_participle = "Part" in head.morph.get("VerbForm") and "Past" in head.morph.get("Tense")
    # 'a procédé', 'a été marquée': an auxiliary 'avoir'; 'est attendue', 'est programmé' are present passives
    return past_participle and any(a.lemma_ == "avoir" or a.lower_ == "été" for a in auxiliaries)


def _phrase_after(sent: Span, i: int, time_starts: set[int], verbs_ok: bool = False) -> list[Token]:
    """Words after a trigger up to the next clause: a date in commas is skipped ('création, dès 2025, de X')."""
    tokens: list[Token] = []
    j = sent.start + i
    doc = sent.doc
    if j < sent.end and doc[j].text == "," and _skip_date(doc, j + 1, sent.end, time_starts) is not None:
        j = _skip_date(doc, j + 1, sent.end, time_starts)
    elif verbs_ok and j in time_starts:
        j = _date_end(doc, j, sent.end, time_starts)  # 'lancera en 2027 un nouveau SUV': the object follows the date
        if j < sent.end and doc[j].text == ",":
            j += 1  # 'allait produire dès octobre 2023, sa gamme ...'
    elif verbs_ok and j + 1 < sent.end and doc[j].pos_ in ("ADP",) and j + 1 in time_starts:
        j = _date_end(doc, j + 1, sent.end, time_starts)
        if j < sent.end and doc[j].text == ",":
            j += 1
    depth = 0
    while j < sent.end and len(tokens) < MAX_WORDS:
        t = doc[j]
        if t.text == "(":
            depth += 1
        if depth == 0 and t.text == "," and _apposition(doc, j + 1, sent.end) and tokens:
            tokens.append(t)  # 'création de RTM, un centre d'ingénierie ...': the apposition says what it is
            j += 1
            continue
        if j in time_starts or (depth == 0 and (t.text in STOP_TEXT or t.lower_ in STOP_WORDS)):
            break
        if not verbs_ok and t.pos_ in ("VERB", "AUX") and ("Fin" in t.morph.get("VerbForm") or tokens):
            break
        if t.lower_ in ("prévu", "prévue", "prévus", "prévues", "programmé", "programmée", "attendu", "attendue"):
            break
        tokens.append(t)
        if t.text == ")":
            depth = max(0, depth - 1)
        j += 1
    return tokens


def _apposition(doc, j: int, end: int) -> bool:
    """An indefinite noun phrase right after a comma: 'un centre', 'une usine'."""
    return j + 1 < end and doc[j].lower_ in ("un", "une", "a", "an") and doc[j + 1].pos_ in ("NOUN", "ADJ")


def _date_end(doc, j: int, end: int, time_starts: set[int]) -> int:
    """The token after the date that starts at j."""
    span = next((s for s in doc.spans.get("filiere_times", []) if s.start == j), None)
    return span.end if span is not None else j


def _skip_date(doc, j: int, end: int, time_starts: set[int]) -> int | None:
    """After ', dès 2025,' return the index past the second comma, else None."""
    k = j
    while k < end and doc[k].text != ",":
        k += 1
    if k < end and any(j <= s < k for s in time_starts):
        return k + 1
    return None


def _subject_before(sent: Span, verb_start: int) -> list[Token]:
    """The words before the verb back to the clause start; for 'X, qui devrait ...' the X before the comma, and
    for 'X, une version de Y, sortira ...' the X before the apposition."""
    j = verb_start - 1
    if j > sent.start and sent.doc[j].text == ",":
        k = j - 1
        while k >= sent.start and sent.doc[k].text != ",":
            k -= 1
        j = k - 1 if k > sent.start else j  # skip ', une version de la Fiat 500,'
    tokens = []
    while j >= sent.start and sent.doc[j].text not in STOP_TEXT and not _finite(sent.doc[j]):
        tokens.insert(0, sent.doc[j])
        j -= 1
    tokens = [t for t in tokens if t.pos_ != "ADV"]
    if [t.lower_ for t in tokens] == ["qui"] and j >= sent.start and sent.doc[j].text == ",":
        return _antecedent(sent, j)
    if tokens and all(t.pos_ == "CCONJ" or t.lower_ in ("et", "mais") for t in tokens):
        # 'Les travaux ont été lancés jeudi, et devront s'achever en 2020': the subject of the first verb
        subjects = [t for t in sent if t.dep_.startswith("nsubj") and t.head.dep_ == "ROOT"]
        if subjects:
            head = subjects[0]
            return [t for t in sent.doc[head.left_edge.i:head.right_edge.i + 1] if t.pos_ not in ("VERB", "AUX")]
    return tokens


def _finite(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and "Part" not in token.morph.get("VerbForm")


def _antecedent(sent: Span, comma: int) -> list[Token]:
    """The noun phrase before a comma: 'dans une usine près de Tanger, qui' -> 'usine près de Tanger'."""
    tokens = []
    j = comma - 1
    doc = sent.doc
    while j >= sent.start and doc[j].text not in STOP_TEXT and doc[j].pos_ not in ("VERB", "AUX"):
        if doc[j].pos_ == "ADP" and j + 1 < comma and doc[j + 1].pos_ == "DET":
            break  # 'dans une usine ...': the phrase starts after the preposition
        tokens.insert(0, doc[j])
        j -= 1
    while tokens and tokens[0].pos_ in ("ADP", "DET"):
        tokens = tokens[1:]
    return tokens


def _strip_verbs(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.pos_ not in ("VERB", "AUX", "ADV") and t.lower_ not in ("le", "jour")]


def _strip(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[0].lower_ in DETERMINERS or tokens[0].pos_ in ("DET", "ADV")):
        tokens = tokens[1:]
    return tokens


def _render(tokens: list[Token]) -> str:
    parts = [t.text_with_ws if nxt.i == t.i + 1 else t.text + " " for t, nxt in zip(tokens, tokens[1:])]
    text = "".join(parts) + tokens[-1].text
    return re.sub(r"\s+", " ", text).strip(" ,;")


def _keywords(tokens: list[Token]) -> tuple[str, ...]:
    """Lower-cased nouns and names of a description: what the tracker compares milestones by."""
    return tuple(sorted({t.lemma_.lower() for t in tokens if t.pos_ in ("NOUN", "PROPN") and len(t.text) > 1}))


def _content(tokens: list[Token]) -> list[Token]:
    """Nouns, names and adjectives; in a sentence the model did not parse, the words that are not stop words."""
    return [t for t in tokens if t.pos_ in ("NOUN", "PROPN", "ADJ", "X")
            or (not t.pos_ and (t.is_alpha or t.like_num) and not t.is_stop)]


def _holds_figure(tokens: list[Token], ctx: Context) -> bool:
    """A figure inside the description: a fact, or a promise of a figure no metric holds ('la livraison de 5 000
    tonnes de cobalt'), neither of which is a milestone; 'La Peugeot 208' is a name, not a figure."""
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    for s, q in ctx.quantities:
        if q.start < end and start < q.end:
            model = s.start > 0 and s.doc[s.start - 1].text[:1].isupper() and q.unit is None
            if q.unit or not model:
                return True
    return False


def _subject_in(tokens: list[Token], ctx: Context) -> str | None:
    """The actor the milestone's own words name: a brand, or a model of it, keeps the brand's name ('commercialisation
    de la nouvelle Peugeot 208': Peugeot), as its sales do. The words may be a previous sentence's antecedent, so the
    document's mentions are looked at, not only the sentence's."""
    from .pipeline import span_records  # the pipeline module imports this one

    ids = {t.i: k for k, t in enumerate(tokens)}
    mentions = span_records(tokens[0].doc, "filiere_actors") if tokens else []
    for span, mention in mentions:
        if span.start in ids and mention.kind != "scope" and mention.role != "location":
            # 'des pièces détachées pour la Logan': the model is what the parts are for, the event is the group's
            direct = not any(t.pos_ == "ADP" and t.lower_ not in GENITIVES for t in tokens[:ids[span.start]])
            return mention.subject(by_brand=direct)
    return None


GENITIVES = {"de", "du", "des", "d'", "d’"}


def _find(lower: list[str], phrase: tuple[str, ...]) -> list[int]:
    n = len(phrase)
    return [i for i in range(len(lower) - n + 1) if tuple(lower[i:i + n]) == phrase]


@lru_cache(maxsize=16)
def _phrases(pack: DomainPack, key: str) -> tuple[tuple[str, ...], ...]:
    tokenizer = blank_tokenizer()
    return tuple(tuple(t.lower_ for t in tokenizer(p)) for p in pack.milestones.get(key, []))


@lru_cache(maxsize=8)
def _subject_patterns(pack: DomainPack) -> tuple[re.Pattern, ...]:
    """'verra le jour' also as 'verra également le jour': one adverb may stand after the verb."""
    out = []
    for phrase in pack.milestones.get("subject_verbs", []):
        first, _, rest = phrase.partition(" ")
        rest_pattern = r"\s+" + re.escape(rest).replace(r"\ ", r"\s+") if rest else ""
        out.append(re.compile(rf"(?<!\w){re.escape(first)}(?:\s+\w+ment)?{rest_pattern}(?!\w)", re.I))
    return tuple(out)


def may_hold_milestone(text: str, pack: DomainPack) -> bool:
    """Whether a sentence names a milestone trigger of the pack (a cheap test on its text, before any parse)."""
    return _any_cue(pack).search(text) is not None


WORD_START = r"(?<!\w)"


@lru_cache(maxsize=8)
def _any_cue(pack: DomainPack) -> re.Pattern:
    """Every cue of the pack in one pattern, grouped by first letter (``by_first_letter``: a flat alternation of
    some 140 cues cost 0.3 ms a sentence), with the answer each cue alone gives (``tests/test_select.py``)."""
    sources = _cue_sources(pack)
    assert all(source.startswith(WORD_START) for source in sources)
    body = by_first_letter([source[len(WORD_START):] for source in sources], ignore_case=True)
    return re.compile(f"{WORD_START}(?:{body})" if body else r"(?!)", re.I)  # no cue: never


@lru_cache(maxsize=8)
def _cue_sources(pack: DomainPack) -> tuple[str, ...]:
    """Each milestone cue of the pack (nouns, verbs whose object or subject is the milestone, past forms of a
    thing done) as a pattern of its own, for re.I, starting at the start of a word."""
    words = [*pack.milestones.get("nouns", []), *pack.milestones.get("object_verbs", [])]
    phrases = [WORD_START + r"\s+".join(map(re.escape, w.split())) + r"(?!\w)" for w in words]
    return (*phrases, *(p.pattern for p in _subject_patterns(pack)), *(p.pattern for _, p in _done_patterns(pack)))
