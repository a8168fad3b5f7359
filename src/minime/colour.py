"""Colours written as text, read in one place: CSS colour names and #rgb / #rrggbb hex."""

from __future__ import annotations

import re

from PIL import ImageColor

Rgb = tuple[int, int, int]

# The 148 CSS named colours (CSS Color Module Level 4), lowercase name -> "#rrggbb", from Pillow's table.
CSS_COLORS: dict[str, str] = {name: "#" + "".join(f"{c:02x}" for c in ImageColor.getrgb(name)[:3]) for name in ImageColor.colormap}

HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def hex_rgb(value: str) -> Rgb:
    """A "#rrggbb" colour (the "#" may be left out) as its (r, g, b) channels, each 0-255."""
    value = value.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def hex_or_none(text: str) -> str | None:
    """A CSS colour name, "#rgb" or "#rrggbb" (any case, spaces around) as "#rrggbb" in lowercase, or None."""
    key = text.strip().lower()
    if key in CSS_COLORS:
        return CSS_COLORS[key]
    if HEX.fullmatch(key):
        digits = key[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return "#" + digits
    return None
