"""The person's hair, read from the hair region of the photo: its outline, length, hairline and colour, and
from the photo's pixels inside it, its texture (straight, wavy, curly, coily, locs) and a parting.

The region is the person mask around and above the face, refined by colour (look.person) and then cleaned
here in head space (see look.person.GRID): the face itself is cut out along its oval, and only what joins
the hair over the crown or the temples is kept, so a white collar, a lit ear or the background's halo do
not read as hair. The photo's exposure is taken out before this (look.skin), so a dark photo keeps its hair.

Head space: y up, 1 unit = head height; the skull's top is at y = 0.5, the ears at about 0, the chin -0.5.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import (
    binary_closing,
    binary_erosion,
    binary_opening,
    gaussian_filter,
    label,
    map_coordinates,
    sobel,
    uniform_filter1d,
)

from .skin import lab

# MediaPipe face mesh: the face's outline (forehead, temples, jaw, chin), in order.
OVAL = [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176,
        149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109]
LENGTHS = ("none", "short", "ear", "shoulder", "long")
# The lowest hair at the sides of the head (head-space y) that each length reaches.
_LENGTH_ENDS = ((-0.12, "short"), (-0.45, "ear"), (-0.95, "shoulder"))
RECEDED = 0.16  # a hairline this far (head heights) above the forehead's top is receding
GREY_SHARE = 0.4  # the share of light, colourless hair pixels above which the hair is grey or white
# Dark hair with this share of grey strands in it (but under GREY_SHARE) is salt and pepper: its paint is the
# dark it is mostly made of, the grey strands its highlight.
PEPPER = (0.1, 40.0)  # (the least share of grey strands, the darkest third's greatest lightness L*)


@dataclass(frozen=True)
class HairRead:
    """What the photo shows of the hair."""

    mask: np.ndarray  # GRID float: the cleaned hair region (NaN outside the photo)
    length: str  # one of LENGTHS
    receding: bool  # the hairline is well above the forehead's top
    bald: bool  # hair at the sides and back only (or none)
    color: tuple[float, float, float]  # the hair's main colour, sRGB 0-1
    highlight: tuple[float, float, float]  # its lighter strands
    grey: bool  # grey, silver or white hair
    volume: float  # head heights from the hairline to the hair's top over the face: a flat cap or a tall cut
    texture: str = "straight"  # one of TEXTURES (read from the photo's pixels: see read_texture)
    parting: float | None = None  # head-space x of a visible parting over the hairline; None: none seen


def _grid(shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    rows, cols = shape
    gx = -1.2 + (np.arange(cols) + 0.5) * 2.4 / cols
    gy = 1.0 - (np.arange(rows) + 0.5) * 3.0 / rows
    return np.meshgrid(gx, gy)


def _inside(points: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Even-odd test of every (x, y) against a closed polygon."""
    inside = np.zeros(x.shape, bool)
    px, py = points[:, 0], points[:, 1]
    for i in range(len(points)):
        j = i - 1
        cross = (py[i] > y) != (py[j] > y)
        at = px[i] + (y - py[i]) * (px[j] - px[i]) / np.where(py[j] == py[i], 1e-9, py[j] - py[i])
        inside ^= cross & (x < at)
    return inside


def clean_mask(mask: np.ndarray, front: np.ndarray) -> np.ndarray:
    """The hair region: the raw hair mask less the face (inside its oval), less whatever does not join the hair
    over the crown or temples (collars, ears, the background's halo). NaN cells stay NaN."""
    x, y = _grid(mask.shape)
    m = np.nan_to_num(mask, nan=0.0) > 0.5
    oval = np.asarray(front)[OVAL, :2]
    brow = float(oval[:, 1].max())
    m &= ~_inside(oval, x, y) & (np.abs(x) < 1.0)
    m = binary_opening(m, np.ones((2, 2), bool))  # lone specks of the colour test are not hair
    labels, n = label(m)
    # Hair joins the head over the crown or the temples: a piece with cells above the brows, near the skull.
    crown = (y > brow - 0.25) & (np.abs(x) < 0.55)
    keep = np.unique(labels[crown & m])
    out = np.isin(labels, keep[keep > 0]).astype(np.float32)
    out[np.isnan(mask)] = np.nan
    return out


