"""The print files as the tools people print and view with read them: Debian's PrusaSlicer finds a clean,
manifold solid it needs no repair for and slices it; the Khronos glTF validator finds nothing wrong."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from minime.outputs import model
from minime.spec import FigureSpec

from .conftest import FIXTURES, _need
from .sculpt.conftest import group_photo

pytestmark = pytest.mark.slow

# What PrusaSlicer's --info reports when it had to mend a mesh on loading; a clean solid has none of them.
REPAIRS = ("open_edges", "edges_fixed", "degenerate_facets", "facets_removed", "facets_added", "facets_reversed",
           "backwards_edges")


@pytest.fixture(scope="module")
def figures():
    """A portrait with crossed arms (where the arms rest on the chest, surfaces touch) and a group of
    three in two rows (a step for the back row, figures side by side)."""
    from minime.engines.sculpt import sculpt
    from minime.look import look

    single = look(Image.open(FIXTURES / "obama.jpg").convert("RGB"))
    group = look(group_photo(3))
    assert len(group.faces) == 3
    return {"single": sculpt(single, FigureSpec(name="Ada"), pose="arms-crossed"),
            "group": sculpt(group, FigureSpec(name="Ada", names=["Ada", "Bo", "Cy"]))}


@pytest.fixture(scope="module")
def solids(figures):
    """Each case's printable solid, made once for every file written from it."""
    made: dict[tuple, model.Solid] = {}

    def solid(who: str, height: float, base: str) -> model.Solid:
        if (who, height, base) not in made:
            made[who, height, base] = model.printable(figures[who], height_mm=height, base=base)
        return made[who, height, base]

    return solid


def _prusa() -> str:
    return _need("prusa-slicer")


def _info(path: Path) -> dict[str, str]:
    run = subprocess.run([_prusa(), "--info", str(path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    return {k: v.strip() for k, v in re.findall(r"^(\w+) = (.*)$", run.stdout, re.M)}


# a single figure, a group, a 30 mm figure; every base between them
CASES = [("single", 100.0, "round"), ("group", 60.0, "square"), ("single", 30.0, "none")]


@pytest.mark.parametrize(("who", "height", "base"), CASES)
def test_prusaslicer_reads_one_manifold_solid_with_no_repairs_and_slices_it(solids, tmp_path, who, height, base):
    for fmt in ("stl", "3mf"):
        path = tmp_path / f"{who}.{fmt}"
        path.write_bytes(model.WRITERS[fmt](solids(who, height, base)))
        info = _info(path)
        assert info.get("manifold") == "yes", (fmt, info)
        assert not [k for k in REPAIRS if k in info and float(info[k]) != 0], (fmt, info)
        assert info.get("number_of_parts") == "1", (fmt, info)  # one body: no loose piece, no scrap
        assert float(info["size_z"]) == pytest.approx(height, rel=0.01)
    gcode = tmp_path / f"{who}.gcode"
    run = subprocess.run([_prusa(), "--export-gcode", str(path), "--output", str(gcode)], capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, (run.stdout + run.stderr)[-2000:]
    text = gcode.read_text(errors="replace")
    assert len(re.findall(r"^G1 .*E[0-9.]+", text, re.M)) > 1000  # extrusion moves: it sliced


def _validator() -> list[str]:
    """The command that runs the Khronos glTF validator (npm `gltf-validator`) with Node, or a skip."""
    node = shutil.which("node")
    roots = [Path(p) for p in os.environ.get("NODE_PATH", "").split(os.pathsep) if p]
    roots += [Path(__file__).parents[1] / ".venv" / "node" / "node_modules"]
    if node:
        npm_root = subprocess.run(["npm", "root", "-g"], capture_output=True, text=True) if shutil.which("npm") else None
        if npm_root is not None and npm_root.returncode == 0:
            roots.append(Path(npm_root.stdout.strip()))
    found = next((r for r in roots if (r / "gltf-validator").is_dir()), None)
    if node is None or found is None:
        missing = "node" if node is None else "the npm package gltf-validator"
        if os.environ.get("CI"):
            pytest.fail(f"{missing} is missing; .ci/run must install it")
        pytest.skip(f"{missing} is not installed (apt-get install nodejs npm; npm install gltf-validator)")
    script = ("const v=require(process.argv[1]);const fs=require('fs');"
              "v.validateBytes(new Uint8Array(fs.readFileSync(process.argv[2])),{maxIssues:100})"
              ".then(r=>console.log(JSON.stringify(r.issues)),e=>{console.error(e);process.exit(1)});")
    return [node, "-e", script, str(found / "gltf-validator")]


@pytest.mark.parametrize(("who", "height", "base"), CASES)
def test_the_glb_passes_the_khronos_validator(figures, tmp_path, who, height, base):
    command = _validator()
    path = tmp_path / f"{who}.glb"
    path.write_bytes(model.model_bytes(figures[who], "glb", height_mm=height, base=base, title="Ada - minime figure",
                                       name="Ada"))
    run = subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    issues = json.loads(run.stdout)
    assert (issues["numErrors"], issues["numWarnings"]) == (0, 0), issues["messages"][:10]
    gltf = json.loads(path.read_bytes()[20:20 + int.from_bytes(path.read_bytes()[12:16], "little")])
    assert gltf["nodes"][0]["name"] == "Ada" and all(m.get("name") for m in gltf["materials"])
    top = max(a["max"][1] for a in gltf["accessors"] if "max" in a)
    bottom = min(a["min"][1] for a in gltf["accessors"] if "min" in a)
    assert top - bottom == pytest.approx(height / 1000, rel=0.01)  # its real size, in metres
