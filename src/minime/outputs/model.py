"""The figure as a file to 3D-print or view: STL, 3MF (with colours) and GLB (PBR materials).

STL and 3MF come from one printable solid: the figure's parts, thin features thickened to print at the
asked height, unioned with manifold3d into one closed, manifold mesh on a base plate. A GLB is for viewing
(a browser, AR): the same parts and plate at the same size, as sculpted, neither unioned nor thickened.
The face's paint is baked into vertex colours, so a 3MF or GLB carries no photo pixels beyond that paint,
and an STL carries no colour at all.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import MinimeError
from ..sculpt.materials import MATERIALS
from .printer import check_stands, deepen, plate_depth, thicken, wall_mm
from .registry import Encoder, OutputOptions, check_base, check_height, register
from .solid import _merged, clean, compact, picture, shells, unit_normals

if TYPE_CHECKING:
    from ..pipeline import Result
    from ..sculpt.mesh import Part

MESH_FORMATS = {".stl": "stl", ".3mf": "3mf", ".glb": "glb"}
MIN_FEATURE_MM = 0.8  # a common 0.4 mm nozzle lays two perimeters in 0.8 mm; thinner walls print as gaps
_MARGIN = 1.15  # thicken a little past the minimum, so rounding in the slicer stays above it
_FUSE_MM = 0.35  # parts are cut at their joints with hairline gaps; this much swelling closes them

# material -> (metallic, roughness) for viewers, from the one table of materials
_PBR = {name: (m.metallic, m.roughness) for name, m in MATERIALS.items()}


@dataclass
class Solid:
    """One printable, closed, manifold solid in millimetres (y up, feet on y = 0)."""

    vertices: np.ndarray  # (N, 3) float64
    faces: np.ndarray     # (M, 3) int64
    colors: np.ndarray    # (N, 3) float32, sRGB in [0, 1]
    materials: np.ndarray  # (M,) index into `names`
    names: list[str]       # material of each index

    @property
    def height(self) -> float:
        return float(self.vertices[:, 1].max() - self.vertices[:, 1].min())


def _painted_colors(part) -> np.ndarray:
    """Vertex colours with the face's paint sampled from its texture."""
    colors = part.colors
    if part.texture is None or part.uv is None or part.paint is None:
        return colors
    tex = part.texture
    h, w = tex.shape[:2]
    # The renderer uploads the texture bottom row first, so v = 0 is the image's last row.
    col = np.clip(np.rint(part.uv[:, 0] * (w - 1)), 0, w - 1).astype(int)
    row = np.clip(np.rint((1 - part.uv[:, 1]) * (h - 1)), 0, h - 1).astype(int)
    sampled = tex[row, col, :3].astype(np.float32) / 255.0
    weight = np.clip(part.paint, 0, 1)[:, None]
    return (colors * (1 - weight) + sampled * weight).astype(np.float32)


def local_thickness(vertices: np.ndarray, faces: np.ndarray, normals: np.ndarray | None = None,
                    cap: float | None = None, iterations: int = 12) -> np.ndarray:
    """Each vertex's local wall thickness: the diameter of the largest ball inside the mesh touching it.

    The shrinking-ball method: start with a large ball tangent at the vertex, and shrink it through the
    nearest other vertex until none is inside. Needs a mesh with vertices spread over its surface.
    With `cap`, a wall at least that thick reads as `cap` (much faster: only thin places are searched).
    """
    from scipy.spatial import cKDTree

    from ..sculpt.mesh import vertex_normals

    v = np.asarray(vertices, np.float64)
    n = vertex_normals(v, faces) if normals is None else normals
    tree = cKDTree(v)
    start = float(np.ptp(v, axis=0).max()) * 0.5 if cap is None else cap / 2
    r = np.full(len(v), start, np.float64)
    active = np.arange(len(v))
    for _ in range(iterations):
        va, na, ra = v[active], n[active], r[active]
        # Only a vertex strictly inside the ball shrinks it: bound the search by the ball's radius.
        dist, nearest = tree.query(va - na * ra[:, None], k=1, distance_upper_bound=float(ra.max()) * (1 - 1e-9))
        found = (nearest < len(v)) & (nearest != active)
        nearest = np.where(found, nearest, active)
        q = v[nearest] - va
        along = -(q * na).sum(1)  # how far the nearest vertex lies behind the surface at this one
        new_r = (q * q).sum(1) / np.maximum(2 * along, 1e-12)
        shrink = found & (dist < ra - 1e-9) & (along > 1e-12) & (new_r < ra)
        if not shrink.any():
            break
        r[active[shrink]] = new_r[shrink]
        active = active[shrink]
    return 2 * r


