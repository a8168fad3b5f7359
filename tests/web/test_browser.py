"""End to end in Debian's Chromium, driven by Playwright: upload, fill the form, watch, download, restyle."""

from __future__ import annotations

import io
import os
import socket
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from .conftest import FIXTURES

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-background-networking", "--disable-component-update"]


def _need_browser():
    reason = None
    if not CHROMIUM.exists():
        reason = "Debian's chromium is missing at /usr/bin/chromium (apt-get install chromium; .ci/run installs it)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed (pip install playwright; never `playwright install`)"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server():
    """The real app under uvicorn on 127.0.0.1 and a free port, in a thread."""
    import uvicorn

    from minime.web import create_app
    from minime.web.app import LOOPBACK_HOSTS

    port = _free_port()
    app = create_app(workers=1, allowed_hosts=LOOPBACK_HOSTS)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    end = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < end, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(15)


@pytest.fixture
def page():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(60_000)
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.problems = problems
        yield page
        context.close()
        browser.close()


@pytest.mark.slow
def open_with_photo(page, server: str, photo: str, name: str) -> None:  # noqa: F811 - a page, not the fixture
    """The app's page opened, a fixture photo chosen (its preview shown) and a name typed."""
    page.goto(server + "/")
    page.set_input_files("#photo-input", str(FIXTURES / photo))
    page.wait_for_selector("#photo-preview:not([hidden])")
    page.fill("#name", name)


def test_make_a_figure_in_the_browser(server, page):
    page.goto(server + "/")
    assert page.title().startswith("minime")

    # A refusal is explained in the page: no photo yet.
    page.click("#make-btn")
    assert "Add a photo" in page.inner_text("#photo-error")

    page.set_input_files("#photo-input", str(FIXTURES / "obama.jpg"))
    page.wait_for_selector("#photo-preview:not([hidden])")
    name = "Ada <b>L</b>"
    page.fill("#name", name)
    page.fill("#tagline", "Countess of Computing")
    page.fill("#accessory-input", "laptop")
    page.press("#accessory-input", "Enter")
    page.click("button.suggestion[data-accessory='Dog']")
    assert page.locator("#chips .chip").all_inner_texts() == ["laptop\n×", "Dog\n×"]
    # The keyboard alone picks the template: arrow keys move through the radio group.
    page.focus("input[name='template']:checked")
    page.keyboard.press("ArrowRight")
    assert page.eval_on_selector("input[name='template']:checked", "e => e.value") == "collector"
    page.focus("#make-btn")
    page.keyboard.press("Enter")

    page.wait_for_selector("#result:not([hidden])")
    assert page.inner_text("#make-btn") == "Make a new figure"
    assert 0 <= int(page.inner_text("#likeness-value")) <= 100
    assert "Wh" in page.text_content("#receipt-summary")  # inside the closed Receipt disclosure
    # User text is shown as text: the gallery holds the literal name, no <b> element.
    assert page.inner_text(".gallery-name") == name
    assert page.locator("#gallery b").count() == 0

    with page.expect_download() as info:
        page.click("#download-png")
    download = info.value
    assert download.suggested_filename == "ada-b-l-b-minime.png"
    box = Image.open(io.BytesIO(Path(download.path()).read_bytes()))
    box.load()
    assert box.format == "PNG" and box.size == (1080, 1350)
    assert box.text["Description"] == "AI-generated figure" and box.text["minime:template"] == "collector"

    # Changing the name re-boxes the same figure at once; no new figure is made.
    first = page.get_attribute("#result-img", "src")
    page.fill("#name", "Grace")
    page.wait_for_function("() => document.querySelector('#result-img').src.includes('v=2')")
    assert page.get_attribute("#result-img", "src") != first
    assert page.inner_text(".gallery-name") == "Grace"
    assert page.locator("#gallery li").count() == 1

    # Share: headless Chromium on Linux has no Web Share, so it downloads instead.
    with page.expect_download() as info:
        page.click("#share-btn")
    assert info.value.suggested_filename == "grace-minime.png"

    # A photo without a face is refused with a clear message.
    page.set_input_files("#photo-input", str(FIXTURES / "no_face.png"))
    page.click("#make-btn")
    page.wait_for_selector("#alert:not([hidden])")
    assert page.inner_text("#alert-title") == "We couldn't find a face"
    assert "No face found" in page.inner_text("#alert-text")

    assert page.problems == []  # no script errors, no CSP violations
