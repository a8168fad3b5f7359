"""Printing the solid for the printer the user has: wall minimums, thickening at the printed size, and the
facts a print kit states (orientation, supports, volume, grams, whether it stands without a base).

Print services state the thinnest wall each process holds: an FDM nozzle lays 1.0 mm, a resin printer
cures 0.8 mm, powder (sintered nylon, full-colour gypsum) needs 2.0 mm. Walls are measured the way
print services check them: a ray from the surface straight inward, to where it leaves the solid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import MinimeError
from .registry import check_printer

# printer -> (thinnest wall in mm, material, density in g/cm3); the names are registry.PRINTERS
PRINTERS: dict[str, tuple[float, str, float]] = {
    "fdm": (1.0, "PLA", 1.24),
    "resin": (0.8, "standard resin", 1.12),
    "powder": (2.0, "PA12 nylon", 1.01),
}
MARGIN = 1.15       # thicken a little past the minimum, so rounding in the slicer stays above it
OVERHANG_DEG = 45   # steeper than this from vertical, an FDM layer has nothing under it
TIP_MM = 5.0        # with no base, a centre of mass this close to the footprint's edge tips over easily
THIN_SHARE = 0.01   # at most this share of the surface may be thinner than the minimum


def wall_mm(printer: str) -> float:
    """The thinnest wall `printer` holds, in millimetres."""
    return PRINTERS[check_printer(printer)][0]


# ------------------------------------------------------------------------------------ measuring walls


def _face_normals(v: np.ndarray, f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit face normals and face areas."""
    cross = np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]])
    norm = np.linalg.norm(cross, axis=1)
    return cross / np.maximum(norm, 1e-15)[:, None], norm / 2


def surface_samples(v: np.ndarray, f: np.ndarray, count: int, seed: int = 0):
    """`count` points spread evenly over the surface by area: (points, inward normals, face of each)."""
    normals, area = _face_normals(v, f)
    rng = np.random.default_rng(seed)
    face = rng.choice(len(f), size=count, p=area / area.sum())
    r1, r2 = rng.random(count), rng.random(count)
    s = np.sqrt(r1)
    a, b, c = v[f[face, 0]], v[f[face, 1]], v[f[face, 2]]
    points = a * (1 - s)[:, None] + b * (s * (1 - r2))[:, None] + c * (s * r2)[:, None]
    return points, -normals[face], face


def wall_depth(v: np.ndarray, f: np.ndarray, origins: np.ndarray, dirs: np.ndarray, reach: float) -> np.ndarray:
    """How far each ray travels before it meets the surface again, looking only `reach` far (inf: farther)."""

    tri = v[f]
    out = np.full(len(origins), np.inf)
    # A ray `reach` long meets only triangles near it: hash triangles into a grid of cubes half `reach`
    # across (every cube a triangle's box touches), and test each ray against the triangles in the cubes
    # its points pass through. Everything is sorted arrays; no per-ray Python.
    cell = reach / 2
    lo = np.floor(tri.min(1) / cell).astype(np.int64)
    hi = np.floor(tri.max(1) / cell).astype(np.int64)
    span = hi - lo + 1
    n = span.prod(1)
    owner = np.repeat(np.arange(len(tri)), n)
    within = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    sy, sz = np.repeat(span[:, 1], n), np.repeat(span[:, 2], n)
    cells = np.repeat(lo, n, axis=0) + np.stack([within // (sy * sz), (within // sz) % sy, within % sz], 1)
    tkey = _key(cells)
    order = np.argsort(tkey, kind="stable")
    tkey, owner = tkey[order], owner[order]
    steps = np.linspace(0, reach, 6)
    rkey = _key(np.floor((origins[:, None] + dirs[:, None] * steps[None, :, None]) / cell).astype(np.int64))
    ray = np.repeat(np.arange(len(origins)), len(steps))
    rkey = rkey.reshape(-1)
    ray, rkey = np.unique(np.stack([ray, rkey], 1), axis=0).T  # each cube once per ray
    start = np.searchsorted(tkey, rkey, "left")
    count = np.searchsorted(tkey, rkey, "right") - start
    pair_ray = np.repeat(ray, count)
    pair_tri = owner[np.repeat(start, count) + np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)]
    for lo_ in range(0, len(pair_ray), 2_000_000):
        r, t = pair_ray[lo_:lo_ + 2_000_000], pair_tri[lo_:lo_ + 2_000_000]
        _hits(tri[t], origins[r], dirs[r], reach, out, r)
    return out


def _key(cells: np.ndarray) -> np.ndarray:
    """One int64 per grid cube (coordinates within +-2^20 cubes)."""
    c = cells + (1 << 20)
    return (c[..., 0] << 42) | (c[..., 1] << 21) | c[..., 2]


def _hits(tri: np.ndarray, o: np.ndarray, d: np.ndarray, reach: float, out: np.ndarray, ray: np.ndarray) -> None:
    """Moller-Trumbore on (triangle, ray) pairs: the nearest hit within `reach` lowers `out[ray]`."""
    t0, e1, e2 = tri[:, 0], tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]
    p = np.cross(d, e2)
    det = (e1 * p).sum(1)
    ok = np.abs(det) > 1e-15
    inv = 1.0 / np.where(ok, det, 1.0)
    s = o - t0
    u = (s * p).sum(1) * inv
    q = np.cross(s, e1)
    w = (q * d).sum(1) * inv
    t = (q * e2).sum(1) * inv
    hit = ok & (u >= -1e-9) & (w >= -1e-9) & (u + w <= 1 + 1e-9) & (t > reach * 1e-4) & (t < reach)
    np.minimum.at(out, ray[hit], t[hit])


