"""Food and drink pieces."""

from __future__ import annotations

from functools import partial

from ._plastic import (
    BROWN,
    CREAM,
    DARK,
    RED,
    TAN,
    WHITE,
    YELLOW,
    Color,
    Plastic,
    capsule,
    circle,
    darker,
    lighter,
    minus,
    oval,
    poly,
    rect,
    rotate,
    streak,
    stroke,
    svg,
    union,
)


def coffee_cup(p: Plastic, accent: Color) -> None:
    handle = minus(oval(73, 58, 15, 17), oval(73, 58, 7.5, 10))
    p.part(handle, accent)
    p.part(oval(46, 88, 38, 6), WHITE)  # saucer
    body = svg("M18 30 L18 76 Q18 88 46 88 Q74 88 74 76 L74 30 Z")
    p.part(body, accent, hl=[svg("M23 38 Q23 70 30 80 L27 81 Q20 70 20 38 Z")])
    rim = oval(46, 30, 28, 7)
    p.part(rim, lighter(accent, 0.15), hl=None)
    p.part(oval(46, 30.5, 23.5, 4.8), BROWN, hl=[oval(40, 29, 7, 1.4)], depth=0.6)
    p.decal(oval(52, 31, 6, 1.6), CREAM, 0.9)


def pizza(p: Plastic, accent: Color) -> None:
    slice_ = svg("M50 95 L13 24 Q50 10 87 24 Z")

    def toppings() -> None:
        p.decal(svg("M13 24 Q50 10 87 24 L84 31 Q50 18 16 31 Z"), (210, 60, 30))  # sauce edge
        for x, y in ((20, 40), (30, 52), (38, 70), (62, 66), (74, 44), (80, 33)):
            p.decal(circle(x, y, 3.2), (255, 230, 130))
        for x, y, r in ((36, 36, 7), (62, 40, 7.5), (48, 58, 6.5), (50, 80, 4.5)):
            p.decal(circle(x + 0.6, y + 0.8, r), darker(accent, 0.4))
            p.decal(circle(x, y, r), accent)
            p.decal(circle(x - r * 0.3, y - r * 0.35, r * 0.28), lighter(accent, 0.35))
            p.decal(circle(x + r * 0.35, y + r * 0.2, r * 0.14), darker(accent, 0.3))
        for x, y in ((28, 48), (56, 52), (70, 34), (44, 46)):
            p.decal(rotate(rect(x, y, 5, 2, 1), 30, x, y), (40, 150, 50))

    p.part(slice_, (255, 196, 40), details=toppings, hl=[rotate(oval(30, 30, 6, 1.6), -20, 30, 30)])
    p.part(stroke(svg("M11 23 Q50 6 89 23"), 11), (222, 150, 70), hl=[streak(20, 16, 40, 11, 1.4)])
    for x, y in ((34, 16), (54, 13.5), (72, 17)):
        p.decal(oval(x, y, 2, 1), (245, 210, 150))


def cake(p: Plastic, accent: Color) -> None:
    p.part(oval(50, 84, 46, 10), WHITE, hl=None)
    body = svg("M12 50 L12 78 A38 10 0 0 0 88 78 L88 50 Z")

    def layers() -> None:
        p.decal(svg("M12 62 A38 10 0 0 0 88 62 L88 66 A38 10 0 0 1 12 66 Z"), (250, 240, 210))
        p.decal(svg("M12 67 A38 10 0 0 0 88 67 L88 70 A38 10 0 0 1 12 70 Z"), (200, 40, 70))

    p.part(body, (140, 80, 50), details=layers, hl=None)
    icing = svg("M10 48 A40 12 0 0 1 90 48 L90 56 Q86 62 82 56 Q78 66 72 58 Q66 64 60 60 Q54 68 48 60 "
                "Q42 66 36 60 Q30 66 26 58 Q20 64 16 56 Q12 62 10 56 Z")
    p.part(icing, accent, hl=["auto", oval(30, 42, 9, 2.4)])
    p.part(oval(50, 47, 36, 9), lighter(accent, 0.18), hl=None, depth=0.4, cast=0.4)
    for x, y, c in ((28, 46, YELLOW), (40, 51, SKY_), (60, 51, GREEN_), (72, 46, YELLOW), (50, 43, SKY_),
                    (35, 43, GREEN_), (64, 43, RED)):
        p.decal(rotate(rect(x, y, 3.5, 1.4, 0.7), 40, x, y), c)

    def candle_stripes(x: float) -> None:
        for y in (28, 34, 40):
            p.line([(x - 3, y), (x + 3, y - 3)], WHITE, 1.1)

    for x, c in ((36, SKY_), (50, YELLOW), (64, GREEN_)):
        p.part(rect(x - 2.2, 22, 4.4, 24, 1.5), c, hl=[streak(x - 1, 24, x - 1, 42, 0.7)],
               details=partial(candle_stripes, x))
        p.line([(x, 22), (x, 18)], DARK, 1)
        p.part(svg(f"M{x} 6 Q{x + 5} 13 {x + 3.6} 16 Q{x} 20 {x - 3.6} 16 Q{x - 5} 13 {x} 6 Z"), (255, 150, 30),
               hl=[oval(x - 0.8, 14.5, 1.4, 2.2)], outline=False)
    p.part(circle(50, 50, 4.5), RED, hl=[circle(48.6, 48.6, 1.3)])


