"""The figure as a typed recipe, and the registries its names come from.

A `FigureRecipe` is everything one figure is built from: the face sculpted from the photo, a body style,
the garments and their colours, a pose, a hair style, and the piece it holds. The sculpt engine reads it
from the photo once; `minime.sculpt.scene.build_figure` builds the figure from it.

Each name in a recipe is a key of one registry below (a plain dict). Adding a body style, a garment, a
pose or a hair style is one entry:

    register_body_style(BodyStyle("chibi", legs=0.4, head=2.6))
    register_garment(Vest())          # a garments.Top or garments.Bottom subclass
    register_pose(Pose("salute", salute))
    register_hair_style(HairStyle("mohawk", mohawk, short=True))

An unknown name raises UnknownNameError, which lists the valid names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import UnknownNameError, did_you_mean
from . import garments, hair_styles, shape
from . import pose as poses
from .garments import Bottom, Outfit, Pattern, Top
from .hair_styles import HairStyle
from .pose import Pose
from .shape import BodyStyle

if TYPE_CHECKING:
    import numpy as np

    from .head import Head

RGB = tuple[float, float, float]

BODY_STYLES: dict[str, BodyStyle] = {}
TOPS: dict[str, Top] = {}
BOTTOMS: dict[str, Bottom] = {}
PATTERNS: dict[str, Pattern] = {}
POSES: dict[str, Pose] = {}
HAIR_STYLES: dict[str, HairStyle] = {}


def register_body_style(style: BodyStyle) -> BodyStyle:
    BODY_STYLES[style.name] = style
    return style


def register_garment(garment: Top | Bottom | Pattern) -> Top | Bottom | Pattern:
    """Add a top, a bottom or a pattern; its `words` name it in --outfit."""
    if isinstance(garment, Top):
        TOPS[garment.name] = garment
    elif isinstance(garment, Bottom):
        BOTTOMS[garment.name] = garment
    else:
        PATTERNS[garment.name] = garment
    return garment


def register_pose(entry: Pose) -> Pose:
    POSES[entry.name] = entry
    return entry


def register_hair_style(style: HairStyle) -> HairStyle:
    HAIR_STYLES[style.name] = style
    return style


for _style in shape.BUILT_IN:
    register_body_style(_style)
for _garment in garments.BUILT_IN:
    register_garment(_garment)
for _pose in poses.BUILT_IN:
    register_pose(_pose)
for _hair in hair_styles.BUILT_IN:
    register_hair_style(_hair)


def _get(table: dict, what: str, name: str):
    try:
        return table[name]
    except (KeyError, TypeError):
        raise UnknownNameError(f"unknown {what} {name!r}; choose one of: {', '.join(table)}"
                               f"{did_you_mean(str(name), table)}") from None


def body_style(name: str) -> BodyStyle:
    return _get(BODY_STYLES, "body style", name)


def top(name: str) -> Top:
    return _get(TOPS, "top", name)


def bottom(name: str) -> Bottom:
    return _get(BOTTOMS, "bottom", name)


def pattern(name: str) -> Pattern | None:
    """The pattern on the top, or None for plain cloth ("")."""
    return None if name == "" else _get(PATTERNS, "pattern", name)


def pose(name: str) -> Pose:
    return _get(POSES, "pose", name)


def hair_style(name: str) -> HairStyle:
    return _get(HAIR_STYLES, "hair style", name)


@dataclass(frozen=True)
class Hair:
    """The sculpted hair: a style's name, its paint (sRGB 0-1) and the seed of its small details; from a photo,
    the lighter strands' colour, the hair region (GRID) the style's volume follows, the hair's texture, its
    parting and its front hairline (see hair.build_hair)."""

    style: str = "side-part"
    color: RGB = (0.15, 0.1, 0.08)
    seed: int = 0
    highlight: RGB | None = None
    outline: np.ndarray | None = field(default=None, compare=False, repr=False)
    texture: str = "straight"  # straight, wavy, curly, coily or locs (hair.TEXTURES)
    parting: float | None = None  # head-space x of the photo's parting (look.hair.HairRead), or none
    hairline: tuple | None = None  # the photo's front hairline (look.hair.read_hairline), or none seen


@dataclass
class FigureRecipe:
    """Everything one figure is built from.

    Args:
        head: the head sculpted and painted from the photo (head space).
        hair: its hair.
        outfit: its garments and their colours; `outfit.skin` paints the hands.
        build: 0 slim .. 1 broad.
        gender: 0 female .. 1 male body; None takes it from the garments.
        pose: a name in POSES.
        style: a name in BODY_STYLES.
        held: the accessory (its catalogue key) the figure holds in a pose that holds, or None.
        tint: the box's colour, for a held piece that takes it.
        scale: the figure's size next to the others' on the base (a child's is smaller).
    """

    head: Head
    hair: Hair = field(default_factory=Hair)
    outfit: Outfit = field(default_factory=Outfit)
    build: float = 0.5
    gender: float | None = None
    pose: str = "standing"
    style: str = "action"
    held: str | None = None
    worn: tuple[str, ...] = ()  # accessories (catalogue keys) worn on the head, neck or back (see worn.py)
    tint: tuple[int, int, int] | None = None
    scale: float = 1.0

    def __repr__(self) -> str:  # nothing of a face in logs
        return f"FigureRecipe(style={self.style!r}, pose={self.pose!r}, hair={self.hair.style!r})"

    def body_gender(self) -> float:
        """The body's gender: the recipe's own, else what the garments suggest, else 0.7."""
        if self.gender is not None:
            return self.gender
        shirt = top(self.outfit.top)
        worn: list[Top | Bottom] = [shirt] if shirt.covers_legs else [shirt, bottom(self.outfit.bottom)]
        hints = [g.gender for g in worn if g.gender is not None]
        return min(hints) if hints else 0.7


def outfit_words() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """word -> top, bottom and pattern names, for reading --outfit."""
    tops = {w: g.name for g in TOPS.values() for w in g.words}
    bottoms = {w: g.name for g in BOTTOMS.values() for w in g.words}
    return tops, bottoms, {w: g.name for g in PATTERNS.values() for w in g.words}
