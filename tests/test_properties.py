"""Property tests for the number reader: it never raises, and reads back numbers in each French style."""
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filiere.domains.packs import load_pack
from filiere.nlp.numbers import find_quantities, parse_number

PACK = load_pack("automotive")
THOUSANDS = [" ", "\u00a0", "\u202f", "."]
SPACES = [" ", "\u00a0", "\u202f"]


def grouped(value: int, separator: str) -> str:
    """1234567 -> '1<sep>234<sep>567'."""
    digits = str(value)
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return separator.join(groups)


# never raises --------------------------------------------------------------------------------------------

@given(st.text())
@settings(max_examples=300)
def test_properties_parse_number_never_raises(text):
    result = parse_number(text)
    assert result is None or isinstance(result, Decimal)


@given(st.text(alphabet=st.sampled_from(list("0123456789 .,+-−%\u00a0\u202f'’")), max_size=30))
@settings(max_examples=300)
def test_properties_parse_number_never_raises_on_number_like_text(text):
    result = parse_number(text)
    assert result is None or isinstance(result, Decimal)


@given(st.text(), st.sampled_from([",", "."]))
@settings(max_examples=200)
def test_properties_parse_number_never_raises_with_either_decimal_mark(text, decimal):
    result = parse_number(text, decimal=decimal)
    assert result is None or isinstance(result, Decimal)


@given(st.text())
@settings(max_examples=300)
def test_properties_find_quantities_never_raises(text):
    found = find_quantities(text, PACK)
    assert isinstance(found, list)


WORDS = ["de", "plus", "près", "milliards", "millions", "dirhams", "euros", "%", "véhicules", "par", "an", "entre",
         "et", "à", "un", "deux", "mille", "MMDH", "M€", "+", "-", "2024", "1,5", "300 000", "emplois", "pays", "\n"]


@given(st.lists(st.sampled_from(WORDS), max_size=20))
@settings(max_examples=300)
def test_properties_find_quantities_never_raises_on_news_like_words(words):
    text = " ".join(words)
    found = find_quantities(text, PACK)
    ends = [q.end for q in found]
    starts = [q.start for q in found]
    assert all(0 <= q.start < q.end <= len(text) for q in found)
    assert all(e <= s for e, s in zip(ends, starts[1:])), "quantities overlap or are out of order"


# read back -----------------------------------------------------------------------------------------------

@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(THOUSANDS))
def test_properties_integers_read_back_in_each_french_style(value, separator):
    assert parse_number(grouped(value, separator)) == value


@given(st.integers(min_value=1, max_value=10**12), st.sampled_from(THOUSANDS))
def test_properties_negative_and_positive_signs_read_back(value, separator):
    text = grouped(value, separator)
    assert parse_number("-" + text) == -value
    assert parse_number("+" + text) == value


@given(st.integers(min_value=0, max_value=10**12), st.text(alphabet="0123456789", min_size=1, max_size=6),
       st.sampled_from(THOUSANDS))
def test_properties_decimals_with_comma_read_back(whole, fraction, separator):
    text = f"{grouped(whole, separator)},{fraction}"
    assert parse_number(text) == Decimal(f"{whole}.{fraction}")


@given(st.decimals(min_value=Decimal("0"), max_value=Decimal("1e9"), places=3, allow_nan=False, allow_infinity=False))
def test_properties_decimal_values_read_back_from_french_writing(value):
    whole, _, fraction = f"{value:.3f}".partition(".")
    text = f"{grouped(int(whole), ' ')},{fraction}"
    assert parse_number(text) == value


@given(st.integers(min_value=1, max_value=999_999_999), st.sampled_from(SPACES))
@settings(max_examples=200)
def test_properties_figure_with_unit_in_a_sentence_reads_back(value, separator):
    text = f"Le constructeur a vendu {grouped(value, separator)} véhicules en 2024."
    found = find_quantities(text, PACK)
    assert [(q.value, q.unit) for q in found] == [(value, "vehicle")]


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=99),
       st.sampled_from([("millions", 10**6), ("milliards", 10**9)]))
