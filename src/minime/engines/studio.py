"""The studio engine: an offline toy finish on the CPU, no model download.

The person is cut out with the person mask, painted like a vinyl collectible (smoothed surfaces,
a reduced factory palette, a sculpt outline, a sheen from the key light at the top left) and set
on a glossy plinth as a collectible bust.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import skia
from PIL import Image, ImageDraw, ImageFilter

from ..look.segment import box_mean
from .base import Figure

WORK_HEIGHT = 720  # the bust is finished at this height; the box scales it


def _box(a: np.ndarray, r: int) -> np.ndarray:
    """Mean over a (2r+1)^2 window of an HxW or HxWxC image."""
    return box_mean(a, r, axes=(0, 1))


def _smooth(rgb: np.ndarray, r: int, eps: float) -> np.ndarray:
    """Edge-preserving smoothing (a self-guided filter per channel): skin goes smooth, edges stay."""
    mean = _box(rgb, r)
    var = _box(rgb * rgb, r) - mean * mean
    a = var / (var + eps)
    b = mean - a * mean
    return _box(a, r) * rgb + _box(b, r)


def _smooth_in(rgb: np.ndarray, where: np.ndarray, r: int, eps: float) -> np.ndarray:
    """`_smooth`, computed only around the pixels `where` will use (the face or the hair is a small
    part of the bust); elsewhere the input is returned unchanged."""
    ys, xs = np.nonzero(where > 0.01)
    if ys.size == 0:
        return rgb
    pad = 3 * r
    y0, y1 = max(0, ys.min() - pad), min(rgb.shape[0], ys.max() + pad + 1)
    x0, x1 = max(0, xs.min() - pad), min(rgb.shape[1], xs.max() + pad + 1)
    out = rgb.copy()
    out[y0:y1, x0:x1] = _smooth(rgb[y0:y1, x0:x1], r, eps)
    return out


def _crop_boxes(subject, width: int, height: int) -> list[tuple[int, int, int, int]]:
    """One head-and-shoulders region per face, as a bust is sculpted; neighbours split the space between them."""
    faces = subject.faces
    centres = [(f.box[0] + f.box[2]) / 2 for f in faces]
    boxes = []
    for i, f in enumerate(faces):
        fw, fh = f.width, f.box[3] - f.box[1]
        left = centres[i] - 1.35 * fw
        right = centres[i] + 1.35 * fw
        if i > 0:
            left = max(left, (centres[i - 1] + centres[i]) / 2)
        if i < len(faces) - 1:
            right = min(right, (centres[i] + centres[i + 1]) / 2)
        top = f.box[1] - 0.75 * fh
        bottom = f.box[3] + 2.1 * fh
        boxes.append((max(0, int(left)), max(0, int(top)), min(width, int(right)), min(height, int(bottom))))
    return boxes


def _bust_shape(face, box: tuple[int, int, int, int]) -> np.ndarray:
    """A sculptor's bust outline: the head and its hair within a generous oval (so background the
    mask kept beside the head is cut), the torso trimmed by a wide ellipse, so arms end in a
    rounded cut instead of the photo's straight edge."""
    left, top, right, bottom = box
    h, w = bottom - top, right - left
    fw, fh = face.width, face.box[3] - face.box[1]
    cx = (face.box[0] + face.box[2]) / 2 - left
    neck = int(np.clip(np.ceil(face.box[3] - top + 0.2 * fh), 0, h))
    xs = np.arange(w, dtype=np.float32)[None, :]

    def oval(ys, cy: float, a: float, b: float) -> np.ndarray:  # inside 1, outside 0, about 2 px of anti-aliasing
        d = np.sqrt(((xs - cx) / a) ** 2 + ((ys[:, None] - cy) / b) ** 2)
        return np.clip((1.0 - d) * min(a, b) / 2.0 + 0.5, 0, 1)

    cy = (face.box[1] + face.box[3]) / 2 - top
    head = oval(np.arange(neck, dtype=np.float32), cy, 0.95 * fw, 1.2 * fh)
    torso = oval(np.arange(neck, h, dtype=np.float32), h, 1.3 * fw, max(1.0, (h - neck) * 1.25))
    return np.concatenate([head, torso]).astype(np.float32)


