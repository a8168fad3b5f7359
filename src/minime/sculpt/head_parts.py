"""The head's sculpted extras: a beard's relief, ears, the neck peg and a glasses frame (head space)."""

from __future__ import annotations

import numpy as np

from .face_paint import BROWS as BROW_IDX
from .face_paint import EYES, OVAL
from .mesh import Part, outward, tube, uv_sphere, vertex_normals


def inside_polygon(pts: np.ndarray, poly: np.ndarray) -> np.ndarray:
    """Even-odd test of 2D points against a polygon."""
    x, y = pts[:, 0:1], pts[:, 1:2]
    x0, y0 = poly[:, 0][None], poly[:, 1][None]
    x1, y1 = np.roll(poly[:, 0], -1)[None], np.roll(poly[:, 1], -1)[None]
    cross = (y0 > y) != (y1 > y)
    at = x0 + (y - y0) * (x1 - x0) / np.where(y1 == y0, 1e-12, y1 - y0)
    return (np.count_nonzero(cross & (x < at), axis=1) % 2) == 1



def sculpt_beard(verts, faces, colors, paint, front, hair_color, beard: bool, moustache: bool):
    """Beard and moustache as sculpted relief in the hair's paint, with grooves that run down like strands."""
    x, y, z = verts[:, 0], verts[:, 1], verts[:, 2]
    mouth_y = (front[61, 1] + front[291, 1]) / 2
    mouth_w = abs(front[291, 0] - front[61, 0]) / 2
    lips_lo, lips_hi = front[17, 1], front[0, 1]
    nose_y = front[2, 1]
    region = np.zeros(len(verts))
    if beard:
        jaw = inside_polygon(verts[:, :2], front[OVAL, :2] * np.array([1.04, 1.0])) & (z > 0.0)
        below = np.clip((mouth_y + 0.02 - y) / 0.04, 0, 1)
        lips = (np.abs(x) < mouth_w * 0.9) & (y < lips_hi + 0.01) & (y > lips_lo - 0.005)
        region = np.maximum(region, jaw * below * ~lips)
    if moustache:
        band = (np.abs(x) < mouth_w + 0.03) & (y < nose_y - 0.01) & (y > lips_hi + 0.003) & (z > 0.1)
        region = np.maximum(region, band * 1.0)
    if not region.any():
        return verts, colors, paint
    n = vertex_normals(verts, faces)
    strands = 0.5 + 0.5 * np.sin(x * 140 + np.sin(y * 30) * 2)
    depth = region * (0.028 + 0.012 * strands)
    verts = verts + n * depth[:, None]
    shade = np.array(hair_color)[None] * (0.75 + 0.25 * strands[:, None])
    colors = colors * (1 - region[:, None]) + shade * region[:, None]
    paint = paint * (1 - region)
    return verts.astype(np.float32), colors.astype(np.float32), paint


def _ellipsoid_part(name: str, centre, axes, color, material: str, rows: int = 16, cols: int = 24) -> Part:
    v, f = uv_sphere(rows, cols)
    return Part(name, v * np.asarray(axes) + np.asarray(centre), f, color, material)


