"""Cleaning crawled article text: what is not the article goes, and is recorded.

``clean_text`` runs these steps in order, line by line:
1. blank lines: whitespace-only lines are blank; runs of blank lines become one;
2. ad markers ("Advertisement", "- Publicité -") and the short lines right next to them (teasers, site names);
3. teaser and navigation lines ("Lire aussi I ...", "Voir aussi : ...");
4. contact lines (a URL, an e-mail or a phone number on a short line);
5. repeats: a short line (a headline, a site name) or a paragraph seen before in the document.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..domains.packs import _read_toml, _root
from ..errors import DomainPackError
from ..records import Location, Removal

BULLETS = " \t-–—•·*|×>_:"
FINAL = re.compile(r"[.!?»”\"…)]\s*$")
CONTACT = re.compile(r"(https?://|www\.|\b[\w.+-]+@[\w-]+\.[\w.]+|\+?\d[\d .()-]{7,}\d)")


@dataclass(frozen=True, slots=True)
class CleaningCues:
    """The words cleaning looks for, from ``domains/<lang>/cleaning.toml``."""

    ad_markers: frozenset[str]
    teaser_prefixes: tuple[str, ...]
    contact_words: tuple[str, ...]
    short_line_words: int
    ad_neighbour_words: int
    date_markers: tuple[str, ...] = ()


@lru_cache(maxsize=4)
def load_cues(language: str = "fr") -> CleaningCues:
    """Cleaning cues of a language folder, validated."""
    path = _root() / language / "cleaning.toml"
    data = _read_toml(path)
    for key in ("ad_markers", "teaser_prefixes", "contact_words"):
        if not isinstance(data.get(key), list) or not all(isinstance(v, str) for v in data[key]):
            raise DomainPackError(path, f"key '{key}': must be a list of strings")
    return CleaningCues(frozenset(_fold(w) for w in data["ad_markers"]),
                        tuple(_fold(w) for w in data["teaser_prefixes"]), tuple(data["contact_words"]),
                        int(data.get("short_line_words", 12)), int(data.get("ad_neighbour_words", 10)),
                        tuple(data.get("date_markers", [])))


def split_date_marker(text: str, cues: CleaningCues | None = None) -> tuple[str, str | None]:
    """(text, date): a leading date marker of a search index's record ('date 2019-01 Le groupe ...') blanked out
    (as many spaces, so that offsets into the text still hold), and the date it gives; (text, None) when none."""
    cues = cues or load_cues()
    if not cues.date_markers:
        return text, None
    words = "|".join(re.escape(w) for w in cues.date_markers)
    m = re.match(rf"\s*(?:{words})\s+(?P<date>(?:19|20)\d\d-[01]\d(?:-[0-3]\d)?)(?![\w-])", text, re.I)
    if m is None:
        return text, None
    return " " * m.end() + text[m.end():], m.group("date")


def clean_text(text: str, cues: CleaningCues | None = None) -> tuple[str, list[Removal]]:
    """Remove boilerplate and repeats from article text.

    Args:
        text: the raw text, lines separated by "\\n".
        cues: cleaning cues (default: the French ones).
    Returns:
        (cleaned text, what was removed and why). Kept lines keep their order; a blank line separates blocks.
    """
    cleaned, removed, _ = clean_located(text, (), cues)
    return cleaned, removed


def clean_located(text: str, locations: tuple[Location, ...], cues: CleaningCues | None = None
                  ) -> tuple[str, list[Removal], tuple[Location, ...]]:
    """``clean_text``, and the pages or paragraphs of the raw text moved onto the cleaned one (issue 17).

    Cleaning keeps or drops whole lines and only trims their ends, so each kept character stays at the same place
    in its line: a location's range is cut into the kept lines it covers and shifted with them.

    Args:
        text: the raw text.
        locations: ranges of the raw text and their page or paragraph (none for text, HTML and JSON Lines).
        cues: cleaning cues (default: the French ones).
    Returns:
        (cleaned text, what was removed, the locations as ranges of the cleaned text).
    """
    cues = cues or load_cues()
    lines = [line.rstrip() for line in text.split("\n")]
    lines = [line if line.strip() else "" for line in lines]
    removed: list[Removal] = []
    keep = [True] * len(lines)
    for mark in (_mark_ads, _mark_teasers, _mark_contacts, _mark_repeats):
        mark(lines, keep, removed, cues)
    kept = _join_indexed([(i, line) for i, (line, k) in enumerate(zip(lines, keep)) if k])
    cleaned = "\n".join(line for _, line in kept)
    return cleaned, removed, _follow(locations, text, kept) if locations else ()


def _mark_ads(lines, keep, removed, cues) -> None:
    ads = [i for i, line in enumerate(lines) if line and _fold(line.strip(BULLETS)) in cues.ad_markers]
    for i in ads:
        _drop(i, "advertisement", lines, keep, removed)
        for j in (i - 1, i + 1):
            if 0 <= j < len(lines) and keep[j] and lines[j] and _is_short(lines[j], cues.ad_neighbour_words):
                _drop(j, "advertisement", lines, keep, removed)


def _mark_teasers(lines, keep, removed, cues) -> None:
    for i, line in enumerate(lines):
        if keep[i] and line and _fold(line.strip(BULLETS)).startswith(cues.teaser_prefixes):
            _drop(i, "teaser", lines, keep, removed)


def _mark_contacts(lines, keep, removed, cues) -> None:
    for i, line in enumerate(lines):
        if keep[i] and line and len(line.split()) <= 15 and CONTACT.search(line):
            _drop(i, "contact", lines, keep, removed)


def _mark_repeats(lines, keep, removed, cues) -> None:
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if not keep[i] or not line:
            continue
        key = _fold(" ".join(line.split()))
        if key in seen:
            short = len(line.split()) <= cues.short_line_words
            _drop(i, "duplicate_line" if short else "duplicate_paragraph", lines, keep, removed)
        seen.add(key)


def _drop(i: int, reason: str, lines, keep, removed) -> None:
    keep[i] = False
    removed.append(Removal(reason, lines[i].strip()))


def _is_short(line: str, words: int) -> bool:
    return len(line.split()) <= words and not FINAL.search(line)


def _fold(text: str) -> str:
    """Case, accents aside, curly and straight apostrophes equal: the key repeats are compared by."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").casefold()
    return " ".join(text.split())


