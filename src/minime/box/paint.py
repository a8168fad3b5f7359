"""Drawing helpers shared by every template: colours, the drawing context, text slots, small printed parts.

All lengths on a face are in card units: `u` is a thousandth of the face's width, so every size and
every output (screen pixels or PDF points) is laid out, not stretched.
"""

from __future__ import annotations

import colorsys
import hashlib
import math
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import skia
from PIL import Image

from ..colour import hex_rgb
from . import barcode, text

if TYPE_CHECKING:
    from ..figure import Figure
    from ..spec import FigureSpec
    from .brand import Brand

Rgb = tuple[int, int, int]
WHITE: Rgb = (255, 255, 255)
NEAR_BLACK: Rgb = (20, 20, 30)


# ---------------------------------------------------------------- colour


def shade(rgb: Rgb, light: float = 0.0, sat: float = 1.0) -> Rgb:
    """Move a colour's lightness by `light` (-1..1) and scale its saturation."""
    h, l, s = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
    l = min(1.0, max(0.0, l + light))
    s = min(1.0, max(0.0, s * sat))
    return tuple(round(c * 255) for c in colorsys.hls_to_rgb(h, l, s))  # type: ignore[return-value]


def mix(a: Rgb, b: Rgb, t: float) -> Rgb:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def luminance(rgb: Rgb) -> float:
    def lin(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Rgb, b: Rgb) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_on(bg: Rgb, dark: Rgb = NEAR_BLACK) -> Rgb:
    """White or `dark` text, whichever reads better on `bg`."""
    return dark if contrast(bg, dark) >= contrast(bg, WHITE) else WHITE


def color(rgb: Rgb, alpha: float = 1.0) -> int:
    return skia.Color(rgb[0], rgb[1], rgb[2], round(255 * alpha))


def fill(c: int, **kw) -> skia.Paint:
    kw.setdefault("AntiAlias", True)
    return skia.Paint(Color=c, **kw)


def stroke(c: int, width: float, **kw) -> skia.Paint:
    return skia.Paint(AntiAlias=True, Color=c, Style=skia.Paint.kStroke_Style, StrokeWidth=width, **kw)


def blur(sigma: float) -> skia.MaskFilter:
    return skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, max(0.3, sigma))


def linear(p0, p1, colors: list[int], pos: list[float] | None = None) -> skia.Paint:
    return skia.Paint(AntiAlias=True, Shader=skia.GradientShader.MakeLinear([skia.Point(*p0), skia.Point(*p1)], colors, pos))


def radial(center, r: float, colors: list[int], pos: list[float] | None = None) -> skia.Paint:
    return skia.Paint(AntiAlias=True, Shader=skia.GradientShader.MakeRadial(skia.Point(*center), max(r, 1e-3), colors, pos))


def rrect(r: skia.Rect, radius: float) -> skia.RRect:
    return skia.RRect.MakeRectXY(r, radius, radius)


def rect(x: float, y: float, w: float, h: float) -> skia.Rect:
    return skia.Rect.MakeXYWH(x, y, w, h)


# ---------------------------------------------------------------- palette


@dataclass
class Palette:
    """The colours of one box. With a brand kit, `card` and `accent` are the brand's own, printed flat."""

    card: Rgb
    card_light: Rgb
    card_dark: Rgb
    ink: Rgb         # text printed on the card
    stroke: Rgb      # outline around the name
    accent: Rgb      # ribbons, bands
    accent_ink: Rgb  # text on the accent
    text: Rgb        # dark text on light panels
    flat: bool = False

    @classmethod
    def make(cls, spec: FigureSpec, tpl: dict, brand: Brand | None = None) -> Palette:
        colors = tpl.get("colors", {})
        accent = hex_rgb(colors.get("accent", "#ffd23f"))
        dark_ink = hex_rgb(colors.get("ink", "#1b1b2f"))
        rgb = spec.rgb
        flat = bool(tpl.get("card", {}).get("flat", False))
        if brand is not None:
            rgb, flat = brand.primary, True
            dark_ink = brand.ink or dark_ink
        light_card = luminance(rgb) > 0.45
        ink = dark_ink if light_card else WHITE
        stroke_rgb = WHITE if light_card else shade(rgb, -0.28, 1.1)
        if brand is not None and brand.secondary is not None:
            accent = brand.secondary
        elif abs(luminance(accent) - luminance(rgb)) < 0.12:  # a yellow card gets a dark ribbon
            accent = dark_ink
        accent_ink = ink_on(accent, dark_ink)
        return cls(rgb, shade(rgb, 0.12), shade(rgb, -0.16), ink, stroke_rgb, accent, accent_ink, dark_ink, flat)

    def board(self, r: skia.Rect) -> skia.Paint:
        """The printed board: a soft diagonal gradient, or the exact flat colour for a brand."""
        if self.flat:
            return fill(color(self.card))
        return linear((r.left(), r.top()), (r.left() + r.width() * 0.7, r.bottom()),
                      [color(self.card_light), color(self.card), color(self.card_dark)], [0, 0.45, 1])


