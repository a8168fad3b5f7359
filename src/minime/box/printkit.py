"""The print-and-fold kit: a PDF with the dieline of a real tuck-end box sized for the card, and a
stand-up figure with a fold-out stand that fits inside it.

Page 1 is the box net: front, side, back, side and glue flap in a row, a tuck lid on the back's top
and on the front's bottom, dust flaps on the sides. Cut on solid lines, fold on dashed lines. Every
printed part bleeds 3 mm past the cut; crop marks sit outside the bleed. Page 2 is the figure on a
fold-out triangular stand, and the steps. Text stays vector text; images are placed at exactly 300 dpi.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import skia

from . import back as back_face
from . import text
from .brand import resolve
from .paint import WHITE, Ctx, Palette, color, draw_image, figure_crop, fill, label, mark, name_text, rect, stroke

if TYPE_CHECKING:
    from ..figure import Figure
    from ..spec import BrandKit, FigureSpec

MM = 72 / 25.4                   # PDF points per millimetre
A4 = (297 * MM, 210 * MM)        # landscape; the net also fits US Letter (279 x 216 mm)
BLEED = 3 * MM
DPI = 300
CUT = (0, 0, 0)
FOLD = (0, 0, 0)


@dataclass(frozen=True)
class Net:
    """Sizes of the box, in points: the front is w x h, the box is d deep."""

    w: float
    h: float
    d: float
    glue: float = 12 * MM
    tongue: float = 14 * MM

    @property
    def width(self) -> float:
        return 2 * self.w + 2 * self.d + self.glue

    @property
    def height(self) -> float:
        return self.h + 2 * (self.d + self.tongue)


def net_for(aspect: float) -> Net:
    """A box 100 mm tall around a card of `aspect`, 26 mm deep: room for the stand-up figure."""
    h = 100 * MM
    return Net(w=h * aspect, h=h, d=26 * MM)


@dataclass(frozen=True)
class Model3D:
    """The model file the 3D page describes (outputs/printkit.py measures it)."""

    height_mm: float
    base: str                      # round, square or none
    bed_mm: tuple[float, float]    # its footprint on the print bed, width by depth
    min_feature_mm: float          # the thinnest wall the model file has
    printer: str = "fdm"           # fdm, resin or powder
    colors: int = 4                # filaments of the 3MF (0: paint per vertex, for full-colour services)
    facts: dict | None = None      # outputs.printkit.print_facts: orientation, supports, grams, filaments


def print_kit(figure: Figure, spec: FigureSpec, *, template: str = "classic", brand: BrandKit | None = None,
              warnings: list[str] | None = None, model: Model3D | None = None) -> bytes:
    """The print kit as PDF bytes: two A4 landscape pages, and a third on 3D-printing the figure when it has a
    mesh and its `model` is given."""
    from .render import KINDS, face_aspect, get_template, package_template

    template = package_template(template)  # a scene's kit is its box's: a desk does not fold
    tpl = get_template(template)
    kit = resolve(brand)
    stream = skia.DynamicMemoryWStream()
    meta = skia.PDF.Metadata()
    meta.fTitle = f"{text.clean(spec.name)} - minime print kit"
    meta.fCreator = "minime"
    meta.fSubject = "AI-generated figure: print, cut, fold"
    meta.fRasterDPI = DPI
    meta.fEncodingQuality = 92
    doc = skia.PDF.MakeDocument(stream, meta)
    notes: list[str] = warnings if warnings is not None else []

    def context(canvas: skia.Canvas) -> Ctx:
        ctx = Ctx(canvas, figure, spec, tpl, Palette.make(spec, tpl, kit), kit, notes, {})
        ctx.vector, ctx.px_per_unit, ctx.print_mode, ctx.scene = True, DPI / 72, True, False
        return ctx

    net = net_for(face_aspect(template))
    kind = KINDS[tpl["kind"]]
    canvas = doc.beginPage(*A4)
    _box_page(context(canvas), net, kind)
    doc.endPage()
    canvas = doc.beginPage(*A4)
    _figure_page(context(canvas), net)
    doc.endPage()
    if getattr(figure, "mesh", None) and model is not None:
        canvas = doc.beginPage(*A4)
        _print3d_page(context(canvas), model)
        doc.endPage()
    doc.close()
    return bytes(stream.detachAsData())


# ---------------------------------------------------------------- page 1: the box


def _box_page(ctx: Ctx, net: Net, kind) -> None:
    c = ctx.canvas
    w, h, d, g, t = net.w, net.h, net.d, net.glue, net.tongue
    ox, oy = (A4[0] - net.width) / 2, (A4[1] - net.height) / 2
    y0 = oy + d + t  # top of the body row
    front = rect(ox, y0, w, h)
    side1 = rect(ox + w, y0, d, h)
    back = rect(ox + w + d, y0, w, h)
    side2 = rect(ox + 2 * w + d, y0, d, h)
    glue = _poly([(side2.right(), y0), (side2.right() + g, y0 + 4 * MM), (side2.right() + g, y0 + h - 4 * MM), (side2.right(), y0 + h)])
    top_lid = rect(back.left(), y0 - d, w, d)
    top_tongue = _tongue(back.left(), y0 - d, w, t, up=True)
    bottom_lid = rect(front.left(), y0 + h, w, d)
    bottom_tongue = _tongue(front.left(), y0 + h + d, w, t, up=False)
    flaps = [_dust(s.left(), y0, d, up=True) for s in (side1, side2)] + [_dust(s.left(), y0 + h, d, up=False) for s in (side1, side2)]

    outline = skia.Path()
    for part in [front, side1, back, side2]:
        outline.addRect(part)
    for shape in [glue, top_tongue, bottom_tongue, *flaps]:
        outline = skia.Op(outline, shape, skia.PathOp.kUnion_PathOp)
    for r in (top_lid, bottom_lid):
        p = skia.Path()
        p.addRect(r)
        outline = skia.Op(outline, p, skia.PathOp.kUnion_PathOp)

    # Flood colour under everything, 3 mm past every cut: a cut a little off never shows white.
    flood = skia.Paint(AntiAlias=True, Color=color(ctx.pal.card), Style=skia.Paint.kStrokeAndFill_Style,
                       StrokeWidth=2 * BLEED, StrokeJoin=skia.Paint.kMiter_Join)
    c.drawPath(outline, flood)

    def panel(r: skia.Rect, draw, bleed_sides: str) -> None:
        """Draw a face in `r`, letting it run into the bleed on its cut sides (l, t, r, b)."""
        clip = skia.Rect.MakeLTRB(r.left() - (BLEED if "l" in bleed_sides else 0), r.top() - (BLEED if "t" in bleed_sides else 0),
                                  r.right() + (BLEED if "r" in bleed_sides else 0), r.bottom() + (BLEED if "b" in bleed_sides else 0))
        c.save()
        c.clipRect(clip, doAntiAlias=True)
        draw(ctx, r)
        c.restore()

    panel(front, kind.front, "lt")
    panel(side1, kind.side, "")
    panel(back, back_face.face, "b")
    panel(side2, kind.side, "")
    # The top lid shows on the box's top: the logo, turned to read from the front.
    c.save()
    c.translate(top_lid.centerX(), top_lid.centerY())
    c.rotate(180)
    mark(ctx, rect(-w * 0.35, -d * 0.22, w * 0.7, d * 0.44), ctx.pal.ink, align="center", plate=True)
    c.restore()
    label(ctx, name_text(ctx), bottom_lid.makeInset(4 * MM, d * 0.3), d * 0.3, ctx.pal.ink, weight=800, families=ctx.display)
    for shape, word in ((glue, "GLUE"), *((f, "") for f in flaps)):
        c.drawPath(shape, fill(color(WHITE, 0.55)))
        if word:
            b = shape.getBounds()
            c.save()
            c.translate(b.centerX(), b.centerY())
            c.rotate(90)
            label(ctx, word, rect(-b.height() / 2, -b.width() / 2, b.height(), b.width()), 8, (60, 60, 60), weight=800,
                  spacing=2)
            c.restore()

    # Dieline: cut on solid lines, fold on dashed ones.
    c.drawPath(outline, stroke(color(CUT), 0.6))
    dash = stroke(color(FOLD, 0.85), 0.5, PathEffect=skia.DashPathEffect.Make([3.0, 2.0], 0))
    folds = [(front.right(), y0, front.right(), y0 + h), (side1.right(), y0, side1.right(), y0 + h),
             (back.right(), y0, back.right(), y0 + h), (side2.right(), y0, side2.right(), y0 + h),
             (back.left(), y0, back.right(), y0), (top_lid.left(), top_lid.top(), top_lid.right(), top_lid.top()),
             (front.left(), y0 + h, front.right(), y0 + h),
             (bottom_lid.left(), bottom_lid.bottom(), bottom_lid.right(), bottom_lid.bottom()),
             (side1.left(), y0, side1.right(), y0), (side2.left(), y0, side2.right(), y0),
             (side1.left(), y0 + h, side1.right(), y0 + h), (side2.left(), y0 + h, side2.right(), y0 + h)]
    for x_0, y_0, x_1, y_1 in folds:
        c.drawLine(x_0, y_0, x_1, y_1, dash)
    crop_marks(c, outline.getBounds())
    label(ctx, "Cut on the solid lines \u00b7 fold on the dashed lines \u00b7 glue the GLUE flap inside the front \u00b7 "
               "tuck the lids in", rect(0, 2.5 * MM, A4[0], 4 * MM), 7.5, (60, 60, 60), weight=600)


def _poly(points: list[tuple[float, float]]) -> skia.Path:
    p = skia.Path()
    p.addPoly([skia.Point(*q) for q in points], True)
    return p


def _tongue(x: float, y: float, w: float, t: float, *, up: bool) -> skia.Path:
    """A tuck tongue with rounded shoulders, on the edge at y."""
    s = -1 if up else 1
    inset = 1.5 * MM
    p = skia.Path()
    p.moveTo(x + inset, y)
    p.lineTo(x + inset, y + s * t * 0.35)
    p.quadTo(x + inset, y + s * t, x + inset + t * 0.7, y + s * t)
    p.lineTo(x + w - inset - t * 0.7, y + s * t)
    p.quadTo(x + w - inset, y + s * t, x + w - inset, y + s * t * 0.35)
    p.lineTo(x + w - inset, y)
    p.close()
    return p


def _dust(x: float, y: float, d: float, *, up: bool) -> skia.Path:
    """A dust flap: tapered so it slides in past the lid."""
    s = -1 if up else 1
    fh = d * 0.8
    return _poly([(x, y), (x + d, y), (x + d - 2 * MM, y + s * fh), (x + 4 * MM, y + s * fh)])


def crop_marks(c: skia.Canvas, trim: skia.Rect, gap: float = BLEED + 2 * MM, length: float = 5 * MM) -> None:
    """Printer's crop marks at the corners of `trim`, outside the bleed."""
    p = stroke(color((0, 0, 0)), 0.3)
    for x, sx in ((trim.left(), -1), (trim.right(), 1)):
        for y, sy in ((trim.top(), -1), (trim.bottom(), 1)):
            c.drawLine(x + sx * gap, y, x + sx * (gap + length), y, p)
            c.drawLine(x, y + sy * gap, x, y + sy * (gap + length), p)


