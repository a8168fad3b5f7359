"""One clean solid for slicers and viewers: no slivers, no scraps, no sheets that merely touch, unit normals.

A boolean union is manifold by its own bookkeeping (vertices indexed), yet it keeps triangles cut thinner
than a micron, flat scraps hanging on a vertex, and sheets that meet along an edge (crossed arms resting
on a chest) with separate vertices at one position. A file without indices (STL) welds vertices by
position, and a slicer then finds degenerate facets and edges of four triangles, and repairs them. Here
slivers are collapsed, scraps dropped and touching sheets set a hair apart, far below what a printer
lays down, so the STL is as closed as the indexed mesh. Also: a small render of the solid for thumbnails.
"""

from __future__ import annotations

import numpy as np

WELD_MM = 1e-3    # an edge shorter than this is a sliver: collapsed (well above float32's step at 300 mm)
APART_MM = 2e-3   # how far apart two sheets that touch are set, each into its own side (far under a layer)


def _components(n: int, pairs: np.ndarray) -> np.ndarray:
    """Connected-component label of each of `n` nodes joined by `pairs` (the smallest node in each)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if not len(pairs):
        return np.arange(n)
    graph = coo_matrix((np.ones(len(pairs), np.int8), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    label = connected_components(graph, directed=False)[1]
    first = np.full(label.max() + 1, n)
    np.minimum.at(first, label, np.arange(n))
    return first[label]


def _edges(faces: np.ndarray) -> np.ndarray:
    return np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])


def separate(vertices: np.ndarray, faces: np.ndarray, step: float = APART_MM, rounds: int = 4) -> np.ndarray:
    """The vertices with no two at one position: where separate sheets of the surface touch (crossed arms
    resting on a chest), each sheet's vertex steps `step` back into its own side.

    The union keeps such sheets apart by its bookkeeping, but a file without indices (STL) welds vertices
    by position (in float32), and a slicer would then find edges of four triangles and repair them.
    """
    v = np.asarray(vertices, np.float64).copy()
    used = np.zeros(len(v), bool)
    used[faces] = True
    for k in range(rounds):
        shared = _written_alike(v) & used
        if not shared.any():
            return v
        v[shared] -= unit_normals(v, faces)[shared] * step * (k + 1)
    # Sheets whose normals agree moved together: each steps back by its place among those written alike.
    for digits in (6, None):  # 3MF's six decimals, then STL's float32
        written = np.round(v, digits) if digits else v.astype(np.float32)
        moved = np.flatnonzero(_same_place(written) & used)
        if not len(moved):
            continue
        _, group = np.unique(written[moved], axis=0, return_inverse=True)
        group = group.ravel()
        order = np.argsort(group, kind="stable")
        starts = np.flatnonzero(np.r_[True, np.diff(group[order]) != 0])
        rank = np.empty(len(moved), np.int64)
        rank[order] = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
        v[moved] -= unit_normals(v, faces)[moved] * step * rank[:, None]
    return v


def _merged(mesh) -> np.ndarray:
    """A MeshGL's triangles with vertices split only by their properties made one again."""
    tri = np.asarray(mesh.tri_verts, np.int64)
    if len(mesh.merge_from_vert):
        remap = np.arange(len(mesh.vert_properties))
        remap[np.asarray(mesh.merge_from_vert)] = np.asarray(mesh.merge_to_vert)
        tri = remap[tri]
    return tri


