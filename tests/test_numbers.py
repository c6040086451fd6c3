"""Phrase tables for the number reader: parse_number and find_quantities.

Every phrase is invented for these tests in the way French business news write figures.
Values follow shared/spec/FACTS.md: '2,39 milliards' -> 2390000000, '65,5 %' -> 65.5, 'un million' -> 1000000.
"""
from decimal import Decimal

import pytest

from filiere.nlp.numbers import find_quantities, parse_number

NBSP, NNBSP = "\u00a0", "\u202f"


def one(pack, text):
    """The single quantity of a phrase (fails, listing what was found, when there is not exactly one)."""
    found = find_quantities(text, pack)
    assert len(found) == 1, f"{text!r}: {[(q.value, q.unit, q.text) for q in found]}"
    return found[0]


def close(value):
    return pytest.approx(value, rel=1e-9)


# parse_number ------------------------------------------------------------------------------------------

PARSE = [
    # thousands separators
    ("840 000", Decimal(840000)),
    (f"840{NBSP}000", Decimal(840000)),
    (f"840{NNBSP}000", Decimal(840000)),
    ("840.000", Decimal(840000)),
    ("3 615 200", Decimal(3615200)),
    (f"3{NBSP}615{NBSP}200", Decimal(3615200)),
    (f"3{NNBSP}615{NNBSP}200", Decimal(3615200)),
    ("3.615.200", Decimal(3615200)),
    ("1 000", Decimal(1000)),
    # decimal comma
    ("4,75", Decimal("4.75")),
    ("0,6", Decimal("0.6")),
    ("138,25", Decimal("138.25")),
    ("12 450,5", Decimal("12450.5")),
    (f"12{NBSP}450,5", Decimal("12450.5")),
    ("12.450,5", Decimal("12450.5")),
    # signs
    ("+3,3", Decimal("3.3")),
    ("-2,5", Decimal("-2.5")),
    ("−6,4", Decimal("-6.4")),
    ("+18", Decimal(18)),
    # plain integers
    ("73", Decimal(73)),
    ("2024", Decimal(2024)),
    # number words
    ("un million", Decimal(1000000)),
    ("trois", Decimal(3)),
    ("sept mille cinq cents", Decimal(7500)),
    ("vingt et un", Decimal(21)),
    ("deux cents", Decimal(200)),
    ("quarante-deux", Decimal(42)),
    ("mille deux cents", Decimal(1200)),
    ("soixante-quinze", Decimal(75)),
    ("douze", Decimal(12)),
]


@pytest.mark.parametrize("text, expected", PARSE)
def test_numbers_parse_number_reads_french_writing(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "véhicules", "milliards", "12abc", "abc12", "1,2,3", "n°", "%"])
def test_numbers_parse_number_returns_none_for_non_numbers(text):
    assert parse_number(text) is None


def test_numbers_parse_number_decimal_point_when_asked():
    assert parse_number("1,250.5", decimal=".") == Decimal("1250.5")


# find_quantities: scales --------------------------------------------------------------------------------

SCALES = [
    ("12 mille emplois", 12_000, "job"),
    ("2 millions de véhicules", 2_000_000, "vehicle"),
    ("1 million d'euros", 1_000_000, "EUR"),
    ("4,5 milliards de dirhams", 4_500_000_000, "MAD"),
    ("1 milliard de dollars", 1_000_000_000, "USD"),
    ("1,2 milliard d’euros", 1_200_000_000, "EUR"),
    ("1,5 Md de dirhams", 1_500_000_000, "MAD"),
    ("2 Mds d'euros", 2_000_000_000, "EUR"),
    ("650 MDH", 650_000_000, "MAD"),
    ("14,2 MMDH", 14_200_000_000, "MAD"),
    ("3 Mds DH", 3_000_000_000, "MAD"),
    ("1,1 Md€", 1_100_000_000, "EUR"),
    ("85 M€", 85_000_000, "EUR"),
    ("300 millions de MAD", 300_000_000, "MAD"),
    ("une rallonge de 40 millions d'euros", 40_000_000, "EUR"),
]


