"""Stray text: printed words are found where they were drawn, on a plain image and on an RGBA figure;
photos, gradients and plain silhouettes carry none."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from minime.errors import MissingExtraError
from minime.look import text

from .conftest import FIXTURES, load

BOX = Path(text.__file__).resolve().parent.parent / "box"
FONTS = BOX / "fonts"


def _write(image: Image.Image, words: str, at: tuple[int, int], font: str, size: int,
           fill: tuple[int, ...]) -> tuple[int, int, int, int]:
    """Draw `words` on `image`; returns where the letters are."""
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(str(FONTS / font), size)
    draw.text(at, words, font=face, fill=fill)
    return draw.textbbox(at, words, font=face)


def _figure() -> Image.Image:
    """A studio-engine figure: RGBA, transparent around it."""
    with Image.open(BOX / "assets" / "sample-figure.png") as image:
        return image.convert("RGBA")


def _oval() -> Image.Image:
    """The Obama portrait inside an oval, transparent around it: a plain silhouette on the backdrop."""
    figure = load("obama.jpg").convert("RGBA")
    alpha = Image.new("L", figure.size, 0)
    ImageDraw.Draw(alpha).ellipse((40, 20, figure.width - 40, figure.height - 10), fill=255)
    figure.putalpha(alpha)
    return figure


def _covers(box, where) -> bool:
    """The found box overlaps most of the drawn letters."""
    x0, y0 = max(box[0], where[0]), max(box[1], where[1])
    x1, y1 = min(box[2], where[2]), min(box[3], where[3])
    drawn = (where[2] - where[0]) * (where[3] - where[1])
    return x1 > x0 and y1 > y0 and (x1 - x0) * (y1 - y0) >= 0.8 * drawn


def test_words_on_a_plain_image():
    image = Image.new("RGB", (640, 480), (236, 226, 208))
    where = _write(image, "ACME TOYS", (180, 300), "BebasNeue-Bold.otf", 48, (40, 30, 120))
    boxes = text.text_boxes(image)
    assert len(boxes) == 1
    assert _covers(boxes[0], where) and 0.75 <= boxes[0][4] <= 1.0
    assert text.has_text(image)
    assert not text.has_text(image, min_height_fraction=0.25)


def test_words_on_an_rgba_figure():
    figure = _figure()
    where = _write(figure, "ACME", (60, 250), "Inter-Bold.otf", 24, (255, 255, 255, 255))
    boxes = text.text_boxes(figure)
    assert len(boxes) == 1 and _covers(boxes[0], where)
    assert text.has_text(figure)


def test_figures_without_words():
    assert not text.has_text(_figure())
    assert text.text_boxes(_oval()) == []  # the detector alone takes the oval for a giant "O"


@pytest.mark.parametrize("name", ["obama.jpg", "obama_full.jpg", "biden_small.jpg", "astronaut.jpg", "no_face.png"])
def test_photos_without_words(name):
    with Image.open(FIXTURES / name) as image:
        assert not text.has_text(image)


def test_one_glyph_is_not_stray_text():
    """A lone letter-like shape (a cuff, a button, a fold) is not text; two letters are."""
    image = Image.new("RGB", (640, 480), (236, 226, 208))
    _write(image, "V", (280, 180), "Inter-Bold.otf", 90, (30, 30, 30))
    assert not text.has_text(image)
    _write(image, "VR", (280, 330), "Inter-Bold.otf", 60, (30, 30, 30))
    assert text.has_text(image)


def test_gradient_and_plain_shapes(gradient):
    assert text.text_boxes(gradient) == []
    shapes = Image.new("RGBA", (512, 512), (0, 0, 0, 0))
    draw = ImageDraw.Draw(shapes)
    draw.ellipse((60, 80, 200, 300), fill=(200, 40, 40, 255))
    draw.rectangle((300, 150, 420, 400), fill=(40, 60, 200, 255))
    assert not text.has_text(shapes)


def test_missing_model_is_one_line():
    with pytest.raises(MissingExtraError, match="pip install") as err:
        text._model_path("rapidocr/models/no-such-model.onnx")
    assert "\n" not in str(err.value)
