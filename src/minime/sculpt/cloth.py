"""Cloth modelled as closed shells round the posed body: a skirt, a jacket's tails and pockets, buttons."""

from __future__ import annotations

import numpy as np
from scipy.ndimage import uniform_filter1d

from .mesh import Part, blob, grid_tube, placed, signed_volume
from .pose import nearest, unit

UNDERSIDE = 1.25  # how much an underside chamfered for printing drops for each unit it draws in (over 45 degrees)
HEM = 0.035  # a hem's blunt edge: half the thinnest wall a 100 mm print holds, flat underneath


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
    return Part("skirt", *grid_tube(tented(rings(points, waist, hem, flare), waist), color))


def tented(grid: np.ndarray, top: float, steps: int = 3) -> np.ndarray:
    """A tube's grid of rings hanging from the waist (a skirt, a jacket's tails) with rows added under its hem that
    draw in and up to a ridge across the middle, steeper than 45 degrees, up inside the legs: the hem's underside
    is a tent, not a flat ceiling for a printer to bridge. The ridge stays under `top` (the tube's top ring)."""
    hem = grid[-1]
    cx, cz = float(hem[:, 0].mean()), float((hem[:, 2].min() + hem[:, 2].max()) / 2)
    half = max(0.0, float(np.abs(hem[:, 0] - cx).max() - np.abs(hem[:, 2] - cz).max()))
    ridge = np.stack([cx + np.clip(hem[:, 0] - cx, -half, half), hem[:, 1],
                      cz + 0.01 * np.sign(hem[:, 2] - cz)], 1)
    reach = np.linalg.norm((hem - ridge)[:, [0, 2]], axis=1)
    # Well over 45 degrees in each column, so the tent's facets stay steep where neighbouring columns twist.
    ridge[:, 1] = np.minimum(hem[:, 1] + 1.5 * reach, hem[:, 1] + 0.9 * (top - hem[:, 1]))
    # The hem itself is a blunt edge a printer can lay (a thin knife edge would need thickening), then the tent.
    inward = (ridge - hem)[:, [0, 2]] / np.maximum(reach, 1e-6)[:, None]
    lip = hem.copy()
    lip[:, [0, 2]] += inward * np.minimum(HEM, 0.5 * reach)[:, None]
    wall = lip + [0.0, HEM, 0.0]
    t = np.linspace(0, 1, steps + 1)[1:, None, None]
    return np.concatenate([grid, lip[None], wall[None], wall[None] + t * (ridge - wall)[None]]).astype(np.float32)


def tails(points, waist, hem, outfit) -> list[Part]:
    """The jacket below the waist: one shell over both thighs (a jacket does not wrap each leg), its fronts
    lapped and curving away below the last button, with flapped hip pockets. Every edge is a row or a column
    of its grid, so none is a saw-tooth."""
    rows, cols = 30, 180
    grid = _wrap(points, waist, hem, rows, cols)
    centre = grid[:, :, [0, 2]].mean(1, keepdims=True)
    ang = (np.arange(cols) / cols * 2 * np.pi + np.pi) % (2 * np.pi) - np.pi  # 0 at the front
    t = np.linspace(0, 1, rows)[:, None]
    # The fronts curve away: the hem rises toward the front edge, smoothly, so the cut is one clean curve (and gently
    # enough round the body that the cloth above it does not lean out over it, a ceiling to print).
    grid[..., 1] += 0.16 * np.exp(-(ang[None, :] / 0.45) ** 2) * t ** 2.2
    cloth = np.asarray(outfit.top_color, np.float32)
    colors = np.tile(cloth, (rows, cols, 1))
    colors[:, 0] = seam(cloth)  # the front edge, straight down one column
    d = grid[:, :, [0, 2]] - centre
    d /= np.linalg.norm(d, axis=-1, keepdims=True)
    # The wearer's left front laps over the right: one half of the front stands a little proud.
    lap = (ang >= 0) & (ang < 1.2)
    grid[:, :, [0, 2]] += d * (0.012 * lap)[None, :, None]
    grid = tented(grid, waist)
    colors = np.concatenate([colors, np.repeat(colors[-1:], len(grid) - rows, 0)])
    parts = [Part("jacket", *grid_tube(grid, colors))]
    # Pocket flaps: a raised, squared flap on each hip, bent round the hip as the jacket is, its underside sloping
    # back into the jacket (no ceiling).
    flap, fc = blob(6, 12, 0.25)
    flap = flap * [0.19, 0.05, 0.025]
    flap[:, 2] -= np.maximum(-flap[:, 1], 0) / UNDERSIDE
    k = int(rows * 0.62)
    for sign in (1, -1):
        col = int(round(cols * (0.14 if sign > 0 else 0.86)))
        at = grid[k, col]
        out = np.array([d[k, col, 0], 0, d[k, col, 1]], np.float32)
        across = np.cross(np.array([0, 1, 0], np.float32), out)
        v = flap.copy()
        v[:, 2] -= v[:, 0] ** 2 / (2 * np.linalg.norm(at[[0, 2]] - centre[k, 0]))
        fv, ff = placed(v, fc, at + out * 0.01, (across, np.array([0, 1, 0], np.float32), out))
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


