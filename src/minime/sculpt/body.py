"""The figure's body: the MakeHuman base mesh shaped, cut into toy pieces, painted with an outfit and posed.

Everything happens on arrays loaded once from assets/body.npz (see assets/README.md): macro targets
shape the body, plane cuts split it into articulated pieces, level-set cuts give crisp paint edges,
and linear blend skinning over the rig's weights poses it. Hands are sculpted closed mitts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from .mesh import Part, uv_sphere, vertex_normals

POSES = ("standing", "hands-on-hips", "arms-crossed", "waving", "holding")
TOPS = ("jacket", "shirt-tie", "hoodie", "t-shirt", "dress")
BOTTOMS = ("trousers", "skirt")

_ASSET = Path(__file__).parent / "assets" / "body.npz"
_WIDEN = 1.18  # action figures are chunkier than people
_BEVEL = 0.02  # how far each piece's rim draws in at a joint, so the cut reads
_EDGE = 0.006  # half width of a paint edge
_GROOVE = (0.05, 0.05, 0.05)


@dataclass
class Outfit:
    """What the figure wears; colours are sRGB in [0, 1]."""

    top: str = "t-shirt"
    bottom: str = "trousers"  # ignored under a dress
    top_color: tuple[float, float, float] = (0.2, 0.3, 0.6)
    under_color: tuple = (0.95, 0.95, 0.95)  # the shirt under a jacket / the inside of a hood
    tie_color: tuple = (0.6, 0.1, 0.1)
    bottom_color: tuple = (0.15, 0.15, 0.2)
    shoe_color: tuple = (0.08, 0.08, 0.08)
    skin: tuple = (0.85, 0.65, 0.5)
    pattern: str = ""  # "" or "stripes" (horizontal stripes on the top)
    pattern_color: tuple = (1, 1, 1)


@dataclass
class Body:
    """A sculpted body in figure space, ready for a head on its neck."""

    parts: list[Part]  # every part closed, figure space
    neck: np.ndarray  # (3,) top centre of the neck stump: the head's neck joint sits here
    neck_radius: float
    hand: np.ndarray  # (3,) the centre of the grip of the figure's right hand (viewer's left)
    shoulder_width: float  # outer width across the shoulders
    meta: dict = field(default_factory=dict)


@lru_cache(maxsize=1)
def _assets() -> SimpleNamespace:
    d = np.load(_ASSET)
    bones = [str(b) for b in d["bones"]]
    n = len(d["vertices"])
    weights = np.zeros((n, len(bones)), np.float32)
    np.put_along_axis(weights, d["weight_bones"].astype(np.int64), d["weights"].astype(np.float32), 1)
    return SimpleNamespace(
        vertices=d["vertices"].astype(np.float32),
        faces=d["faces"].astype(np.int64),
        targets={str(k): i for i, k in enumerate(d["target_names"])},
        deltas=d["targets"].astype(np.float32),
        joints={str(k): i for i, k in enumerate(d["joint_names"])},
        joint_pos=d["joints"].astype(np.float32),
        joint_deltas=d["joint_targets"].astype(np.float32),
        bones={b: i for i, b in enumerate(bones)},
        weights=weights,
    )


def _levels(value: float) -> tuple[float, float, float]:
    """MakeHuman's blend of its min / average / max targets for a slider in [0, 1]."""
    return max(0.0, 1 - 2 * value), 1 - abs(2 * value - 1), max(0.0, 2 * value - 1)


def _shape(build: float, gender: float):
    """Rest-pose vertices and joints in figure space for a build and gender."""
    a = _assets()
    muscle, weight = 0.55 + 0.4 * build, 0.2 + 0.6 * build
    coef = np.zeros(len(a.targets), np.float32)
    for g, gw in (("female", 1 - gender), ("male", gender)):
        coef[a.targets[g]] = gw
        for m, mw in zip(("min", "average", "max"), _levels(muscle)):
            for w, ww in zip(("min", "average", "max"), _levels(weight)):
                coef[a.targets[f"{g}-{m}muscle-{w}weight"]] = gw * mw * ww
    coef[a.targets["shoulder-incr"]] = 0.4 + 0.6 * build
    v = a.vertices + np.tensordot(coef, a.deltas, 1)
    j = a.joint_pos + np.tensordot(coef, a.joint_deltas, 1)
    joint = lambda name: j[a.joints[name]]  # noqa: E731

    sole = v[:, 1].min()
    neck_cut = joint("neck")[1] + 0.45 * (joint("head")[1] - joint("neck")[1])
    scale = 5.0 / (neck_cut - sole)
    mat = np.array([scale * _WIDEN, scale, scale * _WIDEN], np.float32)
    v = (v - [0, sole, 0]) * mat
    j = (j - [0, sole, 0]) * mat

    # Heroic shoulders: the arms move out, the clavicles half as far, so the skin between follows.
    w = a.weights
    b = a.bones
    push = 0.06 + 0.1 * build
    for side, sign in (("L", 1), ("R", -1)):
        arm = w[:, b[f"upperarm.{side}"]] + w[:, b[f"lowerarm.{side}"]] + w[:, b[f"hand.{side}"]]
        v[:, 0] += sign * push * (arm + 0.6 * w[:, b[f"clavicle.{side}"]])
        s = side.lower()
        for name in a.joints:
            if name.startswith((f"{s}-shoulder", f"{s}-elbow", f"{s}-hand", f"{s}-finger")):
                j[a.joints[name], 0] += sign * push
    v = _cloth_smooth(v, j, a)
    return v.astype(np.float32), j.astype(np.float32)


