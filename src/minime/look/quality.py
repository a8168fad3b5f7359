"""Quality: is a figure a clean, well-exposed, sharp piece, whoever it looks like?

A 0-100 score from the figure's RGBA alone, used with likeness to pick the best of several
candidates: clipped shadows and highlights, a flat or a muddy paint job, a blurry surface and
stray bits of silhouette each cost points.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import ndimage

_LUMA = np.array([0.299, 0.587, 0.114], np.float32)
WORK_SIDE = 384  # judged at this size: enough for exposure, sharpness and silhouette, and fast


def quality(figure: Image.Image) -> float:
    """Quality 0-100 of an RGBA figure: exposure x contrast x sharpness x a clean silhouette."""
    img = figure.convert("RGBA")
    if max(img.size) > WORK_SIDE:
        img = img.copy()
        img.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.BILINEAR)
    a = np.asarray(img, np.float32) / 255
    alpha = a[..., 3]
    solid = alpha > 0.5
    if solid.sum() < 100:
        return 0.0
    luma = a[..., :3] @ _LUMA
    values = luma[solid]
    clipped = float(((values < 0.02) | (values > 0.98)).mean())
    exposure = float(np.clip(1.0 - 2.5 * clipped, 0, 1))
    contrast = float(np.clip(values.std() / 0.14, 0, 1))
    # Surface detail: the mean Laplacian inside the figure (its outline is not counted).
    inner = ndimage.binary_erosion(solid, iterations=2)
    lap = np.abs(ndimage.laplace(luma))[inner]
    sharpness = float(np.clip(lap.mean() / 0.02, 0, 1)) if lap.size else 0.0
    labels, count = ndimage.label(alpha > 0.1)
    if count > 1:
        sizes = ndimage.sum_labels(alpha, labels, range(1, count + 1))
        silhouette = float(np.clip(1.0 - 3.0 * (1.0 - sizes.max() / sizes.sum()), 0, 1))  # every stray bit shows
    else:
        silhouette = 1.0
    score = exposure * (0.5 + 0.5 * contrast) * (0.5 + 0.5 * sharpness) * silhouette
    return round(100.0 * score, 1)
