"""Property tests: the number parser never raises and reads back numbers written in each French style."""
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from filiere.domains.packs import load_pack
from filiere.nlp.numbers import find_quantities, parse_number

PACK = load_pack("automotive")
SEPARATORS = [" ", "\u00a0", "\u202f", "."]


def french(value: int, separator: str) -> str:
    """1234567 -> '1 234 567' with the given thousands separator."""
    digits = f"{value:d}"
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return separator.join(groups)


@given(st.text())
def test_properties_parse_number_never_raises(text):
    result = parse_number(text)
    assert result is None or isinstance(result, Decimal)


@given(st.text())
@settings(max_examples=200)
def test_properties_find_quantities_never_raises(text):
    for q in find_quantities(text, PACK):
        assert 0 <= q.start < q.end <= len(text)


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(SEPARATORS))
def test_properties_integers_read_back_with_each_separator(value, separator):
    assert parse_number(french(value, separator)) == value


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99), st.sampled_from(SEPARATORS))
def test_properties_decimal_comma_reads_back(whole, cents, separator):
    text = f"{french(whole, separator)},{cents:02d}"
    assert parse_number(text) == Decimal(whole) + Decimal(cents) / 100


@given(st.integers(min_value=1, max_value=999_999), st.sampled_from(SEPARATORS[:3]))
def test_properties_figures_in_a_sentence_read_back(value, separator):
    text = f"Le groupe a vendu {french(value, separator)} véhicules l'an dernier."
    [q] = find_quantities(text, PACK)
    assert (q.value, q.unit) == (value, "vehicle")
