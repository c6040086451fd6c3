"""The pre-filter of the extraction stage: only sentences that can hold a record get the statistical parse.

Most sentences of a news article carry no figure and no dated promise. The model's components (tok2vec,
morphologizer, parser, NER) are what costs, so ``parse_selected`` runs them only where it matters:

1. every document is tokenised and split into rough sentences (line breaks, final punctuation before a
   capital), and filiere's rule components that need no parse (figures, dates) run on the whole text;
2. a sentence is *selected* when it holds a figure with a unit, a bare number with a metric word in it or in the
   sentence before (a bare number with none can make no fact; 'porter ce chiffre à 1,4 million' continues one), or a date together with a milestone word of the pack;
   one with a name the pack does not know ('Aziz Akhannouch') gets the entity recogniser only;
3. runs of selected sentences become small Docs that go through the tagger and parser in one ``nlp.pipe``, and
   windows around capitalised words go through the entity recogniser;
4. their annotations are copied back into the full Doc; the other sentences keep their tokens only, each
   its own sentence (a flat tree: first token the root), so sentence offsets and the stored sentences stay
   those of the whole text.

The rule components that need the parse (actors, sources, metric linking) then run on the full Doc, as in
the full pipeline. ``selected_share`` reports how much of a corpus went through the model.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy
from spacy.attrs import (DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, IS_DIGIT, IS_PUNCT, IS_QUOTE, IS_SPACE, IS_STOP, IS_TITLE,
                         IS_UPPER, LEMMA, LENGTH, MORPH, ORTH, POS, SENT_START, SPACY, TAG)
from spacy.language import Language
from spacy.tokens import Doc

from ..domains.order import by_first_letter
from ..domains.packs import DomainPack
from .actors import alias_tokens
from .milestones import may_hold_milestone
from .pipeline import trigger_matcher
from .tokens import doc_text, phrase_matches

ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]
ENTS = ATTRS.index(ENT_IOB)  # the columns the entity recogniser sets
FINAL = (".", "!", "?", "…")
# Components that need no parse: they run on the whole text before the selection.
RULES_BEFORE = ("filiere_lines", "filiere_quantities", "filiere_time")
RULES_AFTER = ("filiere_actors", "filiere_attribution", "filiere_metrics")

if not Doc.has_extension("filiere_parsed"):
    Doc.set_extension("filiere_parsed", default=None)  # selected tokens / all tokens, when the pre-filter ran


def rough_sentences(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of sentences cut at line breaks and at final punctuation followed by a capital or a digit.

    Only a cut the parser would also make is wanted here: 'M. Bensaïd' or '3.5' never cuts, a rough sentence may
    hold two real ones (they are then parsed together).
    """
    if len(doc) < 2:
        return [(0, len(doc))] if len(doc) else []
    columns = doc.to_array([ORTH, LENGTH, IS_SPACE, SENT_START, IS_TITLE, IS_UPPER, IS_DIGIT, IS_QUOTE, IS_PUNCT])
    orth, length, space, sent_start = columns[:, :4].T  # whole columns, no Token objects: every sentence of a corpus
    final = numpy.isin(orth[:-1], numpy.array([doc.vocab.strings.add(mark) for mark in FINAL], dtype=orth.dtype))
    opens = columns[1:, 4:].any(axis=1)  # a capital, a digit or a quote begins the next sentence
    not_initial = numpy.concatenate(([True], length[:-2] != 1))  # 'M. Bensaïd': a one-letter word before the stop
    cuts = (space[1:] == 0) & ((sent_start[1:] == 1) | (final & opens & not_initial))
    starts = [0] + (numpy.flatnonzero(cuts) + 1).tolist()
    return [(start, end) for start, end in zip(starts, starts[1:] + [len(doc)]) if end > start]


PARSE, NAMES, TOKENS = 2, 1, 0  # what a sentence gets: the whole model, the entity recogniser, tokens only
NAME_WINDOW = 6  # words read on each side of a capitalised word (its vectors see 4, its transitions a little more)


def selection(doc: Doc, pack: DomainPack) -> tuple[list[tuple[int, int, int]], list[tuple[int, int]]]:
    """Rough sentences, each with what it needs, and the windows the entity recogniser reads.

    PARSE: a figure with a unit, a bare number and a metric word, or a date and a milestone word. NAMES: two
    capitalised words in a row that are not an actor of the pack ('Aziz Akhannouch'): the people and places that
    tie articles about one story together come from the entity recogniser, which needs no parse. TOKENS: the rest.

    The entity recogniser reads windows: NAME_WINDOW words around each such name, and around every capitalised
    word of a PARSE sentence (organisations and people are capitalised). Its token vectors see four words on
    each side, so a capitalised word gets the vector it has in the whole sentence.
    """
    quantities = doc.spans.get("filiere_quantities", [])
    figures = {span.start for span in quantities if span._.filiere_quantity is not None and span._.filiere_quantity.unit}
    bare = {span.start for span in quantities} - figures  # 'deux conventions': a fact only with a metric word
    matcher, _ = trigger_matcher(doc.vocab, pack)
    triggers = {start for _, start, _ in phrase_matches(doc, matcher)}
    dates = {span.start for span in doc.spans.get("filiere_times", [])}
    known = alias_tokens(doc, pack)
    title, upper, stop = doc.to_array([IS_TITLE, IS_UPPER, IS_STOP]).T.astype(bool)
    capitals = ((title | upper) & ~stop).tolist()  # 'Le', 'Selon', 'Cette': capitalised, never a name
    titles = [flag and i not in known for i, flag in enumerate(capitals)]
    plan, windows = [], []

    def read(i: int, j: int, start: int, end: int) -> None:
        window = (max(start, i - NAME_WINDOW), min(end, j + NAME_WINDOW))
        if windows and windows[-1][1] >= window[0]:
            windows[-1] = (windows[-1][0], max(window[1], windows[-1][1]))
        else:
            windows.append(window)

    worded = False  # the previous sentence had a metric word: 'porter ce chiffre à 1,4 million' may continue it
    for start, end in rough_sentences(doc):
        tokens = range(start, end)
        had_word, worded = worded, any(i in triggers for i in tokens)
        if any(i in figures for i in tokens) or (
                any(i in bare for i in tokens) and (worded or had_word)) or (
                any(i in dates for i in tokens) and may_hold_milestone(doc[start:end].text, pack)):
            plan.append((start, end, PARSE))
            # organisations and people the pack does not know (subjects); in a sentence that names a source
            # ('selon', 'estime'), every name: the source is found among the recogniser's names
            names = capitals if _source_cues(pack).search(doc_text(doc), doc[start].idx, doc[end - 1].idx + 1) \
                else titles
            for i in tokens:
                if names[i]:
                    read(i, i + 1, start, end)
            continue
        names = [i for i in range(start, end - 1) if titles[i] and titles[i + 1]]
        plan.append((start, end, NAMES if names else TOKENS))
        for i in names:
            read(i, i + 2, start, end)
    return plan, windows


