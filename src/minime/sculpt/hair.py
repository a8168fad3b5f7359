"""Sculpted hair: building a style's pieces, fitting them to a head, and picking a style from the photo.

The styles are entries in `recipe.HAIR_STYLES` (see hair_styles.py); each is made of solid shells that
hug the skull (hair_shell.py) and extra closed pieces. A style is picked by matching the photo's hair
against each style's front-view outline.

Head space: origin at the skull's centre, y up, face toward +z, x to the viewer's right, 1 unit = head height.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from .hair_shell import INNER, SKULL, in_face
from .mesh import Part
from .recipe import HAIR_STYLES, hair_style

__all__ = ["GRID", "INNER", "SKULL", "STYLES", "build_hair", "choose_style", "fit_hair", "in_face", "outline",
           "render_outline"]

STYLES = HAIR_STYLES  # the registry: every style's name, in order
GRID = (160, 128)


def _parts_from(pieces):
    """Each (vertices, faces, shade) piece as compact arrays."""
    return [(np.asarray(v, np.float32), np.asarray(f, np.int32), np.asarray(sh, np.float32)) for v, f, sh in pieces]


@lru_cache(maxsize=64)
def _geometry(style: str, seed: int):
    entry = hair_style(style)
    return tuple(_parts_from(entry.make(seed, list(HAIR_STYLES).index(style))))


def build_hair(style: str, color: tuple[float, float, float], *, seed: int = 0) -> list[Part]:
    """The sculpted hair of one style, painted.

    Args:
        style: a name in STYLES.
        color: the hair's paint, sRGB in [0, 1]; grooves between locks get a darker shade of it.
        seed: varies small details (lock wobble, curl placement, loc lengths); the same seed gives the same hair.

    Returns:
        Closed parts in head space with material "hair".

    Raises:
        UnknownNameError: an unknown style.
    """
    hair_style(style)
    paint = np.clip(np.asarray(color, np.float32), 0, 1)
    parts = []
    for i, (v, f, shade) in enumerate(_geometry(style, int(seed))):
        parts.append(Part("hair" if i == 0 else f"hair-{i}", v.copy(), f.copy(), shade[:, None] * paint,
                          "hair", meta={"style": style}))
    return parts


def fit_hair(parts: list[Part], skull: tuple[float, float, float]) -> list[Part]:
    """Hair made for the standard skull (SKULL), stretched onto a head whose skull has these semi-axes."""
    scale = np.diag([skull[0] / SKULL[0], skull[1] / SKULL[1], skull[2] / SKULL[2]])
    return [p.transformed(scale) for p in parts]


# ---------------------------------------------------------------- the front view, and picking a style

def _cell_centres():
    rows, cols = GRID
    x = -1.2 + (np.arange(cols) + 0.5) * 2.4 / cols
    y = 1.0 - (np.arange(rows) + 0.5) * 3.0 / rows
    return np.meshgrid(x, y)


def _head_depth() -> np.ndarray:
    """The z of the head's (skull and neck) front surface per grid cell; -inf where the head is not."""
    x, y = _cell_centres()
    q = 1 - (x / SKULL[0]) ** 2 - (y / SKULL[1]) ** 2
    skull = np.where(q > 0, SKULL[2] * np.sqrt(np.maximum(q, 0)) + 0.06 * (q > 0), -np.inf)
    neck = np.where((np.abs(x) < 0.17) & (y < -0.35), -0.05 + np.sqrt(np.maximum(0.17**2 - x**2, 0)), -np.inf)
    return np.maximum(skull, neck)


