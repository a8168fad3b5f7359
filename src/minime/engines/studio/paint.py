"""The toy finish: vinyl skin, painted hair, the outfit's material and colour, the sculpt outline, the plinth."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import skia
from PIL import Image, ImageFilter

from ...imaging import smooth
from .cut import decontaminate, shade, smooth_in
from .parts import FINISHES, Finish, Parts


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
    from ...spec import colours_named

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
    rgb = decontaminate(rgb, alpha)
    if parts is not None and parts.face_light < 0.3:
        # An underexposed photo: lift it so the face sits in the middle tones a painted toy has.
        gain = min(5.0, 0.5 / max(parts.face_light, 0.02))
        lifted = rgb * gain
        rgb = lifted / (1.0 + np.maximum(lifted - 0.8, 0) * 1.2)  # a soft shoulder instead of clipping
    soft = smooth(rgb, max(2, h // 130), 0.003)
    if parts is None:
        zero = np.zeros_like(alpha)
        parts = Parts(zero, zero, zero, zero, zero, [], h / 3)
    skin = smooth_in(rgb, parts.face, max(3, int(parts.face_width / 22)), finish.skin_smooth)
    crisp = rgb  # eyes, brows and mouth keep the photo's own detail
    face = parts.face[..., None]
    feat = parts.features[..., None]
    paint = soft * (1 - face) + (skin * (1 - feat) + crisp * feat) * face
    paint = _vinyl_skin(paint, np.maximum(parts.face, parts.skin) * (1 - parts.features))  # face, neck and hands alike
    hair = _hair_paint(smooth_in(rgb, parts.hair, max(3, int(parts.face_width / 16)), 0.02), parts.hair)
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
    diffuse, spec, rim = shade(alpha, parts, finish.light)
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


def outline(alpha: np.ndarray, px: int) -> np.ndarray:
    """A thin sculpt line just outside the silhouette."""
    a = Image.fromarray((alpha * 255).astype(np.uint8))
    spread = np.asarray(a.filter(ImageFilter.BoxBlur(px)), np.float32) / 255
    grown = np.clip((spread - 0.1) / 0.1, 0, 1)  # a crisp dilation by about `px` pixels
    return np.clip(grown - alpha, 0, 1)


def plinth_image(width: int, height: int) -> Image.Image:
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