CROWN = 0.45  # the top of the hair above the face box, in face heights, where the photo cut it off


def _crop_with_crown(subject, face, box: tuple[int, int, int, int]) -> tuple[Image.Image, np.ndarray, tuple[int, int, int, int]]:
    """The bust's crop of the photo, its person mask and its box. When the photo cuts the top of the
    head off (a close selfie), the crown is completed above the frame: a dome through the hair at the
    top edge, in that hair's colour, so the figure does not end in a flat cut; the box's top is then
    negative (photo coordinates above the frame)."""
    left, top, right, bottom = box
    crop = subject.image.crop(box)
    mask = subject.mask[top:bottom, left:right].astype(np.float32)
    fh = face.box[3] - face.box[1]
    missing = int(np.ceil(CROWN * fh - face.box[1])) if top == 0 else 0
    hair = np.flatnonzero(mask[0] > 0.5)
    if missing <= 0 or hair.size < 4:
        return crop, mask, box
    rgb = np.asarray(crop)
    xa, xb = float(hair[0]), float(hair[-1])
    cx, a = (xa + xb) / 2, (xb - xa) / 2
    yc = (face.box[1] + face.box[3]) / 2  # the dome is an ellipse about the face's centre
    b = yc + missing
    big_a = a / np.sqrt(max(1e-3, 1 - (yc / b) ** 2))
    ys, xs = np.mgrid[-missing:0, 0 : rgb.shape[1]].astype(np.float32)
    d = np.sqrt(((xs - cx) / big_a) ** 2 + ((ys - yc) / b) ** 2)
    dome = np.clip((1.0 - d) * min(big_a, b) / 2.0 + 0.5, 0, 1)
    # The hair's colour along the top edge, smoothed across so no strand repeats up the dome.
    band = rgb[: max(1, int(fh * 0.05))].astype(np.float32).mean(0)
    weight = (mask[0] > 0.5).astype(np.float32)[:, None]
    from scipy.ndimage import uniform_filter1d

    size = 2 * max(2, int(a / 3)) + 1
    row = uniform_filter1d(band * weight, size, axis=0, mode="nearest") / np.maximum(
        uniform_filter1d(weight, size, axis=0, mode="nearest"), 1e-3)
    top_rgb = np.repeat(row[None], missing, 0)
    rgb = np.concatenate([np.clip(top_rgb, 0, 255).astype(np.uint8), rgb])
    mask = np.concatenate([dome, mask])
    return Image.fromarray(rgb), mask, (left, top - missing, right, bottom)


def _keep_person(alpha: np.ndarray, face, box: tuple[int, int, int, int]) -> np.ndarray:
    """Drop islands and thin slivers of the mask (bits of background the model kept)."""
    from scipy.ndimage import binary_dilation, binary_erosion, label

    labels, count = label(alpha > 0.35)
    x0, y0, x1, y1 = (int(v) for v in face.box)
    left, top = box[0], box[1]
    inside = labels[max(0, y0 - top) : max(0, y1 - top), max(0, x0 - left) : max(0, x1 - left)]
    keep = np.unique(inside[inside > 0])
    if keep.size == 0:
        return alpha
    region = np.isin(labels, keep)
    # Thin slivers are background the model kept (a curtain's edge, a strand of a flag), not the
    # sculpt: open them away, harder below the chin than around the head, never inside the face.
    # Opened at a lower resolution (about 50 px to the face): the same result, a fraction of the work.
    fw, fh = x1 - x0, y1 - y0
    step = max(1, round(fh / 50))
    small = region[::step, ::step]
    opened = np.zeros_like(region)
    chin = max(0, y1 - top)
    for k, rows in ((max(1, round(fh * 0.1 / step)), slice(chin, None)), (max(1, round(fh * 0.08 / step)), slice(0, chin))):
        o = binary_dilation(binary_erosion(small, iterations=k), iterations=k + 1)
        opened[rows] = np.repeat(np.repeat(o, step, 0), step, 1)[: region.shape[0], : region.shape[1]][rows]
    fx0, fy0 = max(0, int(x0 - left - 0.1 * fw)), max(0, int(y0 - top - 0.1 * fh))
    opened[fy0 : max(0, y1 - top), fx0 : max(0, int(x1 - left + 0.1 * fw))] = True
    return alpha * binary_dilation(region & opened, iterations=3)  # the soft edge comes back


