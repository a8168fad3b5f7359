"""minime: turn a selfie into a collectible action figure in its toy box, offline by default.

>>> import minime
>>> result = minime.make("selfie.jpg", minime.FigureSpec(name="Ada", accessories=["laptop"]))
>>> result.save("ada.png")
"""

import os

# Every matrix here is small (a few hundred rows); OpenBLAS's worker threads only spin on them, and on a busy
# machine a 300x300 solve took 78 ms with them against 1.4 ms without. Set before numpy loads; a value the
# user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from importlib import import_module  # noqa: E402

from .engines import ENGINES, Engine, Figure  # noqa: E402
from .errors import LookError, MinimeError, PhotoError, SpecError, UnknownNameError  # noqa: E402
from .spec import FigureSpec, build_spec, load_spec  # noqa: E402

# The pipeline and the renderer pull in skia and the models; they load on first use, so that
# `import minime` (and the CLI's --help) stays quick and an engine can run without the renderer.
_LAZY = {"make": "pipeline", "Result": "pipeline", "TEMPLATES": "box.render"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    if name == "__version__":  # read from the installed metadata when asked for, not on every start
        globals()[name] = found = _version()
        return found
    raise AttributeError(f"module 'minime' has no attribute {name!r}")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("minime")
    except PackageNotFoundError:  # running from a source tree
        return "0.0.0"


__all__ = [
    "ENGINES",
    "TEMPLATES",
    "Engine",
    "Figure",
    "FigureSpec",
    "LookError",
    "MinimeError",
    "PhotoError",
    "Result",
    "SpecError",
    "UnknownNameError",
    "build_spec",
    "load_spec",
    "make",
]
