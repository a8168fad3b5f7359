"""The HTTP API through httpx's ASGI transport: upload, follow, download, re-box, delete."""

from __future__ import annotations

import io
import json
import time

import pytest
from PIL import Image

from minime.pipeline import make
from minime.web.jobs import STAGES, default_maker

from .conftest import FIXTURES, PORTRAIT, client, post_figure, recording_maker, wait_done

pytestmark = pytest.mark.anyio


async def test_make_follow_download_rebox_delete(make_app):
    made: list[str] = []
    app = make_app(workers=1, maker=recording_maker(made, "name"))
    async with client(app) as c:
        r = await post_figure(c, {"name": "Barack", "tagline": "44th President", "accessories": ["dog"]})
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]
        assert len(job_id) >= 22 and r.headers["location"] == f"/api/figures/{job_id}"

        status = await wait_done(c, job_id)
        assert status["status"] == "done", status
        assert status["stage"] == "export" and status["stages"] == list(STAGES)
        assert status["spec"]["name"] == "Barack" and status["spec"]["accessories"] == ["dog"]
        assert 0 <= status["likeness"] <= 100
        assert status["receipt"]["wh"] > 0 and status["receipt"]["providers"] == []
        assert "Wh" in status["receipt_summary"] and "g CO2e" in status["receipt_summary"]
        assert status["expires"] > time.time()

        r = await c.get(status["links"]["image"])
        assert r.status_code == 200 and r.headers["content-type"] == "image/png"
        assert r.headers["cache-control"].startswith("private")
        box = Image.open(io.BytesIO(r.content))
        assert box.format == "PNG" and box.size == (1080, 1350)
        assert box.text.get("Description") == "AI-generated figure"  # the same labelled file the CLI writes
        # The file carries the receipt of making it; the job's receipt adds its encoding ("export"), so it
        # is the whole cost of what the user waited for.
        inside = json.loads(box.text["minime:receipt"])
        assert 0 < inside["wh"] < status["receipt"]["wh"]
        assert [r["stage"] for r in status["receipt"]["readings"]][-1] == "export"
        r = await c.get(status["links"]["download"])
        assert r.headers["content-disposition"] == 'attachment; filename="barack-minime.png"'

        r = await c.get(status["links"]["figure"])
        assert r.status_code == 200 and Image.open(io.BytesIO(r.content)).mode == "RGBA"

        r = await c.get(status["links"]["thumbnail"])
        assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"

        # Re-boxing changes the box and never runs the engine again.
        assert made == ["Barack"]
        r = await c.post(status["links"]["rebox"], json={"name": "Obama", "color": "navy", "template": "retro-80s",
                                                         "accessories": ["guitar"], "size": "square"})
        assert r.status_code == 200, r.text
        reboxed = r.json()
        assert made == ["Barack"]
        assert reboxed["version"] == 2 and reboxed["size"] == "square"
        assert reboxed["spec"]["name"] == "Obama" and reboxed["spec"]["color"] == "#000080"
        assert reboxed["spec"]["template"] == "retro-80s" and reboxed["spec"]["accessories"] == ["guitar"]
        assert reboxed["receipt"] == status["receipt"]  # no new energy spent
        r = await c.get(reboxed["links"]["image"])
        assert Image.open(io.BytesIO(r.content)).size == (1080, 1080)

        listed = (await c.get("/api/figures")).json()
        assert [job["id"] for job in listed] == [job_id]

        r = await c.delete(f"/api/figures/{job_id}")
        assert r.status_code == 204
        for path in ("", "/image", "/thumbnail", "/figure", "/events"):
            r = await c.get(f"/api/figures/{job_id}{path}")
            assert r.status_code == 404, path
            assert r.json()["error"]["code"] == "not_found"
        assert (await c.get("/api/figures")).json() == []
    counts = app.state.jobs.counts()
    assert counts["live"] == 0 and counts["photos_in_memory"] == 0 and not counts.get("done")


async def test_progress_streams_every_stage(make_app):
    def slow(photo, spec, *, progress, **options):
        def each(stage):  # long enough for the stream to see every stage
            progress(stage)
            time.sleep(0.25)

        return default_maker(photo, spec, progress=each, **options)

    app = make_app(workers=1, maker=slow)
    async with client(app) as c:
        job_id = (await post_figure(c)).json()["id"]
        r = await c.get(f"/api/figures/{job_id}/events")  # the transport returns once the stream ends
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = [block for block in r.text.split("\n\n") if block.startswith("event:")]
    kinds = [block.split("\n")[0].removeprefix("event: ") for block in events]
    stages = [json.loads(block.split("data: ", 1)[1])["stage"] for block in events if block.startswith("event: stage")]
    assert kinds[-1] == "done"
    assert stages == list(STAGES), stages
    assert json.loads(events[-1].split("data: ", 1)[1])["links"]["image"]


def test_make_reports_each_stage_as_it_starts():
    seen = []
    make(PORTRAIT, {"name": "Ada"}, progress=seen.append, likeness=False)
    assert seen == ["intake", "look", "engine", "pick", "box"]


