"""A store with several packs (issue 17): --pack auto reads each document with the pack its own vocabulary calls
for, says which, stores it, and the dashboard filters by it. The texts are written for this test."""
import datetime as dt
import shutil
from pathlib import Path

import pytest

from filiere.cli import main
from filiere.domains.choose import choose_pack
from filiere.domains.packs import load_pack

ROOT = Path(__file__).resolve().parent.parent
CARS = "Renault a produit 300 000 voitures à Tanger en 2024, et Stellantis 180 000 à Kénitra."
PLANES = ("Boeing et Safran ont annoncé en 2024 l'arrivée de six fournisseurs à Midparc, où l'industrie aéronautique "
          "emploie 20 000 personnes.")


def test_choose_pack_by_each_packs_own_vocabulary():
    assert choose_pack(CARS)[0] == "automotive"
    assert choose_pack(PLANES)[0] == "aeronautics"
    name, scores = choose_pack("Les exportations ont progressé de 5 % en 2024.")  # shared words say nothing
    assert name == "automotive" and set(scores.values()) == {0}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed")
    (folder / "voitures.txt").write_text(CARS, encoding="utf-8")
    (folder / "avions.txt").write_text(PLANES, encoding="utf-8")
    shutil.copy(ROOT / "examples" / "seeds" / "000_fb631d34b5572e81.txt", folder)
    return folder


def test_ingest_auto_says_and_stores_each_documents_pack(mixed, tmp_path, capsys):
    db = str(tmp_path / "mixed.db")
    assert main(["ingest", str(mixed), "--db", db, "--pack", "auto", "--date", "2025-01-10"]) == 0
    err = capsys.readouterr().err
    assert "'avions': read with the aeronautics pack" in err and "'voitures': read with the automotive pack" in err
    from filiere.store import Store

    with Store(db) as store:
        assert store.packs() == {"aeronautics": 1, "automotive": 2}
        assert store.docs_of_pack("aeronautics") == {"avions"}
        metrics = {f["metric"] for f in store.facts() if f["doc"] == "avions"}
    assert metrics and metrics <= {m.name for m in load_pack("aeronautics").metrics}


def test_extract_auto_writes_the_pack_on_each_document_line(mixed, capsys):
    assert main(["extract", str(mixed / "avions.txt"), "--pack", "auto", "--date", "2025-01-10"]) == 0
    out = capsys.readouterr().out
    assert '"pack": "aeronautics"' in out


def test_dashboard_filters_by_pack(mixed, tmp_path):
    from fastapi.testclient import TestClient

    from filiere.web.app import create_app

    db = str(tmp_path / "mixed.db")
    assert main(["ingest", str(mixed), "--db", db, "--pack", "auto", "--date", "2025-01-10"]) == 0
    client = TestClient(create_app(db, dt.date(2026, 11, 24)))
    page = client.get("/documents?pack=aeronautics")
    assert page.status_code == 200 and "Boeing" in page.text and "Renault a produit" not in page.text
    assert 'name="pack"' in client.get("/tracker").text  # the filter shows when the store holds several packs
    assert client.get("/tracker?pack=aeronautics").status_code == 200
    assert "000_fb631d34b5572e81" not in client.get("/tracker?pack=aeronautics").text
    assert client.get("/tracker?pack=nope").status_code == 422
