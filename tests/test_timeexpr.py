"""Phrase tables for time expressions: year, role, quarter, month, day (phrases invented for the tests).

Roles as records.TimeExpr documents them: deadline (d'ici, à l'horizon, avant fin), end (à la fin de),
start (dès), since (depuis), point (en 2024), now.
"""
import pytest

from filiere.nlp.timeexpr import find_times


def only(pack, text, ref_year=None):
    found = find_times(text, pack, ref_year=ref_year)
    assert len(found) == 1, f"{text!r}: {[(t.year, t.role, t.text) for t in found]}"
    return found[0]


YEAR_ROLE = [
    ("Les ventes ont reculé en 2024.", 2024, "point"),
    ("en 2024", 2024, "point"),
    ("à la fin de 2025", 2025, "end"),
    ("à la fin 2025", 2025, "end"),
    ("à fin 2025", 2025, "end"),
    ("fin 2025", 2025, "end"),
    ("d'ici 2025", 2025, "deadline"),
    ("d’ici 2025", 2025, "deadline"),
    ("d'ici à 2030", 2030, "deadline"),
    ("d’ici à 2030", 2030, "deadline"),
    ("d'ici fin 2026", 2026, "deadline"),
    ("à l'horizon 2030", 2030, "deadline"),
    ("à l’horizon 2030", 2030, "deadline"),
    ("à horizon 2030", 2030, "deadline"),
    ("avant fin 2025", 2025, "deadline"),
    ("avant la fin de 2025", 2025, "deadline"),
    ("dès 2025", 2025, "start"),
    ("à partir de 2026", 2026, "start"),
    ("depuis 2021", 2021, "since"),
    ("L'usine tourne depuis 2012.", 2012, "since"),
    ("Le groupe vise 80 % d'intégration d'ici 2030.", 2030, "deadline"),
]


@pytest.mark.parametrize("text, year, role", YEAR_ROLE)
def test_timeexpr_year_and_role(pack, text, year, role):
    t = only(pack, text)
    assert (t.year, t.role) == (year, role)


QUARTERS = [
    ("au quatrième trimestre 2026", 2026, 4),
    ("T4 2026", 2026, 4),
    ("au premier trimestre 2027", 2027, 1),
    ("au troisième trimestre 2025", 2025, 3),
    ("au deuxième trimestre de 2028", 2028, 2),
    ("T1 2025", 2025, 1),
]


@pytest.mark.parametrize("text, year, quarter", QUARTERS)
def test_timeexpr_quarters(pack, text, year, quarter):
    t = only(pack, text)
    assert (t.year, t.quarter) == (year, quarter)


DATES = [
    ("le 13 octobre 2025", 2025, 10, 13),
    ("le 1er mars 2024", 2024, 3, 1),
    ("jeudi 22 mai 2025", 2025, 5, 22),
    ("en septembre 2024", 2024, 9, None),
    ("en janvier 2026", 2026, 1, None),
    ("fin décembre 2023", 2023, 12, None),
]


@pytest.mark.parametrize("text, year, month, day", DATES)
def test_timeexpr_days_and_months(pack, text, year, month, day):
    t = only(pack, text)
    assert (t.year, t.month, t.day) == (year, month, day)


def test_timeexpr_a_month_gives_its_quarter(pack):
    assert only(pack, "le 13 octobre 2025").quarter == 4


RELATIVE = [
    ("l'an dernier", 2024),
    ("l’an dernier", 2024),
    ("l'année dernière", 2024),
    ("l'an passé", 2024),
    ("cette année", 2025),
    ("l'an prochain", 2026),
    ("l'année prochaine", 2026),
    ("Les ventes ont bondi l'an dernier.", 2024),
]


@pytest.mark.parametrize("text, year", RELATIVE)
def test_timeexpr_relative_years_with_reference(pack, text, year):
    assert only(pack, text, ref_year=2025).year == year


@pytest.mark.parametrize("text", ["l'an dernier", "cette année", "l'an prochain"])
def test_timeexpr_relative_years_without_reference_have_no_year(pack, text):
    assert [t.year for t in find_times(text, pack, ref_year=None)] in ([], [None])


def test_timeexpr_relative_years_follow_the_reference(pack):
    assert only(pack, "l'an dernier", ref_year=2019).year == 2018


@pytest.mark.parametrize("text", ["340 000 véhicules", "4,5 milliards de dirhams", "2 024 salariés", "+3,3 MMDH"])
def test_timeexpr_figures_are_not_dates(pack, text):
    assert find_times(text, pack) == []


def test_timeexpr_two_dates_keep_their_roles_in_order(pack):
    text = "Présente depuis 2016, l'usine vise 90 000 véhicules à l'horizon 2028."
    assert [(t.year, t.role) for t in find_times(text, pack)] == [(2016, "since"), (2028, "deadline")]


def test_timeexpr_span_covers_the_cue(pack):
    text = "Le site produira 100 000 véhicules d'ici 2027."
    t = only(pack, text)
    assert text[t.start:t.end] == "d'ici 2027"
