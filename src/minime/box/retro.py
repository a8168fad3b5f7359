"""The 80s graphic card: a slanted night-blue header with a chrome name, racing stripes, a sunset over a
neon grid behind a chamfered bubble, and a starburst that shouts NEW!"""

from __future__ import annotations

import math

import skia

from . import text
from .blister import bubble
from .paint import (
    WHITE,
    Ctx,
    age_badge,
    color,
    draw_barcode,
    draw_name,
    fill,
    fine_print,
    hex_rgb,
    label,
    linear,
    mark,
    radial,
    rect,
    shade,
    soft,
    star_path,
    stroke,
)


def face(ctx: Ctx, card: skia.Rect) -> None:
    tpl, pal, c = ctx.tpl, ctx.pal, ctx.canvas
    X, Y, W, H = card.left(), card.top(), card.width(), card.height()
    u = W / 1000
    colors = tpl.get("colors", {})
    night = hex_rgb(colors.get("night", "#15103a"))
    neon = hex_rgb(colors.get("neon", "#ff4fd8"))
    hd = tpl["header"]

    def board(cv: skia.Canvas) -> None:
        cv.drawRect(card.makeOutset(40 * u, 40 * u), pal.board(card))
        if not pal.flat:  # a worn-in vignette toward the edges of the printed board
            cv.drawRect(card.makeOutset(40 * u, 40 * u), radial((X + W * 0.4, Y + H * 0.45), H * 0.75,
                                                                [color((0, 0, 0), 0.0), color((0, 0, 0), 0.28)], [0.55, 1.0]))

    soft(ctx, card.makeOutset(40 * u, 40 * u), board)

    # The slanted header panel and its racing stripes.
    slope = W * math.tan(math.radians(hd.get("slant", 5)))
    top_l, bottom_l = Y + hd["top"] * H, Y + (hd["top"] + hd["height"]) * H
    panel = _band(X - 40 * u, X + W + 40 * u, top_l + slope * 0.2, bottom_l, slope)
    c.drawPath(panel, fill(color(night)))
    for offset, thick, rgb in ((0, 16 * u, pal.accent), (24 * u, 8 * u, WHITE), (40 * u, 8 * u, neon)):
        c.drawPath(_band(X - 40 * u, X + W + 40 * u, bottom_l + offset, bottom_l + offset + thick, slope), fill(color(rgb)))
    mark(ctx, rect(X + 46 * u, Y + 20 * u, 250 * u, 30 * u), pal.ink, align="left", plate=True)
    right = ctx.brand.kit.slogan.upper() if ctx.brand and ctx.brand.kit.slogan else "POWER FIGURE"
    label(ctx, right, rect(X + W - 46 * u - 300 * u, Y + 20 * u, 300 * u, 30 * u), 20 * u, pal.ink, weight=900,
          align="right", spacing=3 * u, min_size=8 * u, slot="slogan", italic=True)
    name_r = skia.Rect.MakeLTRB(X + 60 * u, top_l + 8 * u, X + W - 50 * u, bottom_l - slope * 0.6 - 4 * u)
    draw_name(ctx, name_r, size=hd["name_size"] * W, effect="chrome", outline=shade(night, -0.05), skew=-0.14,
              spacing=3 * u, min_size=30 * u)

    # The synthwave panel behind the bubble.
    bt = tpl["bubble"]
    scene = skia.Rect.MakeLTRB(X + bt["side"] * W * 0.55, Y + bt["top"] * H - 30 * u, X + W - bt["side"] * W * 0.55,
                               Y + bt["bottom"] * H + 24 * u)
    _synthwave(ctx, scene, u, night, neon)
    if ctx.spec.tagline.strip():
        _tag(ctx, skia.Rect.MakeLTRB(X + 120 * u, bottom_l + 58 * u, X + W - 120 * u, scene.top() - 10 * u), u)

    n = len(ctx.spec.accessories)
    side = bt["side"] * W
    top, bottom = Y + bt["top"] * H, Y + bt["bottom"] * H
    row_h = bt["tray_height"] * H if n else 0.0
    main = skia.Rect.MakeLTRB(X + side, top, X + W - side, bottom - row_h - (20 * u if n else 0))
    tray = skia.Rect.MakeLTRB(X + side, main.bottom() + 20 * u, X + W - side, bottom) if n else None
    bubble(ctx, main, tray, u, radius=18 * u, direction="row", chamfer=60 * u)
    _starburst(ctx, X + W - 150 * u, main.top() + 60 * u, 118 * u, u)

    # Foot: a night band with a neon edge.
    ft = Y + tpl["foot"]["top"] * H
    c.drawRect(skia.Rect.MakeLTRB(X - 40 * u, ft, X + W + 40 * u, Y + H + 40 * u), fill(color(night)))
    c.drawRect(rect(X - 40 * u, ft, W + 80 * u, 6 * u), fill(color(neon)))
    pad = 46 * u
    age_badge(ctx, rect(X + pad, ft + 24 * u, 92 * u, 70 * u), bg=pal.accent, fg=pal.accent_ink)
    code_w = 200 * u
    fine_print(ctx, skia.Rect.MakeLTRB(X + pad + 114 * u, ft + 22 * u, X + W - pad - code_w - 20 * u, Y + H - 26 * u), WHITE, u)
    draw_barcode(ctx, skia.Rect.MakeLTRB(X + W - pad - code_w, ft + 18 * u, X + W - pad, Y + H - 26 * u), u)


