"""The back of the box: the figure's bio (job, powers, quote, stat bars), what's included, the warning block
and the barcode. One layout for every template, in the template's own colours and type."""

from __future__ import annotations

import skia

from . import text
from .paint import (
    WHITE,
    Ctx,
    age_badge,
    blur,
    color,
    draw_barcode,
    draw_image,
    draw_name,
    figure_crop,
    fill,
    fine_print,
    label,
    mark,
    mix,
    name_text,
    radial,
    rect,
    rrect,
    shade,
    soft,
    stroke,
)


def face(ctx: Ctx, card: skia.Rect) -> None:
    pal, c, spec = ctx.pal, ctx.canvas, ctx.spec
    X, Y, W, H = card.left(), card.top(), card.width(), card.height()
    u = W / 1000
    dark = ctx.tpl.get("kind") == "collector"
    ground = (20, 19, 23) if dark else pal.card

    def board(cv: skia.Canvas) -> None:
        if dark or pal.flat:
            cv.drawRect(card.makeOutset(40 * u, 40 * u), fill(color(ground)))
        else:
            cv.drawRect(card.makeOutset(40 * u, 40 * u), pal.board(card))
            cv.drawRect(card.makeOutset(40 * u, 40 * u), radial((X, Y), W * 1.1, [color(WHITE, 0.14), color(WHITE, 0.0)]))

    soft(ctx, card.makeOutset(40 * u, 40 * u), board)
    ink = WHITE if dark else pal.ink
    pad = 56 * u

    # Header: MEET ... and the name.
    top = Y + H * 0.07
    label(ctx, "MEET", rect(X + pad, top, W - 2 * pad, 34 * u), 28 * u, ink, weight=800, spacing=10 * u, alpha=0.85)
    draw_name(ctx, rect(X + pad, top + 36 * u, W - 2 * pad, H * 0.09), size=0.13 * W, effect="foil" if dark else "stroke",
              rgb=ink, outline=pal.stroke, max_lines=1, min_size=24 * u, spacing=2 * u, slot="back_name",
              families=tuple(text.SERIF) if dark and not ctx.brand else None)
    y = top + 36 * u + H * 0.09 + 10 * u
    if spec.tagline.strip():
        label(ctx, spec.tagline.upper(), rect(X + pad, y, W - 2 * pad, 36 * u), 26 * u, ink, weight=700, spacing=2 * u,
              alpha=0.9, min_size=10 * u, slot="tagline")
        y += 44 * u

    # The portrait and the bio panel side by side.
    row_top, row_bottom = y + 16 * u, Y + H * 0.64
    split = X + W * 0.44
    portrait = skia.Rect.MakeLTRB(X + pad, row_top, split - 16 * u, row_bottom)
    _portrait(ctx, portrait, u)
    panel = skia.Rect.MakeLTRB(split + 16 * u, row_top, X + W - pad, row_bottom)
    _bio(ctx, panel, u, dark)

    # The quote, in the owner's words.
    quote = spec.quote or (f"{spec.tagline}" if spec.tagline and not spec.job else "")
    qy = row_bottom + 26 * u
    q_bottom = Y + H * 0.765
    if quote:
        qr = skia.Rect.MakeLTRB(X + pad + 40 * u, qy, X + W - pad - 40 * u, q_bottom - 36 * u)
        label(ctx, f"\u201c{text.clean(quote)}\u201d", qr, 44 * u, ink, families=tuple(text.SERIF), weight=400,
              italic=True, max_lines=2, min_size=16 * u, line_height=1.15, slot="quote")
        label(ctx, "\u2014 " + name_text(ctx, caps=False), rect(qr.left(), qr.bottom() + 2 * u, qr.width(), 30 * u), 22 * u,
              pal.accent if dark else ink, weight=700, spacing=1 * u, alpha=0.9, min_size=9 * u)
    # What's in the box.
    inc_top = q_bottom + 8 * u
    if spec.accessories:
        _includes(ctx, skia.Rect.MakeLTRB(X + pad, inc_top, X + W - pad, Y + H * 0.855), u, ink)

    # The warning block, the age, the barcode and the legal line.
    ft = Y + H * 0.87
    c.drawRect(skia.Rect.MakeLTRB(X - 40 * u, ft, X + W + 40 * u, Y + H + 40 * u),
               fill(color(ground if pal.flat or dark else shade(pal.card, -0.22, 0.95))))
    c.drawRect(rect(X - 40 * u, ft, W + 80 * u, 4 * u), fill(color(pal.accent)))
    foot_ink = pal.ink if pal.flat and not dark else WHITE
    age_badge(ctx, rect(X + pad, ft + 20 * u, 88 * u, 66 * u))
    code_w = 200 * u
    fine_print(ctx, skia.Rect.MakeLTRB(X + pad + 108 * u, ft + 18 * u, X + W - pad - code_w - 20 * u, Y + H - 50 * u), foot_ink, u)
    draw_barcode(ctx, skia.Rect.MakeLTRB(X + W - pad - code_w, ft + 14 * u, X + W - pad, Y + H - 48 * u), u)
    mark(ctx, rect(X + pad, Y + H - 44 * u, 240 * u, 24 * u), foot_ink, align="left", plate=True)
    label(ctx, "Made with minime \u00b7 the box is drawn by code, the figure by AI",
          rect(X + pad + 260 * u, Y + H - 44 * u, W - 2 * pad - 260 * u, 24 * u), 14 * u, foot_ink, weight=600,
          align="right", alpha=0.8, min_size=6 * u)


