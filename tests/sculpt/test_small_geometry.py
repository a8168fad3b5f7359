"""The numpy rotations, nearest neighbours and convex hull agree with scipy.spatial's."""

import numpy as np
import pytest
from scipy.spatial import ConvexHull, cKDTree
from scipy.spatial.transform import Rotation

from minime.sculpt.face_paint import convex_hull
from minime.sculpt.pose import nearest, rotation, rotvec_matrix


def test_rotvec_matrix_is_scipys():
    rng = np.random.default_rng(0)
    for r in [np.zeros(3), np.array([0.0, 0.0, np.pi]), *rng.normal(size=(200, 3))]:
        np.testing.assert_allclose(rotvec_matrix(r), Rotation.from_rotvec(r).as_matrix(), atol=1e-12)


def test_rotation_is_scipys_align_vectors():
    rng = np.random.default_rng(1)
    pairs = [(u, v) for u, v in rng.normal(size=(300, 2, 3))]
    axes = np.eye(3)
    pairs += [(a, b) for a in axes for b in (a, -a, 2 * a)] + [(np.array([1.0, 2, 3]), np.array([-1.0, -2, -3]))]
    for u, v in pairs:
        want, _ = Rotation.align_vectors(v[None] / np.linalg.norm(v), u[None] / np.linalg.norm(u))
        np.testing.assert_allclose(rotation(u, v), want.as_matrix(), atol=1e-6)
        np.testing.assert_allclose(rotation(u, v) @ u / np.linalg.norm(u), v / np.linalg.norm(v), atol=1e-6)


@pytest.mark.parametrize("dim,k", [(2, 6), (3, 1), (3, 2)])
def test_nearest_is_kdtrees(dim, k):
    rng = np.random.default_rng(2)
    points, queries = rng.normal(size=(500, dim)), rng.normal(size=(300, dim))
    d, i = nearest(points, queries, k)
    want_d, want_i = cKDTree(points).query(queries, k=k)
    np.testing.assert_allclose(d, np.reshape(want_d, d.shape), atol=1e-12)
    assert (i == np.reshape(want_i, i.shape)).all()


def test_nearest_past_the_last_point():
    d, i = nearest(np.zeros((1, 3)), np.ones((4, 3)), k=2)
    assert np.isinf(d[:, 1]).all() and (i[:, 1] == 1).all() and np.allclose(d[:, 0], np.sqrt(3))


def test_convex_hull_is_qhulls():
    rng = np.random.default_rng(3)
    for _ in range(100):
        pts = rng.normal(size=(rng.integers(3, 40), 2))
        want = pts[ConvexHull(pts).vertices]
        got = convex_hull(pts)
        start = np.flatnonzero((got == want[0]).all(1))[0]
        np.testing.assert_array_equal(np.roll(got, -start, 0), want)
    assert len(convex_hull(np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]))) < 3
