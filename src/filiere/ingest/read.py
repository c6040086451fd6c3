"""Reading articles from files: plain text in any common encoding, HTML pages, JSON Lines; folders recursively.

Contract: ``read_path(path)`` yields ``RawDocument`` records and, for a bad record inside a good file (a
broken JSON line), ``InputError`` objects naming ``file:line`` and the reason, so one bad line never stops
the file. A file that cannot be read at all raises ``InputError``.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Iterable, Iterator

from charset_normalizer import from_bytes

from ..errors import InputError
from ..records import RawDocument

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
MAX_CHARS = 500_000  # no news article is longer; spaCy refuses texts over 1 000 000 characters
MIN_HTML_WORDS = 5  # trafilatura's fallbacks return a menu or a footer when a page has no article


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
    yield from reader(path, data)


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(path, f"cannot be read ({error.strerror or error})") from None
    if not data.strip():
        raise InputError(path, "empty file")
    return data


def _format_of(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in TEXT_SUFFIXES:
        return "text"
    head = data[:2048].lstrip().lower()
    return "html" if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head else "text"


def decode(data: bytes, where: str | Path) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else the encoding charset-normalizer finds.

    Raises:
        InputError: binary data, or no encoding fits.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _normalise(data.decode("utf-16"))
    if b"\x00" in data:
        raise InputError(where, "binary file, not text")
    try:
        return _normalise(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise InputError(where, "binary file, not text (no text encoding fits)")
    text = str(best)
    if _control_ratio(text) > 0.05:
        raise InputError(where, "binary file, not text (too many control characters)")
    return _normalise(text)


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _control_ratio(text: str) -> float:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls / max(1, len(text))


def _check_length(text: str, where) -> str:
    if len(text) > MAX_CHARS:
        raise InputError(where, f"too long for an article ({len(text)} characters; limit {MAX_CHARS})")
    return text


def read_text(path: Path, data: bytes) -> Iterator[RawDocument]:
    text = _check_length(decode(data, path), path)
    if _control_ratio(text) > 0.05:
        raise InputError(path, "binary file, not text (too many control characters)")
    yield RawDocument(doc=path.stem, text=text, source=str(path), format="text")


def read_html(path: Path, data: bytes) -> Iterator[RawDocument]:
    yield html_document(path.stem, decode(data, path), str(path))


def html_document(doc: str, html: str, source: str, url: str | None = None) -> RawDocument:
    """Main text, title and date of an HTML page, through trafilatura.

    Raises:
        InputError: trafilatura finds no article text.
    """
    from trafilatura import bare_extraction

    result = bare_extraction(html, url=url, with_metadata=True, include_comments=False, include_tables=False)
    data = result.as_dict() if hasattr(result, "as_dict") else (result or {})
    text = _check_length((data.get("text") or "").strip(), source)
    if len(text.split()) < MIN_HTML_WORDS:
        raise InputError(source, "no article text found in HTML")
    return RawDocument(doc=doc, text=text, source=source, title=data.get("title") or None,
                       date=data.get("date") or None, url=url or data.get("url"), format="html")


def read_jsonl(path: Path, data: bytes) -> Iterator[RawDocument | InputError]:
    for number, line in enumerate(decode(data, path).split("\n"), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            yield _jsonl_record(line, where, f"{path.stem}:{number}")
        except InputError as error:
            yield error


def _jsonl_record(line: str, where: str, default_id: str) -> RawDocument:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(where, f"line is not valid JSON ({error.msg})") from None
    if not isinstance(record, dict):
        raise InputError(where, "line is not a JSON object")
    doc = str(record.get("id") or default_id)
    date = record.get("date") if isinstance(record.get("date"), str) else None
    if isinstance(record.get("text"), str) and record["text"].strip():
        return RawDocument(doc=doc, text=_check_length(_normalise(record["text"]), where), source=where, title=record.get("title"),
                           date=date, url=record.get("url"), format="jsonl")
    if isinstance(record.get("html"), str) and record["html"].strip():
        raw = html_document(doc, record["html"], where, record.get("url"))
        return RawDocument(doc=doc, text=raw.text, source=where, title=record.get("title") or raw.title,
                           date=date or raw.date, url=raw.url, format="jsonl")
    raise InputError(where, "record has no 'text' or 'html'")


READERS: dict[str, Callable[[Path, bytes], Iterator[RawDocument | InputError]]] = {
    "text": read_text,
    "html": read_html,
    "jsonl": read_jsonl,
}