def _cloth_smooth(v, j, a, radius=0.06):
    """Every top covers the chest and belly, so the nipples and the navel must not print through the cloth.

    The base mesh packs a dense ring of vertices into each nipple, so umbrella smoothing hardly moves it.
    An area-weighted Gaussian average over a fixed radius does not care how densely a spot is meshed:
    it irons out details smaller than the radius and keeps the chest's broad shape.
    """
    from scipy.spatial import cKDTree

    w, b = a.weights, a.bones
    trunk = np.clip(w[:, b["root"]] + w[:, b["spine"]] + w[:, b["chest"]], 0, 1)
    y = v[:, 1]
    hip, shoulder = j[a.joints["l-upper-leg"]][1], j[a.joints["l-shoulder"]][1]
    band = np.clip((y - hip - 0.05) / 0.3, 0, 1) * np.clip((shoulder - 0.05 - y) / 0.3, 0, 1)
    m = trunk * band
    idx = np.flatnonzero(m > 0)
    t = v[a.faces]
    area = np.zeros(len(v), np.float32)
    face_area = np.linalg.norm(np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0]), axis=1) / 6
    for k in range(3):
        np.add.at(area, a.faces[:, k], face_area)
    near = cKDTree(v).query_ball_point(v[idx], 2.5 * radius)
    cols = np.concatenate(near)
    rows = np.repeat(np.arange(len(idx)), [len(n) for n in near])
    d2 = ((v[idx][rows] - v[cols]) ** 2).sum(1)
    k = np.exp(-d2 / (2 * radius**2)) * area[cols]
    total = np.bincount(rows, k, len(idx))
    smooth = np.stack([np.bincount(rows, k * v[cols, c], len(idx)) for c in range(3)], 1) / total[:, None]
    out = v.copy()
    out[idx] += m[idx, None] * (smooth - v[idx])
    return out


class _Buffer:
    """Vertex rows (position, weights, fields) that grow as cuts add vertices, without copying each time."""

    def __init__(self, rows: np.ndarray):
        self.rows = np.empty((len(rows) * 2, rows.shape[1]), np.float32)
        self.rows[: len(rows)] = rows
        self.n = len(rows)

    def add(self, new: np.ndarray) -> None:
        if self.n + len(new) > len(self.rows):
            grown = np.empty((2 * (self.n + len(new)), self.rows.shape[1]), np.float32)
            grown[: self.n] = self.rows[: self.n]
            self.rows = grown
        self.rows[self.n: self.n + len(new)] = new
        self.n += len(new)

    @property
    def data(self) -> np.ndarray:
        return self.rows[: self.n]


def _slice(buf, faces, labels, col, level=0.0, eligible=None):
    """Split the triangles that the level set data[:, col] == level crosses; new vertices interpolate all columns."""
    data = buf.data
    f = data[:, col] - level
    tiny = np.abs(f) < 1e-7
    if tiny.any():
        f[tiny] = 1e-7
        data[tiny, col] = level + 1e-7
    cand = np.flatnonzero(eligible) if eligible is not None else np.arange(len(faces))
    s = f[faces[cand]] > 0
    npos = s.sum(1)
    hit = (npos == 1) | (npos == 2)
    if not hit.any():
        return faces, labels
    cross = np.zeros(len(faces), bool)
    cross[cand[hit]] = True
    s, npos = s[hit], npos[hit]
    t, st = faces[cross], s
    lone = np.where((npos == 1)[:, None], st, ~st).argmax(1)
    r = np.stack([t[np.arange(len(t)), (lone + k) % 3] for k in range(3)], 1)
    a, b, c = r.T
    n = len(data)
    key = np.concatenate([np.minimum(a, b) * n + np.maximum(a, b), np.minimum(a, c) * n + np.maximum(a, c)])
    uniq, inv = np.unique(key, return_inverse=True)
    e0, e1 = uniq // n, uniq % n
    w = (f[e0] / (f[e0] - f[e1]))[:, None]
    new = data[e0] + w * (data[e1] - data[e0])
    new[:, col] = level
    p, q = n + inv[: len(a)], n + inv[len(a):]
    tris = np.concatenate([np.stack([a, p, q], 1), np.stack([p, b, c], 1), np.stack([p, c, q], 1)])
    lab = labels[cross]
    buf.add(new)
    return np.concatenate([faces[~cross], tris]), np.concatenate([labels[~cross], lab, lab, lab])


def _rotation(u, v) -> np.ndarray:
    """The smallest rotation taking direction u to direction v."""
    u = u / np.linalg.norm(u)
    v = v / np.linalg.norm(v)
    axis = np.cross(u, v)
    s, c = np.linalg.norm(axis), float(u @ v)
    if s < 1e-8:
        return np.eye(3, dtype=np.float32)
    k = axis / s
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return (np.eye(3) + s * kx + (1 - c) * kx @ kx).astype(np.float32)


def _unit(*xyz) -> np.ndarray:
    v = np.array(xyz, np.float32)
    return v / np.linalg.norm(v)


def _arm_aims(pose: str, side: str, j) -> tuple[np.ndarray, np.ndarray | None, str]:
    """(upper-arm direction, forearm direction or a point the hand reaches for, hand shape) for one arm."""
    sx = 1.0 if side == "L" else -1.0  # L is the figure's left, at +x
    relaxed = (_unit(0.3 * sx, -1, 0.0), _unit(0.2 * sx, -1, 0.18), "fist")
    if pose == "standing":
        return relaxed
    if pose == "hands-on-hips":
        hip = j("upper-leg")
        return _unit(0.85 * sx, -0.75, -0.3), ("point", np.array([sx * (abs(hip[0]) + 0.28), hip[1] + 0.45, hip[2] + 0.05])), "fist"
    if pose == "arms-crossed":
        # Elbows forward so the forearms cross in front of the chest, the figure's left one over the right;
        # each wrist reaches past the middle so the fist lands at the other arm's elbow.
        chest = j("shoulder")[1] - 0.55
        over = side == "L"
        wrist = np.array([-sx * 0.3, chest + (0.1 if over else -0.02), 1.02 if over else 0.84], np.float32)
        return _unit(-0.3 * sx, -0.72, 0.62), ("point", wrist), "fist"
    if pose == "waving":
        if side == "L":
            return _unit(1, 0.55, 0.1), _unit(0.05, 1, 0.12), "open"
        return relaxed
    if pose == "holding":
        if side == "R":
            return _unit(0.12 * sx, -1, 0.08), _unit(0.0, -0.05, 1), "grip"
        return relaxed
    raise AssertionError(pose)


