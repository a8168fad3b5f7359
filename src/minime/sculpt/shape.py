"""Shaping the MakeHuman base body: its rig loaded once, macro targets for build and gender, and body styles.

A body style sets a figure's proportions as measurements of the rig, never as absolute heights: how many
head heights the neck stands above the soles, how long the legs and arms are next to the rig's own, how
chunky the figure is, and how big its head is. Every height the body needs (the neck cut, the collar,
the hood) is then read from the shaped rig's joints.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

_ASSET = Path(__file__).parent / "assets" / "body.npz"


@dataclass(frozen=True)
class BodyStyle:
    """A figure's proportions.

    Args:
        name: what the user names it (`--style`).
        stature: the neck cut's height above the soles in figure units, before legs or arms are shortened.
        legs: the legs' length (hip to ankle) next to the rig's own; the feet keep their size.
        arms: the arms' length (shoulder to wrist) next to the rig's own; the hands keep their size.
        widen: how much wider and deeper than a person the figure is.
        head: the head's scale (head space to figure units).
        lift: how far the head sits above the neck cut, in head heights of its own: the chin comes down to just
            above the collar, so only a sliver of neck shows.
        shoulders: how far the arms move out for heroic shoulders, next to the bobblehead's.
        inset: how far a man's arms move in at the shoulders, in figure units, for a figure's narrower shoulders;
            a woman's move in nearly twice as far.
        breadth: the rig's shoulder target for a slim man: above 0 it broadens the shoulders, below 0 it narrows
            them; a broad build adds up to 0.6 and a woman's body takes up to 0.6 off.
    """

    name: str
    stature: float = 5.0
    legs: float = 1.0
    arms: float = 1.0
    # The defaults are a 6-inch collector line: the head a little generous, 1/7 to 1/7.5 of the height with its
    # hair, legs about half of it, a man's shoulders about two head heights across in a jacket (a woman's less),
    # and a short neck, the collar standing round it. The MakeHuman body has a person's legs, but its shoulders
    # are nearly three times its head's height: under a figure's head they read as a linebacker's, so they are
    # narrowed (the shoulder target turned down, the arms moved in).
    widen: float = 1.0
    head: float = 0.78
    lift: float = 0.08
    shoulders: float = 0.15
    inset: float = 0.045
    breadth: float = -0.6


# Where the neck is cut, as a share of the way from the neck joint up to the head joint.
NECK_CUT = 0.15

ACTION = BodyStyle("action")
# The same face paint on a head four times the action figure's, over a short, stocky body.
BOBBLEHEAD = BodyStyle("bobblehead", legs=0.5, arms=0.78, widen=1.25, head=3.0, lift=0.05, shoulders=1.0, inset=0.0,
                       breadth=0.58)
BUILT_IN = (ACTION, BOBBLEHEAD)


@dataclass(frozen=True)
class Rig:
    """The base mesh, its targets and its skeleton with skin weights, as arrays (see assets/README.md)."""

    vertices: np.ndarray
    faces: np.ndarray
    targets: dict[str, int]
    deltas: np.ndarray
    joints: dict[str, int]
    joint_pos: np.ndarray
    joint_deltas: np.ndarray
    bones: dict[str, int]
    weights: np.ndarray  # (vertices, bones)


@lru_cache(maxsize=1)
def rig() -> Rig:
    d = np.load(_ASSET)
    bones = [str(b) for b in d["bones"]]
    n = len(d["vertices"])
    weights = np.zeros((n, len(bones)), np.float32)
    np.put_along_axis(weights, d["weight_bones"].astype(np.int64), d["weights"].astype(np.float32), 1)
    return Rig(
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


@dataclass(frozen=True)
class Shaped:
    """The rest body in figure space: vertices, joints, and the neck cut's height (measured from the joints)."""

    vertices: np.ndarray
    joints: np.ndarray
    neck: float


def _levels(value: float) -> tuple[float, float, float]:
    """MakeHuman's blend of its min / average / max targets for a slider in [0, 1]."""
    return max(0.0, 1 - 2 * value), 1 - abs(2 * value - 1), max(0.0, 2 * value - 1)