@pytest.mark.parametrize("text, value, unit", SCALES)
def test_numbers_find_quantities_scale_words(pack, text, value, unit):
    q = one(pack, text)
    assert (q.value, q.unit) == (close(value), unit)


# find_quantities: currencies and units -------------------------------------------------------------------

UNITS = [
    ("45 000 euros", 45_000, "EUR"),
    ("45 000 €", 45_000, "EUR"),
    ("45 000 EUR", 45_000, "EUR"),
    ("80 000 dirhams", 80_000, "MAD"),
    ("80 000 DH", 80_000, "MAD"),
    ("80 000 MAD", 80_000, "MAD"),
    ("2 milliards de dollars", 2_000_000_000, "USD"),
    ("500 000 $", 500_000, "USD"),
    ("700 millions USD", 700_000_000, "USD"),
    ("US$ 120 millions", 120_000_000, "USD"),
    ("90 millions de dollars américains", 90_000_000, "USD"),
    ("340 000 véhicules", 340_000, "vehicle"),
    ("25 000 voitures", 25_000, "vehicle"),
    ("18 000 unités", 18_000, "unit"),
    ("500 000 véhicules par an", 500_000, "vehicle/year"),
    ("300 000 unités par an", 300_000, "vehicle/year"),
    ("200 000 voitures par an", 200_000, "vehicle/year"),
    ("150 000 véhicules chaque année", 150_000, "vehicle/year"),
    ("7 500 emplois", 7_500, "job"),
    ("1 200 postes", 1_200, "job"),
    ("3 000 nouveaux emplois", 3_000, "job"),
    ("900 personnes", 900, "person"),
    ("11 000 salariés", 11_000, "person"),
    ("2 400 employés", 2_400, "person"),
    ("5 modèles", 5, "model"),
    ("1 500 bornes", 1_500, "charging_point"),
    ("73 pays", 73, "country"),
    ("63 fournisseurs", 63, "company"),
    ("40 équipementiers", 40, "company"),
    ("20 GWh", 20, "GWh"),
    ("300 ha", 300, "ha"),
    ("45 hectares", 45, "ha"),
]


@pytest.mark.parametrize("text, value, unit", UNITS)
def test_numbers_find_quantities_units_and_currencies(pack, text, value, unit):
    q = one(pack, text)
    assert (q.value, q.unit) == (close(value), unit)


# find_quantities: number words ---------------------------------------------------------------------------

WORDS = [
    ("un million de véhicules", 1_000_000, "vehicle"),
    ("trois modèles", 3, "model"),
    ("sept mille cinq cents emplois", 7_500, "job"),
    ("vingt et un pays", 21, "country"),
    ("deux cents fournisseurs", 200, "company"),
    ("un milliard d'euros", 1_000_000_000, "EUR"),
    ("deux millions de bornes", 2_000_000, "charging_point"),
]


@pytest.mark.parametrize("text, value, unit", WORDS)
def test_numbers_find_quantities_number_words(pack, text, value, unit):
    q = one(pack, text)
    assert (q.value, q.unit) == (close(value), unit)


@pytest.mark.parametrize("text", ["un site à Tanger", "une usine", "et le groupe"])
def test_numbers_find_quantities_articles_are_not_numbers(pack, text):
    assert find_quantities(text, pack) == []


# find_quantities: signs and percentages -------------------------------------------------------------------

SIGNS = [
    ("+3,3 %", 3.3, "percent", True),
    ("-2,5 %", -2.5, "percent", True),
    ("une variation de −1,8 %", -1.8, "percent", True),
    ("+3,3 MMDH", 3_300_000_000, "MAD", True),
    ("3,3 %", 3.3, "percent", False),
]


