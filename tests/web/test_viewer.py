"""The figure's 3D viewer in Debian's Chromium: it loads the GLB, turns, draws the figure, and the model and
clip downloads are real files."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from .test_browser import open_with_photo, page, server  # noqa: F401 - the same real server and browser


def _pixels(page) -> np.ndarray:  # noqa: F811 - a page, not the fixture
    """What the viewer drew: its canvas read back (a screenshot of a WebGL canvas in headless Chromium can
    show a stale frame)."""
    url = page.eval_on_selector("#viewer", "v => v.shadowRoot.querySelector('canvas.show').toDataURL('image/png')")
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB"), np.int16)


@pytest.mark.slow
def test_the_viewer_loads_the_glb_turns_and_the_downloads_work(server, page):  # noqa: F811
    open_with_photo(page, server, "obama.jpg", "Ada")
    page.click("#make-btn")
    page.wait_for_selector("#model:not([hidden])")
    page.wait_for_function("() => document.querySelector('#viewer').loaded === true")
    assert "/model?format=glb" in page.get_attribute("#viewer", "src")
    page.locator("#viewer").scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # the first frames after the load

    before = _pixels(page)
    # The figure is drawn: many pixels far from the backdrop (the corner), in more than a few colours.
    drawn = np.abs(before - before[2, 2]).sum(-1) > 60
    assert drawn.mean() > 0.03, drawn.mean()
    assert len(np.unique(before[drawn] // 32, axis=0)) > 5

    # Drag across it: the camera turns round the figure and the viewer draws it from there.
    start = page.eval_on_selector("#viewer", "v => v.getCameraOrbit().theta")
    box = page.locator("#viewer").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.9, box["y"] + box["height"] / 2, steps=12)
    page.mouse.up()
    page.wait_for_timeout(1500)  # the camera eases to its goal
    turned = page.eval_on_selector("#viewer", "v => v.getCameraOrbit().theta")
    assert abs(turned - start) > 0.3, (start, turned)
    after = _pixels(page)
    assert after.shape == before.shape
    changed = np.abs(after - before).sum(-1) > 30
    assert changed.mean() > 0.01, changed.mean()
    assert (np.abs(after - after[2, 2]).sum(-1) > 60).mean() > 0.03  # still the figure, seen from elsewhere

    with page.expect_download() as info:
        page.click("#download-stl")
    stl = Path(info.value.path()).read_bytes()
    assert info.value.suggested_filename == "ada-model.stl" and stl.startswith(b"minime figure")
    files = {key: page.get_attribute(key, "href") for key in ("#download-glb", "#download-3mf", "#download-mp4")}
    glb = page.request.get(server + files["#download-glb"])
    assert glb.ok and glb.body()[:4] == b"glTF" and glb.headers["content-type"] == "model/gltf-binary"
    three = page.request.get(server + files["#download-3mf"])
    assert three.ok and "3D/3dmodel.model" in zipfile.ZipFile(io.BytesIO(three.body())).namelist()
    mp4 = page.request.get(server + files["#download-mp4"], timeout=120_000)
    assert mp4.ok and mp4.body()[4:8] == b"ftyp" and mp4.headers["content-type"] == "video/mp4"

    assert page.problems == []  # no script errors, no CSP violations


@pytest.mark.anyio
async def test_a_picture_only_figure_has_no_model_links_and_its_model_is_refused(make_app):
    from .conftest import client, post_figure, wait_done

    app = make_app(workers=1)
    async with client(app) as c:
        job = (await post_figure(c, engine="studio")).json()["id"]
        status = await wait_done(c, job)
        assert status["status"] == "done" and not any(k.startswith(("model_", "clip_")) for k in status["links"])
        r = await c.get(f"/api/figures/{job}/model?format=stl")
        assert r.status_code == 409 and "sculpt" in r.json()["error"]["message"]
        assert (await c.get(f"/api/figures/{job}/model?format=obj")).status_code == 422
        assert (await c.get(f"/api/figures/{job}/clip")).status_code == 409
