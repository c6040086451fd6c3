"""Dates of any precision as periods: ``2025``, ``2025-01``, ``2025-01-14`` (ISO 8601 calendar dates, reduced).

A publication date is often known to the month or the year only ("date 2023-10" in a byline, a URL's /2017/).
Such a date is a period: it starts on its first day and ends on its last. Every comparison of dates in filiere
(a document published by ``--as-of``, an outcome published after its promise) goes through ``Period`` so that
a coarse date never crashes a run nor passes for a precise one. ``parse_period`` is the one place that says
what a date may look like; an impossible one (``2024-13-45``, ``garbage``) is refused with the reason.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_FORMS = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")
FIRST_YEAR, LAST_YEAR = 1800, 2200  # news dates outside these are typos, not dates


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A calendar year, month or day: its first and last day, and its ISO text (``2025``, ``2025-01``, ...)."""

    start: dt.date
    end: dt.date
    text: str

    @property
    def precision(self) -> str:
        return ("year", "month", "day")[self.text.count("-")]

    @property
    def year(self) -> int:
        return self.start.year


def parse_period(value: object) -> Period:
    """The period a date string names.

    Args:
        value: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a datetime's ISO text (``2025-01-14T09:00:00Z``) is cut to
            its day.
    Returns:
        The Period.
    Raises:
        ValueError: not a string, not one of these forms, or no such day (the message says which).
    """
    if not isinstance(value, str):
        raise ValueError(f"a date must be a string, not {type(value).__name__}")
    text = value.strip()
    if len(text) > 10 and text[10:11] in ("T", " ") and _FORMS.fullmatch(text[:10]):
        text = text[:10]
    m = _FORMS.fullmatch(text)
    if not m:
        raise ValueError(f"'{_short(value)}' is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)")
    year = int(m["year"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"'{text}' is not a date (year {year} is out of range)")
    if m["month"] is None:
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), text)
    month = int(m["month"])
    if not 1 <= month <= 12:
        raise ValueError(f"'{text}' is not a date (there is no month {month})")
    last = calendar.monthrange(year, month)[1]
    if m["day"] is None:
        return Period(dt.date(year, month, 1), dt.date(year, month, last), text)
    day = int(m["day"])
    if not 1 <= day <= last:
        raise ValueError(f"'{text}' is not a date ({calendar.month_name[month]} {year} has no day {day})")
    return Period(dt.date(year, month, day), dt.date(year, month, day), text)


def period_or_none(value: object) -> Period | None:
    """The period of a stored date, or None when there is none or it cannot be read (an older store may hold
    dates that are no longer accepted: they count as unknown, they never crash a reader)."""
    if value is None or value == "":
        return None
    try:
        return parse_period(value)
    except ValueError:
        return None


def normalise_date(value: object) -> str | None:
    """The ISO text of a date of any precision, or None for no date; raises ValueError for an impossible one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_period(value).text


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."
