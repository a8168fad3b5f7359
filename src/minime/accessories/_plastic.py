"""Drawing kit for moulded plastic toy pieces: shapes, colours and a glossy part painter.

Every piece is drawn in a 100 x 100 design space; the caller scales the canvas. The key light sits at
the top left (as on the box), so fills darken towards the bottom right and highlights sit top left.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence

import skia

Color = tuple[int, int, int]

# Factory-paint palette: saturated, few tones, each reads at thumbnail size.
RED: Color = (222, 38, 48)
ORANGE: Color = (247, 128, 24)
YELLOW: Color = (255, 204, 28)
GOLD: Color = (238, 172, 30)
GREEN: Color = (44, 170, 72)
LIME: Color = (140, 206, 40)
TEAL: Color = (20, 168, 170)
SKY: Color = (60, 170, 238)
BLUE: Color = (34, 104, 222)
NAVY: Color = (34, 52, 120)
PURPLE: Color = (132, 64, 200)
PINK: Color = (244, 96, 160)
BROWN: Color = (140, 82, 40)
TAN: Color = (222, 168, 104)
CREAM: Color = (250, 236, 200)
WHITE: Color = (244, 244, 240)
SILVER: Color = (184, 192, 204)
GREY: Color = (120, 128, 140)
DARK: Color = (62, 66, 78)
BLACK: Color = (38, 40, 48)


def mix(a: Color, b: Color, t: float) -> Color:
    """Blend a towards b by t (0..1)."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def lighter(c: Color, t: float) -> Color:
    return mix(c, (255, 255, 255), t)


def darker(c: Color, t: float) -> Color:
    # Shadows on painted plastic stay saturated: scale value, then push chroma back up a little.
    r, g, b = (x * (1 - t) for x in c)
    m = (r + g + b) / 3
    k = 1 + 0.35 * t
    return tuple(max(0, min(255, round(m + (x - m) * k))) for x in (r, g, b))  # type: ignore[return-value]


def argb(c: Color, a: float = 1.0) -> int:
    return skia.ColorSetARGB(max(0, min(255, round(a * 255))), *c)


# --------------------------------------------------------------------------- shapes


def circle(cx: float, cy: float, r: float) -> skia.Path:
    return skia.Path.Circle(cx, cy, r)


def oval(cx: float, cy: float, rx: float, ry: float) -> skia.Path:
    return skia.Path.Oval(skia.Rect.MakeLTRB(cx - rx, cy - ry, cx + rx, cy + ry))


def rect(x: float, y: float, w: float, h: float, r: float = 0.0) -> skia.Path:
    rr = skia.Rect.MakeXYWH(x, y, w, h)
    return skia.Path.RRect(rr, r, r) if r else skia.Path.Rect(rr)


def poly(pts: Sequence[tuple[float, float]], close: bool = True) -> skia.Path:
    return skia.Path.Polygon([skia.Point(*p) for p in pts], close)


def stroke(path: skia.Path, width: float, *, cap: str = "round", join: str = "round") -> skia.Path:
    """The outline of `path` stroked at `width`, as a fillable path."""
    p = skia.Paint(Style=skia.Paint.kStroke_Style, StrokeWidth=width)
    p.setStrokeCap({"round": skia.Paint.kRound_Cap, "butt": skia.Paint.kButt_Cap,
                    "square": skia.Paint.kSquare_Cap}[cap])
    p.setStrokeJoin({"round": skia.Paint.kRound_Join, "miter": skia.Paint.kMiter_Join,
                     "bevel": skia.Paint.kBevel_Join}[join])
    out = skia.Path()
    p.getFillPath(path, out, None, 4)
    return skia.Op(out, skia.Path(), skia.PathOp.kUnion_PathOp)  # resolve self-overlaps


def capsule(x1: float, y1: float, x2: float, y2: float, w: float, cap: str = "round") -> skia.Path:
    return stroke(poly([(x1, y1), (x2, y2)], close=False), w, cap=cap)


def union(*paths: skia.Path) -> skia.Path:
    out = paths[0]
    for p in paths[1:]:
        out = skia.Op(out, p, skia.PathOp.kUnion_PathOp)
    return out


def minus(a: skia.Path, *bs: skia.Path) -> skia.Path:
    for b in bs:
        a = skia.Op(a, b, skia.PathOp.kDifference_PathOp)
    return a


