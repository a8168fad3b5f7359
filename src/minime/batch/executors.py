"""Making rows: one in a worker (`make_row`), and the executors that run many: local processes and Ray."""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import MinimeError, MissingExtraError
from ..spec import BrandKit


@dataclass(frozen=True)
class Context:
    """What every row of a run shares; sent once to each worker."""

    engine: str
    engine_options: dict[str, Any]
    template: str
    size: str
    likeness: bool
    seed: int | None
    brand: BrandKit | None
    allow_cloud: bool


_WORKER: dict[str, Any] = {}


def init_worker(context: Context, *, ignore_interrupt: bool = False, warm: bool = False) -> None:
    """Set a worker up: build the engine once; its first row loads the models. A sample figure first
    (`warm`) costs a whole figure more and gains nothing in a run: workers take rows from one queue, so
    one still loading holds up no other."""
    if ignore_interrupt:  # Ctrl+C goes to the parent, which stops the run cleanly
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)
    from ..engines import ENGINES, get_engine

    options = dict(context.engine_options)
    if context.engine == "diffusers":
        options.setdefault("progress", False)
    _WORKER["context"] = context
    _WORKER["engine"] = engine = get_engine(context.engine, **options)
    if warm and ENGINES[context.engine].runs_locally:  # never send a sample photo to a cloud provider
        _warm(context, engine)


def _init_pool_worker(context: Context, threads: int) -> None:
    _end_with_parent()
    share_cores(threads)
    init_worker(context, ignore_interrupt=True)


def _cores() -> int:
    """The cores this process may run on (a container's or `taskset`'s limit, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def share_cores(threads: int) -> None:
    """Keep this worker to its share of the machine's cores. Mesa's software renderer, LiteRT and the BLAS
    each start a thread per core in every process; with two workers on two cores four threads then fight
    for two cores and the second worker adds little (measured: 1.37x)."""
    threads = max(1, threads)
    for var in ("LP_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)  # read when each library starts its threads: before any of them does
    from ..look import _tflite

    _tflite.NUM_THREADS = threads


def _end_with_parent() -> None:
    """End this worker process when the run that started it dies (even by kill -9): a worker holds a
    loaded engine, hundreds of MB, and nobody would ever send it another row."""
    import threading

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="minime-parent-watch", daemon=True).start()


def _warm(context: Context, engine) -> None:
    from importlib.resources import files

    from ..pipeline import make
    from ..settings import settings

    cfg = settings()
    keep, cfg.history = cfg.history, False  # a warm-up is not a figure anyone made
    try:
        sample = (files("minime") / "assets" / "astronaut.jpg").read_bytes()
        make(sample, {"name": "Warm up"}, engine=engine, template=context.template, size=context.size,
             likeness=context.likeness, brand=context.brand, seed=context.seed)
    except Exception:  # noqa: BLE001 - a real row will report the problem
        pass
    finally:
        cfg.history = keep


def make_row(task: dict[str, Any]) -> dict[str, Any]:
    """Make one row's figure; return numbers and the encoded, signed file's bytes (the parent writes them).
    The row's Wh and seconds include encoding its files (the figure, and its `also:` model and clip)."""
    from ..engines.base import EngineError
    from ..outputs import OutputOptions
    from ..pipeline import make
    from .sheet import thumbnail

    context: Context = _WORKER["context"]
    started = time.perf_counter()
    out = {"row": task["row"], "key": task["key"]}
    try:
        photo = task["photo_bytes"] if task.get("photo_bytes") is not None else Path(task["photo"])
        result = make(photo, task["spec"], engine=_WORKER["engine"], template=context.template, size=context.size,
                      likeness=context.likeness, seed=context.seed, brand=context.brand, allow_cloud=context.allow_cloud,
                      record=False)
        try:
            out["data"] = result.encode(task["format"])  # metered, as the "export" stage of the row's receipt
            also = OutputOptions(**task.get("also_options", {}))  # the model's height and base, the clip's kind
            out["also"] = {fmt: result.encode(fmt, also) for fmt in task.get("also", ())}  # its model, its clip
            with result.metered():
                out["thumb"] = thumbnail(result.image, result.engine, result.figure.model)  # for the contact sheet
        finally:
            result.record()  # the energy was spent even if an output failed
        out.update(ok=True, likeness=result.likeness, wh=result.receipt.wh if result.receipt else None)
    except MinimeError as exc:  # the photo or the spec: it would fail again
        out.update(ok=False, error=str(exc), final=True)
    except EngineError as exc:  # the provider or model: worth another try
        out.update(ok=False, error=str(exc), final=False)
    except Exception as exc:  # noqa: BLE001 - one row's surprise must not stop the campaign
        out.update(ok=False, error=f"internal error ({type(exc).__name__}: {exc})", final=False)
    out["seconds"] = time.perf_counter() - started
    return out


