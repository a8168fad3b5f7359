"""Sculpted hair: moulded vinyl hair shells for a 1:12 action figure, and picking a style from the photo.

Every style is a solid shell that hugs the skull (its inner surface sits on the skull ellipsoid scaled 1.02)
with strands, locks or curls carved into its outer surface, so the relief reads under the key light the way
a toy's moulded hair does. Braids, locs, ponytails and buns are extra closed pieces.

Head space: origin at the skull's centre, y up, face toward +z, x to the viewer's right, 1 unit = head height.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree

from minime.sculpt.mesh import Part, uv_sphere

STYLES = ("buzz", "side-part", "quiff", "curly-short", "afro", "bob", "shoulder", "long",
          "ponytail", "bun", "locs", "bald")
GRID = (160, 128)

SKULL = np.array([0.36, 0.50, 0.44])
INNER = SKULL * 1.02  # the shell's inner surface: just outside the skull so none of it pokes through
EARS = ((0.37, -0.02, -0.02),)
_FACE_MARGIN = 0.045


# ---------------------------------------------------------------- regions of the head the hair must leave alone

def in_face(p: np.ndarray, margin: float = 0.0) -> np.ndarray:
    """True where points lie in the face region (front of the head, below the hairline)."""
    x, y, z = p[..., 0], p[..., 1], p[..., 2]
    hairline = 0.2 + 0.12 * (x / 0.36) ** 2
    return (z > 0.15 - margin) & (y < hairline + margin) & (y > -0.5 - margin)


def _in_ear(p: np.ndarray) -> np.ndarray:
    x, y, z = p[..., 0], p[..., 1], p[..., 2]
    return (np.abs(x) > 0.25) & (np.abs(y + 0.02) < 0.15) & (np.abs(z + 0.02) < 0.13)


def _azimuth(p: np.ndarray) -> np.ndarray:
    """Degrees around the y axis from the front (0) to the back (180), the same on both sides."""
    return np.degrees(np.abs(np.arctan2(p[..., 0], p[..., 2])))


def _smooth(e0: float, e1: float, x):
    t = np.clip((np.asarray(x, float) - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3 - 2 * t)


# ---------------------------------------------------------------- paths from a pole across the skull

def _frame(axis):
    a = np.asarray(axis, float)
    a = a / np.linalg.norm(a)
    c = np.array([1.0, 0.0, 0.0])  # every pole lies in the y-z plane
    b = np.cross(c, a)
    return a, b / np.linalg.norm(b), c


def _pole_paths(axis, psi: np.ndarray, k: int = 260, reach: float = 0.92 * np.pi) -> np.ndarray:
    """(k, cols, 3) points on the inner ellipsoid walking from the pole outward along each azimuth."""
    a, b, c = _frame(axis)
    theta = np.linspace(0.0, reach, k)[:, None, None]
    d = np.cos(theta) * a + np.sin(theta) * (np.cos(psi)[None, :, None] * b + np.sin(psi)[None, :, None] * c)
    return d / np.linalg.norm(d / INNER, axis=-1, keepdims=True)


def _flatten_back(x, y, z, psi, depth: float = 0.42):
    """Lay hair that falls below the skull onto the upper back, behind the neck and the shoulders."""
    w = _smooth(-0.28, -0.72, y)
    target = np.minimum(z, -depth + 0.04 * np.cos(psi))
    return x * (1 + 0.12 * w), y, z + w * (target - z)


def _curtain_paths(psi: np.ndarray, k: int = 300, extra: float = 0.0, depth: float = 0.42) -> np.ndarray:
    """(k, cols, 3): over the skull from the crown to its widest ring, then straight down like hanging hair."""
    radius = 1.0 / np.sqrt((np.sin(psi) / INNER[0]) ** 2 + (np.cos(psi) / INNER[2]) ** 2)
    arc = np.linspace(0.0, np.pi / 2, k // 2)[:, None]
    rho = np.concatenate([radius * np.sin(arc), np.broadcast_to(radius, (k - k // 2, len(psi)))]) + extra
    y = np.concatenate([INNER[1] * np.cos(arc) * np.ones_like(psi),
                        np.broadcast_to(np.linspace(0, -1.75, k - k // 2)[:, None], (k - k // 2, len(psi)))])
    x, y, z = _flatten_back(rho * np.sin(psi), y, rho * np.cos(psi), psi, depth)
    return np.stack([x, y, z], -1)


# ---------------------------------------------------------------- shells

def _ends(p: np.ndarray, table) -> np.ndarray:
    deg, low = np.array(table, float).T
    return np.interp(_azimuth(p), deg, low)


def _resample(paths: np.ndarray, inside: np.ndarray, shorten: np.ndarray, rows: int):
    """Cut each path where it first leaves the hair's region and resample it evenly along its length."""
    k, cols, _ = paths.shape
    seg = np.linalg.norm(np.diff(paths, axis=0), axis=-1)
    cum = np.concatenate([np.zeros((1, cols)), np.cumsum(seg, 0)])
    first_out = np.where(inside.all(0), k, np.argmax(~inside, 0))
    length = cum[np.maximum(first_out - 1, 0), np.arange(cols)]
    # Ease sudden steps in the hairline (temples, behind the ears) so the lip has no flat walls; only ever
    # shortening keeps each path inside its region.
    kernel = np.array([1, 2, 3, 2, 1]) / 9
    eased = np.convolve(np.concatenate([length[-2:], length, length[:2]]), kernel, mode="valid")
    length = np.minimum(length, eased) * shorten
    s = np.linspace(0.0, 1.0, rows + 1)[1:]
    grid = np.empty((rows, cols, 3))
    for j in range(cols):
        at = s * length[j]
        for a in range(3):
            grid[:, j, a] = np.interp(at, cum[:, j], paths[:, j, a])
    return grid


