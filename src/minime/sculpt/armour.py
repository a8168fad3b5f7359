"""Plate armour sculpted round the posed body: a breastplate with a centre ridge and a rolled lip, lames at the
hips, layered plates on each shoulder and greaves on the shins, all in polished metal paint."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.ndimage import uniform_filter1d

from .finish import paint_finish
from .mesh import Part, blob, grid_tube, placed, signed_volume
from .pose import unit

if TYPE_CHECKING:
    from .garments import Worn

COLS = 64


def _radii(points: np.ndarray, ys: np.ndarray, centre: tuple[float, float], margin: float) -> np.ndarray:
    """Per row and angle (0 at the front), how far the body reaches from `centre` (x, z), smoothed, plus a margin."""
    cx, cz = centre
    out = np.zeros((len(ys), COLS))
    for k, y in enumerate(ys):
        slab = points[np.abs(points[:, 1] - y) < 0.07]
        if not len(slab):
            continue
        theta = np.arctan2(slab[:, 0] - cx, slab[:, 2] - cz) % (2 * np.pi)
        col = np.round(theta / (2 * np.pi) * COLS).astype(np.int64) % COLS
        np.maximum.at(out[k], col, np.hypot(slab[:, 0] - cx, slab[:, 2] - cz))
    for k in range(len(ys)):  # a row with too few points takes its neighbour's outline
        if (out[k] > 0).mean() < 0.3:
            out[k] = out[k - 1] if k else out[min(k + 1, len(ys) - 1)]
    for _ in range(COLS // 4):  # fill the angles no point fell in
        out = np.maximum(out, np.maximum(np.roll(out, 1, 1), np.roll(out, -1, 1)) * 0.985)
    out = uniform_filter1d(out, 9, axis=1, mode="wrap")
    if len(ys) > 4:
        out = uniform_filter1d(out, 3, axis=0, mode="nearest")
    return out + margin


def _shell(ys, radius, centre, name, color) -> Part:
    ang = np.linspace(0, 2 * np.pi, COLS, endpoint=False)
    cx, cz = centre
    grid = np.stack([cx + radius * np.sin(ang), np.repeat(ys[:, None], COLS, 1), cz + radius * np.cos(ang)], -1)
    v, f, c = grid_tube(grid.astype(np.float32), color)
    return Part(name, v, f, paint_finish(v, f, c, np.asarray(color, np.float32), "metallic"), "metal")


def plates(w: Worn) -> list[Part]:
    """The armour's plates for a body in the pose it is in."""
    metal = np.asarray(w.outfit.top_color, np.float32)
    torso, joints = w.torso, w.joints
    shoulder, hip = joints["l-shoulder"][1], joints["l-upper-leg"][1]
    band = torso[(torso[:, 1] > hip + 0.3) & (torso[:, 1] < shoulder - 0.1)]
    centre = (0.0, float((band[:, 2].min() + band[:, 2].max()) / 2))

    # Breastplate and backplate: shells over the chest and the back, scooped at the neck, cut in under the arms,
    # a ridge down the front, a rolled rim along the top; the padding shows at the sides between them.
    parts = [_plate(torso, shoulder, hip, side, metal) for side in (1.0, -1.0)]

    # Lames at the hips: three overlapping bands, each stepping out over the one above.
    for k in range(3):
        top = hip + 0.33 - 0.14 * k
        ys = np.linspace(top, top - 0.17, 4)
        r = _radii(w.body, ys, centre, 0.06 + 0.015 * (k + 1)).max(0, keepdims=True).repeat(4, 0)
        r[[0, -1]] += 0.012
        parts.append(_shell(ys, r, centre, "lame", metal * (0.97 - 0.03 * k)))

    # Shoulders: three domed plates each, the top one largest, tipped down the arm.
    v, fc = blob(12, 20, 0.8)
    for side in (1.0, -1.0):
        sj = joints["l-shoulder" if side > 0 else "r-shoulder"]
        for k, (size, drop, out) in enumerate(((0.36, 0.0, 0.0), (0.32, -0.16, 0.06), (0.28, -0.3, 0.11))):
            tilt = 0.55 + 0.25 * k
            axes = (unit(side * np.cos(tilt), -np.sin(tilt), 0), unit(0, 0, 1), unit(side * np.sin(tilt), np.cos(tilt), 0))
            at = np.array([sj[0] + side * (0.02 + out), sj[1] + 0.12 + drop, sj[2]], np.float32)
            pv, pf = placed(v * [size, size * 0.95, 0.1], fc, at, axes)
            parts.append(Part("pauldron", pv, pf, paint_finish(pv, pf, np.tile(metal, (len(pv), 1)), metal, "metallic"),
                              "metal"))

    # Greaves: a plate round each shin.
    knee, ankle = joints["l-knee"][1], joints["l-ankle"][1]
    legs = w.body[(w.body[:, 1] < knee - 0.1) & (w.body[:, 1] > ankle + 0.2)]
    for side in (1.0, -1.0):
        shin = legs[legs[:, 0] * side > 0.1]
        if len(shin) < 20:
            continue
        centre = (float(np.median(shin[:, 0])), float(np.median(shin[:, 2])))
        ys = np.linspace(knee - 0.15, ankle + 0.28, 8)
        r = _radii(shin, ys, centre, 0.05)
        r[[0, -1]] += 0.02
        parts.append(_shell(ys, r, centre, "greave", metal))
    return parts