def read_hair(mask: np.ndarray, front: np.ndarray, pixels: np.ndarray, skin: np.ndarray, *,
              photo: np.ndarray | None = None, to_photo=None) -> HairRead:
    """Read the hair.

    Args:
        mask: the raw hair mask on GRID (look.person), NaN outside the photo.
        front: the face's landmarks in head space (sculpt.head's fit), (468, 3).
        pixels: (N, 3) uint8 photo pixels of the hair region above the forehead (exposure corrected).
        skin: the skin's colour, sRGB 0-255.
        photo: the photo itself (exposure corrected) and `to_photo`, the face fit's head space -> photo: with
            both, the texture and parting are read too (read_texture); without, the hair reads straight.
    """
    hair = clean_mask(mask, front)
    x, y = _grid(mask.shape)
    h = np.nan_to_num(hair) > 0.5
    oval = np.asarray(front)[OVAL, :2]
    top = float(oval[:, 1].max())  # the forehead's top (landmark 10): where a full hairline is
    # The crown: is there hair over the top of the head? Only what the photo shows counts (its top edge may
    # cut through the hair, closer in one photo of a head than in another).
    crown = (np.abs(x) < 0.22) & (y > top) & (y < 0.62)
    shown = crown & ~np.isnan(mask)
    cover = float(h[shown].mean()) if shown.sum() >= 0.25 * crown.sum() else float(h[crown].mean()) if crown.any() else 0.0
    sides = (np.abs(x) > 0.28) & (np.abs(x) < 0.7) & (y > -1.6)
    side_cells = h & sides
    low = float(y[side_cells].min()) if side_cells.sum() >= 3 else 0.5
    # Per column of the centre, the lowest hair joined to the top: the hairline.
    centre = np.abs(x[0]) < 0.12
    lines = []
    for c in np.flatnonzero(centre):
        col = h[:, c] & (y[:, c] > top - 0.2)
        if col.any():
            lines.append(float(y[np.flatnonzero(col).max(), c]))
    hairline = float(np.median(lines)) if lines else 1.0
    bald = cover < 0.2
    receding = bald or hairline > top + RECEDED
    crest = float(y[h & (np.abs(x) < 0.25)].max()) if (h & (np.abs(x) < 0.25)).any() else hairline
    volume = max(0.0, crest - min(hairline, crest))
    if bald and side_cells.sum() < 3:
        length = "none"
    else:
        length = next((name for end, name in _LENGTH_ENDS if low > end), "long")
    color, highlight = _colours(pixels, skin)
    grey = _is_grey(color)
    texture = read_texture(photo, hair, front, to_photo) if photo is not None and to_photo is not None else None
    return HairRead(hair, length, receding, bald, color, highlight, grey, volume,
                    texture.texture if texture else "straight", texture.parting if texture else None)


FRONT_ON = 15.0  # degrees of yaw under which the photo's hairline is read: a turned head shows it foreshortened
HAIRLINE_U = tuple(np.round(np.linspace(-0.8, 0.8, 17), 2))  # where it is read: fractions of the skull's half width
SYMMETRY = 0.6  # how much of the hairline is its mirror image's mean: a hairline is near symmetric, a mask's noise not
_SEARCH = (-0.02, 0.3)  # head heights above the forehead's top (landmark 10) that the hairline is looked for in
SKIN_STEP = 0.01  # head heights between the samples of the forehead that its skin is followed up with
NOT_SKIN = 3.0  # a sample this many times the forehead's own spread away from its colour is not skin: hair


