"""Small image kernels shared by the look stage, the studio engine and the sculpt engine."""

from __future__ import annotations

import numpy as np


def box_mean(a: np.ndarray, r: int, axes: tuple[int, int] = (-2, -1)) -> np.ndarray:
    """Mean over (2r+1)^2 windows of the two image `axes`, the edge pixels repeated outward."""
    from scipy.ndimage import uniform_filter

    a = a.astype(np.float32, copy=False)
    ay, ax = (axis % a.ndim for axis in axes)
    r = min(r, (a.shape[ay] - 1) // 2, (a.shape[ax] - 1) // 2)
    if r < 1:
        return a
    size = [1] * a.ndim
    size[ay] = size[ax] = 2 * r + 1
    return uniform_filter(a, size=size, mode="nearest")


def bilinear(image: np.ndarray, y: np.ndarray, x: np.ndarray, edge: str = "nearest") -> np.ndarray:
    """`image` (H x W) sampled at the points (y, x) by bilinear interpolation, in `image`'s dtype.

    A point beyond the image takes the nearest edge pixel's value (`edge="nearest"`) or 0 (`edge="zero"`).
    The same numbers as scipy's `map_coordinates(image, [y, x], order=1, mode="nearest")` (or
    `mode="constant", cval=0`), in the same order of operations, without importing scipy.ndimage, which
    takes a quarter of a second.
    """
    if edge not in ("nearest", "zero"):
        raise ValueError(f"edge must be 'nearest' or 'zero', got {edge!r}")
    h, w = image.shape
    y = np.asarray(y, np.float64)
    x = np.asarray(x, np.float64)
    inside = (y >= 0) & (y <= h - 1) & (x >= 0) & (x <= w - 1)
    if edge == "nearest":
        y, x = np.clip(y, 0, h - 1), np.clip(x, 0, w - 1)
    else:
        y, x = np.where(inside, y, 0.0), np.where(inside, x, 0.0)
    y0, x0 = np.floor(y).astype(np.intp), np.floor(x).astype(np.intp)
    ty, tx = y - y0, x - x0
    y1, x1 = np.minimum(y0 + 1, h - 1), np.minimum(x0 + 1, w - 1)
    values = image.astype(np.float64, copy=False)
    out = values[y0, x0] * (1 - ty) * (1 - tx)
    out += values[y0, x1] * (1 - ty) * tx
    out += values[y1, x0] * ty * (1 - tx)
    out += values[y1, x1] * ty * tx
    if edge == "zero":
        out[~inside] = 0.0
    return out.astype(image.dtype)


def smooth(rgb: np.ndarray, r: int, eps: float) -> np.ndarray:
    """Edge-preserving smoothing (a self-guided filter per channel) of an HxWxC image: skin goes smooth,
    edges stay."""
    mean = box_mean(rgb, r, axes=(0, 1))
    var = box_mean(rgb * rgb, r, axes=(0, 1)) - mean * mean
    a = var / (var + eps)
    b = mean - a * mean
    return box_mean(a, r, axes=(0, 1)) * rgb + box_mean(b, r, axes=(0, 1))


class ThinPlate:
    """A thin-plate spline with a linear part through `points` (N x d) to `values` (N x k): the interpolant
    scipy's `RBFInterpolator(kernel="thin_plate_spline")` gives, in numpy, because importing
    scipy.interpolate costs a third of a second of every figure's start-up. `smoothing` > 0 lets it pass
    near the points instead of through them."""

    def __init__(self, points: np.ndarray, values: np.ndarray, smoothing: float = 0.0):
        self.points = np.asarray(points, np.float64)
        values = np.asarray(values, np.float64)
        n, d = self.points.shape
        lhs = np.zeros((n + d + 1, n + d + 1))
        lhs[:n, :n] = _tps_kernel(self.points, self.points) + smoothing * np.eye(n)
        lhs[:n, n:] = self._poly(self.points)
        lhs[n:, :n] = lhs[:n, n:].T
        rhs = np.zeros((n + d + 1, *values.shape[1:]))
        rhs[:n] = values
        self.coeffs = np.linalg.solve(lhs, rhs)

    def _poly(self, x: np.ndarray) -> np.ndarray:
        return np.hstack([np.ones((len(x), 1)), x])

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.along(x)[0]

    def along(self, x: np.ndarray, *others: ThinPlate) -> list[np.ndarray]:
        """This spline and `others` (splines through the same points) at `x`, in that order: the kernel between
        `x` and the points, most of the work, is worked out once for them all."""
        x = np.asarray(x, np.float64)
        splines = (self, *others)
        n = len(self.points)
        if any(o.points.shape != self.points.shape or not np.array_equal(o.points, self.points) for o in others):
            raise ValueError("ThinPlate.along: the splines must pass through the same points")
        outs = [np.empty((len(x), *s.coeffs.shape[1:])) for s in splines]
        step = max(1, 2_000_000 // max(n, 1))  # rows per block: a few tens of MB of kernel at a time
        for start in range(0, len(x), step):
            part = x[start:start + step]
            kernel, poly = _tps_kernel(part, self.points), self._poly(part)
            for s, out in zip(splines, outs):
                out[start:start + step] = kernel @ s.coeffs[:n] + poly @ s.coeffs[n:]
        return outs


def _tps_kernel(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """r^2 log r between every row of a and every row of b (0 where r is 0)."""
    # In place, in the order of (|a|^2 + |b|^2 - 2 a.b) and 0.5 r^2 log r^2: the same numbers, fewer temporaries.
    r2 = np.sum(a * a, 1)[:, None] + np.sum(b * b, 1)[None, :]
    r2 -= 2.0 * a @ b.T
    np.maximum(r2, 0.0, out=r2)
    log = np.log(r2, out=np.zeros_like(r2), where=r2 > 0)
    r2 *= 0.5
    r2 *= log
    return r2
