"""The brief (YAML) and its roster (CSV), checked: one Row per person."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, ValidationError, ValidationInfo, field_validator, model_validator

from ..errors import MinimeError, SpecError, UnknownNameError, did_you_mean
from ..spec import BrandKit, FigureSpec, build_spec, load_brand

EXECUTORS = ("local", "ray")
FORMATS = ("png", "jpg", "webp")
ALSO = ("stl", "3mf", "glb", "mp4", "gif")  # a model to print or view, a turntable clip: beside each figure
REQUIRED_COLUMNS = ("photo", "name")
ROSTER_COLUMNS = ("photo", "name", "tagline", "accessories", "outfit", "color", "job", "powers", "quote", "body")
LIST_COLUMNS = ("accessories", "powers")  # cells hold items separated by ';'
RESULT_COLUMNS = ("row", "photo", "name", "status", "output", "likeness", "seconds", "wh", "error")
BRIEF_MAX_BYTES = 1_000_000
ROSTER_MAX_BYTES = 50_000_000
ROSTER_MAX_ROWS = 100_000
STATE_DIR = ".minime"      # inside the output folder: journal, lock and temp files
FIGURES_DIR = "figures"
KEY_VERSION = "minime-batch-1"  # part of every key: bump it when a change makes old figures wrong
QR_MAX = 1000


@dataclass(frozen=True)
class Row:
    """One roster row: what to make, or why it cannot be made."""

    number: int                 # 1 = the first person under the header
    photo: str                  # as written in the roster
    name: str                   # as written (kept even when the spec is bad)
    path: Path | None           # the photo, resolved against the brief's folder
    spec: FigureSpec | None
    problem: str | None = None  # a bad cell: the row fails without any work


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("must be text, not empty")
    return value.strip()


def _field(check, value):
    """A value checked by the same function as its command-line flag, its error as the field's."""
    try:
        return check(value)
    except MinimeError as exc:
        raise ValueError(str(exc)) from None