def read_hairline(mask: np.ndarray, front: np.ndarray, half_width: float, yaw: float = 0.0, *,
                  photo: np.ndarray | None = None, to_photo=None) -> tuple | None:
    """The photo's front hairline: the height (head space y) of the lowest hair over the forehead at x =
    HAIRLINE_U times the skull's `half_width` (None where the photo shows none); None for a turned head, or
    where the hair over the forehead is not seen (a bald crown, a mask that missed the hair).

    Each column's lowest hair cell above the forehead is taken, then the lowest over a few neighbouring columns
    (a gap in the mask is no gap in the hair), smoothed, and pulled toward its mirror image. The hair region
    misses short, thin hair at the hairline (the skin shows through it): with the photo and the face fit
    (`to_photo`), the hairline is no higher than where the forehead's skin ends going up it."""
    if abs(yaw) > FRONT_ON:
        return None
    m = np.asarray(mask, float)
    x, y = _grid(m.shape)
    top = float(np.asarray(front)[OVAL, 1].max())
    band = (y > top + _SEARCH[0]) & (y < top + _SEARCH[1])
    hair = (np.nan_to_num(m) > 0.5) & band
    seen = (~np.isnan(m) & band).sum(0) > 0.8 * band.sum(0)
    low = np.where(hair.any(0) & seen, np.where(hair, y, np.inf).min(0), np.nan)
    cols = np.abs(x[0]) < 0.95 * half_width
    if np.isnan(low[cols & (np.abs(x[0]) < 0.3 * half_width)]).mean() > 0.5:
        return None
    padded = np.pad(np.where(np.isnan(low), np.inf, low), 2, mode="edge")
    low = np.where(np.isnan(low), np.nan, np.lib.stride_tricks.sliding_window_view(padded, 5).min(1))
    low = np.convolve(np.pad(low, 1, mode="edge"), np.ones(3) / 3, mode="valid")
    if photo is not None and to_photo is not None:
        low = np.fmin(low, _skin_top(photo, to_photo, x[0], top))
    at = np.asarray(HAIRLINE_U) * half_width
    ok = ~np.isnan(low) & cols
    if ok.sum() < 4:
        return None
    h = np.interp(at, x[0][ok], low[ok], left=np.nan, right=np.nan)
    h = np.where(np.isnan(h[::-1]), h, (1 - SYMMETRY / 2) * h + SYMMETRY / 2 * h[::-1])
    return tuple(None if np.isnan(v) else round(float(v), 2) for v in h)


