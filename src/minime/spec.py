"""FigureSpec: what the user asks for (name, tagline, outfit, accessories, box colour), with its rules.

Every rule breaks with a one-line SpecError that names the field and the rule, so the CLI, the web
form and the batch runner can show it as is.
"""

from __future__ import annotations

import json
import re
import stat
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from PIL import ImageColor
from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator, model_validator

from minime.errors import SpecError, did_you_mean
from minime.files import LIMITS, read_bounded

__all__ = ["CSS_COLORS", "BrandKit", "FigureSpec", "build_spec", "load_brand", "load_spec", "parse_color", "spec_error"]

NAME_MAX = 40
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

# The 148 CSS named colours (CSS Color Module Level 4), lowercase name -> "#rrggbb", from Pillow's table.
CSS_COLORS: dict[str, str] = {name: "#%02x%02x%02x" % ImageColor.getrgb(name)[:3] for name in ImageColor.colormap}

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Bidi embeddings, overrides and isolates can make a name display as something else ("Trojan Source").
# Every bidi formatting character: the marks (LRM, RLM, ALM) as much as the embeddings, overrides and
# isolates, since the renderer sets the direction of each name itself.
_BIDI_CONTROLS = frozenset(chr(c) for c in [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def _show(value: str, limit: int = 24) -> str:
    """Quote a user's text for an error line: escaped, shortened, never spanning lines."""
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return repr(value)


def _check_chars(text: str) -> None:
    for ch in text:
        category = unicodedata.category(ch)
        if ch in _BIDI_CONTROLS:
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


def _clean(text: str) -> str:
    """Strip surrounding whitespace, NFC-normalise and refuse control characters."""
    text = unicodedata.normalize("NFC", text.strip())
    _check_chars(text)
    return text


def _hex_or_none(text: str) -> str | None:
    key = text.strip().lower()
    if key in CSS_COLORS:
        return CSS_COLORS[key]
    if _HEX.fullmatch(key):
        digits = key[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return "#" + digits
    return None


def _bad_color(text: str) -> str:
    return f"{_show(text)} is not a CSS colour name or hex like #1a2b3c"


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
        raise SpecError(f"color: must be text like 'red' or '#1a2b3c' (got {_type_name(text)})")
    normalised = _hex_or_none(text)
    if normalised is None:
        raise SpecError(f"color: {_bad_color(text)}")
    return _rgb(normalised)


def colours_named(text: str) -> list[tuple[int, int, int]]:
    """The CSS colours a phrase names, two-word names first ("hot pink" before "pink"), each left to right:
    "red leather jacket" -> [red]."""
    words = text.casefold().replace("-", " ").split()
    names = ["".join(words[i:i + n]) for n in (2, 1) for i in range(len(words) - n + 1)]
    return [_rgb(CSS_COLORS[name]) for name in names if name in CSS_COLORS]


def _rgb(hex_color: str) -> tuple[int, int, int]:
    return int(hex_color[1:3], 16), int(hex_color[3:5], 16), int(hex_color[5:7], 16)


def _accessory_list(value: list[str]) -> list[str]:
    if len(value) > ACCESSORIES_MAX:
        raise ValueError(f"at most {ACCESSORIES_MAX} (got {len(value)})")
    cleaned: list[str] = []
    seen: dict[str, str] = {}
    for position, item in enumerate(value, start=1):
        item = _clean_item(item, position, ACCESSORY_MAX)
        key = " ".join(item.split()).casefold()
        if key in seen:
            raise ValueError(f"{_show(seen[key])} is listed twice")
        seen[key] = item
        cleaned.append(item)
    return cleaned


class PersonSpec(BaseModel):
    """One person of a group figure: their name and their own accessories (the first is the one they hold)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    accessories: list[str] = []

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _clean_item(value, 1, NAME_MAX)

    @field_validator("accessories")
    @classmethod
    def _accessories(cls, value: list[str]) -> list[str]:
        return _accessory_list(value)


def _same_items(a: list, b: list) -> bool:
    fold = lambda items: [" ".join(str(i).split()).casefold() for i in items]  # noqa: E731
    return fold(a) == fold(b)


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
    color: str = "#d62839"
    names: list[str] = []
    job: str = ""
    powers: list[str] = []
    quote: str = ""
    stats: dict[str, int] = {}
    people: list[PersonSpec] = []  # a group's own lists; `names` and `accessories` (all of them) follow from it

    @model_validator(mode="before")
    @classmethod
    def _from_people(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("people"), list) or not data["people"]:
            return data
        people = data["people"]
        names = [p.get("name") if isinstance(p, dict) else getattr(p, "name", None) for p in people]
        items: list = []
        for p in people:
            mine = p.get("accessories", []) if isinstance(p, dict) else getattr(p, "accessories", [])
            if isinstance(mine, list):  # another type gets its own error from PersonSpec
                items += [a for a in mine if isinstance(a, str) and not any(_same_items([a], [b]) for b in items)]
        data = dict(data)
        if data.get("accessories") and not _same_items(data["accessories"], items):
            raise ValueError("give each person's accessories under people, or one shared list in accessories, "
                             "not both")
        if data.get("names") and not _same_items(data["names"], names):
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
        value = _clean(value)
        if not 1 <= len(value) <= NAME_MAX:
            raise ValueError(f"must be 1-{NAME_MAX} characters (got {len(value)})")
        return value

    @field_validator("tagline")
    @classmethod
    def _tagline(cls, value: str) -> str:
        value = _clean(value)
        if len(value) > TAGLINE_MAX:
            raise ValueError(f"must be at most {TAGLINE_MAX} characters (got {len(value)})")
        return value

    @field_validator("outfit")
    @classmethod
    def _outfit(cls, value: str) -> str:
        value = _clean(value)
        if len(value) > OUTFIT_MAX:
            raise ValueError(f"must be at most {OUTFIT_MAX} characters (got {len(value)})")
        return value

    @field_validator("accessories")
    @classmethod
    def _accessories(cls, value: list[str]) -> list[str]:
        return _accessory_list(value)

    @field_validator("names")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        return [_clean_item(item, position, NAME_MAX) for position, item in enumerate(value, start=1)]

    @field_validator("job", "quote")
    @classmethod
    def _limited(cls, value: str, info: ValidationInfo) -> str:
        return _clean_limited(value, {"job": JOB_MAX, "quote": QUOTE_MAX}[info.field_name])

    @field_validator("powers")
    @classmethod
    def _powers(cls, value: list[str]) -> list[str]:
        if len(value) > POWERS_MAX:
            raise ValueError(f"at most {POWERS_MAX} (got {len(value)})")
        return [_clean_item(item, position, POWER_MAX) for position, item in enumerate(value, start=1)]

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
                raise ValueError(f"item {position}: the label must be text (got {_type_name(label)})")
            label = _clean_item(label, position, STAT_LABEL_MAX)
            if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= STAT_TOP:
                raise ValueError(f"{_show(label)} must be a whole number 0-{STAT_TOP} (got {_show(str(number))})")
            stats[label] = number
        return stats

    @field_validator("template")
    @classmethod
    def _template(cls, value: str) -> str:
        value = value.strip()
        if len(value) > TEMPLATE_MAX or not _KEBAB.fullmatch(value):
            raise ValueError(
                f"{_show(value)} is not a template name; use lowercase kebab-case like 'classic' or 'retro-card'"
            )
        return value

    @field_validator("color")
    @classmethod
    def _color(cls, value: str) -> str:
        normalised = _hex_or_none(value)
        if normalised is None:
            raise ValueError(_bad_color(value))
        return normalised

    @property
    def rgb(self) -> tuple[int, int, int]:
        """The box's main colour as (r, g, b) ints."""
        return _rgb(self.color)


def _clean_limited(value: str, max_len: int) -> str:
    value = _clean(value)
    if len(value) > max_len:
        raise ValueError(f"must be at most {max_len} characters (got {len(value)})")
    return value


def _clean_item(item: str, position: int, max_len: int) -> str:
    try:
        item = _clean(item)
    except ValueError as exc:
        raise ValueError(f"item {position} {exc}") from None
    if not 1 <= len(item) <= max_len:
        raise ValueError(f"item {position} ({_show(item)}) must be 1-{max_len} characters (got {len(item)})")
    return item


FIELDS: tuple[str, ...] = tuple(FigureSpec.model_fields)


def _type_name(value: Any) -> str:
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


def _one_error(err: dict[str, Any]) -> str:
    kind = err["type"]
    loc = err.get("loc", ())
    field = str(loc[0]) if loc else "spec"
    where = field if len(loc) < 2 else f"{field} item {int(loc[1]) + 1 if isinstance(loc[1], int) else loc[1]}"
    if field == "people" and len(loc) >= 3:  # people item 2 accessories item 1
        where = f"{where} {loc[2]}" + (f" item {int(loc[3]) + 1}" if len(loc) > 3 and isinstance(loc[3], int) else "")
        field = where
    given = err.get("input")
    if kind == "extra_forbidden" and loc[0] == "people" and len(loc) >= 3:
        return f"people item {int(loc[1]) + 1}: unknown field {_show(str(loc[2]))}; allowed: name, accessories"
    if kind == "extra_forbidden":
        return f"unknown field {_show(field)}{did_you_mean(field, FIELDS)}; allowed: {', '.join(FIELDS)}"
    if kind == "missing":
        return f"{field}: is required"
    if kind in ("value_error", "assertion_error"):
        return f"{field}: {err['ctx']['error']}"
    if kind.startswith("string_"):
        return f"{where}: must be text (got {_type_name(given)})"
    if kind in ("list_type", "iterable_type") and loc == ("people",):
        return f"people: must be a list like [{{name: Ada, accessories: [laptop]}}] (got {_type_name(given)})"
    if kind in ("list_type", "iterable_type"):
        return f"{where}: must be a list of text items (got {_type_name(given)})"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"spec: must be a mapping of fields like name, tagline, ... (got {_type_name(given)})"
    message = str(err.get("msg", kind))
    return f"{where}: {message[:1].lower()}{message[1:]}"


def spec_error(exc: ValidationError) -> SpecError:
    """Turn pydantic's report into one SpecError line that names the field and the rule.

    Args:
        exc: the ValidationError raised while building a FigureSpec (or another spec model).

    Returns:
        A SpecError whose message is one line: the first two problems joined with "; ".
    """
    errors = exc.errors(include_url=False)
    lines = [_one_error(err) for err in errors[:2]]
    if len(errors) > 2:
        lines.append(f"and {len(errors) - 2} more")
    message = "; ".join(lines) or "the spec is not valid"
    return SpecError(" ".join(message.split("\n")))


def build_spec(**fields: Any) -> FigureSpec:
    """Build a FigureSpec, raising a one-line SpecError on any broken rule.

    Args:
        **fields: FigureSpec fields; those given as None keep their defaults.

    Returns:
        The validated, normalised spec.

    Raises:
        SpecError: a field breaks a rule, or a field name is unknown.
    """
    return _validate({key: value for key, value in fields.items() if value is not None})


def _validate(data: dict[Any, Any]) -> FigureSpec:
    for key in data:
        if not isinstance(key, str):
            raise SpecError(f"unknown field {key!r}; allowed: {', '.join(FIELDS)}")
    try:
        return FigureSpec.model_validate(data)
    except ValidationError as exc:
        raise spec_error(exc) from exc


def _display(path: Path | str) -> str:
    text = str(path)
    if not text.isprintable():
        text = repr(text)[1:-1]
    return text if len(text) <= 160 else text[:159] + "…"


def read_mapping(path: str | Path, kind: str, *, max_bytes: int, example: str,
                 suffixes: tuple[str, ...] = (".yaml", ".yml")) -> tuple[dict[Any, Any], str]:
    """Read a small YAML (or JSON) file whose top level is a mapping.

    Args:
        path: the file.
        kind: what it is, for messages ("spec file", "brand kit", "brief").
        max_bytes: the largest file accepted.
        example: a line of the file, shown when its top level is not a mapping.
        suffixes: the accepted extensions; ".json" files are read as JSON.
    Returns:
        (the mapping, the path as shown in messages).
    Raises:
        SpecError: one line naming the file: missing, a folder, wrong extension, too big, not UTF-8,
            not valid YAML/JSON, or not a mapping.
    """
    path = Path(path)
    shown = _display(path)
    allowed = ", ".join(suffixes[:-1]) + f" or {suffixes[-1]}" if len(suffixes) > 1 else suffixes[0]
    if path.is_dir():
        raise SpecError(f"{shown} is a directory; pass a {allowed} {kind}")
    suffix = path.suffix.lower()
    if path.exists() and suffix not in suffixes:
        raise SpecError(f"{shown}: a {kind} is a {allowed} file (got {_show(path.suffix or 'no extension')})")
    raw = read_bounded(path, kind, limit=max_bytes, error=SpecError)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(f"{shown}: not UTF-8 text (bad byte at offset {exc.start})") from exc
    data = _parse_json(text, shown) if suffix == ".json" else _parse_yaml(text, shown)
    if not isinstance(data, dict):
        raise SpecError(f"{shown}: the top level must be a mapping like {example} (got {_type_name(data)})")
    return data, shown


def load_spec(path: str | Path, **overrides: Any) -> FigureSpec:
    """Load a FigureSpec from a .yaml, .yml or .json file.

    Args:
        path: the spec file; its top level is a mapping of FigureSpec fields.
        **overrides: fields that win over the file's (e.g. from command-line flags); None ones are ignored.

    Returns:
        The validated, normalised spec.

    Raises:
        SpecError: the file is missing or unreadable, is not valid YAML/JSON, is not a mapping,
            or a field breaks a rule.
    """
    data, shown = read_mapping(path, "spec file", max_bytes=SPEC_FILE_MAX_BYTES, example="'name: Ada'",
                               suffixes=(".yaml", ".yml", ".json"))
    merged = {key: value for key, value in data.items() if value is not None}
    merged.update({key: value for key, value in overrides.items() if value is not None})
    try:
        return _validate(merged)
    except SpecError as exc:
        raise SpecError(f"{shown}: {exc}") from exc


def _parse_json(text: str, shown: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(f"{shown}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    except (ValueError, RecursionError) as exc:
        raise SpecError(f"{shown}: invalid JSON ({type(exc).__name__})") from exc


YAML_MAX_NODES = 10_000  # counted with every alias expanded: a spec, brief or brand kit is a few dozen
_YAML_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq",
                                                        "timestamp", "merge")}


def _parse_yaml(text: str, shown: str) -> Any:
    """Safe YAML, with limits: aliases may not expand past YAML_MAX_NODES nodes (a "billion laughs" bomb
    fails at once, before anything is built), a key may not appear twice in a mapping, and only the plain
    tags are allowed (no !!binary, !!set, !!python/...)."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()  # composes the node graph; aliases are shared nodes, not copies yet
        if node is None:
            return None
        _check_yaml(node, shown)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = " ".join(str(exc.problem or exc.context or "syntax error").split())[:120]
        raise SpecError(f"{shown}: invalid YAML{where}: {problem}") from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        detail = " ".join(str(exc).split())[:80]
        raise SpecError(f"{shown}: invalid YAML ({detail or type(exc).__name__})") from None
    finally:
        loader.dispose()


def _check_yaml(root: yaml.Node, shown: str) -> None:
    seen, stack = 0, [root]
    while stack:
        node = stack.pop()
        seen += 1
        line = node.start_mark.line + 1
        if seen > YAML_MAX_NODES:
            raise SpecError(f"{shown}: invalid YAML: it expands to more than {YAML_MAX_NODES} values (aliases repeated "
                            "inside aliases?); write the values out plainly")
        if node.tag not in _YAML_TAGS:
            raise SpecError(f"{shown}: invalid YAML at line {line}: the tag {_show(node.tag.replace('tag:yaml.org,2002:', '!!'), 40)} "
                            "is not allowed; use plain text, numbers, lists and mappings")
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if key.value in keys:
                        raise SpecError(f"{shown}: invalid YAML at line {key.start_mark.line + 1}: the key {_show(key.value, 40)} "
                                        "appears twice; give each field once")
                    keys.add(key.value)
                stack += (key, value)
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value


# ---------------------------------------------------------------- brand kits

BRAND_FILE_MAX_BYTES = 100_000
SLOGAN_MAX = 60
LEGAL_MAX = 200
BRAND_COLORS = ("primary", "secondary", "ink")
BRAND_FONTS = ("display", "text")


class BrandKit(BaseModel):
    """A company's look, applied to any template: logo, exact colours, fonts, slogan and legal line.

    Load one with `load_brand`; paths in it are absolute once loaded.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = ""
    logo: Path | None = None                   # PNG or SVG
    palette: dict[str, str]                    # primary (required), secondary, ink: "#rrggbb"
    fonts: dict[str, Path] = {}                # display, text: TTF or OTF
    slogan: str = ""
    legal: str = ""

    @field_validator("name", "slogan", "legal")
    @classmethod
    def _limited(cls, value: str, info: ValidationInfo) -> str:
        return _clean_limited(value, {"name": NAME_MAX, "slogan": SLOGAN_MAX, "legal": LEGAL_MAX}[info.field_name])

    @field_validator("palette")
    @classmethod
    def _palette(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = [key for key in value if key not in BRAND_COLORS]
        if unknown:
            raise ValueError(f"unknown colour {_show(unknown[0])}; allowed: {', '.join(BRAND_COLORS)}")
        if "primary" not in value:
            raise ValueError("needs a primary colour, e.g. primary: '#0052cc'")
        out = {}
        for key, text in value.items():
            normalised = _hex_or_none(text)
            if normalised is None:
                raise ValueError(f"{key}: {_bad_color(text)}")
            out[key] = normalised
        return out

    @field_validator("fonts")
    @classmethod
    def _fonts(cls, value: dict[str, Path]) -> dict[str, Path]:
        unknown = [key for key in value if key not in BRAND_FONTS]
        if unknown:
            raise ValueError(f"unknown font slot {_show(unknown[0])}; allowed: {', '.join(BRAND_FONTS)}")
        return value

    def rgb(self, key: str) -> tuple[int, int, int] | None:
        """A palette colour as (r, g, b), or None if the kit leaves it out."""
        return _rgb(self.palette[key]) if key in self.palette else None


def load_brand(path: str | Path) -> BrandKit:
    """Load a brand kit from a YAML file; logo and font paths are relative to the file.

    Example::

        name: Acme
        logo: acme.svg
        palette: {primary: "#0052cc", secondary: "#ffab00", ink: "#172b4d"}
        fonts: {display: fonts/Acme-Black.otf, text: fonts/Acme-Regular.ttf}
        slogan: Build something great
        legal: "© 2026 Acme Inc. Acme is a trademark of Acme Inc."

    Raises:
        SpecError: the file or an asset it names is missing, of the wrong type or too big, or a field breaks a rule.
    """
    path = Path(path)
    data, shown = read_mapping(path, "brand kit", max_bytes=BRAND_FILE_MAX_BYTES,
                               example="'palette: {primary: \"#0052cc\"}'")
    data = {key: value for key, value in data.items() if value is not None}
    allowed = tuple(BrandKit.model_fields)
    for key in data:
        if key not in allowed:
            raise SpecError(f"{shown}: unknown field {_show(str(key))}{did_you_mean(str(key), allowed)}; "
                            f"allowed: {', '.join(allowed)}")
    base = path.resolve().parent

    def asset(value: Any, what: str, suffixes: tuple[str, ...], kind: str) -> Path:
        # Checked here, before any work; drawing reads it again through the bounded reader.
        if not isinstance(value, str):
            raise SpecError(f"{shown}: {what} must be a file path (got {_type_name(value)})")
        if not value.strip():
            raise SpecError(f"{shown}: {what} is empty; give a {' or '.join(suffixes)} file")
        file = (base / value).resolve()
        try:
            info = file.stat()
        except OSError:
            raise SpecError(f"{shown}: {what} file not found: {_display(value)}") from None
        if stat.S_ISDIR(info.st_mode):
            raise SpecError(f"{shown}: {what} {_display(value)} is a directory; give a {' or '.join(suffixes)} file")
        if not stat.S_ISREG(info.st_mode):
            raise SpecError(f"{shown}: {what} {_display(value)} is not a regular file (a pipe, device or socket); "
                            f"give a {' or '.join(suffixes)} file")
        if file.suffix.lower() not in suffixes:
            raise SpecError(f"{shown}: {what} must be a {' or '.join(suffixes)} file (got {_show(file.name)})")
        if info.st_size > LIMITS[kind]:
            raise SpecError(f"{shown}: {what} is bigger than {LIMITS[kind] // 1_000_000} MB")
        return file

    if "logo" in data:
        data["logo"] = asset(data["logo"], "logo", (".png", ".svg"), "logo")
    fonts = data.get("fonts")
    if isinstance(fonts, dict):
        data["fonts"] = {k: asset(v, f"fonts.{k}", (".ttf", ".otf"), "font") if k in BRAND_FONTS else v for k, v in fonts.items()}
    try:
        return BrandKit.model_validate(data)
    except ValidationError as exc:
        raise SpecError(f"{shown}: {spec_error(exc)}") from exc
