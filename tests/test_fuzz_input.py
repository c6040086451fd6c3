"""Generated input for `extract` and `ingest` (issue 13): JSON Lines records with good and bad fields, and files of
arbitrary bytes. Never a traceback; every bad record is named on stderr; every good one is printed and stored.

Bounded in time: few examples, no deadline per example (the model is loaded once per session).
"""
import json
import sqlite3
import string

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from filiere.cli import main

WORDS = ["Renault", "Stellantis", "Tanger", "Kénitra", "usine", "véhicules", "exportations", "milliards", "dirhams",
         "capacité", "production", "vise", "d'ici", "2030", "en", "2024", "a", "produit", "250 000", "%", "selon",
         "l'Office", "des", "changes", "«", "»", "—", "œuvre", "€", "\u00a0", "\n"]
# a first line no cleaning rule drops (no ad, teaser, contact or phone-like digits), then anything of the words
GOOD_TEXT = st.lists(st.sampled_from(WORDS), max_size=30).map(
    lambda words: "Le constructeur a présenté son plan à Tanger.\n" + " ".join(words))
GOOD_DATE = st.one_of(st.none(), st.sampled_from(["2024", "2024-02", "2024-02-29", "2025-12-31T23:59:00Z"]))
BAD_FIELDS = [  # a field and a value the edge must refuse
    ("date", st.sampled_from(["garbage", "2024-13-45", "2023-02-29", "14/03/2019", "0001", "2024-1-5"])),
    ("date", st.one_of(st.integers(), st.floats(allow_nan=True), st.lists(st.integers(), max_size=2))),
    ("title", st.one_of(st.dictionaries(st.text(max_size=3), st.integers(), max_size=2), st.lists(st.text(), max_size=2),
                        st.integers(), st.booleans())),
    ("url", st.one_of(st.lists(st.text(max_size=3), max_size=2), st.integers(), st.dictionaries(st.text(), st.text()))),
    ("text", st.sampled_from(["", "   ", "\u00a0\u2003\u200b", "Renault \ud83d produit", "\udcff 250 000 véhicules"])),
    ("text", st.one_of(st.integers(), st.lists(st.text(), max_size=2), st.none())),
    ("id", st.one_of(st.lists(st.integers(), max_size=2), st.dictionaries(st.text(), st.text()), st.floats())),
]


@st.composite
def records(draw):
    """(JSON line, good?) pairs: a good record, or one with one bad field."""
    fields = {"text": draw(GOOD_TEXT), "date": draw(GOOD_DATE)}
    if draw(st.booleans()):
        fields["title"] = draw(st.text(alphabet=string.ascii_letters + "éà<>&\n\"'", max_size=30))
    bad = draw(st.booleans())
    if bad:
        name, values = draw(st.sampled_from(BAD_FIELDS))
        fields[name] = draw(values)
    return fields, not bad


@pytest.mark.issue(13)
@settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(lines=st.lists(records(), min_size=1, max_size=5), blobs=st.lists(st.binary(max_size=300), max_size=3, unique=True),
       suffixes=st.lists(st.sampled_from([".txt", ".html", ""]), min_size=3, max_size=3))
def test_fuzz_extract_and_ingest_name_every_bad_record_and_keep_every_good_one(nlp, tmp_path_factory, capsys, lines,
                                                                               blobs, suffixes):
    folder = tmp_path_factory.mktemp("fuzz")
    jsonl = folder / "feed.jsonl"
    good = {}
    with open(jsonl, "w", encoding="utf-8") as handle:
        for number, (fields, ok) in enumerate(lines, 1):
            fields = {"id": f"r{number}", **fields}
            if ok:
                fields["text"] = fields["text"].replace("Tanger.", f"Tanger, lot {'x' * number}.", 1)  # distinct texts: none is skipped as a copy already stored
                good[f"r{number}"] = number
            handle.write(json.dumps(fields) + "\n")
    blob_names = {f"blob{i}": f"blob{i}{suffixes[i]}" for i in range(len(blobs))}  # id -> file name
    for (name, file), blob in zip(blob_names.items(), blobs):
        (folder / file).write_bytes(blob)

    code = main(["extract", str(folder)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and code in (0, 1, 2)
    printed = {json.loads(line)["doc"] for line in out.splitlines() if line.startswith('{"type": "document"')}
    _check(printed, err, good, lines, jsonl, folder, blob_names)

    db = folder / "s.db"
    code = main(["ingest", str(folder), "--db", str(db)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and code in (0, 1, 2) and out == ""
    with sqlite3.connect(db) as con:
        stored = {r[0] for r in con.execute("SELECT doc FROM documents")}
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    skipped = int(err.split("skipped as already known: ")[1].split(",")[0])
    _check(stored, err, good, lines, jsonl, folder, blob_names, skipped)


def _check(docs, err, good, lines, jsonl, folder, blob_names, skipped=0):
    """Every good record is there; every bad one is named (file:line) on stderr; each blob is one or the other
    (or, at ingest, the copy of a text stored just before: two blobs may clean to one text)."""
    assert set(good) <= docs, err
    for number, (_, ok) in enumerate(lines, 1):
        if not ok:
            assert f"{jsonl}:{number}: " in err, (number, lines, err)
            assert f"r{number}" not in docs
    named = [name for name, file in blob_names.items() if f"{folder / file}: " in err]
    assert not any(name in docs for name in named), err
    assert len(blob_names) - len(named) - len(docs & set(blob_names)) == skipped, err
