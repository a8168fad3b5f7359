"""Photos for the look tests: the fixture portraits and synthetic group shots made from them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PORTRAITS = ["obama.jpg", "astronaut.jpg", "biden_small.jpg"]


def load(name: str) -> Image.Image:
    with Image.open(FIXTURES / name) as im:
        return im.convert("RGB")


def side_by_side(images: list[Image.Image], height: int, gap: int = 8) -> Image.Image:
    """Paste photos in a row, each scaled to `height`, on a grey canvas."""
    scaled = [im.resize((round(im.width * height / im.height), height), Image.BILINEAR) for im in images]
    canvas = Image.new("RGB", (sum(im.width for im in scaled) + gap * (len(scaled) + 1), height + 2 * gap), (128, 128, 128))
    x = gap
    for im in scaled:
        canvas.paste(im, (x, gap))
        x += im.width + gap
    return canvas


@pytest.fixture(scope="session")
def portraits() -> dict[str, Image.Image]:
    return {name: load(name) for name in PORTRAITS + ["camera.png"]}


@pytest.fixture(scope="session")
def gradient() -> Image.Image:
    ramp = np.linspace(0, 255, 640, dtype=np.float32)
    rgb = np.stack([np.broadcast_to(ramp[None, :], (480, 640)), np.broadcast_to(ramp[::-1, None][:480], (480, 640)), np.full((480, 640), 90.0)], axis=-1)
    return Image.fromarray(rgb.astype(np.uint8))
