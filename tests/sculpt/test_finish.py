"""The outfit's materials on the built figure: plain clothes are matte painted cloth, shoes polished leather, an
asked-for finish stays what it was asked to be, and the plastic bits stay plastic."""

from __future__ import annotations

from dataclasses import replace

import pytest

from minime.sculpt.body import build_body
from minime.sculpt.garments import Outfit
from minime.sculpt.materials import MATERIALS

SUIT = Outfit(top="jacket", top_color=(0.1, 0.13, 0.2), under_color=(0.84, 0.92, 0.99), tie_color=(0.2, 0.36, 0.6),
              bottom_color=(0.1, 0.13, 0.2))


def _materials(outfit: Outfit) -> dict[str, str]:
    return {p.name.split(".")[0]: p.material for p in build_body(outfit=outfit).parts}


def test_cloth_is_matte_beside_the_vinyl():
    cloth, vinyl = MATERIALS["cloth"], MATERIALS["vinyl"]
    assert cloth.clearcoat == 0 and cloth.specular < vinyl.specular / 3 and cloth.shininess < vinyl.shininess / 3
    assert cloth.rim > 0  # a soft sheen at grazing angles keeps dark cloth from reading flat
    assert cloth.roughness >= 0.7 and cloth.metallic == 0


def test_a_plain_suit_is_cloth_with_polished_shoes():
    m = _materials(SUIT)
    for name in ("torso", "upperarm", "forearm", "thigh", "shin", "jacket", "lapel", "pocket", "shirt-collar"):
        assert m[name] == "cloth", name
    assert m["shoe"] == "leather" and m["tie"] == "satin"
    assert m["button"] == "vinyl" and m["hand"] == "skin"


def test_bare_arms_are_skin_as_the_hands_are():
    m = _materials(replace(SUIT, top="t-shirt"))
    assert (m["torso"], m["forearm"], m["hand"]) == ("cloth", "skin", "skin")


@pytest.mark.parametrize("top, material, expected", [("leather-jacket", "leather", "leather"),
                                                     ("sweater", "knit", "knit"), ("t-shirt", "sequins", "sequins")])
def test_an_asked_for_finish_stays(top, material, expected):
    m = _materials(replace(SUIT, top=top, material=material))
    assert m["torso"] == expected and m["thigh"] == "cloth"


def test_under_armour_the_padding_is_cloth():
    m = _materials(replace(SUIT, top="armour", material="metallic"))
    assert m["breastplate"] == "metal" and m["torso"] == "cloth"
