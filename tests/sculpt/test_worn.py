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


@pytest.mark.parametrize(("key", "how"), [("sunglasses", "eyes"), ("top-hat", "head"), ("headphones", "ears"),
                                          ("scarf", "neck"), ("cape", "back"), ("watch", "wrist"), ("guitar", "held"), ("house", "well"),
                                          ("basketball", "held"), ("airplane", "well"), ("umbrella", "held")])
def test_each_piece_is_worn_held_or_kept_in_its_well(key, how):
    assert how_carried(key) == how


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