def _grid_normals(grid: np.ndarray, pole: np.ndarray) -> np.ndarray:
    """Outward normals of a (rows, cols, 3) grid that is periodic along cols and starts next to `pole`."""
    full = np.concatenate([pole[None, None, :].repeat(grid.shape[1], 1), grid])
    along = np.gradient(full, axis=0)[1:]
    around = np.roll(grid, -1, 1) - np.roll(grid, 1, 1)
    n = np.cross(along, around)
    n /= np.maximum(np.linalg.norm(n, axis=-1, keepdims=True), 1e-9)
    flip = np.sum(n * grid, -1, keepdims=True) < 0
    return np.where(flip, -n, n)


def _ellipsoid_normal(p):
    n = p / INNER**2
    return n / np.linalg.norm(n)


def _rings_mesh(top: np.ndarray, rings: list[np.ndarray], bottom: np.ndarray):
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


def _orient_outward(v: np.ndarray, f: np.ndarray) -> np.ndarray:
    a, b, c = v[f[:, 0]], v[f[:, 1]], v[f[:, 2]]
    volume = np.einsum("ij,ij->i", a, np.cross(b, c)).sum()
    return f if volume > 0 else f[:, ::-1].copy()


def _strands(s, psi, count, swirl, rng, power=0.6):
    """0 in the grooves between moulded locks, 1 on their crests; locks run from the pole outward."""
    wobble = rng.uniform(-0.25, 0.25, count)
    phase = count * psi / (2 * np.pi) + swirl * s**1.5
    lock = np.floor(phase).astype(int) % count
    phase = phase + wobble[lock] * s
    return np.sin(np.pi * np.mod(phase, 1.0)) ** power


def _curls(points, radius, rng):
    """Voronoi domes: each curl a rounded bump, grooves where neighbouring curls meet."""
    order = rng.permutation(len(points))
    centres: list[np.ndarray] = []
    tree = None
    for i in order:  # dart throwing on the shell's own points keeps curls evenly spaced
        p = points[i]
        if centres and np.min(np.linalg.norm(np.asarray(centres) - p, axis=1)) < radius * 1.6:
            continue
        centres.append(p)
    tree = cKDTree(np.asarray(centres))
    d, _ = tree.query(points, k=2)
    edge = _smooth(0.0, 0.55 * radius, d[:, 1] - d[:, 0])
    dome = np.sqrt(np.clip(1 - (d[:, 0] / (1.4 * radius)) ** 2, 0, 1))
    return edge * (0.55 + 0.45 * dome)


