"""Rasterise an accessory piece to a transparent RGBA image."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import skia
from PIL import Image

from ._plastic import Plastic
from .registry import ACCESSORIES, DRAWERS, PROP

# Pieces are drawn in a 100-unit square and keep within 5..95, which leaves the small margin.


def render_accessory(key: str, size: int, *, tint: tuple[int, int, int] | None = None) -> Image.Image:
    """Draw one accessory as a glossy plastic toy piece.

    Args:
        key: an accessory key from `ACCESSORIES`, or "prop" for the neutral piece.
        size: width and height of the image in pixels (16..4096).
        tint: optional RGB accent for the piece's main coloured part (e.g. a backpack's body).

    Returns:
        An RGBA `PIL.Image.Image` of size x size, the piece centred on a transparent background.
        A fresh copy each call, so callers may modify it.
    """
    if key not in DRAWERS and key != PROP.key:
        valid = ", ".join(sorted(ACCESSORIES))
        raise ValueError(f"unknown accessory {key!r}; valid keys are 'prop' and: {valid}")
    if not isinstance(size, int) or not 16 <= size <= 4096:
        raise ValueError(f"size must be an int from 16 to 4096 pixels, got {size!r}")
    if tint is not None:
        if len(tint) != 3 or not all(isinstance(v, int) and 0 <= v <= 255 for v in tint):
            raise ValueError(f"tint must be an (r, g, b) tuple of ints 0..255, got {tint!r}")
        tint = tuple(tint)  # type: ignore[assignment]
    return _render(key, size, tint).copy()


@lru_cache(maxsize=256)
def _render(key: str, size: int, tint: tuple[int, int, int] | None) -> Image.Image:
    from .catalog import draw_prop

    draw, accent = DRAWERS.get(key, (draw_prop, None))  # type: ignore[arg-type]
    surface = skia.Surface.MakeRaster(
        skia.ImageInfo.Make(size, size, skia.kRGBA_8888_ColorType, skia.kPremul_AlphaType))
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorTRANSPARENT)
    k = size / 100.0
    canvas.scale(k, k)
    draw(Plastic(canvas, k), tint or accent)
    arr = surface.makeImageSnapshot().toarray(colorType=skia.kRGBA_8888_ColorType,
                                               alphaType=skia.kUnpremul_AlphaType)
    return Image.fromarray(np.ascontiguousarray(arr), "RGBA")
