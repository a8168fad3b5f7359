"""What the cloud engines share: the photo as they send it, credentials, and one-line errors."""

from __future__ import annotations

import io
import os
import re

from PIL import Image

from ..errors import MinimeError


class CredentialsError(MinimeError):
    """A cloud engine has no API key to call its provider with."""


def api_key(names: tuple[str, ...], engine: str) -> str:
    """The first of these environment variables that is set; never logged, never put in a message."""
    for name in names:
        value = os.environ.get(name, "").strip()
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


def _names(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def is_timeout(exc: BaseException) -> bool:
    """A timeout from httpx, httpx2 or the SDKs' own wrappers."""
    return bool(_names(exc) & {"TimeoutException", "APITimeoutError", "TimeoutError", "ReadTimeout", "ConnectTimeout"})


def is_unreachable(exc: BaseException) -> bool:
    """A connection that could not be made or broke off."""
    return bool(_names(exc) & {"ConnectError", "NetworkError", "TransportError", "APIConnectionError",
                               "RemoteProtocolError", "ConnectionError"})
