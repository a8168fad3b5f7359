"""Cloth modelled as closed shells round the posed body: a skirt, a jacket's tails and pockets, buttons."""

from __future__ import annotations

import numpy as np
from scipy.ndimage import uniform_filter1d

from .mesh import Part, blob, grid_tube, placed
from .pose import unit


def rings(points, waist, hem, flare, rows=14, cols=48, margin=(0.04, 0.07)):
    """Rings from the waist down to the hem round the posed body, wide enough to clear it: (rows, cols, 3)."""
    ys = np.linspace(waist, hem, rows)
    ang = np.linspace(0, 2 * np.pi, cols, endpoint=False)
    slabs = [points[np.abs(points[:, 1] - yy) < 0.06] for yy in ys]
    cz = np.array([(s[:, 2].min() + s[:, 2].max()) / 2 for s in slabs])
    cz = cz[0] + (cz - cz[0]) * 0.5  # cloth hangs straighter than the body inside it
    rx = np.array([np.abs(s[:, 0]).max() + margin[0] for s in slabs])
    rz = np.array([np.abs(s[:, 2] - c).max() + margin[1] for s, c in zip(slabs, cz)])
    t = np.linspace(0, 1, rows)
    if rows > 20:  # fine rings follow each slab's noise as ridges: let them vary slowly
        rx, rz, cz = (uniform_filter1d(v, 7, mode="nearest") for v in (rx, rz, cz))
    rx = np.maximum.accumulate(np.maximum(rx, rx[0] * (1 + flare * t)))
    rz = np.maximum.accumulate(np.maximum(rz, rz[0] * (1 + flare * t)))
    ring = np.stack([np.sin(ang), np.cos(ang)], 1)
    return np.stack([rx[:, None] * ring[None, :, 0], np.repeat(ys[:, None], cols, 1),
                     cz[:, None] + rz[:, None] * ring[None, :, 1]], -1).astype(np.float32)


def skirt(points, waist, hem, flare, color) -> Part:
    """A flared closed skirt shell from the waist to the hem, wide enough to clear the posed body."""
    return Part("skirt", *grid_tube(rings(points, waist, hem, flare), color))


def tails(points, waist, hem, outfit) -> list[Part]:
    """The jacket below the waist: one shell over both thighs (a jacket does not wrap each leg), its fronts
    cut away below the last button, with flapped hip pockets."""
    rows, cols = 30, 180
    grid = _wrap(points, waist, hem, rows, cols)
    centre = grid[:, :, [0, 2]].mean(1, keepdims=True)
    x, y, z = grid[..., 0], grid[..., 1], grid[..., 2]
    front = z > centre[..., 1]
    cut_y = hem + 0.75 * (waist - hem)
    open_w = 0.32 * np.clip((cut_y - y) / (cut_y - hem), 0, 1) ** 1.6
    gap = front & (np.abs(x) < open_w)
    cloth = np.asarray(outfit.top_color, np.float32)
    colors = np.tile(cloth, (rows, cols, 1))
    colors[gap] = outfit.bottom_color
    d = grid[:, :, [0, 2]] - centre
    d /= np.linalg.norm(d, axis=-1, keepdims=True)
    push = np.where(gap, -0.05, np.where(front & (x < 0) & (y >= cut_y - 0.05), 0.012, 0.0))
    grid[:, :, [0, 2]] += d * push[..., None]
    parts = [Part("jacket", *grid_tube(grid, colors))]
    # Pocket flaps: a raised, squared flap on each hip.
    v, fc = blob(6, 12, 0.25)
    k = int(rows * 0.62)
    for sign in (1, -1):
        col = int(round(cols * (0.14 if sign > 0 else 0.86)))
        at = grid[k, col]
        out = np.array([d[k, col, 0], 0, d[k, col, 1]], np.float32)
        across = np.cross(np.array([0, 1, 0], np.float32), out)
        fv, ff = placed(v * [0.19, 0.05, 0.025], fc, at + out * 0.01, (across, np.array([0, 1, 0], np.float32), out))
        parts.append(Part("pocket", fv, ff, cloth + 0.05 * (1 - cloth)))
    return parts


def _wrap(points, top, hem, rows, cols):
    """Rings shrink-wrapped round the posed body from `top` down to `hem`, each ring no smaller than the one
    above (cloth hangs from the widest point): a snug start that hides inside the jacket above."""
    ys = np.linspace(top, hem, rows)
    ang = np.linspace(0, 2 * np.pi, cols, endpoint=False)
    slab = points[(points[:, 1] < top + 0.08) & (points[:, 1] > hem - 0.08)]
    cz = (slab[:, 2].min() + slab[:, 2].max()) / 2
    theta = np.arctan2(slab[:, 0], slab[:, 2] - cz) % (2 * np.pi)
    r = np.hypot(slab[:, 0], slab[:, 2] - cz)
    col = np.round(theta / (2 * np.pi) * cols).astype(np.int64) % cols
    coarse_y = np.linspace(top, hem, 10)
    coarse = np.zeros((10, cols), np.float32)
    for k, yy in enumerate(coarse_y):
        near = np.abs(slab[:, 1] - yy) < 0.08
        np.maximum.at(coarse[k], col[near], r[near])
    for _ in range(12):  # fill the gaps between sparse points
        coarse = np.maximum(coarse, np.maximum(np.roll(coarse, 1, 1), np.roll(coarse, -1, 1)))
    coarse = uniform_filter1d(coarse.astype(np.float64), 15, axis=1, mode="wrap")
    at = np.linspace(0, len(coarse_y) - 1, rows)
    k = np.minimum(at.astype(np.int64), len(coarse_y) - 2)
    t = (at - k)[:, None]
    radius = (1 - t) * coarse[k] + t * coarse[k + 1]
    radius = np.maximum.accumulate(radius, 0)
    radius += 0.05 * np.clip(np.linspace(-0.3, 1, rows), 0, 1)[:, None] ** 0.5 - 0.01
    return np.stack([radius * np.sin(ang), np.repeat(ys[:, None], cols, 1), cz + radius * np.cos(ang)], -1).astype(np.float32)


def buttons(torso, ys, rgb, radius=0.045) -> list[Part]:
    """Round buttons on the front centre line of the posed torso at these heights."""
    v, fc = blob(6, 12, 0.8)
    parts = []
    for yy in ys:
        near = torso[(np.abs(torso[:, 0]) < 0.05) & (np.abs(torso[:, 1] - yy) < 0.05)]
        if not len(near):
            continue
        at = np.array([-0.02, yy, near[:, 2].max() + 0.005], np.float32)
        bv, bf = placed(v * [radius, radius, 0.022], fc, at, (unit(1, 0, 0), unit(0, 1, 0), unit(0, 0, 1)))
        parts.append(Part("button", bv, bf, rgb))
    return parts
