"""Accessories on the figure: worn pieces are worn, held pieces have volume and their real size, and a piece
the busy hands cannot take stands on the base beside the figure; a house stays in its well, with a note."""

from __future__ import annotations

import numpy as np
import pytest

from minime.engines.sculpt import SculptEngine, kept_in_wells, pieces_held, pieces_worn, read_people
from minime.sculpt.mesh import is_closed
from minime.sculpt.pieces import build_piece
from minime.sculpt.recipe import FigureRecipe
from minime.sculpt.scene import build_figure
from minime.sculpt.worn import WORN, body_worn, head_worn, held_size, how_carried
from minime.spec import FigureSpec


@pytest.mark.parametrize(("key", "how"), [("sunglasses", "eyes"), ("eye-mask", "eyes"), ("face-mask", "mouth"),
                                          ("top-hat", "head"), ("headphones", "ears"),
                                          ("scarf", "neck"), ("cape", "back"), ("watch", "wrist"), ("guitar", "held"), ("house", "well"),
                                          ("basketball", "held"), ("airplane", "well"), ("umbrella", "held")])
def test_each_piece_is_worn_held_or_kept_in_its_well(key, how):
    assert how_carried(key) == how


def test_a_drawn_piece_is_carried_as_its_emoji_twin_would_be():
    """A drawn piece is judged without the emoji archive; where an emoji has the same key, its group agrees."""
    from minime.accessories import ACCESSORIES, emoji_pieces
    from minime.sculpt import worn

    twins = [k for k in ACCESSORIES if k in emoji_pieces()]
    assert len(twins) > 20
    for key in twins:
        by_group = "well" if key in worn._TOO_BIG or emoji_pieces()[key].group in worn._TOO_BIG_GROUPS else "held"
        assert how_carried(key) == worn.WORN.get(key, "held" if key in worn._HOLDABLE else by_group), key


@pytest.fixture(scope="module")
def person(subject) -> FigureRecipe:
    return read_people(subject, FigureSpec(name="Ada"))[0]


@pytest.fixture(scope="module")
def built(person):
    from dataclasses import replace

    from minime.sculpt.body import build_body

    return build_body(pose="arms-crossed"), replace(person, pose="arms-crossed")


def test_every_worn_piece_is_a_closed_mesh_on_its_place(person, built):
    body, _ = built
    built_parts = []
    for key in sorted(WORN):  # one of each place is worn at a time: build each piece on its own
        parts = head_worn([key], person.head, (200, 30, 46)) + body_worn([key], body, (200, 30, 46))
        assert parts, key
        built_parts += parts
    for p in built_parts:
        assert is_closed(p), p.name
    hat = head_worn(["top-hat"], person.head, None)[0]
    a, b, _ = person.head.skull
    assert hat.vertices[:, 1].min() > 0.0 and hat.vertices[:, 1].max() > b  # on top of the head, above the crown
    assert np.ptp(hat.vertices[:, 0]) > 2 * a  # wider than the skull: it sits over the hair


def test_a_worn_piece_is_built_on_the_figure_and_still_in_a_well(person):
    from dataclasses import replace

    parts, _ = build_figure(replace(person, worn=("sunglasses", "top-hat", "scarf")))
    names = {p.name for p in parts}
    assert {"glasses", "lenses", "hat", "scarf"} <= names
    spec = FigureSpec(name="Ada", accessories=["sunglasses", "top hat", "guitar"])
    assert pieces_worn(spec, 1) == [("sunglasses", "top-hat")]
    assert pieces_held(spec, 1) == ["guitar"]  # the first piece a hand can hold, never the worn ones


def test_a_held_ball_is_a_sphere():
    ball = build_piece("basketball", size=held_size("basketball"))
    extent = np.ptp(ball.vertices, axis=0)
    assert np.allclose(extent, extent[0], rtol=0.02) and is_closed(ball)


def test_with_arms_crossed_the_piece_stands_on_the_base_beside_the_figure(person):
    from dataclasses import replace

    parts, span = build_figure(replace(person, pose="arms-crossed", held="guitar"))
    beside = [p for p in parts if p.name == "beside"]
    assert len(beside) == 1, "the piece is never dropped"
    v = beside[0].vertices
    body = np.concatenate([p.vertices for p in parts if p.name not in ("beside",)])
    assert abs(v[:, 1].min() - body[:, 1].min()) < 0.05  # standing where the feet stand
    assert np.ptp(v[:, 1]) == pytest.approx(held_size("guitar"), rel=0.05)  # upright, at its real size
    figure = np.ptp(body[:, 1])
    assert 0.4 < np.ptp(v[:, 1]) / figure < 0.6  # as long as the legs, which are about half the figure's height
    xs = np.concatenate([p.vertices[:, 0] for p in parts])
    assert abs(xs.min() + xs.max()) < 0.35 and span >= np.ptp(xs) - 0.3  # the base is centred under both