def _offset(vertices: np.ndarray, faces: np.ndarray, scale: float, minimum: float, base: bool = False):
    """One closed shell's vertices pushed out along their normals where it is thinner than `minimum`
    (figure units), and a little everywhere so parts cut at a joint touch again."""
    from ..sculpt.mesh import vertex_normals

    v = vertices.astype(np.float64)
    if base:
        return v
    n = vertex_normals(v, faces)
    fuse = _FUSE_MM / scale
    thick = local_thickness(v, faces, n, cap=minimum * _MARGIN)
    grow = np.maximum(fuse, (minimum * _MARGIN - thick) / 2)
    # Smooth the growth over neighbours, so a thickened tip has no step where thickening starts.
    e = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    for _ in range(2):
        acc = np.zeros(len(v))
        cnt = np.zeros(len(v))
        np.add.at(acc, e[:, 0], grow[e[:, 1]])
        np.add.at(cnt, e[:, 0], 1)
        grow = np.maximum(grow, acc / np.maximum(cnt, 1) * 0.9)
    return v + n * grow[:, None]


def _plate(figure_parts, base: str, height: float, color) -> Part | None:
    """The base plate under the feet, as a Part; None for `none`."""
    from ..sculpt.scene import plinth

    if base == "none":
        return None
    low = np.concatenate([p.vertices[p.vertices[:, 1] < height + 1.2] for p in figure_parts] + [np.zeros((1, 3))])
    half_x = float(np.abs(low[:, 0]).max()) + 0.3
    half_z = float(np.abs(low[:, 2]).max()) + 0.3
    if base == "round":
        r = max(half_x, half_z, 0.9)
        return plinth(r, r, height, color)
    side = max(half_x, half_z, 0.9)
    return _slab(np.array([-side, 0.0, -side]), np.array([side, height, side]), color)


def _extent(part) -> tuple[np.ndarray, np.ndarray]:
    return part.vertices.min(0).astype(np.float64), part.vertices.max(0).astype(np.float64)


def _slab(low: np.ndarray, high: np.ndarray, color) -> Part:
    """A square-cornered base plate filling the box from `low` to `high`."""
    from ..sculpt.mesh import Part, outward

    v = np.array([[x, y, z] for x in (low[0], high[0]) for y in (low[1], high[1]) for z in (low[2], high[2])], np.float32)
    f = np.array([[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1],
                  [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]], np.int32)
    return Part("base", v, outward(v, f), color, "base")


