"""EAN-13 checked against published examples (GS1's check-digit rule, the ISO/IEC 15420 code tables)."""

from __future__ import annotations

import pytest

from minime.box.barcode import check_digit, decode, ean13_for, modules

# Numbers printed on real products and in the standard's own examples, with their check digits.
PUBLISHED = ["4006381333931", "5901234123457", "9780306406157", "6291041500213", "0012345678905"]


@pytest.mark.parametrize("code", PUBLISHED)
def test_check_digit_of_published_numbers(code):
    assert check_digit(code[:12]) == code[12]


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


@pytest.mark.parametrize("code", ["4006381333932", "400638133393", "40063813339x1"])
def test_a_wrong_check_digit_or_length_is_refused(code):
    with pytest.raises(ValueError):
        modules(code)


def test_names_get_in_store_codes():
    code = ean13_for("Ada Lovelace")
    assert code.startswith("2") and len(code) == 13 and check_digit(code[:12]) == code[12]
    assert decode(modules(code)) == code