def _decontaminate(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Replace the colours of semi-transparent edge pixels by nearby foreground colour, so no halo of
    the old background survives the cut-out."""
    solid = (alpha > 0.92).astype(np.float32)
    r = max(2, int(min(alpha.shape) * 0.012))
    num = _box(rgb * solid[..., None], r)
    den = _box(solid, r)[..., None]
    estimate = np.where(den > 1e-3, num / np.maximum(den, 1e-3), rgb)
    w = np.clip((0.92 - alpha) / 0.92, 0, 1)[..., None]
    edge = (alpha > 0.01)[..., None]
    return np.where(edge, rgb * (1 - w) + estimate * w, rgb)


def _shade(alpha: np.ndarray, parts=None, key: tuple[float, float] = (-0.5, -0.6)) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(diffuse, specular, rim) light from the top left, from a height field: the blurred mask gives
    the body its roundness, the face and the hair a rounder, smoother volume on top."""
    h = alpha.shape[0]
    r = max(2, h // 40)
    height = _box(_box(alpha, r), r)
    if parts is not None:
        height = height + 0.6 * _box(_box(parts.face + parts.hair, r), r)
    gy, gx = np.gradient(height * (h / 18))
    n = np.stack([-gx, -gy, np.ones_like(gx)], -1)
    n /= np.linalg.norm(n, axis=-1, keepdims=True)
    light = np.array([key[0], key[1], 0.62], np.float32)
    light /= np.linalg.norm(light)
    diffuse = np.clip(n @ light, 0, 1)
    half = light + np.array([0, 0, 1.0], np.float32)
    half /= np.linalg.norm(half)
    ndh = np.clip(n @ half, 0, 1)
    spec = ndh**40 + 0.15 * ndh**6
    facing = np.clip(-(n[..., 0] * 0.6 + n[..., 1] * 0.8), 0, 1)  # edges that face the light
    rim = (1 - n[..., 2]) ** 2 * facing * alpha
    return diffuse, spec, rim


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


def _bend(layers: np.ndarray, pivot: tuple[float, float], span: float, pose: Pose) -> np.ndarray:
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


def _recolour(rgb: np.ndarray, where: np.ndarray, target: tuple[int, int, int]) -> np.ndarray:
    """Paint `where` in the target colour, keeping the folds and shading of the original."""
    lum = np.maximum(rgb @ np.array([0.299, 0.587, 0.114], np.float32), 0.01)
    weight = where + 1e-6
    mean = float(np.exp((np.log(lum) * weight).sum() / weight.sum()))
    t = np.array(target, np.float32) / 255
    # Relative lightness, softened in the log domain, so folds and seams survive the new colour.
    relative = np.clip(np.exp(0.7 * (np.log(lum) - np.log(mean))), 0.35, 1.9)[..., None]
    shaded = np.clip(t * relative, 0, 1)
    return rgb * (1 - where[..., None]) + shaded * where[..., None]


def _posterize_luma(rgb: np.ndarray, levels: int) -> np.ndarray:
    """Step the lightness into a few soft bands, as a sculpted and painted surface reads."""
    lum = rgb.mean(-1, keepdims=True)
    steps = np.round(lum * levels) / levels
    soft = 0.55 * steps + 0.45 * lum
    return np.clip(rgb * (soft / np.maximum(lum, 1e-3)), 0, 1)


_LUMA = np.array([0.299, 0.587, 0.114], np.float32)


def _around(where: np.ndarray) -> tuple[slice, slice] | None:
    """The rows and columns that hold `where`'s pixels (None if it is empty)."""
    ys, xs = np.nonzero(where > 0.01)
    if ys.size == 0:
        return None
    return slice(ys.min(), ys.max() + 1), slice(xs.min(), xs.max() + 1)


def _one_paint(rgb: np.ndarray, where: np.ndarray, softness: float, lo: float, hi: float) -> np.ndarray | None:
    """The image painted in one colour, the median of `where`, shaded by each pixel's lightness
    relative to it (softened in the log domain by `softness`, clipped to lo..hi); None if `where` is empty."""
    solid = where > 0.5
    if solid.sum() < 20:
        return None
    colour = np.median(rgb[solid], 0)
    base = max(float(colour @ _LUMA), 0.02)
    relative = np.clip(np.exp(softness * np.log(np.maximum(rgb @ _LUMA, 0.005) / base)), lo, hi)[..., None]
    return np.clip(colour * relative, 0, 1)


def _hair_paint(rgb: np.ndarray, hair: np.ndarray) -> np.ndarray:
    """Hair as one sculpted mass: a single paint colour, shaded in a few bands, keeping the mass's
    volume but not its strands. Patches of background the mask kept take the hair's colour too."""
    region = _around(hair)
    if region is None:
        return rgb
    out = rgb.copy()
    painted = _one_paint(rgb[region], hair[region], 0.65, 0.6, 1.35)
    out[region] = _posterize_luma(rgb[region] if painted is None else painted, 5)
    return out


SKIN_PAINT = 0.5  # how far the face goes toward one flat vinyl colour, shaded by its own light


def _vinyl_skin(rgb: np.ndarray, skin: np.ndarray) -> np.ndarray:
    """Skin as moulded vinyl: pulled toward a single skin paint, keeping the face's broad light and
    shadow (which carry its shape) but not its blotches and pores."""
    region = _around(skin)
    painted = None if region is None else _one_paint(rgb[region], skin[region], 0.8, 0.4, 1.7)
    if painted is None:
        return rgb
    out = rgb.copy()
    out[region] += SKIN_PAINT * (painted - rgb[region]) * skin[region][..., None]
    return out


@dataclass(frozen=True)
class Material:
    """A clothing material the studio paints: extra sheen, a surface texture and, when the outfit
    names no colour, the material's own."""

    name: str
    words: tuple[str, ...]
    gloss: float = 0.0
    texture: str = ""  # "twill", "rib", "bands" or "sparkle"
    colour: tuple[int, int, int] | None = None


MATERIALS = [
    Material("leather", ("leather", "latex", "patent", "pvc"), gloss=0.55, colour=(38, 30, 28)),
    Material("denim", ("denim", "jean", "jeans", "dungarees"), texture="twill", colour=(58, 88, 138)),
    Material("metallic", ("metallic", "chrome", "foil", "silver", "gold", "golden", "armor", "armour"),
             gloss=0.45, texture="bands", colour=(190, 192, 200)),
    Material("knit", ("knit", "knitted", "wool", "woollen", "woolen", "sweater", "jumper", "cardigan"), texture="rib"),
    Material("sequins", ("sequin", "sequins", "sequined", "glitter", "glittery", "sparkly"), gloss=0.15, texture="sparkle"),
]


METALS = {"gold": (212, 170, 72), "golden": (212, 170, 72), "silver": (192, 194, 202), "chrome": (200, 204, 214)}


@dataclass(frozen=True)
class Outfit:
    """What an outfit's words ask of the clothes: a colour, a material, both or neither."""

    colour: tuple[int, int, int] | None = None
    material: Material | None = None


def outfit_of(outfit: str) -> Outfit:
    """The colour (CSS colour names) and material an outfit names: "red leather jacket" -> red, leather."""
    from ..spec import colours_named

    words = outfit.casefold().replace("-", " ").split()
    colour = next(iter(colours_named(outfit)), None)
    material = next((m for m in MATERIALS if any(w in m.words for w in words)), None)
    metallic = material is not None and material.name == "metallic"
    metal = next((METALS[w] for w in words if w in METALS), None) if metallic else None
    if metal is not None:  # "gold" as a metal, not CSS's flat yellow
        colour = metal
    elif colour is None and material is not None:
        colour = material.colour
    return Outfit(colour, material)


def _texture(kind: str, lum: np.ndarray, period: float) -> np.ndarray:
    """A lightness multiplier (about 1) that gives the clothes a material's surface."""
    h, w = lum.shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "twill":  # the diagonal weave of denim
        return 1.0 + 0.14 * np.sin(2 * np.pi * (xs + ys) / period)
    if kind == "rib":  # the ribs of a knit, with its rows of stitches
        return 1.0 + 0.14 * np.sin(2 * np.pi * xs / period) * (0.7 + 0.3 * np.sin(2 * np.pi * ys / (period * 0.8)))
    if kind == "bands":  # metal reflects its surroundings in sharp bands
        return 0.7 + 0.6 * (0.5 + 0.5 * np.cos(lum * 5 * np.pi))
    if kind == "sparkle":  # scattered points of light, the same every time
        rng = np.random.default_rng(7)
        dots = (rng.random((h, w)) < 0.006).astype(np.float32)
        return 1.0 + 1.2 * np.asarray(Image.fromarray(dots * 255).convert("L").filter(ImageFilter.GaussianBlur(max(0.6, period / 14))), np.float32) / 255 * 3
    return np.ones_like(lum)


def toy_finish(rgb: np.ndarray, alpha: np.ndarray, parts: Parts | None = None, outfit: Outfit = Outfit(),
               finish: Finish = FINISHES[0]) -> np.ndarray:
    """Paint a photo cut-out like a vinyl figure. rgb float 0..1 HxWx3, alpha HxW; returns rgb.

    Skin is smoothed hard while eyes, brows and mouth stay crisp; hair becomes a sculpted mass;
    clothes take the outfit's colour and material; the palette is reduced like factory paint; light from the top
    left gives shading, a specular sheen and a rim.
    """
    h = rgb.shape[0]
    rgb = _decontaminate(rgb, alpha)
    if parts is not None and parts.face_light < 0.3:
        # An underexposed photo: lift it so the face sits in the middle tones a painted toy has.
        gain = min(5.0, 0.5 / max(parts.face_light, 0.02))
        lifted = rgb * gain
        rgb = lifted / (1.0 + np.maximum(lifted - 0.8, 0) * 1.2)  # a soft shoulder instead of clipping
    soft = _smooth(rgb, max(2, h // 130), 0.003)
    if parts is None:
        zero = np.zeros_like(alpha)
        parts = Parts(zero, zero, zero, zero, zero, [], h / 3)
    skin = _smooth_in(rgb, parts.face, max(3, int(parts.face_width / 22)), finish.skin_smooth)
    crisp = rgb  # eyes, brows and mouth keep the photo's own detail
    face = parts.face[..., None]
    feat = parts.features[..., None]
    paint = soft * (1 - face) + (skin * (1 - feat) + crisp * feat) * face
    paint = _vinyl_skin(paint, np.maximum(parts.face, parts.skin) * (1 - parts.features))  # face, neck and hands alike
    hair = _hair_paint(_smooth_in(rgb, parts.hair, max(3, int(parts.face_width / 16)), 0.02), parts.hair)
    paint = paint * (1 - parts.hair[..., None]) + hair * parts.hair[..., None]
    if outfit.colour is not None:
        paint = _recolour(paint, parts.clothes, outfit.colour)
    # Factory paint: fewer, cleaner colours, a little more saturation and contrast.
    img = Image.fromarray((np.clip(paint, 0, 1) * 255).astype(np.uint8))
    poster = np.asarray(img.quantize(finish.colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).convert("RGB"), np.float32) / 255
    keep = 0.55 + 0.45 * np.maximum(feat, parts.skin[..., None])  # skin and features keep their own colours
    paint = keep * paint + (1 - keep) * poster
    grey = paint.mean(-1, keepdims=True)
    paint = np.clip(grey + (paint - grey) * 1.2, 0, 1)
    paint = np.clip((paint - 0.5) * 1.08 + 0.5, 0, 1)
    material = outfit.material
    if material is not None and material.texture:  # after the factory paint, which would flatten it
        surface = _texture(material.texture, paint @ _LUMA, max(4.0, parts.face_width / 12))
        paint = paint * (1 + (surface[..., None] - 1) * parts.clothes[..., None])
    diffuse, spec, rim = _shade(alpha, parts, finish.light)
    gloss = finish.gloss + (material.gloss * parts.clothes if material is not None else 0.0)
    paint = paint * (0.78 + 0.32 * diffuse[..., None]) + (gloss * spec)[..., None] + 0.25 * rim[..., None]
    _catch_lights(paint, parts.eyes)
    return np.clip(paint, 0, 1)


def _catch_lights(paint: np.ndarray, eyes) -> None:
    """A glossy highlight in each eye, up and left toward the key light."""
    h, w = paint.shape[:2]
    for cx, cy, ew in eyes:
        r = max(1.0, ew * 0.09)
        x, y = cx - ew * 0.1, cy - ew * 0.08
        x0, x1 = int(max(0, x - 2 * r)), int(min(w, x + 2 * r + 1))
        y0, y1 = int(max(0, y - 2 * r)), int(min(h, y + 2 * r + 1))
        if x0 >= x1 or y0 >= y1:
            continue
        yy, xx = np.mgrid[y0:y1, x0:x1]
        dot = np.clip(r - np.hypot(xx - x, yy - y) + 0.5, 0, 1)[..., None] * 0.85
        paint[y0:y1, x0:x1] = paint[y0:y1, x0:x1] * (1 - dot) + dot


def _outline(alpha: np.ndarray, px: int) -> np.ndarray:
    """A thin sculpt line just outside the silhouette."""
    a = Image.fromarray((alpha * 255).astype(np.uint8))
    spread = np.asarray(a.filter(ImageFilter.BoxBlur(px)), np.float32) / 255
    grown = np.clip((spread - 0.1) / 0.1, 0, 1)  # a crisp dilation by about `px` pixels
    return np.clip(grown - alpha, 0, 1)


def _plinth(width: int, height: int) -> Image.Image:
    """A glossy round plinth, lit from the top left, as RGBA."""
    surf = skia.Surface(width, height)
    c = surf.getCanvas()
    c.clear(skia.ColorTRANSPARENT)
    top_h = height * 0.42
    body = skia.Path()
    body.addOval(skia.Rect.MakeXYWH(0, height - top_h, width, top_h))
    body.addRect(skia.Rect.MakeXYWH(0, top_h / 2, width, height - top_h))
    side = skia.Paint(AntiAlias=True, Shader=skia.GradientShader.MakeLinear(
        [skia.Point(0, 0), skia.Point(width, 0)],
        [skia.Color(70, 72, 84), skia.Color(38, 40, 50), skia.Color(16, 17, 24), skia.Color(30, 31, 40)], [0, 0.3, 0.8, 1]))
    c.drawPath(body, side)
    top = skia.Rect.MakeXYWH(0, 0, width, top_h)
    c.drawOval(top, skia.Paint(AntiAlias=True, Shader=skia.GradientShader.MakeRadial(
        skia.Point(width * 0.35, top_h * 0.35), width * 0.7, [skia.Color(92, 95, 110), skia.Color(40, 42, 52)])))
    c.drawOval(top, skia.Paint(AntiAlias=True, Style=skia.Paint.kStroke_Style, StrokeWidth=max(2, width * 0.006),
                               Color=skia.Color(150, 155, 175, 160)))
    streak = skia.Rect.MakeXYWH(width * 0.07, top_h * 0.75, width * 0.09, height - top_h * 0.9)
    c.drawRoundRect(streak, width * 0.04, width * 0.04, skia.Paint(
        AntiAlias=True, Color=skia.Color(255, 255, 255, 50), MaskFilter=skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, width * 0.01)))
    arr = surf.makeImageSnapshot().toarray(colorType=skia.kRGBA_8888_ColorType)
    return Image.fromarray(arr, "RGBA")


class StudioEngine:
    name = "studio"
    runs_locally = True
    generative = False  # the figure is the photo, painted
    model = "studio-v1"

    def generate(self, subject, spec, *, n: int = 1, seed: int | None = None) -> list[Figure]:
        """Return `n` figures, each in a different finish (gloss, paint, light) and pose; the seed
        picks where in the lists of finishes and poses to start (one figure is posed facing front)."""
        boxes = _crop_boxes(subject, subject.image.width, subject.image.height)
        height = WORK_HEIGHT if len(boxes) == 1 else int(WORK_HEIGHT * 0.8)
        outfit = outfit_of(spec.outfit)
        figures = []
        for i in range(max(1, n)):
            start = time.perf_counter()
            finish = FINISHES[((seed or 0) + i) % len(FINISHES)]
            pose = POSES[((seed or 0) + i) % len(POSES)] if n > 1 else POSES[0]
            busts = [self._bust(subject, face, b, height, outfit, finish, pose, same_scale=len(boxes) > 1)
                     for face, b in zip(subject.faces, boxes)]
            figure = _on_plinth(busts)
            figures.append(Figure(figure, "studio", f"{self.model} ({finish.name}, {pose.name})", seed, "",
                                  time.perf_counter() - start, {}, len(busts)))
        return figures

    @staticmethod
    def _bust(subject, face, box: tuple[int, int, int, int], work_height: int, outfit: Outfit = Outfit(),
              finish: Finish = FINISHES[0], pose: Pose = POSES[0], same_scale: bool = False) -> Image.Image:
        """One person cut out, painted and posed, cropped to their silhouette (RGBA). With `same_scale`
        (a multi-pack) every head comes out the same size, however near the camera each person stood."""
        crop, mask, box = _crop_with_crown(subject, face, box)
        left, top, right, bottom = box
        alpha = _keep_person(mask * _bust_shape(face, box), face, box)
        if same_scale:  # the crop's height had the face been whole in the frame (see _crop_boxes)
            scale = work_height / (3.85 * (face.box[3] - face.box[1]))
        else:
            scale = min(1.0, work_height / crop.height)
        if scale != 1.0:
            size = (max(1, round(crop.width * scale)), max(1, round(crop.height * scale)))
            crop = crop.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)
            alpha = np.asarray(Image.fromarray((alpha * 255).astype(np.uint8)).resize(size, Image.Resampling.BILINEAR), np.float32) / 255
        rgb = np.asarray(crop, np.float32) / 255
        parts = find_parts(rgb, alpha, face, (left, top), scale)
        painted = toy_finish(rgb, alpha, parts, outfit, finish)
        line = _outline(alpha, max(2, crop.height // 200))
        ink = np.array([0.1, 0.09, 0.12], np.float32)
        out_rgb = painted * alpha[..., None] + ink * line[..., None]
        out_a = np.clip(alpha + line, 0, 1)
        fh = (face.box[3] - face.box[1]) * scale
        pivot = ((face.box[0] + face.box[2]) / 2 - left) * scale, (face.box[3] - top) * scale + 0.1 * fh
        posed = _bend(np.dstack([out_rgb, out_a]), pivot, 0.25 * fh, pose)
        out_rgb, out_a = posed[..., :3], np.clip(posed[..., 3], 0, 1)
        rgb8 = np.where(out_a[..., None] > 0, out_rgb / np.maximum(out_a[..., None], 1e-4), 0)
        bust = Image.fromarray(np.dstack([np.clip(rgb8 * 255, 0, 255), out_a * 255]).astype(np.uint8), "RGBA")
        return bust.crop(bust.getchannel("A").getbbox() or (0, 0, bust.width, bust.height))


def _on_plinth(busts: list[Image.Image]) -> Image.Image:
    """Seat the busts side by side in one plinth: the cut at the bottom of each sinks into its top."""
    gap = int(min(b.width for b in busts) * 0.02)
    row_w = sum(b.width for b in busts) + gap * (len(busts) - 1)
    pw = int(row_w * (1.04 if len(busts) == 1 else 1.06))
    ph = int(min(pw * 0.24, max(b.height for b in busts) * 0.3))
    sink = int(ph * 0.21)  # where the plinth's top face is deepest behind the busts
    height = max(b.height for b in busts) + ph - sink
    canvas = Image.new("RGBA", (pw, height), (0, 0, 0, 0))
    plinth = _plinth(pw, ph)
    py = height - ph
    canvas.alpha_composite(plinth.crop((0, 0, pw, sink)), (0, py))
    x = (pw - row_w) // 2
    for bust in busts:
        canvas.alpha_composite(bust, (x, py + sink - bust.height))
        x += bust.width + gap
    canvas.alpha_composite(plinth.crop((0, sink, pw, ph)), (0, py + sink))
    return canvas
