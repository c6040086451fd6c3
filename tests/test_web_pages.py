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


def _visible_text(html: str) -> str:
    """The text a reader sees: every text node but those of scripts and styles (attributes are not shown)."""
    from html.parser import HTMLParser

    chunks, hidden = [], []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: hidden.append(tag) if tag in ("script", "style") else None
    parser.handle_endtag = lambda tag: hidden.pop() if tag in ("script", "style") and hidden else None
    parser.handle_data = lambda data: None if hidden else chunks.append(data)
    parser.feed(html)
    return " ".join(chunks)


ENGLISH = ["actual", "target", "company", r"(?<!en )(?<!la )(?<!sur )place", "teaser", "person", "brand", "pending", "achieved", "missed",
           "unverified", "undated", "vehicle", "job", "percent", "advertisement"]


def _french_pages(client) -> list[str]:
    metrics = sorted({f["metric"] for f in client.get("/api/facts?limit=500").json()["items"]})
    docs = [d["doc"] for d in client.get("/api/documents?limit=500").json()["items"]]
    actors = [a["id"] for a in client.get("/api/actors?limit=500").json()["items"]]
    from urllib.parse import quote

    return (["/", "/tracker", "/tracker?status=missed&subject=Nulle+part", "/documents", "/documents?q=zzzz",
             "/actors", "/search", "/search?q=Renault", "/search?q=capacit%C3%A9", "/search?q=zzzz",
             "/documents/absent", "/tracker?status=nope", "/changes", "/changes?since=2020-01-01"]
            + [f"/metrics/{m}" for m in metrics] + ["/documents/" + quote(d, safe="") for d in docs]
            + [f"/actors/{a}" for a in actors])


def test_web_page_french_pages_show_no_code_nor_english_word(client):
    """Issue 15: no page of the French interface shows a metric code, an English word of the records (kinds,
    statuses, actor types, units, cleaning reasons), a wrong plural ('1 indépendantes', '1 mentions') or an
    ISO date."""
    from filiere.domains.packs import load_pack

    codes = [m.name for m in load_pack("automotive").metrics]
    found = []
    for url in _french_pages(client):
        text = _visible_text(client.get(url).text)
        for code in codes:
            if re.search(rf"\b{code}\b", text):
                found.append((url, code))
        for word in ENGLISH:
            if re.search(rf"\b{word}s?\b", text):
                found.append((url, word))
        for wrong in re.findall(r"(?<![\d\u202f])1 (?:\w+ )?\w+(?:es|s)\b", text):
            if re.search(r"1 (mentions|indépendantes|sources|articles|chiffres|jalons|engagements|résultats|acteurs|"
                         r"phrases)\b", wrong):
                found.append((url, wrong))
        found += [(url, d) for d in re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text)]
    assert found == [], found


def test_web_page_french_edit_forms_show_no_code_nor_english_word():
    """The correction forms of `filiere serve --edit` (issue 14) speak French too: no metric or field code, no
    English word of the records, on the tracker and on an article."""
    from filiere.domains.packs import load_pack
    from filiere.web.app import create_app

    edit = TestClient(create_app(build_store(), dt.date(2026, 11, 24), edit=True))
    codes = [m.name for m in load_pack("automotive").metrics]
    found = []
    for url in ("/tracker", "/documents/000_fb631d34b5572e81"):
        page = edit.get(url)
        assert page.status_code == 200 and "csrf" in page.text
        text = _visible_text(page.text)
        found += [(url, c) for c in codes if re.search(rf"\b{c}\b", text)]
        found += [(url, w) for w in ENGLISH if re.search(rf"\b{w}s?\b", text)]
    assert found == [], found


def test_web_page_metric_labels_and_definitions_come_from_the_pack():
    from filiere.domains.packs import load_pack
    from filiere.web.labels import metric_definition, metric_label

    for m in load_pack("automotive").metrics:
        for lang in ("fr", "en"):
            assert metric_label(m.name, lang) != m.name and "_" not in metric_label(m.name, lang)
            assert metric_definition(m.name, lang).endswith(".")


