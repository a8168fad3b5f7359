"""Benchmark `minime.make` on a 12 MP photo: median seconds per stage and peak memory.

Run: make bench   (or .venv/bin/python bench/make.py [--runs N])
Targets on a 2-core laptop: whole make < 1.0 s median after imports and model load,
render < 150 ms, peak RSS < 600 MB.
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import time
from pathlib import Path

from PIL import Image

import minime

ROOT = Path(__file__).resolve().parent.parent


def twelve_megapixel_jpeg() -> bytes:
    src = Image.open(ROOT / "tests" / "fixtures" / "obama.jpg").convert("RGB")
    big = src.resize((3000, 3750), Image.Resampling.BICUBIC)  # 11.25 MP, 4:5 like a phone portrait crop
    big = big.resize((3024, 4032), Image.Resampling.BICUBIC)  # 12.2 MP, a phone camera's size
    buf = io.BytesIO()
    big.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    photo = twelve_megapixel_jpeg()
    spec = minime.FigureSpec(name="Ada Lovelace", tagline="Countess of Computing", accessories=["laptop", "coffee cup"])
    minime.make(photo, spec)  # warm-up: imports, model load, font load
    stages: dict[str, list[float]] = {}
    totals = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = minime.make(photo, spec)
        totals.append(time.perf_counter() - start)
        for k, v in result.timings.items():
            stages.setdefault(k, []).append(v)
    plain = []
    for _ in range(args.runs):
        start = time.perf_counter()
        minime.make(photo, spec, likeness=False)
        plain.append(time.perf_counter() - start)
    rebox = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result.rebox({"name": "Grace Hopper"})
        rebox.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"minime.make on a 12.2 MP JPEG (3024x4032), median of {args.runs} runs after warm-up\n")
    print(f"| {'stage':<11} | {'median s':>9} | {'target':>8} |")
    print(f"|{'-' * 13}|{'-' * 11}|{'-' * 10}|")
    for k, v in stages.items():
        target = "< 0.150" if k == "box" else ""
        print(f"| {k:<11} | {statistics.median(v):>9.3f} | {target:>8} |")
    print(f"| {'total':<11} | {statistics.median(totals):>9.3f} | {'< 1.000':>8} |")
    print(f"| {'no-likeness':<11} | {statistics.median(plain):>9.3f} | {'':>8} |")
    print(f"| {'rebox':<11} | {statistics.median(rebox):>9.3f} | {'':>8} |")
    print(f"\npeak RSS: {peak_mb:.0f} MB (target < 600 MB)")


if __name__ == "__main__":
    main()
