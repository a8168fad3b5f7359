"""Benchmark the cut-out every generative figure goes through on the CPU: seconds per 1024x1024 figure.

Run: .venv/bin/python bench/cutout.py [--size 1024] [--runs 9]

Rows: a figure on the flat key a model is asked for (the usual path), the same figure with two loose
accessories taken off for the blister's wells, and noise (what a random-weight model draws: the border
is not flat, so the person mask runs and finds nobody; the slowest path), and, with torch installed, the
flat key as a diffusers pipeline's (3, H, W) output tensor, whose per-pixel work runs with torch where the
tensor lies.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import minime  # noqa: E402
from minime.engines.cutout import cut_out, split_pieces  # noqa: E402
from minime.engines.prompt import KEYS  # noqa: E402


def _on_key(size: int) -> np.ndarray:
    """The studio figure of the test portrait, standing on the green key with a mug and a phone beside it."""
    figure = minime.make(ROOT / "tests" / "fixtures" / "obama.jpg", "Ada", likeness=False).figure.image
    figure.thumbnail((int(size * 0.6), int(size * 0.9)))
    canvas = Image.new("RGBA", (size, size), KEYS[0][0] + (255,))
    canvas.alpha_composite(figure, ((size - figure.width) // 2, size - figure.height - size // 20))
    d = ImageDraw.Draw(canvas)
    s = size / 1024
    d.rounded_rectangle((40 * s, 300 * s, 150 * s, 430 * s), 12 * s, fill=(200, 30, 30, 255))
    d.rounded_rectangle((60 * s, 600 * s, 130 * s, 740 * s), 10 * s, fill=(20, 20, 20, 255))
    return np.asarray(canvas.convert("RGB"))


def _median(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    keyed = _on_key(args.size)
    noise = np.random.default_rng(0).integers(0, 256, (args.size, args.size, 3), dtype=np.uint8)
    cut = cut_out(keyed)
    pieces = split_pieces(cut, ["mug", "phone"])[1]
    assert len(pieces) == 2, "the benchmark figure should give two loose pieces"
    rows = [
        ("flat key", _median(lambda: cut_out(keyed), args.runs)),
        ("flat key + pieces", _median(lambda: split_pieces(cut_out(keyed), ["mug", "phone"]), args.runs)),
        ("noise (person mask)", _median(lambda: cut_out(noise), args.runs)),
    ]
    try:  # a pipeline's output tensor, cut out where it lies (here torch on the CPU; the GPU in the engine)
        import torch

        tensor = torch.from_numpy(keyed.copy()).permute(2, 0, 1).float() / 255
        rows.append(("flat key, torch tensor", _median(lambda: cut_out(tensor), args.runs)))
    except ImportError:
        pass
    print(f"cut-out of a {args.size}x{args.size} figure on the CPU, median of {args.runs} runs\n")
    print(f"| {'input':<24} | {'s':>7} |")
    print(f"|{'-' * 26}|{'-' * 9}|")
    for name, secs in rows:
        print(f"| {name:<24} | {secs:>7.3f} |")


if __name__ == "__main__":
    main()