@settings(max_examples=200)
def test_properties_scaled_amounts_read_back(whole, cents, scale):
    word, factor = scale
    text = f"un montant de {whole},{cents:02d} {word} de dirhams"
    [q] = find_quantities(text, PACK)
    assert q.unit == "MAD"
    assert q.value == pytest.approx((whole + cents / 100) * factor, rel=1e-9)


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=9))
def test_properties_percentages_read_back(whole, tenth):
    text = f"une hausse de {whole},{tenth} %"
    [q] = find_quantities(text, PACK)
    assert (q.unit, q.value) == ("percent", pytest.approx(whole + tenth / 10))


# Phrases and texts over a few letters, in both cases, with accents, digits and signs: many phrases share a first
# letter or a prefix, and the texts hold them glued, cut short and overlapping.
_ALPHABET = "aAbBéÉeE1-' "
_phrases = st.lists(st.text(_ALPHABET, min_size=1, max_size=5), min_size=1, max_size=12)


@settings(max_examples=400, deadline=None)
@given(_phrases, st.text(_ALPHABET, max_size=40), st.booleans())
def test_grouped_alternation_matches_as_the_flat_one(phrases, text, ignore_case):
    """by_first_letter groups an alternation by first letter; every match, and the phrase each one captures (the
    first that fits, as the pack's longest-first alternations rely on), must be those of the flat alternation."""
    import re

    from filiere.domains.order import by_first_letter, longest_first

    flags = re.IGNORECASE if ignore_case else 0
    sources = [re.escape(p) for p in longest_first(set(phrases))]
    flat = re.compile(rf"(?<!\w)(?=((?:{'|'.join(sources)}))(?!\w))", flags)
    grouped = re.compile(rf"(?<!\w)(?=((?:{by_first_letter(sources, ignore_case)}))(?!\w))", flags)
    assert [(m.start(), m.group(1)) for m in grouped.finditer(text)] == \
           [(m.start(), m.group(1)) for m in flat.finditer(text)]
    plain_flat, plain_grouped = (re.compile("|".join(sources), flags),
                                 re.compile(by_first_letter(sources, ignore_case), flags))
    assert [m.span() for m in plain_grouped.finditer(text)] == [m.span() for m in plain_flat.finditer(text)]


def _fold_three_by_character(text: str) -> tuple[str, str, str]:
    """The scope reader's folding written as a loop over the characters: what scope._fold_three must give."""
    from filiere.domains.scope import _base

    folded, accented, written = [], [], []
    previous = " "
    for i, c in enumerate(text):
        if c.isspace():
            c = " "
            if previous == " ":
                continue
        elif c in "’‘`´":
            c = "'"
        elif c in "-‐‑" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum():
            c = " "
        elif c == "%" and previous != " ":
            folded.append(" "), accented.append(" "), written.append(" ")
        folded.append(_base(c)), accented.append(c.lower() if len(c.lower()) == 1 else c), written.append(c)
        previous = c
    while folded and folded[-1] == " ":
        folded.pop(), accented.pop(), written.pop()
    return "".join(folded), "".join(accented), "".join(written)


# spaces of several kinds, hyphens, quotes, '%', letters whose accent or case folds (¨ and ˜ fold to a space,
# İ lowers to two characters, Σ lowers by context), digits and the underscore (a word character, not alnum)
_FOLD_ALPHABET = list(" \t\n\u00a0\u202f-‐‑’‘`´%'aAéÉèÇ1_¨˜ßİΣ.,")


@given(st.text(_FOLD_ALPHABET, max_size=30) | st.text(max_size=30))
@settings(max_examples=2000)
def test_fold_three_is_the_character_loop(text):
    from filiere.domains.scope import _fold_three

    assert _fold_three.__wrapped__(text) == _fold_three_by_character(text)
    folded, accented, written = _fold_three(text)
    assert len(folded) == len(accented) == len(written)