SKY_ = (60, 170, 238)
GREEN_ = (44, 170, 72)
YELLOW_ = (255, 204, 28)


def popcorn(p: Plastic, accent: Color) -> None:
    kernels = [(30, 26, 9), (44, 20, 10), (58, 22, 9.5), (70, 28, 8.5), (24, 36, 8), (38, 32, 9),
               (52, 32, 9.5), (66, 35, 9), (78, 37, 7.5), (50, 12, 7.5), (36, 14, 6.5), (64, 13, 6.5)]
    for x, y, r in kernels:
        blob = union(circle(x, y, r), circle(x + r * 0.5, y + r * 0.3, r * 0.7), circle(x - r * 0.5, y + r * 0.2,
                                                                                          r * 0.65))
        p.part(blob, (255, 244, 210), hl=[oval(x - r * 0.3, y - r * 0.35, r * 0.35, r * 0.2)], depth=0.7,
               details=partial(p.decal, circle(x + r * 0.2, y + r * 0.45, r * 0.3), (250, 196, 80)))
    box = svg("M18 38 L82 38 L72 95 L28 95 Z")

    def stripes() -> None:
        for i in range(7):
            if i % 2 == 0:
                x0, x1 = 18 + i * 64 / 7, 18 + (i + 1) * 64 / 7
                b0, b1 = 28 + i * 44 / 7, 28 + (i + 1) * 44 / 7
                p.decal(poly([(x0, 38), (x1, 38), (b1, 95), (b0, 95)]), accent)

    p.part(box, WHITE, details=stripes, hl=["auto", streak(25, 44, 31, 88, 1.5)])
    p.part(rect(15, 36, 70, 8, 2), accent)


def ice_cream(p: Plastic, accent: Color) -> None:
    cone = svg("M24 46 L76 46 L52 96 Q50 98 48 96 Z")

    def waffle() -> None:
        for i in range(-6, 8):
            p.line([(20 + i * 8, 40), (52 + i * 8, 100)], (180, 110, 50), 1.4)
            p.line([(80 - i * 8, 40), (48 - i * 8, 100)], (180, 110, 50), 1.4)

    p.part(cone, TAN, details=waffle)
    low = union(circle(50, 44, 25), svg("M24 44 Q26 54 32 50 Q36 58 42 52 Q48 60 54 52 Q60 58 66 50 "
                                         "Q72 56 76 44 Z"))
    p.part(low, (250, 236, 200), hl=["auto", oval(38, 35, 6, 3)])
    top = union(circle(50, 26, 20), svg("M30 28 Q34 38 40 34 Q45 41 50 35 Q56 41 60 34 Q66 38 70 28 Z"))
    p.part(top, accent, hl=["auto", oval(40, 17, 6, 3)])
    for x, y, c in ((40, 24, YELLOW_), (54, 18, SKY_), (60, 28, WHITE), (46, 31, GREEN_), (36, 46, accent),
                    (58, 44, SKY_), (48, 48, (230, 60, 120))):
        p.decal(rotate(rect(x, y, 3.5, 1.4, 0.7), -30 + x, x, y), c)
    p.part(circle(52, 7, 5), (210, 20, 40), hl=[circle(50.5, 5.5, 1.4)])
    p.curve(svg("M53 3 Q56 -1 60 0"), (60, 120, 40), 1.4)


