"""What the box renderer draws with 3D code that lives above it: scenes (the desk) and moulded pieces.

The sculpt side registers them (`minime.sculpt` on import), so the box never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import UnknownNameError

if TYPE_CHECKING:
    from PIL import Image

# name -> fn(figure parts, box art (RGB), width, height) -> the scene (RGB)
SceneFn = Callable[[list, "Image.Image", int, int], "Image.Image"]
# fn(piece key, height in px, tint=(r, g, b) | None) -> RGBA image, or None when it cannot be rendered
PieceFn = Callable[..., "Image.Image | None"]

SCENE_RENDERERS: dict[str, SceneFn] = {}
_PIECES: list[PieceFn] = []


def register_scene(name: str, fn: SceneFn) -> None:
    """Add a scene a scene template's `kind` names (a later one with the same name replaces it)."""
    SCENE_RENDERERS[name] = fn


def get_scene(name: str) -> SceneFn:
    if name not in SCENE_RENDERERS:
        known = ", ".join(SCENE_RENDERERS) or "none registered (import minime.sculpt, which registers the desk)"
        raise UnknownNameError(f"unknown scene {name!r}; choose one of: {known}")
    return SCENE_RENDERERS[name]


def register_piece_renderer(fn: PieceFn) -> None:
    """Set how a 3D figure's accessory pieces are moulded; it returns None where it cannot render."""
    _PIECES[:] = [fn]


def render_piece(key: str, height: int, *, tint=None) -> Image.Image | None:
    """The piece moulded in 3D, or None (no renderer registered, or none could run): draw the flat art."""
    return _PIECES[0](key, height, tint=tint) if _PIECES else None
