"""The renderer: a golden image of a sculpted head, and the parts every render needs."""

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

GOLDEN = Path(__file__).parents[1] / "golden" / "sculpt-head.png"


def _scene(subject):
    from minime.sculpt.hair import build_hair, fit_hair
    from minime.sculpt.head import build_head

    head = build_head(np.asarray(subject.image), subject.faces[0].landmarks, hair_color=(0.2, 0.16, 0.14))
    return head.parts + fit_hair(build_hair("quiff", (0.2, 0.16, 0.14)), head.skull)


def test_a_sculpted_head_renders_as_its_golden_image(gl, subject):
    from minime.sculpt.render import render

    rgba = render(_scene(subject), height=320, turn=20)
    if os.environ.get("MINIME_UPDATE_GOLDEN") or not GOLDEN.exists():
        Image.fromarray(rgba).save(GOLDEN)
        if not os.environ.get("MINIME_UPDATE_GOLDEN"):
            pytest.fail(f"golden image {GOLDEN.name} was missing and has been written; look at it, run again")
    golden = np.asarray(Image.open(GOLDEN).convert("RGBA"), float)
    assert rgba.shape == golden.shape
    diff = np.abs(rgba.astype(float) - golden)
    assert diff.mean() < 3.0 and np.percentile(diff, 99) < 60


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
