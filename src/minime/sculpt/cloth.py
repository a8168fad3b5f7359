"""Cloth modelled as closed shells round the posed body: a skirt, a jacket's tails and pockets, buttons."""

from __future__ import annotations

import numpy as np
from scipy.ndimage import uniform_filter1d

from .mesh import Part, blob, grid_tube, placed, signed_volume
from .pose import unit


def seam(rgb) -> np.ndarray:
    """The colour of a stitched line or raised trim on this cloth: darker on light cloth, lighter on dark."""
    c = np.asarray(rgb, np.float32)
    lum = float(c @ [0.3, 0.59, 0.11])
    return c * 0.62 if lum > 0.3 else c + 0.16 * (1 - c)


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
    lapped and curving away below the last button, with flapped hip pockets. Every edge is a row or a column
    of its grid, so none is a saw-tooth."""
    rows, cols = 30, 180
    grid = _wrap(points, waist, hem, rows, cols)
    centre = grid[:, :, [0, 2]].mean(1, keepdims=True)
    ang = (np.arange(cols) / cols * 2 * np.pi + np.pi) % (2 * np.pi) - np.pi  # 0 at the front
    t = np.linspace(0, 1, rows)[:, None]
    # The fronts curve away: the hem rises toward the front edge, smoothly, so the cut is one clean curve.
    grid[..., 1] += 0.16 * np.exp(-(ang[None, :] / 0.3) ** 2) * t ** 2.2
    cloth = np.asarray(outfit.top_color, np.float32)
    colors = np.tile(cloth, (rows, cols, 1))
    colors[:, 0] = seam(cloth)  # the front edge, straight down one column
    d = grid[:, :, [0, 2]] - centre
    d /= np.linalg.norm(d, axis=-1, keepdims=True)
    # The wearer's left front laps over the right: one half of the front stands a little proud.
    lap = (ang >= 0) & (ang < 1.2)
    grid[:, :, [0, 2]] += d * (0.012 * lap)[None, :, None]
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
    for _ in range(4):  # fill the gaps between sparse points (more would square the front off into a box)
        coarse = np.maximum(coarse, np.maximum(np.roll(coarse, 1, 1), np.roll(coarse, -1, 1)))
    coarse = uniform_filter1d(coarse.astype(np.float64), 9, axis=1, mode="wrap")
    at = np.linspace(0, len(coarse_y) - 1, rows)
    k = np.minimum(at.astype(np.int64), len(coarse_y) - 2)
    t = (at - k)[:, None]
    radius = (1 - t) * coarse[k] + t * coarse[k + 1]
    radius = np.maximum.accumulate(radius, 0)
    # Straight down from the seat: where the legs below spread wider than the hips, the cloth lies over them
    # rather than flaring out like a skirt.
    radius = np.minimum(radius, radius[int(rows * 0.4)] * 1.03)
    radius += 0.015  # ease, and no more: a jacket hangs straight from the hip, it does not flare
    radius -= 0.06 * np.clip(1 - np.arange(rows) / 10, 0, 1)[:, None] ** 2  # its top tucks in under the jacket above
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


def slab(inner, outer, normal, thickness: float, color, name: str, material: str = "vinyl") -> Part:
    """A closed strip of cloth (a lapel, a tie, a collar) between two edge polylines, standing `thickness` off
    them along `normal`: its outline is exactly its edges, so it reads crisp at any size."""
    a, b = np.asarray(inner, np.float32), np.asarray(outer, np.float32)
    nrm = np.broadcast_to(np.asarray(normal, np.float32), a.shape)
    n = len(a)
    top = np.concatenate([a + nrm * thickness, b + nrm * thickness])
    base = np.concatenate([a - nrm * 0.01, b - nrm * 0.01])  # tucked a little into the cloth below
    v = np.concatenate([top, base])
    faces = []
    for k in range(n - 1):
        i, j = k, k + 1
        faces += [(i, n + i, n + j), (i, n + j, j)]  # top
        faces += [(2 * n + i, 2 * n + j, 3 * n + j), (2 * n + i, 3 * n + j, 3 * n + i)]  # underside
        faces += [(i, j, 2 * n + j), (i, 2 * n + j, 2 * n + i)]  # inner wall
        faces += [(n + i, 3 * n + i, 3 * n + j), (n + i, 3 * n + j, n + j)]  # outer wall
    k = n - 1  # the two ends
    faces += [(0, 2 * n, 3 * n), (0, 3 * n, n), (k, n + k, 3 * n + k), (k, 3 * n + k, 2 * n + k)]
    f = np.asarray(faces, np.int32)
    if signed_volume(v, f) < 0:
        f = f[:, ::-1]
    return Part(name, v, f, color, material)


class Surface:
    """The front of the posed torso as a height field z(x, y): where chest pieces lie."""

    def __init__(self, torso: np.ndarray):
        from scipy.spatial import cKDTree

        cz = (torso[:, 2].min() + torso[:, 2].max()) / 2
        self.front = torso[torso[:, 2] > cz]
        self.tree = cKDTree(self.front[:, :2])

    def z(self, x, y, level: str = "mean") -> np.ndarray:
        """The surface's depth at (x, y); where two layers meet (a shirt under a jacket's edge), "min" is the
        lower one and "max" the upper one."""
        pts = np.stack([np.ravel(x), np.ravel(y)], 1)
        d, i = self.tree.query(pts, k=6)
        zs = self.front[i, 2]
        if level == "min":
            out = zs.min(1)
        elif level == "max":
            out = zs.max(1)
        else:
            w = 1 / np.maximum(d, 1e-4) ** 2
            out = (zs * w).sum(1) / w.sum(1)
        return out.reshape(np.shape(x))

    def on(self, x, y, lift: float = 0.0, level: str = "mean") -> np.ndarray:
        """Points (x, y) on the surface, `lift` in front of it."""
        x, y = np.broadcast_arrays(np.asarray(x, np.float32), np.asarray(y, np.float32))
        return np.stack([x, y, self.z(x, y, level) + lift], -1).astype(np.float32)


def lapels(surface: Surface, apex: float, top: float, color) -> list[Part]:
    """A suit's two lapels: each a raised strip from the top button up the open front, widening to its top, where
    the gorge line slants down to the notch. Their outlines are the paint's own lines (garments.Jacket)."""
    reach = top + 0.08 - apex  # as garments.Jacket lays the lapel paint
    t = np.linspace(0, 1, 24) ** 0.8
    parts = []
    for side in (1.0, -1.0):
        yi = apex + t * (top - apex)
        yo = apex + t * (top - 0.11 - apex)
        xi = 0.36 * (yi - apex)
        xo = 0.36 * (yo - apex) + 0.07 + 0.09 * np.clip((yo - apex) / reach, 0, 1)
        inner = surface.on(side * xi, yi, 0.0, "max")
        outer = surface.on(side * xo, yo, 0.0, "max")
        parts.append(slab(inner, outer, (0.0, 0.0, 1.0), 0.03, color, "lapel"))
    return parts


def tie(surface: Surface, tip: float, collar: float, color) -> list[Part]:
    """A tie lying on the shirt: a blade that narrows to the knot and ends in a point, and a knot standing proud.
    It lies below the jacket's fronts, so it disappears under them at the top button."""
    ys = np.linspace(tip, collar - 0.06, 30)
    width = 0.05 + 0.05 * np.clip((collar - ys) / (collar - tip), 0, 1)
    width[0] = 0.004  # the point
    width[1] *= 0.75
    left = surface.on(-width, ys, 0.004, "min")
    right = surface.on(width, ys, 0.004, "min")
    left[0, 1] = right[0, 1] = tip - 0.06
    parts = [slab(left, right, (0.0, 0.0, 1.0), 0.018, color, "tie")]
    v, fc = blob(8, 14, 0.6)
    at = surface.on(0.0, collar - 0.05, 0.02, "min")
    kv, kf = placed(v * [0.07, 0.065, 0.035], fc, at, (unit(1, 0, 0), unit(0, 1, 0.2), unit(0, -0.2, 1)))
    parts.append(Part("tie", kv, kf, np.asarray(color, np.float32) * 0.92))
    return parts

