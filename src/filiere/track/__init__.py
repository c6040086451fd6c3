"""The tracking stage: facts and milestones in, commitments and conflicts out (no I/O, no clock).

``track`` is the orchestrator:
1. prepare the records (series.py): documents' dates as periods (an unreadable one is no date), the year an
   undated document's content starts from, each record's scope and series;
2. keep the records of documents that may have been published on or before ``as_of`` (undated ones too, unless
   their content is later);
3. build commitments (commitments.py) with their status (status.py), and count their independent sources (one
   per cluster of copies);
4. find conflicts between sources (conflicts.py);
5. end with a summary: how many documents were used, and which of them had no date (their figures count by their
   years alone).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from ..domains.packs import load_pack
from .commitments import build_commitments
from .conflicts import find_conflicts
from .series import announce_order, prepare


def track(facts: list[dict[str, Any]], milestones: list[dict[str, Any]], as_of: dt.date,
          copy_groups: dict[str, str] | None = None, pack=None) -> list[dict[str, Any]]:
    """Commitments, then conflicts, then one summary record, as shared/spec/TRACKER.md describes them.

    Args:
        facts: facts (FACTS.md fields), each with its document's "doc" and "date" (any precision, or None).
        milestones: milestones and reports of them done ("done": true), likewise.
        as_of: the day to read the tracker at; later documents and figures of later years are left out.
        copy_groups: doc -> its copy cluster, so copies count as one independent source.
        pack: the domain pack whose scope vocabulary reads records without a scope (default: automotive).
    """
    pack = pack or load_pack("automotive")
    facts, milestones, times = prepare(facts, milestones, pack)
    facts = [f for f in facts if times[f["doc"]].published_by(as_of)]
    milestones = [m for m in milestones if times[m["doc"]].published_by(as_of)]
    commitments = build_commitments(facts, milestones, as_of, times, pack)
    groups = copy_groups or {}
    for c in commitments:
        c["independent_sources"] = len({groups.get(s["doc"], s["doc"]) for s in c["announced"]})
    conflicts = find_conflicts(facts, commitments, pack, announce_order(times))
    used = sorted({r["doc"] for r in [*facts, *milestones]})
    undated = [d for d in used if times[d].date is None]
    summary = {"type": "summary", "as_of": as_of.isoformat(), "documents": len(used),
               "undated_documents": len(undated), "undated": undated,
               "undated_with_content_year": sum(times[d].floor is not None for d in undated)}
    return commitments + conflicts + [summary]

