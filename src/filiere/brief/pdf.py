"""The briefing as a PDF (reportlab platypus): the same sections as the HTML, charts drawn with reportlab.graphics.

Every text goes through ``xml.sax.saxutils.escape`` before a Paragraph reads it (its mini-markup would otherwise
take '<b>' in a title for bold, or a stray '<' for an error). The text font is DejaVu Sans when the system has it
(every French and most other characters), else Helvetica, whose Latin-1 covers French; a character the font lacks
is written '?'. Links go only to http(s) addresses.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from ..web.labels import format_number
from .render import WORDS, change_view, commitment_view, conflict_view

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/local/share/fonts"), Path("/Library/Fonts"))


def _fonts() -> tuple[str, str, bool]:
    """(regular, bold, unicode): DejaVu Sans registered when found, else Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            if "FiliereSans" not in pdfmetrics.getRegisteredFontNames():
                from reportlab.lib.fonts import addMapping

                oblique = folder / "DejaVuSans-Oblique.ttf"
                pdfmetrics.registerFont(TTFont("FiliereSans", str(regular)))
                pdfmetrics.registerFont(TTFont("FiliereSans-Bold", str(bold)))
                pdfmetrics.registerFont(TTFont("FiliereSans-Oblique", str(oblique if oblique.is_file() else regular)))
                addMapping("FiliereSans", 0, 0, "FiliereSans")  # <b> and <i> in a Paragraph pick these
                addMapping("FiliereSans", 1, 0, "FiliereSans-Bold")
                addMapping("FiliereSans", 0, 1, "FiliereSans-Oblique")
                addMapping("FiliereSans", 1, 1, "FiliereSans-Bold")
            return "FiliereSans", "FiliereSans-Bold", True
    return "Helvetica", "Helvetica-Bold", False


def write_pdf(brief: dict[str, Any], path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold, unicode_font = _fonts()
    lang = brief["lang"]
    w = WORDS[lang]

    def t(text: Any) -> str:
        value = str(text if text is not None else "")
        if not unicode_font:
            value = value.encode("latin-1", "replace").decode("latin-1")
        return escape(value)

    base = ParagraphStyle("base", fontName=regular, fontSize=9.5, leading=12.5, alignment=TA_LEFT)
    styles = {
        "h1": ParagraphStyle("h1", parent=base, fontName=bold, fontSize=18, leading=22, spaceAfter=6,
                             textColor=colors.HexColor("#0b5394")),
        "h2": ParagraphStyle("h2", parent=base, fontName=bold, fontSize=13.5, leading=17, spaceBefore=12,
                             spaceAfter=4, textColor=colors.HexColor("#0b5394")),
        "h3": ParagraphStyle("h3", parent=base, fontName=bold, fontSize=11.5, leading=14, spaceBefore=8, spaceAfter=2),
        "h4": ParagraphStyle("h4", parent=base, fontName=bold, fontSize=10, leading=13, spaceBefore=6, spaceAfter=2),
        "quote": ParagraphStyle("quote", parent=base, leftIndent=14, textColor=colors.HexColor("#333333"),
                                fontSize=9, leading=11.5, spaceBefore=2),
        "src": ParagraphStyle("src", parent=base, leftIndent=14, fontSize=8, leading=10,
                              textColor=colors.HexColor("#555555"), spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
    }

    def source(s: dict[str, Any]) -> list:
        who = f" ({t(w['claimed_by'])} {t(s['claimed_by'])})" if s.get("claimed_by") else ""
        title = t(s["title"])
        if s.get("url"):
            href = escape(s["url"], {'"': "&quot;"})
            title = f'<link href="{href}" color="#0b5394">{title}</link>'
        return [Paragraph(f"« {t(s['quote'])} »{who}", styles["quote"]),
                Paragraph(f"— <i>{title}</i>, {t(s['outlet'])}, {t(s['date'])}", styles["src"])]

    scope = ", ".join(str(v) for v in (brief.get("subject"), brief.get("metric")) if v) or w["all"]
    story: list = [Paragraph(t(w["title"]), styles["h1"]),
                   Paragraph(t(f"{w['as_of']} {brief['as_of']} · {w['scope']} : {scope} · {w['generated']} "
                               f"{brief['generated']}"), base),
                   Paragraph(t(w["commitments"]), styles["h2"])]
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
                       ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0fe")),
                       ("VALIGN", (0, 0), (-1, -1), "TOP")])
    for subject, items in brief["subjects"].items():
        story.append(Paragraph(t(subject), styles["h3"]))
        for c in (commitment_view(c, lang) for c in items):
            forecast = f" <i>({t(w['forecasts'])})</i>" if c["forecast"] else ""
            count = t(c["count"]) + (f"<br/><font color=\"#b45f06\">{t(w['corrected_by'])} {t(c['corrected_by'])}"
                                     "</font>" if c["corrected_by"] else "")
            cells = [[Paragraph(f"<b>{t(x)}</b>", styles["cell"]) for x in
                      (w["status"], w["target"], w["deadline"], w["latest"], w["progress"], w["sources"])],
                     [Paragraph(f"<b>{t(c['status'])}</b>", styles["cell"]), Paragraph(t(c["target"]), styles["cell"]),
                      Paragraph(t(c["deadline"]), styles["cell"]), Paragraph(t(c["latest"]), styles["cell"]),
                      Paragraph(t(c["progress"]), styles["cell"]), Paragraph(count, styles["cell"])]]
            table = Table(cells, colWidths=[2.4 * cm, 2.8 * cm, 2.4 * cm, 2.9 * cm, 2.6 * cm, 3.9 * cm])
            table.setStyle(grid)
            head = [Paragraph(t(c["what"]) + forecast, styles["h4"]), table, Spacer(1, 3)]
            sources = [part for s in c["sources"] for part in source(s)]
            story.append(KeepTogether(head + sources[:2]))
            story += sources[2:]
    if brief.get("changes") is not None:
        ch = brief["changes"]
        story += [Paragraph(t(f"{w['changes']} {ch['since']}"), styles["h2"]),
                  Paragraph(t(f"{ch['documents']} {w['new_docs']}"), base)]
        if not ch["items"]:
            story.append(Paragraph(t(w["no_change"]), base))
        for item in (change_view(i, lang) for i in ch["items"]):
            story.append(Paragraph(f"<b>{t(item['kind'])}</b> : {t(item['text'])}", styles["h4"]))
            story += [part for s in item["sources"] for part in source(s)]
    story.append(Paragraph(t(w["conflicts"]), styles["h2"]))
    if not brief["conflicts"]:
        story.append(Paragraph(t(w["no_conflict"]), base))
    for x in (conflict_view(x, lang) for x in brief["conflicts"]):
        story.append(Paragraph(t(f"{x['subject']} — {x['what']} {x['year']} : {x['verdict']}"), styles["h3"]))
        for v in x["values"]:
            story += [Paragraph(f"<b>{t(v['value'])}</b>", styles["h4"]), *source(v)]
    story.append(Paragraph(t(w["charts"]), styles["h2"]))
    if not brief["charts"]:
        story.append(Paragraph(t(w["no_chart"]), base))
    for s in brief["charts"]:
        story.append(KeepTogether([Paragraph(t(f"{s['metric']} — {s['label']} ({s['unit']})"), styles["h3"]),
                                   _chart(s, lang, regular)]))

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(colors.HexColor("#777777"))
        canvas.drawString(2 * cm, 1.2 * cm, f"filiere · {w['title']} · {brief['as_of']}")
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, str(doc.page))
        canvas.restoreState()

    document = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=1.8 * cm,
                                 bottomMargin=1.8 * cm, title=w["title"], author="filiere",
                                 subject=f"{w['as_of']} {brief['as_of']}")
    document.build(story, onFirstPage=footer, onLaterPages=footer)


