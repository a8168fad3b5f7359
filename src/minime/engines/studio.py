"""The studio engine: an offline toy finish on the CPU, no model download.

The person is cut out with the person mask, painted like a vinyl collectible (smoothed surfaces,
a reduced factory palette, a sculpt outline, a sheen from the key light at the top left) and set
on a glossy plinth as a collectible bust.
"""

from __future__ import annotations

import time

import numpy as np
import skia
from PIL import Image, ImageFilter

from .base import Figure

WORK_HEIGHT = 800  # the bust is finished at this height; the box scales it


def _box(a: np.ndarray, r: int) -> np.ndarray:
    """Mean over a (2r+1)^2 window on the first two axes, edges clamped."""
    from scipy.ndimage import uniform_filter

    size = (2 * r + 1, 2 * r + 1) + (1,) * (a.ndim - 2)
    return uniform_filter(a.astype(np.float32, copy=False), size=size, mode="nearest")


def _smooth(rgb: np.ndarray, r: int, eps: float) -> np.ndarray:
    """Edge-preserving smoothing (a self-guided filter per channel): skin goes smooth, edges stay."""
    mean = _box(rgb, r)
    var = _box(rgb * rgb, r) - mean * mean
    a = var / (var + eps)
    b = mean - a * mean
    return _box(a, r) * rgb + _box(b, r)


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
    """A sculptor's bust outline: head and neck kept whole, the torso trimmed by a wide ellipse,
    so arms end in a rounded cut instead of the photo's straight edge."""
    left, top, right, bottom = box
    h, w = bottom - top, right - left
    fw, fh = face.width, face.box[3] - face.box[1]
    cx = (face.box[0] + face.box[2]) / 2 - left
    neck = face.box[3] - top + 0.2 * fh
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    a, b = 1.3 * fw, max(1.0, (h - neck) * 1.25)
    d = np.sqrt(((xs - cx) / a) ** 2 + ((ys - h) / b) ** 2)
    torso = np.clip((1.0 - d) * min(a, b) / 2.0 + 0.5, 0, 1)  # about 2 px of anti-aliasing
    return np.where(ys < neck, 1.0, torso).astype(np.float32)


def _keep_person(alpha: np.ndarray, face, box: tuple[int, int, int, int]) -> np.ndarray:
    """Drop islands of the mask that are not joined to the face (bits of background the model kept)."""
    from scipy.ndimage import binary_dilation, label

    labels, count = label(alpha > 0.35)
    if count <= 1:
        return alpha
    x0, y0, x1, y1 = (int(v) for v in face.box)
    left, top = box[0], box[1]
    inside = labels[max(0, y0 - top) : max(0, y1 - top), max(0, x0 - left) : max(0, x1 - left)]
    keep = np.unique(inside[inside > 0])
    if keep.size == 0:
        return alpha
    region = binary_dilation(np.isin(labels, keep), iterations=3)
    return alpha * region


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


def _shade(alpha: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(diffuse, specular) light from the top left, from a height field made of the blurred mask."""
    h = alpha.shape[0]
    height = _box(_box(alpha, max(2, h // 40)), max(2, h // 40))
    gy, gx = np.gradient(height * (h / 18))
    n = np.stack([-gx, -gy, np.ones_like(gx)], -1)
    n /= np.linalg.norm(n, axis=-1, keepdims=True)
    light = np.array([-0.5, -0.6, 0.62], np.float32)
    light /= np.linalg.norm(light)
    diffuse = np.clip(n @ light, 0, 1)
    half = light + np.array([0, 0, 1.0], np.float32)
    half /= np.linalg.norm(half)
    spec = np.clip(n @ half, 0, 1) ** 40
    return diffuse, spec


def toy_finish(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Paint a photo cut-out like a vinyl figure. rgb float 0..1 HxWx3, alpha HxW; returns rgb."""
    h = rgb.shape[0]
    rgb = _decontaminate(rgb, alpha)
    smooth = _smooth(rgb, max(2, h // 130), 0.003)
    # Factory paint: fewer, cleaner colours, a little more saturation and contrast.
    img = Image.fromarray((np.clip(smooth, 0, 1) * 255).astype(np.uint8))
    poster = np.asarray(img.quantize(48, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).convert("RGB"), np.float32) / 255
    paint = 0.6 * smooth + 0.4 * poster
    grey = paint.mean(-1, keepdims=True)
    paint = np.clip(grey + (paint - grey) * 1.18, 0, 1)
    paint = np.clip((paint - 0.5) * 1.06 + 0.5, 0, 1)
    diffuse, spec = _shade(alpha)
    paint = paint * (0.82 + 0.28 * diffuse[..., None]) + 0.55 * spec[..., None]
    return np.clip(paint, 0, 1)


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
    model = "studio-v1"

    def generate(self, subject, spec, *, n: int = 1, seed: int | None = None) -> list[Figure]:
        """Return `n` figures (the studio finish is deterministic, so variants share one look)."""
        start = time.perf_counter()
        boxes = _crop_boxes(subject, subject.image.width, subject.image.height)
        height = WORK_HEIGHT if len(boxes) == 1 else int(WORK_HEIGHT * 0.8)
        busts = [self._bust(subject, face, b, height) for face, b in zip(subject.faces, boxes)]
        figure = _on_plinth(busts)
        seconds = time.perf_counter() - start
        return [Figure(figure, "studio", self.model, seed, "", seconds, {}, len(busts)) for _ in range(max(1, n))]

    @staticmethod
    def _bust(subject, face, box: tuple[int, int, int, int], work_height: int) -> Image.Image:
        """One person cut out and painted, cropped to their silhouette (RGBA)."""
        left, top, right, bottom = box
        crop = subject.image.crop(box)
        alpha = subject.mask[top:bottom, left:right].astype(np.float32) * _bust_shape(face, box)
        alpha = _keep_person(alpha, face, box)
        scale = min(1.0, work_height / crop.height)
        if scale < 1.0:
            size = (max(1, round(crop.width * scale)), max(1, round(crop.height * scale)))
            crop = crop.resize(size, Image.Resampling.LANCZOS)
            alpha = np.asarray(Image.fromarray((alpha * 255).astype(np.uint8)).resize(size, Image.Resampling.BILINEAR), np.float32) / 255
        rgb = np.asarray(crop, np.float32) / 255
        painted = toy_finish(rgb, alpha)
        line = _outline(alpha, max(2, crop.height // 200))
        ink = np.array([0.1, 0.09, 0.12], np.float32)
        out_rgb = painted * alpha[..., None] + ink * line[..., None]
        out_a = np.clip(alpha + line, 0, 1)
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
