"""Conflicts: figures that sources report differently, and milestones told with different details."""
from __future__ import annotations

import math
from decimal import Decimal
from itertools import combinations
from typing import Any

from .commitments import announce_order, overlap

SAME_STORY = 0.5  # nouns two milestones share (overlap coefficient) to be the same promise told differently


def find_conflicts(facts: list[dict[str, Any]], milestone_commitments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Figure conflicts (same subject, metric, year, kind, unit, qualifier; other values, other documents)
    and milestone conflicts (same subject and year, shared nouns, other details)."""
    return _figure_conflicts(facts) + _milestone_conflicts(milestone_commitments)


def _figure_conflicts(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for f in facts:
        if f["year"] is not None:
            key = (f["subject"], f["metric"], f["year"], f["kind"], f["unit"], f.get("qualifier"))
            groups.setdefault(key, []).append(f)
    out = []
    for (subject, metric, year, kind, _, _), group in groups.items():
        distinct = {round(f["value"], 9) for f in group}
        if len(distinct) < 2 or len({f["doc"] for f in group}) < 2:
            continue
        pairs = [(a, b) for a, b in combinations(group, 2) if a["value"] != b["value"]]
        agree = all(consistent(a, b) for a, b in pairs)
        out.append({"type": "conflict", "subject": subject, "metric": metric, "year": year, "kind": kind,
                    "values": [{"value": f["value"], "unit": f["unit"], "approx": f["approx"], "doc": f["doc"],
                                "claimed_by": f.get("claimed_by"), "evidence": f["evidence"]}
                               for f in sorted(group, key=announce_order)],
                    "verdict": "agree_within_rounding" if agree else "disagree"})
    return out


def consistent(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two figures that rounding (157 and 157,6 milliards) or their approximations ('plus de 40 %') reconcile."""
    for x, y in ((a, b), (b, a)):
        if x["approx"] == "more_than" and y["approx"] in ("exact", "about", "more_than") and y["value"] >= x["value"]:
            return True
        if x["approx"] in ("less_than", "up_to") and y["approx"] != "more_than" and y["value"] <= x["value"]:
            return True
    coarse, fine = sorted((a["value"], b["value"]), key=last_digit, reverse=True)
    step = last_digit(coarse)
    # the finer figure, rounded or truncated to the coarser one's last digit, gives the coarser one
    return any(abs(f(fine / step) * step - coarse) < step / 2 for f in (round, math.floor))


def last_digit(value: float) -> float:
    """The unit of a figure's last significant digit: 157e9 -> 1e9, 157.6e9 -> 1e8, 2.39 -> 0.01."""
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return float(Decimal(1).scaleb(exponent))


def _milestone_conflicts(commitments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    milestones = [c for c in commitments if c["metric"] is None]
    out = []
    for a, b in combinations(milestones, 2):
        docs_a, docs_b = {s["doc"] for s in a["announced"]}, {s["doc"] for s in b["announced"]}
        if a["subject"] != b["subject"] or not _same_period(a, b) or docs_a == docs_b:
            continue
        if overlap(_keywords(a), _keywords(b)) >= SAME_STORY:
            out.append({"type": "conflict", "subject": a["subject"], "what": a["what"],
                        "year": a["deadline"]["year"] if a["deadline"] else None, "kind": "target",
                        "values": [{"what": c["what"], "doc": s["doc"], "evidence": s["evidence"]}
                                   for c in (a, b) for s in c["announced"][:1]],
                        "verdict": "differ_in_details"})
    return out


def _same_period(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (a["deadline"] or {}).get("year") == (b["deadline"] or {}).get("year")


def _keywords(commitment: dict[str, Any]) -> list[str]:
    return commitment.get("keywords") or []