def thin_share(v: np.ndarray, f: np.ndarray, minimum: float, samples: int = 20000, seed: int = 0) -> float:
    """The share of the surface (by area) where a wall is thinner than `minimum`, by ray casting."""
    points, inward, _ = surface_samples(np.asarray(v, np.float64), np.asarray(f), samples, seed)
    return float((wall_depth(np.asarray(v, np.float64), np.asarray(f), points, inward, minimum) < minimum).mean())


# ------------------------------------------------------------------------------------ thickening


def plate_depth(top: float, plate_top: float, plate_h: float, height_mm: float, wall: float) -> float:
    """How thick (figure units) the base plate must be so that, once the whole is `height_mm` tall, it is
    at least `wall` mm thick; `top` is the figure's top, `plate_top` the plate's top."""
    need = wall * MARGIN
    if need >= height_mm:
        return plate_h
    return max(plate_h, need * (top - plate_top) / (height_mm - need))


def deepen(part, depth: float):
    """A base plate `depth` thick: its underside moved down, the figure on it left where it stands."""
    v = part.vertices.copy()
    top, bottom = float(v[:, 1].max()), float(v[:, 1].min())
    if top - bottom >= depth - 1e-9:
        return part
    low = v[:, 1] < (top + bottom) / 2
    v[low, 1] = top - depth
    from dataclasses import replace

    return replace(part, vertices=v)


def _ball(radius: float) -> tuple[np.ndarray, np.ndarray]:
    """A small faceted ball (72 faces) whose every face lies at least `radius` from its centre."""
    import manifold3d as m3

    mesh = m3.Manifold.sphere(1.0, 8).to_mesh()
    v = np.asarray(mesh.vert_properties, np.float64)[:, :3]
    f = np.asarray(mesh.tri_verts, np.uint32)
    normals, _ = _face_normals(v, f.astype(np.int64))
    inner = float(np.abs((normals * v[f[:, 0]]).sum(1)).min())
    return v * (radius / inner), f


def _closer(v, f, thin_points, minimum: float, radius: float, seed: int, found):
    """Around the thin places the even samples found, look again with samples a ball's spacing apart: on a
    large figure the even samples lie farther apart than a ball is wide, and would leave gaps."""
    from scipy.spatial import cKDTree

    _, total = _face_normals(v, f)
    if np.sqrt(total.sum() / len(found[0])) < 1.6 * radius:  # close enough already (up to 100 mm or so)
        return found
    centre = v[f].mean(1)
    near = cKDTree(thin_points).query(centre, distance_upper_bound=6 * radius)[0] < np.inf
    faces = np.flatnonzero(near)
    if not len(faces):
        return found
    _, area = _face_normals(v, f[faces])
    count = int(min(200_000, area.sum() / (0.6 * radius) ** 2))
    if count <= (found[4].sum()):
        return found
    points, inward, sub = surface_samples(v, f[faces], count, seed=seed + 100)
    depth = wall_depth(v, f, points, inward, minimum)
    keep = depth < minimum
    return (np.vstack([found[0], points]), np.vstack([found[1], inward]), np.concatenate([found[2], faces[sub]]),
            np.concatenate([found[3], depth]), np.concatenate([found[4], keep]))


