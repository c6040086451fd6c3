"""Reading articles from files: plain text in any common encoding, HTML pages, JSON Lines, PDF (its text layer)
and Word (.docx) files; folders recursively.

Contract: ``read_path(path)`` yields ``RawDocument`` records and, for a bad record inside a good file (a
broken JSON line, a field the schema refuses), ``InputError`` objects naming ``file:line`` and the reason, so one
bad line never stops the file. A file that cannot be read at all raises ``InputError``. Every record passes the
one schema of ``schema.py``; file names are written as valid text (``encodable``), whatever bytes they hold. A PDF
or DOCX document also carries the page or paragraph of each range of its text (``pdf.py``, ``word.py``).
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Callable, Iterable, Iterator

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

from ..errors import InputError, encodable
from ..records import RawDocument
from .pdf import is_pdf, read_pdf
from .schema import MAX_CHARS, raw_document, validate, visible
from .word import is_docx, read_docx

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
PDF_SUFFIXES = {".pdf"}
DOCX_SUFFIXES = {".docx"}
MIN_HTML_WORDS = 5  # trafilatura's fallbacks return a menu or a footer when a page has no article
BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# UTF-16 without a byte order mark: French text has a NUL high byte in most of its characters. Calibrated on
# bench/encodings.py (every text of 35 characters or more passes); binary files have NULs at both parities.
UTF16_NULS, UTF16_OTHER_NULS = 0.6, 0.05
WORD_MARKS = "’‘·‐–—\u00a0\u202f"  # may stand between two letters in French: apostrophes, dashes, no-break spaces
MAX_MESS = 0.2  # charset-normalizer's mess ratio: French read as Windows-1252 stays under 0.04 (bench/encodings.py)
MESS_SAMPLE = 50_000  # characters measured (the measure is a Python loop); a misreading shows from the start


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files under the paths, folders walked recursively in sorted order, hidden entries skipped.

    Raises:
        InputError: a path that does not exist.
    """
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(path, "no such file or folder")
        if path.is_file():
            yield path
            continue
        for child in sorted(path.rglob("*")):
            if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                yield child


def read_path(path: Path) -> Iterator[RawDocument | InputError]:
    """Documents of one file, through the reader its suffix (or its first bytes) calls for.

    Raises:
        InputError: the file is unreadable, empty, binary or holds no article.
    """
    data = _read_bytes(path)
    reader = READERS[_format_of(path, data)]
    try:
        yield from reader(path, data)
    except InputError:
        raise
    except Exception as error:  # a library's fault on odd input (trafilatura, lxml) costs this file only
        raise InputError(path, f"cannot be read ({type(error).__name__}: {error})") from None


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(path, f"cannot be read ({error.strerror or error})") from None
    if not data.strip():
        raise InputError(path, "empty file")
    return data


def _format_of(path: Path, data: bytes) -> str:
    """The reader a file calls for: by its suffix, else by its first bytes; a PDF or a DOCX file is known by its
    bytes under any suffix but HTML's and JSON Lines' (a report saved as 'note', a press kit renamed '.txt')."""
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in DOCX_SUFFIXES:
        return "docx"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if is_pdf(data):
        return "pdf"
    if is_docx(data):
        return "docx"
    if suffix in TEXT_SUFFIXES:
        return "text"
    head = data[:2048].lstrip().lower()
    return "html" if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head else "text"


def decode(data: bytes, where: str | Path, declared: str | None = None) -> str:
    """Bytes to text, by the evidence of the bytes, tried in this order (issue 13):

    1. a byte order mark: UTF-8, UTF-16 LE or BE;
    2. UTF-16 without one: NUL bytes in most high halves of the characters, at one parity only;
    3. UTF-8, when its multi-byte characters outnumber the bytes it cannot read: a few stray bytes of a legacy
       encoding (an 'é' pasted from another file) are read as Windows-1252;
    4. ``declared`` (an HTTP charset), when the bytes are not UTF-8 and it reads them;
    5. Windows-1252, a superset of Latin-1's characters (a Latin-1 French text reads the same), when the result
       reads as French: no symbol or capital letter inside a word, little mess;
    6. whatever charset-normalizer finds (exotic code pages), else the data is binary.

    Raises:
        InputError: binary data, or no encoding fits.
    """
    for step in (_by_bom, _utf16_without_bom, _mostly_utf8, lambda d: _declared(d, declared), _windows_1252,
                 _detected):
        text = step(data)
        if text is not None:
            break
    else:
        raise InputError(where, "binary file, not text (no text encoding fits)")
    if _control_ratio(text) > 0.05:
        raise InputError(where, "binary file, not text (too many control characters)")
    return _normalise(text)


