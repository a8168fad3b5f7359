"""The one bounded reader for files a user names: regular files only, never more than a cap per kind.

A FIFO would block forever, /dev/zero never ends, a 10 GB "spec" would fill memory: each is refused with
one line before a byte is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Callable

from .errors import MinimeError

MB = 1_000_000
# The largest file accepted of each kind.
LIMITS: dict[str, int] = {
    "photo": 80 * MB,
    "figure": 80 * MB,
    "spec file": 1 * MB,
    "brand kit": 1 * MB,
    "brief": 1 * MB,
    "roster": 50 * MB,
    "logo": 10 * MB,
    "font": 20 * MB,
    "image to verify": 200 * MB,
}


def shown(path: str | Path) -> str:
    """A path as a message shows it: printable, never unbounded."""
    text = str(path)
    text = text if text.isprintable() else repr(text)[1:-1]
    return text if len(text) <= 200 else text[:200] + "..."


def _a(kind: str) -> str:
    """The kind with its article: "a photo", "an image to verify"."""
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}"


def _size(limit: int) -> str:
    return f"{limit // MB} MB" if limit >= MB else f"{limit // 1000} kB"


def read_bounded(path: str | Path, kind: str, *, limit: int | None = None, error: type[MinimeError] = MinimeError,
                 too_big: Callable[[int | None], str] | None = None) -> bytes:
    """The whole of a regular file, or one clear error.

    Args:
        path: the file.
        kind: what it is, for the message and the default cap ("photo", "brief", "roster", ...; see LIMITS).
        limit: the cap in bytes, if not the kind's.
        error: the MinimeError subclass to raise.
        too_big: the message for a file over the cap, from its size (None: it grew while being read).
    Raises:
        `error`: not found, a folder, not a regular file (FIFO, device, socket), unreadable, or over the cap.
    """
    limit = LIMITS[kind] if limit is None else limit
    name = shown(path)
    if str(path) == "":
        raise error(f"no {kind} given: pass a file name")
    try:
        # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except (FileNotFoundError, NotADirectoryError):
        raise error(f"{kind} not found: {name}") from None
    except IsADirectoryError:
        raise error(f"{name} is a directory; pass {_a(kind)}") from None
    except OSError as exc:
        raise error(f"cannot read {kind} {name}: {(exc.strerror or type(exc).__name__).lower()}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise error(f"{name} is a directory; pass {_a(kind)}")
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{name} is not a regular file (a pipe, device or socket); pass {_a(kind)}")
        if info.st_size > limit:
            raise error(too_big(info.st_size) if too_big else f"{name} is too big for {_a(kind)}; the limit is {_size(limit)}")
        os.set_blocking(fd, True)
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # it grew after the check
            raise error(too_big(None) if too_big else f"{name} is too big for {_a(kind)}; the limit is {_size(limit)}")
        return b"".join(chunks)
    except OSError as exc:
        raise error(f"cannot read {kind} {name}: {(exc.strerror or type(exc).__name__).lower()}") from None
    finally:
        os.close(fd)
