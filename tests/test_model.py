"""Print files: one closed, manifold solid at the asked height, thin features thickened, read back by trimesh."""

import io

import numpy as np
import pytest

from minime.errors import MinimeError
from minime.outputs import model
from minime.sculpt.mesh import Part, outward, uv_sphere
from minime.sculpt.scene import plinth

trimesh = pytest.importorskip("trimesh")


def _ellipsoid(name, centre, radii, color, material="vinyl", rows=16, cols=24):
    v, f = uv_sphere(rows, cols)
    v = v * np.asarray(radii, np.float32) + np.asarray(centre, np.float32)
    return Part(name, v, outward(v, f), color, material)


@pytest.fixture(scope="module")
def toy():
    """A tiny figure with what real ones have: a gap at the neck joint, a hair tip thinner than a nozzle
    can print, a face painted from a texture, and a base."""
    body = _ellipsoid("torso", (0, 1.6, 0), (0.5, 1.3, 0.35), (0.8, 0.2, 0.1))
    head = _ellipsoid("head", (0, 3.5, 0), (0.5, 0.55, 0.5), (0.9, 0.7, 0.6), "skin")
    tex = np.zeros((8, 8, 3), np.uint8)
    tex[:, :, 2] = 255  # a blue face: the paint must come through as colour, not as an image
    head.uv = np.full((len(head.vertices), 2), 0.5, np.float32)
    head.texture, head.paint = tex, (head.vertices[:, 2] > 0.3).astype(np.float32)
    tip = _ellipsoid("hair", (0.45, 3.9, 0), (0.35, 0.25, 0.004), (0.3, 0.2, 0.1), "hair")  # 0.05 mm at 100 mm
    base = plinth(0.9, 0.9, 0.28, (0.1, 0.1, 0.1))
    lift = np.eye(4, dtype=np.float32)
    lift[1, 3] = 0.28 - 0.3 + 0.02
    return [body.transformed(lift), head.transformed(lift), tip.transformed(lift), base]


def _rays(mesh, origins, dirs):
    """Distance along each ray to the first triangle it meets (Moller-Trumbore), inf if none."""
    tri = mesh.triangles
    e1, e2 = tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]
    out = np.full(len(origins), np.inf)
    for i, (o, d) in enumerate(zip(origins, dirs)):
        p = np.cross(d, e2)
        det = (e1 * p).sum(1)
        ok = np.abs(det) > 1e-12
        inv = np.where(ok, 1 / np.where(ok, det, 1), 0)
        s = o - tri[:, 0]
        u = (s * p).sum(1) * inv
        q = np.cross(s, e1)
        v = (q * d).sum(1) * inv
        t = (q * e2).sum(1) * inv
        hit = ok & (u >= 0) & (v >= 0) & (u + v <= 1) & (t > 1e-4)
        if hit.any():
            out[i] = t[hit].min()
    return out


@pytest.mark.parametrize("fmt", ["stl", "3mf"])
@pytest.mark.parametrize("base", ["round", "square"])
def test_printed_file_is_one_closed_solid(toy, fmt, base):
    data = model.model_bytes(toy, fmt, height_mm=100, base=base)
    loaded = trimesh.load(io.BytesIO(data), file_type=fmt, force="mesh")
    mesh = trimesh.Trimesh(loaded.vertices, loaded.faces)  # welded: GLB splits vertices by material
    assert mesh.is_watertight and mesh.is_winding_consistent and mesh.is_volume
    assert mesh.body_count == 1  # the head floated above the neck; it is joined now
    assert mesh.volume > 0
    assert mesh.extents[2] == pytest.approx(100, rel=0.01)


@pytest.mark.parametrize("base", ["round", "square", "none"])
def test_the_glb_shows_the_figure_as_sculpted_at_its_size(toy, base):
    """A GLB is for viewing: every part as sculpted (closed shells, not thickened), the plate of the print,
    the asked height in metres."""
    data = model.model_bytes(toy, "glb", height_mm=100, base=base)
    loaded = trimesh.load(io.BytesIO(data), file_type="glb", force="mesh")
    assert loaded.extents[1] * 1000 == pytest.approx(100, rel=0.01)
    figure = [p for p in toy if p.name != "base"]
    expected = sum(len(p.faces) for p in figure)
    plate = len(loaded.faces) - expected
    assert plate == 0 if base == "none" else plate > 0  # the figure's own triangles, and the plate's
    for part in figure:
        assert trimesh.Trimesh(part.vertices, part.faces).is_watertight, part.name


def test_thin_features_are_thickened_to_print(toy):
    solid = model.printable(toy, height_mm=60, base="round")
    mesh = trimesh.Trimesh(solid.vertices, solid.faces)
    # Sample the hair tip's surface (where the thin sheet was) and shoot rays inward.
    tip = mesh.vertices[:, 0] > 0.55 * mesh.vertices[:, 0].max()
    idx = np.flatnonzero(tip & (mesh.vertices[:, 1] > 0.8 * mesh.vertices[:, 1].max()))
    idx = np.random.default_rng(0).choice(idx, size=min(60, len(idx)), replace=False)
    normals = mesh.vertex_normals[idx]
    thickness = _rays(mesh, mesh.vertices[idx] - normals * 1e-3, -normals)
    assert np.isfinite(thickness).all()
    assert thickness.min() >= model.MIN_FEATURE_MM * 0.95


