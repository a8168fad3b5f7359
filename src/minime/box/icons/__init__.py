"""The accessory library: glossy plastic toy pieces drawn in code, and matching free text to them."""

from .catalog import draw_prop as _draw_prop  # noqa: F401  (fills the registry)
from .registry import ACCESSORIES, Accessory, register
from .render import render_accessory

__all__ = ["ACCESSORIES", "Accessory", "register", "render_accessory"]
