"""The gemini engine through the real `google-genai` SDK against a fake Gemini API on 127.0.0.1."""

from __future__ import annotations

import base64
import io
import logging

import numpy as np
import pytest
from PIL import Image

from minime.engines.base import EngineError, RefusedError
from minime.engines.cloud import CredentialsError
from minime.engines.gemini import GeminiEngine
from minime.errors import MinimeError
from minime.spec import build_spec

from .fakes import FakeServer, alpha_of, is_clean_png, on_key, png_bytes, portrait_figure

pytest.importorskip("google.genai")

KEY = "AIzaTESTKEYtestkey0123456789abcdef"
MODEL = "gemini-test-image"
SPEC = build_spec(name="Ada Lovelace", outfit="red hoodie", accessories=["laptop"])


def ok(image: Image.Image | None = None, text: str | None = None) -> dict:
    data = base64.b64encode(png_bytes(image or on_key(portrait_figure()))).decode()
    parts = [{"text": text}] if text else []
    parts.append({"inlineData": {"mimeType": "image/png", "data": data}})
    return {"candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": "STOP"}],
            "modelVersion": MODEL}


def engine_for(server: FakeServer, monkeypatch, *, timeout: float = 10.0, attempts: int = 3) -> GeminiEngine:
    monkeypatch.setenv("GEMINI_API_KEY", KEY)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    return GeminiEngine(model=MODEL, base_url=server.url, timeout=timeout, attempts=attempts, retry_delay=0.02)


def test_success_keys_out_the_flat_background(subject, monkeypatch):
    with FakeServer().reply(200, ok(text="Here is your figure.")) as server:
        figures = engine_for(server, monkeypatch).generate(subject, SPEC, n=1, seed=11)
    fig = figures[0]
    assert fig.image.mode == "RGBA" and fig.engine == "gemini" and fig.model == MODEL and fig.seed == 11
    alpha = alpha_of(fig.image)
    assert alpha[0, 0] == 0 and alpha[alpha.shape[0] // 2, alpha.shape[1] // 2] == 255
    rgb = np.asarray(fig.image)[..., :3][alpha > 128].astype(int)
    green = (rgb[:, 1] > 150) & (rgb[:, 0] < 60) & (rgb[:, 2] < 100)
    assert green.mean() < 0.01  # no key colour left on the figure
    request = server.requests[0]
    assert request.path.endswith(f"/models/{MODEL}:generateContent")
    assert request.headers["x-goog-api-key"] == KEY
    body = request.json()
    assert body["generationConfig"]["responseModalities"] == ["IMAGE"] and body["generationConfig"]["seed"] == 11
    parts = body["contents"][0]["parts"]
    sent = parts[0]["inlineData"]["data"]
    photo = base64.urlsafe_b64decode(sent + "=" * (-len(sent) % 4))  # the SDK sends URL-safe base64
    assert is_clean_png(photo)
    assert "red hoodie" in parts[1]["text"] and "Ada" not in parts[1]["text"]


def test_n_candidates_are_n_requests_with_their_own_seeds(subject, monkeypatch):
    with FakeServer().reply(200, ok()) as server:
        figures = engine_for(server, monkeypatch).generate(subject, SPEC, n=3, seed=100)
    assert len(figures) == 3 and len(server.requests) == 3
    assert sorted(r.json()["generationConfig"]["seed"] for r in server.requests) == [100, 101, 102]
    assert [f.seed for f in figures] == [100, 101, 102]


def test_a_prompt_block_is_the_users_to_fix(subject, monkeypatch):
    blocked = {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}}
    with FakeServer().reply(200, blocked) as server:
        with pytest.raises(RefusedError, match=r"blocked this request \(PROHIBITED_CONTENT\)") as info:
            engine_for(server, monkeypatch).generate(subject, SPEC, n=1, seed=None)
    assert isinstance(info.value, MinimeError)


