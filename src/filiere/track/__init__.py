"""The tracking stage: stored facts and milestones in, commitments and conflicts out (no I/O, no clock).

``track`` is the orchestrator:
1. keep the records of documents published on or before ``as_of`` (and undated ones);
2. build commitments (commitments.py) with their status (status.py), and count their independent
   sources (one per cluster of copies);
3. find conflicts between sources (conflicts.py).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from ..periods import period_or_none
from .commitments import build_commitments
from .conflicts import find_conflicts


def track(facts: list[dict[str, Any]], milestones: list[dict[str, Any]], as_of: dt.date,
          copy_groups: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Commitments then conflicts, as the records of shared/spec/TRACKER.md.

    Args:
        facts: stored facts, each with its document's "doc" and "date".
        milestones: stored milestones, likewise, with their "keywords".
        as_of: the day to read the tracker at; later documents are left out.
        copy_groups: doc -> its copy cluster, so copies count as one independent source.
    """
    facts = [f for f in facts if _published_by(f, as_of)]
    milestones = [m for m in milestones if _published_by(m, as_of)]
    commitments = build_commitments(facts, milestones, as_of)
    groups = copy_groups or {}
    for c in commitments:
        c["independent_sources"] = len({groups.get(s["doc"], s["doc"]) for s in c["announced"]})
    return commitments + find_conflicts(facts, commitments)


def _published_by(record: dict[str, Any], as_of: dt.date) -> bool:
    date = record.get("date")
    return (period := period_or_none(date)) is None or period.start <= as_of  # unreadable: undated (issue 13)
