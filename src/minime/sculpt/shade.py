"""What the renderer works out once per scene, before any frame: ambient occlusion in the creases, the soft contact
shadow on the base, and which parts are closed (their back faces never show, so the rasteriser may skip them).

All of it is in the parts' own coordinates, so a turntable's 90 frames share it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .mesh import Part

AO_CELLS = 64  # the occupancy grid's cells along the scene's longest side
CONTACT_TEXELS = 96


def closed(vertices: np.ndarray, faces: np.ndarray) -> bool:
    """Whether the mesh is closed and wound outward: every edge is used once each way, and it encloses a positive
    volume. From outside such a part only its front faces show."""
    if len(faces) == 0 or not _paired(faces, len(vertices)):
        return False
    p = vertices.astype(np.float64)[faces]
    p0, p1, p2 = p[:, 0], p[:, 1], p[:, 2]
    # p1 x p2 written out: np.cross's own set-up costs more than its sums on a small part.
    cross = np.stack([p1[:, 1] * p2[:, 2] - p1[:, 2] * p2[:, 1], p1[:, 2] * p2[:, 0] - p1[:, 0] * p2[:, 2],
                      p1[:, 0] * p2[:, 1] - p1[:, 1] * p2[:, 0]], 1)
    return bool(np.einsum("ij,ij->", p0, cross) > 0)


def _paired(faces: np.ndarray, n: int) -> bool:
    """Whether every directed edge of the triangles is used exactly once and its reverse exactly once too.

    One sort does it: each edge gets the key 2 * (its undirected key) + (1 if it runs from the lower index up), so
    the sorted keys must come in pairs (2k, 2k + 1), one pair per undirected edge (sorted, a key used twice breaks
    the pairing). Small meshes sort 32-bit keys.
    An edge from a vertex to itself (a degenerate triangle) is its own reverse: it only has to be used once."""
    dtype = np.int32 if 2 * n * n < 2**31 else np.int64
    f: np.ndarray = faces.astype(dtype, copy=False)
    a, b = f.reshape(-1), f[:, [1, 2, 0]].reshape(-1)
    loop = a == b
    if loop.any():
        if len(np.unique(a[loop])) < int(loop.sum()):
            return False
        a, b = a[~loop], b[~loop]
    if len(a) % 2:  # an odd count cannot pair up
        return False
    key = np.sort(np.minimum(a, b) * dtype(2 * n) + np.maximum(a, b) * dtype(2) + (a < b).astype(dtype))
    down, up = key[0::2], key[1::2]
    return bool((down % 2 == 0).all() and (up == down + 1).all())


def _blur(grid: np.ndarray, passes: int = 2) -> np.ndarray:
    """A separable [1 2 1] blur along every axis, `passes` times (about a Gaussian of 0.7 cells per pass)."""
    for _ in range(passes):
        for axis in range(grid.ndim):
            # The edge cells repeated outward (np.pad's "edge", without its per-call set-up: the contact shadow's
            # 36 passes made that most of the blur's time).
            g = np.moveaxis(grid, axis, 0)
            g = np.concatenate([g[:1], g, g[-1:]])
            grid = np.moveaxis((g[:-2] + 2 * g[1:-1] + g[2:]) * 0.25, 0, axis)
    return grid


def occlusion(parts: list[Part], normals: list[np.ndarray]) -> list[np.ndarray]:
    """Per-vertex ambient light (1 in the open, down to 0.4 deep in a crease), one array per part.

    The surface is splatted, by area, into a coarse grid and blurred; a vertex is as occluded as the grid is full
    just outside it (a little along its normal), against the typical fullness there: a crease between the arm
    and the body, or under the collar, has more surface round it than an open, flat or convex one."""
    solid = [i for i, p in enumerate(parts) if p.material != "clear" and len(p.faces)]
    out = [np.ones(len(p.vertices), np.float32) for p in parts]
    if not solid:
        return out
    tri = np.concatenate([parts[i].vertices[parts[i].faces] for i in solid]).astype(np.float64)
    # Per-axis reductions over the corners, and sums of the three corners written out: the same numbers as
    # min(0) / mean(1) / norm(cross), which reduce along a short axis several times slower.
    corners = tri.reshape(-1, 3)
    lo = np.array([corners[:, k].min() for k in range(3)])
    hi = np.array([corners[:, k].max() for k in range(3)])
    cell = float((hi - lo).max()) / AO_CELLS + 1e-9
    lo = lo - 3 * cell
    shape = np.ceil((hi + 3 * cell - lo) / cell).astype(int)
    e1, e2 = tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]
    cx = e1[:, 1] * e2[:, 2] - e1[:, 2] * e2[:, 1]
    cy = e1[:, 2] * e2[:, 0] - e1[:, 0] * e2[:, 2]
    cz = e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]
    area = 0.5 * np.sqrt(cx * cx + cy * cy + cz * cz)
    centre = (tri[:, 0] + tri[:, 1] + tri[:, 2]) / 3
    idx = np.clip(((centre - lo) / cell).astype(int), 0, shape - 1)
    flat = np.ravel_multi_index(idx.T, shape)
    grid = _blur(np.bincount(flat, weights=area, minlength=int(np.prod(shape))).reshape(shape), passes=3)
    samples = []
    for i in solid:
        p = parts[i]
        samples.append(_trilinear(grid, (p.vertices + normals[i] * (1.5 * cell) - lo) / cell - 0.5))
    typical = float(np.median(np.concatenate(samples))) + 1e-12
    for i, s in zip(solid, samples):
        out[i] = np.clip(1.0 - 0.6 * (s / typical - 1.0), 0.4, 1.0).astype(np.float32)
    return out


def _trilinear(grid: np.ndarray, at: np.ndarray) -> np.ndarray:
    """`grid` sampled at fractional cell coordinates (N, 3), clamped to its edges."""
    top = np.array(grid.shape) - 1
    base = np.clip(np.floor(at).astype(int), 0, top - 1)
    t = np.clip(at - base, 0.0, 1.0)
    u = 1 - t
    # The eight corners gathered from the flat grid by one index each (faster than three index arrays).
    flat = grid.ravel()
    sy, sz = grid.shape[1] * grid.shape[2], grid.shape[2]
    first = base[:, 0] * sy + base[:, 1] * sz + base[:, 2]
    out = np.zeros(len(at))
    for dx in (0, 1):
        for dy in (0, 1):
            for dz in (0, 1):
                w = (t[:, 0] if dx else u[:, 0]) * (t[:, 1] if dy else u[:, 1]) * (t[:, 2] if dz else u[:, 2])
                out += w * flat[first + (dx * sy + dy * sz + dz)]
    return out


_SPREAD = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1], [4, 1, 1], [1, 4, 1], [1, 1, 4],
                    [1, 1, 0], [0, 1, 1], [1, 0, 1]], np.float64)
_SPREAD /= _SPREAD.sum(1, keepdims=True)


@dataclass(frozen=True)
class Contact:
    """The soft shadow a figure casts where it stands: `texels` (a square map, 0 lit to 1 dark) over the ground's
    x/z rectangle `box` (x0, z0, width, depth), at the ground's height `ground` (a surface within `onto` of it is
    on it), in the parts' coordinates."""

    texels: np.ndarray
    box: tuple[float, float, float, float]
    ground: float
    onto: float


