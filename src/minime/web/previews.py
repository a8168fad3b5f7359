"""Template previews for the picker: each template boxing one bundled sample figure, rendered once, cached."""

from __future__ import annotations

import io
import threading
from functools import lru_cache

from .kept import Kept

PREVIEW_WIDTH = 540  # sharp in the picker on a phone, and as the big sample before a figure is made
_lock = threading.Lock()
_cache: dict[str, bytes] = {}


@lru_cache(maxsize=1)
def sample_result() -> Kept:
    """The default engine's figure of the bundled public-domain portrait (NASA astronaut Eileen Collins), kept
    packed as a finished job's is (`Kept`): the server holds it for as long as it runs."""
    from importlib.resources import files

    from ..pipeline import make

    photo = (files("minime") / "assets" / "astronaut.jpg").read_bytes()
    return Kept(make(photo, {"name": "Your Name", "tagline": "Your tagline here", "accessories": ["coffee", "laptop"]},
                     likeness=False))


def preview_jpeg(template: str) -> bytes:
    """A small JPEG of `template` around the sample figure.

    Raises:
        UnknownNameError: no such template.
    """
    from PIL import Image

    from ..box.render import get_template

    get_template(template)
    with _lock:  # one render at a time; the rest wait for the cache
        if template not in _cache:
            image = sample_result().result().rebox(template=template).image.convert("RGB")
            image.thumbnail((PREVIEW_WIDTH, PREVIEW_WIDTH * 2), Image.Resampling.LANCZOS)
            buf = io.BytesIO()
            image.save(buf, "JPEG", quality=88)
            _cache[template] = buf.getvalue()
        return _cache[template]


def warm() -> None:
    """Render every preview (the server calls this in the background at start)."""
    from ..box.render import template_names

    for name in template_names():
        try:
            preview_jpeg(name)
        except Exception:  # noqa: BLE001 - a broken template shows its error when asked for, not here
            pass
