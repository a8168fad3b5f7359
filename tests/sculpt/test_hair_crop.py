"""The close crop: a fine grain of short strokes, not painted stripes, and a hairline that thins into the skin."""

import numpy as np

from minime.sculpt import hair
from minime.sculpt.hair_shell import Shell
from minime.sculpt.hair_styles import _CROP_ENDS

ROWS, COLS = 36, 152


def _crop(**kw) -> Shell:
    return Shell(ends=_CROP_ENDS, thickness=0.03, strands=0, stubble=True, depth=0.004, tips=0.0, rim=0.0, taper=0.25,
                 feather=True, floor=0.0005, rows=ROWS, cols=COLS, inner_rings=4, **kw)


def _correlation(a: np.ndarray, lag: int, axis: int) -> float:
    a = a - a.mean()
    n = a.shape[axis]
    x, y = np.take(a, range(n - lag), axis), np.take(a, range(lag, n), axis)
    return float((x * y).sum() / np.sqrt((x * x).sum() * (y * y).sum()))


def test_the_grain_is_short_strokes_along_the_hair_not_stripes_round_the_head():
    grid = _crop().shade[1:1 + ROWS * COLS].reshape(ROWS, COLS)
    assert grid.std() > 0.05  # a grain, not a flat cap
    # Stripes round the head repeat from column to column; strokes do not, but run on down the hair a little.
    assert all(abs(_correlation(grid, lag, 1)) < 0.2 for lag in (1, 2, 3, 4))
    assert _correlation(grid, 1, 0) > 0.4
    assert abs(_correlation(grid, 4, 0)) < 0.2  # short strokes


def test_a_feathered_hairline_thins_to_nothing_and_sinks_onto_the_skull():
    shell = _crop()
    assert shell.t[-1].max() < 0.002 < 0.02 < shell.t[: ROWS // 2].min()
    edge = np.linalg.norm(shell.inner[-1] / hair.SKULL, axis=1)
    assert np.all((edge > 0.99) & (edge < 1.0))  # on the skull, under the skin, not standing off it


def test_the_close_crop_s_paint_gives_way_to_the_skin_at_the_hairline():
    dark, skin = np.array([0.1, 0.08, 0.07]), np.array([0.8, 0.6, 0.5])
    plain = hair.build_hair("buzz", dark)[0]
    soft = hair.build_hair("buzz", dark, skin=skin)[0]
    skinned = np.all(np.isclose(soft.colors, skin, atol=0.02), axis=1)
    assert 0.01 < skinned.mean() < 0.5
    r = np.linalg.norm(soft.vertices / hair.SKULL, axis=1)
    assert np.median(r[skinned]) < np.median(r[~skinned])  # where the shell is thinnest
    assert not np.any(np.all(np.isclose(plain.colors, skin, atol=0.02), axis=1))  # no skin given: all hair
    # A style that is not feathered keeps its paint.
    np.testing.assert_allclose(hair.build_hair("side-part", dark, skin=skin)[0].colors,
                               hair.build_hair("side-part", dark)[0].colors)
