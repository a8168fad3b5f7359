"""Adventure, travel and fantasy pieces."""

from __future__ import annotations

import skia

from ._plastic import (
    BLACK,
    BROWN,
    CREAM,
    DARK,
    GOLD,
    GREY,
    RED,
    SILVER,
    SKY,
    WHITE,
    Color,
    Plastic,
    arc_path,
    capsule,
    circle,
    darker,
    intersect,
    lighter,
    minus,
    mirror_x,
    move,
    oval,
    polar,
    poly,
    rect,
    rotate,
    scale,
    streak,
    stroke,
    svg,
    union,
)


def _star(cx: float, cy: float, ro: float, ri: float, rot: float = -90, n: int = 5):
    return poly([polar(cx, cy, ro if i % 2 == 0 else ri, rot + i * 180 / n) for i in range(2 * n)])


def _rot(deg: float, s: float = 1.0, dx: float = 0, dy: float = 0):
    def r(path: skia.Path) -> skia.Path:
        out = rotate(path, deg, 50, 50)
        if s != 1:
            out = scale(out, s)
        return move(out, dx, dy) if dx or dy else out
    return r


def treasure_map(p: Plastic, accent: Color) -> None:
    xs = [6, 28, 50, 72, 94]
    top = [16, 10, 16, 10, 16]
    bot = [90, 84, 90, 84, 90]
    parch = (244, 224, 170)
    for i in range(4):
        panel = poly([(xs[i], top[i]), (xs[i + 1], top[i + 1]), (xs[i + 1], bot[i + 1]), (xs[i], bot[i])])
        tone = parch if i % 2 == 0 else darker(parch, 0.12)

        def ink(i=i) -> None:
            if i == 0:
                p.decal(svg("M6 50 Q14 44 20 52 Q24 60 28 58 L28 90 L6 90 Z"), SKY)
            if i == 3:
                p.decal(svg("M72 20 Q84 26 94 20 L94 40 Q84 36 72 42 Z"), SKY)
            if i == 2:
                p.decal(svg("M52 30 Q58 24 66 28 Q70 36 64 42 Q56 44 54 38 Z"), (110, 180, 80))

        p.part(panel, tone, details=ink, hl=None if i % 2 else [(streak(xs[i] + 3, top[i] + 6, xs[i] + 3,
                                                                           bot[i] - 8, 1.2), 0.5)],
               depth=0.5, lw=1.3)
    p.curve(svg("M14 76 Q24 60 38 66 Q52 72 56 56 Q60 44 74 48"), accent, 2.2)
    dash = skia.Paint(AntiAlias=True, Style=skia.Paint.kStroke_Style, StrokeWidth=2.4,
                      Color=skia.ColorSetRGB(*parch), PathEffect=skia.DashPathEffect.Make([3.0, 3.0], 0))
    p.c.drawPath(svg("M14 76 Q24 60 38 66 Q52 72 56 56 Q60 44 74 48"), dash)
    p.line([(76, 44), (86, 54)], accent, 3.4)
    p.line([(86, 44), (76, 54)], accent, 3.4)


def compass(p: Plastic, accent: Color) -> None:
    p.part(minus(circle(50, 10, 7), circle(50, 10, 3.5)), GOLD)
    p.part(rect(45, 12, 10, 8, 2), GOLD)
    p.part(circle(50, 56, 40), accent)
    p.part(circle(50, 56, 33), CREAM, depth=0.4, hl=None, details=lambda: _dial(p))
    p.part(poly([(50, 29), (56.5, 56), (43.5, 56)]), RED, hl=None, lw=0.9)
    p.part(poly([(50, 83), (56.5, 56), (43.5, 56)]), (60, 80, 110), hl=None, lw=0.9)
    p.part(circle(50, 56, 3.2), GOLD, hl=None, lw=0.8)
    p.gloss(rotate(oval(36, 38, 12, 4.5), -40, 36, 38), 0.7)


