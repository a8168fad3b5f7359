"""Sculpted hands: a palm, four fingers of three phalanges with knuckles, and a thumb, set in a grip.

A hand is built in its own frame, given by three unit axes at the wrist: `along` (toward the fingers),
`across` (toward the thumb) and `palm` (out of the palm, the side the fingers curl to). Each digit is one
closed tube swept through its joints: a little flatter than round, tapering from the knuckle to a rounded,
slightly flattened tip, a crease under each joint, and a nail, a flat plate painted a little lighter, on the
back of its last phalanx. A thenar pad fills the palm under the thumb and a bump marks each knuckle on the
back of the hand, so the hand prints as one piece of overlapping shells and reads as a hand at print size.

Grips (what `pose.py` asks for):
    relaxed  fingers a little curled, thumb alongside the index: arms down
    grip     fingers and thumb wrapped round a held piece's handle (`GRIP_RADIUS`)
    fist     fingers closed into the palm, thumb over them: hands on hips, or tucked into the crook of an arm
    open     fingers straight and together, thumb out: a wave
    flat     fingers together, a little curled round what they lie on, thumb tucked under the palm: a hand
             laid over the other arm's biceps when the arms are folded
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .mesh import Part, placed, rings_mesh, uv_sphere

GRIP_RADIUS = 0.03  # the radius of the handle a gripping hand closes round (figure units, a hand 0.6 long)


@dataclass(frozen=True)
class Grip:
    """How a hand is held.

    Args:
        curl: each finger's bend at its knuckle, middle and end joints (degrees, toward the palm).
        spread: the fan between neighbouring fingers (degrees).
        thumb: the thumb's swing out from the index (degrees, in the palm's plane), its tilt toward the palm
            (degrees) and its curl at each of its two joints (degrees).
    """

    curl: tuple[float, float, float]
    spread: float
    thumb: tuple[float, float, float]


GRIPS = {
    "relaxed": Grip((20, 34, 18), 0.0, (8, 28, 10)),
    "grip": Grip((85, 70, 40), 0.0, (25, 55, 40)),
    "fist": Grip((88, 100, 70), 0.0, (15, 55, 50)),
    "open": Grip((4, 5, 3), 2.0, (40, 8, 8)),
    "flat": Grip((10, 45, 30), 0.0, (0, 85, 30)),
}

# Fingers, index to little: across the knuckle line (hand lengths from the middle), where the knuckle sits
# along the palm, and the finger's length next to the middle one's.
_FINGERS = ((0.15, 0.45, 0.93), (0.05, 0.47, 1.0), (-0.05, 0.455, 0.95), (-0.145, 0.42, 0.78))
_PHALANX = (0.25, 0.16, 0.125)  # the middle finger's phalanges, in hand lengths
_RADIUS = (0.064, 0.059, 0.053, 0.045)  # the finger's half width at each joint and the tip, in hand lengths
_THUMB = ((0.17, 0.13, 0.105), (0.074, 0.07, 0.064, 0.055))  # the thumb's bones and half widths: short, thick
_DEPTH = 0.86  # a digit's thickness (palm to back) next to its width
_SIDES, _STEPS = 12, 4  # a digit's cross-section and the rings along each phalanx
_NAIL = (0.35, 0.5)  # a nail's start along the last phalanx, and its half width next to the digit's


def _toward(d: np.ndarray, to: np.ndarray, deg: float) -> np.ndarray:
    """Unit direction d turned by `deg` degrees toward the direction `to` (in the plane of the two)."""
    d = d / np.linalg.norm(d)
    t = to - d * (to @ d)
    t = t / max(float(np.linalg.norm(t)), 1e-9)
    a = np.radians(deg)
    return d * np.cos(a) + t * np.sin(a)


def _digit(joints: np.ndarray, radii, back: np.ndarray, skin: np.ndarray, nail: np.ndarray):
    """A closed tube through a digit's joints (its base, inside the palm, first; the tip last): (vertices,
    faces, colours).

    Its cross-section is an ellipse `_DEPTH` as thick as wide, flatter over the back; it narrows from the
    knuckle to the tip, is creased on the palm side under each joint, closes in a rounded, flattened tip and
    carries a flat, lighter nail on the back of its last phalanx. `back` is the side the nail faces."""
    n = len(joints) - 1
    u = np.concatenate([np.arange(_STEPS) / _STEPS + i for i in range(n)] + [[float(n)]])  # joint index units
    i = np.minimum(u.astype(int), n - 1)
    f = (u - i)[:, None]
    centre = joints[i] * (1 - f) + joints[i + 1] * f
    centre[1:-1] = 0.25 * centre[:-2] + 0.5 * centre[1:-1] + 0.25 * centre[2:]  # round the bends a little
    tangent = np.gradient(centre, axis=0)
    tangent /= np.linalg.norm(tangent, axis=1, keepdims=True)
    # The tip's rounded cap and the base's, sunk in the palm: rings shrinking round each end to a pole.
    cap = np.array([0.45, 0.75, 0.93])
    tip_u = np.sqrt(1 - cap**2)
    base = [centre[0] - tangent[0] * radii[0] * 0.6 * c for c in cap[::-1]]
    tip = [centre[-1] + tangent[-1] * radii[-1] * 0.8 * c for c in cap]
    top, bottom = centre[0] - tangent[0] * radii[0] * 0.6, centre[-1] + tangent[-1] * radii[-1] * 0.8
    centre = np.concatenate([base, centre, tip])
    tangent = np.concatenate([[tangent[0]] * 3, tangent, [tangent[-1]] * 3])
    shrink = np.concatenate([tip_u[::-1], np.ones(len(u)), tip_u])
    u = np.concatenate([np.zeros(3), u, np.full(3, float(n))])
    width = np.interp(u, np.arange(n + 1), radii)
    # Frames carried along the bends (no twist): `up` is the back of the digit.
    carried, up = [], back - tangent[0] * (back @ tangent[0])
    for t in tangent:
        up = up - t * (up @ t)
        up = up / np.linalg.norm(up)
        carried.append(up)
    ups = np.asarray(carried)
    sides = np.cross(tangent, ups)
    phi = np.linspace(0, 2 * np.pi, _SIDES, endpoint=False)
    c, s = np.cos(phi)[None], np.sin(phi)[None]
    joint = np.exp(-(((u - np.round(u)) / 0.12) ** 2)) * ((np.round(u) > 0) & (np.round(u) < n))
    last = np.clip(u - (n - 1), 0, 1)[:, None]  # how far along the last phalanx
    flat_back = 0.2 + 0.25 * last  # the back flattens toward the nail
    y = np.where(s > 0, np.abs(s) ** (1 - flat_back), s)
    y = y * (1 - 0.14 * joint[:, None] * (s < 0) + 0.04 * joint[:, None] * (s > 0))  # creases under, knuckle over
    depth = _DEPTH * (1 - 0.12 * last)  # the tip is flatter than the root
    on_nail = (last > _NAIL[0]) & (s > 0.25) & (np.abs(c) < _NAIL[1]) & (shrink[:, None] > 0.6)
    y = y + 0.05 * on_nail
    r = (width * shrink)[:, None]
    v = centre[:, None] + sides[:, None] * (r * c)[..., None] + ups[:, None] * (r * depth * y)[..., None]
    colors = np.where(on_nail[..., None], nail, skin).reshape(-1, 3)
    verts, faces = rings_mesh(top, list(v), bottom)
    colors = np.concatenate([[skin], colors, [skin]])
    if _volume(verts, faces) < 0:
        faces = faces[:, ::-1]
    return verts, faces, colors


def _volume(v: np.ndarray, f: np.ndarray) -> float:
    """A closed mesh's signed volume (positive when its faces wind counter-clockwise seen from outside)."""
    a, b, c = v[f[:, 0]], v[f[:, 1]], v[f[:, 2]]
    return float(np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6)