class BriefFile(BaseModel):
    """A brief as its YAML file gives it: every field typed and checked, an unknown field refused.
    A field given as null takes its default."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    title: str | None = None
    template: str = "classic"
    brand: str | None = None          # a brand kit's YAML, relative to the brief
    defaults: dict[str, Any] = {}     # spec fields every row starts from
    roster: str | None = None         # the roster CSV, relative to the brief
    engine: str = "sculpt"
    model: str | None = None          # the engine's model
    size: str = "feed"
    format: str = "png"
    also: list[str] = []              # files made beside each figure: its 3D model, its turntable clip
    height_mm: float = 100.0          # the model's printed height, base included (30-300)
    base: str = "round"               # the model's base plate: round, square or none
    printer: str = "fdm"              # what prints the model: fdm, resin or powder (its thinnest wall)
    colors: int | str = 4             # a 3MF's filaments, 2-8, or full (paint per vertex)
    clip: str = "figure"              # the clip: the figure turning, the box turning, or the box then the figure
    likeness: StrictBool = True
    seed: StrictInt | None = None
    allow_paths_outside: StrictBool = False  # roster photos may lie outside the brief's folder

    @model_validator(mode="before")
    @classmethod
    def _nulls_take_defaults(cls, data: Any) -> Any:
        return {key: value for key, value in data.items() if value is not None} if isinstance(data, dict) else data

    @field_validator("title", "brand", "roster", "model", "engine")
    @classmethod
    def _plain(cls, value: str | None) -> str | None:
        return None if value is None else _text(value)

    @field_validator("template")
    @classmethod
    def _template(cls, value: str) -> str:
        from ..box.render import get_template, template_names

        value = _text(value)
        if len(value) > 40:  # no template has so long a name; quoting it would only bloat the message
            raise ValueError(f"unknown template ({len(value)} characters); choose one of: {', '.join(template_names())}")
        try:
            get_template(value)
        except UnknownNameError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("engine")
    @classmethod
    def _engine(cls, value: str) -> str:
        from ..engines import ENGINES

        if value not in ENGINES:
            raise ValueError(f"unknown engine {value[:40]!r}; choose one of: {', '.join(ENGINES)}")
        return value

    @field_validator("size")
    @classmethod
    def _size(cls, value: str) -> str:
        from ..outputs import SIZES

        value = _text(value)
        images = [name for name in SIZES if name != "print-kit"]
        if value == "print-kit":
            raise ValueError(f"a campaign makes images; use {', '.join(images[:-1])} or {images[-1]}")
        if value not in images:
            raise ValueError(f"unknown size {value[:40]!r}{did_you_mean(value, images)}; choose one of: {', '.join(images)}")
        return value

    @field_validator("format")
    @classmethod
    def _format(cls, value: str) -> str:
        value = _text(value).lower().lstrip(".").replace("jpeg", "jpg")
        if value not in FORMATS:
            raise ValueError(f"{value[:20]!r} is not one of {', '.join(FORMATS)}")
        return value

    @field_validator("also", mode="before")
    @classmethod
    def _also(cls, value: Any, info: ValidationInfo) -> list[str]:
        from ..engines.base import check_mesh

        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"must be a list of formats, like [3mf, mp4]; choose from: {', '.join(ALSO)}")
        out: list[str] = []
        for item in value:
            item = item.strip().lower().lstrip(".")
            if item not in ALSO:
                raise ValueError(f"{item[:20]!r} is not one of {', '.join(ALSO)}")
            if item not in out:
                out.append(item)
        if out and "engine" in info.data:  # models and clips are made from the figure's 3D mesh
            try:
                check_mesh(info.data["engine"], f".{out[0]}")
            except MinimeError as exc:
                raise ValueError(str(exc).replace("--engine ", "engine: ")) from None
        return out

    @field_validator("height_mm", mode="before")
    @classmethod
    def _height(cls, value: Any) -> float:
        from ..outputs import HEIGHT_MM

        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"must be a number of millimetres, {HEIGHT_MM[0]:g}-{HEIGHT_MM[1]:g}")
        if not HEIGHT_MM[0] <= value <= HEIGHT_MM[1]:
            raise ValueError(f"{value:g} is outside {HEIGHT_MM[0]:g}-{HEIGHT_MM[1]:g} mm")
        return float(value)

    @field_validator("base")
    @classmethod
    def _base(cls, value: str) -> str:
        from ..outputs import check_base

        return _field(check_base, value)

    @field_validator("printer")
    @classmethod
    def _printer(cls, value: str) -> str:
        from ..outputs.registry import check_printer

        return _field(check_printer, value)

    @field_validator("colors", mode="before")
    @classmethod
    def _colors(cls, value: Any) -> int:
        from ..outputs.registry import check_colors

        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError("must be a number of filaments, 2-8, or full")
        return _field(check_colors, value)

    @field_validator("clip")
    @classmethod
    def _clip(cls, value: str) -> str:
        from ..outputs import check_clip

        return _field(check_clip, value)

    @field_validator("defaults", mode="before")
    @classmethod
    def _defaults(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError("must be a mapping of spec fields, like {accessories: [laptop]}")
        for key in value:
            if not isinstance(key, str):
                raise ValueError("field names must be text")
            if key in ("name", "names"):
                raise ValueError(f"{key} comes from each roster row, not from the defaults")
            if key == "template":
                shown = value[key] if isinstance(value[key], str) and len(value[key]) <= 40 else "classic"
                raise ValueError(f"give the template at the top of the brief ('template: {shown}')")
        try:
            build_spec(name="x", **value)
        except SpecError as exc:
            raise ValueError(str(exc)) from None
        return value


BRIEF_FIELDS = tuple(BriefFile.model_fields)


def _brief_error(exc: ValidationError, shown: str) -> MinimeError:
    """pydantic's report as one line naming the brief, the field and what is allowed."""
    from ..spec import type_name

    err = exc.errors(include_url=False)[0]
    field = str(err["loc"][0]) if err.get("loc") else "brief"
    kind = err["type"]
    if kind == "extra_forbidden":
        return MinimeError(f"{shown}: unknown field {field[:40]!r}{did_you_mean(field, BRIEF_FIELDS)}; "
                           f"allowed: {', '.join(BRIEF_FIELDS)}")
    if kind == "value_error":
        message = str(err["ctx"]["error"])
    elif kind.startswith("bool"):
        message = f"must be true or false (got {type_name(err.get('input'))})"
    elif kind.startswith("int"):
        message = f"must be a whole number (got {type_name(err.get('input'))})"
    elif kind.startswith("string"):
        message = f"must be text (got {type_name(err.get('input'))})"
    else:
        message = str(err.get("msg", kind))
    message = " ".join(message.split())
    if len(message) > 300:  # a value quoted in the message (a huge template name) is cut, never shown whole
        message = message[:299] + "…"
    return MinimeError(f"{shown}: {field}: {message}")


