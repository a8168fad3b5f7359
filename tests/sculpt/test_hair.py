import numpy as np
import pytest
from PIL import Image

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


@pytest.mark.parametrize("style", hair.STYLES)
def test_the_back_of_the_head_is_covered_for_every_style_with_hair(style):
    from minime.sculpt.hair_shell import SKULL

    x, y = hair._cell_centres()
    q = 1 - (x / SKULL[0]) ** 2 - (y / SKULL[1]) ** 2
    skull = np.where(q > 0, SKULL[2] * np.sqrt(np.maximum(q, 0)), -np.inf)
    back = (q > 0.05) & (y > -0.2) & (np.abs(x) < 0.25)
    if style == "bald":  # a fringe round the back and sides: the crown is bare, the back below it is not
        back &= y < 0.05
    z = np.full(hair.GRID, -np.inf)
    for part in hair.build_hair(style, (0.2, 0.2, 0.2)):
        z = np.maximum(z, hair._rasterize_depth(part.vertices.astype(float) * [-1, 1, -1], part.faces))  # from behind
    assert (z > skull)[back].mean() > 0.97


def _width_at(parts, y0: float, y1: float, side: int) -> float:
    v = np.concatenate([p.vertices for p in parts])
    band = v[(v[:, 1] > y0) & (v[:, 1] < y1)]
    return float((band[:, 0] * side).max())


def test_the_photos_hair_region_reshapes_the_style_side_by_side():
    plain = hair.build_hair("side-part", (0.2, 0.15, 0.1))
    # The style's own outline, fuller on the viewer's right: that side's hair gets thicker, the other's not.
    mask = hair.outline("side-part")
    x, y = hair._cell_centres()
    mask = np.where((x > 0) & (np.hypot(x, y) < 0.62) & (y > -0.1), 1.0, mask)
    fitted = hair.build_hair("side-part", (0.2, 0.15, 0.1), outline=mask)
    assert _width_at(fitted, 0.0, 0.2, 1) > _width_at(plain, 0.0, 0.2, 1) + 0.02
    assert abs(_width_at(fitted, 0.0, 0.2, -1) - _width_at(plain, 0.0, 0.2, -1)) < 0.02
    # Its own outline changes nothing; a mask with no hair (or none known) leaves the style as it is.
    same = hair.build_hair("side-part", (0.2, 0.15, 0.1), outline=hair.outline("side-part"))
    assert np.allclose(same[0].vertices, plain[0].vertices, atol=0.01)
    for empty in (np.zeros(hair.GRID), np.full(hair.GRID, np.nan)):
        assert np.allclose(hair.build_hair("side-part", (0, 0, 0), outline=empty)[0].vertices, plain[0].vertices)


def test_highlights_paint_the_crests_of_the_locks():
    dark, light = (0.1, 0.08, 0.06), (0.6, 0.5, 0.4)
    plain = hair.build_hair("side-part", dark)[0].colors
    lit = hair.build_hair("side-part", dark, highlight=light)[0].colors
    assert lit.max() > plain.max() + 0.1  # the crests are lighter
    grooves = plain.sum(1) < np.percentile(plain.sum(1), 30)
    assert np.allclose(lit[grooves], plain[grooves], atol=0.01)  # the grooves keep the hair's own colour


# --- the photo's texture and parting on the sculpt ----------------------------------------------------------------

def test_the_styles_follow_the_texture():
    assert not {"curly-short", "locs"} & set(hair.styles_for("short") + hair.styles_for("shoulder", texture="wavy"))
    assert set(hair.styles_for("short", texture="curly")) <= {"curly-short", "afro", "ponytail", "bun"}
    assert hair.styles_for("short", volume=0.05, texture="coily")[0] == "curly-short"
    assert hair.styles_for("ear", texture="coily")[0] == "afro" and "bob" in hair.styles_for("ear", texture="curly")
    assert all(hair.styles_for(length, texture="locs") == ("locs",) for length in ("short", "ear", "shoulder", "long"))
    assert hair.styles_for("none", texture="curly") == ("bald",)
    assert "afro" in hair.styles_for("ear") and "afro" not in hair.styles_for("ear", texture="straight")  # unread: its outline
    # buzz and side parting share an outline: the hair's height and a visible parting choose, not the mask's cells
    assert "side-part" not in hair.styles_for("short", volume=0.08) and "buzz" in hair.styles_for("short", volume=0.08)
    assert "buzz" not in hair.styles_for("short", volume=0.08, parting=0.1)
    assert "buzz" not in hair.styles_for("short", volume=0.2)


