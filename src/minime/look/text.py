"""Stray text: PaddleOCR's PP-OCRv6 text detector and recogniser, to catch letters a generator left in a figure.

Both ONNX models are the ones shipped inside the `rapidocr` wheel (Apache-2.0); only the files are used,
run with onnxruntime, and nothing is downloaded. The detector (a DBNet) gives each pixel a probability
of lying in a text line; lines are the connected regions above THRESHOLD, each scored by the mean
probability of its box and grown back by the margin DBNet shrank them by in training ("unclip").
The detector alone also marks large plain shapes on a plain backdrop (an oval reads as a giant "O"),
so each line is then read by the recogniser and kept only if it reads as letters or digits with
confidence. What is read is used for that decision and then dropped.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np
from PIL import Image
from scipy import ndimage

from ..errors import MissingExtraError
from .likeness import on_backdrop

DETECTOR = "rapidocr/models/PP-OCRv6_det_small.onnx"
RECOGNISER = "rapidocr/models/PP-OCRv6_rec_small.onnx"
INSTALL_HINT = "stray-text checks need rapidocr and onnxruntime: pip install 'minime[local]' (or 'minime[cloud]')"
THREADS = 2
# The detector sees the image with its long side at most LONG_SIDE (never enlarged: an enlarged smooth
# image reads as text), both sides rounded to multiples of 32. Letters 2% of a 1024-pixel figure are
# still 14 pixels there, which it finds as well as at 960 (and in about 60% of the time).
LONG_SIDE = 736
THRESHOLD = 0.3  # pixel probability that counts as text
MIN_SCORE = 0.5  # mean probability in a line's box (the recogniser has the last word)
MIN_SIDE = 3  # detector pixels: a line's shorter side before unclipping
UNCLIP = 1.6  # DBNet's unclip ratio
MAX_LINES = 50  # the best-scored lines read per image
# The recogniser reads a line at READ_HEIGHT pixels; a line counts as text when it reads as at least one
# letter or digit with mean confidence MIN_READ (printed words mostly read at 0.93-1.0; plain shapes,
# buttons and flag stars that the detector takes for letters at 0.7 or less).
READ_HEIGHT = 48
READ_MIN_WIDTH = 320
READ_MAX_WIDTH = 48 * 40
MIN_READ = 0.75
# ...and holds at least MIN_CHARS letters or digits: a model's stray text is a word, a logo or a number,
# while one glyph is what a fold, a cuff, a button or a pattern reads as (a shirt cuff in the Obama
# portrait reads as "V" at 0.88).
MIN_CHARS = 2

_lock = threading.Lock()

Box = tuple[float, float, float, float, float]


def _model_path(name: str) -> Path:
    try:
        path = Path(str(metadata.distribution("rapidocr").locate_file(name)))
    except metadata.PackageNotFoundError:
        raise MissingExtraError(INSTALL_HINT) from None
    if not path.is_file():
        raise MissingExtraError(f"{INSTALL_HINT}; this rapidocr has no {Path(name).name}")
    return path


@lru_cache(maxsize=2)
def _session(name: str):
    try:
        import onnxruntime as ort
    except ImportError:
        raise MissingExtraError(INSTALL_HINT) from None
    options = ort.SessionOptions()
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    options.enable_cpu_mem_arena = False  # input sizes vary from image to image
    options.log_severity_level = 3
    return ort.InferenceSession(str(_model_path(name)), options, providers=["CPUExecutionProvider"])


@lru_cache(maxsize=1)
def _alphabet() -> list[str]:
    """The recogniser's output classes: CTC blank, its characters (kept in the model), then a space."""
    chars = _session(RECOGNISER).get_modelmeta().custom_metadata_map["character"].splitlines()
    return ["", *chars, " "]


def _run(name: str, x: np.ndarray) -> np.ndarray:
    with _lock:  # one run at a time: each already uses THREADS cores
        session = _session(name)
        return session.run(None, {session.get_inputs()[0].name: x})[0]


def _normalise(rgb: np.ndarray) -> np.ndarray:
    """HxWx3 RGB uint8 -> 3xHxW float32 BGR in [-1, 1], as both PP-OCRv6 models take it."""
    x = np.asarray(rgb, np.float32)[:, :, ::-1] * (2.0 / 255.0) - 1.0
    return x.transpose(2, 0, 1)


