"""Dates of any precision are periods; impossible ones are refused with the reason."""
import datetime as dt

import pytest

from filiere.periods import normalise_date, parse_period, period_or_none


@pytest.mark.parametrize("text, start, end, precision", [
    ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "year"),
    ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month"),
    ("2025-01-14", dt.date(2025, 1, 14), dt.date(2025, 1, 14), "day"),
    ("2025-01-14T09:30:00+01:00", dt.date(2025, 1, 14), dt.date(2025, 1, 14), "day"),
])
def test_dates_of_any_precision_are_periods(text, start, end, precision):
    period = parse_period(text)
    assert (period.start, period.end, period.precision) == (start, end, precision)


@pytest.mark.parametrize("text, reason", [
    ("2024-13-45", "no month 13"),
    ("2023-02-29", "has no day 29"),
    ("garbage", "is not a date"),
    ("14/03/2019", "is not a date"),
    ("0001", "out of range"),
])
def test_impossible_dates_are_refused_with_the_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_period(text)


def test_non_strings_are_refused_and_stored_garbage_reads_as_unknown():
    with pytest.raises(ValueError, match="must be a string"):
        parse_period({})
    assert period_or_none("2024-13-45") is None and period_or_none(None) is None
    assert normalise_date(" 2025-01 ") == "2025-01" and normalise_date("") is None


def test_periods_compare_by_their_days():
    assert parse_period("2025-01").end < parse_period("2025-02-01").start
    assert parse_period("2025").start <= parse_period("2025-06-30").start <= parse_period("2025").end