# ---------------------------------------------------------------- the drawing context


@dataclass
class Ctx:
    """Everything a face needs to draw itself."""

    canvas: skia.Canvas
    figure: Figure
    spec: FigureSpec
    tpl: dict
    pal: Palette
    brand: Brand | None
    warnings: list[str]
    regions: dict[str, tuple[int, int, int, int]]
    accessories: list[dict] = field(default_factory=list)
    vector: bool = False          # drawing into a PDF: real gradients, images at print resolution
    px_per_unit: float = 1.0      # output pixels per canvas unit (PDF: 300 dpi / 72 pt)
    device: skia.Matrix = field(default_factory=skia.Matrix)  # face coordinates -> output pixels
    print_mode: bool = False      # a flat panel for the print kit: no hang hole, no scene
    scene: bool = True            # False: the package alone, on transparent ground

    @property
    def display(self) -> tuple[str, ...]:
        return self.brand.display if self.brand else tuple(text.DISPLAY)

    @property
    def body(self) -> tuple[str, ...]:
        return self.brand.body if self.brand else tuple(text.BODY)

    def region(self, name: str, r: skia.Rect) -> None:
        """Record where a slot was drawn, in output pixels."""
        m = skia.Matrix.Concat(self.device, self.canvas.getTotalMatrix())
        d = m.mapRect(r)
        self.regions[name] = (math.floor(d.left()), math.floor(d.top()), math.ceil(d.right()), math.ceil(d.bottom()))

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def cut(self, slot: str, fitted: text.Fitted) -> None:
        """Warn that a slot's text was shortened, quoting (the start of) what shows."""
        shown = fitted.text if len(fitted.text) <= 48 else fitted.text[:47] + "…"
        self.warn(f"the {slot} was too long to fit and was shortened to {shown!r}")


def soft(ctx: Ctx, bounds: skia.Rect, draw: Callable[[skia.Canvas], None], factor: int = 4, *,
         keep: bool = False) -> None:
    """Draw smooth things (gradients, big blurs) at a quarter of the resolution and scale them up.

    Full-size gradients cost ~20 ms each on the CPU; smooth art loses nothing at low resolution.
    A PDF gets the real vector drawing. `keep`: the art is opaque and the same for many boxes (a card's
    printed board), so its scaled-up pixels are kept and laid again while what `draw` draws is the same.
    """
    if ctx.vector:
        draw(ctx.canvas)
        return
    w = math.ceil(bounds.width() / factor) + 2
    h = math.ceil(bounds.height() / factor) + 2
    dst = skia.Rect.MakeXYWH(bounds.left() - factor, bounds.top() - factor, w * factor, h * factor)

    def small() -> skia.Image:
        surface = skia.Surface(w, h)
        c = surface.getCanvas()
        c.clear(skia.ColorTRANSPARENT)
        c.scale(1 / factor, 1 / factor)
        c.translate(-bounds.left() + factor, -bounds.top() + factor)
        draw(c)
        return surface.makeImageSnapshot()

    def scaled(c: skia.Canvas) -> None:
        c.drawImageRect(small(), dst, skia.SamplingOptions(skia.FilterMode.kLinear))

    if keep:  # under what `draw` records: the same art, the same pixels
        recorder = skia.PictureRecorder()
        draw(recorder.beginRecording(dst))
        key = ("soft", bytes(recorder.finishRecordingAsPicture().serialize()), tuple(dst), factor)
        kept_layer(ctx, key, dst, scaled, largest=BOARD_MAX_PIXELS)
        return
    scaled(ctx.canvas)