# ---------------------------------------------------------------- page 2: the stand-up figure


def _figure_page(ctx: Ctx, net: Net) -> None:
    c, pal = ctx.canvas, ctx.pal
    img = figure_crop(ctx.figure)
    # The standee fits inside the box: a little shorter and narrower than the front.
    fig_h = net.h - 14 * MM
    fig_w = fig_h * img.width / img.height if img is not None else net.w * 0.6
    if fig_w > net.w - 8 * MM:
        narrower = net.w - 8 * MM
        fig_h = narrower * img.height / img.width if img is not None else fig_h * narrower / fig_w
        fig_w = narrower
    border = 2.5 * MM
    floor, brace, tab = 18 * MM, 24 * MM, 10 * MM  # a 18-24-16 mm right triangle behind the figure
    total_h = fig_h + border + floor + brace + tab
    x0 = A4[0] * 0.27 - fig_w / 2
    y0 = (A4[1] - total_h) / 2
    feet = y0 + border + fig_h
    silhouette = _silhouette(img, rect(x0, y0 + border, fig_w, fig_h), border, feet)
    stand_w = min(fig_w * 0.8, 40 * MM)
    sx = x0 + (fig_w - stand_w) / 2
    parts = [rect(sx, feet, stand_w, floor), rect(sx, feet + floor, stand_w, brace), rect(sx, feet + floor + brace, stand_w, tab)]
    outline = skia.Path(silhouette)
    for r in parts:
        p = skia.Path()
        p.addRect(r)
        outline = skia.Op(outline, p, skia.PathOp.kUnion_PathOp)
    flood = skia.Paint(AntiAlias=True, Color=color(WHITE), Style=skia.Paint.kStrokeAndFill_Style, StrokeWidth=2 * BLEED)
    c.drawPath(outline, flood)
    for r, word in zip(parts, ("FLOOR: fold back", "BRACE: fold up", "GLUE to the back")):
        c.drawRect(r, fill(color(pal.card)))
        label(ctx, word, r.makeInset(2 * MM, r.height() * 0.25), 7.5, pal.ink, weight=800)
    c.drawRect(parts[2], fill(color(WHITE, 0.55)))
    if img is not None:
        draw_image(ctx, img, rect(x0, y0 + border, fig_w, fig_h))
    c.drawPath(outline, stroke(color(CUT), 0.6))
    dash = stroke(color(FOLD, 0.85), 0.5, PathEffect=skia.DashPathEffect.Make([3.0, 2.0], 0))
    for y in (feet, feet + floor, feet + floor + brace):
        c.drawLine(sx, y, sx + stand_w, y, dash)
    crop_marks(c, outline.getBounds())

    # The steps, on the right half.
    tx, tw = A4[0] * 0.52, A4[0] * 0.42
    y = 24 * MM
    label(ctx, "BUILD YOUR BOX", rect(tx, y, tw, 8 * MM), 11, pal.card if _readable(pal.card) else (30, 30, 40),
          weight=900, spacing=2, align="left")
    y += 9 * MM
    label(ctx, name_text(ctx), rect(tx, y, tw, 16 * MM), 34, (25, 25, 35), weight=900, align="left", families=ctx.display,
          max_lines=2, min_size=14)
    y += 20 * MM
    steps = [
        "Print both pages at 100% (actual size) on A4 or US Letter card stock, 200-300 g/m\u00b2.",
        "Page 1: cut along the solid lines. The colour runs 3 mm past them, so a cut a little off never shows white.",
        "Fold every dashed line away from you. Glue the GLUE flap inside the left edge of the front panel.",
        "Fold in the dust flaps, then close the top and bottom lids and tuck their tongues in.",
        "Page 2: cut out the figure. Fold the FLOOR back, the BRACE up, and glue the tab to the figure's back.",
        "Stand the figure in its box. It is 26 mm deep: the stand fits with room to spare.",
    ]
    for i, step in enumerate(steps, start=1):
        c.drawCircle(tx + 3 * MM, y + 3 * MM, 3 * MM, fill(color(pal.card)))
        label(ctx, str(i), rect(tx, y + 0.6 * MM, 6 * MM, 5 * MM), 9, pal.ink, weight=900)
        f = label(ctx, step, rect(tx + 9 * MM, y, tw - 9 * MM, 14 * MM), 9.5, (30, 30, 40), weight=500, align="left",
                  max_lines=3, valign="top", line_height=1.25, min_size=8.5)
        y += max(9 * MM, f.height + 4 * MM)
    label(ctx, "AI-generated figure. Not a toy for children under 3: small parts. Made with minime.",
          rect(tx, A4[1] - 22 * MM, tw, 6 * MM), 7.5, (90, 90, 100), weight=600, align="left")