def printable(parts: list, *, height_mm: float = 100.0, base: str = "round", printer: str = "fdm") -> Solid:
    """The figure's parts as one printable solid `height_mm` tall on a `base` plate.

    Args:
        parts: the figure's mesh (figure space, one unit a head height, a base named "base" under the feet).
        height_mm: total height of the print, base included (30-300).
        base: "round" or "square" plate, or "none" (the figure stands on its own feet; a group keeps its base).
        printer: "fdm", "resin" or "powder": every wall is thickened to its minimum (outputs/printer.py).
    Returns:
        A Solid in millimetres.
    """
    import manifold3d as m3

    check_height(height_mm)
    check_base(base)
    pieces = _on_plate(parts, base, height_mm, printer)
    top = max(float(p.vertices[:, 1].max()) for p in pieces)
    bottom = min(float(p.vertices[:, 1].min()) for p in pieces)
    scale = height_mm / (top - bottom)  # mm per figure unit, before thickening (which adds well under 1%)
    minimum = wall_mm(printer) / scale

    solids, mats, names = [], {}, []
    for p in pieces:
        colors = _painted_colors(p)
        # A part is often several closed shells overlapping in space (a hand's phalanges, a hair piece's
        # locks): each is a solid of its own, so the union below fuses them and no wall hides inside.
        label = shells(p.faces)
        for k in np.unique(label):
            used, faces = compact(p.faces[label == k], len(p.vertices))
            v = _offset(p.vertices[used], faces, scale, minimum, p.material == "base")
            props = np.hstack([v, colors[used]]).astype(np.float32)
            m = m3.Manifold(m3.Mesh(vert_properties=props, tri_verts=faces.astype(np.uint32)))
            if m.status() != m3.Error.NoError or m.is_empty():
                continue
            m = m.as_original()
            if p.material not in names:
                names.append(p.material)
            mats[m.original_id()] = names.index(p.material)
            solids.append(m)

    def face_materials(mesh) -> np.ndarray:
        return _face_materials(mesh, mats, names.index("base") if "base" in names else 0)

    whole = m3.Manifold.batch_boolean(solids, m3.OpType.Add)
    whole, thick = thicken(whole, minimum, face_materials=face_materials)  # walls under the printer's minimum
    mats.update(thick)
    # Last of the unions: it drops the slivers of no volume they leave and pegs any loose piece on.
    whole = _bridge(whole, minimum)

    out = whole.to_mesh()
    props = np.asarray(out.vert_properties, np.float64)
    tri = _merged(out)  # vertices split only because their colours differ are one vertex of the solid
    face_mat = face_materials(out)
    used, tri = compact(tri, len(props))
    props = props[used]
    vertices = props[:, :3]
    vertices[:, 1] -= vertices[:, 1].min()
    vertices *= height_mm / vertices[:, 1].max()  # exactly the asked height, thickening included
    # Slivers and scraps the unions left go, and sheets that touch are set apart (see outputs/solid.py).
    vertices, tri, keep, kept = clean(vertices, tri, min_volume=(wall_mm(printer) / 2) ** 3)
    props, face_mat = props[keep], face_mat[kept]
    # glTF and 3MF are right-handed with y (glTF) or z (3MF) up; keep y up here and rotate on writing.
    return Solid(vertices, tri, np.clip(props[:, 3:6], 0, 1).astype(np.float32), face_mat, names)



def viewable(parts: list, *, height_mm: float = 100.0, base: str = "round", printer: str = "fdm") -> Solid:
    """The figure as a viewer shows it (GLB): the parts and plate of the print, `height_mm` tall, each part's
    closed shells as sculpted. A viewer needs no union and no thickening (they are for the printer), and the
    fingers and hems keep their sculpted size; the vertices are welded only within a part.

    Args and units as `printable`; the Solid's shells may overlap (it is not one solid).
    """
    check_height(height_mm)
    check_base(base)
    names: list[str] = []
    verts, faces, colors, mats = [], [], [], []
    n = 0
    for p in _on_plate(parts, base, height_mm, printer):
        if p.material not in names:
            names.append(p.material)
        verts.append(p.vertices.astype(np.float64))
        faces.append(p.faces.astype(np.int64) + n)
        colors.append(_painted_colors(p))
        mats.append(np.full(len(p.faces), names.index(p.material), np.int64))
        n += len(p.vertices)
    used, tri = compact(np.concatenate(faces) if faces else np.zeros((0, 3), np.int64), n)
    vertices = np.concatenate(verts)[used] if len(used) else np.zeros((0, 3))
    if not len(tri) or np.ptp(vertices[:, 1]) <= 0:
        raise MinimeError("the figure has no 3D surface to write as a model")
    vertices[:, 1] -= vertices[:, 1].min()
    vertices *= height_mm / vertices[:, 1].max()
    return Solid(vertices, tri, np.clip(np.concatenate(colors)[used], 0, 1).astype(np.float32), np.concatenate(mats), names)

