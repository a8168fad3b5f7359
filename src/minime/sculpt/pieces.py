"""Accessory pieces as 3D plastic: each piece's vector layers moulded as a relief with rounded edges.

A piece is one closed mesh. Its silhouette is the art's outline; its front rises in steps, one for each
layer of the art stacked over another (a cup's coffee stands proud of its rim, a cat's eyes of its face),
every edge rounded; its back is a lower rounded dome, so it reads as a solid toy from any side. The art
itself is the paint, as a texture, so gradients and fine print survive. The drawn pieces give their
layers as the skia paths they are drawn from; the emoji pieces as the shapes of their SVG.

Piece space: y up, z toward the camera, centred on the origin, its longer side `size` units long.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import lru_cache

import numpy as np
import skia
from PIL import Image
from scipy import ndimage

from .mesh import Part, uv_sphere
from .shade import AO_CELLS

TEXTURE = 256  # pixels across the piece's square for its shape: outline, layers and depth
PAINT = 512  # pixels of paint across the square: as crisp as the flat art in a print-size well
GRID = 1  # mesh cells across each cell of the renderer's occlusion grid (a piece alone): about 4 px of the shape
THICKNESS = 0.075  # the front's rise over its rim, for a piece 1 unit long
STEP = 0.022  # the rise of each layer stacked on another
STEPS_MAX = 4  # deeper stacks read as noise, not as moulding
BACK = 0.7  # the back dome's depth, relative to the front's
PAD = 0.04  # clear border of the square, so the rim never touches its edge


class _Recorder:
    """Stands in for the drawn pieces' painter: paints flat factory colour (the 3D light shades it) and keeps
    each moulded part's silhouette as a layer."""

    def __init__(self, canvas: skia.Canvas, px_per_unit: float):
        from ..accessories import Plastic

        self._painter = Plastic(canvas, px_per_unit)
        self.c, self.ppu, self.lw = canvas, px_per_unit, self._painter.lw
        self.layers: list[skia.Path] = []

    def part(self, path, color, *, details=None, outline=True, edge=None, lw=None, **_):
        from ..accessories import argb, darker

        self.layers.append(skia.Path(path))
        self.c.drawPath(path, skia.Paint(AntiAlias=True, Color=argb(color)))
        if details:
            self.c.save()
            self.c.clipPath(path, skia.ClipOp.kIntersect, True)
            details()
            self.c.restore()
        if outline:  # the moulded seam stays: it separates parts of one colour
            self._painter.edge(path, edge or darker(color, 0.45), lw)

    def gloss(self, *_, **__):  # highlights come from the 3D light
        pass

    def __getattr__(self, name):  # decals, lines, holes and clips paint as the drawn piece does
        return getattr(self._painter, name)


def _drawn(key: str, tint) -> tuple[np.ndarray, list[skia.Path]]:
    """The drawn piece's paint (PAINT pixels square) and its layers (in TEXTURE pixels)."""
    from ..accessories import drawer, drawn_bounds

    left, top, right, bottom = drawn_bounds(key)
    k = TEXTURE * (1 - 2 * PAD) / max(right - left, bottom - top)
    m = skia.Matrix.Translate(-(left + right) / 2, -(top + bottom) / 2)
    m.postScale(k, k)
    m.postTranslate(TEXTURE / 2, TEXTURE / 2)
    s = PAINT / TEXTURE
    surface = skia.Surface.MakeRaster(
        skia.ImageInfo.Make(PAINT, PAINT, skia.kRGBA_8888_ColorType, skia.kPremul_AlphaType))
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorTRANSPARENT)
    canvas.scale(s, s)
    canvas.concat(m)
    draw, accent = drawer(key)
    rec = _Recorder(canvas, k * s)
    draw(rec, tint or accent)
    art = surface.makeImageSnapshot().toarray(colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kUnpremul_AlphaType)
    layers = []
    for p in rec.layers:
        p.transform(m)
        layers.append(p)
    return art, layers


# --------------------------------------------------------------------------- emoji SVG shapes

_NUM = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")
_SKIP = {"defs", "clipPath", "mask", "pattern", "linearGradient", "radialGradient", "text", "switch", "title"}


