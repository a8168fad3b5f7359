"""The box renderer: draws the packaging around a figure from the spec and a template.

One key light from the top left lights the card, the bubble and the figure alike.
All lengths are fractions of the card, so every size is laid out, not stretched.
"""

from __future__ import annotations

import colorsys
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import skia
from PIL import Image

from ..errors import UnknownNameError
from . import barcode, text

if TYPE_CHECKING:
    from ..engines import Figure
    from ..spec import FigureSpec

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATES: dict[str, dict] = {}


def register_template(path: Path) -> None:
    """Add a template file (TOML) to the registry under its `name`."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    TEMPLATES[data["name"]] = data


for _path in sorted(TEMPLATE_DIR.glob("*.toml")):
    register_template(_path)


def get_template(name: str) -> dict:
    if name not in TEMPLATES:
        raise UnknownNameError(f"unknown template {name!r}; choose one of: {', '.join(TEMPLATES)}")
    return TEMPLATES[name]


@dataclass
class Box:
    """A rendered box: the image and anything the user should know about it."""

    image: Image.Image
    template: str
    warnings: list[str] = field(default_factory=list)
    accessories: list[dict] = field(default_factory=list)  # how each free-text accessory was matched
    regions: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # where each slot was drawn


# ---------------------------------------------------------------- colour helpers

Rgb = tuple[int, int, int]


def hex_rgb(value: str) -> Rgb:
    value = value.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def shade(rgb: Rgb, light: float = 0.0, sat: float = 1.0) -> Rgb:
    """Move a colour's lightness by `light` (-1..1) and scale its saturation."""
    h, l, s = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
    l = min(1.0, max(0.0, l + light))
    s = min(1.0, max(0.0, s * sat))
    return tuple(round(c * 255) for c in colorsys.hls_to_rgb(h, l, s))  # type: ignore[return-value]


