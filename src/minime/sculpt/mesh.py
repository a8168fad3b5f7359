"""Mesh parts: the pieces a sculpted figure is made of, and the kernels that make and cut them.

Figure space: y up, z toward the camera, x to the viewer's right; one unit is one head height.
The kernels: slicing along a level set (joint cuts, paint edges), finding and capping open rims, and
tubes (a periodic grid of rings, a swept strand, a polyline tube, a torus).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .materials import MATERIALS


@dataclass(repr=False, eq=False)
class Part:
    """One closed piece of a figure, painted per vertex (and optionally by a texture).

    Args:
        name: what it is ("head", "hair", "body", "glasses", ...).
        vertices: (N, 3) float32 positions.
        faces: (M, 3) int32 triangles, counter-clockwise seen from outside.
        colors: (N, 3) float32 paint, sRGB in [0, 1].
        material: one of MATERIALS; sets gloss, rim and translucency in the renderer.
        uv: (N, 2) float32 texture coordinates in [0, 1] into `texture`, or None.
        texture: (H, W, 3) uint8 paint that replaces `colors` where `paint` > 0, or None.
        paint: (N,) float32 weight of the texture over the vertex colour (1 inside the face, 0 outside).
    """

    name: str
    vertices: np.ndarray
    faces: np.ndarray
    colors: np.ndarray
    material: str = "vinyl"
    uv: np.ndarray | None = None
    texture: np.ndarray | None = None
    paint: np.ndarray | None = None
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.vertices = np.ascontiguousarray(self.vertices, np.float32)
        self.faces = np.ascontiguousarray(self.faces, np.int32)
        colors = np.asarray(self.colors, np.float32)
        if colors.ndim == 1:
            colors = np.broadcast_to(colors, (len(self.vertices), 3))
        self.colors = np.ascontiguousarray(colors, np.float32)
        if self.material not in MATERIALS:
            raise ValueError(f"unknown material {self.material!r}; choose one of {', '.join(MATERIALS)}")

    def __repr__(self) -> str:  # a face's geometry is face data: keep it out of logs
        return f"Part({self.name!r}, {len(self.vertices)} vertices, {len(self.faces)} triangles, {self.material})"

    def transformed(self, matrix: np.ndarray) -> Part:
        """A copy moved by a 4x4 (or 3x3) matrix."""
        m = np.asarray(matrix, np.float32)
        if m.shape == (3, 3):
            v = self.vertices @ m.T
        else:
            v = self.vertices @ m[:3, :3].T + m[:3, 3]
        flip = np.linalg.det(m[:3, :3]) < 0
        faces = self.faces[:, ::-1] if flip else self.faces
        return Part(self.name, v, faces, self.colors, self.material, self.uv, self.texture, self.paint, dict(self.meta))


def vertex_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Area-weighted vertex normals."""
    v = vertices[faces]
    n = np.cross(v[:, 1] - v[:, 0], v[:, 2] - v[:, 0])
    # Each face's normal added to its three corners (bincount: many times faster than np.add.at).
    idx = faces.ravel()
    out = np.stack([np.bincount(idx, weights=np.repeat(n[:, c], 3), minlength=len(vertices)) for c in range(3)], 1)
    out = out.astype(vertices.dtype, copy=False)
    length = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(length, 1e-12)