@pytest.mark.parametrize("text, value, unit, signed", SIGNS)
def test_numbers_find_quantities_signs(pack, text, value, unit, signed):
    q = one(pack, text)
    assert (q.value, q.unit, q.signed) == (close(value), unit, signed)


PERCENTS = [
    ("65,5 %", 65.5),
    ("65,5%", 65.5),
    (f"40{NNBSP}%", 40),
    (f"40{NBSP}%", 40),
    ("12 pour cent", 12),
    ("0,8 %", 0.8),
]


@pytest.mark.parametrize("text, value", PERCENTS)
def test_numbers_find_quantities_percentages(pack, text, value):
    q = one(pack, text)
    assert (q.value, q.unit) == (close(value), "percent")


# find_quantities: ranges -----------------------------------------------------------------------------------

RANGES = [
    ("entre 2 et 3 milliards de dirhams", 2e9, 3e9, "MAD"),
    ("entre 1,5 et 2 milliards d'euros", 1.5e9, 2e9, "EUR"),
    ("entre 300 000 et 400 000 véhicules", 300_000, 400_000, "vehicle"),
    ("de 5 000 à 7 000 emplois", 5_000, 7_000, "job"),
    ("entre 60 % et 65 %", 60, 65, "percent"),
]


@pytest.mark.parametrize("text, low, high, unit", RANGES)
def test_numbers_find_quantities_ranges(pack, text, low, high, unit):
    q = one(pack, text)
    assert (q.value, q.value_high, q.unit) == (close(low), close(high), unit)


def test_numbers_find_quantities_change_is_not_a_range(pack):
    found = find_quantities("la capacité est passée de 300 000 à 500 000 véhicules", pack)
    assert all(q.value_high is None for q in found)
    assert 500_000 in [q.value for q in found]


# find_quantities: approximation cues -----------------------------------------------------------------------

APPROX = [
    ("plus de 5 000 emplois", "more_than"),
    ("dépassant 10 %", "more_than"),
    ("au-delà de 300 000 véhicules", "more_than"),
    ("près de 40 %", "about"),
    ("environ 2 milliards d'euros", "about"),
    ("quelque 500 salariés", "about"),
    ("autour de 12 %", "about"),
    ("jusqu'à 4 000 postes", "up_to"),
    ("jusqu’à 4 000 postes", "up_to"),
    ("moins de 3 %", "less_than"),
    ("en dessous de 100 000 voitures", "less_than"),
    ("5 000 emplois", "exact"),
    ("une usine de 5 000 emplois", "exact"),
]


@pytest.mark.parametrize("text, approx", APPROX)
def test_numbers_find_quantities_approximation_cues(pack, text, approx):
    assert one(pack, text).approx == approx


# find_quantities: years and spans ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "en 2024", "d'ici 2030", "depuis 1928", "entre 2019 et 2023", "le plan 2021-2025", "à l'horizon 2035",
])
def test_numbers_find_quantities_years_alone_are_not_quantities(pack, text):
    assert find_quantities(text, pack) == []


def test_numbers_find_quantities_year_like_count_with_unit_is_a_quantity(pack):
    q = one(pack, "2024 véhicules")
    assert (q.value, q.unit) == (2024, "vehicle")


@pytest.mark.parametrize("text, figure", [
    ("Renault a produit 340 000 véhicules à Tanger.", "340 000"),
    ("Les ventes ont progressé de +4,2 % en 2024.", "+4,2"),
    ("Le groupe investit 1,2 milliard d'euros.", "1,2"),
])
def test_numbers_find_quantities_span_starts_at_the_figure(pack, text, figure):
    q = one(pack, text)
    assert q.start == text.index(figure)
    assert text[q.start:q.end].startswith(figure)


def test_numbers_find_quantities_several_in_text_order(pack):
    text = "Le site emploie 6 000 personnes et produit 250 000 véhicules pour 74 pays."
    assert [(q.value, q.unit) for q in find_quantities(text, pack)] == [
        (6000, "person"), (250_000, "vehicle"), (74, "country")]
