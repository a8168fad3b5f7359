"""Blister packaging: the clear moulded bubble, its accessory wells, and the classic card around it."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace

import skia
from PIL import Image

from .paint import (
    WHITE,
    Ctx,
    age_badge,
    blur,
    color,
    draw_barcode,
    draw_image,
    draw_name,
    euro_slot,
    figure_crop,
    fill,
    fine_print,
    hex_rgb,
    ink_on,
    kept_layer,
    label,
    linear,
    mark,
    radial,
    rays,
    rect,
    rrect,
    shade,
    soft,
    stroke,
    wall,
)

# ---------------------------------------------------------------- the hanging card scene


def hang_card(ctx: Ctx, width: int, height: int, card: skia.Rect, face: Callable[[Ctx, skia.Rect], None], *,
              corner: float = 0.035, punch: bool = True) -> None:
    """A card hanging on a shop peg in front of a studio wall: shadow, face, punched hang hole, peg tip."""
    tpl, pal = ctx.tpl, ctx.pal
    W, X, Y = card.width(), card.left(), card.top()
    u = W / 1000
    radius = corner * W
    c = ctx.canvas
    slot_y = Y + tpl.get("card", {}).get("slot_y", 0.036) * card.height()

    dark = tpl.get("scene", {}).get("dark", False)

    def backdrop(cv: skia.Canvas) -> None:
        ctx_c, ctx.canvas = ctx.canvas, cv
        wall(ctx, width, height, pal.card, dark=dark)
        ctx.canvas = ctx_c

    def shop() -> None:  # the wall, the pegboard and the card's shadow on it
        soft(ctx, skia.Rect.MakeWH(width, height), backdrop)
        if not dark:
            pegboard(ctx, width, height, card, u)
        ctx.canvas.drawRRect(rrect(card.makeOffset(14 * u, 20 * u), radius),
                             fill(skia.Color(0, 0, 0, 80), MaskFilter=blur(18 * u)))

    if ctx.scene:
        key = (width, height, tuple(card), radius, dark, tuple(pal.card), slot_y)
        _kept_backdrop(ctx, width, height, key, shop)
    card_path = skia.Path()
    card_path.addRRect(rrect(card, radius))
    # The card is its own layer so the euro slot can be punched through it.
    c.saveLayer(card.makeOutset(2, 2), None)
    c.save()
    c.clipPath(card_path, doAntiAlias=True)
    face(ctx, card)
    c.restore()
    if punch:
        hole = euro_slot(X + W / 2, slot_y, u)
        c.drawPath(hole, skia.Paint(AntiAlias=True, BlendMode=skia.BlendMode.kClear))
        edge = tpl.get("card", {}).get("hole_edge")
        c.drawPath(hole, stroke(color(hex_rgb(edge) if edge else pal.card_dark, 0.9), 2.2 * u))
    c.restore()
    if punch and ctx.scene:
        peg(ctx, X + W / 2, slot_y, u)


BACKDROPS_KEPT = 2  # backdrops kept for boxes to come (a feed box's is 6 MB)
BACKDROP_MAX_PIXELS = 2_100_000  # ... up to the story size; a print box draws its own
_backdrops: OrderedDict[tuple, skia.Image] = OrderedDict()
_backdrops_lock = threading.Lock()


def _kept_backdrop(ctx: Ctx, width: int, height: int, key: tuple, draw: Callable[[], None]) -> None:
    """Draw what `draw` draws first on a fresh canvas (the shop wall behind a hanging card): the same for every box
    of a size, template and card colour (`key`), so its pixels are kept and laid on the next such box. On the empty
    canvas they are exactly what drawing gives; a PDF, a moved canvas or a large box draws it."""
    c = ctx.canvas
    if ctx.vector or width * height > BACKDROP_MAX_PIXELS or not c.getTotalMatrix().isIdentity():
        draw()
        return
    with _backdrops_lock:
        image = _backdrops.get(key)
        if image is not None:
            _backdrops.move_to_end(key)
    if image is None:
        surface = skia.Surface(width, height)
        ctx.canvas = surface.getCanvas()
        ctx.canvas.clear(skia.ColorTRANSPARENT)
        try:
            draw()
        finally:
            ctx.canvas = c
        image = surface.makeImageSnapshot()
        with _backdrops_lock:
            _backdrops[key] = image
            while len(_backdrops) > BACKDROPS_KEPT:
                _backdrops.popitem(last=False)
    c.drawImage(image, 0, 0)


def pegboard(ctx: Ctx, width: int, height: int, card: skia.Rect, u: float) -> None:
    """The shop's pegboard wall: rows of punched holes, lined up with the peg the card hangs on."""
    step = max(24.0, min(width, height) * 0.05)
    r = step * 0.09
    x0 = card.centerX() % step
    y0 = (card.top() + ctx.tpl.get("card", {}).get("slot_y", 0.036) * card.height()) % step
    holes = skia.Path()
    y = y0
    while y < height + step:
        x = x0
        while x < width + step:
            holes.addCircle(x, y, r)
            x += step
        y += step
    c = ctx.canvas
    c.save()
    c.translate(r * 0.35, r * 0.45)
    c.drawPath(holes, fill(skia.Color(255, 255, 255, 45)))  # the lit lower edge of each hole
    c.restore()
    c.drawPath(holes, fill(skia.Color(0, 0, 0, 38)))


