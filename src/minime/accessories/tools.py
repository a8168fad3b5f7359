"""Tools of trades and hobbies: workshop, kitchen, studio, office, lab, garden."""

from __future__ import annotations

import skia

from ._plastic import (
    BLACK,
    DARK,
    GOLD,
    GREY,
    RED,
    SILVER,
    TAN,
    WHITE,
    YELLOW,
    Color,
    Plastic,
    capsule,
    circle,
    darker,
    intersect,
    lighter,
    minus,
    mirror_x,
    move,
    oval,
    poly,
    rect,
    rotate,
    scale,
    streak,
    stroke,
    svg,
    union,
)


def _rot(deg: float, s: float = 1.0):
    def r(path: skia.Path) -> skia.Path:
        return scale(rotate(path, deg, 50, 50), s) if s != 1 else rotate(path, deg, 50, 50)
    return r


def wrench(p: Plastic, accent: Color) -> None:
    r = _rot(45)
    jaw = minus(circle(50, 14, 13), rect(44.5, 0, 11, 15, 1.5))
    ring = minus(circle(50, 86, 11), circle(50, 86, 5.5))
    body = union(rect(44, 18, 12, 64, 4), jaw, ring)
    p.part(r(body), SILVER, hl=["auto", r(streak(46.5, 24, 46.5, 42, 1.6))])

    def grip() -> None:
        for y in (50, 56, 62, 68):
            p.decal(r(rect(43, y, 14, 1.2)), darker(accent, 0.25))

    p.part(r(rect(43, 44, 14, 32, 5)), accent, hl=[r(streak(46, 47, 46, 72, 1.4))], details=grip)


def hammer(p: Plastic, accent: Color) -> None:
    r0 = _rot(32, 0.84)

    def r(path: skia.Path) -> skia.Path:
        return move(r0(path), 0, 4)

    p.part(r(rect(44, 24, 12, 72, 5)), TAN, hl=[r(streak(47, 34, 47, 60, 1.3))],
           details=lambda: p.curve(r(svg("M52 30 Q50 45 53 60")), darker(TAN, 0.2), 0.7))

    def grip() -> None:
        for y in (70, 76, 82, 88):
            p.decal(r(rect(42, y, 16, 1.3)), darker(accent, 0.3))

    p.part(r(rect(42.5, 62, 15, 34, 6)), accent, hl=[r(streak(46, 66, 46, 90, 1.3))], details=grip)
    head = union(rect(24, 10, 44, 18, 3), rect(14, 7, 14, 24, 4),
                 svg("M64 10 Q84 10 92 28 Q80 20 68 24 Z"))
    p.part(r(head), (110, 118, 132), hl=["auto", r(streak(18, 10, 18, 27, 1.4))])
    p.part(r(rect(43, 8, 14, 22, 2)), darker((110, 118, 132), 0.15), hl=None, cast=0.3)


def screwdriver(p: Plastic, accent: Color) -> None:
    r = _rot(-40, 0.96)
    p.part(r(rect(47, 4, 6, 50, 1.5)), SILVER, hl=[r(streak(48.5, 8, 48.5, 50, 0.9))])
    p.part(r(poly([(45.5, 0), (54.5, 0), (53, 7), (47, 7)])), SILVER, hl=None)
    handle = svg("M40 56 Q40 50 46 50 L54 50 Q60 50 60 56 L62 90 Q62 99 50 99 Q38 99 38 90 Z")

    def ridges() -> None:
        for x in (43, 48, 53, 58):
            p.decal(r(rect(x - 1, 60, 2, 34, 1)), darker(accent, 0.25))

    p.part(r(handle), accent, details=ridges, hl=["auto", r(streak(42.5, 58, 41.5, 90, 1.6))])
    p.part(r(rect(43, 50, 14, 6, 2)), BLACK, hl=None)


