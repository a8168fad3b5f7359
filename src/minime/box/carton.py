"""Cartons: the window box (at an angle, with its side panel) and the premium collector box.

A carton's faces are drawn flat, recorded as pictures, and mapped onto the package in the scene with
a perspective matrix, so the same face code gives the print kit's flat panels.
"""

from __future__ import annotations

from functools import partial

import skia

from . import text
from .blister import cavity, match, place_accessory, place_figure, speculars, well_rects
from .paint import (
    WHITE,
    Ctx,
    age_badge,
    blur,
    color,
    draw_barcode,
    draw_name,
    edition_number,
    fill,
    fine_print,
    fit_rect,
    hex_rgb,
    ink_on,
    label,
    legal_line,
    linear,
    mark,
    mix,
    radial,
    rays,
    rect,
    rrect,
    shade,
    shelf,
    soft,
    stroke,
    wall,
)

GOLD = [(176, 128, 44), (252, 226, 150), (255, 248, 222), (214, 166, 74), (150, 104, 34), (238, 204, 120)]
GOLD_POS = [0.0, 0.3, 0.42, 0.58, 0.8, 1.0]


def gold(r: skia.Rect) -> skia.Paint:
    """A brushed-foil gradient across `r`."""
    return linear((r.left(), r.top()), (r.right(), r.bottom()), [color(g) for g in GOLD], GOLD_POS)


# ---------------------------------------------------------------- placing faces in a scene


def _record(ctx: Ctx, w: float, h: float, draw, device: skia.Matrix) -> skia.Picture:
    """Record a flat face of w x h units; `device` maps it to output pixels (for slot regions)."""
    recorder = skia.PictureRecorder()
    canvas = recorder.beginRecording(skia.Rect.MakeWH(w, h))
    saved, saved_device = ctx.canvas, ctx.device
    ctx.canvas, ctx.device = canvas, device
    canvas.clipRect(skia.Rect.MakeWH(w, h), doAntiAlias=True)
    draw(ctx, skia.Rect.MakeWH(w, h))
    ctx.canvas, ctx.device = saved, saved_device
    return recorder.finishRecordingAsPicture()


def _place(ctx: Ctx, pic: skia.Picture, w: float, h: float, m: skia.Matrix) -> None:
    """Draw a recorded face through a perspective matrix. On screen the face is rasterised flat first:
    drawing every shape through perspective costs five times as much as one image."""
    c = ctx.canvas
    c.save()
    c.concat(m)
    if ctx.vector:
        c.drawPicture(pic)
    else:
        surface = skia.Surface(max(1, round(w)), max(1, round(h)))
        surface.getCanvas().clear(skia.ColorTRANSPARENT)
        surface.getCanvas().drawPicture(pic)
        c.drawImageRect(surface.makeImageSnapshot(), skia.Rect.MakeWH(round(w), round(h)),
                        skia.SamplingOptions(skia.FilterMode.kLinear), skia.Paint(AntiAlias=True))
    c.restore()


def _quad(w: float, h: float, dst: list[tuple[float, float]]) -> skia.Matrix:
    m = skia.Matrix()
    m.setPolyToPoly([skia.Point(0, 0), skia.Point(w, 0), skia.Point(w, h), skia.Point(0, h)], [skia.Point(*p) for p in dst])
    return m


def _poly(points: list[tuple[float, float]]) -> skia.Path:
    p = skia.Path()
    p.addPoly([skia.Point(*q) for q in points], True)
    return p


# ---------------------------------------------------------------- the window box


