"""Commitments: one per promise, however many articles repeat it, with its revisions linked.

``build_commitments`` runs:
1. figures: target facts grouped by subject, metric, unit, value (within rounding) and deadline;
2. milestones: grouped by subject, year and the nouns of their description;
3. revisions: a later announcement (another document, later date) of the same subject and metric with
   another value or deadline supersedes the earlier one;
4. status, deciding figures, latest actual figure and progress (status.py).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from .status import decide_milestone_status, decide_status, figure_year

SAME_MILESTONE = 0.8  # overlap of description nouns for two milestones to be one promise (seeds: repeats are 1.0)


def build_commitments(facts: list[dict[str, Any]], milestones: list[dict[str, Any]],
                      as_of: dt.date) -> list[dict[str, Any]]:
    """Commitments from stored facts and milestones (each with its document's "doc" and "date")."""
    actuals = [f for f in facts if f["kind"] == "actual"]
    figures = [_figure_commitment(group, actuals, as_of) for group in group_targets(facts)]
    _link_revisions(figures)
    promised = [_milestone_commitment(group, milestones, as_of) for group in group_milestones(milestones)]
    return figures + promised


def group_targets(facts: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Target facts that state the same promise."""
    groups: list[list[dict[str, Any]]] = []
    for fact in sorted((f for f in facts if f["kind"] == "target"), key=announce_order):
        for group in groups:
            first = group[0]
            if (first["subject"], first["metric"], first["unit"]) == (fact["subject"], fact["metric"], fact["unit"]) \
                    and close_values(first["value"], fact["value"]) and _same_deadline(first, fact):
                group.append(fact)
                break
        else:
            groups.append([fact])
    return groups


def group_milestones(milestones: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Milestones that state the same promise: same subject and year, nearly the same nouns."""
    groups: list[list[dict[str, Any]]] = []
    for m in sorted((m for m in milestones if not m.get("done")), key=announce_order):
        for group in groups:
            first = group[0]
            if first["subject"] == m["subject"] and first["year"] == m["year"] \
                    and overlap(first["keywords"], m["keywords"]) >= SAME_MILESTONE:
                group.append(m)
                break
        else:
            groups.append([m])
    return groups


def announce_order(record: dict[str, Any]) -> tuple:
    """Oldest first; documents without a date last, then by document and position."""
    return (record.get("date") is None, record.get("date") or "", record["doc"], record["evidence"]["start"])


def close_values(a: float, b: float) -> bool:
    return abs(a - b) <= 0.01 * max(abs(a), abs(b), 1e-9)


def overlap(a, b) -> float:
    """Overlap coefficient of two keyword sets."""
    a, b = set(a), set(b)
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _same_deadline(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["year"] != b["year"]:
        return False
    return all(a.get(k) is None or b.get(k) is None or a[k] == b[k] for k in ("quarter", "month"))


def _deadline(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    year = records[0]["year"]
    if year is None:
        return None
    quarter = next((r["quarter"] for r in records if r.get("quarter")), None)
    month = next((r["month"] for r in records if r.get("month")), None)
    return {"year": year, "quarter": quarter, "month": month}


def _sources(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"doc": r["doc"], "date": r.get("date"), "claimed_by": r.get("claimed_by"), "evidence": r["evidence"]}
            for r in records]


def _figure_commitment(group: list[dict[str, Any]], actuals: list[dict[str, Any]], as_of: dt.date) -> dict[str, Any]:
    first = group[0]
    target = {"value": first["value"], "unit": first["unit"], "approx": first["approx"]}
    deadline = _deadline(group)
    same = [a for a in actuals if (a["subject"], a["metric"], a["unit"]) == (first["subject"], first["metric"], first["unit"])]
    announcing = {r["doc"] for r in group}
    # A figure in the article that makes the promise is its context ("65,5 % today, 80 % by 2030"), not its outcome.
    status, deciding = decide_status(target, deadline, [a for a in same if a["doc"] not in announcing], as_of)
    latest = max(same, key=lambda a: (figure_year(a) or 0, a.get("date") or ""), default=None)
    return {
        "type": "commitment", "id": _id("f", first["subject"], first["metric"], first["unit"], f"{first['value']:g}",
                                        str(deadline)),
        "subject": first["subject"], "metric": first["metric"], "what": _label(first, deadline),
        "target": target, "deadline": deadline, "status": status, "announced": _sources(group),
        "decided_by": [{"doc": a["doc"], "value": a["value"], "year": figure_year(a), "evidence": a["evidence"]}
                       for a in deciding],
        "latest_actual": {"value": latest["value"], "year": figure_year(latest), "doc": latest["doc"]} if latest else None,
        "progress": round(latest["value"] / first["value"], 3) if latest and first["value"] else None,
        "supersedes": None, "superseded_by": None,
    }


def _milestone_commitment(group: list[dict[str, Any]], milestones: list[dict[str, Any]], as_of: dt.date) -> dict[str, Any]:
    first = group[0]
    deadline = _deadline(group)
    announced = first.get("date")
    done = [m for m in milestones if m.get("done") and m["subject"] == first["subject"]
            and overlap(m["keywords"], first["keywords"]) >= SAME_MILESTONE
            and not (announced and m.get("date") and m["date"] < announced)]  # a later report of the thing done
    return {
        "type": "commitment", "id": _id("m", first["subject"], str(first["year"]), *sorted(first["keywords"])),
        "subject": first["subject"], "metric": None, "what": first["what"], "target": None, "deadline": deadline,
        "status": decide_milestone_status(deadline, done, as_of), "announced": _sources(group),
        "decided_by": [{"doc": m["doc"], "value": None, "year": m["year"], "evidence": m["evidence"]} for m in done],
        "latest_actual": None, "progress": None, "supersedes": None, "superseded_by": None,
        "keywords": sorted({k for m in group for k in m["keywords"]}),
    }


def _link_revisions(commitments: list[dict[str, Any]]) -> None:
    """A later announcement of another value or deadline for the same subject and metric revises the earlier."""
    by_key: dict[tuple, list[dict[str, Any]]] = {}
    for c in commitments:
        by_key.setdefault((c["subject"], c["metric"], c["target"]["unit"]), []).append(c)
    for chain in by_key.values():
        dated = sorted((c for c in chain if c["announced"][0]["date"]), key=lambda c: c["announced"][0]["date"])
        for earlier, later in zip(dated, dated[1:]):
            if later["announced"][0]["date"] > earlier["announced"][0]["date"] \
                    and later["announced"][0]["doc"] != earlier["announced"][0]["doc"]:
                earlier["superseded_by"], later["supersedes"] = later["id"], earlier["id"]


def _label(fact: dict[str, Any], deadline: dict[str, Any] | None) -> str:
    """'local_integration_rate 80 percent by 2030', 'production_capacity 1 000 000 vehicle/year by 2030'."""
    value = fact["value"]
    number = f"{value:,.0f}".replace(",", " ") if float(value).is_integer() else f"{value:g}"
    when = f" by {deadline['year']}" if deadline else ""
    return f"{fact['metric']} {number} {fact['unit']}{when}"


def _id(*parts: str) -> str:
    return "c-" + hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:12]
