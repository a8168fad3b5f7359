"""Likeness: high for the same person's figure, low against someone else; an independent
recogniser (dlib's own HOG detector, not our MediaPipe one) finds the person in the finished box."""

import functools

import numpy as np
import pytest
from PIL import Image

import minime
from minime.look import likeness, look

from ..conftest import FIXTURES

dlib = pytest.importorskip("dlib")


@functools.cache
def _made(photo: str):
    """The finished box of a fixture photo, made once per test process and shared by both tests below."""
    return minime.make(FIXTURES / photo, {"name": "Test Person", "accessories": ["laptop"]})


@functools.cache
def _photo_embedding(path):
    s = look(Image.open(path).convert("RGB"))
    return s, likeness.embedding(s.image, s.faces[0].box)


@pytest.mark.parametrize("photo", ["obama.jpg", "astronaut.jpg", "biden_small.jpg"])
def test_finished_box_matches_the_person_by_an_independent_recogniser(photo):
    subject, ref = _photo_embedding(FIXTURES / photo)
    result = _made(photo)
    assert result.likeness is not None and result.likeness >= 70
    box = np.asarray(result.image.convert("RGB"))
    detector = dlib.get_frontal_face_detector()
    rects = detector(box, 1)
    assert rects, "dlib finds no face in the box"
    r = max(rects, key=lambda r: r.width())
    found = likeness.embedding(result.image, (r.left(), r.top(), r.right(), r.bottom()))
    assert likeness.distance(ref, found) < 0.6


@pytest.mark.parametrize("person, other", [("obama.jpg", "astronaut.jpg"), ("astronaut.jpg", "camera.png"),
                                           ("obama.jpg", "camera.png")])
def test_a_different_person_scores_low(person, other):
    subject, _ = _photo_embedding(FIXTURES / person)
    figure = _made(other).figure.image
    assert likeness.score(subject, figure) < 30


def test_calibration_is_monotonic_and_centred_on_dlibs_threshold():
    scores = [likeness.score_from_distance(d) for d in np.linspace(0, 1.2, 25)]
    assert all(a >= b for a, b in zip(scores, scores[1:]))
    assert likeness.score_from_distance(0.6) == 50.0
