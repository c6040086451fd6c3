"""Bad input never ends a run nor corrupts the store (issue 13): each bad record or file is named on stderr with
the reason, skipped, and every good one is still printed and stored.

Every text here is invented for the tests.
"""
import json
import os
import sqlite3

import pytest

from filiere.cli import main
from filiere.errors import InputError
from filiere.ingest import read_path
from filiere.ingest.read import decode

GOOD = ("Le constructeur a produit {n} véhicules en 2023 dans son usine de Tanger, "
        "selon le ministère de l'Industrie.\n")


def _good_folder(tmp_path, count=3):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(count):
        (folder / f"good{i}.txt").write_text(GOOD.format(n=f"{250 + i} 000"), encoding="utf-8")
    return folder


def _jsonl(folder, name, lines):
    path = folder / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _record(**fields):
    base = {"id": "r", "text": "Stellantis a vendu 41 000 voitures en 2024 au Maroc.", "date": "2025-02-03"}
    return json.dumps({**base, **fields}, ensure_ascii=False)


def _docs(db):
    with sqlite3.connect(db) as con:
        return sorted(r[0] for r in con.execute("SELECT doc FROM documents"))


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# rows 1 and 2: a bad field costs its record only --------------------------------------------------------

BAD_RECORDS = [  # (the record's JSON line, what the error line must say after 'file:line: ')
    (_record(id="d1", date="garbage"), "date: 'garbage' is not a date"),
    ('{"id": "d2", "text": "Renault a produit 9 000 v\\u00e9hicules \\ud83d en 2023."}', "text: "),
    (_record(id="d3", title={}), "title: "),
    (_record(id="d4", url=[]), "url: "),
    (_record(id="d5", date="2024-13-45"), "date: '2024-13-45' is not a date (there is no month 13)"),
    (_record(id="d6", date=20250101), "date: "),
    (_record(id="d7", text="\u00a0\u2003 \u200b\n"), "text: "),
]


@pytest.mark.issue(13)
@pytest.mark.parametrize("command", ["ingest", "extract"])
def test_ingest_bad_fields_cost_their_record_only(nlp, tmp_path, capsys, command):
    """Rows 1, 2 and 3: a bad date, a lone surrogate, an object as title, a list as url, an impossible date."""
    folder = _good_folder(tmp_path)
    path = _jsonl(folder, "feed.jsonl", [_record(id="ok1"), *(line for line, _ in BAD_RECORDS),
                                        _record(id="ok2", text="Renault a exporté 12 000 voitures en 2022.")])
    db = str(tmp_path / "s.db")
    code, out, err = _run(capsys, command, str(folder), *(["--db", db] if command == "ingest" else []))
    assert code == 0, err
    for number, (_, reason) in enumerate(BAD_RECORDS, 2):
        assert f"{path}:{number}: {reason}" in err, (number, err)
    failed = [line for line in err.splitlines() if "feed.jsonl:" in line]
    assert len(failed) == len(BAD_RECORDS), err
    assert "Traceback" not in err
    expected = ["good0", "good1", "good2", "ok1", "ok2"]
    if command == "ingest":
        assert _docs(db) == expected
        assert f"failed: {len(BAD_RECORDS)}" in err
    else:
        docs = [json.loads(line)["doc"] for line in out.splitlines() if '"document"' in line]
        assert sorted(docs) == expected


@pytest.mark.issue(13)
def test_ingest_every_error_line_is_one_line_of_valid_text(nlp, tmp_path, capsys):
    """A record's own text inside an error stays on its line: no forged 'filiere:' line on stderr."""
    folder = _good_folder(tmp_path, 1)
    _jsonl(folder, "feed.jsonl", [_record(id="x", date="2024\nfiliere: documents read: 99, stored: 99")])
    code, _, err = _run(capsys, "ingest", str(folder), "--db", str(tmp_path / "s.db"))
    assert code == 0
    assert [line for line in err.splitlines() if line.startswith("filiere: documents read")] == [
        "filiere: documents read: 1, stored: 1, replaced: 0, skipped as already known: 0, failed: 1"]


# rows 3 and 4: dates of any precision, impossible ones refused ---------------------------------------------