LAYERS_KEPT_PIXELS = 6_000_000  # 24 MB of layers: a feed box keeps about 2.5 million pixels (its cavities and board)
LAYER_MAX_PIXELS = 1_500_000  # a larger layer (a print box's) is drawn, not kept ...
BOARD_MAX_PIXELS = 2_100_000  # ... and a larger board than a story card's
_layers: OrderedDict[tuple, skia.Image] = OrderedDict()
_layers_lock = threading.Lock()


def kept_layer(ctx: Ctx, key: tuple, bounds: skia.Rect, draw: Callable[[skia.Canvas], None], *,
               shaded: bool = False, largest: int = LAYER_MAX_PIXELS) -> None:
    """Draw what `draw` draws inside `bounds`, which is the same for every figure in the same box (a cavity's
    shadow and light, a card's printed board): drawn once on a clear layer lined up with the canvas's pixels,
    that layer is kept under `key` and laid on the next such box. Solid colours through a mask (a blurred shape) come out exactly as
    drawn; a `shaded` layer (gradients) is kept in RGBA order, so it is blended as a gradient is (by the raster
    pipeline, not the N32 sprite blitter, which rounds down), within a level. A PDF, a picture, a scaled or
    turned canvas or a layer of over `largest` pixels draws it."""
    c = ctx.canvas
    m = c.getTotalMatrix()
    dx, dy = m.getTranslateX(), m.getTranslateY()
    box = bounds.makeOffset(dx, dy).roundOut()
    if (ctx.vector or c.getSurface() is None or not m.isTranslate() or dx != round(dx) or dy != round(dy)
            or box.isEmpty() or box.width() * box.height() > largest):
        c.save()
        draw(c)
        c.restore()
        return
    key = (*key, dx, dy, box.left(), box.top())
    with _layers_lock:
        image = _layers.get(key)
        if image is not None:
            _layers.move_to_end(key)
    if image is None:
        surface = skia.Surface.MakeRaster(skia.ImageInfo.Make(
            box.width(), box.height(), skia.kRGBA_8888_ColorType, skia.kPremul_AlphaType)) if shaded else \
            skia.Surface(box.width(), box.height())
        lc = surface.getCanvas()
        lc.clear(skia.ColorTRANSPARENT)
        lc.translate(dx - box.left(), dy - box.top())
        draw(lc)
        image = surface.makeImageSnapshot()
        with _layers_lock:
            _layers[key] = image
            kept = sum(i.width() * i.height() for i in _layers.values())
            while kept > LAYERS_KEPT_PIXELS and len(_layers) > 1:
                _, old = _layers.popitem(last=False)
                kept -= old.width() * old.height()
    c.drawImage(image, box.left() - dx, box.top() - dy)


# ---------------------------------------------------------------- images

_SK_CACHE: dict[tuple[int, int, int], tuple[weakref.ref, skia.Image]] = {}


def to_skia(img: Image.Image) -> skia.Image:
    return skia.Image.fromarray(np.asarray(img.convert("RGBA")), colorType=skia.kRGBA_8888_ColorType)


def _cached(img: Image.Image, w: int, h: int) -> skia.Image:
    """`img` as a skia image of w x h pixels; cached while the PIL image lives, and gone with it (a box's figure
    crop is a new image each time: kept alive by its entry, each box would leave 5 MB behind until 64 had)."""
    key = (id(img), w, h)
    hit = _SK_CACHE.get(key)
    if hit is not None and hit[0]() is img:
        return hit[1]
    src = img if (w, h) == img.size else img.convert("RGBA").resize((w, h), Image.Resampling.LANCZOS)
    sk = to_skia(src)
    if len(_SK_CACHE) > 64:
        _SK_CACHE.clear()

    def gone(ref, key=key):  # the image was freed: its skia copy goes too (unless the id came back already)
        if _SK_CACHE.get(key, (None,))[0] is ref:
            _SK_CACHE.pop(key, None)

    _SK_CACHE[key] = (weakref.ref(img, gone), sk)
    return sk


def draw_image(ctx: Ctx, img: Image.Image, dst: skia.Rect, paint: skia.Paint | None = None) -> None:
    """Draw a PIL image into `dst`; for a PDF it is first resampled to exactly 300 dpi at its printed size."""
    if ctx.vector:
        w = max(1, round(dst.width() * ctx.px_per_unit))
        h = max(1, round(dst.height() * ctx.px_per_unit))
        ctx.canvas.drawImageRect(_cached(img, w, h), dst, skia.SamplingOptions(skia.FilterMode.kLinear), paint)
        return
    sk = _cached(img, img.width, img.height)
    ctx.canvas.drawImageRect(sk, dst, skia.SamplingOptions(skia.CubicResampler.Mitchell()), paint)


