"""The trousers when the photo ends at the chest: a suit's are its jacket's cloth, other tops get dark ones."""

import numpy as np
from PIL import Image

from minime.look import look
from minime.look.person import PersonLook, guess_colours, read_person
from minime.sculpt.head import fit_landmarks

from ..conftest import FIXTURES


def _read(name: str) -> PersonLook:
    from minime.engines.sculpt import _cheek_skin

    subject = look(Image.open(FIXTURES / name).convert("RGB"))
    rgb, face = np.asarray(subject.image), subject.faces[0]
    fit = fit_landmarks(face.landmarks, subject.image.size)
    return read_person(rgb, subject.mask, face, fit, _cheek_skin(rgb, face.landmarks))


def test_a_suit_seen_to_the_chest_has_trousers_of_the_jackets_cloth():
    person = _read("obama.jpg")
    assert person.top == "jacket"
    assert person.bottom_color == person.top_color


def test_another_top_seen_to_the_chest_keeps_dark_trousers():
    person = _read("astronaut.jpg")
    assert person.top != "jacket"
    assert person.bottom_color != person.top_color and max(person.bottom_color) < 0.25


def _grey(top: str, top_rgb, bottom_rgb) -> PersonLook:
    return PersonLook(np.zeros((4, 4)), (0.2, 0.2, 0.2), (0.6, 0.6, 0.6), top, top_rgb, (0.9, 0.9, 0.9), None,
                      bottom_rgb, None, 0.5)


def test_a_black_and_white_suit_stays_one_cloth_when_its_colours_are_guessed():
    suit = guess_colours(_grey("jacket", (0.15, 0.15, 0.15), (0.15, 0.15, 0.15)))
    assert suit.bottom_color == suit.top_color
    tee = guess_colours(_grey("t-shirt", (0.15, 0.15, 0.15), (0.15, 0.15, 0.15)))
    assert tee.bottom_color != tee.top_color  # each guessed as what it is
