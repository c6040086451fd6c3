"""The briefing (issue 14): a document a journalist can send, in Markdown, HTML or PDF, French or English.

``build_brief`` gathers it from the store (the tracker with the corrections applied, sources readable):
1. per subject, its commitments: status, deadline, target, latest figure, progress, and each source (quote, title,
   outlet, date, link, who said it);
2. what changed since ``since`` (filiere.changes), when it is given;
3. the conflicts between sources, with both (or all) quotes;
4. a chart per metric series (the actual figures over the years, and the targets at their deadlines).
``write_brief`` writes it: ``md`` and ``html`` (render.py, every text escaped, links only to http(s) addresses) or ``pdf``
(pdf.py, reportlab).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from ..domains.packs import load_pack
from ..errors import InputError
from ..track.stored import track_store

FORMATS = ("md", "html", "pdf")


def build_brief(store, as_of: dt.date, subject: str | None = None, metric: str | None = None,
                since: str | None = None, lang: str = "fr") -> dict[str, Any]:
    """The briefing's content: plain records, written by write_brief()."""
    from ..web.queries import _series

    pack = load_pack("automotive")
    records = track_store(store, as_of, pack)
    keep = lambda r: subject in (None, r["subject"]) and metric in (None, r.get("metric"))
    commitments = [r for r in records if r["type"] == "commitment" and keep(r)]
    conflicts = [r for r in records if r["type"] == "conflict" and keep(r)]
    by_subject: dict[str, list[dict[str, Any]]] = {}
    order = {"missed": 0, "achieved_late": 1, "pending": 2, "unverified": 3, "achieved": 4, "undated": 5}
    for c in sorted(commitments, key=lambda c: (c.get("commitment_kind") == "forecast", order.get(c["status"], 9),
                                                (c["deadline"] or {}).get("year") or 9999, c["what"])):
        by_subject.setdefault(c["subject"], []).append(c)
    changed = None
    if since:
        from ..changes import changes

        found = changes(store, since, as_of, pack)
        changed = {"since": found["since"][:10] if since != "last-run" else found["since"][:16].replace("T", " "),
                   "documents": len(found["documents"]),
                   "items": [i for i in found["items"] if keep(i.get("commitment") or i.get("conflict"))]}
    metrics = sorted({c["metric"] for c in commitments if c.get("metric")} |
                     {x["metric"] for x in conflicts if x.get("metric")})
    charts = []
    for m in metrics:
        figures = [f for f in store.facts(metric=m) if subject in (None, f["subject"])]
        for series in _series(figures, pack):
            charts.append({"metric": m, **series})
    charts = _with_targets(charts)
    if not commitments and not conflicts:
        where = ", ".join(f"{k} '{v}'" for k, v in (("subject", subject), ("metric", metric)) if v)
        raise InputError("brief", "nothing to brief on" + (f" for {where}" if where else ""),
                         "'filiere track' lists the subjects and metrics")
    return {"lang": lang, "as_of": as_of.isoformat(), "subject": subject, "metric": metric,
            "subjects": by_subject, "changes": changed, "conflicts": conflicts, "charts": charts,
            "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def _with_targets(series: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One chart per actual series with at least two years, its targets (same subject, scope and unit) beside it."""
    out = []
    targets = [s for s in series if s["kind"] == "target"]
    for s in series:
        if s["kind"] != "actual":
            continue
        stars = [p for t in targets if (t["metric"], t["label"], t["unit"]) == (s["metric"], s["label"], s["unit"])
                 for p in t["line"]]
        if len(s["line"]) >= 2 or (s["line"] and stars):
            out.append({**s, "targets": stars})
    return out


def write_brief(brief: dict[str, Any], fmt: str, out_path) -> None:
    """Write the briefing to out_path as md, html or pdf.

    Raises:
        InputError: unknown format, or the file cannot be written.
    """
    from pathlib import Path

    if fmt not in FORMATS:
        raise InputError("--format", f"unknown format '{fmt}'", f"choose one of: {', '.join(FORMATS)}")
    path = Path(out_path)
    try:
        if fmt == "pdf":
            from .pdf import write_pdf

            write_pdf(brief, path)
        else:
            from .render import html, markdown

            path.write_text(markdown(brief) if fmt == "md" else html(brief), encoding="utf-8")
    except OSError as error:
        raise InputError(path, f"cannot write the briefing ({error.strerror or error})") from None
