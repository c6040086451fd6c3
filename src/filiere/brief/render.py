"""The briefing as Markdown and as one self-contained HTML page (no script, no outside resource; charts as SVG).

Article text is untrusted: HTML escapes every text (``html.escape``) and links only to http(s) addresses; Markdown
escapes the characters that would make markup of a quote (``*``, ``_``, ``[``, ``<``...), so a title cannot become a
link or an image.
"""
from __future__ import annotations

import html as htmllib
import re
from typing import Any
from urllib.parse import urlsplit

from ..errors import printable
from ..readable import count_phrase
from ..web.labels import STATUS, VERDICT, format_number, format_value

WORDS = {
    "fr": {"title": "Note de suivi des engagements", "as_of": "À la date du", "generated": "Produite le",
           "scope": "Périmètre", "all": "tous les sujets", "commitments": "Engagements par sujet",
           "forecasts": "prévision de marché rappelée par un article", "changes": "Ce qui a changé depuis",
           "new_docs": "nouveaux articles", "no_change": "Aucun changement.", "conflicts": "Divergences entre sources",
           "no_conflict": "Aucune divergence entre sources.", "charts": "Graphiques par série",
           "status": "Statut", "deadline": "Échéance", "target": "Objectif", "latest": "Dernier chiffre",
           "progress": "Avancement", "sources": "Sources", "claimed_by": "selon", "corrected_by": "corrigé par",
           "no_deadline": "sans échéance", "from": "à partir de", "by": "d'ici", "local_file": "fichier local",
           "no_date": "sans date", "link": "lien", "actual": "réalisé", "targets": "objectifs",
           "change_new": "Nouvelle promesse", "change_revised": "Promesse révisée", "change_status": "Statut changé",
           "change_conflict": "Nouvelle divergence", "revises": "révise", "year": "année", "milestone": "jalon",
           "no_chart": "Aucune série n'a de chiffres sur deux années, ou un chiffre et un objectif."},
    "en": {"title": "Commitment briefing", "as_of": "As of", "generated": "Generated", "scope": "Scope",
           "all": "every subject", "commitments": "Commitments by subject",
           "forecasts": "market forecast recalled by an article", "changes": "What changed since",
           "new_docs": "new articles", "no_change": "No change.", "conflicts": "Conflicts between sources",
           "no_conflict": "No conflict between sources.", "charts": "Charts by series", "status": "Status",
           "deadline": "Deadline", "target": "Target", "latest": "Latest figure", "progress": "Progress",
           "sources": "Sources", "claimed_by": "according to", "corrected_by": "corrected by",
           "no_deadline": "no deadline", "from": "from", "by": "by", "local_file": "local file", "no_date": "no date",
           "link": "link", "actual": "actual", "targets": "targets", "change_new": "New promise",
           "change_revised": "Revised promise", "change_status": "Status changed", "change_conflict": "New conflict",
           "revises": "revises", "year": "year", "milestone": "milestone",
           "no_chart": "No series has figures for two years, or a figure and a target."},
}


def safe_url(url: str | None) -> str | None:
    """The URL when it is an http(s) address (never javascript:, data:...), else None."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def clean(text: Any) -> str:
    """One line of printable text (control characters as escapes, line breaks as spaces)."""
    return printable(str(text if text is not None else "")).replace("\\n", " ").replace("\\r", " ").replace("\\t", " ")


def deadline_text(c: dict[str, Any], w: dict[str, str]) -> str:
    d = c.get("deadline")
    if not d:
        return w["no_deadline"]
    quarter = f" T{d['quarter']}" if d.get("quarter") and w is WORDS["fr"] else f" Q{d['quarter']}" if d.get("quarter") else ""
    return f"{w['from'] if d.get('starts') else w['by']} {d['year']}{quarter}"


def commitment_view(c: dict[str, Any], lang: str) -> dict[str, Any]:
    """What a reader sees of a commitment, in the briefing's language."""
    w = WORDS[lang]
    target = c.get("target")
    latest = c.get("latest_actual")
    return {
        "id": c["id"], "what": clean(c["what"]), "status": STATUS[lang].get(c["status"], c["status"]),
        "status_code": c["status"], "forecast": c.get("commitment_kind") == "forecast",
        "target": format_value(target["value"], target["unit"], target.get("approx"), lang) if target else w["milestone"],
        "deadline": deadline_text(c, w),
        "latest": (f"{format_value(latest['value'], target['unit'] if target else None, None, lang)} "
                   f"({latest.get('year') or '–'})") if latest else "–",
        "progress": f"{c['progress'] * 100:.0f} %" if c.get("progress") is not None else "–",
        "count": count_phrase(len(c["announced"]), c.get("independent_sources") or 0, lang),
        "corrected_by": ", ".join(clean(a) for a in c.get("corrected_by") or []),
        "sources": [source_view(s, lang) for s in c["announced"]],
    }


