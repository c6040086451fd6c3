"""The briefing (issue 14): `filiere brief --format md|html|pdf`, French by default, English with --lang en; the PDF
is a real PDF (read back with pdfminer, its pages rendered with pdftoppm) with the expected sections and every
quote's source."""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from filiere.cli import main

pytestmark = pytest.mark.issue(14)
ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
REAL = ROOT.parent / "shared" / "eval" / "real" / "articles.jsonl"
AS_OF = "2026-12-01"
SECTIONS = {"fr": ["Note de suivi des engagements", "Engagements par sujet", "Ce qui a changé depuis",
                   "Divergences entre sources", "Graphiques par série"],
            "en": ["Commitment briefing", "Commitments by subject", "What changed since", "Conflicts between sources",
                   "Charts by series"]}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _tracked(db: str, capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["track", "--db", db, "--as-of", AS_OF, "--format", "jsonl"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.fixture(scope="module")
def seeds_db(nlp, tmp_path_factory):
    folder = tmp_path_factory.mktemp("brief")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps({"id": "h", "url": "javascript:alert(1)", "date": "2026-01-10",
                                   "title": "<script>alert(1)</script> [clic](http://evil.example) <b>gras</b>",
                                   "text": "Renault Group vise un taux d'intégration locale de 85 % d'ici 2031 "
                                           "<img src=x onerror=alert(1)>."}) + "\n", encoding="utf-8")
    db = str(folder / "b.db")
    assert main(["ingest", str(SEEDS), "--db", db]) == 0
    assert main(["ingest", str(hostile), "--db", db]) == 0
    assert main(["correct", "commitment", "c-7003c27afacb", "--set", "subject=Maroc", "--by", "analyste", "--db", db,
                 "--as-of", AS_OF]) == 0
    return db


def check_pdf(path: Path, records: list[dict], lang: str = "fr", changes: bool = True) -> str:
    from pdfminer.high_level import extract_text

    assert path.read_bytes().startswith(b"%PDF-")
    text = _flat(extract_text(str(path)))
    for section in SECTIONS[lang]:
        if changes or "chang" not in section:
            assert section in text, section
    for c in (r for r in records if r["type"] == "commitment"):
        for s in c["announced"]:  # every quote with its source: title, outlet (or "fichier local") and date
            quote = _flat(s["evidence"]["text"])[:60]
            assert quote in text, quote
            assert _flat(s["title"]).rstrip(" …")[:40] in text, s["title"]
            assert (s["outlet"] or ("fichier local" if lang == "fr" else "local file")) in text
            assert (s["date"] or ("sans date" if lang == "fr" else "no date")) in text
    return text


def render_pages(path: Path, out: Path) -> list[Path]:
    pdftoppm = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"
    if not Path(pdftoppm).exists():
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([pdftoppm, "-r", "50", "-png", str(path), str(out / path.stem)], check=True, timeout=120)
    pages = sorted(out.glob(f"{path.stem}-*.png"))
    assert pages and all(p.stat().st_size > 3000 for p in pages)  # pages with something drawn on them
    return pages


def test_brief_pdf_on_the_demo_store(seeds_db, tmp_path, capsys):
    out = tmp_path / "demo.pdf"
    assert main(["brief", "--db", seeds_db, "--as-of", AS_OF, "--since", "2026-01-01", "--format", "pdf",
                 "--out", str(out)]) == 0
    text = check_pdf(out, _tracked(seeds_db, capsys))
    assert "1 article, 1 indépendant" in text and "2 articles, 2 indépendants" in text
    assert "corrigé par analyste" in text and "concordent à l'arrondi près" in text
    assert "<script>alert(1)</script>" in text  # shown as text, never read as markup
    assert len(render_pages(out, tmp_path / "png")) >= 2


def test_brief_md_and_html_escape_and_speak_english(seeds_db, tmp_path, capsys):
    records = _tracked(seeds_db, capsys)
    assert main(["brief", "--db", seeds_db, "--as-of", AS_OF, "--format", "html", "--out", str(tmp_path / "b.html")]) == 0
    page = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "<img" not in page and "javascript:" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<svg" not in page or "<polyline" in page
    for section in SECTIONS["fr"][:2] + SECTIONS["fr"][3:]:
        assert section in page
    assert main(["brief", "--db", seeds_db, "--as-of", AS_OF, "--format", "md", "--lang", "en", "--since", "last-run",
                 "--out", str(tmp_path / "b.md")]) == 0
    text = (tmp_path / "b.md").read_text(encoding="utf-8")
    for section in SECTIONS["en"]:
        assert section in text
    assert "\\[clic\\]" in text and "](http://evil.example)" not in text.replace("\\]", "")
    assert "<script>" not in text and "javascript:" not in text
    for c in (r for r in records if r["type"] == "commitment"):
        for s in c["announced"]:
            assert s["evidence"]["text"][:40].replace("*", "\\*").replace("_", "\\_") in text
    assert main(["brief", "--db", seeds_db, "--as-of", AS_OF, "--format", "md", "--subject", "Maroc",
                 "--out", str(tmp_path / "m.md")]) == 0
    maroc = (tmp_path / "m.md").read_text(encoding="utf-8")
    assert "### Maroc" in maroc and "### Renault Group" not in maroc and "corrigé par analyste" in maroc
    assert main(["brief", "--db", seeds_db, "--format", "md", "--subject", "Nobody", "--out", str(tmp_path / "n.md")]) == 2
    assert "nothing to brief on for subject 'Nobody'" in capsys.readouterr().err
    assert main(["brief", "--db", seeds_db, "--format", "pdf", "--out", str(tmp_path / "no" / "such" / "x.pdf")]) == 2
    assert "cannot write the briefing" in capsys.readouterr().err


@pytest.mark.skipif(not REAL.is_file(), reason="the real set (../shared/eval/real/) is not beside the repository")
def test_brief_pdf_on_the_real_set(nlp, tmp_path, capsys):
    db = str(tmp_path / "real.db")
    assert main(["ingest", str(REAL), "--db", db]) == 0
    out = tmp_path / "real.pdf"
    assert main(["brief", "--db", db, "--as-of", AS_OF, "--format", "pdf", "--out", str(out)]) == 0
    records = _tracked(db, capsys)
    text = check_pdf(out, records, changes=False)
    assert text.count("réalisé") >= 2  # charts of series with several years
    assert len(render_pages(out, tmp_path / "png")) >= 5