def _pose(pose: str, joints) -> dict:
    """Global rotations and pivots per bone for a pose (bones not named stay put)."""
    rot, pivot, posed, hands = {}, {}, {}, {}
    for side in "LR":
        s = side.lower()
        j = lambda name: joints[f"{s}-{name}"]  # noqa: E731
        shoulder, elbow, wrist = j("shoulder"), j("elbow"), j("hand")
        upper_dir, fore, shape = _arm_aims(pose, side, lambda name: joints[f"{s}-{name}"])
        ru = _rotation(elbow - shoulder, upper_dir)
        elbow_p = shoulder + ru @ (elbow - shoulder)
        stretch = 1.0
        if isinstance(fore, tuple):
            fore = fore[1] - elbow_p
            # A toy's forearm may lengthen a little to reach; its piece is cut, so nothing tears.
            stretch = float(np.clip(np.linalg.norm(fore) / np.linalg.norm(wrist - elbow), 1.0, 1.3))
        rf = _rotation(ru @ (wrist - elbow), fore) @ ru
        wrist_p = elbow_p + stretch * (rf @ (wrist - elbow))
        u = _unit(*(wrist - elbow))
        rl = rf @ (np.eye(3, dtype=np.float32) + (stretch - 1) * np.outer(u, u))
        rot[f"upperarm.{side}"], pivot[f"upperarm.{side}"], posed[f"upperarm.{side}"] = ru, shoulder, shoulder
        rot[f"lowerarm.{side}"], pivot[f"lowerarm.{side}"], posed[f"lowerarm.{side}"] = rl, elbow, elbow_p
        rot[f"hand.{side}"], pivot[f"hand.{side}"], posed[f"hand.{side}"] = rf, wrist, wrist_p
        hands[side] = (wrist_p, rf, shape)

        # Feet a little apart so the figure stands; the foot stays flat on the ground.
        hip, knee, ankle = j("upper-leg"), j("knee"), j("ankle")
        rl = _rotation(np.array([0, -1, 0], np.float32), _unit(0.06 * (1 if side == "L" else -1), -1, 0))
        knee_p = hip + rl @ (knee - hip)
        ankle_p = knee_p + rl @ (ankle - knee)
        rot[f"upperleg.{side}"], pivot[f"upperleg.{side}"], posed[f"upperleg.{side}"] = rl, hip, hip
        rot[f"lowerleg.{side}"], pivot[f"lowerleg.{side}"], posed[f"lowerleg.{side}"] = rl, knee, knee_p
        rot[f"foot.{side}"], pivot[f"foot.{side}"], posed[f"foot.{side}"] = np.eye(3, dtype=np.float32), ankle, ankle_p
    return {"rot": rot, "pivot": pivot, "posed": posed, "hands": hands}


def _skin(points, weights, spec) -> np.ndarray:
    """Linear blend skinning of rest points by the pose's bone transforms."""
    a = _assets()
    mats = np.zeros((len(a.bones), 3, 4), np.float32)
    mats[:, :, :3] = np.eye(3)
    for bone, r in spec["rot"].items():
        mats[a.bones[bone], :, :3] = r
        mats[a.bones[bone], :, 3] = spec["posed"][bone] - r @ spec["pivot"][bone]
    blend = (weights @ mats.reshape(len(a.bones), 12)).reshape(-1, 3, 4)
    return np.einsum("nij,nj->ni", blend[:, :, :3], points) + blend[:, :, 3]


def _check(name, value, allowed):
    if value not in allowed:
        raise ValueError(f"unknown {name} {value!r}; choose one of {', '.join(allowed)}")


def build_body(*, build: float = 0.5, gender: float = 0.7, pose: str = "standing",
               outfit: Outfit | None = None) -> Body:
    """Build the posed, painted, articulated body.

    Args:
        build: 0 slim, 0.5 average, 1 broad and heavy.
        gender: 0 female .. 1 male.
        pose: one of POSES.
        outfit: what it wears (default: a t-shirt and trousers).

    Returns:
        A Body: closed parts in figure space, the neck stump's top centre and radius, the right hand's
        grip centre and the shoulder width.

    Raises:
        ValueError: an unknown pose, top, bottom or pattern.
    """
    outfit = outfit or Outfit()
    _check("pose", pose, POSES)
    _check("top", outfit.top, TOPS)
    _check("bottom", outfit.bottom, BOTTOMS)
    _check("pattern", outfit.pattern, ("", "stripes"))
    build = float(np.clip(build, 0, 1))
    gender = float(np.clip(gender, 0, 1))

    # Shaping and cutting are the slow part and depend on none of the colours or the pose: they are
    # cached on a coarse grid of builds and genders that no one can tell apart on a toy.
    cut = _cut(round(build * 20) / 20, round(gender * 20) / 20, outfit.top, outfit.bottom, outfit.pattern)
    return _assemble(cut, pose, outfit)


# Pieces of the figure, in the order the cuts make them.
_PIECES = ("torso", "upperarm.L", "forearm.L", "upperarm.R", "forearm.R", "thigh.L", "shin.L", "thigh.R", "shin.R", "drop")