def figure_crop(figure: Figure) -> Image.Image | None:
    """The figure cropped to its visible pixels (None if it has none)."""
    img = figure.image
    bbox = img.getchannel("A").getbbox()
    return None if bbox is None else img.crop(bbox)


# ---------------------------------------------------------------- text slots


def label(ctx: Ctx, value: str, r: skia.Rect, size: float, rgb: Rgb, *, weight: int = 700, align: str = "center",
          families: tuple[str, ...] | None = None, max_lines: int = 1, min_size: float | None = None,
          spacing: float = 0.0, valign: str = "center", alpha: float = 1.0, italic: bool = False,
          line_height: float | None = None, slot: str | None = None) -> text.Fitted:
    """Fit `value` into `r` and draw it; a cut text adds a warning naming the slot."""
    if line_height is None and max_lines == 1:
        line_height = 1.15  # a tight line box: scripts with tall fallback metrics get as big as Latin
    style = text.Style(size, color(rgb, alpha), families or ctx.body, weight, spacing, align, line_height, italic)
    fitted = text.fit(value, style, r.width(), r.height(), max_lines=max_lines, min_size=min_size or size * 0.45)
    if fitted.truncated and slot:
        ctx.cut(slot, fitted)
    y = r.top() + {"top": 0.0, "center": 0.5, "bottom": 1.0}[valign] * (r.height() - fitted.height)
    fitted.draw(ctx.canvas, r.left(), y)
    return fitted


def name_text(ctx: Ctx, caps: bool = True) -> str:
    """The name on the box (a group shows everyone's); refuses a name with nothing visible in it."""
    from ..errors import SpecError

    names = list(getattr(ctx.spec, "names", []) or [])
    value = " & ".join(names) if len(names) > 1 else ctx.spec.name
    value = text.display_caps(value) if caps else text.clean(value)
    if not text.visible(value):
        raise SpecError("name: has no visible characters; use letters, digits or emoji")
    return value


