"""Accessories keep their own colours unless a box colour is asked for; a figure fills its window."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from minime.box import blister, carton, minimal
from minime.box.render import accessory_layers, render
from minime.engines import Figure
from minime.spec import build_spec


def _figure(width: int, height: int) -> Figure:
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(img).rounded_rectangle((0, 0, width - 1, height - 1), width // 6, fill=(40, 90, 200, 255))
    return Figure(img, "test", "mannequin")


def _mean_colour(img: Image.Image) -> np.ndarray:
    a = np.asarray(img.convert("RGBA")).astype(float)
    solid = a[..., 3] > 200
    return a[solid][:, :3].mean(axis=0)


def test_the_default_colour_is_not_an_ask_for_the_pieces():
    assert build_spec(name="A").piece_rgb is None
    assert build_spec(name="A", color="#d62839").piece_rgb is None  # the web form's first swatch
    assert build_spec(name="A", color="teal").piece_rgb == (0, 128, 128)


def test_pieces_keep_their_own_colours_unless_a_colour_is_asked_for():
    fig = _figure(200, 440)
    own = accessory_layers(fig, build_spec(name="A", accessories=["basketball", "cowboy hat"]), 128)
    r, g, b = _mean_colour(own["basketball"])
    assert r > g > b and r - b > 80  # orange, not the box's red
    r, g, b = _mean_colour(own["cowboy-hat"])
    assert r > g > b and r < 200  # brown
    teal = accessory_layers(fig, build_spec(name="A", accessories=["cowboy hat"], color="teal"), 128)
    r, g, b = _mean_colour(teal["cowboy-hat"])
    assert g > r and b > r  # the box colour the user chose


@pytest.fixture
def placed(monkeypatch):
    """Record where each render puts the figure and the window it stands in."""
    seen: dict = {}
    place = blister.place_figure

    def recording(ctx, r, u, **kw):
        seen["figure"] = place(ctx, r, u, **kw)
        seen.setdefault("window", r)
        return seen["figure"]

    for module in (blister, carton, minimal):
        monkeypatch.setattr(module, "place_figure", recording)
    for name in ("_display", "_interior"):
        inner = getattr(carton, name)

        def window(ctx, win, u, inner=inner):
            seen["window"] = win
            return inner(ctx, win, u)

        monkeypatch.setattr(carton, name, window)
    return seen


@pytest.mark.parametrize("template", ["classic", "collector", "minimal", "retro-80s", "window-box"])
def test_one_figure_fills_its_window(placed, template):
    spec = build_spec(name="A", accessories=["basketball", "cowboy hat", "coffee cup"])
    render(_figure(210, 450), spec, template=template, width=540, height=675)
    assert placed["figure"].height() >= 0.85 * placed["window"].height()


def test_a_group_in_the_classic_card_gets_the_full_width_and_its_wells_in_a_row(placed):
    spec = build_spec(name="A", accessories=["basketball", "cowboy hat", "coffee cup"])
    render(_figure(660, 440), spec, template="classic", width=540, height=675)
    fig, win = placed["figure"], placed["window"]
    assert fig.height() >= 0.75 * win.height()  # three side by side: the card's width limits them
    assert win.width() > 0.8 * 540 * 0.7  # the bubble spans the card, not the space beside a column of wells
