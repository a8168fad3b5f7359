"""Accessories the figure wears or carries: glasses or a superhero's eye mask on the eyes, a face mask over
the nose and mouth, a hat on the hair, headphones over the ears, a scarf or a medal at the neck, a cape or a
backpack on the back, a watch on the wrist; a held piece at its real size; and, when the hands are busy (arms
crossed) or the piece is too long for a hand (a guitar), the piece standing on the base beside the feet, so
none is ever dropped.

Head-worn pieces are built in head space (see head.py: the skull's centre at the origin, y up, the face
toward +z, one unit the head's height) and move with the head; body-worn ones in figure space.
"""

from __future__ import annotations

import numpy as np

from .mesh import Part, outward, rings_mesh, torus, tube

# How each worn piece is worn: on the eyes, over the mouth, on the head, the ears, the neck, the back or the wrist.
WORN: dict[str, str] = {
    "glasses": "eyes", "sunglasses": "eyes", "goggles": "eyes", "eye-mask": "eyes", "face-mask": "mouth",
    "top-hat": "head", "billed-cap": "head", "cowboy-hat": "head", "crown": "head", "hard-hat": "head",
    "military-helmet": "head", "rescue-worker-s-helmet": "head", "graduation-cap": "head", "womans-hat": "head",
    "headphones": "ears", "headphone": "ears", "headset": "ears",
    "scarf": "neck", "medal": "neck", "sports-medal": "neck", "military-medal": "neck", "1st-place-medal": "neck",
    "2nd-place-medal": "neck", "3rd-place-medal": "neck",
    "cape": "back", "backpack": "back",
    "watch": "wrist",
}

# Emoji groups of things no hand holds (buildings, places, big vehicles, the sky): they stay in their well.
_TOO_BIG_GROUPS = {"place-building", "place-religious", "place-other", "place-geographic", "transport-ground",
                   "transport-air", "transport-water", "sky-weather", "household", "hotel"}
_HOLDABLE = {"umbrella", "closed-umbrella", "umbrella-with-rain-drops", "anchor", "skateboard", "roller-skate",
             "kick-scooter", "luggage", "broom", "basket", "shopping-cart", "teddy-bear", "key", "candle", "bicycle"}
_TOO_BIG = {"house", "bed", "car", "rocket", "drone"}

# A held piece's longer side, in head heights of the action figure (about 7.5 heads tall, the legs about 3.7 of
# them): the real object's size next to a person.
HELD_SIZE: dict[str, float] = {
    "guitar": 3.6, "violin": 2.4, "banjo": 3.4, "saxophone": 2.8, "trumpet": 2.0, "microphone": 1.0,
    "smartphone": 0.62, "mobile-phone": 0.62, "camera": 0.8, "laptop": 1.4, "book": 1.0, "coffee-cup": 0.5,
    "basketball": 1.0, "soccer-ball": 1.0, "volleyball": 0.95, "rugby-football": 1.2, "american-football": 1.2,
    "baseball": 0.34, "softball": 0.42, "tennis-ball": 0.3, "golf-ball": 0.2, "cricket-ball": 0.32,
    "tennis-racket": 2.9, "baseball-bat": 3.6, "cricket-game": 3.6, "skateboard": 3.4, "surfboard": 7.0,
    "sword": 3.8, "magic-wand": 1.5, "umbrella": 3.6, "closed-umbrella": 3.6, "fishing-rod": 6.0,
    "trophy": 1.4, "dog": 2.0, "cat": 1.7, "wrench": 1.2, "hammer": 1.4, "passport": 0.56, "pizza": 1.2,
    "bicycle": 7.0, "flashlight": 1.0, "paintbrush": 1.0, "pencil": 0.8, "calculator": 0.7, "game-controller": 0.6,
    "teddy-bear": 1.6, "luggage": 3.0, "skull": 1.0, "shield": 3.0,
}
_DEFAULT_HELD = 0.9


def how_carried(key: str) -> str:
    """"eyes", "mouth", "head", "ears", "neck", "back" or "wrist" for a piece the figure wears; "held" for one
    a hand holds; "well" for one no figure could hold or wear (a house): it stays in its well on the card."""
    from ..accessories import ACCESSORIES, emoji_pieces

    if key in WORN:
        return WORN[key]
    if key in _HOLDABLE:
        return "held"
    if key in _TOO_BIG:
        return "well"
    if key in ACCESSORIES:  # a drawn piece: judged without reading the emoji archive (0.13 s)
        return "held"
    piece = emoji_pieces().get(key)
    return "well" if piece is not None and piece.group in _TOO_BIG_GROUPS else "held"


HAND_MAX = 1.6  # head heights: a longer piece (a guitar, a bat, a surfboard) stands beside the figure instead


def fits_hand(key: str) -> bool:
    """Whether the figure holds this piece up in its hand; a longer one would cover the face, so it stands on
    the base beside the figure, as a boxed figure's big accessory does."""
    return HELD_SIZE.get(key, _DEFAULT_HELD) <= HAND_MAX


def held_size(key: str) -> float:
    """The held piece's longer side in figure units: its real size next to the action body. Other styles keep
    the hands' size (see shape.BodyStyle), so a piece keeps its size in the hand too."""
    from .shape import ACTION

    return HELD_SIZE.get(key, _DEFAULT_HELD) * ACTION.head


# ------------------------------------------------------------------------------------- shapes

