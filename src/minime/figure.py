"""The figure an engine made: its picture, what made it and, from the sculpt engine, its 3D parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import MinimeError

if TYPE_CHECKING:
    from collections.abc import Callable

    from PIL import Image

    from .sculpt.mesh import Part

NO_MESH = ("the model formats (.stl, .3mf, .glb) and clips need the figure's 3D mesh: "
           "use the sculpt engine (--engine sculpt)")


@dataclass
class Figure:
    """One generated figure: an RGBA image of the figure alone, and what made it.

    Args:
        image: RGBA, the figure (or a row of figures for a group) on a transparent background.
        engine: registry name of the engine that made it.
        model: the model or method inside that engine.
        seed: the seed used, if any.
        prompt: the instruction sent to a generative model ("" for the studio engine).
        seconds: wall time the engine spent on this figure.
        accessories: the loose pieces a model drew, by the accessory's text in the spec; the renderer
            draws its own art for the others.
        people: how many people the figure shows.
        mesh: the 3D parts (minime.sculpt.mesh.Part) when the sculpt engine made the figure, kept in memory so
            later stages can export it without a second run; None for a picture-only engine.
        notes: what the user should know about how this figure was made (a fallback, a guess).
        held: the accessories (their text in the spec) a figure holds in its hand: the box gives them no well.
        redraw: for a 3D figure, draws `image` again at another height in pixels (a print box shows the
            figure larger than the feed's layer: drawn again, its paint keeps its detail instead of being
            enlarged); None for a picture.
    """

    image: Image.Image
    engine: str
    model: str = ""
    seed: int | None = None
    prompt: str = ""
    seconds: float = 0.0
    accessories: dict[str, Image.Image] = field(default_factory=dict)
    people: int = 1
    mesh: list[Part] | None = None
    notes: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    redraw: Callable[[int], Image.Image] | None = field(default=None, repr=False, compare=False)

    def need_mesh(self) -> list[Part]:
        """The figure's 3D parts, or a one-line error when a picture-only engine made it."""
        if not self.mesh:
            raise MinimeError(NO_MESH)
        return self.mesh