def _on_plate(parts: list, base: str, height_mm: float, printer: str) -> list:
    """The figure's parts with the plate it prints on: the box's own base for a group, else a `base` plate
    as thick as `printer`'s thinnest wall at `height_mm` (none for "none")."""
    bases = [p for p in parts if p.material == "base" or p.name == "base"]
    figure = [p for p in parts if p not in bases]
    floor = min((float(p.vertices[:, 1].min()) for p in bases), default=0.0)
    # The ground plate is the lowest base on the floor; a higher one is the step a group's back row stands on.
    on_floor = [p for p in bases if abs(float(p.vertices[:, 1].min()) - floor) < 1e-4]
    ground = sorted(on_floor, key=lambda p: float(p.vertices[:, 1].max()))[:1]
    plate_h = max((float(p.vertices[:, 1].max()) for p in ground), default=0.28) - floor
    steps = [p for p in bases if p not in ground]
    color = ground[0].colors[0] if ground else np.array([0.07, 0.07, 0.08], np.float32)
    if ground and (steps or len(figure_groups(figure)) > 1):
        # A group prints on the base its box shows, around the feet and one piece with them, whatever the
        # --base (a square base squares its corners off); a disc around the whole row would be mostly plastic.
        plate = ground[0] if base != "square" else _slab(*_extent(ground[0]), color)
    else:
        plate = _plate(figure, base, plate_h, color) if base != "none" else None
        if plate is not None and floor:
            plate = plate.transformed(_translate(0, floor, 0))
    if plate is not None:  # the plate too holds the printer's thinnest wall at this height
        top = max(float(p.vertices[:, 1].max()) for p in figure + steps)
        plate = deepen(plate, plate_depth(top, float(plate.vertices[:, 1].max()), plate_h, height_mm, wall_mm(printer)))
    return figure + steps + ([plate] if plate is not None else [])


def _face_materials(mesh, mats: dict[int, int], default: int) -> np.ndarray:
    """The material index of each triangle of a manifold3d MeshGL, by the part each run came from."""
    run_mat = np.array([mats.get(int(i), default) for i in mesh.run_original_id], np.int64)
    if not len(run_mat):
        return np.full(len(mesh.tri_verts), default, np.int64)
    return np.repeat(run_mat, np.diff(np.asarray(mesh.run_index)) // 3)[:len(mesh.tri_verts)]


def figure_groups(parts: list) -> list[list]:
    """Figures in a group stand apart: each distinct torso is one person."""
    return [p for p in parts if p.name == "torso"] or [parts]


def _translate(x, y, z) -> np.ndarray:
    m = np.eye(4, dtype=np.float32)
    m[:3, 3] = (x, y, z)
    return m


def _bridge(whole, minimum: float):
    """Join any piece that floats free of the main body (a gap a joint cut left) with a short peg."""
    import manifold3d as m3
    from scipy.spatial import cKDTree

    pieces = sorted(whole.decompose(), key=lambda m: -m.volume())
    # Slivers of no volume (where two cut rims met edge on) are nothing a printer can lay down.
    pieces = [m for m in pieces if m.volume() > minimum ** 3 * 0.05] or pieces[:1]
    if len(pieces) <= 1:
        return pieces[0]
    main = pieces[0]
    pegs = [main]
    main_v = np.asarray(main.to_mesh().vert_properties)[:, :3]
    tree = cKDTree(main_v)
    for piece in pieces[1:]:
        props = np.asarray(piece.to_mesh().vert_properties)
        pv = props[:, :3]
        d, j = tree.query(pv)
        k = int(np.argmin(d))
        a, b = pv[k], main_v[j[k]]
        # A peg from well inside the piece to well inside the body, as thick as the piece allows.
        size = float(np.ptp(pv, axis=0).min())
        radius = max(minimum, min(size * 0.3, 4 * minimum))
        centre_p = pv.mean(0)
        start = a + (centre_p - a) * 0.3
        direction = b - start
        length = float(np.linalg.norm(direction))
        if length < 1e-9:
            pegs.append(piece)
            continue
        direction /= length
        end = b + direction * radius * 2
        pegs += [piece, _cylinder(start, end, radius, props[:, 3:6].mean(0))]
    return m3.Manifold.batch_boolean(pegs, m3.OpType.Add)


def _cylinder(a: np.ndarray, b: np.ndarray, radius: float, color) -> object:
    """A peg from a to b, painted `color` (it joins a piece of that colour)."""
    import manifold3d as m3

    axis = b - a
    length = float(np.linalg.norm(axis))
    z = axis / length
    x = np.cross(z, [0.0, 1.0, 0.0] if abs(z[1]) < 0.9 else [1.0, 0.0, 0.0])
    x /= np.linalg.norm(x)
    y = np.cross(z, x)
    m = np.column_stack([x, y, z, a]).astype(np.float64)
    mesh = m3.Manifold.cylinder(length, radius, radius, 24).transform(m).to_mesh()
    v = np.asarray(mesh.vert_properties)[:, :3]
    props = np.hstack([v, np.broadcast_to(np.asarray(color, np.float64)[:3], (len(v), 3))]).astype(np.float32)
    return m3.Manifold(m3.Mesh(vert_properties=props, tri_verts=np.ascontiguousarray(mesh.tri_verts, np.uint32)))


# --- encoders: each returns the file's bytes ---------------------------------------------------------------

def _z_up(v: np.ndarray) -> np.ndarray:
    """y-up figure space to the z-up space slicers and STL/3MF use (a rotation, so handedness holds)."""
    return np.column_stack([v[:, 0], -v[:, 2], v[:, 1]])


def stl_bytes(solid: Solid) -> bytes:
    """Binary STL in millimetres, z up."""
    v = _z_up(solid.vertices).astype(np.float32)
    tri = v[solid.faces]
    normal = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    normal /= np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-12)
    record = np.zeros(len(tri), dtype=[("n", "<f4", 3), ("v", "<f4", (3, 3)), ("attr", "<u2")])
    record["n"], record["v"] = normal, tri
    header = b"minime figure, AI-generated".ljust(80, b" ")
    return header + struct.pack("<I", len(tri)) + record.tobytes()