def collar(rest: np.ndarray, faces: np.ndarray, neck: float, low: float, high: float, color, *, out: float,
           under: float, dip: float = 0.03, gap: float = 0.0, name: str = "collar") -> Part:
    """A collar standing up round the neck's base: a band over the rest neck (the torso's neck is not posed) from
    the neckline `low` below the neck cut up to `high` below it, `out` proud of the skin all the way up, so it
    follows the neck down onto the shoulders as a collar does.

    Its underside is chamfered at 45 degrees down into the cloth below (which stands `under` off the skin), so
    the band has no ceiling to print over and no lip; its top is a flat ledge round the neck. The top drops by
    `dip` toward the front, where a shirt collar's ends meet; `gap` (radians each side of the front) leaves an
    open collar's V. Every edge is a row or a column of its grid, so none is a saw-tooth."""
    ring = rest[(rest[:, 1] > neck - 0.05) & (rest[:, 1] <= neck) & (np.abs(rest[:, 0]) < 0.35)]
    cz = float(ring[:, 2].min() + ring[:, 2].max()) / 2
    rows = 72
    # 0 at the back, +-pi at the front; a closed band goes all the way round (its last row wraps to its first).
    ang = np.linspace(-np.pi + gap, np.pi - gap, rows) if gap else np.linspace(-np.pi, np.pi, rows, endpoint=False)
    front = ((1 - np.cos(ang)) / 2) ** 2  # 0 at the back, 1 at the front
    bottom = neck - low
    top = neck - high - dip * front
    heights = np.linspace(0, 1, 7)
    # The skin's distance from the neck's axis at each angle, up the band (from the triangles about the band).
    ty = rest[faces][:, :, 1]
    faces = faces[(ty.max(1) >= bottom) & (ty.min(1) <= neck) & (np.abs(rest[faces][:, :, 0]).min(1) < 0.6)]
    skin = np.stack([section_radius(rest, faces, bottom + h * (neck - high - bottom), cz, ang) for h in heights], 1)
    skin = uniform_filter1d(skin, 5, axis=0, mode="wrap" if not gap else "nearest")
    inner = np.minimum(0.75 * skin[:, -1], skin[:, -1] - 0.03)  # inside the neck, against the head's neck peg
    lap = out - under  # how far the band stands proud of the cloth below
    ys = bottom + lap + heights[None, :] * (top - 0.012 - bottom - lap)[:, None]
    outer = np.stack([np.interp(y, bottom + heights * (neck - high - bottom), sk) for y, sk in zip(ys, skin)]) + out
    outer = np.minimum.accumulate(outer, 1)  # never wider higher up (a wall leaning out faces down: a ceiling)
    # The underside runs from the outer wall's foot down and in, steeper than 45 degrees, to the inner wall: it
    # meets the cloth at the neckline and goes on into the body.
    floor = ys[:, 0] - UNDERSIDE * (outer[:, 0] - inner)
    # The profile round the band's cross-section: (distance from the neck's axis, height), per angle.
    r = np.concatenate([inner[:, None], outer, outer[:, -1:] - 0.012, inner[:, None]], 1)
    y = np.concatenate([floor[:, None], ys, top[:, None], top[:, None]], 1)
    grid = np.stack([r * np.sin(ang)[:, None], y, cz - r * np.cos(ang)[:, None]], -1).astype(np.float32)
    if gap:
        v, f, c = grid_tube(grid, np.asarray(color, np.float32))
    else:  # a ring: periodic both ways round, so it closes with no end caps meeting face to face
        v, f = _ring_mesh(grid)
        c = np.asarray(color, np.float32)
    if signed_volume(v, f) < 0:
        f = f[:, ::-1]
    return Part(name, v, f, c)


