"""Pets, home, style and pastimes."""

from __future__ import annotations

from functools import partial

import skia

from ._plastic import (
    BLACK,
    BROWN,
    CREAM,
    GOLD,
    RED,
    SILVER,
    WHITE,
    Color,
    Plastic,
    capsule,
    circle,
    darker,
    lighter,
    minus,
    mirror_x,
    move,
    oval,
    poly,
    rect,
    rotate,
    rounded,
    streak,
    stroke,
    svg,
    union,
)


def _eye(p: Plastic, x: float, y: float, rx: float, ry: float, iris: Color | None = None) -> None:
    if iris:
        p.part(oval(x, y, rx, ry), iris, hl=None, lw=0.9)
        p.decal(oval(x, y, rx * 0.35, ry * 0.85), BLACK)
    else:
        p.part(oval(x, y, rx, ry), BLACK, hl=None, lw=0.8)
    p.decal(circle(x - rx * 0.3, y - ry * 0.35, max(rx, ry) * 0.32), WHITE)
    p.decal(circle(x + rx * 0.35, y + ry * 0.3, max(rx, ry) * 0.14), WHITE, 0.8)


def dog(p: Plastic, accent: Color) -> None:
    fur, light, ear = (214, 150, 80), (250, 232, 200), (130, 74, 36)
    p.part(stroke(svg("M70 84 Q88 80 86 62"), 7), fur, hl=None)
    body = svg("M50 50 C66 50 76 64 76 80 C76 92 66 95 50 95 C34 95 24 92 24 80 C24 64 34 50 50 50 Z")
    p.part(body, fur, details=lambda: p.decal(oval(50, 72, 11, 15), light))

    def toes(x: float) -> None:
        for d in (-2.2, 2.2):
            p.line([(x + d, 88), (x + d, 91)], darker(light, 0.4), 0.8)

    for x in (41, 59):
        p.part(rect(x - 6, 74, 12, 21, 6), fur, hl=None)
        p.part(oval(x, 91, 7, 4.5), light, hl=None, lw=1.0, details=partial(toes, x))
    p.part(rect(33, 50, 34, 6, 3), accent, hl=None)
    p.part(circle(50, 59, 4), GOLD, hl=[circle(48.8, 57.8, 1.1)], lw=0.9)
    head = svg("M50 10 C68 10 78 20 78 34 C78 48 68 56 50 56 C32 56 22 48 22 34 C22 20 32 10 50 10 Z")

    p.part(head, fur)
    for side in (1, -1):
        e = svg("M30 14 Q16 12 12 30 Q10 46 18 50 Q26 48 30 36 Q33 24 30 14 Z")
        p.part(e if side > 0 else mirror_x(e), ear, hl=["auto"])
    p.part(oval(50, 44, 14, 10), light, hl=None, depth=0.6)
    p.part(svg("M43 37 Q50 34 57 37 Q56 43 50 44 Q44 43 43 37 Z"), BLACK, hl=[oval(47.5, 37.6, 2.4, 1.1)])
    p.curve(svg("M50 44 L50 47 M44 47 Q47 50 50 47 Q53 50 56 47"), darker(light, 0.6), 1.1)
    p.part(svg("M47 49 L53 49 Q53 55 50 55 Q47 55 47 49 Z"), (240, 100, 120), hl=None, lw=0.8)
    _eye(p, 40, 29, 3.6, 4.4)
    _eye(p, 60, 29, 3.6, 4.4)


