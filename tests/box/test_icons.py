"""The accessory library: registry, matching and rendering of the plastic toy pieces."""

from __future__ import annotations

import re
from itertools import combinations

import numpy as np
import pytest
from PIL import Image

from minime.accessories import ACCESSORIES, PROP, Accessory, Match, match_accessory, register, render_accessory

KEYS = sorted(ACCESSORIES)
SIZE = 96


@pytest.fixture(scope="module")
def renders() -> dict[str, np.ndarray]:
    return {k: np.asarray(render_accessory(k, SIZE)) for k in KEYS + ["prop"]}


def test_library_is_large_enough():
    assert len(ACCESSORIES) >= 60


@pytest.mark.parametrize("key", [
    "laptop", "coffee-cup", "camera", "guitar", "dumbbell", "book", "headphones", "skateboard", "paintbrush",
    "microphone", "dog", "cat", "smartphone", "backpack", "sunglasses", "soccer-ball", "basketball",
    "tennis-racket", "bicycle", "game-controller", "pizza", "cake", "trophy", "wrench", "hammer", "stethoscope",
    "spatula", "rocket", "plant", "sword", "shield", "magic-wand", "crown", "umbrella", "briefcase", "pen",
    "palette", "drum", "violin", "keyboard", "popcorn", "ice-cream", "burger", "headset", "drone", "telescope",
    "compass", "map", "flashlight", "lightbulb", "clock", "watch", "paw",
])
def test_required_pieces_are_registered(key):
    assert key in ACCESSORIES


def test_keys_are_kebab_case_unique_and_consistent():
    for key, acc in ACCESSORIES.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key), key
        assert acc.key == key
        assert acc.label and acc.label[0].isupper()
        assert isinstance(acc.synonyms, tuple)
    assert len(set(ACCESSORIES)) == len(ACCESSORIES)
    assert PROP.key not in ACCESSORIES


def test_register_rejects_bad_and_duplicate_keys():
    def draw(p, accent):  # pragma: no cover - never drawn
        pass

    with pytest.raises(ValueError, match="kebab-case"):
        register(Accessory("Bad Key", "Bad", ()), draw, (0, 0, 0))
    with pytest.raises(ValueError, match="already registered"):
        register(Accessory("guitar", "Guitar", ()), draw, (0, 0, 0))


@pytest.mark.parametrize("key", KEYS + ["prop"])
def test_every_piece_renders_centred_on_transparent_background(key, renders):
    arr = renders[key]
    assert arr.shape == (SIZE, SIZE, 4)
    alpha = arr[..., 3]
    for corner in (alpha[:4, :4], alpha[:4, -4:], alpha[-4:, :4], alpha[-4:, -4:]):
        assert corner.max() == 0, "corners must be transparent"
    # A small clear margin all round, and the piece fills most of the square.
    assert alpha[:2].max() == 0 and alpha[-2:].max() == 0 and alpha[:, :2].max() == 0 and alpha[:, -2:].max() == 0
    assert (alpha > 200).mean() > 0.08
    ys, xs = np.nonzero(alpha > 8)
    assert max(xs.max() - xs.min(), ys.max() - ys.min()) > SIZE * 0.8
    assert abs((xs.min() + xs.max()) / 2 - SIZE / 2) < SIZE * 0.05
    assert abs((ys.min() + ys.max()) / 2 - SIZE / 2) < SIZE * 0.05
    # Painted plastic, not a flat silhouette: several tones inside the piece.
    rgb = arr[alpha > 200][:, :3].astype(int)
    assert rgb.std(axis=0).mean() > 12


def test_render_returns_pil_rgba_of_requested_size():
    img = render_accessory("guitar", 120)
    assert isinstance(img, Image.Image) and img.mode == "RGBA" and img.size == (120, 120)
    assert render_accessory("guitar", 37).size == (37, 37)


def test_render_returns_copies_so_the_cache_is_safe():
    a = render_accessory("dog", 64)
    a.paste((255, 0, 0, 255), (0, 0, 64, 64))
    b = render_accessory("dog", 64)
    assert np.asarray(b)[0, 0, 3] == 0


def test_tint_recolours_the_accent_part():
    plain = np.asarray(render_accessory("backpack", 96)).astype(int)
    red = np.asarray(render_accessory("backpack", 96, tint=(230, 30, 40))).astype(int)
    assert plain[..., 3].tolist() == red[..., 3].tolist()  # same silhouette
    body = red[..., 3] > 200
    assert red[body][:, 0].mean() > plain[body][:, 0].mean() + 40


