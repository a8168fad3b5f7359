"""A brand kit made ready to draw: its fonts registered, its logo decoded, its colours as RGB."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import skia

from ..colour import hex_rgb
from ..errors import SpecError
from . import text

if TYPE_CHECKING:
    from PIL import Image

    from ..spec import BrandKit

LOGO_MAX_SIDE = 4096


@dataclass
class Brand:
    kit: BrandKit
    primary: tuple[int, int, int]
    secondary: tuple[int, int, int] | None
    ink: tuple[int, int, int] | None
    display: tuple[str, ...]
    body: tuple[str, ...]
    logo: Image.Image | skia.SVGDOM | None  # a PNG logo stays a PIL image until it is drawn
    logo_size: tuple[float, float]

    def logo_rect(self, r: skia.Rect, align: str = "center") -> skia.Rect:
        """The logo's box, as large as fits in `r` with its own proportions."""
        lw, lh = self.logo_size
        k = min(r.width() / lw, r.height() / lh)
        w, h = lw * k, lh * k
        x = {"left": r.left(), "center": r.centerX() - w / 2, "right": r.right() - w}[align]
        return skia.Rect.MakeXYWH(x, r.centerY() - h / 2, w, h)


_CACHE: dict[str, Brand] = {}


def resolve(kit: BrandKit | None) -> Brand | None:
    """Prepare a BrandKit for drawing (cached per kit)."""
    if kit is None:
        return None
    key = kit.model_dump_json()
    if key in _CACHE:
        return _CACHE[key]
    display, body = tuple(text.DISPLAY), tuple(text.BODY)
    try:
        if "display" in kit.fonts:
            display = (text.register_font(kit.fonts["display"]), *text.DISPLAY)
        if "text" in kit.fonts:
            body = (text.register_font(kit.fonts["text"]), *text.BODY)
            if "display" not in kit.fonts:
                display = (body[0], *text.DISPLAY)
    except ValueError as exc:
        raise SpecError(f"brand kit font: {exc}") from None
    logo, size = _load_logo(kit)
    # The kit always has a primary colour (its loader insists); the others are optional.
    brand = Brand(kit, hex_rgb(kit.palette["primary"]), kit.rgb("secondary"), kit.rgb("ink"), display, body, logo, size)
    _CACHE[key] = brand
    return brand


def _load_logo(kit: BrandKit) -> tuple[Image.Image | skia.SVGDOM | None, tuple[float, float]]:
    path = kit.logo
    if path is None:
        return None, (1.0, 1.0)
    from ..files import read_bounded

    data = read_bounded(path, "logo", error=SpecError)  # checked when the kit was loaded; it may have changed since
    if path.suffix.lower() == ".svg":
        dom = skia.SVGDOM.MakeFromStream(skia.MemoryStream(data))
        if dom is None:
            raise SpecError(f"brand kit logo {path.name!r} is not a readable SVG file")
        size = dom.containerSize()
        w, h = size.width(), size.height()
        if w <= 0 or h <= 0:
            w, h = _svg_viewbox(data)
            dom.setContainerSize(skia.Size(w, h))
        return dom, (w, h)
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as src:  # the size is checked before any pixel is decoded
            if src.format != "PNG":
                raise SpecError(f"brand kit logo {path.name!r} is not a PNG file")
            if max(src.size) > LOGO_MAX_SIDE:
                raise SpecError(f"brand kit logo {path.name!r} is {src.width}x{src.height}; at most {LOGO_MAX_SIDE} px a side")
            img = src.convert("RGBA")
    except SpecError:
        raise
    except Exception:  # noqa: BLE001 - any decoder failure is the same user mistake
        raise SpecError(f"brand kit logo {path.name!r} is not a readable PNG file") from None
    bbox = img.getchannel("A").getbbox()
    if bbox:
        img = img.crop(bbox)
    return img, (float(img.width), float(img.height))


def _svg_viewbox(data: bytes) -> tuple[float, float]:
    """The SVG's viewBox size when it gives no width and height (a common export)."""
    import re

    m = re.search(rb'viewBox\s*=\s*["\']\s*[-\d.]+[ ,]+[-\d.]+[ ,]+([\d.]+)[ ,]+([\d.]+)', data)
    if not m:
        raise SpecError("brand kit logo: the SVG has no width/height or viewBox")
    return float(m.group(1)), float(m.group(2))
