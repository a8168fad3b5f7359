"""Clothes in the colours a person sees: a white shirt is white, a striped tie keeps both its colours, a face cut
by the frame reads the same clothes, and a black and white photo's light hair is guessed blonde, not grey."""

import numpy as np
from PIL import Image

from minime.look import look
from minime.look.person import PersonLook, _clean_white, _tie, _white_gain, guess_colours, read_person
from minime.look.skin import chroma, lab
from minime.sculpt.head import fit_landmarks

from ..conftest import FIXTURES


def _read(photo: Image.Image) -> PersonLook:
    from minime.engines.sculpt import _cheek_skin

    subject = look(photo)
    rgb, face = np.asarray(subject.image), subject.faces[0]
    fit = fit_landmarks(face.landmarks, subject.image.size)
    return read_person(rgb, subject.mask, face, fit, _cheek_skin(rgb, face.landmarks))


def test_a_white_shirt_in_shade_reads_white_and_a_striped_tie_keeps_both_colours():
    person = _read(Image.open(FIXTURES / "biden_small.jpg").convert("RGB"))
    assert person.top == "jacket"
    assert min(person.under_color) > 0.9 and chroma(person.under_color) < 2  # clean white, not taupe
    assert person.tie_color is not None and person.tie_stripe is not None
    ground, stripe = lab(np.array(person.tie_color)), lab(np.array(person.tie_stripe))
    assert ground[0] < 20 and ground[2] < -3  # the navy ground
    assert stripe[0] > 45 and stripe[2] > 12  # the gold stripe


def test_a_light_blue_shirt_and_a_dotted_blue_tie_stay_blue_and_plain():
    person = _read(Image.open(FIXTURES / "obama.jpg").convert("RGB"))
    assert lab(np.array(person.under_color))[2] < -5  # light blue, not snapped to white
    assert person.tie_stripe is None
    assert person.tie_color[2] > person.tie_color[0] + 0.25


def test_a_face_cut_by_the_top_of_the_frame_reads_the_same_tie():
    photo = Image.open(FIXTURES / "obama.jpg").convert("RGB")
    whole = _read(photo)
    cut = _read(photo.crop((0, 115, photo.width, photo.height)))  # the frame cuts through the forehead
    assert np.linalg.norm(lab(np.array(cut.tie_color)) - lab(np.array(whole.tie_color))) < 8


def test_the_white_reference_is_taken_only_from_a_nearly_colourless_light_shirt():
    warm = np.array([204.0, 198.0, 188.0])
    gain = _white_gain(warm)
    assert gain[2] > gain[1] > gain[0]  # a warm room: blue raised, red lowered
    assert np.allclose(_white_gain(np.array([200.0, 220.0, 250.0])), 1)  # a light blue shirt is no reference
    assert np.allclose(_white_gain(np.array([90.0, 88.0, 92.0])), 1)  # nor a dark grey one
    assert chroma(_clean_white(np.array([196.0, 193.0, 199.0])) / 255) < 1


def test_a_tie_with_two_hues_is_striped_and_one_hue_in_light_and_shade_is_not():
    rng = np.random.default_rng(0)
    navy, gold = np.array([20.0, 24, 60]), np.array([200.0, 170, 100])
    striped = np.concatenate([navy + rng.normal(0, 6, (500, 3)), gold + rng.normal(0, 6, (450, 3))])
    ground, stripe = _tie(striped)
    assert stripe is not None and np.linalg.norm(ground - navy) < 20 and np.linalg.norm(stripe - gold) < 20
    blue, lit = np.array([40.0, 80, 145]), np.array([110.0, 135, 190])
    dotted = np.concatenate([blue + rng.normal(0, 6, (600, 3)), lit + rng.normal(0, 6, (350, 3))])
    assert _tie(dotted)[1] is None


def _mono(receding: bool) -> PersonLook:
    return PersonLook(np.zeros((4, 4)), (0.7, 0.7, 0.7), (0.6, 0.6, 0.6), "t-shirt", (0.4, 0.4, 0.4),
                      (0.4, 0.4, 0.4), None, (0.2, 0.2, 0.2), None, 0.5, receding=receding)


def test_light_hair_in_a_black_and_white_photo_is_guessed_blonde_unless_the_hairline_recedes():
    young = lab(np.array(guess_colours(_mono(False)).hair_color))
    older = lab(np.array(guess_colours(_mono(True)).hair_color))
    assert young[2] > 12 and young[1] >= 0  # dark blonde
    assert np.hypot(older[1], older[2]) < 4  # grey
