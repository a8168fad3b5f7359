"""The figure's body (feminine, masculine, neutral) from the page's form and the HTTP API to the maker."""

from __future__ import annotations

import re

import pytest

from minime.spec import BODIES

from .conftest import FIXTURES, client, post_figure, recording_maker, wait_done
from .test_browser import open_with_photo, page, server  # noqa: F401 - the browser fixtures

pytestmark = pytest.mark.anyio


async def test_the_form_offers_each_body_with_auto_first(make_app):
    app = make_app(workers=1)
    async with client(app) as c:
        page = (await c.get("/")).text
    values = re.findall(r'<input type="radio" name="body" value="([^"]*)"', page)
    assert values == ["", *BODIES]
    assert re.search(r'name="body" value="" checked', page)  # Auto: the clothes decide


async def test_the_api_takes_a_body_and_refuses_a_bad_one(make_app):
    bodies: list[str] = []
    app = make_app(workers=1, maker=recording_maker(bodies, "body"))
    async with client(app) as c:
        r = await post_figure(c, {"name": "Eileen", "body": "Feminine"},
                              photo=(FIXTURES / "astronaut.jpg").read_bytes())
        assert r.status_code == 202, r.text
        status = await wait_done(c, r.json()["id"])
        assert status["status"] == "done", status
        assert status["spec"]["body"] == "feminine" and bodies == ["feminine"]

        # The body is in the figure: a re-box keeps it and cannot change it.
        r = await c.post(status["links"]["rebox"], json={"name": "Eileen C"})
        assert r.status_code == 200 and r.json()["spec"]["body"] == "feminine"
        r = await c.post(status["links"]["rebox"], json={"body": "masculine"})
        assert r.status_code == 422

        r = await post_figure(c, {"name": "Eileen", "body": "female"})
        error = r.json()["error"]
        assert r.status_code == 422 and error["code"] == "bad_spec"
        assert error["message"].startswith("body: 'female' is not a body type (did you mean 'feminine'?)")
        assert "feminine, masculine or neutral" in error["message"] and bodies == ["feminine"]


@pytest.mark.slow
def test_the_page_sends_the_body_and_says_a_new_one_needs_a_new_figure(server, page):  # noqa: F811
    open_with_photo(page, server, "astronaut.jpg", "Eileen")
    page.click("#bodies label:has-text('Feminine')")
    with page.expect_response(lambda r: r.url.endswith("/api/figures") and r.request.method == "POST") as sent:
        page.click("#make-btn")
    job = sent.value.json()["links"]["self"]
    page.wait_for_selector("#result:not([hidden])")
    assert page.evaluate("url => fetch(url).then(r => r.json())", job)["spec"]["body"] == "feminine"

    page.click("#bodies label:has-text('Masculine')")  # in the figure: the page says to make a new one
    assert "body is part of the figure" in page.inner_text("#restyle-note")
    page.fill("#name", "Eileen C")  # a re-box still works, and leaves the body out of it
    page.wait_for_function("() => document.querySelector('#result-img').src.includes('v=2')")
    assert page.problems == []
