"""The box as an image file: PNG, JPEG or WebP, watermarked, labelled and signed."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PIL import Image

from ..errors import MinimeError
from .registry import IMAGE_FORMATS, Encoder, OutputOptions, register, size_of

if TYPE_CHECKING:
    from ..pipeline import Result


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
    from .. import provenance

    fmt = IMAGE_FORMATS.get(format.lower(), format.upper())
    options: dict = {"dpi": (dpi, dpi)}
    if label is not None:
        image = provenance.embed_watermark(image)
        created = datetime.now(UTC).isoformat(timespec="seconds")
        xmp = provenance.xmp_packet(engine=label["engine"], model=label.get("model", ""), created=created)
        options.update(provenance.save_options(fmt, xmp))
    if fmt == "PNG":
        from PIL.PngImagePlugin import PngInfo

        info = options.get("pnginfo") or PngInfo()
        for key, value in (text or {}).items():
            info.add_itxt(key, value)
        options.update(pnginfo=info, optimize=False, compress_level=4)  # level 6: half as fast for 7% less
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


def _box_encoder(fmt: str) -> Callable[[Result, OutputOptions], bytes]:
    def encode_box(result: Result, options: OutputOptions) -> bytes:
        return encode_image(result.image, fmt, dpi=size_of(result.size)[2], text=result.metadata(), label=result.label())

    return encode_box


register(Encoder("png", ".png", "image/png", _box_encoder("png")))
register(Encoder("jpg", ".jpg", "image/jpeg", _box_encoder("jpg"), aliases=(".jpeg",)))
register(Encoder("webp", ".webp", "image/webp", _box_encoder("webp")))
