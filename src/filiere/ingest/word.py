"""Reading Word files (.docx, Office Open XML): their paragraphs, numbered (issue 17).

``read_docx`` is the orchestrator for one file:
1. open it (python-docx); an encrypted one (Word keeps a password-protected .docx in an OLE container, as an old
   .doc), a broken one, or one whose XML is too large for an article is an ``InputError`` for this file only;
2. the body's paragraphs in document order, those of tables included (each cell's paragraphs, as Word counts
   them), one line each; empty paragraphs (spacing) are not counted, so paragraph 3 is the third one a reader sees;
3. title: the core properties' title, else the first heading (style Title or Heading N), else the first line as
   for plain text (in ``prepare``); date: the core properties' creation date;
4. the paragraph number of every range of the text, for the evidence of each record.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Iterator

from ..errors import InputError, encodable
from ..periods import normalise_date
from ..records import RawDocument
from .schema import MAX_CHARS, located_text, raw_document, validate, visible

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: an encrypted .docx, or a Word 97-2003 .doc
BODY = "word/document.xml"
MAX_XML = 50_000_000  # bytes of document.xml once unzipped: ~20 times the markup of a 500 000-character text
# python-docx's own template carries this creation date: a file made with it and never dated has no date
TEMPLATE_CREATED = "2013-12-23T23:15:00"
HEADING = re.compile(r"(title|heading \d|titre( \d)?)$", re.I)
# the copy of a text box that a Word older than the file would draw: its text is read once, in mc:Choice
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def is_docx(data: bytes) -> bool:
    """True when the bytes are a zip archive holding ``word/document.xml``."""
    if not data.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return BODY in archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False


def read_docx(path: Path, data: bytes) -> Iterator[RawDocument]:
    """The document of a DOCX file's paragraphs, with the paragraph number of each range of its text.

    Raises:
        InputError: an encrypted or broken file, one with no text, or a text over the size limit.
    """
    where = encodable(str(path))
    document = _open(data, where)
    paragraphs = _paragraphs(document)
    text, locations = located_text((("\n", t, n) for n, (t, _) in enumerate(paragraphs, 1)), "paragraph")
    if not visible(text):
        raise InputError(where, "empty file (a Word document without text)")
    if len(text) > MAX_CHARS:
        raise InputError(where, f"too long for an article ({len(text)} characters; limit {MAX_CHARS})")
    properties = document.core_properties
    title = _plain(properties.title) or next((t for t, heading in paragraphs if heading), None)
    record = validate({"id": encodable(path.stem), "text": text, "title": title or None,
                       "date": _date(properties.created)}, where)
    yield raw_document(record, where, record.id, "docx", locations)


def _open(data: bytes, where: str):
    """The python-docx Document of the bytes; an encrypted, broken or oversized file is named."""
    import docx

    if data.startswith(OLE_MAGIC):
        raise InputError(where, "encrypted Word file (or an old .doc): cannot be read",
                         "save an unprotected copy as .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = archive.getinfo(BODY).file_size
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InputError(where, f"broken DOCX, cannot be read ({type(error).__name__}: {error})") from None
    if size > MAX_XML:
        raise InputError(where, f"too long for an article ({size} bytes of document XML; limit {MAX_XML})")
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx's PackageNotFoundError, lxml's XMLSyntaxError, a missing part...
        raise InputError(where, f"broken DOCX, cannot be read ({type(error).__name__}: {error})") from None


def _paragraphs(document) -> list[tuple[str, bool]]:
    """The non-empty paragraphs of the body in document order (tables' too), each with whether it is a heading."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    out = []
    for element in document.element.body.iter(qn("w:p")):
        if any(parent.tag == FALLBACK for parent in element.iterancestors()):
            continue
        paragraph = Paragraph(element, document._body)
        lines = [_plain(line) for line in paragraph.text.split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            out.append((text, _is_heading(paragraph)))
    return out


def _is_heading(paragraph) -> bool:
    try:
        style = paragraph.style
    except (KeyError, ValueError):  # a style id the file does not define
        return False
    return bool(style is not None and style.name and HEADING.match(style.name))


def _plain(text: str | None) -> str:
    """One line of text: controls as spaces, runs of spaces (and tabs) as one."""
    return " ".join(CONTROLS.sub(" ", text or "").split())


def _date(created) -> str | None:
    """The creation date as ``2025-02-10``; python-docx's template date, or an unreadable one, is no date."""
    if created is None or created.isoformat().startswith(TEMPLATE_CREATED):
        return None
    try:
        return normalise_date(created.date().isoformat())
    except ValueError:
        return None
