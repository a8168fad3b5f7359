"""Fixtures for the sculpt tests: the test portrait looked at once, and a way to skip without OpenGL."""

from __future__ import annotations

import os

import numpy as np
import pytest
from PIL import Image

from ..conftest import FIXTURES


@pytest.fixture(scope="session")
def subject():
    from minime.look import look

    return look(Image.open(FIXTURES / "obama.jpg").convert("RGB"))


@pytest.fixture(scope="session")
def gl():
    """Skip where no OpenGL context can be made; CI installs Mesa, so there it is a failure."""
    from minime.sculpt.render import available

    reason = available()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; .ci/run must install libegl1 libegl-mesa0 libgl1-mesa-dri")
        pytest.skip(reason)


def group_photo(n: int) -> Image.Image:
    """n portraits side by side, as one group photo."""
    files = ["obama.jpg", "astronaut.jpg", "biden_small.jpg", "obama.jpg"][:n]
    ims = [Image.open(FIXTURES / f).convert("RGB") for f in files]
    h = 640
    ims = [im.resize((round(im.width * h / im.height), h)) for im in ims]
    out = Image.new("RGB", (sum(im.width for im in ims), h))
    x = 0
    for im in ims:
        out.paste(im, (x, 0))
        x += im.width
    return out


def face_count(rgba: Image.Image) -> int:
    from minime.look.faces import detect_faces
    from minime.look.likeness import on_backdrop

    return len(detect_faces(np.asarray(on_backdrop(rgba))))