async def test_refusals_are_clear(make_app):
    app = make_app(workers=1)
    async with client(app) as c:
        r = await post_figure(c, photo=b"%PDF-1.4 not a photo", filename="cv.pdf", content_type="application/pdf")
        assert r.status_code == 415 and r.json()["error"]["code"] == "bad_photo"
        assert "PDF" in r.json()["error"]["message"] and "JPEG" in r.json()["error"]["message"]

        r = await post_figure(c, photo=b"hello", filename="notes.txt", content_type="text/plain")
        assert r.status_code == 415 and "not an image" in r.json()["error"]["message"]

        r = await c.post("/api/figures", data={"spec": json.dumps({"name": "A"})}, files={"other": ("x", b"1")})
        assert r.status_code == 422 and r.json()["error"]["code"] == "no_photo"

        r = await c.post("/api/figures", json={"name": "A"})
        assert r.status_code == 415 and "multipart/form-data" in r.json()["error"]["message"]

        r = await post_figure(c, {"name": "x" * 41})
        assert r.status_code == 422 and r.json()["error"] == {"code": "bad_spec", "message": "name: must be 1-40 characters (got 41)"}

        r = await post_figure(c, {"name": "A", "colour": "red"})
        assert r.status_code == 422 and "did you mean 'color'" in r.json()["error"]["message"]

        r = await c.post("/api/figures", files={"photo": ("p.jpg", PORTRAIT, "image/jpeg")}, data={"spec": "{name"})
        assert r.status_code == 422 and r.json()["error"]["message"] == "the spec is not valid JSON"

        r = await post_figure(c, {"name": "A", "template": "no-such-box"})
        assert r.status_code == 422 and "choose one of: classic" in r.json()["error"]["message"]

        r = await post_figure(c, engine="dalle")
        assert r.status_code == 422 and "unknown engine 'dalle'" in r.json()["error"]["message"]

        r = await post_figure(c, size="poster")
        assert r.status_code == 422 and "unknown size 'poster'" in r.json()["error"]["message"]

        # A cloud engine needs the consent box, and the refusal names who would get the photo.
        r = await post_figure(c, engine="openai")
        assert r.status_code == 422 and r.json()["error"]["code"] == "consent"
        assert "OpenAI" in r.json()["error"]["message"]

        # No face: the job fails with a message the page shows as is.
        r = await post_figure(c, photo=(FIXTURES / "no_face.png").read_bytes(), filename="wall.png", content_type="image/png")
        assert r.status_code == 202
        status = await wait_done(c, r.json()["id"])
        assert status["status"] == "failed" and status["error"]["code"] == "no_face"
        assert status["error"]["message"].startswith("no face found")
        assert "image" not in status["links"]
        r = await c.get(f"/api/figures/{status['id']}/image")
        assert r.status_code == 409

        r = await c.post("/api/figures/nope/rebox", json={"name": "A"})
        assert r.status_code == 404


async def test_rebox_refuses_bad_changes(make_app):
    app = make_app(workers=1)
    async with client(app) as c:
        status = await wait_done(c, (await post_figure(c)).json()["id"])
        rebox = status["links"]["rebox"]
        r = await c.post(rebox, json={"color": "blurple"})
        assert r.status_code == 422 and r.json()["error"]["code"] == "bad_spec" and "blurple" in r.json()["error"]["message"]
        r = await c.post(rebox, json={"template": "nope"})
        assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_name"
        r = await c.post(rebox, json={"size": "huge"})
        assert r.status_code == 422
        r = await c.post(rebox, json={"outfit": "suit"})  # the outfit is in the figure: it needs a new one
        assert r.status_code == 422
        assert (await c.get(status["links"]["self"])).json()["version"] == 1


async def test_catalogue_and_docs(make_app):
    app = make_app(workers=1)
    async with client(app) as c:
        templates = (await c.get("/api/templates")).json()
        assert templates[0]["name"] == "classic"
        r = await c.get(templates[0]["preview"])
        assert r.status_code == 200 and Image.open(io.BytesIO(r.content)).width == 540
        assert (await c.get("/api/templates/nope/preview.jpg")).status_code == 404

        engines = {e["name"]: e for e in (await c.get("/api/engines")).json()}
        assert engines["studio"]["local"] and engines["studio"]["provider"] == ""
        assert not engines["openai"]["local"] and engines["openai"]["provider"] == "OpenAI"

        spec = (await c.get("/openapi.json")).json()
        for path in ("/api/figures", "/api/figures/{job_id}", "/api/figures/{job_id}/image",
                     "/api/figures/{job_id}/rebox", "/api/figures/{job_id}/events"):
            assert path in spec["paths"], path
        assert set(spec["paths"]["/api/figures/{job_id}"]) == {"get", "delete"}
        upload = spec["paths"]["/api/figures"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
        assert upload["required"] == ["photo", "spec"]

        docs = await c.get("/docs")
        assert docs.status_code == 200 and "/docs-assets/swagger-ui-bundle.js" in docs.text
        assert (await c.get("/docs-assets/swagger-ui-bundle.js")).status_code == 200

        page = await c.get("/")
        assert page.status_code == 200
        assert 'capture="user"' in page.text and 'accept="image/*"' in page.text
        assert "<script>" not in page.text  # scripts come from files only (the CSP allows nothing inline)
