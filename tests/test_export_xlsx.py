"""The spreadsheet export (issue 14): `filiere export --format xlsx` opens with openpyxl and pandas, its commitments
sheet has one row per commitment and source; CSV files take a UTF-8 byte order mark with --bom."""
import json
from pathlib import Path

import pytest

from filiere.cli import main
from filiere.store.schema import TABLES

pytestmark = pytest.mark.issue(14)
SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"


@pytest.fixture(scope="module")
def store_db(nlp, tmp_path_factory):
    folder = tmp_path_factory.mktemp("xlsx")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps({"id": "h", "url": "https://www.evil.example/a", "date": "2026-01-10",
                                   "title": "=HYPERLINK(\"http://evil.example\",\"clic\") \x07",
                                   "text": "=1+1 Renault Group vise un taux d'intégration locale de 85 % d'ici 2031."})
                       + "\n", encoding="utf-8")
    db = str(folder / "x.db")
    assert main(["ingest", str(SEEDS), str(hostile), "--db", db]) == 0
    return db


def test_xlsx_opens_with_openpyxl_and_pandas_one_row_per_commitment_and_source(store_db, tmp_path, capsys):
    import openpyxl
    import pandas as pd

    capsys.readouterr()
    assert main(["track", "--db", store_db, "--as-of", "2026-12-01", "--format", "jsonl"]) == 0
    commitments = [json.loads(l) for l in capsys.readouterr().out.splitlines() if '"commitment"' in l[:30]]
    assert main(["export", "--format", "xlsx", "--out", str(tmp_path / "out"), "--db", store_db,
                 "--as-of", "2026-12-01"]) == 0
    path = tmp_path / "out" / "filiere.xlsx"
    assert capsys.readouterr().out.strip() == str(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["commitments", *TABLES, "corrections"]
    frame = pd.read_excel(path, sheet_name="commitments")
    expected = sorted((c["id"], s["doc"]) for c in commitments for s in c["announced"])
    assert sorted(zip(frame["commitment_id"], frame["document"])) == expected
    assert len(frame) == sum(len(c["announced"]) for c in commitments) > len(commitments)
    for column in ("outlet", "date", "url", "quote", "claimed_by", "status", "source_title"):
        assert column in frame.columns
    hostile = frame[frame["document"] == "h"].iloc[0]
    assert hostile["outlet"] == "evil.example" and hostile["url"] == "https://www.evil.example/a"
    assert hostile["quote"].startswith("=1+1")
    # untrusted text is text: no formula, no control character
    sheet = book["commitments"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert hostile["source_title"].startswith("=HYPERLINK(") and "\x07" not in hostile["source_title"]
    documents = pd.read_excel(path, sheet_name="documents")
    assert len(documents) == 6 and "content_hash" in documents.columns


def test_csv_bom_for_excel(store_db, tmp_path, capsys):
    assert main(["export", "--format", "csv", "--bom", "--out", str(tmp_path / "bom"), "--db", store_db]) == 0
    raw = (tmp_path / "bom" / "documents.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,doc,")
    assert main(["export", "--format", "csv", "--out", str(tmp_path / "plain"), "--db", store_db]) == 0
    assert (tmp_path / "plain" / "documents.csv").read_bytes().startswith(b"id,doc,")
    assert main(["export", "--format", "jsonl", "--bom", "--out", str(tmp_path / "j"), "--db", store_db]) == 2
    assert "only CSV files take a byte order mark" in capsys.readouterr().err
