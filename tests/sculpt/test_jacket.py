"""A suit jacket's sleeves: no ring at the elbow or the shoulder, a tube that tapers to the cuff; hands in the
face's tone."""

import numpy as np

from minime.sculpt import recipe
from minime.sculpt.body import Outfit, build_body, hand_skin
from minime.sculpt.mesh import is_closed
from minime.sculpt.shape import rig, shape, straight_sleeves


def _parts(top, pose="standing"):
    return {p.name: p for p in build_body(outfit=Outfit(top=top), pose=pose).parts}


def _step(a, b):
    """How far the cloth near where two pieces meet stands out past their shared rim (a groove: > 0)."""
    shared = {tuple(p) for p in a} & {tuple(p) for p in b}
    if len(shared) < 8:
        return None
    ring = np.array(sorted(shared))
    centre = ring.mean(0)
    axis = np.linalg.svd(ring - centre)[2][2]  # across the rim's plane

    def out(p):
        d = p - centre
        return np.linalg.norm(d - np.outer(d @ axis, axis), axis=1)

    cloth = np.concatenate([a, b])
    cloth = cloth[out(cloth) > 0.8 * out(ring).min()]  # not the caps inside
    steps = []
    for q in ring:
        d = np.linalg.norm(cloth - q, axis=1)
        steps.append(out(cloth[(d > 0.02) & (d < 0.1)]).mean() - out(q[None])[0])
    return float(np.mean(steps))


def test_the_elbow_and_the_shoulder_inside_a_jacket_sleeve_are_no_groove():
    for pose in ("standing", "hands-on-hips"):
        parts = _parts("jacket", pose)
        v = {name: p.vertices for name, p in parts.items()}
        for side in "LR":
            assert _step(v[f"upperarm.{side}"], v[f"forearm.{side}"]) < 0.008
            # A figure's narrow shoulders draw the rim in a little: still well under a visible ring.
            assert _step(v["torso"], v[f"upperarm.{side}"]) < 0.01
        for name in ("torso", "upperarm.L", "forearm.L", "upperarm.R", "forearm.R"):
            assert is_closed(parts[name])  # each piece runs on under the next and is closed there


def test_a_bare_elbow_is_still_a_joint():
    parts = _parts("t-shirt")
    # The rims are drawn in: the pieces share no rim at all, or the cloth round it stands well out past it.
    step = _step(parts["upperarm.L"].vertices, parts["forearm.L"].vertices)
    assert step is None or step > 0.005


def _girth(v, joints, side):
    """The arm's mean distance from its bone at stations from the middle of the upper arm down to the wrist."""
    w, b = rig().weights, rig().bones
    s = side.lower()
    shoulder, elbow, wrist = (joints[f"{s}-{n}"] for n in ("shoulder", "elbow", "hand"))
    arm = (w[:, b[f"upperarm.{side}"]] + w[:, b[f"lowerarm.{side}"]]) > 0.9
    up, fore = (elbow - shoulder) / np.linalg.norm(elbow - shoulder), (wrist - elbow) / np.linalg.norm(wrist - elbow)
    upper = (v - elbow) @ (up + fore) < 0  # the upper arm's side of the elbow
    out = []
    for root, end, side_of, at in ((shoulder, elbow, upper, (0.45, 0.6, 0.75, 0.9)),
                                   (elbow, wrist, ~upper, (0.1, 0.3, 0.5, 0.7, 0.9))):
        axis = (end - root) / np.linalg.norm(end - root)
        t = (v - root) @ axis / np.linalg.norm(end - root)
        r = np.linalg.norm(v - root - np.outer((v - root) @ axis, axis), axis=1)
        out += [r[arm & side_of & (np.abs(t - a) < 0.06)].mean() for a in at]
    return np.array(out)


def test_a_jacket_sleeve_tapers_evenly_to_the_cuff():
    shaped = shape(0.5, 0.7)
    joints = {name: shaped.joints[i] for name, i in rig().joints.items()}
    for side in "LR":
        arm = _girth(shaped.vertices, joints, side)
        sleeve = _girth(straight_sleeves(shaped.vertices, joints), joints, side)
        assert np.diff(sleeve).max() < 0.002  # the sleeve never widens on its way down...
        # ... and narrows gently down the forearm, where the arm itself thins fast toward the wrist
        assert np.abs(np.diff(arm[-4:])).max() > 0.018
        assert np.abs(np.diff(sleeve[-4:])).max() < 0.013
        assert sleeve[-1] > arm[-1] + 0.005  # the cuff hangs free of the wrist
    # A suit jacket is cut so; a t-shirt leaves the arm as it is.
    assert not np.allclose(recipe.top("jacket").fit(shaped.vertices, joints), shaped.vertices)
    assert recipe.top("t-shirt").fit(shaped.vertices, joints) is shaped.vertices


def test_hands_are_painted_lighter_and_cooler_than_the_face_they_match():
    for skin in ((0.54, 0.36, 0.33), (0.8, 0.6, 0.48), (0.35, 0.22, 0.16)):
        hand = hand_skin(skin)
        assert np.all(hand >= np.asarray(skin) - 1e-6) and np.all(hand - skin < 0.04)
        assert hand[2] / hand[0] > skin[2] / skin[0]  # a touch cooler: the face's pink, not a tan
