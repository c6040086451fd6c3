"""Language of a document, with py3langid's bundled model (offline, deterministic)."""
from __future__ import annotations

import py3langid


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language; "und" when it is too short to tell."""
    if len(text.split()) < 3:
        return "und"
    code, _ = py3langid.classify(text[:600])  # py3langid loops over bytes in Python: 600 characters tell a language
    return code
