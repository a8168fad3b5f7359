"""The `minime` command. Heavy imports happen inside commands so `minime --help` is instant.

Each module adds its commands to the one Typer app when it is imported.
"""

from . import listing, making, serving  # noqa: F401  (they register their commands)
from .app import app, main

__all__ = ["app", "main"]
