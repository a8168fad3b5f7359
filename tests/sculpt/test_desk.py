"""The desk-figurine scene: a photo-like 3D scene whose only text is the name on the box."""

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from minime.sculpt.mesh import Part, outward, uv_sphere
from minime.sculpt.scene import plinth

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
