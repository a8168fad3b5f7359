"""Colour on a multi-filament printer: the paint reduced to N filaments, and a 3MF painted per triangle.

A multi-material FDM printer lays one filament at a time, so the figure's paint becomes N flat colours
(k-means in CIELAB, weighted by area), and every triangle is painted with its filament the way the
slicers' own painting tools save it:

- PrusaSlicer: the `slic3rpe:mmu_segmentation` attribute per triangle, with the extruders and their
  colours in Metadata/Slic3r_PE.config and the object in Metadata/Slic3r_PE_model.config;
- Bambu Studio and OrcaSlicer: the same encoding in a `paint_color` attribute, the filament colours in
  Metadata/project_settings.config.

Both encode a whole triangle painted with extruder n (1-based) as "4", "8", then "0C", "1C", ... "DC".
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass

import numpy as np

from ..errors import MinimeError
from .registry import check_colors

# What a part's material is called on the print kit's filament list.
# (sculpt/materials.py: cloth, satin, denim, knit and sequins are the clothes' paints; vinyl is the plastic of
# buttons, glasses and held pieces)
PLACES = {"skin": "skin", "hair": "hair", "base": "base", "vinyl": "clothes", "cloth": "clothes", "satin": "clothes",
          "denim": "clothes", "knit": "clothes", "sequins": "clothes", "leather": "leather", "metal": "metal details",
          "clear": "clear parts"}


def paint_code(extruder: int) -> str:
    """PrusaSlicer's (and Bambu's) paint string for a whole triangle in `extruder` (1-16)."""
    if not 1 <= extruder <= 16:
        raise ValueError(f"extruder {extruder} is outside 1-16")
    return "4" if extruder == 1 else "8" if extruder == 2 else f"{extruder - 3:X}C"


@dataclass(frozen=True)
class Filament:
    """One filament of a multi-colour print."""

    hex: str       # "#RRGGBB"
    share: float   # of the surface
    grams: float   # an estimate, by painted area
    places: tuple[str, ...]  # where it goes: "skin", "hair", ...

    def to_dict(self) -> dict:
        return {"color": self.hex, "places": list(self.places), "share": round(self.share, 3), "grams": round(self.grams, 1)}


def _lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB in [0, 1] to CIELAB (D65): distances there match how different colours look."""
    c = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = c @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]).T
    xyz /= np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], 1)


def _kmeans(points: np.ndarray, weights: np.ndarray, k: int, iterations: int = 25) -> np.ndarray:
    """Weighted k-means, seeded with the heaviest point then each farthest one (deterministic)."""
    centres = [points[int(np.argmax(weights))]]
    for _ in range(1, k):
        d = np.min([((points - c) ** 2).sum(1) for c in centres], axis=0)
        centres.append(points[int(np.argmax(d * np.sqrt(weights)))])
    c = np.array(centres)
    for _ in range(iterations):
        label = ((points[:, None] - c[None]) ** 2).sum(2).argmin(1)
        new = np.array([np.average(points[label == j], axis=0, weights=weights[label == j])
                        if weights[label == j].sum() > 0 else c[j] for j in range(k)])
        if np.allclose(new, c, atol=1e-3):
            break
        c = new
    return c


