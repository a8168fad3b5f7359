"""Sport and fitness pieces."""

from __future__ import annotations

import math

from ._plastic import (
    BLACK,
    DARK,
    GOLD,
    GREY,
    LIME,
    SILVER,
    WHITE,
    YELLOW,
    Color,
    Plastic,
    arc_path,
    capsule,
    circle,
    darker,
    intersect,
    lighter,
    mirror_x,
    move,
    oval,
    polar,
    poly,
    rect,
    rotate,
    streak,
    stroke,
    svg,
    union,
)


def _star(cx: float, cy: float, ro: float, ri: float, rot: float = -90) -> list[tuple[float, float]]:
    return [polar(cx, cy, ro if i % 2 == 0 else ri, rot + i * 36) for i in range(10)]


def dumbbell(p: Plastic, accent: Color) -> None:
    def r(path):
        return rotate(path, -14, 50, 50)

    def knurl() -> None:
        for x in range(36, 66, 2):
            p.decal(r(rect(x, 46, 0.8, 8)), darker(SILVER, 0.3))

    p.part(r(rect(14, 46, 72, 8, 3)), SILVER, hl=[r(streak(18, 47.6, 82, 47.6, 1))], details=knurl)
    for side in (1, -1):
        parts = [(rect(24, 40, 6, 20, 2), SILVER), (rect(6, 22, 14, 56, 6), accent),
                 (rect(16, 28, 11, 44, 5), accent)]
        for path, c in parts:
            path = path if side > 0 else mirror_x(path)
            p.part(r(path), c, hl=["auto", r(move(streak(0, 30, 0, 66, 1.4), (9 if side > 0 else 91) if c == accent
                                                    and path.getBounds().width() > 12 else -200, 0))])


def soccer_ball(p: Plastic, accent: Color) -> None:
    ball = circle(50, 50, 44)

    def patches() -> None:
        centre = [polar(50, 50, 13, -90 + i * 72) for i in range(5)]
        p.decal(poly(centre), accent)
        for i in range(5):
            ang = -90 + 36 + i * 72
            ox, oy = polar(50, 50, 41, ang)
            pent = [polar(ox, oy, 14, ang + j * 72) for j in range(5)]
            p.decal(poly(pent), accent)
            a = centre[i]
            b = polar(50, 50, 27, -90 + i * 72)
            p.line([a, b], darker(WHITE, 0.45), 1.2)
            c1 = polar(50, 50, 30, ang - 14)
            p.line([b, c1], darker(WHITE, 0.45), 1.2)
            c2 = polar(50, 50, 30, ang - 72 + 14)
            p.line([b, c2], darker(WHITE, 0.45), 1.2)

    p.part(ball, WHITE, details=patches, hl=["auto", rotate(oval(32, 26, 10, 5), -40, 32, 26)], depth=1.2)


def basketball(p: Plastic, accent: Color) -> None:
    ball = circle(50, 50, 44)
    seam = (40, 24, 16)

    def seams() -> None:
        p.curve(svg("M50 6 Q58 50 50 94"), seam, 2.4)
        p.curve(svg("M6 50 Q50 42 94 50"), seam, 2.4)
        p.curve(svg("M20 18 Q38 50 20 82"), seam, 2.4)
        p.curve(svg("M80 18 Q62 50 80 82"), seam, 2.4)

    p.part(ball, accent, details=seams, hl=["auto", rotate(oval(32, 26, 10, 5), -40, 32, 26)], depth=1.2)


def tennis_racket(p: Plastic, accent: Color) -> None:
    def r(path):
        return rotate(path, 35, 50, 50)

    def wrap() -> None:
        for y in range(68, 94, 4):
            p.curve(r(svg(f"M46 {y} L54 {y + 3}")), GREY, 0.8)

    p.part(r(rect(46, 64, 8, 32, 3)), BLACK, details=wrap)
    p.part(r(rect(45.5, 90, 9, 6, 2)), accent, hl=None)
    p.part(r(stroke(svg("M50 64 L41 50 M50 64 L59 50"), 3.5)), accent, hl=None)
    head = oval(50, 30, 23, 28)
    inner = oval(50, 30, 19, 24)

    def strings() -> None:
        for x in range(32, 70, 4):
            p.line([_r(x, 2), _r(x, 58)], (250, 250, 240), 0.8)
        for y in range(8, 56, 4):
            p.line([_r(28, y), _r(72, y)], (250, 250, 240), 0.8)

    with p.clip(r(inner)):
        strings()
    p.part(r(stroke(head, 4.6)), accent, hl=[r(streak(32, 14, 38, 8, 1.2))])
    p.part(circle(80, 78, 12), LIME, details=lambda: p.curve(svg("M70 70 Q80 78 74 90 M86 66 Q80 78 92 84"),
                                                           WHITE, 1.6),
           hl=["auto", oval(76, 72, 3, 2)])