def window_scene(ctx: Ctx, width: int, height: int) -> None:
    """The carton standing on a shelf, turned a little so its right side panel shows."""
    tpl, pal, c = ctx.tpl, ctx.pal, ctx.canvas
    bx = tpl["box"]
    aspect, depth = bx["aspect"], bx["depth"]
    fore = 0.5  # the side panel's foreshortening
    front = fit_rect(width, height, aspect, 0.06 * min(width, height), extra_w=depth * fore, lift=0.15)
    x0, y0, fw, fh = front.left(), front.top(), front.width(), front.height()
    x1, x2 = x0 + fw, x0 + fw + depth * fw * fore
    t1, b1 = fh * 0.018, fh * 0.012   # the front's far edge is a little shorter
    t2, b2 = fh * 0.05, fh * 0.032    # the side's far edge shorter still
    fq = [(x0, y0), (x1, y0 + t1), (x1, y0 + fh - b1), (x0, y0 + fh)]
    sq = [(x1, y0 + t1), (x2, y0 + t2), (x2, y0 + fh - b2), (x1, y0 + fh - b1)]
    floor_y = y0 + fh * 0.93
    u = fw / 1000
    if ctx.scene:
        def backdrop(cv: skia.Canvas) -> None:
            saved, ctx.canvas = ctx.canvas, cv
            wall(ctx, width, height, pal.card)
            shelf(ctx, width, height, floor_y, pal.card)
            ctx.canvas = saved
            # Shadows: a soft one on the wall behind, a dark contact line on the shelf.
            cv.drawPath(_poly([(x0 + 30 * u, y0 + 30 * u), (x2 + 60 * u, y0 + t2 + 40 * u), (x2 + 90 * u, y0 + fh - b2),
                               (x0 + 40 * u, y0 + fh)]), fill(skia.Color(0, 0, 0, 60), MaskFilter=blur(30 * u)))
            cv.drawPath(_poly([(x0 - 10 * u, y0 + fh - 6 * u), (x2 + 40 * u, y0 + fh - b2 - 4 * u), (x2 + 80 * u, y0 + fh - b2 + 26 * u),
                               (x0 + 10 * u, y0 + fh + 30 * u)]), fill(skia.Color(0, 0, 0, 90), MaskFilter=blur(12 * u)))

        soft(ctx, skia.Rect.MakeWH(width, height), backdrop)
    depth_w = depth * fw
    mf, ms = _quad(fw, fh, fq), _quad(depth_w, fh, sq)
    side_pic = _record(ctx, depth_w, fh, window_side, ms)
    front_pic = _record(ctx, fw, fh, window_face, mf)
    _place(ctx, side_pic, depth_w, fh, ms)
    # The side faces away from the key light.
    c.drawPath(_poly(sq), linear((x1, 0), (x2, 0), [skia.Color(0, 0, 0, 70), skia.Color(0, 0, 0, 120)]))
    _place(ctx, front_pic, fw, fh, mf)
    # The fold between front and side catches the light.
    c.drawLine(x1, y0 + t1, x1, y0 + fh - b1, stroke(color(WHITE, 0.45), max(1.0, 2.5 * u)))


