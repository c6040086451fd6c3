"""A figure's scope from its words: the site, segment and period it covers (shared/spec/FACTS.md, ``scope``).

``derive_scope`` reads a text (a figure's clause, a qualifier) with the pack's scope vocabulary
(``<pack>/scope.toml``) and the language's time words:
1. fold the text (case and accents, apostrophes, hyphens, spaces) the way the vocabulary is folded;
2. find every phrase of the vocabulary in it, the longer of two overlapping ones winning;
3. sites: a facility or a bare place name; a place right after a facility is its town, a site after a destination
   cue ("vers") is where goods go; two different sites give none (a total of several, or another figure's);
4. segments: one model named gives the model, several their common category; else one category, or the category
   that includes those named; a segment kept to other metrics is left out when the metric is known;
5. periods: a part of a year ("premier semestre", months counted from January: "huit premiers mois", "à fin
   août") before a span of years ("en moins de dix ans") or the cumulative period; a period after a deadline or
   start cue ("d'ici le premier semestre") dates a promise and is no period of the figure, nor is a promise's
   "à fin juin" or "en deux ans".

``figure_clause`` finds a figure in its sentence by its value and returns its own clause, so that a stored record
without a scope gets the words of its clause, not of its neighbours' (a total, then each plant's share in brackets).
No industry word is written here: every phrase comes from the pack.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .order import alternation, longest_first

SCOPE_KEYS = ("site", "segment", "period")
AMBIGUOUS = "\x00ambiguous"  # a key the text names twice, differently: decided, but to no value


@dataclass(frozen=True, slots=True)
class Site:
    """A plant, terminal or other facility: its normalised name, the phrases naming it, its bare place names."""

    name: str
    phrases: tuple[str, ...] = ()
    places: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class ScopeVocabulary:
    """The pack's scope words (scope.toml), validated by filiere.domains.packs."""

    sites: tuple[Site, ...]
    categories: dict[str, tuple[str, ...]]
    includes: dict[str, frozenset[str]]
    models: dict[str, tuple[str, ...]]
    periods: dict[str, tuple[str, ...]]
    cumulative: str
    months_patterns: tuple[str, ...]
    months_label: str
    months_named: dict[int, str]
    articles: tuple[str, ...]
    clause_breaks: tuple[str, ...]
    clause_punctuation: tuple[str, ...]
    breaks_before_number: tuple[str, ...] = ()
    forecast_subject_kinds: tuple[str, ...] = ()
    forecast_cues: tuple[str, ...] = ()
    milestone_figures: dict[str, tuple[str, ...]] = field(default_factory=dict)
    keyword_ignore: frozenset[str] = frozenset()
    years_patterns: tuple[str, ...] = ()
    years_label: str = "{n}"
    neutral: tuple[str, ...] = ()
    site_connectors: tuple[str, ...] = ()
    site_destinations: tuple[str, ...] = ()
    members: dict[str, str] = field(default_factory=dict)  # model -> its category
    segment_metrics: dict[str, frozenset[str]] = field(default_factory=dict)  # segment -> the only metrics it fits

    def is_partial(self, period: str | None) -> bool:
        """A part of a year (it can show a yearly target met, never missed): not the cumulative period, nor a
        period of several years."""
        if not period or period == self.cumulative:
            return False
        if period in self.periods or period in self.months_named.values():
            return True
        head, _, tail = self.months_label.partition("{n}")
        middle = period[len(head):len(period) - len(tail)] if period.startswith(head) and period.endswith(tail) else ""
        return middle.isdigit()


def fold(text: str) -> str:
    """Text as the vocabulary is matched: accents dropped, apostrophes and hyphens unified, spaces collapsed
    (case kept: capitals-only phrases are matched in capitals)."""
    return _fold_pair(text)[0]


def _fold_pair(text: str) -> tuple[str, str]:
    """The folded text, and the same characters with their accents (lower case): time cues are told apart by
    their accents ("dès" starts a promise, "des" is an article)."""
    folded, accented, _ = _fold_three(text)
    return folded, accented


