"""The numpy kernels in minime.imaging agree with the scipy functions they stand in for."""

import numpy as np
import pytest
from scipy.interpolate import RBFInterpolator

from minime.imaging import ThinPlate


@pytest.mark.parametrize(("dims", "channels", "smoothing"), [(2, 2, 1e-3), (2, 1, 0.0), (3, 1, 1e-1)])
def test_thin_plate_is_scipys_thin_plate_spline(dims, channels, smoothing):
    rng = np.random.default_rng(dims + channels)
    points = rng.normal(size=(120, dims))
    values = rng.normal(size=(120, channels))
    queries = rng.normal(size=(500, dims)) * 1.5
    want = RBFInterpolator(points, values, kernel="thin_plate_spline", smoothing=smoothing)(queries)
    assert np.allclose(ThinPlate(points, values, smoothing)(queries), want, atol=1e-7)


def test_thin_plate_passes_through_its_points_without_smoothing():
    points = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 0.3]])
    values = np.array([[0.0], [1.0], [2.0], [3.0], [7.0]])
    assert np.allclose(ThinPlate(points, values)(points), values)
