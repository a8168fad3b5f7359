"""The hair read from the photo: length, hairline, colour (grey and white too), on dark and bright photos alike."""

import numpy as np
import pytest
from PIL import Image, ImageEnhance
from scipy.ndimage import gaussian_filter
from scipy.spatial import cKDTree

from minime.engines.sculpt import _cheek_skin, _exposed, read_person
from minime.look import look
from minime.look.hair import OVAL, _affine, _inside, read_hair, read_texture
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


# --- texture and parting: no curly-haired photo is at hand, so the fixture's hair is painted over ------------------

DARK, LIGHT = np.array([14.0, 12, 12]), np.array([112.0, 104, 100])  # near-black hair and its grey-lit strands


def _noise(u, period, rng):
    """Smooth 1-D value noise of `u`, with features `period` apart."""
    n = int(np.ceil(np.abs(u).max() / period)) + 2
    vals = rng.random(2 * n + 2)
    t = u / period + n
    i = np.floor(t).astype(int)
    f = t - i
    f = f * f * (3 - 2 * f)
    return vals[i] * (1 - f) + vals[i + 1] * f


def _strands(X, Y, rng, wave=0.0, length=0.2, part=None):
    """Strands a hundredth of a head apart fanning down from above the head, or leaving a parting at x = part
    sideways and falling away from it; `wave` swings them side to side every `length` down."""
    Xw = X + wave * np.sin(2 * np.pi * (1 - Y) / length)
    if part is None:
        u, rho = np.arctan2(Xw, 0.95 - Y) * 0.6, np.hypot(Xw, 0.95 - Y)
    else:
        d = np.abs(Xw - part)
        u, rho = (Y + 0.6 * d + 1.2 * d**2) * np.sign(Xw - part) * 0.6, 0.95 - Y
    fine = _noise(u, 0.01, rng)
    v = (0.1 + 0.3 * fine + 0.15 * _noise(u, 0.03, rng)) * (0.85 + 0.3 * _noise(rho * 3 + u, 0.5, rng))
    if wave:
        v *= 0.7 + 0.25 * (1 + np.cos(2 * np.pi * (1 - Y) / length + 0.5))
    return v + 0.4 * np.exp(-((rho - 0.62) / 0.07) ** 2) * fine  # a sheen across the strands


def _curls(X, Y, rng, radius, fuzz=0.0):
    """Overlapping ringlets (or coils) `radius` head heights across: each a lit ring of hair round a dark core."""
    gap = radius * 1.45
    gx, gy = np.meshgrid(np.arange(-0.8, 0.8, gap), np.arange(-1.0, 0.9, gap * 0.87))
    cx = (gx + (np.arange(gx.shape[0])[:, None] % 2) * gap / 2).ravel() + rng.uniform(-0.5, 0.5, gx.size) * gap
    cy = gy.ravel() + rng.uniform(-0.5, 0.5, gx.size) * gap
    rank, size, turn = rng.permutation(cx.size), radius * rng.uniform(0.8, 1.2, cx.size), rng.uniform(0, 6.3, cx.size)
    pts = np.stack([X.ravel(), Y.ravel()], 1)
    dist, idx = cKDTree(np.stack([cx, cy], 1)).query(pts, k=4)
    best, val = np.full(len(pts), -1), np.full(len(pts), 0.08)
    for k in range(4):  # of the nearest curls, the one on top shows
        i = idx[:, k]
        r = dist[:, k] / size[i]
        on_top = (r < 1.0) & (rank[i] > best)
        theta = np.arctan2(pts[:, 1] - cy[i], pts[:, 0] - cx[i])
        ring = np.exp(-((r - 0.62) / 0.22) ** 2) * (0.6 + 0.4 * np.cos(2 * theta + turn[i] + 6 * r))
        val = np.where(on_top, 0.08 + 0.85 * ring * (0.55 + 0.45 * np.cos(theta - 2.2)), val)
        best = np.where(on_top, rank[i], best)
    return val.reshape(X.shape) * (1 - fuzz) + fuzz * rng.random(X.shape)


def _ropes(X, Y, rng, width):
    """Locs: ropes `width` across hanging from the crown, lit down their middle, dark between, matted."""
    rho = np.hypot(X, 0.95 - Y)
    u = np.arctan2(X, 0.95 - Y) * np.clip(rho, 0.5, 1.2) / width
    k = np.floor(u)
    across = np.sqrt(np.clip(1 - (2 * (u - k) - 1) ** 2, 0, 1))
    along = 0.85 + 0.15 * np.sin(2 * np.pi * rho / 0.05 + (k * 2.3999) % 6.28)
    return 0.06 + 0.8 * across**1.5 * along * (0.7 + 0.3 * rng.random(X.shape))


