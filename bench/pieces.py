"""Benchmark the 3D accessory pieces: milliseconds to build each piece's mesh (cold) and to render it in a well.

Run: .venv/bin/python bench/pieces.py [--px 256] [KEY ...]
Target: a piece built and rendered in < 100 ms (median), on a laptop's CPU with Mesa's llvmpipe.
"""

from __future__ import annotations

import argparse
import statistics
import time

KEYS = ["coffee-cup", "laptop", "guitar", "dog", "prop", "cat", "teddy-bear", "beer-mug", "horse", "hot-beverage",
        "sushi", "automobile", "wine-glass"]


def main() -> None:
    from minime.accessories import ACCESSORIES, emoji_pieces
    from minime.sculpt import pieces
    from minime.sculpt.render import render

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--px", type=int, default=256, help="rendered height in pixels (a feed box's well is ~200)")
    ap.add_argument("keys", nargs="*")
    args = ap.parse_args()
    known = set(ACCESSORIES) | set(emoji_pieces()) | {"prop"}
    keys = [k for k in (args.keys or KEYS) if k in known]
    render([pieces.build_piece("prop")], height=32)  # the GL context is made once per process, not per piece

    print(f"{'piece':<16}{'triangles':>10}{'build ms':>10}{'render ms':>11}{'total ms':>10}")
    totals = []
    for key in keys:
        pieces._relief.cache_clear()
        t0 = time.perf_counter()
        part = pieces.build_piece(key)
        t1 = time.perf_counter()
        pieces.render_piece(key, args.px)
        t2 = time.perf_counter()
        totals.append((t2 - t0) * 1000)
        print(f"{key:<16}{len(part.faces):>10}{(t1 - t0) * 1000:>10.1f}{(t2 - t1) * 1000:>11.1f}{totals[-1]:>10.1f}")
    print(f"{'median':<16}{'':>10}{'':>10}{'':>11}{statistics.median(totals):>10.1f}")


if __name__ == "__main__":
    main()