def source_view(s: dict[str, Any], lang: str) -> dict[str, Any]:
    w = WORDS[lang]
    return {"quote": clean((s.get("evidence") or {}).get("text") or s.get("what") or ""),
            "title": clean(s.get("title") or ""), "outlet": clean(s.get("outlet") or w["local_file"]),
            "date": clean(s.get("date") or w["no_date"]), "url": safe_url(s.get("url")),
            "claimed_by": clean(s["claimed_by"]) if s.get("claimed_by") else None}


def conflict_view(x: dict[str, Any], lang: str) -> dict[str, Any]:
    return {"subject": clean(x["subject"]), "what": clean(x.get("metric") or x.get("what") or ""),
            "year": x.get("year") or "–", "verdict": VERDICT[lang].get(x["verdict"], x["verdict"]),
            "values": [{"value": format_value(v["value"], v.get("unit"), v.get("approx"), lang) if "value" in v
                        else clean(v.get("what")), **source_view(v, lang)} for v in x["values"]]}


def change_view(item: dict[str, Any], lang: str) -> dict[str, Any]:
    w = WORDS[lang]
    kind = w["change_" + item["change"]]
    if item["change"] == "conflict":
        x = conflict_view(item["conflict"], lang)
        return {"kind": kind, "text": f"{x['subject']} — {x['what']} {x['year']} : {x['verdict']}",
                "sources": [v for v in x["values"]]}
    c = commitment_view(item["commitment"], lang)
    text = f"{clean(item['commitment']['subject'])} — {c['what']} ({c['status']}"
    if item["change"] == "status":
        text += f" ; {STATUS[lang].get(item['old_status'], item['old_status'])} → {c['status']}"
    text += ")"
    if item.get("revises"):
        text += f" ; {w['revises']} « {clean(item['revises']['what'])} »"
    return {"kind": kind, "text": text, "sources": c["sources"]}


# Markdown ---------------------------------------------------------------------------------------------------

MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md(text: Any) -> str:
    return MD_SPECIAL.sub(r"\\\1", clean(text))


def _md_source(s: dict[str, Any], w: dict[str, str]) -> str:
    who = f" ({w['claimed_by']} {md(s['claimed_by'])})" if s.get("claimed_by") else ""
    link = f" — <{s['url']}>" if s.get("url") else ""
    return f"> « {md(s['quote'])} »{who}\n>\n> — *{md(s['title'])}*, {md(s['outlet'])}, {md(s['date'])}{link}\n"


def markdown(brief: dict[str, Any]) -> str:
    lang = brief["lang"]
    w = WORDS[lang]
    scope = ", ".join(md(v) for v in (brief.get("subject"), brief.get("metric")) if v) or w["all"]
    out = [f"# {w['title']}\n", f"{w['as_of']} {brief['as_of']} · {w['scope']} : {scope} · {w['generated']} "
           f"{brief['generated']}\n"]
    out.append(f"\n## {w['commitments']}\n")
    for subject, items in brief["subjects"].items():
        out.append(f"\n### {md(subject)}\n")
        for c in (commitment_view(c, lang) for c in items):
            forecast = f" *({w['forecasts']})*" if c["forecast"] else ""
            corrected = f" — **{w['corrected_by']} {md(c['corrected_by'])}**" if c["corrected_by"] else ""
            out.append(f"\n#### {md(c['what'])}{forecast}\n\n"
                       f"| {w['status']} | {w['target']} | {w['deadline']} | {w['latest']} | {w['progress']} | "
                       f"{w['sources']} |\n|---|---|---|---|---|---|\n"
                       f"| **{md(c['status'])}** | {md(c['target'])} | {md(c['deadline'])} | {md(c['latest'])} | "
                       f"{md(c['progress'])} | {md(c['count'])}{corrected} |\n\n")
            out += [_md_source(s, w) + "\n" for s in c["sources"]]
    if brief.get("changes") is not None:
        ch = brief["changes"]
        out.append(f"\n## {w['changes']} {md(ch['since'])}\n\n{ch['documents']} {w['new_docs']}\n\n")
        if not ch["items"]:
            out.append(w["no_change"] + "\n")
        for item in (change_view(i, lang) for i in ch["items"]):
            out.append(f"- **{item['kind']}** : {md(item['text'])}\n")
            out += ["\n" + "\n".join("  " + line for line in _md_source(s, w).splitlines()) + "\n"
                    for s in item["sources"]]
    out.append(f"\n## {w['conflicts']}\n")
    if not brief["conflicts"]:
        out.append("\n" + w["no_conflict"] + "\n")
    for x in (conflict_view(x, lang) for x in brief["conflicts"]):
        out.append(f"\n### {x['subject']} — {x['what']} {x['year']} : {md(x['verdict'])}\n\n")
        for v in x["values"]:
            out.append(f"**{md(v['value'])}**\n\n" + _md_source(v, w) + "\n")
    out.append(f"\n## {w['charts']}\n")
    if not brief["charts"]:
        out.append("\n" + w["no_chart"] + "\n")
    for s in brief["charts"]:
        out.append(f"\n### {md(s['metric'])} — {md(s['label'])} ({md(s['unit'])})\n\n"
                   f"| {w['year']} | {w['actual']} |\n|---|---|\n")
        out += [f"| {p['year']} | {md(format_number(p['value'], lang))} |\n" for p in s["line"]]
        out += [f"| {p['year']} | {w['targets']} : {md(format_number(p['value'], lang))} |\n" for p in s["targets"]]
        out.append("\n" + _ascii_chart(s) + "\n")
    return "".join(out)


