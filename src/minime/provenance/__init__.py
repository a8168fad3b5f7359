"""Provenance: every output says it is AI-generated, three ways.

1. An XMP packet with IPTC DigitalSourceType ``trainedAlgorithmicMedia`` (xmp.py).
2. A C2PA manifest signed offline with a local key (or a brand's own certificate), embedded last (manifest.py).
3. An invisible watermark in the luma channel, a backup that survives re-encoding and resizing when the
   metadata has been stripped (watermark.py).

All three are applied to bytes in memory (see `outputs.encode_image`); `verify` reads them back. Clips carry
the C2PA manifest; 3D models and the print kit carry a plain label, which `verify` reads too (formats.py).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from .formats import kind_of, verify_other
from .manifest import GENERATOR_LABEL, RECEIPT_LABEL, action_label, assertion, check_manifest, sign, sign_file, sign_media
from .watermark import embed_watermark, read_watermark
from .xmp import IPTC_TRAINED, read_xmp, save_options, xmp_field, xmp_packet

__all__ = [
    "GENERATOR_LABEL",
    "IPTC_TRAINED",
    "RECEIPT_LABEL",
    "Verification",
    "embed_watermark",
    "read_watermark",
    "save_options",
    "sign",
    "sign_file",
    "sign_media",
    "verify",
    "xmp_packet",
]


@dataclass
class Verification:
    """What verify() found in one file."""

    ai_label: bool = False  # XMP DigitalSourceType, or the C2PA action says trainedAlgorithmicMedia
    signed: bool = False  # a C2PA manifest is present
    valid: bool = False  # signature and hashes check out
    trusted: bool = False  # signed by our local CA or the configured brand chain
    tampered: bool = False
    watermark: bool = False
    engine: str | None = None
    created: str | None = None
    problems: list[str] = field(default_factory=list)
    kind: str = "image"  # "image", "clip", "model" or "print kit"; "" for a file minime does not write
    format: str = ""  # what the file is, in words ("PNG image", "STL model", ...)
    signable: bool = True  # False: the format has no place for a signature (STL, 3MF, GLB, PDF)
    carries: list[str] = field(default_factory=list)  # what provenance the file holds, in words

    @property
    def ok(self) -> bool:
        """Everything the format can carry is there and checks out: for a signable format the AI label and a
        valid, untampered signature; otherwise the AI label in a whole file."""
        if not self.signable:
            return self.ai_label and not self.tampered and not self.problems
        return self.ai_label and self.signed and self.valid and not self.tampered


def verify(path: Path) -> Verification:
    """Check what a file minime wrote carries: an image's AI label, C2PA manifest and watermark; a clip's
    manifest; a model's or the print kit's label (see formats.py). Never raises for a bad file: what is wrong
    is listed in `problems`. A missing file raises FileNotFoundError; what is not a regular file (a pipe,
    a device) or is over 200 MB raises MinimeError, before it is read."""
    from ..files import read_bounded

    path = Path(path)
    result = Verification()
    if not os.path.lexists(path):
        raise FileNotFoundError(str(path))
    data = read_bounded(path, "image to verify")
    fmt = kind_of(data, path.name)
    if fmt is None:
        result.kind = ""
        result.problems.append("not a file minime writes (PNG, JPEG or WebP image; MP4, GIF or WebP clip; "
                               "STL, 3MF or GLB model; PDF print kit)")
        return result
    if fmt not in ("PNG", "JPEG", "WEBP"):
        return verify_other(data, fmt, result)
    result.format = f"{'WebP' if fmt == 'WEBP' else fmt} image"

    xmp = read_xmp(data)
    xmp_label = xmp_field(xmp, "DigitalSourceType") == IPTC_TRAINED
    manifest = check_manifest(data, fmt, result)
    c2pa_label = action_label(manifest)
    result.ai_label = xmp_label or c2pa_label
    if not xmp_label:
        result.problems.append("no XMP AI label (IPTC DigitalSourceType trainedAlgorithmicMedia)")
    if not result.ai_label:
        result.problems.append("nothing in the file says it is AI-generated")
    generator = assertion(manifest, GENERATOR_LABEL) or {}
    result.engine = _str(generator.get("engine")) or xmp_field(xmp, "engine")
    result.created = _str(generator.get("created")) or xmp_field(xmp, "created")

    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            result.watermark = read_watermark(im) is not None
    except Exception as exc:  # noqa: BLE001 - a damaged file must still get a verdict
        result.problems.append(f"cannot decode the pixels: {exc}")
    if not result.watermark:
        result.problems.append("no invisible watermark found")
    return result




def _str(value) -> str | None:
    return str(value) if value not in (None, "") else None
