"""Intake: the only code that touches untrusted image bytes.

`load_photo` turns a path, bytes or a PIL image into a clean `Photo`: RGB pixels in sRGB, EXIF
orientation applied, alpha on white, and no metadata at all (no EXIF/GPS, ICC, XMP or comments), so
nothing of the original file can leak into an output. Anything it cannot use raises a one-line
PhotoError that names the problem and what is allowed.
"""

from __future__ import annotations

import functools
import io
import math
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from minime.errors import PhotoError

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ["MAX_FILE_BYTES", "MAX_PIXELS", "MIN_SIDE", "WORK_SIDE", "Photo", "load_photo", "load_work_photo", "start_loading"]

MAX_PIXELS = 40_000_000
MAX_FILE_BYTES = 80_000_000
MIN_SIDE = 64
WORK_SIDE = 1600  # the look and engine stages see at most this many pixels on the long side

ALLOWED = "use a JPEG, PNG, WebP or HEIC photo"
# The only Pillow decoders untrusted bytes ever reach (MPO, a JPEG with extra pictures, comes with JPEG).
_OPEN_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF", "GIF")
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1", b"mif2"}


@dataclass
class Photo:
    """A decoded, cleaned photo: RGB, sRGB, upright, no metadata."""

    image: Image.Image
    format: str
    notes: list[str] = field(default_factory=list)

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return self.image.size


def load_photo(src: str | Path | bytes | Image.Image, *, max_side: int | None = None) -> Photo:
    """Decode and clean a photo.

    Args:
        src: a path to a JPEG, PNG, WebP, HEIC/HEIF (or GIF) file, the file's bytes, or a PIL image.
        max_side: the caller needs no more than about this many pixels on the long side; a JPEG is
            then decoded at a reduced scale (still at least this size), which is several times faster.

    Returns:
        A Photo whose image is a fresh RGB image in sRGB with EXIF orientation applied, alpha
        composited on white and no metadata; `notes` says what was done that the user should know.

    Raises:
        PhotoError: the file is missing, empty, too big, not a supported image, damaged, over
            MAX_PIXELS or under MIN_SIDE pixels on a side. The message is one line.
        TypeError: src is none of the accepted types.
    """
    if isinstance(src, Image.Image):
        return _from_image(src)
    if isinstance(src, (bytes, bytearray, memoryview)):
        data = bytes(src)
        if not data:
            raise PhotoError(f"the file is empty (0 bytes); {ALLOWED}")
        if len(data) > MAX_FILE_BYTES:
            raise PhotoError(f"the file is {_mb(len(data))} MB; the limit is {MAX_FILE_BYTES // 1_000_000} MB")
        return _decode(data, "the file", max_side)
    if isinstance(src, (str, os.PathLike)):
        path = Path(src)
        return _decode(_read(path), f"'{_display(path)}'", max_side)
    raise TypeError(f"load_photo takes a path, bytes or a PIL image, not {type(src).__name__}")


def load_work_photo(src: str | Path | bytes | Image.Image, side: int = WORK_SIDE) -> tuple[Photo, Image.Image]:
    """The photo (see `load_photo`; a large JPEG is decoded at a reduced scale) and its working copy, at most
    `side` pixels on the long side, for the look and engine stages.

    Raises:
        PhotoError: as `load_photo`.
    """
    picture = load_photo(src, max_side=side)
    work = picture.image
    if max(work.size) > side:
        work = work.copy()
        work.thumbnail((side, side), Image.Resampling.BILINEAR, reducing_gap=2.0)
    return picture, work


def start_loading(src: str | Path | bytes | Image.Image, side: int = WORK_SIDE) -> Future[tuple[Photo, Image.Image]]:
    """`load_work_photo` on a thread of its own; `result()` gives what it returns, or raises what it raised.

    Pillow decodes and shrinks the photo in C with the interpreter lock released, so on a second core the
    0.1 s this takes for a 12 MP JPEG overlaps Python work meanwhile: the CLI starts it before it imports
    the renderer and the engine (0.4 s), and hands the future to `minime.make`.
    """
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="minime-photo")
    future = pool.submit(load_work_photo, src, side)
    pool.shutdown(wait=False)  # no more jobs: the thread ends with this one
    return future


def _display(path: Path) -> str:
    text = str(path)
    if not text.isprintable():
        text = repr(text)[1:-1]
    return text if len(text) <= 160 else text[:159] + "…"


def _mb(count: int) -> str:
    return _over(count / 1_000_000, MAX_FILE_BYTES / 1_000_000)


def _over(amount: float, limit: float) -> str:
    """Format an amount that broke a limit, never rounding it down to look like the limit."""
    if amount >= limit + 1:
        return f"{amount:.0f}"
    return f"{math.ceil(amount * 10) / 10:.1f}"