def lathe(profile: list[tuple[float, float]], rx: float, rz: float, *, sides: int = 48,
          lift=None) -> tuple[np.ndarray, np.ndarray]:
    """A closed surface of revolution: `profile` (radius factor, y) from the bottom pole round to the top
    pole (both with radius 0), each ring an ellipse with semi-axes (r * rx, r * rz). `lift(theta, r)` adds
    to each ring's height by angle (a crown's points, a cowboy hat's rolled brim)."""
    t = np.linspace(0, 2 * np.pi, sides, endpoint=False)
    rings = []
    for r, y in profile[1:-1]:
        h = y + (lift(t, r) if lift is not None else 0.0)
        rings.append(np.stack([r * rx * np.sin(t), np.broadcast_to(h, t.shape), r * rz * np.cos(t)], 1))
    v, f = rings_mesh(np.array([0.0, profile[-1][1], 0.0]), rings[::-1], np.array([0.0, profile[0][1], 0.0]))
    return v.astype(np.float32), outward(v, f.astype(np.int32))


def _part(name: str, v: np.ndarray, f: np.ndarray, color, material: str = "vinyl") -> Part:
    c = np.broadcast_to(np.asarray(color, np.float32), (len(v), 3)).copy()
    return Part(name, np.asarray(v, np.float32), np.asarray(f, np.int32), c, material)


def _join(name: str, pieces: list[tuple[np.ndarray, np.ndarray, tuple]], material: str = "vinyl") -> Part:
    vs, fs, cs, off = [], [], [], 0
    for v, f, color in pieces:
        vs.append(v)
        fs.append(f + off)
        cs.append(np.broadcast_to(np.asarray(color, np.float32), (len(v), 3)))
        off += len(v)
    return Part(name, np.concatenate(vs).astype(np.float32), np.concatenate(fs).astype(np.int32),
                np.concatenate(cs).astype(np.float32), material)


def _box(centre, half, color) -> tuple[np.ndarray, np.ndarray, tuple]:
    c, h = np.asarray(centre, np.float32), np.asarray(half, np.float32)
    corners = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], np.float32)
    v = c + corners * h
    f = np.array([[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1], [2, 3, 7], [2, 7, 6],
                  [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]], np.int32)
    return v, outward(v, f), color


# ------------------------------------------------------------------------------ head space

_HAIR = 1.16  # a hat's band sits this far out from the skull, over the hair


def _hat(key: str, a: float, c: float, tint) -> list[Part]:
    rx, rz = a * _HAIR, c * _HAIR
    dark, gold = (0.06, 0.06, 0.07), (0.85, 0.66, 0.2)
    band_y = 0.14
    if key == "top-hat":
        hat = lathe([(0, band_y), (1.55, band_y), (1.58, band_y + 0.04), (1.02, band_y + 0.05), (0.98, 0.9),
                     (0, 0.92)], rx, rz)
        band = lathe([(0, band_y + 0.05), (1.035, band_y + 0.05), (1.025, band_y + 0.17), (0, band_y + 0.17)], rx, rz)
        return [_part("hat", *hat, dark), _part("hat-band", *band, tint)]
    if key == "crown":
        points = lambda t, r: 0.16 * np.clip(np.cos(5 * t), 0, 1) ** 3 if r > 0.5 else 0.0  # noqa: E731
        hat = lathe([(0, 0.3), (0.98, 0.3), (1.0, 0.52), (0.9, 0.52), (0, 0.46)], rx, rz, sides=80, lift=points)
        return [_part("crown", *hat, gold, "metal")]
    if key in ("billed-cap", "graduation-cap"):
        dome = lathe([(0, band_y), (1.0, band_y), (0.97, 0.36), (0.8, 0.55), (0.45, 0.66), (0, 0.69)], rx, rz)
        parts = [_part("cap", *dome, tint if key == "billed-cap" else dark)]
        if key == "billed-cap":  # the visor: a flat half-disc out over the brow
            t = np.linspace(-np.pi / 2, np.pi / 2, 24)
            rim = np.stack([0.95 * rx * np.sin(t), np.full_like(t, band_y + 0.01), rz * 0.6 + 0.5 * rz * np.cos(t)], 1)
            v, f = tube(rim, 0.02, loop=True, sides=6)
            lid = lathe([(0, band_y - 0.015), (1.0, band_y - 0.015), (1.0, band_y + 0.015), (0, band_y + 0.015)],
                        0.95 * rx, 0.5 * rz)
            lv = lid[0] + [0.0, 0.0, rz * 0.6]
            parts.append(_join("visor", [(lv, lid[1], tint), (v, f, tint)]))
        else:  # the mortarboard
            parts.append(_join("board", [_box((0, 0.7, 0), (rx * 1.25, 0.02, rx * 1.25), dark)]))
        return parts
    if key == "cowboy-hat":
        roll = lambda t, r: 0.22 * np.abs(np.sin(t)) ** 3 * max(r - 1.0, 0) / 0.9  # noqa: E731
        hat = lathe([(0, band_y), (1.9, band_y + 0.02), (1.92, band_y + 0.06), (1.02, band_y + 0.06), (0.96, 0.62),
                     (0.6, 0.7), (0, 0.64)], rx, rz, lift=roll)
        return [_part("hat", *hat, tint)]
    if key == "womans-hat":
        hat = lathe([(0, band_y), (2.1, band_y - 0.04), (2.12, band_y), (1.0, band_y + 0.04), (0.9, 0.55), (0, 0.62)],
                    rx, rz)
        return [_part("hat", *hat, tint)]
    # hard hats and helmets: a dome with a small brim all round
    dome = lathe([(0, band_y - 0.02), (1.18, band_y - 0.02), (1.2, band_y + 0.02), (1.02, band_y + 0.03), (0.95, 0.4),
                  (0.6, 0.62), (0, 0.68)], rx, rz)
    return [_part("helmet", *dome, tint)]


