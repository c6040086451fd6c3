"""What changed (issue 14): the tracker before some documents and after them, compared.

``changes`` reads the tracker (corrections applied) over the documents stored before a moment and over all of them:
- ``new``: a commitment the later documents brought (and that revises nothing);
- ``revised``: a later announcement superseding an earlier commitment (both given);
- ``status``: a commitment whose status changed (its old and new status);
- ``conflict``: a conflict between sources that was not there before.
The moment is a date (documents stored from that day on, UTC, are the new ones) or ``last-run``: the documents the
latest ingest, fetch, watch round or reprocess stored.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from .errors import InputError
from .store.corrections import document_hashes, documents_ingested, last_run
from .track.stored import track_store


def new_documents(store, since: str) -> tuple[set[str], str]:
    """The ids of the documents stored since ``since`` (a date, a timestamp, or 'last-run'), and the moment named.

    Raises:
        InputError: not a date, or 'last-run' on a store where no run was recorded.
    """
    if since == "last-run":
        run = last_run(store)
        if run is None:
            raise InputError("--since last-run", "no run is recorded in this store",
                             "runs are recorded by 'filiere ingest', 'fetch', 'watch' and 'reprocess'")
        return {doc for doc, h in document_hashes(store).items() if h in run["hashes"]}, run["started_at"]
    try:
        moment = dt.datetime.fromisoformat(since)
    except ValueError:
        raise InputError("--since", f"'{since}' is not a date", "write it as YYYY-MM-DD, or 'last-run'") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    out = set()
    for doc, stamp in documents_ingested(store).items():
        try:
            when = dt.datetime.fromisoformat(stamp)
        except (TypeError, ValueError):
            continue
        if (when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)) >= moment:
            out.add(doc)
    return out, moment.isoformat()


def changes(store, since: str, as_of: dt.date, pack=None) -> dict[str, Any]:
    """{"since": moment, "documents": [...], "items": [change records]} (each item has "change" and its record)."""
    new_docs, moment = new_documents(store, since)
    every = set(document_hashes(store))
    before = track_store(store, as_of, pack, docs=every - new_docs)
    after = track_store(store, as_of, pack)
    return {"since": moment, "as_of": as_of.isoformat(), "documents": sorted(new_docs),
            "items": diff(before, after)}


def _conflict_key(c: dict[str, Any]) -> tuple:
    return (c["subject"], c.get("metric"), c.get("what") if not c.get("metric") else None, c["year"], c["kind"],
            tuple(sorted((c.get("scope") or {}).items())))


def diff(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The change records from one tracker's records to another's."""
    old = {r["id"]: r for r in before if r["type"] == "commitment"}
    now = {r["id"]: r for r in after if r["type"] == "commitment"}
    items: list[dict[str, Any]] = []
    revisions = set()
    for c in now.values():
        earlier = c.get("supersedes")
        if earlier and (c["id"] not in old or old[c["id"]].get("supersedes") != earlier):
            revisions.add(c["id"])
            items.append({"type": "change", "change": "revised", "commitment": c, "revises": now.get(earlier)
                          or old.get(earlier)})
    for c in now.values():
        if c["id"] not in old and c["id"] not in revisions:
            items.append({"type": "change", "change": "new", "commitment": c})
        elif c["id"] in old and old[c["id"]]["status"] != c["status"]:
            items.append({"type": "change", "change": "status", "commitment": c, "old_status": old[c["id"]]["status"]})
    known = {_conflict_key(x) for x in before if x["type"] == "conflict"}
    for x in after:
        if x["type"] == "conflict" and _conflict_key(x) not in known:
            items.append({"type": "change", "change": "conflict", "conflict": x})
    return items


def _human(value: float) -> str:
    for scale, word in ((1e9, "bn"), (1e6, "M")):
        if abs(value) >= scale:
            return f"{value / scale:g} {word}"
    return f"{value:g}"


def change_line(item: dict[str, Any]) -> str:
    """One line for people: 'new       Renault Group: production_capacity ... by 2025 (pending) — « title », outlet'."""
    if item["change"] == "conflict":
        x = item["conflict"]
        what = x.get("metric") or (x.get("what") or "")[:50]
        sides = " vs ".join((_human(v["value"]) if "value" in v else v.get("what", ""))[:40] for v in x["values"])
        return f"conflict  {x['subject']}: {what} {x['year'] or '-'}: {x['verdict']} ({sides})"
    c = item["commitment"]
    first = c["announced"][0] if c["announced"] else {}
    source = f" — « {first.get('title', '')} », {first.get('outlet') or 'fichier local'}, {first.get('date') or 'sans date'}"
    if item["change"] == "status":
        return f"status    {c['subject']}: {c['what']}: {item['old_status']} -> {c['status']}{source}"
    if item["change"] == "revised":
        old = item.get("revises") or {}
        return f"revised   {c['subject']}: {old.get('what', '?')} -> {c['what']} ({c['status']}){source}"
    return f"new       {c['subject']}: {c['what']} ({c['status']}){source}"
