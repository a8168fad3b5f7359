"""The accessory registry: a plain dict filled by explicit `register(...)` calls (see catalogue.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ._plastic import Color, Plastic

Drawer = Callable[[Plastic, Color], None]

_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Accessory:
    """One accessory the figure can hold: its key, display label and the words that name it."""

    key: str
    label: str
    synonyms: tuple[str, ...]


ACCESSORIES: dict[str, Accessory] = {}
DRAWERS: dict[str, tuple[Drawer, Color]] = {}

PROP = Accessory("prop", "Prop", ())


def register(accessory: Accessory, draw: Drawer, accent: Color) -> Accessory:
    """Add an accessory with its drawing function and default accent colour.

    Args:
        accessory: key (kebab-case, unique), label and synonyms.
        draw: paints the piece into the 100-unit design space with a given accent colour.
        accent: the colour used for the tintable part when no tint is asked for.

    Returns:
        The accessory, for chaining.
    """
    key = accessory.key
    if not _KEBAB.match(key):
        raise ValueError(f"accessory key {key!r} must be short kebab-case (a-z, 0-9, '-')")
    if key in ACCESSORIES or key == PROP.key:
        raise ValueError(f"accessory key {key!r} is already registered")
    ACCESSORIES[key] = accessory
    DRAWERS[key] = (draw, accent)
    return accessory
