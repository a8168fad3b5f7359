"""The head: a closed template skull whose front is the person's face, sculpted from the 468 landmarks.

The landmarks are turned to face forward and scaled to head space (see `hair.py`: origin at the
skull's centre, y up, face toward +z, one unit the head's height). The head's surface is star-shaped
about a centre inside it; a thin-plate spline carries the landmarks' distances from that centre onto the
template, so the nose, brows, lips and chin are the person's and the face meets the skull with no ledge;
the eye and mouth openings are closed by the same smooth surface.

The paint is the photo unwrapped onto the front (a frontal texture), its lighting taken out and
smoothed like factory paint, with the eyes, brows and lips kept crisp. What the photo does not show
(a turned face's far side, a part cut by the frame) is painted from the mirrored visible half.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from scipy.interpolate import RBFInterpolator
from scipy.ndimage import gaussian_filter

from .mesh import Part, outward, uv_sphere, vertex_normals

# MediaPipe face mesh indices.
OVAL = [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176,
        149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109]
FOREHEAD, CHIN, NOSE_TIP = 10, 152, 1
RIGHT_EYE_OUT, LEFT_EYE_OUT = 33, 263  # the person's right eye is on the viewer's left
RIGHT_CHEEK, LEFT_CHEEK = 234, 454
EYES = [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246,
        263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466]
BROWS = [70, 63, 105, 66, 107, 55, 65, 52, 53, 46, 300, 293, 334, 296, 336, 285, 295, 282, 283, 276]
LIPS = [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185]

FOREHEAD_Y, CHIN_Y = 0.22, -0.5  # where the top of the face oval and the chin sit in head space
TEX = 384  # the frontal paint's side, texels (the face spans about half of it)
TEX_HALF = 0.6  # the paint covers head-space x, y in [-0.6, 0.6] (y shifted by TEX_Y)
TEX_Y = -0.1


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
    texture: np.ndarray  # the frontal paint (TEX, TEX, 3) uint8
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
    from scipy.spatial import cKDTree

    mirrored = front * np.array([-1.0, 1.0, 1.0])
    return cKDTree(front).query(mirrored)[1]


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


def _tps(points: np.ndarray, values: np.ndarray, smoothing: float = 1e-4):
    return RBFInterpolator(points, values, kernel="thin_plate_spline", smoothing=smoothing)


def _grid(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Head-space x, y of an n x n grid over the paint (row 0 at the top)."""
    t = (np.arange(n) + 0.5) / n
    xs = -TEX_HALF + 2 * TEX_HALF * t
    ys = TEX_Y + TEX_HALF - 2 * TEX_HALF * t
    return np.meshgrid(xs, ys)