def luminance(rgb: Rgb) -> float:
    def lin(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def color(rgb: Rgb, alpha: float = 1.0) -> int:
    return skia.Color(rgb[0], rgb[1], rgb[2], round(255 * alpha))


def fill(c: int, **kw) -> skia.Paint:
    kw.setdefault("AntiAlias", True)
    return skia.Paint(Color=c, **kw)


def linear(p0, p1, colors: list[int], pos: list[float] | None = None) -> skia.Paint:
    return skia.Paint(AntiAlias=True, Shader=skia.GradientShader.MakeLinear([skia.Point(*p0), skia.Point(*p1)], colors, pos))


def to_skia(img: Image.Image) -> skia.Image:
    return skia.Image.fromarray(np.asarray(img.convert("RGBA")), colorType=skia.kRGBA_8888_ColorType)


# ---------------------------------------------------------------- the classic blister card


@dataclass
class Palette:
    card: Rgb
    card_light: Rgb
    card_dark: Rgb
    ink: Rgb        # text on the card
    stroke: Rgb     # outline around the name
    accent: Rgb
    accent_ink: Rgb

    @classmethod
    def from_spec(cls, rgb: Rgb, template: dict) -> "Palette":
        colors = template.get("colors", {})
        accent = hex_rgb(colors.get("accent", "#ffd23f"))
        dark_ink = hex_rgb(colors.get("ink", "#1b1b2f"))
        light_card = luminance(rgb) > 0.45
        ink = dark_ink if light_card else (255, 255, 255)
        stroke = (255, 255, 255) if light_card else shade(rgb, -0.28, 1.1)
        if abs(luminance(accent) - luminance(rgb)) < 0.12:  # a yellow card gets a dark ribbon
            accent = dark_ink
        accent_ink = dark_ink if luminance(accent) > 0.4 else (255, 255, 255)
        return cls(rgb, shade(rgb, 0.12), shade(rgb, -0.16), ink, stroke, accent, accent_ink)


def render(figure: "Figure", spec: "FigureSpec", *, template: str = "classic", width: int, height: int) -> Box:
    """Draw the box around `figure` at width x height pixels.

    Args:
        figure: the engine's figure (RGBA, transparent background).
        spec: what the card says and its colour.
        template: a registered template name.
        width, height: the output size in pixels.
    Returns:
        The rendered Box (RGB image, warnings, accessory matches).
    """
    tpl = get_template(template)
    surface = skia.Surface(width, height)
    canvas = surface.getCanvas()
    box = Box(Image.new("RGB", (1, 1)), template)
    _draw_blister(canvas, figure, spec, tpl, width, height, box)
    rgba = surface.makeImageSnapshot().toarray(colorType=skia.kRGBA_8888_ColorType)
    box.image = Image.fromarray(rgba[:, :, :3].copy(), "RGB")
    return box


def _card_rect(tpl: dict, width: int, height: int) -> skia.Rect:
    aspect = tpl["card"]["aspect"]
    margin = 0.045 * min(width, height)
    h = height - 2 * margin
    w = h * aspect
    if w > width - 2 * margin:
        w = width - 2 * margin
        h = w / aspect
    x, y = (width - w) / 2, (height - h) / 2
    return skia.Rect.MakeXYWH(x, y, w, h)


def _draw_blister(canvas: skia.Canvas, figure, spec, tpl: dict, width: int, height: int, box: Box) -> None:
    pal = Palette.from_spec(spec.rgb, tpl)
    card = _card_rect(tpl, width, height)
    W, H = card.width(), card.height()
    X, Y = card.left(), card.top()
    u = W / 1000  # one unit = a thousandth of the card's width

    _backdrop(canvas, width, height, pal, card, u)

    radius = tpl["card"]["corner"] * W
    card_path = skia.Path()
    card_path.addRRect(skia.RRect.MakeRectXY(card, radius, radius))
    hole = _euro_slot(X + W / 2, Y + 0.036 * H, u)

    # The card is its own layer so the euro slot can be punched through it.
    canvas.saveLayer(skia.Rect.MakeXYWH(0, 0, width, height), None)
    canvas.save()
    canvas.clipPath(card_path, doAntiAlias=True)
    _card_face(canvas, card, pal, tpl, u)
    bubble_top = Y + tpl["bubble"]["top"] * H
    bubble_bottom = Y + tpl["bubble"]["bottom"] * H
    _burst(canvas, X + W * 0.5, bubble_top + (bubble_bottom - bubble_top) * 0.42, W, pal, tpl["card"]["burst_rays"])
    _header(canvas, spec, card, pal, tpl, u, box)
    _foot(canvas, spec, card, pal, tpl, u)
    _bubble(canvas, figure, spec, card, pal, tpl, u, box)
    canvas.restore()
    # Punch the hang hole, then give its cut edge a little thickness.
    canvas.drawPath(hole, skia.Paint(AntiAlias=True, BlendMode=skia.BlendMode.kClear))
    canvas.drawPath(hole, skia.Paint(AntiAlias=True, Style=skia.Paint.kStroke_Style, StrokeWidth=2.2 * u,
                                     Color=color(pal.card_dark, 0.9)))
    canvas.restore()


def _backdrop(canvas, width, height, pal: Palette, card: skia.Rect, u: float) -> None:
    """A soft studio wall tinted by the card colour, and the card's shadow on it."""
    wall = shade(pal.card, 0.0, 0.25)
    top, bottom = shade(wall, 0.36 - (luminance(wall) * 0.2), 0.6), shade(wall, 0.22, 0.5)
    canvas.drawPaint(skia.Paint(Shader=skia.GradientShader.MakeRadial(
        skia.Point(width * 0.3, height * 0.2), max(width, height) * 1.1, [color(top), color(bottom)])))
    shadow = skia.Paint(AntiAlias=True, Color=skia.Color(0, 0, 0, 80),
                        MaskFilter=skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, 18 * u))
    r = card.makeOffset(14 * u, 20 * u)
    canvas.drawRRect(skia.RRect.MakeRectXY(r, 35 * u, 35 * u), shadow)


def _euro_slot(cx: float, cy: float, u: float) -> skia.Path:
    """The 'sombrero' hang hole: a slot with a round bump in the middle."""
    slot_w, slot_h, bump = 150 * u, 24 * u, 26 * u
    slot = skia.Path()
    slot.addRRect(skia.RRect.MakeRectXY(skia.Rect.MakeXYWH(cx - slot_w / 2, cy, slot_w, slot_h), slot_h / 2, slot_h / 2))
    dome = skia.Path()
    dome.addCircle(cx, cy + slot_h * 0.15, bump)
    return skia.Op(slot, dome, skia.PathOp.kUnion_PathOp)


