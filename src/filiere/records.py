"""Typed records of every stage, with the field names of shared/spec/FACTS.md.

Records are frozen dataclasses; ``to_dict`` is used only at the edges (JSONL, SQL, HTTP).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Location:
    """A range of a text and the page (PDF) or paragraph (DOCX) of its file it was read from, 1-based (issue 17)."""

    start: int
    end: int
    unit: str  # "page" or "paragraph": the key the evidence gains
    number: int


@dataclass(frozen=True, slots=True)
class RawDocument:
    """What a reader found in a file or a record, before cleaning."""

    doc: str
    text: str
    source: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    format: str = "text"
    locations: tuple[Location, ...] = ()  # offsets into ``text``: PDF pages, DOCX paragraphs


@dataclass(frozen=True, slots=True)
class Removal:
    """A piece of text that cleaning dropped, and why."""

    reason: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "text": self.text}


@dataclass(frozen=True, slots=True)
class Document:
    """A cleaned article: the text every offset points into, and its metadata."""

    doc: str
    text: str
    source: str
    title: str | None
    date: str | None
    date_source: str | None
    language: str
    removed: tuple[Removal, ...] = ()
    url: str | None = None
    locations: tuple[Location, ...] = ()  # offsets into ``text``: the pages or paragraphs of a PDF or DOCX file
    pack: str | None = None  # the domain pack it was read with (--pack auto picks one per document)

    def location(self, offset: int) -> dict[str, int]:
        """``{"page": n}`` or ``{"paragraph": n}`` for an offset of the text read from a PDF or DOCX file, else {}."""
        found = next((x for x in self.locations if x.start <= offset < x.end), None)
        return {found.unit: found.number} if found else {}

    def located(self, record: dict[str, Any]) -> dict[str, Any]:
        """A fact or milestone record whose evidence also names the page or paragraph its figure is on."""
        where = self.location(record["evidence"]["start"]) if self.locations else {}
        return {**record, "evidence": {**record["evidence"], **where}} if where else record

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": "document",
            "doc": self.doc,
            "title": self.title,
            "date": self.date,
            "date_source": self.date_source,
            "language": self.language,
            "chars": len(self.text),
            "removed": sorted({r.reason for r in self.removed}),
            "removed_items": [r.to_dict() for r in self.removed],
            "source": self.source,
            "url": self.url,
            "pack": self.pack,
        }


@dataclass(frozen=True, slots=True)
class Evidence:
    """The sentence a record comes from, and the character offsets of the figure in the cleaned text."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number found in text, normalised: value, unit and how exact it is."""

    value: float
    unit: str | None
    approx: str = "exact"
    start: int = 0
    end: int = 0
    value_high: float | None = None
    signed: bool = False
    text: str = ""
    compared: bool = False
    start_level: bool = False  # the level a change starts from ('passé de 40 % en 2016 à 65 %'): an actual figure


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A time expression: a year with optional quarter, month and day, and its role.

    ``role`` is ``point`` (en 2024), ``deadline`` (d'ici 2025, à l'horizon 2030), ``start`` (dès 2025),
    ``end`` (à la fin de 2025), ``since`` (depuis 2021), ``base`` (par rapport à 2023) or ``now``.
    """

    year: int | None
    role: str = "point"
    quarter: int | None = None
    month: int | None = None
    day: int | None = None
    start: int = 0
    end: int = 0
    text: str = ""


@dataclass(frozen=True, slots=True)
class Fact:
    """A figure, reported (``actual``) or promised (``target``)."""

    doc: str
    kind: str
    metric: str
    value: float
    unit: str
    approx: str
    subject: str
    year: int | None
    qualifier: str | None
    claimed_by: str | None
    evidence: Evidence
    quarter: int | None = None
    month: int | None = None
    value_high: float | None = None
    scope: dict[str, str] | None = None  # {"site", "segment", "period"}, each optional (FACTS.md); None: not narrowed

    def to_dict(self) -> dict[str, Any]:
        out = {
            "type": "fact",
            "doc": self.doc,
            "kind": self.kind,
            "metric": self.metric,
            "value": plain_number(self.value),
            "unit": self.unit,
            "approx": self.approx,
            "subject": self.subject,
            "year": self.year,
            "qualifier": self.qualifier,
            "scope": dict(self.scope) if self.scope else None,
            "claimed_by": self.claimed_by,
            "evidence": self.evidence.to_dict(),
        }
        if self.quarter is not None:
            out["quarter"] = self.quarter
        if self.month is not None:
            out["month"] = self.month
        if self.value_high is not None:
            out["value_high"] = plain_number(self.value_high)
        return out


@dataclass(frozen=True, slots=True)
class Milestone:
    """A dated promise without a figure: a launch, an opening, a creation."""

    doc: str
    what: str
    subject: str
    year: int | None
    claimed_by: str | None
    evidence: Evidence
    quarter: int | None = None
    month: int | None = None
    done: bool = False
    keywords: tuple[str, ...] = ()
    scope: dict[str, str] | None = None  # as for facts: the site, segment or period the milestone is about

    def to_dict(self) -> dict[str, Any]:
        """A promise is a "milestone"; a report of the thing done is an "event" (same fields, done true)."""
        return {
            "type": "event" if self.done else "milestone",
            "doc": self.doc,
            "what": self.what,
            "subject": self.subject,
            "year": self.year,
            "quarter": self.quarter,
            "month": self.month,
            "claimed_by": self.claimed_by,
            "done": self.done,
            "keywords": list(self.keywords),
            "scope": dict(self.scope) if self.scope else None,
            "evidence": self.evidence.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class ActorMention:
    """How often a document names an actor, and in which role (subject of a figure, source of a claim)."""

    name: str
    kind: str
    mentions: int
    as_subject: int = 0
    as_source: int = 0


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one document: records, its sentences (character spans) and its actors."""

    document: Document
    facts: tuple[Fact, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    sentences: tuple[tuple[int, int], ...] = ()
    actors: tuple[ActorMention, ...] = ()

    def records(self) -> list[dict[str, Any]]:
        """The JSON Lines records, document first, then facts and milestones in text order."""
        items = sorted(
            [*self.facts, *self.milestones], key=lambda r: (r.evidence.start, isinstance(r, Milestone))
        )
        return [self.document.to_dict(), *(self.document.located(r.to_dict()) for r in items)]


def plain_number(value: float) -> int | float:
    """``2390000000.0`` -> ``2390000000``; other floats rounded to drop binary noise."""
    if value is None:
        return value
    if float(value).is_integer():
        return int(value)
    return round(float(value), 6)