def _local(context: Context, tasks: list[dict], workers: int) -> Generator[dict, None, None]:
    """This process (one worker) or a pool of processes, each set up once by its initializer."""
    if workers <= 1:
        init_worker(context)
        for task in tasks:
            yield make_row(task)
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    queue = deque(tasks)
    breaks = 0
    while queue:
        # spawn, not fork: a fresh interpreter, with no copy of this one's threads or locks
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_pool_worker, initargs=(context, _cores() // workers))
        running: dict = {}
        broken = False
        try:
            while queue or running:
                while queue and len(running) < workers * 2 and not broken:
                    task = queue.popleft()
                    running[pool.submit(make_row, task)] = task
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    task = running.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        broken = True
                        yield _failure(task, "a worker process died (out of memory?); it is tried again on the next run")
                if broken and not running:
                    break
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        if broken:
            breaks += 1
            if breaks >= 3:
                for task in queue:
                    yield _failure(task, "worker processes keep dying; stopped the run")
                return


def _failure(task: dict, message: str) -> dict:
    return {"row": task["row"], "key": task["key"], "ok": False, "error": message, "final": False, "seconds": None}


def _import_ray():
    try:
        import ray
    except ImportError:
        raise MissingExtraError("--executor ray needs Ray: pip install 'minime[scale]'") from None
    return ray


class RowActor:
    """A Ray actor that keeps one engine loaded and makes rows on it."""

    def __init__(self, context: Context):
        share_cores(1)  # each actor is given one CPU (`actor_resources`); the BLAS may have started already
        init_worker(context)

    def make(self, task: dict) -> dict:
        if task.get("photo_ref") is not None:
            import ray

            task = {**task, "photo_bytes": ray.get(task["photo_ref"][0])}
        return make_row(task)


def needs_gpu(engine: str, options: dict[str, Any]) -> bool:
    """Whether a row on this engine wants a GPU of its own (diffusers, unless told to use the CPU)."""
    return engine == "diffusers" and options.get("device") not in ("cpu", "mps")


def actor_resources(engine: str, options: dict[str, Any], cluster: dict[str, float]) -> dict[str, int]:
    """What each actor asks Ray for: a CPU, and a whole GPU when the engine wants one and the cluster has one."""
    gpu = needs_gpu(engine, options) and cluster.get("GPU", 0) >= 1
    return {"num_cpus": 1, "num_gpus": 1 if gpu else 0}


def _ray(context: Context, tasks: list[dict], workers: int | None, address: str | None,
         ship: bool | None = None) -> Generator[dict, None, None]:
    """The same rows as Ray actor calls. With other machines in the cluster, photos travel through Ray's
    object store instead of this machine's disk (finished files always do)."""
    ray = _import_ray()
    started_here = not ray.is_initialized()
    if started_here:
        try:
            if address:
                ray.init(address=address, log_to_driver=False)
            else:
                ray.init(include_dashboard=False, log_to_driver=False)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise MinimeError(f"cannot reach the Ray cluster at {address or 'a new local one'}: "
                              f"{' '.join(str(exc).split())[:200]}") from None
    actors = []
    try:
        resources = ray.cluster_resources()
        wants = actor_resources(context.engine, context.engine_options, resources)
        size = workers or max(1, int(resources.get("GPU" if wants["num_gpus"] else "CPU", 1)))
        if ship is None:
            here = ray.get_runtime_context().get_node_id()
            ship = any(node["Alive"] and node["NodeID"] != here for node in ray.nodes())
        maker = ray.remote(max_restarts=0, **wants)(RowActor)
        actors = [maker.remote(context) for _ in range(size)]
        idle = list(actors)
        queue = deque(tasks)
        running: dict = {}
        while queue or running:
            while idle and queue:
                actor, task = idle.pop(), queue.popleft()
                if ship:
                    # a one-element list keeps the ref from being resolved before the actor asks for it
                    task = {**task, "photo_ref": [ray.put(Path(task["photo"]).read_bytes())]}
                running[actor.make.remote(task)] = (actor, task)
            ready, _ = ray.wait(list(running), num_returns=1)
            for ref in ready:
                actor, task = running.pop(ref)
                try:
                    out = ray.get(ref)
                except Exception as exc:  # noqa: BLE001 - the actor died (node lost, out of memory)
                    out = _failure(task, f"the Ray worker failed ({type(exc).__name__}); tried again on the next run")
                    ray.kill(actor)
                    actor = maker.remote(context)
                    actors.append(actor)
                idle.append(actor)
                yield out
    finally:
        for actor in actors:
            try:
                ray.kill(actor)
            except Exception:  # noqa: BLE001
                pass
        if started_here:
            ray.shutdown()