def intersect(a: skia.Path, b: skia.Path) -> skia.Path:
    return skia.Op(a, b, skia.PathOp.kIntersect_PathOp)


def rotate(path: skia.Path, deg: float, cx: float = 50, cy: float = 50) -> skia.Path:
    out = skia.Path(path)
    out.transform(skia.Matrix.RotateDeg(deg, skia.Point(cx, cy)))
    return out


def move(path: skia.Path, dx: float, dy: float) -> skia.Path:
    out = skia.Path(path)
    out.offset(dx, dy)
    return out


def scale(path: skia.Path, sx: float, sy: float | None = None, cx: float = 50, cy: float = 50) -> skia.Path:
    out = skia.Path(path)
    m = skia.Matrix()
    m.setScale(sx, sx if sy is None else sy, cx, cy)
    out.transform(m)
    return out


def mirror_x(path: skia.Path, cx: float = 50) -> skia.Path:
    return scale(path, -1, 1, cx, 0)


_TOKEN = re.compile(r"[MmLlHhVvCcSsQqTtAaZz]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")


def svg(d: str) -> skia.Path:
    """Parse SVG path data (all commands, absolute and relative) into a skia Path."""
    toks = _TOKEN.findall(d)
    path = skia.Path()
    i = 0
    cmd = ""
    x = y = sx = sy = 0.0
    lc: tuple[float, float] | None = None  # last control point, for S/T

    def num() -> float:
        nonlocal i
        v = float(toks[i])
        i += 1
        return v

    while i < len(toks):
        if toks[i].isalpha():
            cmd = toks[i]
            i += 1
        rel = cmd.islower()
        c = cmd.upper()
        ox, oy = (x, y) if rel else (0.0, 0.0)
        if c == "Z":
            path.close()
            x, y = sx, sy
            lc = None
            continue
        if c == "M":
            x, y = ox + num(), oy + num()
            path.moveTo(x, y)
            sx, sy = x, y
            cmd = "l" if rel else "L"
            lc = None
        elif c == "L":
            x, y = ox + num(), oy + num()
            path.lineTo(x, y)
            lc = None
        elif c == "H":
            x = ox + num()
            path.lineTo(x, y)
            lc = None
        elif c == "V":
            y = oy + num()
            path.lineTo(x, y)
            lc = None
        elif c == "C":
            x1, y1, x2, y2 = ox + num(), oy + num(), ox + num(), oy + num()
            x, y = ox + num(), oy + num()
            path.cubicTo(x1, y1, x2, y2, x, y)
            lc = (x2, y2)
        elif c == "S":
            x1, y1 = (2 * x - lc[0], 2 * y - lc[1]) if lc else (x, y)
            x2, y2 = ox + num(), oy + num()
            x, y = ox + num(), oy + num()
            path.cubicTo(x1, y1, x2, y2, x, y)
            lc = (x2, y2)
        elif c == "Q":
            x1, y1 = ox + num(), oy + num()
            x, y = ox + num(), oy + num()
            path.quadTo(x1, y1, x, y)
            lc = (x1, y1)
        elif c == "T":
            x1, y1 = (2 * x - lc[0], 2 * y - lc[1]) if lc else (x, y)
            x, y = ox + num(), oy + num()
            path.quadTo(x1, y1, x, y)
            lc = (x1, y1)
        elif c == "A":
            rx, ry, rot, large, sweep = num(), num(), num(), num(), num()
            x, y = ox + num(), oy + num()
            path.arcTo(rx, ry, rot,
                       skia.Path.ArcSize.kLarge_ArcSize if large else skia.Path.ArcSize.kSmall_ArcSize,
                       skia.PathDirection.kCW if sweep else skia.PathDirection.kCCW, x, y)
            lc = None
        else:  # pragma: no cover - malformed data in our own source
            raise ValueError(f"unsupported SVG path command {cmd!r}")
    return path


# --------------------------------------------------------------------------- painter

_LIGHT = (0.5, 0.866)  # direction the light travels: from top left towards bottom right, mostly down


