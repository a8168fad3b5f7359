"""A web job's parts: the in-memory Job, its table in SQLite, the refusals, and how a failure is described."""

from __future__ import annotations

import gc
import logging
import threading
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .kept import Kept

log = logging.getLogger("minime.web")


class QueueFull(Exception):
    """Too many jobs are waiting; try again after `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


class NotFound(Exception):
    """No such job for this client (or it expired)."""


class NotReady(Exception):
    """The job has no result (yet, or it failed)."""


class Deleted(Exception):
    """Raised inside a running job whose owner deleted it."""


@dataclass
class Job:
    """The in-memory half of a job: what must never touch the disk (the photo) and what is live."""

    id: str
    owner: str
    created: float
    photo: bytes | None
    status: str = "queued"
    stage: str = ""
    result: Kept | None = None  # the figure, packed, for re-boxing and the 3D files until the TTL (web/kept.py)
    clips: dict[str, bytes] = field(default_factory=dict)  # turntable clips made of `result`, by format (web/clips.py)
    deleted: bool = False
    tick: int = 0  # goes up on every change, so a live stream need not read the database to notice none
    lock: threading.Lock = field(default_factory=threading.Lock)
    waiters: set = field(default_factory=set)  # (event loop, asyncio.Event) of each live stream


SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    status TEXT NOT NULL,
    stage TEXT NOT NULL DEFAULT '',
    error_code TEXT,
    error TEXT,
    created REAL NOT NULL,
    finished REAL,
    expires REAL,
    engine TEXT NOT NULL,
    size TEXT NOT NULL,
    spec TEXT NOT NULL,
    likeness REAL,
    receipt TEXT,
    summary TEXT,
    warnings TEXT,
    seconds REAL,
    version INTEGER NOT NULL DEFAULT 0,
    filename TEXT,
    image BLOB,
    thumb BLOB
);
CREATE INDEX IF NOT EXISTS jobs_owner ON jobs (owner, created);
CREATE INDEX IF NOT EXISTS jobs_expires ON jobs (expires);
"""

META = ("id, owner, status, stage, error_code, error, created, finished, expires, engine, size, spec, "
         "likeness, receipt, summary, warnings, seconds, version, filename")


MODEL_FORMATS = ("glb", "stl", "3mf")  # the viewer's GLB first
CLIP_FORMATS = ("mp4",)


def release_memory() -> None:
    """Hand the memory a clip's frames took back to the system: a collection for any cycles that hold them, then
    `trim_memory`. Elsewhere than glibc, the collection only."""
    gc.collect()
    trim_memory()


def trim_memory() -> None:
    """Return the freed pages of every malloc arena to the system (glibc's malloc_trim; a few ms). A figure frees
    some hundred MB in many blocks across the worker threads' arenas, and glibc keeps such memory for reuse: as
    the kept jobs' blocks land among it, a busy server would otherwise grow by several MB a figure made (50
    figures: about 100 MB more at the peak). Nothing elsewhere than glibc."""
    trim = _glibc("malloc_trim")
    if trim is not None:
        trim(0)


M_ARENA_MAX = -8  # glibc's mallopt parameter


def limit_arenas(count: int) -> None:
    """Keep glibc's malloc to `count` arenas from now on. By default it makes up to eight a core as threads
    contend, and each keeps some of the freed blocks that `trim_memory` cannot return from among the kept jobs'
    (measured, 50 clients on two cores: peak RSS 808-1016 MB with the default, 712-741 MB with one arena per job
    thread, and as many figures a second). Nothing elsewhere than glibc."""
    mallopt = _glibc("mallopt")
    if mallopt is not None:
        mallopt(M_ARENA_MAX, max(1, count))


@cache
def _glibc(name: str):
    import ctypes
    import ctypes.util

    try:
        return getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), name)
    except (OSError, AttributeError):  # not glibc (musl, macOS, Windows)
        return None


def file_name(name: str, kind: str = "minime", suffix: str = ".png") -> str:
    """A download name from the figure's name: ASCII letters and digits, e.g. 'ada-lovelace-minime.png'."""
    from ..files import slug

    return f"{slug(name)}-{kind}{suffix}"


def describe(exc: BaseException) -> tuple[str, str]:
    """A failure as (code, one-line message) for the page; internal errors say nothing of their insides."""
    from ..engines.base import ConsentError, EngineError, RefusedError
    from ..errors import (
        LookError,
        MinimeError,
        MissingExtraError,
        PhotoError,
        SpecError,
        UnknownNameError,
    )
    from ..settings import settings

    for kind, code in ((PhotoError, "bad_photo"), (LookError, "no_face"), (SpecError, "bad_spec"),
                       (UnknownNameError, "unknown_name"), (ConsentError, "consent"), (MissingExtraError, "missing_extra"),
                       (RefusedError, "refused"), (MinimeError, "bad_request")):
        if isinstance(exc, kind):
            return code, str(exc)
    if isinstance(exc, EngineError):
        return "engine_failed", str(exc)
    log.error("a job failed: %s", type(exc).__name__, exc_info=settings().debug)
    return "internal", "something went wrong while making this figure; please try again"
