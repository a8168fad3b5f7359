"""The numpy kernels in minime.imaging agree with the scipy functions they stand in for."""

import numpy as np
import pytest
from scipy.interpolate import RBFInterpolator
from scipy.ndimage import map_coordinates

from minime.imaging import ThinPlate, bilinear


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


@pytest.mark.parametrize(("edge", "mode"), [("nearest", "nearest"), ("zero", "constant")])
def test_bilinear_is_scipys_map_coordinates_to_the_bit(edge, mode):
    """Points inside, on the edges and corners, and outside the image (where the two edges differ)."""
    rng = np.random.default_rng(7)
    image = (rng.random((61, 47)) * 255).astype(np.float32)
    y, x = rng.uniform(-4, 65, (90, 70)), rng.uniform(-4, 51, (90, 70))
    y[0, :6], x[0, :6] = [0, 60, 60, 0, 30, 61], [0, 46, 0, 46, 46, 20]
    want = map_coordinates(image, [y, x], order=1, mode=mode, cval=0)
    got = bilinear(image, y, x, edge=edge)
    assert got.dtype == np.float32 and np.array_equal(got, want)
    assert (got[(y < 0) | (y > 60)] == 0).all() == (edge == "zero")
