"""A box template file (`templates/<name>.toml`), typed: an unknown key, a wrong type or a missing
measure fails when the file is loaded, with one line naming the file and the key, not later in a drawing."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import MinimeError, did_you_mean

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

Fraction = Annotated[float, Field(ge=0, le=1)]     # a length as a fraction of the face
Colour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]


class TemplateError(MinimeError, ValueError):
    """A template file breaks a rule."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Card(_Section):
    aspect: Annotated[float, Field(gt=0, le=2)] | None = None   # width / height
    corner: Fraction | None = None            # corner radius, fraction of the width
    border_inset: Fraction | None = None      # the thin inner border
    burst_rays: Annotated[int, Field(ge=0, le=360)] | None = None  # light rays behind the bubble
    slot_y: Fraction | None = None            # the hang slot's top
    flat: bool | None = None                  # printed flat: a brand's colour comes out exactly
    hole_edge: Colour | None = None


class Header(_Section):
    top: Fraction | None = None
    height: Fraction | None = None
    name_size: Fraction | None = None         # the largest name size, fraction of the width
    tagline_size: Fraction | None = None
    slant: Annotated[float, Field(ge=-45, le=45)] | None = None  # degrees the header rises to the right


class Bubble(_Section):
    top: Fraction | None = None
    bottom: Fraction | None = None
    side: Fraction | None = None
    corner: Fraction | None = None
    tray_width: Fraction | None = None        # an accessory column
    tray_height: Fraction | None = None       # an accessory row


class Window(_Section):
    top: Fraction | None = None
    bottom: Fraction | None = None
    side: Fraction | None = None
    arch: Fraction | None = None              # the radius of the window's top corners


class Carton(_Section):
    aspect: Annotated[float, Field(gt=0, le=2)] | None = None   # front width / height
    lid: Fraction | None = None               # the lid's top face seen from above
    depth: Fraction | None = None             # the side panel's width, fraction of the front's


class Foot(_Section):
    top: Fraction | None = None


class Scene(_Section):
    dark: bool | None = None                  # a dark studio wall


class Edition(_Section):
    run: Annotated[int, Field(ge=1, le=1_000_000)] | None = None  # the numbered edition's size


class Colors(_Section):
    accent: Colour | None = None
    ink: Colour | None = None
    paper: Colour | None = None
    board: Colour | None = None
    night: Colour | None = None
    neon: Colour | None = None


_HEADER = ("top", "height", "name_size")
# What each kind's drawing code reads without a default.
REQUIRED: dict[str, dict[str, tuple[str, ...]]] = {
    "blister": {"card": ("aspect", "corner", "border_inset", "burst_rays"), "header": (*_HEADER, "tagline_size"),
                "bubble": ("top", "bottom", "side", "corner", "tray_width"), "foot": ("top",)},
    "retro": {"card": ("aspect",), "header": _HEADER, "bubble": ("top", "bottom", "side", "tray_height"),
              "foot": ("top",)},
    "minimal": {"card": ("aspect",), "header": _HEADER, "bubble": ("top", "bottom"), "foot": ("top",)},
    "window-box": {"box": ("aspect", "depth"), "header": _HEADER, "window": ("top", "bottom", "side", "arch"),
                   "foot": ("top",)},
    "collector": {"box": ("aspect", "depth"), "header": _HEADER, "window": ("top", "bottom", "side"), "foot": ("top",)},
}
_NAME = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class PackageTemplate(_Section):
    """A package: a card or a carton, drawn by the code its `kind` names."""

    name: Annotated[str, Field(pattern=_NAME, max_length=40)]
    summary: Annotated[str, Field(min_length=1, max_length=120, pattern=r"^[^\n]+$")]
    kind: Literal["blister", "retro", "minimal", "window-box", "collector"]
    card: Card | None = None
    header: Header | None = None
    bubble: Bubble | None = None
    window: Window | None = None
    box: Carton | None = None
    foot: Foot | None = None
    scene: Scene | None = None
    edition: Edition | None = None
    colors: Colors | None = None

    @model_validator(mode="after")
    def _complete(self) -> PackageTemplate:
        for section, keys in REQUIRED[self.kind].items():
            given = getattr(self, section)
            for key in keys:
                if given is None or getattr(given, key) is None:
                    raise ValueError(f"a {self.kind} template needs [{section}] {key}")
        return self


class SceneTemplate(_Section):
    """A scene that shows a package template (`box`) in a picture."""

    name: Annotated[str, Field(pattern=_NAME, max_length=40)]
    summary: Annotated[str, Field(min_length=1, max_length=120, pattern=r"^[^\n]+$")]
    kind: Literal["desk"]
    box: str                                                     # the package template drawn in the scene
    paper: Annotated[list[Annotated[int, Field(ge=0, le=255)]], Field(min_length=3, max_length=3)] = [236, 232, 224]


SECTIONS: dict[str, type[_Section]] = {
    "card": Card, "header": Header, "bubble": Bubble, "window": Window, "box": Carton, "foot": Foot,
    "scene": Scene, "edition": Edition, "colors": Colors}


def load_template(path: Path, *, scene_kinds: tuple[str, ...] = ("desk",)) -> PackageTemplate | SceneTemplate:
    """Read and check one template file.

    Args:
        path: the TOML file.
        scene_kinds: the kinds that are scenes rather than packages.
    Returns:
        The typed template.
    Raises:
        TemplateError: one line naming the file and the key at fault.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TemplateError(f"template {path.name}: cannot be read ({' '.join(str(exc).split())[:200]})") from None
    model = SceneTemplate if data.get("kind") in scene_kinds else PackageTemplate
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise TemplateError(f"template {path.name}: {_one_line(exc.errors(include_url=False)[0], model)}") from None


def _one_line(err: ErrorDetails, model: type[BaseModel]) -> str:
    loc = [str(part) for part in err.get("loc", ())]
    where = (f"[{loc[0]}] {'.'.join(loc[1:])}" if len(loc) > 1 else loc[0]) if loc else "the file"
    kind = err["type"]
    if kind == "extra_forbidden":
        fields = list((SECTIONS[loc[0]] if len(loc) > 1 and loc[0] in SECTIONS and model is PackageTemplate
                       else model).model_fields)
        key, prefix = loc[-1][:40], f"[{loc[0]}] " if len(loc) > 1 else ""
        return f"{prefix}unknown key {key!r}{did_you_mean(key, fields)}; allowed: {', '.join(fields)}"
    if kind == "missing":
        return f"{where} is required"
    if kind == "literal_error":
        return f"{where}: {err['input']!r:.40} is not a kind; choose one of: {err['ctx']['expected']}"
    if kind == "value_error":
        return str(err["ctx"]["error"])
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{where} must be a table, like [{loc[0] if loc else 'card'}]"
    given = err.get("input")
    got = "true/false" if isinstance(given, bool) else type(given).__name__
    return f"{where}: {err['msg'][:1].lower()}{err['msg'][1:]} (got {got})"