@lru_cache(maxsize=8)
def _source_cues(pack: DomainPack) -> re.Pattern:
    """Words that attribute a sentence to a source: 'selon', and the speech verbs by their beginnings."""
    claims = pack.phrasing.claims
    words = [re.escape(w) + r"(?!\w)" for w in claims["according_to"]] + [re.escape(p) for p in claims["speech_prefixes"]]
    return re.compile(r"(?<!\w)(?:" + by_first_letter(words, ignore_case=True) + ")", re.IGNORECASE)


def regions(plan: list[tuple[int, int, int]], level: int) -> list[tuple[int, int]]:
    """Runs of consecutive sentences at a level, as token ranges."""
    out: list[list[int]] = []
    for start, end, wanted in plan:
        if wanted != level:
            continue
        if out and out[-1][1] == start:
            out[-1][1] = end
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def parse_selected(nlp: Language, docs: list[Doc], pack: DomainPack, batch_size: int = 256) -> None:
    """Give the selected sentences of each doc the model's annotations (in place); see the module text."""
    model = [name for name in nlp.pipe_names if name not in RULES_BEFORE + RULES_AFTER]
    selected = [selection(doc, pack) for doc in docs]
    plans = [plan for plan, _ in selected]
    arrays = [_flat_parse(doc, plan) for doc, plan in zip(docs, plans)]
    tokens = [doc.to_array([IDX, LENGTH, SPACY, SENT_START]).view("int64") for doc in docs]
    ner = ["ner"] if "ner" in nlp.pipe_names else []
    model = [name for name in model if name != "ner"]
    for names, columns, spans in (
            (model, slice(None), [(d, s, e) for d, plan in enumerate(plans) for s, e in regions(plan, PARSE)]),
            (ner, slice(ENTS, None), [(d, s, e) for d, (_, windows) in enumerate(selected) for s, e in windows])):
        if not names or not spans:
            continue
        subdocs = [_subdoc(docs[d], tokens[d], s, e) for d, s, e in spans]
        disable = [name for name in nlp.pipe_names if name not in names]
        for (d, s, e), sub in zip(spans, nlp.pipe(subdocs, disable=disable, batch_size=batch_size)):
            arrays[d][s:e, columns] = sub.to_array(ATTRS).view("int64")[:, columns]
    for doc, array, plan in zip(docs, arrays, plans):
        doc.from_array(ATTRS, array.view("uint64"))
        doc._.filiere_parsed = (sum(e - s for s, e, level in plan if level == PARSE), len(doc))


def _subdoc(doc: Doc, tokens: numpy.ndarray, start: int, end: int) -> Doc:
    """A new Doc of the tokens start..end, with their sentence starts (``Span.as_doc`` copies the whole doc's
    arrays, vectors and spans for every span: too slow for many small regions). ``tokens``: the doc's IDX,
    LENGTH, SPACY and SENT_START columns, read a column at a time (a list per row costs more than the Doc)."""
    text = doc_text(doc)
    idx, length, space, flag = tokens[start:end].T.tolist()
    return Doc(doc.vocab, words=[text[i:i + n] for i, n in zip(idx, length)], spaces=[bool(s) for s in space],
               sent_starts=[True] + [{1: True, -1: False}.get(f) for f in flag[1:]])


def _flat_parse(doc: Doc, plan: list[tuple[int, int, int]]) -> numpy.ndarray:
    """Annotations of a doc whose sentences are not parsed: each rough sentence a flat tree, no tags."""
    array = numpy.zeros((len(doc), len(ATTRS)), dtype="int64")
    root, dep = doc.vocab.strings.add("ROOT"), doc.vocab.strings.add("dep")
    head, label = ATTRS.index(HEAD), ATTRS.index(DEP)
    for start, end, _ in plan:
        array[start, label] = root
        for i in range(start + 1, end):
            array[i, head] = start - i  # heads are relative offsets
            array[i, label] = dep
    return array


def selected_share(docs: list[Doc]) -> float:
    """Share of tokens that went through the model (1.0 when the pre-filter did not run)."""
    done = [doc._.filiere_parsed or (len(doc), len(doc)) for doc in docs]
    total = sum(n for _, n in done)
    return sum(k for k, _ in done) / total if total else 1.0