def _chart(series: dict[str, Any], lang: str, font: str):
    """The actual figures as a line with markers, the targets as orange stars, years on the x axis."""
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.graphics.widgets.markers import makeMarker
    from reportlab.lib import colors

    line = [(p["year"], p["value"]) for p in series["line"]]
    stars = [(p["year"], p["value"]) for p in series["targets"]]
    drawing = Drawing(440, 180)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 60, 30, 360, 130
    plot.data = [line] + ([stars] if stars else [])
    plot.lines[0].strokeColor = colors.HexColor("#0b5394")
    plot.lines[0].strokeWidth = 1.8
    plot.lines[0].symbol = makeMarker("FilledCircle", size=4)
    if stars:
        plot.lines[1].strokeColor = None
        plot.lines[1].strokeWidth = 0
        plot.lines[1].symbol = makeMarker("FilledStarFive", size=9, fillColor=colors.HexColor("#e69138"))
    years = [y for y, _ in line + stars]
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = min(years) - 0.5, max(years) + 0.5
    plot.xValueAxis.valueSteps = sorted(set(years))
    plot.xValueAxis.labelTextFormat = "%d"
    plot.xValueAxis.labels.fontName = plot.yValueAxis.labels.fontName = font
    plot.xValueAxis.labels.fontSize = plot.yValueAxis.labels.fontSize = 7
    plot.yValueAxis.valueMin = 0
    plot.yValueAxis.valueMax = max(v for _, v in line + stars) * 1.15 or 1
    plot.yValueAxis.labelTextFormat = lambda v: format_number(v, lang)
    drawing.add(plot)
    legend = WORDS[lang]["actual"] + ("  ★ " + WORDS[lang]["targets"] if stars else "")
    drawing.add(String(60, 168, legend, fontName=font, fontSize=7.5, fillColor=colors.HexColor("#555555")))
    return drawing