_JOINING_HYPHEN = re.compile(r"(?<=[^\W_])[-‐‑](?=[^\W_])")  # between two letters or digits (as str.isalnum)
_SPACES = re.compile(r"\s+")
_GLUED_PERCENT = re.compile(r"(?<=[^ ])%")
_QUOTES = str.maketrans("’‘`´", "'" * 4)


class _CharTable(dict):
    """A ``str.translate`` table filled as characters are met: one character out for each character in."""

    def __init__(self, convert):
        super().__init__()
        self.convert = convert

    def __missing__(self, code: int) -> str:
        out = self[code] = self.convert(chr(code))
        return out


_FOLD = _CharTable(lambda c: _base(c))
_LOWER = _CharTable(lambda c: c.lower() if len(c.lower()) == 1 else c)


@lru_cache(maxsize=65536)
def _fold_three(text: str) -> tuple[str, str, str]:
    """The folded text, its accented lower-case twin, and its accented twin as written: one character each for one
    character of the folded text, so that a span found in one is the same span in the others.

    As written: a hyphen joining two letters or digits becomes a space ('Renault-Nissan'), typographic quotes an
    apostrophe, each run of spaces one space (none at the start), and a '%' glued to what precedes it gets a
    space before it ('12%'); the folded twin then drops the accents and the accented one lowers the case, a
    character for a character (``str.translate``: this runs on every clause a scope is read from); the three end
    where the folded text's trailing spaces begin.
    """
    written = _JOINING_HYPHEN.sub(" ", text or "").translate(_QUOTES)
    written = _GLUED_PERCENT.sub(" %", _SPACES.sub(" ", written).lstrip(" "))
    folded = written.translate(_FOLD)
    keep = len(folded.rstrip(" "))
    return folded[:keep], written.translate(_LOWER)[:keep], written[:keep]


@lru_cache(maxsize=4096)
def _base(c: str) -> str:
    """A letter without its accent, when it is a letter and its accents (one character in, one out)."""
    decomposed = unicodedata.normalize("NFKD", c)
    if len(decomposed) > 1 and all(unicodedata.combining(d) for d in decomposed[1:]):
        return decomposed[0]
    return c


def derive_scope(text: str, pack, kind: str | None = None, metric: str | None = None) -> dict[str, str] | None:
    """The scope a text gives a figure, in the pack's normalised values.

    Args:
        text: the figure's clause, a qualifier, or a sentence.
        pack: a DomainPack (its ``scope`` vocabulary and its language's time words).
        kind: the figure's kind; for a ``target``, "à fin juin" or "en deux ans" is its deadline, not its period.
        metric: the figure's metric, when known: a segment the vocabulary keeps to other metrics is left out.
    Returns:
        ``{"site": ..., "segment": ..., "period": ...}`` with the keys the text narrows, or None when it narrows
        nothing.
    """
    found = {k: v for k, v in read_scope(text, pack, kind, metric).items() if v != AMBIGUOUS}
    return found or None


def read_scope(text: str, pack, kind: str | None = None, metric: str | None = None) -> dict[str, str]:
    """Like derive_scope, but a key named twice differently is kept, as AMBIGUOUS (it is decided: no value)."""
    return dict(_read_cached(text or "", pack, kind == "target", metric))


@lru_cache(maxsize=65536)
def _read_cached(text: str, pack, target: bool, metric: str | None) -> tuple[tuple[str, str], ...]:
    """One reading per text: the sentences of a store repeat (several figures in one sentence)."""
    return tuple(_read(text, _compiled(pack), target, metric))


def find_sites(text: str, pack) -> list[str]:
    """Every site a text names (facilities and bare places, not destinations), in text order, each once: the
    details two descriptions of one promised plant may differ by."""
    matcher = _compiled(pack)
    folded, accented = _fold_pair(text or "")
    out: list[str] = []
    for start, _, (klass, value, _) in matcher.matches(folded):
        if klass == "site" and value not in out and not matcher.after_cue(accented, start, matcher.destinations):
            out.append(value)
    return out


