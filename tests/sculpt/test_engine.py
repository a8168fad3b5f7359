"""The sculpt engine end to end: a closed 3D figure that looks like the person, groups, poses, the fallback."""

import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from minime.engines.sculpt import SculptEngine
from minime.errors import MinimeError
from minime.sculpt.mesh import is_closed
from minime.spec import FigureSpec

from ..conftest import FIXTURES
from .conftest import face_count, group_photo

SPEC = FigureSpec(name="Test")


def _distance(subject, figure: Image.Image) -> float:
    """dlib's distance between the photo's face and the figure's (under 0.6: the same person)."""
    from minime.look.faces import detect_faces
    from minime.look.likeness import distance, embedding, on_backdrop

    rgb = on_backdrop(figure)
    faces = detect_faces(np.asarray(rgb))
    assert faces, "no face found on the figure"
    ref = embedding(subject.image, subject.faces[0].box)
    return min(distance(ref, embedding(rgb, f.box)) for f in faces)


@pytest.mark.parametrize("turn, limit", [(0, 0.5), (30, 0.6)])
def test_the_figure_is_a_closed_3d_model_that_looks_like_the_person(gl, subject, turn, limit):
    figure = SculptEngine(turn=turn).generate(subject, SPEC, n=1, seed=0)[0]
    assert figure.engine == "sculpt" and figure.image.mode == "RGBA"
    alpha = np.asarray(figure.image)[..., 3]
    assert alpha[0].max() < 255 and alpha.mean() > 20  # a cut-out on transparency, not a filled rectangle
    names = {p.name for p in figure.mesh}
    assert {"head", "hair", "torso", "base"} <= names
    for part in figure.mesh:
        assert is_closed(part), part.name
    assert _distance(subject, figure.image) < limit


def test_a_group_photo_gives_one_figure_per_person_on_one_base(gl):
    from minime.look import look

    subject = look(group_photo(3))
    assert len(subject.faces) == 3
    figure = SculptEngine(turn=0).generate(subject, SPEC, n=1, seed=0)[0]
    assert figure.people == 3
    assert sum(p.name == "head" for p in figure.mesh) == 3
    assert sum(p.name == "base" for p in figure.mesh) == 2  # a floor and a step for the back row
    assert face_count(figure.image) == 3
    w, h = figure.image.size
    assert 0.5 < w / h < 1.3  # stands in two rows, so it fills a bubble as one figure does


def test_the_photo_s_stance_is_the_default_pose_and_pose_overrides_it(gl, subject):
    from minime.look.pose import landmarks, stance

    assert stance(landmarks(np.asarray(subject.image), subject.faces[0].box)) == "arms-crossed"
    crossed = SculptEngine(turn=0).generate(subject, SPEC, n=1)[0]
    waving = SculptEngine(turn=0, pose="waving").generate(subject, SPEC, n=1)[0]
    # A raised arm makes the figure taller above its shoulders than folded arms do.
    top = lambda f: max(p.vertices[:, 1].max() for p in f.mesh if p.name.startswith("forearm"))  # noqa: E731
    assert top(waving) > top(crossed) + 1.0


def test_variants_vary_pose_and_finish(gl, subject):
    figures = SculptEngine().generate(subject, SPEC, n=3, seed=1)
    assert len(figures) == 3
    arrays = [np.asarray(f.image.convert("RGB").resize((64, 96)), float) for f in figures]
    assert np.abs(arrays[0] - arrays[1]).mean() > 2 and np.abs(arrays[1] - arrays[2]).mean() > 2


def test_outfit_words_repaint_the_clothes(gl, subject):
    figure = SculptEngine(turn=0, pose="standing").generate(subject, FigureSpec(name="T", outfit="red hoodie"), n=1)[0]
    torso = next(p for p in figure.mesh if p.name == "torso")
    red = (torso.colors[:, 0] > 0.8) & (torso.colors[:, 1] < 0.2)
    assert red.mean() > 0.3
    assert any(p.name == "hood" for p in figure.mesh)


@pytest.mark.parametrize("options, message", [({"turn": 60}, "--turn must be between -45 and 45"),
                                              ({"pose": "dancing"}, "unknown pose 'dancing'")])
def test_bad_options_are_one_clear_line(options, message):
    with pytest.raises(MinimeError, match=message):
        SculptEngine(**options)


def test_without_opengl_the_studio_bust_stands_in_with_a_note(tmp_path):
    # No EGL vendor and no display: no OpenGL context can be made, as on a server without Mesa.
    env = dict(os.environ, __EGL_VENDOR_LIBRARY_FILENAMES=str(tmp_path / "none.json"), DISPLAY="")
    out = tmp_path / "box.png"
    run = subprocess.run([sys.executable, "-m", "minime", "make", str(FIXTURES / "obama.jpg"), "--name", "Sam",
                          "--no-likeness", "-o", str(out)], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "the sculpt engine needs OpenGL" in run.stderr + run.stdout
    assert "made the studio bust instead" in run.stderr + run.stdout
    assert "engine studio" in run.stderr + run.stdout
    assert Image.open(out).size == (1080, 1350)


def test_a_dark_photo_paints_the_figure_as_a_well_lit_one_would(subject):
    from PIL import ImageEnhance

    from minime.engines.sculpt import read_person
    from minime.look import look

    dark = look(ImageEnhance.Brightness(subject.image).enhance(0.25))
    lit, dim = read_person(subject, 0, SPEC), read_person(dark, 0, SPEC)
    assert np.mean(dim.outfit.skin) > 0.75 * np.mean(lit.outfit.skin)
    # A dark suit is not a dark photo: the portrait itself is not lifted (nor its colour changed by more than a touch).
    from minime.look.skin import read_light

    light = read_light(np.asarray(subject.image), subject.faces[0].landmarks)
    assert light.exposure == 1.0 and np.allclose(light.gain, 1.0, atol=0.05)
