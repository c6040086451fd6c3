"""Corrections a person made, applied to the records (issue 14): pure functions, records and corrections in.

Two steps, at every tracker run:
1. ``apply_to_records`` before the tracker: a fact or milestone marked wrong is left out; a corrected field (subject,
   metric, kind, year, value, unit, scope) replaces the extracted one. A record is found by its document's content
   hash and its evidence offsets, so the correction holds after ingesting again, reprocessing, or a new extractor
   that gives the same record other row ids.
2. ``apply_to_commitments`` after it: a commitment (by its stable id) marked wrong is left out, a corrected field
   replaces the tracker's, two commitments merged are one (the sources of the first join the second), and one split
   gives the sources of the named documents a commitment of their own.
A correction whose record or commitment is not found any more is returned as orphaned, never dropped silently.
Every record or commitment a correction changed carries ``corrections``: what changed, by whom, when.
"""
from __future__ import annotations

import copy
import hashlib
from typing import Any

from ..errors import InputError

SCOPE_FIELDS = ("site", "segment", "period")
STATUSES = ("achieved", "achieved_late", "missed", "unverified", "pending", "undated")
FIELDS: dict[str, tuple[str, ...]] = {
    "fact": ("subject", "metric", "kind", "year", "value", "unit", *SCOPE_FIELDS),
    "milestone": ("subject", "year", "what", *SCOPE_FIELDS),
    "commitment": ("subject", "metric", "commitment_kind", "status", "deadline", *SCOPE_FIELDS),
}
CHOICES = {"kind": ("actual", "target"), "commitment_kind": ("promise", "forecast"), "status": STATUSES}