def figure_clause(text: str, value: float, pack) -> str | None:
    """The clause of a sentence that holds a figure of this value, or None when the value is not found written
    in digits (a figure in words, a rounded restatement): then the whole sentence is all there is."""
    matcher = _compiled(pack)
    folded, _, written = _fold_three(text or "")
    span = matcher.locate(folded, value)
    if span is None:
        return None
    return matcher.clause(folded, written, *span)


def keywords(text: str, pack) -> tuple[str, ...]:
    """Content words of a description (folded, lower case, plural s/x dropped), for records without the
    extractor's keywords."""
    ignore = _compiled(pack).ignore
    words = re.findall(r"[\w&]+", fold(text).lower())
    return tuple(sorted({_singular(w) for w in words if len(w) > 1 and w not in ignore}))


def is_forecast_cue(text: str, pack) -> bool:
    """The text attributes a target to a forecast ("selon les prévisions ...")."""
    regex = _compiled(pack).forecast
    return regex is not None and regex.search(fold(text)) is not None


def milestone_metric(what: str, pack) -> str | None:
    """The metric whose actual figures show this milestone done ("sortie des premiers véhicules":
    production_volume), from the phrases its description starts with; None for other milestones."""
    folded = fold(what).lower()
    for article in sorted(pack.scope.articles, key=len, reverse=True):
        start = fold(article).lower()  # folded: "dès" is no article, but no description starts with it
        if folded.startswith(start + " ") or (start.endswith("'") and folded.startswith(start)):
            folded = folded[len(start):].lstrip()
            break
    for metric, phrases in pack.scope.milestone_figures.items():
        for phrase in phrases:
            p = fold(phrase).lower()
            if folded == p or folded.startswith(p + " "):
                return metric
    return None


# matching --------------------------------------------------------------------------------------------------