def cat(p: Plastic, accent: Color) -> None:
    fur, light = (250, 150, 50), (255, 236, 210)
    stripe = darker(fur, 0.25)

    def tail_stripes() -> None:
        for i in range(2):
            p.decal(rect(82 + i * 3, 60 + i * 8, 8, 2.5, 1), stripe)

    p.part(stroke(svg("M66 88 Q90 90 88 70 Q86 58 94 54"), 6.5), fur, hl=None, details=tail_stripes)
    body = svg("M50 50 C64 50 72 64 72 80 C72 92 64 95 50 95 C36 95 28 92 28 80 C28 64 36 50 50 50 Z")
    p.part(body, fur, details=lambda: p.decal(oval(50, 74, 10, 14), light))
    for x in (42, 58):
        p.part(rect(x - 5, 76, 10, 19, 5), fur, hl=None)
        p.part(oval(x, 92, 6, 3.8), light, hl=None, lw=1.0)
    p.part(rect(36, 52, 28, 5, 2.5), accent, hl=None)
    p.part(circle(50, 59.5, 3.6), GOLD, hl=[circle(49, 58.4, 1)], lw=0.9)
    for side in (1, -1):
        ear = svg("M24 30 L22 6 L42 18 Z")
        inner = svg("M27 25 L26 12 L37 19 Z")
        p.part(ear if side > 0 else mirror_x(ear), fur, hl=None)
        p.part(inner if side > 0 else mirror_x(inner), (250, 150, 170), hl=None, outline=False)
    head = svg("M50 14 C70 14 82 22 82 36 C82 48 70 56 50 56 C30 56 18 48 18 36 C18 22 30 14 50 14 Z")

    def face() -> None:
        for dx in (-5, 0, 5):
            p.decal(rect(49 + dx, 14, 2.2, 8, 1.1), stripe)
        for side in (1, -1):
            for y in (30, 36):
                p.decal(mirror_x(rect(18, y, 7, 2.2, 1.1)) if side < 0 else rect(18, y, 7, 2.2, 1.1), stripe)

    p.part(head, fur, details=face)
    p.part(oval(50, 44, 11, 7.5), light, hl=None, depth=0.5, outline=False)
    _eye(p, 39, 33, 5, 5.5, (120, 200, 60))
    _eye(p, 61, 33, 5, 5.5, (120, 200, 60))
    p.part(svg("M46.5 40 L53.5 40 L50 44 Z"), (240, 110, 140), hl=None, lw=0.8)
    p.curve(svg("M50 44 L50 46 M45 47 Q47.5 49 50 46 Q52.5 49 55 47"), darker(light, 0.6), 1.0)
    for side in (1, -1):
        for dy in (-1.5, 2.5):
            a, b = (40, 45 + dy * 0.5), (24, 43 + dy * 2)
            if side < 0:
                a, b = (100 - a[0], a[1]), (100 - b[0], b[1])
            p.line([a, b], darker(light, 0.55), 0.8)


def paw(p: Plastic, accent: Color) -> None:
    pad = svg("M50 46 C62 46 76 60 78 72 C80 84 70 90 62 88 C56 86 54 84 50 84 C46 84 44 86 38 88 "
              "C30 90 20 84 22 72 C24 60 38 46 50 46 Z")
    p.part(pad, accent, hl=["auto", oval(38, 58, 5, 2.5)])
    for x, y, a in ((20, 40, -20), (37, 22, -8), (63, 22, 8), (80, 40, 20)):
        toe = rotate(oval(x, y, 9.5, 12), a, x, y)
        p.part(toe, accent, hl=["auto"])


def plant(p: Plastic, accent: Color) -> None:
    leaves = [(-62, 34, 14), (62, 34, 14), (-30, 42, 16), (30, 42, 16), (0, 46, 15)]
    greens = [(40, 150, 64), (40, 150, 64), (60, 176, 72), (60, 176, 72), (84, 196, 84)]
    for (a, length, wd), g in zip(leaves, greens):
        x, y = 50, 56
        leaf = svg(f"M{x} {y} C{x - wd} {y - length * 0.3} {x - wd * 0.8} {y - length * 0.85} {x} {y - length} "
                   f"C{x + wd * 0.8} {y - length * 0.85} {x + wd} {y - length * 0.3} {x} {y} Z")
        leaf = rotate(leaf, a, x, y)
        vein = rotate(svg(f"M{x} {y - 4} L{x} {y - length + 6}"), a, x, y)
        p.part(leaf, g, details=partial(p.curve, vein, darker(g, 0.35), 1.2))
    p.part(rect(16, 54, 68, 12, 4), accent)
    p.part(svg("M22 64 L78 64 L72 94 Q71 96 68 96 L32 96 Q29 96 28 94 Z"), accent,
           hl=["auto", streak(28, 68, 32, 90, 1.8)])
    p.part(oval(50, 56, 30, 3.5), (90, 56, 30), hl=None, depth=0.3, outline=False)