class _Shell:
    """A closed shell: its outer surface, a rounded lip at the hairline, its inner surface on the skull."""

    def __init__(self, *, pole=(0, 1, 0), curtain=False, ends=(), top=9.0, rows=38, cols=112,
                 thickness=0.07, strands=18, depth=0.02, swirl=0.0, tips=0.05, rim=0.35, taper=0.08,
                 curls=0.0, shape=None, seed=0, salt=0):
        rng = np.random.default_rng([seed, salt])
        psi = np.linspace(0, 2 * np.pi, cols, endpoint=False)
        paths = _curtain_paths(psi) if curtain else _pole_paths(pole, psi)
        y = paths[..., 1]
        inside = ~in_face(paths, _FACE_MARGIN) & ~_in_ear(paths)
        inside &= y < (_ends(paths, top) if np.ndim(top) else top)
        if ends:
            inside &= y > _ends(paths, ends)
        rim_lock = _strands(np.ones(cols), psi, max(strands, 1), swirl, np.random.default_rng([seed, salt]))
        shorten = 1 - tips * (1 - rim_lock) * (1.0 if strands else 0.0)
        inner = _resample(paths, inside, shorten, rows)
        pole_point = paths[0, 0]
        s = (np.arange(1, rows + 1) / rows)[:, None] * np.ones((1, cols))
        psi2 = np.broadcast_to(psi, s.shape)

        normal = _grid_normals(inner, pole_point)
        if shape is not None:
            # A voluminous style's outline is its own rounded shape: reach it straight out from the head.
            reach = shape(inner) - inner
            base = np.linalg.norm(reach, axis=-1)
            normal = reach / np.maximum(base, 1e-9)[..., None]
        else:
            base = thickness(inner, s, psi2) if callable(thickness) else np.full_like(s, thickness)
        ridge = np.ones_like(s)
        relief = np.zeros_like(s)
        if strands:
            ridge = _strands(s, psi2, strands, swirl, rng)
            lock_depth = depth * _smooth(0.02, 0.25, s)
            relief += lock_depth * (ridge - 1)
        if curls:
            ridge = _curls((inner + normal * base[..., None]).reshape(-1, 3), curls, rng).reshape(s.shape)
            relief += depth * (ridge - 1)
        # A quarter-round towards the hairline so the edge reads as a moulded lip, not a blade.
        edge = np.clip((1 - s) / taper, 0, 1)
        round_ = rim + (1 - rim) * np.sqrt(1 - (1 - edge) ** 2)
        t = np.maximum(base * round_ + relief * (0.4 + 0.6 * edge), 0.012)

        outer = inner + normal * t[..., None]
        # Whatever the offset pushed over the hairline goes back onto the inner surface.
        bad = in_face(outer, 0.01)
        t = np.where(bad, 0.0, t)
        outer = inner + normal * t[..., None] + normal * 0.004 * bad[..., None]

        pole_n = _ellipsoid_normal(pole_point) if not curtain else np.array([0.0, 1.0, 0.0])
        pole_t = base[0].mean() if np.ndim(base) else base
        top_point = pole_point + pole_n * pole_t
        along = inner[-1] - inner[-2]
        along /= np.maximum(np.linalg.norm(along, axis=-1, keepdims=True), 1e-9)
        t_rim = t[-1][:, None]
        lip = inner[-1] + normal[-1] * t_rim * 0.5 + along * t_rim * 0.3
        lip = np.where(in_face(lip, 0.01)[:, None], inner[-1] + normal[-1] * t_rim * 0.5, lip)

        n_in = 8
        pick = np.linspace(rows - 1, 0, n_in + 1).round().astype(int)[:-1]
        rings = [outer[r] for r in range(rows)] + [lip] + [inner[r] for r in pick]
        bottom = pole_point
        self.v, self.f = _rings_mesh(top_point, rings, bottom)
        self.f = _orient_outward(self.v, self.f)

        shade_out = 0.74 + 0.26 * ridge
        self.shade = np.concatenate([[1.0], shade_out.ravel(), np.full(cols, 0.8),
                                     np.full(n_in * cols, 0.55), [0.55]])
        self.inner, self.outer, self.normal, self.t, self.s, self.psi = inner, outer, normal, t, s, psi