def stethoscope(p: Plastic, accent: Color) -> None:
    p.part(stroke(svg("M50 48 C50 74 64 90 78 80"), 5), accent, hl=None)
    p.part(stroke(svg("M26 10 Q22 40 50 50 Q78 40 74 10"), 3.6), SILVER, hl=None)
    p.part(circle(50, 49, 4), SILVER)
    for x in (26, 74):
        p.part(oval(x, 9, 4.5, 5.5), DARK)
    p.part(circle(78, 74, 15), SILVER)
    p.part(circle(78, 74, 10), DARK, hl=[oval(75, 71, 3.5, 2)], depth=0.6)
    p.part(rect(75, 56, 6, 6, 1.5), SILVER, hl=None)


def spatula(p: Plastic, accent: Color) -> None:
    r = _rot(-30, 0.98)
    p.part(r(rect(46, 44, 8, 14, 1)), SILVER)
    p.part(r(rect(44.5, 54, 11, 42, 5.5)), accent, hl=[r(streak(47.5, 58, 47.5, 90, 1.3))],
           details=lambda: p.decal(r(circle(50, 90, 2.4)), darker(accent, 0.5)))
    head = rect(32, 4, 36, 42, 5)
    slots = [rect(38 + i * 8, 10, 4, 26, 2) for i in range(3)]
    p.part(r(minus(head, *slots)), (80, 84, 96), hl=["auto", r(streak(35, 8, 35, 40, 1.3))])


def frying_pan(p: Plastic, accent: Color) -> None:
    p.part(capsule(70, 64, 89, 88, 9), accent, hl=[streak(73, 63, 86, 80, 1.4)])
    p.part(circle(86.5, 85, 2.2), DARK, hl=None, outline=False)
    p.part(circle(44, 46, 40), (60, 64, 76), hl=None)
    p.part(circle(44, 46, 34), (38, 40, 48), hl=[stroke(skia.Path.Circle(44, 46, 31), 1.4)], depth=0.5)
    white = svg("M22 44 Q18 30 32 26 Q40 16 52 24 Q68 22 66 38 Q74 50 62 58 Q56 70 42 64 Q26 68 24 56 "
                "Q14 52 22 44 Z")
    p.part(white, WHITE, hl=None, depth=0.5)
    p.part(circle(42, 44, 10), (255, 186, 20), hl=[oval(38.5, 40.5, 3.5, 2.2)])


def paintbrush(p: Plastic, accent: Color) -> None:
    r = _rot(40, 0.98)
    p.part(r(svg("M46 44 L54 44 L56 92 Q56 98 50 98 Q44 98 44 92 Z")), accent,
           hl=[r(streak(47, 50, 46.5, 90, 1.3))])
    p.part(r(rect(44, 34, 12, 14, 2)), SILVER, hl=["auto"],
           details=lambda: p.decal(r(rect(44, 39, 12, 1.5)), darker(SILVER, 0.3)))
    bristles = svg("M44 36 L56 36 Q60 20 50 2 Q40 20 44 36 Z")

    def tip() -> None:
        p.decal(r(svg("M40 16 Q50 10 60 16 L60 0 L40 0 Z")), RED)
        p.curve(r(svg("M48 34 Q46 24 49 12")), darker(TAN, 0.3), 0.6)
        p.curve(r(svg("M52 34 Q54 24 51 12")), darker(TAN, 0.3), 0.6)

    p.part(r(bristles), TAN, details=tip)


def palette(p: Plastic, accent: Color) -> None:
    board = svg("M50 10 C78 10 96 26 94 48 C92 66 78 70 68 66 C60 63 56 70 60 78 C64 88 54 94 42 92 "
                "C18 88 6 70 6 50 C6 26 24 10 50 10 Z")
    board = minus(board, oval(36, 72, 6, 5))
    p.part(board, (224, 170, 100), hl=["auto"])
    for (x, y), c in zip([(28, 30), (46, 22), (64, 24), (80, 38), (20, 52), (80, 54)],
                         [RED, YELLOW, (40, 170, 72), accent, WHITE, (132, 64, 200)]):
        blob = union(circle(x, y, 6.5), circle(x + 3.5, y + 2.5, 4.5))
        p.part(blob, c, hl=[oval(x - 2, y - 2.5, 2.6, 1.4)], lw=1.0)