def ear_shape(height: float, rows: int = 22, cols: int = 30) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One ear, sculpted, for the head's left side: (vertices, faces, shade).

    Local axes: x out from the head, y up, z forward. A closed shell whose outer face is carved into a bowl
    (the concha) inside a raised rim (the helix), wide at the top and narrowing to a rounded lobe. `shade` is
    1 on the rim and lower in the bowl, so the paint can darken it a touch.
    """
    v, f = uv_sphere(rows, cols)
    v = v.astype(np.float64)
    # uv_sphere's poles are on y: turn them onto x, so the rings run round the ear's outline.
    sx, sy, sz = v[:, 1], v[:, 0], v[:, 2]
    thick = 0.22 * height
    width = 0.56 * height
    # Outline: widest a little above the middle, the lobe below narrower and rounder.
    taper = 0.86 + 0.14 * sy - 0.3 * np.clip(-sy - 0.45, 0, 1) ** 1.5
    z = sz * width / 2 * taper - sy * height * 0.1  # the top leans back
    y = sy * height / 2
    rr = np.hypot(sy, sz)
    outer = np.clip(sx, 0, 1)
    lobe = np.clip((-sy - 0.4) / 0.25, 0, 1)
    bowl = np.clip((0.8 - rr) / 0.35, 0, 1) ** 0.8 * (1 - lobe) * outer
    helix = np.clip((rr - 0.72) / 0.2, 0, 1) * np.clip((1.0 - rr) / 0.12, 0, 1) * outer * (1 - lobe)
    x = sx * thick / 2 * (1 - 0.45 * lobe) - bowl * thick * 0.62 + helix * thick * 0.12
    out = np.stack([x, y, z], 1)
    # The rings were turned by a rotation (x, y swapped, then x mirrored is not needed): keep faces outward.
    f = outward(out, f)
    return out, f, 1.0 - 0.35 * bowl


def ears(front: np.ndarray, skull: np.ndarray, skin) -> list[Part]:
    """Both ears, at the height the landmarks give (from the brows to below the nose), set on the skull's sides.

    `skull` is the head's vertices: each ear sits where the skull's side is at its height, just behind the
    middle of the head, and stands out from it a little more at the back, as ears do.
    """
    top = float(front[BROW_IDX, 1].mean()) - 0.01
    bottom = float(front[2, 1]) - 0.025  # the lobe hangs a little below the base of the nose
    height = float(np.clip(top - bottom, 0.12, 0.24))
    mid_y = (top + bottom) / 2
    mid_z = -0.035
    v, f, shade = ear_shape(height)
    band = (np.abs(skull[:, 1] - mid_y) < height * 0.25) & (np.abs(skull[:, 2] - mid_z) < 0.08)
    colors = np.asarray(skin, np.float32)[None] * (0.9 + 0.1 * shade[:, None]).astype(np.float32)
    parts = []
    for s in (-1.0, 1.0):
        side = skull[band & (s * skull[:, 0] > 0), 0]
        surface = float(np.abs(side).max()) if len(side) else 0.36
        tilt = np.radians(14)  # the back of the ear stands further out than its front
        rot = np.array([[np.cos(tilt), 0, -np.sin(tilt)], [0, 1, 0], [np.sin(tilt), 0, np.cos(tilt)]])
        local = v @ rot.T
        local[:, 0] += surface + height * 0.02 - local[:, 0].min() - height * 0.1  # the inner face sunk in the skull
        pos = local + np.array([0.0, mid_y, mid_z])
        faces = f
        if s < 0:
            pos = pos * np.array([-1.0, 1.0, 1.0])
            faces = f[:, ::-1]
        parts.append(Part("ear", pos, np.ascontiguousarray(faces), colors, "skin"))
    return parts


def neck(skin) -> Part:
    """The neck: a rounded cylinder into the body's neck stump (the neck joint)."""
    v, f = uv_sphere(16, 24)
    v = v.copy()
    top = v[:, 1] > 0
    v[:, 1] = np.where(top, -0.28 + v[:, 1] * 0.05, -0.52 + v[:, 1] * 0.05)  # ends inside the body's neck
    v[:, 0] *= 0.16
    v[:, 2] = v[:, 2] * 0.15 - 0.06
    return Part("neck", v, f, skin, "skin")


def glasses_frame(front: np.ndarray, a: float) -> Part:
    """Glasses as a sculpted frame: two rims, a bridge and arms back to the ears."""
    parts_v, parts_f, off = [], [], 0
    eye_front = max(front[EYES, 2].max(), front[168, 2]) + 0.03
    for side in (EYES[:16], EYES[16:]):
        pts = front[side]
        cx, cy = pts[:, 0].mean(), pts[:, 1].mean() + 0.005
        hw = (pts[:, 0].max() - pts[:, 0].min()) / 2 + 0.03
        hh = max(0.055, (pts[:, 1].max() - pts[:, 1].min()) / 2 + 0.035)
        t = np.linspace(0, 2 * np.pi, 40, endpoint=False)
        # A rounded rectangle (superellipse) rim.
        px = cx + hw * np.sign(np.cos(t)) * np.abs(np.cos(t)) ** 0.5
        py = cy + hh * np.sign(np.sin(t)) * np.abs(np.sin(t)) ** 0.5
        pz = eye_front - 0.02 * (px - cx) ** 2 / hw ** 2
        v, f = tube(np.stack([px, py, pz], 1), 0.011, loop=True)
        parts_v.append(v)
        parts_f.append(f + off)
        off += len(v)
    r_in = front[EYES[8], :2]  # inner corners
    l_in = front[EYES[24], :2]
    by = (front[EYES[:16], 1].mean() + front[EYES[16:], 1].mean()) / 2 + 0.02
    bridge = np.stack([np.linspace(r_in[0] + 0.01, l_in[0] - 0.01, 8), np.full(8, by), np.full(8, eye_front + 0.005)], 1)
    for path in (bridge,):
        v, f = tube(path, 0.01, loop=False)
        parts_v.append(v)
        parts_f.append(f + off)
        off += len(v)
    for s, side in ((-1, EYES[:16]), (1, EYES[16:])):
        pts = front[side]
        x0 = pts[:, 0].min() if s < 0 else pts[:, 0].max()
        x0 += s * 0.03
        y0 = pts[:, 1].mean() + 0.01
        arm = np.stack([np.linspace(x0, s * (a + 0.005), 10), np.linspace(y0, y0 - 0.01, 10),
                        np.linspace(eye_front - 0.02, -0.02, 10)], 1)
        v, f = tube(arm, 0.009, loop=False)
        parts_v.append(v)
        parts_f.append(f + off)
        off += len(v)
    return Part("glasses", np.concatenate(parts_v), np.concatenate(parts_f), np.asarray((0.08, 0.08, 0.09), np.float32), "vinyl")
