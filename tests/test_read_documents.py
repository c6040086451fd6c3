"""PDF and Word input (issue 17): the text layer of a PDF and the paragraphs of a .docx file are read like any
article, and each record's evidence names its page or paragraph; scans, encrypted and broken files are named.

Every PDF and DOCX file is made here (reportlab, python-docx); every sentence is invented for the tests.
"""
import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filiere.cli import main
from filiere.errors import InputError
from filiere.ingest import prepare, read_path
from filiere.ingest.clean import clean_located
from filiere.ingest.schema import located_text
from filiere.records import Document, Evidence, Extraction, Fact, Location

pytestmark = pytest.mark.issue(17)

FIGURE = "Les exportations du secteur automobile ont atteint 157,6 milliards de dirhams en 2024."
FIGURE_WORDS = "157,6 milliards"
INTRO = ("La note publiée ce mardi par l'administration revient sur une année contrastée pour les échanges du "
         "royaume, marquée par un ralentissement de la demande européenne au premier semestre.")
CONTEXT = ("Les phosphates et leurs dérivés restent le premier poste, devant le textile et l'agroalimentaire, selon "
           "le document qui compte une trentaine de pages.")
PRODUCED = "Le site a produit 345 000 véhicules en 2024, selon la direction de l'usine."
GOOD = "Le constructeur a produit 250 000 véhicules en 2023 dans son usine de Tanger, selon le ministère.\n"
PDF_DATE = "D:20250210090000+01'00'"


def make_pdf(path, pages, title=None, date=PDF_DATE, header=None, encrypt=None):
    """A PDF of pages of paragraphs (reportlab wraps them in lines); a running header and page numbers if asked."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()

    def decorate(canvas, doc):
        if date:
            canvas.setDateFormatter(lambda *_: date)
        if header:
            canvas.setFont("Helvetica", 8)
            canvas.drawString(72, 810, header)
            canvas.drawString(290, 30, str(doc.page))

    story = []
    for number, paragraphs in enumerate(pages):
        if number:
            story.append(PageBreak())
        for paragraph in paragraphs:
            style = styles["Title"] if paragraph.startswith("# ") else styles["Normal"]
            story += [Paragraph(paragraph.removeprefix("# "), style), Spacer(1, 10)]
    doc = SimpleDocTemplate(str(path), pagesize=A4, title=title or "untitled", encrypt=encrypt)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return path


def make_scan(path, pages=2):
    """A PDF like a scanner makes: each page an image, no text layer."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = ImageReader(Image.new("RGB", (60, 80), "gray"))
    pdf = canvas.Canvas(str(path))
    for _ in range(pages):
        pdf.drawImage(image, 50, 50, 500, 700)
        pdf.showPage()
    pdf.save()
    return path


def make_docx(path, paragraphs, title=None, created=dt.datetime(2025, 3, 4, 10, 0), heading=None):
    """A .docx file: an optional heading, then the paragraphs ('' for an empty one), core title and date."""
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    if created:
        document.core_properties.created = created
    if heading:
        document.add_heading(heading, 1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines() if line.strip()], err


def _facts(records, doc):
    return [r for r in records if r["type"] == "fact" and r["doc"] == doc]


def _cleaned(path):
    [raw] = read_path(path)
    return prepare(raw)


# the acceptance: extract and ingest find the figures with their page and paragraph ----------------------------

def test_read_documents_extract_gives_page_and_paragraph(nlp, tmp_path, capsys):
    pdf = make_pdf(tmp_path / "note.pdf", [["# Commerce extérieur : le bilan", INTRO, CONTEXT], [FIGURE]])
    word = make_docx(tmp_path / "kit.docx", ["Dossier de presse du constructeur", INTRO, PRODUCED])
    code, records, err = _run(capsys, "extract", pdf, word)
    assert code == 0, err
    [exports] = [f for f in _facts(records, "note") if f["metric"] == "exports_value"]
    assert (exports["value"], exports["unit"], exports["year"]) == (157_600_000_000, "MAD", 2024)
    assert exports["evidence"]["page"] == 2 and "paragraph" not in exports["evidence"]
    [produced] = [f for f in _facts(records, "kit") if f["metric"] == "production_volume"]
    assert produced["value"] == 345_000 and produced["evidence"]["paragraph"] == 3
    assert "page" not in produced["evidence"]
    # start and end keep their meaning: offsets of the figure in the cleaned text
    for path, fact, words in ((pdf, exports, FIGURE_WORDS), (word, produced, "345 000")):
        text = _cleaned(path).text
        assert text[fact["evidence"]["start"]:fact["evidence"]["end"]].startswith(words)
        assert fact["evidence"]["text"] in text


