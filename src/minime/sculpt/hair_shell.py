"""Hair shells: the moulded vinyl hair of a 1:12 action figure, as a solid shell that hugs the skull.

A shell's inner surface sits on the skull ellipsoid scaled 1.02; strands, locks or curls are carved into
its outer surface, so the relief reads under the key light the way a toy's moulded hair does; its edge
is a rounded lip. The hair styles (hair_styles.py) are made of shells and of extra closed pieces.

Head space: origin at the skull's centre, y up, face toward +z, x to the viewer's right, 1 unit = head height.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import convolve1d

from .mesh import outward, rings_mesh
from .pose import nearest

SKULL = np.array([0.36, 0.50, 0.44])
INNER = SKULL * 1.02  # the shell's inner surface: just outside the skull so none of it pokes through
EARS = ((0.37, -0.02, -0.02),)
_FACE_MARGIN = 0.045
SINK = 0.991  # a feathered hairline's inner surface, on the skull scaled this much: its thin edge is under the skin
FEATHER_DROP = 0.03  # head heights a feathered shell starts below a photo's hairline: its thin strokes straddle it
# The forehead lies inside the skull's ellipsoid, the more so the lower (the face is flatter than the skull): over
# its middle about 0.86 of the way out at y = 0.25, all the way out from y = 0.42. A feathered edge taken back to a
# photo's hairline sinks under it, so it does not stand off the forehead as a ledge.
FOREHEAD = (0.42, 0.25, 0.86)

# ---------------------------------------------------------------- regions of the head the hair must leave alone

def in_face(p: np.ndarray, margin: float = 0.0, hairline=None) -> np.ndarray:
    """True where points lie in the face region (front of the head, below the hairline); a photo's `hairline`
    (see `photo_hairline`) takes the face up to it where it is higher."""
    x, y, z = p[..., 0], p[..., 1], p[..., 2]
    line = _face_top(x)
    if hairline is not None:
        line = np.maximum(line, hairline(x))
    return (z > 0.15 - margin) & (y < line + margin) & (y > -0.5 - margin)


def _face_top(x):
    """The face region's own top edge (head space y) at x."""
    return 0.2 + 0.12 * (x / 0.36) ** 2


def photo_hairline(heights, at):
    """The face region's top edge (x -> y) from a photo's hairline: `heights` (head space y, None where unknown)
    at x = `at`; a shell's hair starts a face margin above the face region, so the edge is that much lower.
    Beyond the known heights it is the style's own."""
    known = [(a, h) for a, h in zip(at, heights) if h is not None]
    xs, hs = (np.array(v, float) for v in zip(*known))

    def line(x):
        return np.interp(x, xs, hs - _FACE_MARGIN, left=-np.inf, right=-np.inf)
    return line


def _sink(p: np.ndarray, hairline) -> np.ndarray:
    """How far out, as a share of the skull, a feathered edge at `p` sinks: SINK, deeper over the forehead
    (FOREHEAD) where a photo's `hairline` has taken the edge back."""
    top, low, depth = FOREHEAD
    x = p[..., 0]
    front = smoothstep(0.1, 0.3, p[..., 2] / INNER[2]) * smoothstep(0.75, 0.4, np.abs(x) / INNER[0])
    taken = smoothstep(0.0, 0.03, np.nan_to_num(hairline(x) - _face_top(x), neginf=-1.0))
    return SINK - (SINK - depth + 0.01) * smoothstep(top, low, p[..., 1]) * front * taken


def _lowered(line, by: float):
    return lambda x: line(x) - by


def _in_ear(p: np.ndarray) -> np.ndarray:
    x, y, z = p[..., 0], p[..., 1], p[..., 2]
    return (np.abs(x) > 0.25) & (np.abs(y + 0.02) < 0.15) & (np.abs(z + 0.02) < 0.13)


def _azimuth(p: np.ndarray) -> np.ndarray:
    """Degrees around the y axis from the front (0) to the back (180), the same on both sides."""
    return np.degrees(np.abs(np.arctan2(p[..., 0], p[..., 2])))