class Brief(BaseModel):
    """A campaign brief, loaded: its fields checked, its brand kit and roster read; paths in it are absolute."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    path: Path
    title: str
    template: str
    brand: BrandKit | None
    defaults: dict[str, Any]
    roster: Path | None
    rows: tuple[Row, ...]
    engine: str = "sculpt"
    engine_options: dict[str, Any] = {}
    size: str = "feed"
    format: str = "png"
    also: tuple[str, ...] = ()
    also_options: dict[str, Any] = {}  # height_mm, base, clip: how the `also` files are made
    likeness: bool = True
    seed: int | None = None


def _show(path: Path | str) -> str:
    text = str(path)
    return text if text.isprintable() else repr(text)[1:-1]


def load_brief(path: str | Path, *, roster: bool = True) -> Brief:
    """Load and check a campaign brief (YAML) and its roster (CSV).

    Args:
        path: the brief.
        roster: also read the roster (False for event mode, which needs only the look).
    Returns:
        The Brief, with one Row per roster line.
    Raises:
        MinimeError: a one-line message naming the file, row or column at fault.
    """
    from ..spec import read_mapping

    path = Path(path)
    data, shown = read_mapping(path, "brief", max_bytes=BRIEF_MAX_BYTES, example="'roster: people.csv'")
    for key in data:
        if not isinstance(key, str):
            raise MinimeError(f"{shown}: field names must be text; allowed: {', '.join(BRIEF_FIELDS)}")
    try:
        fields = BriefFile.model_validate(data)
    except ValidationError as exc:
        raise _brief_error(exc, shown) from None
    base = path.resolve().parent
    brand = load_brand(_relative(base, fields.brand)) if fields.brand is not None else None  # its errors name the kit
    title = fields.title or (brand.name if brand is not None and brand.name else path.stem)
    roster_path: Path | None = None
    rows: tuple[Row, ...] = ()
    if roster:
        if fields.roster is None:
            raise MinimeError(f"{shown}: roster: is required (a CSV file with columns {', '.join(ROSTER_COLUMNS[:4])})")
        roster_path = _relative(base, fields.roster)
        rows = tuple(read_roster(roster_path, base=base, defaults=fields.defaults, template=fields.template,
                                 outside=fields.allow_paths_outside))
    return Brief(path=path.resolve(), title=title, template=fields.template, brand=brand, defaults=dict(fields.defaults),
                 roster=roster_path, rows=rows, engine=fields.engine,
                 engine_options={"model": fields.model} if fields.model is not None else {}, size=fields.size,
                 format=fields.format, also=tuple(fields.also),
                 also_options={"height_mm": fields.height_mm, "base": fields.base, "clip": fields.clip,
                               "printer": fields.printer, "colors": fields.colors},
                 likeness=fields.likeness, seed=fields.seed)


def _relative(base: Path, value: str) -> Path:
    path = Path(value)  # no ~ expansion: a roster names files, not a shell's shorthand
    return path if path.is_absolute() else base / path


def _outside(base: Path, value: str) -> bool:
    """Whether a roster path leaves the brief's folder (absolute, or climbing out with '..' or a link)."""
    if Path(value).is_absolute():
        return True
    return not (base / value).resolve().is_relative_to(base.resolve())


