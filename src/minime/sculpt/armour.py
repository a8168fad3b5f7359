"""Plate armour sculpted round the posed body, a full suit as on a collectible knight: a breastplate and a
backplate, a skirt of lames at the hips with a tasset over each thigh, a domed pauldron on each shoulder with
lames down the arm, a vambrace on each forearm with a couter at the elbow and a flared gauntlet cuff at the
wrist (the sculpted fingers stay bare), a cuisse on each thigh, a poleyn on the knee, a greave on the shin and
a sabaton over the shoe, all in polished metal paint.

Each plate is a closed shell fitted to the posed piece it covers, so it goes where that limb goes in any pose.
Its face stands PROUD off the cloth and its back sinks into the body: in print it is fused to the figure and
its wall is at least 1 mm at a 100 mm print. Its edges are bevelled, and the edge that hangs down (the far end
from the joint it hangs from) is chamfered at 45 degrees back into the body, so no plate has a flat ceiling.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy.ndimage import uniform_filter1d

from .finish import paint_finish
from .mesh import Part, frame_any, signed_volume, uv_sphere
from .pose import unit

if TYPE_CHECKING:
    from .garments import Worn

COLS = 64  # samples round a fitted ring
PROUD = 0.05  # how far a plate's face stands off the cloth, figure units (one unit is one head height)
WALL = 0.085  # face to back: at least 0.07, 1 mm at a 100 mm print
SINK = WALL - PROUD  # how deep the back lies inside the body
BEVEL = 0.025  # the small 45-degree bevel on an edge that faces up
_LIP = 0.012  # how far a chamfered edge stays off the back, so the closing strip is never a zero-height sliver
TAU = 2 * np.pi


def plates(w: Worn) -> list[Part]:
    """The armour's plates for a body in the pose it is in.

    The arms' and feet's plates need the posed pieces (`w.pieces`: forearm, hand, upper arm and shoe by name);
    a body without them gets the rest of the suit."""
    metal = _metal(w.outfit.top_color)
    pieces: dict[str, np.ndarray] = getattr(w, "pieces", None) or {}
    parts = _trunk(w, metal)
    for side, s in ((1.0, "L"), (-1.0, "R")):
        parts += _shoulder(w, pieces, side, s, metal)
        parts += _arm(pieces, side, s, metal)
        parts += _leg(w, side, metal)
        if f"shoe.{s}" in pieces:
            parts += _sabaton(pieces[f"shoe.{s}"], side, metal)
    return parts


def _metal(rgb) -> np.ndarray:
    """The plates' metal: the outfit's colour, a black lifted to blackened steel so its bevels still catch light."""
    c = np.asarray(rgb, np.float32)
    return np.maximum(c, 0.14 + 0.3 * c) if c.max() < 0.2 else c


# ---------------------------------------------------------------- fitting round a limb


@dataclass(frozen=True)
class _Limb:
    """A straight stretch of the posed body: from `a` along the unit `u`; round it, angle 0 is `front` and a
    quarter turn is `side` (away from the body)."""

    a: np.ndarray
    u: np.ndarray
    front: np.ndarray
    side: np.ndarray

    def local(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        d = points - self.a
        return d @ self.u, d @ self.side, d @ self.front


def _limb(a, b, front, out) -> _Limb:
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    u = (b - a) / np.linalg.norm(b - a)
    f = np.asarray(front, np.float64)
    f = f - u * (u @ f)
    if np.linalg.norm(f) < 1e-3:  # the limb points along `front`
        f = frame_any(u)[1]
    f /= np.linalg.norm(f)
    s = np.cross(u, f)
    return _Limb(a, u, f, s if s @ np.asarray(out) >= 0 else -s)


@dataclass(frozen=True)
class _Fit:
    """The body round a limb: per row (`ts` along it) the ring's centre (side, front) and its radius per angle."""

    ts: np.ndarray
    centre: np.ndarray  # (rows, 2)
    radii: np.ndarray  # (rows, COLS)


