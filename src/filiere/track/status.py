"""Status rules of shared/spec/TRACKER.md: when is a promise achieved, late, missed, unverified, pending."""
from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

QUARTER_END_MONTH = {1: 3, 2: 6, 3: 9, 4: 12}


def deadline_end(deadline: dict[str, Any] | None) -> dt.date | None:
    """Last day of a deadline: of its month, else its quarter, else its year."""
    if not deadline or deadline.get("year") is None:
        return None
    year = deadline["year"]
    month = deadline.get("month") or QUARTER_END_MONTH.get(deadline.get("quarter"), 12)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def meets(actual: dict[str, Any], target: dict[str, Any]) -> bool:
    """An actual figure meets a target: >= (<= for 'moins de'/'jusqu'à' targets); 'more than X' counts as X."""
    if target["approx"] in ("less_than", "up_to"):
        return actual["value"] <= target["value"]
    return actual["value"] >= target["value"]


def figure_year(fact: dict[str, Any]) -> int | None:
    """The year an actual figure refers to; its document's year when the text gives none."""
    if fact.get("year") is not None:
        return fact["year"]
    return int(fact["date"][:4]) if fact.get("date") else None


def decide_status(target: dict[str, Any], deadline: dict[str, Any] | None, actuals: list[dict[str, Any]],
                  as_of: dt.date) -> tuple[str, list[dict[str, Any]]]:
    """(status, deciding actual facts) of a target figure.

    Args:
        target: {"value", "unit", "approx"}.
        deadline: {"year", "quarter", "month"} or None.
        actuals: actual facts of the same subject, metric and unit (already limited to as_of).
        as_of: the day the tracker is read at.
    """
    dated = [a for a in actuals if figure_year(a) is not None]
    if deadline is None or deadline.get("year") is None:
        hits = [a for a in dated if meets(a, target)] or [a for a in actuals if meets(a, target)]
        return ("achieved", hits) if hits else ("undated", [])
    year = deadline["year"]
    on_time = [a for a in dated if figure_year(a) <= year and meets(a, target)]
    if on_time:
        return "achieved", on_time
    late = [a for a in dated if figure_year(a) > year and meets(a, target)]
    if late:
        return "achieved_late", late
    if as_of <= deadline_end(deadline):
        return "pending", []
    after = [a for a in dated if figure_year(a) >= year]
    return ("missed", after) if after else ("unverified", [])


def decide_milestone_status(deadline: dict[str, Any] | None, done_reports: list[dict[str, Any]],
                            as_of: dt.date) -> str:
    """A milestone is achieved when a later document reports it done; otherwise the deadline rules apply."""
    if done_reports:
        return "achieved"
    end = deadline_end(deadline)
    if end is None:
        return "undated"
    return "pending" if as_of <= end else "unverified"