def _dial(p: Plastic) -> None:
    for i in range(16):
        a = -90 + i * 22.5
        p.line([polar(50, 56, 30, a), polar(50, 56, 26 if i % 4 == 0 else 28, a)], DARK, 1.8 if i % 4 == 0 else 0.9)
    for a in (-90, 0, 90, 180):
        x, y = polar(50, 56, 21, a)
        p.decal(circle(x, y, 2.2), RED if a == -90 else DARK)
    p.decal(_star(50, 56, 24, 5, -90, 4), (220, 206, 170))


def telescope(p: Plastic, accent: Color) -> None:
    for a, b in (((52, 58), (28, 94)), ((52, 58), (76, 94)), ((52, 58), (52, 96))):
        p.part(capsule(a[0], a[1], b[0], b[1], 4.2), BROWN, hl=None)
    p.part(circle(52, 58, 5), GOLD)
    r = _rot(-30, 1.0, 0, -6)
    p.part(r(rect(6, 44, 16, 10, 2)), DARK)
    p.part(r(rect(18, 41, 30, 16, 3)), accent, hl=[r(streak(21, 44, 44, 44, 1.3))])
    p.part(r(rect(44, 38, 42, 22, 4)), accent, hl=[r(streak(48, 41.5, 82, 41.5, 1.6))])
    p.part(r(rect(84, 35, 10, 28, 3)), GOLD, hl=["auto"])
    for x in (44, 60):
        p.part(r(rect(x, 37, 4, 24, 1.2)), GOLD, hl=None)
    p.part(r(oval(94, 49, 2.2, 12)), (120, 180, 230), hl=None, lw=0.9)


def rocket(p: Plastic, accent: Color) -> None:
    r = _rot(45, 0.92)
    flame = svg("M40 78 L60 78 Q62 90 50 100 Q38 90 40 78 Z")
    p.part(r(flame), (255, 150, 20), hl=None, outline=False)
    p.part(r(svg("M44 78 L56 78 Q56 88 50 94 Q44 88 44 78 Z")), (255, 230, 90), hl=None, outline=False)
    for side in (1, -1):
        fin = svg("M36 56 Q24 62 22 80 L36 76 Z")
        p.part(r(fin if side > 0 else mirror_x(fin)), accent)
    body = svg("M50 2 C64 14 66 34 64 56 L62 80 L38 80 L36 56 C34 34 36 14 50 2 Z")

    def nose() -> None:
        p.decal(r(svg("M50 2 C58 9 62 18 63.5 26 Q50 30 36.5 26 C38 18 42 9 50 2 Z")), accent)
        p.decal(r(rect(30, 70, 40, 4)), lighter(GREY, 0.3))

    p.part(r(body), WHITE, details=nose, hl=["auto", r(streak(42, 30, 40, 70, 2))])
    p.part(r(rect(46, 76, 8, 6, 1)), GREY, hl=None)
    p.part(r(circle(50, 46, 9)), SILVER)
    p.part(r(circle(50, 46, 6.2)), (40, 120, 220), hl=[r(oval(48, 44, 2.4, 1.4))], depth=0.6)


def sword(p: Plastic, accent: Color) -> None:
    r = _rot(45, 1.22)
    blade = svg("M45.5 68 L45.5 14 L50 3 L54.5 14 L54.5 68 Z")

    def bevel() -> None:
        p.decal(r(svg("M50 3 L54.5 14 L54.5 68 L50 68 Z")), darker(SILVER, 0.12))
        p.curve(r(svg("M50 14 L50 62")), darker(SILVER, 0.35), 1.1)

    def wrap() -> None:
        for y in (74, 78, 82, 86):
            p.line([_pt(46, y), _pt(54, y + 2.5)], darker(accent, 0.35), 1.0)

    p.part(r(blade), SILVER, hl=None, details=bevel)
    p.gloss(r(streak(47.4, 16, 47.4, 64, 1.1)), 0.9)
    p.part(r(rect(46, 72, 8, 17, 2.5)), accent, details=wrap)
    p.part(r(svg("M33 69 Q33 65 37 65 L63 65 Q67 65 67 69 Q67 73 63 73 L37 73 Q33 73 33 69 Z")), GOLD)
    p.part(r(circle(50, 69, 2.6)), RED, hl=[r(circle(49.2, 68.2, 0.8))], lw=0.8)
    p.part(r(circle(50, 92, 4.2)), GOLD)


