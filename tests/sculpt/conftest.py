"""Fixtures for the sculpt tests: the test portrait looked at once, and a group photo."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from ..conftest import FIXTURES


@pytest.fixture(scope="session")
def subject():
    from minime.look import look

    return look(Image.open(FIXTURES / "obama.jpg").convert("RGB"))


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
