"""The figure's body: the MakeHuman base mesh shaped, cut into toy pieces, painted with an outfit and posed.

Everything happens on arrays loaded once from assets/body.npz (see assets/README.md): a body style and
macro targets shape the body (shape.py), plane cuts split it into articulated pieces, level-set cuts give
crisp paint edges (garments.py), and linear blend skinning over the rig's weights poses it (pose.py).
Hands are sculpted with fingers, in the grip the pose asks for (hands.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from . import recipe
from .garments import EDGE, Bottom, Frame, Outfit, Paint, Top, Worn
from .hands import GRIP_RADIUS, GRIPS, build_hand
from .mesh import Buffer, Part, blob, cap, rim_loops, rings_mesh, slice_level, vertex_normals
from .pose import Posed, hand_axes, pose_bones, rotvec_matrix, skin, unit
from .recipe import BOTTOMS, POSES, TOPS
from .shape import rig, shape

__all__ = ["BOTTOMS", "POSES", "TOPS", "Body", "Outfit", "build_body"]

_BEVEL = 0.02  # how far each piece's rim draws in at a joint, so the cut reads
_CLOTHED = ("knee", "elbow", "shoulder")  # joints that show no cut where cloth runs over them (see `_run_on`)
_HAND_LIFT = (1.05, 1.04, 1.10)  # the hands' paint next to the face's, in linear light (see `hand_skin`)
_SINK = 0.0005  # how far under the next piece's surface a piece runs on across a hidden rim
HAND_LENGTH = 0.6  # wrist to middle fingertip, figure units: a little over a tenth of the height, as on a toy
# Grips whose hand twists about its length: (the way the palm turns to, +1 front or -1 back; at most how far).
_TWIST = {"open": (1.0, np.pi), "relaxed": (-1.0, np.radians(35))}


@dataclass
class Body:
    """A sculpted body in figure space, ready for a head on its neck."""

    parts: list[Part]  # every part closed, figure space
    neck: np.ndarray  # (3,) top centre of the neck stump: the head's neck joint sits here
    neck_radius: float
    hand: np.ndarray  # (3,) the centre of the grip of the figure's right hand (viewer's left)
    # meta: "grip_axis" (3,), the direction a held handle runs through that hand; "grip_radius", its radius
    shoulder_width: float  # outer width across the shoulders
    meta: dict = field(default_factory=dict)


def build_body(*, build: float = 0.5, gender: float = 0.7, pose: str = "standing",
               outfit: Outfit | None = None, style: str = "action") -> Body:
    """Build the posed, painted, articulated body.

    Args:
        build: 0 slim, 0.5 average, 1 broad and heavy.
        gender: 0 female .. 1 male.
        pose: a name in POSES.
        outfit: what it wears (default: a t-shirt and trousers).
        style: a body style's name (see recipe.BODY_STYLES).

    Returns:
        A Body: closed parts in figure space, the neck stump's top centre and radius, the right hand's
        grip centre and the shoulder width.

    Raises:
        UnknownNameError: an unknown pose, top, bottom, pattern or body style.
    """
    outfit = outfit or Outfit()
    entry = recipe.pose(pose)
    recipe.top(outfit.top), recipe.bottom(outfit.bottom), recipe.pattern(outfit.pattern), recipe.body_style(style)
    build = float(np.clip(build, 0, 1))
    gender = float(np.clip(gender, 0, 1))

    # Shaping and cutting are the slow part and depend on none of the colours or the pose: they are
    # cached on a coarse grid of builds and genders that no one can tell apart on a toy.
    cut = _cut(round(build * 20) / 20, round(gender * 20) / 20, outfit.top, outfit.bottom, outfit.pattern, style)
    return _assemble(cut, entry, outfit)


# Pieces of the figure, in the order the cuts make them.
_PIECES = ("torso", "upperarm.L", "forearm.L", "upperarm.R", "forearm.R", "thigh.L", "shin.L", "thigh.R", "shin.R", "drop")


def _fields(v, w, joints, neck: float, outfit: Outfit, worn: tuple[Top, Bottom]) -> tuple[dict, list, Frame, dict]:
    """Per-vertex scalar fields on the rest body: the joint cuts and the paint edges are their zero sets."""
    a = rig()
    b = a.bones
    j = lambda name: joints[name]  # noqa: E731
    x, y, z = v.T
    arm = {s: w[:, b[f"upperarm.{s}"]] + w[:, b[f"lowerarm.{s}"]] + w[:, b[f"hand.{s}"]] > 0.5 for s in "LR"}
    any_arm = arm["L"] | arm["R"]
    f = {"neck": y - neck}
    cuts = [("neck", 0.0, "torso", "drop")]

    mid = np.abs(x) < 0.04
    below = mid & (y < j("l-upper-leg")[1]) & ~any_arm
    crotch = y[below].min() if below.any() else j("l-upper-leg")[1] - 0.2
    for s, sx in (("L", 1.0), ("R", -1.0)):
        p = s.lower()
        shoulder, elbow, wrist = j(f"{p}-shoulder"), j(f"{p}-elbow"), j(f"{p}-hand")
        hip, knee, ankle = j(f"{p}-upper-leg"), j(f"{p}-knee"), j(f"{p}-ankle")
        n = unit(sx, -0.45, 0)
        f[f"shoulder.{s}"] = np.where(arm[s], (v - shoulder - n * 0.02) @ n, -1.0)
        up, fore = unit(*(elbow - shoulder)), unit(*(wrist - elbow))
        f[f"elbow.{s}"] = (v - elbow) @ unit(*(up + fore))
        f[f"wrist.{s}"] = (v - wrist) @ fore
        n = unit(0.6 * sx, -1, 0)
        f[f"hip.{s}"] = np.where((x * sx > 0) & ~any_arm, (v - [0, crotch + 0.03, 0]) @ n, -1.0)
        thigh, shin = unit(*(knee - hip)), unit(*(ankle - knee))
        f[f"knee.{s}"] = (v - knee) @ unit(*(thigh + shin))
        f[f"ankle.{s}"] = ankle[1] + 0.06 - y
        cuts += [(f"shoulder.{s}", 0.0, "torso", f"upperarm.{s}"), (f"elbow.{s}", 0.0, f"upperarm.{s}", f"forearm.{s}"),
                 (f"wrist.{s}", 0.0, f"forearm.{s}", "drop"), (f"hip.{s}", 0.0, "torso", f"thigh.{s}"),
                 (f"knee.{s}", 0.0, f"thigh.{s}", f"shin.{s}"), (f"ankle.{s}", 0.0, f"shin.{s}", "drop")]

    # Paint edges. Garments are shells standing proud of the body by different amounts, so every edge
    # between two of them is a ledge that catches the light, even on a black suit.
    shirt, trousers = worn
    # The throat's depth: garments measure "the front" from it (a neckline's drop, the chest, an opening).
    centre, radius = neck_ring(v, neck)
    neck_z = centre[2] + radius
    fr = _frame(v, j, arm, any_arm, neck, neck_z, outfit)
    fr.collar, fr.dip = neck - shirt.collar, shirt.dip
    f["collar"] = y - (fr.collar - fr.dip * fr.front)
    sleeve = shirt.sleeve
    along = np.zeros_like(y)
    for s in "LR":
        p = s.lower()
        shoulder, elbow = j(f"{p}-shoulder"), j(f"{p}-elbow")
        length = np.linalg.norm(elbow - shoulder)
        along = np.where(arm[s], (v - shoulder) @ ((elbow - shoulder) / length) - sleeve * length, along)
    f["sleeve"] = np.where(any_arm, along, -1.0)
    fr.hem = shirt.hem(fr)
    f["hem"] = np.where(any_arm, 1.0, y - fr.hem)
    bare = shirt.bare(fr) if shirt.covers_legs else trousers.bare(fr)
    f["bare"] = np.where(any_arm, 1.0, y - bare)
    masks = {"arm": any_arm.astype(np.float32), "chest": fr.chest.astype(np.float32)}
    shirt.fields(fr, f)
    printed = recipe.pattern(outfit.pattern)
    if printed is not None:
        printed.fields(fr, f)
    if not shirt.covers_legs:
        trousers.fields(fr, f)
    masks["leg_front"] = _leg_front(v, j, any_arm, fr.hip_y)
    return f, cuts, fr, masks


def _frame(v, j, arm, any_arm, neck, neck_z, outfit) -> Frame:
    x, y, z = v.T
    cuff = np.full_like(y, -1.0)
    legs = np.zeros_like(y)
    for s, sx in (("L", 1.0), ("R", -1.0)):
        p = s.lower()
        elbow, wrist = j(f"{p}-elbow"), j(f"{p}-hand")
        cuff = np.where(arm[s], (v - wrist) @ unit(*(wrist - elbow)) + 0.13, cuff)
        ys = [j(f"{p}-ankle")[1], j(f"{p}-knee")[1], j(f"{p}-upper-leg")[1]]
        cx = np.interp(y, ys, [j(f"{p}-ankle")[0], j(f"{p}-knee")[0], j(f"{p}-upper-leg")[0]])
        legs = np.where((x * sx > 0) & ~any_arm, np.abs(x - cx), legs)
    shoulder_y = j("l-shoulder")[1]
    return Frame(v=v, joint=j, arm=any_arm, chest=(z > neck_z - 0.1) & ~any_arm, front=np.maximum(z - neck_z, 0),
                 cuff=cuff, legs=legs, outfit=outfit, neck=neck, neck_z=neck_z, shoulder_y=shoulder_y,
                 hip_y=j("l-upper-leg")[1], knee_y=j("l-knee")[1], ankle_y=j("l-ankle")[1], apex=shoulder_y - 1.05)


def _leg_front(v, j, any_arm, hip_y) -> np.ndarray:
    """The front of each trouser leg, where the crease runs down through the knee."""
    x, y, z = v.T
    out = np.zeros_like(y)
    for s, sx in (("L", 1.0), ("R", -1.0)):
        p = s.lower()
        ys = [j(f"{p}-ankle")[1], j(f"{p}-knee")[1], j(f"{p}-upper-leg")[1]]
        cz = np.interp(y, ys, [j(f"{p}-ankle")[2], j(f"{p}-knee")[2], j(f"{p}-upper-leg")[2]])
        out = np.where((x * sx > 0) & ~any_arm & (z > cz + 0.05) & (y < hip_y - 0.15), 1.0, out)
    return out.astype(np.float32)


@dataclass(frozen=True)
class _Piece:
    name: str
    index: np.ndarray  # its vertices in the cut body
    faces: np.ndarray  # its triangles, indexing `index`
    rims: list[tuple[str, np.ndarray, str]]  # each joint cut's name, the mask of its vertices on it, the piece across
    loops: list[np.ndarray]  # its open rims, to cap


@dataclass(frozen=True)
class _Cut:
    """The rest body shaped, cut into pieces and sliced along every paint edge (cached per shape and outfit)."""

    rest: np.ndarray
    joints: dict[str, np.ndarray]
    fields: dict[str, np.ndarray]
    pos: np.ndarray
    weights: np.ndarray
    normals: np.ndarray
    frame: Frame
    pieces: list[_Piece]
    build: float
    neck: float
    edges: np.ndarray  # (E, 2) every mesh edge of the pieces, both ways round


@lru_cache(maxsize=16)
def _cut(build, gender, top_name, bottom_name, pattern_name, style) -> _Cut:
    a = rig()
    shaped = shape(build, gender, recipe.body_style(style))
    rest, jpos = shaped.vertices, shaped.joints
    joints = {name: jpos[i] for name, i in a.joints.items()}
    kind = Outfit(top=top_name, bottom=bottom_name, pattern=pattern_name)
    worn = (recipe.top(top_name), recipe.bottom(bottom_name))
    rest = worn[0].fit(rest, joints)
    if not worn[0].covers_legs:
        rest = worn[1].fit(rest, joints)
    fields, cuts, frame, masks = _fields(rest, a.weights, joints, shaped.neck, kind, worn)
    fields.update(masks)
    names = list(fields)
    nb = len(a.bones)
    col = {name: 6 + nb + i for i, name in enumerate(names)}
    # The normals ride along with the cuts, as the weights do: a cut vertex's normal is interpolated along its
    # edge, so the two sides of a paint edge a hair apart have the same normal, and the step the cloth makes
    # there stands straight (normals computed on the cut mesh differ across it, and a tall step folds over).
    buf = Buffer(np.concatenate([rest, a.weights, vertex_normals(rest, a.faces), np.stack([fields[k] for k in names], 1)], 1))
    faces = a.faces
    labels = np.zeros(len(faces), np.int64)

    piece = {name: i for i, name in enumerate(_PIECES)}
    for name, level, src, dst in cuts:
        faces, labels = slice_level(buf, faces, labels, col[name], level, labels == piece[src])
        side = (buf.data[faces, col[name]] - level).sum(1) > 0
        labels[(labels == piece[src]) & side] = piece[dst]
    keep = labels != piece["drop"]
    faces, labels = faces[keep], labels[keep]
    cut_names = dict.fromkeys(c[0] for c in cuts)
    for name in names:
        if name not in cut_names and name not in masks:
            for level in (-EDGE, EDGE):
                faces, labels = slice_level(buf, faces, labels, col[name], level)

    data = buf.data.copy()
    f = {name: data[:, col[name]] for name in names}
    normals = data[:, 3 + nb:6 + nb] / np.maximum(np.linalg.norm(data[:, 3 + nb:6 + nb], axis=1, keepdims=True), 1e-9)
    pieces = []
    for i, name in enumerate(_PIECES[:-1]):
        fi = faces[labels == i]
        if not len(fi):
            continue
        idx, local = np.unique(fi, return_inverse=True)
        local = local.reshape(-1, 3)
        rims = [(cut, rim, dst if name == src else src) for cut, level, src, dst in cuts if name in (src, dst)
                for rim in [np.abs(data[idx, col[cut]] - level) < 1e-6] if rim.any()]
        pieces.append(_Piece(name, idx, local, rims, rim_loops(local, len(idx))))
    e = np.concatenate([p.index[p.faces[:, [k, (k + 1) % 3]]] for p in pieces for k in range(3)])
    both = np.concatenate([e, e[:, ::-1]]).astype(np.int64)
    n = int(both.max()) + 1 if len(both) else 1
    code = np.unique(both[:, 0] * n + both[:, 1])  # each pair as one number: unique rows in their sorted order
    edges = np.stack([code // n, code % n], 1).astype(e.dtype)
    return _Cut(rest, joints, f, data[:, :3], data[:, 3:3 + nb], normals, frame, pieces, build, shaped.neck, edges)


def _paint(cut: _Cut, outfit: Outfit) -> tuple[np.ndarray, np.ndarray]:
    """Per-vertex colour and outward offset (how far the cloth stands off the body) from the paint fields."""
    shirt, trousers = recipe.top(outfit.top), recipe.bottom(outfit.bottom)
    p = Paint(cut.fields, cut.pos, cut.frame, outfit)
    p.top_off[:] = shirt.standoff
    printed = recipe.pattern(outfit.pattern)
    if printed is not None:
        printed.paint(p)
    shirt.paint_top(p)
    p.color[p.bottom] = p.cloth if shirt.covers_legs else np.asarray(outfit.bottom_color, np.float32)
    p.color[p.top] = p.top_rgb[p.top]
    p.offset[p.bottom] = 0.015
    p.offset[p.top] = p.top_off[p.top]
    shirt.paint(p)
    if not shirt.covers_legs:
        trousers.paint(p)
    return p.color, p.offset


def _assemble(cut: _Cut, entry, outfit: Outfit) -> Body:
    a = rig()
    rest, joints, build = cut.rest, cut.joints, cut.build
    color, offset = _paint(cut, outfit)
    posed = pose_bones(entry, joints)
    # Skinning is linear: the posed cloth is the posed skin plus the offset along the posed normal.
    base = skin(cut.pos, cut.weights, a.bones, posed)
    out = skin(cut.pos + cut.normals, cut.weights, a.bones, posed) - base
    offset = _chamfered(base, out, offset, cut)
    points = (base + out * offset[:, None]).astype(np.float32)

    # Each piece on its own, its rims drawn in a little so the joint reads as a cut; a joint inside a sleeve or a
    # trouser leg is no joint to see: the cloth runs on from one piece into the next without a groove.
    parts = []
    pieces = {piece.name: piece for piece in cut.pieces}
    sunk = points - out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9) * _SINK
    for piece in cut.pieces:
        v = points[piece.index]
        faces, colors, loops = piece.faces, color[piece.index], list(piece.loops)
        hidden = [(rim, other) for name, rim, other in piece.rims
                  if name.startswith(_CLOTHED) and offset[piece.index][rim].min() > 0]
        for rim in (rim for _, rim, _ in piece.rims if not any(rim is h for h, _ in hidden)):
            centre = v[rim].mean(0)
            d = v[rim] - centre
            v[rim] -= d / np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-6) * _BEVEL
        # Each hidden rim's loop, found before any run-on adds vertices; a rim split in two keeps its plain cap.
        runs = [(next((k for k, loop in enumerate(loops) if rim[loop].all()), None), other) for rim, other in hidden]
        for k, other in runs:
            if k is not None:
                v, faces, colors, loops[k] = _run_on(v, faces, colors, loops[k], piece.index, pieces[other], sunk, color)
        pv, pf, pc = cap(v, faces, colors, loops)
        parts.append(Part(piece.name, pv, pf, pc, "vinyl"))

    length = HAND_LENGTH * (0.95 + 0.1 * build)
    grip, grip_axis = None, np.array([0.0, 1.0, 0.0], np.float32)
    wrists = {}
    for side in "LR":
        wrist, rot, grip_name = posed.hands[side]
        along, across, palm = (rot @ x for x in hand_axes(joints, side))
        wrists[side] = (np.asarray(wrist, np.float32), np.asarray(along, np.float32))
        if grip_name in _TWIST:  # a wave shows the palm; a hanging hand shows a little of its back
            front = np.array([0.0, 0.0, _TWIST[grip_name][0]], np.float32)
            angle = np.arctan2(along @ np.cross(palm, front), palm @ front)
            angle = np.clip(angle, -_TWIST[grip_name][1], _TWIST[grip_name][1])
            turn = rotvec_matrix(along * angle).astype(np.float32)
            across, palm = turn @ across, turn @ palm
        hand = build_hand(wrist, along, across, palm, grip_name if grip_name in GRIPS else "relaxed", length,
                          hand_skin(outfit.skin), f"hand.{side}")
        parts.append(hand.part)
        if side == "R":
            grip = hand.grip
            grip_axis = across  # a held piece's handle runs through the closed fingers along this axis

    for side in "LR":
        foot = rest[a.weights[:, a.bones[f"foot.{side}"]] > 0.5]
        ankle = joints[f"{side.lower()}-ankle"]
        shoe = _shoe(foot, posed.posed[f"foot.{side}"] - ankle, outfit.shoe_color)
        shoe.name = f"shoe.{side}"
        parts.append(shoe)

    parts += _extras(cut, parts, outfit)
    lifted = np.asarray(grip, np.float32).copy()
    body = _stand(parts, cut, posed, grip)
    lift = body.hand - lifted  # _stand stood the body on y = 0: its joints moved with it
    body.meta.update(grip_axis=np.asarray(grip_axis, np.float32), grip_radius=GRIP_RADIUS,
                     wrists={s: (w + lift, a) for s, (w, a) in wrists.items()})  # a watch goes on the left
    return body


def _run_on(v, faces, colors, loop, index, other: _Piece, sunk, color):
    """A piece carried on over a hidden rim by the row of the next piece's faces that touch it, that row's far edge
    sunk a hair under the next piece's surface (`sunk`: every posed point, sunk), for the cap to close there.

    The rim's shading normals then come from the cloth on both sides of it, the same in both pieces, so the two
    read as one surface; a cap on the rim itself would bend them, and a line would show where the pieces meet.
    Where the row does not close into one ring, a narrow ring just inside the rim does instead.

    Args:
        v, faces, colors: the piece's points, triangles and paint so far; loop: the rim's loop in them.
        index: the piece's vertices in the cut body; other: the piece across the rim.
        sunk, color: posed points and paint of the cut body.

    Returns:
        The piece's points, triangles and paint, and the loop for its cap to close.
    """
    rim = index[loop]
    row = other.index[other.faces]
    row = row[np.isin(row, rim).any(1)]
    far = np.unique(row[~np.isin(row, rim)])
    local = np.full(len(sunk), -1, np.int64)
    local[index] = np.arange(len(index))
    local[far] = len(v) + np.arange(len(far))
    strip = local[row]
    ends = [e for e in rim_loops(strip, len(v) + len(far)) if e.min() >= len(v)]
    if len(ends) != 1 or (strip < 0).any():
        return _hidden_rim(v, faces, colors, loop)
    return (np.concatenate([v, sunk[far]]), np.concatenate([faces, strip]), np.concatenate([colors, color[far]]),
            ends[0])


def hand_skin(skin) -> np.ndarray:
    """The hands' paint for a skin colour (sRGB): the face's tone as it shows under the key light.

    A hand's fingers and palm shade one another, and the cool light from the room that the open face takes in
    reaches little of it: painted the face's colour, it reads darker and warmer, a tan beside a pink face.
    It is painted a little lighter and cooler, in linear light, so the two read as one skin."""
    linear = np.asarray(skin, np.float64) ** 2.2 * _HAND_LIFT
    return np.clip(linear, 0, 1).astype(np.float32) ** (1 / 2.2)


def _hidden_rim(v, faces, colors, loop, inset: float = 0.001):
    """A narrow ring just inside a rim, for its cap to close: the rim's shading normals then come mostly from the
    cloth round it, not from the cap. Returns the new loop."""
    n, inner = len(v), (v[loop] * (1 - inset) + v[loop].mean(0) * inset)
    ring = np.arange(n, n + len(loop))
    nxt, inn = np.roll(loop, -1), np.roll(ring, -1)
    band = np.concatenate([np.stack([nxt, loop, ring], 1), np.stack([nxt, ring, inn], 1)])
    return (np.concatenate([v, inner]), np.concatenate([faces, band]), np.concatenate([colors, colors[loop]]), ring)


STEEPEST = 45.0  # degrees from the vertical: a printed surface facing down more steeply needs supports


def _chamfered(base: np.ndarray, out: np.ndarray, offset: np.ndarray, cut: _Cut, rounds: int = 6) -> np.ndarray:
    """The cloth offsets, lowered where the edge of a proud garment would face down more steeply than STEEPEST
    in the pose: a hem, a cuff or a band's lower edge becomes a chamfer up into the proud cloth, not a flat
    ceiling (which a printer must hold up, and which prints as a thin lip). Edges that face up or sideways keep
    their crisp step; the paint edge stays where it is.

    Args:
        base: posed skin points; out: their posed normals (offset directions).
        offset: per-vertex cloth offsets; cut: the cut body (its pieces give the mesh edges).
    """
    offset = offset.astype(np.float64).copy()
    # Where a sleeve or a trouser leg ends facing down (a hanging wrist, an ankle), its end is a flat disc: the
    # cloth there comes down to the skin, so the disc is no wider than the limb, and chamfers out from it.
    for piece in cut.pieces:
        name = {"forearm": "wrist", "shin": "ankle"}.get(piece.name.split(".")[0])
        if name is None:
            continue
        field = cut.fields[f"{name}.{piece.name[-1]}"][piece.index]
        rim, inside = piece.index[np.abs(field) < 1e-6], piece.index[(field < 0) & (field > -0.15)]
        if len(rim) and len(inside):
            end = base[rim].mean(0) - base[inside].mean(0)
            if end[1] < -np.cos(np.radians(STEEPEST)) * np.linalg.norm(end):
                offset[rim] = np.minimum(offset[rim], 0.0)
    a, b = cut.edges[:, 0], cut.edges[:, 1]  # a is the proud end, b the other
    n = out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
    d = base[b] - base[a]
    length = np.linalg.norm(d, axis=1)
    d /= np.maximum(length, 1e-9)[:, None]
    # A step from a (proud by t * length) down to b faces along t * d + normal: steeper than STEEPEST down when
    # c * sqrt(1 + t^2) - s * t + ny < 0, with s how fast the edge descends and ny the normal's rise.
    c = np.cos(np.radians(STEEPEST))
    s = -d[:, 1]
    ny = (n[a, 1] + n[b, 1]) / 2
    q = np.maximum(s * s - c * c, 1e-9)
    t = (s * ny + c * np.sqrt(np.maximum(s * s + ny * ny - c * c, 0))) / q
    limited = (s > c) & (ny > -c)  # the surface itself facing down already overhangs: leave it
    a, b, most = a[limited], b[limited], (length * np.maximum(t, 0))[limited]  # a sorted (edges are unique rows)
    if not len(a):
        return offset.astype(np.float32)
    heads = np.flatnonzero(np.r_[True, a[1:] != a[:-1]])
    for _ in range(rounds):  # each round carries a lowered edge one vertex further up
        cap = np.minimum.reduceat(offset[b] + most, heads)
        lowered = np.minimum(offset[a[heads]], cap)
        if np.all(lowered >= offset[a[heads]] - 1e-7):
            break
        offset[a[heads]] = lowered
    return offset.astype(np.float32)


def _extras(cut: _Cut, parts: list[Part], outfit: Outfit) -> list[Part]:
    """The garments' modelled pieces: the bottom's (unless the top covers the legs), then the top's."""
    shirt = recipe.top(outfit.top)
    worn = Worn(body=np.concatenate([p.vertices for p in parts if p.name.startswith(("torso", "thigh", "shin"))]),
                torso=next(p.vertices for p in parts if p.name == "torso"), rest=cut.rest, joints=cut.joints,
                outfit=outfit, neck=cut.neck, apex=cut.frame.apex, pieces={p.name: p.vertices for p in parts})
    out = [] if shirt.covers_legs else recipe.bottom(outfit.bottom).extras(worn)
    from .finish import finish

    return finish(parts, out + shirt.extras(worn), outfit)  # each cloth's material: leather, denim, metal...


