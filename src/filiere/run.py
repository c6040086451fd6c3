"""Runs that span stages: read -> clean -> extract -> store, with a summary of what happened.

``ingest_paths`` is the orchestrator:
1. list the files (so the progress bar knows its total);
2. read and clean each document; one whose cleaned text is already stored is skipped before any parsing;
3. extract the others in batches, in this process or in worker processes / on a Dask cluster (``parallel.py``),
   the results coming back in reading order;
4. store each document in its own savepoint, committed in batches (``Store.batch``: at most a few hundred
   documents or a second), so an interrupted run keeps only complete documents, and link it to the stored copies
   (MinHash LSH bands) and articles about the same event.
A document that fails at any step (a record the schema refuses, a component's fault, a value the store cannot
hold) is counted in ``failed`` with its file and the reason, and the run goes on with the others.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .errors import InputError, printable
from .ingest import iter_paths, prepare, read_path
from .ingest.dedup import DedupSettings, signature
from .records import Document, RawDocument
from .settings import Settings
from .store import Store


@dataclass(slots=True)
class IngestSummary:
    """What an ingest run did: documents read, stored, replaced, skipped as known, and failures."""

    read: int = 0
    stored: int = 0
    replaced: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    extraction_failed: int = 0  # documents read that a component or the store failed on (also in ``failed``)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # stored under another id: its own was taken

    def lines(self) -> list[str]:
        """The summary, one line each; a file name or a record's id can never break a line (``printable``)."""
        out = [f"documents read: {self.read}, stored: {self.stored}, replaced: {self.replaced}, "
               f"skipped as already known: {self.skipped}, failed: {len(self.failed)}"]
        out += [f"  failed: {where}: {reason}" for where, reason in self.failed]
        out += [f"  renamed: {where}: {reason}" for where, reason in self.renamed]
        return [printable(line) for line in out]


def ingest_paths(paths: list[str], store: Store, settings: Settings, progress: bool = False) -> IngestSummary:
    """Read, extract and store every article under the paths.

    Args:
        paths: files or folders.
        store: an open store.
        settings: pack, date, batch size.
        progress: show a progress bar on stderr.
    Returns:
        The run's summary; unreadable files are in ``failed``, never raised.
    """
    from tqdm import tqdm

    summary = IngestSummary()
    files = list(_files(paths, summary))
    with tqdm(total=len(files), unit="file", file=sys.stderr, disable=not progress, leave=False) as bar:
        ingest_items(_read_files(files, summary, bar), store, settings, summary)
    return summary


def ingest_items(items: Iterable[RawDocument | InputError], store: Store, settings: Settings,
                 summary: IngestSummary | None = None) -> IngestSummary:
    """Clean, extract and store documents read by any reader (files, fetched pages).

    Args:
        items: raw documents, or the errors a reader met (counted in ``failed``).
        store: an open store.
        settings: pack, date, batch size, dedup thresholds.
        summary: a summary to add to (a new one if None).
    Returns:
        The summary; failures are in ``failed``, never raised.
    """
    from .domains.packs import load_pack
    from .parallel import extractions

    summary = summary if summary is not None else IngestSummary()
    dedup = DedupSettings(copy_jaccard=settings.copy_jaccard, copy_containment=settings.copy_containment,
                          story_score=settings.story_score)
    from .domains.choose import AUTO
    from .domains.packs import available_packs

    for name in available_packs() if settings.pack == AUTO else [settings.pack]:
        store.add_actor_aliases(load_pack(name).actors)
    fresh = _fresh_documents(items, store, settings, summary)

    def failed(document, error) -> None:
        summary.extraction_failed += 1
        summary.failed.append((document.source, f"document '{document.doc}': extraction failed ({error})"))
    with store.batch():  # committed every few hundred documents or a second, each document rolled back alone
        for extraction in extractions(fresh, settings, failed):
            _store(extraction, store, dedup, summary)
    return summary


def _store(extraction, store: Store, dedup: DedupSettings, summary: IngestSummary) -> None:
    """Store one document; a value the store cannot hold costs this document only."""
    document = extraction.document
    try:
        outcome, doc = store.add(extraction, signature(document.text, dedup), dedup)
    except InputError as error:
        summary.extraction_failed += 1
        summary.failed.append((error.where, error.reason))
        return
    summary.stored += outcome == "stored"
    summary.replaced += outcome == "replaced"
    summary.skipped += outcome == "known"
    if outcome != "known" and doc != document.doc:
        summary.renamed.append((document.source, f"id '{document.doc}' is taken by another article: "
                                                 f"stored as '{doc}'"))


def _files(paths: list[str], summary: IngestSummary) -> Iterator:
    for path in paths:
        try:
            yield from iter_paths([path])
        except InputError as error:
            summary.failed.append((error.where, error.reason))


def _read_files(files, summary: IngestSummary, bar) -> Iterator[RawDocument | InputError]:
    for path in files:
        try:
            yield from read_path(path)
        except InputError as error:
            summary.failed.append((error.where, error.reason))
        bar.update(1)


def _fresh_documents(items, store: Store, settings: Settings, summary: IngestSummary) -> Iterator[Document]:
    """Cleaned documents not yet in the store; failures and known texts are counted, not raised."""
    for item in items:
        if isinstance(item, InputError):
            summary.failed.append((item.where, item.reason))
            continue
        try:
            document = prepare(item, settings.date)
        except InputError as error:
            summary.failed.append((error.where, error.reason))
            continue
        summary.read += 1
        if store.known(document.text):
            summary.skipped += 1
        else:
            yield document