def _fit(limb: _Limb, points: np.ndarray, ts: np.ndarray, reach: float = 0.06, hang: bool = False) -> _Fit | None:
    """How far the body reaches round the limb at each row, smoothed; None when no points lie along it. The rings'
    centres run in a straight line, so a plate is hammered straight, not dented by the mesh; a `hang`ing plate is
    no narrower than the one above it (a skirt of lames)."""
    t, x, z = limb.local(points)
    rows = len(ts)
    slabs = [np.abs(t - tk) < reach for tk in ts]
    ok = np.array([s.sum() >= 8 for s in slabs])
    if not ok.any():
        return None
    mids = np.array([[(x[s].min() + x[s].max()) / 2, (z[s].min() + z[s].max()) / 2] if k else [0.0, 0.0]
                     for s, k in zip(slabs, ok)])
    if ok.sum() >= 2:
        centre = np.stack([np.polyval(np.polyfit(ts[ok], mids[ok, i], 1), ts) for i in (0, 1)], 1)
    else:
        centre = np.repeat(mids[ok][:1], rows, 0)
    radii = np.zeros((rows, COLS))
    for k, s in enumerate(slabs):
        dx, dz = x[s] - centre[k, 0], z[s] - centre[k, 1]
        col = np.round(np.arctan2(dx, dz) % TAU / TAU * COLS).astype(np.int64) % COLS
        np.maximum.at(radii[k], col, np.hypot(dx, dz))
    for k in range(rows):  # a row with too few points takes its neighbour's outline
        if (radii[k] > 0).mean() < 0.3:
            radii[k] = radii[k - 1] if k else radii[min(k + 1, rows - 1)]
    for _ in range(COLS // 4):  # fill the angles no point fell in
        radii = np.maximum(radii, np.maximum(np.roll(radii, 1, 1), np.roll(radii, -1, 1)) * 0.985)
    radii = uniform_filter1d(radii, 9, axis=1, mode="wrap")
    if rows > 4:
        radii = uniform_filter1d(radii, 3, axis=0, mode="nearest")
    if hang:
        radii = np.maximum.accumulate(radii, axis=0)
    return _Fit(np.asarray(ts, np.float64), centre, radii)


def _around(limb: _Limb, fit: _Fit, ts: np.ndarray, thetas: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Points round the limb at (ts[row, col], thetas[col]), `d` (rows, cols) off the fitted body: a (rows, cols,
    3) grid."""
    cx, cz = (np.interp(ts, fit.ts, fit.centre[:, i]) for i in (0, 1))
    ang = np.arange(COLS) / COLS * TAU
    at = np.stack([np.interp(thetas, ang, row, period=TAU) for row in fit.radii])  # (fit rows, cols)
    r = np.stack([np.interp(ts[:, k], fit.ts, at[:, k]) for k in range(len(thetas))], 1) + d
    grid = (limb.a + limb.u * ts[..., None]
            + limb.side * (cx + r * np.sin(thetas))[..., None]
            + limb.front * (cz + r * np.cos(thetas))[..., None])
    return grid.astype(np.float32)


def _rows(t0: np.ndarray, t1: np.ndarray, n: int, top: tuple[float, ...], bottom: float) -> np.ndarray:
    """A plate's rows from its top edge t0 to its bottom edge t1 (each per column): at each break in its profile
    (`top` past t0, `bottom` short of t1), so the bevels come out crisp, and n between. (rows, cols)"""
    span = t1 - t0
    bottom = np.minimum(bottom, 0.45 * span)
    head = np.stack([t0 + np.minimum(o, 0.45 * span) for o in (0.0, *top)])
    inner = np.linspace(head[-1], t1 - bottom, n + 2)[1:-1]
    return np.concatenate([head, inner, [t1 - bottom, t1]])


def _band(limb, fit, t0, t1, name, metal, *, proud=PROUD, roll=0.0, arc=None, n=10, flare=0.0, slope=0.0,
          ridge=0.0) -> Part:
    """One plate round a limb from t0 to t1 (each a number, or one per column of an arc), a full ring or an
    `arc` (from, to) of angles. Its face stands `proud` off the body, `slope` more at t1 (a lame that flares),
    with a rolled rim below the top edge when `roll` and a crease down its front when `ridge`; its top edge is
    bevelled and its bottom edge chamfered at 45 degrees back into the body, or, when it has a `flare` (a
    cuff's bell), its back follows its face so the mouth stays a wall thick."""
    cols = np.linspace(arc[0], arc[1], 25) if arc else np.arange(COLS) / COLS * TAU
    t0, t1 = (np.broadcast_to(np.asarray(t, np.float64), cols.shape) for t in (t0, t1))
    top = (BEVEL, BEVEL + 0.005, BEVEL + 0.02, BEVEL + 0.035) if roll else (BEVEL,)
    ts = _rows(t0, t1, n, top, proud + slope + SINK - _LIP)
    down = ts - t0  # how far below the top edge
    crease = ridge * np.clip(1 - np.abs((cols + np.pi) % TAU - np.pi) / 0.4, 0, 1) ** 1.5
    lift = proud + slope * down / (t1 - t0) + roll * np.exp(-(((down - BEVEL - 0.02) / 0.02) ** 2)) + crease
    face = np.minimum(lift, proud + roll + crease - BEVEL + down)  # the top edge's bevel
    face = np.minimum(face, -SINK + _LIP + (t1 - ts))  # the chamfer under the bottom edge
    if arc:  # the sides' edges chamfered too, measured round the ring
        reach = np.minimum(cols - arc[0], arc[1] - cols) * float(fit.radii.mean())
        face = np.minimum(face, -SINK + _LIP + reach)
    back = np.full_like(face, -SINK)
    if flare:
        bell = flare * (down / (t1 - t0)) ** 1.6
        face = np.maximum(face, proud + bell - np.clip((ts - t1 + 0.012) * 3, 0, None))
        back = np.maximum(back, face - WALL)
    outer = _around(limb, fit, ts, cols, face)
    inner = _around(limb, fit, ts, cols, back)
    return _closed(outer, inner, arc is None, name, metal)


def _closed(outer: np.ndarray, inner: np.ndarray, wrap: bool, name: str, metal: np.ndarray) -> Part:
    """The closed shell between a plate's face and its back, two (rows, cols, 3) sheets: the sheets joined along
    their edges (a ring's sheets wrap round in cols, so only their top and bottom edges are joined)."""
    rows, cols = outer.shape[:2]
    if wrap:  # down the face and back up the back: a torus of quads
        grid = np.concatenate([outer, inner[::-1]])
        idx = np.arange(2 * rows * cols).reshape(2 * rows, cols)
        a, b = idx, np.roll(idx, -1, 1)
        c, d = np.roll(b, -1, 0), np.roll(idx, -1, 0)
        f = np.concatenate([np.stack([a, b, c], -1).reshape(-1, 3), np.stack([a, c, d], -1).reshape(-1, 3)])
        v = grid.reshape(-1, 3)
    else:
        v = np.concatenate([outer.reshape(-1, 3), inner.reshape(-1, 3)])
        n = rows * cols
        idx = np.arange(n).reshape(rows, cols)
        a, b, c, d = idx[:-1, :-1], idx[:-1, 1:], idx[1:, 1:], idx[1:, :-1]
        sheet = np.concatenate([np.stack([a, b, c], -1).reshape(-1, 3), np.stack([a, c, d], -1).reshape(-1, 3)])
        ring = np.concatenate([idx[0, :], idx[1:, -1], idx[-1, -2::-1], idx[-2:0:-1, 0]])  # the sheet's edge
        nxt = np.roll(ring, -1)
        f = np.concatenate([sheet, sheet[:, ::-1] + n, np.stack([ring, ring + n, nxt], 1),
                            np.stack([nxt, ring + n, nxt + n], 1)])
    return _metal_part(name, v, f, metal)


def _metal_part(name: str, v: np.ndarray, f: np.ndarray, metal: np.ndarray) -> Part:
    """A closed shell outward facing, in polished metal paint."""
    v = np.asarray(v, np.float32)
    f = np.asarray(f, np.int32)
    if signed_volume(v, f) < 0:
        f = f[:, ::-1].copy()
    return Part(name, v, f, paint_finish(v, f, np.tile(metal, (len(v), 1)), metal, "metallic"), "metal")


def _cop(name, centre, axis, r_out, spread, metal, across=None, squash=(1.0, 1.0, 1.0)) -> Part:
    """A domed plate (a pauldron's, a couter's or a poleyn's): the part of a thick shell round `centre` within
    `spread` radians of `axis`, its rim rounded; `squash` scales it along `axis` (below 1 a flatter dome),
    across toward `across` and across that."""
    v, f = uv_sphere(14, 28)
    polar = np.arccos(np.clip(v[:, 1], -1, 1))
    face = polar <= np.pi / 2  # the sphere's top half becomes the dome's face, its bottom half the back
    q = np.where(face, polar, np.pi - polar) / (np.pi / 2)
    rim = np.clip((q - 0.7) / 0.3, 0, 1) ** 2
    mid = r_out - WALL / 2
    r = np.where(face, r_out - (r_out - mid) * rim, r_out - WALL + (mid - r_out + WALL) * rim)
    ax, b, c = frame_any(axis)
    if across is not None:
        b = np.asarray(across, np.float64) - ax * (ax @ across)
        b /= np.linalg.norm(b)
        c = np.cross(ax, b)
    ang = np.arctan2(v[:, 0], v[:, 2])
    tilt = q * spread
    local = np.stack([np.cos(tilt), np.sin(tilt) * np.cos(ang), np.sin(tilt) * np.sin(ang)], 1) * squash
    apex = np.asarray(centre) + ax * r_out * (1 - squash[0])  # a flatter dome keeps its crown where it was
    pts = apex + (r[:, None] * local) @ np.stack([ax, b, c])
    return _metal_part(name, pts, f, metal)


def _reach(points: np.ndarray, centre, axis, cone: float = 0.5, within: float = 0.45) -> float:
    """How far the body reaches from `centre` toward `axis`, within a cone of that many radians and no farther
    than `within` (the joint's own surface, not the next part of the body that the cone meets)."""
    d = points - centre
    dist = np.linalg.norm(d, axis=1)
    near = ((d @ axis) > np.cos(cone) * dist) & (dist < within)
    return float(np.percentile(dist[near], 95)) if near.sum() > 5 else 0.15


def _ends(points: np.ndarray, toward) -> tuple[np.ndarray, np.ndarray]:
    """The ends of a limb piece along its length: (the far end, the end nearer `toward`)."""
    c = points.mean(0)
    axis = np.linalg.svd(points - c, full_matrices=False)[2][0]
    t = (points - c) @ axis
    lo, hi = c + axis * np.percentile(t, 1), c + axis * np.percentile(t, 99)
    return (lo, hi) if np.linalg.norm(hi - toward) < np.linalg.norm(lo - toward) else (hi, lo)


# ---------------------------------------------------------------- the suit


def _trunk(w: Worn, metal: np.ndarray) -> list[Part]:
    """The cuirass, a breastplate and a backplate wrapped round the torso, and the skirt of lames at the hips."""
    torso, joints = w.torso, w.joints
    shoulder, hip = joints["l-shoulder"][1], joints["l-upper-leg"][1]
    band = torso[(torso[:, 1] > hip + 0.3) & (torso[:, 1] < shoulder - 0.1)]
    cz = float((band[:, 2].min() + band[:, 2].max()) / 2)
    parts = []
    # Breastplate and backplate: each wraps its half of the torso, scooped at the neck and cut in under the arms,
    # the breastplate with a ridge down its front and a point at its waist; the padding shows at the sides.
    top = shoulder + 0.05
    chest = _limb((0.0, top, cz), (0.0, hip, cz), (0, 0, 1), (1, 0, 0))
    fit = _fit(chest, torso, np.linspace(0.0, top - hip - 0.15, 16), reach=0.05)
    if fit is not None:
        wrap = 1.3  # how far round from the middle of the front (or the back) each plate reaches
        u = np.linspace(-1, 1, 25)
        armhole = 0.9 * np.clip(np.abs(u) - 0.6, 0, None)
        front = (top - (shoulder - 0.12 + 0.16 * u ** 2 - armhole), top - (hip + 0.3 - 0.08 * (1 - np.abs(u))))
        back = (top - (shoulder - 0.05 + 0.08 * u ** 2 - armhole), top - (hip + 0.3))
        parts.append(_band(chest, fit, *front, "breastplate", metal, proud=0.06, roll=0.02, ridge=0.04,
                           arc=(-wrap, wrap), n=16))
        parts.append(_band(chest, fit, *back, "backplate", metal * 0.97, proud=0.05, roll=0.02,
                           arc=(np.pi - wrap, np.pi + wrap), n=16))
    # Lames: four overlapping bands, each stepping out over the one below it and hanging straight.
    hips = _limb((0.0, hip + 0.36, cz), (0.0, hip - 0.3, cz), (0, 0, 1), (1, 0, 0))
    fit = _fit(hips, w.body, np.linspace(0, 0.5, 11), hang=True)
    if fit is not None:
        fit = _Fit(fit.ts, np.tile([0.0, fit.centre[:, 1].mean()], (len(fit.ts), 1)), fit.radii)  # hung straight
        for k in range(4):
            t0 = 0.02 + 0.11 * k
            parts.append(_band(hips, fit, t0, t0 + 0.16, "lame", metal * (0.98 - 0.02 * k), proud=0.04 + 0.015 * k,
                               slope=0.025, roll=0.012 if k == 0 else 0.0, n=8))
    return parts


def _shoulder(w: Worn, pieces: dict, side: float, s: str, metal: np.ndarray) -> list[Part]:
    """A pauldron: a dome over the shoulder and two lames down the upper arm, following the arm's pose."""
    sj = np.asarray(w.joints[f"{s.lower()}-shoulder"], np.float64)
    upper = pieces.get(f"upperarm.{s}")
    centre = sj + [side * 0.06, -0.04, 0.0]
    axis = unit(side * 1.0, 0.9, 0.0)
    # The dome is sized on the body at rest (the shoulder's ball and the cloth over it), so an arm raised into
    # it does not blow it up; the shoulder joint does not move in any pose.
    r = _reach(w.rest, centre, axis, 0.8) + 0.03 + PROUD + 0.01
    parts = [_cop("pauldron", centre, axis, r, 1.4, metal, across=(0, 0, 1), squash=(0.95, 1.0, 1.12))]
    if upper is None:
        return parts
    far, _ = _ends(upper, sj)
    limb = _limb(sj, far, (0, 0, 1), axis)  # the lames cover the arm's outside: its top when it is raised
    length = float(np.linalg.norm(far - sj))
    fit = _fit(limb, upper, np.linspace(0.1, length - 0.05, 10))
    if fit is None:
        return parts
    rim = float(np.percentile((parts[0].vertices - sj) @ limb.u, 95))  # how far down the arm the dome reaches
    for k in range(2):  # each lame tucks under the one above, the first under the dome's rim, above the elbow
        t0 = min(rim - 0.1, 0.62 * length - 0.31) + 0.13 * k
        parts.append(_band(limb, fit, t0, t0 + 0.18, "pauldron", metal * (0.97 - 0.03 * k), proud=0.08 - 0.015 * k,
                           arc=(np.pi / 2 - 2.0, np.pi / 2 + 2.0), n=6))
    return parts


def _arm(pieces: dict, side: float, s: str, metal: np.ndarray) -> list[Part]:
    """A vambrace round the forearm, a couter on the elbow and a flared gauntlet cuff at the wrist that stops
    short of the fingers; all follow the posed forearm."""
    fore, hand, upper = pieces.get(f"forearm.{s}"), pieces.get(f"hand.{s}"), pieces.get(f"upperarm.{s}")
    if fore is None or hand is None:
        return []
    elbow, wrist = _ends(fore, hand.mean(0))
    length = float(np.linalg.norm(wrist - elbow))
    limb = _limb(elbow, wrist, (0, 0, 1), unit(side, 0.4, 0))
    fit = _fit(limb, fore, np.linspace(0.04, length, 12))
    if fit is None:
        return []
    # A hand turned back toward its forearm (the fist tucked into the crook of crossed arms) is left bare: the
    # plates stop short of where it lies against the arm.
    folded = hand[np.linalg.norm(hand - wrist, axis=1) > 0.1]
    parts = []
    for name, t0, t1, proud, flare in (("vambrace", 0.1, length - 0.13, 0.045, 0.0),
                                       ("gauntlet", length - 0.17, length - 0.01, 0.06, 0.03)):
        t1 = _clear(limb, fit, folded, t0, t1, proud + flare + 0.03)
        if t1 - t0 > 0.12:
            parts.append(_band(limb, fit, t0, t1, name, metal * (1.0 if flare else 0.96), proud=proud, flare=flare,
                               roll=0.0 if flare else 0.015, n=12 if t1 - t0 > 0.3 else 9))
    if upper is not None:  # the couter caps the point of the elbow, whichever way the arm bends
        shoulder_end, _ = _ends(upper, elbow)
        bend = unit(*(shoulder_end - elbow)) + limb.u
        point = -bend / np.linalg.norm(bend) if np.linalg.norm(bend) > 0.3 else -limb.front
        arm = np.concatenate([fore, upper])
        r = _reach(arm, elbow, point, 0.35) + PROUD
        parts.append(_cop("couter", elbow, point, r, 1.2, metal, across=limb.u, squash=(1.0, 1.1, 1.0)))
    return parts


def _clear(limb: _Limb, fit: _Fit, points: np.ndarray, t0: float, t1: float, room: float) -> float:
    """How far along the limb a plate from t0 may run (up to t1) before it meets one of `points` lying within
    `room` of the body's surface there."""
    t, x, z = limb.local(points)
    near = (t > t0 - room) & (t < t1 + room)
    if not near.any():
        return t1
    t, x, z = t[near], x[near], z[near]
    dx, dz = x - np.interp(t, fit.ts, fit.centre[:, 0]), z - np.interp(t, fit.ts, fit.centre[:, 1])
    col = np.round(np.arctan2(dx, dz) % TAU / TAU * COLS).astype(np.int64) % COLS
    row = np.clip(np.searchsorted(fit.ts, t), 0, len(fit.ts) - 1)
    inside = np.hypot(dx, dz) < fit.radii[row, col] + room
    return min(t1, float(t[inside].min()) - 0.04) if inside.any() else t1


def _leg(w: Worn, side: float, metal: np.ndarray) -> list[Part]:
    """A tasset hanging from the lames over the thigh, a cuisse on the thigh, a poleyn on the knee and a greave
    round the shin with a crease down its front."""
    j = w.joints
    hip, knee, ankle = j["l-upper-leg"][1], j["l-knee"][1], j["l-ankle"][1]
    leg = w.body[(w.body[:, 0] * side > 0.02) & (w.body[:, 1] < hip + 0.1)]

    def centre(y: float) -> np.ndarray:
        slab = leg[np.abs(leg[:, 1] - y) < 0.05]
        return np.array([(slab[:, 0].min() + slab[:, 0].max()) / 2, y, (slab[:, 2].min() + slab[:, 2].max()) / 2])

    out = (side, 0.0, 0.0)
    parts: list[Part] = []
    hi, lo = centre(hip - 0.3), centre(knee + 0.15)
    thigh = _limb(hi + (hi - lo) * (0.3 / (hi[1] - lo[1])), lo, (0, 0, 1), out)  # from the hip joint's height down
    span = float((thigh.u @ (lo - thigh.a)) + 0.15)
    fit = _fit(thigh, leg, np.linspace(0.05, span, 12))
    if fit is not None:  # placed by the thigh's length, so a short-legged style gets them too
        parts.append(_band(thigh, fit, 0.075 * span, 0.31 * span, "tasset", metal * 0.97, proud=0.08, slope=0.04,
                           arc=(-0.7, 1.8), n=8))
        parts.append(_band(thigh, fit, 0.33 * span, 0.92 * span, "cuisse", metal, proud=0.04, roll=0.012,
                           arc=(-1.8, 1.8), n=12))
    hi, lo = centre(knee - 0.15), centre(ankle + 0.35)
    shin = _limb(hi + (hi - lo) * (0.15 / (hi[1] - lo[1])), lo, (0, 0, 1), out)  # from the knee's height down
    span = float(shin.u @ (lo - shin.a))
    fit = _fit(shin, leg, np.linspace(-0.05, span + 0.1, 14))
    if fit is not None:
        parts.append(_band(shin, fit, 0.12, span + 0.24, "greave", metal, roll=0.015, ridge=0.025, n=16))
        front = np.asarray(shin.front)
        reach = _reach(leg, shin.a, front, 0.4)  # from the leg's axis to the front of the knee
        cup = 0.62 * reach  # the poleyn cups the front of the knee, a little narrower than the leg
        knee = shin.a - shin.u * 0.03
        parts.append(_cop("poleyn", knee + front * (reach - cup), front, cup + 0.045, 1.15, metal,
                          across=(side, 0, 0), squash=(0.85, 1.1, 1.0)))
    return parts


def _sabaton(shoe: np.ndarray, side: float, metal: np.ndarray) -> list[Part]:
    """Lames over the top of the shoe from the instep to the toe, each overlapping the next."""
    lo, hi = shoe.min(0), shoe.max(0)
    mid_y = (lo[1] + hi[1]) / 2
    foot = _limb(((lo[0] + hi[0]) / 2, mid_y, lo[2]), ((lo[0] + hi[0]) / 2, mid_y, hi[2]), (0, 1, 0), (side, 0, 0))
    length = float(hi[2] - lo[2])
    fit = _fit(foot, shoe, np.linspace(0.05, length - 0.03, 12), reach=0.05)
    if fit is None:
        return []
    return [_band(foot, fit, length * t0, length * t0 + 0.2, "sabaton", metal * (0.98 - 0.02 * k),
                  proud=0.055 - 0.005 * k, arc=(-1.45, 1.45), n=6)
            for k, t0 in enumerate((0.34, 0.48, 0.62))]
