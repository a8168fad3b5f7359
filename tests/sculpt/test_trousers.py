import numpy as np

from minime.sculpt.body import Outfit, build_body
from minime.sculpt.mesh import is_closed


def _parts(outfit):
    return {p.name: p for p in build_body(outfit=outfit, pose="standing").parts}


def _width(points, y, band=0.05, axis=0):
    near = points[np.abs(points[:, 1] - y) < band]
    return near[:, axis].max() - near[:, axis].min()


def test_a_trouser_leg_hangs_straight_past_the_calf_not_round_it():
    parts = _parts(Outfit(top="jacket"))
    shin = parts["shin.L"].vertices
    ys = np.linspace(shin[:, 1].max() - 0.05, shin[:, 1].min() + 0.05, 10)
    outer = np.array([shin[np.abs(shin[:, 1] - y) < 0.08, 0].max() for y in ys])
    depth = np.array([_width(shin, y, 0.1, axis=2) for y in ys])
    # Seen from the front, the outside of the leg runs straight from the knee to the hem (leggings curve out
    # round the calf and in to the ankle)...
    assert np.abs(outer - np.interp(ys, ys[[-1, 0]], outer[[-1, 0]])).max() < 0.035
    # ... and the tube tapers: never deeper lower down, and at the hem still over two thirds as deep.
    assert all(b <= a + 0.03 for a, b in zip(depth, depth[1:]))
    assert depth[-1] > 0.66 * depth[0]


def test_the_knee_inside_trousers_is_no_groove():
    parts = _parts(Outfit(top="jacket"))
    thigh, shin = parts["thigh.L"].vertices, parts["shin.L"].vertices
    shared = {tuple(p) for p in thigh} & {tuple(p) for p in shin}
    ring = np.array(sorted(shared))
    assert len(ring) > 8  # the two pieces meet on one rim
    centre = ring.mean(0)
    out = lambda p: np.linalg.norm((p - centre)[..., [0, 2]], axis=-1)  # noqa: E731
    # The cloth a little above and below each rim point stands no further out than the rim: no rim drawn in.
    cloth = np.concatenate([thigh, shin])
    cloth = cloth[out(cloth) > 0.8 * out(ring).min()]  # not the caps inside
    steps = []
    for q in ring:
        d = np.linalg.norm(cloth - q, axis=1)
        near = cloth[(d > 0.02) & (d < 0.1)]
        steps.append(out(near).mean() - out(q))
    assert np.mean(steps) < 0.004


def test_dress_shoes_are_closed_flat_soled_and_longer_than_the_foot():
    for outfit in (Outfit(top="jacket"), Outfit(top="dress")):
        parts = _parts(outfit)
        for side in "LR":
            shoe = parts[f"shoe.{side}"]
            assert is_closed(shoe)
            v = shoe.vertices
            assert abs(v[:, 1].min()) < 1e-6
            flat = v[v[:, 1] < 1e-4]
            assert len(flat) > 20  # a sole standing on its whole outline, not a rounded underside
            assert np.ptp(v[:, 2]) > 2.5 * np.ptp(v[:, 0])  # a shoe's length, not a block's