def threemf_bytes(solid: Solid, *, title: str = "minime figure", name: str = "figure") -> bytes:
    """3MF in millimetres, z up, with a colour per vertex (the materials extension's colour group), so a
    multi-colour printer's slicer can paint it; the object is called `name` (the figure's names), and a
    render of the solid is the package's thumbnail (/Metadata/thumbnail.png, as the 3MF core spec places it)."""
    from xml.sax.saxutils import escape, quoteattr

    v = _z_up(solid.vertices)
    # Quantise the paint: a slicer maps each colour to a filament, and fewer distinct colours map better.
    q = np.rint(solid.colors * 31).astype(np.int32)
    key = q[:, 0] * 1024 + q[:, 1] * 32 + q[:, 2]
    present = np.bincount(key, minlength=32 ** 3) > 0
    palette, pindex = np.flatnonzero(present), (np.cumsum(present) - 1)[key]
    rgb = np.stack([palette // 1024, (palette // 32) % 32, palette % 32], 1) * 255 // 31
    # One %-format over all the numbers at once: several times faster than formatting row by row.
    colors = '<m:color color="#%02X%02X%02X"/>' * len(rgb) % tuple(rgb.ravel().tolist())
    verts = '<vertex x="%.6f" y="%.6f" z="%.6f"/>' * len(v) % tuple(v.ravel().tolist())
    rows = np.hstack([solid.faces, pindex[solid.faces]])
    tris = '<triangle v1="%d" v2="%d" v3="%d" pid="1" p1="%d" p2="%d" p3="%d"/>' * len(rows) % tuple(rows.ravel().tolist())
    model = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<model unit="millimeter" xml:lang="en-US" '
             'xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02" '
             'xmlns:m="http://schemas.microsoft.com/3dmanufacturing/material/2015/02">'
             f'<metadata name="Title">{escape(title)}</metadata>'
             '<metadata name="Application">minime</metadata>'
             '<metadata name="Description">AI-generated figure</metadata>'
             f'<resources><m:colorgroup id="1">{colors}</m:colorgroup>'
             f'<object id="2" name={quoteattr(name)} type="model" pid="1" pindex="0"><mesh><vertices>{verts}</vertices>'
             f'<triangles>{tris}</triangles></mesh></object></resources>'
             '<build><item objectid="2"/></build></model>')
    types = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/>'
             '<Default Extension="png" ContentType="image/png"/>'
             '</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Target="/3D/3dmodel.model" Id="rel0" '
            'Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/>'
            '<Relationship Target="/Metadata/thumbnail.png" Id="rel1" '
            'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"/>'
            '</Relationships>')
    thumb = io.BytesIO()
    picture(solid.vertices, solid.faces, solid.colors).save(thumb, "PNG", optimize=False)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in (("[Content_Types].xml", types), ("_rels/.rels", rels), ("3D/3dmodel.model", model),
                           ("Metadata/thumbnail.png", thumb.getvalue())):
            info = zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if path.endswith(".png") else zipfile.ZIP_DEFLATED
            z.writestr(info, data, compresslevel=1)  # level 1: a third of the time of the default, 15% larger
    return buf.getvalue()