def test_read_documents_ingest_stores_page_and_paragraph(nlp, tmp_path, capsys):
    from filiere.store import open_store

    folder = tmp_path / "in"
    folder.mkdir()
    make_pdf(folder / "note.pdf", [["# Commerce extérieur : le bilan", INTRO], [FIGURE]])
    make_docx(folder / "kit.docx", ["Dossier de presse du constructeur", INTRO, PRODUCED])
    (folder / "plain.txt").write_text(GOOD, encoding="utf-8")
    db = tmp_path / "store.db"
    code, _, err = _run(capsys, "ingest", folder, "--db", db)
    assert code == 0, err
    with open_store(str(db), create=False) as store:
        facts = {f["doc"]: f for f in store.facts()}
        rows = store.conn.execute("SELECT d.doc, f.evidence_page, f.evidence_paragraph FROM facts f "
                                  "JOIN documents d ON d.id = f.document_id").fetchall()
        assert store.conn.execute("SELECT 1 FROM schema_migrations WHERE name = '0007_evidence_location'").fetchone()
    assert facts["note"]["evidence"]["page"] == 2 and facts["kit"]["evidence"]["paragraph"] == 3
    assert set(facts["plain"]["evidence"]) == {"text", "start", "end"}
    assert {tuple(r) for r in rows} >= {("note", 2, None), ("kit", None, 3), ("plain", None, None)}


def test_read_documents_api_shows_page(nlp, tmp_path):
    from fastapi.testclient import TestClient

    from filiere.run import ingest_paths
    from filiere.settings import Settings
    from filiere.store import open_store
    from filiere.web.app import create_app

    make_pdf(tmp_path / "note.pdf", [["# Commerce extérieur : le bilan", INTRO], [FIGURE]])
    db = tmp_path / "store.db"
    with open_store(str(db)) as store:
        ingest_paths([str(tmp_path / "note.pdf")], store, Settings())
    client = TestClient(create_app(str(db), dt.date(2026, 1, 1)))
    [fact] = client.get("/api/facts", params={"doc": "note"}).json()["items"]
    assert fact["evidence"]["page"] == 2


# scans, encrypted and broken files: one clear line each, the run goes on -----------------------------------------

def test_read_documents_scanned_pdf_is_named_as_such(nlp, tmp_path, capsys):
    scan = make_scan(tmp_path / "scan.pdf")
    code, records, err = _run(capsys, "extract", scan)
    assert code == 2 and records == []
    assert f"{scan}: scanned PDF without text: no page has a text layer" in err and "binary" not in err
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    code, records, err = _run(capsys, "extract", tmp_path)
    assert code == 0 and {r["doc"] for r in records if r["type"] == "document"} == {"good"}
    assert err.count("\n") == 1 and "scan.pdf: scanned PDF without text" in err


def test_read_documents_scanned_pdf_ingest(nlp, tmp_path, capsys):
    scan = make_scan(tmp_path / "scan.pdf")
    code, _, err = _run(capsys, "ingest", scan, "--db", tmp_path / "a.db")
    assert code == 2 and "scanned PDF without text" in err
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    code, _, err = _run(capsys, "ingest", tmp_path, "--db", tmp_path / "b.db")
    assert code == 0 and "stored: 1" in err and "scan.pdf: scanned PDF without text" in err


def _broken_pdf(tmp_path):
    data = make_pdf(tmp_path / "whole.pdf", [[INTRO], [FIGURE]]).read_bytes()
    (tmp_path / "whole.pdf").unlink()
    path = tmp_path / "broken.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


def _locked_pdf(tmp_path, user="secret", owner=None):
    from reportlab.lib.pdfencrypt import StandardEncryption

    return make_pdf(tmp_path / f"locked-{user or 'none'}.pdf", [[INTRO, FIGURE]],
                    encrypt=StandardEncryption(user, ownerPassword=owner, canPrint=0, canCopy=0))


def test_read_documents_broken_and_encrypted_pdf_errors(tmp_path):
    with pytest.raises(InputError, match=r"broken\.pdf: broken PDF, cannot be read \("):
        list(read_path(_broken_pdf(tmp_path)))
    (tmp_path / "garbage.pdf").write_bytes(b"%PDF-1.4\nnot a PDF at all\n")
    with pytest.raises(InputError, match="garbage.pdf: broken PDF, cannot be read"):
        list(read_path(tmp_path / "garbage.pdf"))
    with pytest.raises(InputError, match="locked-secret.pdf: encrypted PDF: a password is needed to open it"):
        list(read_path(_locked_pdf(tmp_path)))
    # forbidding to print or copy is no lock: such a file opens with the empty password
    [raw] = read_path(_locked_pdf(tmp_path, user="", owner="owner"))
    assert FIGURE_WORDS in raw.text