def read_roster(path: Path, *, base: Path, defaults: dict[str, Any], template: str, outside: bool = False) -> list[Row]:
    """Read a roster CSV into rows. The file's structure (header, columns, fields per line) must be right;
    a bad cell (a name too long, no photo) makes only its row fail."""
    from ..files import read_bounded

    shown = _show(path)
    raw = read_bounded(path, "roster", limit=ROSTER_MAX_BYTES)
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MinimeError(f"{shown}: not UTF-8 text (bad byte at offset {exc.start}); save the roster as UTF-8 CSV") from None
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        if header is None:
            raise MinimeError(f"{shown}: the roster is empty; its first line names the columns: {', '.join(ROSTER_COLUMNS[:4])}")
        columns = [cell.strip().lower() for cell in header]
        for position, column in enumerate(columns, start=1):
            if not column:
                raise MinimeError(f"{shown}: column {position} has no name in the header")
            if column not in ROSTER_COLUMNS:
                raise MinimeError(f"{shown}: unknown column {column!r}{did_you_mean(column, ROSTER_COLUMNS)}; "
                                  f"allowed: {', '.join(ROSTER_COLUMNS)}")
            if columns.index(column) != position - 1:
                raise MinimeError(f"{shown}: column {column!r} appears twice in the header")
        for column in REQUIRED_COLUMNS:
            if column not in columns:
                raise MinimeError(f"{shown}: no {column!r} column; the header needs {' and '.join(REQUIRED_COLUMNS)} "
                                  f"(and may have {', '.join(ROSTER_COLUMNS[2:])})")
        rows: list[Row] = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # blank lines are not people
            number = len(rows) + 1
            if len(cells) > len(columns):
                raise MinimeError(f"{shown} row {number} (line {reader.line_num}): {len(cells)} fields but the header has "
                                  f"{len(columns)}; quote a cell that holds a comma")
            if len(rows) >= ROSTER_MAX_ROWS:
                raise MinimeError(f"{shown}: more than {ROSTER_MAX_ROWS} rows; split the campaign into several briefs")
            values = dict(zip(columns, (cell.strip() for cell in cells)))
            rows.append(_row(number, values, base, defaults, template, outside))
    except csv.Error as exc:
        raise MinimeError(f"{shown} line {reader.line_num}: not valid CSV ({exc})") from None
    if not rows:
        raise MinimeError(f"{shown}: the roster has a header but no people")
    return rows


def _row(number: int, values: dict[str, str], base: Path, defaults: dict[str, Any], template: str,
         outside: bool = False) -> Row:
    photo, name = values.get("photo", ""), values.get("name", "")
    fields = dict(defaults)
    for column, value in values.items():
        if column == "photo" or not value:
            continue  # an empty cell takes the brief's default
        fields[column] = [item.strip() for item in value.split(";") if item.strip()] if column in LIST_COLUMNS else value
    fields["template"] = template
    path = _relative(base, photo) if photo else None
    if not photo:
        return Row(number, photo, name, None, None, f"row {number}: no photo; give a file name in the photo column")
    if not outside and _outside(base, photo):
        return Row(number, photo, name, None, None, f"row {number}: the photo {_show(photo)[:200]} is outside the brief's "
                                                     "folder; move it there, or set allow_paths_outside: true in the brief")
    if not name:
        return Row(number, photo, name, path, None, f"row {number}: no name; give the name for the box")
    try:
        spec = build_spec(**fields)
    except SpecError as exc:
        return Row(number, photo, name, path, None, f"row {number}: {exc}")
    return Row(number, photo, name, path, spec)
