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


def members() -> list[Image.Image]:
    """Three head-and-shoulders portraits for group shots (Biden's full-length photo cropped)."""
    biden = load("biden_small.jpg")
    return [load("obama.jpg"), load("astronaut.jpg"), biden.crop((0, 0, biden.width, 380))]


def side_by_side(images: list[Image.Image], height: int, gap: int = 8) -> Image.Image:
    """Paste photos in a row, each scaled to `height`, on a grey canvas."""
    scaled = [im.resize((round(im.width * height / im.height), height), Image.BILINEAR) for im in images]
    width = sum(im.width for im in scaled) + gap * (len(scaled) + 1)
    canvas = Image.new("RGB", (width, height + 2 * gap), (128, 128, 128))
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
    """A smooth two-colour gradient: no face anywhere."""
    x = np.linspace(0, 255, 640, dtype=np.float32)[None, :].repeat(480, axis=0)
    y = np.linspace(255, 0, 480, dtype=np.float32)[:, None].repeat(640, axis=1)
    return Image.fromarray(np.stack([x, y, np.full_like(x, 90.0)], axis=-1).astype(np.uint8))