def _paint(photo: np.ndarray, front: np.ndarray, p: np.ndarray, vis: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The frontal paint (TEX x TEX x 3 uint8) and its 0-1 coverage (where the face is)."""
    # Head-space (x, y) -> photo (col, row) through the landmarks, and the same for the mirror image.
    coarse = 48
    gx, gy = _grid(coarse)
    g = np.stack([gx.ravel(), gy.ravel()], 1)
    keep = np.unique(np.concatenate([np.arange(0, len(front), 2), OVAL, EYES, LIPS, BROWS]))
    to_photo = _tps(front[keep, :2], np.stack([p[keep, 0], -p[keep, 1]], 1), smoothing=1e-3)
    vis_map = _tps(front[keep, :2], vis[keep, None], smoothing=1e-1)
    uv = to_photo(g).reshape(coarse, coarse, 2)
    uv_m = to_photo(g * np.array([-1.0, 1.0])).reshape(coarse, coarse, 2)
    seen = np.clip(vis_map(g).reshape(coarse, coarse), 0, 1)
    seen_m = np.clip(vis_map(g * np.array([-1.0, 1.0])).reshape(coarse, coarse), 0, 1)

    def up(a: np.ndarray) -> np.ndarray:  # coarse grid -> paint resolution, bilinear
        from PIL import Image

        chans = a[..., None] if a.ndim == 2 else a
        out = np.stack([np.asarray(Image.fromarray(chans[..., i].astype(np.float32)).resize((TEX, TEX), Image.BILINEAR))
                        for i in range(chans.shape[-1])], -1)
        return out[..., 0] if a.ndim == 2 else out

    def sample(uv_full: np.ndarray) -> np.ndarray:  # only the face's region of the photo is converted
        h, w = photo.shape[:2]
        c0 = int(np.clip(np.floor(uv_full[..., 0].min()), 0, w - 2))
        r0 = int(np.clip(np.floor(uv_full[..., 1].min()), 0, h - 2))
        c1 = int(np.clip(np.ceil(uv_full[..., 0].max()) + 2, c0 + 2, w))
        r1 = int(np.clip(np.ceil(uv_full[..., 1].max()) + 2, r0 + 2, h))
        crop = photo[r0:r1, c0:c1].astype(np.float32)
        return _bilinear(crop, uv_full[..., 0] - c0, uv_full[..., 1] - r0)

    uv_f, uv_mf = up(uv), up(uv_m)
    h, w = photo.shape[:2]
    a, b = up(seen), up(seen_m)
    inside = (uv_f[..., 0] >= 0) & (uv_f[..., 0] < w) & (uv_f[..., 1] >= 0) & (uv_f[..., 1] < h)
    inside_m = (uv_mf[..., 0] >= 0) & (uv_mf[..., 0] < w) & (uv_mf[..., 1] >= 0) & (uv_mf[..., 1] < h)
    a, b = a * inside, b * inside_m
    # The visible side wins; where both are seen the photo's own side is kept (the person's asymmetry).
    wa = np.clip((a - b) * 3 + 0.5 + 0.5 * (a > 0.6), 0, 1) * (a > 0.05)
    wa = np.where(b < 0.05, (a > 0.05).astype(np.float64), wa)
    wa = gaussian_filter(wa, 4)
    rgb = sample(uv_f) * wa[..., None] + sample(uv_mf) * (1 - wa[..., None])
    known = np.clip(np.maximum(a, b) * 4, 0, 1)
    return rgb, known


def _bilinear(img: np.ndarray, cols: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Sample an (H, W) or (H, W, C) array at fractional (col, row) positions, clamped at the edges."""
    h, w = img.shape[:2]
    c = np.clip(cols, 0, w - 1.001)
    r = np.clip(rows, 0, h - 1.001)
    c0, r0 = c.astype(np.int64), r.astype(np.int64)
    fc, fr = c - c0, r - r0
    if img.ndim == 3:
        fc, fr = fc[..., None], fr[..., None]
    top = img[r0, c0] * (1 - fc) + img[r0, c0 + 1] * fc
    bottom = img[r0 + 1, c0] * (1 - fc) + img[r0 + 1, c0 + 1] * fc
    return top * (1 - fr) + bottom * fr


def _blur(a: np.ndarray, sigma: float) -> np.ndarray:
    """A wide Gaussian blur, computed at a quarter of the resolution (its result is smooth anyway)."""
    from PIL import Image

    h, w = a.shape[:2]
    small = a[::4, ::4]
    out = gaussian_filter(small, (sigma / 4, sigma / 4) + (0,) * (a.ndim - 2))
    return np.asarray(Image.fromarray(out.astype(np.float32)).resize((w, h), Image.BILINEAR)) if a.ndim == 2 else out


def _polygon_mask(poly: np.ndarray, n: int, grow: float = 0.0) -> np.ndarray:
    """0/1 raster (n x n paint texels) of a head-space polygon, optionally grown by `grow` units."""
    from PIL import Image, ImageDraw

    def texel(pt):
        return ((pt[0] + TEX_HALF) / (2 * TEX_HALF) * n, (TEX_Y + TEX_HALF - pt[1]) / (2 * TEX_HALF) * n)

    img = Image.new("L", (n, n), 0)
    d = ImageDraw.Draw(img)
    d.polygon([texel(pt) for pt in poly], fill=255)
    m = np.asarray(img, np.float32) / 255
    if grow:
        from scipy.ndimage import binary_dilation

        r = max(1, int(round(grow / (2 * TEX_HALF) * n)))
        m = binary_dilation(m > 0.5, iterations=r).astype(np.float32)
    return m


def _factory_finish(rgb: np.ndarray, face: np.ndarray, features: np.ndarray,
                    forehead: np.ndarray) -> tuple[np.ndarray, tuple]:
    """Photo paint -> factory paint: lighting taken out, skin smoothed, eyes, brows and lips kept crisp,
    a reduced palette, and stray hair on the forehead painted over (the hair is sculpted)."""
    lum = rgb.mean(-1)
    weight = face + 1e-4
    # Large-scale shading on the skin (features excluded), divided out: the render's light does the shading.
    skin_w = weight * (1 - features)
    blur_l = _blur(lum * skin_w, 18) / np.maximum(_blur(skin_w, 18), 1e-4)
    target = float(np.sum(lum * skin_w) / max(np.sum(skin_w), 1e-4))
    gain = np.clip((target / np.maximum(blur_l, 1.0)) ** 0.9, 0.6, 1.8)
    flat = np.clip(rgb * gain[..., None], 0, 255)
    sel = skin_w > 0.5
    skin = np.median(flat[sel], axis=0) if sel.any() else np.array([205.0, 160.0, 130.0])
    # Hair the photo shows over the forehead: whatever there is far from the skin's colour becomes skin.
    off = np.linalg.norm(flat - skin, axis=-1)
    flat = np.where((forehead * (off > 45))[..., None] > 0.5, skin, flat)
    # Skin: an edge-preserving smooth (self-guided filter); features: sharpened. Smoothing harder than this
    # costs likeness (measured with bench/sculpt.py): the small creases are part of who someone is.
    from ..engines.studio import _smooth

    smooth = _smooth(flat / 255.0, 3, 0.0015) * 255
    detail = flat + 0.4 * (flat - gaussian_filter(flat, (1.5, 1.5, 0)))
    detail = skin + (detail - skin) * 1.15  # crisper eyes, brows and lips, as a factory's pad print
    feat = gaussian_filter(features, 2)[..., None]
    out = smooth * (1 - feat) + detail * feat
    out = np.round(out / 6) * 6  # factory paint has few tones
    return np.clip(out, 0, 255), tuple(float(c) / 255 for c in skin)


def _features_mask(front: np.ndarray, n: int) -> np.ndarray:
    """Where the eyes, brows and lips are on the paint (kept crisp, never flattened)."""
    m = np.zeros((n, n), np.float32)
    for idx in (EYES[:16], EYES[16:], LIPS, BROWS[:10], BROWS[10:]):
        pts = front[idx, :2]
        c = pts.mean(0)
        hull = c + (pts - c) * 1.25
        from scipy.spatial import ConvexHull

        try:
            hull = hull[ConvexHull(hull).vertices]
        except Exception:  # noqa: BLE001 - degenerate points: skip this feature
            continue
        m = np.maximum(m, _polygon_mask(hull, n))
    return m


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
    field = _tps(np.concatenate([uv_l[keep], ring]), np.concatenate([offset[keep], np.zeros(len(ring))])[:, None],
                 smoothing=1e-4)
    uv_v = _stereo(unit)
    near = np.flatnonzero((unit[:, 2] > -0.2) & _inside_polygon(uv_v, ring))
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

    # Paint.
    raw, known = _paint(photo, front, p, vis)
    face_m = gaussian_filter(_polygon_mask(oval[:, :2], TEX), 3) * known
    features = _features_mask(front, TEX)
    brow_top = front[BROWS, 1].max() + 0.03
    forehead = _polygon_mask(oval[:, :2], TEX) * (_grid(TEX)[1] > brow_top)
    tex, skin = _factory_finish(raw, face_m, features, forehead)
    beard, moustache = _beard(tex, front, face_m, skin)
    glasses = _glasses(raw, front)
    centre = oval[:, :2].mean(0)
    shrink = centre + (oval[:, :2] - centre) * 0.97
    paint_w = gaussian_filter(_polygon_mask(shrink, TEX), 6) * np.clip(known * 1.5, 0, 1)
    # Fill the paint outside the face with the skin tone, so texture filtering at the rim never pulls in background.
    tex = tex * paint_w[..., None] + np.array(skin) * 255 * (1 - paint_w[..., None])
    texture = np.clip(tex, 0, 255).astype(np.uint8)

    uv = np.stack([(verts[:, 0] + TEX_HALF) / (2 * TEX_HALF), (verts[:, 1] - TEX_Y + TEX_HALF) / (2 * TEX_HALF)], 1)
    uv = np.clip(uv, 0, 1)
    ij = np.clip((1 - uv[:, 1]) * TEX, 0, TEX - 1).astype(int), np.clip(uv[:, 0] * TEX, 0, TEX - 1).astype(int)
    paint = paint_w[ij] * (verts[:, 2] > 0)
    colors = np.broadcast_to(np.array(skin, np.float32), (len(verts), 3)).copy()

    if beard > 0.5 or moustache > 0.5:
        verts, colors, paint = _sculpt_beard(verts, faces, colors, paint, front, hair_color, beard > 0.5, moustache > 0.5)

    head = Part("head", verts, faces, colors, "skin", uv=uv.astype(np.float32), texture=texture,
                paint=paint.astype(np.float32))
    parts = [head, *_ears(a, c, skin), _neck(skin)]
    if glasses > 0.5:
        parts.append(_glasses_frame(front, a))
    return Head(parts, skin, front, yaw, float(np.mean(vis[OVAL] > 0.3)), texture, beard, glasses, (a, b, c))


def _inside_polygon(pts: np.ndarray, poly: np.ndarray) -> np.ndarray:
    """Even-odd test of 2D points against a polygon."""
    x, y = pts[:, 0:1], pts[:, 1:2]
    x0, y0 = poly[:, 0][None], poly[:, 1][None]
    x1, y1 = np.roll(poly[:, 0], -1)[None], np.roll(poly[:, 1], -1)[None]
    cross = (y0 > y) != (y1 > y)
    at = x0 + (y - y0) * (x1 - x0) / np.where(y1 == y0, 1e-12, y1 - y0)
    return (np.count_nonzero(cross & (x < at), axis=1) % 2) == 1


def _disc_mean(tex: np.ndarray, centre: np.ndarray, radius: float) -> np.ndarray:
    """Mean paint in a head-space disc."""
    n = tex.shape[0]
    col = (centre[0] + TEX_HALF) / (2 * TEX_HALF) * n
    row = (TEX_Y + TEX_HALF - centre[1]) / (2 * TEX_HALF) * n
    r = max(2, int(radius / (2 * TEX_HALF) * n))
    y0, y1 = int(max(0, row - r)), int(min(n, row + r + 1))
    x0, x1 = int(max(0, col - r)), int(min(n, col + r + 1))
    patch = tex[y0:y1, x0:x1].reshape(-1, tex.shape[-1]) if tex.ndim == 3 else tex[y0:y1, x0:x1].ravel()
    return patch.mean(0) if patch.size else np.zeros(tex.shape[-1] if tex.ndim == 3 else 1)


CHEEKS = [50, 280, 117, 346]
BEARD = [152, 175, 199, 148, 377, 172, 397, 136, 365]
MOUSTACHE = [164, 167, 393, 165, 391]


def _beard(tex: np.ndarray, front: np.ndarray, face: np.ndarray, skin) -> tuple[float, float]:
    """How sure (0-1) a beard and a moustache are: hair-dark paint on the chin or the upper lip, against the cheeks."""
    lum = tex.mean(-1)
    cheek = np.median([_disc_mean(lum, front[i], 0.03) for i in CHEEKS])
    if cheek <= 1:
        return 0.0, 0.0
    chin = np.median([_disc_mean(lum, front[i] + np.array([0, 0.03, 0]), 0.03) for i in BEARD])
    lip = np.median([_disc_mean(lum, front[i], 0.015) for i in MOUSTACHE])
    beard = float(np.clip((0.72 - chin / cheek) / 0.15 + 0.5, 0, 1))
    moustache = float(np.clip((0.68 - lip / cheek) / 0.15 + 0.5, 0, 1))
    return beard, moustache


def _glasses(raw: np.ndarray, front: np.ndarray) -> float:
    """How sure (0-1) the person wears glasses: a frame's hard edges across the nose bridge and under the brows."""
    lum = raw.mean(-1)
    gy, gx = np.gradient(gaussian_filter(lum, 1.0))
    mag = np.hypot(gx, gy)
    bridge = _disc_mean(mag, front[168] * 0.5 + front[6] * 0.5, 0.025)
    # Against skin a frame never covers: the lower cheeks and the chin.
    plain = np.median([_disc_mean(mag, front[i], 0.03) for i in (205, 425, 199)])
    rims = np.median([_disc_mean(mag, front[i], 0.02) for i in (117, 346, 111, 340)])
    score = max(bridge, rims) / max(plain, 1.0)
    return float(np.clip((score - 3.0) / 2.0 + 0.5, 0, 1))


def _sculpt_beard(verts, faces, colors, paint, front, hair_color, beard: bool, moustache: bool):
    """Beard and moustache as sculpted relief in the hair's paint, with grooves that run down like strands."""
    x, y, z = verts[:, 0], verts[:, 1], verts[:, 2]
    mouth_y = (front[61, 1] + front[291, 1]) / 2
    mouth_w = abs(front[291, 0] - front[61, 0]) / 2
    lips_lo, lips_hi = front[17, 1], front[0, 1]
    nose_y = front[2, 1]
    region = np.zeros(len(verts))
    if beard:
        jaw = _inside_polygon(verts[:, :2], front[OVAL, :2] * np.array([1.04, 1.0])) & (z > 0.0)
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


def _ears(a: float, c: float, skin) -> list[Part]:
    return [_ellipsoid_part("ear", (s * (a - 0.015), -0.05, -0.04), (0.04, 0.09, 0.06), skin, "skin")
            for s in (-1, 1)]


def _neck(skin) -> Part:
    """The neck: a rounded cylinder into the body's neck stump (the neck joint)."""
    v, f = uv_sphere(16, 24)
    v = v.copy()
    top = v[:, 1] > 0
    v[:, 1] = np.where(top, -0.28 + v[:, 1] * 0.05, -0.52 + v[:, 1] * 0.05)  # ends inside the body's neck
    v[:, 0] *= 0.16
    v[:, 2] = v[:, 2] * 0.15 - 0.06
    return Part("neck", v, f, skin, "skin")


def tube(path: np.ndarray, radius: float, *, loop: bool, sides: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """A closed tube along a polyline: a torus-like ring for a loop, capped ends otherwise."""
    path = np.asarray(path, np.float64)
    n = len(path)
    tangent = np.roll(path, -1, 0) - np.roll(path, 1, 0) if loop else np.gradient(path, axis=0)
    tangent /= np.maximum(np.linalg.norm(tangent, axis=1, keepdims=True), 1e-9)
    ref = np.array([0.0, 0.0, 1.0])
    normal = np.cross(tangent, ref)
    bad = np.linalg.norm(normal, axis=1) < 1e-3
    normal[bad] = np.cross(tangent[bad], np.array([0.0, 1.0, 0.0]))
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    binormal = np.cross(tangent, normal)
    ang = np.linspace(0, 2 * np.pi, sides, endpoint=False)
    ring = (np.cos(ang)[None, :, None] * normal[:, None] + np.sin(ang)[None, :, None] * binormal[:, None]) * radius
    v = (path[:, None] + ring).reshape(-1, 3)
    faces = []
    rows = n if loop else n - 1
    for i in range(rows):
        j = (i + 1) % n
        for k in range(sides):
            a, b = i * sides + k, i * sides + (k + 1) % sides
            c2, d = j * sides + (k + 1) % sides, j * sides + k
            faces += [(a, b, c2), (a, c2, d)]
    f = np.asarray(faces, np.int64)
    if not loop:
        from .mesh import close_holes

        v, f, _ = close_holes(v.astype(np.float32), f.astype(np.int32))
    f = outward(np.asarray(v, np.float64), f)
    return np.asarray(v, np.float32), np.ascontiguousarray(f, np.int32)


def _glasses_frame(front: np.ndarray, a: float) -> Part:
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
    return Part("glasses", np.concatenate(parts_v), np.concatenate(parts_f), (0.08, 0.08, 0.09), "vinyl")