def glb_bytes(solid: Solid, *, title: str = "minime figure", name: str = "figure") -> bytes:
    """Binary glTF 2.0 in metres, y up: one primitive per material (PBR metallic-roughness), the paint as
    vertex colours; the node and mesh are called `name`."""
    chunks: list[bytes] = []
    views, accessors, primitives = [], [], []
    offset = 0

    def add(data: np.ndarray, target: int, component: int, kind: str, minmax: bool = False) -> int:
        nonlocal offset
        raw = np.ascontiguousarray(data).tobytes()
        pad = (-len(raw)) % 4
        views.append({"buffer": 0, "byteOffset": offset, "byteLength": len(raw), "target": target})
        chunks.append(raw + b"\0" * pad)
        offset += len(raw) + pad
        acc = {"bufferView": len(views) - 1, "componentType": component, "count": len(data), "type": kind}
        if component == 5121:
            acc["normalized"] = True
        if minmax:
            acc["min"] = data.min(0).tolist()
            acc["max"] = data.max(0).tolist()
        accessors.append(acc)
        return len(accessors) - 1

    materials: list[dict[str, Any]] = []
    # Normals of the whole surface (a material's edge shades as its neighbour does), of unit length in float32.
    normals = unit_normals(solid.vertices, solid.faces).astype(np.float32)
    normals /= np.linalg.norm(normals, axis=1, keepdims=True)
    metres = solid.vertices / 1000.0
    metres[:, 0] -= (metres[:, 0].max() + metres[:, 0].min()) / 2
    metres[:, 2] -= (metres[:, 2].max() + metres[:, 2].min()) / 2
    for mi, material in enumerate(solid.names):
        faces = solid.faces[solid.materials == mi]
        if not len(faces):
            continue
        used, f = compact(faces, len(metres))
        f = f.astype(np.uint32)
        v = metres[used].astype(np.float32)
        n = normals[used]
        c = np.hstack([np.rint(solid.colors[used] * 255), np.full((len(used), 1), 255)]).astype(np.uint8)
        attrs = {"POSITION": add(v, 34962, 5126, "VEC3", True), "NORMAL": add(n, 34962, 5126, "VEC3"),
                 "COLOR_0": add(c, 34962, 5121, "VEC4")}
        primitives.append({"attributes": attrs, "indices": add(f.ravel(), 34963, 5125, "SCALAR"),
                           "material": len(materials)})
        metallic, rough = _PBR.get(material, (0.0, 0.4))
        materials.append({"name": material, "pbrMetallicRoughness": {"baseColorFactor": [1, 1, 1, 1],
                          "metallicFactor": metallic, "roughnessFactor": rough}})
    gltf = {"asset": {"version": "2.0", "generator": "minime",
                      "extras": {"title": title, "DigitalSourceType": "trainedAlgorithmicMedia",
                                 "label": "AI-generated figure"}},
            "scene": 0, "scenes": [{"name": title, "nodes": [0]}], "nodes": [{"mesh": 0, "name": name}],
            "meshes": [{"name": name, "primitives": primitives}], "materials": materials,
            "buffers": [{"byteLength": offset}], "bufferViews": views, "accessors": accessors}
    js = json.dumps(gltf, separators=(",", ":")).encode()
    js += b" " * ((-len(js)) % 4)
    binary = b"".join(chunks)
    total = 12 + 8 + len(js) + 8 + len(binary)
    return (struct.pack("<III", 0x46546C67, 2, total) + struct.pack("<II", len(js), 0x4E4F534A) + js
            + struct.pack("<II", len(binary), 0x004E4942) + binary)


# 3MF and GLB also take the figure's title; a binary STL has no place for one.
WRITERS: dict[str, Callable[..., bytes]] = {"stl": stl_bytes, "3mf": threemf_bytes, "glb": glb_bytes}


