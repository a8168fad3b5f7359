"""Output sizes, encoders and the one file writer.

Every output is made in memory first: `encode(result, format)` returns the finished file's bytes, already
watermarked, labelled and signed. `atomic_write(path, data)` is the only code that puts an output on disk,
so a failed or killed run never leaves half a file, nor a whole one without its AI label.

A new format is one `register(Encoder(...))` call: its name, its file extension and a function from a
`Result` to bytes.
"""

from __future__ import annotations

import errno
import io
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PIL import Image

from .errors import MinimeError, UnknownNameError

if TYPE_CHECKING:
    from .pipeline import Result

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


def size_of(name: str) -> tuple[int, int, int]:
    """(width, height, dpi) of a named size (the print kit's preview is the print size)."""
    if name == PRINT_KIT:
        return SIZES["print"]
    if name not in SIZES:
        raise UnknownNameError(f"unknown size {name!r}; choose one of: {', '.join([*SIZES, PRINT_KIT])}")
    return SIZES[name]


# ------------------------------------------------------------------------------------------ encoders


@dataclass(frozen=True)
class Encoder:
    """One output format: `encode(result)` returns the whole file."""

    name: str                                  # "png"; what `encode(result, name)` takes
    extension: str                             # ".png"; the file name ending that selects it
    media_type: str                            # for the web app's responses
    encode: Callable[["Result"], bytes]
    aliases: tuple[str, ...] = ()              # other endings that select it, e.g. ".jpeg"


ENCODERS: dict[str, Encoder] = {}
IMAGE_FORMATS = {"png": "PNG", "jpg": "JPEG", "webp": "WEBP"}  # encoder name -> Pillow's name


def register(encoder: Encoder) -> Encoder:
    """Add an output format (a later one with the same name replaces it)."""
    ENCODERS[encoder.name] = encoder
    return encoder


def encode(result: "Result", format: str) -> bytes:
    """The finished file for `result` in a registered format ("png", "jpg", "webp", "pdf", ...).

    Args:
        result: what `make` (or `box_saved_figure`, or `Result.rebox`) returned.
        format: an encoder's name.
    Returns:
        The file's bytes; images are watermarked, carry the XMP label and a signed C2PA manifest.
    """
    encoder = ENCODERS.get(format)
    if encoder is None:
        raise UnknownNameError(f"unknown output format {format!r}; choose one of: {', '.join(ENCODERS)}")
    return encoder.encode(result)


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


