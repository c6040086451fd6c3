"""Sources people can read (issue 14): a title, an outlet and a date, never a hash id.

The title is the document's own (metadata, or a plain text's first line when it reads as a headline); else the
first sentence of its text, cut at a word (the dashboard's titles are the same function). The outlet is the URL's host without ``www.``; a file has no outlet ("fichier local").
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

TITLE_WORDS = 12


def outlet(url: str | None) -> str | None:
    """'https://www.leseco.ma/business/x.html' -> 'leseco.ma'; None without a URL (or one without a host)."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    return host[4:] if host.startswith("www.") else host or None


def title_of(title: str | None, text_head: str | None, width: int = 90) -> str:
    """The one title for people everywhere (dashboard, briefing, export): the stored one, else the article's first
    sentence without a leading dateline, cut at a word (never mid-word)."""
    if title and title.strip():
        return " ".join(title.split())
    first = (text_head or "").strip().split("\n", 1)[0]
    first = re.sub(r"^(?:date\s*:?\s*)?\d{4}-\d{2}(?:-\d{2})?\s+", "", first)  # a dateline is no title
    for end in (". ", "? ", "! "):
        if end in first:
            first = first.split(end, 1)[0] + end.strip()
            break
    first = " ".join(first.split())
    if not first:
        return "(sans titre)"
    if len(first) <= width:
        return first
    cut = first[:width].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def describe(row: dict[str, Any] | None) -> dict[str, Any]:
    """title, outlet, date and url of a stored document (a row of ``store.corrections.sources_of``)."""
    row = row or {}
    return {"title": title_of(row.get("title"), row.get("head")), "outlet": outlet(row.get("url")),
            "url": row.get("url"), "date": row.get("date")}


def count_phrase(articles: int, independent: int, lang: str = "fr") -> str:
    """'3 articles, 2 indépendants' (fr) or '3 articles, 2 independent' (en)."""
    if lang == "en":
        return f"{articles} article{'s' if articles != 1 else ''}, {independent} independent"
    return f"{articles} article{'s' if articles != 1 else ''}, {independent} indépendant{'s' if independent != 1 else ''}"


def source_line(source: dict[str, Any], lang: str = "fr") -> str:
    """'« title », outlet, date' for one source of a commitment."""
    local = "fichier local" if lang == "fr" else "local file"
    nodate = "sans date" if lang == "fr" else "no date"
    return f"« {source.get('title') or '?'} », {source.get('outlet') or local}, {source.get('date') or nodate}"