def parse_value(target: str, field: str, text: str) -> Any:
    """A corrected value from the command line or a form, typed for its field ('' or 'none' clears a year or scope).

    Raises:
        InputError: a field the target has not, or a value it cannot take.
    """
    where = f"{target} {field}"
    if field not in FIELDS[target]:
        raise InputError(where, f"a {target} has no field '{field}' to correct",
                         f"fields: {', '.join(FIELDS[target])}")
    text = text.strip()
    if field in ("year", "deadline") or field in SCOPE_FIELDS:
        if text.lower() in ("", "none", "aucun", "-"):
            return None
    if field in ("year", "deadline"):
        if not text.isdigit() or not 1900 <= int(text) <= 2200:
            raise InputError(where, f"'{text}' is not a year", "write it like 2030")
        return int(text)
    if field == "value":
        try:
            value = float(text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", "."))
        except ValueError:
            raise InputError(where, f"'{text}' is not a number", "write it like 500000 or 65.5") from None
        if value != value or abs(value) > 1e300:
            raise InputError(where, f"'{text}' is not a finite number")
        return int(value) if value.is_integer() else value
    if field in CHOICES and text not in CHOICES[field]:
        raise InputError(where, f"'{text}' is not one of {', '.join(CHOICES[field])}")
    if not text or len(text) > 300 or not text.isprintable():
        raise InputError(where, "the value must be printable text of 1 to 300 characters")
    return text


def record_key(record: dict[str, Any], hashes: dict[str, str]) -> tuple | None:
    evidence = record.get("evidence") or {}
    digest = hashes.get(record.get("doc"))
    return (digest, evidence.get("start"), evidence.get("end")) if digest else None


def _mark(correction: dict[str, Any], old: Any = None, new: Any = None) -> dict[str, Any]:
    return {"correction": correction["id"], "action": correction["action"], "field": correction.get("field"),
            "old": old, "new": new, "by": correction["author"], "at": correction["created_at"],
            "note": correction.get("note")}


def apply_to_records(facts: list[dict[str, Any]], milestones: list[dict[str, Any]],
                     corrections: list[dict[str, Any]], hashes: dict[str, str], scope_of=None
                     ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Facts and milestones with the corrections of records applied (copies; the inputs are not changed).

    Args:
        corrections: active corrections, oldest first (store.corrections.corrections(active_only=True)).
        hashes: doc id -> its content hash.
        scope_of: record -> its scope (the tracker's reading), so a corrected scope key keeps the others.
    Returns:
        facts, milestones, the corrections applied, the orphaned ones (their record was not found).
    """
    mine = [c for c in corrections if c["target"] in ("fact", "milestone")]
    if not mine:
        return facts, milestones, [], []
    by_key: dict[tuple, list[dict[str, Any]]] = {}
    out = {"fact": [dict(f) for f in facts], "milestone": [dict(m) for m in milestones]}
    for target, records in out.items():
        for r in records:
            key = record_key(r, hashes)
            if key:
                by_key.setdefault((target, *key), []).append(r)
    applied, orphaned, wrong = [], [], set()
    for c in mine:
        found = by_key.get((c["target"], c["content_hash"], c["evidence_start"], c["evidence_end"]), [])
        if not found:
            orphaned.append(c)
            continue
        applied.append(c)
        for r in found:
            if c["action"] == "wrong":
                wrong.add(id(r))
                continue
            field, value = c["field"], c["value"]
            if field in SCOPE_FIELDS:
                scope = dict(r.get("scope") or (scope_of(r) if scope_of else None) or {})
                old = scope.get(field)
                if value is None:
                    scope.pop(field, None)
                else:
                    scope[field] = value
                r["scope"] = scope or None
            else:
                old = r.get(field)
                r[field] = value
            r["corrections"] = [*r.get("corrections", []), _mark(c, old, value)]
    return ([f for f in out["fact"] if id(f) not in wrong], [m for m in out["milestone"] if id(m) not in wrong],
            applied, orphaned)


def apply_to_commitments(records: list[dict[str, Any]], corrections: list[dict[str, Any]],
                         copy_groups: dict[str, str] | None = None
                         ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Tracker records with the corrections of commitments applied, in the order they were made.

    Returns:
        the records, the corrections applied, the orphaned ones (their commitment was not found).
    """
    mine = [c for c in corrections if c["target"] == "commitment"]
    if not mine:
        return records, [], []
    records = [copy.deepcopy(r) if r["type"] == "commitment" else r for r in records]
    groups = copy_groups or {}
    by_id = {r["id"]: r for r in records if r["type"] == "commitment"}
    order = [r["id"] for r in records if r["type"] == "commitment"]
    applied, orphaned = [], []
    for c in mine:
        found = by_id.get(c["commitment_id"])
        if found is None or (c["action"] == "merge" and c["other"] not in by_id):
            orphaned.append(c)
            continue
        if c["action"] == "wrong":
            del by_id[found["id"]]
        elif c["action"] == "set":
            _set_field(found, c)
        elif c["action"] == "merge":
            into = by_id[c["other"]]
            seen = {(s["doc"], (s.get("evidence") or {}).get("start")) for s in into["announced"]}
            into["announced"] += [s for s in found["announced"]
                                  if (s["doc"], (s.get("evidence") or {}).get("start")) not in seen]
            into["merged"] = [*into.get("merged", []), found["id"]]
            into["corrections"] = [*into.get("corrections", []), _mark(c, found["id"], into["id"])]
            del by_id[found["id"]]
            for other in by_id.values():
                for link in ("supersedes", "superseded_by"):
                    if other.get(link) == found["id"]:
                        other[link] = into["id"] if other is not into else None
        elif c["action"] == "split":
            docs = set(c["value"] or [])
            moved = [s for s in found["announced"] if s["doc"] in docs]
            kept = [s for s in found["announced"] if s["doc"] not in docs]
            if not moved or not kept:
                orphaned.append(c)
                continue
            new = copy.deepcopy(found)
            new["id"] = "c-" + hashlib.sha1(f"{found['id']}|split|{'|'.join(sorted(docs))}".encode()).hexdigest()[:12]
            new["announced"], found["announced"] = moved, kept
            new["supersedes"] = new["superseded_by"] = None
            new["split_from"] = found["id"]
            new["corrections"] = [*found.get("corrections", []), _mark(c, found["id"], None)]
            found["corrections"] = [*found.get("corrections", []), _mark(c, None, new["id"])]
            by_id[new["id"]] = new
            order.insert(order.index(found["id"]) + 1, new["id"])
        applied.append(c)
    for c in by_id.values():
        c["independent_sources"] = len({groups.get(s["doc"], s["doc"]) for s in c["announced"]})
    commitments = [by_id[i] for i in order if i in by_id]
    return commitments + [r for r in records if r["type"] != "commitment"], applied, orphaned


def _set_field(commitment: dict[str, Any], c: dict[str, Any]) -> None:
    field, value = c["field"], c["value"]
    if field in SCOPE_FIELDS:
        scope = dict(commitment.get("scope") or {})
        old = scope.get(field)
        if value is None:
            scope.pop(field, None)
        else:
            scope[field] = value
        commitment["scope"] = scope or None
    elif field == "deadline":
        old = (commitment.get("deadline") or {}).get("year")
        commitment["deadline"] = {**(commitment.get("deadline") or {"quarter": None, "month": None}), "year": value} \
            if value is not None else None
    else:
        old = commitment.get(field)
        commitment[field] = value
    commitment["corrections"] = [*commitment.get("corrections", []), _mark(c, old, value)]