def _transform(text: str | None) -> skia.Matrix:
    m = skia.Matrix()
    for name, args in re.findall(r"(\w+)\s*\(([^)]*)\)", text or ""):
        a = [float(x) for x in _NUM.findall(args)]
        t = skia.Matrix()
        if name == "matrix" and len(a) == 6:
            t.setAll(a[0], a[2], a[4], a[1], a[3], a[5], 0, 0, 1)
        elif name == "translate" and a:
            t.setTranslate(a[0], a[1] if len(a) > 1 else 0)
        elif name == "scale" and a:
            t.setScale(a[0], a[1] if len(a) > 1 else a[0])
        elif name == "rotate" and a:
            t.setRotate(a[0], *(a[1:3] if len(a) >= 3 else (0, 0)))
        m.preConcat(t)
    return m


def _style(el) -> dict[str, str]:
    out = {k: v for k, v in el.attrib.items()}
    for item in el.attrib.get("style", "").split(";"):
        if ":" in item:
            k, v = item.split(":", 1)
            out[k.strip()] = v.strip()
    return out


def _shape(el, tag: str) -> skia.Path | None:
    from ..accessories import svg_path

    f = lambda name: float(_NUM.findall(el.get(name, "0") or "0")[0]) if el.get(name) else 0.0  # noqa: E731
    if tag == "path":
        return svg_path(el.get("d", "")) if el.get("d") else None
    if tag == "circle":
        return skia.Path.Circle(f("cx"), f("cy"), f("r"))
    if tag == "ellipse":
        return skia.Path.Oval(skia.Rect.MakeLTRB(f("cx") - f("rx"), f("cy") - f("ry"), f("cx") + f("rx"), f("cy") + f("ry")))
    if tag == "rect":
        r = skia.Rect.MakeXYWH(f("x"), f("y"), f("width"), f("height"))
        rx = f("rx") or f("ry")
        return skia.Path.RRect(r, rx, rx) if rx else skia.Path.Rect(r)
    if tag in ("polygon", "polyline"):
        pts = [float(x) for x in _NUM.findall(el.get("points", ""))]
        return skia.Path.Polygon([skia.Point(*pts[i:i + 2]) for i in range(0, len(pts) - 1, 2)], tag == "polygon")
    return None


def svg_layers(data: bytes) -> list[skia.Path]:
    """The filled shapes of an SVG drawing, in painting order, in its user space (clips are ignored:
    they only trim what a later layer covers)."""
    from ..accessories import stroke

    root = ET.fromstring(data)
    strip = lambda t: t.rsplit("}", 1)[-1]  # noqa: E731
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    out: list[skia.Path] = []

    def walk(el, matrix: skia.Matrix, inherited: dict, depth: int = 0) -> None:
        tag = strip(el.tag)
        if tag in _SKIP or depth > 12:
            return
        style = {**inherited, **{k: v for k, v in _style(el).items() if k in ("fill", "stroke", "stroke-width",
                                                                               "opacity", "fill-opacity")}}
        m = skia.Matrix.Concat(matrix, _transform(el.get("transform")))
        if tag == "use":
            ref = by_id.get((el.get("{http://www.w3.org/1999/xlink}href") or el.get("href") or "").lstrip("#"))
            if ref is not None:
                m.preTranslate(float(el.get("x", 0) or 0), float(el.get("y", 0) or 0))
                walk(ref, m, style, depth + 1)
            return
        if tag in ("svg", "g", "symbol"):
            for child in el:
                walk(child, m, style, depth + 1)
            return
        if style.get("opacity") in ("0", "0.0"):
            return
        path = _shape(el, tag)
        if path is None:
            return
        fill = style.get("fill", "black")
        if fill == "none" or style.get("fill-opacity") in ("0", "0.0"):
            if style.get("stroke", "none") == "none":
                return
            path = stroke(path, float(_NUM.findall(style.get("stroke-width", "1"))[0]))
        path.transform(m)
        out.append(path)

    walk(root, skia.Matrix(), {})
    return out


