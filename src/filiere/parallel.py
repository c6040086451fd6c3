"""Extraction in several processes (``--workers N``) or on a Dask cluster (``--dask ADDRESS|local``).

Reading, cleaning and storing stay in the calling process (one writer to the store); only extraction, the
costly stage, is spread. Documents go out in chunks, at most a few chunks per worker in flight, and the
extractions come back in the order the documents were read, so a run gives the very records (and the same
store) as a single process, and memory stays bounded whatever the corpus size.
"""
from __future__ import annotations

import contextlib
import dataclasses
import sys
import math
from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from spacy.util import minibatch

from .errors import InputError, printable
from .records import Document, Extraction
from .settings import Settings

IN_FLIGHT = 3  # chunks per worker waiting or running: enough to keep workers busy, bounded memory


@dataclass(frozen=True, slots=True)
class Failure:
    """A document a component failed on, reported by a worker."""

    source: str
    reason: str
    doc: str = ""


def extract_chunk(documents: list[Document], pack: str, model: str, batch_size: int) -> list[Extraction | Failure]:
    """Extract one chunk of documents in this process (the task a worker runs); the pipeline is loaded once per
    process."""
    out: list[Extraction | Failure] = []
    failed = lambda document, error: out.append(Failure(document.source, str(error), document.doc))
    out.extend(extract_with_packs(documents, pack, model, batch_size, failed))
    return out


def extract_with_packs(documents: Iterable[Document], pack: str, model: str, batch_size: int,
                       on_error) -> Iterator[Extraction]:
    """Extractions in order, each document read with ``pack``, or with the pack its vocabulary calls for when
    ``pack`` is 'auto' (filiere.domains.choose): documents go by batches, each batch split by pack."""
    from .domains.choose import AUTO, choose_pack
    from .nlp import build_nlp, extract_documents

    if pack != AUTO:
        for extraction in extract_documents(documents, build_nlp(pack, model), batch_size, on_error):
            yield dataclasses.replace(extraction, document=dataclasses.replace(extraction.document, pack=pack))
        return
    for batch in minibatch(documents, batch_size * 4):
        chosen = [dataclasses.replace(d, pack=choose_pack(d.text)[0]) for d in batch]
        for d in chosen:  # says which: one line per document, on stderr (stdout carries the records)
            print(f"filiere: {printable(d.source)}: document '{printable(d.doc)}': read with the "
                  f"{d.pack} pack", file=sys.stderr)
        done: dict[str, Extraction] = {}
        for name in dict.fromkeys(d.pack for d in chosen):
            group = [d for d in chosen if d.pack == name]
            for extraction in extract_documents(group, build_nlp(name, model), batch_size, on_error):
                done[extraction.document.doc] = extraction
        yield from (done[d.doc] for d in chosen if d.doc in done)


def extractions(documents: Iterable[Document], settings: Settings,
                on_error: Callable[[Document | Failure, Exception | str], None]) -> Iterator[Extraction]:
    """Extractions of the documents, in order, in this process or spread as ``settings`` says.

    Args:
        documents: cleaned documents.
        settings: pack, model, batch size, workers, dask.
        on_error: called with (document, error) for a document a component failed on.
    """
    for extraction in _spread(documents, settings, on_error):
        yield _finite(extraction)


def _finite(extraction: Extraction) -> Extraction:
    """The extraction without figures too large for a float: 2 000 numbers in a row read as one number give an
    infinite value, which is no figure, and which JSON cannot write (issue 13, row 7)."""
    facts = tuple(f for f in extraction.facts if math.isfinite(f.value)
                  and (f.value_high is None or math.isfinite(f.value_high)))
    return extraction if len(facts) == len(extraction.facts) else dataclasses.replace(extraction, facts=facts)


def _spread(documents: Iterable[Document], settings: Settings, on_error) -> Iterator[Extraction]:
    if settings.workers <= 1 and not settings.dask:
        yield from extract_with_packs(documents, settings.pack, settings.model, settings.batch_size, on_error)
        from .regex_cache import remember_compiled
        remember_compiled()  # the pack's long patterns, for the next run's start-up
        return
    with executor(settings) as (submit, workers):
        pending: deque = deque()
        for chunk in minibatch(documents, settings.batch_size * 2):
            pending.append(submit(extract_chunk, chunk, settings.pack, settings.model, settings.batch_size))
            if len(pending) >= IN_FLIGHT * workers:
                yield from _results(pending.popleft(), on_error)
        while pending:
            yield from _results(pending.popleft(), on_error)


def _results(future, on_error) -> Iterator[Extraction]:
    for item in future.result():
        if isinstance(item, Failure):
            on_error(item, item.reason)
        else:
            yield item


@contextlib.contextmanager
def executor(settings: Settings):
    """(submit, number of workers): a process pool for --workers, a Dask client for --dask."""
    if settings.dask:
        with _dask_client(settings) as client:
            workers = max(1, len(client.scheduler_info().get("workers", {})))
            yield (lambda fn, *args: client.submit(fn, *args, pure=False)), workers
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn: a fresh interpreter per worker, never a fork of a process holding threads and open SQLite handles
    with ProcessPoolExecutor(settings.workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool.submit, settings.workers


@contextlib.contextmanager
def _dask_client(settings: Settings):
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - distributed is a dependency
        raise InputError("--dask", "dask.distributed is not installed", "pip install 'dask[distributed]'") from None
    import logging

    logging.getLogger("distributed").setLevel(logging.WARNING)  # its INFO lines would drown our summary
    if settings.dask == "local":
        workers = max(2, settings.workers)
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            yield client
        return
    try:
        client = Client(settings.dask, timeout="10s")
    except (OSError, TimeoutError, ValueError) as error:
        raise InputError("--dask", f"cannot reach the Dask scheduler at {settings.dask} ({error})",
                         "give tcp://HOST:PORT of a running scheduler, or 'local'") from None
    with client:
        yield client
