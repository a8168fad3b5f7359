"""BrandKit: a company's look (logo, exact colours, fonts, slogan, legal line), loaded from a file."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from minime.colour import hex_or_none, hex_rgb
from minime.errors import SpecError, did_you_mean
from minime.files import LIMITS

from .load import display, read_mapping, spec_error
from .rules import (
    NAME_MAX,
    bad_color,
    clean_limited,
    show,
    type_name,
)

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
        assert info.field_name is not None  # a field validator is always called for its field
        return clean_limited(value, {"name": NAME_MAX, "slogan": SLOGAN_MAX, "legal": LEGAL_MAX}[info.field_name])

    @field_validator("palette")
    @classmethod
    def _palette(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = [key for key in value if key not in BRAND_COLORS]
        if unknown:
            raise ValueError(f"unknown colour {show(unknown[0])}; allowed: {', '.join(BRAND_COLORS)}")
        if "primary" not in value:
            raise ValueError("needs a primary colour, e.g. primary: '#0052cc'")
        out = {}
        for key, text in value.items():
            normalised = hex_or_none(text)
            if normalised is None:
                raise ValueError(f"{key}: {bad_color(text)}")
            out[key] = normalised
        return out

    @field_validator("fonts")
    @classmethod
    def _fonts(cls, value: dict[str, Path]) -> dict[str, Path]:
        unknown = [key for key in value if key not in BRAND_FONTS]
        if unknown:
            raise ValueError(f"unknown font slot {show(unknown[0])}; allowed: {', '.join(BRAND_FONTS)}")
        return value

    def rgb(self, key: str) -> tuple[int, int, int] | None:
        """A palette colour as (r, g, b), or None if the kit leaves it out."""
        return hex_rgb(self.palette[key]) if key in self.palette else None


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
            raise SpecError(f"{shown}: unknown field {show(str(key))}{did_you_mean(str(key), allowed)}; "
                            f"allowed: {', '.join(allowed)}")
    base = path.resolve().parent

    def asset(value: Any, what: str, suffixes: tuple[str, ...], kind: str) -> Path:
        # Checked here, before any work; drawing reads it again through the bounded reader.
        if not isinstance(value, str):
            raise SpecError(f"{shown}: {what} must be a file path (got {type_name(value)})")
        if not value.strip():
            raise SpecError(f"{shown}: {what} is empty; give a {' or '.join(suffixes)} file")
        file = (base / value).resolve()
        try:
            info = file.stat()
        except OSError:
            raise SpecError(f"{shown}: {what} file not found: {display(value)}") from None
        if stat.S_ISDIR(info.st_mode):
            raise SpecError(f"{shown}: {what} {display(value)} is a directory; give a {' or '.join(suffixes)} file")
        if not stat.S_ISREG(info.st_mode):
            raise SpecError(f"{shown}: {what} {display(value)} is not a regular file (a pipe, device or socket); "
                            f"give a {' or '.join(suffixes)} file")
        if file.suffix.lower() not in suffixes:
            raise SpecError(f"{shown}: {what} must be a {' or '.join(suffixes)} file (got {show(file.name)})")
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
