import numpy as np
import pytest
from PIL import Image, ImageFilter

import minime
from minime.look.quality import quality

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def figure() -> Image.Image:
    return minime.make(FIXTURES / "obama.jpg", {"name": "Q"}, engine="studio",
                       likeness=False).figure.image


def test_a_clean_studio_figure_scores_high(figure):
    assert quality(figure) >= 85


def test_blur_clipping_flat_paint_and_stray_bits_cost_points(figure):
    clean = quality(figure)
    blurred = figure.filter(ImageFilter.GaussianBlur(6))
    rgba = np.asarray(figure).copy()
    rgba[..., :3] = np.clip(rgba[..., :3].astype(int) * 3, 0, 255)
    burnt = Image.fromarray(rgba.astype(np.uint8))
    rgba = np.asarray(figure).copy()
    rgba[..., :3] = 128
    flat = Image.fromarray(rgba)
    stray = figure.copy()
    for x in range(0, figure.width - 50, 90):  # bits of background left around the figure
        stray.alpha_composite(Image.new("RGBA", (40, 40), (200, 60, 60, 255)), (x, 0))
    for worse in (blurred, burnt, flat, stray):
        assert quality(worse) < clean - 8, quality(worse)


def test_nothing_to_judge_scores_zero():
    assert quality(Image.new("RGBA", (200, 200), (0, 0, 0, 0))) == 0.0