class Plastic:
    """Paints glossy moulded parts onto a canvas already scaled to the 100-unit design space."""

    def __init__(self, canvas: skia.Canvas, px_per_unit: float):
        self.c = canvas
        self.ppu = px_per_unit
        # Outlines must stay at least ~1.3 px wide so small thumbnails keep their edges.
        self.lw = max(1.25, 1.35 / px_per_unit)

    # -- parts

    def part(
        self,
        path: skia.Path,
        color: Color,
        *,
        hl: str | Iterable[skia.Path] | None = "auto",
        outline: bool = True,
        depth: float = 1.0,
        light: float = 1.0,
        edge: Color | None = None,
        lw: float | None = None,
        cast: float = 1.0,
        details: Callable[[], None] | None = None,
    ) -> None:
        """A moulded part: shaded fill, inner form shadow, lit rim, specular highlight, dark edge.

        Args:
            path: the part's silhouette in design units.
            color: its factory paint colour.
            hl: "auto" for a rim gloss along the lit edge, a list of highlight shapes (a shape, a
                (shape, alpha) pair, or "auto"), or None.
            outline: draw the darker moulding edge.
            depth: strength of the form shading (0 flat .. 1 full).
            light: strength of the lit side.
            edge: outline colour (default: a dark shade of `color`).
            lw: outline width in design units.
            cast: strength of the shadow this part casts on parts drawn before it.
            details: paints printed/moulded detail inside the part, under its shading and gloss.
        """
        c = self.c
        b = path.computeTightBounds()
        w, h = b.width(), b.height()
        if w <= 0 or h <= 0:
            return
        m = min(w, h)
        d = max(0.7, min(5.0, 0.11 * m))
        if cast:
            # Contact shadow falls only on what is already drawn (SrcATop), never on the background.
            s = max(0.8, min(2.2, 0.05 * m))
            c.drawPath(move(path, s * 0.6, s), skia.Paint(
                AntiAlias=True, Color=argb((20, 16, 30), 0.45 * cast), BlendMode=skia.BlendMode.kSrcATop,
                MaskFilter=skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, s * 0.9)))
        cx, cy = b.centerX(), b.centerY()
        ext = abs(w * _LIGHT[0]) / 2 + abs(h * _LIGHT[1]) / 2
        g0 = skia.Point(cx - _LIGHT[0] * ext, cy - _LIGHT[1] * ext)
        g1 = skia.Point(cx + _LIGHT[0] * ext, cy + _LIGHT[1] * ext)
        shader = skia.GradientShader.MakeLinear(
            [g0, g1],
            [argb(lighter(color, 0.34 * light)), argb(color), argb(darker(color, 0.38 * depth))],
            [0.0, 0.42, 1.0],
        )
        c.drawPath(path, skia.Paint(AntiAlias=True, Shader=shader))

        outer = skia.Path.Rect(b.makeOutset(d * 3.5 + 1, d * 3.5 + 1))
        ring = minus(outer, path)
        c.save()
        c.clipPath(path, skia.ClipOp.kIntersect, True)
        if details:  # moulded or printed detail sits under the shading and the gloss
            details()
        # Form shadow on the lower-right inside edge.
        sh = move(ring, -d * 0.9, -d * 1.2)
        c.drawPath(sh, skia.Paint(AntiAlias=True, Color=argb(darker(color, 0.6), 0.6 * depth),
                                  MaskFilter=skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, d * 0.9)))
        # Bounce of the key light along the upper-left rim (invisible on tiny parts, so skipped).
        rim = move(ring, d * 0.4, d * 0.55)
        if m >= 4:
            c.drawPath(rim, skia.Paint(AntiAlias=True, Color=argb((255, 255, 255), 0.32 * light),
                                       MaskFilter=skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, d * 0.4)))
        for p in ([hl] if isinstance(hl, str) else hl or []):
            if isinstance(p, str):
                self._auto_highlight(path, b, d)
            elif isinstance(p, tuple):
                self.gloss(*p)
            else:
                self.gloss(p)
        c.restore()
        if outline:
            self.edge(path, edge or darker(color, 0.62), lw)

    def _auto_highlight(self, path: skia.Path, b: skia.Rect, d: float) -> None:
        # A glossy band just inside the lit edge, brightest at the top left and fading round the form.
        a, bw = d * 0.55, max(0.6, d * 0.75)
        band = intersect(path, minus(move(path, a * 0.6, a), move(path, (a + bw) * 0.6, a + bw)))
        r = math.hypot(b.width(), b.height()) * 0.55
        shader = skia.GradientShader.MakeRadial(
            skia.Point(b.left() + b.width() * 0.2, b.top() + b.height() * 0.1), r,
            [argb((255, 255, 255), 0.95), argb((255, 255, 255), 0.55), argb((255, 255, 255), 0.0)],
            [0.0, 0.45, 1.0])
        self.c.drawPath(band, skia.Paint(AntiAlias=True, Shader=shader,
                                         MaskFilter=skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, 0.3)))

    def gloss(self, path: skia.Path, alpha: float = 0.85, blur: float = 0.35) -> None:
        """A specular highlight (white, slightly soft)."""
        p = skia.Paint(AntiAlias=True, Color=argb((255, 255, 255), alpha))
        if blur:
            p.setMaskFilter(skia.MaskFilter.MakeBlur(skia.kNormal_BlurStyle, blur))
        self.c.drawPath(path, p)

    def edge(self, path: skia.Path, color: Color, lw: float | None = None) -> None:
        self.c.drawPath(path, skia.Paint(AntiAlias=True, Style=skia.Paint.kStroke_Style,
                                         StrokeWidth=lw or self.lw, Color=argb(color),
                                         StrokeJoin=skia.Paint.kRound_Join))

    # -- flat printed details (tampo print on a toy): no shading, crisp

    def decal(self, path: skia.Path, color: Color, alpha: float = 1.0) -> None:
        self.c.drawPath(path, skia.Paint(AntiAlias=True, Color=argb(color, alpha)))

    def line(self, pts: Sequence[tuple[float, float]], color: Color, width: float,
             alpha: float = 1.0, cap: str = "round") -> None:
        p = skia.Paint(AntiAlias=True, Style=skia.Paint.kStroke_Style, StrokeWidth=width,
                       Color=argb(color, alpha), StrokeJoin=skia.Paint.kRound_Join)
        p.setStrokeCap(skia.Paint.kRound_Cap if cap == "round" else skia.Paint.kButt_Cap)
        self.c.drawPath(poly(pts, close=False), p)

    def curve(self, path: skia.Path, color: Color, width: float, alpha: float = 1.0) -> None:
        p = skia.Paint(AntiAlias=True, Style=skia.Paint.kStroke_Style, StrokeWidth=width,
                       Color=argb(color, alpha), StrokeJoin=skia.Paint.kRound_Join,
                       StrokeCap=skia.Paint.kRound_Cap)
        self.c.drawPath(path, p)

    def hole(self, path: skia.Path) -> None:
        """Punch a transparent hole through everything drawn so far."""
        self.c.drawPath(path, skia.Paint(AntiAlias=True, BlendMode=skia.BlendMode.kClear))

    def clip(self, path: skia.Path):
        return _Clip(self.c, path)


