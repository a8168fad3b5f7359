"""Posing: the pose table (where each arm points, what each hand does) and linear blend skinning.

A pose is one entry: a function that, for one arm, gives the upper arm's direction, the forearm's direction
(or a point the wrist reaches for) and the hand's grip (a name in hands.GRIPS: "relaxed", "grip", "fist",
"open" or "tucked"). The legs stand about shoulder-width apart in every pose, feet flat on the ground.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.spatial.transform import Rotation

Joint = Callable[[str], np.ndarray]  # "shoulder", "elbow", "hand", "upper-leg", ... -> this side's joint
Aim = tuple[np.ndarray, "np.ndarray | tuple[str, np.ndarray]", str]  # (upper arm, forearm or ("point", p), hand)


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


def rotation(u, v) -> np.ndarray:
    """The smallest rotation taking direction u to direction v (a half turn when they are opposite)."""
    u = np.asarray(u, np.float64)
    v = np.asarray(v, np.float64)
    r, _ = Rotation.align_vectors(v[None] / np.linalg.norm(v), u[None] / np.linalg.norm(u))
    return r.as_matrix().astype(np.float32)


def _sx(side: str) -> float:
    return 1.0 if side == "L" else -1.0


def relaxed(side: str, j: Joint) -> Aim:
    """Arms down, a little out from the body, hands relaxed."""
    sx = _sx(side)
    return unit(0.3 * sx, -1, 0.0), unit(0.2 * sx, -1, 0.18), "relaxed"


def hands_on_hips(side: str, j: Joint) -> Aim:
    sx, hip = _sx(side), j("upper-leg")
    return unit(0.85 * sx, -0.75, -0.3), ("point", np.array([sx * (abs(hip[0]) + 0.28), hip[1] + 0.45, hip[2] + 0.05])), "fist"


def arms_crossed(side: str, j: Joint) -> Aim:
    # Elbows forward so the forearms cross in front of the chest, the figure's left one over the right;
    # each wrist reaches past the middle so the fist lands at the other arm's elbow.
    sx = _sx(side)
    chest = j("shoulder")[1] - 0.55
    over = side == "L"
    wrist = np.array([-sx * 0.3, chest + (0.1 if over else -0.02), 1.02 if over else 0.84], np.float32)
    return unit(-0.3 * sx, -0.72, 0.62), ("point", wrist), "tucked"


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
        upper_dir, fore, shape = pose.arm(side, j)
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
        out.hands[side] = (wrist_p, rf, shape)

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


def skin(points: np.ndarray, weights: np.ndarray, bones: dict[str, int], posed: Posed) -> np.ndarray:
    """Linear blend skinning of rest points by the pose's bone transforms."""
    mats = np.zeros((len(bones), 3, 4), np.float32)
    mats[:, :, :3] = np.eye(3)
    for bone, r in posed.rot.items():
        mats[bones[bone], :, :3] = r
        mats[bones[bone], :, 3] = posed.posed[bone] - r @ posed.pivot[bone]
    blend = (weights @ mats.reshape(len(bones), 12)).reshape(-1, 3, 4)
    return np.einsum("nij,nj->ni", blend[:, :, :3], points) + blend[:, :, 3]
