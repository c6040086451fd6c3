"""``/feed.atom``: what changed (filiere.changes) as an Atom 1.0 feed (RFC 4287), every text escaped.

Links are relative to the server (``/tracker#ID``), resolved against the feed's own address: none is built from the
request's Host header.
"""
from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from ..changes import change_line
from ..errors import printable

KINDS = {"new": "nouvelle promesse", "revised": "promesse révisée", "status": "statut changé",
         "conflict": "nouvelle divergence"}


def _text(value: str) -> str:
    """Escaped XML text without the characters XML 1.0 forbids (control characters, written as escapes)."""
    return escape(printable(value).replace("\\n", " "))


def atom(found: dict[str, Any]) -> str:
    """The feed of one changes() result: one entry per change, newest run's time as each entry's update time."""
    updated = _stamp(found.get("since"))
    entries = []
    for n, item in enumerate(found["items"]):
        if item["change"] == "conflict":
            x = item["conflict"]
            key = f"conflict:{x['subject']}:{x.get('metric') or x.get('what')}:{x['year']}"
            link = "/tracker"
        else:
            key = f"{item['change']}:{item['commitment']['id']}"
            link = "/tracker#" + quote(item["commitment"]["id"], safe="")
        entries.append(
            "<entry>"
            f"<id>urn:filiere:change:{escape(quote(key, safe=':'))}</id>"
            f"<title>{_text(KINDS[item['change']] + ' — ' + _title(item))}</title>"
            f"<updated>{updated}</updated>"
            f"<link rel=\"alternate\" href={quoteattr(link)}/>"
            f"<content type=\"text\">{_text(change_line(item))}</content>"
            "</entry>")
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">"
            "<id>urn:filiere:changes</id>"
            f"<title>{_text('filiere — ce qui a changé depuis ' + str(found.get('since')))}</title>"
            f"<updated>{updated}</updated><author><name>filiere</name></author>"
            "<link rel=\"self\" href=\"/feed.atom\"/>" + "".join(entries) + "</feed>\n")


def _title(item: dict[str, Any]) -> str:
    if item["change"] == "conflict":
        x = item["conflict"]
        return f"{x['subject']}: {x.get('metric') or (x.get('what') or '')[:60]} {x['year'] or ''}"
    c = item["commitment"]
    return f"{c['subject']}: {c['what']}"


def _stamp(since: str | None) -> str:
    try:
        moment = dt.datetime.fromisoformat(since or "")
    except ValueError:
        moment = dt.datetime.now(dt.timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