def test_colours_and_no_photo_pixels(toy):
    import zipfile

    data = model.model_bytes(toy, "3mf", height_mm=100)
    package = zipfile.ZipFile(io.BytesIO(data))
    xml = package.read("3D/3dmodel.model").decode()
    assert "<m:colorgroup" in xml and "#0000FF" in xml  # the face's paint, as a colour
    # The one picture inside is the thumbnail: a render of the solid (the blue face in it), not the photo.
    assert [n for n in package.namelist() if n.lower().endswith((".png", ".jpg", ".jpeg", ".webp"))] == ["Metadata/thumbnail.png"]
    glb = model.model_bytes(toy, "glb", height_mm=100)
    assert b'"images"' not in glb and b'"textures"' not in glb and b"COLOR_0" in glb
    stl = model.model_bytes(toy, "stl", height_mm=100)
    assert stl[:80].startswith(b"minime figure, AI-generated")


def _cube(lo, hi):
    v = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])], np.float64)
    f = np.array([[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1],
                  [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]])
    return v, outward(v.astype(np.float32), f.astype(np.int32)).astype(np.int64)


def test_a_clean_solid_welds_by_position_into_a_closed_surface():
    """Two cubes touching along an edge (as crossed arms rest on a chest), a sliver edge and a flat scrap:
    welded by position in float32, as STL is, every edge must still have exactly two triangles."""
    from minime.outputs import solid

    a, fa = _cube((0, 0, 0), (10, 10, 10))
    b, fb = _cube((10, 10, 0), (20, 20, 10))  # shares the edge x = y = 10 with the first, at separate vertices
    # A sliver: one corner of the first cube split off by a micron's tenth, joined by an edge that short.
    sliver = np.array([[10 + 1e-4, 0, 0]])
    c, fc = _cube((30, 0, 0), (32, 2, 2))
    scrap = np.array([[40, 0, 0], [41, 0, 0], [40, 1, 0]])
    v = np.vstack([a, b, sliver, c, scrap])
    nb, nc, ns = len(a), len(a) + len(b) + 1, len(a) + len(b) + 1 + len(c)
    # the first cube's face (0, 4, 5) becomes three triangles around the sliver vertex
    s_i = len(a) + len(b)
    fa = np.vstack([fa[[i for i in range(12) if list(fa[i]) != [0, 4, 5]]], [[0, 4, s_i], [s_i, 4, 5], [0, s_i, 5]]])
    faces = np.vstack([fa, fb + nb, fc + nc, [[ns, ns + 1, ns + 2], [ns, ns + 2, ns + 1]]])
    assert solid.is_closed_manifold(faces)
    out_v, out_f, keep, kept = solid.clean(v, faces, min_volume=0.01)
    assert len(out_f) == 12 * 3  # the sliver's three triangles are two again; the scrap is gone
    assert np.array_equal(out_v.shape, (len(keep), 3)) and len(kept) == len(out_f)
    _, welded = np.unique(out_v.astype(np.float32), axis=0, return_inverse=True)
    f = welded.ravel()[out_f]
    assert solid.is_closed_manifold(f)  # no edge of four triangles where the cubes touch
    assert (f[:, 0] != f[:, 1]).all() and (f[:, 1] != f[:, 2]).all() and (f[:, 0] != f[:, 2]).all()
    assert np.abs(out_v - v[keep]).max() < 0.01  # set apart by microns, not moved


def test_normals_are_unit_length_even_on_triangles_of_no_area():
    from minime.outputs import solid

    v = np.array([[0, 0, 0], [1e-9, 0, 0], [2e-9, 0, 0], [0, 1, 0], [1, 0, 0]], np.float64)
    n = solid.unit_normals(v, np.array([[0, 1, 2], [0, 4, 3]]))
    assert np.allclose(np.linalg.norm(n, axis=1), 1.0)