def window_face(ctx: Ctx, r: skia.Rect) -> None:
    """The front panel: header with the name, a die-cut window onto the figure, a fine-print band."""
    tpl, pal, c = ctx.tpl, ctx.pal, ctx.canvas
    X, Y, W, H = r.left(), r.top(), r.width(), r.height()
    u = W / 1000
    hd, wn = tpl["header"], tpl["window"]

    def board(cv: skia.Canvas) -> None:
        cv.drawRect(r.makeOutset(40 * u, 40 * u), pal.board(r))
        if not pal.flat:
            cv.drawRect(r.makeOutset(40 * u, 40 * u), radial((X, Y), W * 1.2, [color(WHITE, 0.16), color(WHITE, 0.0)]))

    soft(ctx, r.makeOutset(40 * u, 40 * u), board)
    # A printed surround frames the die-cut: a bold accent band with a white keyline.
    win = skia.Rect.MakeLTRB(X + wn["side"] * W, Y + wn["top"] * H, X + W - wn["side"] * W, Y + wn["bottom"] * H)
    shape = _window(win, wn["arch"] * W, 30 * u)
    surround = skia.Path()
    skia.Paint(Style=skia.Paint.kStroke_Style, StrokeWidth=44 * u, StrokeJoin=skia.Paint.kRound_Join).getFillPath(shape, surround)
    c.save()
    c.translate(6 * u, 9 * u)
    c.drawPath(surround, fill(skia.Color(0, 0, 0, 50)))
    c.restore()
    c.drawPath(surround, fill(color(pal.accent)))
    c.drawPath(_window(win.makeOutset(16 * u, 16 * u), wn["arch"] * W + 16 * u, 46 * u), stroke(color(WHITE, 0.9), 3 * u))

    mark(ctx, rect(X + 40 * u, Y + 28 * u, 220 * u, 30 * u), pal.ink, align="left", plate=True)
    right = ctx.brand.kit.slogan.upper() if ctx.brand and ctx.brand.kit.slogan else "ACTION FIGURE"
    label(ctx, right, rect(X + W - 40 * u - 320 * u, Y + 28 * u, 320 * u, 30 * u), 19 * u, pal.ink, weight=800,
          align="right", spacing=2.5 * u, min_size=8 * u, slot="slogan")
    name_r = rect(X + 50 * u, Y + hd["top"] * H, W - 100 * u, hd["height"] * H)
    draw_name(ctx, name_r, size=hd["name_size"] * W, rgb=pal.ink, outline=pal.stroke, spacing=2 * u, min_size=30 * u)
    if ctx.spec.tagline.strip():
        _pill(ctx, rect(X + 100 * u, name_r.bottom() + 6 * u, W - 200 * u, 50 * u), ctx.spec.tagline.upper(), u)

    # The die-cut window.
    c.save()
    c.clipPath(shape, doAntiAlias=True)
    _interior(ctx, win, u)
    _cut_edge_shadow(c, shape, win, (10 * u, 16 * u), 120, 12 * u)
    c.drawPaint(fill(color(WHITE, 0.05)))
    speculars(ctx, win, u)
    c.restore()
    c.drawPath(shape, stroke(color(shade(pal.card, -0.3)), 5 * u))
    c.drawPath(shape, stroke(color(WHITE, 0.75), 2.5 * u))

    # Foot band.
    ft = Y + tpl["foot"]["top"] * H
    c.drawRect(skia.Rect.MakeLTRB(X - 40 * u, ft, X + W + 40 * u, Y + H + 40 * u),
               fill(color(pal.card if pal.flat else shade(pal.card, -0.2, 0.95))))
    c.drawRect(rect(X - 40 * u, ft, W + 80 * u, 5 * u), fill(color(pal.accent)))
    age_badge(ctx, rect(X + 44 * u, ft + 24 * u, 92 * u, 70 * u))
    fine_print(ctx, skia.Rect.MakeLTRB(X + 160 * u, ft + 24 * u, X + W - 44 * u, Y + H - 16 * u),
               pal.ink if pal.flat else WHITE, u)


def _window(win: skia.Rect, big: float, small: float) -> skia.Path:
    """The die-cut: an arched top, small radii at the bottom."""
    rr = skia.RRect()
    rr.setRectRadii(win, [skia.Point(big, big), skia.Point(big, big), skia.Point(small, small), skia.Point(small, small)])
    shape = skia.Path()
    shape.addRRect(rr)
    return shape


def _pill(ctx: Ctx, r: skia.Rect, value: str, u: float) -> None:
    pal = ctx.pal
    style = text.Style(r.height() * 0.56, color(pal.accent_ink), ctx.body, 800, 1.5 * u, line_height=1.15)
    tag = text.fit(value, style, r.width() - 50 * u, r.height() * 0.8, max_lines=1, min_size=12 * u)
    if tag.truncated:
        ctx.cut("tagline", tag)
    tw = tag.natural_width + 50 * u
    pr = rect(r.centerX() - tw / 2, r.top(), tw, r.height())
    ctx.canvas.drawRRect(rrect(pr.makeOffset(3 * u, 4 * u), r.height() / 2), fill(skia.Color(0, 0, 0, 60)))
    ctx.canvas.drawRRect(rrect(pr, r.height() / 2), fill(color(pal.accent)))
    tag.draw(ctx.canvas, pr.left() + (tw - tag.width) / 2, pr.top() + (pr.height() - tag.height) / 2)


