"""The engine contract and the engine registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Protocol

from ..errors import UnknownNameError

if TYPE_CHECKING:
    from PIL import Image

    from ..look import Subject
    from ..spec import FigureSpec


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
        accessories: optional accessory art by accessory key; the renderer draws its own otherwise.
        people: how many people the figure shows.
    """

    image: "Image.Image"
    engine: str
    model: str = ""
    seed: int | None = None
    prompt: str = ""
    seconds: float = 0.0
    accessories: dict[str, "Image.Image"] = field(default_factory=dict)
    people: int = 1


class Engine(Protocol):
    name: str
    runs_locally: bool  # False means the photo leaves the machine

    def generate(self, subject: "Subject", spec: "FigureSpec", *, n: int, seed: int | None) -> list[Figure]: ...


@dataclass(frozen=True)
class EngineInfo:
    name: str
    summary: str
    runs_locally: bool
    factory: Callable[[], Engine]


ENGINES: dict[str, EngineInfo] = {}


def register(name: str, summary: str, runs_locally: bool, factory: Callable[[], Engine]) -> None:
    """Add an engine to the registry; `factory` builds it (and imports heavy extras) only when used."""
    ENGINES[name] = EngineInfo(name, summary, runs_locally, factory)


def get_engine(name: str | Engine) -> Engine:
    """Return the engine for a registry name (or pass an engine object through)."""
    if not isinstance(name, str):
        return name
    info = ENGINES.get(name)
    if info is None:
        raise UnknownNameError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
    return info.factory()