class _Matcher:
    """The vocabulary of one pack compiled into a few regular expressions."""

    def __init__(self, pack):
        vocab: ScopeVocabulary = pack.scope
        self.vocab = vocab
        entries: dict[tuple[str, bool], tuple[str, str, str]] = {}  # (folded phrase, capitals) -> (class, value, tier)
        for site in vocab.sites:
            for phrase in site.phrases:
                entries.setdefault(_key(phrase), ("site", site.name, "facility"))
            for phrase in site.places:
                entries.setdefault(_key(phrase), ("site", site.name, "place"))
        for name, phrases in vocab.models.items():
            for phrase in phrases:
                entries.setdefault(_key(phrase), ("segment", name, "model"))
        for name, phrases in vocab.categories.items():
            for phrase in phrases:
                entries.setdefault(_key(phrase), ("segment", name, "category"))
        for name, phrases in vocab.periods.items():
            for phrase in phrases:
                entries.setdefault(_key(phrase), ("period", name, "named"))
        for phrase in vocab.neutral:
            entries[_key(phrase)] = ("neutral", "", "neutral")
        self.entries = {(p.lower() if not caps else p, caps): v for (p, caps), v in entries.items()}
        self.insensitive = _alternation([p for p, caps in entries if not caps], re.IGNORECASE)
        self.capitals = _alternation([p for p, caps in entries if caps], 0)
        time = pack.phrasing.time
        self.months = {fold(k).lower(): v for k, v in time.get("months", {}).items()}
        roles = time.get("roles", {})
        self.promise_cues = longest_first({_fold_pair(c)[1] for r in ("deadline", "start", "since")
                                           for c in roles.get(r, [])})
        end_cues = longest_first({fold(c).lower() for c in roles.get("end", [])})
        words = pack.phrasing.numbers.get("number_words", {})
        number_words = [w for w in words.get("words", []) if w not in set(words.get("weak", []))]
        self.language = pack.phrasing.name
        self.months_patterns = [_months_regex(p, self.months, end_cues, number_words) for p in vocab.months_patterns]
        self.years_patterns = [_months_regex(p, self.months, end_cues, number_words)[0] for p in vocab.years_patterns]
        self.articles = sorted((_fold_pair(a)[1] for a in vocab.articles), key=len, reverse=True)
        self.connectors = {_fold_pair(c)[1] for c in vocab.site_connectors}
        self.destinations = sorted((_fold_pair(c)[1] for c in vocab.site_destinations), key=len, reverse=True)
        self.ignore = frozenset(fold(w).lower() for w in vocab.keyword_ignore)
        breaks = "|".join(re.escape(fold(b).lower()) for b in sorted(vocab.clause_breaks, key=len, reverse=True))
        before_number = "|".join(re.escape(fold(b).lower()) for b in vocab.breaks_before_number)
        parts = [rf"(?<!\d){re.escape(p)}|{re.escape(p)}(?!\d)" if p in ",." else re.escape(p)
                 for p in vocab.clause_punctuation if p not in "()"]
        if breaks:
            parts.append(rf"(?<!\w)(?:{breaks})(?!\w)")
        if before_number:
            parts.append(rf"(?<!\w)(?:{before_number})(?= \d)")
        self.boundaries = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        self.parenthesis = "(" in vocab.clause_punctuation
        scales = longest_first({fold(s).lower() for s in pack.phrasing.numbers.get("scales", {})} |
                               {fold(c).lower() for c in pack.units.get("codes", {})})
        self.scale_words = "|".join(re.escape(s) for s in scales if s)
        cues = "|".join(re.escape(fold(c)) for c in sorted(vocab.forecast_cues, key=len, reverse=True))
        self.forecast = re.compile(rf"(?<!\w)(?:{cues})(?!\w)", re.IGNORECASE) if cues else None

    def matches(self, folded: str) -> list[tuple[int, int, tuple[str, str, str]]]:
        """Vocabulary phrases in a folded text, overlaps resolved in favour of the longer, in text order."""
        found = []
        for regex, caps in ((self.insensitive, False), (self.capitals, True)):
            if regex is None:
                continue
            for m in regex.finditer(folded):
                phrase = m.group(1)
                entry = self.entries.get((phrase if caps else phrase.lower(), caps))
                if entry:
                    found.append((m.start(), m.start() + len(phrase), entry))
        kept: list[tuple[int, int, tuple[str, str, str]]] = []
        for start, end, entry in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
            if all(end <= s or start >= e for s, e, _ in kept):
                kept.append((start, end, entry))
        return sorted(kept, key=lambda f: f[0])

    def after_cue(self, accented: str, start: int, cues: list[str]) -> bool:
        """The text just before this position ends with one of the cues (whole words)."""
        before = accented[:start].rstrip()
        return any(before == cue or before.endswith((" " + cue, "'" + cue)) or (cue.endswith("'") and
                   before.endswith(cue) and start > 0 and accented[start - 1] == "'") for cue in cues)

    def linked(self, accented: str, facility_end: int, place_start: int) -> bool:
        """A place right after a facility, with only a connector between: where that facility stands."""
        between = accented[facility_end:place_start].strip()
        return facility_end <= place_start and (not between or between in self.connectors)

    def after_promise_cue(self, accented: str, start: int) -> bool:
        """A period at this position follows a deadline or start cue ("d'ici le premier semestre", "dès le")."""
        before = accented[:start].rstrip()
        changed = True
        while changed:
            changed = False
            for article in self.articles:
                if before.endswith(" " + article) or before == article or \
                        (article.endswith("'") and before.endswith(article)):
                    before = before[:len(before) - len(article)].rstrip()
                    changed = True
                    break
        return any(before == cue or before.endswith((" " + cue, "'" + cue)) for cue in self.promise_cues)

    def months_to_date(self, folded: str, accented: str, target: bool) -> list[tuple[int, str]]:
        """(position, period name) of each months-from-January phrase."""
        out = []
        for regex, uses_end in self.months_patterns:
            if target and uses_end:
                continue  # "à fin juin 2026" in a promise is its deadline
            for m in regex.finditer(folded):
                count = _count(m, self.months, self.language)
                if count is None or self.after_promise_cue(accented, m.start()):
                    continue
                out.append((m.start(), self.month_period(count)))
        return out

    def several_years(self, folded: str, accented: str, target: bool) -> list[tuple[int, str]]:
        """(position, period name) of each span of several years ("en moins de dix ans"); none in a promise, where
        "en deux ans" is its deadline."""
        out = []
        if target:
            return out
        for regex in self.years_patterns:
            for m in regex.finditer(folded):
                count = _count(m, self.months, self.language, 100)
                if count is not None and count > 1:
                    out.append((m.start(), self.vocab.years_label.replace("{n}", str(count))))
        return out

    def month_period(self, count: int) -> str:
        if count >= 12:
            return ""  # the whole year: no period
        return self.vocab.months_named.get(count) or self.vocab.months_label.replace("{n}", str(count))

    def locate(self, folded: str, value: float) -> tuple[int, int] | None:
        """The span of a figure of this value written in digits (with or without a scale word)."""
        for pattern in _number_patterns(value, self.scale_words):
            m = re.search(pattern, folded, re.IGNORECASE)
            if m:
                return m.start(), m.end()
        return None

    def clause(self, folded: str, written: str, start: int, end: int) -> str:
        """The clause around a span, as written: between the boundaries before and after it; a parenthesis that
        does not hold the span is left out, one that holds it is the clause."""
        text = folded
        if self.parenthesis:
            keep = _without_other_parentheses(text, start, end)
            text, written = "".join(text[i] for i in keep), "".join(written[i] for i in keep)
            start, end = keep.index(start), keep.index(end - 1) + 1
        left, right = 0, len(text)
        if self.boundaries is not None:
            for b in self.boundaries.finditer(text):
                if b.end() <= start:
                    left = b.end() if b.group() in self.vocab.clause_punctuation else b.start()
                elif b.start() >= end:
                    right = b.start()
                    break
        return written[left:right].strip()


