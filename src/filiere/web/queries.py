"""The queries behind every page and its JSON twin: a store and filters in, plain records out.

Each function is called both by a page (app.py renders it) and by its endpoint under /api/ (returned as JSON),
so the two always show the same thing. Records keep the field names of shared/spec/FACTS.md and TRACKER.md.
"""
from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from typing import Any

from ..domains.packs import load_pack
from ..domains.scope import SCOPE_KEYS
from ..periods import period_or_none
from ..readable import title_of
from ..store import Store
from ..store.corrections import corrections_fingerprint
from ..track.stored import track_store
from ..track.conflicts import last_digit
from ..track.series import record_scope

_CACHE: "OrderedDict[tuple, list[dict[str, Any]]]" = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHE_SIZE = 16  # tracker results kept: one per (store, its content, as-of date)


def _pack_name(store: Store) -> str:
    """The pack the dashboard serves with (filiere serve --pack), automotive for a store opened elsewhere."""
    return getattr(store, "pack", None) or "automotive"


def tracker_records(store: Store, as_of: dt.date, pack: str | None = None) -> list[dict[str, Any]]:
    """Commitments then conflicts (track()), computed once per content of the store and as-of date."""
    key = (store.path, store.fingerprint(), corrections_fingerprint(store), as_of, _pack_name(store), pack)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    if pack:  # the documents read with one pack (a store with several, issue 17), tracked with its vocabulary
        records = track_store(store, as_of, pack=load_pack(pack), docs=store.docs_of_pack(pack))
    else:
        records = track_store(store, as_of, pack=load_pack(_pack_name(store)))  # corrections applied, sources readable
    with _CACHE_LOCK:
        _CACHE[key] = records
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return records


def page(items: list[dict[str, Any]], offset: int, limit: int) -> dict[str, Any]:
    """A list endpoint's answer: one page of items and how many there are in all."""
    return {"items": items[offset:offset + limit], "total": len(items)}


def commitments(store: Store, as_of: dt.date, subject: str | None = None, metric: str | None = None,
                status: str | None = None, offset: int = 0, limit: int = 50,
                commitment_kind: str | None = None, pack: str | None = None) -> dict[str, Any]:
    """Commitments of the tracker, filtered by subject, metric, status and kind; the promises of companies, the
    state and associations first, the market forecasts that articles recall after them; most urgent first."""
    items = [r for r in tracker_records(store, as_of, pack) if r["type"] == "commitment"
             and subject in (None, r["subject"]) and metric in (None, r["metric"]) and status in (None, r["status"])
             and commitment_kind in (None, r.get("commitment_kind"))]
    items.sort(key=lambda c: (c.get("commitment_kind") == "forecast", *_urgency(c)))
    return page(items, offset, limit)


def conflicts(store: Store, as_of: dt.date, subject: str | None = None, metric: str | None = None,
              verdict: str | None = None, offset: int = 0, limit: int = 50, pack: str | None = None) -> dict[str, Any]:
    """Figures and promises that sources report differently."""
    items = [r for r in tracker_records(store, as_of, pack) if r["type"] == "conflict"
             and subject in (None, r["subject"]) and metric in (None, r.get("metric"))
             and verdict in (None, r["verdict"])]
    return page(items, offset, limit)


def facts(store: Store, offset: int = 0, limit: int = 50, **filters: Any) -> dict[str, Any]:
    """Stored facts filtered by metric, subject, year, kind, unit and document."""
    items, total = store.facts_page(offset, limit, **filters)
    return {"items": items, "total": total}