def pen(p: Plastic, accent: Color) -> None:
    r = _rot(28, 0.98)
    p.part(r(svg("M45 80 L55 80 L52 94 L50 99 L48 94 Z")), GOLD,
           hl=None, details=lambda: p.curve(r(svg("M50 84 L50 96")), darker(GOLD, 0.5), 0.8))
    p.part(r(rect(44, 56, 12, 26, 3)), BLACK, hl=[r(streak(46.5, 59, 46.5, 78, 1))])
    p.part(r(rect(43, 2, 14, 56, 6)), accent, hl=["auto", r(streak(46, 8, 46, 50, 1.4))])
    p.part(r(rect(42.5, 48, 15, 5, 1.2)), GOLD, hl=None)
    p.part(r(rect(42.5, 6, 15, 3.5, 1.2)), GOLD, hl=None)
    p.part(r(svg("M55 10 L59 10 L59 40 Q59 44 57 44 Q55 44 55 40 Z")), GOLD, hl=None)


def pencil(p: Plastic, accent: Color) -> None:
    r = _rot(-42, 0.98)
    p.part(r(svg("M42 76 L58 76 L52 94 L48 94 Z")), (240, 204, 150), hl=None)
    p.part(r(svg("M48 94 L52 94 L50.5 99 L49.5 99 Z")), DARK, hl=None, outline=False)
    body = rect(42, 16, 16, 62, 1)

    def facets() -> None:
        p.decal(r(rect(42, 16, 5, 62)), lighter(accent, 0.25))
        p.decal(r(rect(53, 16, 5, 62)), darker(accent, 0.15))

    p.part(r(body), accent, details=facets, hl=[r(streak(44, 20, 44, 74, 1.2))])

    def ridges() -> None:
        for y in (11, 15):
            p.decal(r(rect(41, y, 18, 1.1)), darker(SILVER, 0.3))

    p.part(r(rect(41.5, 8, 17, 11, 1)), SILVER, details=ridges)
    p.part(r(svg("M42 9 L42 4 Q42 0 50 0 Q58 0 58 4 L58 9 Z")), (246, 130, 160))


def scissors(p: Plastic, accent: Color) -> None:
    blade_a = svg("M44 52 L18 6 Q16 2 20 4 L58 50 Z")
    p.part(rotate(blade_a, 0), SILVER, hl=["auto"])
    p.part(mirror_x(blade_a), SILVER, hl=["auto"])
    for side in (1, -1):
        loop = minus(oval(34, 76, 14, 17), oval(34, 76, 7.5, 10))
        neck = capsule(38, 60, 48, 50, 8)
        path = union(loop, neck)
        p.part(path if side > 0 else mirror_x(path), accent if side > 0 else darker(accent, 0.05))
    p.part(circle(50, 50, 4), SILVER, hl=[circle(49, 49, 1.2)])


def hard_hat(p: Plastic, accent: Color) -> None:
    p.part(svg("M4 68 Q4 62 14 62 L86 62 Q96 62 96 68 Q96 76 86 76 L14 76 Q4 76 4 68 Z"), accent,
           hl=[streak(12, 65, 50, 65, 1.2)])
    dome = svg("M12 64 Q12 18 50 16 Q88 18 88 64 Z")
    p.part(dome, accent, hl=["auto", rotate(oval(30, 32, 9, 4), -40, 30, 32)])
    p.part(svg("M42 17 Q50 15 58 17 L60 64 L40 64 Z"), lighter(accent, 0.1), hl=[streak(45, 20, 44, 58, 1.4)])
    p.part(rect(8, 62, 84, 5, 2.5), darker(accent, 0.15), hl=None, depth=0.4, cast=0.5)


def magnifying_glass(p: Plastic, accent: Color) -> None:
    p.part(capsule(62, 62, 90, 90, 11), accent, hl=[streak(66, 62, 86, 82, 1.4)])
    p.part(capsule(58, 58, 66, 66, 8), SILVER, hl=None)
    p.part(circle(40, 40, 34), BLACK)
    p.part(circle(40, 40, 27), (160, 210, 240), depth=0.4,
           hl=[(stroke(skia.Path(arc(40, 40, 21, 200, 70)), 3.2), 0.9), (circle(28, 48, 2), 0.8)])


