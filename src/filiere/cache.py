"""filiere's local cache folder: what a start would otherwise recompute from the installed packages (compiled
tokenizer patterns, the lemmatizer's tables, the language identifier's model uncompressed). Never downloaded; safe
to delete."""
from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any, BinaryIO, Callable


def cache_dir() -> Path | None:
    """``$FILIERE_CACHE``, else ``$XDG_CACHE_HOME/filiere``, else ``~/.cache/filiere``; None when it is off
    (``FILIERE_CACHE=off``)."""
    value = os.environ.get("FILIERE_CACHE")
    if value is not None:
        return None if value.strip().lower() in ("", "0", "off", "no", "false") else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "filiere"


def write_atomic(path: Path, write: Callable[[BinaryIO], None], suffix: str = "") -> None:
    """Write a cache file through ``write(file)``, atomically: a concurrent run reads the old file or the new one.
    A folder that cannot be written (a read-only home) only means no cache: the error is dropped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=path.name, suffix=suffix, delete=False) as f:
            write(f)
        os.replace(f.name, path)
    except (OSError, ValueError):
        pass


def write_pickle(path: Path, value: Any) -> None:
    write_atomic(path, lambda f: pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL))


def read_pickle(path: Path) -> Any:
    """The pickled value of a cache file; None when it is missing, partial or unreadable (it is then rebuilt)."""
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except Exception:
        return None
