"""Reading PDF files: their text layer, page by page, as paragraphs (issue 17).

``read_pdf`` is the orchestrator for one file:
1. open it (pdfminer.six), with the empty password that opens most "protected" PDFs (printing or copying
   forbidden); one that needs a real password, or is broken, is an ``InputError`` for this file only;
2. lay out each page (pdfminer's layout analysis groups lines into text boxes, in reading order) and make each box
   paragraphs: a box's lines joined by spaces, since a line break ends a sentence in the later stages; a line ends
   a paragraph when it ends a sentence, is short, or the font size changes (a headline above the text); a page's
   bare number goes, and so do running headers and footers (a short line found on several pages); a sentence a
   page break cut is joined again;
3. refuse a file with no text at all as a scanned PDF without a text layer (never "binary file");
4. title: the metadata's, unless a tool's placeholder (then the first line, as for plain text, in ``prepare``);
   date: the metadata's creation date, through the one schema of ``schema.py``;
5. the page of every range of the text, for the evidence of each record.
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any, Iterator

from ..errors import InputError, encodable
from ..periods import normalise_date
from ..records import RawDocument
from .schema import MAX_CHARS, located_text, raw_document, validate, visible

PDF_MAGIC = b"%PDF-"
FINAL = re.compile(r"[.!?…:;»”\"]$")  # a line ending a sentence (or a list's lead-in) ends a paragraph
# Layout thresholds, set by hand on the layouts of tests/test_read_documents.py (reportlab's wrapped paragraphs,
# titles, running headers; no corpus of real PDFs was measured): re-run it after changing one.
SHORT_LINE = 0.6  # of its box's width: shorter, a line is a paragraph's last (a headline, a byline, a list item)
RUNNING_WORDS = 12  # a running header or footer is a line of at most this many words on two pages or more
SIZE_CHANGE = 0.15  # relative font size difference between two lines that makes a new paragraph (a headline)
CID = re.compile(r"\(cid:\d+\)")  # a glyph whose font maps it to no character
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")  # never text: written as spaces
PAGE_NUMBER = re.compile(r"\W*(?:page\s*)?(?P<n>\d{1,4})(?:\s*(?:/|sur|of)\s*\d{1,4})?\W*", re.I)
PLACEHOLDER_TITLES = re.compile(r"\(?(untitled|sans titre|unspecified|anonymous|document\d*)\)?|microsoft word\b.*|"
                                r".*\.(docx?|pdf|indd|odt|rtf|txt)", re.I)  # what tools write when no one gave one
SCANNED = "scanned PDF without text: no page has a text layer"
SCANNED_HINT = "run OCR on it first, e.g. ocrmypdf, then read the result"


def is_pdf(data: bytes) -> bool:
    """True when the bytes start with a PDF header (after blanks): a text that quotes one further on is text."""
    return data[:1024].lstrip().startswith(PDF_MAGIC)


def read_pdf(path: Path, data: bytes) -> Iterator[RawDocument]:
    """The document of a PDF file's text layer, with the page of each range of its text.

    Raises:
        InputError: an encrypted or broken PDF, a scan without text, or a text over the size limit.
    """
    where = encodable(str(path))
    pages, info = _read_layout(data, where)
    text, locations = located_text(_pieces(_without_running_lines(pages)), "page")
    if not visible(text):
        raise InputError(where, SCANNED, SCANNED_HINT)
    record = validate({"id": encodable(path.stem), "text": text, "title": _title(info), "date": _date(info)}, where)
    yield raw_document(record, where, record.id, "pdf", locations)


def _read_layout(data: bytes, where: str) -> tuple[list[list[str]], dict[str, Any]]:
    """The paragraphs of each page, and the metadata (Info dictionary)."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        return _pages_of(data, where)
    except InputError:
        raise
    except PDFPasswordIncorrect:
        raise InputError(where, "encrypted PDF: a password is needed to open it",
                         "save an unprotected copy and read that") from None
    except PDFEncryptionError as error:
        raise InputError(where, f"encrypted PDF that cannot be decrypted ({error or type(error).__name__})") from None
    except Exception as error:  # pdfminer's PSEOF, PDFSyntaxError, a KeyError deep in a broken page...
        raise InputError(where, f"broken PDF, cannot be read ({type(error).__name__}: {error})") from None


def _pages_of(data: bytes, where: str) -> tuple[list[list[str]], dict[str, Any]]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=LAParams())
    interpreter = PDFPageInterpreter(resources, device)
    pages, length, glyphs_only = [], 0, False
    for number, page in enumerate(PDFPage.create_pages(document), 1):
        interpreter.process_page(page)
        paragraphs, unmapped = _paragraphs(device.get_result(), number)
        glyphs_only |= unmapped
        pages.append(paragraphs)
        length += sum(len(p) + 1 for p in paragraphs)
        if length > MAX_CHARS:  # stop reading: a report of hundreds of pages is no article
            raise InputError(where, f"too long for an article (over {MAX_CHARS} characters by page {number}; "
                                    f"limit {MAX_CHARS})")
    if glyphs_only and not any(pages):
        raise InputError(where, "PDF whose fonts map their glyphs to no character: its text cannot be read",
                         SCANNED_HINT)
    return pages, _info(document)


