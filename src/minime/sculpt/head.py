"""The head: a closed template skull whose front is the person's face, sculpted from the 468 landmarks.

The landmarks are turned to face forward and scaled to head space (see `hair.py`: origin at the
skull's centre, y up, face toward +z, one unit the head's height). The head's surface is star-shaped
about a centre inside it; a thin-plate spline carries the landmarks' distances from that centre onto the
template, so the nose, brows, lips and chin are the person's and the face meets the skull with no ledge;
the eye and mouth openings are closed by the same smooth surface.

The paint is the photo unwrapped onto the front (a frontal texture) at the photo's own resolution, its
lighting taken out and finished like factory paint, with the eyes painted and the brows and lips kept crisp
(face_paint.py). Toward the face's rim its broad colour is drawn to the skin tone of the face's outer band, which
the skull, ears and neck take, and it fades into that tone inside the rim and where the head turns from the camera
(a profile is sculpted skin, not the photo stretched round the side), so no border shows from any side. The ears (rim, bowl and lobe, at the height the landmarks give), the neck peg, a
beard's relief and glasses are sculpted extras (head_parts.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from scipy.ndimage import gaussian_filter

from .face_paint import (
    BROWS,
    CHIN,
    EYES,
    FOREHEAD,
    LEFT_CHEEK,
    LEFT_EYE_OUT,
    LIPS,
    NOSE_TIP,
    OVAL,
    RIGHT_CHEEK,
    RIGHT_EYE_OUT,
    TEX,
    TEX_HALF,
    TEX_Y,
    beard_scores,
    blur_window,
    even_rim,
    factory_finish,
    features_mask,
    glasses_score,
    paint_size,
    photo_paint,
    polygon_mask,
    rim_tone,
    tex_grid,
    tps,
    wide_blur,
)
from .head_parts import ears, glasses_frame, inside_polygon, neck, sculpt_beard
from .mesh import Part, uv_sphere, vertex_normals
from .pose import nearest

__all__ = ["BROWS", "EYES", "LIPS", "NECK_DROP", "OVAL", "Fit", "Head", "build_head", "fit_landmarks"]

FOREHEAD_Y, CHIN_Y = 0.22, -0.5  # where the top of the face oval and the chin sit in head space
NECK_DROP = 0.44  # how far below the head's centre its neck joint sits
# The face's paint fades into the skin tone between these shares of the face's outline (share, weight).
FADE = ((0.92, 0.4), (0.97, 0.6))
# The photo's paint fades to plain skin where the head turns from the camera: over this range of the z of the
# direction from the head's centre (a profile shows sculpted skin, not the photo's cheek stretched round the side).
TURN = (0.12, 0.45)
TEMPLE = 0.8  # beyond this share of the face's outline, above the eyes (the eyes and brows aside), the paint is the
# temples': hair there is painted over


@lru_cache(maxsize=1)
def face_triangles() -> np.ndarray:
    """MediaPipe's face mesh triangulation (852 triangles; Apache-2.0, see assets/README.md)."""
    with resources.files("minime.sculpt.assets").joinpath("face_triangles.npy").open("rb") as f:
        return np.load(f).astype(np.int64)


@dataclass(repr=False)
class Head:
    """The head parts in head space, and what was read from the face on the way."""

    parts: list[Part]
    skin: tuple[float, float, float]
    landmarks: np.ndarray  # (468, 3) in head space, frontal
    yaw: float  # how far the face was turned in the photo, degrees
    visible: float  # the share of the face the photo shows (0-1)
    texture: np.ndarray  # the frontal paint (n, n, 3) uint8, n from paint_size (TEX to TEX_MAX)
    beard: float = 0.0  # 0-1: how sure a beard was seen
    glasses: float = 0.0
    skull: tuple[float, float, float] = (0.36, 0.5, 0.44)  # the template's semi-axes, fitted to the face's width

    def __repr__(self) -> str:
        return f"Head(yaw={self.yaw:.0f}, visible={self.visible:.2f})"