# ---------------------------------------------------------------- extra pieces: tubes, buns, ties

def _tube(centre: np.ndarray, radius: np.ndarray, sides: int = 10, lobes: int = 0, twist: float = 0.0,
          lobe_depth: float = 0.12):
    """A closed tube along a centre line with rounded ends; `lobes` twisted strands carved around it."""
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
    v, f = _rings_mesh(start, list(rings), end)
    f = _orient_tube(v, f, centre)
    return v, f, np.concatenate([[0.8], shade.ravel(), [0.8]])


def _orient_tube(v, f, centre):
    """Tubes are not star-shaped around the origin: orient by their first ring's faces instead."""
    a, b, c = v[f[:, 0]], v[f[:, 1]], v[f[:, 2]]
    normal = np.cross(b - a, c - a)
    mid = (a + b + c) / 3
    near = cKDTree(centre).query(mid)[1]
    outward = np.einsum("ij,ij->i", normal, mid - centre[near])
    return f if np.sum(outward > 0) > len(f) / 2 else f[:, ::-1].copy()


def _torus(centre, axis, major, minor, cols=20, sides=8):
    a, b, c = _frame_any(axis)
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


def _frame_any(axis):
    a = np.asarray(axis, float)
    a = a / np.linalg.norm(a)
    ref = np.array([0.0, 1.0, 0.0]) if abs(a[1]) < 0.9 else np.array([1.0, 0.0, 0.0])
    b = np.cross(a, ref)
    b /= np.linalg.norm(b)
    return a, b, np.cross(a, b)


def _bezier(points, n):
    p = np.asarray(points, float)
    t = np.linspace(0, 1, n)[:, None]
    return ((1 - t) ** 3 * p[0] + 3 * (1 - t) ** 2 * t * p[1] + 3 * (1 - t) * t**2 * p[2] + t**3 * p[3])


def _skull_point(direction):
    d = np.asarray(direction, float)
    return d / np.linalg.norm(d / INNER)


# ---------------------------------------------------------------- the styles

_SHORT_ENDS = ((0, -0.6), (62, -0.6), (68, -0.04), (78, 0.0), (86, 0.13), (106, 0.12), (125, -0.16),
               (150, -0.3), (180, -0.33))
_TIED_ENDS = ((0, -0.6), (62, -0.6), (68, 0.02), (78, 0.06), (86, 0.13), (106, 0.12), (125, -0.12),
              (150, -0.24), (180, -0.27))


def _long_ends(length: float):
    return ((0, -0.6), (62, -0.6), (68, -0.02), (80, 0.02), (92, 0.13), (108, 0.12), (122, length + 0.08),
            (150, length), (180, length - 0.03))


def _quiff_thickness(p, s, psi):
    front = np.exp(-((np.angle(np.exp(1j * psi))) / 0.75) ** 2)
    lift = _smooth(0.25, 0.85, s)
    return 0.035 + 0.04 * front + 0.13 * front * lift


def _side_part_thickness(p, s, psi):
    heavy = 0.5 + 0.5 * np.cos(psi + 1.2)  # fuller on the side away from the parting
    part = np.exp(-((np.angle(np.exp(1j * (psi - 0.42)))) / 0.05) ** 2) * _smooth(0.1, 0.3, s)
    return 0.055 + 0.04 * heavy - 0.035 * part