def _plate(torso: np.ndarray, shoulder: float, hip: float, side: float, metal: np.ndarray) -> Part:
    """The breastplate (side 1) or the backplate (side -1): a closed shell on a grid over that face of the torso."""
    from .cloth import Surface

    flip = np.array([1.0, 1.0, side], np.float32)
    surface = Surface(torso * flip)  # the back, seen from behind, is a front too
    rows, cols = 26, 31
    u = np.linspace(-1, 1, cols)
    v = np.linspace(0, 1, rows)[:, None]
    top = shoulder - 0.22 + 0.2 * u ** 2 if side > 0 else shoulder - 0.06 + 0.04 * u ** 2  # the neck's scoop
    bottom = hip + 0.28 - (0.08 * (1 - np.abs(u)) if side > 0 else 0.0)
    y = top + v * (bottom - top)
    half = np.empty(rows * cols, np.float32)
    for k, yy in enumerate(y.ravel()):  # how wide the torso's face is at that height, less the sides
        near = surface.front[np.abs(surface.front[:, 1] - yy) < 0.05]
        half[k] = np.abs(near[:, 0]).max() * 0.86 if len(near) else 0.5
    half = np.minimum(half.reshape(rows, cols), 0.66)
    x = u * half
    grid = surface.on(x, y, 0.06, "max")
    # Hammered smooth: the plate keeps the chest's form, not the body mesh's facets.
    z = np.pad(grid[..., 2], 3, mode="edge")
    for axis in (0, 1):
        z = uniform_filter1d(z, 7, axis=axis)
    grid[..., 2] = np.maximum(z[3:-3, 3:-3], grid[..., 2] - 0.01)
    if side > 0:
        grid[..., 2] += 0.05 * np.clip(1 - np.abs(u) / 0.25, 0, 1) ** 1.5  # the centre ridge
    grid *= flip
    return _solid(grid, side, metal, "breastplate" if side > 0 else "backplate")


def _solid(grid: np.ndarray, side: float, metal: np.ndarray, name: str, thickness: float = 0.035) -> Part:
    """A (rows, cols, 3) sheet thickened along z toward `side` into a closed shell, its rim rounded."""
    rows, cols = grid.shape[:2]
    inner = grid.copy()
    inner[..., 2] -= side * thickness
    v = np.concatenate([grid.reshape(-1, 3), inner.reshape(-1, 3)])
    n = rows * cols
    idx = np.arange(n).reshape(rows, cols)
    a, b, c, d = idx[:-1, :-1], idx[:-1, 1:], idx[1:, 1:], idx[1:, :-1]
    outer = np.concatenate([np.stack([a, b, c], -1).reshape(-1, 3), np.stack([a, c, d], -1).reshape(-1, 3)])
    faces = [outer, outer[:, ::-1] + n]
    ring = np.concatenate([idx[0, :], idx[1:, -1], idx[-1, -2::-1], idx[-2:0:-1, 0]])  # the sheet's edge, in order
    nxt = np.roll(ring, -1)
    faces += [np.stack([ring, ring + n, nxt], 1), np.stack([nxt, ring + n, nxt + n], 1)]
    f = np.concatenate(faces).astype(np.int32)
    if signed_volume(v, f) < 0:
        f = f[:, ::-1]
    colors = paint_finish(v, f, np.tile(metal, (len(v), 1)), metal, "metallic")
    return Part(name, v, f, colors, "metal")
