"""The reading stage: files in, cleaned Documents out.

``prepare`` is the orchestrator for one raw document:
0. a search index's date marker opening the text ("date 2019-01 ...") is the record's date, not its text;
1. clean the text (plain text, JSON Lines and HTML alike: trafilatura keeps ad lines inside articles), moving the
   pages of a PDF or the paragraphs of a DOCX file onto the cleaned text (issue 17);
2. title: the page's, record's or file's metadata, else the first line of plain text, a PDF or a DOCX file when it
   reads as a headline;
3. date: metadata or the date marker ("metadata"), else the --date argument ("argument"), else the content ("content"); dates of
   any precision (2025, 2025-01, 2025-01-14), already checked by the reader's schema (``schema.py``);
4. language.
"""
from __future__ import annotations

from ..errors import InputError
from ..periods import normalise_date
from ..records import Document, RawDocument
from ..records import Removal
from .clean import clean_located, extract_title, split_date_marker
from .dates import infer_publication_date
from .lang import detect_language
from .read import iter_paths, read_path
from .schema import visible


def prepare(raw: RawDocument, date: str | None = None) -> Document:
    """A cleaned Document from a RawDocument.

    Args:
        raw: what a reader found.
        date: the publication date given on the command line, used when the document has none.
    Returns:
        The Document every later stage reads; evidence offsets point into its text.
    Raises:
        InputError: cleaning left no text (every line was an ad, a teaser or a contact line), or its date is no date.
    """
    body, marked = split_date_marker(raw.text)
    text, removed, locations = clean_located(body, raw.locations)
    if marked:
        removed = [Removal("date marker", f"date {marked}"), *removed]
    if not visible(text):
        raise InputError(raw.source, f"document '{raw.doc}': no text left after cleaning")
    title = raw.title or (extract_title(text) if raw.format != "html" else None)
    published, source = (marked, "metadata") if marked and not raw.date else _date(raw, date, text)
    return Document(doc=raw.doc, text=text, source=raw.source, title=title, date=published, date_source=source,
                    language=detect_language(text), removed=tuple(removed), url=raw.url, locations=locations)


def _date(raw: RawDocument, date: str | None, text: str) -> tuple[str | None, str | None]:
    if raw.date:
        try:  # readers give checked dates; a RawDocument made by hand is checked here
            return normalise_date(raw.date), "metadata"
        except ValueError as error:
            raise InputError(raw.source, f"date: {error}") from None
    if date:
        return date, "argument"
    inferred = infer_publication_date(text)
    return (inferred, "content") if inferred else (None, None)


__all__ = ["prepare", "iter_paths", "read_path"]