_BUMP = uv_sphere(5, 8)


@dataclass
class Hand:
    """A sculpted hand: its part, the centre of what it grips, and each digit's joints (tip last)."""

    part: Part
    grip: np.ndarray
    digits: list[np.ndarray]


def build_hand(wrist, along, across, palm, grip: str, length: float, skin, name: str = "hand") -> Hand:
    """A hand at `wrist` in a grip (see GRIPS), `length` from the wrist to the middle fingertip."""
    g = GRIPS[grip]
    along, across, palm = (np.asarray(x, np.float64) for x in (along, across, palm))
    wrist = np.asarray(wrist, np.float64)
    L = float(length)
    skin = np.asarray(skin, np.float32)
    nail = skin + (np.array([1.0, 0.93, 0.9], np.float32) - skin) * 0.35  # a nail: lighter, a little pink
    shells, digits = [], []

    # The palm: a rounded slab, narrower at the wrist than at the knuckles, thicker at the heel.
    pv, pf = uv_sphere(10, 14)
    pv = np.sign(pv) * np.abs(pv) ** 0.7
    t = (pv[:, 1] + 1) / 2  # 0 at the wrist, 1 at the knuckles
    local = np.stack([pv[:, 0] * L * (0.16 + 0.045 * t), pv[:, 1] * L * 0.245, pv[:, 2] * L * (0.085 - 0.02 * t)], 1)
    shells.append(placed(local, pf, wrist + along * L * 0.235 - palm * L * 0.01, (across, along, palm)))
    # The thenar pad: the ball of the thumb, swelling out of the palm between the wrist and the thumb.
    tv, tf = uv_sphere(8, 10)
    ball = wrist + along * L * 0.17 + across * L * 0.085 + palm * L * 0.045
    shells.append(placed(tv * L * [0.085, 0.14, 0.04], tf, ball, (across, along, palm)))

    for k, (x, y, scale) in enumerate(_FINGERS):
        d0 = _toward(along, across, g.spread * (1.5 - k))
        p = wrist + along * L * y + across * L * x - palm * L * 0.015
        joints = [p]
        bend = 0.0
        for i in range(3):
            bend += g.curl[i]
            r = np.radians(bend)
            d = d0 * np.cos(r) + palm * np.sin(r)
            p = p + d * L * _PHALANX[i] * scale
            joints.append(p)
        thick = L * (0.9 + 0.1 * scale)
        shells.append(_digit(np.asarray(joints), [thick * r for r in _RADIUS], -palm, skin, nail))
        # The knuckle on the back of the hand.
        shells.append(placed(_BUMP[0] * L * _RADIUS[0] * [1.05, 1.1, 0.6], _BUMP[1], joints[0] - palm * L * 0.025,
                             (across, along, palm)))
        digits.append(np.asarray(joints))

    # The thumb: from the heel of the palm, swung out and tilted toward the palm, two joints curling in.
    out, tilt, bend = g.thumb
    d = _toward(_toward(along, across, out), palm, tilt)
    p = wrist + along * L * 0.1 + across * L * 0.14 + palm * L * 0.03
    joints = [p]
    curl = palm * 0.55 - across * 0.85  # the thumb curls across the palm, toward the little finger
    for i, seg in enumerate(_THUMB[0]):
        if i:
            d = _toward(d, curl, bend)
        p = p + d * L * seg
        joints.append(p)
    shells.append(_digit(np.asarray(joints), [L * r for r in _THUMB[1]], -curl, skin, nail))
    digits.insert(0, np.asarray(joints))

    verts, faces, colors, n = [], [], [], 0
    for shell in shells:
        v, f = shell[:2]
        verts.append(v)
        faces.append(f + n)
        colors.append(shell[2] if len(shell) > 2 else np.broadcast_to(skin, (len(v), 3)))
        n += len(v)
    part = Part(name, np.concatenate(verts), np.concatenate(faces), np.concatenate(colors), "skin")
    return Hand(part, _grip_centre(digits[2], wrist, along, palm, L).astype(np.float32), digits)


def _grip_centre(middle: np.ndarray, wrist, along, palm, L: float) -> np.ndarray:
    """The centre of the hole the middle finger curls round (a circle through its joints), or just in front
    of the palm when the finger is straight."""
    o = middle[0]
    u, w = along, palm
    xy = np.stack([(middle - o) @ u, (middle - o) @ w], 1)
    a = np.c_[2 * xy, np.ones(len(xy))]
    b = (xy**2).sum(1)
    (cx, cy, c), *_ = np.linalg.lstsq(a, b, rcond=None)
    radius = np.sqrt(max(c + cx**2 + cy**2, 0.0))
    if not np.isfinite(radius) or radius > L * 0.6 or cy <= 0:
        return wrist + along * L * 0.5 + palm * L * 0.15
    return o + u * cx + w * cy
