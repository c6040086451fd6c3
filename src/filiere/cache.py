"""filiere's local cache folder: what a start would otherwise recompute from the installed packages (compiled
tokenizer patterns, the language identifier's model uncompressed). Never downloaded; safe to delete."""
from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path | None:
    """``$FILIERE_CACHE``, else ``$XDG_CACHE_HOME/filiere``, else ``~/.cache/filiere``; None when it is off
    (``FILIERE_CACHE=off``)."""
    value = os.environ.get("FILIERE_CACHE")
    if value is not None:
        return None if value.strip().lower() in ("", "0", "off", "no", "false") else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "filiere"
