"""Group photos: one figure per face, a child built as a child, each stance from its own arms, and the name rule
(one name for the group or one per face) on the command line and through `make`."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from minime.errors import SpecError

from .conftest import FIXTURES
from .look.test_faces import family


@pytest.fixture(scope="module")
def group():
    from minime.look import look

    return look(family())


class NoEngine:
    """An engine that must not be reached: the name rule refuses first."""

    name = "none"
    runs_locally = True
    generative = False

    def generate(self, subject, spec, *, n=1, seed=None):
        raise AssertionError("the engine ran")


def test_names_must_be_one_or_one_per_face_before_any_engine_time(tmp_path):
    from minime.pipeline import make

    photo = tmp_path / "family.png"
    family().save(photo)
    with pytest.raises(SpecError, match=r"^names: 2 names for a photo with 3 faces; give one name for the group"):
        make(photo, {"name": "A", "names": ["A", "B"]}, engine=NoEngine(), likeness=False, record=False)
    with pytest.raises(SpecError, match=r"^people: 4 people for a photo with 3 faces"):
        make(photo, {"people": [{"name": n} for n in "ABCD"]}, engine=NoEngine(), likeness=False, record=False)


def test_the_cli_says_the_counts_in_one_line_and_writes_nothing(tmp_path):
    from minime import cli

    photo, out = tmp_path / "family.png", tmp_path / "box.png"
    family().save(photo)
    run = CliRunner().invoke(cli.app, ["make", str(photo), "--name", "A", "--name", "B", "-o", str(out)])
    assert run.exit_code == 2
    lines = [line for line in run.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "2 names for a photo with 3 faces" in lines[0]
    assert not out.exists()


def test_each_person_once_left_to_right_and_the_child_as_a_child(group):
    from minime.engines.sculpt import assemble_people, read_people
    from minime.spec import build_spec

    people = read_people(group, build_spec(name="The Smiths"))
    assert len(people) == 3
    adults, child = people[:2], people[2]
    assert [p.style for p in people] == ["action", "action", "child"]
    assert child.scale < 0.8 <= min(p.scale for p in adults)
    assert child.head.beard < 0.5  # never a beard on a child
    assert child.build < min(p.build for p in adults) + 0.01
    assert all(p.pose == "arms-crossed" for p in adults)  # each from their own folded arms

    parts = assemble_people(people)
    heads = sorted((p for p in parts if p.name == "head"), key=lambda p: p.vertices[:, 0].mean())
    assert len(heads) == 3 and sum(p.name == "base" for p in parts) == 1  # one row: no child behind an adult
    tops = [float(h.vertices[:, 1].max()) for h in heads]
    assert tops[2] < 0.8 * min(tops[:2])  # the child, on the right as in the photo, stands smaller


def test_a_stance_is_read_from_the_person_s_own_arms(monkeypatch):
    """The photo toward a neighbour is blanked before the pose model looks, and a body it finds under another
    face is not this person's."""
    from minime.look import pose

    seen = []

    def fake_model(name, x):
        seen.append(x[0])
        raw = np.zeros((1, 195), np.float32)
        raw[0, :2] = (10.0, 10.0)  # the nose, far up in the crop's corner: not under this face
        raw[0, 3] = 10.0
        return [np.ones((1, 1), np.float32), raw]

    monkeypatch.setattr(pose._tflite, "run", fake_model)
    rgb = np.full((600, 900, 3), 200, np.uint8)
    face, neighbour = (200.0, 100.0, 280.0, 180.0), (500.0, 100.0, 580.0, 180.0)
    assert pose.landmarks(rgb, face, [neighbour]) is None
    crop = seen[-1]
    # From a face width short of the neighbour's centre (x = 460 in the photo) the crop goes black; this side of
    # it keeps the photo.
    side = 6.5 * 80
    col = int((460 - (240 - side / 2)) / side * pose.SIZE)
    assert crop[:, col + 2:].max() == 0 and crop[:, col - 60:col - 2].min() > 0.7


def test_one_portrait_alone_is_an_adult():
    from minime.look import look

    subject = look(Image.open(FIXTURES / "astronaut.jpg"))
    assert [f.child for f in subject.faces] == [False] and subject.notes == []
