"""Each fault a cloud engine meets, from the command line against fake servers driven through the real SDKs:
exit 2 for what the user can change, exit 1 for the service's failures, one line, no traceback, no file."""

from __future__ import annotations

import base64
import json
import sys

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from ..conftest import FIXTURES
from .fakes import FakeServer, b64, on_key, png_bytes, portrait_figure
from .test_cloud_cli import KEY, _lines, _run

pytest.importorskip("openai")
pytest.importorskip("google.genai")

GEMINI_KEY = "AIzaTESTKEYtestkey0123456789abcdef"
FAST = {"MINIME_CLOUD_TIMEOUT": "1", "MINIME_CLOUD_RETRIES": "1"}


def _openai_error(message: str, param=None, code=None) -> dict:
    return {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}}


def _gemini_image() -> dict:
    data = base64.b64encode(png_bytes(on_key(portrait_figure()))).decode()
    return {"candidates": [{"content": {"role": "model", "parts": [{"inlineData": {"mimeType": "image/png",
                                                                                     "data": data}}]},
                            "finishReason": "STOP"}]}


OK = {"created": 1, "data": [{"b64_json": b64(portrait_figure())}]}
LIMITED = _openai_error("Rate limit reached", code="rate_limit_exceeded")

OPENAI = [  # (case, replies, exit code, what the one line says)
    ("transparent background refused", [(400, _openai_error("Transparent background is not supported for this model.",
                                                             "background"))], 2, "does not take the background"),
    ("size refused", [(400, _openai_error("Invalid size '1024x1536'.", "size", "invalid_value"))], 2,
     "does not take the size"),
    ("output format refused", [(400, _openai_error("Unsupported output_format.", "output_format"))], 2,
     "does not take the output_format"),
    ("model not offered", [(404, _openai_error("The model `gpt-image-test` does not exist.", code="model_not_found"))],
     2, "MINIME_OPENAI_IMAGE_MODEL"),
    ("moderation block", [(400, _openai_error("Rejected by the safety system", code="moderation_blocked"))], 2,
     "safety system refused"),
    ("text only", [(200, {"created": 1, "data": [{"revised_prompt": "A description instead."}]})], 1,
     "replied without an image"),
    ("timeout", [(200, OK, 3.0)], 1, "did not answer within 1 s (tried 2 times)"),
    ("server error", [(503, {"error": {"message": "overloaded"}})], 1, "failed (HTTP 503) after 1 retries"),
    ("429 then success", [(429, LIMITED), (200, OK)], 0, ""),
]

GEMINI = [
    ("retired model", [(404, {"error": {"code": 404, "status": "NOT_FOUND", "message": "models/x is not found"}})], 2,
     "MINIME_GEMINI_IMAGE_MODEL"),
    ("block", [(200, {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}})], 2, "blocked this request"),
    ("text only", [(200, {"candidates": [{"content": {"role": "model", "parts": [{"text": "No."}]},
                                          "finishReason": "STOP"}]})], 1, "replied without an image"),
    ("429 then success", [(429, {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "slow down"}}),
                          (200, _gemini_image())], 0, ""),
]


@pytest.mark.parametrize("engine, case, replies, code, needle",
                         [("openai", *c) for c in OPENAI] + [("gemini", *c) for c in GEMINI],
                         ids=[f"openai-{c[0]}" for c in OPENAI] + [f"gemini-{c[0]}" for c in GEMINI])
def test_each_fault_is_one_line_and_its_exit_code(tmp_path, engine, case, replies, code, needle):
    out = tmp_path / "ada.png"
    with FakeServer() as server:
        for status, payload, *delay in replies:
            server.reply(status, payload, delay=delay[0] if delay else 0.0, headers={"retry-after-ms": "10"})
        env = {**FAST, "OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.url, "GEMINI_API_KEY": GEMINI_KEY,
               "MINIME_GEMINI_BASE_URL": server.url, "MINIME_OPENAI_IMAGE_MODEL": "gpt-image-test"}
        run = _run("make", str(FIXTURES / "obama.jpg"), "--name", "Ada", "--engine", engine, "--allow-cloud",
                   "--no-likeness", "-o", str(out), env=env)
    assert run.returncode == code, run.stderr
    assert "Traceback" not in run.stderr and KEY not in run.stderr and GEMINI_KEY not in run.stderr
    if code:
        errors = [line for line in _lines(run.stderr) if line.startswith("error:")]
        assert len(errors) == 1 and needle in errors[0], run.stderr
        assert not out.exists() and not list(tmp_path.iterdir())  # nothing written, not even in part
    else:
        assert out.exists() and len(server.requests) == 2