def _interior(ctx: Ctx, win: skia.Rect, u: float) -> None:
    """Inside the carton: a printed backdrop insert, the floor, the figure, and a tray for the accessories."""
    pal, c = ctx.pal, ctx.canvas
    floor_top = win.bottom() - win.height() * 0.16
    glow = mix(pal.card, WHITE, 0.45)

    def insert(cv: skia.Canvas) -> None:
        cv.drawRect(win, radial((win.centerX(), win.top() + win.height() * 0.42), win.height() * 0.7,
                                [color(glow), color(pal.card), color(shade(pal.card, -0.25))], [0, 0.55, 1]))
        rays(cv, win.centerX(), win.top() + win.height() * 0.42, win.height(), 20, fill(color(WHITE, 0.1)))
        cv.drawRect(skia.Rect.MakeLTRB(win.left(), floor_top, win.right(), win.bottom()),
                    linear((0, floor_top), (0, win.bottom()), [color(shade(pal.card, -0.32)), color(shade(pal.card, -0.15))]))

    soft(ctx, win, insert)
    c.drawRect(skia.Rect.MakeLTRB(win.left(), floor_top - 2 * u, win.right(), floor_top + 2 * u), fill(color(WHITE, 0.25)))
    n = len(ctx.spec.accessories)
    tray_w = win.width() * 0.24 if n else 0.0
    stage = skia.Rect.MakeLTRB(win.left() + 20 * u, win.top() + 24 * u, win.right() - tray_w - 10 * u,
                               floor_top + (win.bottom() - floor_top) * 0.55)
    place_figure(ctx, stage, u, pad=10)
    if n:
        tray = skia.Rect.MakeLTRB(win.right() - tray_w - 10 * u, win.top() + 110 * u, win.right() - 40 * u, floor_top - 10 * u)
        insert_r = tray.makeOutset(14 * u, 14 * u)
        c.drawRRect(rrect(insert_r.makeOffset(8 * u, 12 * u), 24 * u), fill(skia.Color(0, 0, 0, 70), MaskFilter=blur(10 * u)))
        c.drawRRect(rrect(insert_r, 24 * u), fill(color(WHITE, 0.16)))
        c.drawRRect(rrect(insert_r, 24 * u), stroke(color(WHITE, 0.5), 2 * u))
        from .blister import wells

        wells(ctx, tray, u, "column")


def window_side(ctx: Ctx, r: skia.Rect) -> None:
    """The carton's side: the name running up the panel, the logo, the barcode."""
    pal, c = ctx.pal, ctx.canvas
    X, Y, W, H = r.left(), r.top(), r.width(), r.height()
    u = W / 300  # side panels are narrow: a unit is a 300th of their width
    soft(ctx, r.makeOutset(20 * u, 20 * u), lambda cv: cv.drawRect(r.makeOutset(20 * u, 20 * u), pal.board(r)))
    c.drawRect(rect(X, Y + H * 0.86, W, H * 0.14), fill(color(pal.card if pal.flat else shade(pal.card, -0.2, 0.95))))
    c.drawRect(rect(X, Y + H * 0.86, W, 4 * u), fill(color(pal.accent)))
    mark(ctx, rect(X + 30 * u, Y + 30 * u, W - 60 * u, 40 * u), pal.ink, align="center", plate=True)
    _vertical_name(ctx, skia.Rect.MakeLTRB(X + 40 * u, Y + H * 0.1, X + W - 40 * u, Y + H * 0.62), u, "stroke")
    code = rect(X + 40 * u, Y + H * 0.65, W - 80 * u, (W - 80 * u) * 0.6)
    draw_barcode(ctx, code, u * 0.6)
    label(ctx, legal_line(ctx), skia.Rect.MakeLTRB(X + 24 * u, Y + H * 0.87, X + W - 24 * u, Y + H - 12 * u), 16 * u,
          pal.ink if pal.flat else WHITE, weight=700, max_lines=3, min_size=5 * u, line_height=1.1)


def side_panel(ctx: Ctx, r: skia.Rect) -> None:
    """A generic side panel for any template's print-kit box."""
    window_side(ctx, r)