def _eyewear(key: str, head) -> list[Part]:
    from .head_parts import glasses_frame

    # A head read with glasses on already wears a frame (head.py): then only the lenses are added.
    frame = [] if head.glasses > 0.5 else [glasses_frame(head.landmarks, head.skull[0])]
    if key == "glasses":
        return frame
    from .face_paint import EYES

    lenses = []
    for side in (EYES[:16], EYES[16:]):
        pts = head.landmarks[side]
        cx, cy = pts[:, 0].mean(), pts[:, 1].mean() + 0.005
        hw = (pts[:, 0].max() - pts[:, 0].min()) / 2 + 0.03
        hh = max(0.055, (pts[:, 1].max() - pts[:, 1].min()) / 2 + 0.035)
        z = max(head.landmarks[EYES, 2].max(), head.landmarks[168, 2]) + 0.03
        v, f = lathe([(0, -0.006), (1.0, -0.006), (1.0, 0.006), (0, 0.006)], hw, hh, sides=40)
        v = v[:, [0, 2, 1]] + [cx, cy, z - 0.004]  # lying in the frame's plane
        lenses.append((v, outward(v, f), (0.05, 0.06, 0.08)))
    return [*frame, _join("lenses", lenses, "clear" if key == "goggles" else "vinyl")]


# ------------------------------------------------------------------------------------- masks
#
# A mask is moulded onto the face: its outline is drawn flat, seen from the front (around the eye landmarks,
# or from the nose bridge to the chin), then laid on the face's relief. Its outer surface stands a little
# proud of the skin and rounds down to it at the edges, as a sculpted mask does; the solid goes on into the
# head behind that, so it is a thick shell (1 mm and more at a 100 mm print) that prints as one with the head.

_STEP = 0.004  # head units: the spacing of the face's depth map
_MASK_DEPTH = 0.105  # head units: the shell's thickness, 0.077 figure units at the action figure's head scale
_EYE_MASK = (0.06, 0.06, 0.07)  # an eye mask's black, when the spec gives no colour
_FACE_MASK = (0.66, 0.82, 0.93)  # a surgical mask's pale blue


def _front_depth(part: Part, lo: np.ndarray, hi: np.ndarray, step: float = _STEP) -> np.ndarray:
    """The part's front-most z over a grid of (x, y) from `lo` to `hi` (rows along y): the face as the front
    view sees it. Each triangle is sampled finer than the grid; cells no sample reaches (past the silhouette)
    take their nearest neighbour's depth."""
    from scipy.ndimage import distance_transform_edt

    t = part.vertices[part.faces].astype(np.float64)
    near = np.all(t[..., :2].max(1) >= lo - step, 1) & np.all(t[..., :2].min(1) <= hi + step, 1)
    t = t[near]
    longest = max(float(np.percentile(np.linalg.norm(t - np.roll(t, 1, 1), axis=2), 98)), step)
    k = int(np.ceil(1.5 * longest / step))
    i, j = np.meshgrid(np.arange(k + 1), np.arange(k + 1), indexing="ij")
    keep = i + j <= k
    a, b = i[keep] / k, j[keep] / k
    pts = (a[None, :, None] * t[:, None, 0] + b[None, :, None] * t[:, None, 1]
           + (1 - a - b)[None, :, None] * t[:, None, 2]).reshape(-1, 3)
    shape = (int(round((hi[1] - lo[1]) / step)) + 1, int(round((hi[0] - lo[0]) / step)) + 1)
    col, row = np.rint((pts[:, 0] - lo[0]) / step).astype(int), np.rint((pts[:, 1] - lo[1]) / step).astype(int)
    ok = (col >= 0) & (col < shape[1]) & (row >= 0) & (row < shape[0])
    z = np.full(shape[0] * shape[1], -np.inf)
    np.maximum.at(z, row[ok] * shape[1] + col[ok], pts[ok, 2])
    z = z.reshape(shape)
    empty = ~np.isfinite(z)
    if empty.any():
        z = z[tuple(distance_transform_edt(empty, return_distances=False, return_indices=True))]
    return z


def _sample(grid: np.ndarray, lo: np.ndarray, x: np.ndarray, y: np.ndarray, step: float = _STEP) -> np.ndarray:
    """A grid's values at points (x, y), interpolated bilinearly."""
    from scipy.ndimage import map_coordinates

    return map_coordinates(grid, [(y - lo[1]) / step, (x - lo[0]) / step], order=1, mode="nearest")


def _edge_distance(pts: np.ndarray, loops: list[np.ndarray]) -> np.ndarray:
    """Each 2D point's distance to the nearest edge of the outline and hole loops (to within a micron or so:
    the nearest of points a thousandth of a unit apart along them)."""
    from scipy.spatial import cKDTree

    dense = np.concatenate([_resample(loop, 0.001) for loop in loops])
    return cKDTree(dense).query(pts)[0]


def _resample(loop: np.ndarray, h: float) -> np.ndarray:
    """A closed 2D loop resampled at even steps of about h."""
    closed = np.vstack([loop, loop[:1]])
    s = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(closed, axis=0), axis=1))])
    u = np.linspace(0, s[-1], max(int(round(s[-1] / h)), 8), endpoint=False)
    return np.stack([np.interp(u, s, closed[:, 0]), np.interp(u, s, closed[:, 1])], 1)