def _by_bom(data: bytes) -> str | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 2 or len(data) % 2:
        return None
    halves = len(data) // 2
    even, odd = data[0::2].count(0) / halves, data[1::2].count(0) / halves
    for encoding, nuls, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nuls >= UTF16_NULS and other <= UTF16_OTHER_NULS:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _mostly_utf8(data: bytes) -> str | None:
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8-sig", errors="surrogateescape")
    stray = sum(1 for c in text if 0xDC80 <= ord(c) <= 0xDCFF)
    if not stray:
        return text
    if stray > sum(1 for c in text if ord(c) > 0x7F) - stray:  # no more multi-byte characters than stray bytes
        return None
    return "".join(_legacy_byte(ord(c) - 0xDC00) if 0xDC80 <= ord(c) <= 0xDCFF else c for c in text)


def _legacy_byte(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined
        return bytes([byte]).decode("latin-1")


def _declared(data: bytes, charset: str | None) -> str | None:
    if not charset or b"\x00" in data:
        return None
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return None


def _windows_1252(data: bytes) -> str | None:
    if b"\x00" in data:
        return None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return text if _reads_as_french(text) else None


def _reads_as_french(text: str) -> bool:
    """No symbol of a legacy code page inside a word ('d‚l‚gu‚s' is cp850 read as cp1252), no capital letter after a
    small one ('dŽlŽguŽs' is Mac Roman), and little mess (charset-normalizer's measure: Cyrillic read as cp1252)."""
    for before, c, after in zip(text, text[1:], text[2:]):
        if ord(c) > 0x7F and before.isalpha() and after.isalpha() and c not in WORD_MARKS:
            category = unicodedata.category(c)
            if category[0] in "SPN" or category == "Lm" or (category == "Lu" and before.islower()):
                return False
    return mess_ratio(text[:MESS_SAMPLE]) <= MAX_MESS


def _detected(data: bytes) -> str | None:
    if b"\x00" in data:
        return None
    best = from_bytes(data).best()
    return str(best) if best is not None else None


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]+")  # below 32, but for tab, line feed, form feed, return


def _control_ratio(text: str) -> float:
    controls = sum(len(run) for run in CONTROLS.findall(text))
    return controls / max(1, len(text))


def _text_of(path: Path, data: bytes) -> str:
    """The file's text; a file of byte order marks and spaces (of any width) is empty."""
    text = decode(data, path)
    if not visible(text):
        raise InputError(path, "empty file")
    return text


def _check_length(text: str, where) -> str:
    if len(text) > MAX_CHARS:
        raise InputError(where, f"too long for an article ({len(text)} characters; limit {MAX_CHARS})")
    return text


def read_text(path: Path, data: bytes) -> Iterator[RawDocument]:
    text = _check_length(_text_of(path, data), path)
    where = encodable(str(path))
    record = validate({"id": encodable(path.stem), "text": text}, where)
    yield raw_document(record, where, record.id, "text")


def read_html(path: Path, data: bytes) -> Iterator[RawDocument]:
    yield html_document(encodable(path.stem), _text_of(path, data), encodable(str(path)))


def html_document(doc: str, html: str, source: str, url: str | None = None) -> RawDocument:
    """Main text, title and date of an HTML page, through trafilatura, checked by the schema.

    Raises:
        InputError: trafilatura finds no article text, or its metadata is refused (an impossible date).
    """
    from trafilatura import bare_extraction

    result = bare_extraction(html, url=url, with_metadata=True, include_comments=False, include_tables=False)
    data = result.as_dict() if hasattr(result, "as_dict") else (result or {})
    text = _check_length((data.get("text") or "").strip(), source)
    if len(text.split()) < MIN_HTML_WORDS:
        raise InputError(source, "no article text found in HTML")
    record = validate({"id": doc, "text": text, "title": data.get("title") or None, "date": data.get("date") or None,
                       "url": url or data.get("url")}, source)
    return raw_document(record, source, doc, "html")


def read_jsonl(path: Path, data: bytes) -> Iterator[RawDocument | InputError]:
    where = encodable(str(path))
    stem = encodable(path.stem)
    for number, line in enumerate(_text_of(path, data).split("\n"), 1):
        if not line.strip():
            continue
        try:
            yield _jsonl_record(line, f"{where}:{number}", f"{stem}:{number}")
        except InputError as error:
            yield error
        except Exception as error:  # a library's fault on one record's HTML costs this record only
            yield InputError(f"{where}:{number}", f"cannot be read ({type(error).__name__}: {error})")


def _jsonl_record(line: str, where: str, default_id: str) -> RawDocument:
    try:
        fields = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(where, f"line is not valid JSON ({error.msg})") from None
    if not isinstance(fields, dict):
        raise InputError(where, "line is not a JSON object")
    record = validate(fields, where)
    if visible(record.text):
        return raw_document(record, where, default_id, "jsonl")
    page = html_document(record.id or default_id, record.html, where, record.url)
    return raw_document(record.model_copy(update={"text": page.text, "title": record.title or page.title,
                                                  "date": record.date or page.date, "url": page.url}),
                        where, default_id, "jsonl")


READERS: dict[str, Callable[[Path, bytes], Iterator[RawDocument | InputError]]] = {
    "text": read_text,
    "html": read_html,
    "jsonl": read_jsonl,
    "pdf": read_pdf,
    "docx": read_docx,
}