def thicken(whole, minimum: float, *, face_materials=None, samples: int = 12000, rounds: int = 2):
    """Fill every wall of the manifold `whole` thinner than `minimum` (its units) with balls along the
    wall's middle, `minimum` * MARGIN across: fins and strands too thin to print grow to the minimum,
    and a feature too small to keep its shape (a 30 mm figure's bow tie) merges into a printable lump.

    Returns (manifold, {original id: material index}) for the balls added; `face_materials(mesh)` gives
    the material index of each triangle of a MeshGL of `whole` (a ball takes its wall's), or 0 without it.
    """
    import manifold3d as m3
    from scipy.spatial import cKDTree

    radius = minimum * MARGIN / 2
    bv, bf = _ball(radius)
    added: dict[int, int] = {}
    for k in range(rounds):
        mesh = whole.to_mesh()
        props = np.asarray(mesh.vert_properties, np.float64)
        v, f = props[:, :3], np.asarray(mesh.tri_verts, np.int64)
        points, inward, face = surface_samples(v, f, samples, seed=k)
        depth = wall_depth(v, f, points, inward, minimum)
        thin = depth < minimum
        share = thin.mean()
        if share < THIN_SHARE / 3:
            break
        # A few per cent thin (a figure's hems at 100 mm): one round of balls fills them. Much more (a
        # 30 mm figure) leaves walls the first round's samples missed: look once more.
        last = k == rounds - 1 or share < THIN_SHARE * 6
        points, inward, face, depth, thin = _closer(v, f, points[thin], minimum, radius, seed=k,
                                                    found=(points, inward, face, depth, thin))
        centre = points[thin] + inward[thin] * depth[thin, None] / 2
        # One ball per cell of a grid 0.4 of a ball across: enough overlap for an even wall.
        cell = np.floor(centre / (radius * 1.0)).astype(np.int64)
        _, first = np.unique(cell, axis=0, return_index=True)
        centre, face = centre[first], face[thin][first]
        colour = props[:, 3:][cKDTree(v).query(centre)[1]] if props.shape[1] > 3 else np.zeros((len(centre), 0))
        mat = face_materials(mesh)[face] if face_materials is not None else np.zeros(len(centre), int)
        balls = []
        for m in np.unique(mat):
            sel = np.flatnonzero(mat == m)
            verts = (bv[None] + centre[sel, None]).reshape(-1, 3)
            tris = (bf[None] + (np.arange(len(sel), dtype=np.uint32) * len(bv))[:, None, None]).reshape(-1, 3)
            cols = np.repeat(colour[sel], len(bv), axis=0)
            group = m3.Manifold(m3.Mesh(vert_properties=np.hstack([verts, cols]).astype(np.float32), tri_verts=tris))
            # The balls of one material overlap: each is its own solid, united with the rest below.
            group = group.as_original()
            added[group.original_id()] = int(m)
            balls += group.decompose()
        whole = m3.Manifold.batch_boolean([whole, *balls], m3.OpType.Add)
        if last:
            break
    return (_filled(whole) if added else whole), added


def _filled(whole):
    """`whole` with its hollows filled: a pocket of air sealed inside (under a garment, or among balls)
    is no wall to measure or print, and slicers count its inside-out shell as a part of its own."""
    import manifold3d as m3

    pieces = whole.decompose()
    if len(pieces) < 2:
        return whole
    return m3.Manifold.compose([p for p in pieces if p.volume() > 0])


# ------------------------------------------------------------------------------------ what the kit says