def _inside(pts: np.ndarray, loops: list[np.ndarray]) -> np.ndarray:
    """Whether 2D points are inside an outline and outside its holes (even-odd over all the loops)."""
    from .head_parts import inside_polygon

    odd = np.zeros(len(pts), bool)
    for loop in loops:
        odd ^= inside_polygon(pts, loop)
    return odd


def _flat_mesh(section, h: float = 0.006) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """An outline with holes (a manifold3d CrossSection) as evenly sized triangles, about h across, facing +z:
    its rim resampled at h and a triangular lattice inside, joined by a Delaunay triangulation (even
    triangles shade evenly once the sheet is bent onto a face). Also returns the rim's loops."""
    from scipy.spatial import Delaunay

    loops = [_resample(np.asarray(p, np.float64), h) for p in section.to_polygons()]
    rim = np.concatenate(loops)
    lo, hi = rim.min(0), rim.max(0)
    gx, gy = np.meshgrid(np.arange(lo[0], hi[0] + h, h), np.arange(lo[1], hi[1] + h, h * np.sqrt(3) / 2))
    gx[1::2] += h / 2
    grid = np.stack([gx.ravel(), gy.ravel()], 1)
    grid = grid[_inside(grid, loops)]
    grid = grid[_edge_distance(grid, loops) > 0.6 * h]
    pts = np.concatenate([rim, grid])
    tri = Delaunay(pts).simplices
    tri = tri[_inside(pts[tri].mean(1), loops)]
    a, b, c = pts[tri[:, 0]], pts[tri[:, 1]], pts[tri[:, 2]]
    flip = (b - a)[:, 0] * (c - a)[:, 1] - (b - a)[:, 1] * (c - a)[:, 0] < 0
    tri[flip] = tri[flip][:, ::-1]
    used = np.unique(tri)
    remap = np.full(len(pts), -1)
    remap[used] = np.arange(len(used))
    return pts[used], remap[tri].astype(np.int64), loops


def _moulded(section, surface: np.ndarray, lo: np.ndarray, proud, skin: np.ndarray | None = None,
             hug: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """A flat outline (a manifold3d CrossSection, seen from the front) moulded onto a surface: the shell's
    outer face stands `proud(x, y, edge distance)` out from `surface` along its normal, and its inner face
    lies _MASK_DEPTH behind that, inside the head. Within `hug` of its edge it comes down from `surface` onto
    `skin`, as cloth pulled tight at its edges does. The side walls get rows packed toward the outer face:
    the rim's vertices then take their shading from the outer face, not from the deep walls, and the edge
    reads as rounded."""
    from .mesh import boundary_edges

    pts, top, loops = _flat_mesh(section)
    n = len(pts)
    edges = boundary_edges(top)  # each as its top triangle runs it: the sheet on its left
    rim = np.unique(edges)
    rank = np.full(n, -1)
    rank[rim] = np.arange(len(rim))
    levels = np.linspace(0.0, 1.0, 7)  # 0: the inner face, 1: the outer face

    def at(level: int, idx: np.ndarray) -> np.ndarray:
        if level == len(levels) - 1:
            return idx
        if level == 0:
            return n + idx
        return 2 * n + (level - 1) * len(rim) + rank[idx]

    faces = [top, top[:, ::-1] + n]
    a, b = edges[:, 0], edges[:, 1]
    for j in range(len(levels) - 1, 0, -1):
        faces.append(np.stack([at(j, b), at(j, a), at(j - 1, a)], 1))
        faces.append(np.stack([at(j, b), at(j - 1, a), at(j - 1, b)], 1))
    xy = np.concatenate([pts, pts, np.tile(pts[rim], (len(levels) - 2, 1))])
    t = np.concatenate([np.ones(n), np.zeros(n), np.repeat(levels[1:-1], len(rim))])
    x, y = xy[:, 0], xy[:, 1]
    edge = _edge_distance(xy, loops)
    if skin is not None and hug > 0:
        from scipy.ndimage import gaussian_filter

        # The surface eased onto the skin near the edge: blend the two by each grid cell's edge distance
        # (cells outside the outline are only ever reached by the blur, from next to the edge).
        gxs, gys = np.meshgrid(lo[0] + np.arange(surface.shape[1]) * _STEP, lo[1] + np.arange(surface.shape[0]) * _STEP)
        near = _edge_distance(np.stack([gxs.ravel(), gys.ravel()], 1), loops).reshape(surface.shape)
        s = np.clip(near / hug, 0, 1)
        surface = gaussian_filter(skin + (surface - skin) * s * s * (3 - 2 * s), 1.5)
    gy, gx = np.gradient(surface, _STEP)
    normal = np.stack([-_sample(gx, lo, x, y), -_sample(gy, lo, x, y), np.ones_like(x)], 1)
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    base = np.stack([x, y, _sample(surface, lo, x, y)], 1)
    depth = proud(x, y, edge) - _MASK_DEPTH * (1 - t) ** 3
    verts = base + normal * depth[:, None]
    f = np.concatenate(faces).astype(np.int32)
    return verts.astype(np.float32), outward(verts, f)


def _smooth_loop(points: list[tuple[float, float]], n: int = 16) -> np.ndarray:
    """A closed Catmull-Rom curve through the points, n samples between each pair, counter-clockwise."""
    p = np.asarray(points, np.float64)
    out = []
    s = np.linspace(0, 1, n, endpoint=False)[:, None]
    for i in range(len(p)):
        p0, p1, p2, p3 = p[i - 1], p[i], p[(i + 1) % len(p)], p[(i + 2) % len(p)]
        out.append(0.5 * (2 * p1 + (p2 - p0) * s + (2 * p0 - 5 * p1 + 4 * p2 - p3) * s ** 2
                          + (3 * p1 - p0 - 3 * p2 + p3) * s ** 3))
    loop = np.concatenate(out)
    x, y = loop[:, 0], loop[:, 1]
    area = float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))
    return loop if area > 0 else loop[::-1].copy()  # counter-clockwise: an outline, not a hole


