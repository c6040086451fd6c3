"""The dashboard's correction forms (issue 14), in Debian's headless Chromium: with `filiere serve --edit` a
correction is saved and shown; without --edit the form is absent and a POST is refused; a POST without the CSRF
token is refused. Screenshots go to $FILIERE_SCREENSHOTS (default: /tmp/filiere-web)."""
import datetime as dt
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from filiere.cli import main

pytestmark = pytest.mark.issue(14)
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(os.environ.get("FILIERE_SCREENSHOTS", "/tmp/filiere-web"))
JOBS = "c-7003c27afacb"  # seed 001's 7 500 jobs, whose subject the analyst corrects


def _serve(app):
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """An editing server and a read-only one, each on its own copy of the web tests' store."""
    from web_store import build_store

    from filiere.web.app import create_app

    folder = tmp_path_factory.mktemp("edit")
    editable, readonly = folder / "edit.db", folder / "ro.db"
    shutil.copy(build_store(), editable)
    shutil.copy(build_store(), readonly)
    started = [_serve(create_app(str(editable), dt.date(2026, 11, 24), edit=True)),
               _serve(create_app(str(readonly), dt.date(2026, 11, 24)))]
    yield {"edit": started[0][2], "ro": started[1][2], "db": str(editable)}
    for server, thread, _ in started:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def browser():
    pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


def _corrections(db: str) -> list[dict]:
    from filiere.store import open_store
    from filiere.store.corrections import corrections

    with open_store(db, create=False) as store:
        return corrections(store)


def test_web_edit_form_saves_a_correction_and_shows_it(servers, page):
    page.goto(f"{servers['edit']}/tracker")
    row = page.locator(f"tr[id='{JOBS}']")
    assert row.locator("td").nth(1).inner_text() == "Renault Group"
    row.locator("details.correct summary").click()
    form = row.locator("form.correct-form")
    form.locator("select[name=field]").select_option("subject")
    form.locator("input[name=value]").fill("Maroc")
    form.locator("input[name=by]").fill("Amina")
    form.locator("input[name=note]").fill("l'emploi est celui du pays")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url.endswith(f"/tracker#{JOBS}")
    row = page.locator(f"tr[id='{JOBS}']")
    assert row.locator("td").nth(1).inner_text() == "Maroc"
    assert "corrigé par Amina" in row.locator(".badge.corrected").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "tracker-edit.png"), full_page=True)
    assert page.problems == []
    saved = _corrections(servers["db"])
    assert [(c["commitment_id"], c["field"], c["value"], c["author"], c["note"]) for c in saved] == \
        [(JOBS, "subject", "Maroc", "Amina", "l'emploi est celui du pays")]


def test_web_without_edit_has_no_form_and_refuses_a_post(servers, page):
    page.goto(f"{servers['ro']}/tracker")
    assert page.locator("form.correct-form").count() == 0 and page.locator(f"tr[id='{JOBS}']").count() == 1
    answer = page.request.post(f"{servers['ro']}/corrections", form={"target": "commitment", "id": JOBS,
                                                                     "field": "subject", "value": "X", "by": "Eve"})
    assert answer.status == 405 and "read-only" in answer.text()
    page.goto(f"{servers['ro']}/documents/001_c9524406ab961de6")
    assert page.locator("form.correct-form").count() == 0


def test_web_edit_refuses_a_post_without_the_csrf_token(servers, page):
    before = len(_corrections(servers["db"]))
    form = {"target": "commitment", "id": JOBS, "field": "subject", "value": "Eve's", "by": "Eve"}
    assert page.request.post(f"{servers['edit']}/corrections", form=form).status == 403
    assert page.request.post(f"{servers['edit']}/corrections", form={**form, "csrf": "guessed"}).status == 403
    assert len(_corrections(servers["db"])) == before
    page.goto(f"{servers['edit']}/documents/001_c9524406ab961de6")  # the facts of an article have their form too
    assert page.locator("form.correct-form").count() >= 1
    token = page.locator("form.correct-form input[name=csrf]").first.get_attribute("value")
    bad = page.request.post(f"{servers['edit']}/corrections", form={**form, "csrf": token, "field": "colour"})
    assert bad.status == 422 and "has no field &#39;colour&#39;" in bad.text()  # escaped, as every text


def test_serve_edit_listens_on_this_machine_only(capsys):
    assert main(["serve", "--edit", "--host", "0.0.0.0", "--db", "nothing.db"]) == 2
    assert "listens on this machine only" in capsys.readouterr().err
    from filiere.web.cli import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and not is_loopback("10.0.0.1")