def _card_face(canvas, card: skia.Rect, pal: Palette, tpl: dict, u: float) -> None:
    X, Y, W, H = card.left(), card.top(), card.width(), card.height()
    canvas.drawRect(card, linear((X, Y), (X + W * 0.7, Y + H), [color(pal.card_light), color(pal.card), color(pal.card_dark)], [0, 0.45, 1]))
    # The header panel: a slightly deeper band that frames the name.
    head = skia.Rect.MakeXYWH(X, Y, W, H * (tpl["header"]["top"] + tpl["header"]["height"]) + 10 * u)
    canvas.drawRect(head, linear((X, Y), (X, head.bottom()), [color(pal.card_dark, 0.0), color(pal.card_dark, 0.55)]))
    canvas.drawRect(skia.Rect.MakeXYWH(X, head.bottom() - 5 * u, W, 5 * u), fill(color(pal.accent, 0.95)))
    inset = tpl["card"]["border_inset"] * W
    inner = card.makeInset(inset, inset)
    r = tpl["card"]["corner"] * W * 0.6
    canvas.drawRRect(skia.RRect.MakeRectXY(inner, r, r), skia.Paint(
        AntiAlias=True, Style=skia.Paint.kStroke_Style, StrokeWidth=3 * u, Color=color((255, 255, 255), 0.55)))
    # Printed board catches the key light: a soft sheen from the top left.
    canvas.drawRect(card, skia.Paint(Shader=skia.GradientShader.MakeRadial(
        skia.Point(X, Y), W * 1.1, [skia.Color(255, 255, 255, 46), skia.Color(255, 255, 255, 0)])))


def _burst(canvas, cx: float, cy: float, W: float, pal: Palette, rays: int) -> None:
    """Light rays behind the bubble, the classic toy-card burst."""
    path = skia.Path()
    reach = W * 1.2
    for i in range(rays):
        a0 = 2 * math.pi * i / rays
        a1 = a0 + math.pi / rays
        path.moveTo(cx, cy)
        path.lineTo(cx + reach * math.cos(a0), cy + reach * math.sin(a0))
        path.lineTo(cx + reach * math.cos(a1), cy + reach * math.sin(a1))
        path.close()
    paint = skia.Paint(AntiAlias=True, Shader=skia.GradientShader.MakeRadial(
        skia.Point(cx, cy), W * 0.75, [color((255, 255, 255), 0.22), color((255, 255, 255), 0.0)]))
    canvas.drawPath(path, paint)


