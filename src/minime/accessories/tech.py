"""Gadgets: computers, phones, cameras, audio, games, tools with batteries."""

from __future__ import annotations

from ._plastic import (
    BLACK,
    BLUE,
    DARK,
    GOLD,
    GREEN,
    GREY,
    LIME,
    PURPLE,
    RED,
    SILVER,
    SKY,
    TEAL,
    WHITE,
    YELLOW,
    Color,
    Plastic,
    arc_path,
    capsule,
    circle,
    darker,
    lighter,
    minus,
    mirror_x,
    oval,
    polar,
    poly,
    quad_cell,
    rect,
    rotate,
    rounded,
    streak,
    stroke,
    svg,
    union,
)


def laptop(p: Plastic, accent: Color) -> None:
    p.part(rect(4, 78, 92, 8, 3), darker(accent, 0.15), hl=None)  # front edge of the base
    deck = [(17, 62), (83, 62), (96, 81), (4, 81)]
    keys = [(22, 64.5), (78, 64.5), (84, 74), (16, 74)]

    def keyboard() -> None:
        for row in range(4):
            for col in range(11):
                p.decal(quad_cell(keys, col / 11 + 0.008, row / 4 + 0.05, (col + 1) / 11 - 0.008,
                                  (row + 1) / 4 - 0.04), DARK)
        p.decal(quad_cell(deck, 0.38, 0.7, 0.62, 0.94), darker(accent, 0.18))

    p.part(rounded(poly(deck), 1), accent, details=keyboard, hl=None)
    p.part(rect(16, 8, 68, 55, 4), accent, hl=[streak(20, 11, 40, 11, 1.2)])
    glass = rect(20, 12, 60, 46, 1.5)

    def wallpaper() -> None:
        p.decal(svg("M20 58 L20 44 Q40 30 58 44 Q70 52 80 40 L80 58 Z"), SKY, 0.7)
        p.decal(svg("M20 58 L20 50 Q44 42 60 54 L64 58 Z"), lighter(BLUE, 0.2), 0.9)

    p.part(glass, (28, 58, 150), hl=[(poly([(20, 12), (48, 12), (30, 58), (20, 58)]), 0.3)], depth=0.5,
           details=wallpaper)
    p.decal(circle(50, 10, 0.9), BLACK)