def _fields(v, w, joints, build, outfit) -> tuple[dict, list, SimpleNamespace]:
    """Per-vertex scalar fields on the rest body: the joint cuts and the paint edges are their zero sets."""
    a = _assets()
    b = a.bones
    j = lambda name: joints[name]  # noqa: E731
    x, y, z = v.T
    arm = {s: w[:, b[f"upperarm.{s}"]] + w[:, b[f"lowerarm.{s}"]] + w[:, b[f"hand.{s}"]] > 0.5 for s in "LR"}
    leg = {s: w[:, b[f"upperleg.{s}"]] + w[:, b[f"lowerleg.{s}"]] + w[:, b[f"foot.{s}"]] > 0.5 for s in "LR"}
    any_arm = arm["L"] | arm["R"]
    any_leg = leg["L"] | leg["R"]
    f = {"neck": y - 5.0}
    cuts = [("neck", 0.0, "torso", "drop")]

    mid = np.abs(x) < 0.04
    below = mid & (y < j("l-upper-leg")[1]) & ~any_arm
    crotch = y[below].min() if below.any() else j("l-upper-leg")[1] - 0.2
    for s, sx in (("L", 1.0), ("R", -1.0)):
        p = s.lower()
        shoulder, elbow, wrist = j(f"{p}-shoulder"), j(f"{p}-elbow"), j(f"{p}-hand")
        hip, knee, ankle = j(f"{p}-upper-leg"), j(f"{p}-knee"), j(f"{p}-ankle")
        n = _unit(sx, -0.45, 0)
        f[f"shoulder.{s}"] = np.where(arm[s], (v - shoulder - n * 0.02) @ n, -1.0)
        up, fore = _unit(*(elbow - shoulder)), _unit(*(wrist - elbow))
        f[f"elbow.{s}"] = (v - elbow) @ _unit(*(up + fore))
        f[f"wrist.{s}"] = (v - wrist) @ fore
        n = _unit(0.6 * sx, -1, 0)
        f[f"hip.{s}"] = np.where((x * sx > 0) & ~any_arm, (v - [0, crotch + 0.03, 0]) @ n, -1.0)
        thigh, shin = _unit(*(knee - hip)), _unit(*(ankle - knee))
        f[f"knee.{s}"] = (v - knee) @ _unit(*(thigh + shin))
        f[f"ankle.{s}"] = ankle[1] + 0.06 - y
        cuts += [(f"shoulder.{s}", 0.0, "torso", f"upperarm.{s}"), (f"elbow.{s}", 0.0, f"upperarm.{s}", f"forearm.{s}"),
                 (f"wrist.{s}", 0.0, f"forearm.{s}", "drop"), (f"hip.{s}", 0.0, "torso", f"thigh.{s}"),
                 (f"knee.{s}", 0.0, f"thigh.{s}", f"shin.{s}"), (f"ankle.{s}", 0.0, f"shin.{s}", "drop")]

    # Paint edges. Garments are shells standing proud of the body by different amounts, so every edge
    # between two of them is a ledge that catches the light, even on a black suit.
    top = outfit.top
    shoulder_y = j("l-shoulder")[1]
    hip_y = j("l-upper-leg")[1]
    knee_y = j("l-knee")[1]
    ankle_y = j("l-ankle")[1]
    neck_z = v[np.abs(y - 5.0) < 0.05, 2].mean()
    front = np.maximum(z - neck_z, 0)
    collar, dip = {"t-shirt": (4.8, 0.9), "dress": (4.72, 1.4)}.get(top, (4.9, 0.7))
    f["collar"] = y - (collar - dip * front)
    sleeve = {"t-shirt": 0.5, "dress": 0.3}.get(top, 9.0)  # fraction of the upper arm left covered
    along = np.zeros_like(y)
    cuff = np.full_like(y, -1.0)
    for s in "LR":
        p = s.lower()
        shoulder, elbow, wrist = j(f"{p}-shoulder"), j(f"{p}-elbow"), j(f"{p}-hand")
        length = np.linalg.norm(elbow - shoulder)
        along = np.where(arm[s], (v - shoulder) @ ((elbow - shoulder) / length) - sleeve * length, along)
        cuff = np.where(arm[s], (v - wrist) @ _unit(*(wrist - elbow)) + 0.13, cuff)
    f["sleeve"] = np.where(any_arm, along, -1.0)
    hem = {"jacket": hip_y - 0.35, "dress": knee_y + 0.1}.get(top, hip_y + 0.3)
    f["hem"] = np.where(any_arm, 1.0, y - hem)
    bare = {"dress": knee_y + 0.05}.get(top, knee_y + 0.25 if outfit.bottom == "skirt" else -1.0)
    f["bare"] = np.where(any_arm, 1.0, y - bare)
    chest_front = (z > neck_z - 0.1) & ~any_arm
    apex = shoulder_y - 1.05  # where the lapels meet at the top button
    masks = {"arm": any_arm.astype(np.float32), "chest": chest_front.astype(np.float32)}
    if top in ("jacket", "shirt-tie"):
        # The shirt's collar: a band round the neck above the neckline and two points down the front.
        f["shirt_collar"] = y - (collar + 0.07 - dip * front)
        depth = collar - dip * front - y
        f["points"] = np.where(chest_front, _triangle(np.abs(x), depth, (0.05, -0.03), (0.3, -0.03), (0.17, 0.3)), 1.0)
        tip = apex - 0.05
        width = (0.05 + 0.05 * np.clip((collar - y) / (collar - tip), 0, 1)) * np.clip((y - tip) / 0.12, 0.05, 1)
        f["tie"] = np.where(chest_front & (y > tip) & (y < collar + 0.1), np.abs(x) - width, 1.0)
        f["knot"] = np.where(chest_front, np.maximum(np.abs(x) - 0.075, depth - 0.15), 1.0)
    if top == "jacket":
        f["cuff"] = cuff
        reach = collar - 0.12 - apex
        f["vee"] = np.where(chest_front & (y > apex), np.abs(x) - 0.36 * (y - apex), 1.0)
        f["lapel"] = f["vee"] - (0.07 + 0.09 * np.clip((y - apex) / reach, 0, 1))
        f["collar_band"] = f["collar"] + 0.09
        f["closure"] = np.where(chest_front & (y <= apex + 0.02), x, 1.0)
        wy = apex + 0.6
        f["welt"] = np.where(chest_front, np.maximum(np.abs(x - 0.6) - 0.15, np.abs(y - wy + 0.12 * (x - 0.6)) - 0.028), 1.0)
    if top in ("t-shirt", "hoodie"):
        f["rib"] = f["collar"] + 0.06
        f["hem_band"] = f["hem"] - 0.07
    if top == "t-shirt":
        f["sleeve_hem"] = f["sleeve"] + 0.06
    if top == "hoodie":
        f["cuff"] = np.where(any_arm, cuff - 0.04, -1.0)
        py = hip_y + 0.55
        f["pocket"] = np.where(chest_front, np.maximum(np.abs(x) - (0.4 - 0.25 * (y - py)), np.abs(y - py) - 0.22), 1.0)
    if top == "shirt-tie" and outfit.bottom == "trousers":
        f["belt"] = np.where(any_arm, 1.0, y - (hem - 0.1))
    if top == "dress":
        f["waist"] = y - (hip_y + 0.45)
    if outfit.pattern == "stripes":
        f["stripes"] = np.where(any_arm | (y > hem), np.sin(y * (2 * np.pi / 0.3)), -1.0)
    # The trouser crease runs down the front of each leg, through the knee.
    legs = np.zeros_like(y)
    leg_front = np.zeros_like(y)
    for s, sx in (("L", 1.0), ("R", -1.0)):
        p = s.lower()
        ys = [j(f"{p}-ankle")[1], j(f"{p}-knee")[1], j(f"{p}-upper-leg")[1]]
        cx = np.interp(y, ys, [j(f"{p}-ankle")[0], j(f"{p}-knee")[0], j(f"{p}-upper-leg")[0]])
        cz = np.interp(y, ys, [j(f"{p}-ankle")[2], j(f"{p}-knee")[2], j(f"{p}-upper-leg")[2]])
        side = (x * sx > 0) & ~any_arm
        legs = np.where(side, np.abs(x - cx), legs)
        leg_front = np.where(side & (z > cz + 0.05) & (y < hip_y - 0.15), 1.0, leg_front)
    if outfit.bottom == "trousers" and top != "dress":
        f["crease"] = np.where(any_arm, 1.0, legs)
    masks["leg_front"] = leg_front.astype(np.float32)
    ctx = SimpleNamespace(masks=masks, ankle_y=ankle_y, hip_y=hip_y, apex=apex, hem=hem, collar=collar, neck_z=neck_z)
    return f, cuts, ctx