def _ascii_chart(series: dict[str, Any]) -> str:
    """A bar per year, in a code block (Markdown has no charts)."""
    top = max([p["value"] for p in series["line"]] + [p["value"] for p in series["targets"]] + [1e-9])
    rows = [f"{p['year']} {'█' * max(1, round(30 * p['value'] / top))} {format_number(p['value'], 'en')}"
            for p in series["line"]]
    rows += [f"{p['year']} {'☆' * max(1, round(30 * p['value'] / top))} {format_number(p['value'], 'en')} (target)"
             for p in series["targets"]]
    return "```\n" + "\n".join(rows) + "\n```\n"


# HTML -------------------------------------------------------------------------------------------------------

def h(text: Any) -> str:
    return htmllib.escape(clean(text), quote=True)


CSS = """body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;max-width:60em;margin:2em auto;color:#222;line-height:1.4}
h1{border-bottom:3px solid #0b5394}h2{color:#0b5394;border-bottom:1px solid #ccc;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}
blockquote{margin:.4em 0 .8em 1em;padding-left:.8em;border-left:3px solid #9fc5e8;color:#333}
.src{color:#555;font-size:.9em}.status{font-weight:bold}.corrected{color:#b45f06;font-weight:bold}
.status-achieved{color:#38761d}.status-missed{color:#cc0000}.status-pending{color:#0b5394}"""


def _html_source(s: dict[str, Any], w: dict[str, str]) -> str:
    who = f" ({w['claimed_by']} {h(s['claimed_by'])})" if s.get("claimed_by") else ""
    title = f"<a href=\"{h(s['url'])}\">{h(s['title'])}</a>" if s.get("url") else f"<cite>{h(s['title'])}</cite>"
    return (f"<blockquote>« {h(s['quote'])} »{who}<div class=\"src\">— {title}, {h(s['outlet'])}, "
            f"{h(s['date'])}</div></blockquote>")