def _header(canvas, spec, card: skia.Rect, pal: Palette, tpl: dict, u: float, box: Box) -> None:
    X, Y, W, H = card.left(), card.top(), card.width(), card.height()
    hd = tpl["header"]
    top, height = Y + hd["top"] * H, hd["height"] * H
    has_tag = bool(spec.tagline.strip())
    name_h = height * (0.7 if has_tag else 0.92)
    pad = 70 * u
    name = text.fit(text.display_caps(display_name(spec)), text.Style(hd["name_size"] * W, color(pal.ink), tuple(text.DISPLAY), 900,
                                                     letter_spacing=2 * u),
                    W - 2 * pad, name_h, max_lines=2, min_size=30 * u)
    if name.truncated:
        box.warnings.append(f"the name was too long to fit and was shortened to {name.text!r}")
    ny = top + (name_h - name.height) / 2
    box.regions["name"] = (round(X), round(ny - 10 * u), round(X + W), round(ny + name.height + 14 * u))
    stroke_w = max(2.0, name.style.size * 0.09)
    shadow = skia.Paint(AntiAlias=True, Color=skia.Color(0, 0, 0, 110), Style=skia.Paint.kStrokeAndFill_Style,
                        StrokeWidth=stroke_w, StrokeJoin=skia.Paint.kRound_Join,
                        MaskFilter=skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, 5 * u))
    outline = skia.Paint(AntiAlias=True, Color=color(pal.stroke), Style=skia.Paint.kStrokeAndFill_Style,
                         StrokeWidth=stroke_w, StrokeJoin=skia.Paint.kRound_Join)
    name.draw(canvas, X + pad + 5 * u, ny + 7 * u, shadow)
    name.draw(canvas, X + pad, ny, outline)
    name.draw(canvas, X + pad, ny)
    if has_tag:
        ribbon_h = height * 0.25
        ry = top + name_h + height * 0.03
        tag = text.fit(spec.tagline.upper(), text.Style(hd["tagline_size"] * W, color(pal.accent_ink), tuple(text.BODY), 800,
                                                       letter_spacing=1.5 * u), W * 0.7, ribbon_h * 0.8, max_lines=1, min_size=14 * u)
        if tag.truncated:
            box.warnings.append(f"the tagline was too long to fit and was shortened to {tag.text!r}")
        tw = paragraph_width(tag) + 60 * u
        rx = X + (W - tw) / 2
        _ribbon(canvas, skia.Rect.MakeXYWH(rx, ry, tw, ribbon_h), pal, u)
        tag.draw(canvas, rx + (tw - tag.width) / 2, ry + (ribbon_h - tag.height) / 2)
    # Brand mark and series line in the top corners, beside the hang tab.
    small = text.Style(17 * u, color(pal.ink, 0.92), tuple(text.BODY), 800, letter_spacing=2.5 * u, align="left")
    text.fit("MINIME", small, 200 * u, 30 * u, max_lines=1).draw(canvas, X + 48 * u, Y + 38 * u)
    right = text.Style(17 * u, color(pal.ink, 0.92), tuple(text.BODY), 800, letter_spacing=2.5 * u, align="right")
    text.fit("ACTION FIGURE", right, 260 * u, 30 * u, max_lines=1).draw(canvas, X + W - 48 * u - 260 * u, Y + 38 * u)


def display_name(spec) -> str:
    """The name on the box; a group shows everyone's name."""
    names = list(getattr(spec, "names", []) or [])
    return " & ".join(names) if len(names) > 1 else spec.name


def paragraph_width(fitted: text.Fitted) -> float:
    return text.paragraph(fitted.text, fitted.style, 1e6).MaxIntrinsicWidth


def _ribbon(canvas, r: skia.Rect, pal: Palette, u: float) -> None:
    """A banner with folded tails, behind the tagline."""
    tail = r.height() * 0.55
    for side in (-1, 1):
        x = r.left() if side < 0 else r.right()
        p = skia.Path()
        y0, y1 = r.top() + r.height() * 0.25, r.bottom() + r.height() * 0.2
        p.moveTo(x, y0)
        p.lineTo(x + side * tail, y0)
        p.lineTo(x + side * tail * 0.65, (y0 + y1) / 2)
        p.lineTo(x + side * tail, y1)
        p.lineTo(x, y1)
        p.close()
        canvas.drawPath(p, fill(color(shade(pal.accent, -0.2))))
    canvas.drawRect(r.makeOffset(3 * u, 4 * u), fill(skia.Color(0, 0, 0, 60), MaskFilter=skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, 3 * u)))
    canvas.drawRect(r, linear((0, r.top()), (0, r.bottom()), [color(shade(pal.accent, 0.08)), color(shade(pal.accent, -0.06))]))


