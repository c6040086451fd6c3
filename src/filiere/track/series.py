"""Series and time: which figures can decide which promise (shared/spec/TRACKER.md, "Series and scope").

``prepare`` turns the input records into the tracker's working records:
1. each record's document date as a period (``2025``, ``2025-01``, ``2025-01-14``; an unreadable one is no date);
2. for a document without a date, the year its content cannot be earlier than (the latest year of its actual
   figures): it orders announcements and keeps a replay from reading an article it could not have read yet;
3. each record's scope: the one it carries, else derived from its qualifier, then its own clause of the evidence
   sentence, then (an actual figure's period only) the whole sentence;
4. its series key: subject, metric, unit and scope.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..domains.scope import AMBIGUOUS, SCOPE_KEYS, derive_scope, figure_clause, keywords, read_scope, scope_dict
from ..periods import Period, period_or_none


@dataclass(frozen=True, slots=True)
class DocTime:
    """When a document was published: its date (a period) if known, else the year its content starts from."""

    date: Period | None
    floor: int | None = None

    @property
    def known(self) -> bool:
        return self.date is not None or self.floor is not None

    @property
    def earliest(self) -> dt.date | None:
        """The earliest day it can have been published."""
        if self.date is not None:
            return self.date.start
        return dt.date(self.floor, 1, 1) if self.floor is not None else None

    def published_by(self, as_of: dt.date) -> bool:
        """It may have been published on or before as_of (an undated one, unless its content is later)."""
        earliest = self.earliest
        return earliest is None or earliest <= as_of

    def surely_before(self, other: "DocTime") -> bool:
        """Published before the other one for certain: this one's date ends before the other can start."""
        other_start = other.earliest
        return self.date is not None and other_start is not None and self.date.end < other_start


def prepare(facts: list[dict[str, Any]], milestones: list[dict[str, Any]], pack
            ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, DocTime]]:
    """Working copies of the records (with ``_scope``, ``_series``, ``_line``) and each document's DocTime."""
    dates: dict[str, Period | None] = {}
    floors: dict[str, int] = {}
    for r in [*facts, *milestones]:
        if r["doc"] not in dates or dates[r["doc"]] is None:
            dates[r["doc"]] = period_or_none(r.get("date"))
    for f in facts:
        if f.get("kind") == "actual" and isinstance(f.get("year"), int):
            floors[f["doc"]] = max(floors.get(f["doc"], f["year"]), f["year"])
    times = {doc: DocTime(date, None if date else floors.get(doc)) for doc, date in dates.items()}
    out_facts = [_fact(f, n, pack) for n, f in enumerate(facts)]
    out_milestones = [_milestone(m, n, pack) for n, m in enumerate(milestones)]
    return out_facts, out_milestones, times


def _fact(f: dict[str, Any], n: int, pack) -> dict[str, Any]:
    r = dict(f)
    r["_line"] = n
    r["_scope"] = record_scope(r, pack)
    r["_series"] = (r["subject"], r["metric"], r["unit"], *scope_key(r["_scope"]))
    return r


def _milestone(m: dict[str, Any], n: int, pack) -> dict[str, Any]:
    r = dict(m)
    r["_line"] = n
    if not r.get("keywords"):
        r["keywords"] = list(keywords(r.get("what") or "", pack))
    r["_scope"] = scope_dict(r.get("scope")) or derive_scope(r.get("what") or "", pack, "target")
    return r


def announce_order(times: dict[str, DocTime]):
    """A sort key: oldest first by date (or the year its content starts from); documents of no time last, then by
    document and position (offset, else line of the input)."""
    def key(record: dict[str, Any]) -> tuple:
        earliest = times[record["doc"]].earliest
        start = (record.get("evidence") or {}).get("start")
        return (earliest is None, earliest or dt.date.min, record["doc"], start if isinstance(start, int) else -1,
                record.get("_line", 0))
    return key


def record_scope(record: dict[str, Any], pack) -> dict[str, str] | None:
    """A record's scope: the one it carries, else read from its qualifier, its clause, and (for an actual figure's
    period) its sentence; a key the qualifier names wins over the evidence."""
    given = scope_dict(record.get("scope"))
    if given:
        return given
    kind, metric = record.get("kind"), record.get("metric")
    sentence = (record.get("evidence") or {}).get("text") or ""
    clause = figure_clause(sentence, record["value"], pack) if isinstance(record.get("value"), (int, float)) else None
    layers = [read_scope(record.get("qualifier") or "", pack, kind, metric),
              read_scope(clause or sentence, pack, kind, metric)]
    if clause is not None and kind == "actual":
        # "Sur les huit premiers mois, ..., les exportations ont atteint": a part of the year dates the whole
        # sentence; a span of years ("une croissance de 148 % en moins de dix ans") only its own clause
        period = read_scope(sentence, pack, kind, metric).get("period")
        layers.append({"period": period} if pack.scope.is_partial(period) else {})
    out: dict[str, str] = {}
    for key in SCOPE_KEYS:
        value = next((layer[key] for layer in layers if key in layer), None)
        if value is not None and value != AMBIGUOUS:
            out[key] = value
    return out or None


def scope_key(scope: dict[str, str] | None) -> tuple[str | None, str | None, str | None]:
    scope = scope or {}
    return tuple(scope.get(k) for k in SCOPE_KEYS)


def same_place(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Same subject, metric, unit, site and segment (the period is compared apart)."""
    return a["_series"][:5] == b["_series"][:5]


def starts_in(text: str, year: int, pack) -> bool:
    """The text dates the promise by a start cue before its year ("dès 2025", "à partir du second semestre
    2026"): it is due from then, not by then."""
    regex = _start_regex(pack)
    if regex is None or not text:
        return False
    return any(int(m.group("year")) == year for m in regex.finditer(text.lower().replace("’", "'")))


@lru_cache(maxsize=8)
def _start_regex(pack) -> re.Pattern | None:
    """A start cue, up to three words that are no deadline or end cue, then a year."""
    roles = pack.phrasing.time.get("roles", {})
    starts = sorted((c.lower() for c in roles.get("start", [])), key=len, reverse=True)
    if not starts:
        return None
    stops = sorted((c.lower() for r in ("deadline", "end") for c in roles.get(r, [])), key=len, reverse=True)
    cue = "|".join(re.escape(c) for c in starts)
    word = rf"(?!(?:{'|'.join(re.escape(s) for s in stops)})(?!\w))\S+" if stops else r"\S+"
    return re.compile(rf"(?<!\w)(?:{cue})(?!\w)(?:\s+{word}){{0,3}}?\s+(?P<year>\d{{4}})(?!\d)")
