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


def smooth(rgb: np.ndarray, r: int, eps: float) -> np.ndarray:
    """Edge-preserving smoothing (a self-guided filter per channel) of an HxWxC image: skin goes smooth,
    edges stay."""
    mean = box_mean(rgb, r, axes=(0, 1))
    var = box_mean(rgb * rgb, r, axes=(0, 1)) - mean * mean
    a = var / (var + eps)
    b = mean - a * mean
    return box_mean(a, r, axes=(0, 1)) * rgb + box_mean(b, r, axes=(0, 1))
