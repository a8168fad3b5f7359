"""Musical instruments."""

from __future__ import annotations

import skia

from ._plastic import (
    BLACK,
    BROWN,
    CREAM,
    DARK,
    GOLD,
    RED,
    SILVER,
    TAN,
    WHITE,
    Color,
    Plastic,
    capsule,
    circle,
    darker,
    lighter,
    mirror_x,
    oval,
    poly,
    rect,
    streak,
    stroke,
    svg,
)


def _tf(deg: float, s: float = 1.0, dx: float = 0.0, dy: float = 0.0):
    m = skia.Matrix()
    m.setRotate(deg, 50, 50)
    m.preScale(s, s, 50, 50)
    m.postTranslate(dx, dy)

    def t(path: skia.Path) -> skia.Path:
        out = skia.Path(path)
        out.transform(m)
        return out

    def pt(x: float, y: float) -> tuple[float, float]:
        q = m.mapXY(x, y)
        return q.x(), q.y()

    t.matrix = m  # type: ignore[attr-defined]
    return t, pt


def guitar(p: Plastic, accent: Color) -> None:
    t, pt = _tf(38, 0.95, 1, 0)
    body = svg("M50 36 C61 36 67 42 66 50 C65 56 61 58 62 62 C71 64 74 72 73 79 C72 91 61 97 50 97 "
               "C39 97 28 91 27 79 C26 72 29 64 38 62 C39 58 35 56 34 50 C33 42 39 36 50 36 Z")
    p.part(t(poly([(45, 11), (44, 1), (56, 1), (55, 11)])), DARK)
    for y in (3.5, 8):
        for side in (-1, 1):
            p.part(t(circle(50 + side * 8, y, 2)), SILVER, hl=None)
    p.part(t(rect(46.5, 9, 7, 40, 1)), BROWN)

    def face() -> None:
        p.decal(t(circle(50, 58, 9)), darker(accent, 0.35))
        p.decal(t(circle(50, 58, 7.5)), lighter(accent, 0.2))
        p.decal(t(circle(50, 58, 6.5)), (40, 22, 12))
        p.decal(t(rect(41, 79, 18, 4.5, 1.5)), (70, 36, 16))

    p.part(t(body), accent, details=face, hl=["auto", t(oval(42, 45, 5, 2.2))])
    p.part(t(rect(46.5, 30, 7, 22, 0.5)), darker(BROWN, 0.1), hl=None, cast=0.6)
    for dx in (-2.4, -0.8, 0.8, 2.4):
        p.line([pt(50 + dx, 2), pt(50 + dx, 81)], (245, 240, 225), 0.45)
    for y in (14, 20, 26, 32, 38, 44):
        p.line([pt(46.8, y), pt(53.2, y)], SILVER, 0.6)


def violin(p: Plastic, accent: Color) -> None:
    t, pt = _tf(-32, 0.93, 0, 1)
    # The bow lies behind the violin, crossing it.
    p.part(capsule(14, 78, 88, 24, 3), BROWN, hl=None)
    p.line([(17, 81.5), (86, 29)], CREAM, 1.4)
    p.part(capsule(83, 28, 88, 24, 4), BLACK, hl=None)
    body = svg("M50 40 C60 40 66 42 66 50 C66 56 62 58 61 62 C60 64 60 66 61 68 C63 70 70 72 70 82 "
               "C70 92 60 96 50 96 C40 96 30 92 30 82 C30 72 37 70 39 68 C40 66 40 64 39 62 C38 58 34 56 "
               "34 50 C34 42 40 40 50 40 Z")
    p.part(t(rect(46.5, 7, 7, 16, 2)), darker(accent, 0.2))
    p.part(t(circle(50, 7, 5.5)), darker(accent, 0.2), hl=None)
    p.decal(t(circle(50.5, 6.5, 2)), darker(accent, 0.5))
    for y in (12, 18):
        for side in (-1, 1):
            p.part(t(capsule(50, y, 50 + side * 7, y, 2.6)), BLACK, hl=None)
    p.part(t(rect(47, 20, 6, 22, 1)), accent, hl=None)

    def f_holes() -> None:
        for side in (-1, 1):
            f = svg("M42 62 C40 66 44 70 42 76")
            p.curve(t(f if side < 0 else mirror_x(f)), (40, 16, 8), 1.5)

    p.part(t(body), accent, details=f_holes, hl=["auto", t(oval(42, 47, 4, 2))])
    p.part(t(svg("M47.5 22 L52.5 22 L53.5 68 L46.5 68 Z")), BLACK, hl=[t(streak(48.5, 26, 48.5, 60, 0.8))])
    p.part(t(svg("M46 78 L54 78 L52.5 92 L47.5 92 Z")), BLACK, hl=None)
    p.part(t(rect(44, 71, 12, 2.2, 1)), TAN, hl=None)
    for dx in (-1.8, -0.6, 0.6, 1.8):
        p.line([pt(50 + dx, 20), pt(50 + dx * 1.3, 80)], (230, 230, 220), 0.4)
    p.part(t(oval(39, 90, 6, 3.5)), BLACK, hl=None)


