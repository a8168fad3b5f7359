"""Model files and clips of one sculpted figure: seconds (wall and CPU) for each, and the file sizes.

    .venv/bin/python bench/outputs.py [photo]

Prints a table; nothing here is a timed test. Targets on a 2-core machine: STL or 3MF (union and
thickening included) < 1.5 s, GLB < 0.5 s, a 90-frame feed-size clip < 20 s, the desk scene < 2 s.
"""

from __future__ import annotations

import sys
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

    photo = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "tests" / "fixtures" / "astronaut.jpg")
    result = minime.make(photo, minime.FigureSpec(name="Ada Lovelace"), likeness=False)
    parts = result.figure.mesh
    rows = []
    for label, fn in [
        ("STL, union and thickening", lambda: model.stl_bytes(model.printable(parts, height_mm=100))),
        ("3MF, union and thickening", lambda: model.threemf_bytes(model.printable(parts, height_mm=100))),
        ("GLB (solid already made)", lambda: model.glb_bytes(model._solid_cached(parts, 100.0, "round"))),
        ("GLB, union and thickening", lambda: model.glb_bytes(model.printable(parts, height_mm=100))),
    ]:
        if label.startswith("GLB (solid"):
            model._solid_cached(parts, 100.0, "round")
        data, wall, cpu = timed(fn)
        rows.append((label, wall, cpu, len(data)))
    for kind in CLIPS:
        data, wall, cpu = timed(lambda: clip.clip_bytes("mp4", kind=kind, parts=parts, box_image=result.image,
                                                          size=(1080, 1350)))
        rows.append((f"clip {kind}, 90 frames, 1080x1350 MP4", wall, cpu, len(data)))
    try:
        from minime.sculpt import desk

        data, wall, cpu = timed(lambda: desk.desk_scene(parts, result.image, 1080, 1350))
        rows.append(("desk scene, 1080x1350", wall, cpu, 0))
    except ImportError:
        pass
    print(f"{'measure':44} {'wall s':>8} {'CPU s':>8} {'kB':>8}")
    for label, wall, cpu, size in rows:
        print(f"{label:44} {wall:8.2f} {cpu:8.2f} {size / 1024:8.0f}")


if __name__ == "__main__":
    main()