def html(brief: dict[str, Any]) -> str:
    lang = brief["lang"]
    w = WORDS[lang]
    scope = ", ".join(h(v) for v in (brief.get("subject"), brief.get("metric")) if v) or w["all"]
    out = [f"<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{w['title']}</title>"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
           "img-src data:\">"
           f"<style>{CSS}</style></head><body><h1>{w['title']}</h1>"
           f"<p>{w['as_of']} {h(brief['as_of'])} · {w['scope']} : {scope} · {w['generated']} {h(brief['generated'])}</p>"
           f"<h2>{w['commitments']}</h2>"]
    for subject, items in brief["subjects"].items():
        out.append(f"<h3>{h(subject)}</h3>")
        for c in (commitment_view(c, lang) for c in items):
            forecast = f" <em>({w['forecasts']})</em>" if c["forecast"] else ""
            corrected = f" <span class=\"corrected\">{w['corrected_by']} {h(c['corrected_by'])}</span>" \
                if c["corrected_by"] else ""
            out.append(f"<h4>{h(c['what'])}{forecast}</h4><table><tr><th>{w['status']}</th><th>{w['target']}</th>"
                       f"<th>{w['deadline']}</th><th>{w['latest']}</th><th>{w['progress']}</th><th>{w['sources']}</th>"
                       f"</tr><tr><td class=\"status status-{h(c['status_code'])}\">{h(c['status'])}</td>"
                       f"<td>{h(c['target'])}</td><td>{h(c['deadline'])}</td><td>{h(c['latest'])}</td>"
                       f"<td>{h(c['progress'])}</td><td>{h(c['count'])}{corrected}</td></tr></table>")
            out += [_html_source(s, w) for s in c["sources"]]
    if brief.get("changes") is not None:
        ch = brief["changes"]
        out.append(f"<h2>{w['changes']} {h(ch['since'])}</h2><p>{ch['documents']} {w['new_docs']}</p>")
        if not ch["items"]:
            out.append(f"<p>{w['no_change']}</p>")
        out.append("<ul>")
        for item in (change_view(i, lang) for i in ch["items"]):
            out.append(f"<li><strong>{item['kind']}</strong> : {h(item['text'])}"
                       + "".join(_html_source(s, w) for s in item["sources"]) + "</li>")
        out.append("</ul>")
    out.append(f"<h2>{w['conflicts']}</h2>")
    if not brief["conflicts"]:
        out.append(f"<p>{w['no_conflict']}</p>")
    for x in (conflict_view(x, lang) for x in brief["conflicts"]):
        out.append(f"<h3>{x['subject'] and h(x['subject'])} — {h(x['what'])} {h(x['year'])} : {h(x['verdict'])}</h3>")
        for v in x["values"]:
            out.append(f"<p><strong>{h(v['value'])}</strong></p>" + _html_source(v, w))
    out.append(f"<h2>{w['charts']}</h2>")
    if not brief["charts"]:
        out.append(f"<p>{w['no_chart']}</p>")
    for s in brief["charts"]:
        out.append(f"<h3>{h(s['metric'])} — {h(s['label'])} ({h(s['unit'])})</h3>" + svg_chart(s, lang))
    out.append("</body></html>\n")
    return "".join(out)


def svg_chart(series: dict[str, Any], lang: str, width: int = 560, height: int = 220) -> str:
    """The series' line (one value a year) and its targets as stars, as inline SVG."""
    points = [(p["year"], p["value"]) for p in series["line"]]
    stars = [(p["year"], p["value"]) for p in series["targets"]]
    years = [y for y, _ in points + stars]
    values = [v for _, v in points + stars]
    x0, x1 = min(years), max(years) if max(years) > min(years) else min(years) + 1
    top = max(values + [1e-9]) * 1.1
    left, bottom = 70, height - 30
    X = lambda y: left + (y - x0) / (x1 - x0) * (width - left - 20)
    Y = lambda v: bottom - v / top * (bottom - 15)
    line = " ".join(f"{X(y):.1f},{Y(v):.1f}" for y, v in points)
    out = [f"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\">",
           f"<line x1=\"{left}\" y1=\"{bottom}\" x2=\"{width - 10}\" y2=\"{bottom}\" stroke=\"#888\"/>",
           f"<line x1=\"{left}\" y1=\"10\" x2=\"{left}\" y2=\"{bottom}\" stroke=\"#888\"/>",
           f"<polyline fill=\"none\" stroke=\"#0b5394\" stroke-width=\"2\" points=\"{line}\"/>"]
    for y, v in points:
        out.append(f"<circle cx=\"{X(y):.1f}\" cy=\"{Y(v):.1f}\" r=\"3\" fill=\"#0b5394\"/>")
    for y, v in stars:
        out.append(f"<text x=\"{X(y):.1f}\" y=\"{Y(v) + 5:.1f}\" text-anchor=\"middle\" fill=\"#e69138\" "
                   f"font-size=\"16\">★</text>")
    for y in sorted(set(years)):
        out.append(f"<text x=\"{X(y):.1f}\" y=\"{bottom + 16}\" text-anchor=\"middle\" font-size=\"11\">{y}</text>")
    out.append(f"<text x=\"{left - 5}\" y=\"{Y(top / 1.1) + 4:.1f}\" text-anchor=\"end\" font-size=\"11\">"
               f"{h(format_number(top / 1.1, lang))}</text>")
    out.append(f"<text x=\"{left - 5}\" y=\"{bottom}\" text-anchor=\"end\" font-size=\"11\">0</text></svg>")
    return "".join(out)
