"""EAN-13 checked against published examples (GS1's check-digit rule, the ISO/IEC 15420 code tables).

The digits are read back from the bars as drawn, with the standard's tables written out here, so a slip in
minime's own tables cannot hide itself.
"""

from __future__ import annotations

import numpy as np
import pytest
import skia

from minime.box import barcode, paint
from minime.box.barcode import check_digit, decode, ean13_for, modules
from minime.spec import build_spec

# Numbers printed on real products and in the standard's own examples, with their check digits.
PUBLISHED = ["4006381333931", "5901234123457", "9780306406157", "6291041500213", "0012345678905"]

# ISO/IEC 15420: the L (odd parity) patterns; R is L with bars and spaces swapped, G is R reversed.
L_CODES = ["0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011"]
R_CODES = ["".join("1" if b == "0" else "0" for b in code) for code in L_CODES]
G_CODES = [code[::-1] for code in R_CODES]
# The first digit is not drawn: it is the pattern of L and G in the left half.
PARITY = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"]


def gs1_check_digit(digits12: str) -> str:
    """GS1 General Specifications 7.9.1: weights 1 and 3 from the left, the digit that makes a multiple of ten."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits12))
    return str((10 - total % 10) % 10)


def read_modules(bits: str) -> str | None:
    """The 13 digits of 95 modules, or None when they are no EAN-13."""
    if len(bits) != 95 or bits[:3] != "101" or bits[45:50] != "01010" or bits[92:] != "101":
        return None
    left, parity = "", ""
    for k in range(6):
        chunk = bits[3 + 7 * k: 10 + 7 * k]
        if chunk in L_CODES:
            left, parity = left + str(L_CODES.index(chunk)), parity + "L"
        elif chunk in G_CODES:
            left, parity = left + str(G_CODES.index(chunk)), parity + "G"
        else:
            return None
    right = [bits[50 + 7 * k: 57 + 7 * k] for k in range(6)]
    if parity not in PARITY or any(chunk not in R_CODES for chunk in right):
        return None
    return str(PARITY.index(parity)) + left + "".join(str(R_CODES.index(chunk)) for chunk in right)


def read_row(dark: np.ndarray) -> str | None:
    """Find and read an EAN-13 along one row of pixels (True where ink): 30 bars whose edges fall on a grid
    of 95 modules."""
    edges = np.flatnonzero(np.diff(np.concatenate([[False], dark, [False]]).astype(np.int8)))
    starts, ends = edges[0::2], edges[1::2]
    for first in range(len(starts) - 29):
        x0, x1 = starts[first], ends[first + 29]
        module = (x1 - x0) / 95
        if module < 1.5:
            continue
        bits = ["0"] * 95
        for s, e in zip(starts[first:first + 30], ends[first:first + 30]):
            a, b = round((s - x0) / module), round((e - x0) / module)
            bits[a:b] = "1" * (b - a)
        code = read_modules("".join(bits))
        if code:
            return code
    return None


def read_image(rgb: np.ndarray) -> str | None:
    """The first EAN-13 found in the picture, scanning rows from the bottom up."""
    ink = rgb[..., :3].astype(np.int16).max(-1) < 90
    for y in range(rgb.shape[0] - 1, -1, -2):
        code = read_row(ink[y])
        if code:
            return code
    return None


def draw(code_for_name: str) -> np.ndarray:
    """A barcode sticker as the box draws it, on a coloured board."""
    surface = skia.Surface(1300, 420)
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorSetARGB(255, 120, 40, 40))
    ctx = paint.Ctx(canvas, None, build_spec(name=code_for_name), {}, None, None, [], {})
    paint.draw_barcode(ctx, skia.Rect.MakeXYWH(50, 10, 1170, 400), 1.0)
    return surface.makeImageSnapshot().toarray()


@pytest.mark.parametrize("code", PUBLISHED)
def test_check_digit_of_published_numbers(code):
    assert gs1_check_digit(code[:12]) == code[12]
    assert check_digit(code[:12]) == code[12]


@pytest.mark.parametrize("code", PUBLISHED)
def test_modules_of_published_numbers_read_back_with_the_standard_tables(code):
    assert read_modules(modules(code)) == code
    assert decode(modules(code)) == code


def test_modules_of_4006381333931_match_the_code_tables():
    # First digit 4: left-half parity L G L L G G (ISO/IEC 15420, table 7), then the L, G and R patterns.
    expected = (
        "101"
        + "0001101" + "0100111" + "0101111" + "0111101" + "0001001" + "0110011"  # 0(L) 0(G) 6(L) 3(L) 8(G) 1(G)
        + "01010"
        + "1000010" * 3 + "1110100" + "1000010" + "1100110"  # 3 3 3 9 3 1 (R)
        + "101"
    )
    assert modules("4006381333931") == expected
    assert decode(expected) == "4006381333931"


@pytest.mark.parametrize("code", PUBLISHED)
def test_drawn_bars_of_published_numbers_read_back(code, monkeypatch):
    monkeypatch.setattr(barcode, "ean13_for", lambda text: code)  # the sticker draws this number
    assert read_image(draw("Ada")) == code


def test_a_name_gets_an_in_store_code_that_scans(toy_figure):
    from minime.box.render import render

    read = read_image(draw("Ada Lovelace"))
    assert read == ean13_for("Ada Lovelace")
    assert read[0] == "2" and gs1_check_digit(read[:12]) == read[12]  # GS1 prefix 2: for use in one store
    # On a whole box at print size, the sticker in the foot scans as the same number.
    box = render(toy_figure, build_spec(name="Ada Lovelace"), width=2400, height=3000)
    rgb = np.asarray(box.image.convert("RGB"))
    assert read_image(rgb[int(rgb.shape[0] * 0.7):]) == read


@pytest.mark.parametrize("code", ["4006381333932", "400638133393", "40063813339x1"])
def test_a_wrong_check_digit_or_length_is_refused(code):
    with pytest.raises(ValueError):
        modules(code)


def test_a_misprinted_bar_does_not_scan():
    bits = modules("5901234123457")
    flipped = bits[:20] + ("0" if bits[20] == "1" else "1") + bits[21:]
    assert read_modules(bits) == "5901234123457" and read_modules(flipped) is None
