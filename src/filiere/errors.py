"""The error catalogue: every message reads ``<where>: <reason>`` and, when there is one, the fix."""


class FiliereError(Exception):
    """Base class of every error filiere raises on purpose."""

    def __init__(self, where: str, reason: str, hint: str | None = None):
        self.where = str(where)
        self.reason = reason
        self.hint = hint
        message = f"{self.where}: {reason}"
        if hint:
            message += f" ({hint})"
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