def smoothstep(e0: float, e1: float, x):
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
    w = smoothstep(-0.28, -0.72, y)
    target = np.minimum(z, -depth + 0.04 * np.cos(psi))
    return x * (1 + 0.12 * w), y, z + w * (target - z)


def curtain_paths(psi: np.ndarray, k: int = 300, extra: float = 0.0, depth: float = 0.42) -> np.ndarray:
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
    eased = convolve1d(length, kernel, mode="wrap")
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


def ellipsoid_normal(p):
    n = p / INNER**2
    return n / np.linalg.norm(n)




def _strands(s, psi, count, swirl, rng, power=0.6, snake=0.0):
    """0 in the grooves between moulded locks, 1 on their crests; locks run from the pole outward, swinging
    `snake` of a lock's width to the side (wavy hair). The locks are of uneven width (LOCK_SPREAD) and their
    grooves of uneven depth, as a sculptor cuts them, so the relief never repeats like a comb's teeth."""
    wobble = rng.uniform(-0.25, 0.25, count)
    width = rng.uniform(1 - LOCK_SPREAD, 1 + LOCK_SPREAD, count)
    deep = rng.uniform(0.45, 1.0, count)
    edges = np.concatenate([[0.0], np.cumsum(width)]) * count / width.sum()
    at = np.mod(count * psi / (2 * np.pi) + swirl * s**1.5 + snake, count)
    phase = np.interp(at, edges, np.arange(count + 1.0))
    lock = np.floor(phase).astype(int) % count
    phase = phase + wobble[lock] * s
    return 1 - deep[lock] * (1 - np.sin(np.pi * np.mod(phase, 1.0)) ** power)


def _curls(points: np.ndarray, radius: float, rng: np.random.Generator) -> np.ndarray:
    """Voronoi domes: each curl a rounded bump, grooves where neighbouring curls meet."""
    order = rng.permutation(len(points))
    centres: list[np.ndarray] = []
    for i in order:  # dart throwing on the shell's own points keeps curls evenly spaced
        p = points[i]
        if centres and np.min(np.linalg.norm(np.asarray(centres) - p, axis=1)) < radius * 1.6:
            continue
        centres.append(p)
    d, _ = nearest(np.asarray(centres), points, k=2)
    edge = smoothstep(0.0, 0.55 * radius, d[:, 1] - d[:, 0])
    dome = np.sqrt(np.clip(1 - (d[:, 0] / (1.4 * radius)) ** 2, 0, 1))
    return edge * (0.55 + 0.45 * dome)


def stroke_grain(shape: tuple[int, int], rng: np.random.Generator, run: int = 2) -> np.ndarray:
    """0 to 1 over a (rows, cols) grid: short strokes `run` rows long, the grain of close-cropped hair (and of
    the paint on longer hair's locks).

    White noise smoothed along the hair's length (rows), ranked so that its values are spread evenly: a fixed
    share of the shell lands on the strokes' crests whatever the grid's size."""
    noise = convolve1d(rng.random(shape), np.hanning(2 * run + 3)[1:-1], axis=0, mode="nearest")
    rank = np.empty(noise.size)
    rank[np.argsort(noise, axis=None)] = np.linspace(0.0, 1.0, noise.size)
    return rank.reshape(shape)


LOCK_SPREAD = 0.6  # a lock is this share narrower or wider than the average, at random
UP = np.array([0.0, 0.86, 0.5])  # where a painter's highlight goes: the hair's top and front, where the light falls


def moulded_paint(ridge: np.ndarray, normal: np.ndarray, grain: np.ndarray) -> np.ndarray:
    """The shade (0-1) of moulded hair's paint per point of its relief, as a painter does a toy's hair: darker
    down in the grooves the deeper they are (`ridge`: 0 at the bottom of the deepest groove, 1 on a crest), a
    dry-brushed highlight on the crests that face up toward the light (`normal`: the hair's form, not its
    locks), broken into fine strokes along the hair (`grain`, 0-1, e.g. `stroke_grain`). No stripe repeats
    from lock to lock unless the carving does."""
    groove = 1 - ridge
    top = smoothstep(-0.15, 0.95, normal @ (UP / np.linalg.norm(UP)))
    crest = (1 - groove) ** 3
    shade = 0.94 - 0.28 * groove**1.5 + 0.12 * top * crest * (0.4 + 0.6 * grain) + 0.04 * (grain - 0.5)
    return np.minimum(shade, 1.0)


