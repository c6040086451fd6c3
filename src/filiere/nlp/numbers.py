"""French numbers as news write them, and the quantities they make with scales and units.

``parse_number`` reads one written number ("2,39", "500 000", "1.200", "sept mille cinq cents")
and never raises. ``find_quantities`` finds every figure of a text with its unit and approximation.
All words (scales, units, cues) come from the domain pack.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from text_to_num import text2num

from ..domains.order import alternation
from ..domains.packs import DomainPack
from ..records import Quantity

SPACES = " \u00a0\u202f\u2009"
_NUM = (
    r"(?<![\w.,/])(?P<sign>[+\-−](?=\s?\d))?\s?"
    r"(?P<num>\d{1,3}(?:(?:[ \u00a0\u202f\u2009]|\.(?=\d{3}(?!\d)))\d{3})+(?:,\d+)?(?![\d])"
    r"|\d+(?:[.,]\d+)?(?![\d]))"
)
DIGITS_RE = re.compile(_NUM)
YEAR_RE = re.compile(r"^(19|20)\d\d$")
NEVER = "\x00never\x00"
MAX_DIGITS = 18  # more than any figure of news holds: 10^18 is a billion billions
RATE = "rate"  # the unit of a figure per day or per hour: no metric of FACTS.md holds one (conventions 9)


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """Regular expressions compiled once per pack."""

    scale: re.Pattern
    code: re.Pattern
    percent: re.Pattern
    unit: re.Pattern
    unit_before: re.Pattern
    per_year: re.Pattern
    per_period: re.Pattern
    approximate: re.Pattern
    rank: re.Pattern
    fraction_words: re.Pattern
    out_of: re.Pattern
    approx: re.Pattern
    words: re.Pattern
    ordinal: re.Pattern
    joiner: re.Pattern
    dated_joiner: re.Pattern
    opener: re.Pattern
    change: re.Pattern
    comparison: re.Pattern
    count_phrase: re.Pattern


def parse_number(text: str, decimal: str = ",") -> Decimal | None:
    """Read one written number; None when the text is not a number.

    Args:
        text: "2,39", "500 000" (any space kind), "1.200", "+3,3", "sept mille cinq cents".
        decimal: the decimal separator of the language ("," in French, "." in English).
    Returns:
        The value as a Decimal, or None. Never raises.
    """
    try:
        text = (text or "").strip().replace("−", "-")
        if not text:
            return None
        if any(ch.isdigit() for ch in text):
            return _parse_digits(text, decimal)
        return _parse_words(text)
    except (InvalidOperation, ValueError, TypeError, IndexError, KeyError, AttributeError):
        return None


def _parse_digits(text: str, decimal: str) -> Decimal | None:
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-").strip()
    for space in SPACES + "'’":
        body = body.replace(space, "")
    if not re.fullmatch(r"\d[\d.,]*", body):
        return None
    if decimal == ",":
        body = _french_body(body)
    else:
        body = body.replace(",", "")
    if body is None or body.count(".") > 1 or any(len(part) > MAX_DIGITS for part in body.split(".")):
        return None  # a run of thousands of digits is no figure (and would be infinite as a float)
    return sign * Decimal(body)


def _french_body(body: str) -> str | None:
    """'1.200,5' -> '1200.5'; '2.39' (not a thousands group) -> '2.39'."""
    if "," in body:
        whole, _, frac = body.rpartition(",")
        if not frac.isdigit():
            return None
        return whole.replace(".", "") + "." + frac
    groups = body.split(".")
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
        return "".join(groups)
    return body


SCALES_ALONE = {"million", "millions", "milliard", "milliards", "billion", "billions"}


def _parse_words(text: str) -> Decimal | None:
    words = re.sub(r"\s+", " ", text.lower().replace("-", " ")).strip()
    if words in SCALES_ALONE:
        return None  # 'milliards' alone is a scale, not a number
    for lang in ("fr", "en"):
        try:
            return Decimal(text2num(words, lang))
        except ValueError:
            continue
    return None


def find_quantities(text: str, pack: DomainPack) -> list[Quantity]:
    """Every figure of a text with its scale, unit, approximation and character span.

    Args:
        text: a sentence or a whole document.
        pack: the domain pack giving scales, units and cues.
    Returns:
        Quantities in text order; ranges and "de X à Y" changes are merged into one.
    """
    lex = _lexicon(pack)
    found: list[Quantity] = []
    shares = _fractions(text, pack, lex)
    for start, end in _number_matches(text, lex):
        if found and start < found[-1].end:
            continue  # inside the unit of the previous figure ("pour cent")
        if start in shares:
            found.append(shares[start])  # 'les 2/3 de sa production', 'trois voitures sur dix'
            continue
        quantity = _complete(text, start, end, text[start:end], pack, lex)
        if quantity is not None:
            found.append(quantity)
    found += [q for q in shares.values() if not any(f.start <= q.start < f.end for f in found)]
    found.sort(key=lambda q: q.start)
    return _compare(text, _merge_ranges(text, found, lex), lex)


def _fractions(text: str, pack: DomainPack, lex: _Lexicon) -> dict[int, Quantity]:
    """Shares written as fractions, as percentages (FACTS.md, conventions 8): 'la moitié du marché' (50), 'plus du
    quart' (25), 'les deux tiers' (66.67), 'les 2/3 de sa production', 'trois voitures sur dix' (30)."""
    out: dict[int, Quantity] = {}
    for m in lex.fraction_words.finditer(text):
        value = pack.phrasing.numbers["fractions"][re.sub(r"\s+", " ", m.group("frac").lower())]
        out[m.start()] = _share(text, m.start(), m.end(), value, lex)
    for m in FRACTION_DIGITS.finditer(text):
        num, den = int(m.group("num")), int(m.group("den"))
        if 0 < num < den <= 12:
            out[m.start()] = _share(text, m.start(), m.end(), round(100 * num / den, 2), lex)
    for m in lex.out_of.finditer(text):
        num, den = parse_number(m.group("num")), parse_number(m.group("den"))
        if num is not None and den and 0 < num < den <= 100:
            out[m.start()] = _share(text, m.start(), m.end(), round(float(100 * num / den), 2), lex)
    return out


