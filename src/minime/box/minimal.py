"""The minimal card: white board, the brand's logo first, one flat block of the brand colour, quiet type."""

from __future__ import annotations

import skia

from .blister import cavity, place_figure, wells
from .paint import Ctx, color, draw_barcode, draw_name, fill, hex_rgb, label, legal_line, mark, mix, rect, rrect, shade, stroke


def face(ctx: Ctx, card: skia.Rect) -> None:
    tpl, pal, c = ctx.tpl, ctx.pal, ctx.canvas
    X, Y, W, H = card.left(), card.top(), card.width(), card.height()
    u = W / 1000
    paper = hex_rgb((tpl.get("colors") or {}).get("paper", "#fbfaf7"))
    grey = mix(pal.text, paper, 0.45)
    c.drawPaint(fill(color(paper)))
    pad = 64 * u

    # Logo first, slogan opposite, both beside the hang tab.
    mark(ctx, rect(X + pad, Y + 36 * u, 300 * u, 50 * u), pal.text, align="left")
    slogan = ctx.brand.kit.slogan if ctx.brand and ctx.brand.kit.slogan else "Action figure"
    label(ctx, slogan, rect(X + W - pad - 300 * u, Y + 44 * u, 300 * u, 34 * u), 24 * u, grey, weight=500,
          align="right", min_size=10 * u, slot="slogan")

    hd = tpl["header"]
    name_r = rect(X + pad, Y + hd["top"] * H, W - 2 * pad, hd["height"] * H)
    draw_name(ctx, name_r, size=hd["name_size"] * W, effect="flat", rgb=pal.text, caps=False, align="left",
              families=ctx.display if ctx.brand and "display" in ctx.brand.kit.fonts else ctx.body, weight=800,
              valign="bottom", min_size=26 * u)
    if ctx.spec.tagline.strip():
        label(ctx, ctx.spec.tagline, rect(X + pad, name_r.bottom() + 8 * u, W - 2 * pad, 46 * u), 34 * u, grey,
              weight=500, align="left", min_size=14 * u, slot="tagline", valign="top")

    # The colour block, flat: the one place the brand colour speaks; a short rule in the second colour.
    bt = tpl["bubble"]
    block = skia.Rect.MakeLTRB(X + pad, Y + bt["top"] * H, X + W - pad, Y + bt["bottom"] * H)
    c.drawRect(rect(X + W - pad - 120 * u, block.top() - 34 * u, 120 * u, 10 * u), fill(color(pal.accent)))
    c.drawRRect(rrect(block, 26 * u), fill(color(pal.card)))
    n = len(ctx.spec.accessories)
    row = 150 * u if n else 0.0
    main = skia.Rect.MakeLTRB(block.left() + 40 * u, block.top() + 40 * u, block.right() - 40 * u,
                              block.bottom() - 40 * u - row)
    floor = shade(pal.card, -0.12)
    c.drawOval(skia.Rect.MakeLTRB(main.left() + 60 * u, main.bottom() - 70 * u, main.right() - 60 * u, main.bottom() - 10 * u),
               fill(color(floor, 0.5)))
    shape = skia.Path()
    shape.addRRect(rrect(main, 40 * u))
    cavity(ctx, shape, u, lambda: place_figure(ctx, main, u, pad=26), shadow=False)
    if n:
        tray = skia.Rect.MakeLTRB(block.left() + 40 * u, main.bottom() + 20 * u, block.right() - 40 * u, block.bottom() - 26 * u)
        wells(ctx, tray, u, "row", pill=(mix(pal.card, (255, 255, 255), 0.85), pal.text))

    # Foot: a hairline, the legal line, the age and the barcode.
    ft = Y + tpl["foot"]["top"] * H
    c.drawRect(rect(X + pad, ft, W - 2 * pad, max(0.5, 1.5 * u)), fill(color(grey, 0.6)))
    code_w = 190 * u
    age = rect(X + pad, ft + 26 * u, 64 * u, 64 * u)
    c.drawOval(age, stroke(color(pal.text), 3 * u))
    label(ctx, "4+", age.makeInset(8 * u, 14 * u), 28 * u, pal.text, weight=800)
    label(ctx, "Small parts. Not for children under 3.", rect(age.right() + 20 * u, ft + 24 * u, W - 2 * pad - code_w - 110 * u, 30 * u),
          20 * u, grey, weight=500, align="left", min_size=8 * u)
    label(ctx, legal_line(ctx), rect(age.right() + 20 * u, ft + 56 * u, W - 2 * pad - code_w - 110 * u, 44 * u),
          22 * u, pal.text, weight=700, align="left", min_size=8 * u, max_lines=2, line_height=1.1, valign="top")
    draw_barcode(ctx, skia.Rect.MakeLTRB(X + W - pad - code_w, ft + 18 * u, X + W - pad, Y + H - 30 * u), u)