def _probability(rgb: Image.Image) -> np.ndarray:
    """Per-pixel text probability at the detector's resolution."""
    w, h = rgb.size
    scale = min(1.0, LONG_SIDE / max(w, h))
    size = (max(32, round(w * scale / 32) * 32), max(32, round(h * scale / 32) * 32))
    x = _normalise(np.asarray(rgb.resize(size, Image.Resampling.BILINEAR)))
    return _run(DETECTOR, np.ascontiguousarray(x[None]))[0, 0]


def _lines(prob: np.ndarray) -> list[Box]:
    """Candidate text lines in a probability map, in its own pixels, best scored first."""
    mask = ndimage.binary_dilation(prob > THRESHOLD, structure=np.ones((2, 2), bool))
    labels, _ = ndimage.label(mask, structure=np.ones((3, 3), bool))
    h, w = prob.shape
    out = []
    for ys, xs in ndimage.find_objects(labels):
        bw, bh = xs.stop - xs.start, ys.stop - ys.start
        if min(bw, bh) < MIN_SIDE:
            continue
        score = float(prob[ys, xs].mean())
        if score < MIN_SCORE:
            continue
        grow = UNCLIP * bw * bh / (2 * (bw + bh))
        out.append((max(0.0, xs.start - grow), max(0.0, ys.start - grow),
                    min(float(w), xs.stop + grow), min(float(h), ys.stop + grow), score))
    return sorted(out, key=lambda b: -b[4])[:MAX_LINES]


def _read(rgb: Image.Image, box: tuple[float, float, float, float]) -> float:
    """The recogniser's confidence that a line holds letters or digits (0 when it reads fewer than MIN_CHARS)."""
    x0, y0, x1, y1 = box[:4]
    crop = rgb.crop((math.floor(x0), math.floor(y0), math.ceil(x1), math.ceil(y1)))
    if crop.height >= 1.5 * crop.width:  # a vertical line: its letters may face either way
        turns = (Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_270)
        return max(_read_line(crop.transpose(turn)) for turn in turns)
    return _read_line(crop)


def _read_line(crop: Image.Image) -> float:
    """`_read` for a horizontal line."""
    width = min(READ_MAX_WIDTH, max(8, math.ceil(READ_HEIGHT * crop.width / crop.height)))
    x = np.zeros((1, 3, READ_HEIGHT, max(width, READ_MIN_WIDTH)), np.float32)
    x[0, :, :, :width] = _normalise(np.asarray(crop.resize((width, READ_HEIGHT), Image.Resampling.BILINEAR)))
    out = _run(RECOGNISER, x)[0]
    best, prob = out.argmax(axis=1), out.max(axis=1)
    emitted = (best != 0) & np.r_[True, best[1:] != best[:-1]]  # CTC: drop blanks and repeats
    alphabet = _alphabet()
    if sum(alphabet[i].isalnum() for i in best[emitted]) < MIN_CHARS:
        return 0.0
    return float(prob[emitted].mean())


def _rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        return on_backdrop(image)
    return image.convert("RGB")


def _found(image: Image.Image, min_side: float = 0.0) -> Iterator[Box]:
    """Text lines in an image as they are confirmed, each at least `min_side` pixels on its shorter side."""
    rgb = _rgb(image)
    prob = _probability(rgb)
    sx, sy = rgb.width / prob.shape[1], rgb.height / prob.shape[0]
    for x0, y0, x1, y1, _ in _lines(prob):
        box = (x0 * sx, y0 * sy, x1 * sx, y1 * sy)
        if min(box[2] - box[0], box[3] - box[1]) < min_side:
            continue
        confidence = _read(rgb, box)
        if confidence >= MIN_READ:
            yield (*box, confidence)


def text_boxes(image: Image.Image) -> list[Box]:
    """Text lines found in an image: (x0, y0, x1, y1, score) in image pixels, top to bottom.

    The score is the recogniser's confidence (0-1) that the line holds letters or digits.
    """
    return sorted(_found(image), key=lambda b: (round(b[1]), b[0]))


def has_text(image: Image.Image, *, min_height_fraction: float = 0.02) -> bool:
    """Whether the image shows a text line whose box is at least `min_height_fraction` of the
    image's height on its shorter side (a line's box is about 1.5 times its letters' height)."""
    return next(_found(image, min_height_fraction * image.height), None) is not None
