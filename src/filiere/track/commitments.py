"""Commitments: one per promise, however many articles repeat it, with its revisions linked.

``build_commitments`` runs:
1. figures: target facts grouped by series (subject, metric, unit, scope), value (within rounding) and deadline;
   a restatement of no year joins the one dated promise of its series and value ("l'objectif initial de 65 %");
2. milestones: grouped by subject, year and the nouns of their description: one story told differently is one
   commitment with all its sources;
3. revisions: a later announcement (another document, later) of the same series with another value or deadline
   supersedes the earlier one;
4. status, deciding figures, latest actual figure and progress, from the figures of the same series that can be
   its outcomes (status.py): not the promise's own article, not an article surely published before it, no year
   after as_of.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from ..domains.scope import is_forecast_cue, milestone_metric
from .series import DocTime, announce_order, same_place, starts_in
from .status import decide_milestone_status, decide_status, figure_year, pick_latest, progress

SAME_MILESTONE = 0.8  # overlap of description nouns for a report of something done to be that promise (seeds: 1.0)
SAME_STORY = 0.5  # overlap of nouns for two milestones of one subject and year to be one promise told differently
# (seeds: the R&D centre of 000 and 001 share 0.6 of their nouns, the 2030 range 0.5; no two distinct promises of one
# subject and year in the seeds or the real set share more than 0.34). Re-run tests/test_track*.py after a change.
REVISION_RATIO = 3  # a later target more than 3 times larger or smaller is another programme, not a revision: the
# revisions the real set's analyst names change a value by 2.2 times at most (3 700 -> 1 650 jobs), while the same
# subject's unrelated programmes differ by 30 times (90 000 jobs in the 2020 plan, 3 000 in a battery agreement)


def build_commitments(facts: list[dict[str, Any]], milestones: list[dict[str, Any]], as_of: dt.date,
                      times: dict[str, DocTime], pack) -> list[dict[str, Any]]:
    """Commitments from prepared facts and milestones (series.prepare)."""
    context = _Context(facts, times, as_of, pack)
    figures = [context.figure_commitment(group) for group in group_targets(facts, context.order)]
    _link_revisions(figures, context)
    promised = [context.milestone_commitment(group, milestones, facts)
                for group in group_milestones(milestones, context.order)]
    return figures + promised


def group_targets(facts: list[dict[str, Any]], order) -> list[list[dict[str, Any]]]:
    """Target facts that state the same promise: same series, value within rounding, same deadline; then each
    restatement of no year joins the one dated promise of its series and value, when there is exactly one."""
    groups: list[list[dict[str, Any]]] = []
    by_series: dict[tuple, list[list[dict[str, Any]]]] = {}
    for fact in sorted((f for f in facts if f["kind"] == "target"), key=order):
        same = by_series.setdefault(fact["_series"], [])
        for group in same:
            if close_values(group[0]["value"], fact["value"]) and _same_deadline(group[0], fact):
                group.append(fact)
                break
        else:
            same.append([fact])
            groups.append(same[-1])
    merged = set()
    for group in groups:
        if group[0]["year"] is not None:
            continue
        dated = [g for g in by_series[group[0]["_series"]]
                 if g[0]["year"] is not None and close_values(g[0]["value"], group[0]["value"])]
        if len(dated) == 1:
            dated[0].extend(group)
            dated[0].sort(key=order)
            merged.add(id(group))
    return [g for g in groups if id(g) not in merged]


def group_milestones(milestones: list[dict[str, Any]], order) -> list[list[dict[str, Any]]]:
    """Milestones that state the same promise: same subject and year, and enough nouns in common."""
    groups: list[list[dict[str, Any]]] = []
    for m in sorted((m for m in milestones if not m.get("done")), key=order):
        for group in groups:
            if group[0]["subject"] == m["subject"] and group[0]["year"] == m["year"] \
                    and max(overlap(g["keywords"], m["keywords"]) for g in group) >= SAME_STORY:
                group.append(m)
                break
        else:
            groups.append([m])
    return groups


def close_values(a: float, b: float) -> bool:
    return abs(a - b) <= 0.01 * max(abs(a), abs(b), 1e-9)


def overlap(a, b) -> float:
    """Overlap coefficient of two keyword sets."""
    a, b = set(a), set(b)
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


class _Context:
    """What every commitment is decided against: the actual figures by series, the documents' times, as_of."""

    def __init__(self, facts: list[dict[str, Any]], times: dict[str, DocTime], as_of: dt.date, pack):
        self.times, self.as_of, self.pack = times, as_of, pack
        self.order = announce_order(times)
        self.actuals: dict[tuple, list[dict[str, Any]]] = {}
        for f in facts:
            year = figure_year(f)
            if f["kind"] == "actual" and (year is None or year <= as_of.year):  # a later year is not known yet
                self.actuals.setdefault((f["subject"], f["metric"], f["unit"]), []).append(f)
        self.kinds = {a.name: a.kind for a in pack.actors}

    def outcomes(self, first: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
        """The series' figures that can decide a promise, those for part of a year, and its context: the figures of
        the article that first states it or of articles surely published before it."""
        promised = self.times[first["doc"]]
        out: dict[str, list[dict[str, Any]]] = {"full": [], "partial": [], "context": []}
        period = first["_series"][5]
        for a in self.actuals.get((first["subject"], first["metric"], first["unit"]), []):
            if not same_place(a, first):
                continue
            if a["_series"][5] == period:
                which = "full"
            elif period is None and self.pack.scope.is_partial(a["_series"][5]):
                which = "partial"
            else:
                continue
            if a["doc"] == first["doc"] or self.times[a["doc"]].surely_before(promised):
                which = "context" if which == "full" else None
            if which:
                out[which].append(a)
        return out

    def figure_commitment(self, group: list[dict[str, Any]]) -> dict[str, Any]:
        # the promise as first stated with its deadline (a restatement of no year may come first); its context is
        # the first article that states it at all
        first = next((r for r in group if r["year"] is not None), group[0])
        target = {"value": first["value"], "unit": first["unit"], "approx": first["approx"]}
        deadline = self._deadline([first, *(r for r in group if r is not first)])
        found = self.outcomes(group[0])
        status, deciding = decide_status(target, deadline, found["full"], self.as_of, found["partial"])
        latest = pick_latest(status, target, deadline, found["full"] + found["context"], found["partial"], self.order)
        return {
            "type": "commitment",
            "id": _id("f", first["subject"], first["metric"], first["unit"], f"{first['value']:g}", str(_id_deadline(deadline)),
                      *_scope_id(first)),
            "subject": first["subject"], "metric": first["metric"], "what": _label(first, deadline),
            "target": target, "deadline": deadline, "status": status,
            "commitment_kind": self._kind(group), "scope": first["_scope"], "announced": _sources(group),
            "decided_by": [{"doc": a["doc"], "value": a["value"], "year": figure_year(a), "evidence": a["evidence"]}
                           for a in sorted(deciding, key=self.order)],
            "latest_actual": {"value": latest["value"], "year": figure_year(latest), "doc": latest["doc"]} if latest else None,
            "progress": progress(latest, target),
            "supersedes": None, "superseded_by": None,
        }

    def milestone_commitment(self, group: list[dict[str, Any]], milestones: list[dict[str, Any]],
                             facts: list[dict[str, Any]]) -> dict[str, Any]:
        first = group[0]
        deadline = self._deadline(group)
        promised = self.times[first["doc"]]
        announced = {m["doc"] for m in group}
        keywords = {k for m in group for k in m["keywords"]}
        done = [m for m in milestones if m.get("done") and m["subject"] == first["subject"]
                and max(overlap(m["keywords"], g["keywords"]) for g in group) >= SAME_MILESTONE
                and m["doc"] not in announced and not self.times[m["doc"]].surely_before(promised)
                and (m.get("year") is None or m["year"] <= self.as_of.year)]
        done += self._done_by_figures(first, promised)
        return {
            "type": "commitment", "id": _id("m", first["subject"], str(first["year"]), *sorted(first["keywords"])),
            "subject": first["subject"], "metric": None, "what": first["what"], "target": None, "deadline": deadline,
            "status": decide_milestone_status(deadline, done, self.as_of), "commitment_kind": self._kind(group),
            "scope": first["_scope"], "announced": [{**s, "what": m["what"]} for s, m in zip(_sources(group), group)],
            "decided_by": [{"doc": m["doc"], "value": m.get("value"), "year": m.get("year"), "evidence": m["evidence"]}
                           for m in sorted(done, key=self.order)],
            "latest_actual": None, "progress": None, "supersedes": None, "superseded_by": None,
            "keywords": sorted(keywords),
        }

    def _done_by_figures(self, first: dict[str, Any], promised: DocTime) -> list[dict[str, Any]]:
        """A promise to start producing is shown done by a later article's production figure of the same subject,
        for a year from the announcement on, within the milestone's scope (its site, its model)."""
        metric = milestone_metric(first.get("what") or "", self.pack)
        if metric is None:
            return []
        scope = first["_scope"] or {}
        since = promised.earliest.year if promised.earliest else None
        out = []
        for key, figures in self.actuals.items():
            if key[0] != first["subject"] or key[1] != metric:
                continue
            for a in figures:
                year = figure_year(a)
                if year is None or a["value"] <= 0 or (since is not None and year < since) or a["doc"] == first["doc"] \
                        or self.times[a["doc"]].surely_before(promised):
                    continue
                if all((a["_scope"] or {}).get(k) == v for k, v in scope.items()):
                    out.append(a)
        return out

    def _deadline(self, records: list[dict[str, Any]]) -> dict[str, Any] | None:
        year = records[0]["year"]
        if year is None:
            return None
        quarter = next((r["quarter"] for r in records if r.get("quarter")), None)
        month = next((r["month"] for r in records if r.get("month")), None)
        deadline = {"year": year, "quarter": quarter, "month": month}
        if starts_in((records[0].get("evidence") or {}).get("text") or "", year, self.pack):
            deadline["starts"] = True  # "dès 2025": due from then, shown "from 2025", not "by 2025"
        return deadline

    def _kind(self, group: list[dict[str, Any]]) -> str:
        """`forecast` for a market's figure (the subject is a market, not a party) or an attributed forecast."""
        vocab = self.pack.scope
        if self.kinds.get(group[0]["subject"]) in vocab.forecast_subject_kinds or \
                any(is_forecast_cue((r.get("evidence") or {}).get("text") or "", self.pack) for r in group):
            return "forecast"
        return "promise"


def _same_deadline(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["year"] != b["year"]:
        return False
    return all(a.get(k) is None or b.get(k) is None or a[k] == b[k] for k in ("quarter", "month"))


def _sources(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"doc": r["doc"], "date": r.get("date"), "claimed_by": r.get("claimed_by"), "evidence": r["evidence"]}
            for r in records]


def _link_revisions(commitments: list[dict[str, Any]], context: _Context) -> None:
    """A later announcement of another value or deadline for the same series revises the earlier."""
    by_series: dict[tuple, list[dict[str, Any]]] = {}
    for c in commitments:
        by_series.setdefault((c["subject"], c["metric"], c["target"]["unit"], *_scope_id(c)), []).append(c)
    for chain in by_series.values():
        dated = [(context.times[c["announced"][0]["doc"]].earliest, c) for c in chain]
        dated = sorted(((d, c) for d, c in dated if d is not None), key=lambda dc: dc[0])
        for (d1, earlier), (d2, later) in zip(dated, dated[1:]):
            ratio = max(earlier["target"]["value"], later["target"]["value"]) / \
                max(min(earlier["target"]["value"], later["target"]["value"]), 1e-9)
            if d2 > d1 and later["announced"][0]["doc"] != earlier["announced"][0]["doc"] and ratio <= REVISION_RATIO:
                earlier["superseded_by"], later["supersedes"] = later["id"], earlier["id"]


def _scope_id(record: dict[str, Any]) -> tuple[str, ...]:
    scope = record.get("_scope", record.get("scope")) or {}
    return tuple(f"{k}={scope[k]}" for k in sorted(scope))


def _id_deadline(deadline: dict[str, Any] | None) -> dict[str, Any] | None:
    """The deadline as ids were made before 'starts' existed, so ids stay stable."""
    return {k: deadline[k] for k in ("year", "quarter", "month")} if deadline else None


def _label(fact: dict[str, Any], deadline: dict[str, Any] | None) -> str:
    """'local_integration_rate 80 percent by 2030', 'workforce 300 person (<site>)', 'jobs_created 1 200 job from 2027'."""
    value = fact["value"]
    number = f"{value:,.0f}".replace(",", " ") if float(value).is_integer() else f"{value:g}"
    scope = fact.get("_scope") or {}
    where = f" ({', '.join(scope[k] for k in ('site', 'segment', 'period') if k in scope)})" if scope else ""
    when = (f" from {deadline['year']}" if deadline.get("starts") else f" by {deadline['year']}") if deadline else ""
    return f"{fact['metric']} {number} {fact['unit']}{where}{when}"


def _id(*parts: str) -> str:
    return "c-" + hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:12]