def peg(ctx: Ctx, cx: float, slot_top: float, u: float) -> None:
    """The chrome tip of the shop's peg hook, seen through the hang hole."""
    c = ctx.canvas
    r = 15 * u
    cy = slot_top + 2 * u
    c.drawCircle(cx + 4 * u, cy + 6 * u, r, fill(skia.Color(0, 0, 0, 70), MaskFilter=blur(4 * u)))
    c.drawCircle(cx, cy, r, radial((cx - r * 0.4, cy - r * 0.5), r * 1.6,
                                   [color((250, 250, 252)), color((160, 164, 175)), color((70, 72, 82))], [0, 0.5, 1]))
    c.drawCircle(cx, cy, r, stroke(color((40, 40, 50), 0.6), 1.2 * u))


# ---------------------------------------------------------------- the bubble


def cavity(ctx: Ctx, shape: skia.Path, u: float, contents: Callable[[], None], *, shadow: bool = True) -> None:
    """A moulded clear cavity: shadow on the card, contents, then the plastic's light on top.

    The blurred parts are the same for every figure: `kept_layer` keeps their pixels for the next box."""
    c = ctx.canvas
    r = shape.getBounds()
    key = (bytes(shape.serialize()), u)
    t = max(1.5, 5 * u)
    if shadow:  # the bubble's shadow falls down and right, away from the key light
        def cast(cv: skia.Canvas) -> None:
            cv.translate(10 * u, 14 * u)
            cv.drawPath(shape, fill(skia.Color(0, 0, 0, 70), MaskFilter=blur(10 * u)))

        kept_layer(ctx, ("shadow", *key), r.makeOffset(10 * u, 14 * u).makeOutset(30 * u + 4, 30 * u + 4), cast)
    c.drawPath(shape, fill(skia.Color(255, 255, 255, 24)))
    c.save()
    c.clipPath(shape, doAntiAlias=True)
    # Inside: the card seen through a slightly milky plastic, darker toward the back.
    c.drawPath(shape, radial((r.centerX(), r.centerY()), max(r.width(), r.height()) * 0.75,
                             [skia.Color(0, 0, 0, 0), skia.Color(0, 0, 0, 40)]))
    contents()
    c.restore()

    def light(cv: skia.Canvas) -> None:  # the speculars and an inner glow, on the plastic only
        cv.clipPath(shape, doAntiAlias=True)
        for streak in _streaks(r):
            cv.drawPath(*streak)

    def glow(cv: skia.Canvas) -> None:
        cv.clipPath(shape, doAntiAlias=True)
        cv.drawPath(shape, stroke(skia.Color(255, 255, 255, 55), t * 2.4, MaskFilter=blur(t)))

    kept_layer(ctx, ("light", *key), r.makeOutset(2, 2), light, shaded=True)
    kept_layer(ctx, ("glow", *key), r.makeOutset(2, 2), glow)
    # The rim: bright where it faces the light, darker on the far side.
    rim = skia.Paint(AntiAlias=True, Style=skia.Paint.kStroke_Style, StrokeWidth=t, Shader=skia.GradientShader.MakeLinear(
        [skia.Point(r.left(), r.top()), skia.Point(r.right(), r.bottom())],
        [skia.Color(255, 255, 255, 235), skia.Color(255, 255, 255, 90), skia.Color(40, 40, 60, 90), skia.Color(20, 20, 40, 150)],
        [0.0, 0.35, 0.7, 1.0]))
    c.drawPath(shape, rim)


