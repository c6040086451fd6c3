"""Time expressions of French news: dates, months, quarters, years, relative years, and their role.

The role tells how a figure relates to the date: ``deadline`` (d'ici 2025, à l'horizon 2030, avant fin
2025), ``end`` (à la fin de 2025), ``start`` (dès 2025), ``since`` (depuis 2021), ``point`` (en 2024),
``now`` (aujourd'hui). dateparser fills missing parts from today and ignores these cues, so the cues are
read here from the pack.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..domains.order import alternation
from ..domains.packs import DomainPack
from ..records import TimeExpr

YEAR = r"(?P<year>(?:19|20)\d\d)(?![\d\w])"
NEVER = "\x00never\x00"
ARTICLE = r"(?:\s*(?:le|la|les|l['’]|du|de|de\s+l['’]année|l['’]année|année|courant|au|d['’])\s*)*"


@dataclass(frozen=True, slots=True)
class _Patterns:
    cores: tuple[tuple[str, re.Pattern], ...]
    roles: tuple[tuple[str, re.Pattern], ...]


def find_times(text: str, pack: DomainPack, ref_year: int | None = None, ref_month: int | None = None
               ) -> list[TimeExpr]:
    """Every time expression of a text, most precise first where they overlap, in text order.

    Args:
        text: a sentence or a document.
        pack: gives months, quarter words, relative phrases and role cues.
        ref_year: the document's year, for "l'an dernier" and "aujourd'hui"; None when unknown.
        ref_month: the document's month, for a month named without its year ("à fin novembre", "en mars
            prochain"); None when unknown (such months then give no date).
    Returns:
        TimeExpr records with year, quarter, month, day, role and the span (cue included).
    """
    pats = _patterns(pack)
    found: list[TimeExpr] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in pats.cores:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            expr = _make(kind, m, text, pack, pats, ref_year, ref_month)
            if expr is not None:
                found.append(expr)
                taken.append(m.span())
    found.sort(key=lambda t: t.start)
    return _relative_to_previous(text, found, pack, taken)


def _relative_to_previous(text: str, found: list[TimeExpr], pack: DomainPack, taken) -> list[TimeExpr]:
    """'un an auparavant' counts from the date before it; it dates the figure compared, not the others (base)."""
    table = pack.phrasing.time.get("relative_to_previous", {})
    if not table:
        return found
    pattern = re.compile(rf"(?<!\w)(?:{alternation(table)})(?!\w)", re.I)
    dated = [t for t in found if t.year is not None]  # stated dates only: 'un an auparavant' never counts from another
    out = list(found)
    for m in pattern.finditer(text):
        before = [t for t in dated if t.end <= m.start()]
        if before and not any(m.start() < e and s < m.end() for s, e in taken):
            year = before[-1].year + table[m.group(0).lower()]
            out.append(TimeExpr(year=year, role="base", start=m.start(), end=m.end(), text=m.group(0)))
    return sorted(out, key=lambda t: t.start)


def _make(kind: str, m: re.Match, text: str, pack: DomainPack, pats: _Patterns, ref_year: int | None,
          ref_month: int | None = None):
    time = pack.phrasing.time
    groups = m.groupdict()
    if kind == "month_alone":
        return _month_alone(m, text, time, pats, ref_year, ref_month)
    if kind in ("relative", "now"):
        if ref_year is None:
            return None
        offset = time["relative"].get(m.group(0).lower(), 0) if kind == "relative" else 0
        return TimeExpr(year=ref_year + offset, role="now" if kind == "now" else "point",
                        start=m.start(), end=m.end(), text=m.group(0))
    year = int(groups["year"])
    month = time["months"].get((groups.get("month") or "").lower())
    quarter = _quarter(groups, time)
    day = int(groups["day"]) if groups.get("day") else None
    if kind == "numeric":
        month = int(groups["nmonth"])
        if not 1 <= month <= 12 or not 1 <= (day or 1) <= 31:
            return None
    role, cue_start = _role(text, m.start(), pats)
    return TimeExpr(year=year, role=role, quarter=quarter or (((month - 1) // 3 + 1) if month else None),
                    month=month, day=day, start=cue_start, end=m.end(), text=text[cue_start:m.end()])


def _month_alone(m: re.Match, text: str, time: dict, pats: _Patterns, ref_year: int | None,
                 ref_month: int | None) -> TimeExpr | None:
    """A month without its year, dated from the document's date: 'à fin novembre' (the last November on or before
    it), 'en mars dernier' (the last March before it), 'juillet prochain' or 'prévu pour septembre' (the next)."""
    if ref_year is None or ref_month is None:
        return None
    month = time["months"][m.group("month").lower()]
    role, cue_start = _role(text, m.start(), pats)
    when = (m.group("when") or "").lower()
    ahead = when in time.get("month_next", []) or (not when and role in ("deadline", "start"))
    if ahead:
        year = ref_year if month > ref_month else ref_year + 1
    elif when in time.get("month_last", []):
        year = ref_year if month < ref_month else ref_year - 1
    else:
        year = ref_year if month <= ref_month else ref_year - 1
    return TimeExpr(year=year, role=role, quarter=(month - 1) // 3 + 1, month=month, start=cue_start, end=m.end(),
                    text=text[cue_start:m.end()])


def _quarter(groups: dict, time: dict) -> int | None:
    if groups.get("qword"):
        return time["quarters"].get(groups["qword"].lower())
    if groups.get("qnum"):
        return int(groups["qnum"])
    if groups.get("hword"):
        return time["halves"].get(groups["hword"].lower())
    return None


def _role(text: str, start: int, pats: _Patterns) -> tuple[str, int]:
    """The cue before a date that gives its role; the longest cue wins. Returns (role, cue start)."""
    window = text[max(0, start - 40):start]
    best = ("point", start, (0, 0))
    for role, pattern in pats.roles:
        m = pattern.search(window)
        if m and (len(m.group(0)), len(m.group("cue"))) > best[2]:  # 'pour l'année' (a period) over 'pour' + article
            best = (role, start - len(m.group(0)), (len(m.group(0)), len(m.group("cue"))))
    return best[0], best[1]


@lru_cache(maxsize=8)
def _patterns(pack: DomainPack) -> _Patterns:
    time = pack.phrasing.time
    months, quarters, halves = alternation(time["months"]), alternation(time["quarters"]), alternation(time["halves"])
    days = r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
    alone = alternation(time.get("months_alone", [])) or NEVER
    when = alternation(time.get("month_last", []) + time.get("month_next", [])) or NEVER
    cores = (
        ("period", rf"(?<!\w)(?:entre|de|from|between)\s+(?:19|20)\d\d\s+(?:et|à|and|to)\s+{YEAR}"),
        ("span", rf"(?<![\d\w])(?:19|20)\d\d\s*[-–/]\s*{YEAR}"),
        ("full", rf"(?<!\w){days}(?P<day>[0-3]?\d)(?:er|e)?\s+(?P<month>{months})\s+{YEAR}"),
        ("numeric", rf"(?<![\d/])(?P<day>[0-3]?\d)/(?P<nmonth>[01]?\d)/{YEAR}"),
        ("month", rf"(?<!\w)(?P<month>{months})\s+(?:de\s+l['’]année\s+)?{YEAR}"),
        ("quarter", rf"(?<!\w)(?:(?P<qword>{quarters})\s+(?:trimestre|quarter)|[TQ](?P<qnum>[1-4]))"
                    rf"(?:\s+(?:de\s+l['’]année|de|du|of))?\s*[-/]?\s*{YEAR}"),
        ("half", rf"(?<!\w)(?P<hword>{halves})\s+(?:semestre|half)(?:\s+(?:de|du|of))?\s+{YEAR}"),
        ("year", rf"(?<![\d\w,.]){YEAR}"),
        ("month_alone", rf"(?<![\w/.-])(?P<month>{alone})(?:\s+(?P<when>{when}))?(?![\w])"),
        ("relative", rf"(?<!\w)(?:{alternation(time['relative'])})(?!\w)"),
        ("now", rf"(?<!\w)(?:{alternation(time['now']['words'])})(?!\w)"),
    )
    roles = tuple((role, re.compile(rf"(?<!\w)(?P<cue>{alternation(cues)}){ARTICLE}\s*$", re.I))
                  for role, cues in time["roles"].items())
    return _Patterns(tuple((k, re.compile(p, re.I)) for k, p in cores), roles)
