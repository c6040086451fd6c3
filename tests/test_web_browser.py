"""A real browser (Debian's headless Chromium, driven by Playwright) on a live `filiere serve`.

It opens every page at a phone's size (390x844) and a desktop's (1440x900), saves a screenshot of each and checks
that none scrolls sideways (issue 15); $FILIERE_BROWSER_DB runs it on another store (the real articles' one).
It opens the tracker and a metric page of the seeds' store, checks that the chart is drawn and that the console
shows no error, saves screenshots in $FILIERE_SCREENSHOTS (default: /tmp/filiere-web), and opens an article whose
text holds <script> and <img onerror> to check that they show as text and that no dialog opens.
"""
import datetime as dt
import os
import re
import urllib.parse
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)",
                allow_module_level=True)
from playwright.sync_api import sync_playwright  # noqa: E402

from web_store import IMG, SCRIPT, build_store  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(os.environ.get("FILIERE_SCREENSHOTS", "/tmp/filiere-web"))


@pytest.fixture(scope="module")
def server():
    """uvicorn on 127.0.0.1 and a free port, in a thread, for the module's tests."""
    import uvicorn

    from filiere.web.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(os.environ.get("FILIERE_BROWSER_DB") or build_store(), dt.date(2026, 11, 24))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    """A fresh page that records console errors, uncaught exceptions and dialogs."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems, page.dialogs = [], []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_web_browser_tracker_shows_commitments_without_console_error(server, page):
    page.goto(f"{server}/tracker")
    assert page.locator("tr.commitment").count() >= 10
    assert page.locator(".badge.status-achieved").count() >= 1 and page.locator("progress").count() >= 1
    assert page.locator("ol.timeline li").count() == 4  # the chain 550 000 -> 600 000, under both commitments
    _shot(page, "tracker.png")
    assert page.problems == []


def test_web_browser_metric_chart_is_drawn_without_console_error(server, page):
    page.goto(f"{server}/metrics/production_capacity")
    page.wait_for_selector("#chart[data-state=drawn]", timeout=15000)
    assert page.locator("#chart svg.main-svg").count() >= 1
    assert page.locator("#chart .scatterlayer .point").count() >= 3  # actual figures and targets
    _shot(page, "metric.png")
    assert page.problems == []


def test_web_browser_hostile_article_shows_as_text_and_opens_no_dialog(server, page):
    page.goto(f"{server}/documents/hostile")
    text = page.locator("#doc-text").inner_text()
    assert SCRIPT in text and IMG in text
    assert SCRIPT in page.locator("h1").inner_text()
    assert page.locator("#doc-text script, #doc-text img, main img").count() == 0
    page.locator("mark.fact").first.click()
    card = page.locator("#record").inner_text()
    assert "Indicateur" in card and "Valeur" in card and "{" not in card
    assert page.locator("#record").is_visible()
    page.wait_for_timeout(300)
    _shot(page, "hostile.png")
    assert page.dialogs == [] and page.problems == []


def test_web_browser_english_overview(server, page):
    page.goto(f"{server}/?lang=en")
    assert page.locator("h1").inner_text().startswith("Overview")
    page.goto(f"{server}/search?q=exportations")
    assert page.locator("li.hit").count() >= 1
    assert page.problems == []


VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}


def _every_page(server: str, request) -> list[tuple[str, str]]:
    """(name, path) of every kind of page: each metric, an article, an actor, filters with no row, errors."""
    import json
    import urllib.request

    def api(path):
        with urllib.request.urlopen(server + path) as answer:
            return json.load(answer)

    pages = [("overview", "/"), ("tracker", "/tracker"), ("tracker-empty", "/tracker?status=missed&subject=Nulle+part"),
             ("documents", "/documents"), ("documents-empty", "/documents?q=zzzz"), ("actors", "/actors"),
             ("search", "/search"), ("search-hits", "/search?q=Renault"), ("search-none", "/search?q=zzzz"),
             ("not-found", "/documents/absent"), ("bad-request", "/tracker?status=nope"), ("changes", "/changes")]
    metrics = sorted({f["metric"] for f in api("/api/facts?limit=500")["items"]})
    pages += [(f"metric-{m}", f"/metrics/{m}") for m in metrics]
    docs = api("/api/documents?limit=500")["items"]
    pages += [(f"document-{i}", "/documents/" + urllib.parse.quote(d["doc"], safe="")) for i, d in enumerate(docs[:8])]
    actors = api("/api/actors?limit=500")["items"]
    pages += [(f"actor-{a['id']}", f"/actors/{a['id']}") for a in actors[:6]]
    return pages + [("english", "/tracker?lang=en")]  # last: the language it asks for is remembered


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_web_browser_no_page_scrolls_sideways(server, browser, size, request):
    """Every page at 390x844 and 1440x900: a screenshot each, and the page is never wider than the window (its
    tables scroll in their own box or become cards, the nav collapses, the chart fits)."""
    import urllib.parse  # noqa: F401  (used by _every_page)

    context = browser.new_context(viewport=VIEWPORTS[size])
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    wide = []
    try:
        for name, path in _every_page(server, request):
            page.goto(server + path)
            if name.startswith("metric-"):
                page.wait_for_selector("#chart[data-state=drawn], .empty", timeout=15000)
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            (SHOTS / size).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / size / f"{name}.png"), full_page=True)
            if widths[0] > widths[1]:
                wide.append((path, widths))
    finally:
        context.close()
    assert wide == [] and problems == []


def test_web_browser_phone_menu_and_record_card(server, browser):
    """On a phone the nav is one button that opens it; a highlighted figure opens its card on screen."""
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    try:
        page.goto(server + "/")
        assert not page.locator("header nav").is_visible()
        page.locator(".nav-button").click()
        assert page.locator("header nav a[href='/tracker']").is_visible()
        page.goto(server + "/documents/004_47c0aad5b6007f53")
        page.locator("mark.fact").first.click()
        card = page.locator("#record")
        assert card.is_visible() and card.locator("dt").count() >= 5
        box = card.bounding_box()
        assert box and 0 <= box["y"] and box["y"] + 20 <= 844  # on screen, not below the article
        page.screenshot(path=str(SHOTS / "phone-record-card.png"))
        page.locator(".record-close").click()
        assert not page.locator("#record dt").count()
    finally:
        context.close()


def test_web_browser_chart_has_a_trace_per_source_and_targets_apart(server, page):
    page.goto(f"{server}/metrics/production_capacity")
    page.wait_for_selector("#chart[data-state=drawn]", timeout=15000)
    names = page.evaluate("Array.from(document.querySelectorAll('.chart-box')).flatMap(b => b.data.map(t => t.name))")
    assert any("objectif" in n for n in names) and any("réalisé" in n for n in names)
    ticks = page.locator("#chart .ytick text").all_text_contents()
    assert ticks and all(re.fullmatch(r"[0-9\u202f]+(,[0-9]+)?( (Md|M))?", t) for t in ticks), ticks  # as tables
    assert page.locator("#chart .modebar").count() == 0 or page.viewport_size["width"] >= 700
