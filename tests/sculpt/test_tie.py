"""A striped tie read from the photo is painted in diagonal bands on the sculpted blade."""

import numpy as np

from minime.sculpt.cloth import Surface, tie


def _torso() -> np.ndarray:
    ys, xs = np.mgrid[1.0:3.0:60j, -0.6:0.6:40j]
    return np.stack([xs.ravel(), ys.ravel(), 0.3 - 0.2 * xs.ravel() ** 2], 1).astype(np.float32)


def test_a_striped_tie_carries_both_colours_on_its_face_and_a_plain_one_none():
    surface = Surface(_torso())
    navy, gold = (0.07, 0.08, 0.13), (0.62, 0.53, 0.41)
    blade = tie(surface, 1.4, 2.6, navy, gold)[0]
    assert blade.texture is not None and blade.uv is not None and blade.paint is not None
    texels = blade.texture.reshape(-1, 3).astype(int)
    ground, bands = np.all(texels == np.rint(np.array(navy) * 255), 1), np.all(texels == np.rint(np.array(gold) * 255), 1)
    assert ground.mean() > 0.5 and 0.2 < bands.mean() < 0.45  # the ground wins; the stripes are a third of it
    assert np.all(blade.paint[blade.paint > 0] == 1) and 0 < blade.paint.mean() < 1  # the face only, not the walls
    assert 0 <= blade.uv.min() and blade.uv.max() <= 1
    plain = tie(surface, 1.4, 2.6, navy)[0]
    assert plain.texture is None