def check_folder(path: str | Path) -> None:
    """Fail if `path` names a folder, or its folder does not exist."""
    path = Path(path)
    if str(path) in ("", ".") or path.is_dir():
        raise MinimeError(f"cannot write {str(path)!r}: it is a folder; give a file name like box.png")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise MinimeError(f"cannot write {str(path)!r}: the folder {str(parent)!r} does not exist")
    try:  # not the folder's mode, which is not the whole story (a read-only mount, a kernel folder, root): try it
        fd, probe = tempfile.mkstemp(prefix=".minime-", dir=parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise MinimeError(f"cannot write {str(path)!r}: the folder {str(parent)!r} is not writable "
                          f"({(exc.strerror or type(exc).__name__).lower()})") from None


def encode_image(image: Image.Image, format: str, *, dpi: int = 72, text: dict[str, str] | None = None,
                 label: dict | None = None) -> bytes:
    """Encode one image in memory.

    Args:
        image: RGB or RGBA.
        format: "png", "jpg" or "webp" (Pillow's names work too).
        dpi: resolution recorded in the file (300 for print).
        text: PNG text chunks (ignored for other formats).
        label: {"engine", "model", "receipt"} of an AI-generated image: it gets an invisible watermark,
            the IPTC label in XMP and, as the very last step, a signed C2PA manifest.
    Returns:
        The file's bytes.
    """
    from . import provenance

    fmt = IMAGE_FORMATS.get(format.lower(), format.upper())
    options: dict = {"dpi": (dpi, dpi)}
    if label is not None:
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
    elif fmt == "WEBP":
        options.update(quality=92, method=4)
    else:
        raise MinimeError(f"cannot encode an image as {format!r}: use png, jpg or webp")
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    data = buffer.getvalue()
    if label is not None:
        data = provenance.sign(data, engine=label["engine"], model=label.get("model", ""), extra=label.get("receipt"))
    return data


def _box_encoder(fmt: str) -> Callable[["Result"], bytes]:
    def encode_box(result: "Result") -> bytes:
        return encode_image(result.image, fmt, dpi=size_of(result.size)[2], text=result.metadata(), label=result.label())

    return encode_box


def _print_kit(result: "Result") -> bytes:
    from .box.printkit import print_kit
    from .export3d import options_of

    opts = options_of(result)  # the page on printing the figure in 3D uses --height-mm and --base
    return print_kit(result.figure, result.spec, template=result.template, brand=result.brand,
                     height_mm=opts.get("height_mm", 100.0), base=opts.get("base", "round"))


register(Encoder("png", ".png", "image/png", _box_encoder("png")))
register(Encoder("jpg", ".jpg", "image/jpeg", _box_encoder("jpg"), aliases=(".jpeg",)))
register(Encoder("webp", ".webp", "image/webp", _box_encoder("webp")))
register(Encoder("pdf", ".pdf", "application/pdf", _print_kit))


def _figure_formats() -> None:
    # Model files and clips of the 3D figure live beside this module and add their own rows.
    from . import clip, export3d

    export3d.register_formats()
    clip.register_formats()


_figure_formats()


# ------------------------------------------------------------------------------------------- writing


def atomic_write(path: str | Path, data: bytes, *, mode: int | None = None) -> Path:
    """Write `data` to `path` whole or not at all; the only code that writes an output file.

    The bytes go to an unnamed file in the destination folder (O_TMPFILE where the system has it), are
    synced, and only then get a name and are renamed over `path`: a crash or `kill -9` leaves the old file
    or the new one, never half of one, and, on Linux, no temp file beside it.

    Args:
        path: the destination; its folder must exist.
        data: the whole file.
        mode: permission bits (default: 0o666 less the umask, like any new file).
    Returns:
        The path written.
    """
    return write_all({Path(path): data}, mode=mode)[0]


def write_all(files: dict[Path, bytes], *, mode: int | None = None) -> list[Path]:
    """Write several files, all or none: every one is staged (written and synced, unnamed where the system
    allows) before the first is put in place, so a failure while staging changes nothing on disk."""
    mode = (0o666 & ~_umask()) if mode is None else mode
    staged: list[_Staged] = []
    try:
        for path, data in files.items():
            path = Path(path)
            check_folder(path)
            staged.append(_Staged(path, data, mode))
        for each in staged:
            each.commit()
    except OSError as exc:
        failed = next((s.path for s in staged if not s.done), None) or next(iter(files), "")
        raise MinimeError(f"cannot write {shown_path(failed)}: {(exc.strerror or str(exc)).lower()}") from None
    finally:
        for each in staged:
            each.discard()
    return [Path(p) for p in files]


def shown_path(path) -> str:
    text = str(path)
    return repr(text if len(text) <= 200 else text[:200] + "...")


class _Staged:
    """One file's bytes on disk, synced, not yet under its name."""

    def __init__(self, path: Path, data: bytes, mode: int):
        self.path, self.done, self.data, self.mode = path, False, data, mode  # data: for a named copy if need be
        self.parent = path.parent if str(path.parent) else Path(".")
        self.fd: int | None = None
        self.name: Path | None = None
        flag = getattr(os, "O_TMPFILE", None)
        if flag is not None and self.parent.stat().st_dev not in _NO_TMPFILE and os.path.isdir("/proc/self/fd"):
            try:
                self.fd = os.open(self.parent, flag | os.O_WRONLY, mode)
            except OSError as exc:
                if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.EISDIR):
                    raise
                _NO_TMPFILE.add(self.parent.stat().st_dev)
        if self.fd is None:
            fd, name = tempfile.mkstemp(prefix=".minime-", suffix=path.suffix, dir=self.parent)
            self.fd, self.name = fd, Path(name)
        os.fchmod(self.fd, mode)
        _write_all(self.fd, data)

    def commit(self) -> None:
        if self.name is None:  # unnamed: give it a name for the instant before the rename
            name = self.parent / f".minime-{os.getpid()}-{os.urandom(4).hex()}{self.path.suffix}"
            try:
                os.link(f"/proc/self/fd/{self.fd}", name)
            except OSError:  # some file systems (overlays, FUSE) cannot name an unnamed file
                _NO_TMPFILE.add(self.parent.stat().st_dev)
                name = self._copy_named()
            self.name = name
        os.replace(self.name, self.path)
        self.done = True

    def _copy_named(self) -> Path:
        fd, name = tempfile.mkstemp(prefix=".minime-", suffix=self.path.suffix, dir=self.parent)
        try:
            os.fchmod(fd, self.mode)
            _write_all(fd, self.data)
        finally:
            os.close(fd)
        return Path(name)

    def discard(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if not self.done and self.name is not None:
            self.name.unlink(missing_ok=True)


_NO_TMPFILE: set[int] = set()  # devices where unnamed files failed once: don't try again


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)


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


def slug(text: str, *, limit: int = 40, ascii_only: bool = True) -> str:
    """A file-name part from any text: letters and digits joined by '-', e.g. 'ada-lovelace' (`ascii_only`
    for names a browser sends in a header; the CLI keeps other scripts)."""
    out = "".join(ch if ch.isalnum() and (ch.isascii() or not ascii_only) else "-" for ch in text.casefold())
    return "-".join(filter(None, out.split("-")))[:limit].strip("-") or "figure"
