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
