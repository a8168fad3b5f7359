"""The print kit as an output: a PDF to print, cut and fold (drawn by box/printkit.py), with a page on
printing the figure in 3D when it has a mesh."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .registry import Encoder, OutputOptions, register

if TYPE_CHECKING:
    from ..figure import Figure
    from ..pipeline import Result
    from ..spec import BrandKit, FigureSpec


def kit_bytes(figure: Figure, spec: FigureSpec, *, template: str = "classic", brand: BrandKit | None = None,
              options: OutputOptions | None = None) -> bytes:
    """The print kit's PDF; the 3D page describes the model file `options` (height_mm, base) would make."""
    from ..box.printkit import Model3D, print_kit
    from .model import MIN_FEATURE_MM, printable

    options = options or OutputOptions()
    model = None
    mesh = getattr(figure, "mesh", None)
    if mesh:
        solid = printable(mesh, height_mm=options.height_mm, base=options.base)
        size = solid.vertices.max(0) - solid.vertices.min(0)
        model = Model3D(options.height_mm, options.base, (float(size[0]), float(size[2])), MIN_FEATURE_MM)
    return print_kit(figure, spec, template=template, brand=brand, model=model)


def _print_kit(result: Result, options: OutputOptions) -> bytes:
    return kit_bytes(result.figure, result.spec, template=result.template, brand=result.brand, options=options)


register(Encoder("pdf", ".pdf", "application/pdf", _print_kit))