def burger(p: Plastic, accent: Color) -> None:
    p.part(svg("M12 76 L88 76 Q88 92 74 92 L26 92 Q12 92 12 76 Z"), accent, hl=[streak(22, 82, 40, 82, 1.2)])

    def grill_marks() -> None:
        for x in range(18, 84, 7):
            p.decal(circle(x, 70, 1), (70, 36, 18))

    p.part(rect(11, 62, 78, 15, 7.5), (110, 60, 30), details=grill_marks)
    p.part(svg("M12 58 L88 58 L88 62 Q84 70 78 62 L64 62 Q60 72 54 62 L34 62 Q28 70 22 62 L12 62 Z"),
           (255, 196, 30), hl=None, cast=0.6)
    p.part(rect(14, 53, 72, 7, 3), RED, hl=None)
    lettuce = svg("M8 52 Q12 44 18 50 Q24 42 30 50 Q36 42 42 50 Q48 42 54 50 Q60 42 66 50 Q72 42 78 50 "
                  "Q84 42 92 52 Q86 56 80 53 Q74 58 68 53 Q62 58 56 53 Q50 58 44 53 Q38 58 32 53 Q26 58 20 53 "
                  "Q14 58 8 52 Z")
    p.part(lettuce, (90, 190, 60), hl=None)
    bun = svg("M10 46 Q10 10 50 10 Q90 10 90 46 Q90 50 86 50 L14 50 Q10 50 10 46 Z")

    def seeds() -> None:
        for x, y, a in ((30, 24, -20), (44, 18, 0), (58, 20, 15), (70, 28, 30), (38, 34, -10), (54, 32, 10),
                        (24, 38, -30), (66, 40, 20), (78, 38, 30)):
            p.decal(rotate(oval(x, y, 2.6, 1.3), a, x, y), (255, 246, 220))

    p.part(bun, accent, details=seeds, hl=["auto", rotate(oval(30, 20, 8, 3), -30, 30, 20)])


def donut(p: Plastic, accent: Color) -> None:
    ring = minus(oval(50, 54, 44, 36), oval(50, 50, 13, 9))
    p.part(ring, (226, 160, 80), hl=None)
    icing = minus(svg("M50 20 Q70 18 82 30 Q92 40 88 54 Q90 62 84 64 Q80 72 72 68 Q64 76 56 72 Q48 78 40 72 "
                      "Q30 76 26 68 Q16 70 14 60 Q8 52 12 42 Q18 24 50 20 Z"), oval(50, 50, 15, 11))

    def sprinkles() -> None:
        for i, (x, y) in enumerate(((28, 36), (40, 28), (60, 28), (72, 38), (78, 52), (22, 52), (34, 62),
                                    (48, 66), (64, 64), (70, 50), (30, 46), (56, 36))):
            c = (YELLOW_, SKY_, WHITE, GREEN_, (130, 70, 220))[i % 5]
            p.decal(rotate(rect(x, y, 5, 1.8, 0.9), i * 47, x, y), c)

    p.part(icing, accent, details=sprinkles, hl=["auto", rotate(oval(30, 32, 8, 2.6), -35, 30, 32)])
    p.part(minus(oval(50, 50, 13, 9), oval(50, 53, 13, 9)), darker((226, 160, 80), 0.3), hl=None,
           outline=False)


def apple(p: Plastic, accent: Color) -> None:
    body = svg("M50 28 C62 18 88 20 88 50 C88 76 70 94 58 92 C54 91 52 89 50 89 C48 89 46 91 42 92 "
               "C30 94 12 76 12 50 C12 20 38 18 50 28 Z")
    p.part(capsule(50, 30, 54, 10, 3.6), (110, 64, 30), hl=None)
    p.part(svg("M55 20 Q64 4 82 10 Q72 26 55 20 Z"), (60, 170, 60),
           details=lambda: p.line([(57, 19), (78, 11)], (40, 120, 40), 1))
    p.part(body, accent, hl=["auto", rotate(oval(28, 40, 5, 10), 20, 28, 40), circle(33, 56, 1.6)])