def _vertical_name(ctx: Ctx, r: skia.Rect, u: float, effect: str) -> None:
    """The name reading bottom to top along a narrow panel."""
    c = ctx.canvas
    c.save()
    c.translate(r.left(), r.bottom())
    c.rotate(-90)
    turned = skia.Rect.MakeWH(r.height(), r.width())
    saved = ctx.device
    draw_name(ctx, turned, size=r.width() * 0.8, effect=effect, rgb=ctx.pal.ink if effect != "foil" else WHITE,
              outline=ctx.pal.stroke, max_lines=1, min_size=8 * u, slot=None,
              families=tuple(text.SERIF) if effect == "foil" and not ctx.brand else None,
              spacing=(6 * u if effect == "foil" else 2 * u))
    ctx.device = saved
    c.restore()


# ---------------------------------------------------------------- the collector box


def collector_scene(ctx: Ctx, width: int, height: int) -> None:
    """The collector box, front on, on a dark glossy shelf under a spotlight; its lid shows on top."""
    tpl, pal, c = ctx.tpl, ctx.pal, ctx.canvas
    bx = tpl["box"]
    front = fit_rect(width, height * 0.9, bx["aspect"], 0.08 * min(width, height), lift=-0.6)
    x0, y0, fw, fh = front.left(), front.top(), front.width(), front.height()
    u = fw / 1000
    lid = fh * bx.get("lid", 0.03)
    floor_y = y0 + fh - fh * 0.03
    pic = _record(ctx, fw, fh, collector_face, _quad(fw, fh, [(x0, y0), (x0 + fw, y0), (x0 + fw, y0 + fh), (x0, y0 + fh)]))
    if ctx.scene:
        def backdrop(cv: skia.Canvas) -> None:
            saved, ctx.canvas = ctx.canvas, cv
            wall(ctx, width, height, pal.card, dark=True)
            shelf(ctx, width, height, floor_y, pal.card, dark=True)
            ctx.canvas = saved
            cv.drawCircle(front.centerX(), y0 - fh * 0.05, fh * 0.75, radial(
                (front.centerX(), y0 - fh * 0.05), fh * 0.75, [color(mix(pal.card, WHITE, 0.5), 0.22), color(WHITE, 0.0)]))
            # The box mirrored in the glossy shelf, fading out.
            cv.save()
            cv.translate(x0, y0 + fh * 2)
            cv.scale(1, -1)
            cv.drawPicture(pic)
            cv.restore()
            cv.drawRect(skia.Rect.MakeLTRB(0, y0 + fh, width, height), linear(
                (0, y0 + fh), (0, y0 + fh + fh * 0.35), [skia.Color(14, 14, 18, 225), skia.Color(14, 14, 18, 255)]))
            cv.drawRect(skia.Rect.MakeLTRB(x0 - 10 * u, y0 + fh - 4 * u, x0 + fw + 10 * u, y0 + fh + 24 * u),
                        fill(skia.Color(0, 0, 0, 160), MaskFilter=blur(10 * u)))

        soft(ctx, skia.Rect.MakeWH(width, height), backdrop)
    # The lid's top face, seen from a little above.
    top = _poly([(x0, y0), (x0 + fw, y0), (x0 + fw - lid * 0.9, y0 - lid), (x0 + lid * 0.9, y0 - lid)])
    c.drawPath(top, linear((0, y0 - lid), (0, y0), [color((58, 56, 62)), color((34, 33, 38))]))
    c.save()
    c.translate(x0, y0)
    c.drawPicture(pic)
    c.restore()
    c.drawLine(x0, y0, x0 + fw, y0, stroke(color(WHITE, 0.35), max(1.0, 2 * u)))