def test_a_held_phone_fits_the_hand(person):
    from dataclasses import replace

    parts, _ = build_figure(replace(person, pose="holding", held="smartphone"))
    phone = next(p for p in parts if p.name == "held")
    head = next(p for p in parts if p.name == "head")
    assert np.ptp(phone.vertices[:, 1]) < 0.8 * np.ptp(head.vertices[:, 1])  # smaller than the head, as a phone is


def test_a_house_stays_in_its_well_with_a_note(gl, subject):
    spec = FigureSpec(name="Ada", accessories=["house"])
    assert pieces_held(spec, 1) == [None]
    assert kept_in_wells(spec) == ["'house' is too big for the figure to hold or wear: it is not on the figure "
                                   "(the box shows it in a well)"]
    figure = SculptEngine().generate(subject, spec, n=1, seed=0)[0]
    assert any("house" in n and "well" in n for n in figure.notes)
    assert not any(p.name in ("held", "beside") for p in figure.mesh)


def test_a_piece_too_long_for_the_hand_stands_beside_even_when_holding(person):
    """A guitar held up in the fist would cover the face: it stands on the base beside the figure instead."""
    from dataclasses import replace

    from minime.engines.sculpt import posed_as

    assert posed_as(replace(person, pose="standing", held="guitar"), None).pose == "standing"
    assert posed_as(replace(person, pose="standing", held="smartphone"), None).pose == "holding"
    parts, _ = build_figure(replace(person, pose="holding", held="guitar"))
    assert [p.name for p in parts].count("beside") == 1 and "held" not in [p.name for p in parts]


# ------------------------------------------------------------------------------------- masks

def _hits(part, x: float, y: float) -> list[float]:
    """The z of every crossing of a ray from the front at (x, y) through a closed part, nearest first."""
    import manifold3d as m3

    solid = m3.Manifold(m3.Mesh(vert_properties=part.vertices, tri_verts=part.faces.astype(np.uint32)))
    assert solid.status() == m3.Error.NoError, part.name  # a valid solid: the print's union takes it in
    return [float(h.position[2]) for h in solid.ray_cast((x, y, 5.0), (x, y, -5.0))]


def _front(part, x: float, y: float) -> float | None:
    hits = _hits(part, x, y)
    return hits[0] if hits else None


@pytest.fixture(scope="module")
def face(person):
    return next(p for p in person.head.parts if p.name == "head")


def test_an_eye_mask_is_moulded_over_the_eyes_with_holes_for_them(person, face):
    from minime.sculpt.face_paint import EYES
    from minime.sculpt.shape import ACTION

    lm = person.head.landmarks
    (mask,) = head_worn(["eye-mask"], person.head, None)
    assert is_closed(mask) and mask.material == "vinyl"
    assert np.allclose(mask.colors, mask.colors[0]) and mask.colors[0].max() < 0.1  # black without a colour
    for x, y, _ in lm[EYES]:  # every point of both eyes' outlines is seen through a hole (the shell's inside
        seen = _front(mask, x, y)  # may run on under the skin)
        assert seen is None or seen < _front(face, x, y)
    right, left = lm[EYES[:16]], lm[EYES[16:]]
    cx, cy = (left[:, 0].mean() - right[:, 0].mean()) / 2, lm[EYES, 1].mean()
    temple = left[:, 0].max() + 0.04
    band = [(0, cy + 0.03), (-cx, cy + 0.078), (cx, cy + 0.078), (-cx, cy - 0.058), (cx, cy - 0.058),
            (-temple, cy + 0.03), (temple, cy + 0.03)]  # the nose bridge, over the brows, the cheeks, the temples
    for x, y in band:
        hits = _hits(mask, x, y)
        assert hits and hits[0] > _front(face, x, y) + 0.01, (x, y)  # moulded on, standing proud of the face
        assert (hits[0] - hits[1]) * ACTION.head >= 0.07  # 1 mm thick at a 100 mm print
    x0, x1 = lm[EYES, 0].min(), lm[EYES, 0].max()
    assert mask.vertices[:, 0].min() < x0 - 0.05 and mask.vertices[:, 0].max() > x1 + 0.05  # on to the temples
    red = head_worn(["eye-mask"], person.head, (200, 30, 46))[0]
    assert np.allclose(red.colors[0], np.array([200, 30, 46]) / 255)  # the spec's colour when it gives one