@dataclass(frozen=True)
class PrintFacts:
    """What the print kit page and `--json` say about printing a solid."""

    printer: str
    wall_mm: float            # the printer's thinnest wall
    thin_share: float         # share of the surface thinner than that (ray casting)
    orientation: str
    supports: bool
    overhang_share: float     # share of the surface facing down steeper than 45 degrees
    volume_cm3: float
    grams: float
    material: str
    tip_margin_mm: float | None  # with no base: how far the centre of mass is inside the footprint's edge

    def to_dict(self) -> dict:
        return {"printer": self.printer, "wall_mm": self.wall_mm, "thin_share": round(self.thin_share, 4),
                "orientation": self.orientation, "supports": self.supports,
                "overhang_share": round(self.overhang_share, 4), "volume_cm3": round(self.volume_cm3, 2),
                "grams": round(self.grams, 1), "material": self.material,
                **({"tip_margin_mm": round(self.tip_margin_mm, 1)} if self.tip_margin_mm is not None else {})}


def volume_and_centre(v: np.ndarray, f: np.ndarray) -> tuple[float, np.ndarray]:
    """Volume and centre of mass of a closed mesh (divergence theorem over its tetrahedra)."""
    a, b, c = v[f[:, 0]], v[f[:, 1]], v[f[:, 2]]
    six = (a * np.cross(b, c)).sum(1)
    vol = six.sum() / 6
    centre = ((a + b + c) * six[:, None]).sum(0) / (24 * vol) if vol else v.mean(0)
    return float(vol), centre


def overhang_share(v: np.ndarray, f: np.ndarray, up: int = 1, floor: float = 0.3) -> float:
    """Share of the surface facing down more steeply than OVERHANG_DEG, the bed's contact excluded."""
    normals, area = _face_normals(v, f)
    low = v[f][:, :, up].max(1) <= v[:, up].min() + floor
    down = (normals[:, up] < -np.cos(np.radians(OVERHANG_DEG))) & ~low
    return float(area[down].sum() / area.sum())


def tip_margin(v: np.ndarray, f: np.ndarray, up: int = 1, floor: float = 0.3) -> float:
    """How far (mm) the centre of mass lies inside the footprint's edge; negative: it falls over."""
    from scipy.spatial import ConvexHull, QhullError

    _, centre = volume_and_centre(v, f)
    side = [i for i in range(3) if i != up]
    foot = v[v[:, up] <= v[:, up].min() + floor][:, side]
    try:
        hull = ConvexHull(foot)
    except (QhullError, ValueError):
        return -float(np.linalg.norm(foot.mean(0) - centre[side])) if len(foot) else -np.inf
    # Each hull facet: normal . x + offset <= 0 inside; the margin is the nearest edge's distance.
    return float(-(hull.equations[:, :2] @ centre[side] + hull.equations[:, 2]).max())


def facts(v: np.ndarray, f: np.ndarray, *, printer: str = "fdm", base: str = "round", samples: int = 12000) -> PrintFacts:
    """The print kit's facts about a solid in millimetres, y up, feet (or plate) on y = 0."""
    wall, material, density = PRINTERS[check_printer(printer)]
    v = np.asarray(v, np.float64)
    vol, _ = volume_and_centre(v, f)
    over = overhang_share(v, f)
    # Powder lies in its own bed; resin prints hang from supports anyway; FDM needs them past a few
    # per cent of steep underside (a chin or a nose bridges; a hem or a held arm does not).
    supports = printer == "resin" or (printer == "fdm" and over > 0.02)
    orientation = "upright, base down" if base != "none" else "upright, feet down (add a brim)"
    if printer == "resin":
        orientation = "upright, tilted 20-30 degrees back, on supports"
    return PrintFacts(printer, wall, thin_share(v, f, wall, samples), orientation, supports, over, vol / 1000,
                      vol / 1000 * density, material, tip_margin(v, f) if base == "none" else None)


def check_stands(v: np.ndarray, f: np.ndarray) -> str | None:
    """With no base: refuse a figure whose centre of mass lies outside its footprint; a note when it is
    within TIP_MM of tipping; None when it stands."""
    margin = tip_margin(np.asarray(v, np.float64), f)
    if margin < 0:
        raise MinimeError("--base none: this figure falls over on its own feet (its centre of mass is "
                          f"{-margin:.1f} mm outside them); use --base round or square")
    if margin < TIP_MM:
        return (f"--base none: the centre of mass is {margin:.1f} mm inside the feet's edge, under {TIP_MM:g} mm: "
                "it tips over easily; a base (round or square) keeps it standing")
    return None
