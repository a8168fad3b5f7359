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
    """The print kit's PDF; the 3D page describes the model file `options` (height, base, printer, colours)
    would make."""
    from ..box.printkit import Model3D, print_kit

    options = options or OutputOptions()
    model = None
    mesh = getattr(figure, "mesh", None)
    if mesh:
        info = print_facts(mesh, options)
        model = Model3D(options.height_mm, options.base, tuple(info["bed_mm"]), info["wall_mm"], printer=options.printer,
                        colors=options.colors, facts=info)
    return print_kit(figure, spec, template=template, brand=brand, model=model)


def print_facts(parts: list, options: OutputOptions) -> dict:
    """What printing the model file `options` make takes: orientation, supports, volume and grams, its
    footprint on the bed, the filaments (colour, where it goes, grams) for a 3MF of 2-8 colours, and with
    no base, how far it is from tipping. The print kit's 3D page and `--json` say these."""
    from .filament import reduce_paint
    from .model import _solid_cached
    from .printer import facts

    solid = _solid_cached(parts, options.height_mm, options.base, options.printer)
    found = facts(solid.vertices, solid.faces, printer=options.printer, base=options.base)
    size = solid.vertices.max(0) - solid.vertices.min(0)
    out = {**found.to_dict(), "height_mm": options.height_mm, "base": options.base,
           "bed_mm": [round(float(size[0]), 1), round(float(size[2]), 1)], "triangles": int(len(solid.faces))}
    if options.colors:
        _, filaments = reduce_paint(solid, options.colors, grams=found.grams)
        out["filaments"] = [f.to_dict() for f in filaments]
    return out


def _print_kit(result: Result, options: OutputOptions) -> bytes:
    return kit_bytes(result.figure, result.spec, template=result.template, brand=result.brand, options=options)


register(Encoder("pdf", ".pdf", "application/pdf", _print_kit))