def shape(build: float, gender: float, style: BodyStyle = ACTION) -> Shaped:
    """Rest-pose vertices and joints in figure space for a build, a gender and a body style."""
    a = rig()
    muscle, weight = 0.55 + 0.4 * build, 0.2 + 0.6 * build
    coef = np.zeros(len(a.targets), np.float32)
    for g, gw in (("female", 1 - gender), ("male", gender)):
        coef[a.targets[g]] = gw
        for m, mw in zip(("min", "average", "max"), _levels(muscle)):
            for wt, ww in zip(("min", "average", "max"), _levels(weight)):
                coef[a.targets[f"{g}-{m}muscle-{wt}weight"]] = gw * mw * ww
    broad = style.breadth + 0.6 * build - 0.6 * (1 - gender)
    coef[a.targets["shoulder-incr" if broad > 0 else "shoulder-decr"]] = min(abs(broad), 1.0)
    v = a.vertices + np.tensordot(coef, a.deltas, 1)
    j = a.joint_pos + np.tensordot(coef, a.joint_deltas, 1)
    joint = lambda name: j[a.joints[name]]  # noqa: E731

    sole = v[:, 1].min()
    # The neck is cut low, where it is still a round column over the spine: any higher, the cut runs forward
    # into the underside of the jaw, and the stump (and the head on it) would sit in front of the shoulders.
    neck_cut = joint("neck")[1] + NECK_CUT * (joint("head")[1] - joint("neck")[1])
    scale = style.stature / (neck_cut - sole)
    mat = np.array([scale * style.widen, scale, scale * style.widen], np.float32)
    v = (v - [0, sole, 0]) * mat
    j = (j - [0, sole, 0]) * mat
    neck = float((neck_cut - sole) * scale)

    # Heroic shoulders (or a figure's narrower ones): the arms move out (or in), the clavicles a little less far,
    # so the skin between follows.
    w = a.weights
    b = a.bones
    push = style.shoulders * (0.06 + 0.1 * build) - style.inset * (1 + 0.8 * (1 - gender))
    for side, sign in (("L", 1), ("R", -1)):
        arm = w[:, b[f"upperarm.{side}"]] + w[:, b[f"lowerarm.{side}"]] + w[:, b[f"hand.{side}"]]
        v[:, 0] += sign * push * (arm + 0.6 * w[:, b[f"clavicle.{side}"]])
        s = side.lower()
        for name in a.joints:
            if name.startswith((f"{s}-shoulder", f"{s}-elbow", f"{s}-hand", f"{s}-finger")):
                j[a.joints[name], 0] += sign * push
    v = _trouser_legs(v, j)
    if style.arms != 1.0:
        v, j = _shorten(v, j, style.arms, ("upperarm", "lowerarm"), ("shoulder", "hand"), "hand", "elbow",
                        ("hand", "finger"))
    if style.legs != 1.0:  # the feet come up toward the hips; the figure stands on them again once posed
        v, j = _shorten(v, j, style.legs, ("upperleg", "lowerleg"), ("upper-leg", "ankle"), "foot", "knee",
                        ("ankle", "foot", "toe"))
    v = _cloth_smooth(v, j)
    return Shaped(v.astype(np.float32), j.astype(np.float32), neck)


