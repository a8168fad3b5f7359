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


def _crop_box(subject, width: int, height: int) -> tuple[int, int, int, int]:
    """Head-and-shoulders region around all faces, as a bust is sculpted."""
    x0 = min(f.box[0] for f in subject.faces)
    y0 = min(f.box[1] for f in subject.faces)
    x1 = max(f.box[2] for f in subject.faces)
    y1 = max(f.box[3] for f in subject.faces)
    fw = max(f.width for f in subject.faces)
    fh = max(f.box[3] - f.box[1] for f in subject.faces)
    left = max(0, int(x0 - 1.35 * fw))
    right = min(width, int(x1 + 1.35 * fw))
    top = max(0, int(y0 - 0.75 * fh))
    bottom = min(height, int(y1 + 2.1 * fh))
    return left, top, right, bottom


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
        image = subject.image
        left, top, right, bottom = _crop_box(subject, image.width, image.height)
        crop = image.crop((left, top, right, bottom))
        alpha = subject.mask[top:bottom, left:right].astype(np.float32)
        scale = min(1.0, WORK_HEIGHT / crop.height)
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
        figure = self._on_plinth(bust, alpha)
        seconds = time.perf_counter() - start
        return [Figure(figure, "studio", self.model, seed, "", seconds, {}, len(subject.faces)) for _ in range(max(1, n))]

    @staticmethod
    def _on_plinth(bust: Image.Image, alpha: np.ndarray) -> Image.Image:
        """Seat the bust in a plinth: the cut at the bottom of the photo sinks into the plinth's top."""
        bbox = bust.getchannel("A").getbbox() or (0, 0, bust.width, bust.height)
        bust = bust.crop(bbox)
        rows = alpha[bbox[1] : bbox[3], bbox[0] : bbox[2]] > 0.5
        bottom_cols = np.nonzero(rows[-1])[0] if rows.shape[0] else np.array([])
        body_w = (bottom_cols[-1] - bottom_cols[0] + 1) if bottom_cols.size else bust.width
        pw = int(max(body_w * 1.04, bust.width * 0.6))
        ph = int(pw * 0.24)
        width = max(bust.width, pw)
        height = bust.height + ph // 2
        canvas = Image.new("RGBA", (width, height), (0, 0, 0, 0))
        plinth = _plinth(pw, ph)
        px = (width - pw) // 2
        py = height - ph
        back = plinth.crop((0, 0, pw, int(ph * 0.21)))
        canvas.alpha_composite(back, (px, py))
        bx = (width - bust.width) // 2
        by = py + int(ph * 0.21) - bust.height
        canvas.alpha_composite(bust, (bx, max(0, by)))
        front = plinth.crop((0, int(ph * 0.21), pw, ph))
        canvas.alpha_composite(front, (px, py + int(ph * 0.21)))
        return canvas