def test_a_face_mask_covers_the_nose_and_mouth_and_loops_round_the_ears(person, face):
    from minime.sculpt.face_paint import EYES
    from minime.sculpt.shape import ACTION

    lm = person.head.landmarks
    (mask,) = head_worn(["face-mask"], person.head, None)
    assert is_closed(mask) and mask.material == "knit"
    body = mask.colors[np.argmax(mask.vertices[:, 2])]  # the front of the mask
    assert body[2] > body[0] and body.min() > 0.6  # pale blue without a colour
    for i in (1, 2, 13, 14, 61, 291, 17):  # the nose's tip and base, the lips and the mouth's corners
        x, y, _ = lm[i]
        hits = _hits(mask, x, y)
        assert hits and hits[0] > _front(face, x, y) + 0.005, i
        assert (hits[0] - hits[1]) * ACTION.head >= 0.07
    for x, y, _ in lm[EYES]:
        assert _front(mask, x, y) is None  # the eyes stay clear
    for side in (-1, 1):  # an elastic round each ear, behind it
        ear = next(p.vertices for p in person.head.parts if p.name == "ear" and np.sign(p.vertices[:, 0].mean()) == side)
        near = mask.vertices[(side * mask.vertices[:, 0] > 0.2)
                             & (mask.vertices[:, 1] > ear[:, 1].min()) & (mask.vertices[:, 1] < ear[:, 1].max())]
        assert near[:, 2].min() < ear[:, 2].min() + 0.01


def test_a_mask_is_worn_on_the_figure_with_glasses_or_a_hat(person):
    from dataclasses import replace

    parts, _ = build_figure(replace(person, worn=("face-mask", "sunglasses", "top-hat")))
    names = [p.name for p in parts]
    assert {"face-mask", "glasses", "lenses", "hat"} <= set(names)  # the mask has its own place: over the mouth
    parts, _ = build_figure(replace(person, worn=("eye-mask", "sunglasses")))
    names = [p.name for p in parts]
    assert "mask" in names and "lenses" not in names  # one piece on the eyes: the first asked for
    head = next(p for p in parts if p.name == "head")
    mask = next(p for p in parts if p.name == "mask")
    assert np.ptp(mask.vertices[:, 0]) < np.ptp(head.vertices[:, 0])  # moved and scaled with the head


def test_the_eye_holes_show_the_painted_eyes_in_a_front_render(gl, person):
    from minime.sculpt.render import render

    green = (0, 255, 0)
    rgba = render(person.head.parts + head_worn(["eye-mask"], person.head, green), height=600).astype(np.int32)
    r, g, b, a = rgba[..., 0], rgba[..., 1], rgba[..., 2], rgba[..., 3]
    mask = (g > r + 40) & (g > b + 40) & (a > 0)
    ys, xs = np.nonzero(mask)
    box = ~mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    from scipy.ndimage import label

    holes, n = label(box)
    edge = set(np.unique(np.concatenate([holes[0], holes[-1], holes[:, 0], holes[:, -1]])))
    inside = [k for k in range(1, n + 1) if k not in edge and (holes == k).sum() > 50]
    assert len(inside) == 2  # two holes in the mask
    crop = rgba[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    for k in inside:
        seen = crop[holes == k][:, :3]
        assert seen.sum(1).min() < 200  # a dark iris or lash line is painted there, seen through the hole


@pytest.mark.parametrize(("text", "key"), [
    ("mask", "eye-mask"), ("a black mask", "eye-mask"), ("superhero mask", "eye-mask"), ("domino mask", "eye-mask"),
    ("masquerade mask", "eye-mask"), ("eye mask", "eye-mask"), ("Maske", "eye-mask"), ("masque", "eye-mask"),
    ("face mask", "face-mask"), ("surgical mask", "face-mask"), ("medical mask", "face-mask"), ("mascarilla", "face-mask"),
    ("theatre masks", "performing-arts"), ("carnival mask", "performing-arts"), ("diving mask", "diving-mask"),
    ("ski mask", "prop"), ("balaclava", "prop"),
])
def test_mask_words_name_the_mask_they_mean(text, key):
    from minime.accessories import match_accessory

    assert match_accessory(text).key == key


def test_a_mask_is_worn_and_still_shown_in_its_well(gl, subject):
    from minime.box.render import render

    spec = FigureSpec(name="Ada", accessories=["mask", "guitar", "theatre mask", "ski mask"])
    assert pieces_worn(spec, 1) == [("eye-mask",)]
    assert pieces_held(spec, 1) == ["guitar"]  # the mask is never the held piece
    assert pieces_held(FigureSpec(name="Ada", accessories=["theatre mask"]), 1) == ["theatre mask"]
    figure = SculptEngine().generate(subject, FigureSpec(name="Ada", accessories=["mask", "face mask"]), n=1, seed=0)[0]
    assert {"mask", "face-mask"} <= {p.name for p in figure.mesh}
    box = render(figure, FigureSpec(name="Ada", accessories=["mask", "face mask"]), width=1080, height=1350)
    assert [(a["key"], a["known"]) for a in box.accessories] == [("eye-mask", True), ("face-mask", True)]
