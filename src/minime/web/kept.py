"""What a finished web job keeps until its TTL: its figure packed small, unpacked again for each later download.

A live Result of a sculpted figure holds the box image (5.8 MB at feed size), the figure layer (2.5 MB of
RGBA) and the 3D parts (3 MB of arrays). A finished job needs less: its PNG and thumbnail are kept encoded
(in SQLite), and re-boxing, the figure layer, the print kit, the models and the clip need the figure alone.
So that is all that is kept, and packed losslessly: the layer's pixels and every array of the parts
compressed with zlib's fastest level (the arrays byte-shuffled first, so that their floats compress). A
sculpted feed figure keeps about 1 MB instead of 5.5 MB; packing takes about 30 ms once, unpacking about
10 ms per download.
"""

from __future__ import annotations

import copy
import dataclasses
import zlib
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import MinimeError
from ..figure import NO_MESH

if TYPE_CHECKING:
    from PIL import Image

    from ..pipeline import Result
    from ..sculpt.mesh import Part

LEVEL = 1  # zlib's fastest; its higher levels save under 2 % on these pixels and shuffled floats


@dataclass(frozen=True)
class PackedArray:
    """A numpy array's bytes, shuffled (every element's first byte, then every second byte ...) and compressed:
    the high bytes of float32 coordinates repeat, and shuffled they compress to about a third."""

    data: bytes
    dtype: str
    shape: tuple[int, ...]

    @classmethod
    def of(cls, array: np.ndarray) -> PackedArray:
        flat = np.ascontiguousarray(array).reshape(-1)
        planes = flat.view(np.uint8).reshape(-1, flat.itemsize).T
        return cls(zlib.compress(planes.tobytes(), LEVEL), flat.dtype.str, tuple(array.shape))

    def unpack(self) -> np.ndarray:
        """The array again, equal to the packed one bit for bit, C-ordered and writable."""
        dtype = np.dtype(self.dtype)
        planes = np.frombuffer(zlib.decompress(self.data), np.uint8).reshape(dtype.itemsize, -1)
        return planes.T.copy().view(dtype).reshape(self.shape)

    @property
    def nbytes(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class PackedImage:
    """A PIL image's raw pixels, compressed; its mode, size and info kept to make the same image again."""

    data: bytes
    mode: str
    size: tuple[int, int]
    info: dict[str | tuple[int, int], Any]

    @classmethod
    def of(cls, image: Image.Image) -> PackedImage | Image.Image:
        if image.palette is not None or image.mode in ("P", "PA"):
            return image  # a palette image is kept as it is: no engine makes one
        return cls(zlib.compress(image.tobytes(), LEVEL), image.mode, image.size, dict(image.info))

    def unpack(self) -> Image.Image:
        from PIL import Image

        image = Image.frombytes(self.mode, self.size, zlib.decompress(self.data))
        image.info.update(self.info)
        return image

    @property
    def nbytes(self) -> int:
        return len(self.data)


def _image(kept: PackedImage | Image.Image) -> Image.Image:
    return kept.unpack() if isinstance(kept, PackedImage) else kept


def _size(kept: PackedImage | Image.Image) -> int:
    return kept.nbytes if isinstance(kept, PackedImage) else len(kept.tobytes())


class PackedParts:
    """A figure's 3D parts with every array packed; an array two parts share is packed once and shared again."""

    def __init__(self, parts: list[Part]):
        self.arrays: list[PackedArray] = []
        index: dict[int, int] = {}  # id(array) -> its place in `arrays`
        self.parts: list[tuple[Part, dict[str, int]]] = []  # each part without its arrays, and where they went
        for part in parts:
            shell, where = copy.copy(part), {}
            for f in dataclasses.fields(part):
                value = getattr(part, f.name)
                if isinstance(value, np.ndarray) and not value.dtype.hasobject:
                    if id(value) not in index:
                        index[id(value)] = len(self.arrays)
                        self.arrays.append(PackedArray.of(value))
                    where[f.name] = index[id(value)]
                    setattr(shell, f.name, None)
            shell.meta = dict(part.meta)
            self.parts.append((shell, where))

    def unpack(self) -> list[Part]:
        """New parts equal to the packed ones: same names, materials and meta, the arrays bit for bit."""
        arrays = [a.unpack() for a in self.arrays]
        parts = []
        for shell, where in self.parts:
            part = copy.copy(shell)
            part.meta = dict(shell.meta)
            for name, i in where.items():
                setattr(part, name, arrays[i])
            parts.append(part)
        return parts

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.arrays)


class Kept:
    """A finished figure as its job keeps it: the slim Result (no box image, no other candidates, no back)
    with its figure's layer, loose pieces and 3D parts packed. `result()` makes a Result of it again.

    A sculpted figure's `redraw` (it draws the layer again for a print box) is a partial of the renderer
    over the figure's parts: it is kept as its function and light, and made again over the unpacked
    parts. Any other `redraw` is kept as it is, and then the parts it may hold are kept as they are too.
    """

    def __init__(self, result: Result):
        figure = result.figure
        self.spec = result.spec
        self.meshed = bool(figure.mesh)
        self._layer = PackedImage.of(figure.image)
        self._pieces = {key: PackedImage.of(image) for key, image in figure.accessories.items()}
        self._parts: PackedParts | None = None
        self._redraw: tuple[Any, tuple, dict] | None = None
        redraw, mesh = figure.redraw, figure.mesh
        over_mesh = isinstance(redraw, partial) and bool(redraw.args) and redraw.args[0] is mesh
        if mesh and (redraw is None or over_mesh):
            self._parts = PackedParts(mesh)
            if isinstance(redraw, partial):
                self._redraw = (redraw.func, redraw.args[1:], dict(redraw.keywords))
            redraw, mesh = None, None
        self._figure = replace(figure, image=None, accessories={}, mesh=mesh, redraw=redraw)  # type: ignore[arg-type]
        self._result = replace(result, box=None, candidates=[], back=None, figure=self._figure)

    def result(self) -> Result:
        """The slim Result with its figure unpacked: a new one each call (re-box it for a box), freed with it."""
        parts = self._parts.unpack() if self._parts is not None else self._figure.mesh
        redraw = self._figure.redraw
        if self._redraw is not None:
            func, args, keywords = self._redraw
            redraw = partial(func, parts, *args, **keywords)
        figure = replace(self._figure, image=_image(self._layer),
                         accessories={key: _image(image) for key, image in self._pieces.items()},
                         mesh=parts, redraw=redraw)
        return replace(self._result, figure=figure)

    def need_mesh(self) -> None:
        """Raises MinimeError (the one-line reason) when a picture-only engine made the figure: no model, no clip."""
        if not self.meshed:
            raise MinimeError(NO_MESH)

    @property
    def nbytes(self) -> int:
        """About how many bytes the packed figure holds (the layer, the pieces and the parts)."""
        return (_size(self._layer) + sum(_size(image) for image in self._pieces.values())
                + (self._parts.nbytes if self._parts is not None else 0))
