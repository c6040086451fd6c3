"""Status rules of shared/spec/TRACKER.md: when is a promise achieved, late, missed, unverified, pending."""
from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

QUARTER_END_MONTH = {1: 3, 2: 6, 3: 9, 4: 12}
ACHIEVED = ("achieved", "achieved_late")
BELOW = ("less_than",)  # a target "moins de X" is met from below; every other target from above


def deadline_end(deadline: dict[str, Any] | None) -> dt.date | None:
    """Last day of a deadline: of its month, else its quarter, else its year."""
    if not deadline or deadline.get("year") is None:
        return None
    year = deadline["year"]
    month = deadline.get("month") or QUARTER_END_MONTH.get(deadline.get("quarter"), 12)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def meets(actual: dict[str, Any], target: dict[str, Any]) -> bool:
    """An actual figure meets a target: >= ('moins de' targets: <=); 'more than X' counts as X, and a bound from
    the wrong side ('jusqu'à 69 %' for a 65 % target, 'plus de 20' for 'moins de 30') shows nothing."""
    approx = actual.get("approx", "exact")
    if target.get("approx") in BELOW:
        return approx != "more_than" and actual["value"] <= target["value"]
    return approx not in ("less_than", "up_to") and actual["value"] >= target["value"]


def short_of(actual: dict[str, Any], target: dict[str, Any]) -> bool:
    """The figure's value has not reached the target's (whatever its bound says): it can stand for progress
    towards it. 'jusqu'à 69 %' neither meets a 65 % target nor falls short of it."""
    if target.get("approx") in BELOW:
        return actual["value"] > target["value"]
    return actual["value"] < target["value"]


def figure_year(fact: dict[str, Any]) -> int | None:
    """The year an actual figure refers to, as its record gives it: a figure of no year decides nothing dated."""
    year = fact.get("year")
    return year if isinstance(year, int) else None


def decide_status(target: dict[str, Any], deadline: dict[str, Any] | None, actuals: list[dict[str, Any]],
                  as_of: dt.date, partial: list[dict[str, Any]] = ()) -> tuple[str, list[dict[str, Any]]]:
    """(status, deciding actual facts) of a target figure.

    Args:
        target: {"value", "unit", "approx"}.
        deadline: {"year", "quarter", "month"} or None.
        actuals: outcome figures of the promise's series (not its context, none after as_of).
        as_of: the day the tracker is read at.
        partial: outcome figures for part of a year (premier semestre, huit premiers mois): they can show a yearly
            target achieved, never missed.
    """
    every = [*actuals, *partial]
    if deadline is None or deadline.get("year") is None:
        hits = [a for a in every if meets(a, target)]
        return ("achieved", hits) if hits else ("undated", [])
    year = deadline["year"]
    dated = [a for a in every if figure_year(a) is not None]
    on_time = [a for a in dated if figure_year(a) <= year and meets(a, target)]
    if on_time:
        return "achieved", on_time
    late = [a for a in dated if figure_year(a) > year and meets(a, target)]
    if late:
        return "achieved_late", late
    if as_of <= deadline_end(deadline):
        return "pending", []
    after = [a for a in actuals if figure_year(a) is not None and figure_year(a) >= year]
    return ("missed", after) if after else ("unverified", [])


def pick_latest(status: str, target: dict[str, Any], deadline: dict[str, Any] | None,
                candidates: list[dict[str, Any]], partial: list[dict[str, Any]], order) -> dict[str, Any] | None:
    """The newest figure of the series that agrees with the status: for an achieved promise the newest figure that
    meets it; otherwise the newest whole-period figure that falls short (a figure already at the target that does
    not count, such as the promise's own article restating it, is not its progress). A figure of no year counts
    only for a promise of no deadline."""  # so progress < 1 unless achieved, and >= 1 when achieved
    dated_only = deadline is not None and deadline.get("year") is not None
    pool = [c for c in candidates if not dated_only or figure_year(c) is not None]
    if status in ACHIEVED:
        pool = [c for c in pool + [p for p in partial if figure_year(p) is not None] if meets(c, target)]
    else:
        pool = [c for c in pool if short_of(c, target)]
    return max(pool, key=lambda c: (figure_year(c) if figure_year(c) is not None else -10**6, order(c)), default=None)


def progress(latest: dict[str, Any] | None, target: dict[str, Any]) -> float | None:
    """How far the latest figure is along to the target: value / target (target / value for a 'moins de' target,
    so that 1 is reached when it is met either way)."""
    if latest is None or not target["value"] or not latest["value"]:
        return None
    ratio = target["value"] / latest["value"] if target.get("approx") in BELOW else latest["value"] / target["value"]
    return round(ratio, 3)


def decide_milestone_status(deadline: dict[str, Any] | None, done_reports: list[dict[str, Any]],
                            as_of: dt.date) -> str:
    """A milestone is achieved when a later document reports it done; otherwise the deadline rules apply."""
    if done_reports:
        return "achieved"
    end = deadline_end(deadline)
    if end is None:
        return "undated"
    return "pending" if as_of <= end else "unverified"