def drum(p: Plastic, accent: Color) -> None:
    shell = svg("M10 40 L10 76 A40 13 0 0 0 90 76 L90 40 Z")

    def cord() -> None:
        xs = [10 + i * 10 for i in range(9)]
        for i in range(len(xs) - 1):
            y0, y1 = (44, 74) if i % 2 == 0 else (74, 44)
            p.line([(xs[i], y0), (xs[i + 1], y1)], GOLD, 2.2)
        for x in xs:
            p.decal(circle(x, 74 if xs.index(x) % 2 else 44, 1.6), SILVER)

    p.part(shell, accent, details=cord, hl=[streak(15, 45, 15, 76, 1.6)])
    p.part(stroke(svg("M10 76 A40 13 0 0 0 90 76"), 6, cap="butt"), RED, hl=None)
    p.part(oval(50, 40, 41, 14), RED, hl=None)
    p.part(oval(50, 40, 37, 11), (248, 244, 232), hl=[oval(36, 36, 12, 3)], depth=0.4)
    p.part(capsule(30, 38, 74, 10, 3.5), TAN, hl=None)
    p.part(circle(74, 10, 3.2), TAN, hl=None)
    p.part(capsule(70, 38, 28, 12, 3.5), TAN, hl=None)
    p.part(circle(28, 12, 3.2), TAN, hl=None)


def microphone(p: Plastic, accent: Color) -> None:
    t, _ = _tf(28, 1.0, 2, 0)
    p.part(t(svg("M38 48 L62 48 L56 94 Q50 97 44 94 Z")), BLACK,
           hl=[t(streak(42, 54, 46, 88, 1.4))])
    p.part(t(rect(36, 44, 28, 8, 2)), accent)
    grille = circle(50, 26, 21)

    def mesh() -> None:
        for i in range(-20, 21, 4):
            p.line([(29 + i, 5), (71 + i, 47)], darker(SILVER, 0.35), 0.7)
            p.line([(71 + i, 5), (29 + i, 47)], darker(SILVER, 0.35), 0.7)

    p.part(t(grille), SILVER, details=lambda: _in(p, t, mesh), hl=["auto", t(oval(42, 16, 6, 3.5))])
    p.part(t(stroke(svg("M29.5 29 Q50 36 70.5 29"), 2.5)), darker(SILVER, 0.2), hl=None, cast=0.3)


def _in(p: Plastic, t, draw) -> None:
    """Run `draw` in the frame that `t` maps into (its design coordinates, transformed)."""
    c = p.c
    c.save()
    c.concat(t.matrix)
    draw()
    c.restore()


def keyboard(p: Plastic, accent: Color) -> None:
    p.part(rect(4, 28, 92, 46, 6), accent)
    for i, c in enumerate([WHITE, WHITE, (255, 200, 40), WHITE]):
        p.part(circle(14 + i * 9, 37, 3.2), DARK, hl=[circle(13, 36, 0.9)])
        p.line([(14 + i * 9, 37), (14 + i * 9 + 1.5, 34.5)], c, 0.9)
    p.part(rect(54, 33, 18, 8, 1.5), (40, 80, 60), hl=[(poly([(54, 33), (62, 33), (58, 41), (54, 41)]), 0.3)],
           depth=0.4, details=lambda: p.line([(57, 37), (60, 35), (63, 39), (66, 36), (69, 38)],
                                             (120, 255, 160), 0.9))
    for i, c in enumerate([RED, (255, 200, 40)]):
        p.part(rect(76 + i * 8, 33, 6, 8, 1.5), c)
    keys = rect(8, 46, 84, 24, 1.5)

    def keybed() -> None:
        n = 14
        w = 84 / n
        for i in range(n):
            p.decal(rect(8 + i * w + 0.35, 46, w - 0.7, 24, 0.8), (250, 250, 246))
            p.decal(rect(8 + i * w + 0.35, 66, w - 0.7, 4, 0.8), (214, 214, 208))
        for i in range(n - 1):
            if i % 7 in (2, 6):
                continue
            x = 8 + (i + 1) * w - 1.9
            p.decal(rect(x, 46, 3.8, 14, 0.6), BLACK)
            p.decal(rect(x + 0.8, 46, 1.2, 12, 0.4), (120, 120, 130))

    p.part(keys, BLACK, details=keybed, hl=None, depth=0.3)


def trumpet(p: Plastic, accent: Color) -> None:
    gold = accent
    p.part(stroke(rect(26, 46, 40, 20, 10), 4.2), gold, hl=None)
    p.part(rect(6, 43.5, 58, 5.5, 2.5), gold, hl=[streak(9, 44.6, 60, 44.6, 1)])
    p.part(rect(3, 42, 7, 8.5, 2.5), SILVER)
    p.part(svg("M60 42.5 L70 42 Q84 38 96 24 L96 68 Q84 54 70 50 L60 49.5 Z"), gold,
           hl=[streak(74, 41, 92, 29, 1.6)])
    p.part(oval(95, 46, 3, 22), darker(gold, 0.15), hl=[streak(94.2, 30, 94.2, 44, 1)])
    for i in range(3):
        x = 38 + i * 8
        p.part(rect(x, 30, 6, 32, 2), gold, hl=[streak(x + 1.4, 33, x + 1.4, 58, 1)])
        p.part(rect(x - 0.5, 28, 7, 3.5, 1.2), darker(gold, 0.1), hl=None)
        p.part(rect(x + 2, 22, 2, 7, 0.6), SILVER, hl=None)
        p.part(oval(x + 3, 21, 4.5, 2.2), CREAM, hl=[oval(x + 2, 20.4, 2, 0.7)])
