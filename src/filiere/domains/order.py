"""One order for the words of an alternation, whatever the process."""
from __future__ import annotations

from typing import Iterable


def longest_first(words: Iterable[str]) -> list[str]:
    """The words longest first (a longer phrase wins where two start at the same place), then in alphabetical order.

    A set's order changes with each process's string hashing, so sorting a set by length alone gives another
    pattern string at every start: the same matches, but the compiled-pattern cache (``filiere.regex_cache``)
    never finds it again and keeps one more copy each run.
    """
    return sorted(words, key=lambda word: (-len(word), word))
