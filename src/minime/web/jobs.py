"""Jobs for the web app: a bounded worker pool runs `make`, SQLite holds the state, a TTL purges results.

Privacy: the photo lives only in this process's memory, on its Job, and is dropped the moment the job
ends (done, failed or deleted). Nothing of a job touches the disk: boxes are encoded, labelled and signed
in memory, and the SQLite database is an in-memory one, so a killed server leaves no names or boxes behind.
"""

from __future__ import annotations

import io
import json
import logging
import secrets
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from .jobstate import (
    CLIP_FORMATS,
    META,
    MODEL_FORMATS,
    SCHEMA,
    Deleted,
    Job,
    NotFound,
    NotReady,
    QueueFull,
    describe,
    file_name,
    trim_memory,
)
from .kept import Kept

if TYPE_CHECKING:
    from ..pipeline import Result
    from ..spec import FigureSpec

log = logging.getLogger("minime.web")

# What the progress bar shows: make()'s stages, then signing and encoding the file ("export").
STAGES = ("intake", "look", "engine", "pick", "box", "export")
THUMB_SIDE = 480
SIZES = ("feed", "square", "story", "print")
REBOX_FIELDS = ("name", "tagline", "color", "template", "accessories")

Maker = Callable[..., "Result"]


def default_maker(photo: bytes, spec: FigureSpec, *, engine: str, size: str, allow_cloud: bool,
                  progress: Callable[[str], None], brand=None) -> Result:
    """Run the pipeline; the web app never re-implements a stage. `brand`: event mode's brand kit. The
    receipt goes to the history once the box is encoded too (`Jobs._run`)."""
    from ..pipeline import make

    return make(photo, spec, engine=engine, size=size, allow_cloud=allow_cloud, progress=progress, brand=brand,
                record=False)


