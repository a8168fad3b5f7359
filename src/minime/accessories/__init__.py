"""The accessory library: glossy plastic toy pieces (drawn in code, or emoji art moulded in plastic), and
matching free text to them. The box draws the pieces flat; the sculpt engine moulds them in 3D from the
same art, through the drawing kit and art sources exported here.

Usage::

    m = match_accessory("my red guitar")        # Match(key="guitar", known=True, ...)
    img = render_accessory(m.key, 256)           # RGBA PIL image; "prop" for unknown things
"""

from ._plastic import Color, Plastic, argb, darker, stroke
from ._plastic import svg as svg_path
from .catalogue import Piece, catalogue, search
from .emoji import EmojiPiece, emoji_bounds, emoji_pieces, emoji_raster, emoji_svg
from .matching import Match, match_accessory
from .registry import ACCESSORIES, DRAWERS, PROP, Accessory, register
from .render import drawer, drawn_bounds, render_accessory

__all__ = [
    # the catalogue and matching
    "ACCESSORIES", "PROP", "Accessory", "Match", "Piece", "catalogue", "match_accessory", "register",
    "render_accessory", "search",
    # the art of each piece, for moulding it in 3D: drawn pieces...
    "DRAWERS", "drawer", "drawn_bounds", "Color", "Plastic", "argb", "darker", "stroke", "svg_path",
    # ...and emoji pieces
    "EmojiPiece", "emoji_bounds", "emoji_pieces", "emoji_raster", "emoji_svg",
]