def _foot(canvas, spec, card: skia.Rect, pal: Palette, tpl: dict, u: float) -> None:
    X, Y, W, H = card.left(), card.top(), card.width(), card.height()
    top = Y + tpl["foot"]["top"] * H
    band = skia.Rect.MakeLTRB(X, top, X + W, Y + H)
    canvas.drawRect(band, fill(color(shade(pal.card, -0.22, 0.95), 0.94)))
    canvas.drawRect(skia.Rect.MakeXYWH(X, top, W, 4 * u), fill(color(pal.accent, 0.95)))
    inner_bottom = Y + H - tpl["card"]["border_inset"] * W - 6 * u
    pad = 48 * u
    # Age badge.
    age = skia.Rect.MakeXYWH(X + pad, top + 22 * u, 92 * u, 70 * u)
    canvas.drawRRect(skia.RRect.MakeRectXY(age, 10 * u, 10 * u), fill(skia.ColorWHITE))
    text.fit("AGES", text.Style(15 * u, color((20, 20, 30)), tuple(text.BODY), 800, letter_spacing=2 * u), age.width(), 20 * u, max_lines=1) \
        .draw(canvas, age.left(), age.top() + 6 * u)
    text.fit("4+", text.Style(40 * u, color((20, 20, 30)), tuple(text.BODY), 900), age.width(), 44 * u, max_lines=1) \
        .draw(canvas, age.left(), age.top() + 22 * u)
    # Warning block and the AI label.
    tx = age.right() + 22 * u
    code_w = 210 * u
    tw = X + W - pad - code_w - 20 * u - tx
    _warning_triangle(canvas, tx, top + 24 * u, 30 * u, u)
    warn = text.Style(13.5 * u, color((255, 255, 255), 0.95), tuple(text.BODY), 700, align="left", line_height=1.25)
    text.fit("WARNING: CHOKING HAZARD. Small parts. Not for children under 3 years.", warn, tw - 40 * u, 40 * u,
             max_lines=2, min_size=9 * u).draw(canvas, tx + 40 * u, top + 22 * u)
    label = text.Style(17 * u, color((255, 255, 255)), tuple(text.BODY), 800, align="left", letter_spacing=1 * u)
    text.fit("AI-generated figure", label, tw, 26 * u, max_lines=1, min_size=9 * u).draw(canvas, tx, top + 66 * u)
    # Barcode sticker.
    sticker = skia.Rect.MakeLTRB(X + W - pad - code_w, top + 16 * u, X + W - pad, min(inner_bottom, top + 100 * u))
    _barcode(canvas, barcode.ean13_for(display_name(spec)), sticker, u)


def _warning_triangle(canvas, x: float, y: float, size: float, u: float) -> None:
    p = skia.Path()
    p.moveTo(x + size / 2, y)
    p.lineTo(x + size, y + size * 0.88)
    p.lineTo(x, y + size * 0.88)
    p.close()
    canvas.drawPath(p, fill(color((255, 210, 63)), Style=skia.Paint.kStrokeAndFill_Style, StrokeWidth=2 * u, StrokeJoin=skia.Paint.kRound_Join))
    text.fit("!", text.Style(size * 0.62, color((20, 20, 30)), tuple(text.BODY), 900), size, size, max_lines=1) \
        .draw(canvas, x, y + size * 0.16)


def _barcode(canvas, code: str, r: skia.Rect, u: float) -> None:
    canvas.drawRRect(skia.RRect.MakeRectXY(r, 6 * u, 6 * u), fill(skia.ColorWHITE))
    bits = barcode.modules(code)
    quiet = 11
    m = r.width() / (len(bits) + 2 * quiet)
    digits_h = 17 * u
    bar_top, bar_bottom = r.top() + 8 * u, r.bottom() - digits_h - 4 * u
    ink = fill(skia.Color(15, 15, 20, 255), AntiAlias=False)
    for i, b in enumerate(bits):
        if b == "1":
            canvas.drawRect(skia.Rect.MakeLTRB(r.left() + (quiet + i) * m, bar_top, r.left() + (quiet + i + 1) * m, bar_bottom), ink)
    digits = text.Style(14 * u, skia.Color(15, 15, 20, 255), tuple(text.BODY), 600, letter_spacing=2.2 * u)
    human = f"{code[0]} {code[1:7]} {code[7:]}"
    text.fit(human, digits, r.width(), digits_h + 4 * u, max_lines=1, min_size=6 * u).draw(canvas, r.left(), r.bottom() - digits_h - 2 * u)


# ---------------------------------------------------------------- the bubble and its contents


