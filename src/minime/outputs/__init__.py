"""Outputs: the box as an image, the print kit PDF, the figure as a 3D model file, and clips.

`encode(result, format, options)` returns a finished file's bytes; `minime.files.atomic_write` writes it.
Each format registers itself in `registry.ENCODERS` when its module is imported; they are imported here in
order (the table first), and a format module imports the table, never this package.
"""

from __future__ import annotations

from .. import sculpt  # noqa: F401 - registers the desk scene and the 3D pieces with the box renderer
from .registry import (
    BASES,
    CLIPS,
    ENCODERS,
    HEIGHT_MM,
    IMAGE_FORMATS,
    PRINT_KIT,
    SIZES,
    Encoder,
    OutputOptions,
    check_base,
    check_clip,
    check_height,
    check_output,
    encode,
    format_for,
    format_of,
    needs_box,
    register,
    size_of,
)

# The formats, in the order the table lists them: images, the print kit, models, clips.
# isort: off
from .image import encode_image
from .printkit import kit_bytes
from .model import MESH_FORMATS
from .clip import CLIP_FORMATS, SECONDS
# isort: on

__all__ = ["BASES", "CLIPS", "CLIP_FORMATS", "ENCODERS", "HEIGHT_MM", "IMAGE_FORMATS", "MESH_FORMATS", "PRINT_KIT",
           "SECONDS", "SIZES", "Encoder", "OutputOptions", "check_base", "check_clip", "check_height", "check_output",
           "encode", "encode_image", "format_for", "format_of", "kit_bytes", "needs_box", "register", "size_of"]
