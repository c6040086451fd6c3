"""Conflicts: figures of one series that sources report differently, and one promise told with other details.

A conflict compares figures of one series (subject, metric, unit, scope: site, segment and period) for one year
and kind, from different documents. A bound that the other figure satisfies ("plus de 100 000" and 227 579) is no
conflict; figures that rounding reconciles (157 and 157,6 milliards) `agree_within_rounding`; others `disagree`.
A milestone commitment announced by several documents whose descriptions name other sites or segments
(one promised centre placed in one town by a source, in another by the next) `differ_in_details`, the detail named.
"""
from __future__ import annotations

import math
from decimal import Decimal
from itertools import combinations
from typing import Any

from ..domains.scope import derive_scope, find_sites


def find_conflicts(facts: list[dict[str, Any]], commitments: list[dict[str, Any]], pack, order
                   ) -> list[dict[str, Any]]:
    """Figure conflicts (prepared facts, series.prepare) and milestone conflicts (from the commitments)."""
    return _figure_conflicts(facts, order) + _milestone_conflicts(commitments, pack)


def _figure_conflicts(facts: list[dict[str, Any]], order) -> list[dict[str, Any]]:
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for f in facts:
        if isinstance(f.get("year"), int):
            groups.setdefault((*f["_series"], f["year"], f["kind"]), []).append(f)
    out = []
    for key, group in groups.items():
        verdict = judge([(a, b) for a, b in combinations(group, 2) if a["doc"] != b["doc"] and a["value"] != b["value"]])
        if verdict is None:
            continue
        subject, metric = key[0], key[1]
        out.append({"type": "conflict", "subject": subject, "metric": metric, "year": key[-2], "kind": key[-1],
                    "scope": group[0]["_scope"],
                    "values": [{"value": f["value"], "unit": f["unit"], "approx": f["approx"], "doc": f["doc"],
                                "claimed_by": f.get("claimed_by"), "evidence": f["evidence"]}
                               for f in sorted(group, key=order)],
                    "verdict": verdict})
    return out


def judge(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> str | None:
    """The verdict on pairs of differing figures from different documents: None when every pair is a bound that
    holds (no conflict at all), `agree_within_rounding` when rounding reconciles the rest, else `disagree`."""
    if not pairs:
        return None
    kinds = {"bound" if bound_holds(a, b) else "rounding" if rounds_to(a, b) else "disagree" for a, b in pairs}
    if "disagree" in kinds:
        return "disagree"
    return "agree_within_rounding" if "rounding" in kinds else None


def consistent(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two figures that rounding (157 and 157,6 milliards) or their approximations ('plus de 40 %') reconcile."""
    return bound_holds(a, b) or rounds_to(a, b)


def bound_holds(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """One figure is a bound ('plus de 100 000', 'moins de 30 %', 'jusqu'à') that the other satisfies."""
    for x, y in ((a, b), (b, a)):
        if x["approx"] == "more_than" and y["approx"] in ("exact", "about", "more_than") and y["value"] >= x["value"]:
            return True
        if x["approx"] in ("less_than", "up_to") and y["approx"] != "more_than" and y["value"] <= x["value"]:
            return True
    return False


def rounds_to(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """The finer figure, rounded or truncated to the coarser one's last digit, gives the coarser one."""
    coarse, fine = sorted((a["value"], b["value"]), key=last_digit, reverse=True)
    step = last_digit(coarse)
    return any(abs(f(fine / step) * step - coarse) < step / 2 for f in (round, math.floor))


def last_digit(value: float) -> float:
    """The unit of a figure's last significant digit: 157e9 -> 1e9, 157.6e9 -> 1e8, 2.39 -> 0.01."""
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return float(Decimal(1).scaleb(exponent))


def _milestone_conflicts(commitments: list[dict[str, Any]], pack) -> list[dict[str, Any]]:
    out = []
    for c in commitments:
        if c["metric"] is not None or len({s["doc"] for s in c["announced"]}) < 2:
            continue
        values, seen = [], set()
        for s in c["announced"]:
            if s["doc"] in seen:
                continue
            seen.add(s["doc"])
            text = f"{s['what']} {(s.get('evidence') or {}).get('text') or ''}"
            segment = (derive_scope(s["what"], pack, "target") or {}).get("segment")
            values.append({"what": s["what"], "doc": s["doc"], "evidence": s["evidence"],
                           "sites": find_sites(text, pack), "segment": segment})
        differs = [k for k in ("sites", "segment")
                   if len({tuple(v[k]) if isinstance(v[k], list) else v[k] for v in values}) > 1]
        if differs:
            out.append({"type": "conflict", "subject": c["subject"], "what": c["what"],
                        "year": c["deadline"]["year"] if c["deadline"] else None, "kind": "target",
                        "commitment": c["id"], "values": values, "verdict": "differ_in_details", "differs": differs})
    return out
