"""The dashboard and `filiere track` over an odd store (issue 13): ids that are any string, dates an older store
kept, a figure too large for a float, a hostile Host header, a server error: never a 500 page without its headers,
never a link built from the Host header, never a record out of reach.

Every text here is invented for the tests.
"""
import datetime as dt
import json
import re
import shutil
import sqlite3
import warnings
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi")
warnings.filterwarnings("ignore", message=".*httpx.*")
from fastapi.testclient import TestClient  # noqa: E402

from filiere.cli import main  # noqa: E402

TEXT = ("Le groupe Renault vise une capacité de production de {n} véhicules par an d'ici 2028 à Tanger. "
        "Selon l'Office des changes, les exportations automobiles ont atteint {e} milliards de dirhams en 2025.")
ODD_IDS = ["a/b", "../../etc/passwd", "x?y#z&lang=en", "100% sûr", "espace et\ttab", "ligne\nbrisée", "dup"]
PAGES = ["/", "/tracker", "/documents", "/actors", "/actors/1", "/search?q=Renault", "/metrics/production_capacity",
         "/metrics/exports_value"]
API = ["/api/overview", "/api/facts", "/api/commitments", "/api/conflicts", "/api/documents", "/api/actors",
       "/api/actors/1", "/api/search?q=Renault", "/api/metrics/production_capacity", "/api/metrics/exports_value"]


@pytest.fixture(scope="module")
def odd_store(tmp_path_factory):
    """Documents with odd ids (two with one id), ingested; then a copy holding what an older filiere stored."""
    folder = tmp_path_factory.mktemp("odd")
    records = [{"id": doc, "date": f"2026-0{1 + i % 9}-1{i % 9}", "text": TEXT.format(n=f"{500 + i} 000", e=150 + i)}
               for i, doc in enumerate(ODD_IDS)]
    records.append({"id": "dup", "date": "2026-10-01", "text": TEXT.format(n="700 000", e=170)})
    path = folder / "odd.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    db = str(folder / "odd.db")
    assert main(["ingest", str(path), "--db", db]) == 0
    older = str(folder / "older.db")
    shutil.copy(db, older)
    with sqlite3.connect(older) as con:  # what stores written before issue 13 may hold
        for doc, date in (("a/b", "2024-13-45"), ("x?y#z&lang=en", "2025-01"), ("100% sûr", "garbage"),
                          ("dup", "2024-02-30")):
            con.execute("UPDATE documents SET date = ? WHERE doc = ?", (date, doc))
        con.execute("UPDATE facts SET value = 9e999 WHERE id = (SELECT min(id) FROM facts WHERE metric = "
                    "'production_capacity')")
    return {"db": db, "older": older}


def _client(db, **options):
    from filiere.web.app import create_app

    return TestClient(create_app(db, dt.date(2026, 11, 24)), **options)


def _strict(text):
    def refuse(name):
        raise ValueError(f"not JSON: {name}")
    return json.loads(text, parse_constant=refuse)


@pytest.mark.issue(13)
def test_web_ids_are_any_string(nlp, odd_store):
    """Row 15: ids with '/', '../', '?', '#', '%', a tab or a line break answer on the page and in the API, and the
    documents page links to each of them."""
    client = _client(odd_store["db"])
    for doc in ODD_IDS + ["dup~2"]:
        api = client.get("/api/documents/" + quote(doc, safe=""))
        assert api.status_code == 200 and api.json()["doc"] == doc, doc
        assert client.get("/documents/" + quote(doc, safe="")).status_code == 200, doc
    listing = client.get("/documents", params={"limit": 50}).text
    links = set(re.findall(r'href="(/documents/[^"#]+)"', listing))
    assert len(links) == len(ODD_IDS) + 1
    assert all(client.get(link).status_code == 200 for link in links)


@pytest.mark.issue(13)
def test_web_and_track_survive_an_older_store(nlp, odd_store, capsys):
    """Rows 3, 4 and 7: impossible, partial and unreadable dates, and an infinite figure, kept by an older store:
    `filiere track` works, every page and API route answers 200 with valid JSON (chart data included)."""
    assert main(["track", "--db", odd_store["older"], "--as-of", "2026-11-24", "--format", "jsonl"]) == 0
    [_strict(line) for line in capsys.readouterr().out.splitlines()]
    client = _client(odd_store["older"])
    for url in PAGES + API + ["/documents/" + quote(d, safe="") for d in ODD_IDS]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[:300])
        if url.startswith("/api/"):
            _strict(response.text)
    chart = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>',
                      client.get("/metrics/production_capacity").text, re.S)
    _strict(chart.group(1))
    documents = client.get("/api/documents", params={"limit": 50}).json()["items"]
    assert {d["doc"]: d["date"] for d in documents}["x?y#z&lang=en"] == "2025-01"
    assert {d["doc"]: d["date"] for d in documents}["a/b"] is None  # unreadable: counted as undated


@pytest.mark.issue(13)
def test_web_links_are_never_built_from_the_host_header(nlp, odd_store):
    """Row 16: a request with 'Host: evil.example' gets no link to evil.example, on any page or error page."""
    client = _client(odd_store["db"])
    for url in PAGES + ["/documents/nope", "/tracker?status=nope"]:
        response = client.get(url, headers={"host": "evil.example"})
        assert response.status_code in (200, 404, 422)
        assert "evil.example" not in response.text, url
        assert 'href="/?lang=en"' in response.text or "lang=en" in response.text


@pytest.mark.issue(13)
def test_web_server_error_keeps_the_security_headers(odd_store, monkeypatch):
    """Row 17: a 500 (a bug of ours, simulated) carries the CSP, nosniff and X-Frame-Options, and no traceback."""
    from filiere.web import queries

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")
    monkeypatch.setattr(queries, "overview", broken)
    client = _client(odd_store["db"], raise_server_exceptions=False)
    for url in ("/", "/api/overview"):
        response = client.get(url)
        assert response.status_code == 500
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "simulated bug" not in response.text and "Traceback" not in response.text
    assert client.get("/").headers["content-type"].startswith("text/html")
    assert client.get("/api/overview").json() == {"detail": "internal server error"}
