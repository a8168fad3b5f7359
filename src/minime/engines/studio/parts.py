"""The bust's looks and poses, and where its face, eyes, brows, lips and hair are."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


@dataclass(frozen=True)
class Finish:
    """One look of the toy: how glossy, how few paint colours, how smooth, where the key light is."""

    name: str
    gloss: float = 0.5
    colours: int = 32
    skin_smooth: float = 0.01
    light: tuple[float, float] = (-0.5, -0.6)


FINISHES = [
    Finish("gloss vinyl"),
    Finish("satin PVC", gloss=0.28, colours=40, skin_smooth=0.006, light=(-0.35, -0.7)),
    Finish("high-gloss collector", gloss=0.7, colours=24, skin_smooth=0.014, light=(-0.65, -0.45)),
    Finish("soft matte", gloss=0.15, colours=48, skin_smooth=0.008, light=(-0.2, -0.8)),
]


@dataclass(frozen=True)
class Pose:
    """How the bust is posed: degrees the head tilts on the neck, and the shoulders tilt above the
    plinth (positive turns counter-clockwise as seen); the base stays flat on the plinth."""

    name: str
    head: float = 0.0
    shoulders: float = 0.0


POSES = [
    Pose("facing front"),
    Pose("head tilted", head=7.0, shoulders=-2.0),
    Pose("leaning in", head=-4.0, shoulders=3.5),
    Pose("head cocked", head=-8.0, shoulders=-1.5),
]


def bend(layers: np.ndarray, pivot: tuple[float, float], span: float, pose: Pose) -> np.ndarray:
    """Pose a premultiplied HxWx4 bust: the head turns about the neck by `pose.head`, and everything
    above the base by `pose.shoulders`, fading to nothing at the bottom edge, which stays put."""
    from scipy.ndimage import map_coordinates

    if not (pose.head or pose.shoulders):
        return layers
    pad = int(layers.shape[0] * 0.08)  # room for the head and a shoulder to move into
    layers = np.pad(layers, ((pad, 0), (pad, pad), (0, 0)))
    h, w = layers.shape[:2]
    px, py = pivot[0] + pad, pivot[1] + pad
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    t = np.clip((py + span - ys) / (2 * span), 0, 1)
    head = t * t * (3 - 2 * t)  # 1 above the neck, 0 below it, smoothly between
    body = np.clip((h - 1 - ys) / max(1.0, h - 1 - py), 0, 1)
    theta = np.radians(pose.head * head + pose.shoulders * body)
    c, s = np.cos(theta), np.sin(theta)
    dx, dy = xs - px, ys - py
    # Where each output pixel comes from: turned back by theta about the neck.
    coords = [s * dx + c * dy + py, c * dx - s * dy + px]
    return np.stack([map_coordinates(layers[..., k], coords, order=1, mode="constant") for k in range(4)], -1)


# MediaPipe face-mesh indices of the parts a sculptor keeps sharp, and of the face's outline.
_FACE_OVAL = [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148,
              176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109]
_EYES = ([33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246],
         [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466])
_BROWS = ([46, 53, 52, 65, 55, 107, 66, 105, 63, 70], [276, 283, 282, 295, 285, 336, 296, 334, 293, 300])
_LIPS = [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185]


@dataclass
class Parts:
    """Soft masks (HxW float32) of the parts painted differently; all in the bust's pixels."""

    face: np.ndarray
    features: np.ndarray
    hair: np.ndarray
    clothes: np.ndarray
    skin: np.ndarray  # face, neck and hands
    eyes: list[tuple[float, float, float]]  # centre x, y and width of each eye
    face_width: float = 0.0
    face_light: float = 0.5  # median lightness of the face, 0..1


def _polygon_mask(shape, polygons, blur: float) -> np.ndarray:
    img = Image.new("L", (shape[1], shape[0]), 0)
    draw = ImageDraw.Draw(img)
    for poly in polygons:
        if len(poly) >= 3:
            draw.polygon([tuple(p) for p in poly], fill=255)
    if blur > 0:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    return np.asarray(img, np.float32) / 255


