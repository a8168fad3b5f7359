import numpy as np
import pytest

from minime.sculpt import hair
from minime.sculpt.mesh import is_closed


def _signed_volume(part):
    v = part.vertices.astype(float)
    a, b, c = v[part.faces[:, 0]], v[part.faces[:, 1]], v[part.faces[:, 2]]
    return np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6


@pytest.mark.parametrize("style", hair.STYLES)
def test_every_style_is_closed_outward_and_off_the_skull_and_face(style):
    parts = hair.build_hair(style, (0.3, 0.2, 0.1))
    assert parts and sum(len(p.faces) for p in parts) <= 13000
    for part in parts:
        assert part.material == "hair"
        assert is_closed(part)
        assert _signed_volume(part) > 0  # counter-clockwise from outside
        v = part.vertices.astype(float)
        assert not np.any(np.sum((v / (hair.SKULL * 0.99)) ** 2, axis=1) < 1), "skull pokes through"
        assert not np.any(hair.in_face(v)), "hair over the face"
        assert np.all((part.colors >= 0) & (part.colors <= 1))


def test_paint_is_the_colour_with_darker_grooves_and_geometry_is_cached():
    a = hair.build_hair("side-part", (0.5, 0.4, 0.3), seed=3)
    b = hair.build_hair("side-part", (0.2, 0.6, 0.1), seed=3)
    np.testing.assert_array_equal(a[0].vertices, b[0].vertices)
    assert np.allclose(a[0].colors.max(0), (0.5, 0.4, 0.3), atol=1e-6)
    assert a[0].colors[:, 0].min() < 0.5 * 0.8
    c = hair.build_hair("side-part", (0.5, 0.4, 0.3), seed=4)
    assert len(c[0].vertices) == len(a[0].vertices) and not np.array_equal(c[0].vertices, a[0].vertices)


@pytest.mark.parametrize("style", hair.STYLES)
def test_each_outline_picks_its_own_style(style):
    o = hair.outline(style)
    assert o.shape == hair.GRID and o.dtype == np.float32 and 0 <= o.min() and o.max() <= 1
    assert hair.choose_style(o)[0] == style


def test_an_empty_mask_is_a_bald_or_shaved_head():
    style, confidence = hair.choose_style(np.zeros(hair.GRID))
    assert style in ("bald", "buzz") and 0 <= confidence <= 1


def test_cells_outside_the_photo_are_ignored():
    mask = hair.outline("long").copy()
    mask[:, :40] = np.nan  # the photo's edge cut the person's right side
    mask[:25] = np.nan
    assert hair.choose_style(mask)[0] == "long"
    mask = hair.outline("afro").copy()
    mask[:, 90:] = np.nan
    assert hair.choose_style(mask)[0] == "afro"


def test_a_noisy_shifted_mask_still_finds_its_length():
    rng = np.random.default_rng(0)
    for style in ("bob", "shoulder", "long", "afro", "buzz"):
        mask = np.roll(hair.outline(style), 2, axis=0)
        mask = np.clip(mask + rng.normal(0, 0.15, mask.shape), 0, 1)
        assert hair.choose_style(mask)[0] == style


def test_unknown_style_names_the_choices():
    from minime.errors import UnknownNameError

    with pytest.raises(UnknownNameError, match="side-part"):
        hair.build_hair("mohawk", (0, 0, 0))
    with pytest.raises(UnknownNameError, match="afro"):
        hair.outline("mohawk")


@pytest.mark.parametrize("style", hair.STYLES)
def test_stored_outlines_match_the_shapes(style):
    # assets/hair_outlines.npz is made by tools/vendor_hair.py; a shape changed without it drifts here.
    assert np.array_equal(hair.outline(style), hair.render_outline(style))