def contact(parts: list[Part]) -> Contact | None:
    """The contact shadow of what stands on the base (the parts made of the "base" material), or None when there
    is no base. Geometry just above the ground darkens it most; the map is blurred to a soft penumbra."""
    bases = [p for p in parts if p.material == "base" and len(p.vertices)]
    above = [p for p in parts if p.material not in ("base", "clear") and len(p.faces)]
    if not bases or not above:
        return None
    ground = float(max(float(p.vertices[:, 1].max()) for p in bases))
    tall = float(max(float(p.vertices[:, 1].max()) for p in above) - ground)
    if tall <= 0:
        return None
    reach = 0.12 * tall  # how high above the ground geometry still shades it
    # Only the triangles near the ground are gathered (a few percent of the figure's).
    near_ground = []
    for p in above:
        y = p.vertices[:, 1][p.faces]
        low = np.minimum(np.minimum(y[:, 0], y[:, 1]), y[:, 2])
        high = np.maximum(np.maximum(y[:, 0], y[:, 1]), y[:, 2])
        near_ground.append(p.vertices[p.faces[(low < ground + reach) & (high >= ground - 0.02 * tall)]])
    tris = np.concatenate(near_ground)
    if len(tris) == 0:
        return None
    # Points spread over each triangle (not only its corners), so a sole with few vertices still shades evenly.
    near = np.einsum("kj,njc->nkc", _SPREAD, tris).reshape(-1, 3)
    weight = (1.0 - np.clip((near[:, 1] - ground) / reach, 0.0, 1.0)) ** 2
    margin = 0.2 * tall
    x0, z0 = near[:, 0].min() - margin, near[:, 2].min() - margin
    side = max(near[:, 0].max() - near[:, 0].min(), near[:, 2].max() - near[:, 2].min()) + 2 * margin
    n = CONTACT_TEXELS
    ix = np.clip(((near[:, 0] - x0) / side * n).astype(int), 0, n - 1)
    iz = np.clip(((near[:, 2] - z0) / side * n).astype(int), 0, n - 1)
    grid = np.zeros((n, n))
    np.maximum.at(grid, (iz, ix), weight)
    grid = _blur(grid, passes=36)
    grid = np.clip(grid / max(float(grid.max()), 1e-9) * 2.5, 0.0, 1.0)  # dark at the sole, soft round it
    return Contact(grid.astype(np.float32), (float(x0), float(z0), float(side), float(side)), ground, 0.02 * tall)