def book(p: Plastic, accent: Color) -> None:
    p.part(svg("M4 30 Q26 22 50 30 Q74 22 96 30 L96 86 Q74 80 50 88 Q26 80 4 86 Z"), accent, hl=None)
    for side in (1, -1):
        page = svg("M8 26 Q28 16 50 26 L50 82 Q28 74 8 80 Z")
        if side < 0:
            page = mirror_x(page)
        pg = page

        def text(side=side) -> None:
            for i in range(6):
                y = 36 + i * 7
                seg = svg(f"M14 {y - 4} Q30 {y - 10} 45 {y - 3}")
                p.curve(seg if side > 0 else mirror_x(seg), (170, 170, 180), 1.6)

        p.part(pg, (252, 248, 236), details=text, hl=None, depth=0.5)
    p.part(stroke(svg("M50 26 L50 82"), 1.2), darker(CREAM, 0.3), hl=None, outline=False)
    p.part(svg("M62 24 L68 23 L68 44 L65 40 L62 44 Z"), RED, hl=None, lw=0.9)


def umbrella(p: Plastic, accent: Color) -> None:
    p.part(stroke(svg("M50 50 L50 84 Q50 94 42 94 Q34 94 34 86"), 5), BROWN, hl=None)
    canopy = svg("M6 52 Q8 12 50 10 Q92 12 94 52 Q86 46 78 52 Q72 46 64 52 Q57 46 50 52 Q43 46 36 52 "
                 "Q28 46 22 52 Q14 46 6 52 Z")

    def panels() -> None:
        for x0, x1 in ((6, 22), (36, 50), (64, 78)):
            p.decal(svg(f"M50 10 L{x0} 56 L{x1} 56 Z"), WHITE)
        for x in (22, 36, 64, 78):
            p.curve(svg(f"M50 10 L{x} 52"), darker(accent, 0.3), 0.8)

    p.part(canopy, accent, details=panels, hl=["auto", rotate(oval(28, 24, 10, 3.5), -35, 28, 24)])
    p.part(capsule(50, 4, 50, 11, 3), SILVER, hl=None)


def backpack(p: Plastic, accent: Color) -> None:
    p.part(minus(rect(38, 6, 24, 18, 8), rect(43, 11, 14, 14, 5)), darker(accent, 0.25))
    for side in (1, -1):
        strap = rect(12, 30, 10, 54, 5)
        p.part(strap if side > 0 else mirror_x(strap), darker(accent, 0.3), hl=None)
    body = svg("M20 34 Q20 16 50 16 Q80 16 80 34 L80 86 Q80 94 72 94 L28 94 Q20 94 20 86 Z")
    p.part(body, accent, hl=["auto", streak(26, 34, 26, 80, 1.8)],
           details=lambda: p.curve(svg("M24 40 Q24 24 50 24 Q76 24 76 40"), darker(accent, 0.35), 1.2))
    pocket = svg("M28 58 Q28 52 34 52 L66 52 Q72 52 72 58 L72 82 Q72 88 66 88 L34 88 Q28 88 28 82 Z")
    p.part(pocket, lighter(accent, 0.08), hl=[streak(32, 56, 60, 56, 1.1)],
           details=lambda: p.decal(rect(28, 60, 44, 1.6), darker(accent, 0.35)))
    p.part(rect(56, 58, 4, 8, 1.6), SILVER, hl=None, lw=0.8)
    p.part(rect(30, 28, 40, 6, 3), (255, 210, 40), hl=None)


