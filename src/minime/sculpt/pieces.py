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
from scipy import ndimage

from .mesh import Part, uv_sphere

TEXTURE = 256  # pixels of paint across the piece's square
GRID = 76  # mesh cells across the square: about 3 px of a well's 200 px piece
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
    from ..accessories import drawer, drawn_bounds

    left, top, right, bottom = drawn_bounds(key)
    k = TEXTURE * (1 - 2 * PAD) / max(right - left, bottom - top)
    m = skia.Matrix.Translate(-(left + right) / 2, -(top + bottom) / 2)
    m.postScale(k, k)
    m.postTranslate(TEXTURE / 2, TEXTURE / 2)
    surface = skia.Surface.MakeRaster(
        skia.ImageInfo.Make(TEXTURE, TEXTURE, skia.kRGBA_8888_ColorType, skia.kPremul_AlphaType))
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorTRANSPARENT)
    canvas.concat(m)
    draw, accent = drawer(key)
    rec = _Recorder(canvas, k)
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
    from ..accessories import emoji_bounds, emoji_raster, emoji_svg

    left, top, right, bottom = emoji_bounds(key)
    k = TEXTURE * (1 - 2 * PAD) / max(right - left, bottom - top)
    m = skia.Matrix.Translate(-(left + right) / 2, -(top + bottom) / 2)
    m.postScale(k, k)
    m.postTranslate(TEXTURE / 2, TEXTURE / 2)
    art = emoji_raster(key, TEXTURE, m)
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
    """How many layers stack at each pixel (each layer's own area, on top of what is under it)."""
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
        stack += np.frombuffer(surface.makeImageSnapshot().tobytes(), np.uint8).reshape(res, res) / 255.0
    return stack


def _bleed(art: np.ndarray) -> np.ndarray:
    """The paint carried past the silhouette, so the rim takes the edge's colour, not the transparent black."""
    hole = art[..., 3] < 128
    if not hole.any() or hole.all():
        return art[..., :3]
    idx = ndimage.distance_transform_edt(hole, return_distances=False, return_indices=True)
    return art[..., :3][idx[0], idx[1]]


