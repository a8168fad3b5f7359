"""Engines make the figure; the box is drawn by `minime.box`."""

from .base import ENGINES, Engine, Figure, get_engine, register


def _studio():
    from .studio import StudioEngine

    return StudioEngine()


register("studio", "offline toy finish on the CPU, about a second, no download (default)", True, _studio)

__all__ = ["ENGINES", "Engine", "Figure", "get_engine", "register"]