@pytest.mark.parametrize("style", ["bob", "shoulder", "long", "side-part"])
@pytest.mark.parametrize("texture, parting", [("wavy", None), ("curly", None), ("coily", -0.12), ("straight", 0.0)])
def test_textured_hair_is_closed_outward_and_off_the_skull_and_face(style, texture, parting):
    parts = hair.build_hair(style, (0.3, 0.2, 0.1), texture=texture, parting=parting)
    for part in parts:
        assert is_closed(part) and _signed_volume(part) > 0
        v = part.vertices.astype(float)
        assert not np.any(np.sum((v / (hair.SKULL * 0.99)) ** 2, axis=1) < 1) and not np.any(hair.in_face(v))


def _thickness(part, where):
    """Per outer vertex in `where`, its height over the skull (the shell's inner surface)."""
    v = part.vertices.astype(float)
    r = np.linalg.norm(v / hair.INNER, axis=1)
    return (r - 1)[where(v) & (r > 1.01)]


def test_waves_and_curls_are_carved_into_hanging_hair():
    plain, wavy, curly = (hair.build_hair("shoulder", (0.2, 0.2, 0.2), texture=t)[0] for t in ("straight", "wavy", "curly"))
    assert np.array_equal(plain.vertices, hair.build_hair("shoulder", (0.2, 0.2, 0.2))[0].vertices)  # straight: as before
    # Down the back, wavy hair swells out of the straight hair's surface and sinks into it, crest after trough.
    def back(part):  # the outer surface's distance behind the head's axis, per 0.05 of height down the back
        v = part.vertices.astype(float)
        v = v[(v[:, 2] < -0.3) & (np.abs(v[:, 0]) < 0.05)]
        rows = np.digitize(v[:, 1], np.arange(-0.8, 0.1, 0.05))
        return np.array([np.hypot(v[rows == r, 0], v[rows == r, 2]).max() if (rows == r).any() else np.nan for r in range(1, 18)])

    swell = back(wavy) - back(plain)
    swell = swell[np.isfinite(swell)]
    assert swell.max() > 0.008 and swell.min() < -0.008
    assert np.abs(np.diff(np.sign(swell - np.median(swell)))).sum() >= 2 * 4  # four crests and troughs or more
    assert len(curly.vertices) > len(plain.vertices) and np.std(curly.colors[:, 0]) > 0  # rounded curls, shaded


def test_a_parting_is_a_groove_on_the_photo_s_side():
    left, right = (hair.build_hair("side-part", (0.2, 0.2, 0.2), parting=x)[0] for x in (-0.14, 0.14))
    np.testing.assert_allclose(left.vertices, right.vertices * [-1, 1, 1], atol=1e-6)  # one the other's mirror
    # The groove runs where the photo's parting is: the thinnest hair over the forehead is at its azimuth.
    for x, part in ((0.14, right), (-0.14, left), (0.2, hair.build_hair("side-part", (0.2, 0.2, 0.2), parting=0.2)[0])):
        v = part.vertices.astype(float)
        azimuth, height = np.arctan2(v[:, 0], v[:, 2]), np.linalg.norm(v / hair.INNER, axis=1)
        top = (v[:, 1] > 0.4) & (v[:, 1] < 0.5) & (v[:, 2] > 0.05) & (height > 1.01) & (np.abs(azimuth) < 0.9)
        assert abs(azimuth[top][np.argmin(height[top])] - hair.part_angle(x)) < 0.06
    plain = hair.build_hair("long", (0.2, 0.2, 0.2))[0]
    parted = hair.build_hair("long", (0.2, 0.2, 0.2), parting=-0.14)[0]
    psi = hair.part_angle(-0.14)

    def near(v, at):
        return (np.abs(np.arctan2(v[:, 0], v[:, 2]) - at) < 0.03) & (v[:, 1] > 0.3) & (v[:, 2] > 0.1)

    assert np.median(_thickness(parted, lambda v: near(v, psi))) < np.median(_thickness(plain, lambda v: near(v, psi))) - 0.02
    assert abs(np.median(_thickness(parted, lambda v: near(v, -psi))) - np.median(_thickness(plain, lambda v: near(v, -psi)))) < 0.005