@pytest.mark.parametrize("bad", [{"key": "unicorn-horn"}, {"size": 4}, {"size": 64.0}, {"tint": (300, 0, 0)},
                                 {"tint": (1, 2)}])
def test_render_rejects_bad_arguments_with_a_clear_error(bad):
    args = {"key": "guitar", "size": 64, **bad}
    tint = args.pop("tint", None)
    with pytest.raises(ValueError) as err:
        render_accessory(args["key"], args["size"], tint=tint)
    if "key" in bad:
        assert "guitar" in str(err.value) and "prop" in str(err.value)


def test_all_pieces_are_visually_distinct(renders):
    small = {k: np.asarray(Image.fromarray(a).resize((48, 48), Image.BILINEAR)).astype(np.float32) / 255
             for k, a in renders.items()}
    for (ka, a), (kb, b) in combinations(small.items(), 2):
        # Compare premultiplied colour so transparent pixels count as empty.
        pa, pb = a[..., :3] * a[..., 3:], b[..., :3] * b[..., 3:]
        diff = np.abs(pa - pb).mean() + np.abs(a[..., 3] - b[..., 3]).mean()
        assert diff > 0.06, f"{ka} and {kb} look nearly identical ({diff:.3f})"


@pytest.mark.parametrize("text, key", [
    ("espresso", "coffee-cup"), ("pup", "dog"), ("puppy", "dog"), ("puppies", "dog"), ("kitten", "cat"),
    ("macbook", "laptop"), ("notebook computer", "laptop"), ("guitare", "guitar"), ("my red guitar", "guitar"),
    ("Laptop", "laptop"), ("GUITARS", "guitar"), ("Coffee Cup", "coffee-cup"), ("coffee-cup", "coffee-cup"),
    ("ice cream", "ice-cream"), ("Ice-Creams!", "ice-cream"), ("soccer", "soccer-ball"), ("football", "soccer-ball"),
    ("headphone", "headphones"), ("a shiny new skateboard", "skateboard"), ("camra", "camera"),
    ("umbrela", "umbrella"), ("doctor", "stethoscope"), ("chef", "spatula"), ("knives", "kitchen-knife"),
    ("birthday cake", "cake"), ("game controller", "game-controller"), ("tennis racquet", "tennis-racket"),
    ("a cup of espresso", "coffee-cup"), ("two dice", "dice"), ("my cat", "cat"), ("gato", "cat"), ("Katze", "cat"),
    ("猫", "cat"), ("teddy bear", "teddy-bear"), ("plushie", "teddy-bear"), ("glass of wine", "wine-glass"),
])
def test_match_finds_known_accessories(text, key):
    m = match_accessory(text)
    assert isinstance(m, Match)
    assert (m.key, m.known, m.text) == (key, True, text)
    assert m.label == (ACCESSORIES[key].label if key in ACCESSORIES else m.label)
    assert 0.5 <= m.score <= 1.0


def test_exact_matches_score_higher_than_fuzzy_ones():
    assert match_accessory("guitar").score == 1.0
    assert match_accessory("my red guitar").score < 1.0
    assert match_accessory("gutiar").score < match_accessory("my red guitar").score


def test_matching_is_case_insensitive():
    for text in ("DOG", "Dog", "dOg", "dog"):
        assert match_accessory(text).key == "dog"


@pytest.mark.parametrize("text", ["quantum flux capacitor", "", "   ", "!!!", "xyzzy", "zq", "tablet", "water bottle",
                                  "guitar case", "gold bar", "crème brûlée cake", "barbie", "ginger"])
def test_unknown_text_falls_back_to_the_prop(text):
    m = match_accessory(text)
    assert (m.key, m.known, m.score, m.label) == ("prop", False, 0.0, PROP.label)
    assert render_accessory(m.key, 64).size == (64, 64)


def test_every_key_label_and_synonym_matches_its_own_piece():
    for key, acc in ACCESSORIES.items():
        for name in (key, acc.label):
            assert match_accessory(name).key == key, name
        for name in acc.synonyms:
            assert match_accessory(name).key == key, f"synonym {name!r} of {key} matches another piece"