def _band(x0: float, x1: float, y0: float, y1: float, slope: float) -> skia.Path:
    """A band across the card rising to the right by `slope`."""
    p = skia.Path()
    p.addPoly([skia.Point(x0, y0), skia.Point(x1, y0 - slope), skia.Point(x1, y1 - slope), skia.Point(x0, y1)], True)
    return p


def _synthwave(ctx: Ctx, r: skia.Rect, u: float, night, neon) -> None:
    """Night sky, a striped sunset and a neon grid running to the horizon, behind chamfered corners."""
    c = ctx.canvas
    k = 46 * u
    shape = skia.Path()
    shape.addPoly([skia.Point(r.left() + k, r.top()), skia.Point(r.right() - k, r.top()), skia.Point(r.right(), r.top() + k),
                   skia.Point(r.right(), r.bottom() - k), skia.Point(r.right() - k, r.bottom()),
                   skia.Point(r.left() + k, r.bottom()), skia.Point(r.left(), r.bottom() - k),
                   skia.Point(r.left(), r.top() + k)], True)
    horizon = r.top() + r.height() * 0.6
    c.save()
    c.clipPath(shape, doAntiAlias=True)

    def sky(cv: skia.Canvas) -> None:
        cv.drawRect(skia.Rect.MakeLTRB(r.left(), r.top(), r.right(), horizon), linear(
            (0, r.top()), (0, horizon), [color(night), color((92, 26, 120)), color((255, 96, 136))], [0, 0.62, 1]))
        cv.drawRect(skia.Rect.MakeLTRB(r.left(), horizon, r.right(), r.bottom()), linear(
            (0, horizon), (0, r.bottom()), [color((44, 8, 70)), color((14, 6, 34))]))

    soft(ctx, r, sky)
    # Stars, placed the same way on every card.
    for i in range(14):
        sx = r.left() + r.width() * ((i * 0.61803) % 1.0)
        sy = r.top() + (horizon - r.top()) * 0.55 * ((i * 0.38197 + 0.13) % 1.0)
        c.drawCircle(sx, sy, (1.6 + (i % 3)) * u, fill(color(WHITE, 0.75)))
    # The sun: a gradient disc with slats cut out of its lower half.
    sr = r.width() * 0.3
    cx, cy = r.centerX(), horizon - sr * 0.18
    sun = skia.Path()
    sun.addCircle(cx, cy, sr)
    slats = skia.Path()
    for i in range(6):
        y = cy + sr * (0.05 + i * 0.16)
        slats.addRect(skia.Rect.MakeLTRB(cx - sr, y, cx + sr, y + sr * (0.025 + i * 0.016)))
    sun = skia.Op(sun, slats, skia.PathOp.kDifference_PathOp)
    c.save()
    c.clipRect(skia.Rect.MakeLTRB(r.left(), r.top(), r.right(), horizon))
    c.drawPath(sun, linear((0, cy - sr), (0, cy + sr * 0.6), [color((255, 236, 110)), color((255, 140, 66)),
                                                              color((255, 60, 142))], [0, 0.45, 1]))
    c.restore()
    # The grid: rails to a vanishing point, ties closer together toward the horizon.
    grid = stroke(color(neon, 0.85), max(1.0, 2.4 * u))
    lines = skia.Path()
    depth = r.bottom() - horizon
    for i in range(-12, 13):
        lines.moveTo(cx + i * r.width() * 0.02, horizon)
        lines.lineTo(cx + i * r.width() * 0.16, r.bottom())
    for i in range(1, 9):
        y = horizon + depth * (i / 8) ** 2
        lines.moveTo(r.left(), y)
        lines.lineTo(r.right(), y)
    c.drawPath(lines, grid)
    c.drawRect(skia.Rect.MakeLTRB(r.left(), horizon - 1.5 * u, r.right(), horizon + 1.5 * u), fill(color((255, 200, 240))))
    c.restore()
    c.drawPath(shape, stroke(color(WHITE), 6 * u))
    c.drawPath(shape, stroke(color(neon), 2.5 * u))


