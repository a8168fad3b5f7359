"""Cloud consent and the cloud engines from the command line, as a new user runs them (fake servers)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import traceback
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image

import minime
from minime.engines.base import ConsentError, check_consent

from ..conftest import FIXTURES
from .fakes import FakeServer, b64, portrait_figure

pytest.importorskip("openai")

KEY = "sk-test-CLIKEY0123456789"


def _run(*args, env: dict[str, str] | None = None) -> SimpleNamespace:
    """`minime ARGS` as the console script runs it (its `main`, exit code and both streams), in this process:
    the environment is the given one for the run, then restored. An exception that escapes `main` shows as
    a traceback on stderr, as it would in a terminal."""
    from minime.cli import main
    from minime.settings import settings

    full = {**os.environ, **(env or {})}
    for name in ("MINIME_ALLOW_CLOUD", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        if env is None or name not in env:
            full.pop(name, None)
    saved, argv = dict(os.environ), sys.argv
    out, err, code = io.StringIO(), io.StringIO(), 0
    os.environ.clear()
    os.environ.update(full)
    settings.cache_clear()
    sys.argv = ["minime", *args]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except BaseException:  # noqa: BLE001 - shown as the terminal would show it
                traceback.print_exc(file=err)
                code = 1
    finally:
        sys.argv = argv
        os.environ.clear()
        os.environ.update(saved)
        settings.cache_clear()
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _ok(n: int = 1) -> dict:
    return {"created": 1, "data": [{"b64_json": b64(portrait_figure())}] * n}


def test_a_cloud_engine_refuses_without_consent(tmp_path):
    run = _run("make", str(FIXTURES / "obama.jpg"), "--name", "X", "--engine", "openai", "-o", str(tmp_path / "x.png"))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    lines = _lines(run.stderr)
    assert len(lines) == 1 and "OpenAI" in lines[0] and "--allow-cloud" in lines[0]
    assert not (tmp_path / "x.png").exists()


def test_consent_is_checked_before_anything_is_sent(no_network):
    for engine in ("openai", "gemini"):
        with pytest.raises(ConsentError, match="--allow-cloud"):
            minime.make(FIXTURES / "obama.jpg", "X", engine=engine, allow_cloud=False)
    assert check_consent("studio", False) == "" and check_consent("diffusers", False) == ""
    assert check_consent("gemini", True) == "Google Gemini"


def test_openai_through_the_cli_boxes_the_returned_figure(tmp_path):
    out = tmp_path / "ada.png"
    with FakeServer().reply(200, _ok(2)) as server:
        env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.url}
        run = _run("make", str(FIXTURES / "obama.jpg"), "--name", "Ada", "--engine", "openai", "--allow-cloud",
                   "--model", "gpt-image-test", "--variants", "2", "-o", str(out), "--json", env=env)
    assert run.returncode == 0, run.stderr
    notes = [line for line in _lines(run.stderr) if "goes to OpenAI" in line]
    assert len(notes) == 1  # said once
    data = json.loads(run.stdout)
    assert data["engine"] == "openai" and data["model"] == "gpt-image-test"
    assert data["receipt"]["providers"] == ["OpenAI"]
    assert data["likeness"] is not None and len(data["variants"]) == 2
    assert len(server.requests) == 1 and server.requests[0].form()["n"] == b"2"
    with Image.open(out) as img:
        assert img.size == (1080, 1350)
    assert KEY not in run.stdout + run.stderr


def test_the_models_loose_accessories_fill_the_blister_wells_not_the_figure(tmp_path):
    from PIL import ImageDraw

    figure = portrait_figure()
    drawn = Image.new("RGBA", (figure.width + 200, figure.height), (0, 0, 0, 0))
    drawn.alpha_composite(figure)
    d = ImageDraw.Draw(drawn)
    d.rounded_rectangle((500, 60, 610, 190), 10, fill=(200, 30, 30, 255))
    d.polygon([(555, 240), (500, 420), (610, 420)], fill=(150, 120, 80, 255))
    with FakeServer().reply(200, {"created": 1, "data": [{"b64_json": b64(drawn)}]}) as server:
        env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.url}
        run = _run("make", str(FIXTURES / "obama.jpg"), "--name", "Ada", "--engine", "openai", "--allow-cloud",
                   "-a", "coffee mug", "-a", "eiffel tower", "-o", str(tmp_path / "ada.png"), "--json",
                   "--layers", str(tmp_path / "layers"), env=env)
    assert run.returncode == 0, run.stderr
    wells = json.loads(run.stdout)["accessories"]
    assert [(w["text"], w["engine_art"]) for w in wells] == [("coffee mug", True), ("eiffel tower", True)]
    prompt = server.requests[0].form()["prompt"].decode()
    assert 'in this order from top to bottom: "coffee mug", "eiffel tower"' in prompt
    with Image.open(tmp_path / "layers" / "figure.png") as layer:
        assert layer.width < drawn.width - 150  # the pieces are in the wells, not beside the figure too
    with Image.open(tmp_path / "layers" / "accessory-prop-2.png") as tower:  # the second accessory, not in the library
        assert tower.getpixel((tower.width // 2, tower.height * 3 // 4))[:3] == (150, 120, 80)


def test_a_figure_with_someone_elses_face_is_boxed_with_a_warning(tmp_path):
    someone_else = portrait_figure(photo="biden_small.jpg")
    with FakeServer().reply(200, {"created": 1, "data": [{"b64_json": b64(someone_else)}]}) as server:
        env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.url}
        run = _run("make", str(FIXTURES / "obama.jpg"), "--name", "Ada", "--engine", "openai", "--allow-cloud",
                   "-o", str(tmp_path / "ada.png"), env=env)
    assert run.returncode == 0, run.stderr
    assert "note: the figure's face may not read as the person in the photo (likeness " in run.stderr
    assert "try more --variants or another --seed" in run.stderr


def test_best_of_n_drops_figures_with_stray_text_or_no_face(tmp_path):
    from PIL import ImageDraw, ImageFont

    pytest.importorskip("onnxruntime")
    lettered = portrait_figure()
    font = ImageFont.truetype(str(Path(minime.__file__).parent / "box" / "fonts" / "BebasNeue-Bold.otf"), 64)
    ImageDraw.Draw(lettered).text((70, 380), "ACTION", font=font, fill=(255, 230, 0, 255))
    faceless = Image.new("RGBA", (440, 530), (0, 0, 0, 0))
    ImageDraw.Draw(faceless).rounded_rectangle((120, 60, 320, 500), 80, fill=(40, 90, 200, 255))
    reply = {"created": 1, "data": [{"b64_json": b64(img)} for img in (lettered, faceless, portrait_figure())]}
    out = tmp_path / "ada.png"
    with FakeServer().reply(200, reply) as server:
        env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.url}
        run = _run("make", str(FIXTURES / "obama.jpg"), "--name", "Ada", "--engine", "openai", "--allow-cloud",
                   "--variants", "3", "-o", str(out), "--json", env=env)
        assert run.returncode == 0, run.stderr
        data = json.loads(run.stdout)
        assert len(data["variants"]) == 1 and data["likeness"] >= 70
        assert "dropped 2 of 3 figures: 1 with no face, 1 with stray text" in data["warnings"]
        # When every figure has to go, the user is told why, on one line, and nothing is written.
        server.replies.clear()
        server.reply(200, {"created": 1, "data": [{"b64_json": b64(img)} for img in (lettered, faceless)]})
        run = _run("make", str(FIXTURES / "obama.jpg"), "--name", "Ada", "--engine", "openai", "--allow-cloud",
                   "--variants", "2", "-o", str(tmp_path / "none.png"), env=env)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert _lines(run.stderr)[-1].endswith("none of the 2 figures could be used (1 with no face, 1 with stray text); "
                                           "try again with another --seed or more --variants")
    assert not (tmp_path / "none.png").exists()


def test_seed_makes_a_run_again_and_is_reported(tmp_path):
    pytest.importorskip("google.genai")
    from .test_gemini import KEY as GEMINI_KEY
    from .test_gemini import ok

    with FakeServer().reply(200, ok()).reply(200, ok()) as server:
        env = {"GEMINI_API_KEY": GEMINI_KEY, "MINIME_GEMINI_BASE_URL": server.url}
        run = _run("make", str(FIXTURES / "obama.jpg"), "--name", "Ada", "--engine", "gemini", "--allow-cloud",
                   "--seed", "41", "--variants", "2", "-o", str(tmp_path / "ada.png"), "--json", env=env)
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert sorted(v["seed"] for v in data["variants"]) == [41, 42] and data["seed"] in (41, 42)
    assert sorted(r.json()["generationConfig"]["seed"] for r in server.requests) == [41, 42]
    bad = _run("make", str(FIXTURES / "obama.jpg"), "--name", "Ada", "--seed", "-3", "-o", str(tmp_path / "x.png"))
    assert bad.returncode == 2 and "--seed" in bad.stderr and "Traceback" not in bad.stderr
    off = _run("make", str(FIXTURES / "obama.jpg"), "--name", "Ada", "--engine", "studio", "--offload",
               "-o", str(tmp_path / "x.png"))
    last = _lines(off.stderr)[-1]
    assert off.returncode == 2 and len(_lines(off.stderr)) == 1
    assert "the studio engine takes no options (got offload)" in last and "--offload" in last.split(";", 1)[1]


def test_the_setting_gives_consent_too(tmp_path):
    with FakeServer().reply(200, _ok()) as server:
        env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.url, "MINIME_ALLOW_CLOUD": "1"}
        run = _run("make", str(FIXTURES / "obama.jpg"), "--name", "Ada", "--engine", "openai",
                   "-o", str(tmp_path / "a.png"), env=env)
    assert run.returncode == 0, run.stderr
    assert "photo sent to OpenAI" in run.stdout


@pytest.mark.parametrize("status, payload, code, needle", [
    (400, {"error": {"message": "Rejected by the safety system", "code": "moderation_blocked"}}, 2, "safety system refused"),
    (200, {"created": 1, "data": [{"revised_prompt": "Here is a description instead."}]}, 1, "replied without an image"),
])
def test_refusals_and_text_only_replies_are_one_clear_line(tmp_path, status, payload, code, needle):
    with FakeServer().reply(status, payload) as server:
        env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.url}
        run = _run("make", str(FIXTURES / "obama.jpg"), "--name", "Ada", "--engine", "openai", "--allow-cloud",
                   "-o", str(tmp_path / "a.png"), env=env)
    assert run.returncode == code and "Traceback" not in run.stderr
    errors = [line for line in _lines(run.stderr) if line.startswith("error:")]
    assert len(errors) == 1 and needle in errors[0] and KEY not in run.stderr


def test_engine_options_are_checked(tmp_path):
    run = _run("make", str(FIXTURES / "obama.jpg"), "--name", "X", "--engine", "studio", "--model", "big",
               "-o", str(tmp_path / "x.png"))
    assert run.returncode == 2 and "studio engine takes no options" in run.stderr
    run = _run("make", str(FIXTURES / "obama.jpg"), "--name", "X", "--engine", "openai", "--allow-cloud",
               "--lora", "style.safetensors", "-o", str(tmp_path / "x.png"))
    assert run.returncode == 2 and "does not take lora" in run.stderr


def test_engines_lists_what_each_needs():
    run = _run("engines")
    assert run.returncode == 0
    text = run.stdout
    for name, needs in [("studio", "no download"), ("openai", "minime[cloud]"), ("gemini", "GEMINI_API_KEY"),
                        ("diffusers", "minime[local]")]:
        line = next(line for line in text.splitlines() if line.startswith(name))
        assert needs in line