def _triangle(u, d, *corners):
    """A signed distance-like field, negative inside the triangle with these (u, d) corners."""
    pts = np.asarray(corners, np.float32)
    out = np.full_like(u, -np.inf)
    for k in range(3):
        p, q, r = pts[k], pts[(k + 1) % 3], pts[(k + 2) % 3]
        n = np.array([q[1] - p[1], p[0] - q[0]], np.float32)
        n /= np.linalg.norm(n)
        if n @ (r - p) > 0:
            n = -n
        out = np.maximum(out, (u - p[0]) * n[0] + (d - p[1]) * n[1])
    return out


def _seam(rgb) -> np.ndarray:
    """The colour of a stitched line or raised trim on this cloth: darker on light cloth, lighter on dark."""
    c = np.asarray(rgb, np.float32)
    lum = float(c @ [0.3, 0.59, 0.11])
    return c * 0.62 if lum > 0.3 else c + 0.16 * (1 - c)


def _paint(f, pos, ctx, outfit) -> tuple[np.ndarray, np.ndarray]:
    """Per-vertex colour and outward offset (how far the cloth stands off the body) from the paint fields."""
    c = lambda rgb: np.asarray(rgb, np.float32)  # noqa: E731
    n = len(f["neck"])
    y = pos[:, 1]
    on = lambda name: f[name] < 0 if name in f else np.zeros(n, bool)  # noqa: E731
    line = lambda name: np.abs(f[name]) <= _EDGE * 1.01 if name in f else np.zeros(n, bool)  # noqa: E731
    arm = f["arm"] > 0.5
    chest = f["chest"] > 0.5
    color = np.tile(c(outfit.skin), (n, 1))
    offset = np.zeros(n, np.float32)
    top_kind = outfit.top
    dress = top_kind == "dress"
    top = (f["collar"] < 0) & (f["sleeve"] < 0) & (f["hem"] > 0)
    bottom = (f["hem"] <= 0) & (f["bare"] > 0)
    cloth = c(outfit.top_color)
    top_rgb = np.tile(cloth, (n, 1))
    top_off = np.full(n, {"jacket": 0.06, "hoodie": 0.045, "shirt-tie": 0.025}.get(top_kind, 0.03), np.float32)
    if "stripes" in f:
        top_rgb[f["stripes"] > 0] = c(outfit.pattern_color)
    if "pocket" in f:
        top_off[on("pocket")] += 0.03
        top_rgb[(f["pocket"] < 0) & (f["pocket"] > -0.025)] = _seam(cloth)
    for band in ("rib", "hem_band", "sleeve_hem"):
        if band in f:
            ribbed = (f[band] > 0) & (f["collar"] < 0) if band == "rib" else (f[band] < 0) & (f["hem"] > 0)
            ribbed = ribbed & (f["sleeve"] + 0.06 > 0) if band == "sleeve_hem" else ribbed
            top_off[ribbed] += 0.018
            top_rgb[line(band) & top] = _seam(cloth)
    if top_kind == "hoodie":
        cuffed = arm & (f["cuff"] > 0)
        top_off[cuffed] += 0.018
        top_rgb[line("cuff") & arm] = _seam(cloth)
    if "waist" in f:
        top_rgb[line("waist")] = _seam(cloth)
        top_off[f["waist"] < 0] += 0.012
    under = np.zeros(n, bool)
    shirt = c(outfit.under_color)
    if top_kind == "jacket":
        lapel = ((f["lapel"] < 0) & (f["vee"] > 0)) | ((f["collar_band"] > 0) & (f["vee"] > 0))
        top_rgb[lapel] = cloth + 0.1 * (1 - cloth)  # satin-faced lapels catch more light
        top_off[lapel] += 0.025
        top_off[chest & (f["closure"] < 0) & (y > ctx.hip_y)] += 0.014  # the left front laps over the right
        welt = f["welt"] < 0
        top_off[welt] += 0.012
        top_rgb[line("welt")] = _seam(cloth)
        under = f["vee"] < 0
        top_rgb[under] = shirt
        top_off[under] = 0.02
        cuffed = arm & (f["cuff"] > 0)
        top_rgb[cuffed] = shirt
        top_off[cuffed] = 0.03
    if top_kind in ("jacket", "shirt-tie"):
        shirt_front = under if top_kind == "jacket" else top
        points = shirt_front & on("points")
        top_rgb[points] = shirt
        top_rgb[shirt_front & line("points")] = _seam(shirt)
        top_off[points] = top_off[points] + 0.02
        tie = shirt_front & on("tie")
        top_rgb[tie] = c(outfit.tie_color)
        top_off[tie] = top_off[tie] + 0.012
        knot = tie & on("knot")
        top_off[knot] += 0.02
        top_rgb[tie & line("knot")] = _seam(outfit.tie_color)
    color[bottom] = cloth if dress else c(outfit.bottom_color)
    color[top] = top_rgb[top]
    offset[bottom] = 0.015
    offset[top] = top_off[top]
    if top_kind in ("jacket", "shirt-tie"):
        band = (f["collar"] >= 0) & on("shirt_collar") & ~arm
        color[band] = shirt
        offset[band] = 0.035
        color[band & line("shirt_collar")] = _seam(shirt)
    if "belt" in f:
        belt = bottom & (f["belt"] > 0)
        color[belt] = (0.12, 0.08, 0.05)
        offset[belt] = 0.035
    if "crease" in f:
        legs = bottom & ~arm
        crease = legs & line("crease") & (f["leg_front"] > 0.5)
        color[crease] = _seam(outfit.bottom_color)
        offset[crease] += 0.008
        # Trouser legs widen into a hem that breaks over the shoe.
        offset[legs] += 0.05 * np.clip((ctx.ankle_y + 0.35 - y[legs]) / 0.3, 0, 1)
    return color, offset