class Jobs:
    """The job queue and store.

    Args:
        workers: figures made at once (threads; the heavy stages release the GIL).
        queue_limit: jobs waiting or running before `submit` raises QueueFull.
        ttl: seconds a finished job (and its files) is kept.
        maker: makes one figure; `default_maker` runs `pipeline.make`. Tests pass slow or fake ones.
        keep: finished jobs kept at most before the TTL; the oldest go first.
        keep_bytes: bytes of finished files (and packed figures, `Kept`) kept at most before the TTL; the oldest go first.
        clock: the wall clock jobs are stamped and expired by.
    """

    def __init__(self, *, workers: int, queue_limit: int, ttl: float, maker: Maker = default_maker, keep: int = 500,
                 keep_bytes: int = 1_000_000_000, clock: Callable[[], float] = time.time):
        self.clock = clock  # the time jobs are stamped and expired by (tests move a fake one on)
        self.workers = max(1, workers)
        self.queue_limit = queue_limit
        self.ttl = ttl
        self.maker = maker
        self.keep, self.keep_bytes = keep, keep_bytes
        self._db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        self._db.executescript(SCHEMA)
        self._lock = threading.RLock()
        self._live: dict[str, Job] = {}
        self._seconds: deque[float] = deque(maxlen=32)  # recent job times, for Retry-After
        self._ahead_changes = 0  # a job started or ended: queued jobs moved up the line
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="minime-job")
        self._closed = threading.Event()
        self._purger = threading.Thread(target=self._purge_loop, name="minime-purge", daemon=True)
        self._purger.start()

    # ------------------------------------------------------------ queue

    def pending(self) -> int:
        """Jobs waiting or running."""
        with self._lock:
            return sum(1 for job in self._live.values() if job.status in ("queued", "running"))

    def retry_after(self) -> int:
        """Seconds until a slot is likely free."""
        with self._lock:
            typical = sorted(self._seconds)[len(self._seconds) // 2] if self._seconds else 2.0
            return max(1, min(120, round(typical * max(1, self.pending()) / self.workers)))

    def submit(self, owner: str, photo: bytes, spec: FigureSpec, *, engine: str = "sculpt", size: str = "feed",
               allow_cloud: bool = False) -> str:
        """Queue a figure; returns the job id.

        Raises:
            QueueFull: `queue_limit` jobs are already waiting or running.
        """
        self.purge()
        with self._lock:
            if self._closed.is_set():
                raise QueueFull(5)
            if self.pending() >= self.queue_limit:
                raise QueueFull(self.retry_after())
            job_id = secrets.token_urlsafe(18)
            job = Job(job_id, owner, self.clock(), photo)
            self._db.execute("INSERT INTO jobs (id, owner, status, created, engine, size, spec) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (job_id, owner, "queued", job.created, engine, size, spec.model_dump_json()))
            self._live[job_id] = job
            self._pool.submit(self._run, job, spec, engine, size, allow_cloud)
        return job_id

    def _run(self, job: Job, spec: FigureSpec, engine: str, size: str, allow_cloud: bool) -> None:
        """Make the figure in a pool worker, then hand its memory back: the job keeps its files and packed figure
        (`Kept`), and what the pipeline freed goes back to the system (`trim_memory`), so the server's size follows
        the jobs it keeps. Not after every stage as well: the next stage would fault the pages in again (more
        system time a figure) for no lower peak. No collection: a figure leaves no cycles behind, and one
        costs 30-40 ms of the GIL."""
        try:
            self._make(job, spec, engine, size, allow_cloud)
        finally:
            trim_memory()

    def _make(self, job: Job, spec: FigureSpec, engine: str, size: str, allow_cloud: bool) -> None:
        started = time.perf_counter()

        def progress(stage: str) -> None:
            if job.deleted or self._closed.is_set():
                raise Deleted
            with self._lock:
                job.stage = stage
                self._changed(job)
                self._db.execute("UPDATE jobs SET stage = ? WHERE id = ?", (stage, job.id))

        try:
            if job.deleted:
                return
            with self._lock:
                job.status, job.stage = "running", STAGES[0]
                self._changed(job, others=True)
                self._db.execute("UPDATE jobs SET status = 'running', stage = ? WHERE id = ?", (STAGES[0], job.id))
            photo, job.photo = job.photo, None  # the job holds the photo no longer than the pipeline needs it
            try:
                result = self.maker(photo, spec, engine=engine, size=size, allow_cloud=allow_cloud, progress=progress)
            finally:
                del photo
            progress("export")
            files = self._encode(job.id, result)
            kept = Kept(result)  # packed here, in the worker, not under the store's lock
            result.record()  # the receipt with the box's encoding in it
        except Deleted:
            return
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message for the page
            code, message = describe(exc)
            self._finish(job, "failed", error_code=code, error=message)
            return
        finally:
            job.photo = None
        seconds = time.perf_counter() - started
        self._seconds.append(seconds)
        self._finish(job, "done", result=result, kept=kept, seconds=seconds, **files)

    def _finish(self, job: Job, status: str, *, result: Result | None = None, kept: Kept | None = None,
                error_code: str | None = None, error: str | None = None, seconds: float | None = None,
                image: bytes | None = None, thumb: bytes | None = None, filename: str | None = None) -> None:
        now = self.clock()
        with self._lock:
            if job.deleted or job.id not in self._live:
                return
            values: dict[str, Any] = {"status": status, "finished": now, "expires": now + self.ttl,
                                      "error_code": error_code, "error": error, "seconds": seconds}
            if result is not None:
                receipt = result.receipt
                values.update(
                    likeness=result.likeness, warnings=json.dumps(result.warnings, ensure_ascii=False),
                    receipt=json.dumps(receipt.to_dict(), ensure_ascii=False) if receipt else None,
                    summary=receipt.summary() if receipt else None, image=image, thumb=thumb, filename=filename,
                    version=1, spec=result.spec.model_dump_json(), stage="export",
                )
                job.result = kept
            self._update(job.id, values)
            job.status = status
            self._changed(job, others=True)
            self._bound()

    def _bound(self) -> None:
        """Drop the oldest finished jobs while more than `keep` of them, or `keep_bytes` of files, are held."""
        rows = self._db.execute("SELECT id, COALESCE(LENGTH(image), 0) + COALESCE(LENGTH(thumb), 0) FROM jobs "
                                "WHERE finished IS NOT NULL ORDER BY finished DESC").fetchall()
        kept, total, drop = 0, 0, []
        for job_id, size in rows:  # a figure's packed figure and kept clips count with its image
            live = self._live.get(job_id)
            held = getattr(getattr(live, "result", None), "nbytes", 0) + sum(map(len, getattr(live, "clips", {}).values()))
            kept, total = kept + 1, total + size + held
            if kept > 1 and (kept > self.keep or total > self.keep_bytes):  # the newest always stays
                drop.append(job_id)
        if drop:
            self._forget(tuple(drop))

    def _update(self, job_id: str, values: dict[str, Any]) -> None:
        columns = ", ".join(f"{key} = ?" for key in values)
        self._db.execute(f"UPDATE jobs SET {columns} WHERE id = ?", (*values.values(), job_id))

    def _encode(self, job_id: str, result: Result) -> dict[str, Any]:
        """The box as a signed, labelled PNG and a JPEG thumbnail, both made in memory."""
        from PIL import Image

        image = result.encode("png")  # metered: the "export" stage of the receipt
        small = result.image.convert("RGB")
        small.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        small.save(buf, "JPEG", quality=85)
        return {"image": image, "thumb": buf.getvalue(), "filename": file_name(result.spec.name)}

    # ------------------------------------------------------------ reading

    def _row(self, job_id: str, owner: str, columns: str = META) -> sqlite3.Row:
        self.purge()
        with self._lock:
            cur = self._db.execute(f"SELECT {columns} FROM jobs WHERE id = ? AND owner = ?", (job_id, owner))
            cur.row_factory = sqlite3.Row
            row = cur.fetchone()
        if row is None:
            raise NotFound(job_id)
        return row

    def get(self, job_id: str, owner: str) -> dict[str, Any]:
        """A job's status, for its owner only.

        Raises:
            NotFound: no such job, another client's job, or expired.
        """
        return self._describe(self._row(job_id, owner))

    def list(self, owner: str) -> list[dict[str, Any]]:
        """This client's jobs, newest first."""
        self.purge()
        with self._lock:
            cur = self._db.execute(f"SELECT {META} FROM jobs WHERE owner = ? ORDER BY created DESC", (owner,))
            cur.row_factory = sqlite3.Row
            rows = cur.fetchall()
        return [self._describe(row) for row in rows]

    def _describe(self, row: sqlite3.Row) -> dict[str, Any]:
        job_id = row["id"]
        ahead = 0
        if row["status"] == "queued":
            with self._lock:
                ahead = sum(1 for job in self._live.values()
                            if job.status in ("queued", "running") and job.created < row["created"])
        done = row["status"] == "done"
        base = f"/api/figures/{job_id}"
        version = row["version"]
        with self._lock:
            live = self._live.get(job_id)
        meshed = bool(getattr(live.result, "meshed", False)) if done and live is not None else False
        return {
            "id": job_id,
            "status": row["status"],
            "stage": row["stage"],
            "stages": list(STAGES),
            "ahead": ahead,
            "error": {"code": row["error_code"], "message": row["error"]} if row["status"] == "failed" else None,
            "created": row["created"],
            "expires": row["expires"],
            "engine": row["engine"],
            "size": row["size"],
            "spec": json.loads(row["spec"]),
            "likeness": row["likeness"],
            "receipt": json.loads(row["receipt"]) if row["receipt"] else None,
            "receipt_summary": row["summary"],
            "warnings": json.loads(row["warnings"]) if row["warnings"] else [],
            "seconds": row["seconds"],
            "version": version,
            "filename": row["filename"],
            "links": {
                "self": base,
                "events": f"{base}/events",
                **({
                    "image": f"{base}/image?v={version}",
                    "download": f"{base}/image?v={version}&download=1",
                    "thumbnail": f"{base}/thumbnail?v={version}",
                    "figure": f"{base}/figure",
                    "print_kit": f"{base}/print-kit",
                    "rebox": f"{base}/rebox",
                } if done else {}),
                # A sculpted figure is also a 3D model: the page's viewer loads the GLB.
                **({f"model_{fmt}": f"{base}/model?format={fmt}" for fmt in MODEL_FORMATS} if meshed else {}),
                **({f"clip_{fmt}": f"{base}/clip?format={fmt}" for fmt in CLIP_FORMATS} if meshed else {}),
            },
        }

    def _changed(self, job: Job, *, others: bool = False) -> None:
        """Count a change and wake the job's live streams (`others`: every queued job moved up the line too, so
        their streams wake as well; a running or finished job's do not, as nothing they show changed).
        Call with the lock held; worker threads wake the streams through their event loops."""
        job.tick += 1
        if others:
            self._ahead_changes += 1
        queued = (each for each in self._live.values() if each is not job and each.status == "queued")
        for each in (job, *queued) if others else (job,):
            for loop, event in list(each.waiters):
                loop.call_soon_threadsafe(event.set)

    async def changed(self, job_id: str, tick: int | None, timeout: float = 30.0) -> None:
        """Wait until the job's tick (see `tick`) is no longer `tick`, it is gone, or `timeout` s pass."""
        import asyncio

        waiter = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            job = self._live.get(job_id)
            if job is None or tick is None or job.tick + self._ahead_changes != tick:
                return
            job.waiters.add(waiter)
        try:
            await asyncio.wait_for(waiter[1].wait(), timeout)
        except TimeoutError:
            pass
        finally:
            with self._lock:
                job.waiters.discard(waiter)

    def tick(self, job_id: str) -> int | None:
        """A number that changes whenever the job does (None once it is gone); cheap, no database."""
        with self._lock:
            job = self._live.get(job_id)
            return None if job is None else job.tick + self._ahead_changes

    def image(self, job_id: str, owner: str, *, thumb: bool = False) -> tuple[bytes, str]:
        """The PNG (or the JPEG thumbnail) and its download name.

        Raises:
            NotFound, NotReady.
        """
        row = self._row(job_id, owner, "status, filename, " + ("thumb" if thumb else "image") + " AS data")
        if row["status"] != "done" or row["data"] is None:
            raise NotReady(job_id)
        return bytes(row["data"]), row["filename"]

    def result(self, job_id: str, owner: str) -> tuple[Job, Kept]:
        """The live job and its kept figure (`Kept.result()` makes a Result of it), for re-boxing and other files."""
        row = self._row(job_id, owner, "status")
        with self._lock:
            job = self._live.get(job_id)
        if row["status"] != "done" or job is None or job.result is None:
            raise NotReady(job_id)
        return job, job.result

    def rebox(self, job_id: str, owner: str, changes: dict[str, Any], size: str | None = None) -> dict[str, Any]:
        """Box the same figure again with new text, colour, template, accessories or size; no engine time.

        Raises:
            NotFound, NotReady; SpecError or UnknownNameError for a bad change.
        """
        job, kept = self.result(job_id, owner)
        with job.lock:  # one re-box at a time per job; the page sends the latest change only
            kept = job.result or kept
            fields = {key: value for key, value in changes.items() if key in REBOX_FIELDS and value is not None}
            new = kept.result().rebox(fields, template=fields.get("template"), size=size)
            files = self._encode(job_id, new)
            packed = Kept(new)
            with self._lock:
                if job.deleted or job_id not in self._live:
                    raise NotFound(job_id)
                version = self._db.execute("SELECT version FROM jobs WHERE id = ?", (job_id,)).fetchone()[0] + 1
                self._update(job_id, {"spec": new.spec.model_dump_json(), "size": new.size, "version": version,
                                      "warnings": json.dumps(new.warnings, ensure_ascii=False), **files})
                job.result, job.clips = packed, {}  # its clips showed the old box and size
                self._changed(job)
        return self.get(job_id, owner)

    def figure_png(self, job_id: str, owner: str) -> tuple[bytes, str]:
        """The figure layer alone (transparent PNG), to box it again with `minime box`."""
        _, kept = self.result(job_id, owner)
        return kept.result().encode_figure(), file_name(kept.spec.name, "figure")

    def print_kit(self, job_id: str, owner: str) -> tuple[bytes, str]:
        """The print kit (a PDF to print, cut and fold)."""
        from .. import outputs

        _, kept = self.result(job_id, owner)
        return outputs.encode(kept.result().rebox(size=outputs.PRINT_KIT), "pdf"), file_name(kept.spec.name, "print-kit", ".pdf")

    def work(self, fn: Callable[..., Any], *args: Any) -> Future:
        """Run more heavy work of a finished figure (its clip, web/clips.py) in the figures' pool, in turn with them."""
        return self._pool.submit(fn, *args)

    def keep_clip(self, job: Job, kept: Kept, fmt: str, data: bytes) -> None:
        """Keep a clip made of `kept` with its job, within `keep_bytes`, unless the job was re-boxed or removed since."""
        with self._lock:
            if not job.deleted and job.result is kept:
                job.clips[fmt] = data
                self._bound()

    # ------------------------------------------------------------ removing

    def delete(self, job_id: str, owner: str) -> None:
        """Remove everything of a job at once: its row, files, photo and figure (a running job stops).

        Raises:
            NotFound.
        """
        self._row(job_id, owner, "id")
        self._forget((job_id,))

    def _forget(self, ids: tuple[str, ...]) -> None:  # not list[str]: `list` here is the method above
        with self._lock:
            for job_id in ids:
                job = self._live.pop(job_id, None)
                if job is not None:
                    self._changed(job)
                    job.deleted = True
                    job.photo = None
                    job.result, job.clips = None, {}
                self._db.execute("DELETE FROM jobs WHERE id = ?", (job_id,))

    def purge(self) -> int:
        """Remove every finished job past its TTL; returns how many."""
        with self._lock:
            if self._closed.is_set():
                return 0
            ids = [r[0] for r in self._db.execute("SELECT id FROM jobs WHERE expires IS NOT NULL AND expires <= ?",
                                                  (self.clock(),))]
            if ids:
                self._forget(tuple(ids))
        return len(ids)

    def _purge_loop(self) -> None:
        interval = max(0.05, min(30.0, self.ttl / 4))
        while not self._closed.wait(interval):
            try:
                self.purge()
            except Exception:  # noqa: BLE001 - keep purging; say why once per failure
                log.exception("purging expired jobs failed")

    def close(self) -> None:
        """Stop the workers and drop every job."""
        with self._lock:
            if self._closed.is_set():
                return
            self._closed.set()
            for job in self._live.values():
                self._changed(job)
                job.deleted = True
                job.photo = None
                job.result, job.clips = None, {}
            self._live.clear()
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            self._db.close()

    def counts(self) -> dict[str, int]:
        """Jobs by status, and photos held in memory (for tests and the benchmark)."""
        with self._lock:
            rows = dict(self._db.execute("SELECT status, COUNT(*) FROM jobs GROUP BY status").fetchall())
            rows["photos_in_memory"] = sum(1 for job in self._live.values() if job.photo is not None)
            rows["live"] = len(self._live)
        return rows