def _stand(parts: list[Part], cut: _Cut, posed: Posed, grip) -> Body:
    """The body lifted to stand on y = 0, with where its neck, its grip and its shoulders are."""
    lift = -min(p.vertices[:, 1].min() for p in parts if p.name.startswith("shoe"))
    for p in parts:
        p.vertices[:, 1] += lift
    centre, neck_radius = neck_ring(cut.rest, cut.neck)
    neck = centre + np.array([0.0, lift, 0.0], np.float32)
    near = np.concatenate([p.vertices for p in parts if p.name.startswith(("torso", "upperarm"))])
    band = near[np.abs(near[:, 1] - lift - cut.joints["l-shoulder"][1]) < 0.15]
    grip = grip + [0, lift, 0]
    return Body(parts, neck, neck_radius, grip.astype(np.float32), float(band[:, 0].max() - band[:, 0].min()))


def neck_ring(rest: np.ndarray, neck: float) -> tuple[np.ndarray, float]:
    """The centre of the rest neck's top (on the cut) and its mean radius, from the ring of skin just under the cut.

    The centre is halfway between the back and the front of the ring, not its vertices' mean: the throat is
    meshed more densely than the nape, and a mean would sit the head in front of the neck."""
    ring = rest[(rest[:, 1] > neck - 0.05) & (rest[:, 1] <= neck) & (np.abs(rest[:, 0]) < 0.35)]
    z = (ring[:, 2].min() + ring[:, 2].max()) / 2
    centre = np.array([0.0, neck, z], np.float32)
    return centre, float(np.linalg.norm((ring - centre)[:, [0, 2]], axis=1).mean())


