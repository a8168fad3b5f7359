"""A figure's 3D files for the web app: its models, made when asked (about a second each), and its turntable
clip, made once and kept with its job.

A clip costs seconds of CPU while its 90 frames are made (streamed into the encoder, so a few hundred MB at
most), so it is bounded as a figure is:
- made once: the file is kept with its job (counted in the job store's `keep_bytes`, gone with the job, made
  again only after a re-box changes the box), so asking again costs nothing;
- at most one being made per client (asking for another answers 429) and `at_once` in all (503), both with
  Retry-After;
- made in the figures' own worker pool, in turn with the figures, so clips never take more threads or cores
  than figures may, and a figure asked for meanwhile is not starved by them;
- after each clip the frames' memory goes back to the system (a collection and glibc's `malloc_trim`), so the
  server's size comes back down after a burst of clips.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from .jobstate import NotFound, file_name, release_memory

if TYPE_CHECKING:
    from ..pipeline import Result
    from .jobs import Job, Jobs
    from .kept import Kept

Renderer = Callable[["Result", str], bytes]
TYPICAL_SECONDS = 6.0  # a 3 s feed-size clip on a 2-core CPU, until this server has timed its own


class ClipBusy(Exception):
    """No clip may be started now: `status` is 429 (this client's last one is still being made) or 503 (as many
    clips as the server makes at once are being made); try again after `retry_after` seconds."""

    def __init__(self, status: int, retry_after: int, message: str):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def render_clip(result: Result, fmt: str) -> bytes:
    """The clip file of a kept figure's result (`Kept.result`), which has no box image: it is boxed again, as a clip
    may show the box."""
    from .. import outputs

    return outputs.encode(result.rebox(), fmt)


class Clips:
    """Makes, keeps and bounds the figures' clips; makes their models.

    Args:
        jobs: the job store: its worker pool makes the clips, its jobs keep them.
        at_once: clips being made (or waiting in the pool) at most, from all clients together.
        renderer: makes one clip file from a Result; tests pass fakes that count their calls.
    """

    def __init__(self, jobs: Jobs, *, at_once: int, renderer: Renderer = render_clip):
        self.jobs = jobs
        self.at_once = max(1, at_once)
        self.renderer = renderer
        self._lock = threading.Lock()
        self._making: dict[str, int] = {}  # client -> clips being made (at most one each; no entry at none)
        self._from: dict[str, int] = {}  # address -> the same: many tokens from one address are one client
        self._seconds: deque[float] = deque(maxlen=16)  # recent clip times, for Retry-After

    def model(self, job_id: str, owner: str, fmt: str) -> tuple[bytes, str]:
        """The figure as a 3D model (MODEL_FORMATS), made in memory.

        Raises:
            NotFound, NotReady; MinimeError when the figure has no 3D mesh.
        """
        from .. import outputs

        _, kept = self.jobs.result(job_id, owner)
        return outputs.encode(kept.result(), fmt), file_name(kept.spec.name, "model", "." + fmt)

    def making(self) -> int:
        """Clips being made or waiting for a worker now."""
        with self._lock:
            return sum(self._making.values())

    async def get(self, job: Job, kept: Kept, fmt: str, address: str = "") -> tuple[bytes, str]:
        """The clip (CLIP_FORMATS) of a finished job (`Jobs.result`) and its download name: the kept one, or made
        now in the job pool and kept.

        Raises:
            ClipBusy; NotFound when the job is removed meanwhile; MinimeError when the figure has no 3D mesh.
        """
        kept.need_mesh()  # a picture-only engine made it: no clip, at once (MinimeError)
        name = file_name(kept.spec.name, "clip", "." + fmt)
        clip = job.clips.get(fmt)
        if clip is not None:
            return clip, name
        self._claim(job.owner, address)
        try:
            future = self.jobs.work(self._make, job, kept, fmt)
        except BaseException:
            self._release(job.owner, address)
            raise
        # The slot is the render's, not the request's: a client that hangs up does not free it early.
        future.add_done_callback(lambda _: self._release(job.owner, address))
        return await asyncio.wrap_future(future), name

    def _claim(self, owner: str, address: str = "") -> None:
        with self._lock:
            mine = self._making.get(owner, 0) + (self._from.get(address, 0) if address else 0)
            total = sum(self._making.values())
            if mine or total >= self.at_once:
                typical = sorted(self._seconds)[len(self._seconds) // 2] if self._seconds else TYPICAL_SECONDS
                wait = max(1, min(120, round(typical)))  # about one clip's time
                if mine:
                    raise ClipBusy(429, wait, f"your last clip is still being made; try again in {wait} s")
                raise ClipBusy(503, wait, f"too many clips are being made right now; try again in {wait} s")
            self._making[owner] = self._making.get(owner, 0) + 1
            if address:
                self._from[address] = self._from.get(address, 0) + 1

    def _release(self, owner: str, address: str = "") -> None:
        with self._lock:
            for counts, key in ((self._making, owner), (self._from, address)):
                if not key:
                    continue
                left = counts.get(key, 0) - 1
                if left > 0:
                    counts[key] = left
                else:
                    counts.pop(key, None)

    def _make(self, job: Job, kept: Kept, fmt: str) -> bytes:
        """In a pool worker: make the clip (unless it was made while this one waited) and keep it with the job."""
        if job.deleted:
            raise NotFound(job.id)
        clip = job.clips.get(fmt)
        if clip is not None:
            return clip
        started = time.perf_counter()
        try:
            data = self.renderer(kept.result(), fmt)
        finally:
            release_memory()
        with self._lock:
            self._seconds.append(time.perf_counter() - started)
        self.jobs.keep_clip(job, kept, fmt, data)
        return data