def revision_chains(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """For each revised commitment, its whole chain of revisions, oldest first (supersedes / superseded_by)."""
    by_id = {c["id"]: c for c in items}
    chains: dict[str, list[dict[str, Any]]] = {}
    for c in items:
        if not (c.get("supersedes") or c.get("superseded_by")):
            continue
        first, steps = c, 0
        while first.get("supersedes") in by_id and steps < 50:  # a bounded walk, even over a broken chain
            first, steps = by_id[first["supersedes"]], steps + 1
        chain = [first]
        while chain[-1].get("superseded_by") in by_id and len(chain) < 50:
            chain.append(by_id[chain[-1]["superseded_by"]])
        chains[c["id"]] = chain
    return chains


def overview(store: Store, as_of: dt.date) -> dict[str, Any]:
    """How many articles, facts and commitments by status; the deadlines coming up; the latest figures."""
    records = tracker_records(store, as_of)
    promised = [r for r in records if r["type"] == "commitment"]
    by_status: dict[str, int] = {}
    for c in promised:
        by_status[c["status"]] = by_status.get(c["status"], 0) + 1
    upcoming = sorted((c for c in promised if c["status"] == "pending" and c["deadline"]), key=_urgency)[:8]
    actuals = sorted(store.facts(kind="actual"), key=lambda f: (f["date"] or "", f["year"] or 0, f["id"]), reverse=True)
    counts = store.counts()
    return {"as_of": as_of.isoformat(),
            "counts": {"documents": counts["documents"], "facts": counts["facts"], "milestones": counts["milestones"],
                       "actors": counts["actors"], "commitments": len(promised),
                       "conflicts": sum(r["type"] == "conflict" for r in records)},
            "commitments_by_status": by_status, "upcoming": upcoming, "latest_facts": actuals[:10]}


def metric_view(store: Store, metric: str, as_of: dt.date) -> dict[str, Any] | None:
    """One metric: its figures (each marked with the verdict of a conflict it is part of, and with its scope: the
    stored one, else the one the tracker reads from its qualifier and sentence), the chart's series (actual figures
    per subject, scope and unit over the years, targets at their deadlines) and its commitments."""
    figures = store.facts(metric=metric)
    if not figures:
        return None
    pack = load_pack(_pack_name(store))
    records = tracker_records(store, as_of)
    found = [r for r in records if r["type"] == "conflict" and r.get("metric") == metric]
    verdicts = {(v["doc"], v["evidence"]["start"]): x["verdict"] for x in found for v in x["values"]}
    for f in figures:
        f["verdict"] = verdicts.get((f["doc"], f["evidence"]["start"]))
        f["scope"] = f.get("scope") or record_scope(f, pack)
    return {"metric": metric, "units": sorted({f["unit"] for f in figures}), "facts": figures,
            "series": _series(figures, pack), "conflicts": found,
            "commitments": [r for r in records if r["type"] == "commitment" and r["metric"] == metric]}


def _series(figures: list[dict[str, Any]], pack) -> list[dict[str, Any]]:
    """Chart series: one per subject, scope, unit and kind ("Maroc, VP" and "Maroc, véhicules électrifiés" are two
    lines), each figure a point of its own (one marker per source), and the line through one value a year: the
    most precise of that year's figures, the newest article's among equals. Figures without a year are left out."""
    series: dict[tuple, dict[str, Any]] = {}
    for f in figures:
        if f["year"] is None:
            continue
        scope = f.get("scope") or record_scope(f, pack)
        parts = [scope[k] for k in SCOPE_KEYS if scope and scope.get(k)]
        key = (f["subject"], tuple(parts), f["unit"], f["kind"])
        s = series.setdefault(key, {"subject": f["subject"], "scope": scope, "label": ", ".join([f["subject"], *parts]),
                                    "unit": f["unit"], "kind": f["kind"], "points": []})
        s["points"].append({"year": f["year"], "value": f["value"], "approx": f["approx"], "doc": f["doc"],
                            "date": f.get("date"), "id": f["id"], "verdict": f.get("verdict")})
    for s in series.values():
        s["points"].sort(key=lambda p: (p["year"], p["value"]))
        by_year: dict[int, dict[str, Any]] = {}
        for p in s["points"]:
            best = by_year.get(p["year"])
            if best is None or (last_digit(p["value"]), _newest(best)) < (last_digit(best["value"]), _newest(p)):
                by_year[p["year"]] = p
        s["line"] = [{"year": y, "value": by_year[y]["value"]} for y in sorted(by_year)]
    return sorted(series.values(), key=lambda s: (s["unit"], s["kind"], s["label"]))


def _newest(point: dict[str, Any]) -> tuple:
    """A sort key that is smaller for newer articles (undated ones count as the oldest)."""
    found = period_or_none(point.get("date"))
    return (-(found.start.toordinal()) if found else 0,)


def documents(store: Store, offset: int = 0, limit: int = 50, q: str | None = None,
              pack: str | None = None) -> dict[str, Any]:
    """Articles, newest first, with their counts of facts and milestones; pack: those read with that pack."""
    items, total = store.documents_page(offset, limit, q, pack)
    return {"items": items, "total": total}


def document(store: Store, doc: str) -> dict[str, Any] | None:
    """One article: cleaned text, what cleaning removed, its facts and milestones, and related articles."""
    found = store.document(doc)
    if found is not None:
        found["related"] = store.related(doc)
    return found


def highlight(text: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The text cut into plain pieces and highlighted ones (a fact's figure, a milestone's sentence).

    Overlapping spans keep the one that starts first; every piece is escaped by the template, never here.
    """
    spans = sorted(((r["evidence"]["start"], r["evidence"]["end"], r) for r in records
                    if 0 <= r["evidence"]["start"] < r["evidence"]["end"] <= len(text)), key=lambda s: (s[0], -s[1]))
    pieces, cursor = [], 0
    for start, end, record in spans:
        if start < cursor:
            continue
        if start > cursor:
            pieces.append({"text": text[cursor:start], "record": None})
        pieces.append({"text": text[start:end], "record": record})
        cursor = end
    if cursor < len(text):
        pieces.append({"text": text[cursor:], "record": None})
    return pieces


def actors(store: Store, offset: int = 0, limit: int = 50, kind: str | None = None,
           q: str | None = None) -> dict[str, Any]:
    """Actors (companies, people, places, institutions), most often named first: variants merged, fragments of
    organisation names dropped, people typed, mentions counted by every written form (web/actors.py)."""
    from . import actors as merged

    return merged.page(store, offset, limit, kind, q)


def actor(store: Store, actor_id: int, as_of: dt.date) -> dict[str, Any] | None:
    """One actor: roles, the figures and promises about it, the commitments it is the subject of, its articles."""
    from . import actors as merged

    found = merged.one(store, actor_id)
    if found is not None:
        names = {found["name"], *found.get("variants", [])}
        found["commitments"] = [r for r in tracker_records(store, as_of)
                                if r["type"] == "commitment" and r["subject"] in names]
    return found


def search(store: Store, q: str, offset: int = 0, limit: int = 20) -> dict[str, Any]:
    """Sentences holding all the words of q (accents ignored), each with the figures found in it."""
    items, total = store.search_page(q, offset, limit)
    return {"items": items, "total": total}


def changes(store: Store, since: str, as_of: dt.date) -> dict[str, Any]:
    """What the documents stored since a date (or the latest run) changed: new and revised promises, status
    changes, new conflicts (filiere.changes)."""
    from ..changes import changes as found

    return found(store, since, as_of)


def _urgency(c: dict[str, Any]) -> tuple:
    deadline = c["deadline"] or {}
    return (deadline.get("year") is None, deadline.get("year") or 0, deadline.get("quarter") or 5,
            deadline.get("month") or 13, c["subject"], c["what"])


display_title = title_of  # one title for people: readable.title_of (issue 14 and 15 alike)


def titles(store: Store) -> dict[str, str]:
    """Every document's title for people (display_title), by document id."""
    rows = store.conn.execute("SELECT doc, title, substr(text, 1, 400) FROM documents").fetchall()
    return {doc: display_title(title, text) for doc, title, text in rows}


def _fold(c: str) -> str:
    """One character without its accent, lower-cased, still one character (offsets stay those of the text)."""
    import unicodedata

    base = unicodedata.normalize("NFD", c)[:1].lower()
    return base[:1] or c


def mark_words(text: str, q: str | None) -> list[dict[str, Any]]:
    """The sentence cut into pieces, those that are one of the query's words (accents and case ignored, as the
    search matches them) marked ``hit``; the template escapes every piece."""
    import re

    words = {"".join(_fold(c) for c in w) for w in re.findall(r"\w+", q or "")}
    folded = "".join(_fold(c) for c in text)
    pieces, cursor = [], 0
    for found in re.finditer(r"\w+", folded):
        if found.group() in words:
            if found.start() > cursor:
                pieces.append({"text": text[cursor:found.start()], "hit": False})
            pieces.append({"text": text[found.start():found.end()], "hit": True})
            cursor = found.end()
    if cursor < len(text):
        pieces.append({"text": text[cursor:], "hit": False})
    return pieces


def group_hits(items: list[dict[str, Any]], q: str | None) -> list[dict[str, Any]]:
    """Search hits grouped by article, the articles in the order of their best hit; each hit's words marked."""
    groups: dict[str, dict[str, Any]] = {}
    for h in items:
        group = groups.setdefault(h["doc"], {"doc": h["doc"], "title": h.get("title"), "date": h.get("date"),
                                             "hits": []})
        group["hits"].append({**h, "pieces": mark_words(h["text"], q)})
    return list(groups.values())