def reduce_paint(solid, n: int, *, grams: float = 0.0) -> tuple[np.ndarray, list[Filament]]:
    """Each triangle's filament (0-based, the largest area first) and the `n` filaments; `grams` is the
    whole print's weight, shared out by painted area."""
    check_colors(n)
    v, f = solid.vertices, solid.faces
    area = np.linalg.norm(np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]]), axis=1) / 2
    rgb = solid.colors[f].mean(1).astype(np.float64)
    # k-means over the distinct colours (5 bits a channel), weighted by their area: a few thousand points.
    q = np.rint(rgb * 31).astype(np.int64)
    key = (q[:, 0] << 10) | (q[:, 1] << 5) | q[:, 2]
    uniq, inverse = np.unique(key, return_inverse=True)
    weight = np.bincount(inverse, weights=area)
    mean_rgb = np.stack([np.bincount(inverse, weights=rgb[:, i] * area) for i in range(3)], 1) / np.maximum(weight, 1e-12)[:, None]
    lab = _lab(mean_rgb)
    k = min(n, len(uniq))
    centres = _kmeans(lab, np.sqrt(weight), k)  # sqrt: a small region (hair, eyes) still pulls a filament
    label = ((lab[:, None] - centres[None]) ** 2).sum(2).argmin(1)
    face = label[inverse]
    # The filament's colour: the area-weighted mean of the paint it replaces, in sRGB.
    share = np.bincount(face, weights=area, minlength=k) / area.sum()
    total = np.stack([np.bincount(face, weights=rgb[:, i] * area, minlength=k) for i in range(3)], 1)
    colour = total / np.maximum(share * area.sum(), 1e-12)[:, None]
    order = np.argsort(-share)
    rank = np.empty(k, np.int64)
    rank[order] = np.arange(k)
    face = rank[face]
    filaments = []
    for j in order:
        sel = face == rank[j]
        mats = np.bincount(solid.materials[sel], weights=area[sel], minlength=len(solid.names))
        places = []
        for m in np.argsort(-mats):
            if mats[m] < 0.1 * mats.max() or mats[m] <= 0:
                break
            place = PLACES.get(solid.names[m], solid.names[m])
            if place not in places:
                places.append(place)
        r, g, b = np.clip(np.rint(colour[j] * 255), 0, 255).astype(int)
        filaments.append(Filament(f"#{r:02X}{g:02X}{b:02X}", float(share[j]), float(grams * share[j]), tuple(places)))
    return face, filaments


# ------------------------------------------------------------------------------------------- the 3MF

_TRIANGLE = re.compile(rb'<triangle v1="(\d+)" v2="(\d+)" v3="(\d+)"[^>]*?/>')
_COLORGROUP = re.compile(rb'<m:colorgroup id="(\d+)">.*?</m:colorgroup>', re.S)
_SLIC3R = b'xmlns:slic3rpe="http://schemas.slic3r.org/3mf/2017/06"'


