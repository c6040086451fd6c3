"""The error catalogue: every message reads ``<where>: <reason>`` and, when there is one, the fix.

A message is one line of valid text whatever it quotes: a file name with a line break or with bytes that are not
UTF-8, a record's own value (``printable``), so no input can split an error line or forge another (issue 13).
"""
from __future__ import annotations

_CONTROLS = {**{c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)]},
             ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t", 0x2028: "\\u2028", 0x2029: "\\u2029"}
# a file name's bytes that are not UTF-8 come from the file system as surrogate escapes U+DC80..U+DCFF
_SURROGATES = {**{c: f"\\u{c:04x}" for c in range(0xD800, 0xE000)},
               **{0xDC00 + b: f"\\x{b:02x}" for b in range(0x80, 0x100)}}
_PRINTABLE = {**_CONTROLS, **_SURROGATES}


def encodable(text: str) -> str:
    """The text with what UTF-8 cannot hold written out: a file name's undecodable byte as ``\\xe9``, a lone
    surrogate as ``\\ud83d``; any other text is returned as it is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.translate(_SURROGATES)
    return text


def printable(text: str) -> str:
    """``encodable`` text on one line: line breaks and other control characters written as escapes."""
    return text.translate(_PRINTABLE)


class FiliereError(Exception):
    """Base class of every error filiere raises on purpose."""

    def __init__(self, where: str, reason: str, hint: str | None = None):
        self.where = printable(str(where))
        self.reason = printable(reason)
        self.hint = printable(hint) if hint else hint
        message = f"{self.where}: {self.reason}"
        if hint:
            message += f" ({self.hint})"
        super().__init__(message)


class InputError(FiliereError):
    """A file or record that cannot be read as an article."""


class DomainPackError(FiliereError):
    """A domain pack file that is missing or malformed."""


class StoreError(FiliereError):
    """The store cannot be opened or written."""


class FetchError(InputError):
    """A URL that cannot be fetched: refused by robots.txt, an HTTP error, a timeout, a page over the size limit.

    ``permanent`` is False for what may pass (a timeout, HTTP 429 or 5xx): a later run tries the page again.
    """

    def __init__(self, where: str, reason: str, hint: str | None = None, permanent: bool = True):
        super().__init__(where, reason, hint)
        self.permanent = permanent