def weld(vertices: np.ndarray, faces: np.ndarray, eps: float = WELD_MM) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Collapse every edge shorter than `eps` and drop the triangles that vanish with it.

    Returns (kept vertices, faces into them, kept faces): indices into `vertices` and `faces`, so the
    caller keeps colours and materials. Where collapsing would leave the surface non-manifold, nothing
    is collapsed.
    """
    everything = np.arange(len(vertices)), faces, np.arange(len(faces))
    e = _edges(faces)
    short = e[np.linalg.norm(vertices[e[:, 0]] - vertices[e[:, 1]], axis=1) < eps]
    if not len(short):
        return everything
    label = _components(len(vertices), short)
    f = label[faces]  # each vertex becomes the first of those it collapses with
    ok = (f[:, 0] != f[:, 1]) & (f[:, 1] != f[:, 2]) & (f[:, 2] != f[:, 0])
    # A collapsed fold leaves two triangles on the same three vertices, back to back: neither is surface.
    # Only triangles that lost a vertex can have become such a pair.
    touched = np.zeros(len(vertices), bool)
    touched[f[ok & (f != faces).any(1)]] = True
    near = np.flatnonzero(ok & touched[f].any(1))
    _, inverse, count = np.unique(np.sort(f[near], axis=1), axis=0, return_inverse=True, return_counts=True)
    ok[near[count[inverse.ravel()] > 1]] = False
    kept = np.flatnonzero(ok)
    if not is_closed_manifold(f[kept]):
        return everything
    used, f = compact(f[kept], len(vertices))
    return used, f, kept


def shells(faces: np.ndarray) -> np.ndarray:
    """Which shell each triangle belongs to: triangles sharing an edge are one shell (a piece that only
    touches another at a vertex is a shell of its own, as a slicer counts them)."""
    e = np.sort(_edges(faces), axis=1)
    owner = np.tile(np.arange(len(faces)), 3)
    order = np.lexsort((e[:, 1], e[:, 0]))
    e, owner = e[order], owner[order]
    same = (e[1:] == e[:-1]).all(1)
    return _components(len(faces), np.column_stack([owner[:-1][same], owner[1:][same]]))


def clean(vertices: np.ndarray, faces: np.ndarray, min_volume: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The surface as a slicer wants it: slivers collapsed, shells of less than `min_volume` (flat scraps
    the union leaves hanging on a vertex) dropped, touching sheets set apart.

    Returns (vertices, faces, kept vertices, kept faces): the last two index the input's, so the caller
    keeps colours and materials.
    """
    keep, f, kept = weld(vertices, faces)
    v = np.asarray(vertices, np.float64)[keep]
    shell = shells(f)
    tri = v[f]
    volume = np.bincount(shell, np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])) / 6, len(f))
    scrap = np.abs(volume) < min_volume
    if scrap[shell].any() and not scrap[shell].all():
        kept, f = kept[~scrap[shell]], f[~scrap[shell]]
        used, f = compact(f, len(v))
        keep, v = keep[used], v[used]
    return separate(v, f), f, keep, kept