def sunglasses(p: Plastic, accent: Color) -> None:
    for side in (1, -1):
        arm = svg("M8 36 L2 34 L2 40 L8 42 Z")
        p.part(arm if side > 0 else mirror_x(arm), darker(accent, 0.2), hl=None)
    frame = union(svg("M4 32 Q4 28 10 28 L42 28 Q48 28 48 34 Q48 56 34 62 Q22 66 12 60 Q4 54 4 32 Z"),
                  mirror_x(svg("M4 32 Q4 28 10 28 L42 28 Q48 28 48 34 Q48 56 34 62 Q22 66 12 60 Q4 54 4 32 Z")),
                  rect(44, 28, 12, 7, 2))
    p.part(frame, accent, hl=["auto"])
    for side in (1, -1):
        lens = svg("M9 34 Q9 32 12 32 L40 32 Q43 32 43 35 Q43 52 32 57 Q22 60 14 55 Q9 50 9 34 Z")
        lens = lens if side > 0 else mirror_x(lens)

        def tint(lens=lens) -> None:
            sh = skia.GradientShader.MakeLinear([skia.Point(0, 32), skia.Point(0, 60)],
                                                [skia.ColorSetRGB(30, 40, 90), skia.ColorSetRGB(150, 60, 170)])
            p.c.drawPath(lens, skia.Paint(AntiAlias=True, Shader=sh))

        p.part(lens, (40, 40, 90), details=tint, depth=0.5,
               hl=[(move(svg("M12 36 L24 36 L14 52 L12 48 Z"), 0 if side > 0 else 52, 0), 0.55)])


def chess_knight(p: Plastic, accent: Color) -> None:
    p.part(rect(20, 82, 60, 13, 5), accent)
    p.part(rect(26, 74, 48, 10, 4), accent, hl=None)
    head = svg("M30 76 Q28 60 38 50 Q30 50 22 54 Q16 50 18 42 Q26 28 40 16 L40 6 L48 14 Q66 12 74 32 "
               "Q82 52 72 76 Z")
    p.part(head, accent, hl=["auto", streak(44, 20, 56, 18, 1.5)],
           details=lambda: p.curve(svg("M50 18 Q66 26 70 46 Q72 60 68 72"), darker(accent, 0.35), 1.4))
    p.decal(circle(40, 30, 2.5), lighter(accent, 0.6))


def dice(p: Plastic, accent: Color) -> None:
    def die(ox: float, oy: float, s: float, face_pips, side_pips, top_pips) -> None:
        d = s * 0.38
        front = rect(ox, oy + d, s, s, s * 0.12)
        top = poly([(ox + 1, oy + d + 1), (ox + d, oy + 1), (ox + s + d - 1, oy + 1), (ox + s - 1, oy + d + 1)])
        side = poly([(ox + s - 1, oy + d + 1), (ox + s + d - 1, oy + 1), (ox + s + d - 1, oy + s + 1),
                     (ox + s - 1, oy + s + d - 1)])
        p.part(rounded(top, s * 0.04), lighter(accent, 0.15), hl=None, depth=0.3)
        p.part(rounded(side, s * 0.04), darker(accent, 0.18), hl=None, depth=0.4)
        pip = s * 0.095

        def pips() -> None:
            for u, v in face_pips:
                p.decal(circle(ox + s * u, oy + d + s * v, pip), WHITE)

        p.part(front, accent, details=pips, hl=["auto"])
        for u, v in top_pips:
            x = ox + s * u + d * (1 - v)
            y = oy + d * v
            p.decal(oval(x, y, pip * 0.9, pip * 0.45), WHITE)
        for u, v in side_pips:
            x = ox + s + d * u
            y = oy + d * (1 - u) + s * v
            p.decal(oval(x, y, pip * 0.45, pip * 0.8), WHITE, 0.9)

    die(8, 34, 44, [(0.25, 0.25), (0.75, 0.25), (0.5, 0.5), (0.25, 0.75), (0.75, 0.75)],
        [(0.5, 0.5)], [(0.5, 0.5)])
    die(46, 8, 36, [(0.25, 0.25), (0.5, 0.5), (0.75, 0.75)],
        [(0.3, 0.3), (0.7, 0.7)], [(0.3, 0.3), (0.7, 0.7), (0.3, 0.7), (0.7, 0.3)])