def _join_indexed(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Kept lines (with their index in the raw text): runs of blank lines become one, none at either end."""
    out: list[tuple[int, str]] = []
    for i, line in lines:
        if line or (out and out[-1][1]):
            out.append((i, line))
    while out and not out[-1][1]:
        out.pop()
    return out


def _follow(locations: tuple[Location, ...], raw: str, kept: list[tuple[int, str]]) -> tuple[Location, ...]:
    """The locations (sorted, not overlapping) as ranges of the cleaned text: each kept line's characters keep their
    place in it. One pass over the lines and the locations together."""
    raw_starts = [0]
    for line in raw.split("\n")[:-1]:
        raw_starts.append(raw_starts[-1] + len(line) + 1)
    out: list[Location] = []
    offset, first = 0, 0
    for i, line in kept:
        line_start, line_end = raw_starts[i], raw_starts[i] + len(line)
        while first < len(locations) and locations[first].end <= line_start:
            first += 1
        for x in locations[first:]:
            if x.start >= line_end:
                break
            start, end = max(x.start, line_start), min(x.end, line_end)
            if start < end:
                _extend(out, Location(offset + start - line_start, offset + end - line_start, x.unit, x.number))
        offset += len(line) + 1
    return tuple(out)


def _extend(out: list[Location], piece: Location) -> None:
    """Add a range, merged with the previous one when it has the same page or paragraph."""
    if out and (out[-1].unit, out[-1].number) == (piece.unit, piece.number):
        out[-1] = Location(out[-1].start, piece.end, piece.unit, piece.number)
    else:
        out.append(piece)


def extract_title(text: str) -> str | None:
    """The first line of a cleaned plain text when it reads as a headline (short, no final period)."""
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    if first and len(first.split()) <= 15 and not re.search(r"[.!?…]\s*$", first):
        return first
    return None