def collector_face(ctx: Ctx, r: skia.Rect) -> None:
    """Matte black board, gold foil frame and name, an arched window onto a lit plinth, a numbered edition."""
    tpl, pal, c = ctx.tpl, ctx.pal, ctx.canvas
    X, Y, W, H = r.left(), r.top(), r.width(), r.height()
    u = W / 1000
    board_rgb = hex_rgb((tpl.get("colors") or {}).get("board", "#141317"))
    hd, wn = tpl["header"], tpl["window"]

    def board(cv: skia.Canvas) -> None:
        cv.drawRect(r.makeOutset(40 * u, 40 * u), linear((X, Y), (X, Y + H), [color(shade(board_rgb, 0.06)), color(board_rgb)]))
        cv.drawRect(r.makeOutset(40 * u, 40 * u), radial((X + W * 0.3, Y + H * 0.15), W * 1.1, [color(WHITE, 0.07), color(WHITE, 0.0)]))

    soft(ctx, r.makeOutset(40 * u, 40 * u), board)
    # Fine embossed pinstripes: matte board with a little texture.
    lines = skia.Path()
    step = 14 * u
    x = X - H
    while x < X + W:
        lines.moveTo(x, Y + H)
        lines.lineTo(x + H, Y)
        x += step
    c.drawPath(lines, stroke(color(WHITE, 0.025), max(0.5, 1.2 * u)))

    frame = r.makeInset(28 * u, 28 * u)
    c.drawRect(frame, _gold_stroke(frame, 3 * u))
    c.drawRect(frame.makeInset(10 * u, 10 * u), _gold_stroke(frame, 1.2 * u))

    if ctx.brand is not None:  # the brand's mark heads the box, on a small plate
        placed = mark(ctx, rect(X + W / 2 - 160 * u, Y + 52 * u, 320 * u, 40 * u), WHITE, align="center", plate=True)
        lw = (W - placed.width()) / 2 - 120 * u
    else:
        f = label(ctx, "COLLECTOR SERIES", rect(X + 200 * u, Y + 58 * u, W - 400 * u, 30 * u), 22 * u, (214, 176, 100),
                  weight=600, spacing=8 * u, min_size=8 * u)
        lw = (W - f.natural_width) / 2 - 110 * u
    for lx in (X + 70 * u, X + W - 70 * u - lw):
        c.drawRect(rect(lx, Y + 72 * u, lw, 2 * u), gold(r))
    name_r = rect(X + 80 * u, Y + hd["top"] * H, W - 160 * u, hd["height"] * H)
    draw_name(ctx, name_r, size=hd["name_size"] * W, effect="foil", families=ctx.display if ctx.brand else tuple(text.SERIF),
              weight=700, spacing=4 * u, min_size=24 * u)
    if ctx.spec.tagline.strip():
        label(ctx, ctx.spec.tagline.upper(), rect(X + 90 * u, name_r.bottom() + 4 * u, W - 180 * u, 34 * u), 24 * u,
              (200, 196, 206), weight=600, spacing=5 * u, min_size=9 * u, slot="tagline")

    # The arched window onto the lit display.
    win = skia.Rect.MakeLTRB(X + wn["side"] * W, Y + wn["top"] * H, X + W - wn["side"] * W, Y + wn["bottom"] * H)
    shape = skia.Path()
    rr = skia.RRect()
    arch = win.width() / 2
    rr.setRectRadii(win, [skia.Point(arch, arch * 0.9), skia.Point(arch, arch * 0.9), skia.Point(8 * u, 8 * u), skia.Point(8 * u, 8 * u)])
    shape.addRRect(rr)
    c.save()
    c.clipPath(shape, doAntiAlias=True)
    _display(ctx, win, u)
    _cut_edge_shadow(c, shape, win, (8 * u, 12 * u), 180, 14 * u)
    speculars(ctx, win, u)
    c.restore()
    c.drawPath(shape, _gold_stroke(win, 4 * u))
    halo, k = skia.RRect(), 16 * u
    halo.setRectRadii(win.makeOutset(k, k), [skia.Point(arch + k, arch * 0.9 + k), skia.Point(arch + k, arch * 0.9 + k),
                                            skia.Point(8 * u + k, 8 * u + k), skia.Point(8 * u + k, 8 * u + k)])
    c.drawRRect(halo, stroke(color((214, 176, 100), 0.6), 1.2 * u))

    # Accessory niches: small round windows in a row under the main one.
    n = len(ctx.spec.accessories)
    if n:
        tray = skia.Rect.MakeLTRB(X + 90 * u, win.bottom() + 24 * u, X + W - 90 * u, Y + tpl["foot"]["top"] * H - 18 * u)
        for item, cell in zip(ctx.spec.accessories, well_rects(n, tray, u, "row")):
            m, art = match(ctx, item)
            hole = skia.Path()
            hole.addOval(cell)
            c.drawOval(cell, radial((cell.centerX(), cell.centerY() - cell.height() * 0.2), cell.width() * 0.7,
                                    [color(mix(pal.card, WHITE, 0.25)), color(shade(pal.card, -0.35))]))
            inset = cell.makeInset(cell.width() * 0.08, cell.height() * 0.08)
            cavity(ctx, hole, u * 0.6, partial(place_accessory, ctx, m.key, art, inset, u, ctx.spec.piece_rgb), shadow=False)
            c.drawOval(cell, _gold_stroke(cell, 2.5 * u))

    # The edition band, in the box's own colour, with the number stamped in foil.
    ft = Y + tpl["foot"]["top"] * H
    band = skia.Rect.MakeLTRB(X + 28 * u, ft, X + W - 28 * u, Y + H - 28 * u)
    c.drawRect(band, fill(color(pal.card)) if pal.flat else linear(
        (0, band.top()), (0, band.bottom()), [color(shade(pal.card, -0.05)), color(shade(pal.card, -0.22))]))
    if pal.flat:  # a brand's second colour as a keyline over its band
        c.drawRect(rect(band.left(), band.top(), band.width(), 8 * u), fill(color(pal.accent)))
    else:
        c.drawRect(rect(band.left(), band.top(), band.width(), 2.5 * u), gold(r))
    run = int(tpl.get("edition", {}).get("run", 5000))
    number = f"No. {edition_number(ctx, run):0{len(str(run))}d} / {run}"
    band_rgb = pal.card if pal.flat else shade(pal.card, -0.13)
    band_ink = ink_on(band_rgb, (20, 19, 23))
    # The number is foil-stamped on a black plaque, so it reads on any band colour.
    plaque = rect(band.centerX() - 190 * u, band.top() + 16 * u, 380 * u, 88 * u)
    c.drawRRect(rrect(plaque, 8 * u), fill(color(board_rgb)))
    c.drawRRect(rrect(plaque.makeInset(4 * u, 4 * u), 6 * u), _gold_stroke(plaque, 1.5 * u))
    label(ctx, "LIMITED EDITION", rect(plaque.left(), plaque.top() + 10 * u, plaque.width(), 22 * u), 16 * u,
          (214, 176, 100), weight=700, spacing=6 * u, min_size=8 * u)
    _foil_text(ctx, number, rect(plaque.left() + 20 * u, plaque.top() + 32 * u, plaque.width() - 40 * u, 50 * u), 40 * u)
    age_badge(ctx, rect(band.left() + 22 * u, band.top() + 18 * u, 84 * u, 64 * u), bg=board_rgb, fg=(214, 176, 100))
    code = rect(band.right() - 22 * u - 170 * u, band.top() + 14 * u, 170 * u, band.height() - 52 * u)
    draw_barcode(ctx, code, u)
    label(ctx, legal_line(ctx), skia.Rect.MakeLTRB(band.left() + 20 * u, band.bottom() - 34 * u, band.right() - 20 * u,
                                                   band.bottom() - 6 * u),
          15 * u, band_ink, weight=700, spacing=1 * u, min_size=6 * u, alpha=0.9)


