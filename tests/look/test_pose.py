"""The stance read from pose landmarks: folded arms, hands on hips, a wave, or none."""

import numpy as np
import pytest

from minime.look.pose import stance

# Photo pixels of a person facing the camera: their left shoulder on the viewer's right.
BASE = {11: (300, 300), 12: (100, 300), 23: (260, 700), 24: (140, 700)}


def _points(**joints) -> np.ndarray:
    names = {"l_elbow": 13, "r_elbow": 14, "l_wrist": 15, "r_wrist": 16}
    p = np.zeros((33, 3))
    for i, xy in BASE.items():
        p[i] = (*xy, 1.0)
    for name, xy in joints.items():
        p[names[name]] = (*xy, 1.0) if xy is not None else (0, 0, 0.0)
    return p


@pytest.mark.parametrize("joints, expected", [
    # arms hanging at the sides
    ({"l_elbow": (320, 480), "r_elbow": (80, 480), "l_wrist": (325, 660), "r_wrist": (75, 660)}, None),
    # folded: each forearm across the chest, one wrist hidden under the other arm
    ({"l_elbow": (330, 520), "r_elbow": (70, 520), "l_wrist": (140, 560), "r_wrist": None}, "arms-crossed"),
    ({"l_elbow": (330, 520), "r_elbow": (70, 520), "l_wrist": (150, 560), "r_wrist": (250, 540)}, "arms-crossed"),
    # one hand up above the shoulder
    ({"l_elbow": (380, 250), "r_elbow": (80, 480), "l_wrist": (400, 120), "r_wrist": (75, 660)}, "waving"),
    # hands on hips, elbows out
    ({"l_elbow": (420, 520), "r_elbow": (-20, 520), "l_wrist": (280, 690), "r_wrist": (120, 690)}, "hands-on-hips"),
])
def test_stance(joints, expected):
    assert stance(_points(**joints)) == expected


def test_no_body_or_no_shoulders_is_no_stance():
    assert stance(None) is None
    p = _points(l_wrist=(150, 560))
    p[11, 2] = 0.0
    assert stance(p) is None
