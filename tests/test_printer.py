"""Printing for the printer the user has: walls at its minimum (ray casting), a 3MF painted per triangle in
N filaments that PrusaSlicer slices with tool changes, supports, grams and tipping."""

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest

from minime.errors import MinimeError
from minime.outputs import OutputOptions, filament, model, printer

trimesh = pytest.importorskip("trimesh")
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def parts():
    import minime

    return minime.make(FIXTURES / "astronaut.jpg", {"name": "Ada"}, likeness=False).figure.need_mesh()


@pytest.fixture(scope="module")
def solid30(parts):
    return model._solid_cached(parts, 30.0, "round", "fdm")  # the one the 30 mm model files are written from


def _box(lo, hi):
    m = trimesh.creation.box(bounds=[lo, hi])
    return np.asarray(m.vertices, np.float64), np.asarray(m.faces, np.int64)


def test_every_printer_has_a_wall():
    from minime.outputs import registry

    assert tuple(printer.PRINTERS) == registry.PRINTERS
    assert [printer.wall_mm(k) for k in registry.PRINTERS] == [1.0, 0.8, 2.0]


def test_the_paint_codes_are_prusaslicers_and_bambus():
    assert [filament.paint_code(n) for n in (1, 2, 3, 4, 8, 16)] == ["4", "8", "0C", "1C", "5C", "DC"]


@pytest.mark.parametrize("args, words", [
    (["-o", "me.3mf", "--printer", "laser"], "unknown printer 'laser'; choose one of: fdm, resin, powder"),
    (["-o", "me.3mf", "--colors", "9"], "--colors 9 is outside 2-8 filaments"),
    (["-o", "me.3mf", "--colors", "1"], "--colors 1 is outside 2-8 filaments"),
    (["-o", "me.3mf", "--colors", "lots"], "--colors 'lots' is not a number"),
    (["-o", "me.stl", "--colors", "4"], "--colors is for a .3mf model or the print kit (.pdf), an STL has no colour"),
    (["-o", "me.glb", "--colors", "4"], "--colors is for a .3mf model or the print kit (.pdf)"),
    (["-o", "me.png", "--printer", "resin"], "--printer is for a 3D model"),
])
def test_bad_printer_or_colours_fail_in_one_line_before_any_work(args, words, tmp_path, monkeypatch):
    from dataclasses import replace

    from typer.testing import CliRunner

    from minime.cli import app
    from minime.engines import ENGINES

    def never(**_):
        raise AssertionError("the engine ran")

    monkeypatch.setitem(ENGINES, "sculpt", replace(ENGINES["sculpt"], factory=never))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "photo.jpg").write_bytes((FIXTURES / "astronaut.jpg").read_bytes())
    run = CliRunner().invoke(app, ["make", "photo.jpg", "--name", "Ada", *args])
    assert run.exit_code == 2, run.output
    lines = [line for line in run.output.splitlines() if line.strip()]
    assert len(lines) == 1 and words in " ".join(lines[0].split()), run.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photo.jpg"]


def test_the_options_carry_printer_and_colours():
    from minime.cli.saving import output_options

    _, options = output_options(Path("a.3mf"), None, None, None, printer="resin", colors="full")
    assert (options.printer, options.colors) == ("resin", 0)
    _, options = output_options(Path("a.pdf"), None, None, None)
    assert (options.printer, options.colors) == ("fdm", 4)  # the defaults
    with pytest.raises(MinimeError, match="powder"):
        OutputOptions(printer="sls")


def test_the_fast_ray_caster_agrees_with_trimesh(solid30):
    solid = solid30
    mesh = trimesh.Trimesh(solid.vertices, solid.faces, process=False)
    points, idx = trimesh.sample.sample_surface(mesh, 300, seed=3)
    inward = -mesh.face_normals[idx]
    ours = printer.wall_depth(solid.vertices, solid.faces, points, inward, 1.0) < 1.0
    loc, ray, _ = mesh.ray.intersects_location(points + inward * 1e-4, inward, multiple_hits=True)
    depth = np.full(len(points), np.inf)
    np.minimum.at(depth, ray, np.linalg.norm(loc - points[ray], axis=1))
    assert (ours == (depth < 1.0)).mean() > 0.99


@pytest.mark.slow
@pytest.mark.parametrize("height", [30, 100])
@pytest.mark.parametrize("kind", ["fdm", "resin", "powder"])
def test_under_one_percent_of_the_surface_is_thinner_than_the_printers_minimum(parts, kind, height):
    solid = model.printable(parts, height_mm=height, printer=kind)
    wall = printer.wall_mm(kind)
    assert solid.height == pytest.approx(height, abs=1e-6)
    # Rays cast inward from points trimesh spreads over the surface by area (the base plate's included).
    mesh = trimesh.Trimesh(solid.vertices, solid.faces, process=False)
    points, idx = trimesh.sample.sample_surface(mesh, 12000, seed=1)
    inward = -mesh.face_normals[idx]
    depth = printer.wall_depth(solid.vertices, solid.faces, points, inward, wall)
    assert (depth < wall).mean() < 0.01
    # The plate under the figure holds the minimum too: inside its bevelled rim, its underside is at least
    # `wall` below its top.
    bottom = (points[:, 1] < 1e-6) & (inward[:, 1] > 0.99)
    reach = np.hypot(points[:, 0], points[:, 2])
    inner = bottom & (reach < 0.8 * reach[bottom].max())
    assert inner.any() and (depth[inner] >= wall).all()
    assert mesh.is_watertight and mesh.is_volume


def test_a_colour_3mf_is_painted_per_triangle_in_its_filaments(parts):
    data = model.model_bytes(parts, "3mf", height_mm=30, colors=4, title="Ada - minime figure")
    z = zipfile.ZipFile(io.BytesIO(data))
    xml = z.read("3D/3dmodel.model").decode()
    codes = re.findall(r'slic3rpe:mmu_segmentation="([0-9A-F]+)" paint_color="([0-9A-F]+)"', xml)
    assert len(codes) == xml.count("<triangle ") > 1000
    assert {a for a, b in codes} == {"4", "8", "0C", "1C"} and all(a == b for a, b in codes)
    assert 'xmlns:slic3rpe="http://schemas.slic3r.org/3mf/2017/06"' in xml
    assert len(re.findall(r'<m:color color="#[0-9A-F]{6}"/>', xml)) == 4  # the filaments, for viewers
    colours = re.search(r"; extruder_colour = (.*)", z.read("Metadata/Slic3r_PE.config").decode()).group(1).split(";")
    assert len(colours) == 4
    import json

    assert json.loads(z.read("Metadata/project_settings.config"))["filament_colour"] == colours
    assert 'value="Ada - minime figure"' in z.read("Metadata/Slic3r_PE_model.config").decode()
    loaded = trimesh.load(io.BytesIO(data), file_type="3mf", force="mesh")
    assert len(loaded.faces) == len(codes)
    # Full colour keeps the paint per vertex, and nothing for a filament printer.
    full = zipfile.ZipFile(io.BytesIO(model.model_bytes(parts, "3mf", height_mm=30))).read("3D/3dmodel.model")
    assert b"mmu_segmentation" not in full and full.count(b"<m:color ") > 4


def test_filaments_say_their_colour_place_and_grams(solid30):
    face, filaments = filament.reduce_paint(solid30, 4, grams=20.0)
    assert len(filaments) == 4 and set(np.unique(face)) == {0, 1, 2, 3}
    assert sum(f.share for f in filaments) == pytest.approx(1.0)
    assert sum(f.grams for f in filaments) == pytest.approx(20.0)
    assert filaments[0].share == max(f.share for f in filaments)  # extruder 1: the most surface
    places = {p for f in filaments for p in f.places}
    assert {"skin", "hair", "base"} <= places


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("prusa-slicer") is None, reason="PrusaSlicer is not installed")
def test_prusaslicer_slices_the_4_colour_3mf_with_tool_changes(parts, tmp_path):
    path = tmp_path / "ada.3mf"
    path.write_bytes(model.model_bytes(parts, "3mf", height_mm=30, colors=4))
    info = subprocess.run(["prusa-slicer", "--info", str(path)], capture_output=True, text=True, timeout=300)
    assert "manifold = yes" in info.stdout, info.stdout + info.stderr
    gcode = tmp_path / "ada.gcode"
    subprocess.run(["prusa-slicer", "--export-gcode", str(path), "--layer-height", "0.3", "--first-layer-height", "0.3",
                    "--output", str(gcode)], capture_output=True, text=True, timeout=600, check=True)
    tools = set(re.findall(r"^T(\d)\s*$", gcode.read_text(), re.M))
    assert tools == {"0", "1", "2", "3"}


def test_volume_grams_overhangs_and_tipping():
    v, f = _box([-10, 0, -10], [10, 20, 10])  # 8 cm3, standing on y = 0
    found = printer.facts(v, f, printer="fdm", base="none")
    assert found.volume_cm3 == pytest.approx(8.0) and found.grams == pytest.approx(8.0 * 1.24)
    assert found.overhang_share == 0 and not found.supports and found.tip_margin_mm == pytest.approx(10.0)
    assert printer.check_stands(v, f) is None
    # A shelf sticking out is a flat ceiling: it needs supports.
    shelf = _box([10, 15, -10], [30, 20, 10])
    v2, f2 = np.vstack([v, shelf[0]]), np.vstack([f, shelf[1] + len(v)])
    assert printer.overhang_share(v2, f2) > 0.05 and printer.facts(v2, f2).supports
    # A narrow foot under a wide top leans past its edge: refused; close to its edge: a note.
    foot = _box([-2, 0, -2], [2, 5, 2])
    top = _box([-1, 5, -10], [20, 30, 10])
    v3, f3 = np.vstack([foot[0], top[0]]), np.vstack([foot[1], top[1] + len(foot[0])])
    with pytest.raises(MinimeError, match="falls over"):
        printer.check_stands(v3, f3)
    slim = _box([-3, 0, -3], [3, 40, 3])
    assert "tips over easily" in printer.check_stands(*slim)


def test_a_figure_on_its_own_feet_near_tipping_gets_a_note(parts):
    from types import SimpleNamespace

    from minime.outputs.registry import ENCODERS

    result = SimpleNamespace(figure=SimpleNamespace(need_mesh=lambda: parts), spec=SimpleNamespace(name="Ada"), notes=[])
    try:
        data = ENCODERS["stl"].encode(result, OutputOptions(height_mm=30, base="none"))
    except MinimeError as exc:  # its centre of mass outside its feet
        assert "falls over" in str(exc) and len(str(exc).splitlines()) == 1
    else:  # feet a few mm long: well within 5 mm of tipping
        assert data and any("tips over easily" in note for note in result.notes)


def test_the_print_kit_page_says_how_to_print(parts):
    from minime.box.printkit import Model3D, _print_rows
    from minime.outputs.printkit import print_facts

    info = print_facts(parts, OutputOptions(height_mm=30, printer="fdm", colors=3))
    assert len(info["filaments"]) == 3 and info["grams"] > 0.3 and info["orientation"]
    rows = dict(_print_rows(Model3D(30, "round", (15, 15), 1.0, printer="fdm", colors=3, facts=info), "Ada", "a plate"))
    assert "--height-mm 30" in rows["File"] and "--colors 3" in rows["File"]
    assert "g of PLA" in rows["Material"] and rows["Supports"].startswith(("needed", "none"))