def _afro_shape(p):
    centre, axes = np.array([0.0, 0.1, -0.06]), np.array([0.6, 0.62, 0.6])
    d = p - centre
    out = centre + d / np.linalg.norm(d / axes, axis=-1, keepdims=True)
    # Never thinner than a short cut, never thicker than the afro's volume allows.
    return p + (out - p) * np.clip(np.linalg.norm(out - p, axis=-1, keepdims=True), 0.05, 0.3) \
        / np.maximum(np.linalg.norm(out - p, axis=-1, keepdims=True), 1e-9)


def _curtain_thickness(base, body):
    def thickness(p, s, psi):
        hang = _smooth(0.0, -0.3, p[..., 1])
        return base + body * hang * (0.6 + 0.4 * _smooth(0.3, 1.0, s))
    return thickness


def _parts_from(pieces, name="hair"):
    """Concatenate (vertices, faces, shade) pieces into one geometry tuple per piece."""
    return [(np.asarray(v, np.float32), np.asarray(f, np.int32), np.asarray(sh, np.float32)) for v, f, sh in pieces]


def _shell_piece(shell: _Shell):
    return shell.v, shell.f, shell.shade


def _style_geometry(style: str, seed: int):
    salt = STYLES.index(style)
    rng = np.random.default_rng([seed, salt, 7])
    kw = dict(seed=seed, salt=salt)
    if style == "buzz":
        return [_shell_piece(_Shell(ends=_SHORT_ENDS, thickness=0.03, strands=56, depth=0.005, tips=0.0,
                                    rim=0.6, taper=0.05, rows=30, **kw))]
    if style == "side-part":
        return [_shell_piece(_Shell(ends=_SHORT_ENDS, thickness=_side_part_thickness, strands=18, depth=0.022,
                                    swirl=0.9, tips=0.06, **kw))]
    if style == "quiff":
        return [_shell_piece(_Shell(ends=_SHORT_ENDS, thickness=_quiff_thickness, strands=20, depth=0.02,
                                    swirl=0.0, tips=0.04, taper=0.06, rim=0.45, **kw))]
    if style == "curly-short":
        return [_shell_piece(_Shell(ends=_SHORT_ENDS, thickness=0.075, strands=0, curls=0.05, depth=0.03,
                                    tips=0.0, rows=44, cols=120, **kw))]
    if style == "afro":
        ends = ((0, -0.6), (62, -0.6), (68, -0.05), (80, 0.0), (88, 0.13), (106, 0.12), (125, -0.2),
                (150, -0.32), (180, -0.34))
        return [_shell_piece(_Shell(ends=ends, shape=_afro_shape, strands=0, curls=0.075, depth=0.04,
                                    taper=0.2, rim=0.25, rows=44, cols=120, **kw))]
    if style in ("bob", "shoulder", "long"):
        length = {"bob": -0.52, "shoulder": -0.88, "long": -1.4}[style]
        body = {"bob": 0.07, "shoulder": 0.05, "long": 0.045}[style]
        return [_shell_piece(_Shell(curtain=True, ends=_long_ends(length), thickness=_curtain_thickness(0.055, body),
                                    strands=22, depth=0.022, swirl=0.4, tips=0.035, rows=44, cols=112, **kw))]
    if style == "ponytail":
        tie_dir = np.array([0.0, 0.8, -0.6])
        shell = _Shell(pole=tie_dir, ends=_TIED_ENDS, thickness=0.045, strands=26, depth=0.014, tips=0.03,
                       rows=34, cols=104, **kw)
        tie = _skull_point(tie_dir) + _ellipsoid_normal(_skull_point(tie_dir)) * 0.045
        n0 = _ellipsoid_normal(tie)
        sway = rng.uniform(0.08, 0.14)
        centre = _bezier([tie - n0 * 0.03, tie + n0 * 0.2 + [0, 0.06, 0], [sway * 0.5, 0.0, -0.74],
                          [sway, -0.62, -0.6]], 40)
        u = np.linspace(0, 1, 40)
        radius = 0.075 + 0.045 * np.sin(np.pi * np.clip(u * 1.5, 0, 1)) ** 0.6
        radius = np.maximum(radius * (1 - 0.75 * u**3), 0.02)
        radius[:4] = 0.055
        tail = _tube(centre, radius, sides=16, lobes=8, twist=1.5, lobe_depth=0.16)
        band_v, band_f = _torus(centre[3], centre[4] - centre[2], 0.06, 0.02)
        band = (band_v, band_f, np.full(len(band_v), 0.45))
        return [_shell_piece(shell), tail, band]
    if style == "bun":
        bun_dir = np.array([0.0, 0.75, -0.66])
        shell = _Shell(pole=bun_dir, ends=_TIED_ENDS, thickness=0.045, strands=26, depth=0.014, tips=0.03,
                       rows=34, cols=104, **kw)
        base = _skull_point(bun_dir)
        n0 = _ellipsoid_normal(base)
        a, b, c = _frame_any(n0)
        v, f = uv_sphere(18, 36)
        # Spherical coordinates around the bun's own axis give its coiled grooves.
        polar = np.arccos(np.clip(v[:, 1], -1, 1))
        az = np.arctan2(v[:, 0], v[:, 2])
        coil = np.sin(np.pi * np.mod(3 * az / (2 * np.pi) + 2.2 * polar / np.pi, 1.0)) ** 0.6
        r = 1 - 0.1 * (1 - coil)
        local = v * r[:, None] * np.array([0.16, 0.12, 0.16])
        bun_v = base + n0 * 0.12 + local[:, 0:1] * b + local[:, 1:2] * a + local[:, 2:3] * c
        bun = (bun_v, _orient_outward(bun_v - bun_v.mean(0), f), 0.72 + 0.28 * coil)
        return [_shell_piece(shell), bun]
    if style == "locs":
        shell = _Shell(ends=_SHORT_ENDS, thickness=0.06, strands=24, depth=0.03, swirl=0.2, tips=0.08,
                       rows=20, cols=96, **kw)
        pieces = [_shell_piece(shell)]
        count = 20
        for i, psi in enumerate(np.radians(np.linspace(122, 238, count))):
            length = -0.7 - 0.15 * rng.random() - 0.1 * np.cos(np.radians(180) - psi) ** 2
            r0 = 0.032 + 0.006 * rng.random()
            path = _curtain_paths(np.array([psi]), k=400, extra=0.05 + r0, depth=0.44 + r0)[:, 0]
            keep = (path[:, 1] < 0.3 + 0.08 * rng.random()) & (path[:, 1] > length)
            centre = path[keep][:: max(1, keep.sum() // 18)]
            u = np.linspace(0, 1, len(centre))
            seg = np.abs(np.sin(np.pi * u * len(centre) / 3.2 + rng.random() * 3))
            radius = r0 * (0.86 + 0.2 * seg**0.5) * (1 - 0.35 * u**4)
            v, f, _ = _tube(centre, radius, sides=8)
            pieces.append((v, f, np.concatenate([[0.8], np.repeat(0.7 + 0.3 * seg**0.5, 8), [0.8]])))
        return pieces
    if style == "bald":
        ends = ((0, 9.0), (80, 9.0), (86, 0.05), (100, 0.05), (115, -0.24), (180, -0.3))
        tops = ((0, 0.0), (80, 0.0), (86, 0.19), (130, 0.16), (180, 0.1))
        return [_shell_piece(_Shell(pole=(0, -0.08, -1.0), ends=ends, top=tops, thickness=0.035, strands=0,
                                    curls=0.022, depth=0.008, tips=0.0, rim=0.5, taper=0.15, rows=26, cols=104,
                                    **kw))]
    raise ValueError(f"unknown hair style {style!r}; choose one of {', '.join(STYLES)}")


@lru_cache(maxsize=64)
def _geometry(style: str, seed: int):
    return tuple(_parts_from(_style_geometry(style, seed)))


def _check_style(style: str) -> None:
    if style not in STYLES:
        raise ValueError(f"unknown hair style {style!r}; choose one of {', '.join(STYLES)}")


def build_hair(style: str, color: tuple[float, float, float], *, seed: int = 0) -> list[Part]:
    """The sculpted hair of one style, painted.

    Args:
        style: one of STYLES.
        color: the hair's paint, sRGB in [0, 1]; grooves between locks get a darker shade of it.
        seed: varies small details (lock wobble, curl placement, loc lengths); the same seed gives the same hair.

    Returns:
        Closed parts in head space with material "hair".
    """
    _check_style(style)
    paint = np.clip(np.asarray(color, np.float32), 0, 1)
    parts = []
    for i, (v, f, shade) in enumerate(_geometry(style, int(seed))):
        parts.append(Part("hair" if i == 0 else f"hair-{i}", v.copy(), f.copy(), shade[:, None] * paint,
                          "hair", meta={"style": style}))
    return parts


def fit_hair(parts: list[Part], skull: tuple[float, float, float]) -> list[Part]:
    """Hair made for the standard skull (SKULL), stretched onto a head whose skull has these semi-axes."""
    scale = np.diag([skull[0] / SKULL[0], skull[1] / SKULL[1], skull[2] / SKULL[2]])
    return [p.transformed(scale) for p in parts]


# ---------------------------------------------------------------- the front view, and picking a style

def _cell_centres():
    rows, cols = GRID
    x = -1.2 + (np.arange(cols) + 0.5) * 2.4 / cols
    y = 1.0 - (np.arange(rows) + 0.5) * 3.0 / rows
    return np.meshgrid(x, y)


def _head_depth() -> np.ndarray:
    """The z of the head's (skull and neck) front surface per grid cell; -inf where the head is not."""
    x, y = _cell_centres()
    q = 1 - (x / SKULL[0]) ** 2 - (y / SKULL[1]) ** 2
    skull = np.where(q > 0, SKULL[2] * np.sqrt(np.maximum(q, 0)) + 0.06 * (q > 0), -np.inf)
    neck = np.where((np.abs(x) < 0.17) & (y < -0.35), -0.05 + np.sqrt(np.maximum(0.17**2 - x**2, 0)), -np.inf)
    return np.maximum(skull, neck)


def _rasterize_depth(v: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Nearest z per grid cell of triangles seen from the front (orthographic along -z)."""
    rows, cols = GRID
    cx = (v[:, 0] + 1.2) * cols / 2.4 - 0.5
    cy = (1.0 - v[:, 1]) * rows / 3.0 - 0.5
    tri = np.stack([cx[f], cy[f], v[f, 2]], -1)  # (m, 3 corners, 3)
    lo = np.floor(tri[:, :, :2].min(1)).astype(int) + 1
    hi = np.floor(tri[:, :, :2].max(1)).astype(int)
    zbuf = np.full(GRID, -np.inf)
    win = 6
    big = np.any(hi - lo >= win, axis=1)
    groups = [(np.nonzero(~big)[0], win)] + [(np.array([i]), int(max(hi[i] - lo[i]) + 1)) for i in np.nonzero(big)[0]]
    for idx, w in groups:
        if len(idx) == 0:
            continue
        t = tri[idx]
        ox, oy = np.meshgrid(np.arange(w), np.arange(w))
        px = lo[idx, 0][:, None] + ox.ravel()[None]
        py = lo[idx, 1][:, None] + oy.ravel()[None]
        (x0, y0, z0), (x1, y1, z1), (x2, y2, z2) = [t[:, k, :].T[:, :, None] for k in range(3)]
        den = (y1 - y2) * (x0 - x2) + (x2 - x1) * (y0 - y2)
        ok = np.abs(den) > 1e-12
        den = np.where(ok, den, 1.0)
        a = ((y1 - y2) * (px - x2) + (x2 - x1) * (py - y2)) / den
        b = ((y2 - y0) * (px - x2) + (x0 - x2) * (py - y2)) / den
        c = 1 - a - b
        hit = ok & (a >= -1e-6) & (b >= -1e-6) & (c >= -1e-6) & (px >= 0) & (px < cols) & (py >= 0) & (py < rows)
        z = a * z0 + b * z1 + c * z2
        np.maximum.at(zbuf, (py[hit], px[hit]), z[hit])
    return zbuf


def render_outline(style: str) -> np.ndarray:
    """Rasterise a style's front outline (what assets/hair_outlines.npz holds, made by tools/vendor_hair.py)."""
    zbuf = np.full(GRID, -np.inf)
    for v, f, _ in _geometry(style, 0):
        zbuf = np.maximum(zbuf, _rasterize_depth(v.astype(float), f))
    return (zbuf > _head_depth()).astype(np.float32)


_OUTLINES = Path(__file__).parent / "assets" / "hair_outlines.npz"


@lru_cache(maxsize=1)
def _stored_outlines() -> dict[str, np.ndarray]:
    """The outlines, rasterised once ahead of time: building all twelve shapes costs seconds."""
    with np.load(_OUTLINES) as data:
        return {s: np.unpackbits(data[s])[: GRID[0] * GRID[1]].reshape(GRID).astype(np.float32) for s in STYLES}


def _outline(style: str) -> np.ndarray:
    out = _stored_outlines()[style]
    out.setflags(write=False)
    return out


def outline(style: str) -> np.ndarray:
    """Where this style's hair shows in the front view, not counting the head itself.

    Returns:
        (160, 128) float32 in [0, 1] on GRID (row 0 at y = 1.0, column 0 at x = -1.2).
    """
    _check_style(style)
    return _outline(style).copy()


def _blur(a: np.ndarray, r: int = 2) -> np.ndarray:
    """Box blur, so a mask that is off by a cell or two still overlaps its style."""
    k = np.ones(2 * r + 1) / (2 * r + 1)
    a = np.apply_along_axis(lambda c: np.convolve(c, k, mode="same"), 0, a)
    return np.apply_along_axis(lambda c: np.convolve(c, k, mode="same"), 1, a)


# Tied-up and loc styles need their lump or locks to show clearly; a short cut is the likelier reading of a thin,
# noisy hair mask.
PRIOR = np.array([1.0 if s not in ("ponytail", "bun", "locs") else 0.97 for s in STYLES])


@lru_cache(maxsize=None)
def _blurred_outlines():
    return np.stack([_blur(_outline(s)) for s in STYLES])


def choose_style(mask: np.ndarray, *, head: np.ndarray | None = None, allowed: tuple[str, ...] = STYLES) -> tuple[str, float]:
    """The style whose front-view outline best matches the person's hair.

    Args:
        mask: (160, 128) hair coverage in [0, 1] on GRID; NaN marks cells outside the photo (ignored).
        head: optional (160, 128) coverage of the person's head (face and skin); its cells are not hair and
            count as known-empty.
        allowed: the styles to choose from (all by default).

    Returns:
        (style, confidence in [0, 1]).
    """
    m = np.asarray(mask, float)
    if m.shape != GRID:
        raise ValueError(f"hair mask must be {GRID[0]}x{GRID[1]} (GRID), got {m.shape[0]}x{m.shape[1]}"
                         if m.ndim == 2 else f"hair mask must be 2-D {GRID}, got shape {m.shape}")
    valid = ~np.isnan(m)
    m = np.where(valid, np.clip(m, 0, 1), 0.0)
    if head is not None:
        m = m * (1 - np.clip(np.nan_to_num(np.asarray(head, float)), 0, 1))
    shapes = _blurred_outlines() * valid
    # A majority vote over each cell's neighbours drops speckle from the segmenter before matching.
    seen = (_blur(m, 1) >= 0.5) * valid
    if seen.sum() < 4.0:  # nothing worth calling hair: a shaved or bald head
        return "bald", 0.5
    inter = np.minimum(shapes, seen).sum((1, 2))
    union = np.maximum(shapes, seen).sum((1, 2))
    score = inter / np.maximum(union, 1e-9) * PRIOR * np.isin(STYLES, allowed)
    order = np.argsort(score)[::-1]
    best, second = score[order[0]], score[order[1]]
    confidence = float(np.clip(best * (0.5 + 0.5 * min(1.0, (best - second) / 0.15)), 0, 1))
    return STYLES[int(order[0])], confidence
