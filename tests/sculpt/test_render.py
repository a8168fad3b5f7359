"""The renderer: a golden image of a sculpted head, and the parts every render needs."""

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

GOLDEN = Path(__file__).parents[1] / "golden" / "sculpt-head.png"


def _scene(subject):
    from minime.sculpt.hair import build_hair, fit_hair
    from minime.sculpt.head import build_head

    head = build_head(np.asarray(subject.image), subject.faces[0].landmarks, hair_color=(0.2, 0.16, 0.14))
    return head.parts + fit_hair(build_hair("quiff", (0.2, 0.16, 0.14)), head.skull)


def test_a_sculpted_head_renders_as_its_golden_image(gl, subject):
    from minime.sculpt.render import render

    rgba = render(_scene(subject), height=320, turn=20)
    if os.environ.get("MINIME_UPDATE_GOLDEN") or not GOLDEN.exists():
        Image.fromarray(rgba).save(GOLDEN)
        if not os.environ.get("MINIME_UPDATE_GOLDEN"):
            pytest.fail(f"golden image {GOLDEN.name} was missing and has been written; look at it, run again")
    golden = np.asarray(Image.open(GOLDEN).convert("RGBA"), float)
    assert rgba.shape == golden.shape
    diff = np.abs(rgba.astype(float) - golden)
    assert diff.mean() < 3.0 and np.percentile(diff, 99) < 60


def test_turning_the_figure_turns_the_render(gl, subject):
    from minime.sculpt.render import render

    parts = _scene(subject)
    front, side = render(parts, height=160, turn=0), render(parts, height=160, turn=45)
    # Front-on the head is symmetric left to right; turned it is not.
    def asym(a):
        alpha = a[..., 3].astype(float)
        return np.abs(alpha - alpha[:, ::-1]).mean()
    assert asym(front) < asym(side)
