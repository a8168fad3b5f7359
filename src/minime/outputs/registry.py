"""Output sizes, the format table and how a file name picks its format.

Every output is made in memory: `encode(result, format, options)` returns the finished file's bytes, already
watermarked, labelled and signed; `minime.files.atomic_write` puts it on disk.

A new format is one `register(Encoder(...))` call in its own module: its name, its file extension and a
function from a `Result` and the `OutputOptions` to bytes. This module imports no format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import MinimeError, UnknownNameError
from ..files import check_folder

if TYPE_CHECKING:
    from ..pipeline import Result

# name -> (width, height, dpi)
SIZES: dict[str, tuple[int, int, int]] = {
    "feed": (1080, 1350, 72),
    "square": (1080, 1080, 72),
    "story": (1080, 1920, 72),
    "print": (2400, 3000, 300),
}

# A PDF to print, cut and fold: the box's dieline and a stand-up figure (box/printkit.py). Its preview
# image is the print size.
PRINT_KIT = "print-kit"

BASES = ("round", "square", "none")
HEIGHT_MM = (30.0, 300.0)
CLIPS = ("figure", "box", "unbox")


def size_of(name: str) -> tuple[int, int, int]:
    """(width, height, dpi) of a named size (the print kit's preview is the print size)."""
    if name == PRINT_KIT:
        return SIZES["print"]
    if name not in SIZES:
        raise UnknownNameError(f"unknown size {name!r}; choose one of: {', '.join([*SIZES, PRINT_KIT])}")
    return SIZES[name]


def check_height(height_mm: float) -> float:
    lo, hi = HEIGHT_MM
    if not lo <= float(height_mm) <= hi:
        raise MinimeError(f"--height-mm {height_mm:g} is outside {lo:g}-{hi:g} mm")
    return float(height_mm)


def check_base(base: str) -> str:
    if base not in BASES:
        raise MinimeError(f"unknown base {base!r}; choose one of: {', '.join(BASES)}")
    return base


PRINTERS = ("fdm", "resin", "powder")  # outputs/printer.py has each one's thinnest wall
COLORS = (2, 8)
FULL_COLOR = 0  # --colors full


def check_printer(name: str) -> str:
    if name not in PRINTERS:
        raise MinimeError(f"unknown printer {name!r}; choose one of: {', '.join(PRINTERS)}")
    return name


def check_colors(value: int | str) -> int:
    """--colors: 2-8 filaments, or full (0): paint per vertex, for a full-colour print service."""
    if isinstance(value, str):
        word = value.strip().lower()
        if word == "full":
            return FULL_COLOR
        if not word.isdigit():
            raise MinimeError(f"--colors {value!r} is not a number; choose {COLORS[0]}-{COLORS[1]} filaments, or full")
        value = int(word)
    if isinstance(value, bool) or not isinstance(value, int) or value != FULL_COLOR and not COLORS[0] <= value <= COLORS[1]:
        raise MinimeError(f"--colors {value} is outside {COLORS[0]}-{COLORS[1]} filaments (or full, for paint per vertex)")
    return value


def check_clip(kind: str) -> str:
    if kind not in CLIPS:
        raise MinimeError(f"unknown clip {kind!r}; choose one of: {', '.join(CLIPS)}")
    return kind


@dataclass(frozen=True)
class OutputOptions:
    """How a model file, a clip or the print kit's 3D page is made (the box images take none)."""

    height_mm: float = 100.0   # the printed figure's height, base included (30-300)
    base: str = "round"        # its base plate: round, square or none
    clip: str = "figure"       # what a clip shows: the figure turning, the box turning, or the box then the figure
    printer: str = "fdm"       # what prints the model: fdm, resin or powder (sets the thinnest wall)
    colors: int = 4            # a 3MF's filaments (2-8), or 0 (FULL_COLOR) for paint per vertex

    def __post_init__(self) -> None:
        check_printer(self.printer)
        check_colors(self.colors)


# ------------------------------------------------------------------------------------------ encoders


@dataclass(frozen=True)
class Encoder:
    """One output format: `encode(result, options)` returns the whole file."""

    name: str                                  # "png"; what `encode(result, name)` takes
    extension: str                             # ".png"; the file name ending that selects it
    media_type: str                            # for the web app's responses
    encode: Callable[[Result, OutputOptions], bytes]
    aliases: tuple[str, ...] = ()              # other endings that select it, e.g. ".jpeg"
    # Whether the file shows the box, as made with these options: `make` draws no box for one that does not.
    shows_box: Callable[[OutputOptions], bool] = lambda options: True


ENCODERS: dict[str, Encoder] = {}
IMAGE_FORMATS = {"png": "PNG", "jpg": "JPEG", "webp": "WEBP"}  # encoder name -> Pillow's name


def register(encoder: Encoder) -> Encoder:
    """Add an output format (a later one with the same name replaces it)."""
    ENCODERS[encoder.name] = encoder
    return encoder


def encode(result: Result, format: str, options: OutputOptions | None = None) -> bytes:
    """The finished file for `result` in a registered format ("png", "jpg", "webp", "pdf", ...).

    Args:
        result: what `make` (or `box_saved_figure`, or `Result.rebox`) returned.
        format: an encoder's name.
        options: how a model, a clip or the print kit's 3D page is made; the defaults if None.
    Returns:
        The file's bytes; images are watermarked, carry the XMP label and a signed C2PA manifest.
    """
    encoder = ENCODERS.get(format)
    if encoder is None:
        raise UnknownNameError(f"unknown output format {format!r}; choose one of: {', '.join(ENCODERS)}")
    return encoder.encode(result, options or OutputOptions())


def needs_box(format: str, options: OutputOptions | None = None) -> bool:
    """Whether an output in this format, with these options, shows the box (a model file does not)."""
    encoder = ENCODERS.get(format)
    return encoder is None or encoder.shows_box(options or OutputOptions())


def format_for(path: str | Path) -> str:
    """The encoder a file name selects by its extension."""
    ext = Path(path).suffix.lower()
    for encoder in ENCODERS.values():
        if ext == encoder.extension or ext in encoder.aliases:
            return encoder.name
    others = ", ".join(e.extension for e in ENCODERS.values() if e.name not in IMAGE_FORMATS)
    raise MinimeError(f"cannot write {Path(path).name!r}: use a .png, .jpg or .webp file name"
                      + (f" ({others} for other outputs)" if others else ""))



def format_of(path: str | Path) -> str:
    """Pillow's format name for an image output path (PNG, JPEG or WEBP); anything else is refused."""
    ext = Path(path).suffix.lower()
    if ext == ".pdf":
        raise MinimeError(f"cannot write {Path(path).name!r}: a .pdf is the print kit; use --size print-kit, "
                          "or a .png, .jpg or .webp file name")
    name = format_for(path) if ext in (".png", ".jpg", ".jpeg", ".webp") else None
    if name not in IMAGE_FORMATS:
        raise MinimeError(f"cannot write {Path(path).name!r}: use a .png, .jpg or .webp file name")
    return IMAGE_FORMATS[name]


def check_output(path: str | Path, size: str) -> str:
    """Fail before any work if `path` cannot hold an output of `size`; returns the format it selects."""
    path = Path(path)
    if size == PRINT_KIT:
        if path.suffix.lower() != ".pdf":
            raise MinimeError(f"cannot write {path.name!r}: the print kit is a PDF; use a .pdf file name")
    elif path.suffix.lower() == ".pdf":
        format_of(path)  # says how to ask for the print kit
    fmt = format_for(path)
    check_folder(path)
    return fmt
