"""The openai engine through the real `openai` SDK against a fake Images API on 127.0.0.1."""

from __future__ import annotations

import base64
import logging

import pytest
from PIL import Image

from minime.engines.base import EngineError, RefusedError
from minime.engines.cloud import CredentialsError
from minime.engines.openai import OpenAIEngine
from minime.errors import MinimeError
from minime.spec import build_spec

from .fakes import FakeServer, alpha_of, b64, is_clean_png, portrait_figure

openai = pytest.importorskip("openai")

KEY = "sk-test-SECRETSECRET123456"
SPEC = build_spec(name="Ada Lovelace", outfit="red hoodie", accessories=["laptop"])


def ok(n: int = 1, image: Image.Image | None = None) -> dict:
    data = b64(image or portrait_figure())
    return {"created": 1, "background": "transparent", "output_format": "png", "data": [{"b64_json": data}] * n}


def engine_for(server: FakeServer, *, timeout: float = 10.0, max_retries: int = 2, **kw) -> OpenAIEngine:
    client = openai.OpenAI(api_key=KEY, base_url=server.url, timeout=timeout, max_retries=max_retries)
    return OpenAIEngine(client, model="gpt-image-test", **kw)


def test_success_sends_a_clean_png_and_returns_a_transparent_figure(subject):
    with FakeServer().reply(200, ok()) as server:
        figures = engine_for(server).generate(subject, SPEC, n=1, seed=7)
    assert len(figures) == 1
    fig = figures[0]
    assert fig.image.mode == "RGBA" and fig.engine == "openai" and fig.model == "gpt-image-test"
    alpha = alpha_of(fig.image)
    assert alpha[0, 0] == 0 and alpha[alpha.shape[0] // 2, alpha.shape[1] // 2] == 255
    request = server.requests[0]
    assert request.path == "/images/edits"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    form = request.form()
    assert form["model"] == b"gpt-image-test" and form["n"] == b"1"
    assert form["background"] == b"transparent" and form["output_format"] == b"png"
    assert form["input_fidelity"] == b"high"
    assert b"Ada" not in form["prompt"] and b"red hoodie" in form["prompt"]
    assert is_clean_png(form["image"])  # pixels only: no EXIF, ICC or text chunk of the user's photo
    assert Image.open(__import__("io").BytesIO(form["image"])).size == subject.image.size


def test_n_candidates_come_from_one_request(subject):
    with FakeServer().reply(200, ok(3)) as server:
        figures = engine_for(server).generate(subject, SPEC, n=3, seed=None)
    assert len(figures) == 3 and len(server.requests) == 1
    assert server.requests[0].form()["n"] == b"3"


def test_moderation_block_is_the_users_to_fix(subject):
    error = {"error": {"message": "Your request was rejected by the safety system.", "type": "image_generation_user_error",
                       "param": None, "code": "moderation_blocked"}}
    with FakeServer().reply(400, error) as server:
        with pytest.raises(RefusedError, match="OpenAI's safety system refused") as info:
            engine_for(server).generate(subject, SPEC, n=1, seed=None)
    assert isinstance(info.value, MinimeError) and "\n" not in str(info.value)
    assert len(server.requests) == 1  # a refusal is not retried


def test_429_is_retried_then_succeeds(subject):
    limited = {"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}}
    with FakeServer().reply(429, limited, headers={"retry-after-ms": "20"}).reply(200, ok()) as server:
        figures = engine_for(server).generate(subject, SPEC, n=1, seed=None)
    assert len(figures) == 1 and len(server.requests) == 2


def test_5xx_retries_are_bounded(subject):
    with FakeServer().reply(503, {"error": {"message": "overloaded"}}, headers={"retry-after-ms": "10"}) as server:
        with pytest.raises(EngineError, match=r"HTTP 503\) after 2 retries"):
            engine_for(server, max_retries=2).generate(subject, SPEC, n=1, seed=None)
    assert len(server.requests) == 3


def test_timeout_is_one_clear_line(subject):
    with FakeServer().reply(200, ok(), delay=1.5) as server:
        with pytest.raises(EngineError, match=r"OpenAI did not answer within 0.3 s \(tried 1 times\)"):
            engine_for(server, timeout=0.3, max_retries=0).generate(subject, SPEC, n=1, seed=None)


def test_text_only_reply_is_an_error(subject):
    reply = {"created": 1, "data": [{"revised_prompt": "I can only describe this image."}]}
    with FakeServer().reply(200, reply) as server:
        with pytest.raises(EngineError, match="OpenAI replied without an image: I can only describe"):
            engine_for(server).generate(subject, SPEC, n=1, seed=None)


def test_plain_text_reply_is_an_error(subject):
    with FakeServer().reply(200, text="Sorry, I cannot help with that.") as server:
        with pytest.raises(EngineError, match="OpenAI"):
            engine_for(server).generate(subject, SPEC, n=1, seed=None)


def test_corrupt_base64_is_an_error(subject):
    with FakeServer().reply(200, {"created": 1, "data": [{"b64_json": "not base64 at all!!"}]}) as server:
        with pytest.raises(EngineError, match=r"OpenAI returned a damaged image \(bad base64\)"):
            engine_for(server).generate(subject, SPEC, n=1, seed=None)


def test_truncated_png_is_an_error(subject):
    whole = base64.b64decode(b64(portrait_figure()))
    cut = base64.b64encode(whole[: len(whole) // 2]).decode()
    with FakeServer().reply(200, {"created": 1, "data": [{"b64_json": cut}]}) as server:
        with pytest.raises(EngineError, match="damaged or truncated"):
            engine_for(server).generate(subject, SPEC, n=1, seed=None)


def test_one_broken_candidate_of_two_is_dropped(subject):
    good = b64(portrait_figure())
    with FakeServer().reply(200, {"created": 1, "data": [{"b64_json": "%%%"}, {"b64_json": good}]}) as server:
        figures = engine_for(server).generate(subject, SPEC, n=2, seed=None)
    assert len(figures) == 1


def test_input_fidelity_is_dropped_once_when_the_model_refuses_it(subject):
    error = {"error": {"message": "input_fidelity is not supported for this model", "param": "input_fidelity",
                       "code": "unsupported_parameter", "type": "invalid_request_error"}}
    with FakeServer().reply(400, error).reply(200, ok()) as server:
        figures = engine_for(server).generate(subject, SPEC, n=1, seed=None)
    assert len(figures) == 1
    assert "input_fidelity" in server.requests[0].form() and "input_fidelity" not in server.requests[1].form()


def test_the_key_never_shows_in_errors_or_logs(subject, caplog):
    error = {"error": {"message": f"Incorrect API key provided: {KEY}.", "type": "invalid_request_error",
                       "code": "invalid_api_key"}}
    caplog.set_level(logging.DEBUG)
    with FakeServer().reply(401, error) as server:
        with pytest.raises(EngineError, match="rejected the API key") as info:
            engine_for(server).generate(subject, SPEC, n=1, seed=None)
    assert KEY not in str(info.value) and KEY not in caplog.text
    bad_request = {"error": {"message": f"bad things with {KEY}", "code": "invalid_value"}}
    with FakeServer().reply(400, bad_request) as server:
        with pytest.raises(EngineError) as info:
            engine_for(server).generate(subject, SPEC, n=1, seed=None)
    assert KEY not in str(info.value) and "[redacted]" in str(info.value)


def test_environment_configures_the_client(subject, monkeypatch):
    with FakeServer().reply(200, ok()) as server:
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        figures = OpenAIEngine(model="gpt-image-test").generate(subject, SPEC, n=1, seed=None)
    assert len(figures) == 1 and server.requests[0].headers["authorization"] == f"Bearer {KEY}"


def test_missing_key_says_which_variable(subject, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(CredentialsError, match="set OPENAI_API_KEY"):
        OpenAIEngine().generate(subject, SPEC, n=1, seed=None)


def test_default_model_is_offered_by_the_installed_sdk():
    from typing import get_args

    from openai.types.image_model import ImageModel

    from minime.settings import Settings

    model = Settings().openai_image_model
    assert model in get_args(ImageModel) and model not in ("gpt-image-1", "dall-e-2", "dall-e-3")


TRANSPARENCY_REFUSED = {"error": {"message": "Transparent background is not supported for this model.",
                                  "type": "invalid_request_error", "param": "background", "code": None}}


def test_a_refused_transparent_background_is_asked_again_once_on_the_key(subject):
    from .fakes import on_key

    keyed = on_key(portrait_figure()).convert("RGBA")
    with FakeServer().reply(400, TRANSPARENCY_REFUSED).reply(200, ok(image=keyed)) as server:
        engine = engine_for(server)
        figures = engine.generate(subject, SPEC, n=1, seed=None)
        first, second = (r.form() for r in server.requests)
        assert first["background"] == b"transparent" and second["background"] == b"opaque"
        assert b"transparent background" in first["prompt"] and b"chroma-key" in second["prompt"]
        assert figures[0].prompt.encode() == second["prompt"] and figures[0].requests == 2
        alpha = alpha_of(figures[0].image)
        assert alpha[0, 0] == 0 and alpha[alpha.shape[0] // 2, alpha.shape[1] // 2] == 255  # the key was cut out
        engine.generate(subject, SPEC, n=1, seed=None)  # the engine remembers: no refused request again
    assert len(server.requests) == 3 and server.requests[2].form()["background"] == b"opaque"


def test_a_second_refusal_is_not_asked_again(subject):
    with FakeServer().reply(400, TRANSPARENCY_REFUSED) as server:
        with pytest.raises(MinimeError, match="does not take the background") as info:
            engine_for(server).generate(subject, SPEC, n=1, seed=None)
    assert len(server.requests) == 2 and "MINIME_OPENAI_IMAGE_MODEL" in str(info.value)


def test_a_refused_transparent_background_counts_both_requests_on_the_receipt(subject, monkeypatch):
    from minime.pipeline import make

    from .fakes import on_key

    keyed = on_key(portrait_figure()).convert("RGBA")
    with FakeServer().reply(400, TRANSPARENCY_REFUSED).reply(200, ok(image=keyed)) as server:
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        result = make(__import__("tests.conftest", fromlist=["FIXTURES"]).FIXTURES / "obama.jpg", "Ada",
                      engine="openai", allow_cloud=True, engine_options={"model": "gpt-image-test"})
    cloud = [r for r in result.receipt.readings if r.method == "cloud-estimate"]
    assert len(server.requests) == 2 and "OpenAI: 2 image(s)" in cloud[0].note


@pytest.mark.parametrize("status, error", [
    (400, {"error": {"message": "Invalid value: 'gpt-image-9'. Supported values are: 'gpt-image-2'.",
                     "type": "invalid_request_error", "param": "model", "code": "invalid_value"}}),
    (404, {"error": {"message": "The model `gpt-image-9` does not exist or you do not have access to it.",
                     "type": "invalid_request_error", "param": None, "code": "model_not_found"}}),
])
def test_a_model_the_api_does_not_offer_names_the_setting(subject, status, error):
    from minime.engines.cloud import ModelChoiceError

    with FakeServer().reply(status, error) as server:
        with pytest.raises(ModelChoiceError) as info:
            engine_for(server).generate(subject, SPEC, n=1, seed=None)
    message = str(info.value)
    assert "'gpt-image-test'" in message and "MINIME_OPENAI_IMAGE_MODEL" in message and "\n" not in message
    assert len(server.requests) == 1


def test_another_refused_parameter_is_named_with_the_setting(subject):
    from minime.engines.cloud import ModelChoiceError

    error = {"error": {"message": "Invalid size '1024x1536'. Supported sizes are 1024x1024.",
                       "type": "invalid_request_error", "param": "size", "code": "invalid_value"}}
    with FakeServer().reply(400, error) as server:
        with pytest.raises(ModelChoiceError, match=r"does not take the size .*MINIME_OPENAI_IMAGE_MODEL"):
            engine_for(server).generate(subject, SPEC, n=1, seed=None)
    assert len(server.requests) == 1


def test_a_guide_goes_beside_the_photo_with_the_instruction(subject):
    from minime.engines.prompt import GUIDE

    guide = Image.new("RGBA", (120, 200), (0, 0, 0, 0))
    guide.paste((200, 40, 40, 255), (30, 20, 90, 190))
    calls = []

    def render(subj, spec):
        calls.append((subj, spec))
        return guide

    with FakeServer().reply(200, ok()) as server:
        figures = engine_for(server, guide=render).generate(subject, SPEC, n=1, seed=None)
    assert len(figures) == 1 and calls == [(subject, SPEC)]
    request = server.requests[0]
    photo, sent = request.parts("image[]")
    assert Image.open(__import__("io").BytesIO(photo)).size == subject.image.size
    sent = Image.open(__import__("io").BytesIO(sent))
    assert sent.size == guide.size and sent.mode == "RGBA" and sent.getpixel((60, 100)) == (200, 40, 40, 255)
    prompt = request.form()["prompt"].decode()
    assert GUIDE in prompt and "Pose: as in the render" in prompt and is_clean_png(photo)