def _read(path: Path) -> bytes:
    from .files import read_bounded

    shown = _display(path)
    limit = MAX_FILE_BYTES // 1_000_000

    def too_big(size: int | None) -> str:
        return f"'{shown}' is {_mb(size)} MB; the limit is {limit} MB" if size else f"'{shown}' is over {limit} MB; the limit is {limit} MB"

    data = read_bounded(path, "photo", limit=MAX_FILE_BYTES, error=PhotoError, too_big=too_big)
    if not data:
        raise PhotoError(f"'{shown}' is empty (0 bytes); {ALLOWED}")
    return data


@functools.cache
def _register_heif() -> bool:
    """Teach Pillow HEIC/HEIF, once, on the first HEIC/HEIF file (pillow-heif is a core dependency; importing
    it takes 15 ms, which a JPEG, PNG or WebP photo does without)."""
    try:
        import pillow_heif
    except ImportError:  # pragma: no cover - a broken install; HEIC is then refused as unsupported
        return False
    pillow_heif.register_heif_opener()
    return True


def sniff(data: bytes) -> str | None:
    """Name the file type from its first bytes (JPEG, PNG, WEBP, GIF, HEIF, ...), or None."""
    head = data[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return "AVIF"
        if brand in _HEIF_BRANDS:
            return "HEIF"
        return "video or other ISO media"
    for magic, name in (
        (b"BM", "BMP"),
        (b"II*\x00", "TIFF"),
        (b"MM\x00*", "TIFF"),
        (b"%PDF", "PDF"),
        (b"8BPS", "Photoshop (PSD)"),
        (b"\x00\x00\x01\x00", "ICO"),
        (b"\xff\x0a", "JPEG XL"),
        (b"\x00\x00\x00\x0cJXL ", "JPEG XL"),
        (b"qoif", "QOI"),
    ):
        if head.startswith(magic):
            return name
    if b"<svg" in data[:1024].lower():
        return "SVG"
    return None


def _decode(data: bytes, label: str, max_side: int | None = None) -> Photo:
    kind = sniff(data)
    # pillow-heif's opener takes only ISO media files (an `ftyp` box at byte 4): any other file skips it.
    heif = data[4:8] == b"ftyp" and _register_heif()
    formats = [name for name in _OPEN_FORMATS if name != "HEIF" or heif]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=formats)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoError(_bomb_message(exc)) from exc
    except UnidentifiedImageError as exc:
        if kind in _OPEN_FORMATS:
            raise PhotoError(_damaged(label)) from exc
        if kind is not None:
            article = "an" if kind in ("AVIF", "ICO", "SVG") else "a"
            raise PhotoError(f"{label} is {article} {kind} file; {ALLOWED}") from exc
        raise PhotoError(f"{label} is not an image; {ALLOWED}") from exc
    except Exception as exc:  # untrusted bytes: any decoder failure is a damaged file, never a traceback
        raise PhotoError(_damaged(label)) from exc
    try:
        with image:
            fmt = "JPEG" if image.format == "MPO" else (image.format or kind or "unknown")
            _check_size(*image.size)
            notes = _frame_notes(image, fmt)
            if max_side and fmt == "JPEG" and max(image.size) > max_side:
                # DCT scaling: decode at 1/2, 1/4 or 1/8 size, never below max_side on the long side.
                ratio = max_side / max(image.size)
                image.draft("RGB", (math.ceil(image.width * ratio), math.ceil(image.height * ratio)))
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image.load()
            clean = _clean(image, notes)
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoError(_bomb_message(exc)) from exc
    except Exception as exc:  # see above: truncated data, bad chunks, decoder errors, ...
        raise PhotoError(_damaged(label)) from exc
    return Photo(image=clean, format=fmt, notes=notes)


def _from_image(src: Image.Image) -> Photo:
    fmt = "JPEG" if src.format == "MPO" else (src.format or "PIL")
    _check_size(*src.size)
    try:
        notes = _frame_notes(src, fmt)
        frame = src
        if notes and fmt not in ("HEIF", "JPEG") and src.tell() != 0:
            position = src.tell()
            src.seek(0)
            try:
                frame = src.copy()
            finally:
                src.seek(position)
        frame.load()
        clean = _clean(frame, notes)
    except PhotoError:
        raise
    except Exception as exc:
        raise PhotoError(_damaged("the image")) from exc
    return Photo(image=clean, format=fmt, notes=notes)


def _damaged(label: str) -> str:
    return f"{label} is damaged or truncated and cannot be decoded; {ALLOWED}"


def _megapixels(pixels: int) -> str:
    return _over(pixels / 1_000_000, MAX_PIXELS / 1_000_000)


def _bomb_message(exc: Exception) -> str:
    found = re.search(r"\((\d+) pixels\)", str(exc))
    if found:
        return f"the photo is {_megapixels(int(found.group(1)))} MP; the limit is {MAX_PIXELS // 1_000_000} MP"
    return f"the photo is far too large to decode safely; the limit is {MAX_PIXELS // 1_000_000} MP"