def _frame(p: np.ndarray) -> np.ndarray:
    """Rows: the face's right-to-left axis, its up axis and its forward axis, in the landmark frame."""
    x = p[LEFT_EYE_OUT] - p[RIGHT_EYE_OUT]
    x /= np.linalg.norm(x)
    up = p[FOREHEAD] - p[CHIN]
    y = up - x * (up @ x)
    y /= np.linalg.norm(y)
    z = np.cross(x, y)
    return np.stack([x, y, z])


def _mirror_pairs(front: np.ndarray) -> np.ndarray:
    """For each landmark, its mirror image across the face's midline (found in the frontal mesh)."""
    mirrored = front * np.array([-1.0, 1.0, 1.0])
    return nearest(front, mirrored)[1][:, 0]


def _visibility(p: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """0-1 per landmark: facing the camera and inside the photo."""
    n = vertex_normals(p.astype(np.float64), face_triangles())
    facing = np.clip(n[:, 2] * 2.5 - 0.25, 0, 1)  # z toward the camera in `p`
    w, h = size
    inside = (p[:, 0] > 1) & (p[:, 0] < w - 2) & (-p[:, 1] > 1) & (-p[:, 1] < h - 2)
    return facing * inside


@dataclass(repr=False)
class Fit:
    """The face turned to face forward in head space, and the way back to the photo."""

    front: np.ndarray  # (468, 3) head-space landmarks, frontal, completed from the visible half
    visible: np.ndarray  # (468,) 0-1
    yaw: float  # degrees the face was turned in the photo
    photo: np.ndarray  # (468, 3) landmarks in a right-handed photo frame: x right, y up (-row), z toward the camera
    centre: np.ndarray
    rotation: np.ndarray
    scale: float
    lift: float

    def to_photo(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Head-space points on the face's plane (z = 0) -> photo (column, row)."""
        q = np.stack([x, y - self.lift, np.zeros_like(x)], -1) / self.scale
        p = self.centre + q @ self.rotation
        return p[..., 0], -p[..., 1]


def fit_landmarks(landmarks: np.ndarray, size: tuple[int, int]) -> Fit:
    """Landmarks (photo px, MediaPipe z) -> the frontal face in head space."""
    p = landmarks.astype(np.float64) * np.array([1.0, -1.0, -1.0])
    vis = _visibility(p, size)
    r = _frame(p)
    yaw = float(np.degrees(np.arctan2(-r[2, 0], r[2, 2])))
    centre = (p[RIGHT_CHEEK] + p[LEFT_CHEEK]) / 2
    q = (p - centre) @ r.T
    scale = (FOREHEAD_Y - CHIN_Y) / (q[FOREHEAD, 1] - q[CHIN, 1])
    q *= scale
    lift = FOREHEAD_Y - q[FOREHEAD, 1]
    q[:, 1] += lift
    # Complete what the photo does not show from the mirrored visible half, and keep the face near symmetric
    # (a sculpted face is), so a turned or cut face still gives a whole head.
    pairs = _mirror_pairs(q)
    mirrored = q[pairs] * np.array([-1.0, 1.0, 1.0])
    w = (vis + 1e-3) / (vis + vis[pairs] + 2e-3)
    w = 0.5 + (w - 0.5) * 0.6
    q = q * w[:, None] + mirrored * (1 - w[:, None])
    return Fit(q, vis, yaw, p, centre, r, float(scale), float(lift))


CENTRE = np.array([0.0, -0.06, 0.0])  # the head's surface is star-shaped about this point


def _template_radius(d: np.ndarray, a: float, b: float, c: float) -> np.ndarray:
    """Distance from CENTRE along unit directions `d` to the template skull: an ellipsoid about the origin
    whose lower front is carried forward and down to a jaw, so a face's chin sits on it."""
    y, z = d[:, 1], d[:, 2]
    jaw = np.clip(-y, 0, 1) * np.clip(z + 0.2, 0, 1.2)
    ax = np.stack([np.full_like(y, a) * (1 - 0.18 * np.clip(-y, 0, 1) ** 2), np.full_like(y, b) + 0.05 * jaw,
                   np.full_like(y, c) + 0.10 * jaw], 1)
    # Ray CENTRE + t d against the ellipsoid x^2/ax^2 + ... = 1.
    q = d / ax
    o = CENTRE[None] / ax
    qa = np.einsum("ij,ij->i", q, q)
    qb = 2 * np.einsum("ij,ij->i", q, o)
    qc = np.einsum("ij,ij->i", o, o) - 1
    return (-qb + np.sqrt(np.maximum(qb * qb - 4 * qa * qc, 0))) / (2 * qa)


def _stereo(d: np.ndarray) -> np.ndarray:
    """Directions -> a plane around the forward axis (the face maps to a compact region near 0)."""
    return d[:, :2] / np.maximum(1 + d[:, 2], 1e-3)[:, None]


def _facing(verts: np.ndarray) -> np.ndarray:
    """0-1 per vertex: how much of the photo's paint it takes, by how far the head turns from the camera there
    (TURN), smoothly: the front takes all of it, the sides and back none (they are the skin tone)."""
    d = verts - CENTRE
    z = d[:, 2] / np.maximum(np.linalg.norm(d, axis=1), 1e-9)
    t = np.clip((z - TURN[0]) / (TURN[1] - TURN[0]), 0, 1)
    return (t * t * (3 - 2 * t)).astype(np.float32)


def build_head(photo: np.ndarray, landmarks: np.ndarray, *, hair_color=(0.15, 0.1, 0.08), fit: Fit | None = None) -> Head:
    """The head parts (skin, ears, neck ball, beard relief, glasses) in head space.

    Args:
        photo: the photo, uint8 (H, W, 3).
        landmarks: the face's (468, 3) landmarks in photo pixels.
        hair_color: sRGB 0-1, for a beard or moustache.
    """
    h, w = photo.shape[:2]
    fit = fit if fit is not None else fit_landmarks(landmarks, (w, h))
    front, vis, yaw, p = fit.front.copy(), fit.visible, fit.yaw, fit.photo
    oval = front[OVAL]
    half_w = float(np.abs(oval[:, 0]).max())
    a = float(np.clip(half_w * 1.08, 0.30, 0.42))
    b, c = 0.5, float(np.clip(a * 1.22, 0.40, 0.50))
    # Depth: the face's rim placed on the skull.
    rim_w = oval - CENTRE
    rim_r = np.linalg.norm(rim_w, axis=1)
    shift = np.median(_template_radius(rim_w / rim_r[:, None], a, b, c) * (rim_w / rim_r[:, None])[:, 2] - rim_w[:, 2])
    front[:, 2] += float(shift)
    oval = front[OVAL]

    unit, faces = uv_sphere(96, 128)
    unit = unit.astype(np.float64)
    radius = _template_radius(unit, a, b, c)
    # A smooth deformation of the template onto the face: radial offsets at the landmarks, zero on a ring
    # outside the face, so the face meets the skull with no ledge and the eye and mouth openings close.
    w = front - CENTRE
    r = np.linalg.norm(w, axis=1)
    d = w / r[:, None]
    offset = r - _template_radius(d, a, b, c)
    uv_l = _stereo(d)
    rim = uv_l[OVAL]
    mid = rim.mean(0)
    ring = mid + (rim - mid) * 1.45
    keep = np.unique(np.concatenate([np.arange(0, len(uv_l), 2), OVAL, [NOSE_TIP, CHIN, 4, 5, 0, 17, 61, 291]]))
    field = tps(np.concatenate([uv_l[keep], ring]), np.concatenate([offset[keep], np.zeros(len(ring))])[:, None],
                 smoothing=1e-4)
    uv_v = _stereo(unit)
    near = np.flatnonzero((unit[:, 2] > -0.2) & inside_polygon(uv_v, ring))
    rel = uv_v[near] - mid
    ang = np.arctan2(rel[:, 1], rel[:, 0])
    rim_rel = rim - mid
    order = np.argsort(np.arctan2(rim_rel[:, 1], rim_rel[:, 0]))
    rim_ang = np.arctan2(rim_rel[order, 1], rim_rel[order, 0])
    rim_len = np.linalg.norm(rim_rel[order], axis=1)
    reach = np.interp(ang, np.concatenate([rim_ang - 2 * np.pi, rim_ang, rim_ang + 2 * np.pi]), np.tile(rim_len, 3))
    rho = np.linalg.norm(rel, axis=1) / reach
    window = np.clip((1.45 - rho) / 0.45, 0, 1)
    window = window * window * (3 - 2 * window)
    radius[near] += field(uv_v[near])[:, 0] * window
    verts = CENTRE + unit * radius[:, None]

    # Paint: the photo at its own resolution, as a frontal texture over the whole front of the head.
    n = paint_size(front, p)
    raw, known = photo_paint(photo, front, p, vis, n)
    oval_m = polygon_mask(oval[:, :2], n)
    face_m = np.clip(wide_blur(oval_m, 3 * n / TEX), 0, 1) * known
    features = features_mask(front, n)
    brow_top = front[BROWS, 1].max() + 0.03
    ys = tex_grid(n)[1][:, :1]
    centre = oval[:, :2].mean(0)
    temples = (ys > front[EYES, 1].mean()) * (1 - polygon_mask(centre + (oval[:, :2] - centre) * TEMPLE, n))
    forehead = oval_m * np.maximum(ys > brow_top, temples * (1 - features))
    tex, skin = factory_finish(raw, face_m, features, forehead, front, hair_color)
    beard, moustache = beard_scores(tex, front, face_m, skin)
    glasses = glasses_score(raw, front)
    skin = rim_tone(tex, front, features, skin)  # the skull, ears, neck and body match the face's outer band
    # The face's paint fades into the skin tone over a band inside its rim (the photo's rim holds jaw shadow,
    # hair and background), and the texture holds that same skin tone beyond it: the paint has no border.
    fade = np.zeros((n, n), np.float32)
    for s, w in FADE:
        fade += w * polygon_mask(centre + (oval[:, :2] - centre) * s, n)
    tone = np.array(skin) * 255
    texture = np.empty((n, n, 3), np.uint8)  # where the fade's blur is 0 the paint is the tone (set a row at a time)
    texture.reshape(n, -1)[:] = np.tile(np.clip(tone, 0, 255).astype(np.uint8), n)
    win = blur_window(fade, 2.5 * n / TEX)
    if win is not None:
        paint_w = gaussian_filter(fade[win], 2.5 * n / TEX) * np.clip(known[win] * 1.5, 0, 1)
        tex = even_rim(tex, front, face_m, features, skin, win)  # the fade's window of it: the rest is the tone
        tex = tex * paint_w[..., None] + tone * (1 - paint_w[..., None])
        texture[win] = np.clip(tex, 0, 255).astype(np.uint8)

    uv = np.stack([(verts[:, 0] + TEX_HALF) / (2 * TEX_HALF), (verts[:, 1] - TEX_Y + TEX_HALF) / (2 * TEX_HALF)], 1)
    uv = np.clip(uv, 0, 1)
    # The texture is used over the whole front (it is skin beyond the face), so no vertex-colour edge shows.
    inside_tex = (np.abs(verts[:, 0]) < TEX_HALF * 0.98) & (np.abs(verts[:, 1] - TEX_Y) < TEX_HALF * 0.98)
    paint = inside_tex * _facing(verts)
    colors = np.broadcast_to(np.array(skin, np.float32), (len(verts), 3)).copy()

    if beard > 0.5 or moustache > 0.5:
        verts, colors, paint = sculpt_beard(verts, faces, colors, paint, front, hair_color, beard > 0.5, moustache > 0.5)

    head = Part("head", verts, faces, colors, "skin", uv=uv.astype(np.float32), texture=texture,
                paint=paint.astype(np.float32))
    parts = [head, *ears(front, verts, skin), neck(skin)]
    if glasses > 0.5:
        parts.append(glasses_frame(front, a))
    return Head(parts, skin, front, yaw, float(np.mean(vis[OVAL] > 0.3)), texture, beard, glasses, (a, b, c))

