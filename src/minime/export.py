"""Output sizes and encoders. Files are written atomically: a failed write never leaves half a file."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from PIL import Image

from .errors import MinimeError, UnknownNameError

# name -> (width, height, dpi)
SIZES: dict[str, tuple[int, int, int]] = {
    "feed": (1080, 1350, 72),
    "square": (1080, 1080, 72),
    "story": (1080, 1920, 72),
    "print": (2400, 3000, 300),
}

FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
# A PDF to print, cut and fold: the box's dieline and a stand-up figure (box/printkit.py). Its preview
# image is the print size.
PRINT_KIT = "print-kit"


def size_of(name: str) -> tuple[int, int, int]:
    """(width, height, dpi) of a named size (the print kit's preview is the print size)."""
    if name == PRINT_KIT:
        return SIZES["print"]
    if name not in SIZES:
        raise UnknownNameError(f"unknown size {name!r}; choose one of: {', '.join([*SIZES, PRINT_KIT])}")
    return SIZES[name]


def check_output(path: str | Path, size: str) -> None:
    """Fail before any work if `path` cannot hold an output of `size` (the print kit is a PDF)."""
    if size == PRINT_KIT:
        if Path(path).suffix.lower() != ".pdf":
            raise MinimeError(f"cannot write {Path(path).name!r}: the print kit is a PDF; use a .pdf file name")
    else:
        format_of(path)


def save_pdf(data: bytes, path: str | Path) -> Path:
    """Write PDF bytes atomically to a .pdf path."""
    path = Path(path)
    check_output(path, PRINT_KIT)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise MinimeError(f"cannot write {str(path)!r}: the folder {str(parent)!r} does not exist")
    return _atomic(path, lambda tmp: tmp.write_bytes(data))


def format_of(path: str | Path) -> str:
    ext = Path(path).suffix.lower()
    if ext == ".pdf":
        raise MinimeError(f"cannot write {Path(path).name!r}: a .pdf is the print kit; use --size print-kit, "
                          "or a .png, .jpg or .webp file name")
    if ext not in FORMATS:
        raise MinimeError(f"cannot write {Path(path).name!r}: use a .png, .jpg or .webp file name")
    return FORMATS[ext]


def save(image: Image.Image, path: str | Path, *, dpi: int = 72, text: dict[str, str] | None = None,
         label: dict | None = None) -> Path:
    """Encode `image` by the file extension and write it atomically.

    Args:
        image: the image to write (RGB or RGBA).
        path: destination; .png, .jpg/.jpeg or .webp.
        dpi: resolution recorded in the file (300 for print).
        text: PNG text chunks (ignored for other formats).
        label: {"engine", "model", "receipt"} of an AI-generated image: it gets an invisible watermark,
            the IPTC label in XMP and, as the very last step, a signed C2PA manifest.
    Returns:
        The path written.
    """
    path = Path(path)
    fmt = format_of(path)
    if path.is_dir():
        raise MinimeError(f"cannot write {str(path)!r}: it is a folder; give a file name like box.png")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise MinimeError(f"cannot write {str(path)!r}: the folder {str(parent)!r} does not exist")
    options: dict = {"dpi": (dpi, dpi)}
    if label is not None:
        from . import provenance

        image = provenance.embed_watermark(image)
        created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        xmp = provenance.xmp_packet(engine=label["engine"], model=label.get("model", ""), created=created)
        options.update(provenance.save_options(fmt, xmp))
    if fmt == "PNG":
        from PIL.PngImagePlugin import PngInfo

        info = options.get("pnginfo") or PngInfo()
        for key, value in (text or {}).items():
            info.add_itxt(key, value)
        options.update(pnginfo=info, optimize=False, compress_level=6)
    elif fmt == "JPEG":
        image = image.convert("RGB")
        options.update(quality=92, subsampling=0)
    else:
        options.update(quality=92, method=4)
    def write(tmp: Path) -> None:
        image.save(tmp, fmt, **options)
        if label is not None:
            from . import provenance

            provenance.sign_file(tmp, engine=label["engine"], model=label.get("model", ""), extra=label.get("receipt"))

    return _atomic(path, write)


def _atomic(path: Path, write) -> Path:
    """Run `write(tmp)` on a temp file beside `path`, then rename it into place: a failed write never
    leaves half a file, and never touches an existing one."""
    parent = path.parent if str(path.parent) else Path(".")
    fd, name = tempfile.mkstemp(prefix=".minime-", suffix=path.suffix, dir=parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files owner-only; outputs get the usual mode
        os.replace(tmp, path)
    except OSError as exc:
        raise MinimeError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def free_path(path: str | Path) -> Path:
    """`path`, or `name-2.png`, `name-3.png`, ... if it exists, so a default name never overwrites."""
    path = Path(path)
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate
