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


@pytest.mark.parametrize("fmt", ["stl", "3mf", "glb"])
@pytest.mark.parametrize("base", ["round", "square"])
def test_printed_file_is_one_closed_solid(toy, fmt, base):
    data = model.model_bytes(toy, fmt, height_mm=100, base=base)
    loaded = trimesh.load(io.BytesIO(data), file_type=fmt, force="mesh")
    mesh = trimesh.Trimesh(loaded.vertices, loaded.faces)  # welded: GLB splits vertices by material
    assert mesh.is_watertight and mesh.is_winding_consistent and mesh.is_volume
    assert mesh.body_count == 1  # the head floated above the neck; it is joined now
    assert mesh.volume > 0
    height = mesh.extents[1 if fmt == "glb" else 2] * (1000 if fmt == "glb" else 1)
    assert height == pytest.approx(100, rel=0.01)


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
    xml = zipfile.ZipFile(io.BytesIO(data)).read("3D/3dmodel.model").decode()
    assert "<m:colorgroup" in xml and "#0000FF" in xml  # the face's paint, as a colour
    assert all(not n.lower().endswith((".png", ".jpg", ".jpeg", ".webp")) for n in zipfile.ZipFile(io.BytesIO(data)).namelist())
    glb = model.model_bytes(toy, "glb", height_mm=100)
    assert b'"images"' not in glb and b'"textures"' not in glb and b"COLOR_0" in glb
    stl = model.model_bytes(toy, "stl", height_mm=100)
    assert stl[:80].startswith(b"minime figure, AI-generated")


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