def smartphone(p: Plastic, accent: Color) -> None:
    p.part(rect(70, 24, 4, 10, 1.5), darker(accent, 0.1), hl=None)
    p.part(rect(27, 5, 46, 90, 9), accent, hl=["auto", streak(31, 20, 31, 80, 1.2)])
    screen = rect(31, 9, 38, 82, 6)

    def apps() -> None:
        p.decal(svg("M31 60 Q50 48 69 62 L69 91 L31 91 Z"), (110, 70, 220), 0.6)
        cols = [RED, YELLOW, GREEN, SKY, (255, 140, 40), PURPLE, (240, 90, 160), LIME, BLUE, WHITE, TEAL, RED]
        for i, c in enumerate(cols):
            x, y = 34.5 + (i % 4) * 8.2, 19 + (i // 4) * 9
            p.decal(rect(x, y, 6, 6, 1.8), c)
        for i, c in enumerate([GREEN, SKY, (255, 140, 40), WHITE]):
            p.decal(rect(34.5 + i * 8.2, 80, 6, 6, 1.8), c)
        p.decal(rect(33, 78, 34, 10, 3.5), (255, 255, 255), 0.25)

    p.part(screen, (40, 110, 230), hl=[(poly([(31, 9), (54, 9), (31, 40)]), 0.3)], depth=0.4, details=apps)
    p.decal(rect(44, 12, 12, 3.2, 1.6), BLACK)



def camera(p: Plastic, accent: Color) -> None:
    p.part(rect(70, 17, 14, 9, 2), SILVER)  # flash
    p.part(poly([(34, 15), (62, 15), (67, 28), (29, 28)]), BLACK)  # viewfinder hump
    p.part(rect(14, 21, 12, 7, 2), RED)  # shutter button
    leather = rect(6, 38, 88, 40, 0)

    def skin() -> None:
        p.decal(leather, accent)
        for x in range(8, 94, 4):
            p.decal(rect(x, 38, 1, 40), darker(accent, 0.2), 0.5)

    p.part(rect(6, 26, 88, 60, 9), SILVER, hl=["auto"], details=skin, cast=0)
    p.part(circle(52, 57, 25), SILVER)
    p.part(circle(52, 57, 20), BLACK)
    p.part(circle(52, 57, 14), (30, 60, 140), hl=[oval(47, 51, 5, 3), circle(57, 63, 1.6)], depth=0.6)
    p.decal(circle(52, 57, 6), (10, 20, 50))
    p.gloss(rotate(oval(46, 52, 4, 2.2), -35, 46, 52))
    p.part(rect(12, 30, 10, 5, 1.5), BLACK, hl=None)


def headphones(p: Plastic, accent: Color) -> None:
    band = arc_path(50, 56, 37, 180, 180)
    p.part(stroke(band, 9), accent)
    p.part(stroke(arc_path(50, 56, 37, 200, 140), 4), darker(accent, 0.2), hl=None, depth=0.4)
    for side in (1, -1):
        cup = rect(6, 48, 22, 40, 10)
        cushion = rect(23, 51, 9, 34, 4.5)
        yoke = rect(11, 42, 12, 10, 3)
        if side < 0:
            cup, cushion, yoke = mirror_x(cup), mirror_x(cushion), mirror_x(yoke)
        p.part(yoke, SILVER)
        p.part(cushion, DARK)
        p.part(cup, accent)
        p.part(oval(17 if side > 0 else 83, 68, 5, 11), lighter(accent, 0.25), hl=None, depth=0.5, cast=0.4)


def headset(p: Plastic, accent: Color) -> None:
    band = arc_path(50, 58, 35, 180, 180)
    p.part(stroke(band, 11), BLACK)
    p.part(stroke(arc_path(50, 58, 35, 215, 110), 3), accent, hl=None, depth=0.4, cast=0)
    boom = svg("M22 80 Q26 94 50 91")
    for side in (1, -1):
        cup = svg("M8 56 Q8 44 20 44 L24 44 Q30 44 30 56 L30 82 Q30 92 20 92 Q8 92 8 80 Z")
        if side < 0:
            cup = mirror_x(cup)
        p.part(cup, DARK)
        cx = 19 if side > 0 else 81
        p.part(oval(cx, 68, 6, 13), accent, hl=None, depth=0.6, cast=0.3)
        p.part(poly([(cx - 1.5, 60), (cx + 2.5, 66), (cx - 1.5, 72)] if side > 0 else
                    [(cx + 1.5, 60), (cx - 2.5, 66), (cx + 1.5, 72)]), BLACK, hl=None, outline=False, cast=0)
    p.part(stroke(boom, 4.5), BLACK, hl=None)
    p.part(rect(47, 86, 13, 9, 4.5), accent)


def game_controller(p: Plastic, accent: Color) -> None:
    body = svg("M22 30 L78 30 Q92 30 95 48 L98 70 Q100 86 88 86 Q80 86 74 74 L68 66 L32 66 L26 74 "
               "Q20 86 12 86 Q0 86 2 70 L5 48 Q8 30 22 30 Z")
    p.part(rect(18, 24, 16, 9, 3), DARK, hl=None)
    p.part(rect(66, 24, 16, 9, 3), DARK, hl=None)
    p.part(body, accent)
    dpad = union(rect(15, 44, 16, 6, 1.2), rect(20, 39, 6, 16, 1.2))
    p.part(dpad, BLACK)
    for (x, y), c in zip([(78, 39), (86, 47), (78, 55), (70, 47)], [YELLOW, RED, GREEN, SKY]):
        p.part(circle(x, y, 4.2), c, hl=[oval(x - 1.3, y - 1.6, 1.8, 1)])
    for x in (38, 62):
        p.part(circle(x, 60, 7), DARK)
        p.part(circle(x, 60, 4.5), BLACK, hl=[oval(x - 1.5, 58, 2, 1)], depth=0.5)
    p.part(rect(44, 44, 5, 3, 1.5), DARK, hl=None)
    p.part(rect(52, 44, 5, 3, 1.5), DARK, hl=None)


def drone(p: Plastic, accent: Color) -> None:
    rotors = ((20, 24), (80, 24), (20, 76), (80, 76))
    p.part(union(*[capsule(50, 50, x, y, 9) for x, y in rotors]), DARK, hl=None)
    for x, y in rotors:
        def guard(x=x, y=y) -> None:
            p.decal(minus(circle(x, y, 16), circle(x, y, 13.5)), SILVER)
            p.decal(rotate(rect(x - 14, y - 2.2, 28, 4.4, 2.2), 30, x, y), BLACK)
            p.decal(rotate(rect(x - 14, y - 2.2, 28, 1.2, 0.6), 30, x, y), GREY)

        p.part(circle(x, y, 16), (200, 220, 235), hl=["auto"], depth=0.5, cast=0.5, details=guard)
        p.part(circle(x, y, 3.5), accent, hl=None)
    p.part(rect(33, 34, 34, 34, 11), accent)
    p.part(circle(50, 51, 8), BLACK, hl=[oval(47.5, 48.5, 2.5, 1.6)])
    p.decal(circle(50, 51, 3.5), (40, 90, 200))
    p.part(rect(44, 38, 12, 4, 2), darker(accent, 0.2), hl=None, depth=0.3)


def _seven_seg(p: Plastic, x: float, y: float, h: float, digit: int, color: Color) -> None:
    w, t = h * 0.55, h * 0.13
    segs = {"a": (x, y, w, t), "d": (x, y + h - t, w, t), "g": (x, y + h / 2 - t / 2, w, t),
            "f": (x, y, t, h / 2), "b": (x + w - t, y, t, h / 2),
            "e": (x, y + h / 2, t, h / 2), "c": (x + w - t, y + h / 2, t, h / 2)}
    on = ["abcdef", "bc", "abged", "abgcd", "fgbc", "afgcd", "afgedc", "abc", "abcdefg", "abcdfg"][digit]
    for s in on:
        p.decal(rect(*segs[s]), color)


def calculator(p: Plastic, accent: Color) -> None:
    p.part(rect(18, 5, 64, 90, 9), accent)
    lcd = rect(25, 12, 50, 18, 3)

    def digits() -> None:
        for i, d in enumerate((4, 2, 7)):
            _seven_seg(p, 42 + i * 8.5, 15.5, 11, d, (40, 50, 40))

    p.part(lcd, (170, 196, 160), hl=[(poly([(25, 12), (40, 12), (32, 30), (25, 30)]), 0.35)], depth=0.4,
           details=digits)
    for r in range(4):
        for col in range(4):
            c = (255, 140, 40) if col == 3 else (WHITE if r < 3 else SILVER)
            if r == 0 and col < 3:
                c = lighter(GREY, 0.3)
            p.part(rect(25 + col * 13, 37 + r * 13.5, 10, 10, 3), c, hl=[oval(28 + col * 13, 39.5 + r * 13.5,
                                                                           2.5, 1.1)])


def flashlight(p: Plastic, accent: Color) -> None:
    def r(path):
        return rotate(path, -35, 50, 50)

    p.part(r(rect(4, 40, 54, 20, 5)), accent, hl=[r(streak(9, 44, 54, 44, 1.6))])
    p.part(r(rect(14, 40, 4, 20, 1)), darker(accent, 0.3), hl=None)
    p.part(r(rect(22, 40, 4, 20, 1)), darker(accent, 0.3), hl=None)
    p.part(r(rect(40, 35.5, 10, 5, 2)), RED)  # switch
    p.part(r(poly([(56, 40), (72, 30), (84, 30), (84, 70), (72, 70), (56, 60)])), BLACK,
           hl=[r(streak(60, 39, 72, 33, 1.4))])
    p.part(r(oval(86, 50, 5, 20)), (255, 236, 150), hl=[r(oval(85, 42, 2, 6))], depth=0.4)


def lightbulb(p: Plastic, accent: Color) -> None:
    base = rect(37, 66, 26, 22, 3)

    def threads() -> None:
        for y in (70, 75, 80):
            p.line([(37, y), (63, y + 2)], darker(SILVER, 0.35), 1.3)

    p.part(base, SILVER, details=threads)
    p.part(svg("M42 88 L58 88 Q56 95 50 95 Q44 95 42 88 Z"), DARK, hl=None)
    glass = svg("M50 5 C72 5 84 22 82 38 C80 52 66 56 64 68 L36 68 C34 56 20 52 18 38 C16 22 28 5 50 5 Z")

    def filament() -> None:
        p.curve(svg("M43 66 L43 46 M57 66 L57 46 M43 46 L46 38 L50 46 L54 38 L57 46"), darker(accent, 0.3), 1.6)

    p.part(glass, accent, details=filament, hl=["auto", rotate(oval(33, 27, 6, 11), 30, 33, 27),
                                                 circle(40, 44, 1.8)], depth=0.6)


def wristwatch(p: Plastic, accent: Color) -> None:
    strap = rect(34, 4, 32, 92, 8)

    def holes() -> None:
        for y in (74, 81, 88):
            p.decal(circle(50, y, 1.6), darker(accent, 0.45))

    p.part(strap, accent, details=holes)
    p.part(rect(30, 28, 40, 44, 8), GOLD)
    p.part(rect(69, 45, 6, 10, 2), GOLD)  # crown
    p.part(circle(50, 50, 17), GOLD, hl=None)
    face = circle(50, 50, 14.5)

    def dial() -> None:
        for i in range(12):
            a, b = polar(50, 50, 12.5, i * 30), polar(50, 50, 10 if i % 3 == 0 else 11.2, i * 30)
            p.line([a, b], BLACK, 1.6 if i % 3 == 0 else 0.9)
        p.line([(50, 50), polar(50, 50, 7, -60)], BLACK, 2)
        p.line([(50, 50), polar(50, 50, 10.5, 30)], BLACK, 1.4)
        p.decal(circle(50, 50, 1.6), RED)

    p.part(face, WHITE, details=dial, hl=[rotate(oval(44, 42, 7, 2.6), -35, 44, 42)], depth=0.5)


def alarm_clock(p: Plastic, accent: Color) -> None:
    for x in (1, -1):
        leg = capsule(34, 80, 26, 92, 6)
        p.part(leg if x > 0 else mirror_x(leg), DARK)
    p.part(capsule(50, 10, 50, 18, 5), SILVER)
    p.part(capsule(22, 14, 78, 14, 3), SILVER, hl=None)
    for bell in (rotate(svg("M12 24 A16 16 0 0 1 40 18 Z"), 0, 0, 0),):
        p.part(bell, SILVER)
        p.part(mirror_x(bell), SILVER)
    p.part(circle(50, 55, 35), accent)
    face = circle(50, 55, 27)

    def dial() -> None:
        for i in range(12):
            a, b = polar(50, 55, 24, i * 30), polar(50, 55, 20 if i % 3 == 0 else 22, i * 30)
            p.line([a, b], BLACK, 2.2 if i % 3 == 0 else 1.2)
        p.line([(50, 55), polar(50, 55, 14, -120)], BLACK, 3)
        p.line([(50, 55), polar(50, 55, 20, -30)], BLACK, 2)
        p.line([(50, 55), polar(50, 55, 20, 100)], RED, 1)
        p.decal(circle(50, 55, 2.4), RED)

    p.part(face, WHITE, details=dial, hl=[rotate(oval(38, 40, 10, 3.5), -35, 38, 40)], depth=0.5)
