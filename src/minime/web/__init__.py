"""The web app and HTTP API behind `minime serve`: a FastAPI app, its Jinja page and a little plain JS.

The page and the API call `pipeline.make` and `Result.rebox` like the CLI does; nothing here
re-implements a stage. Needs the `web` extra: pip install 'minime[web]'.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app"]


def create_app(**options: Any) -> FastAPI:
    """Build the app; see `minime.web.app.create_app` for the options."""
    from .app import create_app as build

    return build(**options)