def _tag(ctx: Ctx, r: skia.Rect, u: float) -> None:
    """The tagline on a slanted accent slab."""
    pal, c = ctx.pal, ctx.canvas
    style = text.Style(r.height() * 0.62, color(pal.accent_ink), ctx.body, 900, 2 * u, line_height=1.15)
    tag = text.fit(ctx.spec.tagline.upper(), style, r.width() - 60 * u, r.height() * 0.8, max_lines=1, min_size=12 * u)
    if tag.truncated:
        ctx.cut("tagline", tag)
    tw = tag.natural_width + 70 * u
    x0 = r.centerX() - tw / 2
    slab = skia.Path()
    lean = r.height() * 0.35
    slab.addPoly([skia.Point(x0 + lean, r.top()), skia.Point(x0 + tw + lean, r.top()), skia.Point(x0 + tw - lean, r.bottom()),
                  skia.Point(x0 - lean, r.bottom())], True)
    c.save()
    c.translate(5 * u, 6 * u)
    c.drawPath(slab, fill(skia.Color(0, 0, 0, 90)))
    c.restore()
    c.drawPath(slab, fill(color(pal.accent)))
    c.save()
    c.translate(0, r.bottom())
    c.skew(-0.18, 0)
    c.translate(0, -r.bottom())
    tag.draw(c, x0 + (tw - tag.width) / 2, r.top() + (r.height() - tag.height) / 2)
    c.restore()


def _starburst(ctx: Ctx, cx: float, cy: float, radius: float, u: float) -> None:
    """A spiky yellow starburst sticker with NEW! on it."""
    c = ctx.canvas
    star = star_path(cx, cy, radius, radius * 0.78, 18, turn=0.1)
    c.save()
    c.translate(6 * u, 8 * u)
    c.drawPath(star, fill(skia.Color(0, 0, 0, 80)))
    c.restore()
    c.drawPath(star, fill(color((255, 224, 50))))
    c.drawPath(star, stroke(color((220, 30, 40)), 5 * u))
    c.save()
    c.rotate(-14, cx, cy)
    label(ctx, "NEW!", rect(cx - radius * 0.72, cy - radius * 0.42, radius * 1.44, radius * 0.66), radius * 0.62,
          (220, 30, 40), weight=900, families=tuple(text.DISPLAY))
    label(ctx, "POSEABLE", rect(cx - radius * 0.6, cy + radius * 0.2, radius * 1.2, radius * 0.26), radius * 0.2,
          (30, 20, 60), weight=900, spacing=1.5 * u)
    c.restore()