def draw_name(ctx: Ctx, r: skia.Rect, *, size: float, effect: str = "stroke", rgb: Rgb = WHITE,
              outline: Rgb = NEAR_BLACK, families: tuple[str, ...] | None = None, caps: bool = True,
              max_lines: int = 2, min_size: float | None = None, spacing: float = 0.0, align: str = "center",
              weight: int = 900, valign: str = "center", skew: float = 0.0, slot: str | None = "name") -> text.Fitted:
    """The name, as large as fits in `r`, with the template's treatment.

    Effects: "stroke" (outline and drop shadow), "chrome" (80s extruded chrome), "foil" (metallic gold
    stamping), "flat" (plain ink). Nothing is drawn outside `r`, whatever the text holds.
    """
    if ctx.vector and effect in ("foil", "chrome"):
        # In a PDF, gradient-filled text is text used as a clip, which fails for synthetic bold and for the
        # Type 3 fonts CFF faces become (a filled box shows instead): print it in one flat ink.
        weight = min(weight, 700)
    # A tight line box: a script whose fallback font has tall metrics (Arabic, Devanagari) gets as big as Latin.
    style = text.Style(size, color(rgb), families or ctx.display, weight, spacing, align, line_height=1.1)
    fitted = text.fit(name_text(ctx, caps), style, r.width(), r.height(), max_lines=max_lines,
                      min_size=min_size or size * 0.25)
    if fitted.truncated:
        ctx.cut("name", fitted)
    x = r.left()
    y = r.top() + {"top": 0.0, "center": 0.5, "bottom": 1.0}[valign] * (r.height() - fitted.height)
    c = ctx.canvas
    c.save()
    pad = fitted.style.size * 0.35
    c.clipRect(r.makeOutset(pad, pad))
    if skew:
        c.translate(0, y + fitted.height)
        c.skew(skew, 0)
        c.translate(0, -(y + fitted.height))
    s = fitted.style.size
    if effect == "stroke":
        w = max(1.0, s * 0.09)
        fitted.draw(c, x + s * 0.03, y + s * 0.045, skia.Paint(
            AntiAlias=True, Color=skia.Color(0, 0, 0, 110), Style=skia.Paint.kStrokeAndFill_Style, StrokeWidth=w,
            StrokeJoin=skia.Paint.kRound_Join, MaskFilter=blur(s * 0.03)))
        fitted.draw(c, x, y, skia.Paint(AntiAlias=True, Color=color(outline), Style=skia.Paint.kStrokeAndFill_Style,
                                        StrokeWidth=w, StrokeJoin=skia.Paint.kRound_Join))
        fitted.draw(c, x, y)
    elif effect == "chrome":
        depth = max(2, round(s * 0.07))
        ext = skia.Paint(AntiAlias=True, Color=color(outline), Style=skia.Paint.kStrokeAndFill_Style,
                         StrokeWidth=max(1.0, s * 0.08), StrokeJoin=skia.Paint.kRound_Join)
        step = max(1.0, s * 0.012)
        for i in range(depth, 0, -1):
            fitted.draw(c, x + i * step * 0.6, y + i * step, ext)
        fitted.draw(c, x, y, skia.Paint(AntiAlias=True, Color=color(WHITE), Style=skia.Paint.kStrokeAndFill_Style,
                                        StrokeWidth=max(1.0, s * 0.035), StrokeJoin=skia.Paint.kRound_Join))
        top, bottom = y, y + fitted.height
        chrome = skia.Paint(AntiAlias=True, Shader=skia.GradientShader.MakeLinear(
            [skia.Point(0, top), skia.Point(0, bottom)],
            [color((255, 255, 255)), color((214, 238, 255)), color((96, 150, 226)), color((255, 246, 236)),
             color((255, 196, 140)), color((255, 252, 244))],
            [0.0, 0.4, 0.5, 0.54, 0.82, 1.0]))
        fitted.draw(c, x, y, fill(color((226, 240, 255))) if ctx.vector else chrome)
    elif effect == "foil":
        top, bottom = y, y + fitted.height
        fitted.draw(c, x + s * 0.015, y + s * 0.025, fill(skia.Color(0, 0, 0, 170), MaskFilter=blur(s * 0.02)))
        gold = skia.Paint(AntiAlias=True, Shader=skia.GradientShader.MakeLinear(
            [skia.Point(x, top), skia.Point(x + fitted.width * 0.35, bottom)],
            [color((176, 128, 44)), color((252, 226, 150)), color((255, 248, 222)), color((214, 166, 74)),
             color((150, 104, 34)), color((238, 204, 120))],
            [0.0, 0.3, 0.42, 0.58, 0.8, 1.0]))
        fitted.draw(c, x, y, fill(color((222, 178, 92))) if ctx.vector else gold)
    else:
        fitted.draw(c, x, y)
    c.restore()
    if slot:  # the slot's width and the text's height, for OCR and layout checks
        m = fitted.style.size * 0.16
        k = r.width() * 0.08
        ctx.region(slot, skia.Rect.MakeLTRB(r.left() - k - abs(skew) * fitted.height, y - m * 0.5, r.right() + k,
                                            y + fitted.height + m * 0.4))
    return fitted


# ---------------------------------------------------------------- printed parts


def euro_slot(cx: float, cy: float, u: float) -> skia.Path:
    """The 'sombrero' hang hole: a slot with a round bump in the middle."""
    slot_w, slot_h, bump = 150 * u, 24 * u, 26 * u
    slot = skia.Path()
    slot.addRRect(rrect(skia.Rect.MakeXYWH(cx - slot_w / 2, cy, slot_w, slot_h), slot_h / 2))
    dome = skia.Path()
    dome.addCircle(cx, cy + slot_h * 0.15, bump)
    return skia.Op(slot, dome, skia.PathOp.kUnion_PathOp)


def draw_barcode(ctx: Ctx, r: skia.Rect, u: float, seed: str | None = None) -> None:
    """A white sticker with a real EAN-13 for the name."""
    c = ctx.canvas
    code = barcode.ean13_for(seed or name_text(ctx, caps=False))
    c.drawRRect(rrect(r, 6 * u), fill(skia.ColorWHITE))
    bits = barcode.modules(code)
    quiet = 11
    m = r.width() / (len(bits) + 2 * quiet)
    digits_h = r.height() * 0.2
    bar_top, bar_bottom = r.top() + r.height() * 0.1, r.bottom() - digits_h - r.height() * 0.05
    ink = fill(skia.Color(15, 15, 20, 255), AntiAlias=False)
    path = skia.Path()
    for i, b in enumerate(bits):
        if b == "1":
            path.addRect(skia.Rect.MakeLTRB(r.left() + (quiet + i) * m, bar_top, r.left() + (quiet + i + 1) * m, bar_bottom))
    c.drawPath(path, ink)
    human = f"{code[0]} {code[1:7]} {code[7:]}"
    label(ctx, human, skia.Rect.MakeLTRB(r.left(), bar_bottom, r.right(), r.bottom()), digits_h * 0.8, (15, 15, 20),
          weight=600, spacing=r.width() * 0.008, min_size=digits_h * 0.3)


