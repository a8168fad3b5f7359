"""EAN-13 barcodes made from a name, so every box carries a real, scannable code."""

from __future__ import annotations

import hashlib

_L = ["0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011"]
_G = ["".join("1" if b == "0" else "0" for b in code)[::-1] for code in _L]
_R = ["".join("1" if b == "0" else "0" for b in code) for code in _L]
_PARITY = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"]


def check_digit(digits12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits12))
    return str((10 - total % 10) % 10)


def ean13_for(text: str) -> str:
    """A stable 13-digit EAN for `text`, in the 200-299 'in-store' prefix range so it clashes with no product."""
    digest = int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16)
    body = "2" + f"{digest % 10**11:011d}"
    return body + check_digit(body)


def modules(code: str) -> str:
    """The 95 bar modules ('1' = bar) of a 13-digit EAN."""
    if len(code) != 13 or not code.isdigit() or check_digit(code[:12]) != code[12]:
        raise ValueError(f"not a valid EAN-13: {code!r}")
    parity = _PARITY[int(code[0])]
    left = "".join((_L if p == "L" else _G)[int(d)] for p, d in zip(parity, code[1:7]))
    right = "".join(_R[int(d)] for d in code[7:])
    return "101" + left + "01010" + right + "101"


def decode(bits: str) -> str:
    """Read the digits back from 95 modules (used by the tests to prove the bars are real)."""
    left, right = bits[3:45], bits[50:92]
    parity, digits = "", ""
    for i in range(6):
        chunk = left[i * 7 : i * 7 + 7]
        if chunk in _L:
            parity, digits = parity + "L", digits + str(_L.index(chunk))
        else:
            parity, digits = parity + "G", digits + str(_G.index(chunk))
    for i in range(6):
        digits += str(_R.index(right[i * 7 : i * 7 + 7]))
    return str(_PARITY.index(parity)) + digits
