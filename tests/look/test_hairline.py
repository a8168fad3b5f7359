"""The front hairline read from a portrait: high over a receding forehead, lower where the hair comes down."""

import numpy as np
import pytest

from minime.engines.sculpt import _cheek_skin, _exposed
from minime.look import look
from minime.look.hair import FRONT_ON, HAIRLINE_U, OVAL, read_hairline
from minime.look.person import read_person as read_look
from minime.sculpt.head import fit_landmarks

from .conftest import load


@pytest.fixture(scope="module")
def lines():
    out = {}
    for name in ("obama.jpg", "biden_small.jpg"):
        subject = look(load(name))
        face = subject.faces[0]
        rgb = _exposed(np.asarray(subject.image), face.landmarks)
        fit = fit_landmarks(face.landmarks, subject.image.size)
        person = read_look(rgb, subject.mask, face, fit, _cheek_skin(rgb, face.landmarks))
        top = float(fit.front[OVAL, 1].max())
        line = read_hairline(person.hair_mask, fit.front, 0.33, fit.yaw, photo=rgb, to_photo=fit.to_photo)
        out[name] = (line, top, person.hair_mask, fit)
    return out


def _centre(line) -> float:
    mid = [h for u, h in zip(HAIRLINE_U, line) if abs(u) <= 0.3 and h is not None]
    return float(np.mean(mid))


def test_a_receding_hairline_is_read_high_and_a_full_one_lower(lines):
    obama, top, _, _ = lines["obama.jpg"]
    biden, _, _, _ = lines["biden_small.jpg"]
    assert len(obama) == len(biden) == len(HAIRLINE_U)
    assert top + 0.06 < _centre(obama) < top + 0.14  # just over the forehead's top
    assert _centre(biden) > top + 0.15  # the forehead runs well up into the crown
    assert _centre(biden) > _centre(obama) + 0.04


def test_the_hairline_comes_down_toward_the_temples_and_sides(lines):
    for line, _, _, _ in lines.values():
        h = {u: v for u, v in zip(HAIRLINE_U, line)}
        assert h[0.8] is not None and h[0.0] is not None and h[0.8] < h[0.0]


def test_the_hair_region_alone_reads_the_line_too_but_a_turned_head_reads_none(lines):
    _, _, mask, fit = lines["biden_small.jpg"]
    alone = read_hairline(mask, fit.front, 0.33)
    assert alone is not None and _centre(alone) > 0.3
    assert read_hairline(mask, fit.front, 0.33, yaw=FRONT_ON + 5) is None
    assert read_hairline(np.zeros_like(mask), fit.front, 0.33) is None  # no hair over the forehead: no line