# ---------------------------------------------------------------- page 3: the figure in 3D


def layer_height(height_mm: float) -> float:
    """A layer height that keeps the face's features: finer for a small figure, where a nose is a few layers."""
    return 0.08 if height_mm < 80 else 0.12 if height_mm <= 150 else 0.16


PRINTER_WORDS = {"fdm": "a filament (FDM) printer", "resin": "a resin printer", "powder": "a powder (full-colour) service"}


def _print_rows(model: Model3D, name: str, plate: str) -> list[tuple[str, str]]:
    """The 3D page's rows: the command for this file, its size, the printer's settings, supports and weight."""
    height_mm, base, facts = model.height_mm, model.base, model.facts or {}
    flags = "" if (height_mm, base) == (100.0, "round") else f" --height-mm {height_mm:g} --base {base}"
    flags += "" if model.printer == "fdm" else f" --printer {model.printer}"
    flags += "" if model.colors == 4 else " --colors full" if not model.colors else f" --colors {model.colors}"
    colour = (f"{model.colors} filaments, painted per triangle" if model.colors else "paint per vertex, for full-colour services")
    layer = {"fdm": f"{layer_height(height_mm):.2f} mm layers, 0.4 mm nozzle; 3 walls, 15% infill",
             "resin": "0.05 mm layers; hollowing not needed at this size",
             "powder": "the service's standard layers; no supports, no infill"}[model.printer]
    rows = [("File", f"minime make PHOTO --name \"{name}\" -o FILE.3mf{flags}  ({colour}; .stl for one colour)"),
            ("Size", f"{height_mm:g} mm tall with {plate}; {model.bed_mm[0]:.0f} x {model.bed_mm[1]:.0f} mm on the bed"),
            ("Printer", f"{PRINTER_WORDS[model.printer]}: {layer}; no wall thinner than {model.min_feature_mm:g} mm")]
    if facts:
        rows.append(("Orientation", str(facts["orientation"])))
        over = f"{facts['overhang_share'] * 100:.0f}% of the surface faces down past 45 degrees"
        rows.append(("Supports", (f"needed: tree supports, touching the build plate only ({over})" if facts["supports"]
                                  else f"none needed ({over})")))
        rows.append(("Material", f"about {facts['grams']:.0f} g of {facts['material']} ({facts['volume_cm3']:.1f} cm3 solid)"))
    else:
        rows.append(("Supports", "tree supports, touching the build plate only: the arms and a held piece overhang"))
    return rows


