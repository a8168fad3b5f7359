"""Benchmark the sculpt engine: seconds per step for one figure at feed size, peak memory, and likeness.

Run: .venv/bin/python bench/sculpt.py [--runs N] [PHOTO ...]
Targets on a 2-core laptop: engine stage <= 1.0 s median, peak RSS < 800 MB, a whole `make --size print` <= 3 s
warm. At print size, median over portraits: likeness (dlib distance from the photo's face to the face in the
finished box) < 0.45 with --turn 0 and < 0.55 with --turn 30; face detail kept (variance of the Laplacian of the
face crop at 256 px, figure over photo) >= 35%.
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


def _face_box(rgb: np.ndarray) -> tuple[float, float, float, float] | None:
    """dlib's face box (its HOG detector), or the project's detector where dlib finds none."""
    import dlib

    found = dlib.get_frontal_face_detector()(rgb, 0)
    if found:
        r = max(found, key=lambda r: r.area())
        return float(r.left()), float(r.top()), float(r.right()), float(r.bottom())
    from minime.look.faces import detect_faces

    faces = detect_faces(rgb)
    return max((f.box for f in faces), key=lambda b: (b[2] - b[0]) * (b[3] - b[1])) if faces else None


def detail(image: Image.Image, box) -> float:
    """Variance of the Laplacian of the face crop, resized to 256 px: how much fine detail the face keeps."""
    from scipy.ndimage import laplace

    grey = image.convert("L").crop(tuple(int(round(v)) for v in box)).resize((256, 256), Image.Resampling.LANCZOS)
    return float(np.var(laplace(np.asarray(grey, np.float64))))


def print_check(path: Path, turn: float) -> tuple[float | None, float | None]:
    """(dlib distance photo -> face in the finished print-size box, face detail kept as a share of the photo's)."""
    import minime
    from minime.look import look
    from minime.look.likeness import distance, embedding

    subject = look(Image.open(path).convert("RGB"))
    box = minime.make(path, {"name": "Sam"}, engine="sculpt", engine_options={"turn": turn}, size="print",
                      likeness=False, record=False).image.convert("RGB")
    found = _face_box(np.asarray(box))
    if found is None:
        return None, None
    photo_box = _face_box(np.asarray(subject.image)) or subject.faces[0].box
    ref = embedding(subject.image, subject.faces[0].box)
    # The photo's face at the size the figure's face is printed: detail a print that size could hold.
    k = (found[2] - found[0]) / max(photo_box[2] - photo_box[0], 1.0)
    photo = subject.image.resize((max(1, round(subject.image.width * k)), max(1, round(subject.image.height * k))),
                                 Image.Resampling.LANCZOS)
    kept = detail(box, found) / max(detail(photo, [v * k for v in photo_box]), 1e-6)
    return distance(ref, embedding(box, found)), kept


def print_warm(path: Path, runs: int = 3) -> float:
    """Median seconds of a whole `make --size print` with the PNG written, after a first run in the process."""
    import io

    import minime

    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        result = minime.make(path, {"name": "Sam"}, engine="sculpt", size="print", record=False)
        result.image.save(io.BytesIO(), "PNG")
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


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
        print(f"| {k:<14} | {v:>9.3f} | {'<= 1.000' if k == 'engine stage' else '':>8} |")
    print(f"| {'first figure':<14} | {first:>9.3f} | {'':>8} |")
    print(f"\npeak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (target < 800 MB)\n")
    print(f"whole make --size print, warm (median of 3, PNG encoded): {print_warm(PHOTOS[0]):.2f} s (target <= 3 s)\n")
    print("at print size: dlib distance photo -> face in the box (same person under 0.6), and face detail kept\n"
          "(variance of the Laplacian of the face crop at 256 px, figure over the photo's face at the same size,\n"
          "dlib's face box)\n")
    print(f"| {'photo':<18} | {'--turn 0':>8} | {'--turn 30':>9} | {'detail kept':>11} |")
    print(f"|{'-' * 20}|{'-' * 10}|{'-' * 11}|{'-' * 13}|")
    rows = []
    for path in photos:
        (d0, kept), (d30, _) = print_check(path, 0), print_check(path, 30)
        rows.append((d0, d30, kept))
        show = lambda d: "no face" if d is None else f"{d:.3f}"  # noqa: E731
        pct = "no face" if kept is None else f"{kept:.0%}"
        print(f"| {path.name:<18} | {show(d0):>8} | {show(d30):>9} | {pct:>11} |")
    med = lambda i, none: statistics.median([r[i] if r[i] is not None else none for r in rows])  # noqa: E731
    print(f"| {'median':<18} | {med(0, 1.0):>8.3f} | {med(1, 1.0):>9.3f} | {med(2, 0.0):>11.0%} |")
    print(f"| {'target':<18} | {'< 0.45':>8} | {'< 0.55':>9} | {'>= 35%':>11} |")


def groups() -> None:
    """Group photos made from the portraits: faces in the photo against figures built and faces on the box."""
    import minime
    from minime.look.faces import detect_faces
    from minime.look.likeness import on_backdrop

    fix = ROOT / "tests" / "fixtures"
    load = lambda name, k: (lambda im: im.resize((round(im.width * k), round(im.height * k))))(  # noqa: E731
        Image.open(fix / name).convert("RGB"))
    adults = [load("obama.jpg", 0.76), load("biden_small.jpg", 1.12).crop((0, 0, 336, 448))]
    child = load("astronaut.jpg", 0.73)  # a face 0.64 of the adults': lower and smaller, as a child stands
    layouts = {  # name: [(photo, x, y)], width
        "two adults": ([(adults[0], 0, 40), (adults[1], 350, 30)], 700),
        "adults + child": ([(adults[0], 0, 40), (adults[1], 350, 30), (child, 690, 170)], 1070),
        "child at the edge": ([(adults[0], 0, 40), (adults[1], 350, 30), (child, 800, 170)], 1000),
        "child between": ([(adults[0], 0, 40), (child, 350, 170), (adults[1], 730, 30)], 1070),
    }
    print("\ngroup photos (portraits side by side, a scaled-down face lower as a child): faces on the box = faces "
          "in the photo, one to one\n")
    print(f"| {'photo':<18} | {'faces':>5} | {'children':>8} | {'figures':>7} | {'faces on box':>12} | {'one to one':>10} |")
    print(f"|{'-' * 20}|{'-' * 7}|{'-' * 10}|{'-' * 9}|{'-' * 14}|{'-' * 12}|")
    for name, (parts, width) in layouts.items():
        photo = Image.new("RGB", (width, 540), (150, 150, 150))
        for im, x, y in parts:
            photo.paste(im, (x, y))
        faces = len(detect_faces(np.asarray(photo)))
        result = minime.make(photo, {"name": "The Smiths"}, engine="sculpt", likeness=False, record=False)
        kids = sum("as a child" in n for n in result.notes)
        on_box = len(detect_faces(np.asarray(on_backdrop(result.figure.image))))
        ok = "yes" if faces == result.figure.people == on_box else "NO"
        print(f"| {name:<18} | {faces:>5} | {kids:>8} | {result.figure.people:>7} | {on_box:>12} | {ok:>10} |")


def skin_light() -> None:
    """The figure's skin (the head's skin tone) from the photo at other exposures and casts, against the original's
    (CIELAB dE), and the skin's chroma from a greyscale copy."""
    from PIL import ImageEnhance

    from minime.engines.sculpt import _exposed
    from minime.look import look
    from minime.look.skin import chroma, delta_e
    from minime.sculpt.head import build_head, fit_landmarks

    def skin(photo):
        subject = look(photo)
        face = subject.faces[0]
        rgb = _exposed(np.asarray(subject.image), face.landmarks)
        return build_head(rgb, face.landmarks, fit=fit_landmarks(face.landmarks, subject.image.size)).skin

    def cast(im, gains):
        return Image.fromarray(np.clip(np.asarray(im, np.float32) * gains, 0, 255).astype(np.uint8))

    variants = {"25%": lambda im: ImageEnhance.Brightness(im).enhance(0.25),
                "50%": lambda im: ImageEnhance.Brightness(im).enhance(0.5),
                "150%": lambda im: ImageEnhance.Brightness(im).enhance(1.5),
                "warm": lambda im: cast(im, (1.15, 1.0, 0.8)), "cool": lambda im: cast(im, (0.82, 0.97, 1.18))}
    print("\nskin under other light: dE (CIELAB) of the figure's skin against the well-lit photo's; greyscale chroma\n")
    print(f"| {'photo':<18} | " + " | ".join(f"{k:>6}" for k in variants) + f" | {'grey C':>6} |")
    print(f"|{'-' * 20}|" + "|".join("-" * 8 for _ in variants) + f"|{'-' * 8}|")
    for path in PHOTOS:
        photo = Image.open(path).convert("RGB")
        ref = skin(photo)
        des = [delta_e(skin(make(photo)), ref) for make in variants.values()]
        grey = chroma(np.array(skin(photo.convert("L").convert("RGB"))))
        print(f"| {path.name:<18} | " + " | ".join(f"{d:>6.1f}" for d in des) + f" | {grey:>6.1f} |")
    print(f"| {'target':<18} | " + " | ".join(f"{'< 8':>6}" for _ in variants) + f" | {'>= 12':>6} |")


if __name__ == "__main__":
    main()
    groups()
    skin_light()