def _share(text: str, start: int, end: int, value: float, lex: _Lexicon) -> Quantity:
    return Quantity(value=float(value), unit="percent", approx=_approx(text, start, lex), start=start, end=end,
                    text=text[start:end])


FRACTION_DIGITS = re.compile(r"(?<![\w/.,])(?P<num>\d{1,2})\s?/\s?(?P<den>\d{1,2})(?![\w/])")


def _compare(text: str, quantities: list[Quantity], lex: _Lexicon) -> list[Quantity]:
    """'..., contre 345 000 en 2023': a bare figure compared with the previous one takes its unit."""
    out: list[Quantity] = []
    for q in quantities:
        prev = out[-1] if out else None
        if prev is not None and q.start - prev.end < 80 and lex.comparison.search(text[max(prev.end, q.start - 50):q.start]):
            unit = q.unit or prev.unit
            scale = 1.0
            if q.unit is None and prev.value_high is None and prev.text and q.value < prev.value / 500:
                scale = _scale_of(prev, text)  # 'contre 2,1' after '2,4 milliards': same scale
            q = _replace(q, unit=unit, value=q.value * scale, compared=True)
        out.append(q)
    return out


def _number_matches(text: str, lex: _Lexicon) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of written numbers: digits (with their sign), number words, ordinals."""
    spans = [(m.start("sign") if m.group("sign") else m.start("num"), m.end()) for m in DIGITS_RE.finditer(text)]
    spans += [m.span() for m in lex.words.finditer(text)] + [m.span() for m in lex.ordinal.finditer(text)]
    spans += [m.span("noun") if m.group("noun") else m.span("lone") for m in lex.approximate.finditer(text)]
    spans.sort(key=lambda s: (s[0], -s[1]))
    kept, last_end = [], -1
    for start, end in spans:
        if start >= last_end:
            kept.append((start, end))
            last_end = end
    return kept


def _complete(text: str, start: int, end: int, written: str, pack: DomainPack, lex: _Lexicon) -> Quantity | None:
    """Turn a written number into a Quantity by reading its scale, unit and approximation around it."""
    value = _value_of(written, pack, lex)
    if value is None or lex.rank.search(text, max(0, start - 12), start):
        return None  # not a number, or a rank ('dans le top 10 des ventes', 'au rang 3')
    signed = written[:1] in "+-−"
    unit, scale, end = _read_unit(text, end, lex, pack)
    weak = written.lower() in pack.phrasing.numbers["number_words"].get("weak", [])
    if weak and scale == 1:
        return None
    unit = unit or _unit_before(text, start, lex, pack)
    if unit is None and YEAR_RE.match(written):
        return None
    approx = "about" if written.lower() in pack.phrasing.numbers.get("approximate", {}) else _approx(text, start, lex)
    value = _counted(value, written, unit, scale, pack)
    return Quantity(value=float(value * scale), unit=unit, approx=approx,
                    start=start, end=end, signed=signed, text=text[start:end])


def _counted(value: Decimal, written: str, unit: str | None, scale: Decimal, pack: DomainPack) -> Decimal:
    """A count (vehicles, jobs...) is whole: '24.7951 véhicules' is a thousands dot misplaced, 247 951."""
    if unit in pack.units["counts"] and scale == 1 and value != value.to_integral_value() and "." in written and "," not in written:
        digits = parse_number(written.replace(".", ""))
        return digits if digits is not None else value
    return value


def _value_of(written: str, pack: DomainPack, lex: _Lexicon) -> Decimal | None:
    ordinals = pack.phrasing.numbers.get("ordinal_values", {})
    if written.lower() in ordinals:
        return Decimal(str(ordinals[written.lower()]))
    approximate = pack.phrasing.numbers.get("approximate", {})
    if written.lower() in approximate:
        return Decimal(str(approximate[written.lower()]))
    return parse_number(written, pack.phrasing.numbers.get("decimal_separator", ","))


def _read_unit(text: str, end: int, lex: _Lexicon, pack: DomainPack) -> tuple[str | None, Decimal, int]:
    """Scale, code or unit words after a number: returns (unit, multiplier, new end)."""
    scale = Decimal(1)
    code = lex.code.match(text, end)
    if code:
        spec = pack.units["codes"][code.group("code")]
        return spec["unit"], Decimal(str(spec["scale"])), code.end()
    m = lex.scale.match(text, end)
    if m:
        scale, end = Decimal(str(pack.phrasing.numbers["scales"][m.group("scale").lower()])), m.end()
        code = lex.code.match(text, end)
        if code:
            spec = pack.units["codes"][code.group("code")]
            return spec["unit"], scale * Decimal(str(spec["scale"])), code.end()
    m = lex.percent.match(text, end)
    if m:
        return "percent", scale, m.end()
    m = lex.unit.match(text, end) or lex.count_phrase.match(text, end)
    if not m:
        return None, scale, end
    unit = pack.units["words"][m.group("unit").lower()]
    per_year = lex.per_year.match(text, m.end())
    if per_year and unit in pack.units["per_year"].get("units", {}):
        return pack.units["per_year"]["units"][unit], scale, per_year.end()
    if lex.per_period.match(text, m.end()):
        return RATE, scale, m.end()  # '1 686 véhicules produits par jour': a rate, which no metric holds
    return unit, scale, m.end()


def _unit_before(text: str, start: int, lex: _Lexicon, pack: DomainPack) -> str | None:
    m = lex.unit_before.search(text[max(0, start - 6):start])
    return pack.units["words"][m.group("unit").lower()] if m else None


def _approx(text: str, start: int, lex: _Lexicon) -> str:
    m = lex.approx.search(text[max(0, start - 60):start])
    return m.lastgroup if m else "exact"


def _merge_ranges(text: str, quantities: list[Quantity], lex: _Lexicon) -> list[Quantity]:
    """'entre 2 et 3 milliards' -> one range; 'passé de 300 000 à 500 000' -> two levels, the first marked as the
    level the change starts from."""
    out: list[Quantity] = []
    for q in quantities:
        prev = out[-1] if out else None
        gap = text[prev.end:q.start] if prev is not None else ""
        dated = prev is not None and bool(lex.dated_joiner.fullmatch(gap))  # 'de 40 % en 2016 à 65 % en 2023'
        if prev is None or not (lex.joiner.fullmatch(gap) or dated):
            out.append(q)
            continue
        before = text[max(0, prev.start - 60):prev.start]
        if q.unit is None and prev.unit is not None and lex.change.search(before):
            # 'faire passer la production de 700 000 voitures par an à 1 million', 'de 1 886 unités en 2019 à 4 196
            # en 2021': the new level, in the same unit
            out[-1] = _replace(prev, start_level=True)
            out.append(_replace(q, unit=prev.unit))
            continue
        if prev.unit not in (None, q.unit) or q.unit is None:
            out.append(q)
            continue
        scaled = prev.unit or _scale_of(prev, text) != 1.0  # '23 milliards' carries its scale already
        if lex.change.search(before):  # 'passé de 300 000 à 500 000': the level it starts from, then the new one
            low = prev.value if scaled else prev.value * _scale_of(q, text)
            out[-1] = _replace(prev, unit=prev.unit or q.unit, value=low, start_level=True)
            out.append(q)
        elif not dated and (lex.opener.search(before) or gap.strip() in ("-", "–", "à")):
            low = prev.value if scaled else prev.value * _scale_of(q, text)
            out[-1] = Quantity(value=low, unit=q.unit, approx=prev.approx, start=prev.start, end=q.end,
                               value_high=q.value, signed=prev.signed, text=text[prev.start:q.end])
        else:
            out.append(q)
    return out


def _scale_of(q: Quantity, text: str) -> float:
    """The multiplier the upper end of a range carries, to apply to a bare lower end ('2 et 3 milliards')."""
    digits = parse_number(DIGITS_RE.match(text, q.start).group(0)) if DIGITS_RE.match(text, q.start) else None
    if not digits:
        return 1.0
    return q.value / float(digits)


def _replace(q: Quantity, **changes) -> Quantity:
    fields = {f: getattr(q, f) for f in q.__slots__}
    fields.update(changes)
    return Quantity(**fields)


@lru_cache(maxsize=8)
def _lexicon(pack: DomainPack) -> _Lexicon:
    numbers, units = pack.phrasing.numbers, pack.units
    unit_words = alternation(units["words"])
    adjectives = alternation(units["adjectives"]["words"])
    approx = "|".join(f"(?P<{k}>(?:{alternation(v)}))" for k, v in pack.phrasing.approx.items())
    ranges = numbers.get("ranges", {})
    nw = alternation(numbers["number_words"]["words"])
    return _Lexicon(
        scale=re.compile(rf"[\s\u00a0\u202f]*(?P<scale>{alternation(numbers['scales'])})(?![\w€$])", re.I),
        code=re.compile(rf"[\s\u00a0\u202f]*(?:de\s+|d['’]\s*)?(?P<code>{alternation(units['codes'], ignore_case=False)})(?![\w])"),
        percent=re.compile(rf"[\s\u00a0\u202f]*(?:{alternation(numbers['percent']['words'])})(?!\w)", re.I),
        unit=re.compile(rf"[\s\u00a0\u202f]*(?:(?:de|des|d['’])\s*)?(?:(?:{adjectives})\s+){{0,2}}"
                        rf"(?P<unit>{unit_words})(?![\w])", re.I),
        unit_before=re.compile(r"(?P<unit>\$|€|USD|EUR|MAD)\s*$"),
        per_year=re.compile(rf"\s*(?:{alternation(units['per_year']['words'])})(?!\w)", re.I),
        # 'une vingtaine de sociétés', 'contre un millier à son démarrage' (after 'un', no 'de' needed)
        rank=re.compile(rf"(?<!\w)(?:{alternation(numbers.get('rank_words') or [NEVER])})\s*$", re.I),
        approximate=re.compile(rf"(?<!\w)(?:(?P<noun>{alternation(numbers.get('approximate') or [NEVER])})"
                               rf"(?=\s+(?:de|d['’]))|(?:une?\s+)(?P<lone>{alternation(numbers.get('approximate') or [NEVER])})"
                               rf"(?!\w))", re.I),
        fraction_words=re.compile(rf"(?<!\w)(?:la|le|les|l['’]|une?|du|des)\s*(?P<frac>{alternation(numbers.get('fractions') or [NEVER])})"
                                  rf"(?=\s+(?:de|des|du|d['’]))", re.I),
        out_of=re.compile(rf"(?<![\w,.])(?P<num>\d{{1,2}}|{nw})\s+(?:{unit_words})\s+sur\s+(?P<den>\d{{1,3}}|{nw})(?!\w)",
                          re.I),
        per_period=re.compile(rf"(?:\s+[\w’'-]+){{0,2}}?\s*(?:{alternation(units.get('per_period', {}).get('words', [NEVER]))})"
                              rf"(?!\w)", re.I),
        approx=re.compile(rf"(?<!\w)(?:{approx})\s*(?:les\s+|des\s+|de\s+|d['’]\s*|l['’]\s*)?$", re.I),
        words=re.compile(rf"(?<![\w-])(?:{nw})(?:[\s-]+(?:{nw}))*(?![\w-])", re.I),
        ordinal=re.compile(rf"(?<![\w])(?:{alternation(numbers.get('ordinal_values') or [NEVER])})(?!\w)", re.I),
        joiner=re.compile(rf"\s*(?:{alternation(ranges.get('joiners', ['-']))})\s*", re.I),
        opener=re.compile(rf"(?<!\w)(?:{alternation(ranges.get('openers', ['entre']))})\s*$", re.I),
        # 'porter sa capacité de production initiale de 100 000 à 200 000': up to six words between verb and 'de'
        dated_joiner=re.compile(rf"\s*(?:en|fin|à fin|au cours de)\s+(?:19|20)\d\d\s*(?:{alternation(ranges.get('joiners', ['-']))})\s*",
                                re.I),
        change=re.compile(rf"(?<!\w)(?:{alternation(ranges.get('change_verbs', ['passant']))})(?:\s+[^\W\d]+){{0,6}}?\s+(?:de|d['’])\s*$",
                          re.I),
        count_phrase=re.compile(rf"\s*(?::\s*c['’]est\s+)?(?:le|la)\s+(?:{alternation(numbers.get('count_nouns', ['nombre']))})"
                                rf"\s+(?:de|d['’])\s*(?P<unit>{unit_words})(?![\w])", re.I),
        # 'contre 345 000', 'contre un objectif initial de 65 %': the compared figure, up to three words after the cue
        comparison=re.compile(rf"(?<!\w)(?:{alternation(numbers.get('comparison', {}).get('words', ['contre']))})"
                              rf"(?:\s*(?:les\s+|des\s+|de\s+|d['’]\s*)?|(?:\s+[^\W\d]+){{1,3}}\s+(?:de|d['’])\s*)$",
                              re.I),
    )