def _print3d_page(ctx: Ctx, model: Model3D) -> None:
    from ..files import slug

    c, pal = ctx.canvas, ctx.pal
    height_mm, base = model.height_mm, model.base
    # The figure's picture on the left with its printed height beside it, drawn to scale where it fits.
    img = figure_crop(ctx.figure)
    box_h = min(height_mm * MM, A4[1] - 60 * MM)
    x0, y0 = 40 * MM, (A4[1] - box_h) / 2
    if img is not None:
        w = box_h * img.width / img.height
        draw_image(ctx, img, rect(x0, y0, w, box_h))
    else:
        w = box_h * 0.5
    dim = stroke(color((40, 40, 50)), 0.6)
    xd = x0 + w + 6 * MM
    c.drawLine(xd, y0, xd, y0 + box_h, dim)
    for y in (y0, y0 + box_h):
        c.drawLine(xd - 2 * MM, y, xd + 2 * MM, y, dim)
    scale = "" if box_h >= height_mm * MM - 0.01 else " (not to scale)"
    c.save()
    c.translate(xd + 3 * MM, y0 + box_h / 2)
    c.rotate(-90)
    label(ctx, f"{height_mm:g} mm{scale}", rect(-box_h / 2, 0, box_h, 6 * MM), 9, (40, 40, 50), weight=700)
    c.restore()

    tx, tw = A4[0] * 0.46, A4[0] * 0.48
    y = 22 * MM
    label(ctx, "PRINT YOUR FIGURE IN 3D", rect(tx, y, tw, 8 * MM), 11, pal.card if _readable(pal.card) else (30, 30, 40),
          weight=900, spacing=2, align="left")
    y += 9 * MM
    label(ctx, name_text(ctx), rect(tx, y, tw, 16 * MM), 30, (25, 25, 35), weight=900, align="left", families=ctx.display,
          max_lines=1, min_size=14)
    y += 19 * MM
    plate = {"round": "a round base plate", "square": "a square base plate", "none": "no base plate: add a brim"}[base]
    name = slug(ctx.spec.name, ascii_only=True)
    rows = [(k, v.replace("FILE", name)) for k, v in _print_rows(model, ctx.spec.name, plate)]
    for key, value in rows:
        label(ctx, key.upper(), rect(tx, y, 34 * MM, 6 * MM), 8.5, (90, 90, 100), weight=800, align="left", spacing=1)
        f = label(ctx, value, rect(tx + 36 * MM, y, tw - 36 * MM, 12 * MM), 9.5, (30, 30, 40), weight=500, align="left",
                  max_lines=2, valign="top", line_height=1.25, min_size=9.5)  # wrap before shrinking
        y += max(9 * MM, f.height + 4 * MM)
    filaments = (model.facts or {}).get("filaments") or []
    if filaments:
        label(ctx, "FILAMENTS", rect(tx, y, 34 * MM, 6 * MM), 8.5, (90, 90, 100), weight=800, align="left", spacing=1)
        for i, fil in enumerate(filaments):
            rgb = (int(fil["color"][1:3], 16), int(fil["color"][3:5], 16), int(fil["color"][5:7], 16))
            sw = rect(tx + 36 * MM, y + 0.6 * MM, 4 * MM, 4 * MM)
            c.drawRect(sw, fill(color(rgb)))
            c.drawRect(sw, stroke(color((60, 60, 70)), 0.4))
            text_ = f"{i + 1}. {fil['color']}: {', '.join(fil['places']) or 'details'}; about {fil['grams']:.0f} g"
            label(ctx, text_, rect(tx + 42 * MM, y, tw - 42 * MM, 5.5 * MM), 9, (30, 30, 40), weight=500, align="left",
                  max_lines=1, min_size=7.5)
            y += 5.8 * MM
    label(ctx, "AI-generated figure. Small parts: not for children under 3. Made with minime.",
          rect(tx, A4[1] - 22 * MM, tw, 6 * MM), 7.5, (90, 90, 100), weight=600, align="left")


