"""Cutting the bust out of the photo: the crop, the bust's outline, the person kept, the edge colours, the light."""

from __future__ import annotations

import numpy as np
from PIL import Image

from ...imaging import box_mean, smooth

WORK_HEIGHT = 720  # the bust is finished at this height; the box scales it


def _box(a: np.ndarray, r: int) -> np.ndarray:
    """Mean over a (2r+1)^2 window of an HxW or HxWxC image."""
    return box_mean(a, r, axes=(0, 1))


def smooth_in(rgb: np.ndarray, where: np.ndarray, r: int, eps: float) -> np.ndarray:
    """`smooth`, computed only around the pixels `where` will use (the face or the hair is a small
    part of the bust); elsewhere the input is returned unchanged."""
    ys, xs = np.nonzero(where > 0.01)
    if ys.size == 0:
        return rgb
    pad = 3 * r
    y0, y1 = max(0, ys.min() - pad), min(rgb.shape[0], ys.max() + pad + 1)
    x0, x1 = max(0, xs.min() - pad), min(rgb.shape[1], xs.max() + pad + 1)
    out = rgb.copy()
    out[y0:y1, x0:x1] = smooth(rgb[y0:y1, x0:x1], r, eps)
    return out


def crop_boxes(subject, width: int, height: int) -> list[tuple[int, int, int, int]]:
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


def bust_shape(face, box: tuple[int, int, int, int]) -> np.ndarray:
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


def crop_with_crown(subject, face, box: tuple[int, int, int, int]) -> tuple[Image.Image, np.ndarray, tuple[int, int, int, int]]:
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


def keep_person(alpha: np.ndarray, face, box: tuple[int, int, int, int]) -> np.ndarray:
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


def decontaminate(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
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


def shade(alpha: np.ndarray, parts=None, key: tuple[float, float] = (-0.5, -0.6)) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
