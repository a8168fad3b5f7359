"""A print box shows the figure about twice as tall as its feed layer: a 3D figure is drawn again at that size."""

from __future__ import annotations

from minime.box.render import render
from minime.engines.sculpt import RENDER_HEIGHT, SculptEngine
from minime.spec import FigureSpec

SPEC = FigureSpec(name="Ada")


def test_a_print_box_draws_the_figure_again_at_the_size_it_shows(gl, subject):
    figure = SculptEngine().generate(subject, SPEC, n=1, seed=0)[0]
    assert figure.image.height == RENDER_HEIGHT
    heights: list[int] = []
    draw = figure.redraw
    assert draw is not None

    def spy(height: int):
        heights.append(height)
        return draw(height)

    figure.redraw = spy
    render(figure, SPEC, template="classic", width=1080, height=1350)
    assert heights == []  # the feed box shows the layer smaller than it is drawn
    render(figure, SPEC, template="classic", width=2400, height=3000)
    assert len(heights) == 1 and heights[0] > 1.3 * RENDER_HEIGHT