def _trouser_legs(v: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Legs filled out a little toward a straight leg (bare legs too): a person's calf and ankle are thin, and a
    thin leg reads as leggings. Each leg is widened about its own axis, more toward the ankle; trousers are then
    cut straight by `straight_legs`."""
    a = rig()
    w, b = a.weights, a.bones
    out = v.copy()
    for side in "LR":
        s = side.lower()
        hip, knee, ankle = (j[a.joints[f"{s}-{n}"]] for n in ("upper-leg", "knee", "ankle"))
        weight = np.clip(w[:, b[f"upperleg.{side}"]] + w[:, b[f"lowerleg.{side}"]], 0, 1)
        idx = np.flatnonzero(weight > 0)
        y = v[idx, 1]
        ys = [ankle[1], knee[1], hip[1]]
        centre = np.stack([np.interp(y, ys, [ankle[0], knee[0], hip[0]]), y,
                           np.interp(y, ys, [ankle[2], knee[2], hip[2]])], 1)
        grow = np.interp(y, [ankle[1], knee[1], hip[1]], [1.32, 1.12, 1.04])
        d = v[idx] - centre
        d[:, 1] = 0
        out[idx] += (weight[idx] * (grow - 1))[:, None] * d
    return out


def _shorten(v: np.ndarray, j: np.ndarray, factor: float, limb: tuple[str, str], ends: tuple[str, str],
             tail: str, mid: str, carried: tuple[str, ...]):
    """Each limb drawn in along its own axis to `factor` of its length, keeping its girth; what hangs off its
    end (a hand, a foot) keeps its size and moves with the end.

    Args:
        limb: the limb's two bones, e.g. ("upperarm", "lowerarm").
        ends: its first and last joints, e.g. ("shoulder", "hand").
        tail: the bone that hangs off its end.
        mid: the joint halfway along it ("elbow"), drawn in with it.
        carried: the joints that move with its end (name prefixes: "hand", "finger").
    """
    a = rig()
    w, b = a.weights, a.bones
    v, j = v.copy(), j.copy()
    for side in "LR":
        s = side.lower()
        root, end = j[a.joints[f"{s}-{ends[0]}"]].copy(), j[a.joints[f"{s}-{ends[1]}"]].copy()
        axis = (end - root) / np.linalg.norm(end - root)
        shift = (factor - 1) * (end - root)
        weight = np.clip(w[:, b[f"{limb[0]}.{side}"]] + w[:, b[f"{limb[1]}.{side}"]], 0, 1)
        v += (factor - 1) * (weight * ((v - root) @ axis))[:, None] * axis + w[:, b[f"{tail}.{side}"], None] * shift
        for name, i in a.joints.items():
            if name.startswith(tuple(f"{s}-{m}" for m in carried)):
                j[i] += shift
            elif name == f"{s}-{mid}":
                j[i] += (factor - 1) * ((j[i] - root) @ axis) * axis
    return v, j


def _cloth_smooth(v, j, radius=0.06):
    """Every top covers the chest and belly, so the nipples and the navel must not print through the cloth.

    The base mesh packs a dense ring of vertices into each nipple, so umbrella smoothing hardly moves it.
    An area-weighted Gaussian average over a fixed radius does not care how densely a spot is meshed:
    it irons out details smaller than the radius and keeps the chest's broad shape.
    """
    a = rig()
    w, b = a.weights, a.bones
    trunk = np.clip(w[:, b["root"]] + w[:, b["spine"]] + w[:, b["chest"]], 0, 1)
    y = v[:, 1]
    hip, shoulder = j[a.joints["l-upper-leg"]][1], j[a.joints["l-shoulder"]][1]
    band = np.clip((y - hip - 0.05) / 0.3, 0, 1) * np.clip((shoulder - 0.05 - y) / 0.3, 0, 1)
    m = trunk * band
    idx = np.flatnonzero(m > 0)
    t = v[a.faces]
    face_area = np.linalg.norm(np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0]), axis=1) / 6
    area = sum(np.bincount(a.faces[:, k], face_area, len(v)) for k in range(3)).astype(np.float32)
    reach = 2.5 * radius  # every vertex within reach of a smoothed one, found among those in the band's box
    box = np.flatnonzero(((v >= v[idx].min(0) - reach) & (v <= v[idx].max(0) + reach)).all(1))
    rows, cols = _within(v[idx], v[box], reach)
    cols = box[cols]
    d2 = ((v[idx][rows] - v[cols]) ** 2).sum(1)
    k = np.exp(-d2 / (2 * radius**2)) * area[cols]
    total = np.bincount(rows, k, len(idx))
    smooth = np.stack([np.bincount(rows, k * v[cols, c], len(idx)) for c in range(3)], 1) / total[:, None]
    out = v.copy()
    out[idx] += m[idx, None] * (smooth - v[idx])
    return out


def _within(p: np.ndarray, q: np.ndarray, reach: float, block: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (i, j) with q[j] within `reach` of p[i], in order of i then j: the points of p a block at a time
    against only the points of q in the block's band of heights."""
    by_y = np.argsort(p[:, 1], kind="stable")
    q_order = np.argsort(q[:, 1], kind="stable")
    qy = q[q_order, 1]
    rows, cols = [], []
    for start in range(0, len(p), block):
        mine = by_y[start:start + block]
        lo = np.searchsorted(qy, p[mine, 1].min() - reach, side="left")
        hi = np.searchsorted(qy, p[mine, 1].max() + reach, side="right")
        cand = q_order[lo:hi]
        near = np.zeros((len(mine), len(cand)))
        for c in range(3):
            step = np.subtract.outer(p[mine, c], q[cand, c])
            near += step * step
        r, k = np.nonzero(near <= reach**2)
        rows.append(mine[r])
        cols.append(cand[k])
    i, j = np.concatenate(rows), np.concatenate(cols)
    order = np.lexsort((j, i))
    return i[order], j[order]


TUBE_TOP = 0.1  # how far under the crotch a trouser leg leaves the thigh and hangs straight
TUBE_HEM = 0.06  # the hem's height above the ankle joint (the shin is cut there)
TUBE_TAPER = 0.62  # the hem's width and depth next to the thigh's, where the leg leaves it, at the least
TUBE_FORWARD = 0.03  # the hem sits this much in front of the ankle joint, over the instep
TUBE_WIDEST = 1.3  # the most a hem opens out past TUBE_TAPER to pass over a calf: more is a flare
TUBE_EASE = 0.015  # room between the tube and the fullest of the knee and the calf
_BINS = 24  # directions round a leg in which the hem's reach is measured


def _ellipse(axes: np.ndarray, cos: np.ndarray, sin: np.ndarray) -> np.ndarray:
    """The radius of an ellipse with these half axes (..., 2) in a direction (cos, sin) from its centre."""
    return axes[..., 0] * axes[..., 1] / np.hypot(axes[..., 1] * cos, axes[..., 0] * sin)


@dataclass(frozen=True)
class Tube:
    """A trouser leg as a straight, tapering tube: its centre and, in each direction, its radius run linearly
    from where it leaves the thigh (`top`, an elliptical section) down to the hem (`hem`)."""

    top: float
    hem: float
    centre: tuple[np.ndarray, np.ndarray]  # (x, z) at the top and at the hem
    axes: np.ndarray  # (half-width, half-depth) at the top
    reach: np.ndarray  # (_BINS,) the hem's radius in directions 2 pi k / _BINS from the +x axis toward +z

    def t(self, y: np.ndarray) -> np.ndarray:
        """How far down the tube heights y are: 0 at the top, 1 at the hem."""
        return np.clip((self.top - y) / (self.top - self.hem), 0, 1)

    def centre_at(self, y: np.ndarray) -> np.ndarray:
        t = self.t(y)[:, None]
        return (1 - t) * self.centre[0] + t * self.centre[1]

    def radius(self, y: np.ndarray, cos: np.ndarray, sin: np.ndarray) -> np.ndarray:
        """The tube's radius at heights y in directions (cos, sin) round its centre."""
        t = self.t(y)
        angle = np.mod(np.arctan2(sin, cos), 2 * np.pi) * (_BINS / (2 * np.pi))
        k = np.floor(angle).astype(int)
        f = angle - k
        hem = (1 - f) * self.reach[k % _BINS] + f * self.reach[(k + 1) % _BINS]
        return (1 - t) * _ellipse(self.axes, cos, sin) + t * hem

    def crease(self, v: np.ndarray) -> np.ndarray:
        """Each point's distance across from the leg's front (and back) centre line."""
        return np.abs(v[:, 0] - self.centre_at(v[:, 1])[:, 0])


def _polar(p: np.ndarray, centre: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Points' offsets (N, 2) across from centres, their distances and their directions' cos and sin."""
    d = p[:, [0, 2]] - centre
    r = np.maximum(np.linalg.norm(d, axis=1), 1e-6)
    return d, r, d[:, 0] / r, d[:, 1] / r


def leg_tubes(v: np.ndarray, joints: dict[str, np.ndarray]) -> dict[str, Tube]:
    """The straight trouser leg round each leg of a rest body: an ellipse round the thigh just under the crotch,
    tapering down to a hem at least TUBE_TAPER of it, and wide enough on the way to pass over the knee and calf."""
    a = rig()
    w, b = a.weights, a.bones
    mid = (np.abs(v[:, 0]) < 0.04) & (v[:, 1] < joints["l-upper-leg"][1]) & (np.abs(v[:, 2]) < 0.6)
    crotch = v[mid, 1].min() if mid.any() else joints["l-upper-leg"][1] - 0.4
    top = crotch - TUBE_TOP
    tubes = {}
    bins = np.arange(_BINS) * (2 * np.pi / _BINS)
    for side, sx in (("L", 1.0), ("R", -1.0)):
        ankle = joints[f"{side.lower()}-ankle"]
        band = v[(v[:, 0] * sx > 0) & (np.abs(v[:, 1] - top) < 0.08)]
        lo, hi = band[:, [0, 2]].min(0), band[:, [0, 2]].max(0)
        c0, a0 = (lo + hi) / 2, (hi - lo) / 2
        c1 = np.array([ankle[0], ankle[2] + TUBE_FORWARD])
        hem = float(ankle[1] + TUBE_HEM)
        least = _ellipse(a0 * TUBE_TAPER, np.cos(bins), np.sin(bins))
        reach = least.copy()
        tube = Tube(float(top), hem, (c0, c1), a0, reach)
        # Each point of the leg well down the tube must be inside it: the hem reaches out as far as the line
        # from the top past that point goes.
        leg = (w[:, b[f"upperleg.{side}"]] + w[:, b[f"lowerleg.{side}"]] > 0.5) & (v[:, 1] > hem)
        p = v[leg & (tube.t(v[:, 1]) > 0.25)]
        t = tube.t(p[:, 1])
        _, r, cos, sin = _polar(p, tube.centre_at(p[:, 1]))
        above = _ellipse(a0, cos, sin)
        need = above + (r + TUBE_EASE - above) / t
        k = np.round(np.mod(np.arctan2(sin, cos), 2 * np.pi) * (_BINS / (2 * np.pi))).astype(int) % _BINS
        np.maximum.at(reach, k, need)
        for _ in range(2):  # no single direction juts out
            reach = np.maximum(reach, (np.roll(reach, 1) + 2 * reach + np.roll(reach, -1)) / 4)
            reach = (np.roll(reach, 1) + 2 * reach + np.roll(reach, -1)) / 4
        tubes[side] = Tube(float(top), hem, (c0, c1), a0, np.minimum(reach, least * TUBE_WIDEST))
    return tubes


def straight_legs(v: np.ndarray, joints: dict[str, np.ndarray], soft: float = 0.04) -> np.ndarray:
    """Each leg filled out to its trouser tube below the thigh: the cloth hangs past the knee and the calf
    instead of following them (a leg that follows them reads as leggings). Skin inside the tube moves out to
    it; skin outside it stays, the two joined by a smooth maximum `soft` wide."""
    a = rig()
    w, b = a.weights, a.bones
    out = v.copy()
    for side, tube in leg_tubes(v, joints).items():
        leg = np.clip(w[:, b[f"upperleg.{side}"]] + w[:, b[f"lowerleg.{side}"]], 0, 1)
        idx = np.flatnonzero((leg > 0) & (v[:, 1] > tube.hem - 0.15) & (v[:, 1] < tube.top))
        p = v[idx]
        centre = tube.centre_at(p[:, 1])
        d, r, cos, sin = _polar(p, centre)
        radius = tube.radius(p[:, 1], cos, sin)
        # A smooth maximum of the skin's radius and the tube's: no crease where one gives way to the other.
        target = (r + radius + np.sqrt((r - radius) ** 2 + soft**2)) / 2
        u = np.clip((tube.top - p[:, 1]) / 0.3, 0, 1)
        u = u * u * (3 - 2 * u) * leg[idx]
        out[idx[:, None], [0, 2]] = centre + d * (1 + u * (target / r - 1))[:, None]
    return out


SLEEVE_TOP = 0.35  # where down the upper arm (a share of it) a tailored sleeve leaves the shoulder and runs straight
SLEEVE_CUFF = 1.15  # the tube's girth at the wrist, next to the wrist's own: room for the cuff to hang free
_SLEEVE_BINS = 24  # stations along an arm where its girth is measured


def straight_sleeves(v: np.ndarray, joints: dict[str, np.ndarray]) -> np.ndarray:
    """Each arm drawn to a tailored sleeve below the shoulder: a tube that tapers evenly from the upper arm to the
    wrist, past the biceps, the elbow and the forearm's swell instead of following them (a sleeve that follows
    them reads as inflated). Each cross-section keeps its own shape, scaled to the tube's girth there."""
    a = rig()
    w, b = a.weights, a.bones
    out = v.copy()
    for side in "LR":
        s = side.lower()
        shoulder, elbow, wrist = (np.asarray(joints[f"{s}-{n}"], np.float64) for n in ("shoulder", "elbow", "hand"))
        arm = np.clip(w[:, b[f"upperarm.{side}"]] + w[:, b[f"lowerarm.{side}"]], 0, 1)
        idx = np.flatnonzero(arm > 0)
        p = v[idx].astype(np.float64)
        up, fore = elbow - shoulder, wrist - elbow
        l1, l2 = np.linalg.norm(up), np.linalg.norm(fore)
        up, fore = up / l1, fore / l2
        # Each point seen from both bones: its distance along the arm from the shoulder and out from the bone.
        seen = []
        for root, axis, start in ((shoulder, up, 0.0), (elbow, fore, l1)):
            along = (p - root) @ axis
            centre = root + along[:, None] * axis
            seen.append((start + along, centre, np.linalg.norm(p - centre, axis=1)))
        bend = (p - elbow) @ (up + fore) / np.linalg.norm(up + fore)  # < 0: the upper arm's side of the elbow
        first = bend < 0
        arc, radius = np.where(first, seen[0][0], seen[1][0]), np.where(first, seen[0][2], seen[1][2])
        # The arm's girth at stations along it, and the tube's: even from SLEEVE_TOP down to the wrist.
        top, end = SLEEVE_TOP * l1, l1 + l2
        stations = np.linspace(top, end, _SLEEVE_BINS)
        near = (np.abs(arc[None, :] - stations[:, None]) < (end - top) / _SLEEVE_BINS) & (arm[idx] > 0.9)
        seen_at = near.sum(1) > 0
        girth = (near * radius).sum(1)[seen_at] / near.sum(1)[seen_at]
        girth = np.interp(stations, stations[seen_at], girth)  # a station no point is near: its neighbours'
        tube = np.interp(stations, [top, end], [girth[0], girth[-1] * SLEEVE_CUFF])
        u = np.clip((arc - top * 0.5) / (top * 0.5), 0, 1)
        u = u * u * (3 - 2 * u) * arm[idx]
        moved = []
        for at, centre, _ in seen:
            scale = np.interp(at, stations, tube / np.maximum(girth, 1e-6))
            moved.append(centre + (p - centre) * (1 + u * (scale - 1))[:, None])
        # Across the elbow the two bones' views blend, so the tube bends there without a kink.
        mix = np.clip(0.5 + bend / 0.16, 0, 1)[:, None]
        mix = mix * mix * (3 - 2 * mix)
        out[idx] = moved[0] * (1 - mix) + moved[1] * mix
    return out
