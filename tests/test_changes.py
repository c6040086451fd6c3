"""What changed (issue 14): `filiere changes --since DATE|last-run`, the dashboard's /changes and /feed.atom, and
`filiere watch` printing the changes of each round."""
import datetime as dt
import json
import xml.dom.minidom
from pathlib import Path

import pytest

from filiere.cli import main
from filiere.store import open_store

pytestmark = pytest.mark.issue(14)
SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"
FIRST = [SEEDS / n for n in ("000_fb631d34b5572e81.txt", "001_c9524406ab961de6.txt", "002_86e094afeaac893d.txt")]
SECOND = [SEEDS / n for n in ("003_01c1b89377d1d0ac.txt", "004_47c0aad5b6007f53.txt")]
AS_OF = "2026-12-01"


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _tracked(db, capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["track", "--db", db, "--as-of", AS_OF, "--format", "jsonl"]) == 0
    return _jsonl(capsys.readouterr().out)


def _key(item: dict) -> tuple:
    if item["change"] == "conflict":
        x = item["conflict"]
        return ("conflict", x["subject"], x.get("metric") or x.get("what"), x["year"])
    return (item["change"], item["commitment"]["id"])


@pytest.fixture(scope="module")
def two_batches(nlp, tmp_path_factory):
    folder = tmp_path_factory.mktemp("changes")
    db, alone = str(folder / "two.db"), str(folder / "first.db")
    assert main(["ingest", *map(str, FIRST), "--db", db]) == 0
    assert main(["ingest", *map(str, SECOND), "--db", db]) == 0
    assert main(["ingest", *map(str, FIRST), "--db", alone]) == 0
    return db, alone


def test_changes_since_last_run_are_exactly_the_second_batch(two_batches, capsys):
    db, alone = two_batches
    capsys.readouterr()
    before = {r["id"]: r for r in _tracked(alone, capsys) if r["type"] == "commitment"}
    after = _tracked(db, capsys)
    expected = {("new", c["id"]) for c in after if c["type"] == "commitment" and c["id"] not in before}
    expected |= {("status", c["id"]) for c in after if c["type"] == "commitment" and c["id"] in before
                 and before[c["id"]]["status"] != c["status"]}
    known = {(x["subject"], x.get("metric") or x.get("what"), x["year"]) for x in _tracked(alone, capsys)
             if x["type"] == "conflict"}
    expected |= {("conflict", x["subject"], x.get("metric") or x.get("what"), x["year"]) for x in after
                 if x["type"] == "conflict" and (x["subject"], x.get("metric") or x.get("what"), x["year"]) not in known}
    # seed 004's promises and seed 003's exports figure against seed 001's
    assert expected == {("new", "c-4d97d5a8aa50"), ("new", "c-2891b7eaf5ff"), ("new", "c-17db1b3204a0"),
                        ("conflict", "Maroc", "exports_value", 2024)}
    assert main(["changes", "--since", "last-run", "--db", db, "--as-of", AS_OF, "--format", "jsonl"]) == 0
    items = _jsonl(capsys.readouterr().out)
    assert {_key(i) for i in items} == expected and len(items) == len(expected)
    for item in items:  # every source shown by title, outlet and date, never by its hash id alone
        for s in item.get("commitment", {}).get("announced", []):
            assert s["title"] and s["doc"] not in s["title"]
    assert main(["changes", "--since", "last-run", "--db", db, "--as-of", AS_OF]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].endswith("2 new documents, 4 changes")
    assert any(line.startswith("conflict  Maroc: exports_value 2024: agree_within_rounding (157 bn vs 157.6 bn)")
               for line in table)


