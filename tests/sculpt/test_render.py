"""The renderer: a golden image of a sculpted head, and the parts every render needs."""

from pathlib import Path

import numpy as np
import pytest

from ..conftest import assert_matches_golden

GOLDEN = Path(__file__).parents[1] / "golden" / "sculpt-head.png"


def _scene(subject):
    from minime.sculpt.hair import build_hair, fit_hair
    from minime.sculpt.head import build_head

    head = build_head(np.asarray(subject.image), subject.faces[0].landmarks, hair_color=(0.2, 0.16, 0.14))
    return head.parts + fit_hair(build_hair("quiff", (0.2, 0.16, 0.14)), head.skull)


def test_a_sculpted_head_renders_as_its_golden_image(gl, subject):
    from minime.sculpt.render import render

    rgba = render(_scene(subject), height=320, turn=20)
    assert_matches_golden(rgba, GOLDEN)


def test_turning_the_figure_turns_the_render(gl, subject):
    from minime.sculpt.render import render

    parts = _scene(subject)
    front, side = render(parts, height=160, turn=0), render(parts, height=160, turn=45)
    # Front-on the head is symmetric left to right; turned it is not.
    def asym(a):
        alpha = a[..., 3].astype(float)
        return np.abs(alpha - alpha[:, ::-1]).mean()
    assert asym(front) < asym(side)


def _ball(centre, radius=0.3, material="vinyl", name="ball"):
    from minime.sculpt.mesh import Part, outward, uv_sphere

    v, f = uv_sphere(10, 14)
    return Part(name, v * radius + np.float32(centre), outward(v, f), (0.8, 0.2, 0.1), material)


def test_only_closed_outward_parts_have_their_back_faces_skipped():
    from minime.sculpt.shade import closed

    ball = _ball((0, 0, 0))
    assert closed(ball.vertices, ball.faces)
    assert not closed(ball.vertices, ball.faces[:, ::-1])  # wound inward
    assert not closed(ball.vertices, ball.faces[1:])  # a hole


def test_creases_get_less_ambient_light_than_open_surface():
    from minime.sculpt.mesh import vertex_normals
    from minime.sculpt.shade import occlusion

    left, right = _ball((-0.31, 0, 0)), _ball((0.31, 0, 0))  # two balls touching: a crease between them
    parts = [left, right]
    ao = occlusion(parts, [vertex_normals(p.vertices, p.faces) for p in parts])[0]
    inner = ao[left.vertices[:, 0] > -0.05].mean()  # the side facing the other ball
    outer = ao[left.vertices[:, 0] < -0.55].mean()
    assert inner < outer - 0.1 and outer > 0.9


def test_the_base_is_shaded_where_the_figure_stands_on_it():
    from minime.sculpt.scene import plinth
    from minime.sculpt.shade import contact

    base = plinth(1.0, 1.0, 0.2, (0.1, 0.1, 0.1))
    top = float(base.vertices[:, 1].max())
    foot = _ball((0.3, top + 0.28, 0.0), name="shoe")
    shadow = contact([base, foot])
    assert shadow is not None and shadow.ground == pytest.approx(top)
    x0, z0, w, d = shadow.box
    n = shadow.texels.shape[0]

    def at(x, z):
        return shadow.texels[int((z - z0) / d * n), int((x - x0) / w * n)]

    assert at(0.3, 0.0) > 0.8 and at(x0 + w * 0.02, 0.0) < 0.2  # dark under it, fading away from it
    assert contact([foot]) is None  # nothing to stand on


def _closed_by_definition(vertices, faces) -> bool:
    """Closed and wound outward, from the definition: each directed edge used once, its reverse used too, and a
    positive enclosed volume."""
    from collections import Counter

    edges = Counter((int(t[i]), int(t[(i + 1) % 3])) for t in faces for i in range(3))
    if any(n > 1 for n in edges.values()) or any((b, a) not in edges for a, b in edges):
        return False
    p = vertices.astype(np.float64)[faces]
    return float(np.einsum("ij,ij->", p[:, 0], np.cross(p[:, 1], p[:, 2]))) > 0


def test_closed_pairs_each_edge_with_its_reverse_as_the_definition_does():
    from minime.sculpt.shade import closed

    ball = _ball((0, 0, 0))
    v, f = ball.vertices, ball.faces
    flipped, degenerate, twice = f.copy(), f.copy(), f.copy()
    flipped[7] = flipped[7, ::-1]
    degenerate[3, 1] = degenerate[3, 0]  # an edge from a vertex to itself, once
    twice[[3, 4], 1] = twice[[3, 4], 0]
    cases = [f, f[:, ::-1], f[1:], f[:-2], np.concatenate([f, f[:1]]), np.concatenate([f, f[:1], f[:1, ::-1]]),
             flipped, degenerate, twice, np.concatenate([f, [[0, 0, 0]]])]
    answers = [closed(v, c) for c in cases]
    assert answers == [_closed_by_definition(v, c) for c in cases]
    assert answers[0] and not any(answers[1:7])


def test_the_blur_repeats_the_edge_cells_outward():
    from minime.sculpt.shade import _blur

    grid = np.random.default_rng(1).random((5, 7, 4))
    expected = grid
    for _ in range(3):
        for axis in range(3):
            g = np.pad(expected, [(1, 1) if i == axis else (0, 0) for i in range(3)], mode="edge")
            n = expected.shape[axis]
            expected = (g.take(range(n), axis) + 2 * g.take(range(1, n + 1), axis) + g.take(range(2, n + 2), axis)) * 0.25
    assert np.array_equal(_blur(grid, passes=3), expected)


def test_partly_covered_pixels_are_unpremultiplied_and_the_input_kept():
    from minime.sculpt.render import unpremultiply

    raw = np.array([[[100, 50, 0, 128], [10, 20, 30, 0], [200, 100, 50, 255]]], np.uint8)[:, ::-1]  # GL's rows, flipped
    before = raw.copy()
    out = unpremultiply(raw)
    assert out.tolist() == [[[200, 100, 50, 255], [0, 0, 0, 0], [199, 99, 0, 128]]]
    assert np.array_equal(raw, before)


def test_a_frame_drawn_in_kept_larger_targets_is_the_frame_new_ones_give(gl, subject):
    from minime.sculpt import render as r

    def drop_kept():
        if r._kept is not None:
            r._kept.__exit__()
            r._kept = None

    parts = _scene(subject)
    r._gl_thread().submit(drop_kept).result()
    fresh = r.render(parts, height=200, turn=20)
    r._gl_thread().submit(drop_kept).result()
    r.render(parts, height=260, turn=20)  # leaves taller and wider targets
    kept = r.render(parts, height=200, turn=20)
    assert r._kept is not None and r._kept.room[1] == 260
    assert kept.shape == fresh.shape and np.array_equal(kept, fresh)