class _Clip:
    def __init__(self, canvas: skia.Canvas, path: skia.Path):
        self.c, self.p = canvas, path

    def __enter__(self):
        self.c.save()
        self.c.clipPath(self.p, skia.ClipOp.kIntersect, True)

    def __exit__(self, *exc):
        self.c.restore()


def streak(x1: float, y1: float, x2: float, y2: float, w: float) -> skia.Path:
    """A highlight stroke shape (capsule) for `Plastic.part(hl=[...])`."""
    return capsule(x1, y1, x2, y2, w)


def arc_path(cx: float, cy: float, r: float, start: float, sweep: float) -> skia.Path:
    p = skia.Path()
    p.addArc(skia.Rect.MakeLTRB(cx - r, cy - r, cx + r, cy + r), start, sweep)
    return p


def polar(cx: float, cy: float, r: float, deg: float) -> tuple[float, float]:
    a = math.radians(deg)
    return cx + r * math.cos(a), cy + r * math.sin(a)


def quad_point(q: Sequence[tuple[float, float]], u: float, v: float) -> tuple[float, float]:
    """Bilinear point in quad (top-left, top-right, bottom-right, bottom-left) at u across, v down."""
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = q
    tx, ty = ax + (bx - ax) * u, ay + (by - ay) * u
    bx2, by2 = dx + (cx - dx) * u, dy + (cy - dy) * u
    return tx + (bx2 - tx) * v, ty + (by2 - ty) * v


def quad_cell(q: Sequence[tuple[float, float]], u0: float, v0: float, u1: float, v1: float) -> skia.Path:
    return poly([quad_point(q, u0, v0), quad_point(q, u1, v0), quad_point(q, u1, v1), quad_point(q, u0, v1)])


def rounded(path: skia.Path, r: float) -> skia.Path:
    """Soften a polygon's corners by growing it with a round stroke (grows the shape by r)."""
    return union(path, stroke(path, 2 * r))
