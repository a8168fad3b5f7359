"""minime: turn a selfie into a collectible action figure in its toy box, offline by default.

>>> import minime
>>> result = minime.make("selfie.jpg", minime.FigureSpec(name="Ada", accessories=["laptop"]))
>>> result.save("ada.png")
"""

from importlib.metadata import PackageNotFoundError, version

from .box.render import TEMPLATES
from .engines import ENGINES, Engine, Figure
from .errors import LookError, MinimeError, PhotoError, SpecError, UnknownNameError
from .pipeline import Result, make
from .spec import FigureSpec, build_spec, load_spec

try:
    __version__ = version("minime")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"

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