def _ring_mesh(grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A (rows, cols, 3) grid periodic both ways (a torus) as a closed mesh: (vertices, faces)."""
    rows, cols = grid.shape[:2]
    idx = np.arange(rows * cols).reshape(rows, cols)
    a, b = idx, np.roll(idx, -1, 1)
    c, d = np.roll(b, -1, 0), np.roll(a, -1, 0)
    faces = np.concatenate([np.stack([a, d, c], -1).reshape(-1, 3), np.stack([a, c, b], -1).reshape(-1, 3)])
    return grid.reshape(-1, 3), faces.astype(np.int64)


def section_radius(v: np.ndarray, faces: np.ndarray, y: float, cz: float, ang: np.ndarray) -> np.ndarray:
    """How far a closed mesh reaches from the vertical axis through (0, cz) at height y, along each angle
    (0 toward -z, the back): the farthest crossing of the mesh's section there."""
    t = v[faces]
    side = t[:, :, 1] > y
    cut = side.any(1) & ~side.all(1)
    t, side = t[cut], side[cut]
    pts = []
    for i, j in ((0, 1), (1, 2), (2, 0)):
        e = side[:, i] != side[:, j]
        a, b = t[e, i], t[e, j]
        u = (y - a[:, 1]) / (b[:, 1] - a[:, 1])
        pts.append(a + (b - a) * u[:, None])
    # Each cut triangle gives one segment, between its two crossing edges (in the order found).
    seg = np.zeros((len(t), 2, 2), np.float64)
    filled = np.zeros(len(t), int)
    for (i, j), p in zip(((0, 1), (1, 2), (2, 0)), pts):
        e = np.flatnonzero(side[:, i] != side[:, j])
        seg[e, filled[e]] = p[:, [0, 2]] - [0.0, cz]
        filled[e] += 1
    d = np.stack([np.sin(ang), -np.cos(ang)], 1)  # (x, z) of each angle's ray
    a, b = seg[:, 0], seg[:, 1]
    e = b - a
    # Ray s * d meets a + w * e: solve [d, -e] (s, w) = a for every ray and segment.
    det = d[:, None, 0] * -e[None, :, 1] + e[None, :, 0] * d[:, None, 1]
    ok = np.abs(det) > 1e-12
    det = np.where(ok, det, 1.0)
    s = (a[None, :, 0] * -e[None, :, 1] + e[None, :, 0] * a[None, :, 1]) / det
    w = (d[:, None, 0] * a[None, :, 1] - d[:, None, 1] * a[None, :, 0]) / det
    hit = ok & (w >= 0) & (w <= 1) & (s > 0)
    return np.where(hit, s, 0.0).max(1)


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


TUCK = 0.07  # how deep a strip's walls go into the cloth under it: a printer's thinnest wall at 100 mm


def slab(inner, outer, normal, thickness: float, color, name: str, material: str = "vinyl") -> Part:
    """A closed strip of cloth (a lapel, a tie, a collar) between two edge polylines, standing `thickness` off
    them along `normal`: its outline is exactly its edges, so it reads crisp at any size. Its walls go TUCK down
    into the cloth under it, so where the body curves away under an edge the strip still meets it there as a
    solid ledge, never a thin flange standing free of it."""
    a, b = np.asarray(inner, np.float32), np.asarray(outer, np.float32)
    nrm = np.broadcast_to(np.asarray(normal, np.float32), a.shape)
    n = len(a)
    top = np.concatenate([a + nrm * thickness, b + nrm * thickness])
    base = np.concatenate([a - nrm * TUCK, b - nrm * TUCK])
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
        cz = (torso[:, 2].min() + torso[:, 2].max()) / 2
        self.front = torso[torso[:, 2] > cz]

    def z(self, x, y, level: str = "mean") -> np.ndarray:
        """The surface's depth at (x, y); where two layers meet (a shirt under a jacket's edge), "min" is the
        lower one and "max" the upper one."""
        pts = np.stack([np.ravel(x), np.ravel(y)], 1)
        d, i = nearest(self.front[:, :2], pts, k=6)
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


def open_lapels(surface: Surface, bottom: float, top: float, inner, outer, color) -> list[Part]:
    """A casual jacket's two lapels lying open on its fronts from `bottom` up to `top`: `inner(y)` and `outer(y)`
    give each edge's distance from the middle; the top's outer corner is cut down to a notch, as a suit's is."""
    t = np.linspace(0, 1, 28)
    yi = bottom + t * (top - bottom)
    yo = bottom + t * (top - 0.1 - bottom)
    parts = []
    for side in (1.0, -1.0):
        edge_in = surface.on(side * inner(yi), yi, 0.0, "max")
        edge_out = surface.on(side * outer(yo), yo, 0.0, "max")
        parts.append(slab(edge_in, edge_out, (0.0, 0.0, 1.0), 0.03, color, "lapel"))
    return parts


def tie(surface: Surface, tip: float, collar: float, color, stripe=None) -> list[Part]:
    """A tie lying on the shirt: a blade that narrows to the knot and ends in a point, and a knot standing proud.
    It lies below the jacket's fronts, so it disappears under them at the top button. A `stripe` colour is
    painted over the blade in diagonal bands, as a striped (regimental) tie's are."""
    ys = np.linspace(tip, collar - 0.06, 30)
    width = 0.05 + 0.05 * np.clip((collar - ys) / (collar - tip), 0, 1)
    width[0] = 0.004  # the point
    width[1] *= 0.75
    left = surface.on(-width, ys, 0.004, "min")
    right = surface.on(width, ys, 0.004, "min")
    left[0, 1] = right[0, 1] = tip - 0.06
    blade = slab(left, right, (0.0, 0.0, 1.0), 0.018, color, "tie")
    parts = [blade if stripe is None else _striped(blade, left, right, color, stripe)]
    v, fc = blob(8, 14, 0.6)
    v = v * [0.07, 0.065, 0.035]
    v[:, 2] -= np.maximum(-v[:, 1], 0) / UNDERSIDE  # the knot narrows down into the shirt: no ceiling under it
    at = surface.on(0.0, collar - 0.05, 0.02, "min")
    kv, kf = placed(v, fc, at, (unit(1, 0, 0), unit(0, 1, 0.2), unit(0, -0.2, 1)))
    parts.append(Part("tie", kv, kf, np.asarray(color, np.float32) * 0.92))
    return parts


TIE_STRIPE = 0.07  # the stripes' repeat across a tie, figure units


def _striped(blade: Part, left: np.ndarray, right: np.ndarray, ground, stripe) -> Part:
    """The tie's blade (see `slab`) with diagonal stripes painted on its face: a texture over the front's two
    rows of vertices, the ground colour elsewhere."""
    n = len(left)
    length = float(right[-1, 1] - right[0, 1])
    across = float(np.max(right[:, 0] - left[:, 0]))
    px = 400  # texels per figure unit: a stripe's edge stays sharp at print size
    h, w = max(8, int(length * px)), max(8, int(across * px))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32) / px
    on = ((yy + xx) / TIE_STRIPE) % 1.0 < 0.3
    rgb = np.where(on[..., None], np.asarray(stripe, np.float32), np.asarray(ground, np.float32))
    texture = np.clip(np.rint(rgb * 255), 0, 255).astype(np.uint8)
    v_at = (left[:, 1] - left[0, 1]) / max(length, 1e-6)
    half = np.maximum(right[:, 0] - left[:, 0], 1e-6) / across / 2
    uv = np.zeros((len(blade.vertices), 2), np.float32)
    uv[:n] = np.stack([0.5 - half, v_at], 1)
    uv[n:2 * n] = np.stack([0.5 + half, v_at], 1)
    paint = np.zeros(len(blade.vertices), np.float32)
    paint[:2 * n] = 1.0
    return Part(blade.name, blade.vertices, blade.faces, blade.colors, blade.material, uv, texture, paint)
