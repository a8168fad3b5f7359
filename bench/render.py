"""Benchmark the box renderer: median milliseconds per template at feed size (front and back), and the
print-kit PDF. Prints a table; targets: < 150 ms per template at feed size, < 2 s for the print kit.

Run: .venv/bin/python bench/render.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from PIL import Image

from minime.box.printkit import print_kit
from minime.box.render import SAMPLE_FIGURE, TEMPLATES, render
from minime.engines import Figure
from minime.outputs import SIZES
from minime.spec import build_spec

SPEC = build_spec(name="Ada Lovelace", tagline="Countess of Computing", accessories=["laptop", "coffee cup"],
                  color="#1d4e89", job="Analyst", powers=["Poetical science"], quote="Imagination is the discovering faculty.",
                  stats={"Maths": 10, "Poetry": 8})


def median_ms(fn, runs: int) -> float:
    fn()  # warm-up: fonts, accessory art
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    figure = Figure(Image.open(SAMPLE_FIGURE).convert("RGBA"), "saved")
    w, h, _ = SIZES["feed"]
    rows = []
    for name in TEMPLATES:
        front = median_ms(lambda t=name: render(figure, SPEC, template=t, width=w, height=h), args.runs)
        back = median_ms(lambda t=name: render(figure, SPEC, template=t, width=w, height=h, side="back"), args.runs)
        kit = median_ms(lambda t=name: print_kit(figure, SPEC, template=t), max(3, args.runs // 3))
        rows.append((name, front, back, kit))
    print(f"{'template':<12} {'feed front ms':>14} {'feed back ms':>13} {'print-kit PDF ms':>17}")
    for name, front, back, kit in rows:
        flag = "" if front < 150 and kit < 2000 else "  over target"
        print(f"{name:<12} {front:>14.0f} {back:>13.0f} {kit:>17.0f}{flag}")
    print(f"targets: feed < 150 ms, print kit < 2000 ms ({args.runs} runs, median)")


if __name__ == "__main__":
    main()
