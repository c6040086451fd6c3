"""One order for the words of an alternation, whatever the process."""
from __future__ import annotations

import re
from typing import Iterable


def longest_first(words: Iterable[str]) -> list[str]:
    """The words longest first (a longer phrase wins where two start at the same place), then in alphabetical order.

    A set's order changes with each process's string hashing, so sorting a set by length alone gives another
    pattern string at every start: the same matches, but the compiled-pattern cache (``filiere.regex_cache``)
    never finds it again and keeps one more copy each run.
    """
    return sorted(words, key=lambda word: (-len(word), word))


def alternation(words: Iterable[str], ignore_case: bool = True) -> str:
    """Words as a regex alternation: escaped, longest first (``longest_first``), grouped by first letter
    (``by_first_letter``); for a pattern compiled without re.I, ``ignore_case=False``."""
    return by_first_letter([re.escape(w) for w in longest_first(set(words))], ignore_case)


def by_first_letter(sources: Iterable[str], ignore_case: bool) -> str:
    """An alternation of regex sources, each starting with one literal character (as ``re.escape`` writes it),
    grouped by first letter: 'lancement|livraison|usine' as 'l(?:ancement|ivraison)|usine'.

    ``re`` tries every source of a flat alternation at every position of the text (under re.I, with no quick
    test of its first character): 200 phrases cost 0.3 ms a sentence. Grouped, a position tries the group of its
    letter only. It matches what the flat alternation matches, and the same source wins at a position: only
    sources whose first character can match there could match, and those keep their order (a letter under re.I
    is grouped by its lower case, which is how ``re`` compiles the literal; a source starting with anything else
    but a letter, a digit or an escaped sign, can match no letter). The sources must not use numbered groups.
    """
    groups: dict[str, list[str]] = {}
    others: list[str] = []
    for source in sources:
        first = source[:1]
        key = first.lower() if ignore_case else first
        if first.isalpha() and len(key) == 1:
            groups.setdefault(key, []).append(source[1:])
        else:
            others.append(source)
    return "|".join([f"{letter}(?:{'|'.join(rests)})" for letter, rests in groups.items()] + others)
