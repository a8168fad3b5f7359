"""The rules a spec's text fields keep: limits, characters, colours and accessory lists."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from minime.colour import CSS_COLORS, hex_or_none, hex_rgb
from minime.errors import BIDI_CONTROLS, SpecError, did_you_mean

# Characters that are letters or symbols to Unicode but print as nothing (Hangul fillers, the blank Braille cell).
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
NAME_MAX = 40
PEOPLE_MAX = 4  # the most people one box holds (the look stage finds at most this many faces)
TAGLINE_MAX = 60
OUTFIT_MAX = 60
ACCESSORIES_MAX = 6
ACCESSORY_MAX = 30
TEMPLATE_MAX = 40
SPEC_FILE_MAX_BYTES = 1_000_000
# The back of the box: the figure's bio.
JOB_MAX = 40
POWERS_MAX = 4
POWER_MAX = 40
QUOTE_MAX = 120
STATS_MAX = 5
STAT_LABEL_MAX = 14
STAT_TOP = 10  # stat bars run 0..10

# The figure's body, chosen by the user (the photo gives no reliable sign of it); "" takes it from the clothes.
BODIES = ("feminine", "masculine", "neutral")
_BODY_WORDS = {"female": "feminine", "woman": "feminine", "male": "masculine", "man": "masculine"}

KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def show(value: str, limit: int = 24) -> str:
    """Quote a user's text for an error line: escaped, shortened, never spanning lines."""
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return repr(value)


def check_chars(text: str) -> None:
    for ch in text:
        category = unicodedata.category(ch)
        if ch in BIDI_CONTROLS:
            name = unicodedata.name(ch, "bidi control")
            raise ValueError(
                f"contains a bidi control character (U+{ord(ch):04X} {name}); "
                "text direction is set automatically"
            )
        if category == "Cc":
            raise ValueError(f"contains a control character (U+{ord(ch):04X}); use plain text on one line")
        if category in ("Zl", "Zp"):
            raise ValueError(f"contains a line break (U+{ord(ch):04X}); use plain text on one line")
        if category == "Cs":
            raise ValueError(f"contains an invalid character (lone surrogate U+{ord(ch):04X})")


def clean_text(text: str) -> str:
    """Strip surrounding whitespace, NFC-normalise and refuse control characters."""
    text = unicodedata.normalize("NFC", text.strip())
    check_chars(text)
    return text


def bad_color(text: str) -> str:
    return f"{show(text)} is not a CSS colour name or hex like #1a2b3c"


def parse_color(text: str) -> tuple[int, int, int]:
    """Parse a CSS colour name or a #rgb / #rrggbb hex colour.

    Args:
        text: e.g. "crimson", "#abc", "#D62839" (case and surrounding spaces do not matter).

    Returns:
        The (r, g, b) channels, each 0-255.

    Raises:
        SpecError: the text is neither a CSS colour name nor a hex colour.
    """
    if not isinstance(text, str):
        raise SpecError(f"color: must be text like 'red' or '#1a2b3c' (got {type_name(text)})")
    normalised = hex_or_none(text)
    if normalised is None:
        raise SpecError(f"color: {bad_color(text)}")
    return hex_rgb(normalised)


def colours_named(text: str) -> list[tuple[int, int, int]]:
    """The CSS colours a phrase names, two-word names first ("hot pink" before "pink"), each left to right:
    "red leather jacket" -> [red]."""
    words = text.casefold().replace("-", " ").split()
    names = ["".join(words[i:i + n]) for n in (2, 1) for i in range(len(words) - n + 1)]
    return [hex_rgb(CSS_COLORS[name]) for name in names if name in CSS_COLORS]


def accessory_list(value: list[str]) -> list[str]:
    if len(value) > ACCESSORIES_MAX:
        raise ValueError(f"at most {ACCESSORIES_MAX} (got {len(value)})")
    cleaned: list[str] = []
    seen: dict[str, str] = {}
    for position, item in enumerate(value, start=1):
        item = clean_item(item, position, ACCESSORY_MAX)
        key = " ".join(item.split()).casefold()
        if key in seen:
            raise ValueError(f"{show(seen[key])} is listed twice")
        seen[key] = item
        cleaned.append(item)
    return cleaned


def check_body(value: str) -> str:
    """A body choice, lowercased: one of BODIES, or "" to take the body from the clothes."""
    body = " ".join(value.split()).lower()
    if body and body not in BODIES:
        hint = f" (did you mean '{_BODY_WORDS[body]}'?)" if body in _BODY_WORDS else did_you_mean(body, BODIES)
        raise ValueError(f"{show(value)} is not a body type{hint}; use {', '.join(BODIES[:-1])} or {BODIES[-1]} "
                         "(or leave it empty: the clothes decide)")
    return body


def clean_limited(value: str, max_len: int) -> str:
    value = clean_text(value)
    if len(value) > max_len:
        raise ValueError(f"must be at most {max_len} characters (got {len(value)})")
    return value


def clean_item(item: str, position: int, max_len: int) -> str:
    try:
        item = clean_text(item)
    except ValueError as exc:
        raise ValueError(f"item {position} {exc}") from None
    if not 1 <= len(item) <= max_len:
        raise ValueError(f"item {position} ({show(item)}) must be 1-{max_len} characters (got {len(item)})")
    if not any(unicodedata.category(ch)[0] in "LNSP" and ch not in BLANK_LETTERS for ch in item):  # e.g. only joiners
        raise ValueError(f"item {position} ({show(item)}) has no visible character; give a word, or leave it out")
    return item


def type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "text"
    return type(value).__name__
