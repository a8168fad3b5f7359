"""Mesh parts: the pieces a sculpted figure is made of, and the few operations they all need.

Figure space: y up, z toward the camera, x to the viewer's right; one unit is one head height.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

MATERIALS = ("vinyl", "skin", "hair", "metal", "clear", "base")


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

    def transformed(self, matrix: np.ndarray) -> "Part":
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


def boundary_edges(faces: np.ndarray) -> np.ndarray:
    """The directed edges used by exactly one triangle (an open mesh's rim); empty when closed."""
    e = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    key = np.sort(e, axis=1)
    _, inverse, counts = np.unique(key, axis=0, return_inverse=True, return_counts=True)
    return e[counts[inverse.ravel()] == 1]


def is_closed(part_or_faces) -> bool:
    """True when every edge is shared by exactly two triangles (no holes, no fins)."""
    faces = part_or_faces.faces if isinstance(part_or_faces, Part) else np.asarray(part_or_faces)
    e = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    _, counts = np.unique(np.sort(e, axis=1), axis=0, return_counts=True)
    return bool(np.all(counts == 2))


def close_holes(vertices: np.ndarray, faces: np.ndarray, colors: np.ndarray | None = None):
    """Fill each hole with a fan to its centroid; returns (vertices, faces, colors) of a closed mesh.

    Works for simple rims (each rim vertex on one rim), which is what cutting a limb or a neck gives.
    """
    rim = boundary_edges(faces)
    if len(rim) == 0:
        return vertices, faces, colors
    nxt = {int(a): int(b) for a, b in rim}
    new_v, new_f, new_c = [vertices], [faces], [colors] if colors is not None else None
    count = len(vertices)
    seen: set[int] = set()
    for start in list(nxt):
        if start in seen:
            continue
        loop = [start]
        seen.add(start)
        while nxt.get(loop[-1]) is not None and nxt[loop[-1]] != start and len(loop) <= len(nxt):
            loop.append(nxt[loop[-1]])
            seen.add(loop[-1])
        centre = vertices[loop].mean(0, keepdims=True)
        new_v.append(centre)
        if new_c is not None:
            new_c.append(colors[loop].mean(0, keepdims=True))
        ring = np.array(loop)
        # The rim runs the other way round from the triangles that will close it.
        new_f.append(np.stack([np.roll(ring, -1), ring, np.full_like(ring, count)], axis=1))
        count += 1
    v = np.concatenate(new_v).astype(np.float32)
    f = np.concatenate(new_f).astype(np.int32)
    c = np.concatenate(new_c).astype(np.float32) if new_c is not None else None
    return v, f, c


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
