"""The tracker over a store, as every command and page runs it (issue 14).

``track_store``:
1. reads the stored facts and milestones (of some documents only, for ``filiere changes``);
2. applies the corrections of records (track/corrections.py), then runs the tracker (track/__init__.py), then the
   corrections of commitments;
3. gives each source its title, outlet, date and URL (readable.py), never only its id, and marks what a person
   corrected, with who and when;
4. ends the summary with how many corrections were applied and which are orphaned (their record is gone).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from ..domains.packs import load_pack
from ..readable import describe
from ..store.corrections import corrections as stored_corrections, document_hashes, sources_of
from . import track
from .corrections import apply_to_commitments, apply_to_records
from .series import record_scope


def track_store(store, as_of: dt.date, pack=None, docs: set[str] | None = None) -> list[dict[str, Any]]:
    """Commitments, conflicts and a summary (TRACKER.md) of the store, corrections applied, sources readable.

    Args:
        store: an open store (read-only is enough).
        as_of: the day to read the tracker at.
        pack: the domain pack (default: automotive).
        docs: only the records of these document ids (None: every document).
    """
    pack = pack or load_pack("automotive")
    facts, milestones = store.facts(), store.milestones()
    if docs is not None:
        facts = [f for f in facts if f["doc"] in docs]
        milestones = [m for m in milestones if m["doc"] in docs]
    active = stored_corrections(store, active_only=True)
    hashes = document_hashes(store)
    facts, milestones, applied, orphaned = apply_to_records(
        facts, milestones, active, hashes, lambda r: record_scope(r, pack) if "metric" in r else None)
    groups = store.copy_groups()
    records = track(facts, milestones, as_of, groups, pack=pack)
    records, applied_c, orphaned_c = apply_to_commitments(records, active, groups)
    marks = {(r["doc"], r["evidence"].get("start"), r["evidence"].get("end")): r["corrections"]
             for r in [*facts, *milestones] if r.get("corrections")}
    docs_info = {doc: describe(row) for doc, row in sources_of(store).items()}
    for r in records:
        if r["type"] == "commitment":
            for s in r["announced"]:
                s.update(docs_info.get(s["doc"], describe(None)))
                found = marks.get((s["doc"], s["evidence"].get("start"), s["evidence"].get("end")))
                if found:
                    s["corrections"] = found
            for d in r.get("decided_by") or []:
                d.update(docs_info.get(d["doc"], describe(None)))
            authors = [m["by"] for m in r.get("corrections", [])] + \
                [m["by"] for s in r["announced"] for m in s.get("corrections", [])]
            r["corrected_by"] = sorted(set(authors))
        elif r["type"] == "conflict":
            for v in r["values"]:
                v.update(docs_info.get(v["doc"], describe(None)))
        elif r["type"] == "summary":
            # orphaned only when the whole store was read: a subset of documents leaves others' records out
            lost = [*orphaned, *orphaned_c] if docs is None else []
            r["corrections"] = {"applied": len(applied) + len(applied_c),
                                "orphaned": [{"id": c["id"], "label": c["label"]} for c in lost]}
    return records