def find_parts(rgb: np.ndarray, alpha: np.ndarray, face, offset: tuple[int, int], scale: float) -> Parts:
    """Face, features, hair and clothes of one person, from the face mesh and colours."""
    h, w = alpha.shape
    fx0, fy0, fx1, fy1 = ((v - o) * scale for v, o in zip(face.box, (*offset, *offset)))
    fw, fh = fx1 - fx0, fy1 - fy0
    blur = max(1.0, fw * 0.02)
    eyes: list[tuple[float, float, float]] = []
    if face.landmarks is not None:
        pts = (face.landmarks[:, :2] - np.array(offset, np.float32)) * scale
        face_mask = _polygon_mask(alpha.shape, [pts[_FACE_OVAL]], blur * 2)
        oval_top = float(pts[_FACE_OVAL][:, 1].min())
        feature_polys = [pts[i] for i in (*_EYES, *_BROWS, _LIPS)]
        features = _polygon_mask(alpha.shape, feature_polys, 0)
        grown = Image.fromarray((features * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(blur * 1.5))
        features = np.clip(np.asarray(grown, np.float32) / 255 * 2.0, 0, 1)  # a soft, slightly grown edge
        for idx in _EYES:
            e = pts[idx]
            eyes.append((float(e[:, 0].mean()), float(e[:, 1].mean()), float(np.ptp(e[:, 0]))))
    else:  # no mesh: an ellipse for the face, no protected features
        face_mask = _polygon_mask(alpha.shape, [_ellipse(fx0, fy0, fx1, fy1)], blur * 2)
        oval_top = fy0
        features = np.zeros_like(alpha)
    # Skin tone from the middle of the face; hair and clothes are what differs from it.
    cy0, cy1 = int(max(0, fy0 + fh * 0.35)), int(min(h, fy0 + fh * 0.75))
    cx0, cx1 = int(max(0, fx0 + fw * 0.25)), int(min(w, fx1 - fw * 0.25))
    patch = rgb[cy0:cy1, cx0:cx1].reshape(-1, 3)
    skin = np.median(patch, 0) if patch.size else np.array([0.8, 0.6, 0.5], np.float32)
    # Skin is judged by its chroma, which shadows and highlights change little, and a loose lightness.
    total = rgb.sum(-1, keepdims=True) + 1e-3
    chroma_gap = np.abs(rgb[..., :2] / total - skin[:2] / (skin.sum() + 1e-3)).sum(-1)
    light_ratio = total[..., 0] / (skin.sum() + 1e-3)
    skin_like = np.clip((0.07 - chroma_gap) / 0.03, 0, 1) * ((light_ratio > 0.35) & (light_ratio < 1.9))
    not_skin = 1.0 - skin_like
    ys = np.arange(h, dtype=np.float32)[:, None]
    head_zone = _polygon_mask(alpha.shape, [_ellipse(fx0 - fw * 0.45, fy0 - fh * 0.75, fx1 + fw * 0.45, fy1 + fh * 0.1)], blur * 3)
    # Above the face's outline it is all hair, whatever its colour: blond hair has the chroma of skin,
    # and a bald crown is painted in its own colour. Beside the face, skin (the ears) is told by colour.
    crown = np.clip((oval_top - fh * 0.12 - ys) / (fh * 0.1), 0, 1)
    hair = alpha * head_zone * (1 - face_mask) * np.maximum(not_skin, crown) * (ys < fy1).astype(np.float32)
    below_chin = np.clip((ys - (fy1 + fh * 0.05)) / (fh * 0.3), 0, 1)
    clothes = alpha * below_chin * not_skin * (1 - head_zone)
    light = float(np.median(patch.mean(-1))) if patch.size else 0.5
    return Parts(face_mask * alpha, features * face_mask, hair, clothes, alpha * (1 - not_skin) * (1 - hair), eyes, fw, light)


def _ellipse(x0, y0, x1, y1, n: int = 48) -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.stack([(x0 + x1) / 2 + (x1 - x0) / 2 * np.cos(t), (y0 + y1) / 2 + (y1 - y0) / 2 * np.sin(t)], -1)