def clapperboard(p: Plastic, accent: Color) -> None:
    board = rect(8, 40, 84, 54, 4)

    def chalk() -> None:
        for y in (56, 70, 82):
            p.decal(rect(8, y, 84, 1.2), (220, 220, 220))
        p.decal(rect(50, 56, 1.2, 26), (220, 220, 220))
        p.decal(rect(14, 60, 26, 3, 1.5), (240, 240, 240), 0.8)
        p.decal(rect(56, 74, 28, 3, 1.5), (240, 240, 240), 0.8)

    p.part(board, BLACK, details=chalk, hl=["auto"])
    bar = rect(8, 30, 84, 11, 2)

    def stripes(shape_y: float, h: float, skew: float) -> None:
        for i in range(-1, 9):
            x = 8 + i * 12
            p.decal(poly([(x, shape_y), (x + 6, shape_y), (x + 6 + skew, shape_y + h), (x + skew, shape_y + h)]),
                    WHITE)

    p.part(bar, BLACK, details=lambda: stripes(30, 11, 6), hl=None)
    top = rotate(rect(8, 16, 84, 11, 2), -16, 10, 28)

    def top_stripes() -> None:
        for i in range(-1, 9):
            p.decal(rotate(poly([(8 + i * 12, 16), (14 + i * 12, 16), (20 + i * 12, 27), (14 + i * 12, 27)]),
                           -16, 10, 28), accent)

    p.part(top, BLACK, details=top_stripes, hl=["auto"])
    p.part(circle(12, 32, 3), SILVER, hl=None, lw=0.8)


def graduation_cap(p: Plastic, accent: Color) -> None:
    p.part(svg("M26 46 L74 46 L74 70 Q50 80 26 70 Z"), BLACK, hl=[streak(30, 52, 30, 68, 1.4)])
    board = poly([(50, 18), (96, 38), (50 , 58), (4, 38)])
    p.part(board, (50, 52, 62), hl=["auto"])
    p.part(circle(50, 38, 3), accent, hl=None, lw=0.8)
    p.part(stroke(svg("M50 38 L80 48 L80 70"), 1.8), accent, hl=None, lw=0.8)

    def threads() -> None:
        for i in range(5):
            p.line([(76 + i * 2, 72), (76 + i * 2, 86)], darker(accent, 0.3), 0.6)

    p.part(svg("M76 68 L84 68 L86 86 L74 86 Z"), accent, details=threads)


def eye_mask(p: Plastic, accent: Color) -> None:
    """A superhero's domino mask: a band over both eyes with pointed wings and almond eye holes."""
    band = svg("M50 38 Q60 31 74 31 Q88 31 97 24 Q97 42 88 56 Q78 69 63 67 Q55 65 50 59 Q45 65 37 67 "
               "Q22 69 12 56 Q3 42 3 24 Q12 31 26 31 Q40 31 50 38 Z")
    eye = svg("M59 48 Q69 38 83 45 Q72 57 59 48 Z")
    mask = minus(band, eye, mirror_x(eye))
    p.part(mask, accent, hl=["auto", (streak(14, 36, 36, 34, 1.6), 0.5), (streak(64, 34, 86, 36, 1.6), 0.5)])


def face_mask(p: Plastic, accent: Color) -> None:
    """A pleated surgical mask with its ear loops."""
    for side in (1, -1):
        loop = stroke(svg("M84 34 Q102 36 100 52 Q98 68 84 68"), 3.2)
        p.part(loop if side > 0 else mirror_x(loop), lighter(accent, 0.55), hl=None, depth=0.4)
    body = svg("M16 30 Q50 18 84 30 L86 70 Q50 84 14 70 Z")

    def pleats() -> None:
        for y, bend in ((43, 2.0), (53, 3.0), (63, 4.0)):
            p.curve(svg(f"M17 {y} Q50 {y + bend} 83 {y}"), darker(accent, 0.28), 1.6)
        p.curve(svg("M17 35 Q50 24 83 35"), lighter(accent, 0.35), 1.2)  # the nose wire's hem

    p.part(body, accent, details=pleats, hl=["auto"])