def test_read_documents_broken_files_cost_themselves_only(nlp, tmp_path, capsys):
    _broken_pdf(tmp_path)
    _locked_pdf(tmp_path)
    (tmp_path / "broken.docx").write_bytes(make_docx(tmp_path / "w.docx", [PRODUCED]).read_bytes()[:300])
    (tmp_path / "w.docx").unlink()
    (tmp_path / "locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))  # Word's encrypted form
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    code, records, err = _run(capsys, "extract", tmp_path)
    assert code == 0 and {r["doc"] for r in records if r["type"] == "document"} == {"good"}
    lines = sorted(err.splitlines())
    assert len(lines) == 4 and "Traceback" not in err
    assert "broken.docx: broken DOCX, cannot be read (BadZipFile" in lines[0]
    assert "broken.pdf: broken PDF, cannot be read" in lines[1]
    assert "locked-secret.pdf: encrypted PDF: a password is needed" in lines[2]
    assert "locked.docx: encrypted Word file (or an old .doc): cannot be read" in lines[3]


# what is read: paragraphs, pages, titles, dates, first bytes, limits ----------------------------------------------

def test_read_pdf_lines_joined_headers_and_page_numbers_dropped(tmp_path):
    long = ("Dans un long paragraphe qui commence sur une page et finit sur la suivante, le groupe explique que "
            + "ses équipes ont travaillé sans relâche pour atteindre les objectifs fixés, " * 60
            + "et le site a produit 250 000 véhicules en 2023, selon la direction.")
    filler = [INTRO + " " + CONTEXT] * 4  # half a page: the long paragraph (a page) goes on on page 2
    path = make_pdf(tmp_path / "lettre.pdf", [["# Une année de records", *filler, long]],
                    header="Lettre mensuelle de l'industrie")
    document = _cleaned(path)
    assert "Lettre mensuelle" not in document.text  # the running header, on both pages
    assert not any(line.strip().isdigit() for line in document.text.split("\n"))  # page numbers
    assert INTRO in document.text  # wrapped lines joined: the sentence is whole, on one line
    start = document.text.index("le groupe explique")
    end = document.text.index("selon la direction.")
    assert "\n" not in document.text[start:end]  # a paragraph cut by the page break is joined again
    assert [x.number for x in document.locations] == [1, 2]
    assert document.location(start) == {"page": 1} and document.location(end) == {"page": 2}
    assert document.title == "Une année de records"


def test_read_pdf_title_and_date_from_metadata(tmp_path):
    [raw] = read_path(make_pdf(tmp_path / "a.pdf", [[INTRO]], title="Note de conjoncture"))
    assert (raw.title, raw.date, raw.format) == ("Note de conjoncture", "2025-02-10", "pdf")
    untitled = make_pdf(tmp_path / "b.pdf", [["# Bilan du commerce extérieur", INTRO]], date=None)
    [raw] = read_path(untitled)
    assert raw.title is None  # reportlab's 'untitled' is a placeholder: the headline is the title
    assert prepare(raw).title == "Bilan du commerce extérieur"
    [raw] = read_path(make_pdf(tmp_path / "c.pdf", [[INTRO]], title="Microsoft Word - note.docx"))
    assert raw.title is None and prepare(raw).title is None  # no headline either: the first line is a sentence


def test_read_docx_title_date_and_paragraph_numbers(tmp_path):
    path = make_docx(tmp_path / "kit.docx", [INTRO, "", "   ", PRODUCED], title="Dossier de presse",
                     heading="Une nouvelle ligne d'assemblage")
    [raw] = read_path(path)
    assert (raw.title, raw.date, raw.format) == ("Dossier de presse", "2025-03-04", "docx")
    document = prepare(raw)
    # empty paragraphs (spacing) are not counted: paragraph 3 is the third one a reader sees
    assert document.location(document.text.index("345 000")) == {"paragraph": 3}
    assert document.location(document.text.index("contrastée")) == {"paragraph": 2}
    [raw] = read_path(make_docx(tmp_path / "b.docx", [INTRO], heading="Une nouvelle ligne d'assemblage",
                                created=None))
    assert raw.title == "Une nouvelle ligne d'assemblage"  # no core title: the first heading
    assert raw.date is None  # python-docx's template date is not the document's


def test_read_docx_tables_are_read_in_order(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph(INTRO)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Production"
    table.cell(0, 1).text = "345 000 véhicules"
    document.add_paragraph(FIGURE)
    document.save(str(tmp_path / "t.docx"))
    cleaned = _cleaned(tmp_path / "t.docx")
    assert cleaned.text.split("\n") == [INTRO, "Production", "345 000 véhicules", FIGURE]
    assert cleaned.location(cleaned.text.index(FIGURE_WORDS)) == {"paragraph": 4}


def test_read_documents_known_by_their_first_bytes(tmp_path):
    pdf = make_pdf(tmp_path / "note.pdf", [[INTRO], [FIGURE]])
    word = make_docx(tmp_path / "kit.docx", [INTRO, PRODUCED])
    pdf.rename(tmp_path / "note")  # no suffix
    word.rename(tmp_path / "kit.txt")  # a wrong one
    [a] = read_path(tmp_path / "note")
    [b] = read_path(tmp_path / "kit.txt")
    assert (a.format, b.format) == ("pdf", "docx") and FIGURE_WORDS in a.text and "345 000" in b.text
    (tmp_path / "about.txt").write_text("Le format %PDF-1.7 est décrit par la norme ISO 32000.\n", encoding="utf-8")
    [c] = read_path(tmp_path / "about.txt")
    assert c.format == "text"  # a text that quotes a PDF header later on is text


def test_read_documents_keep_the_size_limit(tmp_path, monkeypatch):
    import filiere.ingest.pdf as pdf
    import filiere.ingest.word as word

    monkeypatch.setattr(pdf, "MAX_CHARS", 500)
    monkeypatch.setattr(word, "MAX_CHARS", 500)
    with pytest.raises(InputError, match=r"too long for an article \(over 500 characters by page 2; limit 500\)"):
        list(read_path(make_pdf(tmp_path / "long.pdf", [[INTRO], [INTRO, CONTEXT], [FIGURE]])))
    with pytest.raises(InputError, match=r"too long for an article \(\d+ characters; limit 500\)"):
        list(read_path(make_docx(tmp_path / "long.docx", [INTRO, CONTEXT, INTRO])))


# the map follows the cleaning, and the records carry it --------------------------------------------------------

PARAGRAPHS = st.lists(st.one_of(
    st.sampled_from([INTRO, CONTEXT, FIGURE, "Lire aussi : le bilan du trimestre", "Publicité",
                     "Contact : presse@exemple.ma", "", "   "]),
    st.text(alphabet="abcdéè 0123456789,.", min_size=1, max_size=40)), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(PARAGRAPHS)
def test_clean_located_keeps_each_line_on_its_paragraph(paragraphs):
    raw, locations = located_text((("\n", p, n) for n, p in enumerate(paragraphs, 1)), "paragraph")
    text, _, moved = clean_located(raw, locations)
    for x in moved:
        assert text[x.start:x.end].strip() and x.unit == "paragraph"
        assert text[x.start:x.end] in paragraphs[x.number - 1]  # the cleaned range is (part of) that paragraph
    offset = 0
    for line in text.split("\n"):
        if line:
            found = [x for x in moved if x.start <= offset < x.end]
            assert len(found) == 1 and line in paragraphs[found[0].number - 1].rstrip()
        offset += len(line) + 1


def test_clean_located_ranges_after_removed_lines():
    pieces = [("\n", "Titre de la note", 1), ("\n", INTRO, 1), ("\n", "Publicité", 1), ("\n", "", 1),
              ("\n", "Titre de la note", 2), ("\n", FIGURE, 2)]
    raw, locations = located_text(pieces, "page")
    text, removed, moved = clean_located(raw, locations)
    assert {r.reason for r in removed} == {"advertisement", "duplicate_line"}
    assert text == "\n".join(["Titre de la note", INTRO, "", FIGURE])
    assert moved == (Location(0, len("Titre de la note\n" + INTRO), "page", 1),
                     Location(text.index(FIGURE), len(text), "page", 2))


def test_records_evidence_gains_page_only_for_located_documents():
    text = INTRO + "\n" + FIGURE
    start = text.index(FIGURE_WORDS)
    fact = Fact("d", "actual", "exports_value", 157.6e9, "MAD", "exact", "Maroc", 2024, None, None,
                Evidence(FIGURE, start, start + len(FIGURE_WORDS)))
    plain = Document("d", text, "d.txt", None, None, None, "fr")
    located = Document("d", text, "d.pdf", None, None, None, "fr",
                       locations=(Location(0, len(INTRO), "page", 1), Location(len(INTRO) + 1, len(text), "page", 2)))
    assert Extraction(plain, (fact,)).records()[1]["evidence"] == {"text": FIGURE, "start": start,
                                                                  "end": start + len(FIGURE_WORDS)}
    assert Extraction(located, (fact,)).records()[1]["evidence"] == {"text": FIGURE, "start": start,
                                                                    "end": start + len(FIGURE_WORDS), "page": 2}
