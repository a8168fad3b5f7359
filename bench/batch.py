"""Benchmark `minime batch`: figures per minute for a campaign of sculpt boxes (or --engine studio).

Run: .venv/bin/python bench/batch.py [--rows 30] [--side 1200] [--engine sculpt] [--skip-ray]
Each executor makes the whole roster into a fresh folder; the time counts everything a user waits for
(worker start-up and model warm-up included; starting Ray itself is shown apart). A re-run of the finished
folder shows what a resume costs. Targets on a 2-core machine (sculpt): at least 110 figures per minute with
two workers, at least 1.8x one worker's. It also prints how many cores one worker keeps busy on its own (the
renderer, LiteRT and the BLAS each run a thread per core): with the same CPU a row, N workers on N cores can
give at most N over that many times one worker's figures per minute.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parent.parent
PORTRAITS = ("obama.jpg", "astronaut.jpg", "biden_small.jpg")


def make_roster(folder: Path, rows: int, side: int, engine: str = "sculpt") -> Path:
    """`rows` people from flipped, colour-shifted portraits `side` px on the long side, like phone exports."""
    (folder / "photos").mkdir(parents=True)
    lines = [["photo", "name", "tagline", "accessories"]]
    for i in range(rows):
        image = Image.open(ROOT / "tests" / "fixtures" / PORTRAITS[i % 3]).convert("RGB")
        scale = side / max(image.size)
        image = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.BICUBIC)
        if i % 2:
            image = ImageOps.mirror(image)
        image = image.point(lambda v, k=1 + (i % 5 - 2) * 0.04: min(255, int(v * k)))
        image.save(folder / "photos" / f"p{i:03d}.jpg", quality=88)
        lines.append([f"photos/p{i:03d}.jpg", f"Person {i:03d}", f"Team {i % 7}", "laptop;coffee cup" if i % 3 else ""])
    with open(folder / "people.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(lines)
    brief = folder / "campaign.yaml"
    brief.write_text(f"template: classic\nbrand: brand/acme.yaml\nroster: people.csv\nengine: {engine}\n",
                     encoding="utf-8")
    import shutil

    shutil.copytree(ROOT / "tests" / "fixtures" / "brand", folder / "brand")
    return brief


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=30)
    parser.add_argument("--engine", default="sculpt", choices=("sculpt", "studio"))
    parser.add_argument("--side", type=int, default=1200, help="long side of each photo, px")
    parser.add_argument("--skip-ray", action="store_true")
    args = parser.parse_args()

    from minime import batch

    cores = os.cpu_count() or 1
    table = []
    busy = 0.0
    with tempfile.TemporaryDirectory(prefix="minime-bench-") as tmp:
        brief = make_roster(Path(tmp), args.rows, args.side, args.engine)
        runs = [("local", 1), ("local", 2)] + ([] if args.skip_ray else [("ray", 2)])
        for executor, workers in runs:
            out = Path(tmp) / f"out-{executor}-{workers}"
            extra = ""
            if executor == "ray":
                try:
                    import ray
                except ImportError:
                    print("ray is not installed (pip install 'minime[scale]'); skipping it", file=sys.stderr)
                    continue
                started = time.perf_counter()
                ray.init(num_cpus=cores, include_dashboard=False, log_to_driver=False)
                extra = f"ray.init {time.perf_counter() - started:.1f} s apart"
            try:
                before = resource.getrusage(resource.RUSAGE_SELF)
                summary = batch.run(brief, out, executor=executor, workers=workers, progress=False)
                after = resource.getrusage(resource.RUSAGE_SELF)
                if executor == "local" and workers == 1:  # made in this process: its CPU seconds are the rows'
                    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                    busy = cpu / summary.seconds
                    extra = f"{busy:.2f} cores busy"
                again = batch.run(brief, out, executor=executor, workers=workers, progress=False)
            finally:
                if executor == "ray":
                    ray.shutdown()
            assert summary.made == args.rows and again.made == 0, (summary, again)
            per_minute = summary.made / summary.seconds * 60
            table.append((f"{executor}, --workers {workers}", summary.seconds, per_minute, again.seconds, extra))
    base = table[0][2] if table else 1.0
    print(f"minime batch: {args.rows} rows, {args.engine} engine, {args.side} px photos, PNG boxes (1080x1350), "
          f"brand kit, {cores} cores\n")
    print(f"| {'executor':<18} | {'wall s':>7} | {'figures/min':>11} | {'speed-up':>8} | {'re-run s':>8} | note")
    print(f"|{'-' * 20}|{'-' * 9}|{'-' * 13}|{'-' * 10}|{'-' * 10}|------")
    for name, seconds, per_minute, again, extra in table:
        print(f"| {name:<18} | {seconds:>7.1f} | {per_minute:>11.1f} | {per_minute / base:>7.2f}x | {again:>8.2f} | {extra}")
    if busy:
        # One worker already uses more than a core (the renderer's, LiteRT's and the BLAS's threads), so with the
        # same CPU a row, workers on `cores` cores can give at most cores / busy times its figures per minute.
        print(f"\none worker keeps {busy:.2f} cores busy: {cores} workers on {cores} cores can give at most "
              f"{cores / busy:.2f}x its figures per minute, before their start-up")


if __name__ == "__main__":
    main()
