"""spaCy's tokenizer patterns, compiled once and kept in a local cache between runs.

spaCy's French tokenizer matches whole words against one pattern of 1.4 million characters (its tokenizer
exceptions, ``spacy.lang.fr.tokenizer_exceptions.TOKEN_MATCH``: every hyphenated or elided word form, each with
the full Unicode letter classes, case-insensitive). Python compiles it at every start: about 3 s of CPU, more than
half of a one-article ``filiere extract`` (spaCy issue #2679 and PR #3046 discuss it). The model's tokenizer
stores the same pattern string and compiles it again on load (Python's ``re`` cache makes that second one free).

Python compiles a pattern into a list of integers (``re._compiler._code``) and builds the pattern object from it
(``_sre.compile``); both depend on the Python version only. So the first run keeps, for each of the tokenizer's
patterns, the pattern string and that list in ``<cache>/regex-<python version>.pickle``, and a later run puts
the pattern objects made from them into ``re``'s own cache before spaCy asks for them: spaCy then gets the same
object ``re.compile`` would give (patterns compare equal only when their strings, flags and compiled code are
the same; the cache keeps only those that do). After a run, the long patterns the pack's word lists make (scopes,
months) are kept the same way. Nothing is downloaded: the cache is built from what is installed,
and a missing, stale or unreadable one only costs the compile.

The cache folder is ``$FILIERE_CACHE``, else ``$XDG_CACHE_HOME/filiere``, else ``~/.cache/filiere``;
``FILIERE_CACHE=off`` turns it off.
"""
from __future__ import annotations

import array
import hashlib
import re
import sys
from functools import lru_cache
from pathlib import Path

try:  # CPython's regular expression internals (3.11+); without them the cache is off
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover
    _sre = None

from .cache import cache_dir, read_pickle, write_pickle

TOKENIZER_PATTERNS = ("token_match", "url_match", "prefix_search", "suffix_search", "infix_finditer")


def _cache_file() -> Path | None:
    folder = cache_dir()
    if folder is None or _sre is None or not isinstance(getattr(re, "_cache", None), dict):
        return None
    version = hashlib.sha1(f"2|{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}".encode()).hexdigest()[:12]
    return folder / f"regex-{sys.implementation.cache_tag}-{version}.pickle"


def _read(path: Path) -> dict:
    entries = read_pickle(path)  # missing, partial or from another filiere: rebuilt on the next load
    return entries if isinstance(entries, dict) else {}


@lru_cache(maxsize=1)
def preload() -> frozenset:
    """Put the cached compiled patterns into ``re``'s cache (once per process); return their keys."""
    path = _cache_file()
    if path is None:
        return frozenset()
    done = set()
    for key, (flags, code, groups, groupindex, indexgroup) in _read(path).items():
        pattern, asked = key
        try:
            compiled = _sre.compile(pattern, flags, array.array("I", code).tolist(), groups, groupindex, indexgroup)
        except Exception:
            continue
        re._cache[str, pattern, asked] = compiled
        done.add(key)
    return frozenset(done)


def remember(tokenizer) -> None:
    """Keep the tokenizer's compiled patterns that the cache does not hold yet (after a load that compiled them)."""
    patterns = [getattr(getattr(tokenizer, name, None), "__self__", None) for name in TOKENIZER_PATTERNS]
    _keep([(p.pattern, 0) for p in patterns if isinstance(p, re.Pattern) and isinstance(p.pattern, str)])


def remember_compiled(min_chars: int = 0) -> None:
    """Keep the patterns this process compiled (the pack's word lists, and the patterns the libraries compile as they
    are imported: the next start imports them after ``preload``), after a run."""
    if isinstance(getattr(re, "_cache", None), dict):
        _keep([(key[1], key[2]) for key in list(re._cache)
               if len(key) == 3 and key[0] is str and isinstance(key[2], int) and len(key[1]) >= min_chars])


def _keep(keys: list[tuple[str, int]]) -> None:
    path = _cache_file()
    if path is None:
        return
    known = preload()
    missing = [key for key in keys if key not in known]
    if not missing:
        return
    entries = _read(path)
    missing = [key for key in missing if key not in entries]
    if not missing:
        return
    for pattern, flags in missing:
        entry = _entry(pattern, flags)
        if entry is not None:
            entries[pattern, flags] = entry
    write_pickle(path, entries)


def _entry(pattern: str, flags: int = 0):
    """What ``_sre.compile`` needs to rebuild ``re.compile(pattern, flags)``, checked against it; None if it differs."""
    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        entry = (flags | parsed.state.flags, array.array("I", code).tobytes(), parsed.state.groups - 1, groupindex,
                 tuple(indexgroup))
        rebuilt = _sre.compile(pattern, entry[0], code, entry[2], entry[3], entry[4])
    except Exception:
        return None
    return entry if rebuilt == re.compile(pattern, flags) else None
