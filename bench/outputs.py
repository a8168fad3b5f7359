"""Model files and clips of one sculpted figure: seconds (wall and CPU) for each, and the file sizes;
then what each model file prints like.

    .venv/bin/python bench/outputs.py [photo] [--no-slice]

Prints two tables; nothing here is a timed test. Targets on a 2-core machine: STL or 3MF (union and
thickening included) < 1.5 s, GLB (to view: no union) < 0.5 s, a 90-frame feed-size clip < 20 s, the desk scene < 2 s.
The second table: triangles, file size, volume, grams (PLA at 1.24 g/cm3), the share of the surface
overhanging past 45 degrees and thinner than the printer's wall, and PrusaSlicer's print-time estimate
from the G-code it slices (when `prusa-slicer` is installed; --no-slice skips it), per printer and height.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    import minime
    from minime.outputs import CLIPS, clip, model

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    photo = args[0] if args else str(ROOT / "tests" / "fixtures" / "astronaut.jpg")
    result = minime.make(photo, minime.FigureSpec(name="Ada Lovelace"), likeness=False)
    parts = result.figure.mesh
    rows = []
    for label, fn in [
        ("STL, union and thickening", lambda: model.stl_bytes(model.printable(parts, height_mm=100))),
        ("3MF, union and thickening", lambda: model.threemf_bytes(model.printable(parts, height_mm=100))),
        ("3MF in 4 filaments (solid already made)", lambda: model.model_bytes(parts, "3mf", colors=4)),
        ("GLB, to view (the parts as sculpted)", lambda: model.model_bytes(parts, "glb", height_mm=100)),
    ]:
        if "already made" in label:
            model._solid_cached(parts, 100.0, "round")
        data, wall, cpu = timed(fn)
        rows.append((label, wall, cpu, len(data)))
    for kind in CLIPS:
        data, wall, cpu = timed(lambda: clip.clip_bytes("mp4", kind=kind, parts=parts, box_image=result.image,
                                                          size=(1080, 1350)))
        rows.append((f"clip {kind}, 90 frames, 1080x1350 MP4", wall, cpu, len(data)))
    data, wall, cpu = timed(lambda: clip.clip_bytes("gif", parts=parts, box_image=result.image, size=(1080, 1350)))
    rows.append(("clip figure, GIF (default size)", wall, cpu, len(data)))
    try:
        from minime.sculpt import desk

        data, wall, cpu = timed(lambda: desk.desk_scene(parts, result.image, 1080, 1350))
        rows.append(("desk scene, 1080x1350", wall, cpu, 0))
    except ImportError:
        pass
    print(f"{'measure':44} {'wall s':>8} {'CPU s':>8} {'kB':>8}")
    for label, wall, cpu, size in rows:
        print(f"{label:44} {wall:8.2f} {cpu:8.2f} {size / 1024:8.0f}")
    print()
    prints(parts, slicing="--no-slice" not in sys.argv)


def prints(parts, slicing: bool = True) -> None:
    """What each model file prints like, per printer and height."""
    from minime.outputs import model, printer

    slicer = shutil.which("prusa-slicer") if slicing else None
    print(f"{'model':28} {'triangles':>9} {'kB':>6} {'cm3':>6} {'g':>6} {'overhang':>8} {'thin':>6} {'print time':>12}")
    for height, kind, fmt, colors in [(100, "fdm", "stl", 0), (100, "fdm", "3mf", 4),
                                      (30, "fdm", "3mf", 4), (30, "resin", "stl", 0), (30, "powder", "3mf", 0),
                                      (100, "resin", "stl", 0), (100, "powder", "3mf", 0), (300, "fdm", "stl", 0)]:
        data = model.model_bytes(parts, fmt, height_mm=height, printer=kind, colors=colors)
        solid = model._solid_cached(parts, float(height), "round", kind)
        found = printer.facts(solid.vertices, solid.faces, printer=kind, samples=20000)
        estimate = _slice(slicer, data, fmt) if slicer and kind == "fdm" else "-"
        label = f"{height} mm {kind} {fmt.upper()}" + (f" {colors} colours" if colors else "")
        print(f"{label:28} {len(solid.faces):9d} {len(data) / 1024:6.0f} {found.volume_cm3:6.1f} {found.grams:6.1f} "
              f"{found.overhang_share:8.1%} {found.thin_share:6.2%} {estimate:>12}")


def _slice(slicer: str, data: bytes, fmt: str) -> str:
    """PrusaSlicer's print-time estimate (normal mode): an STL with its defaults (0.3 mm layers), a filament
    3MF with the settings it carries (0.12 mm layers, a wipe tower, a tool change per colour and layer)."""
    with tempfile.TemporaryDirectory() as tmp:
        path, gcode = Path(tmp) / f"figure.{fmt}", Path(tmp) / "figure.gcode"
        path.write_bytes(data)
        run = subprocess.run([slicer, "--export-gcode", str(path), "--output", str(gcode)], capture_output=True,
                             text=True, timeout=1800)
        if run.returncode or not gcode.exists():
            return "failed"
        found = re.search(r"estimated printing time \(normal mode\) = (.*)", gcode.read_text(errors="replace"))
        return found.group(1).strip() if found else "?"


if __name__ == "__main__":
    main()