def _r(x: float, y: float) -> tuple[float, float]:
    a = math.radians(35)
    dx, dy = x - 50, y - 50
    return 50 + dx * math.cos(a) - dy * math.sin(a), 50 + dx * math.sin(a) + dy * math.cos(a)


def skateboard(p: Plastic, accent: Color) -> None:
    def r(path):
        return rotate(path, 40, 50, 50)

    for y in (22, 78):
        for x in (31, 69):
            p.part(r(rect(x - 6, y - 6, 12, 12, 3.5)), (255, 226, 70), hl=[r(oval(x - 2, y - 3, 2.5, 1.2))])
    deck = rect(33, 2, 34, 96, 17)

    def graphic() -> None:
        p.decal(r(svg("M33 40 L67 30 L67 44 L33 54 Z")), YELLOW)
        p.decal(r(svg("M33 58 L67 48 L67 58 L33 68 Z")), WHITE)
        p.decal(r(circle(50, 14, 4)), WHITE)
        p.decal(r(circle(50, 86, 4)), WHITE)

    p.part(r(deck), accent, details=graphic)
    for y in (22, 78):
        p.part(r(rect(30, y - 3, 40, 6, 3)), SILVER, hl=[r(streak(33, y - 1.6, 67, y - 1.6, 0.8))])
        p.part(r(rect(44, y - 5, 12, 10, 2)), GREY)


def bicycle(p: Plastic, accent: Color) -> None:
    for cx in (24, 76):
        p.part(minus_ring(cx, 64, 20, 15.5), BLACK, hl=[arc_hl(cx, 64, 18)])
        p.part(minus_ring(cx, 64, 15.5, 13.5), SILVER, hl=None)
        for k in range(8):
            p.line([(cx, 64), polar(cx, 64, 14, k * 22.5 + 10)], SILVER, 0.7)
            p.line([(cx, 64), polar(cx, 64, 14, k * 22.5 + 190)], SILVER, 0.7)
        p.part(circle(cx, 64, 3), SILVER)
    tubes = [((24, 64), (44, 64)), ((44, 64), (36, 36)), ((36, 36), (68, 36)), ((44, 64), (68, 36)),
             ((24, 64), (36, 36)), ((68, 36), (76, 64)), ((68, 36), (66, 28))]
    frame = union(*[capsule(a[0], a[1], b[0], b[1], 4.4) for a, b in tubes])
    p.part(frame, accent, hl=[streak(38, 34.8, 66, 34.8, 1)])
    p.part(circle(44, 64, 5), SILVER)
    p.part(capsule(44, 64, 50, 70, 2), DARK, hl=None)
    p.part(capsule(35, 36, 33, 29, 3), SILVER, hl=None)
    p.part(svg("M24 27 Q32 23 42 26 Q42 30 36 30 L26 30 Q22 30 24 27 Z"), BLACK)
    p.part(stroke(svg("M62 27 L68 27 Q74 26 78 21"), 3.5), SILVER, hl=None)
    p.part(capsule(77, 21, 82, 22, 4), BLACK, hl=None)


def minus_ring(cx: float, cy: float, ro: float, ri: float):
    from ._plastic import minus

    return minus(circle(cx, cy, ro), circle(cx, cy, ri))


def arc_hl(cx: float, cy: float, r: float):
    return stroke(arc_path(cx, cy, r, 195, 60), 1.4)


def trophy(p: Plastic, accent: Color) -> None:
    p.part(rect(24, 80, 52, 15, 3), (70, 44, 30), hl=[streak(28, 82.5, 50, 82.5, 1)],
           details=lambda: p.decal(rect(38, 84, 24, 7, 1.5), GOLD))
    p.part(rect(30, 74, 40, 8, 2), accent)
    p.part(svg("M44 56 L56 56 L58 74 L42 74 Z"), accent, hl=None)
    for side in (1, -1):
        h = stroke(svg("M24 20 Q8 20 9 34 Q11 48 30 50"), 5)
        p.part(h if side > 0 else mirror_x(h), accent, hl=None)
    cup = svg("M20 10 L80 10 L78 30 Q74 58 50 60 Q26 58 22 30 Z")
    p.part(cup, accent, hl=["auto", streak(30, 16, 33, 40, 2.6), streak(38, 16, 38.5, 26, 1.2)],
           details=lambda: p.decal(poly(_star(50, 32, 10, 4.2)), lighter(accent, 0.3)))
    p.part(oval(50, 10, 30, 4), darker(accent, 0.25), hl=None, depth=0.5)