def speculars(ctx: Ctx, r: skia.Rect, u: float) -> None:
    """Two or three soft streaks of reflected light across the plastic, falling from the top left."""
    for streak in _streaks(r):
        ctx.canvas.drawPath(*streak)


def _streaks(r: skia.Rect) -> list[tuple[skia.Path, skia.Paint]]:
    """The speculars' paths and paints."""
    span = r.width() + r.height()
    mask = blur(max(1.5, r.width() * 0.012))
    out = []
    for offset, width, alpha in ((0.16, 0.085, 0.34), (0.3, 0.025, 0.42), (0.78, 0.05, 0.16)):
        x0 = r.left() + span * offset - r.height()
        w = span * width
        p = skia.Path()
        p.moveTo(x0, r.bottom())
        p.lineTo(x0 + r.height(), r.top())
        p.lineTo(x0 + r.height() + w, r.top())
        p.lineTo(x0 + w, r.bottom())
        p.close()
        paint = linear((r.left(), r.top()), (r.left(), r.bottom()),
                       [skia.Color(255, 255, 255, round(255 * alpha)), skia.Color(255, 255, 255, round(255 * alpha * 0.15))])
        paint.setMaskFilter(mask)
        out.append((p, paint))
    return out


def place_figure(ctx: Ctx, r: skia.Rect, u: float, *, pad: float = 28, contact: bool = True) -> skia.Rect | None:
    """The figure standing on the bottom of `r`, as large as fits; returns where it went."""
    img = figure_crop(ctx.figure)
    if img is None:
        return None
    pad_x, pad_top, pad_bottom = pad * u, pad * 1.1 * u, pad * 1.2 * u
    avail_w, avail_h = r.width() - 2 * pad_x, r.height() - pad_top - pad_bottom
    scale = min(avail_w / img.width, avail_h / img.height)
    w, h = img.width * scale, img.height * scale
    img = _sharp(ctx, img, h * ctx.px_per_unit)
    x, y = r.centerX() - w / 2, r.bottom() - pad_bottom - h
    if contact:  # contact shadow where the base meets the card
        ctx.canvas.drawOval(rect(x + w * 0.12 + 8 * u, y + h - 18 * u, w * 0.8, 34 * u),
                            fill(skia.Color(0, 0, 0, 95), MaskFilter=blur(9 * u)))
    dst = rect(x, y, w, h)
    draw_image(ctx, img, dst)
    return dst


SUPERSAMPLE = 1.5  # a figure drawn again is drawn this much larger than it shows, then scaled down: crisper paint


def _sharp(ctx: Ctx, img: Image.Image, px: float) -> Image.Image:
    """The figure's picture at least as tall as it is shown (`px` pixels): a 3D figure shown larger than its
    layer (a print box) is drawn again at that size, so its paint keeps its detail instead of being enlarged."""
    redraw = getattr(ctx.figure, "redraw", None)
    if redraw is None or px <= img.height * 1.15:
        return img
    again = figure_crop(replace(ctx.figure, image=redraw(round(ctx.figure.image.height * px / img.height * SUPERSAMPLE))))
    return again if again is not None else img


def place_accessory(ctx: Ctx, key: str, art: Image.Image | None, r: skia.Rect, u: float, tint) -> None:
    from ..accessories import render_accessory

    side = min(r.width(), r.height()) * 0.84
    px = int(side * ctx.px_per_unit)
    if px < 8:
        return
    img = art if art is not None else _moulded(ctx, key, px, tint)
    if img is None:
        img = render_accessory(key, min(px, 1200), tint=tint)
    scale = side / max(img.width, img.height)
    w, h = img.width * scale, img.height * scale
    x, y = r.centerX() - w / 2, r.centerY() - h / 2
    shadow = skia.Paint(ColorFilter=skia.ColorFilters.Blend(skia.Color(0, 0, 0, 70), skia.BlendMode.kSrcIn),
                        MaskFilter=blur(4 * u))
    draw_image(ctx, img, rect(x + 5 * u, y + 7 * u, w, h), shadow)
    draw_image(ctx, img, rect(x, y, w, h))


