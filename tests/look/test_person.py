"""Reading one person's clothes, hair and build from the photo, and nothing in front of them."""

import numpy as np
from PIL import Image, ImageDraw

from minime.look import look
from minime.look.person import read_person
from minime.sculpt.head import fit_landmarks

from ..conftest import FIXTURES


def _read(photo: Image.Image):
    from minime.engines.sculpt import _cheek_skin

    subject = look(photo)
    rgb, face = np.asarray(subject.image), subject.faces[0]
    fit = fit_landmarks(face.landmarks, subject.image.size)
    return read_person(rgb, subject.mask, face, fit, _cheek_skin(rgb, face.landmarks)), face


def test_a_suit_reads_as_a_dark_jacket_over_a_light_shirt_and_a_blue_tie():
    person, _ = _read(Image.open(FIXTURES / "obama.jpg").convert("RGB"))
    assert person.top == "jacket"
    assert max(person.top_color) < 0.3
    assert min(person.under_color) > 0.7
    assert person.tie_color is not None and person.tie_color[2] > person.tie_color[0] + 0.15  # blue
    assert person.stripes is None
    assert np.nanmax(person.hair_mask) > 0.5  # some hair seen above the face


def test_stripes_on_the_top_are_read_with_their_colour():
    photo = Image.open(FIXTURES / "obama.jpg").convert("RGB")
    _, face = _read(photo)
    x0, _, x1, _ = face.box
    chin = face.landmarks[152, 1]
    d = ImageDraw.Draw(photo)
    for k, y in enumerate(range(int(chin + 20), photo.height, 14)):
        d.rectangle((0, y, photo.width, y + 6), fill=(230, 230, 230))
    person, _ = _read(photo)
    assert person.stripes is not None and min(person.stripes) > 0.75


def test_a_lectern_in_front_does_not_paint_the_clothes():
    photo = Image.open(FIXTURES / "obama.jpg").convert("RGB")
    before, face = _read(photo)
    fh = face.box[3] - face.box[1]
    chin = face.landmarks[152, 1]
    ImageDraw.Draw(photo).rectangle((30, int(chin + 1.5 * fh), photo.width - 30, photo.height), fill=(140, 80, 30))
    after, _ = _read(photo)
    assert after.top == before.top
    assert np.abs(np.subtract(after.top_color, before.top_color)).max() < 0.08