def arc(cx: float, cy: float, r: float, start: float, sweep: float) -> skia.Path:
    path = skia.Path()
    path.addArc(skia.Rect.MakeLTRB(cx - r, cy - r, cx + r, cy + r), start, sweep)
    return path


def flask(p: Plastic, accent: Color) -> None:
    glass = svg("M40 8 L60 8 L60 36 L86 84 Q90 94 80 94 L20 94 Q10 94 14 84 L40 36 Z")
    liquid = intersect(glass, svg("M0 60 Q25 56 50 60 Q75 64 100 58 L100 100 L0 100 Z"))
    p.part(glass, (214, 236, 246), hl=None, depth=0.4)
    p.part(liquid, accent, hl=None, outline=False, cast=0)
    for x, y, rr in ((42, 74, 3), (56, 82, 2.2), (50, 68, 1.6), (64, 72, 1.5)):
        p.part(circle(x, y, rr), lighter(accent, 0.45), hl=None, lw=0.5, cast=0)
    p.gloss(streak(44, 12, 44, 36, 2.2), 0.8)
    p.gloss(streak(38, 44, 22, 80, 2.6), 0.7)
    p.edge(glass, (90, 110, 130), 1.6)
    p.part(rect(36, 4, 28, 7, 2.5), (160, 100, 60))


def clipboard(p: Plastic, accent: Color) -> None:
    p.part(rect(16, 10, 68, 86, 5), accent, hl=["auto"])
    paper = rect(22, 20, 56, 70, 1)

    def lines() -> None:
        for i, y in enumerate((34, 46, 58, 70)):
            p.decal(rect(26, y - 3.5, 7, 7, 1.2), WHITE)
            p.edge(rect(26, y - 3.5, 7, 7, 1.2), GREY, 0.9)
            p.decal(rect(37, y - 1, 34 - (i % 2) * 10, 2.2, 1.1), (150, 160, 180))
        for y in (34, 46):
            p.line([(26.5, y), (29, y + 2.8), (34, y - 4)], (30, 160, 60), 2.2)

    p.part(paper, WHITE, details=lines, hl=None, depth=0.3)
    p.part(svg("M36 6 L64 6 Q66 6 66 8 L66 18 Q66 20 64 20 L36 20 Q34 20 34 18 L34 8 Q34 6 36 6 Z"), SILVER)
    p.part(minus(rect(43, 2, 14, 8, 4), rect(46.5, 4.3, 7, 3.4, 1.7)), SILVER, hl=None)


def briefcase(p: Plastic, accent: Color) -> None:
    p.part(minus(rect(34, 12, 32, 22, 7), rect(40, 18, 20, 16, 3)), darker(accent, 0.15))
    p.part(rect(6, 26, 88, 64, 8), accent, hl=["auto", streak(12, 32, 60, 32, 1.4)])
    p.part(rect(6, 44, 88, 5, 0), darker(accent, 0.18), hl=None, depth=0.3, outline=False, cast=0.5)
    for x in (24, 76):
        p.part(rect(x - 5, 40, 10, 13, 2), GOLD, hl=[streak(x - 2.5, 42, x - 2.5, 50, 0.9)])
    p.part(rect(44, 39, 12, 8, 2), GOLD)


def watering_can(p: Plastic, accent: Color) -> None:
    p.part(stroke(svg("M30 40 Q30 14 52 14 Q74 14 74 40"), 6), darker(accent, 0.1), hl=None)
    p.part(svg("M64 62 L90 26 L95 30 L72 74 Z"), accent, hl=None)

    def holes() -> None:
        for dx, dy in ((0, 0), (2, 2), (-1, 3)):
            p.decal(circle(92 + dx, 24 + dy, 0.8), DARK)

    p.part(rotate(oval(93, 26, 4, 8), 40, 93, 26), SILVER, details=holes)
    body = svg("M18 40 L78 40 L76 86 Q76 94 68 94 L28 94 Q20 94 20 86 Z")
    p.part(body, accent, hl=["auto", streak(26, 46, 27, 86, 2)])
    p.part(oval(48, 40, 30, 5.5), darker(accent, 0.2), hl=None, depth=0.4)
    p.part(rect(18, 58, 60, 6, 1), lighter(accent, 0.2), hl=None, depth=0.4, cast=0.4)
