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
    """py3langid's model from the local cache: its two large arrays (28 and 39 MB) as uncompressed ``.npy`` files
    mapped into memory, so a start reads only the pages a text's features reach, the rest in a small ``.npz``; the
    first time, the bundled file as py3langid reads it (LZMA: 0.4 s to decompress), then kept. Same values either
    way (``tests/test_startup.py``)."""
    bundled = langid.MODEL_DIR / langid.MODEL_FILE
    folder = cache_dir()
    if folder is None or not bundled.is_file():
        return langid._load_identifier()
    stat = bundled.stat()
    stem = folder / f"langid-{stat.st_size}-{int(stat.st_mtime)}"
    small, ptc_file, nextmove_file = Path(f"{stem}.npz"), Path(f"{stem}-ptc.npy"), Path(f"{stem}-nextmove.npy")
    try:
        with np.load(small, allow_pickle=False) as data:
            ptc = np.load(ptc_file, mmap_mode="r", allow_pickle=False)
            nextmove = np.load(nextmove_file, mmap_mode="r", allow_pickle=False)
            classes, rows, out_feat = data["classes"].tolist(), data["nextmove_row"], data["out_feat"]
            pc = np.asarray(data["pc"])
        # a file of another model, or cut short, is rebuilt: the shapes must fit the small arrays
        if ptc.ndim != 2 or ptc.shape[1] != len(classes) or pc.shape != (len(classes),) or \
                ptc.shape[0] <= int(out_feat.max()) or nextmove.ndim != 1 or \
                nextmove.shape[0] < (int(rows.max()) + 1) * 256:
            raise ValueError(f"{stem}: the cached arrays do not fit together")
        # as py3langid's from_model_file builds it from the bundled file's arrays; the state table is read one
        # entry at a time, which a memoryview of the mapped file does as fast as the stdlib array it builds
        return langid.LanguageIdentifier(ptc, pc, classes, memoryview(nextmove), out_feat.tolist(),
                                         tk_row=_to_array(rows))
    except Exception:
        pass
    identifier = langid._load_identifier()
    write_atomic(ptc_file, lambda f: np.save(f, identifier.nb_ptc, allow_pickle=False), suffix=".npy")
    write_atomic(nextmove_file, lambda f: np.save(f, np.asarray(identifier.tk_nextmove), allow_pickle=False),
                 suffix=".npy")
    write_atomic(small, lambda f: np.savez(
        f, pc=identifier.nb_pc, classes=np.array(identifier.nb_classes), nextmove_row=np.asarray(identifier.tk_row),
        out_feat=np.array(identifier.tk_output)), suffix=".npz")
    return identifier