def _emoji(key: str) -> tuple[np.ndarray, list[skia.Path]]:
    """The emoji piece's paint (PAINT pixels square) and its shapes as layers (in TEXTURE pixels)."""
    from ..accessories import emoji_bounds, emoji_raster, emoji_svg

    left, top, right, bottom = emoji_bounds(key)
    k = TEXTURE * (1 - 2 * PAD) / max(right - left, bottom - top)
    m = skia.Matrix.Translate(-(left + right) / 2, -(top + bottom) / 2)
    m.postScale(k, k)
    m.postTranslate(TEXTURE / 2, TEXTURE / 2)
    art = emoji_raster(key, PAINT, skia.Matrix.Concat(skia.Matrix.Scale(PAINT / TEXTURE, PAINT / TEXTURE), m))
    # Factory paint: a touch more saturated than the print-style art, as the flat pieces are.
    rgb = art[..., :3].astype(np.float32)
    grey = rgb.mean(axis=2, keepdims=True)
    art = np.dstack([np.clip(grey + (rgb - grey) * 1.15, 0, 255), art[..., 3]]).astype(np.uint8)
    layers = svg_layers(emoji_svg(key))
    for p in layers:
        p.transform(m)
    return art, layers


# --------------------------------------------------------------------------- the mesh


def _coverage(layers: list[skia.Path], res: int) -> np.ndarray:
    """How many layers stack at each pixel. Each layer is a flat plate one step above the highest of what it
    covers, so a part painted over another hides it: a cup's body stands over the handle behind it, and the
    handle's hidden end leaves no trace on the body."""
    k = res / TEXTURE
    stack = np.zeros((res, res), np.float32)
    surface = skia.Surface.MakeRaster(skia.ImageInfo.MakeA8(res, res))
    canvas = surface.getCanvas()
    paint = skia.Paint(AntiAlias=True, Color=skia.ColorBLACK)
    bounds = skia.Rect.MakeWH(TEXTURE, TEXTURE)
    for path in layers:
        b = path.computeTightBounds()
        if not b.intersect(bounds) or b.width() * b.height() < 2:  # specks and empty clips add no step
            continue
        canvas.clear(skia.ColorTRANSPARENT)
        canvas.save()
        canvas.scale(k, k)
        canvas.drawPath(path, paint)
        canvas.restore()
        c = np.frombuffer(surface.makeImageSnapshot().tobytes(), np.uint8).reshape(res, res) / np.float32(255)
        under = stack[c > 0.5]
        level = (under.max() if len(under) else 0.0) + 1
        stack += c * (level - stack)
    return stack


