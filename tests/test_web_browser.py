"""A real browser (Debian's headless Chromium, driven by Playwright) on a live `filiere serve`.

It opens the tracker and a metric page of the seeds' store, checks that the chart is drawn and that the console
shows no error, saves screenshots in $FILIERE_SCREENSHOTS (default: /tmp/filiere-web), and opens an article whose
text holds <script> and <img onerror> to check that they show as text and that no dialog opens.
"""
import datetime as dt
import os
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
    app = create_app(build_store(), dt.date(2026, 11, 24))
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
    assert '"metric"' in page.locator("#record").inner_text()
    page.wait_for_timeout(300)
    _shot(page, "hostile.png")
    assert page.dialogs == [] and page.problems == []


def test_web_browser_english_overview(server, page):
    page.goto(f"{server}/?lang=en")
    assert page.locator("h1").inner_text().startswith("Overview")
    page.goto(f"{server}/search?q=exportations")
    assert page.locator("li.hit").count() >= 1
    assert page.problems == []
