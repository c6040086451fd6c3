"""The JSON API of `filiere serve`: every endpoint and filter, paging, errors, headers, and the OpenAPI schema."""
import datetime as dt
import warnings

import pytest

pytest.importorskip("fastapi")
warnings.filterwarnings("ignore", message=".*httpx.*")
from fastapi.testclient import TestClient  # noqa: E402

from web_store import HOSTILE, build_store  # noqa: E402

AS_OF = "2026-11-24"


@pytest.fixture(scope="module")
def client():
    from filiere.web.app import create_app

    return TestClient(create_app(build_store(), dt.date.fromisoformat(AS_OF)))


def _get(client, url, **params):
    response = client.get(url, params=params)
    assert response.status_code == 200, (url, response.text)
    return response.json()


def test_web_api_facts_filters_and_paging(client):
    every = _get(client, "/api/facts", limit=500)
    assert every["total"] == len(every["items"]) > 20
    fact = every["items"][0]
    for field in ("doc", "kind", "metric", "value", "unit", "approx", "subject", "year", "qualifier",
                  "claimed_by", "evidence"):
        assert field in fact
    exports = _get(client, "/api/facts", metric="exports_value", subject="Maroc", year=2024, kind="actual")
    assert {f["value"] for f in exports["items"]} == {157_000_000_000, 157_600_000_000}
    assert _get(client, "/api/facts", unit="percent")["items"][0]["unit"] == "percent"
    assert {f["doc"] for f in _get(client, "/api/facts", doc="hostile")["items"]} == {"hostile"}
    first, second = _get(client, "/api/facts", limit=2), _get(client, "/api/facts", limit=2, offset=2)
    assert first["total"] == second["total"] == every["total"]
    assert [f["id"] for f in first["items"] + second["items"]] == [f["id"] for f in every["items"][:4]]


def test_web_api_commitments_give_the_seeds_statuses(client):
    items = _get(client, "/api/commitments", subject="Renault Group", limit=500)["items"]
    by_label = {c["what"]: c for c in items}
    assert by_label["production_capacity 500 000 vehicle/year by 2025"]["status"] == "achieved"
    integration = by_label["local_integration_rate 80 percent by 2030"]
    assert integration["status"] == "pending" and integration["latest_actual"]["value"] == 65.5
    for field in ("id", "subject", "metric", "what", "target", "deadline", "status", "announced", "decided_by",
                  "latest_actual", "progress", "supersedes", "superseded_by"):
        assert field in integration


@pytest.mark.parametrize("params, check", [
    ({"status": "pending"}, lambda c: c["status"] == "pending"),
    ({"metric": "production_capacity"}, lambda c: c["metric"] == "production_capacity"),
    ({"subject": "Maroc"}, lambda c: c["subject"] == "Maroc"),
])
def test_web_api_commitments_filters(client, params, check):
    page = _get(client, "/api/commitments", **params)
    assert page["total"] >= 1 and all(check(c) for c in page["items"])


def test_web_api_commitments_revision_chain_and_as_of(client):
    capacity = _get(client, "/api/commitments", metric="production_capacity", subject="Renault Group")["items"]
    revised = {c["target"]["value"]: c for c in capacity}
    assert revised[600000]["supersedes"] == revised[550000]["id"]
    before = _get(client, "/api/commitments", metric="production_capacity", as_of="2026-07-01")["items"]
    assert 600000 not in {c["target"]["value"] for c in before}  # the November article is not out yet


def test_web_api_conflicts_with_verdicts(client):
    page = _get(client, "/api/conflicts")
    verdicts = {(x["subject"], x["verdict"]) for x in page["items"]}
    assert ("Maroc", "agree_within_rounding") in verdicts and ("Renault Group", "differ_in_details") in verdicts
    assert all(x["verdict"] == "disagree" for x in _get(client, "/api/conflicts", verdict="disagree")["items"])
    assert _get(client, "/api/conflicts", metric="exports_value", subject="Maroc")["total"] == 1


def test_web_api_documents_list_and_one(client):
    page = _get(client, "/api/documents")
    assert page["total"] == 7 and {"doc", "title", "date", "facts", "milestones"} <= set(page["items"][0])
    assert [d["doc"] for d in _get(client, "/api/documents", q="hostile")["items"]] == ["hostile"]
    doc = _get(client, "/api/documents/000_fb631d34b5572e81")
    assert doc["text"] and doc["facts"] and doc["removed_items"]
    assert isinstance(doc["related"], list)  # "also reported by": Store.related(), tested in test_dedup.py
    assert _get(client, "/api/documents/hostile")["title"] == HOSTILE["title"]  # JSON keeps text as it is


def test_web_api_actors_list_and_one(client):
    page = _get(client, "/api/actors", limit=5)
    assert page["total"] > 5 and len(page["items"]) == 5
    renault = _get(client, "/api/actors", q="Renault", kind="company")["items"][0]
    assert renault["name"] == "Renault Group"
    actor = _get(client, f"/api/actors/{renault['id']}")
    assert actor["roles"]["mentions"] > 0 and actor["documents"] and actor["facts"] and actor["commitments"]


