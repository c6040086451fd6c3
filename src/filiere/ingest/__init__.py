"""The reading stage: files in, cleaned Documents out.

``prepare`` is the orchestrator for one raw document:
1. clean the text (plain text, JSON Lines and HTML alike: trafilatura keeps ad lines inside articles);
2. title: the page's or record's, else the first line of plain text when it reads as a headline;
3. date: metadata ("metadata"), else the --date argument ("argument"), else the content ("content");
4. language.
"""
from __future__ import annotations

from ..records import Document, RawDocument
from .clean import clean_text, extract_title
from .dates import infer_publication_date
from .lang import detect_language
from .read import iter_paths, read_path


def prepare(raw: RawDocument, date: str | None = None) -> Document:
    """A cleaned Document from a RawDocument.

    Args:
        raw: what a reader found.
        date: the publication date given on the command line, used when the document has none.
    Returns:
        The Document every later stage reads; evidence offsets point into its text.
    """
    text, removed = clean_text(raw.text)
    title = raw.title or (extract_title(text) if raw.format != "html" else None)
    published, source = _date(raw, date, text)
    return Document(doc=raw.doc, text=text, source=raw.source, title=title, date=published, date_source=source,
                    language=detect_language(text), removed=tuple(removed), url=raw.url)


def _date(raw: RawDocument, date: str | None, text: str) -> tuple[str | None, str | None]:
    if raw.date:
        return raw.date[:10], "metadata"
    if date:
        return date, "argument"
    inferred = infer_publication_date(text)
    return (inferred, "content") if inferred else (None, None)


__all__ = ["prepare", "iter_paths", "read_path"]
