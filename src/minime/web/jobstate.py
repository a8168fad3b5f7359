"""A web job's parts: the in-memory Job, its table in SQLite, the refusals, and how a failure is described."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..pipeline import Result

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
    result: Result | None = None  # kept (without its box image) for re-boxing until the TTL
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


def slim(result: Result) -> Result:
    """The Result without its box image and other candidates: enough to re-box, a fraction of the memory."""
    return replace(result, box=None, candidates=[], back=None)


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
