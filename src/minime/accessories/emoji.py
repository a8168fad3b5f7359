"""The emoji pieces: every Unicode emoji that is a thing, from Noto's art, painted as moulded plastic.

The art and the names (CLDR labels and keywords in many languages) are vendored in
`assets/emoji.zip`; `_vendor_emoji.py` rebuilds it. A flat emoji in a blister well looks like a
sticker, so `render_emoji` gives each one the toy set's finish: the key light from the top left across a
moulded bevel, a darker moulded edge, a gloss rim and a soft specular sheen.
"""

from __future__ import annotations

import json
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import skia
from PIL import Image, ImageFilter

from .aliases import SAME_AS
from .registry import ACCESSORIES

ARCHIVE = Path(__file__).resolve().parent / "assets" / "emoji.zip"
_PROBE = 128  # pixels; the size at which a piece's silhouette is measured for fitting


@dataclass(frozen=True)
class EmojiPiece:
    """One emoji piece: its key, English label, the emoji, its CLDR subgroup and names by language."""

    key: str
    label: str
    emoji: str
    group: str
    hexcode: str
    names: dict[str, tuple[str, ...]]  # language -> (label, keyword, ...)


def _kebab(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in text if not unicodedata.combining(ch))
    return "-".join(text.split())


@cache
def emoji_pieces() -> dict[str, EmojiPiece]:
    """All emoji pieces by key (kebab-case English label; "flag-italy" for "flag: Italy")."""
    with zipfile.ZipFile(ARCHIVE) as z:
        rows = json.loads(z.read("pieces.json"))
    stands_for = {bare(e) for e in SAME_AS.values()}
    pieces: dict[str, EmojiPiece] = {}
    for row in rows:
        label = row["label"]
        key = _kebab(label) or row["hex"].lower()
        if key in ACCESSORIES and bare(row["emoji"]) not in stands_for:  # the drawn "keyboard" is a piano's
            key = f"{row['group'].split('-')[-1]}-{key}"
        if key in pieces:
            key = f"{key}-{row['hex'].lower()}"
        pieces[key] = EmojiPiece(key, label[:1].upper() + label[1:], row["emoji"], row["group"], row["hex"],
                                 {lang: tuple(v) for lang, v in row["names"].items()})
    return pieces


@cache
def english_words() -> frozenset[str]:
    """English words of five letters or more: real words that matching never takes for typos."""
    with zipfile.ZipFile(ARCHIVE) as z:
        return frozenset(z.read("english.txt").decode("utf-8").split())


@cache
def by_emoji() -> dict[str, str]:
    """Emoji (without variation selectors) -> piece key."""
    return {bare(p.emoji): k for k, p in emoji_pieces().items()}


def bare(emoji: str) -> str:
    return emoji.replace("\ufe0f", "").replace("\ufe0e", "")


@lru_cache(maxsize=64)
def emoji_svg(key: str) -> bytes:
    """The emoji piece's art: its SVG file."""
    with zipfile.ZipFile(ARCHIVE) as z:
        return z.read(f"svg/{emoji_pieces()[key].hexcode}.svg")


def emoji_raster(key: str, size: int, matrix: skia.Matrix) -> np.ndarray:
    """The emoji piece's flat art drawn through `matrix` (from its 128-unit square) into size x size RGBA."""
    dom = skia.SVGDOM.MakeFromStream(skia.MemoryStream(emoji_svg(key)))
    dom.setContainerSize(skia.Size(128, 128))
    surface = skia.Surface.MakeRaster(
        skia.ImageInfo.Make(size, size, skia.kRGBA_8888_ColorType, skia.kPremul_AlphaType))
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorTRANSPARENT)
    canvas.concat(matrix)
    dom.render(canvas)
    return surface.makeImageSnapshot().toarray(colorType=skia.kRGBA_8888_ColorType,
                                               alphaType=skia.kUnpremul_AlphaType)


@cache
def emoji_bounds(key: str) -> tuple[float, float, float, float]:
    """The art's visible extent in its 128-unit square (left, top, right, bottom)."""
    k = _PROBE / 128
    alpha = emoji_raster(key, _PROBE, skia.Matrix.Scale(k, k))[..., 3]
    ys, xs = np.nonzero(alpha > 8)
    if not len(xs):
        return 0.0, 0.0, 128.0, 128.0
    return xs.min() / k, ys.min() / k, (xs.max() + 1) / k, (ys.max() + 1) / k


