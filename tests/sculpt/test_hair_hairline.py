"""A short cut's forehead edge follows the photo's hairline where it is higher than the style's own; the sides
and back stay the style's, and what is taken back shows the skull's skin."""

import numpy as np
import pytest

from minime.look.hair import HAIRLINE_U
from minime.sculpt.hair import SKULL, build_hair

SKIN = (0.8, 0.6, 0.5)
RECEDING = tuple(0.42 - 0.12 * u * u for u in HAIRLINE_U)  # high over the forehead, coming down at the sides
LOW = tuple(0.1 for _ in HAIRLINE_U)  # lower than any style's own: nothing to take back


def _shell(style, hairline=None):
    return build_hair(style, (0.2, 0.15, 0.1), skin=SKIN, hairline=hairline)[0]


def _front_hair(part) -> np.ndarray:
    """Vertices over the middle of the forehead standing out of the skull (the hair that shows)."""
    v = part.vertices.astype(float)
    out = np.linalg.norm(v / SKULL, axis=1) > 1.005
    return v[out & (np.abs(v[:, 0]) < 0.1) & (v[:, 2] > 0.2)]


@pytest.mark.parametrize("style", ["buzz", "side-part", "quiff"])
def test_a_receding_hairline_takes_the_front_edge_back(style):
    own, taken = _front_hair(_shell(style)), _front_hair(_shell(style, RECEDING))
    assert own[:, 1].min() < 0.33
    assert taken[:, 1].min() > 0.36  # the hair starts about at the photo's line, not the style's
    assert taken[:, 1].min() > own[:, 1].min() + 0.06


@pytest.mark.parametrize("style", ["buzz", "side-part", "quiff"])
def test_the_back_and_a_lower_hairline_keep_the_style(style):
    own, taken = _shell(style).vertices, _shell(style, RECEDING).vertices
    back = own[:, 2] < -0.1
    np.testing.assert_allclose(taken[back], own[back], atol=1e-6)
    np.testing.assert_allclose(_shell(style, LOW).vertices, own, atol=1e-6)


def test_a_close_crop_taken_back_is_skin_at_its_edge_and_hair_above():
    part = _shell("buzz", RECEDING)
    v, c = part.vertices.astype(float), part.colors
    out = np.linalg.norm(v / SKULL, axis=1)
    front = (np.abs(v[:, 0]) < 0.1) & (v[:, 2] > 0.2)
    sunk = front & (out < 1.0)  # the feathered edge under the skin is painted skin, not a dark rim
    assert sunk.any() and np.abs(c[sunk] - SKIN).max(1).mean() < 0.1
    above = front & (v[:, 1] > 0.47) & (out > 1.02)
    assert above.any() and np.abs(c[above] - SKIN).max(1).mean() > 0.3


def test_other_styles_and_bad_hairlines():
    np.testing.assert_allclose(build_hair("bob", (0.2, 0.15, 0.1), hairline=RECEDING)[0].vertices,
                               build_hair("bob", (0.2, 0.15, 0.1))[0].vertices)
    sparse = (None,) * (len(HAIRLINE_U) - 2) + (0.4, 0.4)  # too little known: the style's own
    np.testing.assert_allclose(_shell("buzz", sparse).vertices, _shell("buzz").vertices)
    with pytest.raises(ValueError):
        build_hair("buzz", (0.2, 0.15, 0.1), hairline=(0.4, 0.4, 0.4, 0.4, 0.4))