def _check_size(width: int, height: int) -> None:
    """Refuse from the header's size, before any pixel is decoded."""
    if width * height > MAX_PIXELS:
        raise PhotoError(
            f"the photo is {_megapixels(width * height)} MP ({width}x{height}); "
            f"the limit is {MAX_PIXELS // 1_000_000} MP"
        )
    if min(width, height) < MIN_SIDE:
        raise PhotoError(f"the photo is {width}x{height} px; it must be at least {MIN_SIDE} px on each side")


def _frame_notes(image: Image.Image, fmt: str) -> list[str]:
    frames = getattr(image, "n_frames", 1) or 1
    if frames <= 1 and not getattr(image, "is_animated", False):
        return []
    if fmt == "JPEG":  # MPO: the extra pictures are previews or depth maps
        return []
    if fmt == "HEIF":
        return [f"the HEIC file holds {frames} images: used the main one"]
    return ["animated image: used the first frame"]


@functools.cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


# An ICC profile's colour space -> the Pillow mode its pixels must have for the profile to apply.
_PROFILE_MODES = {"RGB": "RGB", "GRAY": "L", "CMYK": "CMYK", "Lab": "LAB"}


def _clean(image: Image.Image, notes: list[str]) -> Image.Image:
    """Orient, convert to sRGB RGB on white, and copy the pixels into a fresh image without metadata."""
    icc = image.info.get("icc_profile")
    try:
        upright = ImageOps.exif_transpose(image)
    except Exception:  # a damaged EXIF block must not cost the user the photo
        upright = image
        notes.append("the photo's orientation tag is unreadable: used it as stored")
    rgb = _to_srgb(upright, icc if isinstance(icc, bytes) and icc else None, notes)
    fresh = Image.new("RGB", rgb.size)
    fresh.paste(rgb)
    return fresh


def _to_srgb(image: Image.Image, icc: bytes | None, notes: list[str]) -> Image.Image:
    colour, alpha = _split_alpha(image)
    if icc is not None:
        colour = _apply_profile(colour, icc, notes)
    if colour.mode == "LAB":
        converted = ImageCms.profileToProfile(
            colour, ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")), _srgb(), outputMode="RGB"
        )
        assert converted is not None  # None only when converting in place
        colour = converted
    if colour.mode != "RGB":
        colour = colour.convert("RGB")
    if alpha is not None:
        white = Image.new("RGB", colour.size, (255, 255, 255))
        colour = Image.composite(colour, white, alpha)
    return colour


def _split_alpha(image: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    """Return (colour part in L, RGB, CMYK, YCbCr, LAB or HSV; alpha in L or None)."""
    mode = image.mode
    if mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif mode in ("PA", "RGBa", "RGBX"):
        image = image.convert("RGBA" if mode != "RGBX" else "RGB")
    elif mode == "La":
        image = image.convert("LA")
    elif mode == "1":
        image = image.convert("L")
    elif mode.startswith("I") or mode == "F":
        image = _to_8bit_gray(image)
    elif mode == "RGB" and "transparency" in image.info:  # a PNG tRNS colour key
        image = image.convert("RGBA")
    elif mode == "L" and "transparency" in image.info:
        image = image.convert("LA")
    if image.mode == "RGBA":
        return image.convert("RGB"), image.getchannel("A")
    if image.mode == "LA":
        return image.getchannel("L"), image.getchannel("A")
    return image, None


def _to_8bit_gray(image: Image.Image) -> Image.Image:
    """Scale 16-bit and 32-bit grayscale to 8 bits (Pillow's own convert clips instead of scaling)."""
    values = np.asarray(image)
    if image.mode.startswith("I;16"):
        values = values.astype(np.uint32) >> 8
    elif image.mode == "F":
        values = values * 255.0 if float(np.nanmax(values)) <= 1.0 else values
        values = np.nan_to_num(values)
    elif values.size and int(values.max()) > 255:  # 32-bit "I" holding 16-bit samples
        values = np.clip(values, 0, 65535) >> 8
    return Image.fromarray(np.clip(values, 0, 255).astype(np.uint8))


def _apply_profile(colour: Image.Image, icc: bytes, notes: list[str]) -> Image.Image:
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        space = profile.profile.xcolor_space.strip()
    except Exception:
        notes.append("the photo's colour profile is damaged: assumed sRGB")
        return colour
    if _PROFILE_MODES.get(space) != colour.mode:
        notes.append("the photo's colour profile does not fit its pixels: assumed sRGB")
        return colour
    try:
        converted = ImageCms.profileToProfile(
            colour, profile, _srgb(), renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="RGB"
        )
    except Exception:
        notes.append("the photo's colour profile could not be applied: assumed sRGB")
        return colour
    assert converted is not None  # None only when converting in place
    return converted
