"""Turntable clips of one sculpted figure: seconds, peak memory and file size for each clip kind and format.

    .venv/bin/python bench/clip.py [photo] [--runs N] [--formats mp4,gif] [--kinds figure,box,unbox] [--src DIR]

`--src DIR` adds a row per clip made by another copy of the package (say an older release, unpacked with
`git archive OLD src | tar -x -C DIR`), its runs taken in turn with this tree's, so both see the same load.

The figure is made once; each clip is then made in a fresh process (which loads the figure's mesh and box
from a file), so its peak RSS is the clip's own: imports, GL context, frames and encoder. Each row is the
minimum over the runs (the fastest run is the one least disturbed by other work on the machine).
Prints a table; nothing here is a timed test. Targets on a 2-core machine: a 90-frame feed-size (1080x1350)
MP4 of the figure < 6 s and < 600 MB peak; the GIF at its default size < 8 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1080, 1350)


def child(scene: str, fmt: str, kind: str) -> None:
    """In a fresh process: one clip, then a JSON line with its time, peak memory and size."""
    from minime.outputs import clip

    with open(scene, "rb") as fh:
        parts, box = pickle.load(fh)
    label = {"engine": "sculpt", "model": "bench", "receipt": {"wh": 0.01}}
    wall, cpu = time.perf_counter(), time.process_time()
    data = clip.clip_bytes(fmt, kind=kind, parts=parts, box_image=box, size=SIZE, label=label)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"wall": wall, "cpu": cpu, "peak_mb": peak_mb, "bytes": len(data)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("photo", nargs="?", default=str(ROOT / "tests" / "fixtures" / "obama.jpg"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default="mp4,gif")
    parser.add_argument("--kinds", default="figure")
    parser.add_argument("--src", help="another copy's folder holding src/minime, run in turn for comparison")
    parser.add_argument("--child", nargs=3, metavar=("SCENE", "FORMAT", "KIND"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    import minime

    result = minime.make(args.photo, minime.FigureSpec(name="Ada Lovelace"), likeness=False)
    with tempfile.TemporaryDirectory() as tmp:
        scene = Path(tmp) / "scene.pickle"
        scene.write_bytes(pickle.dumps((result.figure.mesh, result.image)))
        trees = [("", None)] + ([(" (--src)", str(Path(args.src) / "src"))] if args.src else [])
        rows = []
        for kind in args.kinds.split(","):
            for fmt in args.formats.split(","):
                runs: dict[str, list] = {tag: [] for tag, _ in trees}
                for _ in range(args.runs):
                    for tag, path in trees:
                        env = dict(os.environ, PYTHONPATH=path) if path else None
                        out = subprocess.run([sys.executable, __file__, "--child", str(scene), fmt, kind],
                                             capture_output=True, text=True, check=True, env=env)
                        runs[tag].append(json.loads(out.stdout.strip().splitlines()[-1]))
                for tag, got in runs.items():
                    rows.append((f"{kind} {fmt}{tag}", min(r["wall"] for r in got), min(r["cpu"] for r in got),
                                 min(r["peak_mb"] for r in got), got[0]["bytes"]))
    print(f"{'clip (90 frames, feed size asked)':34} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} {'MB':>6}")
    for label, wall, cpu, peak, size in rows:
        print(f"{label:34} {wall:7.2f} {cpu:7.2f} {peak:8.0f} {size / 1e6:6.2f}")
    print(f"min of {args.runs} runs, each in a fresh process; targets: figure MP4 < 6 s and < 600 MB, GIF < 8 MB")


if __name__ == "__main__":
    main()