WAVE_LENGTH = 0.35  # head heights from one wave's crest to the next down wavy hair
PART_WIDTH = 0.07  # radians either side of a parting that its groove takes: it is cut down to the scalp


class Shell:
    """A closed shell: its outer surface, a rounded lip at the hairline, its inner surface on the skull.

    Wavy hair (`waves`: the crests' height) swells and sinks down its length, its locks swinging side to side
    with it; a parting (`part`: its azimuth, 0 at the front, > 0 toward +x) is a groove from near the crown to the
    hairline.

    Close-cropped hair (`stubble`) has no locks: short strokes all over, their crests catching the photo's
    lighter strands; a `feather`ed edge thins smoothly to `floor` thick at the hairline and sinks onto the
    skull there, so the hair meets the skin in a thin edge, not a step. `inner_rings` rings carry the inner
    surface. A photo's `hairline` (`photo_hairline`) takes the front edge back to it where it is higher.

    Locks and curls are painted as a toy's moulded hair is (`moulded_paint`): dark down in the grooves, a
    highlight in strokes on the crests that face up."""

    def __init__(self, *, pole=(0, 1, 0), curtain=False, ends=(), top=9.0, rows=38, cols=112,
                 thickness=0.07, strands=18, depth=0.02, swirl=0.0, tips=0.05, rim=0.35, taper=0.08,
                 curls=0.0, shape=None, waves=0.0, part=None, stubble=False, feather=False, floor=0.012,
                 inner_rings=8, hairline=None, seed=0, salt=0):
        rng = np.random.default_rng([seed, salt])
        if feather and hairline is not None:
            hairline = _lowered(hairline, FEATHER_DROP)
        psi = np.linspace(0, 2 * np.pi, cols, endpoint=False)
        paths = curtain_paths(psi) if curtain else _pole_paths(pole, psi)
        y = paths[..., 1]
        inside = ~in_face(paths, _FACE_MARGIN, hairline) & ~_in_ear(paths)
        inside &= y < (_ends(paths, top) if np.ndim(top) else top)
        if ends:
            inside &= y > _ends(paths, ends)
        rim_lock = _strands(np.ones(cols), psi, max(strands, 1), swirl, np.random.default_rng([seed, salt]))
        shorten = 1 - tips * (1 - rim_lock) * (1.0 if strands else 0.0)
        inner = _resample(paths, inside, shorten, rows)
        pole_point = paths[0, 0]
        s = (np.arange(1, rows + 1) / rows)[:, None] * np.ones((1, cols))
        psi2 = np.broadcast_to(psi, s.shape)
        edge = np.clip((1 - s) / taper, 0, 1)  # 0 at the hairline, 1 a taper's share of the way up
        if feather:
            # Thin toward the face's edge wherever it runs (the temples, the sideburns' fronts), not only toward
            # the end of each path; the hairline sinks from just outside the skull onto it, below the skin.
            clear = np.mean([~in_face(inner, m, hairline) for m in np.linspace(0.05, 0.13, 9)], axis=0)
            edge = smoothstep(0.0, 1.0, np.minimum(edge, clear))
            sink = SINK if hairline is None else _sink(inner, hairline)
            inner = inner * (1 - (1 - sink * SKULL[0] / INNER[0]) * (1 - edge))[..., None]

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
        wave = np.zeros_like(s)
        if waves:  # from the temples down, crests a wave length apart along the hair, a little skewed round the head
            along = np.concatenate([np.zeros((1, cols)), np.cumsum(np.linalg.norm(np.diff(inner, axis=0), axis=-1), 0)])
            wave = np.sin(2 * np.pi * along / WAVE_LENGTH + 0.4 * np.cos(psi2)) * smoothstep(0.25, 0.0, inner[..., 1])
            relief += waves * wave
        if strands:
            # Averaged over each column's width: a sharp groove that swirls across the columns would otherwise
            # be caught at full depth on one row and missed on the next, pitting the locks with dimples.
            ridge = np.mean([_strands(s, psi2 + d * np.pi / cols, strands, swirl, np.random.default_rng([seed, salt]),
                                      snake=0.5 * wave) for d in (-2 / 3, 0.0, 2 / 3)], axis=0)
            carved = smoothstep(0.02, 0.25, s)  # how much of the locks' depth shows: none at the pole
            relief += depth * carved * (ridge - 1)
            ridge = 1 - (1 - ridge) * carved
        if curls:
            ridge = _curls((inner + normal * base[..., None]).reshape(-1, 3), curls, rng).reshape(s.shape)
            relief += depth * (ridge - 1)
        if stubble:
            ridge = stroke_grain(s.shape, rng)
            relief += depth * (ridge - 1) * smoothstep(0.0, 0.1, s)
        if part is not None:
            groove = np.exp(-(np.angle(np.exp(1j * (psi2 - part))) / PART_WIDTH) ** 2) * smoothstep(0.08, 0.25, s)
            relief -= groove * base
            ridge = ridge * (1 - 0.6 * groove)
        # A quarter-round towards the hairline so the edge reads as a moulded lip, not a blade (a feathered
        # edge thins smoothly to nothing instead).
        round_ = rim + (1 - rim) * (edge if feather else np.sqrt(1 - (1 - edge) ** 2))
        t = np.maximum(base * round_ + relief * (0.4 + 0.6 * edge), floor)

        outer = inner + normal * t[..., None]
        # Whatever the offset pushed over the hairline goes back onto the inner surface.
        bad = in_face(outer, 0.01, hairline)
        t = np.where(bad, 0.0, t)
        outer = inner + normal * t[..., None] + normal * 0.004 * bad[..., None]

        pole_n = ellipsoid_normal(pole_point) if not curtain else np.array([0.0, 1.0, 0.0])
        pole_t = base[0].mean() if np.ndim(base) else base
        top_point = pole_point + pole_n * pole_t
        along = inner[-1] - inner[-2]
        along /= np.maximum(np.linalg.norm(along, axis=-1, keepdims=True), 1e-9)
        t_rim = t[-1][:, None]
        lip = inner[-1] + normal[-1] * t_rim * 0.5 + along * t_rim * 0.3
        lip = np.where(in_face(lip, 0.01, hairline)[:, None], inner[-1] + normal[-1] * t_rim * 0.5, lip)

        n_in = inner_rings
        pick = np.linspace(rows - 1, 0, n_in + 1).round().astype(int)[:-1]
        rings = [outer[r] for r in range(rows)] + [lip] + [inner[r] for r in pick]
        bottom = pole_point
        self.v, self.f = rings_mesh(top_point, rings, bottom)
        self.f = outward(self.v, self.f)

        if stubble:  # the strokes' crests are the light grain the feathered hairline paints stroke by stroke
            shade_out = 0.74 + 0.26 * ridge
        else:
            # The highlight follows the waves' swell (exaggerated, so they read at a figure's size); their troughs
            # are shaded.
            form = _grid_normals(inner + normal * (3 * waves * wave)[..., None], pole_point) if waves else normal
            shade_out = moulded_paint(ridge, form, stroke_grain(s.shape, rng, run=8))
            shade_out = np.minimum(shade_out * (0.95 + 0.07 * wave), 1.0)
        self.shade = np.concatenate([[1.0], shade_out.ravel(), np.full(cols, 0.8),
                                     np.full(n_in * cols, 0.55), [0.55]])
        self.inner, self.outer, self.normal, self.t, self.s, self.psi = inner, outer, normal, t, s, psi



    def piece(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(vertices, faces, shade): the shell as one piece of a style."""
        return self.v, self.f, self.shade


def bezier(points, n):
    p = np.asarray(points, float)
    t = np.linspace(0, 1, n)[:, None]
    return ((1 - t) ** 3 * p[0] + 3 * (1 - t) ** 2 * t * p[1] + 3 * (1 - t) * t**2 * p[2] + t**3 * p[3])


def skull_point(direction):
    d = np.asarray(direction, float)
    return d / np.linalg.norm(d / INNER)