def medal(p: Plastic, accent: Color) -> None:
    ribbon_l = poly([(22, 4), (42, 4), (58, 52), (44, 58)])
    ribbon_r = poly([(78, 4), (58, 4), (42, 52), (56, 58)])
    p.part(ribbon_r, accent, details=lambda: p.decal(intersect(ribbon_r, poly([(66, 4), (72, 4), (52, 56),
                                                                              (46, 56)])), WHITE))
    p.part(ribbon_l, accent, details=lambda: p.decal(intersect(ribbon_l, poly([(28, 4), (34, 4), (54, 56),
                                                                              (48, 56)])), WHITE))
    p.part(circle(50, 66, 27), GOLD)
    p.part(circle(50, 66, 20), darker(GOLD, 0.08), hl=None, depth=0.6)
    p.part(poly(_star(50, 67, 14, 6)), lighter(GOLD, 0.1))


def sneaker(p: Plastic, accent: Color) -> None:
    p.part(svg("M42 44 L46 32 Q51 28 57 31 L60 46 Z"), lighter(accent, 0.25), hl=None)
    upper = svg("M8 76 L8 50 Q8 40 18 40 L24 42 Q33 48 43 42 L50 38 Q58 48 70 54 Q88 58 94 66 "
                "Q97 72 94 76 Z")

    def print_() -> None:
        p.decal(svg("M16 72 Q50 70 84 58 Q80 66 68 69 Q44 76 16 76 Z"), WHITE)
        p.decal(svg("M8 50 Q8 40 18 40 L20 40 L22 76 L8 76 Z"), darker(accent, 0.25))
        p.decal(svg("M80 58 Q90 60 94 66 Q97 72 94 76 L78 76 Q84 68 80 58 Z"), darker(accent, 0.15))
        p.decal(svg("M44 42 L51 38 Q59 48 71 54 L66 60 Q54 54 44 47 Z"), lighter(accent, 0.3))

    p.part(upper, accent, details=print_, hl=["auto", streak(12, 46, 12, 68, 1.4)])
    p.part(svg("M22 41 Q33 47 43 41 Q40 48 32 49 Q25 49 22 41 Z"), DARK, hl=None, outline=False)
    for i in range(4):
        x, y = 47.5 + i * 5.2, 42 + i * 3.4
        p.line([(x - 1.8, y + 3.2), (x + 3.2, y - 1.6)], WHITE, 1.8)
    p.part(svg("M4 74 L94 74 Q99 74 98 80 Q96 88 86 88 L12 88 Q3 88 4 74 Z"), WHITE,
           details=lambda: p.decal(rect(0, 84, 100, 6), (190, 192, 196)), hl=[streak(10, 77, 60, 77, 1.1)])


def golf_ball(p: Plastic, accent: Color) -> None:
    def dimples() -> None:
        for ring, (r, n) in enumerate(((0, 1), (13, 7), (26, 13), (37, 19))):
            for i in range(n):
                x, y = polar(47, 47, r, i * 360 / n + ring * 11)
                p.decal(circle(x, y, 2.6), darker(WHITE, 0.12))

    p.part(circle(50, 50, 44), WHITE, details=dimples, hl=["auto", rotate(oval(32, 26, 10, 5), -40, 32, 26)], depth=1.0)


def cricket_ball(p: Plastic, accent: Color) -> None:
    def seam() -> None:
        p.curve(svg("M20 18 Q50 50 80 82"), lighter(accent, 0.5), 5.0)
        for i in range(9):
            t = 0.1 + 0.1 * i
            x, y = 20 + 60 * t, 18 + 64 * t
            p.line([(x - 4, y + 3), (x + 4, y - 3)], WHITE, 1.0)

    p.part(circle(50, 50, 44), accent, details=seam, hl=["auto", rotate(oval(32, 26, 10, 5), -40, 32, 26)], depth=1.2)


def surfboard(p: Plastic, accent: Color) -> None:
    board = svg("M50 2 C66 20 68 60 60 90 Q50 99 40 90 C32 60 34 20 50 2 Z")

    def stripe() -> None:
        p.decal(rect(48, 2, 4, 96), WHITE)
        p.decal(svg("M36 62 L64 62 L63 68 L37 68 Z"), darker(accent, 0.3))

    p.part(board, accent, details=stripe, depth=0.9)
    p.part(svg("M47 80 L53 80 L55 93 L45 93 Z"), darker(accent, 0.5), hl=None)  # the fin


def tennis_ball(p: Plastic, accent: Color) -> None:
    def seam() -> None:
        p.curve(svg("M12 26 Q50 50 12 76"), WHITE, 4.2)
        p.curve(svg("M88 24 Q50 50 88 74"), WHITE, 4.2)

    p.part(circle(50, 50, 44), accent, details=seam, hl=["auto", rotate(oval(32, 26, 10, 5), -40, 32, 26)], depth=1.0)
