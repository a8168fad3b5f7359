"""Benchmark the sculpt engine: seconds per step for one figure at feed size, peak memory, and likeness.

Run: .venv/bin/python bench/sculpt.py [--runs N] [PHOTO ...]
Targets on a 2-core laptop: engine stage < 1.0 s median, peak RSS < 800 MB; likeness (dlib distance from the
photo's face to the face in the finished box) median over portraits < 0.5 with --turn 0 and < 0.6 with --turn 30.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = [ROOT / "tests" / "fixtures" / "obama.jpg", ROOT / "tests" / "fixtures" / "biden_small.jpg",
          ROOT / "tests" / "fixtures" / "astronaut.jpg"]


def steps(subject, runs: int) -> dict[str, float]:
    """Median seconds of each step of one figure."""
    from minime.engines.sculpt import SculptEngine, _cheek_skin
    from minime.look.person import read_person
    from minime.look.pose import landmarks, stance
    from minime.sculpt.body import build_body
    from minime.sculpt.hair import build_hair, choose_style
    from minime.sculpt.head import build_head, fit_landmarks
    from minime.sculpt.render import render
    from minime.spec import FigureSpec

    rgb, face = np.asarray(subject.image), subject.faces[0]
    out: dict[str, list[float]] = {}

    def timed(name, fn):
        start = time.perf_counter()
        value = fn()
        out.setdefault(name, []).append(time.perf_counter() - start)
        return value

    engine = SculptEngine()
    for _ in range(runs):
        fit = timed("fit", lambda: fit_landmarks(face.landmarks, subject.image.size))
        look = timed("read photo", lambda: read_person(rgb, subject.mask, face, fit, _cheek_skin(rgb, face.landmarks)))
        timed("pose", lambda: stance(landmarks(rgb, face.box)))
        timed("head", lambda: build_head(rgb, face.landmarks, fit=fit))
        timed("hair", lambda: build_hair(choose_style(look.hair_mask)[0], look.hair_color))
        timed("body", lambda: build_body(pose="arms-crossed"))
        figure = timed("engine stage", lambda: engine.generate(subject, FigureSpec(name="A"), n=1)[0])
        timed("render", lambda: render(figure.mesh, height=1100, turn=12))
    return {k: statistics.median(v) for k, v in out.items()}


def likeness(path: Path, turn: float) -> float | None:
    """dlib distance from the photo's face to the face in the finished feed box."""
    import minime
    from minime.look import look
    from minime.look.faces import detect_faces
    from minime.look.likeness import distance, embedding

    subject = look(Image.open(path).convert("RGB"))
    box = minime.make(path, {"name": "Sam"}, engine="sculpt", engine_options={"turn": turn}, likeness=False).image
    rgb = box.convert("RGB")
    faces = detect_faces(np.asarray(rgb))
    if not faces:
        return None
    ref = embedding(subject.image, subject.faces[0].box)
    return min(distance(ref, embedding(rgb, f.box)) for f in faces)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("photos", nargs="*", type=Path)
    args = parser.parse_args()
    from minime.look import look

    photos = args.photos or PHOTOS + sorted((ROOT.parent / "shared" / "photos").glob("*.jpg"))
    subject = look(Image.open(PHOTOS[0]).convert("RGB"))
    from minime.engines.sculpt import SculptEngine
    from minime.spec import FigureSpec

    start = time.perf_counter()
    SculptEngine().generate(subject, FigureSpec(name="A"), n=1)
    first = time.perf_counter() - start
    got = steps(subject, args.runs)
    print(f"sculpt engine, one figure at feed size ({PHOTOS[0].name}), median of {args.runs} runs after a first run\n")
    print(f"| {'step':<14} | {'median s':>9} | {'target':>8} |")
    print(f"|{'-' * 16}|{'-' * 11}|{'-' * 10}|")
    for k, v in got.items():
        print(f"| {k:<14} | {v:>9.3f} | {'< 1.000' if k == 'engine stage' else '':>8} |")
    print(f"| {'first figure':<14} | {first:>9.3f} | {'':>8} |")
    print(f"\npeak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (target < 800 MB)\n")
    print("likeness: dlib distance photo -> box (same person under 0.6)\n")
    print(f"| {'photo':<18} | {'--turn 0':>8} | {'--turn 30':>9} |")
    print(f"|{'-' * 20}|{'-' * 10}|{'-' * 11}|")
    rows = []
    for path in photos:
        d0, d30 = likeness(path, 0), likeness(path, 30)
        rows.append((d0, d30))
        show = lambda d: "no face" if d is None else f"{d:.3f}"  # noqa: E731
        print(f"| {path.name:<18} | {show(d0):>8} | {show(d30):>9} |")
    med = lambda i: statistics.median([r[i] if r[i] is not None else 1.0 for r in rows])  # noqa: E731
    print(f"| {'median':<18} | {med(0):>8.3f} | {med(1):>9.3f} |")
    print(f"| {'target':<18} | {'< 0.5':>8} | {'< 0.6':>9} |")


if __name__ == "__main__":
    main()
