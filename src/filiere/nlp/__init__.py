"""The extraction stage: cleaned Documents in, facts and milestones out.

``extract_documents`` is the orchestrator:
1. make one spaCy Doc per document, with its reference year for relative dates;
2. run filiere's rule components that need no parse, then the model (tagger, parser, NER) on the sentences
   that can hold a record only (``select.parse_selected``), then the components that need the parse, in batches
   of documents; ``select=False`` runs the whole pipeline on every sentence instead;
3. set the document id on each record and drop facts a heading repeats from the body.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.util import minibatch, raise_error

from collections import Counter

from ..periods import period_or_none
from ..records import ActorMention, Document, Extraction
from .facts import dedupe
from .pipeline import build_nlp, sentences as sentences_of
from .select import RULES_AFTER, RULES_BEFORE, parse_selected
from .tokens import doc_text, make_doc

ENTITY_KINDS = {"PER": "person", "LOC": "place"}
HEADING_END = re.compile(r"[.!?»”\"]\s*$")


def extract_documents(documents: Iterable[Document], nlp: Language, batch_size: int = 16,
                      on_error: Callable[[Document, Exception], None] | None = None,
                      select: bool = True) -> Iterator[Extraction]:
    """Extract facts and milestones from documents, in order.

    Args:
        documents: cleaned documents (their text is what evidence offsets point into).
        nlp: a pipeline from ``build_nlp``.
        batch_size: documents per batch.
        on_error: called with a document a component failed on, which is then skipped; by default errors raise.
        select: parse only the sentences that can hold a figure or a milestone (the default); False parses all.
    Yields:
        One Extraction per document extracted.
    """
    if not select:
        # Our components take the pipeline's default handler (Language.set_error_handler cannot be used: it fails
        # on spaCy 3.8's parser, whose handler attribute is read-only); the model's own components keep raising.
        nlp.default_error_handler = _handler(on_error) if on_error else raise_error
        pending = ((_make_doc(nlp, d), d) for d in documents)
        for doc, document in nlp.pipe(pending, as_tuples=True, batch_size=batch_size):
            yield _records(doc, document)
        return
    pack = nlp.get_pipe("filiere_metrics").pack
    before = [(name, nlp.get_pipe(name)) for name in RULES_BEFORE]
    after = [(name, nlp.get_pipe(name)) for name in RULES_AFTER]
    for batch in minibatch(documents, batch_size):
        made = [(_guarded("tokenizer", lambda d=d: _make_doc(nlp, d), d, on_error), d) for d in batch]
        ready = [(doc, document) for doc, document in made
                 if doc is not None and _apply(before, doc, document, on_error)]
        ready = _parse(nlp, ready, pack, on_error)
        for doc, document in ready:
            if _apply(after, doc, document, on_error):
                records = _guarded("records", lambda: _records(doc, document), document, on_error)
                if records is not None:
                    yield records


def _parse(nlp: Language, ready: list, pack, on_error) -> list:
    """The model's parse of a batch; when it fails, each document again alone, so only the one at fault is lost."""
    try:
        parse_selected(nlp, [doc for doc, _ in ready], pack)
        return ready
    except Exception:
        if on_error is None:
            raise
    return [(doc, document) for doc, document in ready
            if _guarded("parser", lambda doc=doc: parse_selected(nlp, [doc], pack) or True, document, on_error)]


def _guarded(name: str, step: Callable, document: Document, on_error):
    """The result of one step on one document; a failure is reported (or raised without on_error) as None."""
    try:
        return step()
    except Exception as error:  # one document failing must never stop the others
        if on_error is None:
            raise
        on_error(document, RuntimeError(f"{name}: {type(error).__name__}: {error}"))
        return None


def _apply(components, doc, document: Document, on_error) -> bool:
    """Run rule components on a doc; a failure is reported (or raised without on_error) and the doc skipped."""
    return all(_guarded(name, lambda c=component: c(doc) or True, document, on_error) for name, component in components)


def _handler(on_error: Callable[[Document, Exception], None]):
    def handle(name, proc, docs, error):
        for doc in docs:
            on_error(doc._context, RuntimeError(f"{name}: {type(error).__name__}: {error}"))
    return handle


def _make_doc(nlp: Language, document: Document):
    doc = make_doc(nlp, document.text)
    doc.user_data["filiere_text"] = (len(doc), document.text)  # see tokens.doc_text
    period = period_or_none(document.date)
    if period is not None:
        doc._.filiere_ref_year = period.year
        doc._.filiere_ref_month = period.start.month if period.precision != "year" else None
        doc._.filiere_ref_reliable = document.date_source in ("metadata", "argument")
    return doc


def _records(doc, document: Document) -> Extraction:
    headings = _heading_starts(document.text)
    facts = [replace(f, doc=document.doc) for f in doc._.filiere_facts]
    milestones = [replace(m, doc=document.doc) for m in doc._.filiere_milestones]
    facts = dedupe(facts, headings)
    text = doc_text(doc)  # Span.text joins the sentence's tokens at every call
    sentences = tuple((s.start_char, s.end_char) for s in sentences_of(doc) if text[s.start_char:s.end_char].strip())
    return Extraction(document, tuple(facts), tuple(_dedupe_milestones(milestones)), sentences,
                      _actor_mentions(doc, facts, milestones))


def _actor_mentions(doc, facts, milestones) -> tuple[ActorMention, ...]:
    """Actors the document names, with how often each is the subject of a record or the source of a claim."""
    kinds, counts = {}, Counter()
    for span in doc.spans.get("filiere_actors", []):
        mention = span._.filiere_actor
        if mention is not None and mention.via in ("alias", "unit", "ner"):
            kinds.setdefault(mention.name, mention.kind)
            counts[mention.name] += 1
    known = {i for span in doc.spans.get("filiere_actors", []) for i in range(span.start, span.end)}
    for ent in doc.ents:  # people and places the pack does not know: who met whom, where (story clusters)
        kind = ENTITY_KINDS.get(ent.label_)
        if kind and len(ent) >= (2 if kind == "person" else 1) and not known.intersection(range(ent.start, ent.end)):
            kinds.setdefault(ent.text, kind)
            counts[ent.text] += 1
    subjects = Counter(r.subject for r in [*facts, *milestones])
    sources = Counter(r.claimed_by for r in [*facts, *milestones] if r.claimed_by)
    return tuple(ActorMention(name, kinds[name], counts[name], subjects[name], sources[name]) for name in sorted(kinds))


def _heading_starts(text: str) -> set[int]:
    """Character spans of lines that are headings: short, with no sentence-final punctuation."""
    starts, offset = set(), 0
    for line in text.split("\n"):
        if line.strip() and not HEADING_END.search(line) and len(line.split()) <= 15:
            starts.update(range(offset, offset + len(line)))
        offset += len(line) + 1
    return starts


def _dedupe_milestones(milestones):
    seen, out = set(), []
    for m in milestones:
        key = (m.what.lower(), m.year)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


__all__ = ["extract_documents", "build_nlp"]