def _blur(a: np.ndarray, radius: float) -> np.ndarray:
    img = Image.fromarray(np.clip(a * 255, 0, 255).astype(np.uint8), "L")
    return np.asarray(img.filter(ImageFilter.GaussianBlur(radius)), dtype=np.float32) / 255


def render_emoji(key: str, size: int, margin: float) -> Image.Image:
    """The emoji piece `key` as a plastic toy piece, size x size RGBA, fitted inside `margin` (a fraction)."""
    left, top, right, bottom = emoji_bounds(key)
    # The moulded edge grows the piece a little: leave room for it.
    edge = max(1.0, size * 0.012)
    k = (size * (1 - 2 * margin) - 2 * edge) / max(right - left, bottom - top)
    m = skia.Matrix.Translate(-(left + right) / 2, -(top + bottom) / 2)
    m.postScale(k, k)
    m.postTranslate(size / 2, size / 2)
    arr = emoji_raster(key, size, m).astype(np.float32) / 255
    return Image.fromarray(_plastic(arr, size, edge), "RGBA")


def _plastic(arr: np.ndarray, size: int, edge: float) -> np.ndarray:
    rgb, alpha = arr[..., :3], arr[..., 3]
    # Factory paint: a touch more saturated and contrasty than the print-style art.
    grey = rgb.mean(axis=2, keepdims=True)
    rgb = np.clip(grey + (rgb - grey) * 1.18, 0, 1)
    rgb = np.clip((rgb - 0.5) * 1.06 + 0.5, 0, 1)
    # A moulded bevel: height from the blurred silhouette, lit from the top left.
    r = max(1.0, size * 0.03)
    height = _blur(alpha, r)
    gy, gx = np.gradient(height)
    scale = r * 1.6
    nx, ny = -gx * scale, -gy * scale
    nz = np.ones_like(nx)
    norm = np.sqrt(nx * nx + ny * ny + nz * nz)
    nx, ny, nz = nx / norm, ny / norm, nz / norm
    lx, ly, lz = -0.45, -0.62, 0.64  # towards the key light: up and to the left, in front
    lambert = nx * lx + ny * ly + nz * lz - lz  # 0 on the flat face, + on lit slopes, - on the shadow side
    rgb = rgb * (1 + 0.9 * lambert[..., None])
    # A soft form shadow towards the lower right, as the drawn pieces have.
    ramp = (np.linspace(-1, 1, size)[None, :] * 0.45 + np.linspace(-1, 1, size)[:, None] * 0.55)
    rgb = rgb * (1 - 0.10 * np.clip(ramp, 0, 1)[..., None])
    # Gloss: a specular rim along the lit slopes and a broad sheen in the upper left of the face.
    spec = np.clip(lambert * 3.2, 0, 1) ** 2 * 0.75
    sheen = np.clip(1 - np.abs(ramp + 0.55) / 0.22, 0, 1) * np.clip(-ramp, 0, 1) * 0.28
    glow = (spec + sheen * _blur((alpha > 0.5).astype(np.float32), r * 2)) * alpha
    rgb = rgb + (1 - rgb) * glow[..., None]
    rgb = np.clip(rgb, 0, 1)
    # The moulded edge: a dark rim just outside the silhouette, in a deep shade of the local colour.
    grown = _blur(alpha, edge * 0.8)
    grown = np.clip(grown * 2.2, 0, 1)
    shade = _blur(rgb.mean(axis=2) * alpha, edge * 2) / np.maximum(_blur(alpha, edge * 2), 1e-3)
    rim = np.clip(shade * 0.35, 0, 1)[..., None] * np.array([0.95, 0.92, 1.0], np.float32)
    out_a = np.maximum(alpha, grown)
    cover = np.where(out_a > 0, alpha / np.maximum(out_a, 1e-6), 0)[..., None]
    out_rgb = rgb * cover + rim * (1 - cover)
    out = np.dstack([out_rgb, out_a])
    return np.ascontiguousarray(np.clip(out * 255 + 0.5, 0, 255).astype(np.uint8))
