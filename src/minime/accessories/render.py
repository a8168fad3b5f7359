"""Rasterise an accessory piece to a transparent RGBA image."""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np
import skia
from PIL import Image

from ._plastic import Color, Plastic
from .catalogue import draw_prop
from .emoji import emoji_pieces, render_emoji
from .registry import ACCESSORIES, DRAWERS, PROP

MARGIN = 0.06  # clear border on every side, as a fraction of the size
_PROBE = 128  # pixels; the size at which a piece's silhouette is measured for fitting


def render_accessory(key: str, size: int, *, tint: tuple[int, int, int] | None = None) -> Image.Image:
    """Draw one accessory as a glossy plastic toy piece.

    Args:
        key: an accessory key from `ACCESSORIES`, or "prop" for the neutral piece.
        size: width and height of the image in pixels (16..4096).
        tint: optional RGB accent for the piece's main coloured part (e.g. a backpack's body).

    Returns:
        An RGBA `PIL.Image.Image` of size x size: the piece scaled to fill the square less a small margin,
        centred, on a transparent background. A fresh copy each call, so callers may modify it.
    """
    if key not in DRAWERS and key != PROP.key and key not in emoji_pieces():
        from minime.errors import did_you_mean

        hint = did_you_mean(key, list(ACCESSORIES) + list(emoji_pieces()))
        raise ValueError(f"unknown accessory {key!r}{hint}; valid keys are 'prop', the drawn pieces "
                         f"({', '.join(sorted(ACCESSORIES))}) and the emoji pieces (`minime accessories`)")
    if isinstance(size, bool) or not isinstance(size, int) or not 16 <= size <= 4096:
        raise ValueError(f"size must be an int from 16 to 4096 pixels, got {size!r}")
    if tint is not None:
        tint = tuple(tint)  # type: ignore[assignment]
        if len(tint) != 3 or not all(isinstance(v, int) and 0 <= v <= 255 for v in tint):
            raise ValueError(f"tint must be an (r, g, b) tuple of ints 0..255, got {tint!r}")
    if key not in DRAWERS and key in emoji_pieces():
        return _render_emoji(key, size).copy()  # moulded in its own colours: a tint would muddy the art
    return _render(key, size, tint).copy()


@lru_cache(maxsize=128)
def _render_emoji(key: str, size: int) -> Image.Image:
    return render_emoji(key, size, MARGIN)


def drawer(key: str):
    """The drawn piece's (draw function, default accent); "prop" gives the neutral piece."""
    if key == PROP.key:
        return draw_prop, None
    return DRAWERS[key]


def _draw(key: str, size: int, tint: Color | None, matrix: skia.Matrix, ppu: float) -> np.ndarray:
    draw, accent = drawer(key)
    surface = skia.Surface.MakeRaster(
        skia.ImageInfo.Make(size, size, skia.kRGBA_8888_ColorType, skia.kPremul_AlphaType))
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorTRANSPARENT)
    canvas.concat(matrix)
    draw(Plastic(canvas, ppu), tint or accent)
    return surface.makeImageSnapshot().toarray(colorType=skia.kRGBA_8888_ColorType,
                                               alphaType=skia.kUnpremul_AlphaType)


@cache
def drawn_bounds(key: str) -> tuple[float, float, float, float]:
    """The piece's visible extent in design units (left, top, right, bottom); tint never changes it."""
    # Draw the 100-unit space into the middle of a larger probe so overhanging parts are measured too.
    pad = 0.25
    k = _PROBE / (100 * (1 + 2 * pad))
    m = skia.Matrix.Scale(k, k)
    m.postTranslate(_PROBE * pad / (1 + 2 * pad), _PROBE * pad / (1 + 2 * pad))
    alpha = _draw(key, _PROBE, None, m, k)[..., 3]
    ys, xs = np.nonzero(alpha > 8)
    off = 100 * pad
    return (xs.min() / k - off, ys.min() / k - off, (xs.max() + 1) / k - off, (ys.max() + 1) / k - off)


@lru_cache(maxsize=256)
def _render(key: str, size: int, tint: Color | None) -> Image.Image:
    left, top, right, bottom = drawn_bounds(key)
    k = size * (1 - 2 * MARGIN) / max(right - left, bottom - top)
    m = skia.Matrix.Translate(-(left + right) / 2, -(top + bottom) / 2)
    m.postScale(k, k)
    m.postTranslate(size / 2, size / 2)
    arr = _draw(key, size, tint, m, k)
    return Image.fromarray(np.ascontiguousarray(arr), "RGBA")