SOLE = 0.045  # the sole's thickness under the forefoot; the heel block stands twice as tall
_SOLE_LEDGE = 1.05  # how much wider than the upper the sole's edge stands


def _shoe(foot, shift, color):
    """A closed dress shoe round a rest foot's points, moved by the pose; its sole is flat on the foot's.

    The upper is a rounded last: an almond toe a little longer than the foot, straight sides down to the sole
    (a rounded underside would be a ring of ceiling for a printer to hold up), and a collar that narrows to the
    ankle under the trouser hem. Under it a flat sole stands out as a ledge, its heel block taller."""
    lo, hi = foot.min(0), foot.max(0)
    lo, hi = lo - [0.03, 0, 0.035], hi + [0.03, 0.05, 0.12]
    rows, cols = 16, 24
    v, fc = blob(rows, cols, 0.55)
    v = v.copy()
    low = np.flatnonzero(v[:, 1] < 0)
    u = np.sign(v[low][:, [0, 2]]) * np.abs(v[low][:, [0, 2]]) ** (1 / 0.55)  # back to the unit sphere
    across = np.linalg.norm(u, axis=1, keepdims=True)
    widest = np.sign(u) * (np.abs(u) / np.maximum(across, 1e-9)) ** 0.55 * (across > 1e-6)  # the equator's shape
    v[low[:, None], [0, 2]] = widest * (1 - 0.06 * -v[low][:, 1:2])
    toe = np.clip(v[:, 2], 0, 1)
    up = np.clip(v[:, 1], 0, 1)
    v[:, 1] = v[:, 1] - toe * 0.5 * (v[:, 1] + 1)  # lower at the toe
    v[:, 0] *= (1 - 0.15 * np.clip(-v[:, 2], 0, 1)) * (1 - 0.3 * toe**3)  # a narrower heel, an almond toe
    # The collar draws in toward the ankle, back and sides, so the hem covers it.
    collar = up**2 * np.clip((0.6 - v[:, 2]) / 0.8, 0, 1)
    v[:, 0] *= 1 - 0.35 * collar
    v[:, 2] = v[:, 2] + (-0.3 - v[:, 2]) * 0.3 * collar
    pts = (lo + hi) / 2 + v * (hi - lo) / 2 + [shift[0], 0, shift[2]]
    pts[:, 1] = np.maximum(pts[:, 1], lo[1])  # the foot's sole: y = 0, unless a short body style raised it
    colors = np.tile(np.asarray(color, np.float32), (len(pts), 1))
    # The sole: the upper's widest outline, a little wider, from the ground up; a taller block under the heel.
    ring = pts[1 + (rows // 2 - 1) * cols:1 + (rows // 2) * cols, [0, 2]][::-1]
    mid = (ring.max(0) + ring.min(0)) / 2
    ring = mid + (ring - mid) * _SOLE_LEDGE
    back = np.clip((mid[1] - ring[:, 1]) / (ring[:, 1].max() - mid[1]) * 3 - 0.8, 0, 1)  # 1 under the heel
    height = SOLE * (1 + back)
    top = np.stack([ring[:, 0], lo[1] + height, ring[:, 1]], 1)
    bottom = np.stack([ring[:, 0], np.full(cols, lo[1]), ring[:, 1]], 1)
    sv, sf = rings_mesh(np.r_[mid[0], lo[1] + height.mean(), mid[1]], [top, bottom], np.r_[mid[0], lo[1], mid[1]])
    sole = np.asarray(color, np.float32) * 0.55 + 0.03
    pts = np.concatenate([pts, sv]).astype(np.float32)
    colors = np.concatenate([colors, np.tile(sole, (len(sv), 1))])
    return Part("shoe", pts, np.concatenate([fc, sf + len(v)]), colors)