def painted_3mf(data: bytes, faces: np.ndarray, face: np.ndarray, filaments: list[Filament], *,
                title: str = "minime figure") -> bytes:
    """A copy of a one-object 3MF (`data`, whose triangles are `faces`) painted per triangle, `face` the
    filament of each (0-based) in `filaments`:
    its colour group becomes the filaments (for viewers), each triangle gets PrusaSlicer's and Bambu's
    paint attribute, and the slicers' config files name the extruders and their colours."""
    src = zipfile.ZipFile(io.BytesIO(data))
    model_name = next(n for n in src.namelist() if n.endswith(".model"))
    model = src.read(model_name)
    match = _COLORGROUP.search(model)
    if match is None:
        raise MinimeError("the 3MF has no colour group to paint")
    gid = match.group(1).decode()
    group = "".join(f'<m:color color="{fl.hex}"/>' for fl in filaments)
    model = model[:match.start()] + f'<m:colorgroup id="{gid}">{group}</m:colorgroup>'.encode() + model[match.end():]
    # The triangles, written again in the solid's order with the filament of each (checked against the
    # writer's own first and last triangle, so a change in its order cannot paint the wrong faces).
    start, end = model.find(b"<triangles>"), model.rfind(b"</triangles>")
    found = _TRIANGLE.findall(model, start, end)
    if start < 0 or len(found) != len(faces) or any(
            tuple(int(x) for x in found[i]) != tuple(faces[i]) for i in (0, -1)):
        raise MinimeError("the 3MF's triangles do not match the painted solid")
    codes = [paint_code(i + 1) for i in range(len(filaments))]
    tris = "".join(f'<triangle v1="{a}" v2="{b}" v3="{c}" pid="{gid}" p1="{j}" p2="{j}" p3="{j}" slic3rpe:mmu_segmentation="{codes[j]}" '
                   f'paint_color="{codes[j]}"/>' for (a, b, c), j in zip(faces.tolist(), face.tolist()))
    model = model[:start] + b"<triangles>" + tris.encode() + model[end:]
    if _SLIC3R not in model:
        model = model.replace(b"<model ", b"<model " + _SLIC3R + b" ", 1)
    meta = (b'<metadata name="slic3rpe:Version3mf">1</metadata>'
            b'<metadata name="slic3rpe:MmPaintingVersion">1</metadata>')
    model = model.replace(b"<resources>", meta + b"<resources>", 1)
    obj = re.search(rb'<object id="(\d+)"', model)
    types = src.read("[Content_Types].xml")
    if b'Extension="config"' not in types:  # every part of the package has a content type
        types = types.replace(b"</Types>", b'<Default Extension="config" ContentType="text/plain"/></Types>')
    files = {"[Content_Types].xml": types, model_name: model,
             "Metadata/Slic3r_PE.config": _prusa_config(filaments).encode(),
             "Metadata/Slic3r_PE_model.config": _prusa_model(title, obj.group(1).decode() if obj else "1", len(face)).encode(),
             "Metadata/project_settings.config": _bambu_config(filaments).encode()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for info in src.infolist():
            z.writestr(info, files.pop(info.filename) if info.filename in files else src.read(info.filename))
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
    return out.getvalue()


def _prusa_config(filaments: list[Filament]) -> str:
    """The extruders of a multi-material printer, one per filament, in PrusaSlicer's config format (the
    user's own printer profile replaces the rest when they pick it)."""
    n = len(filaments)
    colours = ";".join(f.hex for f in filaments)

    def each(value: str) -> str:
        return ",".join([value] * n)

    lines = {
        "extruder_colour": colours, "filament_colour": colours, "filament_type": ";".join(["PLA"] * n),
        "nozzle_diameter": each("0.4"), "filament_diameter": each("1.75"), "temperature": each("215"),
        "first_layer_temperature": each("215"), "extruder_offset": each("0x0"), "retract_length": each("0.8"),
        "retract_length_toolchange": each("4"), "single_extruder_multi_material": "1", "wipe_tower": "1",
        "wiping_volumes_extruders": each("70,70"),
        "wiping_volumes_matrix": ",".join("0" if i == j else "140" for i in range(n) for j in range(n)),
        "use_relative_e_distances": "1", "filament_density": each("1.24"), "layer_height": "0.12", "first_layer_height": "0.2", "perimeters": "3", "fill_density": "15%",
        "support_material": "0", "bed_shape": "0x0,250x0,250x210,0x210", "max_print_height": "210",
    }
    return "; generated by minime\n" + "".join(f"; {k} = {v}\n" for k, v in lines.items())


def _prusa_model(title: str, object_id: str, triangles: int) -> str:
    from xml.sax.saxutils import quoteattr

    return ('<?xml version="1.0" encoding="UTF-8"?>\n<config>\n'
            f' <object id="{object_id}" instances_count="1">\n'
            f'  <metadata type="object" key="name" value={quoteattr(title)}/>\n'
            '  <metadata type="object" key="extruder" value="1"/>\n'
            f'  <volume firstid="0" lastid="{triangles - 1}">\n'
            f'   <metadata type="volume" key="name" value={quoteattr(title)}/>\n'
            '   <metadata type="volume" key="volume_type" value="ModelPart"/>\n'
            '   <metadata type="volume" key="extruder" value="1"/>\n'
            '  </volume>\n </object>\n</config>\n')


def _bambu_config(filaments: list[Filament]) -> str:
    n = len(filaments)
    return json.dumps({"filament_colour": [f.hex for f in filaments], "filament_type": ["PLA"] * n,
                       "from": "project", "name": "project_settings", "version": "01.00.00.00"}, indent=4)
