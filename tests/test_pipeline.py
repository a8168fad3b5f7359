import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import minime
from minime.errors import LookError, PhotoError, SpecError, UnknownNameError

from .conftest import FIXTURES

FONTS = Path(minime.__file__).parent / "box" / "fonts"


@pytest.fixture(scope="module")
def result(gl):  # the sculpt engine's figure: it needs an OpenGL context
    spec = minime.FigureSpec(name="Ada Lovelace", tagline="Countess of Computing", accessories=["laptop", "coffee cup"])
    return minime.make(FIXTURES / "obama.jpg", spec)


def test_make_returns_a_boxed_figure(result):
    assert result.image.size == (1080, 1350)
    assert result.engine == "sculpt" and result.template == "classic" and result.size == "feed"
    assert result.figure.mesh  # the 3D figure travels with the result
    assert set(result.timings) == {"intake", "look", "engine", "pick", "box"}
    alpha = np.asarray(result.figure.image.getchannel("A"))
    assert alpha[0, 0] == 0 and (alpha > 200).mean() > 0.2  # a cut-out, not a rectangle


def test_make_accepts_bytes_pil_and_dicts():
    data = (FIXTURES / "obama.jpg").read_bytes()
    # The studio engine: what is checked here is how the photo and spec are taken, not the engine.
    a = minime.make(data, {"name": "Bo"}, engine="studio", likeness=False)
    b = minime.make(Image.open(io.BytesIO(data)), "Bo", size="square", engine="studio", likeness=False)
    assert a.image.size == (1080, 1350) and b.image.size == (1080, 1080)


def test_rebox_reuses_the_figure(result, no_network):
    again = result.rebox({"name": "Grace Hopper", "color": "navy"}, size="story")
    assert again.figure is result.figure
    assert again.image.size == (1080, 1920)
    assert set(again.timings) == {"box"}
    assert again.spec.name == "Grace Hopper" and result.spec.name == "Ada Lovelace"


def test_the_default_engines_run_with_the_network_blocked(no_network, gl):
    sculpted = minime.make(FIXTURES / "astronaut.jpg", {"name": "Eileen"})
    bust = minime.make(FIXTURES / "astronaut.jpg", {"name": "Eileen"}, engine="studio")
    assert sculpted.engine == "sculpt" and sculpted.figure.mesh and sculpted.image.size == (1080, 1350)
    assert bust.engine == "studio" and bust.figure.mesh is None and bust.image.size == (1080, 1350)


@pytest.mark.parametrize(
    "photo, spec, kwargs, error",
    [
        (b"not an image", {"name": "X"}, {}, PhotoError),
        (FIXTURES / "obama.jpg", {"name": ""}, {}, SpecError),
        (FIXTURES / "obama.jpg", {"name": "X"}, {"engine": "dall-e-9"}, UnknownNameError),
        (FIXTURES / "obama.jpg", {"name": "X"}, {"template": "nope"}, UnknownNameError),
        (FIXTURES / "obama.jpg", {"name": "X"}, {"size": "poster"}, UnknownNameError),
    ],
)
def test_bad_input_is_a_clear_error(photo, spec, kwargs, error):
    with pytest.raises(error) as info:
        minime.make(photo, spec, **kwargs)
    assert "\n" not in str(info.value)


def test_photo_without_a_face_is_refused():
    flat = Image.new("RGB", (400, 400), (120, 160, 200))
    with pytest.raises(LookError, match="no face"):
        minime.make(flat, {"name": "X"})


def test_saved_figure_boxes_again(tmp_path, result):
    fig = result.save_figure(tmp_path / "fig.png")
    from minime.pipeline import box_saved_figure

    again = box_saved_figure(fig, minime.FigureSpec(name="Again"), size="square")
    assert again.image.size == (1080, 1080)