def _moulded(ctx: Ctx, key: str, px: int, tint) -> Image.Image | None:
    """A 3D figure's pieces are 3D too: the piece moulded and lit as the figure is (None: draw the flat art)."""
    if ctx.figure.mesh is None:
        return None
    from .scenes import render_piece

    return render_piece(key, max(64, min(px, 640)), tint=tint)


def match(ctx: Ctx, item: str):
    """Match a free-text accessory to the library, and note how it matched."""
    from ..accessories import match_accessory

    m = match_accessory(item)
    art = ctx.figure.accessories.get(item)  # the piece a generative engine drew, if any
    if not m.known and art is None:
        ctx.warn(f"no piece for {item!r}; showing a labelled prop")
    ctx.accessories.append({"text": item, "key": m.key, "label": m.label, "known": m.known, "score": round(m.score, 3),
                            "emoji": m.emoji, "engine_art": art is not None})
    return m, art


def well_rects(n: int, tray: skia.Rect, u: float, direction: str = "column") -> list[skia.Rect]:
    if not n:
        return []
    gap = 18 * u
    if direction == "column":
        size = min(tray.width(), (tray.height() - gap * (n - 1)) / n)
        total = n * size + (n - 1) * gap
        y = tray.top() + (tray.height() - total) / 2
        x = tray.left() + (tray.width() - size) / 2
        return [rect(x, y + i * (size + gap), size, size) for i in range(n)]
    size = min(tray.height(), (tray.width() - gap * (n - 1)) / n)
    total = n * size + (n - 1) * gap
    x = tray.left() + (tray.width() - total) / 2
    y = tray.top() + (tray.height() - size) / 2
    return [rect(x + i * (size + gap), y, size, size) for i in range(n)]


def wells(ctx: Ctx, tray: skia.Rect, u: float, direction: str = "column", *, moulded: bool = True,
          pill=None) -> None:
    """One moulded well per accessory; an unknown accessory gets a generic prop and its words on a pill."""
    pal = ctx.pal
    for item, r in zip(ctx.spec.accessories, well_rects(len(ctx.spec.accessories), tray, u, direction)):
        m, art = match(ctx, item)
        label_h = 0.0 if m.known else 30 * u
        inner = skia.Rect.MakeLTRB(r.left(), r.top(), r.right(), r.bottom() - label_h)
        shape = skia.Path()
        shape.addRRect(rrect(inner, min(inner.width(), inner.height()) * 0.22))
        draw = lambda inner=inner, art=art, m=m: place_accessory(ctx, m.key, art, inner, u, ctx.spec.piece_rgb)  # noqa: E731
        if moulded:
            cavity(ctx, shape, u, draw)
        else:
            draw()
        if not m.known:
            bg, fg = pill or (pal.accent, pal.accent_ink)
            pr = rect(r.left(), inner.bottom() + 5 * u, r.width(), label_h - 4 * u)
            ctx.canvas.drawRRect(rrect(pr, pr.height() / 2), fill(color(bg)))
            label(ctx, item.upper(), pr.makeInset(6 * u, 2 * u), 15 * u, fg, weight=800, min_size=7 * u)


def bubble(ctx: Ctx, main: skia.Rect, tray: skia.Rect | None, u: float, *, radius: float, direction: str = "column",
           chamfer: float = 0.0) -> None:
    """The blister: a flange sealed to the card, the figure's cavity and the accessory wells."""
    c = ctx.canvas
    outer = skia.Rect(main.left(), main.top(), main.right(), main.bottom())
    if tray is not None:
        outer.join(tray)
    flange = outer.makeOutset(14 * u, 14 * u)
    c.drawRRect(rrect(flange, radius + 14 * u), fill(color(WHITE, 0.07)))
    c.drawRRect(rrect(flange, radius + 14 * u), stroke(color(WHITE, 0.35), 2 * u))
    shape = skia.Path()
    if chamfer:
        k = chamfer
        pts = [(main.left() + k, main.top()), (main.right() - k, main.top()), (main.right(), main.top() + k),
               (main.right(), main.bottom() - k), (main.right() - k, main.bottom()), (main.left() + k, main.bottom()),
               (main.left(), main.bottom() - k), (main.left(), main.top() + k)]
        shape.addPoly([skia.Point(*p) for p in pts], True)
        rounded = skia.Path()
        skia.Paint(PathEffect=skia.CornerPathEffect.Make(radius)).getFillPath(shape, rounded)
        shape = rounded
    else:
        shape.addRRect(rrect(main, radius))
    cavity(ctx, shape, u, lambda: place_figure(ctx, main, u))
    if tray is not None and ctx.spec.accessories:
        wells(ctx, tray, u, direction)