def _read(text: str, matcher: _Matcher, target: bool, metric: str | None = None) -> list[tuple[str, str]]:
    folded, accented = _fold_pair(text)
    if not folded:
        return []
    vocab = matcher.vocab
    tiers: dict[str, list[str]] = {"facility": [], "place": [], "model": [], "category": []}
    periods: list[tuple[int, str]] = []
    facilities: list[int] = []  # where each facility phrase ends
    for start, end, (klass, value, tier) in matcher.matches(folded):
        if klass == "neutral":
            continue
        if klass == "period":
            if not matcher.after_promise_cue(accented, start):
                periods.append((start, value))
            continue
        if klass == "site":
            if matcher.after_cue(accented, start, matcher.destinations):
                continue  # "exportés vers l'Europe": where goods go
            if tier == "facility":
                facilities.append(end)
            elif any(matcher.linked(accented, e, start) for e in facilities):
                continue  # "hub digital à Casablanca": the facility's town
        if klass == "segment" and metric and metric not in vocab.segment_metrics.get(value, {metric}):
            continue
        if value not in tiers[tier]:
            tiers[tier].append(value)
    periods += matcher.months_to_date(folded, accented, target) + matcher.several_years(folded, accented, target)
    out = []
    site = _one(tiers["facility"] + [p for p in tiers["place"] if p not in tiers["facility"]])
    if site:
        out.append(("site", site))
    segment = _segment(tiers["model"], tiers["category"], vocab)
    if segment:
        out.append(("segment", segment))
    if periods:  # a part of the year first: "livraisons cumulées sur 11 mois" count the months of one year
        partial = [p for p in periods if vocab.is_partial(p[1])]
        period = min(partial or periods)[1]
        if period:
            out.append(("period", period))
    return out


def _one(values: list[str]) -> str | None:
    if not values:
        return None
    return values[0] if len(values) == 1 else AMBIGUOUS


def _segment(models: list[str], categories: list[str], vocab: ScopeVocabulary) -> str | None:
    if len(models) == 1:
        return models[0]
    if len(models) > 1:  # several models: their common category, whatever else is named
        common = {vocab.members.get(m) for m in models}
        return common.pop() if len(common) == 1 and None not in common else AMBIGUOUS
    if len(categories) == 1:
        return categories[0]
    if categories:
        wider = [c for c in categories if set(categories) - {c} <= vocab.includes.get(c, frozenset())]
        if len(wider) == 1:
            return wider[0]
        for name, parts in vocab.includes.items():
            if set(categories) <= parts | {name}:
                return name
        return AMBIGUOUS
    return AMBIGUOUS if models else None