def _edge_keys(faces: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Every directed edge of the triangles, and a key per edge that is the same both ways round."""
    e = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]).astype(np.int64)
    return e, np.minimum(e[:, 0], e[:, 1]) * n + np.maximum(e[:, 0], e[:, 1])


def boundary_edges(faces: np.ndarray) -> np.ndarray:
    """The directed edges used by exactly one triangle (an open mesh's rim); empty when closed."""
    faces = np.asarray(faces)
    e, key = _edge_keys(faces, int(faces.max(initial=0)) + 1)
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    return e[counts[inverse] == 1].astype(faces.dtype)


def is_closed(part_or_faces) -> bool:
    """True when every edge is shared by exactly two triangles (no holes, no fins)."""
    faces = part_or_faces.faces if isinstance(part_or_faces, Part) else np.asarray(part_or_faces)
    _, key = _edge_keys(faces, int(faces.max(initial=0)) + 1)
    _, counts = np.unique(key, return_counts=True)
    return bool(np.all(counts == 2))


def rim_loops(faces: np.ndarray, n: int) -> list[np.ndarray]:
    """Each open rim of a mesh of n vertices as a loop of vertex indices, in the order that closes it facing out.

    Works for simple rims (each rim vertex on one rim), which is what cutting a limb or a neck gives.
    """
    e, key = _edge_keys(faces, n)
    _, inv, counts = np.unique(key, return_inverse=True, return_counts=True)
    rim = e[counts[inv] == 1]
    nxt = dict(zip(rim[:, 0].tolist(), rim[:, 1].tolist()))
    loops, seen = [], set()
    for start in nxt:
        if start in seen:
            continue
        loop = [start]
        seen.add(start)
        while nxt.get(loop[-1], start) != start and len(loop) <= len(nxt):
            loop.append(nxt[loop[-1]])
            seen.add(loop[-1])
        loops.append(np.array(loop))
    return loops


def cap(vertices: np.ndarray, faces: np.ndarray, colors: np.ndarray | None, loops: list[np.ndarray]):
    """Close each rim loop with a fan to its centre; returns (vertices, faces, colors)."""
    if not loops:
        return vertices, faces, colors
    n = len(vertices)
    # The rim runs the other way round from the triangles that will close it.
    new_f = [np.stack([np.roll(ring, -1), ring, np.full_like(ring, n + k)], 1) for k, ring in enumerate(loops)]
    new_v = [vertices[ring].mean(0) for ring in loops]
    faces = np.concatenate([faces, *new_f])
    if colors is not None:
        colors = np.concatenate([colors, [colors[ring].mean(0) for ring in loops]])
    return np.concatenate([vertices, new_v]), faces, colors


def close_holes(vertices: np.ndarray, faces: np.ndarray, colors: np.ndarray | None = None):
    """Fill each hole with a fan to its centroid; returns (vertices, faces, colors) of a closed mesh."""
    loops = rim_loops(faces, len(vertices))
    if not loops:
        return vertices, faces, colors
    v, f, c = cap(vertices, faces, colors, loops)
    return v.astype(np.float32), f.astype(np.int32), c.astype(np.float32) if c is not None else None


def uv_sphere(rows: int = 32, cols: int = 48) -> tuple[np.ndarray, np.ndarray]:
    """A closed unit sphere: (vertices, faces), poles on the y axis, seam-free (fresh copies)."""
    v, f = _uv_sphere(rows, cols)
    return v.copy(), f.copy()


@lru_cache(maxsize=16)
def _uv_sphere(rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    theta = np.linspace(0, np.pi, rows + 1)[1:-1]  # from the top pole down, poles added apart
    phi = np.linspace(0, 2 * np.pi, cols, endpoint=False)
    t, p = np.meshgrid(theta, phi, indexing="ij")
    ring = np.stack([np.sin(t) * np.sin(p), np.cos(t), np.sin(t) * np.cos(p)], -1).reshape(-1, 3)
    v = np.concatenate([[[0, 1, 0]], ring, [[0, -1, 0]]]).astype(np.float32)
    faces = []
    idx = lambda r, c: 1 + r * cols + (c % cols)  # noqa: E731
    for c in range(cols):
        faces.append((0, idx(0, c + 1), idx(0, c)))
    for r in range(rows - 2):
        for c in range(cols):
            a, b, cc, d = idx(r, c), idx(r, c + 1), idx(r + 1, c + 1), idx(r + 1, c)
            faces += [(a, b, cc), (a, cc, d)]
    last = len(v) - 1
    for c in range(cols):
        faces.append((last, idx(rows - 2, c), idx(rows - 2, c + 1)))
    return v, np.asarray(faces, np.int32)[:, ::-1].copy()


def signed_volume(vertices: np.ndarray, faces: np.ndarray) -> float:
    """The enclosed volume, positive when the triangles face outward."""
    t = np.asarray(vertices, np.float64)[faces]
    return float(np.einsum("ij,ij->i", t[:, 0], np.cross(t[:, 1], t[:, 2])).sum() / 6)


def outward(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """The faces, flipped if needed so a closed mesh's triangles face outward."""
    return faces if signed_volume(vertices, faces) >= 0 else np.ascontiguousarray(faces[:, ::-1])


def merge(parts: list[Part], name: str) -> Part:
    """Several parts of one material as one (for fewer draw calls); each stays closed."""
    offset, faces = 0, []
    for p in parts:
        faces.append(p.faces + offset)
        offset += len(p.vertices)
    return Part(name, np.concatenate([p.vertices for p in parts]), np.concatenate(faces),
                np.concatenate([p.colors for p in parts]), parts[0].material)


# ---------------------------------------------------------------- slicing along a level set


class Buffer:
    """Vertex rows (position, weights, fields) that grow as cuts add vertices, without copying each time."""

    def __init__(self, rows: np.ndarray):
        self.rows = np.empty((len(rows) * 2, rows.shape[1]), np.float32)
        self.rows[: len(rows)] = rows
        self.n = len(rows)

    def add(self, new: np.ndarray) -> None:
        if self.n + len(new) > len(self.rows):
            grown = np.empty((2 * (self.n + len(new)), self.rows.shape[1]), np.float32)
            grown[: self.n] = self.rows[: self.n]
            self.rows = grown
        self.rows[self.n: self.n + len(new)] = new
        self.n += len(new)

    @property
    def data(self) -> np.ndarray:
        return self.rows[: self.n]


def slice_level(buf: Buffer, faces, labels, col: int, level: float = 0.0, eligible=None):
    """Split the triangles that the level set data[:, col] == level crosses; new vertices interpolate all columns.

    Returns the new (faces, labels): each split triangle's three pieces keep its label.
    """
    data = buf.data
    f = data[:, col] - level
    tiny = np.abs(f) < 1e-7
    if tiny.any():
        f[tiny] = 1e-7
        data[tiny, col] = level + 1e-7
    cand = np.flatnonzero(eligible) if eligible is not None else None
    s = f[faces if cand is None else faces[cand]] > 0
    npos = s[:, 0].astype(np.int8) + s[:, 1] + s[:, 2]
    hit = (npos == 1) | (npos == 2)
    if not hit.any():
        return faces, labels
    cross = hit if cand is None else np.zeros(len(faces), bool)
    if cand is not None:
        cross[cand[hit]] = True
    s, npos = s[hit], npos[hit]
    t, st = faces[cross], s
    lone = np.where((npos == 1)[:, None], st, ~st).argmax(1)
    r = np.stack([t[np.arange(len(t)), (lone + k) % 3] for k in range(3)], 1)
    a, b, c = r.T
    n = len(data)
    key = np.concatenate([np.minimum(a, b) * n + np.maximum(a, b), np.minimum(a, c) * n + np.maximum(a, c)])
    uniq, inv = np.unique(key, return_inverse=True)
    e0, e1 = uniq // n, uniq % n
    w = (f[e0] / (f[e0] - f[e1]))[:, None]
    new = data[e0] + w * (data[e1] - data[e0])
    new[:, col] = level
    p, q = n + inv[: len(a)], n + inv[len(a):]
    tris = np.concatenate([np.stack([a, p, q], 1), np.stack([p, b, c], 1), np.stack([p, c, q], 1)])
    lab = labels[cross]
    buf.add(new)
    return np.concatenate([faces[~cross], tris]), np.concatenate([labels[~cross], lab, lab, lab])


# ---------------------------------------------------------------- stock shapes and tubes


@lru_cache(maxsize=4)
def blob(rows: int = 14, cols: int = 20, power: float = 0.6) -> tuple[np.ndarray, np.ndarray]:
    """A closed rounded box of half-size 1 (a superellipsoid): the stock shape of mitts, hoods and buttons."""
    v, fc = uv_sphere(rows, cols)
    return np.sign(v) * np.abs(v) ** power, fc


def placed(local: np.ndarray, faces: np.ndarray, origin, axes) -> tuple[np.ndarray, np.ndarray]:
    """A shape given in (across, along, out) coordinates placed in the world by the axes' columns."""
    m = np.stack(axes, 1)
    faces = faces if np.linalg.det(m) > 0 else faces[:, ::-1]
    return local @ m.T + origin, faces


def grid_tube(grid: np.ndarray, colors) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A (rows, cols, 3) grid of rings, periodic along cols, as a closed mesh: (vertices, faces, colors)."""
    rows, cols = grid.shape[:2]
    idx = np.arange(rows * cols).reshape(rows, cols)
    a, b = idx[:-1], np.roll(idx[:-1], -1, 1)
    c, d = np.roll(idx[1:], -1, 1), idx[1:]
    faces = np.concatenate([np.stack([a, d, c], -1).reshape(-1, 3), np.stack([a, c, b], -1).reshape(-1, 3)])
    colors = np.broadcast_to(np.asarray(colors, np.float32), (rows, cols, 3)).reshape(-1, 3)
    return cap(grid.reshape(-1, 3), faces, colors, rim_loops(faces, rows * cols))


def rings_mesh(top: np.ndarray, rings: list[np.ndarray], bottom: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A closed mesh from a pole, rings of equal length (periodic) and a second pole."""
    cols = len(rings[0])
    v = np.concatenate([top[None], *rings, bottom[None]])
    j = np.arange(cols)
    jn = (j + 1) % cols
    faces = [np.stack([np.zeros(cols, int), 1 + jn, 1 + j], 1)]
    for r in range(len(rings) - 1):
        a, b = 1 + r * cols, 1 + (r + 1) * cols
        faces += [np.stack([a + j, a + jn, b + jn], 1), np.stack([a + j, b + jn, b + j], 1)]
    last, a = len(v) - 1, 1 + (len(rings) - 1) * cols
    faces.append(np.stack([np.full(cols, last), a + j, a + jn], 1))
    return v, np.concatenate(faces)


def strand(centre: np.ndarray, radius: np.ndarray, sides: int = 10, lobes: int = 0, twist: float = 0.0,
           lobe_depth: float = 0.12) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A closed tube along a centre line with rounded ends; `lobes` twisted strands carved around it.

    Returns (vertices, faces, shade): the shade is 1 on the lobes' crests, darker in their grooves.
    """
    n = len(centre)
    tangent = np.gradient(centre, axis=0)
    tangent /= np.linalg.norm(tangent, axis=1, keepdims=True)
    ref = np.array([1.0, 0.0, 0.0]) if abs(tangent[0, 0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    u = np.empty_like(centre)
    u[0] = np.cross(tangent[0], ref)
    u[0] /= np.linalg.norm(u[0])
    for i in range(1, n):  # parallel transport keeps the ring from spinning along the curve
        w = u[i - 1] - tangent[i] * np.dot(u[i - 1], tangent[i])
        u[i] = w / np.linalg.norm(w)
    w = np.cross(tangent, u)
    ang = np.linspace(0, 2 * np.pi, sides, endpoint=False)
    shade = np.ones((n, sides))
    r = np.broadcast_to(radius[:, None], (n, sides)).copy()
    if lobes:
        phase = lobes * ang[None, :] / (2 * np.pi) + twist * np.arange(n)[:, None] / n
        crest = np.sin(np.pi * np.mod(phase, 1.0)) ** 0.6
        r *= 1 - lobe_depth * (1 - crest)
        shade = 0.72 + 0.28 * crest
    rings = centre[:, None, :] + r[..., None] * (np.cos(ang)[None, :, None] * u[:, None, :]
                                                 + np.sin(ang)[None, :, None] * w[:, None, :])
    start = centre[0] - tangent[0] * radius[0] * 0.5
    end = centre[-1] + tangent[-1] * radius[-1] * 0.5
    v, f = rings_mesh(start, list(rings), end)
    return v, _outward_from(v, f, centre), np.concatenate([[0.8], shade.ravel(), [0.8]])


def _outward_from(v: np.ndarray, f: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Tubes are not star-shaped around the origin: orient them by their faces' direction from the centre line."""
    from scipy.spatial import cKDTree

    a, b, c = v[f[:, 0]], v[f[:, 1]], v[f[:, 2]]
    normal = np.cross(b - a, c - a)
    mid = (a + b + c) / 3
    near = cKDTree(centre).query(mid)[1]
    out = np.einsum("ij,ij->i", normal, mid - centre[near])
    return f if np.sum(out > 0) > len(f) / 2 else f[:, ::-1].copy()


def tube(path: np.ndarray, radius: float, *, loop: bool, sides: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """A closed tube along a polyline: a torus-like ring for a loop, capped ends otherwise."""
    path = np.asarray(path, np.float64)
    n = len(path)
    tangent = np.roll(path, -1, 0) - np.roll(path, 1, 0) if loop else np.gradient(path, axis=0)
    tangent /= np.maximum(np.linalg.norm(tangent, axis=1, keepdims=True), 1e-9)
    ref = np.array([0.0, 0.0, 1.0])
    normal = np.cross(tangent, ref)
    bad = np.linalg.norm(normal, axis=1) < 1e-3
    normal[bad] = np.cross(tangent[bad], np.array([0.0, 1.0, 0.0]))
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    binormal = np.cross(tangent, normal)
    ang = np.linspace(0, 2 * np.pi, sides, endpoint=False)
    ring = (np.cos(ang)[None, :, None] * normal[:, None] + np.sin(ang)[None, :, None] * binormal[:, None]) * radius
    v = (path[:, None] + ring).reshape(-1, 3)
    faces = []
    rows = n if loop else n - 1
    for i in range(rows):
        j = (i + 1) % n
        for k in range(sides):
            a, b = i * sides + k, i * sides + (k + 1) % sides
            c2, d = j * sides + (k + 1) % sides, j * sides + k
            faces += [(a, b, c2), (a, c2, d)]
    f = np.asarray(faces, np.int64)
    if not loop:
        v, f, _ = close_holes(v.astype(np.float32), f.astype(np.int32))
    f = outward(np.asarray(v, np.float64), f)
    return np.asarray(v, np.float32), np.ascontiguousarray(f, np.int32)


def frame_any(axis) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An orthonormal frame (axis, b, c) whose first axis is `axis`."""
    a = np.asarray(axis, float)
    a = a / np.linalg.norm(a)
    ref = np.array([0.0, 1.0, 0.0]) if abs(a[1]) < 0.9 else np.array([1.0, 0.0, 0.0])
    b = np.cross(a, ref)
    b /= np.linalg.norm(b)
    return a, b, np.cross(a, b)


def torus(centre, axis, major: float, minor: float, cols: int = 20, sides: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """A closed ring round `axis` through `centre`, facing out."""
    a, b, c = frame_any(axis)
    ang = np.linspace(0, 2 * np.pi, cols, endpoint=False)
    ring = np.linspace(0, 2 * np.pi, sides, endpoint=False)
    radial = np.cos(ang)[:, None, None] * b + np.sin(ang)[:, None, None] * c
    pts = centre + radial * (major + minor * np.cos(ring)[None, :, None]) + a * minor * np.sin(ring)[None, :, None]
    v = pts.reshape(-1, 3)
    i, j = np.meshgrid(np.arange(cols), np.arange(sides), indexing="ij")
    q = lambda ii, jj: (ii % cols) * sides + (jj % sides)  # noqa: E731
    f = np.concatenate([np.stack([q(i, j), q(i + 1, j), q(i + 1, j + 1)], -1).reshape(-1, 3),
                        np.stack([q(i, j), q(i + 1, j + 1), q(i, j + 1)], -1).reshape(-1, 3)])
    mid = v[f].mean(1)
    normal = np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]])
    on_axis = centre + np.einsum("ij,j->i", mid - centre, a)[:, None] * a
    tube_c = on_axis + major * (mid - on_axis) / np.linalg.norm(mid - on_axis, axis=1, keepdims=True)
    if np.sum(np.einsum("ij,ij->i", normal, mid - tube_c) > 0) < len(f) / 2:
        f = f[:, ::-1]
    return v, f.copy()