def test_outputs_carry_the_ai_label_and_no_input_metadata(tmp_path, result):
    path = result.save(tmp_path / "box.png")
    with Image.open(path) as img:
        assert "trainedAlgorithmicMedia" in img.info["DigitalSourceType"]
        assert not img.getexif()
    for ext in ("jpg", "webp"):
        with Image.open(result.save(tmp_path / f"box.{ext}")) as img:
            assert img.size == (1080, 1350) and not img.getexif().get(0x8825)  # no GPS


def test_result_has_likeness_and_a_receipt_in_the_file(tmp_path, result):
    assert result.likeness is not None and result.likeness > 60
    r = result.receipt
    assert r.wh > 0 and r.g_co2e > 0 and r.readings
    with Image.open(result.save(tmp_path / "r.png")) as img:
        import json

        meta = json.loads(img.info["minime:receipt"])
        assert meta["wh"] > 0 and meta["g_co2e"] > 0


def test_no_likeness_computes_no_embedding(monkeypatch):
    import minime.look.likeness as likeness

    monkeypatch.setattr(likeness, "embedding", lambda *a, **k: (_ for _ in ()).throw(AssertionError("embedded")))
    r = minime.make(FIXTURES / "obama.jpg", {"name": "X"}, likeness=False, engine="studio")
    assert r.likeness is None


def test_generated_figures_with_no_face_or_stray_text_are_dropped(toy_figure, result):
    from PIL import ImageDraw, ImageFont

    from minime.engines import Figure
    from minime.engines.base import EngineError
    from minime.look import look
    from minime.pipeline import rank

    pytest.importorskip("onnxruntime")
    subject = look(Image.open(FIXTURES / "obama.jpg").convert("RGB"))
    good = result.figure  # a sculpted figure of the same photo
    lettered = good.image.copy()
    font = ImageFont.truetype(str(FONTS / "BebasNeue-Bold.otf"), lettered.width // 7)
    ImageDraw.Draw(lettered).text((lettered.width * 0.15, lettered.height * 0.62), "SUPER SALE", font=font,
                                  fill=(255, 255, 255, 255), stroke_width=2, stroke_fill=(0, 0, 0, 255))
    texty = Figure(lettered, "diffusers", "tiny")

    ranked, notes = rank([toy_figure, texty, good], subject, generated=True)
    assert [c.figure for c in ranked] == [good] and ranked[0].likeness >= 70
    assert notes == ["dropped 2 of 3 figures: 1 with no face, 1 with stray text"]
    with pytest.raises(EngineError, match="none of the 2 figures could be used"):
        rank([toy_figure, texty], subject, generated=True)
    # The studio engine's figures are its photo painted: none is dropped, a lost face ranks last.
    ranked, notes = rank([toy_figure, good], subject)
    assert [c.figure for c in ranked] == [good, toy_figure] and ranked[1].likeness is None and notes == []


def test_a_model_file_draws_no_box_and_ranks_no_single_figure(gl, tmp_path):
    """Only what the output needs: an STL or a figure clip has no box, so none is drawn or ranked."""
    from typer.testing import CliRunner

    from minime.cli import app
    from minime.outputs import OutputOptions, needs_box

    assert not needs_box("stl") and not needs_box("glb") and needs_box("png")
    assert not needs_box("mp4", OutputOptions(clip="figure")) and needs_box("mp4", OutputOptions(clip="unbox"))
    result = minime.make(FIXTURES / "obama.jpg", "Ada", boxed=False)
    assert result.box is None and "box" not in result.timings and "pick" not in result.timings
    assert result.encode("stl")[:5] != b"solid"  # a binary STL, made without a box
    with pytest.raises(minime.MinimeError, match="keeps no box image"):
        result.image  # noqa: B018 - a box was not drawn, and saying so beats a blank image
    out = tmp_path / "ada.stl"
    cli = CliRunner().invoke(app, ["make", str(FIXTURES / "obama.jpg"), "--name", "Ada", "-o", str(out), "--json"])
    assert cli.exit_code == 0, cli.output
    import json

    report = json.loads(cli.output)
    assert "box" not in report["seconds"] and report["width"] is None and out.stat().st_size > 10_000