def compact(faces: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(the vertices the faces use, of `n`; the faces indexing into just those), in order."""
    used = np.zeros(n, bool)
    used[faces] = True
    index = np.cumsum(used) - 1
    return np.flatnonzero(used), index[faces]


def is_closed_manifold(faces: np.ndarray) -> bool:
    """Every edge has exactly two triangles, running opposite ways (closed and consistently wound)."""
    if not len(faces):
        return True
    e = _edges(faces).astype(np.int64)
    n = int(faces.max()) + 1
    forward = np.sort(e[:, 0] * n + e[:, 1])
    if (forward[1:] == forward[:-1]).any():
        return False
    backward = e[:, 1] * n + e[:, 0]
    at = np.minimum(np.searchsorted(forward, backward), len(forward) - 1)
    return bool((forward[at] == backward).all())


def _written_alike(v: np.ndarray) -> np.ndarray:
    """Which vertices a file would write at one position as another: STL's float32, or 3MF's six decimals
    (near zero, points float32 keeps apart print alike)."""
    return _same_place(v.astype(np.float32)) | _same_place(np.round(v, 6))


def _same_place(points: np.ndarray) -> np.ndarray:
    """Which points share their exact position with another."""
    order = np.lexsort(points.T)
    p = points[order]
    same = (p[1:] == p[:-1]).all(1)
    out = np.zeros(len(points), bool)
    out[order[1:][same]] = True
    out[order[:-1][same]] = True
    return out


def _vertex_sum(faces: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Per vertex, the sum of `values` (one row per triangle) over the triangles around it."""
    out = np.zeros((n, values.shape[1]))
    for k in range(3):
        for axis in range(values.shape[1]):
            out[:, axis] += np.bincount(faces[:, k], values[:, axis], minlength=n)
    return out


def unit_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Area-weighted vertex normals of unit length (in float64; a vertex only on triangles of no area
    takes its neighbours' direction, or straight up)."""
    v = np.asarray(vertices, np.float64)
    tri = v[faces]
    fn = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    n = _vertex_sum(faces, fn, len(v))
    length = np.linalg.norm(n, axis=1)
    bad = length < 1e-12
    if bad.any():
        unit_fn = fn / np.maximum(np.linalg.norm(fn, axis=1, keepdims=True), 1e-300)
        n[bad] = _vertex_sum(faces, unit_fn, len(v))[bad]
        length = np.linalg.norm(n, axis=1)
        bad = length < 1e-12
        n[bad], length[bad] = (0.0, 1.0, 0.0), 1.0
    return n / length[:, None]


def picture(vertices: np.ndarray, faces: np.ndarray, colors: np.ndarray, size: int = 256, turn_deg: float = 20.0):
    """A small RGBA render of the solid (y up, seen from the front, turned a little), for a file's thumbnail.

    Each triangle is sampled in proportion to the pixels it covers and the nearest sample wins each pixel:
    no graphics context needed, and a few tens of milliseconds for a figure.
    """
    from PIL import Image

    out, size = size, size // 2  # drawn at half size, where few samples cover every pixel, then enlarged
    a = np.radians(turn_deg)
    turn = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])
    v = (np.asarray(vertices, np.float64) - vertices.mean(0)) @ turn.T
    lo, hi = v.min(0), v.max(0)
    px = (size - 4) / max(hi[0] - lo[0], hi[1] - lo[1], 1e-9)  # pixels per unit, a 4 px margin
    xy = np.column_stack([(v[:, 0] - (lo[0] + hi[0]) / 2) * px + size / 2, (hi[1] - v[:, 1]) * px + 2])
    tri = v[faces]
    normal = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    normal /= np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-12)
    front = normal[:, 2] > 0  # facing the camera (on +z)
    f, normal = faces[front], normal[front]
    t = xy[f]
    e1, e2 = t[:, 1] - t[:, 0], t[:, 2] - t[:, 0]
    area = np.abs(e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]) / 2
    count = np.minimum(np.ceil(area * 2).astype(np.int64) + 1, 4096)
    owner = np.repeat(np.arange(len(f)), count)
    r = np.random.default_rng(0).random((len(owner), 2))
    flip = r.sum(1) > 1
    r[flip] = 1 - r[flip]  # uniform over the triangle
    w = np.column_stack([1 - r.sum(1), r])
    fo = f[owner]
    sx = (w[:, :, None] * xy[fo]).sum(1)
    depth = (w * v[fo, 2]).sum(1)
    light = np.clip(normal[owner] @ np.array([-0.35, 0.55, 0.76]), 0, 1) * 0.65 + 0.35
    rgb = (w[:, :, None] * np.asarray(colors, np.float64)[fo]).sum(1) * light[:, None]
    col = np.clip(sx[:, 0].astype(np.int64), 0, size - 1)
    row = np.clip(sx[:, 1].astype(np.int64), 0, size - 1)
    order = np.lexsort((-depth, row * size + col))  # per pixel, nearest the camera (largest z) first
    where = (row * size + col)[order]
    first = np.flatnonzero(np.r_[True, where[1:] != where[:-1]])  # sorted by pixel: each pixel's first sample
    pixel = where[first]
    flat = np.zeros((size * size, 4), np.float32)
    flat[pixel, :3] = rgb[order[first]]
    flat[pixel, 3] = 1
    image = flat.reshape(size, size, 4)
    # A pixel no sample hit, with samples all round it, takes its neighbours' mean.
    pad = np.pad(image, ((1, 1), (1, 1), (0, 0)))
    near = np.zeros_like(image)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            near += pad[1 + dy:size + 1 + dy, 1 + dx:size + 1 + dx]
    hole = (image[..., 3] == 0) & (near[..., 3] >= 6)
    image[hole] = near[hole] / near[hole, 3:]
    picture = Image.fromarray(np.clip(image * 255 + 0.5, 0, 255).astype(np.uint8), "RGBA")
    return picture.resize((out, out), Image.Resampling.BICUBIC)