def _pt(x: float, y: float) -> tuple[float, float]:
    m = skia.Matrix()
    m.setRotate(45, 50, 50)
    m.postScale(1.22, 1.22, 50, 50)
    q = m.mapXY(x, y)
    return q.x(), q.y()


def shield(p: Plastic, accent: Color) -> None:
    outer = svg("M50 4 Q70 12 92 10 L92 44 Q92 78 50 96 Q8 78 8 44 L8 10 Q30 12 50 4 Z")
    inner = svg("M50 12 Q68 19 84 18 L84 44 Q84 72 50 87 Q16 72 16 44 L16 18 Q32 19 50 12 Z")
    p.part(outer, SILVER, hl=["auto"])

    def cross() -> None:
        p.decal(intersect(inner, rect(0, 0, 50, 46)), lighter(accent, 0.05))
        p.decal(intersect(inner, rect(50, 46, 50, 54)), lighter(accent, 0.05))
        p.decal(intersect(inner, rect(50, 0, 50, 46)), WHITE)
        p.decal(intersect(inner, rect(0, 46, 50, 54)), WHITE)

    p.part(inner, accent, details=cross, hl=["auto", rotate(oval(30, 26, 8, 3), -20, 30, 26)])
    p.part(_star(50, 47, 15, 6.5), GOLD)
    for x, y in ((14, 16), (86, 16), (50, 91)):
        p.part(circle(x, y, 2), GOLD, hl=None, lw=0.7)


def magic_wand(p: Plastic, accent: Color) -> None:
    r = _rot(40, 1.0, 0, 2)
    p.part(r(rect(46.5, 30, 7, 66, 3.5)), BLACK, hl=[r(streak(48.5, 36, 48.5, 88, 1))])
    p.part(r(rect(46, 84, 8, 12, 3.5)), WHITE, hl=None)
    star = _star(66, 28, 25, 11, -90)
    star = union(star, stroke(star, 3))
    p.part(star, accent, hl=["auto", oval(58, 20, 4, 2)])
    for x, y, s in ((22, 22, 7), (86, 62, 6), (36, 8, 4.5), (90, 12, 4)):
        p.part(_star(x, y, s, s * 0.32, -90, 4), lighter(accent, 0.2), hl=None, lw=0.8)


def crown(p: Plastic, accent: Color) -> None:
    top = svg("M8 74 L8 28 L28 48 L50 18 L72 48 L92 28 L92 74 Z")
    p.part(top, accent, hl=["auto"])
    for x, y in ((8, 26), (50, 16), (92, 26)):
        p.part(circle(x, y, 5), accent, hl=[circle(x - 1.5, y - 1.6, 1.3)])
    p.part(rect(6, 66, 88, 20, 4), darker(accent, 0.05), hl=[streak(10, 69.5, 88, 69.5, 1.2)])
    for x, c in ((24, (40, 110, 230)), (50, (220, 30, 50)), (76, (40, 180, 90))):
        p.part(oval(x, 76, 6, 5), c, hl=[oval(x - 2, 74.4, 2.2, 1.2)], lw=1.0)
    p.part(rotate(rect(45, 36, 10, 10, 1.5), 45, 50, 41), (220, 30, 50), hl=[circle(48.5, 38.6, 1.2)],
           lw=1.0)


def fishing_rod(p: Plastic, accent: Color) -> None:
    p.curve(svg("M88 8 Q90 44 70 64"), (60, 60, 70), 0.9)
    p.part(capsule(10, 92, 86, 8, 2.6), accent, hl=None)
    p.part(capsule(10, 92, 30, 70, 6), BLACK, hl=[streak(13, 86, 26, 72, 1)])
    for t in (0.45, 0.65, 0.85):
        x, y = 10 + 76 * t, 92 - 84 * t
        p.part(circle(x + 1.5, y + 1.5, 1.6), SILVER, hl=None, lw=0.6)
    p.part(circle(38, 74, 9), SILVER, hl=["auto"])
    p.part(circle(38, 74, 4), DARK, hl=None)
    p.part(capsule(38, 74, 46, 80, 2.2), DARK, hl=None)
    bob = circle(70, 70, 9)
    p.part(bob, WHITE, details=lambda: p.decal(rect(58, 58, 24, 12), RED), hl=["auto", oval(66.5, 65, 2.6, 1.6)])
    p.part(capsule(70, 58, 70, 62, 1.8), RED, hl=None, lw=0.6)
    p.curve(svg("M70 79 L70 86 Q70 92 65 90"), SILVER, 1.3)


