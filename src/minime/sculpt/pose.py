"""Posing: the pose table (where each arm points, what each hand does) and linear blend skinning.

A pose is one entry: a function that, for one arm, gives the upper arm's direction, the forearm's direction
(or a point the wrist reaches for) and the hand: a grip's name in hands.GRIPS ("relaxed", "grip", "fist", "open"
or "flat"), which carries on the forearm's turn, or a `Hold`, a grip with the way the fingers point and
the palm faces (a hand laid on the other arm). The legs stand about shoulder-width apart in every pose, feet
flat on the ground.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Joint = Callable[[str], np.ndarray]  # "shoulder", "elbow", "hand", "upper-leg", ... -> this side's joint


@dataclass(frozen=True)
class Hold:
    """A hand set by where it points, not by its forearm's turn.

    Args:
        grip: a name in hands.GRIPS.
        along: the direction the fingers point from the wrist (figure space).
        palm: the direction the palm faces (made square to `along`).
    """

    grip: str
    along: np.ndarray
    palm: np.ndarray


Aim = tuple[np.ndarray, "np.ndarray | tuple[str, np.ndarray]", "str | Hold"]  # (upper arm, forearm or ("point", p), hand)


@dataclass(frozen=True)
class Pose:
    """One stance of the figure.

    Args:
        name: what the user names it (`--pose`).
        arm: (side, joint) -> Aim for the figure's "L" (its left, at +x) or "R" arm.
        holds: the right hand grips a held piece in this pose.
    """

    name: str
    arm: Callable[[str, Joint], Aim]
    holds: bool = False


STANCE = 0.16  # how far each ankle stands outside its hip, in figure units


def unit(*xyz) -> np.ndarray:
    v = np.array(xyz, np.float32)
    return v / np.linalg.norm(v)


def rotvec_matrix(r) -> np.ndarray:
    """The rotation about axis r by |r| radians, as a 3x3 float64 matrix (Rodrigues' formula)."""
    r = np.asarray(r, np.float64)
    angle = np.linalg.norm(r)
    if angle == 0:
        return np.eye(3)
    k = r / angle
    kx = np.array([[0.0, -k[2], k[1]], [k[2], 0.0, -k[0]], [-k[1], k[0], 0.0]])
    return np.eye(3) + np.sin(angle) * kx + (1 - np.cos(angle)) * (kx @ kx)


def rotation(u, v) -> np.ndarray:
    """The smallest rotation taking direction u to direction v (a half turn when they are opposite)."""
    u = np.asarray(u, np.float64)
    v = np.asarray(v, np.float64)
    u, v = u / np.linalg.norm(u), v / np.linalg.norm(v)
    axis = np.cross(u, v)
    angle = np.arctan2(np.linalg.norm(axis), u @ v)
    if np.linalg.norm(axis) < 1e-12:  # (anti)parallel: the cross product is rounding noise
        if u @ v > 0:
            return np.eye(3, dtype=np.float32)
        i = int(np.argmin(np.abs(v)))  # opposite: a half turn about an axis square to both
        axis = np.zeros(3)
        axis[i - 1], axis[i - 2] = v[i - 2], -v[i - 1]
    return rotvec_matrix(axis / np.linalg.norm(axis) * angle).astype(np.float32)


def nearest(points: np.ndarray, queries: np.ndarray, k: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The k nearest points to each query, nearest first: distances and indices, each (len(queries), k); past
    the last point, distance inf and index len(points).

    Brute force in blocks of queries: the point sets here are a few thousand at most."""
    points = np.asarray(points, np.float64)
    queries = np.asarray(queries, np.float64).reshape(-1, points.shape[1])
    n = len(points)
    block = max(1, 2_000_000 // max(1, n))
    ds, ids = [], []
    for start in range(0, max(len(queries), 1), block):
        q = queries[start:start + block]
        d2 = np.zeros((len(q), n))
        for c in range(points.shape[1]):  # a coordinate at a time: a sum over a short last axis is slow
            d2 += (q[:, c, None] - points[None, :, c]) ** 2
        if k == 1 and n:
            i = np.argmin(d2, axis=1)[:, None]
        else:
            i = np.argpartition(d2, k - 1, axis=1)[:, :k] if k < n else np.argsort(d2, axis=1)
        d = np.take_along_axis(d2, i, 1)
        order = np.argsort(d, axis=1, kind="stable")
        ids.append(np.take_along_axis(i, order, 1))
        ds.append(np.sqrt(np.take_along_axis(d, order, 1)))
    d, i = np.concatenate(ds), np.concatenate(ids)
    if k > n:
        d = np.pad(d, ((0, 0), (0, k - n)), constant_values=np.inf)
        i = np.pad(i, ((0, 0), (0, k - n)), constant_values=n)
    return d, i


def _sx(side: str) -> float:
    return 1.0 if side == "L" else -1.0


def relaxed(side: str, j: Joint) -> Aim:
    """Arms down, a little out from the body, hands relaxed."""
    sx = _sx(side)
    return unit(0.3 * sx, -1, 0.0), unit(0.2 * sx, -1, 0.18), "relaxed"


def hands_on_hips(side: str, j: Joint) -> Aim:
    sx, hip = _sx(side), j("upper-leg")
    return unit(0.85 * sx, -0.75, -0.3), ("point", np.array([sx * (abs(hip[0]) + 0.28), hip[1] + 0.45, hip[2] + 0.05])), "fist"


def _folded_elbow(side: str, shoulder: np.ndarray, length: float) -> tuple[np.ndarray, np.ndarray]:
    """A folded arm's upper arm direction and its elbow: in at the side of the waist, a little forward, the right
    one a little higher (its forearm lies on top). The elbows come in as far on a broad-shouldered body, so the
    forearms reach across."""
    x, dy, dz = (0.61, -0.78, 0.42) if side == "L" else (0.61, -0.68, 0.54)
    d = unit(*(np.array([_sx(side) * x, shoulder[1] + dy, shoulder[2] + dz], np.float32) - shoulder))
    return d, shoulder + d * length


def arms_crossed(side: str, j: Joint) -> Aim:
    """Arms folded as a person folds them: the forearms stack across the chest. The figure's right forearm lies
    on top, its hand laid flat over the left biceps, four fingers together round the arm and the thumb under it;
    the left forearm lies lower, going in under the right one, its fist tucked away in the crook of the right arm."""
    shoulder = j("shoulder")
    length = float(np.linalg.norm(j("elbow") - shoulder))
    upper, _ = _folded_elbow(side, shoulder, length)
    across = shoulder * np.array([-1.0, 1.0, 1.0], np.float32)  # the other shoulder: the body is symmetric
    _, elbow = _folded_elbow("R" if side == "L" else "L", across, length)
    if side == "L":
        return upper, ("point", elbow + [0.2, 0.05, -0.05]), Hold("fist", unit(-0.2, 0.1, -1.0), unit(1.0, 0.3, 0.0))
    # The wrist comes out over the inside of the left upper arm, a third of the way up from its elbow; the hand
    # lies over the arm's front and round its outer side.
    biceps = elbow + (across - elbow) * 0.36
    return upper, ("point", biceps + [-0.42, 0.0, 0.36]), Hold("flat", unit(1.0, -0.2, -0.04), unit(0.2, 0.0, -1.0))


def waving(side: str, j: Joint) -> Aim:
    if side == "L":
        return unit(1, 0.55, 0.1), unit(0.05, 1, 0.12), "open"
    return relaxed(side, j)


def holding(side: str, j: Joint) -> Aim:
    if side == "R":
        return unit(0.12 * _sx(side), -1, 0.08), unit(0.0, -0.05, 1), "grip"
    return relaxed(side, j)


BUILT_IN = (Pose("standing", relaxed), Pose("hands-on-hips", hands_on_hips), Pose("arms-crossed", arms_crossed),
            Pose("waving", waving), Pose("holding", holding, holds=True))


@dataclass
class Posed:
    """A pose applied to a rig: each moved bone's global rotation, its rest pivot and where the pivot goes."""

    rot: dict[str, np.ndarray]
    pivot: dict[str, np.ndarray]
    posed: dict[str, np.ndarray]
    hands: dict[str, tuple[np.ndarray, np.ndarray, str]]  # side -> (wrist, rotation, hand shape)


def pose_bones(pose: Pose, joints: dict[str, np.ndarray]) -> Posed:
    """Global rotations and pivots per bone for a pose (bones not named stay put)."""
    out = Posed({}, {}, {}, {})

    def put(bone, r, pivot, posed):
        out.rot[bone], out.pivot[bone], out.posed[bone] = r, pivot, posed

    for side in "LR":
        s = side.lower()
        j = lambda name: joints[f"{s}-{name}"]  # noqa: E731
        shoulder, elbow, wrist = j("shoulder"), j("elbow"), j("hand")
        upper_dir, fore, hold = pose.arm(side, j)
        ru = rotation(elbow - shoulder, upper_dir)
        elbow_p = shoulder + ru @ (elbow - shoulder)
        stretch = 1.0
        if isinstance(fore, tuple):
            fore = fore[1] - elbow_p
            # A toy's forearm may lengthen a little to reach; its piece is cut, so nothing tears.
            stretch = float(np.clip(np.linalg.norm(fore) / np.linalg.norm(wrist - elbow), 1.0, 1.3))
        rf = rotation(ru @ (wrist - elbow), fore) @ ru
        wrist_p = elbow_p + stretch * (rf @ (wrist - elbow))
        u = unit(*(wrist - elbow))
        rl = rf @ (np.eye(3, dtype=np.float32) + (stretch - 1) * np.outer(u, u))
        put(f"upperarm.{side}", ru, shoulder, shoulder)
        put(f"lowerarm.{side}", rl, elbow, elbow_p)
        put(f"hand.{side}", rf, wrist, wrist_p)
        if isinstance(hold, Hold):
            out.hands[side] = (wrist_p, _held(hand_axes(joints, side), hold, side), hold.grip)
        else:
            out.hands[side] = (wrist_p, rf, hold)

        # The rig stands with its legs splayed: each leg swings in so its ankle is a little outside its hip,
        # feet about shoulder-width apart and the weight over them, not a straddle; the foot stays flat.
        hip, knee, ankle = j("upper-leg"), j("knee"), j("ankle")
        leg = ankle - hip
        drop = np.sqrt(max(float(leg @ leg) - STANCE**2 - leg[2] ** 2, 1e-6))
        rl = rotation(leg, np.array([_sx(side) * STANCE, -drop, leg[2]], np.float32))
        knee_p = hip + rl @ (knee - hip)
        ankle_p = knee_p + rl @ (ankle - knee)
        put(f"upperleg.{side}", rl, hip, hip)
        put(f"lowerleg.{side}", rl, knee, knee_p)
        put(f"foot.{side}", np.eye(3, dtype=np.float32), ankle, ankle_p)
    return out


def hand_axes(joints: dict[str, np.ndarray], side: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The hand's rest axes: along the fingers, across toward the thumb, out of the palm."""
    p = side.lower()
    along = unit(*(joints[f"{p}-finger-3-1"] - joints[f"{p}-hand"]))
    across = joints[f"{p}-finger-2-1"] - joints[f"{p}-finger-5-1"]
    across = across - along * (across @ along)
    across /= np.linalg.norm(across)
    palm = np.cross(along, across) * _sx(side)
    return along, across, palm


def _held(rest: tuple[np.ndarray, np.ndarray, np.ndarray], hold: Hold, side: str) -> np.ndarray:
    """The rotation taking a hand's rest axes to a Hold's: the fingers along `hold.along`, the palm facing
    `hold.palm` as nearly as it can square to them (the thumb's side follows, for this hand)."""
    along = unit(*hold.along)
    palm = hold.palm - along * (hold.palm @ along)
    palm = unit(*palm)
    across = np.cross(palm, along) * _sx(side)
    target = np.stack([along, across, palm], 1)
    return (target @ np.stack(rest, 1).T).astype(np.float32)


def skin(points: np.ndarray, weights: np.ndarray, bones: dict[str, int], posed: Posed) -> np.ndarray:
    """Linear blend skinning of rest points by the pose's bone transforms."""
    mats = np.zeros((len(bones), 3, 4), np.float32)
    mats[:, :, :3] = np.eye(3)
    for bone, r in posed.rot.items():
        mats[bones[bone], :, :3] = r
        mats[bones[bone], :, 3] = posed.posed[bone] - r @ posed.pivot[bone]
    blend = (weights @ mats.reshape(len(bones), 12)).reshape(-1, 3, 4)
    return np.einsum("nij,nj->ni", blend[:, :, :3], points) + blend[:, :, 3]