def warning_triangle(ctx: Ctx, x: float, y: float, size: float) -> None:
    p = skia.Path()
    p.moveTo(x + size / 2, y)
    p.lineTo(x + size, y + size * 0.88)
    p.lineTo(x, y + size * 0.88)
    p.close()
    ctx.canvas.drawPath(p, fill(color((255, 210, 63)), Style=skia.Paint.kStrokeAndFill_Style, StrokeWidth=size * 0.07,
                                StrokeJoin=skia.Paint.kRound_Join))
    label(ctx, "!", rect(x, y + size * 0.2, size, size * 0.66), size * 0.6, NEAR_BLACK, weight=900)


def age_badge(ctx: Ctx, r: skia.Rect, bg: Rgb = WHITE, fg: Rgb = NEAR_BLACK) -> None:
    ctx.canvas.drawRRect(rrect(r, r.height() * 0.14), fill(color(bg)))
    h = r.height()
    label(ctx, "AGES", rect(r.left(), r.top() + h * 0.06, r.width(), h * 0.3), h * 0.22, fg, weight=800, spacing=h * 0.03)
    label(ctx, "4+", rect(r.left(), r.top() + h * 0.3, r.width(), h * 0.66), h * 0.58, fg, weight=900)


WARNING = "WARNING: CHOKING HAZARD. Small parts. Not for children under 3 years."
AI_LABEL = "AI-generated figure"


def fine_print(ctx: Ctx, r: skia.Rect, ink: Rgb, u: float) -> None:
    """The warning with its triangle and, under it, the AI label (and a brand's legal line), from the top of `r`."""
    tri = 30 * u
    warning_triangle(ctx, r.left(), r.top() + 2 * u, tri)
    label(ctx, WARNING, skia.Rect.MakeLTRB(r.left() + tri + 10 * u, r.top(), r.right(), r.top() + 38 * u),
          13.5 * u, ink, weight=700, align="left", max_lines=2, min_size=7 * u, alpha=0.95, line_height=1.2, valign="top")
    label(ctx, legal_line(ctx), skia.Rect.MakeLTRB(r.left(), r.top() + 44 * u, r.right(), min(r.bottom(), r.top() + 86 * u)),
          17 * u, ink, weight=800, align="left", spacing=1 * u, min_size=7 * u, max_lines=2, line_height=1.1, valign="top")


def legal_line(ctx: Ctx) -> str:
    """'AI-generated figure', and the brand's legal line after it."""
    legal = ctx.brand.kit.legal if ctx.brand else ""
    return f"{AI_LABEL} · {legal}" if legal else AI_LABEL


def mark(ctx: Ctx, r: skia.Rect, rgb: Rgb, *, align: str = "left", plate: bool = False) -> skia.Rect:
    """The brand's logo (or its name, or the MINIME mark) fitted into `r`; returns where it went."""
    if ctx.brand is not None and ctx.brand.logo is not None:
        placed = ctx.brand.logo_rect(r, align)
        if plate:
            pad = r.height() * 0.18
            ctx.canvas.drawRRect(rrect(placed.makeOutset(pad, pad), pad * 1.2), fill(skia.ColorWHITE))
        _draw_logo(ctx, ctx.brand, placed)
        return placed
    word = (ctx.brand.kit.name if ctx.brand and ctx.brand.kit.name else "MINIME").upper()
    f = label(ctx, word, r, r.height() * 0.8, rgb, weight=900, align=align, spacing=r.height() * 0.12,
              families=ctx.display if ctx.brand else ctx.body)
    w = f.natural_width
    x = {"left": r.left(), "center": r.centerX() - w / 2, "right": r.right() - w}[align]
    return skia.Rect.MakeXYWH(x, r.top(), w, r.height())