def test_an_image_safety_stop_is_a_refusal(subject, monkeypatch):
    stopped = {"candidates": [{"content": {"role": "model", "parts": []}, "finishReason": "IMAGE_SAFETY"}]}
    with FakeServer().reply(200, stopped) as server:
        with pytest.raises(RefusedError, match="IMAGE_SAFETY"):
            engine_for(server, monkeypatch).generate(subject, SPEC, n=1, seed=None)


def test_429_is_retried_then_succeeds(subject, monkeypatch):
    limited = {"error": {"code": 429, "message": "Resource has been exhausted", "status": "RESOURCE_EXHAUSTED"}}
    with FakeServer().reply(429, limited).reply(200, ok()) as server:
        figures = engine_for(server, monkeypatch).generate(subject, SPEC, n=1, seed=None)
    assert len(figures) == 1 and len(server.requests) == 2


def test_5xx_retries_are_bounded(subject, monkeypatch):
    failing = {"error": {"code": 503, "message": "overloaded", "status": "UNAVAILABLE"}}
    with FakeServer().reply(503, failing) as server:
        with pytest.raises(EngineError, match=r"failed \(HTTP 503\) after 3 tries"):
            engine_for(server, monkeypatch, attempts=3).generate(subject, SPEC, n=1, seed=None)
    assert len(server.requests) == 3


def test_timeout_is_one_clear_line(subject, monkeypatch):
    with FakeServer().reply(200, ok(), delay=1.5) as server:
        with pytest.raises(EngineError, match=r"did not answer within 0.3 s \(tried 1 times\)"):
            engine_for(server, monkeypatch, timeout=0.3, attempts=1).generate(subject, SPEC, n=1, seed=None)


def test_text_only_reply_is_an_error(subject, monkeypatch):
    text = {"candidates": [{"content": {"role": "model", "parts": [{"text": "I can't draw people."}]},
                            "finishReason": "STOP"}]}
    with FakeServer().reply(200, text) as server:
        with pytest.raises(EngineError, match="replied without an image: I can't draw people."):
            engine_for(server, monkeypatch).generate(subject, SPEC, n=1, seed=None)


def test_corrupt_base64_is_an_error(subject, monkeypatch):
    bad = {"candidates": [{"content": {"role": "model", "parts": [
        {"inlineData": {"mimeType": "image/png", "data": "!!not*base64!!"}}]}, "finishReason": "STOP"}]}
    with FakeServer().reply(200, bad) as server:
        with pytest.raises(EngineError, match="Gemini sent an unusable reply") as info:
            engine_for(server, monkeypatch).generate(subject, SPEC, n=1, seed=None)
    assert "\n" not in str(info.value)


def test_not_an_image_is_an_error(subject, monkeypatch):
    junk = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 40).decode()
    bad = {"candidates": [{"content": {"role": "model", "parts": [
        {"inlineData": {"mimeType": "image/png", "data": junk}}]}, "finishReason": "STOP"}]}
    with FakeServer().reply(200, bad) as server:
        with pytest.raises(EngineError, match="damaged or truncated"):
            engine_for(server, monkeypatch).generate(subject, SPEC, n=1, seed=None)


def test_the_key_never_shows_in_errors_or_logs(subject, monkeypatch, caplog):
    denied = {"error": {"code": 400, "message": f"API key not valid: {KEY}", "status": "INVALID_ARGUMENT"}}
    caplog.set_level(logging.DEBUG)
    with FakeServer().reply(400, denied) as server:
        with pytest.raises(EngineError) as info:
            engine_for(server, monkeypatch).generate(subject, SPEC, n=1, seed=None)
    assert KEY not in str(info.value) and KEY not in caplog.text


def test_missing_key_says_which_variable(subject, monkeypatch):
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    with pytest.raises(CredentialsError, match="set GEMINI_API_KEY or GOOGLE_API_KEY"):
        GeminiEngine().generate(subject, SPEC, n=1, seed=None)


