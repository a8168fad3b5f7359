"""Hands set by a pose: a hand laid flat over the other arm when the arms are folded, the other hand tucked away."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from minime.sculpt.body import build_body
from minime.sculpt.hands import build_hand
from minime.sculpt.pose import Hold, _held, hand_axes, unit
from minime.sculpt.shape import rig, shape


def _joints() -> dict[str, np.ndarray]:
    from minime.sculpt.recipe import body_style

    a = rig()
    joints = shape(0.5, 0.7, body_style("action")).joints
    return {name: joints[i] for name, i in a.joints.items()}


@pytest.mark.parametrize("side", "LR")
def test_a_hold_points_the_fingers_and_turns_the_palm(side):
    rest = hand_axes(_joints(), side)
    hold = Hold("flat", unit(1.0, -0.3, 0.1), unit(0.2, 0.1, -1.0))
    r = _held(rest, hold, side)
    along, across, palm = (r @ x for x in rest)
    assert np.allclose(r @ r.T, np.eye(3), atol=1e-5) and np.linalg.det(r) == pytest.approx(1.0, abs=1e-5)
    assert np.allclose(along, hold.along, atol=1e-5)
    assert palm @ unit(*hold.palm) > 0.97  # as near the asked-for palm as squares with the fingers


def test_a_flat_hand_keeps_its_fingers_long_and_together_and_its_thumb_under_it():
    # A left hand hanging down, its palm toward the body (-x), its thumb forward (+z).
    hand = build_hand(np.zeros(3), [0.0, -1.0, 0.0], [0.0, 0.0, 1.0], [-1.0, 0.0, 0.0], "flat", 0.6, (0.8, 0.6, 0.5))
    middle = hand.digits[2][-1]
    assert -middle[1] > 0.45  # the fingers lie along what they rest on, curled a little round it
    assert 0.05 < -middle[0] < 0.25
    thumb = hand.digits[0][-1]
    assert -thumb[0] > 0.15 and abs(thumb[2]) < 0.06  # the thumb goes under the palm, not out beside it


def _hidden(parts, name: str, cell: float = 0.04) -> float:
    """The share of a part's vertices that the other parts hide from a viewer in front (a coarse z-buffer)."""
    others = np.concatenate([p.vertices for p in parts if p.name != name])
    key = lambda v: np.floor(v[:, 0] / cell).astype(np.int64) * 100003 + np.floor(v[:, 1] / cell).astype(np.int64)  # noqa: E731
    k = key(others)
    order = np.argsort(k)
    uniq, start = np.unique(k[order], return_index=True)
    front = np.maximum.reduceat(others[order, 2], start)
    hand = next(p.vertices for p in parts if p.name == name)
    kh = key(hand)
    i = np.clip(np.searchsorted(uniq, kh), 0, len(uniq) - 1)
    return float(((uniq[i] == kh) & (front[i] > hand[:, 2])).mean())


def test_folded_arms_lay_one_hand_over_the_other_arm_and_tuck_the_other_away():
    body = build_body(pose="arms-crossed")
    parts = {p.name: p for p in body.parts}
    assert _hidden(body.parts, "hand.L") > 0.8  # the lower forearm's fist is in the crook of the right arm
    assert _hidden(body.parts, "hand.R") < 0.3  # the other hand shows, over the left arm
    hand = parts["hand.R"].vertices
    assert hand[:, 0].mean() > 0.3  # on the figure's left, where its left upper arm is
    # It lies on the sleeve, above the elbow: neither floating off the arm nor sunk in it.
    arm = [trimesh.Trimesh(parts[n].vertices, parts[n].faces, process=False) for n in ("upperarm.L", "forearm.L")]
    dist = np.min([np.abs(trimesh.proximity.signed_distance(m, hand)) for m in arm], 0)
    inside = np.any([m.contains(hand) for m in arm], 0)
    assert np.percentile(dist, 10) < 0.04 and np.median(dist) < 0.15 and inside.mean() < 0.25
    # The forearms stack across the chest: where they cross, the right one lies on top, a little higher.
    upper, lower = (parts[f"forearm.{s}"].vertices for s in "RL")
    mid = lambda v: v[np.abs(v[:, 0]) < 0.1]  # noqa: E731
    assert mid(upper)[:, 2].max() > mid(lower)[:, 2].max() and mid(upper)[:, 1].mean() > mid(lower)[:, 1].mean()


def test_a_digit_tapers_to_a_flattened_tip_and_carries_a_nail_on_its_back():
    from minime.sculpt.hands import _digit
    from minime.sculpt.mesh import Part, is_closed

    joints = np.array([[0.0, 0.0, 0.0], [0.0, 0.15, 0.0], [0.0, 0.25, 0.0], [0.0, 0.33, 0.0]])
    skin, nail = np.array([0.8, 0.6, 0.5]), np.array([0.9, 0.8, 0.75])
    v, f, c = _digit(joints, (0.04, 0.037, 0.033, 0.028), np.array([0.0, 0.0, 1.0]), skin, nail)
    assert is_closed(Part("finger", v, f, c)) and len(f) < 600
    a, b, cc = v[f[:, 0]], v[f[:, 1]], v[f[:, 2]]
    assert np.einsum("ij,ij->i", a, np.cross(b, cc)).sum() > 0  # wound outward

    def extent(y0, y1, axis):
        ring = v[(v[:, 1] > y0) & (v[:, 1] < y1)]
        return np.ptp(ring[:, axis])

    assert extent(0.06, 0.09, 0) > 1.2 * extent(0.28, 0.31, 0)  # tapers from the knuckle to the tip
    assert extent(0.06, 0.09, 2) < 0.92 * extent(0.06, 0.09, 0)  # a little flatter than round
    assert extent(0.28, 0.31, 2) < 0.85 * extent(0.28, 0.31, 0)  # the tip flatter still
    assert extent(0.24, 0.26, 2) < extent(0.19, 0.21, 2)  # creased under the last joint
    on = np.abs(c - nail).max(1) < 1e-6
    assert on.sum() >= 4 and (v[on, 2] > 0.01).all() and (v[on, 1] > 0.27).all()  # on the back of the last bone
    assert v[:, 1].max() < 0.33 + 0.028  # a rounded tip, not a point


@pytest.mark.parametrize("grip", ["relaxed", "grip", "fist", "open", "flat"])
def test_a_hand_stays_light_and_its_nails_face_away_from_the_palm(grip):
    skin = np.array([0.8, 0.6, 0.5], np.float32)
    hand = build_hand(np.zeros(3), [0.0, -1.0, 0.0], [0.0, 0.0, 1.0], [-1.0, 0.0, 0.0], grip, 0.6, skin)
    assert len(hand.part.faces) <= 3200
    nails = hand.part.vertices[(hand.part.colors > skin + 0.02).all(1)]
    assert len(nails) >= 5 * 4
    for finger in hand.digits[1:]:  # each finger's nail lies on the back of its last bone, not the palm side
        near = nails[(np.linalg.norm(nails - finger[-1], axis=1) < 0.05) & (np.abs(nails[:, 2] - finger[-1, 2]) < 0.02)]
        mid = (finger[-1] + finger[-2]) / 2
        bone = (finger[-1] - finger[-2]) / np.linalg.norm(finger[-1] - finger[-2])
        before = finger[-2] - finger[-3]
        back = before - bone * (before @ bone)  # square to the bone, on the outside of the finger's curl
        assert len(near) and ((near - mid) @ back > 0).all()
