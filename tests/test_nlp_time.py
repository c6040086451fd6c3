"""Time expressions and their roles (phrases invented for the tests)."""
import pytest

from filiere.nlp.timeexpr import find_times


@pytest.mark.parametrize("text, year, role, quarter, month", [
    ("les ventes ont bondi en 2024", 2024, "point", None, None),
    ("à la fin de 2025", 2025, "end", None, None),
    ("à fin 2023", 2023, "end", None, None),
    ("fin 2026", 2026, "end", None, None),
    ("d'ici 2025", 2025, "deadline", None, None),
    ("d’ici à 2030", 2030, "deadline", None, None),
    ("à l'horizon 2030", 2030, "deadline", None, None),
    ("à horizon 2035", 2035, "deadline", None, None),
    ("avant fin 2025", 2025, "deadline", None, None),
    ("d'ici la fin de 2027", 2027, "deadline", None, None),
    ("dès 2025", 2025, "start", None, None),
    ("à partir de 2028", 2028, "start", None, None),
    ("depuis 2021", 2021, "since", None, None),
    ("au quatrième trimestre 2026", 2026, "point", 4, None),
    ("prévue pour le quatrième trimestre 2026", 2026, "deadline", 4, None),
    ("au premier trimestre de 2025", 2025, "point", 1, None),
    ("T4 2026", 2026, "point", 4, None),
    ("Q2 2027", 2027, "point", 2, None),
    ("au deuxième semestre 2027", 2027, "point", 4, None),
    ("le 13 octobre 2025", 2025, "point", 4, 10),
    ("lundi 3 mars 2025", 2025, "point", 1, 3),
    ("le 1er juin 2024", 2024, "point", 2, 6),
    ("en septembre 2024", 2024, "point", 3, 9),
    ("fin juin 2025", 2025, "end", 2, 6),
    ("le 14/02/2024", 2024, "point", 1, 2),
])
def test_time_expression_year_role_quarter_month(pack, text, year, role, quarter, month):
    [t] = find_times(text, pack)
    assert (t.year, t.role, t.quarter, t.month) == (year, role, quarter, month)


@pytest.mark.parametrize("text, year", [
    ("l'an dernier", 2024), ("l’année dernière", 2024), ("l'an passé", 2024), ("cette année", 2025),
    ("l'an prochain", 2026), ("l'année prochaine", 2026), ("aujourd'hui", 2025), ("actuellement", 2025),
])
def test_time_relative_years_against_the_document_date(pack, text, year):
    [t] = find_times(text, pack, ref_year=2025)
    assert t.year == year


@pytest.mark.parametrize("text", ["l'an dernier", "cette année", "aujourd'hui"])
def test_time_relative_years_need_a_document_date(pack, text):
    assert find_times(text, pack, ref_year=None) == []


@pytest.mark.parametrize("text", ["500 000 véhicules", "2,39 milliards", "12 000 salariés", "+212667018682", "1.2025"])
def test_time_numbers_are_not_years(pack, text):
    assert find_times(text, pack) == []


def test_time_several_in_one_sentence_in_order(pack):
    text = "Lancée en 2019, l'usine produira 300 000 véhicules d'ici 2027, contre 150 000 depuis 2021."
    assert [(t.year, t.role) for t in find_times(text, pack)] == [(2019, "point"), (2027, "deadline"), (2021, "since")]
