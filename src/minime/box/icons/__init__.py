"""The accessory library: glossy plastic toy pieces (drawn in code, or emoji art moulded in plastic), and
matching free text to them.

Usage::

    m = match_accessory("my red guitar")        # Match(key="guitar", known=True, ...)
    img = render_accessory(m.key, 256)           # RGBA PIL image; "prop" for unknown things
"""

from . import catalog as _catalog  # noqa: F401  (its register(...) calls fill ACCESSORIES)
from .catalogue import catalogue, search
from .matching import Match, match_accessory
from .registry import ACCESSORIES, PROP, Accessory, register
from .render import render_accessory

__all__ = ["ACCESSORIES", "PROP", "Accessory", "Match", "catalogue", "match_accessory", "register", "render_accessory",
           "search"]