def test_web_page_numbers_dates_and_plurals_for_each_language():
    from filiere.web.labels import count, format_date, format_value

    assert format_value(157.6e9, "MAD", "exact", "fr") == "157,6 Md MAD"
    assert format_value(157.6e9, "MAD", "exact", "en") == "157.6 bn MAD"
    assert format_value(7500, "job", "more_than", "fr") == "plus de 7\u202f500 emplois"
    assert format_date("2025-11-13", "fr") == "13 novembre 2025" and format_date("2025-11", "fr") == "novembre 2025"
    assert format_date("2025-11-13", "en") == "13 November 2025" and format_date("2025", "fr") == "2025"
    assert count(1, "independent", "fr") == "1 source indépendante"
    assert count(0, "mentions", "fr") == "0 mention" and count(0, "mentions", "en") == "0 mentions"
    assert count(4, "mentions", "fr") == "4 mentions"


def test_web_page_empty_states_say_so_and_offer_a_way_out(client):
    html = client.get("/tracker?status=missed&subject=Nulle+part").text
    assert "Aucun engagement ne répond à ces filtres." in html and 'href="/tracker"' in html
    html = client.get("/search").text
    assert "Cherchez des mots" in html and 'href="/search?q=' in html
    assert "Aucun résultat" in client.get("/search?q=zzzz").text


def test_web_page_search_highlights_words_and_groups_by_article(client):
    html = client.get("/search?q=capacite").text  # accents ignored, as the search does
    assert re.search(r'<mark class="word">[Cc]apacité</mark>', html)
    groups = re.findall(r'<section class="hit-group">', html)
    docs = re.findall(r'<h2 class="hit-doc"><a href="(/documents/[^"]+)"', html)
    assert groups and len(docs) == len(set(docs)) == len(groups)


def test_web_page_articles_are_listed_by_title_never_by_id(client):
    html = client.get("/documents").text
    assert "(sans titre)" not in html
    assert not re.search(r'<a href="/documents/[^"]+">\d{3}_[0-9a-f]{16}</a>', html)


def test_web_actors_are_merged_typed_and_counted_by_every_form(client):
    """Issue 15: Kenitra and Kénitra are one actor; fragments of ministries' names ('Commerce', 'Emploi',
    'Compétences', 'Petites') are no actors; a person named after an office is a person, without the office
    ('Budget Fouzi Lekjaa' -> 'Fouzi Lekjaa'), and so is one named with a title ('François Provost'); no listed
    actor has no article; 'Renault Group' is not also counted as 'Renault'."""
    items = client.get("/api/actors?limit=500").json()["items"]
    names = {a["name"]: a for a in items}
    assert sum(a["name"] in ("Kenitra", "Kénitra") for a in items) == 1
    assert not {"Commerce", "Emploi", "Compétences", "Petites", "Budget Fouzi Lekjaa"} & set(names)
    assert names["Fouzi Lekjaa"]["kind"] == "person" and names["François Provost"]["kind"] == "person"
    assert all(a["documents"] >= 1 and a["mentions"] >= 1 for a in items)
    assert names["Renault Group"]["mentions"] > names["Renault"]["mentions"]
    kenitra = next(a for a in items if a["name"] in ("Kenitra", "Kénitra"))
    page = client.get(f"/api/actors/{kenitra['id']}").json()
    assert page["roles"]["mentions"] == sum(d["mentions"] for d in page["documents"]) and len(page["documents"]) >= 2
    html = client.get("/actors").text
    assert "lieu" in html and "personne" in html and ">place<" not in html


def test_web_display_title_is_a_first_sentence_cut_at_a_word():
    from filiere.web.queries import display_title

    assert display_title("  Titre  ", "x") == "Titre"
    assert display_title(None, "date 2017-05 Leoni ouvre son usine. Suite") == "Leoni ouvre son usine."
    long = display_title(None, "Le Maroc et Renault Group franchissent un nouveau pallier dans leur partenariat "
                               "industriel et technologique durable")
    assert long.endswith("…") and long[:-1] == long[:-1].rstrip() and "technologique durable" not in long