@lru_cache(maxsize=64)
def _relief(key: str, tint: tuple | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(vertices, faces, uv, texture) of a piece 1 unit across its square, cached per key and tint."""
    from ..accessories import DRAWERS, PROP, emoji_pieces

    if key in DRAWERS or key == PROP.key:
        art, layers = _drawn(key, tint)
    elif key in emoji_pieces():
        art, layers = _emoji(key)
    else:
        raise ValueError(f"unknown accessory {key!r}")
    alpha = art[..., 3].astype(np.float32) / 255
    solid = alpha > 0.5
    # Signed distance to the outline in texture pixels: positive inside.
    sdf = ndimage.distance_transform_edt(solid) - ndimage.distance_transform_edt(~solid)
    sdf = ndimage.gaussian_filter(sdf, 0.8)
    res = TEXTURE // 2
    stack = ndimage.gaussian_filter(_coverage(layers, res), 0.9)

    n = GRID
    g = np.linspace(0, TEXTURE - 1, n + 1)
    gy, gx = np.meshgrid(g, g, indexing="ij")
    at = lambda field, y, x, s=1.0: ndimage.map_coordinates(field, [y * s, x * s], order=1, mode="nearest")  # noqa: E731
    inside = at(sdf, gy, gx) > 0
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
    # A vertex is on the rim when one of the four cells around it is outside the piece.
    pad = np.pad(cells, 1)
    full = pad[:-1, :-1] & pad[1:, :-1] & pad[:-1, 1:] & pad[1:, 1:]
    rim = used & ~full
    ys, xs = gy[used], gx[used]
    on_rim = rim[used]
    # Rim vertices slide out along the distance field's slope onto the true outline.
    dy_f, dx_f = np.gradient(sdf)
    d = at(sdf, ys, xs)
    ny, nx = at(dy_f, ys, xs), at(dx_f, ys, xs)
    norm = np.maximum(np.hypot(ny, nx), 1e-6)
    ys = np.where(on_rim, ys - d * ny / norm, ys)
    xs = np.where(on_rim, xs - d * nx / norm, xs)
    d = np.where(on_rim, 0.0, np.maximum(at(sdf, ys, xs), 0.0))
    del on_rim  # the rim is found again from the triangles, where the side wall goes

    unit = 1.0 / TEXTURE  # texture pixels to piece units
    bevel = max(THICKNESS, 3.0 * TEXTURE / n * unit)
    t = np.clip(d * unit / bevel, 0, 1)
    # A quarter circle from a short side wall: the rounded edge of moulded plastic.
    round_ = np.sqrt(1 - (1 - (0.3 + 0.7 * t)) ** 2)
    steps = np.clip(at(stack, ys, xs, res / TEXTURE) - 1, 0, STEPS_MAX)
    front = THICKNESS * round_ + STEP * steps * np.clip(t * 1.5, 0, 1)
    back = -BACK * THICKNESS * round_

    index = -np.ones(inside.shape, np.int64)
    count = int(used.sum())
    index[used] = np.arange(count)
    x = (xs - TEXTURE / 2) * unit
    y = (TEXTURE / 2 - ys) * unit
    verts = np.concatenate([np.stack([x, y, front], 1), np.stack([x, y, back], 1)])
    cy, cx = np.nonzero(cells)
    a, b = index[cy, cx], index[cy, cx + 1]
    c, e = index[cy + 1, cx + 1], index[cy + 1, cx]
    # Image rows run down, figure y up: (a, e, c) is counter-clockwise seen from the front.
    quads = np.stack([a, e, c, b], 1)
    tris = np.concatenate([quads[:, [0, 1, 2]], quads[:, [0, 2, 3]]])
    # The side wall: each rim edge of the front joined to its copy on the back.
    pad = np.pad(cells, 1)
    sides = [(a, e, ~pad[1:-1, :-2]), (e, c, ~pad[2:, 1:-1]), (c, b, ~pad[1:-1, 2:]), (b, a, ~pad[:-2, 1:-1])]
    p = np.concatenate([s[0][s[2][cy, cx]] for s in sides])
    q = np.concatenate([s[1][s[2][cy, cx]] for s in sides])
    walls = np.concatenate([np.stack([q, p, p + count], 1), np.stack([q, p + count, q + count], 1)])
    faces = np.concatenate([tris, (tris + count)[:, ::-1], walls]).astype(np.int32)
    uv_front = np.stack([xs / TEXTURE, 1 - ys / TEXTURE], 1)
    uv = np.concatenate([uv_front, uv_front]).astype(np.float32)
    return verts.astype(np.float32), faces, uv, np.ascontiguousarray(_bleed(art))


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
    px = np.clip((uv * [1, -1] + [0, 1]) * (TEXTURE - 1), 0, TEXTURE - 1).astype(int)
    colors = texture[px[:, 1], px[:, 0]].astype(np.float32) / 255
    return Part(f"piece:{key}", v, faces.copy(), colors, material, uv.copy(), texture,
                np.ones(len(v), np.float32), {"piece": key})


# Pieces that are balls: moulded as spheres, their art wrapped on front and back, not as a relief.
BALLS = {"basketball", "soccer-ball", "volleyball", "baseball", "softball", "tennis-ball", "golf-ball", "cricket-ball",
         "pool-8-ball", "crystal-ball"}


def _ball(key: str, size: float, tint) -> Part:
    """A ball piece: a sphere `size` across, painted by projecting the art onto it from the front (the back
    shows the same art mirrored, as a moulded ball's two halves do)."""
    from ..accessories import DRAWERS

    art, _ = _drawn(key, tint) if key in DRAWERS else _emoji(key)
    texture = np.ascontiguousarray(_bleed(art))
    v, f = uv_sphere(24, 36)
    uv = (0.5 + 0.5 * (1 - 2 * PAD) * v[:, :2]).astype(np.float32)  # the art's disc spans the square less its pad
    px = np.clip((uv * [1, -1] + [0, 1]) * (TEXTURE - 1), 0, TEXTURE - 1).astype(int)
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
    from PIL import Image

    from .render import render

    return Image.fromarray(render([build_piece(key, tint=tint)], height=height, turn=turn, gloss=gloss,
                                  fov=12.0, margin=0.03, shadow_size=512), "RGBA")
