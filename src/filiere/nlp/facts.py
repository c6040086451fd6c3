"""Figures to facts: attach each quantity to a metric, and decide its kind, year, subject and source.

``link_facts`` is the orchestrator; it runs, per sentence:
1. candidates: metric triggers near the figure whose units fit it (the parse breaks ties);
2. kind: target cues, future verbs and deadlines in the figure's clause, unless a past tense reports it;
3. year: the nearest date of the clause, else of the clauses before, else the sentence, else the last one;
4. subject: the actor of the figure's clause, else of the clauses before, after, the document, the pack;
5. source (claimed_by) and qualifier; distributive phrases ("... chacun") give one fact per subject.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.attrs import LOWER
from spacy.strings import get_string_id
from spacy.tokens import Span

from ..domains.order import longest_first
from ..domains.packs import DomainPack, Metric
from ..domains.scope import derive_scope
from ..records import Evidence, Fact, Quantity, TimeExpr
from .actors import Mention
from .claims import Claim
from .clauses import clause_index, clause_tokens, has_finite_verb, is_future
from .tokens import doc_text, span_text

MAX_SCORE = 14.0  # a trigger farther than this (tokens, weighted) does not name the figure; tuned on the seed corpus
RESTATED_WITHIN = 50  # figures of one series looked back at for a repeat: keeps one article linear in its figures
RELATIVES = {"qui", "que", "qu'", "qu’", "dont", "où", "lequel", "laquelle", "lesquels", "lesquelles"}
ROLE_RANK = {"subject": 0, "agent": 0.5, "genitive": 1, "object": 2, "oblique": 3, "location": 4}


@dataclass(frozen=True, slots=True)
class Context:
    """What the linker reads for one sentence, built by the pipeline components."""

    quantities: list[tuple[Span, Quantity]]
    times: list[tuple[Span, TimeExpr]]
    triggers: list[tuple[Span, tuple[tuple[str, float], ...]]]
    mentions: list[tuple[Span, Mention]]
    claim: Claim | None
    previous_text: str
    last_subject: Mention | None
    last_year: int | None
    ref_year: int | None
    ref_reliable: bool
    previous_facts: tuple = ()
    previous_triggers: tuple = ()  # the previous sentence's metric phrases, for 'Celles-ci sont chiffrées à ...'
    paragraph_year: int | None = None
    earlier_facts: tuple = ()
    running_year: int | None = None  # the year the latest earlier sentence of the document reported on
    report_year: int | None = None  # the year the document reports on (see pipeline.report_year)
    protagonist: str | None = None  # the company the document is about (see pipeline.protagonist)


def link_facts(sent: Span, ctx: Context, pack: DomainPack) -> list[Fact]:
    """Facts of one sentence (doc id left empty, the caller sets it)."""
    if not ctx.quantities:
        return []
    index = clause_index(sent, pack)
    facts: list[Fact] = []
    previous: Quantity | None = None
    for span, quantity in ctx.quantities:
        restated = _restated(sent, span, quantity, facts, pack)
        changed = _new_level(previous, quantity, facts, pack)
        previous = quantity
        if changed:  # 'passer de 40 % en 2016 à 65 % en 2023': the new level, of the same metric as the first
            choice = changed
        elif restated:  # '95 % de sa production exportée, soit 298 045 véhicules': the exported volume
            choice = restated
        elif quantity.compared:  # 'contre 82,6 MMDH un an auparavant': the metric of the figure it is compared with
            choice = _continued(sent, quantity, facts, ctx, pack) or choose_metric(sent, span, quantity, ctx, pack, index)
        else:
            choice = choose_metric(sent, span, quantity, ctx, pack, index) or _continued(sent, quantity, facts, ctx, pack)
        if choice is None or _other_industry(sent, span, pack, index) or _descriptive_percent(span, quantity):
            continue
        metric, unit, negated = choice
        time = choose_time(sent, span, ctx, index, quantity.compared, pack)
        if quantity.start_level:  # the level a change starts from: reported, of its own date or of none
            time = next((t for s, t in ctx.times if quantity.end <= t.start and s.start < _next_start(ctx, quantity)
                         and t.role == "point"), None)
        kind = "actual" if quantity.start_level else decide_kind(sent, span, time, ctx, pack, index)
        if kind == "target" and time is not None and time.role == "point" and ctx.ref_reliable and ctx.ref_year \
                and time.year is not None and time.year <= ctx.ref_year and not _dated_in_own_clause(sent, span, ctx, index):
            time = None  # '... en septembre dernier, et l'objectif est de monter à 80 %': a past event, no deadline
        if kind == "target" and time is not None and time.start < quantity.start and _eventual(sent, quantity, pack):
            time = None  # 'd'ici juin 2026, avec une capacité initiale de 20 GWh, extensible à 100 GWh'
        year = time.year if time else _fallback_year(kind, sent, ctx, pack, _present_state(sent, span, pack, index))
        if quantity.start_level and time is None:
            # 'faire passer la production de 700 000 à 1 million en 2025': the level of the day the promise is made;
            # 'a été porté de 300 000 à 500 000': an earlier level of no known year
            promised = decide_kind(sent, span, None, ctx, pack, index) == "target"
            year = ctx.ref_year if promised and ctx.ref_reliable else None
        if quantity.compared and facts and not _dated_in_own_clause(sent, span, ctx, index):
            year, time = _compared_year(sent, span, kind, facts[-1], ctx, pack, index), None
        subjects = (distributive_subjects(sent, span, ctx, pack) or _compared_subject(sent, span, quantity, facts,
                                                                                       ctx, index)
                    or [choose_subject(sent, span, ctx, pack, index, metric)])
        clause_words = " ".join(t.text for t in _scope_tokens(sent, span, pack, index))
        for name, qualifier in subjects:
            qualifier = qualifier or find_qualifier(sent, span, pack, index)
            facts.append(Fact(
                doc="", kind=kind, metric=metric.name, value=-abs(quantity.value) if negated else quantity.value,
                unit=unit, approx=quantity.approx,
                subject=name, year=year, qualifier=qualifier,
                claimed_by=_claimant(span, ctx.claim), evidence=Evidence(span_text(sent).strip(), quantity.start, quantity.end),
                quarter=time.quarter if time else None, month=time.month if time else None,
                value_high=quantity.value_high,
                scope=_inherited_site(derive_scope(f"{clause_words} {qualifier or ''}", pack, kind, metric.name),
                                      name, ctx),
            ))
    return facts


def _inherited_site(scope: dict | None, subject: str, ctx: Context) -> dict | None:
    """A sentence that names no actor and no place goes on about the site the previous one spoke of ('La méga usine
    de Tanger devrait produire 340 000 véhicules. Le chiffre de 6 000 collaborateurs devrait être atteint.')."""
    named = [m for _, m in ctx.mentions if m.via != "pronoun" and (m.kind != "scope" or m.role == "location")]
    if (scope or {}).get("site") or named:
        return scope
    site = next((f.scope.get("site") for f in reversed(ctx.previous_facts)
                 if f.subject == subject and f.scope and f.scope.get("site")), None)
    return {**(scope or {}), "site": site} if site else scope


# 1. metric ---------------------------------------------------------------------------------------------

def choose_metric(sent, span, quantity, ctx, pack, index) -> tuple[Metric, str, bool] | None:
    """(metric, unit, negated): the metric whose trigger is nearest the figure among those whose units fit.

    None when none fits, or when the figure names its own noun that is no trigger ('600 MDH de bénéfices').
    ``negated`` is True for a trigger of a fall ('recul de 4,2 %').
    """
    metrics = {m.name: m for m in pack.metrics}
    context = (span_text(sent) + " " + ctx.previous_text).lower()
    count_nouns = set(pack.phrasing.numbers.get("count_nouns", []))
    best = None
    for trigger, names in ctx.triggers:
        for name, penalty in names:
            metric = metrics[name]
            unit = fit_unit(metric, quantity, trigger, span, count_nouns)
            if unit is None or not _in_context(metric, context):
                continue
            score = trigger_score(sent, trigger, span, index) + penalty
            key = (score, -(trigger.end - trigger.start), list(metrics).index(name))
            if score <= MAX_SCORE and (best is None or key < best[0]):
                best = (key, metric, unit, trigger.text.lower() in metric.negative_triggers)
    signed = _signed_metric(quantity, pack, context)
    if signed:  # '+5,2 MMDH': a signed figure is a change
        return signed
    if best is None or _owned_by_other_noun(sent, span, ctx, pack):
        return None
    if not best[1].signed and _after_change_word(sent, span, pack):
        return None  # 'les ventes ... ont progressé de 40 %': a change of a quantity the vocabulary does not hold
    if not _share_fits(sent, span, best[1]):
        return None  # '24 % des exportations' is a share of the exports, which no metric of the pack is
    if best[1].without_actor and not _actor_in_sentence(sent, ctx, pack):
        other = metrics.get(best[1].without_actor)  # 'les hybrides représentent 12 % du marché': a segment's share
        if other is None or not _in_context(other, context) or best[2] not in other.units.values():
            return None
        return other, best[2], best[3]
    return best[1], best[2], best[3]


def _actor_in_sentence(sent, ctx: Context, pack: DomainPack) -> bool:
    """The sentence names an actor (not the world, not only its source), or a company by a common noun ('La marque
    détient 38 %'), or has a pronoun that stands for one."""
    if any(m.kind != "scope" and not _in_claim(s, ctx.claim) for s, m in ctx.mentions):
        return True
    nouns = set(pack.anaphora.get("company", []))
    return any(t.lower_ in nouns for t in sent)


def _continued(sent, quantity: Quantity, facts: list[Fact], ctx: Context, pack: DomainPack):
    """A figure with no trigger of its own continues a figure before it: 'contre 345 000 en 2023' repeats
    the metric of the figure it is compared with; 'Elles devraient dépasser 160 milliards' or, in a sentence
    with no metric word at all, 'Le groupe vise 80 % d'ici 2030', that of the previous sentence's figure."""
    metrics = {m.name: m for m in pack.metrics}
    if _listed_after(sent, quantity, facts) and _bare_figure(
            sent.doc.char_span(quantity.start, quantity.end, alignment_mode="expand")):
        return metrics[facts[-1].metric], facts[-1].unit, False  # '1,5 milliard en 2023 ... et 3 milliards en 2030'
    parenthesized = _in_parentheses(sent, quantity)
    if (quantity.compared or parenthesized) and facts and facts[-1].evidence.start >= sent.start_char:
        previous = [facts[-1]] if quantity.compared else [f for f in facts[::-1] if f.evidence.start >= sent.start_char]
        if quantity.unit is None and quantity.compared:
            return metrics[facts[-1].metric], facts[-1].unit, False
    elif parenthesized and ctx.previous_facts:  # 'Kia complète le podium (6,9 %)': the list goes on
        previous = list(ctx.previous_facts)[::-1]
    elif quantity.unit is None and _anaphoric_object(sent, quantity, pack):
        # 'doubler les emplois ... pour les porter à plus de 160 000', 'porter ce chiffre à 1,4 million': the metric
        # of the last phrase before it, in this sentence or the previous one, that counts bare numbers
        before = [(t, names) for t, names in ctx.triggers if t.start_char < quantity.start]
        for _, names in reversed([*ctx.previous_triggers, *before]):
            for name, _ in names:
                if metrics[name].bare_unit:
                    return metrics[name], metrics[name].bare_unit, False
        return None
    elif _starts_with_pronoun(sent, pack):
        previous = list(ctx.previous_facts)[::-1]
        if not previous and quantity.unit is not None:
            # 'Des chiffres qui se traduisent par une hausse des exportations. Celles-ci sont chiffrées à 358 779
            # véhicules': the pronoun stands for the last metric phrase before it whose units fit
            for _, names in reversed(ctx.previous_triggers):
                for name, _ in names:
                    if quantity.unit in metrics[name].units:
                        return metrics[name], metrics[name].units[quantity.unit], False
            return None
    elif not ctx.triggers:  # 'Le groupe vise 80 % d'ici 2030': the metric said before, of the same unit
        previous = [*list(ctx.previous_facts)[::-1], *list(ctx.earlier_facts)[::-1]]
    elif quantity.unit is not None and facts and facts[-1].evidence.start >= sent.start_char:
        # '... avec 6 333 unités vendues, devant Hyundai qui affiche 3 629 unités': a sentence's figures of one
        # unit that no trigger names are of the metric its first one has
        previous = [f for f in facts[::-1] if f.evidence.start >= sent.start_char]
    else:
        return None
    if _owned_by_other_noun(sent, sent.doc.char_span(quantity.start, quantity.end, alignment_mode="expand"), ctx,
                            pack):
        return None
    for fact in previous:
        metric = metrics[fact.metric]
        if quantity.unit in metric.units and metric.units[quantity.unit] == fact.unit:
            return metric, fact.unit, False
    return None


def _scope_tokens(sent, span, pack: DomainPack, index) -> list:
    """The words a figure's scope is read from: its clause (and the verbless ones before), and for a relative
    clause ('un hub digital ..., qui emploiera 300 personnes') the clause of its antecedent too."""
    tokens = _kind_scope(sent, span, pack, index)
    if tokens and tokens[0].lower_ in RELATIVES and index[tokens[0].i - sent.start] > 0:
        tokens = clause_tokens(sent, index, index[tokens[0].i - sent.start] - 1) + tokens
    return tokens


def _descriptive_percent(span, quantity: Quantity) -> bool:
    """'les véhicules 100 % électriques', 'une marque 100 % marocaine': a percentage that qualifies a noun."""
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return quantity.unit == "percent" and after is not None and after.pos_ == "ADJ"


def _dated_in_own_clause(sent, span, ctx: Context, index) -> bool:
    own = index[span.start - sent.start]
    return any(index[s.start - sent.start] == own for s, _ in ctx.times)


def _compared_year(sent, span, kind: str, previous: Fact, ctx: Context, pack: DomainPack, index) -> int | None:
    """The year of a figure compared with the one before it, when its own clause names none: a target compared
    ('contre un objectif initial de 65 %') has no deadline; 'X en 2018, contre Y' compares with the year before,
    unless the compared clause names another actor ('contre 14 % pour Renault': the same year)."""
    if kind == "target":
        return None
    cues = pack.phrasing.numbers.get("comparison", {}).get("previous_period", [])
    before = doc_text(sent.doc)[max(sent.start_char, span.start_char - 40):span.start_char].lower()
    own = index[span.start - sent.start]
    other_actor = any(index[s.start - sent.start] == own for s, _ in ctx.mentions)
    if previous.year and not other_actor and any(re.search(rf"(?<!\w){re.escape(c)}\W*(?:\w+\W+){{0,3}}$", before)
                                                for c in cues):
        return previous.year - 1
    return previous.year


def _other_industry(sent, span, pack: DomainPack, index) -> bool:
    """The figure's clause (and the subject of its verb) is about another industry: 'les exportations du secteur
    aéronautique ont diminué de 3,7 %', 'les ventes de chaussures (+9,2 %)'."""
    words = set(pack.other_industries)
    if not words or not _any_word(sent, pack.other_industries):
        return False
    tokens = _kind_scope(sent, span, pack, index)
    head = span.root
    for _ in range(4):
        if head.pos_ in ("VERB", "AUX") or head.head is head:
            break
        head = head.head
    subjects = [t for c in head.children if c.dep_.startswith("nsubj") for t in c.subtree]
    return any(t.lower_ in words for t in [*tokens, *subjects] if t.i < span.start or t in subjects)


def _any_word(sent: Span, words: tuple[str, ...]) -> bool:
    """Whether a token of the sentence, in lower case, is one of the words: by the hashes spaCy keeps of the
    tokens' lower-case forms (one list a doc), before any token is read; a word's hash is that of its string."""
    doc = sent.doc
    cached = doc.user_data.get("filiere_lower")
    if cached is None or cached[0] != len(doc):
        cached = doc.user_data["filiere_lower"] = (len(doc), doc.to_array(LOWER).tolist())
    return not _hashes(words).isdisjoint(cached[1][sent.start:sent.end])


@lru_cache(maxsize=16)
def _hashes(words: tuple[str, ...]) -> frozenset[int]:
    return frozenset(get_string_id(w) for w in words)


def _new_level(previous: Quantity | None, quantity: Quantity, facts: list[Fact], pack: DomainPack):
    """The figure right after the level a change starts from is the new level, of the same metric."""
    if previous is None or not previous.start_level or not facts or facts[-1].evidence.start != previous.start:
        return None
    metric = next(m for m in pack.metrics if m.name == facts[-1].metric)
    if quantity.unit not in metric.units or metric.units[quantity.unit] != facts[-1].unit:
        return None
    return metric, facts[-1].unit, False


def _next_start(ctx: Context, quantity: Quantity) -> int:
    """The token where the figure after this one starts (the end of the sentence when none follows)."""
    later = [s.start for s, q in ctx.quantities if q.start > quantity.start]
    return min(later) if later else 10 ** 9


def _restated(sent, span, quantity: Quantity, facts: list[Fact], pack: DomainPack):
    """A count that restates the share just before it, in this sentence ('95 % de sa production, soit 298 045
    véhicules', '82 % de la production - soit 327 552 véhicules -', '(282 498 véhicules)'): the metric the share's
    metric names as its restatement, when the count's unit fits it."""
    if not facts or facts[-1].evidence.start < sent.start_char or quantity.unit in (None, "percent"):
        return None
    metrics = {m.name: m for m in pack.metrics}
    target = metrics.get(metrics[facts[-1].metric].restated_as or "")
    if target is None or quantity.unit not in target.units:
        return None
    between = doc_text(sent.doc)[facts[-1].evidence.end:quantity.start]
    cues = pack.phrasing.numbers.get("restatement", ["soit"])
    if len(between) > 80 or not (between.rstrip().endswith(("(", "-", "–", "—"))
                                 or re.search(rf"(?<!\w)(?:{'|'.join(map(re.escape, cues))})\W*$", between)):
        return None
    return target, target.units[quantity.unit], False


def _listed_after(sent, quantity: Quantity, facts: list[Fact]) -> bool:
    """A bare figure listed after a figure of this sentence, a few words on, after a comma or 'et': '2,5 milliards
    d'euros en 2025 et 3 milliards en 2030', '230 002 à Tanger et 73 589 à l'usine de Somaca'."""
    if quantity.unit is not None or not facts or facts[-1].evidence.start < sent.start_char:
        return False
    between = doc_text(sent.doc)[facts[-1].evidence.end:quantity.start]
    return len(between) <= 60 and bool(LIST_GAP.fullmatch(between))


LIST_GAP = re.compile(r"(?:[^.;:!?()\d]|(?<!\d)(?:19|20)\d\d(?!\d))*?(?:,|\bet|\band)\s*", re.I)


def _in_parentheses(sent, quantity: Quantity) -> bool:
    """'devant Renault (11 %) et Toyota (8 %)': a figure alone in parentheses."""
    before = doc_text(sent.doc)[max(sent.start_char, quantity.start - 2):quantity.start].strip()
    after = doc_text(sent.doc)[quantity.end:quantity.end + 2].strip()
    return before.endswith("(") and (after.startswith(")") or quantity.unit is not None)  # 'BMW (1 198 unités et


def _eventual(sent, quantity: Quantity, pack: DomainPack) -> bool:
    """'extensible à 100 GWh': an eventual extension of what the sentence promised, of no deadline."""
    words = pack.phrasing.kind["target"].get("eventual", [])
    before = doc_text(sent.doc)[max(sent.start_char, quantity.start - 30):quantity.start].lower().rstrip()
    return any(before.endswith(w) for w in words)


def _anaphoric_object(sent, quantity: Quantity, pack: DomainPack) -> bool:
    """'pour les porter à plus de 160 000': the figure is the new level of something named before."""
    phrases = pack.phrasing.kind.get("continuation", {}).get("anaphoric_objects", [])
    before = doc_text(sent.doc)[max(sent.start_char, quantity.start - 40):quantity.start].lower().rstrip()
    hedge = next((h for h in _hedges(pack) if before.endswith(h)), "")  # 'à plus de 160 000': the cue of approx
    before = before[:len(before) - len(hedge)].rstrip()
    return any(before.endswith(p) for p in phrases)


@lru_cache(maxsize=8)
def _hedges(pack: DomainPack) -> tuple[str, ...]:
    """The language's approximation cues (approx.toml), longest first."""
    return tuple(longest_first({c.lower() for cues in pack.phrasing.approx.values() for c in cues}))


def _starts_with_pronoun(sent, pack: DomainPack) -> bool:
    words = pack.phrasing.kind.get("continuation", {}).get("pronouns", [])
    start = span_text(sent).lower().lstrip()
    return any(re.match(rf"{re.escape(w)}(?!\w)", start) for w in words)


def fit_unit(metric: Metric, quantity: Quantity, trigger: Span, span: Span, count_nouns=()) -> str | None:
    """The unit the fact gets under this metric, or None when the figure cannot be of this metric.

    A bare number takes the metric's unit right after its trigger ('a produit 500 000'), or anywhere after a
    trigger that a count noun governs ('le nombre de salariés a été porté de 3 100 à 4 800')."""
    unit = quantity.unit
    if unit is None:
        counted = trigger.start >= 2 and trigger.doc[trigger.start - 2].lower_ in count_nouns
        near = trigger.end <= span.start and (span.start - trigger.end <= 3 or counted)
        unit = metric.bare_unit if near and metric.bare_unit and _bare_figure(span) else None
        if unit is None:
            return None
        return metric.units.get(unit, unit) if unit in metric.units or unit in metric.units.values() else unit
    if unit not in metric.units:
        return None
    if metric.min_value is not None and quantity.value < metric.min_value:
        return None
    if metric.max_value is not None and quantity.value > metric.max_value:
        return None
    return metric.units[unit]


def _bare_figure(span: Span) -> bool:
    """A number without a unit may count what the metric counts ('a produit 500 000', 'exporté 300 000 Sandero'),
    unless a common noun right after it says what it counts ('sortis de ses deux usines', '186 sites', 'dans 4 ans')
    or a name right before it makes it a model ('des Peugeot 208', 'la Clio 5')."""
    doc = span.doc
    k = span.end
    while k < len(doc) and k < span.end + 2 and doc[k].pos_ == "ADJ":
        k += 1  # 'quatre premiers mois', 'les 4 prochaines années'
    after = doc[k] if k < len(doc) else None
    if after is not None and after.pos_ == "NOUN" and not after.is_upper:
        return False
    before = doc[span.start - 1] if span.start > 0 else None
    return not (before is not None and before.text[:1].isupper() and before.pos_ in ("PROPN", "NOUN", "X")
                and not before.is_sent_start)


def _in_context(metric: Metric, context: str) -> bool:
    """One of the metric's context words is in the sentence or the one before ('export*' is any word it begins)."""
    if not metric.context:
        return True
    return bool(_context_pattern(metric.context).search(context))


@lru_cache(maxsize=64)
def _context_pattern(words: tuple[str, ...]) -> re.Pattern:
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    return re.compile(rf"(?<!\w)(?:{'|'.join(parts)})(?!\w)")


def _signed_metric(quantity: Quantity, pack: DomainPack, context: str) -> tuple[Metric, str] | None:
    """'+3,3 MMDH': a signed figure is a change, of the metric whose context is present."""
    if not quantity.signed:
        return None
    for metric in pack.metrics:
        if metric.signed and quantity.unit in metric.units and _in_context(metric, context):
            return metric, metric.units[quantity.unit], False
    return None


def _share_fits(sent, span, metric: Metric) -> bool:
    """A percentage followed by 'de/des (le) X' is a share of X: X must be one the metric is a share of."""
    if not metric.share_of:
        return True
    doc, j = sent.doc, span.end
    if j >= sent.end or doc[j].lower_ not in ("de", "d'", "d’", "des", "du"):
        return True
    j += 1
    while j < sent.end and doc[j].pos_ == "DET":
        j += 1
    return j >= sent.end or doc[j].pos_ not in ("NOUN", "PROPN") or doc[j].lower_ in metric.share_of


def _after_change_word(sent, span, pack: DomainPack) -> bool:
    """'a progressé de 40 %': a word of change (the triggers of signed metrics) then 'de' just before the figure.
    'a reculé à 330 000 unités' gives the new level, which is no change."""
    words = {w for m in pack.metrics if m.signed for w in (*m.triggers, *m.negative_triggers) if " " not in w}
    before = [t.lower_ for t in sent.doc[max(sent.start, span.start - 5):span.start]]  # 'hausse de ses ventes de 70 %'
    if not before or before[-1] not in ("de", "d'", "d’"):
        return False  # 'une baisse de 12 % avec 9 400 unités': the count is no change
    return any(word in words for word in before[:-1])


def _owned_by_other_noun(sent, span, ctx: Context, pack: DomainPack) -> bool:
    """'600 MDH de bénéfices': a noun right after the figure that no metric knows is what the figure counts (not the
    noun of a locution: '120 millions de dirhams de la part du groupe')."""
    doc = sent.doc
    j = span.end
    if j >= sent.end or doc[j].lower_ not in ("de", "d'", "d’", "des"):
        return False
    j += 1
    while j < sent.end and doc[j].pos_ == "DET":
        j += 1
    word = doc[j].lower_ if j < sent.end else None
    if word is None or doc[j].pos_ != "NOUN" or word in pack.units["words"] \
            or word in pack.phrasing.numbers.get("locution_nouns", ()):
        return False
    return not any(t.start <= j < t.end for t, _ in ctx.triggers)


def trigger_score(sent: Span, trigger: Span, span: Span, index: list[int]) -> float:
    """Weighted distance from a trigger to a figure: tokens, more after it, more across clauses, less if linked."""
    if trigger.start >= span.start and trigger.end <= span.end:
        return 0.0
    if _subject_of_its_verb(trigger, span):
        return 1.0  # 'Le taux d'intégration ..., qui était de 60 % en 2022, atteint aujourd'hui 69 %'

    if trigger.end <= span.start:
        distance = span.start - trigger.end
    else:
        distance = 1.6 * max(0, trigger.start - span.end) + 1
    crossed = abs(index[trigger.start - sent.start] - index[span.start - sent.start])
    linked = _linked(trigger.root, span.root)
    return distance + 3.0 * crossed - (2.0 if linked else 0.0)


def _subject_of_its_verb(trigger: Span, span: Span) -> bool:
    """The trigger is the subject of the verb whose object is the figure, or of a verb that verb depends on
    ('Le taux d'intégration n'a cessé d'évoluer et devrait passer de 40 % à 65 %': 'passer' -> 'devrait' ->
    'cessé', whose subject is the trigger)."""
    head = span.root.head
    if head.pos_ not in ("VERB", "AUX") or span.root.dep_ not in ("obj", "obl", "obl:arg", "obl:mod"):
        return False
    for _ in range(4):
        subjects = [c for c in head.children if c.dep_.startswith("nsubj")]
        # the trigger heads the subject, or stands in it ('le nombre des immatriculations a atteint 9 463 unités')
        if any(s.left_edge.i <= trigger.root.i <= s.right_edge.i and s.right_edge.i - s.left_edge.i <= 14
               for s in subjects):
            return True
        if subjects or head.dep_ not in ("xcomp", "conj") or head.head is head:
            return False
        head = head.head
    return False


def _linked(a, b) -> bool:
    """True when one token governs the other within a few arcs."""
    for x, y, hops in ((a, b, 4), (b, a, 2)):
        node = y
        for _ in range(hops):
            if node.head is node:
                break
            node = node.head
            if node is x or node.i == x.i:
                return True
    return False


# 2. kind -----------------------------------------------------------------------------------------------

def decide_kind(sent, span, time: TimeExpr | None, ctx: Context, pack: DomainPack, index) -> str:
    """'target' or 'actual': the date's role first, then the verb nearest before the figure, then its clause.

    "a atteint 69 % en 2023 et devrait atteindre 80 % en 2030": each figure is decided by its own verb.
    """
    if time is not None and time.role == "deadline":
        return "target"
    if _named_as_promise(sent, span, pack) and not _reported_done(
            [t for t in _kind_scope(sent, span, pack, index) if t.i >= span.end], pack):  # 'L'objectif ... a été atteint'
        return "target"  # 'contre un objectif initial de 65 %': the figure is the objective itself
    if time is not None and time.role == "now":
        # 'compte cette année atteindre 420 000 véhicules': a promise for this year; else a state of this year
        before = [t for t in _kind_scope(sent, span, pack, index) if t.i < span.start]
        return "target" if _verb_kind(before, pack) == "target" else "actual"
    if time is not None and ctx.ref_reliable and ctx.ref_year and time.year < ctx.ref_year:
        return "actual"  # 'contre 700 l'an dernier': a past year reports, it does not promise
    scope = _kind_scope(sent, span, pack, index)
    purposes = set(pack.phrasing.kind["target"].get("purpose_nouns", []))
    before = [t for t in scope if t.i < span.start]
    last_verb = next((t.i for t in reversed(before) if t.pos_ in ("VERB", "AUX") and "Inf" not in t.morph.get("VerbForm")), -1)
    if any(t.i > last_verb and _purpose(t, purposes) for t in before):
        return "target"  # 'a monté un réseau pour la création de 9 000 emplois': the figure is the purpose
    verdict = _verb_kind(before, pack)
    if verdict:
        return verdict
    if _reported_done(scope, pack):
        return "actual"
    target = pack.phrasing.kind["target"]
    cues = set(target["verbs"]) | set(target["nouns"])
    if any(t.lower_ in cues or is_future(t, pack) or _purpose(t, purposes) for t in scope):
        return "target"
    if time is not None and ctx.ref_reliable and ctx.ref_year and time.year > ctx.ref_year:
        return "target"
    return "actual"


def _named_as_promise(sent, span, pack: DomainPack) -> bool:
    """A promise noun right before the figure, with only adjectives and 'de' between: 'un objectif (initial) de 65 %',
    'l'ambition de 200 milliards'."""
    nouns = set(pack.phrasing.kind["target"]["nouns"])
    j = span.start - 1
    while j >= sent.start and (sent.doc[j].pos_ in ("ADJ", "DET") or sent.doc[j].lower_ in ("de", "d'", "d’")):
        j -= 1
    return j >= sent.start and j < span.start - 1 and sent.doc[j].lower_ in nouns and sent.doc[j].pos_ == "NOUN"


def _verb_kind(before: list, pack: DomainPack) -> str | None:
    """The kind the nearest verb before a figure gives it; an infinitive defers to the verb that governs it.

    A target verb, a future or a conditional makes a target; a passé composé or another conjugated verb an
    actual figure, unless a promise noun ('L'objectif est de 80 %') stands before it in the clause.
    """
    target = pack.phrasing.kind["target"]
    cue_verbs, cue_lemmas = set(target["verbs"]), set(target.get("lemmas", []))
    intentions = set(target.get("intention_verbs", []))
    verbs = [t for t in before if t.pos_ in ("VERB", "AUX") or t.lower_ in cue_verbs]
    for verb in reversed(verbs):
        if verb.lower_ in cue_verbs or verb.lemma_ in cue_lemmas or is_future(verb, pack) or _purpose_of(verb):
            return "target"
        if "Inf" in verb.morph.get("VerbForm"):
            continue  # 'devrait atteindre': look at 'devrait'
        if _past_participle_with_aux(verb, pack):
            return "actual"
        if verb.lower_ in intentions and any(t.i > verb.i and "Inf" in t.morph.get("VerbForm") for t in verbs):
            return "target"  # 'compte cette année atteindre 420 000 véhicules'
        if "Fin" in verb.morph.get("VerbForm"):
            nouns = set(target["nouns"])
            return "target" if any(t.lower_ in nouns for t in before if t.i < verb.i) else "actual"
        return None
    return None


def _past_participle_with_aux(verb, pack: DomainPack) -> bool:
    """'a atteint', 'ont exporté', 'a été atteint': a passé composé reports a figure as reached."""
    aux = set(pack.phrasing.kind["actual"]["auxiliaries"])
    if "Part" not in verb.morph.get("VerbForm") or "Past" not in verb.morph.get("Tense"):
        return False
    previous = [t for t in verb.doc[max(0, verb.i - 3):verb.i] if t.pos_ != "ADV"]
    return bool(previous) and previous[-1].lower_ in aux


def _purpose_of(verb) -> bool:
    """'pour atteindre': the infinitive of a purpose clause states a goal."""
    return verb.i > 0 and verb.doc[verb.i - 1].lower_ == "pour" and "Inf" in verb.morph.get("VerbForm")


def _kind_scope(sent, span, pack, index) -> list:
    """The figure's clause, and the clauses before it while they lack a verb of their own."""
    own = index[span.start - sent.start]
    tokens = clause_tokens(sent, index, own)
    clause = own
    while clause > 0 and not has_finite_verb(clause_tokens(sent, index, clause), pack):
        clause -= 1
        tokens = clause_tokens(sent, index, clause) + tokens
    return tokens


def _reported_done(tokens, pack: DomainPack) -> bool:
    """A passé composé of an achievement verb ('ont atteint', 'a dépassé') reports the figure as reached."""
    actual = pack.phrasing.kind["actual"]
    aux, done = set(actual["auxiliaries"]), set(actual["achieved_participles"])
    for a, b in zip(tokens, tokens[1:] + [None]):
        if a.lower_ in aux and b is not None and (b.lower_ in done or (b.i + 1 < len(b.doc) and b.doc[b.i + 1].lower_ in done and b.pos_ == "ADV")):
            return True
    return False


def _purpose(token, nouns=frozenset()) -> bool:
    """'pour atteindre 80 %', 'pour la création de 11 000 emplois': a purpose states a goal."""
    doc = token.doc
    if token.lower_ != "pour" or token.i + 1 >= len(doc):
        return False
    if "Inf" in doc[token.i + 1].morph.get("VerbForm"):
        return True
    return token.i + 2 < len(doc) and doc[token.i + 1].pos_ == "DET" and doc[token.i + 2].lower_ in nouns


# 3. year -----------------------------------------------------------------------------------------------

def choose_time(sent, span, ctx: Context, index, compared: bool = False, pack: DomainPack | None = None
                ) -> TimeExpr | None:
    """The date of a figure: nearest in its clause (after it first), else in the clauses before, else the sentence.

    A comparison base ('par rapport à 2023', 'un an auparavant') dates only a figure compared in its own clause.
    A date in the source phrase ('A en croire L'Economiste du 21 janvier 2015') dates no figure. When the figure's
    clause has a verb of its own, a date in a relative clause with its own verb and its own figure belongs to that
    figure ('Le groupe, qui a réalisé 19 milliards en 2018, emploie 113 000 personnes': 2018 is not the headcount's
    year), while the main clause's date frames a relative clause ('L'usine, qui emploie 6 200 personnes, a exporté
    88 % de sa production en 2024').
    """
    own = index[span.start - sent.start]
    in_own = lambda s: index[s.start - sent.start] == own
    usable = [(s, t) for s, t in ctx.times
              if (t.role not in ("since", "base", "now") or (t.role == "now" and in_own(s))
                  or (compared and t.role == "base" and in_own(s))) and not _in_claim(s, ctx.claim)]
    if not usable:
        return None
    by_clause = lambda c: [(s, t) for s, t in usable if index[s.start - sent.start] == c]
    figured = {index[s.start - sent.start] for s, _ in ctx.quantities}

    def verbed(c: int) -> bool:  # a relative clause with its own figure and verb
        tokens = clause_tokens(sent, index, c)
        return pack is not None and c in figured and bool(tokens) and tokens[0].lower_ in RELATIVES \
            and has_finite_verb(tokens, pack)
    predicated = pack is not None and has_finite_verb(clause_tokens(sent, index, own), pack)
    def participial(c: int) -> bool:  # 'L'usine, rouverte après sa fermeture en 2013, permettra ...': an event
        tokens = [t for t in clause_tokens(sent, index, c) if not t.is_punct]
        return c not in figured and bool(tokens) and tokens[0].pos_ in ("VERB", "AUX") \
            and "Part" in tokens[0].morph.get("VerbForm") and "Past" in tokens[0].morph.get("Tense")
    for clause in range(own, -1, -1):
        if clause != own and predicated and (verbed(clause) or participial(clause)):
            continue
        found = by_clause(clause)
        if found:
            return min(found, key=lambda st: _time_distance(st[0], span))[1]
    # a deadline of a later clause belongs to that clause's figure ('emploie 11 000 ... et prévoit ... d'ici 2028')
    # ... and so do the dates of a later clause with a figure of its own ('nécessitera un investissement de 150
    # millions, et permettra la création de 1 400 emplois entre 2022 et 2027': the jobs' period)
    own_tokens = clause_tokens(sent, index, own)
    relative = bool(own_tokens) and own_tokens[0].lower_ in RELATIVES  # the main clause's date frames a relative one
    later = [(s, t) for s, t in usable if index[s.start - sent.start] > own
             and not t.role == "deadline" and not (predicated and verbed(index[s.start - sent.start]))
             and (relative or index[s.start - sent.start] not in figured)]
    return min(later, key=lambda st: _time_distance(st[0], span))[1] if later else None


def _time_distance(tspan: Span, span: Span) -> float:
    if tspan.start >= span.end:
        return tspan.start - span.end
    return 1.2 * (span.start - tspan.end) + 0.5


def _present_state(sent, span, pack: DomainPack, index) -> bool:
    """The figure's verb is a present indicative that states a situation ('emploie', 'compte', 'dispose'), not the
    auxiliary of a past tense ('a produit')."""
    before = [t for t in _kind_scope(sent, span, pack, index) if t.i < span.start and t.pos_ in ("VERB", "AUX")]
    for verb in reversed(before):
        if "Inf" in verb.morph.get("VerbForm") or "Part" in verb.morph.get("VerbForm"):
            if _past_participle_with_aux(verb, pack):
                return False
            continue
        following = next((t for t in verb.doc[verb.i + 1:verb.i + 3] if t.pos_ != "ADV"), None)
        if following is not None and "Part" in following.morph.get("VerbForm"):
            return False  # 'a exporté', 'est sortie': the auxiliary of a past tense
        return "Pres" in verb.morph.get("Tense") and "Ind" in verb.morph.get("Mood")
    return False


def _fallback_year(kind: str, sent: Span, ctx: Context, pack: DomainPack, present: bool = False) -> int | None:
    """The year of an actual figure whose clause gives none (FACTS.md, conventions 5): the year its paragraph
    reports on; in a sentence that continues the previous one ('y', 'chacun', 'Cette hausse'), the previous
    sentence's year; else the year the latest earlier sentence of the document reported on; else the year the
    whole document reports on (its publication year when no figure of it is dated)."""
    if kind != "actual":
        return None
    continuation = pack.phrasing.kind.get("continuation", {})
    words, openers = set(continuation.get("words", [])), set(continuation.get("openers", []))
    if ctx.paragraph_year is not None:
        return ctx.paragraph_year
    first = next((t for t in sent if not t.is_space), None)
    if ctx.last_year and (any(t.lower_ in words for t in sent) or (first is not None and first.lower_ in openers)):
        return ctx.last_year  # 'Cette hausse de 4,2 % ...' continues the previous sentence
    if ctx.running_year:
        return ctx.running_year
    if present and ctx.ref_reliable and ctx.ref_year:
        return ctx.ref_year  # 'emploie 11 000 personnes': a state, in the year the article was published
    return ctx.report_year


# 4. subject --------------------------------------------------------------------------------------------

def choose_subject(sent, span, ctx: Context, pack: DomainPack, index, metric: Metric | None = None,
                   national: bool | None = None) -> tuple[str, str | None]:
    """(subject, qualifier) of a figure: its clause's actor, else the clauses before, after, the document.

    A brand keeps its name for the metrics that count by brand (sales, market shares); the world ('mondial') is a
    subject only for the metrics of a whole market ('les ventes mondiales'); a company's figure with no actor near
    it belongs to the company last spoken of, else to the document's protagonist, before the country.
    """
    by_brand = metric is not None and metric.by_brand
    pick = lambda m: (m.subject(by_brand), m.qualifier)
    own = index[span.start - sent.start]
    if national is None:
        national = metric is None or metric.national
    usable = [(s, m) for s, m in ctx.mentions if not _in_claim(s, ctx.claim) and (national or m.kind != "scope")]
    in_clause = lambda c: [(s, m) for s, m in usable if index[s.start - sent.start] == c]
    clause = clause_tokens(sent, index, own)
    if clause and clause[0].lower_ == "qui":  # 'devant Honda qui affiche 3 600 unités': the relative's antecedent
        antecedent = [m for s, m in usable if s.end == clause[0].i and m.kind != "scope"]
        if antecedent:
            return pick(antecedent[0])
    found = _best(in_clause(own), span)
    if found and found.role != "location":
        return pick(found)
    fallback = found
    for clause in range(own - 1, -1, -1):  # an earlier clause: its subject, never a place or an example
        if _coordinated(in_clause(clause)):
            continue  # 'à la faveur des deux constructeurs Renault et PSA, faisant état d'une capacité de ...': both
        candidate = _best(in_clause(clause), span)
        if candidate and candidate.role not in ("location", "oblique"):
            return pick(candidate)
        fallback = fallback or candidate
    adjunct = not has_finite_verb(clause_tokens(sent, index, own), pack)
    for clause in range(own + 1, max(index) + 1):
        roles = ("subject", "agent", "genitive") if adjunct else ("subject", "agent")
        later = [m for s, m in in_clause(clause) if m.role in roles and m.kind not in ("scope",)]
        if later:
            return pick(later[0])
        if adjunct and has_finite_verb(clause_tokens(sent, index, clause), pack):
            break  # 'Avec un investissement de X, la future usine de Yazaki emploiera ...': the main clause
    claimant = _claimant_actor(ctx)
    if claimant:  # 'Hyundai a souligné que ses ventes ...': the company that speaks of its own figures
        return claimant, None
    if _sector_speaks(ctx):  # 'L'APIME a annoncé le déploiement de 2 500 bornes': the sector's figure
        return pack.default_subject, None
    if metric is not None and metric.national and _plain_noun_subject(sent, span, ctx, index):
        return pack.default_subject, None  # 'Le marché devrait franchir 180 000 unités': the whole market
    last = ctx.last_subject
    if not national and (last is None or last.kind != "company") and ctx.protagonist:
        return ctx.protagonist, None  # 'Malgré la crise, 303 591 véhicules ont été produits': the article's company
    if last is not None:
        return pick(last)
    return pick(fallback) if fallback else (pack.default_subject, None)


def _plain_noun_subject(sent, span, ctx: Context, index) -> bool:
    """The figure's clause, or the verb that governs the figure, has a grammatical subject that names no actor: a
    common noun, or a pronoun that stands for none ('qu'ils pourraient atteindre 15 %', 'Les véhicules électriques
    ne pèsent que 3,2 % des ventes')."""
    own = index[span.start - sent.start]
    actors = {i for s, _ in ctx.mentions for i in range(s.start, s.end)}
    plain = lambda t: t.dep_.startswith("nsubj") and t.pos_ in ("NOUN", "PRON") and t.i not in actors
    if any(plain(t) for t in clause_tokens(sent, index, own)):
        return True
    head = span.root
    for _ in range(4):
        if head.pos_ in ("VERB", "AUX") or head.head is head:
            break
        head = head.head
    for _ in range(3):  # 'les ventes ont affiché une croissance de 18 %, atteignant 19 262 unités': up the verb chain
        if head.pos_ not in ("VERB", "AUX"):
            return False
        subjects = [c for c in head.children if c.dep_.startswith("nsubj")]
        if subjects:
            return any(plain(c) for c in subjects)
        if head.dep_ not in ("advcl", "conj", "xcomp", "acl") or head.head is head:
            return False
        head = head.head
    return False


def _sector_speaks(ctx: Context) -> bool:
    """The sentence's source is an association or an institution named in it: it speaks for the sector."""
    return ctx.claim is not None and any(m.kind in ("association", "institution")
                                         and (m.name == ctx.claim.name or _in_claim(s, ctx.claim))
                                         for s, m in ctx.mentions)


def _claimant_actor(ctx: Context) -> str | None:
    """The company named as the sentence's source, if any."""
    if ctx.claim is None:
        return None
    for span, mention in ctx.mentions:
        if mention.kind == "company" and mention.name == ctx.claim.name:
            return mention.name
    return None


def _coordinated(mentions: list[tuple[Span, Mention]]) -> bool:
    """Two companies joined by 'et' ('Renault et PSA'): a figure they frame is of them both, not of the last one."""
    companies = sorted(((s, m) for s, m in mentions if m.kind == "company"), key=lambda sm: sm[0].start)
    for (a, ma), (b, mb) in zip(companies, companies[1:]):
        between = a.doc[a.end:b.start]
        if ma.name != mb.name and len(between) == 1 and between[0].lower_ in ("et", "and"):
            return True
    return False


def _best(mentions: list[tuple[Span, Mention]], span: Span) -> Mention | None:
    if not mentions:
        return None
    key = lambda sm: (ROLE_RANK.get(sm[1].role, 4), sm[1].kind == "scope", abs(sm[0].start - span.start))
    return min(mentions, key=key)[1]


def _compared_subject(sent, span, quantity: Quantity, facts: list[Fact], ctx: Context, index
                      ) -> list[tuple[str, str | None]]:
    """A compared figure ('contre 345 000') belongs to the subject of the figure it is compared with, unless its own
    clause names another actor ('contre 14 % pour Renault')."""
    if not quantity.compared or not facts:
        return []
    own = index[span.start - sent.start]
    if any(index[s.start - sent.start] == own and m.kind != "scope" for s, m in ctx.mentions):
        return []
    return [(facts[-1].subject, facts[-1].qualifier)]


def distributive_subjects(sent, span, ctx: Context, pack: DomainPack) -> list[tuple[str, str | None]]:
    """'Les écosystèmes Construction et Câblage ... (+3,3 MMDH chacun)' -> one subject per conjoined name."""
    words = set(pack.distributive)
    window = sent.doc[max(sent.start, span.start - 4):min(sent.end, span.end + 4)]
    if not any(t.lower_ in words for t in window):
        return []
    actors = [m for s, m in ctx.mentions if s.end <= span.start and m.kind != "scope"]
    joined = _conjoined_names(sent, span)
    if joined:
        return [(name, None) for name in joined]
    return [(m.name, m.qualifier) for m in actors[-2:]] if len(actors) >= 2 else []


def _conjoined_names(sent, span) -> list[str]:
    """A plural noun followed by names joined by 'et': 'les écosystèmes Construction et Câblage'."""
    for token in sent:
        if token.i >= span.start:
            break
        if token.pos_ != "NOUN" or "Plur" not in token.morph.get("Number"):
            continue
        names, j = [], token.i + 1
        while j < span.start and sent.doc[j].text[:1].isupper():
            names.append(sent.doc[j].text)
            j += 1
            if j < span.start and sent.doc[j].lower_ in ("et", ",", "and") and sent.doc[j + 1].text[:1].isupper():
                j += 1
        if len(names) >= 2:
            return [f"{token.lemma_} {name}" for name in names]
    return []


# 5. source and qualifier ---------------------------------------------------------------------------------

def _in_claim(span: Span, claim: Claim | None) -> bool:
    return claim is not None and claim.region_start <= span.start < claim.region_end


def _claimant(span: Span, claim: Claim | None) -> str | None:
    return None if claim is None or _in_claim(span, claim) else claim.name


def find_qualifier(sent, span, pack: DomainPack, index) -> str | None:
    """Scope words of the figure's clause and of a parenthesis right after it ('65,5 % (hors mécanique)')."""
    own = index[span.start - sent.start]
    tokens = clause_tokens(sent, index, own)
    after = clause_tokens(sent, index, own + 1) if own + 1 <= max(index) else []
    if after and sent.doc[after[0].i - 1].text == "(":
        tokens = tokens + after
    text = " ".join(t.text for t in tokens if t.i >= span.start)
    for pattern in pack.qualifiers:
        m = re.search(pattern, text)
        if m:
            return m.group(1) if m.groups() else m.group(0)
    return None


def dedupe(facts: list[Fact], headings: set[int]) -> list[Fact]:
    """One record per fact and document (FACTS.md, conventions 1): a figure repeated (in a heading, a later
    paragraph, the same sentence) is kept once, at its first mention in the body; a figure restated with another
    precision ('plus de 100 000', then '100 940') is kept once, the most precise."""
    body = [f for f in facts if f.evidence.start not in headings]
    told = {(f.metric, f.value, f.unit, f.subject) for f in body}
    kept: list[Fact] = []
    by_series: dict[tuple, list[int]] = {}  # (metric, unit, subject, kind) -> indices in kept: linear in the facts
    for fact in body + [f for f in facts if f.evidence.start in headings]:
        if fact.evidence.start in headings and (fact.metric, fact.value, fact.unit, fact.subject) in told:
            continue  # a headline's figure that the body tells
        series = by_series.setdefault((fact.metric, fact.unit, fact.subject, fact.kind), [])
        # a restatement is near its first telling: the last RESTATED_WITHIN figures of the series are enough
        twin = next((i for i in reversed(series[-RESTATED_WITHIN:]) if _same_fact(kept[i], fact)), None)
        if twin is None:
            series.append(len(kept))
            kept.append(fact)
        elif _precision(fact) > _precision(kept[twin]):
            kept[twin] = replace(fact, year=fact.year or kept[twin].year)
    order = {id(f): i for i, f in enumerate(facts)}
    return sorted(kept, key=lambda f: order.get(id(f), 0))


def _same_fact(a: Fact, b: Fact) -> bool:
    """The same figure, possibly with another precision: same metric, unit, subject and kind, years that agree."""
    if (a.metric, a.unit, a.subject, a.kind) != (b.metric, b.unit, b.subject, b.kind):
        return False
    if a.year is not None and b.year is not None and a.year != b.year:
        return False
    if a.value == b.value:
        return True
    if a.kind == "target" and (a.year is None) != (b.year is None):
        return False  # '1 million en 2025', then '1,4 million d'ici trois à quatre ans': two promises, not one rounded
    coarse, fine = sorted((a, b), key=_precision)
    if coarse.approx == "exact" and (_significant(coarse.value) >= _significant(fine.value)
                                     or abs(coarse.value) < 1e6):
        return False  # two exact counts ('1 000' and '1 001') are two figures; '157 milliards' rounds '157,6'
    if not (math.isfinite(a.value) and math.isfinite(b.value)):
        return False
    step = 10.0 ** (len(str(int(abs(coarse.value)))) - _significant(coarse.value)) if abs(coarse.value) >= 1 else 0.01
    # the finer figure, rounded or truncated to the coarser one's last digit, gives the coarser one
    rounds = any(abs(f(fine.value / step) * step - coarse.value) < step / 2 for f in (round, math.floor))
    close = rounds if coarse.approx == "exact" else abs(fine.value - coarse.value) <= 0.05 * abs(coarse.value)
    bound = {"more_than": fine.value >= coarse.value, "less_than": fine.value <= coarse.value,
             "up_to": fine.value <= coarse.value}.get(coarse.approx, True)
    return close and bound


def _precision(fact: Fact) -> tuple[int, int]:
    """How precise a figure is: exact before hedged, then its significant digits."""
    return (fact.approx == "exact", _significant(fact.value))


@lru_cache(maxsize=4096)
def _significant(value: float) -> int:
    digits = f"{abs(value):.6f}".rstrip("0").rstrip(".").replace(".", "").lstrip("0")
    return len(digits.rstrip("0")) or 1