import numpy as np
import pytest

from minime.errors import UnknownNameError
from minime.sculpt.body import BOTTOMS, POSES, TOPS, Outfit, build_body
from minime.sculpt.mesh import is_closed

OUTFITS = [
    Outfit(),
    Outfit(top="jacket", pattern="stripes"),
    Outfit(top="dress"),
    Outfit(top="hoodie", bottom="skirt"),
    Outfit(top="shirt-tie"),
]


def _outward(part) -> bool:
    """A closed mesh whose triangles face out encloses a positive volume."""
    v = part.vertices.astype(np.float64)
    t = v[part.faces]
    return np.einsum("ij,ij->i", t[:, 0], np.cross(t[:, 1], t[:, 2])).sum() > 0


@pytest.mark.parametrize("pose,outfit", [(p, OUTFITS[i % len(OUTFITS)]) for i, p in enumerate(POSES)]
                         + [("standing", o) for o in OUTFITS[1:]])
def test_body_is_closed_standing_and_sized(pose, outfit):
    body = build_body(pose=pose, outfit=outfit, build=0.3, gender=0.6)
    for part in body.parts:
        assert is_closed(part), part.name
        assert _outward(part), part.name
        assert np.isfinite(part.vertices).all() and np.isfinite(part.colors).all(), part.name
    lowest = min(p.vertices[:, 1].min() for p in body.parts)
    assert abs(lowest) < 1e-4
    assert abs(body.neck[1] - 5.0) < 0.1
    assert 0.1 < body.neck_radius < 0.4
    assert 1.3 < body.shoulder_width < 2.0  # about two of the figure's head heights (0.8) across
    assert sum(len(p.faces) for p in body.parts) < 60000
    hand = next(p for p in body.parts if p.name == "hand.R")
    assert (hand.vertices.min(0) < body.hand).all() and (body.hand < hand.vertices.max(0)).all()
    if pose != "arms-crossed":  # crossed arms put the right fist over on the figure's left
        assert body.hand[0] < 0  # the figure's right hand is on the viewer's left


def test_build_and_gender_change_the_shape():
    slim, broad = build_body(build=0.0, gender=0.0), build_body(build=1.0, gender=1.0)
    assert broad.shoulder_width > slim.shoulder_width


@pytest.mark.parametrize("kwargs,word", [({"pose": "flying"}, "standing"),
                                         ({"outfit": Outfit(top="cape")}, "jacket"),
                                         ({"outfit": Outfit(bottom="kilt")}, "trousers"),
                                         ({"outfit": Outfit(pattern="dots")}, "stripes"),
                                         ({"style": "giant"}, "bobblehead")])
def test_unknown_names_are_refused_with_the_choices(kwargs, word):
    with pytest.raises(UnknownNameError, match=word):
        build_body(**kwargs)


@pytest.mark.parametrize("outfit", [Outfit(top=top) for top in sorted(TOPS)] + [Outfit(bottom=b) for b in sorted(BOTTOMS)],
                         ids=lambda o: f"{o.top}-{o.bottom}")
def test_every_registered_garment_builds_a_closed_body(outfit):
    body = build_body(outfit=outfit)
    assert {"holding", "arms-crossed", "waving"} <= set(POSES) and {"dress", "jacket"} <= set(TOPS)
    for part in body.parts:
        assert is_closed(part) and _outward(part), (outfit, part.name)