def test_base_url_comes_from_the_setting(subject, monkeypatch):
    with FakeServer().reply(200, ok()) as server:
        monkeypatch.setenv("MINIME_GEMINI_BASE_URL", server.url)
        monkeypatch.setenv("MINIME_GEMINI_IMAGE_MODEL", MODEL)
        monkeypatch.setenv("GEMINI_API_KEY", KEY)
        figures = GeminiEngine(retry_delay=0.02).generate(subject, SPEC, n=1, seed=None)
    assert len(figures) == 1 and server.requests[0].path.endswith(f"{MODEL}:generateContent")


def test_an_injected_client_is_used(subject):
    from google import genai

    with FakeServer().reply(200, ok()) as server:
        client = genai.Client(api_key=KEY, http_options={"base_url": server.url})
        figures = GeminiEngine(client, model=MODEL).generate(subject, SPEC, n=1, seed=None)
    assert len(figures) == 1 and len(server.requests) == 1


def test_a_jpeg_reply_is_accepted(subject, monkeypatch):
    buf = io.BytesIO()
    on_key(portrait_figure()).save(buf, "JPEG", quality=92)
    reply = {"candidates": [{"content": {"role": "model", "parts": [
        {"inlineData": {"mimeType": "image/jpeg", "data": base64.b64encode(buf.getvalue()).decode()}}]},
        "finishReason": "STOP"}]}
    with FakeServer().reply(200, reply) as server:
        fig = engine_for(server, monkeypatch).generate(subject, SPEC, n=1, seed=None)[0]
    assert alpha_of(fig.image)[0, 0] == 0


def test_the_default_model_is_a_generally_available_name():
    from minime.settings import Settings

    model = Settings().gemini_image_model
    assert model in ("gemini-3.1-flash-image", "gemini-3-pro-image") and "preview" not in model


@pytest.mark.parametrize("status, error, needle", [
    (404, {"error": {"code": 404, "status": "NOT_FOUND", "message": "models/gemini-test-image is not found for API "
                     "version v1beta, or is not supported for generateContent."}}, "does not offer"),
    (400, {"error": {"code": 400, "status": "INVALID_ARGUMENT",
                     "message": "Model does not support the requested response modalities: image"}}, "refused"),
])
def test_a_retired_or_wrong_model_names_the_setting(subject, monkeypatch, status, error, needle):
    from minime.engines.cloud import ModelChoiceError

    with FakeServer().reply(status, error) as server:
        with pytest.raises(ModelChoiceError, match=needle) as info:
            engine_for(server, monkeypatch).generate(subject, SPEC, n=1, seed=None)
    message = str(info.value)
    assert f"'{MODEL}'" in message and "MINIME_GEMINI_IMAGE_MODEL" in message and "\n" not in message
    assert len(server.requests) == 1  # not retried


def test_a_guide_goes_beside_the_photo_on_the_key_with_the_instruction(subject, monkeypatch):
    from minime.engines.prompt import GUIDE

    guide = Image.new("RGBA", (100, 160), (0, 0, 0, 0))
    guide.paste((220, 30, 30, 255), (20, 20, 80, 150))
    with FakeServer().reply(200, ok()) as server:
        engine = engine_for(server, monkeypatch)
        engine.guide = guide
        figures = engine.generate(subject, SPEC, n=1, seed=None)
    assert len(figures) == 1
    parts = server.requests[0].json()["contents"][0]["parts"]
    images = [base64.urlsafe_b64decode(p["inlineData"]["data"] + "==") for p in parts if "inlineData" in p]
    assert len(images) == 2 and all(is_clean_png(i) for i in images)
    photo, sent = (Image.open(io.BytesIO(i)) for i in images)
    assert photo.size == subject.image.size and sent.size == guide.size
    assert sent.getpixel((50, 80))[:3] == (220, 30, 30)
    assert sent.getpixel((2, 2))[:3] == (0, 177, 64)  # on the green key the prompt asks for
    prompt = parts[-1]["text"]
    assert GUIDE in prompt and "chroma-key green" in prompt