def _portrait(ctx: Ctx, r: skia.Rect, u: float) -> None:
    """A framed close-up of the figure: head and shoulders."""
    c, pal = ctx.canvas, ctx.pal
    c.drawRRect(rrect(r.makeOffset(8 * u, 12 * u), 24 * u), fill(skia.Color(0, 0, 0, 70), MaskFilter=blur(10 * u)))
    c.drawRRect(rrect(r, 24 * u), fill(color(WHITE)))
    inner = r.makeInset(14 * u, 14 * u)
    c.save()
    c.clipRRect(rrect(inner, 16 * u), doAntiAlias=True)
    c.drawRect(inner, radial((inner.centerX(), inner.top() + inner.height() * 0.35), inner.height() * 0.8,
                             [color(mix(pal.card, WHITE, 0.55)), color(shade(pal.card, -0.1))]))
    img = figure_crop(ctx.figure)
    if img is not None:
        # Head and shoulders: the top of the figure, as wide as the frame.
        crop = img.crop((0, 0, img.width, min(img.height, round(img.width * inner.height() / inner.width() * 1.0))))
        scale = max(inner.width() / crop.width, inner.height() / crop.height) * 1.02
        w, h = crop.width * scale, crop.height * scale
        draw_image(ctx, crop, rect(inner.centerX() - w / 2, inner.top() + 10 * u, w, h))
    c.restore()
    tag = rect(r.left() + 20 * u, r.bottom() - 60 * u, r.width() - 40 * u, 40 * u)
    c.drawRRect(rrect(tag, 20 * u), fill(color(pal.accent)))
    label(ctx, "AI-GENERATED FIGURE", tag.makeInset(10 * u, 6 * u), 18 * u, pal.accent_ink, weight=800, spacing=1.5 * u,
          min_size=7 * u)


