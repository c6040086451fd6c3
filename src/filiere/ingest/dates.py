"""The publication date a text allows: it was written on or after every past date it reports."""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from ..domains.packs import load_phrasing


def infer_publication_date(text: str, language: str = "fr") -> str | None:
    """The earliest publication date the content allows: the latest calendar date it reports as past.

    "La rencontre du 13 octobre 2025" -> "2025-10-13"; "en septembre 2024" counts as 2024-09-01.
    Dates after a deadline cue ("d'ici", "avant", "prévu pour", "dès") are promises, not events, and
    years alone say too little: both are ignored.

    Returns:
        An ISO date, or None when the text reports no dated event.
    """
    pattern, months, cues = _patterns(language)
    found = []
    for m in pattern.finditer(text):
        if cues.search(text[max(0, m.start() - 30):m.start()]):
            continue
        day = int(m.group("day")) if m.group("day") else 1
        try:
            found.append(dt.date(int(m.group("year")), months[m.group("month").lower()], day))
        except ValueError:
            continue
    return max(found).isoformat() if found else None


@lru_cache(maxsize=4)
def _patterns(language: str):
    time = load_phrasing(language).time
    months = {k.lower(): v for k, v in time["months"].items()}
    alternation = "|".join(re.escape(k) for k in sorted(months, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:(?P<day>[0-3]?\d)(?:er|e)?\s+)?(?P<month>{alternation})\s+"
                         rf"(?P<year>(?:19|20)\d\d)(?!\d)", re.I)
    deadline = time["roles"]["deadline"] + time["roles"]["start"]
    cue_alt = "|".join(re.escape(c) for c in sorted(deadline, key=len, reverse=True))
    cues = re.compile(rf"(?<!\w)(?:{cue_alt})(?:\s+(?:le|la|l['’]|fin|début|de|du))*\s*$", re.I)
    return pattern, months, cues