def _rasterize_depth(v: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Nearest z per grid cell of triangles seen from the front (orthographic along -z)."""
    rows, cols = GRID
    cx = (v[:, 0] + 1.2) * cols / 2.4 - 0.5
    cy = (1.0 - v[:, 1]) * rows / 3.0 - 0.5
    tri = np.stack([cx[f], cy[f], v[f, 2]], -1)  # (m, 3 corners, 3)
    lo = np.floor(tri[:, :, :2].min(1)).astype(int) + 1
    hi = np.floor(tri[:, :, :2].max(1)).astype(int)
    zbuf = np.full(GRID, -np.inf)
    win = 6
    big = np.any(hi - lo >= win, axis=1)
    groups = [(np.nonzero(~big)[0], win)] + [(np.array([i]), int(max(hi[i] - lo[i]) + 1)) for i in np.nonzero(big)[0]]
    for idx, w in groups:
        if len(idx) == 0:
            continue
        t = tri[idx]
        ox, oy = np.meshgrid(np.arange(w), np.arange(w))
        px = lo[idx, 0][:, None] + ox.ravel()[None]
        py = lo[idx, 1][:, None] + oy.ravel()[None]
        (x0, y0, z0), (x1, y1, z1), (x2, y2, z2) = [t[:, k, :].T[:, :, None] for k in range(3)]
        den = (y1 - y2) * (x0 - x2) + (x2 - x1) * (y0 - y2)
        ok = np.abs(den) > 1e-12
        den = np.where(ok, den, 1.0)
        a = ((y1 - y2) * (px - x2) + (x2 - x1) * (py - y2)) / den
        b = ((y2 - y0) * (px - x2) + (x0 - x2) * (py - y2)) / den
        c = 1 - a - b
        hit = ok & (a >= -1e-6) & (b >= -1e-6) & (c >= -1e-6) & (px >= 0) & (px < cols) & (py >= 0) & (py < rows)
        z = a * z0 + b * z1 + c * z2
        np.maximum.at(zbuf, (py[hit], px[hit]), z[hit])
    return zbuf


def render_outline(style: str) -> np.ndarray:
    """Rasterise a style's front outline (what assets/hair_outlines.npz holds, made by tools/vendor_hair.py)."""
    zbuf = np.full(GRID, -np.inf)
    for v, f, _ in _geometry(style, 0):
        zbuf = np.maximum(zbuf, _rasterize_depth(v.astype(float), f))
    return (zbuf > _head_depth()).astype(np.float32)


_OUTLINES = Path(__file__).parent / "assets" / "hair_outlines.npz"


@lru_cache(maxsize=1)
def _stored_outlines() -> dict[str, np.ndarray]:
    """The built-in styles' outlines, rasterised once ahead of time: building all twelve shapes costs seconds."""
    with np.load(_OUTLINES) as data:
        return {s: np.unpackbits(data[s])[: GRID[0] * GRID[1]].reshape(GRID).astype(np.float32) for s in data.files}


@cache
def _outline(style: str) -> np.ndarray:
    stored = _stored_outlines()
    out = stored[style] if style in stored else render_outline(style)  # a style added since: drawn once
    out.setflags(write=False)
    return out


def outline(style: str) -> np.ndarray:
    """Where this style's hair shows in the front view, not counting the head itself.

    Returns:
        (160, 128) float32 in [0, 1] on GRID (row 0 at y = 1.0, column 0 at x = -1.2).
    """
    hair_style(style)
    return _outline(style).copy()


def _blur(a: np.ndarray, r: int = 2) -> np.ndarray:
    """Box blur, so a mask that is off by a cell or two still overlaps its style."""
    from scipy.ndimage import uniform_filter

    return uniform_filter(np.asarray(a, np.float64), 2 * r + 1, mode="constant")


@cache
def _blurred_outline(style: str) -> np.ndarray:
    return _blur(_outline(style))


def choose_style(mask: np.ndarray, *, head: np.ndarray | None = None,
                 allowed: tuple[str, ...] | None = None) -> tuple[str, float]:
    """The style whose front-view outline best matches the person's hair.

    Args:
        mask: (160, 128) hair coverage in [0, 1] on GRID; NaN marks cells outside the photo (ignored).
        head: optional (160, 128) coverage of the person's head (face and skin); its cells are not hair and
            count as known-empty.
        allowed: the styles to choose from (all by default).

    Returns:
        (style, confidence in [0, 1]).
    """
    m = np.asarray(mask, float)
    if m.shape != GRID:
        raise ValueError(f"hair mask must be {GRID[0]}x{GRID[1]} (GRID), got {m.shape[0]}x{m.shape[1]}"
                         if m.ndim == 2 else f"hair mask must be 2-D {GRID}, got shape {m.shape}")
    valid = ~np.isnan(m)
    m = np.where(valid, np.clip(m, 0, 1), 0.0)
    if head is not None:
        m = m * (1 - np.clip(np.nan_to_num(np.asarray(head, float)), 0, 1))
    names = list(HAIR_STYLES)
    shapes = np.stack([_blurred_outline(s) for s in names]) * valid
    # A majority vote over each cell's neighbours drops speckle from the segmenter before matching.
    seen = (_blur(m, 1) >= 0.5) * valid
    if seen.sum() < 4.0:  # nothing worth calling hair: a shaved or bald head
        return "bald", 0.5
    inter = np.minimum(shapes, seen).sum((1, 2))
    union = np.maximum(shapes, seen).sum((1, 2))
    prior = np.array([HAIR_STYLES[s].prior for s in names])
    score = inter / np.maximum(union, 1e-9) * prior * np.isin(names, names if allowed is None else allowed)
    order = np.argsort(score)[::-1]
    best, second = score[order[0]], score[order[1]]
    confidence = float(np.clip(best * (0.5 + 0.5 * min(1.0, (best - second) / 0.15)), 0, 1))
    return names[int(order[0])], confidence


def short_styles() -> tuple[str, ...]:
    """The short cuts: what a thin or noisy hair mask most likely shows."""
    return tuple(name for name, s in HAIR_STYLES.items() if s.short)