def _rims(faces, n) -> list[np.ndarray]:
    """Each open rim of a piece as a loop of vertex indices, in the order that closes it facing out."""
    e = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]).astype(np.int64)
    key = np.minimum(e[:, 0], e[:, 1]) * n + np.maximum(e[:, 0], e[:, 1])
    _, inv, counts = np.unique(key, return_inverse=True, return_counts=True)
    rim = e[counts[inv] == 1]
    nxt = dict(zip(rim[:, 0].tolist(), rim[:, 1].tolist()))
    loops, seen = [], set()
    for start in nxt:
        if start in seen:
            continue
        loop = [start]
        seen.add(start)
        while nxt.get(loop[-1], start) != start and len(loop) <= len(nxt):
            loop.append(nxt[loop[-1]])
            seen.add(loop[-1])
        loops.append(np.array(loop))
    return loops


def _cap(v, faces, colors, loops):
    """Close each rim loop with a fan to its centre."""
    if not loops:
        return v, faces, colors
    n = len(v)
    new_f = [np.stack([np.roll(ring, -1), ring, np.full_like(ring, n + k)], 1) for k, ring in enumerate(loops)]
    new_v = [v[ring].mean(0) for ring in loops]
    new_c = [colors[ring].mean(0) for ring in loops]
    return np.concatenate([v, new_v]), np.concatenate([faces, *new_f]), np.concatenate([colors, new_c])


def _frame(joints, side):
    """The hand's rest axes: along the fingers, across toward the thumb, out of the palm."""
    p = side.lower()
    along = _unit(*(joints[f"{p}-finger-3-1"] - joints[f"{p}-hand"]))
    across = joints[f"{p}-finger-2-1"] - joints[f"{p}-finger-5-1"]
    across = across - along * (across @ along)
    across /= np.linalg.norm(across)
    palm = np.cross(along, across) * (1 if side == "L" else -1)
    return along, across, palm


@lru_cache(maxsize=4)
def _blob(rows=14, cols=20, power=0.6):
    """A closed rounded box of half-size 1 (a superellipsoid): the stock shape of mitts and hoods."""
    v, fc = uv_sphere(rows, cols)
    return np.sign(v) * np.abs(v) ** power, fc


def _placed(local, faces, origin, axes):
    """A blob given in (across, along, out) coordinates placed in the world by the axes' columns."""
    m = np.stack(axes, 1)
    faces = faces if np.linalg.det(m) > 0 else faces[:, ::-1]
    return local @ m.T + origin, faces


def _mitt(wrist, rot, rest_axes, shape, skin, size):
    along, across, palm = (rot @ a for a in rest_axes)
    v, fc = _blob()
    if shape == "open":
        length, width, depth, thumb = 0.5, 0.32, 0.13, (0.19, -0.1, 0.0)
    else:
        length, width, depth, thumb = 0.36, 0.33, 0.26, (0.15, 0.1, 0.08)
    length, width, depth = length * size, width * size, depth * size
    centre = wrist + along * (length / 2 - 0.02)
    hv, hf = _placed(v * [width / 2, length / 2, depth / 2], fc, centre, (across, along, palm))
    tv, tf = _placed(v ** 1 * [0.065, 0.13, 0.065] * size, fc,
                     centre + size * (across * thumb[0] + along * thumb[1] + palm * thumb[2]), (across, along, palm))
    verts = np.concatenate([hv, tv])
    faces = np.concatenate([hf, tf + len(hv)])
    return Part("hand", verts, faces, np.asarray(skin, np.float32), "skin"), centre + palm * depth * 0.05


