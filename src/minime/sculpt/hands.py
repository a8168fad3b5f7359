"""Sculpted hands: a palm, four fingers of three phalanges with knuckles, and a thumb, set in a grip.

A hand is built in its own frame, given by three unit axes at the wrist: `along` (toward the fingers),
`across` (toward the thumb) and `palm` (out of the palm, the side the fingers curl to). Each phalanx is
a small closed tapered capsule and each knuckle a bump over its joint, so the hand prints as one piece of
overlapping shells, like the mitts it replaced, and shows its fingers at print size.

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

from .mesh import Part, placed, uv_sphere

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
_RADIUS = (0.068, 0.064, 0.059, 0.053)  # the finger's half thickness at each joint and the tip, in hand lengths


def _toward(d: np.ndarray, to: np.ndarray, deg: float) -> np.ndarray:
    """Unit direction d turned by `deg` degrees toward the direction `to` (in the plane of the two)."""
    d = d / np.linalg.norm(d)
    t = to - d * (to @ d)
    t = t / max(float(np.linalg.norm(t)), 1e-9)
    a = np.radians(deg)
    return d * np.cos(a) + t * np.sin(a)


def _capsule(a: np.ndarray, b: np.ndarray, ra: float, rb: float, flat: float = 1.0):
    """A closed, tapered capsule from point a (radius ra) to point b (radius rb), flattened across its back."""
    d = b - a
    length = float(np.linalg.norm(d))
    d = d / max(length, 1e-9)
    side = np.cross(d, [0.0, 0.0, 1.0] if abs(d[2]) < 0.9 else [1.0, 0.0, 0.0])
    side /= np.linalg.norm(side)
    up = np.cross(side, d)
    v, f = _SEGMENT
    end = v[:, 1] > 0
    r = np.where(end, rb, ra)[:, None]
    local = v * r * [1.0, 1.0, flat]
    local[:, 1] += np.where(end, length / 2, -length / 2)
    return placed(local, f, (a + b) / 2, (side, d, up))


_SEGMENT = uv_sphere(8, 10)
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
    shells, digits = [], []

    # The palm: a rounded slab, narrower at the wrist than at the knuckles, thicker at the heel.
    pv, pf = uv_sphere(10, 14)
    pv = np.sign(pv) * np.abs(pv) ** 0.7
    t = (pv[:, 1] + 1) / 2  # 0 at the wrist, 1 at the knuckles
    local = np.stack([pv[:, 0] * L * (0.16 + 0.045 * t), pv[:, 1] * L * 0.245, pv[:, 2] * L * (0.085 - 0.02 * t)], 1)
    shells.append(placed(local, pf, wrist + along * L * 0.235 - palm * L * 0.01, (across, along, palm)))

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
        for i in range(3):
            shells.append(_capsule(joints[i], joints[i + 1], thick * _RADIUS[i], thick * _RADIUS[i + 1], 0.9))
        # Knuckles: a bump over each joint on the back of the finger, as a sculptor cuts them.
        for i in range(2):
            n = joints[i + 1] - joints[i]
            back = np.cross(across, n / np.linalg.norm(n))
            centre = joints[i + 1] + back * L * _RADIUS[i] * 0.25
            shells.append(placed(_BUMP[0] * L * _RADIUS[i] * 1.02, _BUMP[1], centre, (across, along, palm)))
        shells.append(placed(_BUMP[0] * L * _RADIUS[0] * [1.08, 1.08, 0.85], _BUMP[1], joints[0] - palm * L * 0.03,
                             (across, along, palm)))
        digits.append(np.asarray(joints))

    # The thumb: from the heel of the palm, swung out and tilted toward the palm, two joints curling in.
    out, tilt, bend = g.thumb
    d = _toward(_toward(along, across, out), palm, tilt)
    p = wrist + along * L * 0.1 + across * L * 0.14 + palm * L * 0.03
    joints = [p]
    for i, (seg, rad) in enumerate(((0.17, 0.066), (0.14, 0.06), (0.115, 0.054))):
        if i:  # the thumb curls across the palm, toward the little finger
            d = _toward(d, palm * 0.55 - across * 0.85, bend)
        p = p + d * L * seg
        joints.append(p)
        shells.append(_capsule(joints[i], joints[i + 1], L * rad, L * rad * 0.9, 0.9))
    digits.insert(0, np.asarray(joints))

    verts, faces, n = [], [], 0
    for v, f in shells:
        verts.append(v)
        faces.append(f + n)
        n += len(v)
    part = Part(name, np.concatenate(verts), np.concatenate(faces), np.asarray(skin, np.float32), "skin")
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
