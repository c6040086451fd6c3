"""Numbers, scales, units and approximations as French news write them (phrases invented for the tests)."""
from decimal import Decimal

import pytest

from filiere.nlp.numbers import find_quantities, parse_number

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize("text, value", [
    ("500 000", 500000), (f"500{NBSP}000", 500000), (f"500{NNBSP}000", 500000), ("500.000", 500000),
    ("1 250 000", 1250000), ("1.250.000", 1250000), ("2,39", Decimal("2.39")), ("65,5", Decimal("65.5")),
    ("157,6", Decimal("157.6")), ("1.200,5", Decimal("1200.5")), ("+3,3", Decimal("3.3")), ("-2,5", Decimal("-2.5")),
    ("−4", -4), ("7 500", 7500), ("2024", 2024), ("0,75", Decimal("0.75")),
    ("trois", 3), ("sept mille cinq cents", 7500), ("vingt et un", 21), ("deux cents", 200),
    ("quatre-vingt-dix", 90), ("un million", 1000000), ("cinquante", 50),
])
def test_numbers_parse_each_french_style(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "   ", "abc", "1,2,3", "12 h 30", "--", "+", "2,", ",5", "pourcent"])
def test_numbers_parse_returns_none_for_non_numbers(text):
    assert parse_number(text) is None


def _one(pack, text):
    found = find_quantities(text, pack)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, value, unit", [
    ("un chiffre d'affaires de 2,39 milliards d'euros", 2.39e9, "EUR"),
    ("une enveloppe de 1,2 milliard d’euros", 1.2e9, "EUR"),
    ("un budget de 450 millions €", 450e6, "EUR"),
    ("un investissement de 300 M€", 300e6, "EUR"),
    ("une levée de 1,5 Md€", 1.5e9, "EUR"),
    ("un montant de 80 000 EUR", 80000, "EUR"),
    ("des exportations de 157 milliards de dirhams", 157e9, "MAD"),
    ("un gain de +3,3 MMDH", 3.3e9, "MAD"),
    ("une hausse de 600 MDH", 600e6, "MAD"),
    ("un coût de 12 Mds DH", 12e9, "MAD"),
    ("un solde de 4,5 milliards de DH", 4.5e9, "MAD"),
    ("un total de 950 millions de MAD", 950e6, "MAD"),
    ("une prime de 25 000 dirhams", 25000, "MAD"),
    ("un financement de 2 milliards de dollars", 2e9, "USD"),
    ("une usine de $1,3 milliard", 1.3e9, "USD"),
    ("un contrat de 700 millions USD", 700e6, "USD"),
    ("une production de 500 000 véhicules", 500000, "vehicle"),
    ("une capacité de 200 000 voitures par an", 200000, "vehicle/year"),
    ("une cadence de 90 000 unités par an", 90000, "vehicle/year"),
    ("un volume de 1,2 million de véhicules", 1.2e6, "vehicle"),
    ("des ventes de 160 000 voitures", 160000, "vehicle"),
    ("la création de 7 500 emplois", 7500, "job"),
    ("la création de 50 000 nouveaux emplois", 50000, "job"),
    ("1 200 postes d'emploi", 1200, "job"),
    ("un effectif de 18 000 personnes", 18000, "person"),
    ("plus de 4 000 salariés", 4000, "person"),
    ("2 300 employés", 2300, "person"),
    ("trois modèles", 3, "model"),
    ("2 500 bornes de recharge", 2500, "charging_point"),
    ("73 pays", 73, "country"),
    ("63 fournisseurs", 63, "company"),
    ("250 équipementiers", 250, "company"),
    ("une gigafactory de 20 GWh", 20, "GWh"),
    ("un terrain de 30 ha", 30, "ha"),
    ("un taux de 65,5 %", 65.5, "percent"),
    ("une part de 12 pour cent", 12, "percent"),
    ("un recul de -2,5 %", -2.5, "percent"),
    ("sept mille cinq cents emplois", 7500, "job"),
    ("un million de véhicules", 1e6, "vehicle"),
    ("deux véhicules électriques", 2, "vehicle"),
    ("le millionième véhicule", 1e6, "vehicle"),
    ("50 mille emplois", 50000, "job"),
])
def test_numbers_quantity_value_and_unit(pack, text, value, unit):
    q = _one(pack, text)
    assert q.value == pytest.approx(value) and q.unit == unit


@pytest.mark.parametrize("text, approx", [
    ("plus de 300 personnes", "more_than"), ("dépassant 500 000 véhicules", "more_than"),
    ("au-delà de 40 %", "more_than"), ("dépasseront les 2 millions d'unités", "more_than"),
    ("plus d'un million de véhicules", "more_than"), ("près de 260 000 unités", "about"),
    ("environ 3 milliards d'euros", "about"), ("quelque 1 500 emplois", "about"),
    ("autour de 20 %", "about"), ("jusqu'à 400 000 véhicules", "up_to"), ("moins de 30 %", "less_than"),
    ("en dessous de 10 %", "less_than"), ("exactement 12 000 salariés", "exact"), ("12 000 salariés", "exact"),
])
def test_numbers_approximation_cues(pack, text, approx):
    assert _one(pack, text).approx == approx


@pytest.mark.parametrize("text, low, high, unit", [
    ("entre 2 et 3 milliards de dirhams", 2e9, 3e9, "MAD"),
    ("de 300 000 à 400 000 véhicules", 300000, 400000, "vehicle"),
    ("entre 10 et 15 %", 10, 15, "percent"),
])
def test_numbers_ranges(pack, text, low, high, unit):
    q = _one(pack, text)
    assert (q.value, q.value_high, q.unit) == (pytest.approx(low), pytest.approx(high), unit)


def test_numbers_change_keeps_both_levels(pack):
    """'passée de 340 000 à 500 000': the level it starts from (marked) and the new one, never a range."""
    first, second = find_quantities("la capacité est passée de 340 000 à 500 000 véhicules", pack)
    assert (first.value, first.unit, first.start_level) == (340000, "vehicle", True)
    assert (second.value, second.value_high, second.start_level) == (500000, None, False)


def test_numbers_comparison_takes_the_previous_unit(pack):
    first, second = find_quantities("380 000 unités en 2024, contre 345 000 en 2023", pack)
    assert second.unit == "unit" and second.value == 345000 and second.compared


@pytest.mark.parametrize("text", [
    "en 2024", "depuis 1928", "le 13 octobre 2025", "une croissance en moins de dix ans",
    "deux conventions de partenariat", "la huitième édition", "une usine", "l'un des leaders",
    "+212 6 00 00 00 00", "le T4 2026",
])
def test_numbers_no_figure_with_a_unit(pack, text):
    assert [q for q in find_quantities(text, pack) if q.unit] == []


def test_numbers_spans_cover_the_whole_figure(pack):
    text = "Avec 80 % d'intégration et 3 milliards d'euros de sourcing"
    spans = [text[q.start:q.end] for q in find_quantities(text, pack)]
    assert spans == ["80 %", "3 milliards d'euros"]