def _bubble(canvas, figure, spec, card: skia.Rect, pal: Palette, tpl: dict, u: float, box: Box) -> None:
    X, Y, W, H = card.left(), card.top(), card.width(), card.height()
    bt = tpl["bubble"]
    top, bottom = Y + bt["top"] * H, Y + bt["bottom"] * H
    side = bt["side"] * W
    accessories = list(spec.accessories)
    n = len(accessories)
    tray_w = bt["tray_width"] * W if n else 0.0
    gap = 22 * u if n else 0.0
    main = skia.Rect.MakeLTRB(X + side, top, X + W - side - tray_w - gap, bottom)
    radius = bt["corner"] * W

    # The flange: the flat plastic sheet sealed to the card, a little larger than the cavities.
    flange = skia.Rect.MakeLTRB(main.left() - 14 * u, top - 14 * u, X + W - side + 14 * u, bottom + 14 * u)
    canvas.drawRRect(skia.RRect.MakeRectXY(flange, radius + 14 * u, radius + 14 * u), fill(color((255, 255, 255), 0.07)))
    canvas.drawRRect(skia.RRect.MakeRectXY(flange, radius + 14 * u, radius + 14 * u),
                     skia.Paint(AntiAlias=True, Style=skia.Paint.kStroke_Style, StrokeWidth=2 * u, Color=color((255, 255, 255), 0.35)))

    _cavity(canvas, main, radius, u, lambda: _place_figure(canvas, figure, main, u))

    wells = _well_rects(n, skia.Rect.MakeLTRB(main.right() + gap, top, X + W - side, bottom), u)
    for item, r in zip(accessories, wells):
        from .icons import match_accessory

        m = match_accessory(item)
        art = figure.accessories.get(m.key) if m.known else None
        box.accessories.append({"text": item, "key": m.key, "label": m.label, "known": m.known, "score": round(m.score, 3)})
        label_h = 0.0 if m.known else 30 * u
        inner = skia.Rect.MakeLTRB(r.left(), r.top(), r.right(), r.bottom() - label_h)
        _cavity(canvas, inner, min(inner.width(), inner.height()) * 0.22, u,
                lambda inner=inner, art=art, m=m: _place_accessory(canvas, m.key, art, inner, pal, u))
        if not m.known:
            lab = text.Style(15 * u, color(pal.accent_ink), tuple(text.BODY), 800)
            f = text.fit(text.clean(item).upper(), lab, r.width() - 10 * u, label_h - 6 * u, max_lines=1, min_size=8 * u)
            pill = skia.Rect.MakeXYWH(r.left(), inner.bottom() + 5 * u, r.width(), label_h - 4 * u)
            canvas.drawRRect(skia.RRect.MakeRectXY(pill, pill.height() / 2, pill.height() / 2), fill(color(pal.accent)))
            f.draw(canvas, pill.left() + 5 * u, pill.top() + (pill.height() - f.height) / 2)


def _well_rects(n: int, tray: skia.Rect, u: float) -> list[skia.Rect]:
    if not n:
        return []
    gap = 18 * u
    size = min(tray.width(), (tray.height() - gap * (n - 1)) / n)
    total = n * size + (n - 1) * gap
    y = tray.top() + (tray.height() - total) / 2
    x = tray.left() + (tray.width() - size) / 2
    return [skia.Rect.MakeXYWH(x, y + i * (size + gap), size, size) for i in range(n)]


def _cavity(canvas, r: skia.Rect, radius: float, u: float, contents) -> None:
    """A moulded clear cavity: shadow on the card, contents, then the plastic's light on top."""
    rr = skia.RRect.MakeRectXY(r, radius, radius)
    # The bubble's shadow falls down and right, away from the key light.
    shadow = skia.Paint(AntiAlias=True, Color=skia.Color(0, 0, 0, 70),
                        MaskFilter=skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, 10 * u))
    canvas.drawRRect(skia.RRect.MakeRectXY(r.makeOffset(10 * u, 14 * u), radius, radius), shadow)
    # Inside: the card seen through a slightly milky plastic, darker toward the back.
    canvas.drawRRect(rr, fill(skia.Color(255, 255, 255, 24)))
    canvas.save()
    canvas.clipRRect(rr, doAntiAlias=True)
    canvas.drawRRect(rr, skia.Paint(AntiAlias=True, Shader=skia.GradientShader.MakeRadial(
        skia.Point(r.centerX(), r.centerY()), max(r.width(), r.height()) * 0.75,
        [skia.Color(0, 0, 0, 0), skia.Color(0, 0, 0, 40)])))
    contents()
    _speculars(canvas, r, u)
    canvas.restore()
    # The rim: bright where it faces the light, darker on the far side.
    t = max(3.0, 5 * u)
    rim = skia.Paint(AntiAlias=True, Style=skia.Paint.kStroke_Style, StrokeWidth=t, Shader=skia.GradientShader.MakeLinear(
        [skia.Point(r.left(), r.top()), skia.Point(r.right(), r.bottom())],
        [skia.Color(255, 255, 255, 235), skia.Color(255, 255, 255, 90), skia.Color(40, 40, 60, 90), skia.Color(20, 20, 40, 150)],
        [0.0, 0.35, 0.7, 1.0]))
    canvas.drawRRect(rr, rim)
    glow = skia.Paint(AntiAlias=True, Style=skia.Paint.kStroke_Style, StrokeWidth=t * 2.5, Color=skia.Color(255, 255, 255, 60),
                      MaskFilter=skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, t))
    inner = r.makeInset(t * 1.6, t * 1.6)
    canvas.save()
    canvas.clipRRect(rr, doAntiAlias=True)
    canvas.drawRRect(skia.RRect.MakeRectXY(inner, radius * 0.9, radius * 0.9), glow)
    canvas.restore()