def _paragraphs(layout, number: int) -> tuple[list[str], bool]:
    """A page's paragraphs in reading order, and whether some text was glyph ids only ("(cid:12)")."""
    from pdfminer.layout import LTTextBox, LTTextLine

    out, unmapped = [], False
    for box in layout:
        if not isinstance(box, LTTextBox):
            continue
        lines = [line for line in box if isinstance(line, LTTextLine)]
        texts = [_clean_line(line.get_text()) for line in lines]
        unmapped |= any(CID.search(line.get_text()) for line in lines)
        paragraphs = _join_lines([(t, line, box) for t, line in zip(texts, lines) if t])
        if len(paragraphs) == 1 and _is_page_number(paragraphs[0], number):
            continue
        out.extend(paragraphs)
    return out, unmapped


def _clean_line(text: str) -> str:
    return " ".join(CONTROLS.sub(" ", CID.sub("", text)).split())


def _join_lines(lines: list[tuple[str, Any, Any]]) -> list[str]:
    """A box's lines as paragraphs: joined by a space, or with no space after a line ending in a hyphen."""
    out: list[str] = []
    previous = None
    for text, line, box in lines:
        if out and not _ends_paragraph(previous, line, box):
            joint = "" if out[-1].endswith("-") and not out[-1].endswith(" -") else " "
            out[-1] = out[-1].rstrip("\u00ad") + joint + text
        else:
            out.append(text)
        previous = line
    return out


def _ends_paragraph(line, following, box) -> bool:
    """Whether a paragraph ends after ``line``: a sentence's end, a short line, or another font size below."""
    text = line.get_text().strip()
    if FINAL.search(text) or line.width < SHORT_LINE * box.width:
        return True
    size, next_size = _font_size(line), _font_size(following)
    return bool(size and next_size) and abs(size - next_size) > SIZE_CHANGE * max(size, next_size)


def _font_size(line) -> float:
    sizes = [char.size for char in line if hasattr(char, "size")]
    return max(sizes) if sizes else 0.0


def _is_page_number(text: str, number: int) -> bool:
    match = PAGE_NUMBER.fullmatch(text)
    return bool(match) and int(match["n"]) == number


def _without_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """The pages without their running headers and footers: short lines that come back on other pages."""
    pages_of: dict[str, set[int]] = {}
    for number, paragraphs in enumerate(pages):
        for paragraph in paragraphs:
            if len(paragraph.split()) <= RUNNING_WORDS:
                pages_of.setdefault(paragraph, set()).add(number)
    running = {p for p, numbers in pages_of.items() if len(numbers) > 1}
    return [[p for p in paragraphs if p not in running] for paragraphs in pages] if running else pages


def _pieces(pages: list[list[str]]) -> Iterator[tuple[str, str, int]]:
    """(separator, paragraph, page): a page's first paragraph goes on after a space when the page before ended
    mid-sentence (no final punctuation) and it does not start with a capital letter."""
    previous = ""
    for number, paragraphs in enumerate(pages, 1):
        for index, paragraph in enumerate(paragraphs):
            continues = index == 0 and previous and not FINAL.search(previous) and not paragraph[:1].isupper()
            yield (" " if continues else "\n"), paragraph, number
            previous = paragraph


def _info(document) -> dict[str, Any]:
    """The document's Info dictionary, values resolved and decoded to text."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    info: dict[str, Any] = {}
    for entries in document.info:
        for key, value in entries.items():
            value = resolve1(value)
            info[key] = decode_text(value) if isinstance(value, bytes) else value
    return info


def _title(info: dict[str, Any]) -> str | None:
    """The metadata title, unless it is empty or a tool's placeholder ('untitled', 'Microsoft Word - x.docx')."""
    title = info.get("Title")
    if not isinstance(title, str):
        return None
    title = " ".join(CONTROLS.sub(" ", title).split())
    return title if visible(title) and not PLACEHOLDER_TITLES.fullmatch(title) else None


def _date(info: dict[str, Any]) -> str | None:
    """The creation date (``D:20250210093000+01'00'``) as ``2025-02-10``; an unreadable one is no date."""
    match = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", str(info.get("CreationDate") or "").strip())
    if not match:
        return None
    try:
        return normalise_date("-".join(part for part in match.groups() if part))
    except ValueError:
        return None