def test_an_unknown_texture_names_the_choices():
    from minime.errors import UnknownNameError

    with pytest.raises(UnknownNameError, match="straight, wavy, curly, coily, locs"):
        hair.build_hair("long", (0, 0, 0), texture="frizzy")


def test_the_figure_s_hair_follows_the_texture_in_the_photo():
    from minime.engines.sculpt import read_person
    from minime.look import look
    from minime.sculpt.head import fit_landmarks
    from minime.spec import FigureSpec

    from ..look.conftest import load
    from ..look.test_hair_read import repaint

    photo = load("obama.jpg")
    fit = fit_landmarks(look(photo).faces[0].landmarks, photo.size)
    styles = {t: read_person(look(repaint(photo, fit, t, seed=1)), 0, FigureSpec(name="A")).hair.style
              for t in ("straight", "coily", "locs")}
    assert styles == {"straight": "bob", "coily": "afro", "locs": "locs"}  # straight hair is never an afro


def test_the_same_face_gets_the_same_hair_alone_and_beside_someone():
    """Beside a neighbour, the person mask and the photo's edges around a head differ a little from the portrait
    alone; a close crop's outline was then matched to a cut of the same outline but another thickness (curls
    in the group, smooth alone). The cut now follows what does not move: the texture and the hair's height."""
    from minime.engines.sculpt import read_people, read_person
    from minime.look import look
    from minime.spec import FigureSpec

    from ..look.conftest import load

    obama, biden = load("obama.jpg"), load("biden_small.jpg")
    biden = biden.crop((0, 0, biden.width, obama.height))
    group = Image.new("RGB", (biden.width + obama.width, obama.height), (150, 150, 150))
    group.paste(biden, (0, 0))
    group.paste(obama, (biden.width, 0))
    spec = FigureSpec(name="A")
    alone = read_person(look(obama), 0, spec).hair.style
    assert [p.hair.style for p in read_people(look(group), spec)] == ["buzz", alone] and alone == "buzz"


# --- moulded, painted hair: sculpted locks, not a comb of stripes ---------------------------------------------------

def _share_at(grid: np.ndarray, count: int) -> float:
    """How much of a (rows, cols) grid's variation round the head repeats `count` times a turn (± 1)."""
    power = (np.abs(np.fft.rfft(grid - grid.mean(1, keepdims=True), axis=1)) ** 2).mean(0)
    return float(power[count - 1:count + 2].sum() / power[1:].sum())


@pytest.mark.parametrize("curtain", [False, True])
@pytest.mark.parametrize("count", [18, 22, 26])
def test_locks_and_their_paint_have_no_regular_stripe(curtain, count):
    from minime.sculpt.hair_shell import Shell

    shell = Shell(curtain=curtain, strands=count, swirl=0.4, thickness=0.06)
    rows, cols = shell.s.shape
    band = slice(int(rows * 0.4), int(rows * 0.8))  # below the crown, where the locks are cut their full depth
    paint = shell.shade[1:1 + rows * cols].reshape(rows, cols)
    # Even locks painted light and dark column by column put about two thirds of the paint's variation there.
    assert _share_at(paint[band], count) < 0.25
    assert _share_at(shell.t[band], count) < 0.25  # the locks are of uneven width and depth
    up, down = shell.normal[..., 1] > 0.6, shell.normal[..., 1] < 0.0
    assert paint[up].mean() > paint[down].mean() + 0.02  # the highlight follows the form: lighter on top


@pytest.mark.parametrize("style", ["ponytail", "bun"])
def test_tails_and_buns_are_lighter_where_they_face_up(style):
    from minime.sculpt.mesh import vertex_normals

    for part in hair.build_hair(style, (0.5, 0.4, 0.3))[1:]:
        if part.colors[:, 0].std() < 1e-3:  # a hair tie
            continue
        ny = vertex_normals(part.vertices, part.faces)[:, 1]
        assert part.colors[ny > 0.5, 0].mean() > part.colors[ny < -0.5, 0].mean() + 0.01