def _bio(ctx: Ctx, r: skia.Rect, u: float, dark: bool) -> None:
    """Job, powers and stat bars on a light panel; only the parts the spec fills."""
    c, pal, spec = ctx.canvas, ctx.pal, ctx.spec
    paper = (30, 29, 34) if dark else WHITE
    ink = (236, 232, 240) if dark else pal.text
    head = pal.accent if dark else (pal.card if text_ok(pal.card, paper) else pal.text)
    c.drawRRect(rrect(r.makeOffset(8 * u, 12 * u), 24 * u), fill(skia.Color(0, 0, 0, 60), MaskFilter=blur(10 * u)))
    c.drawRRect(rrect(r, 24 * u), fill(color(paper, 0.96)))
    x0, x1 = r.left() + 30 * u, r.right() - 30 * u
    y = r.top() + 26 * u
    bottom = r.bottom() - 24 * u

    def heading(value: str) -> None:
        nonlocal y
        label(ctx, value, rect(x0, y, x1 - x0, 26 * u), 19 * u, head, weight=900, spacing=3 * u, align="left")
        y += 30 * u

    if spec.job:
        heading("JOB")
        f = label(ctx, spec.job, rect(x0, y, x1 - x0, 70 * u), 32 * u, ink, weight=800, align="left", max_lines=2,
                  min_size=14 * u, valign="top", line_height=1.1, slot="job")
        y += f.height + 20 * u
    if spec.powers:
        heading("POWERS")
        for power in spec.powers:
            if y + 34 * u > bottom:
                break
            c.drawCircle(x0 + 8 * u, y + 15 * u, 6 * u, fill(color(head)))
            label(ctx, power, rect(x0 + 26 * u, y, x1 - x0 - 26 * u, 32 * u), 24 * u, ink, weight=600, align="left",
                  min_size=10 * u, slot="power")
            y += 36 * u
        y += 14 * u
    stats = dict(spec.stats)
    if stats:
        heading("STATS")
        from ..spec import STAT_TOP

        row = min(44 * u, max(26 * u, (bottom - y) / max(1, len(stats))))
        for name, value in stats.items():
            if y + row * 0.8 > bottom:
                break
            label(ctx, name.upper(), rect(x0, y, (x1 - x0) * 0.4, row * 0.7), 18 * u, ink, weight=800, align="left",
                  min_size=8 * u, slot="stat label")
            bx = x0 + (x1 - x0) * 0.42
            seg_w = (x1 - bx) / STAT_TOP
            for i in range(STAT_TOP):
                seg = rect(bx + i * seg_w, y + row * 0.12, seg_w - 4 * u, row * 0.46)
                c.drawRRect(rrect(seg, 4 * u), fill(color(pal.accent if i < value else mix(ink, paper, 0.85))))
            y += row
    if not (spec.job or spec.powers or stats):
        heading("IN THE BOX")
        items = ["1 action figure", *(a for a in spec.accessories)] if spec.accessories else ["1 action figure", "1 display stand"]
        for item in items[:6]:
            label(ctx, "\u2022 " + item, rect(x0, y, x1 - x0, 32 * u), 24 * u, ink, weight=600, align="left", min_size=10 * u)
            y += 36 * u


def text_ok(fg, bg) -> bool:
    from .paint import contrast

    return contrast(fg, bg) >= 3.0


def _includes(ctx: Ctx, r: skia.Rect, u: float, ink) -> None:
    """INCLUDES: a small picture of each accessory."""
    from .blister import match, place_accessory

    c = ctx.canvas
    label(ctx, "INCLUDES", rect(r.left(), r.top(), 170 * u, r.height()), 22 * u, ink, weight=900, spacing=3 * u, align="left")
    n = len(ctx.spec.accessories)
    size = min(r.height(), (r.width() - 190 * u) / max(n, 1) - 14 * u)
    x = r.left() + 190 * u
    for item in ctx.spec.accessories:
        m, art = match(ctx, item)
        cell = rect(x, r.top() + (r.height() - size) / 2, size, size)
        c.drawRRect(rrect(cell, size * 0.2), fill(color(WHITE, 0.22)))
        c.drawRRect(rrect(cell, size * 0.2), stroke(color(WHITE, 0.5), 2 * u))
        place_accessory(ctx, m.key, art, cell.makeInset(size * 0.06, size * 0.06), u, ctx.spec.piece_rgb)
        x += size + 14 * u