def _speculars(canvas, r: skia.Rect, u: float) -> None:
    """Two or three soft streaks of reflected light across the plastic, falling from the top left."""
    blur = skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, max(1.5, r.width() * 0.012))
    span = r.width() + r.height()
    for offset, width, alpha in ((0.16, 0.085, 0.34), (0.3, 0.025, 0.42), (0.78, 0.05, 0.16)):
        x0 = r.left() + span * offset - r.height()
        p = skia.Path()
        w = span * width
        p.moveTo(x0, r.bottom())
        p.lineTo(x0 + r.height(), r.top())
        p.lineTo(x0 + r.height() + w, r.top())
        p.lineTo(x0 + w, r.bottom())
        p.close()
        paint = skia.Paint(AntiAlias=True, MaskFilter=blur, Shader=skia.GradientShader.MakeLinear(
            [skia.Point(r.left(), r.top()), skia.Point(r.left(), r.bottom())],
            [skia.Color(255, 255, 255, round(255 * alpha)), skia.Color(255, 255, 255, round(255 * alpha * 0.15))]))
        canvas.drawPath(p, paint)


def _place_figure(canvas, figure, cavity: skia.Rect, u: float) -> None:
    img = figure.image
    bbox = img.getchannel("A").getbbox()
    if bbox is None:
        return
    img = img.crop(bbox)
    pad_x, pad_top, pad_bottom = 26 * u, 30 * u, 34 * u
    avail_w, avail_h = cavity.width() - 2 * pad_x, cavity.height() - pad_top - pad_bottom
    scale = min(avail_w / img.width, avail_h / img.height)
    w, h = img.width * scale, img.height * scale
    x = cavity.centerX() - w / 2
    y = cavity.bottom() - pad_bottom - h
    # Contact shadow where the base meets the card.
    canvas.drawOval(skia.Rect.MakeXYWH(x + w * 0.12 + 8 * u, y + h - 18 * u, w * 0.8, 34 * u),
                    fill(skia.Color(0, 0, 0, 95), MaskFilter=skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, 9 * u)))
    sampling = skia.SamplingOptions(skia.CubicResampler.Mitchell())
    canvas.drawImageRect(to_skia(img), skia.Rect.MakeXYWH(x, y, w, h), sampling)


def _place_accessory(canvas, key: str, art: Image.Image | None, r: skia.Rect, pal: Palette, u: float) -> None:
    from .icons import render_accessory

    size = int(min(r.width(), r.height()) * 0.84)
    if size < 8:
        return
    img = art if art is not None else render_accessory(key, size, tint=pal.card)
    scale = size / max(img.width, img.height)
    w, h = img.width * scale, img.height * scale
    x, y = r.centerX() - w / 2, r.centerY() - h / 2
    canvas.drawImageRect(to_skia(img), skia.Rect.MakeXYWH(x + 5 * u, y + 7 * u, w, h), skia.SamplingOptions(),
                         skia.Paint(ColorFilter=skia.ColorFilters.Blend(skia.Color(0, 0, 0, 70), skia.BlendMode.kSrcIn),
                                    MaskFilter=skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, 4 * u)))
    canvas.drawImageRect(to_skia(img), skia.Rect.MakeXYWH(x, y, w, h), skia.SamplingOptions(skia.CubicResampler.Mitchell()))