def _symmetric(half: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """An outline's right half (x >= 0, from the top of the midline round to its bottom), mirrored."""
    return half + [(-x, y) for x, y in reversed(half) if x > 0]


def _eye_mask(head, tint) -> list[Part]:
    """A superhero's domino mask over the eyes: a band from temple to temple over the brows and the tops of
    the cheekbones, across the nose bridge, with winged outer corners and eye holes a little larger than the
    eyes (their landmarks' outline, widened), so the painted eyes show through."""
    import manifold3d as m3
    from scipy.ndimage import gaussian_filter, grey_closing

    from .face_paint import EYES

    face = next(p for p in head.parts if p.name == "head")
    lm = head.landmarks
    right, left = lm[EYES[:16]], lm[EYES[16:]]
    cx = (left[:, 0].mean() - right[:, 0].mean()) / 2  # the eyes' distance from the midline
    cy = float(lm[EYES, 1].mean())
    w = float(np.ptp(left[:, 0]) + np.ptp(right[:, 0])) / 4  # an eye's half width
    reach = min(cx + w + 0.085, head.skull[0] * 0.88)  # the wing tips, short of the side of the head
    half = [(0.0, cy + 0.078), (cx * 0.5, cy + 0.1), (cx, cy + 0.108), (cx + w * 0.9, cy + 0.104),
            (reach, cy + 0.112), (reach - 0.012, cy + 0.05), (cx + w + 0.03, cy - 0.05), (cx, cy - 0.084),
            (cx - w * 0.75, cy - 0.07), (cx * 0.28, cy - 0.036), (0.0, cy - 0.026)]
    outline = _smooth_loop(_symmetric(half))
    holes = m3.CrossSection([right[:, :2].astype(np.float64), left[:, :2].astype(np.float64)], m3.FillRule.EvenOdd)
    holes = holes.offset(0.016, m3.JoinType.Round, circular_segments=48).offset(0.008, m3.JoinType.Round,
                                                                                  circular_segments=48)
    section = m3.CrossSection([outline]) - holes
    lo = np.array([-reach - 0.04, cy - 0.12])
    hi = np.array([reach + 0.04, cy + 0.16])
    skin = _front_depth(face, lo, hi)
    r = int(0.035 / _STEP)
    disk = np.hypot(*np.mgrid[-r:r + 1, -r:r + 1]) <= r
    surface = gaussian_filter(grey_closing(skin, footprint=disk), 5.0)  # smooth, bridging the eye sockets

    def proud(x, y, edge):
        s = np.clip(edge / 0.022, 0, 1)
        return 0.006 + 0.024 * s * s * (3 - 2 * s)

    v, f = _moulded(section, surface, lo, proud)
    color = np.asarray(tint if tint is not None else np.asarray(_EYE_MASK) * 255, np.float32) / 255
    return [_part("mask", v, f, color)]


def _taut(skin: np.ndarray) -> np.ndarray:
    """A cloth stretched over a depth map: each row and each column pulled straight over the high points
    (their upper convex hulls), so it spans from the nose to the cheeks and from the nose to the chin as a
    mask does, instead of following the hollows beside the nose and under the lip."""

    def hull(z: np.ndarray) -> np.ndarray:
        x = np.arange(len(z), dtype=np.float64)
        keep: list[int] = []
        for i in range(len(z)):  # the upper hull, left to right (monotone chain)
            while len(keep) >= 2:
                a, b = keep[-2], keep[-1]
                if (z[b] - z[a]) * (i - a) <= (z[i] - z[a]) * (b - a):
                    keep.pop()
                else:
                    break
            keep.append(i)
        return np.interp(x, x[keep], z[keep])

    rows = np.array([hull(r) for r in skin])
    cols = np.array([hull(c) for c in skin.T]).T
    return (rows + cols) / 2


def _ear_loop(head, start: np.ndarray, end: np.ndarray, side: float, radius: float) -> tuple[np.ndarray, np.ndarray]:
    """A face mask's elastic from a point on its edge, over the top of the ear where it meets the head, down
    behind it and under the lobe, back to a second point on the edge; laid on the skin (half sunk in, so it
    prints as one with the head)."""
    face = next(p for p in head.parts if p.name == "head")
    ears = [p.vertices for p in head.parts if p.name == "ear"]
    ear = next((v for v in ears if np.sign(v[:, 0].mean()) == side), None)
    if ear is None:
        ear = np.array([[side * head.skull[0], -0.2, -0.1], [side * (head.skull[0] + 0.03), 0.04, 0.02]])
    top, bottom = float(ear[:, 1].max()), float(ear[:, 1].min())
    front, back = float(ear[:, 2].max()), float(ear[:, 2].min())
    mid_z = (front + back) / 2
    x = side * float(np.abs(ear[:, 0]).min())
    control = np.array([start, [x, top - 0.03, front + 0.03], [x, top + 0.01, mid_z], [x, (top + bottom) / 2, back - 0.01],
                        [x, bottom - 0.005, mid_z], [x, bottom + 0.02, front + 0.03], end])
    s = np.linspace(0, 1, 48)
    path = np.stack([np.interp(s, np.linspace(0, 1, len(control)), control[:, k]) for k in range(3)], 1)
    # On the skin: each point pushed out from the head's centre line to the skull's surface at its angle
    # (the ends onto it, under the mask's edge), smoothed and pushed out again so it bends without kinks.
    v = face.vertices.astype(np.float64)
    for _ in range(3):
        path = _smooth_open(path)
        for i, q in enumerate(path):
            near = v[np.abs(v[:, 1] - q[1]) < 0.02]
            ang = np.arctan2(near[:, 0], near[:, 2])
            a = np.arctan2(q[0], q[2])
            close = near[np.abs(np.angle(np.exp(1j * (ang - a)))) < 0.06]
            if len(close):
                r = float(np.hypot(close[:, 0], close[:, 2]).max()) + radius * 0.4
                if i in (0, len(path) - 1) or np.hypot(q[0], q[2]) < r:
                    path[i, [0, 2]] = np.array([np.sin(a), np.cos(a)]) * r
    return tube(path, radius, loop=False, sides=8)


def _smooth_open(path: np.ndarray, passes: int = 6) -> np.ndarray:
    """A polyline smoothed by averaging each inner point with its neighbours, its ends kept."""
    p = path.copy()
    for _ in range(passes):
        p[1:-1] = (p[:-2] + 2 * p[1:-1] + p[2:]) / 4
    return p


def _face_mask(head, tint) -> list[Part]:
    """A surgical mask over the nose and mouth: from the nose bridge to the chin and across the cheeks,
    stretched over the nose as cloth is, with three pleats across it, a hemmed edge and an elastic loop
    round each ear."""
    import manifold3d as m3
    from scipy.ndimage import gaussian_filter

    from .face_paint import EYES, OVAL

    face = next(p for p in head.parts if p.name == "head")
    lm = head.landmarks
    chin = float(lm[152, 1])
    top = float(lm[EYES, 1].min()) - 0.045  # on the nose bridge, under the eyes
    # The face's outline, its half width by height: the mask stays inside it, where the face is seen from the
    # front (the jaw turns away under the cheeks).
    oval = lm[OVAL]
    side = oval[oval[:, 0] >= 0]
    side = side[np.argsort(side[:, 1])]
    width = lambda y: 0.92 * float(np.interp(y, side[:, 1], side[:, 0]))  # noqa: E731
    half = width(top - 0.075)
    low = (top + chin) / 2 - 0.02
    outline = _smooth_loop(_symmetric([(0.0, top), (half * 0.3, top - 0.012), (half * 0.7, top - 0.05),
                                       (half, top - 0.075), (width(low), low), (width(chin + 0.13), chin + 0.13),
                                       (0.55 * width(chin + 0.06), chin + 0.06), (0.0, chin + 0.045)]))
    section = m3.CrossSection([outline])
    lo = np.array([-half - 0.05, chin - 0.02])
    hi = np.array([half + 0.05, top + 0.04])
    skin = _front_depth(face, lo, hi)
    surface = gaussian_filter(_taut(skin), 2.5)
    band = (top - 0.05, chin + 0.1)  # the pleated panel between the hems

    def proud(x, y, edge):
        s = np.clip(edge / 0.016, 0, 1)
        hem = 0.008 * np.clip(1 - (edge - 0.03) / 0.008, 0, 1) * s  # the bound edge, a little thicker
        u = np.clip((band[0] - y) / (band[0] - band[1]), 0, 1) * 3  # three pleats, each thicker at its fold
        fold = (u % 1.0) * np.clip((3 - u) * 20, 0, 1) * np.clip(u * 20, 0, 1)
        fade = np.clip((edge - 0.03) / 0.03, 0, 1)
        return 0.006 + 0.018 * s * s * (3 - 2 * s) + hem + 0.012 * fold * fade

    v, f = _moulded(section, surface, lo, proud, skin, hug=0.05)
    color = np.asarray(tint if tint is not None else np.asarray(_FACE_MASK) * 255, np.float32) / 255
    elastic = tuple(color * 0.6 + 0.4)
    pieces = [(v, f, tuple(color))]
    for side in (-1.0, 1.0):
        ys = (top - 0.08, chin + 0.18)
        corners = []
        for y in ys:
            xs = outline[np.abs(outline[:, 1] - y) < 0.02, 0] * side
            x = side * (float(xs.max()) - 0.015 if len(xs) else half - 0.015)
            corners.append(np.array([x, y, float(_sample(skin, lo, np.array([x]), np.array([y]))[0])]))
        lv, lf = _ear_loop(head, corners[0], corners[1], side, 0.016)
        pieces.append((lv, lf, elastic))
    return [_join("face-mask", pieces, "knit")]


def _headphones(head, tint) -> list[Part]:
    a, b = head.skull[0], head.skull[1]
    t = np.linspace(0, np.pi, 30)
    band = np.stack([-(a + 0.1) * np.cos(t), 0.02 + (b + 0.12) * np.sin(t), np.full_like(t, -0.02)], 1)
    v, f = tube(band, 0.035, loop=False, sides=10)
    pieces = [(v, f, (0.1, 0.1, 0.11))]
    for s in (-1, 1):
        cup = lathe([(0, -0.07), (1.0, -0.07), (1.0, 0.07), (0, 0.07)], 0.13, 0.15, sides=32)
        cv = cup[0][:, [1, 0, 2]] + [s * (a + 0.08), 0.0, -0.02]  # the cup's axis along x
        pieces.append((cv, outward(cv, cup[1]), tint))
    return [_join("headphones", pieces)]


def _first_of_each(keys: list[str], places: tuple[str, ...]) -> list[tuple[str, str]]:
    """The first piece among `keys` worn at each of `places`, as (place, key)."""
    chosen: dict[str, str] = {}
    for key in keys:
        place = WORN.get(key)
        if place in places:
            chosen.setdefault(place, key)
    return list(chosen.items())


# The main colour of the worn pieces that come from emoji art, as the emoji paints them (the drawn pieces carry
# their own, see DRAWERS): a blue cap, an olive helmet, a straw sun hat, dark headphones, a red scarf or ribbon.
_EMOJI_COLOURS = {"top-hat": (200, 30, 46), "billed-cap": (40, 90, 170), "military-helmet": (92, 104, 62),
                  "rescue-worker-s-helmet": (232, 232, 226), "womans-hat": (222, 192, 140), "headphone": (44, 44, 50),
                  "scarf": (200, 30, 46)}


def _colour(key: str, tint) -> np.ndarray:
    """A worn piece's colour (sRGB 0-1): the colour asked for, else the catalogue piece's own (a brown cowboy
    hat, a yellow hard hat, a blue cap), as its art has it."""
    from ..accessories import DRAWERS

    own = DRAWERS[key][1] if key in DRAWERS else _EMOJI_COLOURS.get(key, (200, 30, 46))
    return np.asarray(tint if tint is not None else own, np.float32) / 255


def head_worn(keys: list[str], head, tint) -> list[Part]:
    """The head-worn pieces among `keys` (the first of each place), in head space."""
    out: list[Part] = []
    for place, key in _first_of_each(keys, ("eyes", "mouth", "head", "ears")):
        if key == "eye-mask":
            out += _eye_mask(head, tint)
        elif key == "face-mask":
            out += _face_mask(head, tint)
        elif place == "eyes":
            out += _eyewear(key, head)
        elif place == "head":
            out += _hat(key, head.skull[0], head.skull[2], _colour(key, tint))
        else:
            out += _headphones(head, _colour(key, tint))
    return out


# ----------------------------------------------------------------------------- figure space

def _torso_depth(body, y: float) -> tuple[float, float]:
    """The front and back z of the body's torso at height y, near the centre line."""
    v = np.concatenate([p.vertices for p in body.parts if p.name not in ("base",)])
    near = v[(np.abs(v[:, 1] - y) < 0.08) & (np.abs(v[:, 0]) < 0.15)]
    if not len(near):
        return 0.25, -0.25
    return float(near[:, 2].max()), float(near[:, 2].min())


def _watch(body) -> list[Part]:
    """A wristwatch on the left wrist: a strap round the forearm just above the hand and a round face on the
    back of the wrist."""
    wrists = body.meta.get("wrists") or {}
    if "L" not in wrists:
        return []
    wrist, along = (np.asarray(x, np.float64) for x in wrists["L"])
    arm = next((p.vertices for p in body.parts if p.name == "forearm.L"), None)
    if arm is None:
        return []
    centre = wrist - along * 0.05
    d = arm - centre
    ring = d[np.abs(d @ along) < 0.02]
    radius = float(np.linalg.norm(ring - np.outer(ring @ along, along), axis=1).mean()) if len(ring) else 0.07
    v, f = torus(tuple(map(float, centre)), tuple(map(float, along)), radius + 0.012, 0.016, cols=32, sides=8)
    out = np.array([0.0, 0.0, 1.0]) - along * along[2]  # the face looks out toward the viewer
    out = out / (np.linalg.norm(out) or 1.0)
    side = np.cross(along, out)
    disc, df = lathe([(0, -0.012), (1.0, -0.012), (1.0, 0.012), (0, 0.012)], 0.045, 0.045, sides=32)
    basis = np.stack([side, out, along])  # local x, y (the disc's axis), z
    dv = (disc @ basis + centre + out * (radius + 0.02)).astype(np.float32)
    return [_join("watch", [(np.asarray(v), np.asarray(f), (0.1, 0.1, 0.11)),
                            (dv, outward(dv, df), (0.86, 0.86, 0.9))], "metal")]


def body_worn(keys: list[str], body, tint) -> list[Part]:
    """The neck-, back- and wrist-worn pieces among `keys` (the first of each place), in figure space."""
    asked = tint
    neck, r = np.asarray(body.neck, np.float32), float(body.neck_radius)
    out: list[Part] = []
    for place, key in _first_of_each(keys, ("neck", "back", "wrist")):
        tint = _colour(key, asked)
        if place == "wrist":
            out += _watch(body)
        elif key == "scarf":
            v, f = torus((float(neck[0]), float(neck[1]) - 0.08, float(neck[2])), (0.0, 1.0, 0.0), r * 1.45, 0.09,
                         cols=32, sides=10)
            front, _ = _torso_depth(body, float(neck[1]) - 0.5)
            tail = np.stack([np.full(8, 0.12), np.linspace(neck[1] - 0.12, neck[1] - 0.9, 8),
                             np.linspace(front + 0.06, front + 0.04, 8)], 1)
            tv, tf = tube(tail, 0.07, loop=False, sides=8)
            out.append(_join("scarf", [(np.asarray(v), np.asarray(f), tint), (tv, tf, tint)], "knit"))
        elif place == "neck":  # a medal on its ribbon
            y = float(neck[1]) - 0.75
            front, _ = _torso_depth(body, y)
            t = np.linspace(-1, 1, 12)  # the ribbon hangs from both sides of the neck down to the medal
            ribbon = np.stack([t * r * 1.4, neck[1] - 0.05 - (1 - t * t) * 0.68, np.full_like(t, front + 0.03)], 1)
            rv, rf = tube(ribbon, 0.025, loop=False, sides=6)
            disc = lathe([(0, -0.025), (1.0, -0.025), (1.0, 0.025), (0, 0.025)], 0.17, 0.17, sides=32)
            dv = disc[0][:, [0, 2, 1]] + [0.0, y, front + 0.05]
            out.append(_join("medal", [(rv, rf, tint), (dv, outward(dv, disc[1]), (0.85, 0.66, 0.2))], "metal"))
        elif key == "cape":
            top = float(neck[1]) - 0.12
            _, back = _torso_depth(body, top - 0.4)
            width = body.shoulder_width * 0.36  # inside the arms at the top: from the front it shows at the sides
            ys = np.linspace(top, 0.5, 10)
            grid = []
            for i, y in enumerate(ys):
                w = width * (1.0 + 0.35 * i / 9)
                x = np.linspace(-w, w, 14)
                z = back - 0.04 - 0.12 * (1 - (x / w) ** 2) * (0.3 + 0.7 * i / 9)
                grid.append(np.stack([x, np.full_like(x, y), z], 1))
            g = np.asarray(grid, np.float32)
            thick = g + [0.0, 0.0, 0.06]  # the cloth's inner face, toward the body
            v, f = _slab(g, thick)
            out.append(_part("cape", v, f, tint))
        else:  # a backpack
            y = float(neck[1]) - 0.85
            _, back = _torso_depth(body, y)
            w = body.shoulder_width * 0.32
            out.append(_join("backpack", [_box((0, y, back - 0.17), (w, 0.45, 0.17), tint),
                                          _box((0, y - 0.12, back - 0.36), (w * 0.8, 0.2, 0.05),
                                               tuple(np.clip(tint * 0.7, 0, 1)))]))
    return out


def _slab(outer: np.ndarray, inner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A closed sheet between two (rows, cols, 3) grids of the same shape."""
    rows, cols, _ = outer.shape
    v = np.concatenate([outer.reshape(-1, 3), inner.reshape(-1, 3)])
    n = rows * cols
    idx = np.arange(n).reshape(rows, cols)
    faces = []
    for k, off in ((0, 0), (1, n)):
        a, b, c, d = idx[:-1, :-1] + off, idx[:-1, 1:] + off, idx[1:, :-1] + off, idx[1:, 1:] + off
        quad = [np.stack([a, c, b], -1), np.stack([b, c, d], -1)]
        faces += [q[..., ::-1] if k else q for q in quad]
    rim = np.concatenate([idx[0, :], idx[1:, -1], idx[-1, -2::-1], idx[-2:0:-1, 0]])
    for i in range(len(rim)):
        p, q = rim[i], rim[(i + 1) % len(rim)]
        faces.append(np.array([[p, q, q + n], [p, q + n, p + n]]))
    f = np.concatenate([np.asarray(x).reshape(-1, 3) for x in faces]).astype(np.int32)
    return v, outward(v, f)


def standing_beside(parts: list[Part], piece: Part, span: float) -> tuple[list[Part], float]:
    """A piece the busy hands cannot take, standing on the base against the figure's right leg, a little in
    front of it: the figure's parts with the piece, moved so the two are centred together, and the width
    they need."""
    piece = _upright(piece)
    lo, hi = piece.vertices.min(0), piece.vertices.max(0)
    width = float(hi[0] - lo[0])
    overlap = min(0.3, width / 2)  # it leans on the leg, so the base grows by less than the piece's width
    x = -span / 2 - width / 2 + overlap
    m = np.eye(4, dtype=np.float32)
    m[:3, 3] = (x - (lo[0] + hi[0]) / 2, -lo[1], 0.3 - (lo[2] + hi[2]) / 2)
    beside = piece.transformed(m)
    beside.name = "beside"
    shift = np.eye(4, dtype=np.float32)
    shift[0, 3] = (width - overlap) / 2
    return [p.transformed(shift) for p in [*parts, beside]], span + width - overlap


def _upright(piece: Part) -> Part:
    """A long piece drawn on the slant (a guitar, a racket) turned to stand on its end."""
    xy = piece.vertices[:, :2] - piece.vertices[:, :2].mean(0)
    values, vectors = np.linalg.eigh(np.cov(xy.T))
    if values[1] < 2.5 * max(values[0], 1e-9):  # not long enough to stand on an end
        return piece
    axis = vectors[:, 1] * np.sign(vectors[1, 1] or 1.0)
    a = np.arctan2(axis[0], axis[1])  # the turn that brings the long axis to +y
    m = np.eye(4, dtype=np.float32)
    m[0, 0], m[0, 1], m[1, 0], m[1, 1] = np.cos(a), -np.sin(a), np.sin(a), np.cos(a)
    turned = piece.transformed(m)
    # Keep its size: the longer side it was made with, now standing up.
    k = float(np.ptp(piece.vertices[:, :2], axis=0).max() / np.ptp(turned.vertices[:, :2], axis=0).max())
    return turned.transformed(np.diag([k, k, k]).astype(np.float32))