def test_engines_json_lists_each_cloud_engines_model_and_how_to_change_it():
    run = _run("engines", "--json", env={"MINIME_OPENAI_IMAGE_MODEL": "gpt-image-2"})
    assert run.returncode == 0, run.stderr
    rows = {row["name"]: row for row in json.loads(run.stdout)}
    assert rows["openai"]["model"] == "gpt-image-2" and rows["openai"]["setting"] == "MINIME_OPENAI_IMAGE_MODEL"
    assert rows["gemini"]["setting"] == "MINIME_GEMINI_IMAGE_MODEL" and "preview" not in rows["gemini"]["model"]
    for name in ("openai", "gemini"):
        assert rows[name]["where"] == "cloud" and rows[name]["provider"]
        assert "--model" in rows[name]["change"] and rows[name]["setting"] in rows[name]["change"]


def _make_with_guide(tmp_path, monkeypatch, guide_image):
    """`minime make --guide sculpt` in this process, the sculpt engine's guide_image replaced by `guide_image`."""
    from minime.cli import app
    from minime.settings import settings

    if guide_image is None:
        monkeypatch.setitem(sys.modules, "minime.engines.sculpt", None)  # not importable
    else:
        monkeypatch.setattr("minime.engines.sculpt.guide_image", guide_image)
    server = FakeServer().reply(200, OK)
    with server:
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        settings.cache_clear()
        result = CliRunner().invoke(app, ["make", str(FIXTURES / "obama.jpg"), "--name", "Ada", "--engine", "openai",
                                          "--allow-cloud", "--guide", "sculpt", "-o", str(tmp_path / "ada.png")])
    return result, server


def test_guide_sculpt_sends_the_render_beside_the_photo_and_boxes_the_figure(tmp_path, monkeypatch):
    render = Image.new("RGBA", (90, 160), (0, 0, 0, 0))
    render.paste((40, 90, 200, 255), (20, 10, 70, 150))
    asked = []
    result, server = _make_with_guide(tmp_path, monkeypatch, lambda subject, spec: asked.append(spec.name) or render)
    assert result.exit_code == 0, result.output
    assert asked == ["Ada"] and (tmp_path / "ada.png").exists()
    photo, guide = server.requests[0].parts("image[]")
    assert Image.open(__import__("io").BytesIO(guide)).size == render.size
    assert b"3D render of the figure" in server.requests[0].form()["prompt"]


def test_guide_sculpt_without_the_sculpt_engine_is_one_line(tmp_path, monkeypatch):
    result, server = _make_with_guide(tmp_path, monkeypatch, None)
    assert result.exit_code == 2 and not server.requests and not (tmp_path / "ada.png").exists()
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "--guide sculpt needs the sculpt engine" in lines[0]


def test_guide_sculpt_sends_the_sculpt_engines_own_3d_render(tmp_path, monkeypatch):
    from minime.engines import sculpt
    from minime.sculpt.render import available

    if available() is not None:
        pytest.skip(available())
    result, server = _make_with_guide(tmp_path, monkeypatch, sculpt.guide_image)
    assert result.exit_code == 0, result.output
    _, guide = server.requests[0].parts("image[]")
    render = Image.open(__import__("io").BytesIO(guide))
    alpha = np.asarray(render.convert("RGBA"))[..., 3]
    assert render.height == 1024 and alpha[0, 0] == 0 and (alpha > 200).mean() > 0.1  # the figure, cut out
    assert (tmp_path / "ada.png").exists()