def _draw_logo(ctx: Ctx, brand: Brand, dst: skia.Rect) -> None:
    """The brand's logo stretched into `dst` (`Brand.logo_rect` gives it its own proportions)."""
    c = ctx.canvas
    if isinstance(brand.logo, skia.SVGDOM):
        # Vector all the way: sharp at any size and in the print kit's PDF.
        lw, lh = brand.logo_size
        c.save()
        c.translate(dst.left(), dst.top())
        c.scale(dst.width() / lw, dst.height() / lh)
        c.clipRect(skia.Rect.MakeWH(lw, lh))
        brand.logo.render(c)
        c.restore()
    elif brand.logo is not None:
        draw_image(ctx, brand.logo, dst)  # in a PDF: resampled to 300 dpi at its printed size


def star_path(cx: float, cy: float, r_out: float, r_in: float, points: int, turn: float = 0.0) -> skia.Path:
    p = skia.Path()
    for i in range(points * 2):
        a = turn + math.pi * i / points - math.pi / 2
        rr = r_out if i % 2 == 0 else r_in
        (p.moveTo if i == 0 else p.lineTo)(cx + rr * math.cos(a), cy + rr * math.sin(a))
    p.close()
    return p


def rays(canvas: skia.Canvas, cx: float, cy: float, reach: float, n: int, paint: skia.Paint, turn: float = 0.0) -> None:
    """A sunburst of `n` wedges around (cx, cy)."""
    path = skia.Path()
    for i in range(n):
        a0 = turn + 2 * math.pi * i / n
        a1 = a0 + math.pi / n
        path.moveTo(cx, cy)
        path.lineTo(cx + reach * math.cos(a0), cy + reach * math.sin(a0))
        path.lineTo(cx + reach * math.cos(a1), cy + reach * math.sin(a1))
        path.close()
    canvas.drawPath(path, paint)


def edition_number(ctx: Ctx, run: int) -> int:
    """A stable 'No. 0427 of 5000' for the name."""
    digest = hashlib.sha256(name_text(ctx, caps=False).encode("utf-8")).digest()
    return 1 + int.from_bytes(digest[:4], "big") % run


# ---------------------------------------------------------------- scenes


def fit_rect(width: float, height: float, aspect: float, margin: float, *, extra_w: float = 0.0,
             lift: float = 0.0) -> skia.Rect:
    """The largest `aspect` (w/h) rectangle inside the canvas with `margin`; `extra_w` (a fraction of its
    width) is kept free to the right for a side panel; `lift` moves it up by that fraction of the free space."""
    h = height - 2 * margin
    w = h * aspect
    if w * (1 + extra_w) > width - 2 * margin:
        w = (width - 2 * margin) / (1 + extra_w)
        h = w / aspect
    x = (width - w * (1 + extra_w)) / 2
    y = (height - h) / 2 - lift * (height - h) / 2
    return skia.Rect.MakeXYWH(x, y, w, h)


def wall(ctx: Ctx, width: int, height: int, base: Rgb, *, dark: bool = False) -> None:
    """A soft studio wall tinted by `base`, lit from the top left."""
    if dark:
        top, bottom = (58, 56, 64), (14, 14, 18)
    else:
        tint = shade(base, 0.0, 0.25)
        top, bottom = shade(tint, 0.36 - luminance(tint) * 0.2, 0.6), shade(tint, 0.22, 0.5)
    ctx.canvas.drawPaint(radial((width * 0.3, height * 0.2), max(width, height) * 1.1, [color(top), color(bottom)]))


def shelf(ctx: Ctx, width: int, height: int, y: float, base: Rgb, *, dark: bool = False) -> None:
    """A shelf top from `y` down, slightly lighter than the wall, with a soft front edge."""
    c = ctx.canvas
    if dark:
        top, bottom = (40, 38, 44), (10, 10, 12)
    else:
        tint = shade(base, 0.0, 0.2)
        top, bottom = shade(tint, 0.3 - luminance(tint) * 0.2, 0.5), shade(tint, 0.12, 0.4)
    c.drawRect(skia.Rect.MakeLTRB(0, y, width, height), linear((0, y), (0, height), [color(top), color(bottom)]))
    c.drawRect(skia.Rect.MakeLTRB(0, y - 2, width, y + 2), fill(skia.Color(255, 255, 255, 40 if dark else 90)))