def test_the_3mf_carries_the_names_and_a_thumbnail_of_the_figure(toy):
    import zipfile
    from types import SimpleNamespace

    from PIL import Image

    group = SimpleNamespace(spec=SimpleNamespace(name="Ada", names=["Ada", "Bo", "Cy"]))
    assert model._names(group) == "Ada, Bo and Cy" and model._title(group) == "Ada, Bo and Cy - minime figure"
    assert model._names(SimpleNamespace(spec=SimpleNamespace(name="Ada", names=[]))) == "Ada"
    data = model.model_bytes(toy, "3mf", height_mm=100, title=model._title(group), name=model._names(group))
    package = zipfile.ZipFile(io.BytesIO(data))
    xml = package.read("3D/3dmodel.model").decode()
    assert 'name="Ada, Bo and Cy"' in xml and ">Ada, Bo and Cy - minime figure</metadata>" in xml
    # The 3MF core spec's place for a package thumbnail: a relationship from the root to /Metadata/thumbnail.png.
    rels = package.read("_rels/.rels").decode()
    assert 'Target="/Metadata/thumbnail.png"' in rels and "relationships/metadata/thumbnail" in rels
    assert 'Extension="png" ContentType="image/png"' in package.read("[Content_Types].xml").decode()
    thumb = Image.open(io.BytesIO(package.read("Metadata/thumbnail.png")))
    assert thumb.size == (256, 256) and thumb.mode == "RGBA"
    alpha = np.asarray(thumb)[..., 3]
    assert alpha[0, 0] == 0 and alpha[128, 128] == 255  # the figure on transparency
    glb = model.model_bytes(toy, "glb", height_mm=100, name="Ada, Bo and Cy")
    assert b'"nodes":[{"mesh":0,"name":"Ada, Bo and Cy"}]' in glb


def test_a_group_prints_on_the_base_its_box_shows(toy):
    """Two figures side by side on their long base: the print keeps that base (not a disc around the row)."""
    left = np.eye(4, dtype=np.float32)
    left[0, 3] = -0.7
    right = left.copy()
    right[0, 3] = 0.7
    people = [p.transformed(m) for m in (left, right) for p in toy if p.name != "base"]
    group = [*people, plinth(1.4, 0.6, 0.28, (0.1, 0.1, 0.1))]
    for base in ("round", "square", "none"):
        solid = model.printable(group, height_mm=80, base=base)
        mesh = trimesh.Trimesh(solid.vertices, solid.faces)
        assert mesh.is_watertight and mesh.body_count == 1
        foot = solid.vertices[solid.vertices[:, 1] < 0.5]
        width, depth = np.ptp(foot[:, 0]), np.ptp(foot[:, 2])
        assert width / depth == pytest.approx(1.4 / 0.6, rel=0.1), base  # the box's base, twice as wide as deep


def test_bad_height_and_base_are_one_line_errors(toy):
    with pytest.raises(MinimeError, match="30-300 mm"):
        model.printable(toy, height_mm=20)
    with pytest.raises(MinimeError, match="round, square, none"):
        model.printable(toy, base="oval")


def test_picture_only_figure_says_it_needs_the_sculpt_engine(toy_figure):
    with pytest.raises(MinimeError, match="sculpt engine"):
        toy_figure.need_mesh()


def test_local_thickness_of_a_sphere():
    v, f = uv_sphere(24, 32)
    assert np.median(model.local_thickness(v.astype(np.float64), f)) == pytest.approx(2.0, rel=0.1)  # a little under: the polygon lies inside the sphere


@pytest.mark.parametrize("args", [["-o", "me.stl"], ["-o", "me.3mf"], ["-o", "me.glb"], ["-o", "me.mp4"],
                                  ["-o", "me.gif"], ["-o", "me.webp", "--clip", "unbox"], ["-t", "desk"]])
def test_a_mesh_output_with_a_picture_engine_fails_before_the_engine_runs(args, tmp_path, monkeypatch):
    from dataclasses import replace

    from typer.testing import CliRunner

    from minime.cli import app
    from minime.engines import ENGINES

    def never(**_):
        raise AssertionError("the engine ran")

    monkeypatch.setitem(ENGINES, "studio", replace(ENGINES["studio"], factory=never))
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(app, ["make", "photo.jpg", "--name", "Ada", "--engine", "studio", *args])
    assert run.exit_code == 2, run.output
    lines = [line for line in run.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "3D mesh" in lines[0] and "--engine sculpt" in lines[0]
    assert not any(tmp_path.iterdir())


def test_the_summary_line_says_what_was_written():
    from pathlib import Path
    from types import SimpleNamespace

    from PIL import Image

    from minime.cli.saving import _what
    from minime.outputs import OutputOptions

    result = SimpleNamespace(size="feed", template="classic", image=Image.new("RGB", (1080, 1350)))
    assert _what(result, Path("me.png")) == "1080x1350, classic"
    options = OutputOptions(height_mm=80.0, base="none", clip="figure")
    assert _what(result, Path("me.3mf"), options) == "3MF model, 80 mm tall, no base"
    assert _what(result, Path("me.mp4"), options) == "3 s clip of the figure turning, 1080x1350"
    assert _what(result, Path("me.gif"), options) == "3 s clip of the figure turning, 540x674"
    assert _what(result, Path("me.webp"), OutputOptions(clip="unbox"), "webp-clip") == "3 s clip of the box, then the figure, 1080x1350"


def test_a_fresh_copy_of_the_same_figure_is_unioned_once(toy):
    """A web job unpacks a new copy of its figure for each download: the print solid is made once for it."""
    import copy

    first = model._solid_cached(toy, 100.0, "round")
    assert model._solid_cached(copy.deepcopy(toy), 100.0, "round") is first
    moved = copy.deepcopy(toy)
    moved[0].vertices = moved[0].vertices + np.float32(0.01)
    assert model._solid_cached(moved, 100.0, "round") is not first
