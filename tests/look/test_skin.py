"""Skin that survives the light: the figure's skin from a dark, bright or colour-cast photo matches the well-lit one."""

import numpy as np
import pytest
from PIL import Image, ImageEnhance

from minime.engines.sculpt import _exposed, read_person
from minime.look import look
from minime.look.skin import chroma, delta_e, is_mono, lab, read_light
from minime.sculpt.head import build_head, fit_landmarks
from minime.spec import FigureSpec

from .conftest import load

DE = 8.0  # the target: CIELAB dE between the figure's skin from a variant and from the original


def _cast(im: Image.Image, gains) -> Image.Image:
    return Image.fromarray(np.clip(np.asarray(im, np.float32) * gains, 0, 255).astype(np.uint8))


VARIANTS = {
    "25%": lambda im: ImageEnhance.Brightness(im).enhance(0.25),
    "50%": lambda im: ImageEnhance.Brightness(im).enhance(0.5),
    "150%": lambda im: ImageEnhance.Brightness(im).enhance(1.5),
    "warm": lambda im: _cast(im, (1.15, 1.0, 0.8)),
    "cool": lambda im: _cast(im, (0.82, 0.97, 1.18)),
}


def figure_skin(photo: Image.Image) -> tuple[float, float, float]:
    """The skin the figure is painted with (the head's skin tone), read as the sculpt engine reads it."""
    subject = look(photo)
    face = subject.faces[0]
    rgb = _exposed(np.asarray(subject.image), face.landmarks)
    return build_head(rgb, face.landmarks, fit=fit_landmarks(face.landmarks, subject.image.size)).skin


@pytest.fixture(scope="module", params=["obama.jpg", "biden_small.jpg"])
def portrait(request):
    photo = load(request.param)
    return photo, figure_skin(photo)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_the_skin_survives_exposure_and_colour_casts(portrait, variant):
    photo, skin = portrait
    assert delta_e(figure_skin(VARIANTS[variant](photo)), skin) < DE


def test_a_well_lit_photo_is_left_as_it_is_and_dark_skin_is_not_lightened():
    photo = load("obama.jpg")
    subject = look(photo)
    face = subject.faces[0]
    rgb = np.asarray(subject.image)
    assert read_light(rgb, face.landmarks).exposure == 1.0
    fit = fit_landmarks(face.landmarks, subject.image.size)
    raw = build_head(rgb, face.landmarks, fit=fit).skin
    assert delta_e(figure_skin(photo), raw) < 3
    assert lab(np.array(figure_skin(photo)))[0] <= lab(np.array(raw))[0] + 2  # not lighter


def test_a_greyscale_photo_gets_a_natural_skin_of_the_same_lightness_and_a_note():
    photo = load("obama.jpg")
    grey = photo.convert("L").convert("RGB")
    assert is_mono(np.asarray(grey)) and not is_mono(np.asarray(photo))
    skin = figure_skin(grey)
    assert chroma(np.array(skin)) >= 12  # the target (grey skin has 0)
    hue = np.degrees(np.arctan2(*lab(np.array(skin))[[2, 1]]))
    assert 30 < hue < 75  # a skin hue, not a tint
    # The same lightness as the photo's (grey) face.
    subject = look(grey)
    grey_face = np.median(np.asarray(subject.image)[_cheeks(subject.faces[0].landmarks)], axis=0) / 255
    assert abs(lab(np.array(skin))[0] - lab(grey_face)[0]) < 12
    recipe = read_person(subject, 0, FigureSpec(name="A"))
    assert any("black and white" in n and "guessed" in n for n in recipe.outfit.notes)
    assert chroma(np.array(recipe.outfit.top_color)) > 3 or chroma(np.array(recipe.outfit.bottom_color)) > 3


def test_a_sepia_print_is_one_toned_too():
    photo = load("obama.jpg").convert("L")
    sepia = Image.fromarray(np.clip(np.asarray(photo, np.float32)[..., None] * (1.0, 0.88, 0.7), 0, 255).astype(np.uint8))
    assert is_mono(np.asarray(sepia))


def _cheeks(landmarks):
    from minime.look.skin import CHEEKS

    pts = np.asarray(landmarks)[list(CHEEKS), :2].round().astype(int)
    return pts[:, 1], pts[:, 0]


def test_a_white_backdrop_is_not_an_overexposed_photo():
    photo = load("obama.jpg")
    subject = look(photo)
    rgb = np.asarray(subject.image).copy()
    rgb[subject.mask < 0.5] = 255  # a studio's white seamless behind the person
    light = read_light(rgb, subject.faces[0].landmarks)
    assert light.exposure == 1.0
    bright = np.asarray(ImageEnhance.Brightness(photo).enhance(1.5))
    assert read_light(bright, look(Image.fromarray(bright)).faces[0].landmarks).exposure < 0.8