def test_web_api_search_with_figures(client):
    page = _get(client, "/api/search", q="intégration locale", limit=50)
    assert page["total"] >= 1 and any(hit["facts"] for hit in page["items"])
    assert _get(client, "/api/search", q="\"* OR NEAR(")["total"] == 0  # FTS syntax is read as words


def test_web_api_overview_and_metric(client):
    overview = _get(client, "/api/overview")
    assert overview["counts"]["documents"] == 7 and overview["commitments_by_status"]["pending"] >= 4
    metric = _get(client, "/api/metrics/exports_value")
    assert {f["verdict"] for f in metric["facts"] if f["subject"] == "Maroc" and f["year"] == 2024} == \
        {"agree_within_rounding"}
    assert metric["series"] and all(s["points"] for s in metric["series"])
    exports = [s for s in metric["series"] if s["subject"] == "Maroc" and s["kind"] == "actual" and s["unit"] == "MAD"]
    [year_2024] = [p for s in exports for p in s["line"] if p["year"] == 2024]  # one line point, a marker per source
    assert year_2024["value"] == 157.6e9 and len([p for s in exports for p in s["points"] if p["year"] == 2024]) == 2


def test_web_api_commitments_forecasts_after_promises_and_by_kind(client):
    items = _get(client, "/api/commitments", limit=500)["items"]
    kinds = [c["commitment_kind"] for c in items]
    assert "forecast" in kinds and kinds == sorted(kinds, key=lambda k: k == "forecast")
    forecasts = _get(client, "/api/commitments", commitment_kind="forecast")["items"]
    assert forecasts and {c["subject"] for c in forecasts} == {"monde"}
    assert client.get("/api/commitments", params={"commitment_kind": "wish"}).status_code == 422


def test_web_metric_series_one_line_per_subject_and_scope(pack):
    from filiere.web.queries import _series

    def figure(n, value, year, text, date="2026-01-10"):
        return {"id": n, "doc": f"d{n}", "date": date, "kind": "actual", "metric": "sales_volume", "value": value,
                "unit": "vehicle", "approx": "exact", "subject": "Maroc", "year": year, "qualifier": None,
                "scope": None, "evidence": {"text": text, "start": 0, "end": 1}}

    series = _series([figure(1, 150000, 2024, "Les ventes de voitures particulières ont atteint 150 000 unités."),
                      figure(2, 160000, 2025, "Les ventes de voitures particulières ont atteint 160 000 unités."),
                      figure(3, 8000, 2024, "Les ventes de véhicules électrifiés ont atteint 8 000 unités."),
                      figure(4, 12000, 2025, "Les ventes de véhicules électrifiés ont atteint 12 000 unités."),
                      figure(5, 12400, 2025, "Les ventes de véhicules électrifiés ont atteint 12 400 unités.",
                             date="2026-02-01")], pack)
    assert [s["label"] for s in series] == ["Maroc, VP", "Maroc, véhicules électrifiés"]
    assert [p["value"] for p in series[1]["line"]] == [8000, 12400]  # the most precise, the newest among equals
    assert len(series[1]["points"]) == 3


@pytest.mark.parametrize("url", [
    "/api/facts?year=abc", "/api/facts?year=99999999999999999999999", "/api/facts?kind=maybe",
    "/api/facts?limit=0", "/api/facts?limit=100000", "/api/facts?offset=-1", "/api/commitments?status=done",
    "/api/commitments?as_of=2026-13-45", "/api/conflicts?verdict=x", "/api/search", "/api/actors/abc",
    "/api/documents?limit=x",
])
def test_web_api_bad_parameter_is_422_with_the_reason(client, url):
    response = client.get(url)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail and detail[0]["loc"] and detail[0]["msg"]


@pytest.mark.parametrize("url", ["/api/documents/nope", "/api/actors/999999", "/api/metrics/nope"])
def test_web_api_unknown_record_is_404(client, url):
    response = client.get(url)
    assert response.status_code == 404 and "no " in response.json()["detail"]


def test_web_api_is_read_only(client):
    for method in ("post", "put", "delete", "patch"):
        assert getattr(client, method)("/api/facts").status_code == 405


def test_web_api_security_headers(client):
    headers = client.get("/api/facts").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"


def test_web_api_openapi_describes_every_endpoint(client):
    schema = _get(client, "/openapi.json")
    for path in ("/api/facts", "/api/commitments", "/api/conflicts", "/api/documents", "/api/documents/{doc}",
                 "/api/actors", "/api/actors/{actor_id}", "/api/search", "/api/overview", "/api/metrics/{metric}"):
        assert "get" in schema["paths"][path]
    assert {p["name"] for p in schema["paths"]["/api/facts"]["get"]["parameters"]} >= \
        {"metric", "subject", "year", "kind", "unit", "doc", "offset", "limit"}


def test_web_store_is_opened_read_only():
    from filiere.store import Store

    store = Store.open_readonly(build_store())
    with pytest.raises(Exception, match="readonly"):
        store.conn.execute("DELETE FROM facts")
    store.close()


def test_web_store_missing_is_a_clear_error(tmp_path):
    from filiere.errors import StoreError
    from filiere.web.app import create_app

    with pytest.raises(StoreError, match="no such store"):
        create_app(str(tmp_path / "missing.db"))
