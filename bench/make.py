"""Benchmark `minime.make` on a 12 MP photo for the sculpt and studio engines: median seconds per stage and peak memory.

Run: make bench   (or .venv/bin/python bench/make.py [--runs N] [--engine NAME])
Targets on a 2-core laptop: the sculpt engine's whole make < 1.5x the studio engine's in the same run,
box render < 150 ms, peak RSS < 800 MB (sculpt) and < 600 MB (studio). Each engine runs in its own process,
so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("sculpt", "studio")


def twelve_megapixel_jpeg() -> bytes:
    src = Image.open(ROOT / "tests" / "fixtures" / "obama.jpg").convert("RGB")
    big = src.resize((3000, 3750), Image.Resampling.BICUBIC)  # 11.25 MP, 4:5 like a phone portrait crop
    big = big.resize((3024, 4032), Image.Resampling.BICUBIC)  # 12.2 MP, a phone camera's size
    buf = io.BytesIO()
    big.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def measure(engine: str, runs: int) -> dict:
    """One engine's numbers, measured in this process."""
    import minime

    photo = twelve_megapixel_jpeg()
    spec = minime.FigureSpec(name="Ada Lovelace", tagline="Countess of Computing", accessories=["laptop", "coffee cup"])
    start = time.perf_counter()
    minime.make(photo, spec, engine=engine)  # the first run pays for imports, model and font loading
    first = time.perf_counter() - start
    stages: dict[str, list[float]] = {}
    totals = []
    for _ in range(runs):
        start = time.perf_counter()
        result = minime.make(photo, spec, engine=engine)
        totals.append(time.perf_counter() - start)
        for k, v in result.timings.items():
            stages.setdefault(k, []).append(v)
    rebox = []
    for _ in range(runs):
        start = time.perf_counter()
        result.rebox({"name": "Grace Hopper"})
        rebox.append(time.perf_counter() - start)
    return {"first": first, "total": statistics.median(totals), "rebox": statistics.median(rebox),
            "stages": {k: statistics.median(v) for k, v in stages.items()},
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def cold_command(runs: int) -> list[tuple[float, float]]:
    """Seconds of `minime make PHOTO --name X` from a shell, each a fresh process (bytecode cached by a first
    run), for a PNG box and for an STL (which draws no box): (wall, CPU) medians. The CPU seconds (user +
    system) say more than the wall clock on a machine that is busy with other work."""
    import os
    import shutil
    import tempfile

    minime = shutil.which("minime", path=str(Path(sys.executable).parent)) or "minime"
    out = []
    with tempfile.TemporaryDirectory(prefix="minime-bench-") as tmp:
        photo = Path(tmp) / "photo.jpg"
        photo.write_bytes(twelve_megapixel_jpeg())
        env = {**os.environ, "MINIME_HOME": tmp}  # the energy history goes to the temporary folder
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as a user's shell: bytecode cached after the first run
        for suffix in (".png", ".stl"):
            times, cpu = [], []
            for _ in range(runs + 1):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run([minime, "make", str(photo), "--name", "X", "-o", str(Path(tmp) / f"x{suffix}")],
                               check=True, capture_output=True, env=env)
                times.append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            # the first run compiles the bytecode
            out.append((statistics.median(times[1:]), statistics.median(cpu[1:])))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--engine", choices=ENGINES, help="measure one engine in this process, print JSON")
    args = parser.parse_args()
    if args.engine:
        print(json.dumps(measure(args.engine, args.runs)))
        return
    got = {}
    for engine in ENGINES:
        out = subprocess.run([sys.executable, __file__, "--engine", engine, "--runs", str(args.runs)],
                             capture_output=True, text=True, check=True).stdout
        got[engine] = json.loads(out.strip().splitlines()[-1])
    print(f"minime.make on a 12.2 MP JPEG (3024x4032), median of {args.runs} runs after a first run\n")
    print(f"| {'stage':<12} | {'sculpt s':>9} | {'studio s':>9} | {'target':>22} |")
    print(f"|{'-' * 14}|{'-' * 11}|{'-' * 11}|{'-' * 24}|")
    s, t = got["sculpt"], got["studio"]
    for k in s["stages"]:
        target = "< 0.150" if k == "box" else ("< 1.0 (sculpt)" if k == "engine" else "")
        print(f"| {k:<12} | {s['stages'][k]:>9.3f} | {t['stages'].get(k, 0):>9.3f} | {target:>22} |")
    ratio = s["total"] / t["total"]
    print(f"| {'total':<12} | {s['total']:>9.3f} | {t['total']:>9.3f} | {f'sculpt/studio {ratio:.2f} < 1.5':>22} |")
    print(f"| {'first run':<12} | {s['first']:>9.3f} | {t['first']:>9.3f} | {'':>22} |")
    print(f"| {'rebox':<12} | {s['rebox']:>9.3f} | {t['rebox']:>9.3f} | {'':>22} |")
    print(f"| {'peak RSS MB':<12} | {s['peak_mb']:>9.0f} | {t['peak_mb']:>9.0f} | {'< 800 / < 600':>22} |")
    png, stl = cold_command(3)
    print("\n`minime make photo.jpg --name X` from a shell, sculpt, a fresh process each, median of 3:\n")
    print(f"| {'output':<12} | {'seconds':>9} | {'CPU s':>9} | {'target':>8} |")
    print(f"|{'-' * 14}|{'-' * 11}|{'-' * 11}|{'-' * 10}|")
    print(f"| {'box .png':<12} | {png[0]:>9.2f} | {png[1]:>9.2f} | {'< 2.0':>8} |")
    print(f"| {'model .stl':<12} | {stl[0]:>9.2f} | {stl[1]:>9.2f} | {'':>8} |")


if __name__ == "__main__":
    main()
