"""The one schema every input record passes before it becomes a ``RawDocument`` (issue 13).

Every reader (JSON Lines records, plain text and HTML files, fetched pages) hands its fields to ``raw_document``.
A field of the wrong type (``"title": {}``), a date that is no date (``2024-13-45``), text that is not valid Unicode
(a lone surrogate ``\\ud83d``) or holds no visible character is refused with ``<file>:<line>: <field>: <reason>``;
the reader skips that record and goes on. Nothing that passes can break a later stage: the store, the tracker and
the dashboard only ever see strings, readable dates and ids a web address can carry.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterable

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from ..errors import InputError
from ..periods import normalise_date
from ..records import Location, RawDocument

MAX_CHARS = 500_000  # no news article is longer; spaCy refuses texts over 1 000 000 characters
SURROGATE = re.compile("[\ud800-\udfff]")  # a lone surrogate: no character, and no UTF-8 can hold it
MAX_ID = 300  # characters; a document id is part of a web address (/documents/ID)
INVISIBLE = {"Zs", "Zl", "Zp", "Cc", "Cf"}  # spaces of any width, controls, format marks (BOM, zero-width space)
JSON_TYPES = {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number",
              bool: "true or false", type(None): "null"}


class InputRecord(BaseModel):
    """An article as a reader found it: ``{"id", "url", "date", "title", "text" | "html"}`` (other keys ignored)."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    id: str | None = None
    url: str | None = None
    date: str | None = None
    title: str | None = None
    text: str | None = None
    html: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _number_id(cls, value: Any) -> Any:
        """An id may be written as a whole number (``"id": 42``)."""
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("id", "url", "date", "title", "text", "html")
    @classmethod
    def _unicode(cls, value: str | None) -> str | None:
        bad = SURROGATE.search(value) if value is not None else None
        if bad:
            raise ValueError(f"holds a lone surrogate (\\u{ord(bad.group(0)):04x}), which is not a character")
        return value

    @field_validator("id")
    @classmethod
    def _usable_id(cls, value: str | None) -> str | None:
        if value is not None and value.strip() in (".", ".."):
            raise ValueError(f"'{value}' cannot be an id (a web address reads it as a folder)")
        if value is not None and len(value) > MAX_ID:
            raise ValueError(f"longer than {MAX_ID} characters")
        return value

    @field_validator("date")
    @classmethod
    def _period(cls, value: str | None) -> str | None:
        return normalise_date(value)

    @field_validator("text")
    @classmethod
    def _length(cls, value: str | None) -> str | None:
        if value is not None and len(value) > MAX_CHARS:
            raise ValueError(f"too long for an article ({len(value)} characters; limit {MAX_CHARS})")
        return value

    @model_validator(mode="after")
    def _has_text(self) -> "InputRecord":
        if not visible(self.text) and not visible(self.html):
            raise ValueError("text: holds no visible character" if self.text is not None
                             else "record has no 'text' or 'html'")
        return self


def visible(text: str | None) -> bool:
    """True when the text holds a character that is not a space (of any width), a control or a format mark."""
    return bool(text) and any(unicodedata.category(c) not in INVISIBLE for c in text)


def validate(fields: dict[str, Any], where: str) -> InputRecord:
    """The record, checked.

    Raises:
        InputError: ``<where>: <field>: <reason>`` for the first bad field (every bad field, separated by '; ').
    """
    try:
        return InputRecord.model_validate(fields)
    except ValidationError as error:
        raise InputError(where, "; ".join(_reason(e) for e in error.errors(include_url=False))) from None


def raw_document(record: InputRecord, where: str, default_id: str, format: str,
                 locations: tuple[Location, ...] = ()) -> RawDocument:
    """The RawDocument of a checked record that has text (a reader turns HTML into text first); ``locations``
    (the pages or paragraphs of a PDF or DOCX file) are ranges of a text with "\\n" line ends only."""
    return RawDocument(doc=record.id or default_id, text=_normalise(record.text or ""), source=where,
                       title=record.title, date=record.date, url=record.url, format=format, locations=locations)


def located_text(pieces: Iterable[tuple[str, str, int]], unit: str) -> tuple[str, tuple[Location, ...]]:
    """One text from pieces ``(separator, text, number)``, and the range of each page or paragraph ``number``.

    The separator ("\\n", or " " for a sentence a page break cut) goes before its piece, except the first; pieces
    of one number in a row make one range.
    """
    parts: list[str] = []
    locations: list[Location] = []
    length = 0
    for separator, text, number in pieces:
        if parts:
            parts.append(separator)
            length += len(separator)
        if locations and locations[-1].number == number:
            locations[-1] = Location(locations[-1].start, length + len(text), unit, number)
        else:
            locations.append(Location(length, length + len(text), unit, number))
        parts.append(text)
        length += len(text)
    return "".join(parts), tuple(locations)


def checked(raw: RawDocument, **changes: Any) -> RawDocument:
    """The document with ``changes`` (a date a fetched page's metadata gives), checked again by the schema.

    Raises:
        InputError: a changed field is refused.
    """
    fields = {"id": raw.doc, "url": raw.url, "date": raw.date, "title": raw.title, "text": raw.text, **changes}
    record = validate(fields, raw.source)
    return RawDocument(doc=raw.doc, text=raw.text, source=raw.source, title=record.title, date=record.date,
                       url=record.url, format=raw.format, locations=raw.locations)


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _reason(error: dict[str, Any]) -> str:
    field = ".".join(str(part) for part in error["loc"])
    if error["type"] == "value_error":
        reason = str(error["ctx"]["error"])
    elif error["type"].endswith("_type"):
        reason = f"must be a string or null, not {JSON_TYPES.get(type(error['input']), type(error['input']).__name__)}"
    else:
        reason = error["msg"]
    return f"{field}: {reason}" if field else reason
