"""FigureSpec: what the user asks for (name, tagline, outfit, accessories, box colour), with its rules."""

from __future__ import annotations

from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationInfo,
    field_validator,
    model_validator,
)

from minime.colour import hex_or_none, hex_rgb
from minime.errors import SpecError

from .rules import (
    JOB_MAX,
    KEBAB,
    NAME_MAX,
    OUTFIT_MAX,
    PEOPLE_MAX,
    POWER_MAX,
    POWERS_MAX,
    QUOTE_MAX,
    STAT_LABEL_MAX,
    STAT_TOP,
    STATS_MAX,
    TAGLINE_MAX,
    TEMPLATE_MAX,
    accessory_list,
    bad_color,
    check_body,
    clean_item,
    clean_limited,
    clean_text,
    show,
    type_name,
)


class PersonSpec(BaseModel):
    """One person of a group figure: their name, their own accessories (the first is the one they hold) and
    their body (see FigureSpec.body; "" takes the group's)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    accessories: list[str] = []
    body: str = ""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return clean_item(value, 1, NAME_MAX)

    @field_validator("accessories")
    @classmethod
    def _accessories(cls, value: list[str]) -> list[str]:
        return accessory_list(value)

    @field_validator("body")
    @classmethod
    def _body(cls, value: str) -> str:
        return check_body(value)


def same_items(a: list, b: list) -> bool:
    fold = lambda items: [" ".join(str(i).split()).casefold() for i in items]  # noqa: E731
    return fold(a) == fold(b)


DEFAULT_COLOR = "#d62839"  # the box's red when no colour is asked for (the web form's first swatch)


class FigureSpec(BaseModel):
    """What the user asks for: the figure's name, tagline, outfit and accessories, and the box style.

    Build one with `build_spec` or `load_spec` to get a one-line SpecError instead of pydantic's report.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    tagline: str = ""
    accessories: list[str] = []
    outfit: str = ""
    template: str = "classic"
    color: str = DEFAULT_COLOR
    names: list[str] = []
    job: str = ""
    powers: list[str] = []
    quote: str = ""
    stats: dict[str, int] = {}
    people: list[PersonSpec] = []  # a group's own lists; `names` and `accessories` (all of them) follow from it
    style: str = "action"  # the figure's body style (the sculpt engine's): "action", "bobblehead", ...
    body: str = ""  # the sculpt engine's body: "feminine", "masculine", "neutral"; "" takes it from the clothes

    @model_validator(mode="before")
    @classmethod
    def _from_people(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("people"), list) or not data["people"]:
            return data
        people = data["people"]
        if len(people) > PEOPLE_MAX:  # refused by its own rule; a long list is not read any further
            return data
        names = [p.get("name") if isinstance(p, dict) else getattr(p, "name", None) for p in people]
        items: list = []
        for p in people:
            mine = p.get("accessories", []) if isinstance(p, dict) else getattr(p, "accessories", [])
            if isinstance(mine, list):  # another type gets its own error from PersonSpec
                items += [a for a in mine if isinstance(a, str) and not any(same_items([a], [b]) for b in items)]
        data = dict(data)
        if data.get("accessories") and not same_items(data["accessories"], items):
            raise ValueError("give each person's accessories under people, or one shared list in accessories, "
                             "not both")
        if data.get("names") and not same_items(data["names"], names):
            raise ValueError("names: must be the people's names, in order (or leave names out)")
        data["accessories"] = items
        if len(people) > 1:
            data["names"] = names
        if not data.get("name") and isinstance(names[0], str):
            data["name"] = names[0]
        return data

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = clean_text(value)
        if not 1 <= len(value) <= NAME_MAX:
            raise ValueError(f"must be 1-{NAME_MAX} characters (got {len(value)})")
        return value

    @field_validator("tagline")
    @classmethod
    def _tagline(cls, value: str) -> str:
        value = clean_text(value)
        if len(value) > TAGLINE_MAX:
            raise ValueError(f"must be at most {TAGLINE_MAX} characters (got {len(value)})")
        return value

    @field_validator("outfit")
    @classmethod
    def _outfit(cls, value: str) -> str:
        value = clean_text(value)
        if len(value) > OUTFIT_MAX:
            raise ValueError(f"must be at most {OUTFIT_MAX} characters (got {len(value)})")
        return value

    @field_validator("accessories")
    @classmethod
    def _accessories(cls, value: list[str]) -> list[str]:
        return accessory_list(value)

    @field_validator("names", "people", mode="before")
    @classmethod
    def _few(cls, value: Any) -> Any:
        if isinstance(value, (list, tuple)) and len(value) > PEOPLE_MAX:
            raise ValueError(f"at most {PEOPLE_MAX} people fit in one box (got {len(value)}); give one name for the "
                             "group or one per face in the photo")
        return value

    @field_validator("names")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        return [clean_item(item, position, NAME_MAX) for position, item in enumerate(value, start=1)]

    @field_validator("job", "quote")
    @classmethod
    def _limited(cls, value: str, info: ValidationInfo) -> str:
        assert info.field_name is not None  # a field validator is always called for its field
        return clean_limited(value, {"job": JOB_MAX, "quote": QUOTE_MAX}[info.field_name])

    @field_validator("powers")
    @classmethod
    def _powers(cls, value: list[str]) -> list[str]:
        if len(value) > POWERS_MAX:
            raise ValueError(f"at most {POWERS_MAX} (got {len(value)})")
        return [clean_item(item, position, POWER_MAX) for position, item in enumerate(value, start=1)]

    @field_validator("stats", mode="before")
    @classmethod
    def _stats(cls, value: Any) -> dict[str, int]:
        if not isinstance(value, dict):
            raise ValueError(f"must be a mapping of label to a whole number 0-{STAT_TOP}, like {{Strength: 8}}")
        if len(value) > STATS_MAX:
            raise ValueError(f"at most {STATS_MAX} (got {len(value)})")
        stats: dict[str, int] = {}
        for position, (label, number) in enumerate(value.items(), start=1):
            if not isinstance(label, str):
                raise ValueError(f"item {position}: the label must be text (got {type_name(label)})")
            label = clean_item(label, position, STAT_LABEL_MAX)
            if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= STAT_TOP:
                raise ValueError(f"{show(label)} must be a whole number 0-{STAT_TOP} (got {show(str(number))})")
            stats[label] = number
        return stats

    @field_validator("template")
    @classmethod
    def _template(cls, value: str) -> str:
        value = value.strip()
        if len(value) > TEMPLATE_MAX or not KEBAB.fullmatch(value):
            raise ValueError(
                f"{show(value)} is not a template name; use lowercase kebab-case like 'classic' or 'window-box'"
            )
        return value

    @field_validator("style")
    @classmethod
    def _style(cls, value: str) -> str:
        # The names are the sculpt engine's registry (a layer above this one): it refuses an unknown one.
        value = value.strip()
        if len(value) > TEMPLATE_MAX or not KEBAB.fullmatch(value):
            raise ValueError(f"{show(value)} is not a body style name; use lowercase kebab-case like 'action' or 'bobblehead'")
        return value

    @field_validator("body")
    @classmethod
    def _body(cls, value: str) -> str:
        return check_body(value)

    @field_validator("color")
    @classmethod
    def _color(cls, value: str) -> str:
        normalised = hex_or_none(value)
        if normalised is None:
            raise ValueError(bad_color(value))
        return normalised

    @property
    def rgb(self) -> tuple[int, int, int]:
        """The box's main colour as (r, g, b) ints."""
        return hex_rgb(self.color)

    @property
    def piece_rgb(self) -> tuple[int, int, int] | None:
        """The colour the accessories are moulded in: the box colour when one was asked for, else None, and
        each piece keeps its own colours (a brown cowboy hat, an orange basketball). The default red is not an
        ask: the web form starts on it and a spec passed on whole (a re-box) carries it."""
        return None if self.color == DEFAULT_COLOR else self.rgb


FIELDS: tuple[str, ...] = tuple(FigureSpec.model_fields)


def people_given(spec: FigureSpec) -> int:
    """How many people the spec names: its `people`, else its `names`, else one (the name on the box)."""
    return len(spec.people) or len(spec.names) or 1


def check_people(spec: FigureSpec, faces: int) -> None:
    """The name rule for a photo with `faces` people: one name (for the whole group, e.g. "The Smiths") or one
    per face, left to right, whether given as `names`, as `people` or by repeated --name.

    Raises:
        SpecError: any other count, in one line that names both counts.
    """
    given = people_given(spec)
    if given == 1 or given == faces:
        return
    what = "people" if spec.people else "names"
    if faces == 1:
        raise SpecError(f"{what}: {given} {what} for a photo with 1 face; give one name")
    raise SpecError(f"{what}: {given} {what} for a photo with {faces} faces; give one name for the group "
                    f"(e.g. 'The Smiths') or {faces} names, one per face, left to right")