@lru_cache(maxsize=8)
def _compiled(pack) -> _Matcher:
    return _Matcher(pack)


def _key(phrase: str) -> tuple[str, bool]:
    folded = fold(phrase)
    letters = [c for c in folded if c.isalpha()]
    return folded, bool(letters) and all(c.isupper() for c in letters)


def _alternation(phrases: list[str], flags: int) -> re.Pattern | None:
    """Every phrase at every position (a lookahead, so overlapping phrases are all seen), longest first (grouped
    by first letter: the same matches, faster)."""
    if not phrases:
        return None
    body = alternation(phrases, bool(flags & re.IGNORECASE))
    return re.compile(rf"(?<!\w)(?=((?:{body}))(?!\w))", flags)


def _months_regex(pattern: str, months: dict[str, int], end_cues: list[str], number_words: list[str]):
    months_alt = "|".join(re.escape(m) for m in sorted(months, key=len, reverse=True))
    words_alt = "|".join(re.escape(fold(w).lower()) for w in sorted(number_words, key=len, reverse=True))
    ends_alt = "|".join(re.escape(c) for c in end_cues)
    body = re.escape(fold(pattern).lower())
    body = body.replace(r"\{n\}", rf"(?P<n>\d{{1,2}}|(?:{words_alt})(?:[ ](?:{words_alt}))*)")
    body = body.replace(r"\{month\}", rf"(?P<month>{months_alt})")
    body = body.replace(r"\{end\}", rf"(?:{ends_alt})")
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE), "{end}" in pattern


def _count(m: re.Match, months: dict[str, int], language: str, most: int = 12) -> int | None:
    groups = m.groupdict()
    if groups.get("month"):
        return months.get(groups["month"].lower())
    n = groups.get("n")
    if n is None:
        return None
    if n.isdigit():
        count = int(n)
    else:
        from text_to_num import text2num  # number words ("huit", "onze"), read as nlp/numbers.py reads them

        try:
            count = int(text2num(n.lower(), language))
        except ValueError:
            return None
    return count if 1 <= count <= most else None


def _number_patterns(value: float, scale_words: str) -> list[str]:
    """Regular expressions for a value written in digits: as is, or in thousands, millions, billions."""
    out = []
    for scale in (1, 1e3, 1e6, 1e9):
        mantissa = abs(value) / scale
        if scale > 1 and mantissa < 1:
            break
        text = f"{mantissa:.3f}".rstrip("0").rstrip(".")
        if abs(float(text) - mantissa) > 1e-6 * max(1.0, mantissa):
            continue
        whole, _, decimals = text.partition(".")
        groups = [whole[max(0, i - 3):i] for i in range(len(whole), 0, -3)][::-1]
        body = r"[ .']?".join(groups) + (rf"[,.]{decimals}" if decimals else "")
        pattern = rf"(?<![\d])(?<!\d[ .,']){body}(?!\d)(?![.,]\d)(?![ .']\d{{3}}(?!\d))"
        if len(whole) == 1 and not decimals and scale > 1:
            if not scale_words:
                continue
            pattern += rf"(?= ?(?:{scale_words})(?!\w))"  # a lone digit only before its scale word
        out.append(pattern)
    return sorted(out, key=len, reverse=True)


def _without_other_parentheses(text: str, start: int, end: int) -> list[int]:
    """The positions kept: inside the parenthesis that holds the span, or all but the parentheses that do not."""
    for m in re.finditer(r"\(([^()]*)\)", text):
        if m.start() < start and end <= m.end():
            return list(range(m.start() + 1, m.end() - 1))
    dropped = set()
    for m in re.finditer(r"\([^()]*\)", text):
        dropped.update(range(m.start(), m.end()))
    return [i for i in range(len(text)) if i not in dropped]


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss") else word


def scope_dict(value: Any) -> dict[str, str] | None:
    """A scope as stored or printed: only the keys FACTS.md names, with text values; None when empty."""
    if not isinstance(value, dict):
        return None
    out = {k: value[k] for k in SCOPE_KEYS if isinstance(value.get(k), str) and value[k]}
    return out or None