def _display(ctx: Ctx, win: skia.Rect, u: float) -> None:
    """Inside the collector box: a backlit wall in the box colour, a spotlight, a black plinth, the figure."""
    pal, c = ctx.pal, ctx.canvas
    plinth_top = win.bottom() - win.height() * 0.09

    def light(cv: skia.Canvas) -> None:
        cv.drawRect(win, linear((0, win.top()), (0, win.bottom()), [color((10, 10, 12)), color(shade(pal.card, -0.38, 0.8))]))
        cv.drawRect(win, radial((win.centerX(), win.top() + win.height() * 0.5), win.width() * 0.75,
                                [color(pal.card, 0.85), color(pal.card, 0.0)]))
        beam = _poly([(win.centerX() - win.width() * 0.12, win.top()), (win.centerX() + win.width() * 0.12, win.top()),
                      (win.centerX() + win.width() * 0.42, plinth_top), (win.centerX() - win.width() * 0.42, plinth_top)])
        cv.drawPath(beam, linear((0, win.top()), (0, plinth_top), [color(WHITE, 0.2), color(WHITE, 0.04)]))

    soft(ctx, win, light)
    pw = win.width() * 0.7
    ptop = skia.Rect.MakeXYWH(win.centerX() - pw / 2, plinth_top - 22 * u, pw, 44 * u)
    c.drawRect(skia.Rect.MakeLTRB(ptop.left(), ptop.centerY(), ptop.right(), win.bottom() + 10 * u),
               linear((ptop.left(), 0), (ptop.right(), 0), [color((40, 40, 46)), color((16, 16, 20)), color((6, 6, 8))]))
    c.drawOval(ptop, linear((ptop.left(), 0), (ptop.right(), 0), [color((70, 70, 78)), color((30, 30, 36))]))
    c.drawOval(ptop, _gold_stroke(ptop, 2 * u))
    # The figure stands tall in the window: its head rises into the arch, whose middle is as high as the window.
    stage = skia.Rect.MakeLTRB(win.left() + 40 * u, win.top() + win.height() * 0.03, win.right() - 40 * u, ptop.centerY() + 12 * u)
    place_figure(ctx, stage, u, pad=4)