def repaint(photo, fit, texture, *, seed=0, size=1.0, part=None):
    """The portrait with new hair painted over its own, in head space at the scale real hair has on a head:
    an afro for coily hair, else a cap hanging to the shoulders; `size` scales curls, ropes and waves; `part`
    draws a parting at that head-space x (a line of scalp, the strands combed away from it)."""
    rgb = np.asarray(photo, np.float64)
    o, A = _affine(fit.to_photo)
    rows, cols = np.mgrid[: rgb.shape[0], : rgb.shape[1]].astype(np.float64)
    head = np.stack([cols - o[0], rows - o[1]], -1) @ np.linalg.inv(A).T
    X, Y = head[..., 0], head[..., 1]
    rng = np.random.default_rng(seed)
    if texture == "coily":
        region = (X / 0.64) ** 2 + ((Y - 0.12) / 0.6) ** 2 < 1
    else:
        region = ((X / 0.5) ** 2 + ((Y - 0.04) / 0.52) ** 2 < 1) | ((np.abs(X) < 0.5) & (np.abs(X) > 0.27) & (Y < 0.1) & (Y > -0.85))
    region &= ~(_inside(fit.front[OVAL, :2] + [0.0, 0.02], X, Y) | ((np.abs(X) < 0.2) & (Y < -0.3)))  # face and neck
    v = {"straight": lambda: _strands(X, Y, rng, part=part),
         "wavy": lambda: _strands(X, Y, rng, wave=0.028 * size, length=0.2 * size, part=part),
         "curly": lambda: _curls(X, Y, rng, 0.045 * size),
         "coily": lambda: _curls(X, Y, rng, 0.016 * size, fuzz=0.25),
         "locs": lambda: _ropes(X, Y, rng, 0.055 * size)}[texture]()
    paint = DARK + (LIGHT - DARK) * np.clip(v, 0, 1)[..., None]
    if part is not None:
        line = (np.exp(-((X - part) / 0.007) ** 2) * (Y > 0.2) * region)[..., None]
        paint = paint * (1 - line) + np.array([150.0, 105, 80]) * line
    a = gaussian_filter(region.astype(float), 0.8)[..., None]
    return Image.fromarray(np.clip(rgb * (1 - a) + paint * a, 0, 255).astype(np.uint8))


@pytest.fixture(scope="module")
def portrait():
    """The fixture portrait and its face fit (the same face in every repainted copy)."""
    photo = load("obama.jpg")
    return photo, fit_landmarks(look(photo).faces[0].landmarks, photo.size)


def _texture(photo):
    person, subject = _look(photo)
    face = subject.faces[0]
    rgb = _exposed(np.asarray(subject.image), face.landmarks)
    fit = fit_landmarks(face.landmarks, subject.image.size)
    return read_texture(rgb, person.hair_mask, fit.front, fit.to_photo)


@pytest.mark.parametrize("texture", ["straight", "wavy", "curly", "coily", "locs"])
@pytest.mark.parametrize("size, brightness", [(1.0, 1.0), (0.8, 0.3), (1.25, 1.5)])
def test_the_texture_is_read_from_the_hair_in_the_photo(portrait, texture, size, brightness):
    """Hair painted at realistic scale (ringlets a tenth of a head across, coils a thirtieth, ropes a twentieth,
    waves a fifth of a head long), smaller or larger, on a dark or bright photo: the reader names it."""
    photo, fit = portrait
    painted = repaint(photo, fit, texture, seed=int(size * 8), size=size)
    assert _texture(ImageEnhance.Brightness(painted).enhance(brightness)).texture == texture


@pytest.mark.parametrize("name", ["obama.jpg", "biden_small.jpg", "astronaut.jpg"])
@pytest.mark.parametrize("brightness", [1.0, 0.25, 1.5])
def test_real_short_hair_reads_straight_with_no_parting(name, brightness):
    read = _texture(ImageEnhance.Brightness(load(name)).enhance(brightness))
    assert read.texture == "straight" and read.parting is None


@pytest.mark.parametrize("part", [-0.15, -0.08, 0.0, 0.12])
def test_a_parting_is_found_on_its_side(portrait, part):
    photo, fit = portrait
    found = _texture(repaint(photo, fit, "straight", seed=2, part=part)).parting
    assert found is not None and abs(found - part) < 0.03
    assert found == 0.0 if part == 0.0 else np.sign(found) == np.sign(part)


def test_no_parting_where_the_strands_only_fan_out(portrait):
    """Strands that converge over the crown make lighter streaks too, but run along them: no parting."""
    photo, fit = portrait
    assert all(_texture(repaint(photo, fit, "straight", seed=s)).parting is None for s in (1, 2, 3))


def test_the_hair_read_carries_the_texture_when_given_the_photo(portrait):
    photo, fit = portrait
    painted = repaint(photo, fit, "locs", seed=1)
    person, subject = _look(painted)
    rgb = _exposed(np.asarray(subject.image), subject.faces[0].landmarks)
    px = np.full((100, 3), 40, np.uint8)
    read = read_hair(person.hair_mask, fit.front, px, np.array([200, 150, 120]), photo=rgb, to_photo=fit.to_photo)
    assert read.texture == "locs" and read_hair(person.hair_mask, fit.front, px, np.array([200, 150, 120])).texture == "straight"