def _bleed(art: np.ndarray) -> np.ndarray:
    """The paint carried past the silhouette, so the rim takes the edge's colour, not the transparent black.

    The nearest edge colour is found at TEXTURE size, from pixels the paint covers (a distance transform of the
    full paint costs ten times more), and laid under the full-size paint, which keeps its own crisp edge."""
    if art[..., 3].min() == 255:
        return art[..., :3]
    img = Image.fromarray(art, "RGBA")
    small = np.asarray(img.reduce(PAINT // TEXTURE))
    hole = small[..., 3] < 192
    if hole.all():
        return art[..., :3]
    idx = ndimage.distance_transform_edt(hole, return_distances=False, return_indices=True)
    under = Image.fromarray(np.ascontiguousarray(small[idx[0], idx[1], :3])).resize((PAINT, PAINT), Image.Resampling.NEAREST)
    paint, cover = (Image.fromarray(np.ascontiguousarray(art[..., c])) for c in (slice(0, 3), 3))
    return np.asarray(Image.composite(paint, under, cover))


def _lattice(solid: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple[int, float, float]]:
    """The mesh's grid lines down and across, in texture pixels (an equal number each way), and the piece's span
    along its longer side (axis, first, last) that they divide.

    GRID lines fall to each cell of the occlusion grid that the renderer lays over a piece alone (its longer
    side in AO_CELLS), so every cell of that grid holds the same number of triangles of a flat face and its
    shading is even: lines that drift across its cells print a faint plaid on the paint."""
    rows, cols = np.flatnonzero(solid.any(1)), np.flatnonzero(solid.any(0))
    lo = np.array([rows[0], cols[0]], np.float64) - 0.5  # the pixels' outer edges
    extent = np.array([rows[-1] - rows[0], cols[-1] - cols[0]], np.float64) + 1
    axis = int(np.argmax(extent))
    step = extent[axis] / (AO_CELLS * GRID)
    start = lo - step * np.ceil(lo / step)
    n = int(np.ceil((TEXTURE - 1 - start.min()) / step))
    lines = [s + step * np.arange(n + 1) for s in start]
    return lines[0], lines[1], (axis, lo[axis], lo[axis] + extent[axis])


@lru_cache(maxsize=24)  # about 1 MB each (the paint): a server keeps a campaign's pieces, not every colour asked
def _relief(key: str, tint: tuple | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(vertices, faces, uv, texture) of a piece 1 unit across its square, cached per key and tint: read-only,
    as every figure that holds the piece shares them."""
    from ..accessories import DRAWERS, PROP, emoji_pieces

    if key in DRAWERS or key == PROP.key:
        art, layers = _drawn(key, tint)
    elif key in emoji_pieces():
        art, layers = _emoji(key)
    else:
        raise ValueError(f"unknown accessory {key!r}")
    solid = np.asarray(Image.fromarray(np.ascontiguousarray(art[..., 3])).reduce(PAINT // TEXTURE)) > 127
    # Signed distance to the outline in texture pixels: positive inside.
    sdf = ndimage.distance_transform_edt(solid) - ndimage.distance_transform_edt(~solid)
    sdf = ndimage.gaussian_filter(sdf, 0.8)
    res = TEXTURE
    stack = ndimage.gaussian_filter(_coverage(layers, res), 1.5)

    lines_y, lines_x, span = _lattice(solid)
    gy, gx = np.meshgrid(lines_y, lines_x, indexing="ij")
    n = gy.shape[0] - 1
    inside = _at(sdf, gy, gx) > 0
    cells = inside[:-1, :-1] & inside[1:, :-1] & inside[:-1, 1:] & inside[1:, 1:]
    if not cells.any():
        raise ValueError(f"the piece {key!r} has no solid area to mould")
    for _ in range(8):  # cells touching only at a corner would pinch the rim: join them
        a_, b_ = cells[:-1, :-1], cells[1:, 1:]
        c_, d_ = cells[:-1, 1:], cells[1:, :-1]
        pinch = (a_ & b_ & ~c_ & ~d_) | (c_ & d_ & ~a_ & ~b_)
        if not pinch.any():
            break
        cells[:-1, 1:] |= pinch
    used = np.zeros_like(inside)
    for dy in (0, 1):
        for dx in (0, 1):
            used[dy:dy + n, dx:dx + n] |= cells
    index = -np.ones(inside.shape, np.int64)
    count = int(used.sum())
    index[used] = np.arange(count)
    cy, cx = np.nonzero(cells)
    a, b = index[cy, cx], index[cy, cx + 1]
    c, e = index[cy + 1, cx + 1], index[cy + 1, cx]
    # Image rows run down, figure y up: (a, e, c) is counter-clockwise seen from the front.
    quads = np.stack([a, e, c, b], 1)
    tris = np.concatenate([quads[:, [0, 1, 2]], quads[:, [0, 2, 3]]])
    # The rim: each edge of a cell with no cell beyond it, running round the outline.
    pad = np.pad(cells, 1)
    sides = [(a, e, ~pad[1:-1, :-2]), (e, c, ~pad[2:, 1:-1]), (c, b, ~pad[1:-1, 2:]), (b, a, ~pad[:-2, 1:-1])]
    p = np.concatenate([s[0][s[2][cy, cx]] for s in sides])
    q = np.concatenate([s[1][s[2][cy, cx]] for s in sides])
    edges = np.stack([quads.ravel(), np.roll(quads, -1, 1).ravel()], 1)
    ys, xs = _onto_outline(gy[used], gx[used], p, q, edges, sdf)
    on_rim = np.zeros(count, bool)
    on_rim[p] = True
    # The outline found between pixels spans a little less than the lattice's span: the rim is stretched
    # (by under half a pixel) to span it exactly, or the lattice would drift across the occlusion grid.
    axis, first, last = span
    c = (ys, xs)[axis]
    lo_, hi_ = c[on_rim].min(), c[on_rim].max()
    c[on_rim] = first + (c[on_rim] - lo_) * (last - first) / (hi_ - lo_)
    d = np.where(on_rim, 0.0, np.maximum(_at(sdf, ys, xs), 0.0))

    unit = 1.0 / TEXTURE  # texture pixels to piece units
    bevel = max(THICKNESS, 3.0 * TEXTURE / n * unit)
    t = np.clip(d * unit / bevel, 0, 1)
    # A quarter circle on a short side wall, meeting it at a tangent: the rounded edge of moulded plastic.
    round_ = 0.5 + 0.5 * np.sqrt(1 - (1 - t) ** 2)
    steps = np.clip(_at(stack, ys, xs, res / TEXTURE) - 1, 0, STEPS_MAX)
    front = THICKNESS * round_ + STEP * steps * np.clip(t * 1.5, 0, 1)
    back = -BACK * THICKNESS * round_

    x = (xs - TEXTURE / 2) * unit
    y = (TEXTURE / 2 - ys) * unit
    verts = np.concatenate([np.stack([x, y, front], 1), np.stack([x, y, back], 1)])
    # The side wall: each rim edge of the front joined to its copy on the back.
    walls = np.concatenate([np.stack([q, p, p + count], 1), np.stack([q, p + count, q + count], 1)])
    faces = np.concatenate([tris, (tris + count)[:, ::-1], walls]).astype(np.int32)
    uv_front = np.stack([xs / TEXTURE, 1 - ys / TEXTURE], 1)
    uv = np.concatenate([uv_front, uv_front]).astype(np.float32)
    out = verts.astype(np.float32), faces, uv, np.ascontiguousarray(_bleed(art))
    for array in out:
        array.setflags(write=False)
    return out


def _at(field: np.ndarray, y: np.ndarray, x: np.ndarray, s: float = 1.0) -> np.ndarray:
    """A field sampled (bilinear) at fractional pixel positions, scaled by s."""
    return ndimage.map_coordinates(field, [y * s, x * s], order=1, mode="nearest")


def _onto_outline(ys: np.ndarray, xs: np.ndarray, p: np.ndarray, q: np.ndarray, edges: np.ndarray,
                  sdf: np.ndarray):
    """The mesh's vertices with those of its rim (the edges p -> q) moved onto the true outline.

    Each rim vertex slides along the distance field's slope, evened out between its neighbours along the rim
    first; the vertices just inside are evened out between theirs (`edges`, the grid's), so the rounded edge
    rises at one slope all round instead of following the grid's steps (which shade as a sawtooth)."""
    ys, xs = ys.astype(np.float64), xs.astype(np.float64)
    n = len(ys)
    rim = np.unique(p)
    band = np.flatnonzero(_at(sdf, ys, xs) < 4.0)
    band = band[~np.isin(band, rim)]
    dy_f, dx_f = np.gradient(sdf)

    def even(v, ends, idx, w):
        count = np.bincount(ends[:, 0], minlength=n) + np.bincount(ends[:, 1], minlength=n)
        total = np.bincount(ends[:, 0], v[ends[:, 1]], n) + np.bincount(ends[:, 1], v[ends[:, 0]], n)
        v[idx] += w * (total[idx] / np.maximum(count[idx], 1) - v[idx])

    for smooth in (0.5, 0.5, 0.5, 0.0, 0.0):
        for v in (ys, xs):
            even(v, edges, band, smooth)
            even(v, np.stack([p, q], 1), rim, smooth)
        y, x = ys[rim], xs[rim]
        d, ny, nx = _at(sdf, y, x), _at(dy_f, y, x), _at(dx_f, y, x)
        norm = np.maximum(np.hypot(ny, nx), 1e-6)
        ys[rim], xs[rim] = y - d * ny / norm, x - d * nx / norm
    return ys, xs


def build_piece(key: str, *, size: float = 1.0, tint: tuple[int, int, int] | None = None,
                material: str = "vinyl") -> Part:
    """An accessory piece as one closed, painted mesh.

    Args:
        key: a drawn or emoji piece key, or "prop".
        size: the length of its longer side, in figure units (1 = a head's height).
        tint: the accent colour of a drawn piece (as the flat art takes it).
        material: the figure's plastic the piece is moulded in.

    Returns:
        A Part centred on the origin, facing +z, y up.
    """
    if key in BALLS:
        return _ball(key, size, tuple(tint) if tint is not None else None)
    verts, faces, uv, texture = _relief(key, tuple(tint) if tint is not None else None)
    v = verts.copy()
    lo, hi = v[:, :2].min(0), v[:, :2].max(0)
    v[:, :2] -= (lo + hi) / 2
    v *= size / float(max(hi - lo))
    px = np.clip((uv * [1, -1] + [0, 1]) * (PAINT - 1), 0, PAINT - 1).astype(int)
    colors = texture[px[:, 1], px[:, 0]].astype(np.float32) / 255
    return Part(f"piece:{key}", v, faces.copy(), colors, material, uv.copy(), texture,
                np.ones(len(v), np.float32), {"piece": key})


# Pieces that are balls: moulded as spheres, their art wrapped on front and back, not as a relief.
BALLS = {"basketball", "soccer-ball", "volleyball", "baseball", "softball", "tennis-ball", "golf-ball", "cricket-ball",
         "pool-8-ball", "crystal-ball"}


BALL_ART = 0.97  # the share of the art's disc wrapped onto the ball


def _ball(key: str, size: float, tint) -> Part:
    """A ball piece: a sphere `size` across, painted by projecting the art onto it from the front (the back
    shows the same art mirrored, as a moulded ball's two halves do)."""
    from ..accessories import DRAWERS

    art, _ = _drawn(key, tint) if key in DRAWERS else _emoji(key)
    texture = np.ascontiguousarray(_bleed(art))
    v, f = uv_sphere(48, 80)  # smooth in outline at a print-size well, and evenly shaded
    # The art's disc spans the square less its pad; its drawn outline falls just past the ball's silhouette,
    # where a moulded ball has none.
    uv = (0.5 + 0.5 * (1 - 2 * PAD) * BALL_ART * v[:, :2]).astype(np.float32)
    px = np.clip((uv * [1, -1] + [0, 1]) * (PAINT - 1), 0, PAINT - 1).astype(int)
    colors = texture[px[:, 1], px[:, 0]].astype(np.float32) / 255
    return Part(f"piece:{key}", (v * size / 2).astype(np.float32), f.astype(np.int32), colors, "vinyl", uv, texture,
                np.ones(len(v), np.float32), {"piece": key})


def held_piece(key: str, hand: np.ndarray, *, size: float = 1.0, tint=None) -> Part:
    """The piece in the figure's right hand: upright, its lower part behind the fist so the fingers show
    wrapped round it, turned a little outward."""
    part = build_piece(key, size=size, tint=tint)
    lo, hi = part.vertices.min(0), part.vertices.max(0)
    # The fist closes around the piece a quarter of the way up its middle, so most of it shows above the hand.
    grip = np.array([(lo[0] + hi[0]) / 2, lo[1] + (hi[1] - lo[1]) * 0.28, 0.0], np.float32)
    a = np.radians(-15.0)  # the piece turns toward the side it is held on, as a hand holds it out
    m = np.eye(4, dtype=np.float32)
    m[0, 0], m[0, 2], m[2, 0], m[2, 2] = np.cos(a), np.sin(a), -np.sin(a), np.cos(a)
    m[:3, 3] = np.asarray(hand, np.float32) + [0.0, 0.0, -0.09] - m[:3, :3] @ grip
    out = part.transformed(m)
    out.name = "held"
    return out


def render_piece(key: str, height: int, *, tint=None, turn: float = -18.0, gloss: float = 1.0):
    """The piece rendered alone in the box's key light (top left), as an RGBA PIL image of its own.

    A piece is catalogue art, the same for every figure: each is rendered once per size and tint (about
    45 ms on the CPU rasteriser), and every box after the first takes a copy.

    Raises:
        RenderError: no OpenGL context can be made here.
    """
    return _rendered(key, height, tuple(tint) if tint is not None else None, turn, gloss).copy()


@lru_cache(maxsize=8)  # at most 8 pictures of up to 640x640: a box shows three or four pieces
def _rendered(key: str, height: int, tint: tuple | None, turn: float, gloss: float):
    from .render import render

    return Image.fromarray(render([build_piece(key, tint=tint)], height=height, turn=turn, gloss=gloss,
                                  fov=12.0, margin=0.03, shadow_size=512), "RGBA")
