"""Runs the vendored MediaPipe TFLite models; each interpreter is loaded once and shared."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

MODELS_DIR = Path(__file__).parent / "models"
NUM_THREADS = 2

# Per model: the interpreter (Any: LiteRT ships no type stubs), its lock, its input's tensor index and its
# outputs' tensor indices.
_cache: dict[str, tuple[Any, threading.Lock, int, list[int]]] = {}
_cache_lock = threading.Lock()


@contextmanager
def _quiet_stderr():
    """Silence native writes to file descriptor 2 for the duration (Python's own stderr is kept)."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _load(name: str) -> tuple[Any, threading.Lock, int, list[int]]:
    with _cache_lock:
        if name not in _cache:
            from ai_edge_litert.interpreter import Interpreter

            with _quiet_stderr():  # the runtime prints an INFO line per delegate to the user's terminal
                interp = Interpreter(model_path=str(MODELS_DIR / name), num_threads=NUM_THREADS)
                interp.allocate_tensors()
            # An interpreter is not thread-safe, so each one gets its own lock.
            inputs = interp.get_input_details()[0]["index"]
            _cache[name] = (interp, threading.Lock(), inputs, [d["index"] for d in interp.get_output_details()])
        return _cache[name]


def run(name: str, x: np.ndarray) -> list[np.ndarray]:
    """Run model `name` on one input batch `x`; returns copies of its outputs in model order."""
    interp, lock, inputs, outputs = _load(name)
    with lock:
        interp.set_tensor(inputs, x)
        interp.invoke()
        return [interp.get_tensor(i).copy() for i in outputs]
