"""The dashboard's pages, rendered on the server: content, filters, language, escaping, no inline script."""
import datetime as dt
import re
import warnings

import pytest

pytest.importorskip("fastapi")
warnings.filterwarnings("ignore", message=".*httpx.*")
from fastapi.testclient import TestClient  # noqa: E402

from web_store import IMG, SCRIPT, build_store  # noqa: E402

def _tags(html: str) -> list[tuple[str, dict]]:
    """Every start tag of the page, as the browser's parser sees it."""
    from html.parser import HTMLParser

    found = []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: found.append((tag, dict(attrs)))
    parser.feed(html)
    return found


PAGES = ["/", "/tracker", "/metrics/production_capacity", "/documents", "/documents/hostile",
         "/documents/000_fb631d34b5572e81", "/actors", "/actors/1", "/search?q=Renault"]


@pytest.fixture()
def client():
    from filiere.web.app import create_app

    return TestClient(create_app(build_store(), dt.date(2026, 11, 24)))


@pytest.mark.parametrize("url", PAGES)
def test_web_page_renders_without_inline_script_or_style(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    tags = _tags(response.text)
    for name, attrs in tags:
        assert not any(key.startswith("on") or key == "style" for key in attrs), (name, attrs)
        if name == "script":
            assert "src" in attrs or attrs.get("type") == "application/json", attrs
    assert not any(name in ("img", "iframe", "object", "embed") for name, _ in tags)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe-eval" not in response.headers["content-security-policy"]


def test_web_page_styles_are_strict_except_where_the_chart_draws(client):
    assert "style-src 'self';" in client.get("/tracker").headers["content-security-policy"]
    assert "'unsafe-inline'" in client.get("/metrics/production_capacity").headers["content-security-policy"]


def test_web_page_hostile_article_is_escaped(client):
    html = client.get("/documents/hostile").text
    assert SCRIPT not in html and IMG not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    for url in ("/", "/documents", "/search?q=alert", "/tracker"):
        page = client.get(url).text
        assert SCRIPT not in page and IMG not in page


def test_web_page_document_highlights_its_records(client):
    html = client.get("/documents/hostile").text
    assert re.search(r'<mark class="fact" id="f-\d+"[^>]*data-card=\'\{', html)
    assert "600" in html and "Office des changes" in html


def test_web_page_tracker_shows_statuses_filters_and_revisions(client):
    html = client.get("/tracker").text
    assert 'class="badge status-achieved"' in html and "<progress" in html
    assert 'class="timeline"' in html  # 550 000 by 2027 (June) revised to 600 000 by 2028 (November)
    only = client.get("/tracker", params={"status": "achieved", "metric": "production_capacity"}).text
    assert only.count('class="commitment"') == 1
    assert client.get("/tracker", params={"status": "", "subject": "", "metric": ""}).status_code == 200


def test_web_page_metric_has_chart_data_and_marked_conflicts(client):
    html = client.get("/metrics/exports_value").text
    assert 'id="chart-data"' in html and '/vendor/plotly.min.js' in html
    assert "verdict-agree_within_rounding" in html and 'href="/documents/004_47c0aad5b6007f53#f-' in html


def test_web_page_language_switch_and_cookie(client):
    assert "Suivi des engagements" in client.get("/tracker").text
    english = client.get("/tracker", params={"lang": "en"})
    assert "Commitment tracker" in english.text and english.cookies.get("lang") == "en"
    assert "Commitment tracker" in client.get("/tracker").text  # remembered


@pytest.mark.parametrize("url, status", [("/documents/nope", 404), ("/actors/99999", 404), ("/metrics/nope", 404),
                                         ("/tracker?status=nope", 422), ("/tracker?as_of=yesterday", 422),
                                         ("/actors/x", 422), ("/nope", 404), ("/documents?limit=0", 422)])
def test_web_page_errors_are_pages_with_the_reason(client, url, status):
    response = client.get(url)
    assert response.status_code == status and "<h1>" in response.text
    assert "<ul class=\"errors\"><li>" in response.text


def test_web_page_error_message_is_escaped(client):
    html = client.get("/documents/<script>alert(1)</script>").text
    assert SCRIPT not in html and "&lt;script&gt;" in html


def test_web_plotly_is_served_by_the_app(client):
    response = client.get("/vendor/plotly.min.js")
    assert response.status_code == 200 and "javascript" in response.headers["content-type"]
    assert b"plotly.js" in response.content[:200]


def test_web_highlight_keeps_every_character():
    from filiere.web.queries import highlight

    text = "abc 12 def 34 ghi"
    records = [{"evidence": {"start": 4, "end": 6}}, {"evidence": {"start": 5, "end": 13}},
               {"evidence": {"start": 11, "end": 13}}, {"evidence": {"start": 40, "end": 50}}]
    pieces = highlight(text, records)
    assert "".join(p["text"] for p in pieces) == text
    assert [p["text"] for p in pieces if p["record"]] == ["12", "34"]


def test_web_revision_chain_is_ordered_and_bounded():
    from filiere.web.queries import revision_chains

    a, b, c = ({"id": i, "supersedes": s, "superseded_by": n} for i, s, n in
               (("a", None, "b"), ("b", "a", "c"), ("c", "b", None)))
    loop = [{"id": "x", "supersedes": "y", "superseded_by": "y"}, {"id": "y", "supersedes": "x", "superseded_by": "x"}]
    chains = revision_chains([c, a, b])
    assert [r["id"] for r in chains["b"]] == ["a", "b", "c"] == [r["id"] for r in chains["a"]]
    assert len(revision_chains(loop)["x"]) <= 51


def test_web_serve_command_has_help_and_checks_the_store(tmp_path, capsys):
    from filiere.cli import main

    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    assert "127.0.0.1" in capsys.readouterr().out
    assert main(["serve", "--db", str(tmp_path / "missing.db")]) == 2
    assert "no such store" in capsys.readouterr().err