def _skin_top(rgb: np.ndarray, to_photo, xs: np.ndarray, top: float) -> np.ndarray:
    """Per head-space x in `xs`, the height where the forehead's skin ends going up from the forehead's top: the
    first of two samples in a row whose colour (its lightness counted at half) lies NOT_SKIN spreads from the
    skin's just under that top. NaN where the skin runs on to the top of the search band."""
    ys = top + np.arange(_SEARCH[0], _SEARCH[1], SKIN_STEP)
    cols = np.abs(xs) < 0.3
    o, A = _affine(to_photo)
    X, Y = np.meshgrid(xs[cols], np.concatenate([top - np.arange(0.09, 0.02, -SKIN_STEP), ys]))
    px, py = o[0] + A[0, 0] * X + A[0, 1] * Y, o[1] + A[1, 0] * X + A[1, 1] * Y
    h, w = rgb.shape[:2]
    ca, cb = int(np.clip(px.min() - 4, 0, w)), int(np.clip(px.max() + 5, 0, w))
    ra, rb = int(np.clip(py.min() - 4, 0, h)), int(np.clip(py.max() + 5, 0, h))
    out = np.full(len(xs), np.nan)
    if cb - ca < 4 or rb - ra < 4:
        return out
    f = float(np.linalg.norm(A[:, 1])) * SKIN_STEP  # photo pixels per sample
    step = max(1, int(f // 2))
    patch = gaussian_filter(rgb[ra:rb:step, ca:cb:step].astype(np.float32), (0.5 * f / step, 0.5 * f / step, 0))
    at = [(py - ra) / step, (px - ca) / step]
    c = lab(np.stack([map_coordinates(patch[..., k], at, order=1, mode="nearest") for k in range(3)], -1) / 255)
    c[..., 0] *= 0.5
    strip = len(Y) - len(ys)
    skin = np.median(c[:strip, np.abs(X[0]) < 0.12].reshape(-1, 3), axis=0)
    d = np.linalg.norm(c - skin, axis=-1)
    spread = max(float(np.percentile(d[:strip, np.abs(X[0]) < 0.12], 90)), 3.0)
    off = d[strip:] > NOT_SKIN * spread
    run = off[:-1] & off[1:]
    first = np.where(run.any(0), np.argmax(run, 0), -1)
    out[np.flatnonzero(cols)] = np.where(first >= 0, ys[np.maximum(first, 0)], np.nan)
    return out


def _colours(pixels: np.ndarray, skin: np.ndarray) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """The hair's main colour and its highlights: the darker side of its pixels (a mixed, salt-and-pepper head
    reads darker than its median, and is painted the dark it is mostly made of) and their lighter strands."""
    if len(pixels) < 20:
        b = np.asarray(skin, np.float64) * 0.35 / 255  # nothing to read: a dark stubble tone
        return (float(b[0]), float(b[1]), float(b[2])), (float(b[0] * 1.4), float(b[1] * 1.4), float(b[2] * 1.4))
    px = np.asarray(pixels, np.float64)
    c = lab(px / 255)
    neutral = (np.hypot(c[:, 1], c[:, 2]) < 9) & (c[:, 0] > 55)
    if neutral.mean() > GREY_SHARE:  # grey or white hair: its own pixels, not the skin that shows through it
        px = px[neutral]
    lum = px.mean(1)
    lo, hi = np.percentile(lum, [35, 85])
    if PEPPER[0] <= neutral.mean() <= GREY_SHARE and np.percentile(c[:, 0], 35) < PEPPER[1]:
        lo = np.percentile(lum, 15)
    base = np.median(px[np.abs(lum - lo) <= max(6.0, 0.1 * lo)], axis=0)
    light = np.median(px[np.abs(lum - hi) <= max(6.0, 0.1 * hi)], axis=0)
    b = np.clip(base / 255, 0, 1)
    li = np.clip(light / 255, 0, 1)
    return (float(b[0]), float(b[1]), float(b[2])), (float(li[0]), float(li[1]), float(li[2]))


def _is_grey(color) -> bool:
    c = lab(np.asarray(color, np.float64))
    return bool(np.hypot(c[1], c[2]) < 9 and c[0] > 45)


# ---------------------------------------------------------------- texture and parting, from the photo's pixels

TEXTURES = ("straight", "wavy", "curly", "coily", "locs")
WORK = 128  # the texture is read at this many pixels per head height, whatever the photo's size
MIN_AREA = 0.04  # head heights squared of hair, away from its outline, that a texture needs to be read
FLAT = 1.0  # grey levels per working pixel: hair smoother than this shows no texture (blown out, pitch dark, blurred)
BLANK = 0.2  # the most of the hair that may show no texture for the rest to be read
# Per octave of scale (0.016 to 0.125 head heights), how fast the strands' alignment falls off: straight hair
# stays aligned, waves turn it over half a wave, curls within a curl.
WAVY_DECAY, CURLY_DECAY = 0.035, 0.18
WAVE_ACROSS = 0.5  # alignment over a strip across the flow under which a turn is curls, not one wave
COILY = 0.5  # alignment at the finest scale under which the strands are tight coils, aligned nowhere
# Locs: at least this much hanging hair (head heights squared), lightness across it correlated at most ROPE_GAP
# half a rope apart, and along it at least ROPE_RUN 0.03 head heights on.
ROPE_AREA, ROPE_GAP, ROPE_RUN = 0.05, -0.3, 0.5
SHADING = 5.0  # working px: lightness that changes more slowly than this is the light, not the hair
PART_CONTRAST = 1.0  # a parting's scalp line, in the hair texture's own spread, lighter than the hair beside it
PART_LEAN = 0.4  # how far sideways the strands must leave a parting on each side (sine of the angle from down)


@dataclass(frozen=True)
class HairTexture:
    """The hair's texture and parting, as the photo's pixels show them."""

    texture: str  # one of TEXTURES; "straight" where too little hair shows to tell
    parting: float | None  # head-space x where a visible parting meets the hairline (< 0: the viewer's left); None
    coherence: tuple[float, ...]  # the strands' alignment at 0.016, 0.03, 0.06 and 0.125 head heights (NaN: no room)
    seen: bool = True  # False: too little hair, or too much of it blank (blown out, pitch dark), to read a texture


def _affine(to_photo) -> tuple[np.ndarray, np.ndarray]:
    """The face fit (head space -> photo) as origin + A @ (x, y): it is a similarity, so three points give it."""
    pts = [np.asarray(to_photo(np.array([x]), np.array([y])), np.float64).ravel() for x, y in ((0, 0), (1, 0), (0, 1))]
    return pts[0], np.stack([pts[1] - pts[0], pts[2] - pts[0]], 1)


def _head_patch(rgb: np.ndarray, to_photo, mask: np.ndarray):
    """The photo's lightness over the hair's bounding box on a head-space grid of WORK px per head height, the hair
    region on it and the grid's head-space x and y; None where no hair is seen. A large photo is thinned to about
    two samples per working pixel and smoothed first, so a 12 MP photo costs what a small one does."""
    hair = np.nan_to_num(mask) > 0.5
    if not hair.any():
        return None
    rows, cols = mask.shape
    r, c = np.nonzero(hair)
    x0, x1 = -1.2 + c.min() * 2.4 / cols, -1.2 + (c.max() + 1) * 2.4 / cols
    y0, y1 = 1.0 - (r.max() + 1) * 3.0 / rows, 1.0 - r.min() * 3.0 / rows
    X, Y = np.meshgrid(x0 + (np.arange(max(1, round((x1 - x0) * WORK))) + 0.5) / WORK,
                       y1 - (np.arange(max(1, round((y1 - y0) * WORK))) + 0.5) / WORK)
    o, A = _affine(to_photo)
    px, py = o[0] + A[0, 0] * X + A[0, 1] * Y, o[1] + A[1, 0] * X + A[1, 1] * Y
    h, w = rgb.shape[:2]
    ca, cb = int(np.clip(px.min() - 2, 0, w)), int(np.clip(px.max() + 3, 0, w))
    ra, rb = int(np.clip(py.min() - 2, 0, h)), int(np.clip(py.max() + 3, 0, h))
    if cb - ca < 2 or rb - ra < 2:
        return None
    f = float(np.linalg.norm(A[:, 1])) / WORK  # photo pixels per working pixel
    step = max(1, int(f // 2))
    grey = rgb[ra:rb:step, ca:cb:step].astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    if f / step > 1.5:  # what falls between two working pixels is averaged, not aliased
        grey = gaussian_filter(grey, 0.5 * f / step)
    G = map_coordinates(grey, [(py - ra) / step, (px - ca) / step], order=1, mode="nearest")
    seen = (px >= 0) & (px <= w - 1) & (py >= 0) & (py <= h - 1)
    M = hair[np.clip(((1.0 - Y) * rows / 3.0).astype(int), 0, rows - 1),
             np.clip(((X + 1.2) * cols / 2.4).astype(int), 0, cols - 1)] & seen
    return G, M, X, Y


def _tensor(G: np.ndarray, grad: float, window: float) -> np.ndarray:
    """The structure tensor (xx, xy, yy) of gradients at scale `grad`, averaged over `window` (working px). The
    light's shading over the head (a sheen, a shadow) is taken out first: only the hair's own texture counts."""
    g = gaussian_filter(G, grad) - gaussian_filter(G, SHADING)
    gx, gy = sobel(g, 1) / 8, sobel(g, 0) / 8
    return np.stack([gaussian_filter(a, window) for a in (gx * gx, gx * gy, gy * gy)])


def _coherence(xx, xy, yy) -> np.ndarray:
    """0: no direction (blobs, noise) .. 1: every gradient along one direction (parallel strands)."""
    return np.sqrt((xx - yy) ** 2 + 4 * xy**2) / (xx + yy + 1.0)


def _blocks(J: np.ndarray, inner: np.ndarray, rows: int, cols: int) -> float:
    """The strands' mean alignment over blocks of rows x cols working px wholly inside the hair (NaN: none fit)."""
    H, W = (J.shape[1] // rows) * rows, (J.shape[2] // cols) * cols
    if H == 0 or W == 0:
        return float("nan")
    Jb = J[:, :H, :W].reshape(3, H // rows, rows, W // cols, cols).mean((2, 4))
    ok = inner[:H, :W].reshape(H // rows, rows, W // cols, cols).mean((1, 3)) > 0.95
    return float(_coherence(*Jb[:, ok]).mean()) if ok.sum() >= 3 else float("nan")


def _profile(J: np.ndarray, inner: np.ndarray) -> tuple[float, ...]:
    """The strands' alignment over square blocks of 2, 4, 8 and 16 working px (0.016 to 0.125 head heights)."""
    return tuple(_blocks(J, inner, b, b) for b in (2, 4, 8, 16))


def _decay(profile: tuple[float, ...]) -> float:
    """How fast the alignment falls per octave of scale, from the finest to the coarsest block that fits."""
    c = np.asarray(profile)
    k = max((i for i in range(1, len(c)) if np.isfinite(c[i])), default=0)
    return float(np.log(c[0] / max(c[k], 1e-3)) / k) if k and c[0] > 0 else 0.0


def read_texture(rgb: np.ndarray, mask: np.ndarray, front: np.ndarray, to_photo) -> HairTexture:
    """The hair's texture and parting, from the photo's pixels inside the hair region.

    The strands' local direction (the structure tensor of the lightness) is compared across scales: straight
    hair stays aligned from strand to head scale; waves turn it over half a wave, all strands across the flow
    together; curls turn it within a curl, each curl its own way; tight coils leave it aligned nowhere. Locs
    are ropes: across them, light and dark alternate at the rope's width; along them, they run on unbroken.
    Sizes are in head heights, so the reading does not depend on the photo's size; alignment is a ratio, so
    not on its exposure either (look.skin has taken that out), only on the hair showing some texture at all.

    Args:
        rgb: the photo, exposure corrected, uint8 (H, W, 3).
        mask: the cleaned hair region on GRID (`clean_mask`), NaN outside the photo.
        front: the face's landmarks in head space, (468, 3).
        to_photo: head space (x, y) -> photo (column, row), the face fit's.
    """
    patch = _head_patch(rgb, to_photo, mask)
    if patch is None:
        return HairTexture("straight", None, (float("nan"),) * 4, seen=False)
    G, M, X, Y = patch
    J = _tensor(G, 0.7, 1.0)
    parting = _parting(G, M, X, Y, front, J)
    inner = binary_erosion(M, iterations=3)  # the outline's own edge is no strand
    profile = _profile(J, inner)
    if inner.sum() < MIN_AREA * WORK**2 or (np.sqrt(J[0] + J[2])[inner] < FLAT).mean() > BLANK:
        return HairTexture("straight", parting, profile, seen=False)  # too little hair, or too much blank, to tell
    top = float(np.asarray(front)[OVAL, 1].max())
    fine, decay, across = profile[0], _decay(profile), _blocks(J, inner, 2, 16)
    if _ropes(G, inner & (Y < top)):
        texture = "locs"
    elif fine < COILY:
        texture = "coily"
    elif decay >= CURLY_DECAY or (decay >= WAVY_DECAY and across < WAVE_ACROSS):
        texture = "curly"
    elif decay >= WAVY_DECAY:
        texture = "wavy"
    else:
        texture = "straight"
    return HairTexture(texture, parting, profile)


def _ropes(G: np.ndarray, hanging: np.ndarray) -> bool:
    """Whether the hanging hair is ropes: across it (along rows), lightness swings from a rope's lit middle to
    the dark between ropes (a deep negative correlation half a rope apart); down it, the ropes run on."""
    if hanging.sum() < ROPE_AREA * WORK**2:
        return False
    d = G - gaussian_filter(G, SHADING)
    across = min(_correlation(d, hanging, lag, 1) for lag in range(2, 9))  # ropes 0.03 to 0.13 head heights wide
    return across <= ROPE_GAP and _correlation(d, hanging, 4, 0) >= ROPE_RUN


def _correlation(d: np.ndarray, keep: np.ndarray, lag: int, axis: int) -> float:
    """The correlation of `d` with itself `lag` px along `axis`, over pairs that both lie in `keep`."""
    n = d.shape[axis]
    a, b = np.take(d, range(n - lag), axis), np.take(d, range(lag, n), axis)
    both = np.take(keep, range(n - lag), axis) & np.take(keep, range(lag, n), axis)
    if both.sum() < 20:
        return 0.0
    a, b = a[both], b[both]
    return float((a * b).sum() / max(np.sqrt((a * a).sum() * (b * b).sum()), 1e-9))


def _parting(G, M, X, Y, front, J: np.ndarray) -> float | None:
    """Head-space x of a parting over the forehead, or None: a thin line lighter than the hair beside it (the
    scalp), running up from the hairline through most of the band above it, with the strands turning away from
    it on both sides."""
    top = float(np.asarray(front)[OVAL, 1].max())
    band = (Y[:, 0] > top + 0.03) & (Y[:, 0] < top + 0.2)
    cols = np.abs(X[0]) < 0.3
    if band.sum() < 6 or cols.sum() < 24:
        return None
    region = binary_closing(M, np.ones((1, 5), bool))[band][:, cols]  # the scalp line itself is not hair-coloured
    g = G[band][:, cols]
    if region.mean() < 0.6:
        return None
    # Each row less its own running mean over a tenth of a head: what is left is texture, and the line.
    detail = g - uniform_filter1d(g, 13, axis=1)
    spread = float(np.median(np.abs(detail[region]))) * 1.48 + 1.0
    lift = np.where(region, detail / spread, 0.0)
    score = lift.mean(0)
    steady = (lift > PART_CONTRAST).mean(0)
    i = int(np.argmax(np.where(steady >= 0.6, score, -np.inf)))
    if not np.isfinite(score[i]) or steady[i] < 0.6 or score[i] < PART_CONTRAST:
        return None
    x = float(X[0][cols][i])
    # The strands leave the line down and outward on both sides (a light streak in combed hair runs along them).
    hair = binary_erosion(M, iterations=2)[band][:, cols]  # the hairline's own edge is no strand
    t = J[:, band][:, :, cols]
    near = (np.abs(X[0][cols] - x) > 0.02) & (np.abs(X[0][cols] - x) < 0.08)
    left, right = hair & near & (X[0][cols] < x), hair & near & (X[0][cols] > x)
    if min(left.sum(), right.sum()) < 10 or _lean(t[:, left]) < PART_LEAN or _lean(t[:, right]) > -PART_LEAN:
        return None
    return 0.0 if abs(x) < 0.04 else x


def _lean(t: np.ndarray) -> float:
    """How far the strands run sideways as they go down: 1 toward the viewer's left, -1 toward the right, 0 hanging
    straight down (from the mean structure tensor: the strands run across its main gradient)."""
    xx, xy, yy = (float(a.mean()) for a in t)
    angle = 0.5 * np.arctan2(2 * xy, xx - yy)  # the main gradient, from the x axis (image rows point down)
    col, row = -np.sin(angle), np.cos(angle)  # along the strands
    return float(-col if row >= 0 else col)