def _shoe(foot, shift, color):
    """A closed shoe around a rest foot's points, moved by the pose; its sole is flat on y = 0."""
    lo, hi = foot.min(0), foot.max(0)
    lo, hi = lo - [0.035, 0, 0.04], hi + [0.035, 0.11, 0.06]
    v, fc = _blob(16, 24, 0.5)
    v = v.copy()
    toe = np.clip(v[:, 2], 0, 1)
    v[:, 1] = v[:, 1] - toe * 0.45 * (v[:, 1] + 1)  # lower at the toe
    v[:, 0] *= 1 - 0.15 * np.clip(-v[:, 2], 0, 1)  # narrower heel
    pts = (lo + hi) / 2 + v * (hi - lo) / 2 + [shift[0], 0, shift[2]]
    pts[:, 1] = np.maximum(pts[:, 1], 0.0)
    return Part("shoe", pts, fc, np.asarray(color, np.float32))


def _tube(points, waist, hem, flare, rows=14, cols=48, margin=(0.04, 0.07)):
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
        kernel = np.ones(7) / 7
        rx = np.convolve(np.pad(rx, 3, mode="edge"), kernel, "valid")
        rz = np.convolve(np.pad(rz, 3, mode="edge"), kernel, "valid")
        cz = np.convolve(np.pad(cz, 3, mode="edge"), kernel, "valid")
    rx = np.maximum.accumulate(np.maximum(rx, rx[0] * (1 + flare * t)))
    rz = np.maximum.accumulate(np.maximum(rz, rz[0] * (1 + flare * t)))
    ring = np.stack([np.sin(ang), np.cos(ang)], 1)
    return np.stack([rx[:, None] * ring[None, :, 0], np.repeat(ys[:, None], cols, 1),
                     cz[:, None] + rz[:, None] * ring[None, :, 1]], -1).astype(np.float32)


def _tube_part(name, grid, colors):
    rows, cols = grid.shape[:2]
    idx = np.arange(rows * cols).reshape(rows, cols)
    a, bb = idx[:-1], np.roll(idx[:-1], -1, 1)
    c, d = np.roll(idx[1:], -1, 1), idx[1:]
    faces = np.concatenate([np.stack([a, d, c], -1).reshape(-1, 3), np.stack([a, c, bb], -1).reshape(-1, 3)])
    colors = np.broadcast_to(np.asarray(colors, np.float32), (rows, cols, 3)).reshape(-1, 3)
    v, faces, colors = _cap(grid.reshape(-1, 3), faces, colors, _rims(faces, rows * cols))
    return Part(name, v, faces, colors)


def _skirt(points, waist, hem, flare, color):
    """A flared closed skirt shell from the waist to the hem, wide enough to clear the posed body."""
    return _tube_part("skirt", _tube(points, waist, hem, flare), color)


def _tails(points, waist, hem, outfit):
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
    parts = [_tube_part("jacket", grid, colors)]
    # Pocket flaps: a raised, squared flap on each hip.
    v, fc = _blob(6, 12, 0.25)
    k = int(rows * 0.62)
    for sign in (1, -1):
        col = int(round(cols * (0.14 if sign > 0 else 0.86)))
        at = grid[k, col]
        out = np.array([d[k, col, 0], 0, d[k, col, 1]], np.float32)
        across = np.cross(np.array([0, 1, 0], np.float32), out)
        fv, ff = _placed(v * [0.19, 0.05, 0.025], fc, at + out * 0.01, (across, np.array([0, 1, 0], np.float32), out))
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
    kernel = np.ones(15) / 15
    coarse = np.stack([np.convolve(np.pad(rr, 7, mode="wrap"), kernel, "valid") for rr in coarse])
    at = np.linspace(0, len(coarse_y) - 1, rows)
    k = np.minimum(at.astype(np.int64), len(coarse_y) - 2)
    t = (at - k)[:, None]
    radius = (1 - t) * coarse[k] + t * coarse[k + 1]
    radius = np.maximum.accumulate(radius, 0)
    radius += 0.05 * np.clip(np.linspace(-0.3, 1, rows), 0, 1)[:, None] ** 0.5 - 0.01
    return np.stack([radius * np.sin(ang), np.repeat(ys[:, None], cols, 1), cz + radius * np.cos(ang)], -1).astype(np.float32)


def _buttons(torso, ys, rgb, radius=0.045):
    """Round buttons on the front centre line of the posed torso at these heights."""
    v, fc = _blob(6, 12, 0.8)
    parts = []
    for yy in ys:
        near = torso[(np.abs(torso[:, 0]) < 0.05) & (np.abs(torso[:, 1] - yy) < 0.05)]
        if not len(near):
            continue
        at = np.array([-0.02, yy, near[:, 2].max() + 0.005], np.float32)
        bv, bf = _placed(v * [radius, radius, 0.022], fc, at, (_unit(1, 0, 0), _unit(0, 1, 0), _unit(0, 0, 1)))
        parts.append(Part("button", bv, bf, rgb))
    return parts