def model_bytes(parts: list, fmt: str, *, height_mm: float = 100.0, base: str = "round", title: str = "minime figure",
                printer: str = "fdm", colors: int = 0, name: str = "figure") -> bytes:
    """The figure as an STL, 3MF or GLB file's bytes.

    Args:
        parts: the figure's mesh.
        fmt: "stl", "3mf" or "glb".
        height_mm: print height, base included.
        base: "round", "square" or "none".
        title: recorded in 3MF and GLB.
        name: the object's (3MF) and node's (GLB) name: the figure's names.
        printer: "fdm", "resin" or "powder": the thinnest wall it holds.
        colors: a 3MF painted in this many filaments (2-8, outputs/filament.py), or 0 for paint per vertex.
    """
    if fmt not in WRITERS:
        raise MinimeError(f"unknown model format {fmt!r}; choose one of: {', '.join(WRITERS)}")
    if fmt == "glb":  # to view, not to print: the sculpted parts as they are (see viewable)
        return glb_bytes(viewable(parts, height_mm=height_mm, base=base, printer=printer), title=title, name=name)
    solid = _solid_cached(parts, height_mm, base, printer)
    if fmt == "3mf" and colors:
        from .filament import painted_3mf, reduce_paint

        face, filaments = reduce_paint(solid, colors)
        return painted_3mf(WRITERS[fmt](solid, title=title, name=name), solid.faces, face, filaments, title=title)
    return WRITERS[fmt](solid) if fmt == "stl" else WRITERS[fmt](solid, title=title, name=name)


# One figure is often written as STL and 3MF in turn (the web page offers both, and the print kit), from the
# same parts or from a fresh copy of them (a web job keeps its figure packed): union once per figure.
_last: list = []


def _fingerprint(parts: list) -> bytes:
    """What the print solid depends on: every part's name, material, geometry and paint."""
    import hashlib

    digest = hashlib.blake2b(digest_size=16)
    for p in parts:
        digest.update(f"{p.name}|{p.material}|".encode())
        for array in (p.vertices, p.faces, p.colors, p.paint, p.uv, p.texture):
            digest.update(b"-" if array is None else np.ascontiguousarray(array).tobytes())
    return digest.digest()


def _solid_cached(parts: list, height_mm: float, base: str, printer: str = "fdm") -> Solid:
    key = (_fingerprint(parts), float(height_mm), base, printer)
    if _last and _last[0][0] == key:
        return _last[0][1]
    solid = printable(parts, height_mm=height_mm, base=base, printer=printer)
    _last[:] = [(key, solid)]
    return solid


# --- the output table: `-o me.stl`, `outputs.encode(result, "glb", options)` ------------------------------

def _names(result: Result) -> str:
    """Everyone the figure shows, as the box names them: "Ada", "Ada and Bo", "Ada, Bo and Cy"."""
    names = list(getattr(result.spec, "names", None) or []) or [getattr(result.spec, "name", "") or ""]
    names = [n for n in names if n]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names) or "figure"


def _title(result: Result) -> str:
    names = _names(result)
    return f"{names} - minime figure" if names != "figure" else "minime figure"


def _model_encoder(fmt: str):
    def encode_model(result: Result, options: OutputOptions) -> bytes:
        data = model_bytes(result.figure.need_mesh(), fmt, height_mm=options.height_mm, base=options.base,
                           title=_title(result), printer=options.printer, colors=options.colors if fmt == "3mf" else 0,
                           name=_names(result))
        if options.base == "none" and fmt != "glb":  # printed on its own feet: refused if it falls over, a note if it nearly does
            solid = _solid_cached(result.figure.need_mesh(), options.height_mm, "none", options.printer)
            note = check_stands(solid.vertices, solid.faces)
            if note and note not in result.notes:
                result.notes.append(note)
        return data

    return encode_model


register(Encoder("stl", ".stl", "model/stl", _model_encoder("stl"), shows_box=lambda options: False))
register(Encoder("3mf", ".3mf", "model/3mf", _model_encoder("3mf"), shows_box=lambda options: False))
register(Encoder("glb", ".glb", "model/gltf-binary", _model_encoder("glb"), shows_box=lambda options: False))
