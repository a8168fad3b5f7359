"""The desk-figurine scene: a photo-like 3D scene whose only text is the name on the box."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from minime.sculpt.mesh import Part, outward, uv_sphere
from minime.sculpt.scene import plinth

from ..conftest import assert_matches_golden

FONT = "src/minime/box/fonts/BebasNeue-Bold.otf"


def _figure():
    v, f = uv_sphere(12, 16)
    body = Part("torso", v * np.float32([0.4, 1.0, 0.3]) + np.float32([0, 1.3, 0]), outward(v, f), (0.8, 0.2, 0.1))
    head = Part("head", v * 0.45 + np.float32([0, 2.7, 0]), outward(v, f), (0.9, 0.7, 0.6), "skin")
    return [body, head, plinth(0.7, 0.7, 0.28, (0.1, 0.1, 0.1))]


def _box():
    img = Image.new("RGB", (600, 900), (200, 30, 40))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 600, 220), fill=(250, 250, 250))
    d.text((300, 110), "ADA", font=ImageFont.truetype(FONT, 170), fill=(20, 20, 20), anchor="mm")
    return img


def test_desk_scene_reads_the_name_on_the_box(gl, ocr):
    from minime.sculpt.desk import desk_scene

    scene = desk_scene(_figure(), _box(), 720, 900)
    assert scene.size == (720, 900) and scene.mode == "RGB"
    w, h = scene.size
    box = scene.crop((int(w * 0.55), int(h * 0.28), int(w * 0.97), int(h * 0.39)))  # the box's header
    assert "ADA" in ocr(box).upper()


def test_desk_template_shows_the_figure_beside_its_classic_box(gl, ocr):
    from minime.box.render import render
    from minime.engines import Figure
    from minime.spec import build_spec

    figure = Figure(Image.new("RGBA", (64, 64)), "sculpt", mesh=_figure())
    box = render(figure, build_spec(name="Ada", template="desk", color="#c0392b"), template="desk", width=720, height=900)
    assert box.template == "desk" and box.image.size == (720, 900) and not box.warnings
    w, h = box.image.size
    header = box.image.crop((int(w * 0.52), int(h * 0.26), int(w * 0.99), int(h * 0.42)))
    assert "ADA" in ocr(header).upper()
    # The back and the designers' layers are the classic card's own.
    back = render(figure, build_spec(name="Ada"), template="desk", width=720, height=900, side="back")
    assert back.template == "desk" and back.image.size == (720, 900)


def test_desk_template_needs_a_mesh():
    from minime.box.render import render
    from minime.engines import Figure
    from minime.errors import MinimeError
    from minime.spec import build_spec

    picture = Figure(Image.new("RGBA", (64, 64)), "studio")
    with pytest.raises(MinimeError, match="sculpt"):
        render(picture, build_spec(name="Ada"), template="desk", width=720, height=900)


GOLDEN = Path(__file__).parents[1] / "golden" / "desk-scene.png"


def test_desk_scene_renders_as_its_golden_image(gl):
    from minime.sculpt.desk import desk_scene

    scene = np.asarray(desk_scene(_figure(), _box(), 360, 450), float)
    assert_matches_golden(scene, GOLDEN)


def test_the_acrylic_base_shows_the_desk_through_it(gl):
    """A clear part is blended over what is behind it: red behind it reads red, not the acrylic's grey."""
    from minime.sculpt.desk import _disc, _slab
    from minime.sculpt.turntable import Camera, render_turns

    wall = _slab("wall", -1, 1, -1, 1, -0.6, -0.5, (0.9, 0.05, 0.05))
    disc = _disc(0.5, 0.2, -0.1, (0.62, 0.68, 0.72))
    cam = Camera((0.0, 0.0, 4.0), (0.0, 0.0, 0.0), 30.0)
    both, grey = render_turns([wall, disc], [0.0], 96, 96, camera=cam)[0], render_turns([disc], [0.0], 96, 96, camera=cam)[0]
    centre = both[40:56, 40:56, :3].astype(float).mean((0, 1))
    assert centre[0] > centre[1] + 60 and centre[0] > centre[2] + 60  # the red wall shows through
    assert grey[48, 48, 3] < 200  # alone, the acrylic is mostly see-through