def test_changes_since_a_date(two_batches, tmp_path, capsys):
    db, _ = two_batches
    copy = str(tmp_path / "dated.db")
    store = open_store(db)
    store.conn.execute("VACUUM INTO ?", (copy,))
    store.close()
    store = open_store(copy)  # the first batch was stored a week ago
    store.conn.execute("UPDATE documents SET ingested_at = '2026-11-20T09:00:00+00:00' WHERE doc IN (?, ?, ?)",
                       tuple(p.stem for p in FIRST))
    store.close()
    capsys.readouterr()
    assert main(["changes", "--since", "2026-11-25", "--db", copy, "--as-of", AS_OF, "--format", "jsonl"]) == 0
    by_date = {_key(i) for i in _jsonl(capsys.readouterr().out)}
    assert main(["changes", "--since", "last-run", "--db", copy, "--as-of", AS_OF, "--format", "jsonl"]) == 0
    assert by_date == {_key(i) for i in _jsonl(capsys.readouterr().out)} and len(by_date) == 4
    assert main(["changes", "--since", "2026-11-01", "--db", copy, "--as-of", AS_OF, "--format", "jsonl"]) == 0
    assert len(_jsonl(capsys.readouterr().out)) > 4  # everything is new since before the first batch
    assert main(["changes", "--since", "soon", "--db", copy]) == 2
    assert "'soon' is not a date" in capsys.readouterr().err


def test_changes_last_run_without_runs_is_explained(nlp, tmp_path, capsys):
    db = str(tmp_path / "none.db")
    from filiere.run import ingest_paths
    from filiere.settings import Settings

    with open_store(db) as store:  # stored by a program, not by a recorded run
        ingest_paths([str(FIRST[0])], store, Settings())
    assert main(["changes", "--since", "last-run", "--db", db]) == 2
    assert "no run is recorded in this store" in capsys.readouterr().err


def test_dashboard_changes_page_and_atom_feed(two_batches):
    from fastapi.testclient import TestClient

    from filiere.web.app import create_app

    db, _ = two_batches
    client = TestClient(create_app(db, dt.date(2026, 12, 1)))
    feed = client.get("/feed.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    doc = xml.dom.minidom.parseString(feed.content)
    entries = doc.getElementsByTagName("entry")
    assert len(entries) == 4
    ids = {e.getElementsByTagName("id")[0].firstChild.data for e in entries}
    assert "urn:filiere:change:new:c-4d97d5a8aa50" in ids
    assert "content-security-policy" in feed.headers
    page = client.get("/changes")
    assert page.status_code == 200 and page.text.count('<tr class="change') == 4
    assert "nouvelle promesse" in page.text and "fichier local" in page.text
    assert client.get("/changes?since=garbage").status_code == 422
    assert client.get("/feed.atom?since=2026-11-01").status_code == 200
    api = client.get("/api/changes", params={"since": "last-run"}).json()
    assert len(api["items"]) == 4 and len(api["documents"]) == 2


def test_atom_feed_escapes_untrusted_text(nlp, tmp_path):
    from fastapi.testclient import TestClient

    from filiere.web.app import create_app

    feed_in = tmp_path / "hostile.jsonl"
    feed_in.write_text(json.dumps({"id": "x", "url": "https://evil.example/a", "date": "2026-01-10",
                                   "title": "<script>alert(1)</script> & \"co\" \x1b[31m",
                                   "text": "Renault Group vise un taux d'intégration locale de 80 % d'ici 2030."})
                       + "\n", encoding="utf-8")
    db = str(tmp_path / "h.db")
    assert main(["ingest", str(feed_in), "--db", db]) == 0
    client = TestClient(create_app(db, dt.date(2026, 12, 1)))
    feed = client.get("/feed.atom")
    assert "<script>" not in feed.text and "&lt;script&gt;" in feed.text and "\x1b" not in feed.text
    xml.dom.minidom.parseString(feed.content)
    assert "<script>alert" not in client.get("/changes").text


def test_watch_prints_the_changes_of_each_round(nlp, tmp_path, capsys):
    from filiere.fetch.cli import _watch_report
    from filiere.fetch.fetcher import FetchSummary
    from filiere.run import ingest_paths
    from filiere.settings import Settings

    db = str(tmp_path / "w.db")
    with open_store(db) as store:
        report = _watch_report(store)
        ingest_paths([str(p) for p in FIRST], store, Settings())  # what a round's fetch stores
        report(FetchSummary())
        first = capsys.readouterr().out
        report(FetchSummary())  # a round that stored nothing prints no changes
        assert capsys.readouterr().out == ""
        ingest_paths([str(SECOND[1])], store, Settings())
        report(FetchSummary())
        second = capsys.readouterr().out
    assert first.startswith("changes: 3 new documents")
    assert second.startswith("changes: 1 new documents, 3 changes") and "c-" not in second
    assert "new       Maroc: production_capacity 1 000 000 vehicle/year by 2030" in second
