"""Language of a document, with py3langid's bundled model (offline, deterministic)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import py3langid
from py3langid import langid
from py3langid.modelio import _to_array

from ..cache import cache_dir, write_atomic


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language; "und" when it is too short to tell."""
    if len(text.split()) < 3:
        return "und"
    if langid.IDENTIFIER is None:
        langid.IDENTIFIER = _identifier()
    code, _ = py3langid.classify(text[:600])  # py3langid loops over bytes in Python: 600 characters tell a language
    return code


def _identifier():
    """py3langid's model, read from the local cache uncompressed (its bundled file is LZMA: 0.4 s of every start
    to decompress); the first time, the bundled file as py3langid reads it, then kept. Same arrays either way."""
    bundled = langid.MODEL_DIR / langid.MODEL_FILE
    folder = cache_dir()
    if folder is None or not bundled.is_file():
        return langid._load_identifier()
    stat = bundled.stat()
    cached = folder / f"langid-{stat.st_size}-{int(stat.st_mtime)}.npz"
    try:
        with np.load(cached, allow_pickle=False) as data:
            # as py3langid's from_model_file builds it from the bundled file's arrays
            return langid.LanguageIdentifier(
                np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(), _to_array(data["nextmove"]),
                data["out_feat"].tolist(), tk_row=_to_array(data["nextmove_row"]))
    except Exception:
        pass
    identifier = langid._load_identifier()
    write_atomic(cached, lambda f: np.savez(
        f, ptc=identifier.nb_ptc, pc=identifier.nb_pc, classes=np.array(identifier.nb_classes),
        nextmove=np.asarray(identifier.tk_nextmove), nextmove_row=np.asarray(identifier.tk_row),
        out_feat=np.array(identifier.tk_output)), suffix=".npz")
    return identifier
