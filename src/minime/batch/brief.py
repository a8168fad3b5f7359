"""The brief (YAML) and its roster (CSV), checked: one Row per person."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import MinimeError, SpecError, UnknownNameError, did_you_mean
from ..spec import BrandKit, FigureSpec, build_spec, load_brand

EXECUTORS = ("local", "ray")
FORMATS = ("png", "jpg", "webp")
BRIEF_FIELDS = ("title", "template", "brand", "defaults", "roster", "engine", "model", "size", "format", "likeness", "seed",
                "allow_paths_outside")
REQUIRED_COLUMNS = ("photo", "name")
ROSTER_COLUMNS = ("photo", "name", "tagline", "accessories", "outfit", "color", "job", "powers", "quote")
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


@dataclass(frozen=True)
class Brief:
    """A campaign brief, validated; paths in it are absolute."""

    path: Path
    title: str
    template: str
    brand: BrandKit | None
    defaults: dict[str, Any]
    roster: Path | None
    rows: tuple[Row, ...]
    engine: str = "sculpt"
    engine_options: dict[str, Any] = field(default_factory=dict)
    size: str = "feed"
    format: str = "png"
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
    from ..box.render import get_template
    from ..engines import ENGINES
    from ..export import size_of
    from ..spec import read_mapping

    path = Path(path)
    data, shown = read_mapping(path, "brief", max_bytes=BRIEF_MAX_BYTES, example="'roster: people.csv'")
    for key in data:
        if key not in BRIEF_FIELDS:
            raise MinimeError(f"{shown}: unknown field {str(key)!r}{did_you_mean(str(key), BRIEF_FIELDS)}; "
                              f"allowed: {', '.join(BRIEF_FIELDS)}")
    base = path.resolve().parent

    def text(key: str, default: str) -> str:
        value = data.get(key)
        if value is None:
            return default
        if not isinstance(value, str) or not value.strip():
            raise MinimeError(f"{shown}: {key} must be text (got {value!r})")
        return value.strip()

    template = text("template", "classic")
    try:
        get_template(template)
    except UnknownNameError as exc:
        raise MinimeError(f"{shown}: template: {exc}") from None
    engine = text("engine", "sculpt")
    if engine not in ENGINES:
        raise MinimeError(f"{shown}: engine: unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    size = text("size", "feed")
    try:
        size_of(size)
    except UnknownNameError as exc:
        raise MinimeError(f"{shown}: size: {exc}") from None
    if size == "print-kit":
        raise MinimeError(f"{shown}: size: a campaign makes images; use feed, square, story or print")
    fmt = text("format", "png").lower().lstrip(".").replace("jpeg", "jpg")
    if fmt not in FORMATS:
        raise MinimeError(f"{shown}: format: {fmt!r} is not one of {', '.join(FORMATS)}")
    likeness = data.get("likeness", True)
    if not isinstance(likeness, bool):
        raise MinimeError(f"{shown}: likeness must be true or false")
    outside = data.get("allow_paths_outside", False)
    if not isinstance(outside, bool):
        raise MinimeError(f"{shown}: allow_paths_outside must be true or false")
    seed = data.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise MinimeError(f"{shown}: seed must be a whole number")
    options = {"model": text("model", "")} if data.get("model") is not None else {}

    brand = None
    if data.get("brand") is not None:
        brand_path = _relative(base, text("brand", ""))
        brand = load_brand(brand_path)  # its SpecError names the kit's file

    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise MinimeError(f"{shown}: defaults must be a mapping of spec fields, like {{accessories: [laptop]}}")
    for key in defaults:
        if key in ("name", "names"):
            raise MinimeError(f"{shown}: defaults: {key} comes from each roster row, not from the defaults")
        if key == "template":
            raise MinimeError(f"{shown}: defaults: give the template at the top of the brief ('template: {defaults[key]}')")
    try:
        build_spec(name="x", **defaults)
    except SpecError as exc:
        raise MinimeError(f"{shown}: defaults: {exc}") from None
    except TypeError:
        raise MinimeError(f"{shown}: defaults: field names must be text") from None

    title = text("title", brand.name if brand is not None and brand.name else path.stem)
    roster_path, rows = None, ()
    if roster:
        if data.get("roster") is None:
            raise MinimeError(f"{shown}: roster: is required (a CSV file with columns {', '.join(ROSTER_COLUMNS[:4])})")
        roster_path = _relative(base, text("roster", ""))
        rows = tuple(read_roster(roster_path, base=base, defaults=defaults, template=template, outside=outside))
    return Brief(path.resolve(), title, template, brand, dict(defaults), roster_path, rows, engine, options, size, fmt,
                 likeness, seed)


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