# ---------------------------------------------------------------- the classic card


def classic(ctx: Ctx, card: skia.Rect) -> None:
    """The classic blister card: header with the name, a bubble and a column of wells, a fine-print foot."""
    tpl, pal, c = ctx.tpl, ctx.pal, ctx.canvas
    X, Y, W, H = card.left(), card.top(), card.width(), card.height()
    u = W / 1000
    hd, bt = tpl["header"], tpl["bubble"]
    head_bottom = Y + H * (hd["top"] + hd["height"]) + 10 * u
    bubble_top, bubble_bottom = Y + bt["top"] * H, Y + bt["bottom"] * H

    def board(cv: skia.Canvas) -> None:
        cv.drawRect(card.makeOutset(40 * u, 40 * u), pal.board(card))
        if not pal.flat:  # the header panel: a slightly deeper band that frames the name
            cv.drawRect(skia.Rect.MakeLTRB(X - 40 * u, Y - 40 * u, X + W + 40 * u, head_bottom),
                        linear((X, Y), (X, head_bottom), [color(pal.card_dark, 0.0), color(pal.card_dark, 0.55)]))
        rays(cv, X + W * 0.5, bubble_top + (bubble_bottom - bubble_top) * 0.42, W * 1.2, tpl["card"]["burst_rays"],
             radial((X + W * 0.5, bubble_top + (bubble_bottom - bubble_top) * 0.42), W * 0.75,
                    [color(WHITE, 0.22), color(WHITE, 0.0)]))
        if not pal.flat:  # printed board catches the key light: a soft sheen from the top left
            cv.drawRect(card.makeOutset(40 * u, 40 * u), radial((X, Y), W * 1.1, [color(WHITE, 0.18), color(WHITE, 0.0)]))

    soft(ctx, card.makeOutset(40 * u, 40 * u), board, keep=True)
    c.drawRect(rect(X - 40 * u, head_bottom - 5 * u, W + 80 * u, 5 * u), fill(color(pal.accent)))
    inset = tpl["card"]["border_inset"] * W
    c.drawRRect(rrect(card.makeInset(inset, inset), tpl["card"]["corner"] * W * 0.6), stroke(color(WHITE, 0.55), 3 * u))
    header(ctx, card, u)
    foot(ctx, card, u, Y + tpl["foot"]["top"] * H)
    side = bt["side"] * W
    n = len(ctx.spec.accessories)
    tray_w = bt["tray_width"] * W if n else 0.0
    gap = 22 * u if n else 0.0
    if n and _wide(ctx.figure):  # a group: the wells go in a row under a bubble as wide as the card
        row = min(tray_w * 0.72, (W - 2 * side - gap * (n - 1)) / n)
        main = skia.Rect.MakeLTRB(X + side, bubble_top, X + W - side, bubble_bottom - row - gap)
        tray = skia.Rect.MakeLTRB(X + side, main.bottom() + gap, X + W - side, bubble_bottom)
        bubble(ctx, main, tray, u, radius=bt["corner"] * W, direction="row")
        return
    main = skia.Rect.MakeLTRB(X + side, bubble_top, X + W - side - tray_w - gap, bubble_bottom)
    tray = skia.Rect.MakeLTRB(main.right() + gap, bubble_top, X + W - side, bubble_bottom) if n else None
    bubble(ctx, main, tray, u, radius=bt["corner"] * W)


WIDE = 0.75  # a figure (a group) wider than this for its height fills a column bubble only partly


def _wide(figure) -> bool:
    """Whether the figure's visible pixels are wider than WIDE times their height (a group side by side)."""
    bbox = figure.image.getchannel("A").getbbox()
    return bbox is not None and (bbox[2] - bbox[0]) > WIDE * (bbox[3] - bbox[1])


