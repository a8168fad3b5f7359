"""The hair read from the photo: length, hairline, colour (grey and white too), on dark and bright photos alike."""

import numpy as np
import pytest
from PIL import ImageEnhance

from minime.engines.sculpt import _cheek_skin, _exposed, read_person
from minime.look import look
from minime.look.person import read_person as read_look
from minime.look.skin import lab
from minime.sculpt.hair import short_styles, styles_for
from minime.sculpt.head import fit_landmarks
from minime.spec import FigureSpec

from .conftest import load


def _look(photo):
    subject = look(photo)
    face = subject.faces[0]
    rgb = _exposed(np.asarray(subject.image), face.landmarks)
    fit = fit_landmarks(face.landmarks, subject.image.size)
    return read_look(rgb, subject.mask, face, fit, _cheek_skin(rgb, face.landmarks)), subject


@pytest.mark.parametrize("brightness", [1.0, 0.25])
def test_short_dark_hair_is_a_short_dark_cut_not_a_quiff(brightness):
    person, subject = _look(ImageEnhance.Brightness(load("obama.jpg")).enhance(brightness))
    assert person.hair_length == "short" and not person.receding
    assert lab(np.array(person.hair_color))[0] < 45  # dark (greying), not a grey-brown
    style = read_person(subject, 0, FigureSpec(name="A")).hair.style
    assert style in short_styles() and style not in ("quiff", "bald")


@pytest.mark.parametrize("brightness", [1.0, 0.25, 1.5])
def test_short_white_receding_hair_stays_white_hair(brightness):
    person, subject = _look(ImageEnhance.Brightness(load("biden_small.jpg")).enhance(brightness))
    L, a, b = lab(np.array(person.hair_color))
    assert L > 60 and np.hypot(a, b) < 12  # white or silver, not the skin's pink
    assert person.receding and person.hair_length == "short"
    assert not person.bald
    assert read_person(subject, 0, FigureSpec(name="A")).hair.style in set(short_styles()) - {"bald"}


def test_a_dark_photo_never_loses_the_hair():
    lit, _ = _look(load("astronaut.jpg"))
    dark, subject = _look(ImageEnhance.Brightness(load("astronaut.jpg")).enhance(0.25))
    assert np.nansum(dark.hair_mask) > 0.7 * np.nansum(lit.hair_mask) > 0
    assert read_person(subject, 0, FigureSpec(name="A")).hair.style != "bald"


def test_the_styles_follow_the_length_and_the_hairline():
    assert set(styles_for("long")) <= {"long", "shoulder", "locs"}
    assert "bald" not in styles_for("short") and "bald" in styles_for("short", bald=True)
    assert styles_for("none") == ("bald",)
    assert "quiff" not in styles_for("short", volume=0.05) and "quiff" in styles_for("short", volume=0.3)
    assert "bob" in styles_for("ear") and "long" not in styles_for("ear")


def test_hair_at_the_sides_only_is_bald_and_a_full_crown_is_not():
    from minime.look.hair import read_hair
    from minime.sculpt.hair import _cell_centres, outline

    photo = load("obama.jpg")
    front = fit_landmarks(look(photo).faces[0].landmarks, photo.size).front
    px = np.full((100, 3), 40, np.uint8)
    full = read_hair(outline("side-part"), front, px, np.array([200, 150, 120]))
    assert not full.bald and full.length == "short"
    x, y = _cell_centres()
    fringe = outline("side-part") * (y < 0.2) * (np.abs(x) > 0.3)
    sides = read_hair(fringe, front, px, np.array([200, 150, 120]))
    assert sides.bald and sides.receding