@pytest.mark.issue(13)
def test_ingest_keeps_partial_dates_and_refuses_impossible_ones(nlp, tmp_path, capsys):
    """Row 4: '2025-01' and '2025' are stored as they are; the --date argument takes periods too."""
    folder = tmp_path / "in"
    folder.mkdir()
    _jsonl(folder, "feed.jsonl", [_record(id="month", date="2025-01"), _record(id="year", date="2025", text="x " + GOOD),
                                  _record(id="stamp", date="2025-01-14T09:30:00+01:00", text="y " + GOOD)])
    (folder / "undated.txt").write_text("Renault a vendu 9 000 voitures en 2022 au Maroc.", encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert main(["ingest", str(folder), "--db", db, "--date", "2025-03"]) == 0
    with sqlite3.connect(db) as con:
        dates = dict(con.execute("SELECT doc, date FROM documents"))
    assert dates == {"month": "2025-01", "year": "2025", "stamp": "2025-01-14", "undated": "2025-03"}
    capsys.readouterr()
    assert main(["track", "--db", db, "--as-of", "2025-06-30", "--format", "jsonl"]) == 0
    assert main(["ingest", str(folder), "--db", db, "--date", "2025-02-30"]) == 2
    assert "--date: '2025-02-30' is not a date (February 2025 has no day 30)" in capsys.readouterr().err


# rows 5 and 6: file names that are not UTF-8, or that hold a line break ---------------------------------------

@pytest.mark.issue(13)
def test_ingest_file_name_with_bytes_that_are_not_utf8(nlp, tmp_path, capsys):
    """Row 5: 'caf\\xe9.txt' (Latin-1 bytes in the name) is read and stored; every output stays valid UTF-8."""
    folder = _good_folder(tmp_path, 1)
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as handle:
        handle.write(GOOD.format(n="300 000").encode("utf-8"))
    with open(os.path.join(os.fsencode(folder), b"vide\xff.txt"), "wb") as handle:
        handle.write(b"")
    code, out, err = _run(capsys, "extract", str(folder))
    assert code == 0
    out.encode("utf-8"), err.encode("utf-8")  # raises on a lone surrogate
    assert {json.loads(line)["doc"] for line in out.splitlines() if '"document"' in line} == {"good0", "caf\\xe9"}
    assert "vide\\xff.txt: empty file" in err
    db = str(tmp_path / "s.db")
    code, _, err = _run(capsys, "ingest", str(folder), "--db", db)
    assert code == 0 and "Traceback" not in err
    assert _docs(db) == ["caf\\xe9", "good0"]


@pytest.mark.issue(13)
def test_ingest_file_name_with_a_line_break_cannot_forge_a_line(nlp, tmp_path, capsys):
    """Row 6: the name of a bad file is written on one line, its line break escaped."""
    folder = _good_folder(tmp_path, 1)
    (folder / "a\nfiliere: all good.txt").write_bytes(b"")
    for argv in (["extract", str(folder)], ["ingest", str(folder), "--db", str(tmp_path / "s.db")]):
        _, _, err = _run(capsys, *argv)
        assert not any(line.startswith("filiere: all good") for line in err.splitlines()), err
        assert "a\\nfiliere: all good.txt: empty file" in err


# row 7: a figure too large for a float ---------------------------------------------------------------------

def _strict_json(line):
    def refuse(name):
        raise ValueError(f"not JSON: {name}")
    return json.loads(line, parse_constant=refuse)


@pytest.mark.issue(13)
def test_extract_never_prints_infinity(nlp, tmp_path, capsys):
    """Row 7: 2 000 numbers in a row read as one figure too large for a float: no 'Infinity' in the output."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "numbers.txt").write_text("Renault a produit " + " ".join(["123"] * 2000) + " véhicules en 2023.\n"
                                        + GOOD.format(n="250 000"), encoding="utf-8")
    code, out, err = _run(capsys, "extract", str(folder))
    assert code == 0, err
    records = [_strict_json(line) for line in out.splitlines()]
    assert 250000 in [r["value"] for r in records if r["type"] == "fact"]
    db = str(tmp_path / "s.db")
    assert main(["ingest", str(folder), "--db", db]) == 0
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM facts WHERE abs(value) > 1e308 OR abs(value_high) > 1e308"
                           ).fetchone()[0] == 0


# rows 8, 9 and 10: encodings and empty texts -----------------------------------------------------------------

LEGACY = [  # short French texts that charset detection alone misreads (mac_latin2, cp1250, ...)
    "La cérémonie d'inauguration s'est déroulée à Tanger en présence du ministre.",
    "Le délai de livraison s'est allongé : comptez trois à quatre mois.",
    "Les délégués ont évoqué la sûreté des installations et la qualité de l'air.",
    "Être ou ne pas être équipementier : voilà la question que se posent les PME.",
    "Le cœur de la filière bat désormais à Kénitra — où l’œuvre continue, à 250 000 €.",
]


@pytest.mark.issue(13)
@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
@pytest.mark.parametrize("text", LEGACY)
def test_read_legacy_french_text_exactly(encoding, text):
    """Row 8: Windows-1252 and Latin-1 before exotic code pages."""
    if encoding == "latin-1":
        text = text.replace("’", "'").replace("—", "-").replace("œ", "oe").replace("€", "EUR")
    assert decode(text.encode(encoding), "t.txt") == text


@pytest.mark.issue(13)
@pytest.mark.parametrize("data, expected", [
    ("Le délai s'est allongé à Kénitra.".encode("utf-8").replace("é".encode("utf-8"), b"\xe9", 1),
     "Le délai s'est allongé à Kénitra."),
    ("Ventes à l'export : 157,6 milliards de dirhams.".encode("utf-16-le"), "Ventes à l'export : 157,6 milliards de dirhams."),
    ("Ventes à l'export : 157,6 milliards de dirhams.".encode("utf-16-be"), "Ventes à l'export : 157,6 milliards de dirhams."),
])
def test_read_stray_byte_and_utf16_without_bom(tmp_path, data, expected):
    """Row 9: one stray Latin-1 byte in a UTF-8 article, UTF-16 without a byte order mark."""
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    [doc] = list(read_path(path))
    assert doc.text == expected


@pytest.mark.issue(13)
@pytest.mark.parametrize("data", [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", "\ufeff \u00a0\n".encode("utf-8"),
                                  "\u00a0\u2003\u3000\u200b\u2060\n".encode("utf-8"), " \n".encode("utf-16")])
def test_read_file_of_only_a_bom_or_spaces_is_empty(tmp_path, data):
    """Row 10: the README says empty files are refused; spaces of any kind and byte order marks are empty too."""
    path = tmp_path / "blank.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match="blank.txt: empty file"):
        list(read_path(path))


# row 15: duplicate ids within a run -------------------------------------------------------------------------

@pytest.mark.issue(13)
def test_ingest_two_records_with_one_id_are_both_reachable(nlp, tmp_path, capsys):
    """Row 15: ids are unique in the store; the second article under a taken id is stored as 'dup~2'."""
    folder = tmp_path / "in"
    folder.mkdir()
    path = _jsonl(folder, "feed.jsonl", [_record(id="dup"), _record(id="dup", text=GOOD.format(n="1 000"))])
    (folder / "sub").mkdir()
    (folder / "sub" / "dup.txt").write_text(GOOD.format(n="2 000"), encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert main(["ingest", str(folder), "--db", db]) == 0
    assert f"{path}:2: id 'dup' is taken by another article: stored as 'dup~2'" in capsys.readouterr().err
    with sqlite3.connect(db) as con:
        rows = dict(con.execute("SELECT doc, source FROM documents"))
    assert rows == {"dup": f"{path}:1", "dup~2": f"{path}:2", "dup~3": str(folder / "sub" / "dup.txt")}
    assert main(["ingest", str(folder), "--db", db]) == 0  # the same articles again: nothing changes
    assert "stored: 0, replaced: 0, skipped as already known: 3" in capsys.readouterr().err
    with sqlite3.connect(db) as con:
        assert dict(con.execute("SELECT doc, source FROM documents")) == rows


# row 18: a missing path creates no store ----------------------------------------------------------------------

@pytest.mark.issue(13)
def test_ingest_missing_path_creates_no_store(tmp_path, capsys):
    db = tmp_path / "x.db"
    assert main(["ingest", str(tmp_path / "missing" / "path"), "--db", str(db)]) == 2
    assert "missing/path: no such file or folder" in capsys.readouterr().err
    assert not db.exists()