def header(ctx: Ctx, card: skia.Rect, u: float) -> None:
    tpl, pal, c = ctx.tpl, ctx.pal, ctx.canvas
    X, Y, W, H = card.left(), card.top(), card.width(), card.height()
    hd = tpl["header"]
    top, height = Y + hd["top"] * H, hd["height"] * H
    has_tag = bool(ctx.spec.tagline.strip())
    name_h = height * (0.7 if has_tag else 0.92)
    pad = 70 * u
    draw_name(ctx, rect(X + pad, top, W - 2 * pad, name_h), size=hd["name_size"] * W, rgb=pal.ink, outline=pal.stroke,
              spacing=2 * u, min_size=30 * u)
    if has_tag:
        ribbon_h = height * 0.25
        ry = top + name_h + height * 0.03
        from . import text

        style = text.Style(hd["tagline_size"] * W, color(pal.accent_ink), ctx.body, 800, 1.5 * u, line_height=1.15)
        tag = text.fit(ctx.spec.tagline.upper(), style, W * 0.7, ribbon_h * 0.8, max_lines=1, min_size=14 * u)
        if tag.truncated:
            ctx.cut("tagline", tag)
        tw = tag.natural_width + 60 * u
        rx = X + (W - tw) / 2
        ribbon(ctx, rect(rx, ry, tw, ribbon_h), u)
        tag.draw(c, rx + (tw - tag.width) / 2, ry + (ribbon_h - tag.height) / 2)
    # Brand mark and series line in the top corners, beside the hang tab.
    mark(ctx, rect(X + 52 * u, Y + 30 * u, 230 * u, 34 * u), pal.ink, align="left", plate=True)
    right = ctx.brand.kit.slogan.upper() if ctx.brand and ctx.brand.kit.slogan else "ACTION FIGURE"
    label(ctx, right, rect(X + W - 48 * u - 290 * u, Y + 34 * u, 290 * u, 26 * u), 17 * u, pal.ink, weight=800,
          align="right", spacing=2.5 * u, alpha=0.92, min_size=8 * u, slot="slogan")


def ribbon(ctx: Ctx, r: skia.Rect, u: float) -> None:
    """A banner with folded tails, behind the tagline."""
    c, pal = ctx.canvas, ctx.pal
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
        c.drawPath(p, fill(color(shade(pal.accent, -0.2))))
    c.drawRect(r.makeOffset(3 * u, 4 * u), fill(skia.Color(0, 0, 0, 60), MaskFilter=blur(3 * u)))
    if pal.flat:
        c.drawRect(r, fill(color(pal.accent)))
    else:
        c.drawRect(r, linear((0, r.top()), (0, r.bottom()), [color(shade(pal.accent, 0.08)), color(shade(pal.accent, -0.06))]))


def foot(ctx: Ctx, card: skia.Rect, u: float, top: float) -> None:
    """Fine-print band: age badge, warning, AI label, barcode."""
    c, pal, tpl = ctx.canvas, ctx.pal, ctx.tpl
    X, Y, W, H = card.left(), card.top(), card.width(), card.height()
    band = skia.Rect.MakeLTRB(X - 40 * u, top, X + W + 40 * u, Y + H + 40 * u)
    band_rgb = pal.text if pal.flat else shade(pal.card, -0.22, 0.95)  # a brand's dark ink, printed flat
    c.drawRect(band, fill(color(band_rgb)))
    c.drawRect(rect(X - 40 * u, top, W + 80 * u, 4 * u), fill(color(pal.accent)))
    foot_ink = ink_on(band_rgb)
    inner_bottom = Y + H - tpl["card"]["border_inset"] * W - 6 * u
    pad = 48 * u
    age_badge(ctx, rect(X + pad, top + 22 * u, 92 * u, 70 * u))
    tx = X + pad + 92 * u + 22 * u
    code_w = 210 * u
    fine_print(ctx, skia.Rect.MakeLTRB(tx, top + 20 * u, X + W - pad - code_w - 20 * u, min(inner_bottom, top + 100 * u)), foot_ink, u)
    draw_barcode(ctx, skia.Rect.MakeLTRB(X + W - pad - code_w, top + 16 * u, X + W - pad, min(inner_bottom, top + 100 * u)), u)

