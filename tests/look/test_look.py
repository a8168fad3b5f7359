"""look(): the Subject and every refusal, each one line that says what to do."""

from __future__ import annotations

import pytest
from PIL import Image

from minime.errors import LookError
from minime.look import Subject, look

from .conftest import FIXTURES, load, members, side_by_side


def test_portrait_gives_subject(portraits):
    image = portraits["obama.jpg"]
    subject = look(image)
    assert isinstance(subject, Subject)
    assert subject.image.mode == "RGB" and subject.image.size == image.size
    assert len(subject.faces) == 1
    assert subject.mask.shape == (image.height, image.width)
    assert "array" not in repr(subject) and "faces=1" in repr(subject)


def test_greyscale_photo_is_converted():
    with Image.open(FIXTURES / "camera.png") as grey:
        assert grey.mode == "L"
        subject = look(grey)
    assert subject.image.mode == "RGB" and len(subject.faces) == 1


def test_group_sorted_left_to_right():
    group = side_by_side(members()[::-1], height=360)
    subject = look(group)
    assert len(subject.faces) == 3
    xs = [f.box[0] for f in subject.faces]
    assert xs == sorted(xs)
    assert subject.mask.shape == (group.height, group.width)


def test_too_many_faces():
    images = members() + members()[:2]
    group = side_by_side(images, height=300)
    with pytest.raises(LookError, match=r"shows 5 faces; at most 4 people") as err:
        look(group)
    assert "\n" not in str(err.value)
    with pytest.raises(LookError, match=r"at most 1 person fits"):
        look(side_by_side(images[:2], height=300), max_faces=1)


def test_no_face(gradient):
    with pytest.raises(LookError, match=r"^no face found in the photo; use a photo where") as err:
        look(gradient)
    assert "\n" not in str(err.value)


def test_face_too_small(portraits):
    image = portraits["obama.jpg"]
    tiny = image.resize((image.width * 2 // 5, image.height * 2 // 5), Image.BILINEAR)
    with pytest.raises(LookError, match=r"^the face is \d+ px wide; .*at least 64 px") as err:
        look(tiny)
    width = int(str(err.value).split()[3])
    assert 40 <= width < 64
    # The same photo passes when the caller accepts smaller faces.
    assert len(look(tiny, min_face_px=40).faces) == 1


def test_bystanders_are_not_counted():
    """A small face far behind the main one is ignored rather than counted."""
    main = load("obama.jpg")
    canvas = Image.new("RGB", (900, 600), (120, 120, 120))
    canvas.paste(main, (0, 32))
    canvas.paste(load("astronaut.jpg").resize((200, 200)), (650, 100))
    subject = look(canvas, max_faces=1)
    assert len(subject.faces) == 1
    assert subject.faces[0].box[0] < 455


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_a_photo_stored_turned_is_made_upright(turn):
    from minime.look import look_upright

    photo = Image.open(FIXTURES / "biden_small.jpg").convert("RGB")
    subject, applied = look_upright(photo.rotate(turn, expand=True))
    assert (turn + applied) % 360 == 0
    assert subject.image.size == photo.size and len(subject.faces) == 1


def test_a_dark_photo_is_segmented_as_well_as_a_bright_one():
    from PIL import ImageEnhance

    photo = Image.open(FIXTURES / "obama.jpg").convert("RGB")
    bright = look(photo).mask > 0.5
    dark = look(ImageEnhance.Brightness(photo).enhance(0.15)).mask > 0.5
    assert (bright & dark).sum() / (bright | dark).sum() > 0.9