def _gold_stroke(r: skia.Rect, width: float) -> skia.Paint:
    p = gold(r)
    p.setStyle(skia.Paint.kStroke_Style)
    p.setStrokeWidth(width)
    return p


def _foil_text(ctx: Ctx, value: str, r: skia.Rect, size: float) -> None:
    style = text.Style(size, color(WHITE), tuple(text.SERIF), 700, size * 0.05)
    f = text.fit(value, style, r.width(), r.height(), max_lines=1, min_size=size * 0.4)
    y = r.top() + (r.height() - f.height) / 2
    f.draw(ctx.canvas, r.left(), y, gold(skia.Rect.MakeLTRB(r.left(), y, r.right(), y + f.height)))


def collector_side(ctx: Ctx, r: skia.Rect) -> None:
    """The collector box's side: black, the name in foil running up, the edition number."""
    c = ctx.canvas
    X, Y, W, H = r.left(), r.top(), r.width(), r.height()
    u = W / 300
    board_rgb = hex_rgb((ctx.tpl.get("colors") or {}).get("board", "#141317"))
    c.drawPaint(fill(color(board_rgb)))
    inner = r.makeInset(14 * u, 14 * u)
    c.drawRect(inner, _gold_stroke(r, 2 * u))
    _vertical_name(ctx, skia.Rect.MakeLTRB(X + 50 * u, Y + H * 0.12, X + W - 50 * u, Y + H * 0.7), u, "foil")
    c.drawRect(rect(X + 30 * u, Y + H * 0.75, W - 60 * u, H * 0.2), fill(color(ctx.pal.card)))
    mark(ctx, rect(X + 40 * u, Y + H * 0.77, W - 80 * u, 40 * u), WHITE, align="center", plate=True)
    draw_barcode(ctx, rect(X + 50 * u, Y + H * 0.83, W - 100 * u, H * 0.1), u * 0.6)


def _cut_edge_shadow(c: skia.Canvas, shape: skia.Path, win: skia.Rect, offset: tuple[float, float],
                     alpha: int, radius: float) -> None:
    """The board is thick: a window's cut edge throws a shadow into the box, away from the key light.
    Call with the canvas clipped to the window."""
    rim = skia.Path()
    rim.addRect(win.makeOutset(win.width(), win.height()))
    rim = skia.Op(rim, shape, skia.PathOp.kDifference_PathOp)
    c.save()
    c.translate(*offset)
    c.drawPath(rim, fill(skia.Color(0, 0, 0, alpha), MaskFilter=blur(radius)))
    c.restore()