def globe(p: Plastic, accent: Color) -> None:
    p.part(rect(30, 88, 40, 8, 3), accent)
    p.part(rect(46, 76, 8, 14, 2), accent, hl=None)
    p.part(stroke(arc_path(48, 45, 40, 95, 180), 4), accent, hl=None)
    sphere = circle(48, 45, 34)

    def land() -> None:
        p.decal(svg("M22 24 Q34 14 44 20 Q48 30 40 34 Q36 42 42 50 Q40 60 32 56 Q26 46 20 44 Q16 34 22 24 Z"),
                (70, 180, 80))
        p.decal(svg("M52 14 Q66 12 74 22 Q80 34 70 36 Q62 32 58 40 Q66 48 62 60 Q56 72 50 66 Q52 54 48 46 "
                    "Q44 36 50 28 Q46 20 52 14 Z"), (70, 180, 80))
        p.decal(svg("M66 62 Q74 58 78 64 Q76 72 68 72 Z"), (70, 180, 80))

    p.part(sphere, (40, 130, 220), details=land, hl=["auto", rotate(oval(34, 26, 9, 4), -40, 34, 26)])
    p.part(circle(48, 9, 2.5), accent, hl=None)


def anchor(p: Plastic, accent: Color) -> None:
    shape = union(minus(circle(50, 14, 9), circle(50, 14, 4.5)),
                  rect(45.5, 20, 9, 66, 2),
                  rect(30, 28, 40, 8, 4),
                  stroke(svg("M14 56 Q18 88 50 88 Q82 88 86 56"), 8.5),
                  poly([(6, 60), (14, 46), (22, 60)]), poly([(78, 60), (86, 46), (94, 60)]))
    p.part(shape, accent, hl=["auto", streak(47.5, 40, 47.5, 80, 1.3)])


def cowboy_hat(p: Plastic, accent: Color) -> None:
    brim = svg("M2 44 Q10 64 26 60 Q50 68 74 60 Q90 64 98 44 Q96 80 50 82 Q4 80 2 44 Z")  # rolled up at the sides
    crown = svg("M26 60 Q24 30 34 22 Q42 18 50 26 Q58 18 66 22 Q76 30 74 60 Q50 66 26 60 Z")
    p.part(brim, accent, depth=0.9)
    p.part(crown, accent, cast=1.2)
    p.part(svg("M26 54 Q50 60 74 54 L74 60 Q50 66 26 60 Z"), darker(accent, 0.55), hl=None)  # the band


def passport(p: Plastic, accent: Color) -> None:
    def crest() -> None:
        p.decal(circle(50, 44, 14), GOLD)
        p.decal(circle(50, 44, 10), accent)
        p.decal(circle(50, 44, 6), GOLD)
        p.decal(rect(34, 66, 32, 3, 1), GOLD)
        p.decal(rect(38, 73, 24, 3, 1), GOLD)

    p.part(rect(24, 12, 56, 78, 4), CREAM, hl=None, depth=0.4)  # the pages' edge
    p.part(rect(20, 8, 56, 78, 4), accent, details=crest)


def cape(p: Plastic, accent: Color) -> None:
    cloak = svg("M30 10 Q50 16 70 10 Q78 50 92 92 Q72 84 50 94 Q28 84 8 92 Q22 50 30 10 Z")

    def folds() -> None:
        for x0, x1 in ((38, 30), (50, 50), (62, 70)):
            p.curve(svg(f"M{x0} 24 Q{(x0 + x1) / 2 + 3} 60 {x1} 90"), darker(accent, 0.25), 2.0)

    p.part(cloak, accent, details=folds, depth=1.1)
    p.part(rect(28, 6, 44, 8, 4), GOLD, hl=None)  # the collar clasp