def _readable(rgb) -> bool:
    from .paint import contrast

    return contrast(rgb, WHITE) >= 3.0


def _silhouette(img, r: skia.Rect, border: float, feet: float) -> skia.Path:
    """An easy-to-cut outline around the figure: its convex hull grown by `border`, flat at the feet."""
    hull = skia.Path()
    if img is None:
        hull.addRect(r)
    else:
        alpha = np.asarray(img.getchannel("A").resize((max(1, img.width // 4), max(1, img.height // 4))))
        ys, xs = np.nonzero(alpha > 40)
        if len(xs) < 3:
            hull.addRect(r)
        else:
            from scipy.spatial import ConvexHull

            sx, sy = r.width() / alpha.shape[1], r.height() / alpha.shape[0]
            pts = np.stack([xs, ys], 1).astype(float)
            pts = np.concatenate([pts, pts + [1, 0], pts + [0, 1], pts + [1, 1]])
            corners = pts[ConvexHull(pts).vertices]
            hull.addPoly([skia.Point(r.left() + x * sx, r.top() + y * sy) for x, y in corners], True)
    grown = skia.Path()
    skia.Paint(Style=skia.Paint.kStroke_Style, StrokeWidth=2 * border, StrokeJoin=skia.Paint.kRound_Join).getFillPath(hull, grown)
    grown = skia.Op(grown, hull, skia.PathOp.kUnion_PathOp)
    cut = skia.Path()
    cut.addRect(skia.Rect.MakeLTRB(r.left() - 100 * MM, feet, r.right() + 100 * MM, feet + 100 * MM))
    return skia.Op(grown, cut, skia.PathOp.kDifference_PathOp)

