"""The hair's colour from its pixels: salt and pepper is the dark it is mostly made of, with grey highlights."""

import numpy as np

from minime.look.hair import _colours
from minime.look.skin import from_lab, lab


def _pixels(parts, seed=0) -> np.ndarray:
    """uint8 pixels: (share, L*, a*, b*) groups with a little noise."""
    rng = np.random.default_rng(seed)
    out = []
    for share, L, a, b in parts:
        n = int(2000 * share)
        c = np.column_stack([L + rng.normal(0, 3, n), a + rng.normal(0, 1, n), b + rng.normal(0, 1, n)])
        out.append(np.clip(from_lab(c) * 255, 0, 255))
    return np.concatenate(out).astype(np.uint8)


SKIN = np.array([200.0, 150.0, 120.0])


def test_salt_and_pepper_hair_is_painted_its_dark_with_grey_highlights():
    px = _pixels([(0.3, 24, 1, 2), (0.3, 36, 1, 3), (0.2, 46, 1, 3), (0.2, 62, 0, 0)])
    colour, highlight = _colours(px, SKIN)
    assert lab(np.array(colour))[0] < 31  # the dark, not the grey-brown mixture
    L, a, b = lab(np.array(highlight))
    assert L > 50 and np.hypot(a, b) < 6  # the grey strands


def test_plain_brown_and_white_hair_read_as_before():
    brown = _pixels([(0.6, 35, 8, 18), (0.4, 45, 9, 20)])
    assert 33 < lab(np.array(_colours(brown, SKIN)[0]))[0] < 42
    white = _pixels([(0.8, 78, 0, 1), (0.2, 55, 10, 15)])
    assert lab(np.array(_colours(white, SKIN)[0]))[0] > 70
