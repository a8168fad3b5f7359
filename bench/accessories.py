"""Accessory matching: hit, wrong and prop rates on the word list, and milliseconds per accessory.

    .venv/bin/python bench/accessories.py [WORDS.tsv]

The list (tests/box/fixtures/accessory_words.tsv by default) gives each word the pieces that are right for
it; "-" means no piece fits and a labelled prop is right. Prints a table; asserts nothing.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from minime.accessories import match_accessory
from minime.accessories.emoji import bare

WORDS = Path(__file__).resolve().parent.parent / "tests" / "box" / "fixtures" / "accessory_words.tsv"


def main(path: Path) -> None:
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    started = time.perf_counter()
    match_accessory("warm up")
    first = time.perf_counter() - started
    right = wrong = prop = 0
    times, misses = [], []
    for word, expected in rows:
        t = time.perf_counter()
        m = match_accessory(word)
        times.append((time.perf_counter() - t) * 1000)
        got = (bare(m.emoji) or m.key) if m.known else "-"
        if got in {bare(e) for e in expected.split("|")}:
            right += 1
        elif got == "-":
            prop += 1
            misses.append(f"  prop   {word!r} (expected {expected})")
        else:
            wrong += 1
            misses.append(f"  WRONG  {word!r} -> {m.key} {m.emoji} (expected {expected})")
    n = len(rows)
    print(f"{'measure':<34}{'value':>12}")
    print(f"{'words':<34}{n:>12}")
    print(f"{'right piece (or right prop)':<34}{right / n:>11.1%}")
    print(f"{'wrong piece':<34}{wrong:>12}")
    print(f"{'labelled prop instead of a piece':<34}{prop:>12}")
    print(f"{'matching, median ms':<34}{statistics.median(times):>12.3f}")
    print(f"{'matching, p95 ms':<34}{sorted(times)[int(0.95 * (n - 1))]:>12.3f}")
    print(f"{'first call (loads the index), s':<34}{first:>12.2f}")
    if misses:
        print("\n".join(["", "misses:", *misses]))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else WORDS)
