"""What the cloud engines share: the photo as they send it, credentials, and one-line errors."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image

from ..errors import MinimeError
from .base import Figure


@dataclass
class CloudFigure(Figure):
    """A figure a cloud provider made. `requests`: how many times the provider was asked for it; a request
    it refused and was asked again counts too, since the photo went out each time (for the receipt)."""

    requests: int = 1


class CredentialsError(MinimeError):
    """A cloud engine has no API key to call its provider with."""


class ModelChoiceError(MinimeError):
    """The chosen model is not offered, or does not take a request minime needs: the user picks another."""


# The setting that names each engine's model; `minime engines --json` shows it, errors name it.
MODEL_SETTINGS = {"openai": "openai_image_model", "gemini": "gemini_image_model", "diffusers": "diffusers_model"}


def model_choice(engine: str) -> dict | None:
    """The model an engine would use now and how to change it; None for an engine without a model setting."""
    from ..settings import settings

    field = MODEL_SETTINGS.get(engine)
    if field is None:
        return None
    variable = f"MINIME_{field.upper()}"
    return {"model": getattr(settings(), field), "setting": variable,
            "change": f"--model NAME for one run, or set {variable}=NAME"}


def resolve_guide(guide, subject, spec) -> Image.Image | None:
    """The guide image as RGBA: given as an image, or made for this subject and spec by a callable."""
    if guide is None:
        return None
    image = guide(subject, spec) if callable(guide) else guide
    if not isinstance(image, Image.Image):
        raise MinimeError(f"the guide must be an image, not {type(image).__name__}")
    return image.convert("RGBA")


def guide_png(guide: Image.Image, key: tuple[int, int, int] | None = None) -> bytes:
    """The guide as a fresh PNG: on the key colour for a model asked for the key, else with its transparency."""
    if key is None:
        fresh = Image.frombytes("RGBA", guide.size, guide.convert("RGBA").tobytes())
    else:
        fresh = Image.new("RGBA", guide.size, key + (255,))
        fresh.alpha_composite(guide.convert("RGBA"))
        fresh = fresh.convert("RGB")
    buf = io.BytesIO()
    fresh.save(buf, "PNG", compress_level=6)
    return buf.getvalue()


def api_key(names: tuple[str, ...], engine: str) -> str:
    """The first of these environment variables (read through Settings) that is set; never logged, never put in a message."""
    from ..settings import read_settings

    current = read_settings()  # read now, not the cached settings: a key set after start counts
    for name in names:
        secret = getattr(current, name.lower())
        value = secret.get_secret_value().strip() if secret is not None else ""
        if value:
            return value
    raise CredentialsError(f"the {engine} engine needs an API key: set {' or '.join(names)}")


def photo_png(image: Image.Image) -> bytes:
    """The intake-cleaned photo as a fresh PNG: pixels only, no EXIF, ICC, text or other chunk."""
    rgb = image.convert("RGB")
    fresh = Image.frombytes("RGB", rgb.size, rgb.tobytes())  # drops .info, so no chunk is copied over
    buf = io.BytesIO()
    fresh.save(buf, "PNG", optimize=False, compress_level=6)
    return buf.getvalue()


_KEYISH = re.compile(r"\b(sk-[A-Za-z0-9_\-*]{6,}|AIza[0-9A-Za-z_\-]{20,})")


def one_line(text: object, *, secrets: tuple[str, ...] = (), limit: int = 160) -> str:
    """A provider's message made safe to show: one line, shortened, with anything like a key removed."""
    line = " ".join(str(text or "").split())
    for secret in secrets:
        if secret:
            line = line.replace(secret, "[redacted]")
    line = _KEYISH.sub("[redacted]", line)
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _types(*paths: str) -> tuple[type[BaseException], ...]:
    """The exception classes at these dotted paths, leaving out those whose package is not installed."""
    import importlib

    found = []
    for path in paths:
        module, _, name = path.rpartition(".")
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


@lru_cache(maxsize=1)
def _timeouts() -> tuple[type[BaseException], ...]:
    # openai wraps httpx's timeout in its own; google-genai lets httpx's (or httpx2's) through.
    return (TimeoutError, *_types("openai.APITimeoutError", "httpx.TimeoutException", "httpx2.TimeoutException"))


@lru_cache(maxsize=1)
def _unreachables() -> tuple[type[BaseException], ...]:
    return (ConnectionError, *_types("openai.APIConnectionError", "httpx.TransportError", "httpx2.TransportError"))


def is_timeout(exc: BaseException) -> bool:
    """A timeout from httpx, httpx2 or the SDKs' own wrappers."""
    return isinstance(exc, _timeouts())


def is_unreachable(exc: BaseException) -> bool:
    """A connection that could not be made or broke off."""
    return isinstance(exc, _unreachables())