@lru_cache(maxsize=16)
def _cut(build, gender, top, bottom, pattern) -> SimpleNamespace:
    """The rest body shaped, cut into pieces along the joints and sliced along every paint edge."""
    a = _assets()
    rest, jpos = _shape(build, gender)
    joints = {name: jpos[i] for name, i in a.joints.items()}
    kind = Outfit(top=top, bottom=bottom, pattern=pattern)
    fields, cuts, ctx = _fields(rest, a.weights, joints, build, kind)
    fields.update(ctx.masks)
    names = list(fields)
    col = {name: 3 + len(a.bones) + i for i, name in enumerate(names)}
    buf = _Buffer(np.concatenate([rest, a.weights, np.stack([fields[k] for k in names], 1)], 1))
    faces = a.faces
    labels = np.zeros(len(faces), np.int64)

    piece = {name: i for i, name in enumerate(_PIECES)}
    for name, level, src, dst in cuts:
        faces, labels = _slice(buf, faces, labels, col[name], level, labels == piece[src])
        side = (buf.data[faces, col[name]] - level).sum(1) > 0
        labels[(labels == piece[src]) & side] = piece[dst]
    keep = labels != piece["drop"]
    faces, labels = faces[keep], labels[keep]
    for name in names:
        if name not in dict.fromkeys(c[0] for c in cuts) and name not in ctx.masks:
            for level in (-_EDGE, _EDGE):
                faces, labels = _slice(buf, faces, labels, col[name], level)

    data = buf.data.copy()
    f = {name: data[:, col[name]] for name in names}
    normals = vertex_normals(data[:, :3], faces)
    pieces = []
    for i, name in enumerate(_PIECES[:-1]):
        fi = faces[labels == i]
        if not len(fi):
            continue
        idx, local = np.unique(fi, return_inverse=True)
        local = local.reshape(-1, 3)
        rims = [rim for cut, level, src, dst in cuts if name in (src, dst)
                for rim in [np.abs(data[idx, col[cut]] - level) < 1e-6] if rim.any()]
        pieces.append((name, idx, local, rims, _rims(local, len(idx))))
    return SimpleNamespace(rest=rest, joints=joints, f=f, pos=data[:, :3], weights=data[:, 3:3 + len(a.bones)],
                           normals=normals, ctx=ctx, pieces=pieces, build=build)


def _assemble(cut, pose, outfit) -> Body:
    a = _assets()
    rest, joints, build, ctx = cut.rest, cut.joints, cut.build, cut.ctx
    color, offset = _paint(cut.f, cut.pos, ctx, outfit)
    rest_v = cut.pos + cut.normals * offset[:, None]
    spec = _pose(pose, joints)
    posed = _skin(rest_v, cut.weights, spec).astype(np.float32)

    # Each piece on its own, its rims drawn in a little so the joint reads as a cut.
    parts = []
    for name, idx, local, rims, loops in cut.pieces:
        v = posed[idx]
        for rim in rims:
            centre = v[rim].mean(0)
            d = v[rim] - centre
            v[rim] -= d / np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-6) * _BEVEL
        pv, pf, pc = _cap(v, local, color[idx], loops)
        parts.append(Part(name, pv, pf, pc, "vinyl"))

    size = 0.95 + 0.1 * build
    grip = None
    for side in "LR":
        wrist, rot, shape = spec["hands"][side]
        mitt, centre = _mitt(wrist, rot, _frame(joints, side), shape, outfit.skin, size)
        mitt.name = f"hand.{side}"
        parts.append(mitt)
        if side == "R":
            grip = centre

    for side in "LR":
        foot = rest[a.weights[:, a.bones[f"foot.{side}"]] > 0.5]
        ankle = joints[f"{side.lower()}-ankle"]
        shoe = _shoe(foot, spec["posed"][f"foot.{side}"] - ankle, outfit.shoe_color)
        shoe.name = f"shoe.{side}"
        parts.append(shoe)

    body_pts = np.concatenate([p.vertices for p in parts if p.name.startswith(("torso", "thigh", "shin"))])
    if outfit.top == "dress" or outfit.bottom == "skirt":
        waist = joints["l-upper-leg"][1] + 0.35
        hem = joints["l-knee"][1] + (0.1 if outfit.top == "dress" else 0.3)
        color_ = outfit.top_color if outfit.top == "dress" else outfit.bottom_color
        parts.append(_skirt(body_pts, waist, hem, 0.35 if outfit.top == "dress" else 0.2, color_))
    if outfit.top == "jacket":
        hip_y = joints["l-upper-leg"][1]
        parts += _tails(body_pts, hip_y + 0.25, hip_y - 0.52, outfit)
        torso_pts = next(p.vertices for p in parts if p.name == "torso")
        shade = np.asarray(outfit.top_color, np.float32) * 0.5 + 0.15
        parts += _buttons(torso_pts, (ctx.apex - 0.04, ctx.apex - 0.42), shade)
    if outfit.top == "hoodie":
        neck_ring = rest[np.abs(rest[:, 1] - 4.75) < 0.06]
        v, fc = _blob(12, 24, 0.8)
        hv, hf = _placed(v * [0.42, 0.2, 0.16], fc, np.array([0, 4.78, neck_ring[:, 2].min() - 0.02], np.float32),
                         (_unit(1, 0, 0), _unit(0, 1, 0.35), _unit(0, -0.35, 1)))
        hc = np.tile(np.asarray(outfit.top_color, np.float32), (len(hv), 1))
        hc[vertex_normals(hv.astype(np.float32), hf)[:, 2] > 0.6] = outfit.under_color
        parts.append(Part("hood", hv, hf, hc))

    lift = -min(p.vertices[:, 1].min() for p in parts if p.name.startswith("shoe"))
    for p in parts:
        p.vertices[:, 1] += lift
    torso = next(p for p in parts if p.name == "torso")
    ring = rest[np.abs(rest[:, 1] - 5.0) < 0.03]
    neck = np.array([0.0, 5.0 + lift, ring[:, 2].mean()], np.float32)
    neck_radius = float(np.linalg.norm((ring - neck)[:, [0, 2]], axis=1).mean())
    near = np.concatenate([p.vertices for p in parts if p.name.startswith(("torso", "upperarm"))])
    band = near[np.abs(near[:, 1] - lift - joints["l-shoulder"][1]) < 0.15]
    grip = grip + [0, lift, 0]
    return Body(parts, neck, neck_radius, grip.astype(np.float32), float(band[:, 0].max() - band[:, 0].min()))
