"""The person's hair, read from the hair region of the photo: its outline, length, hairline and colour.

The region is the person mask around and above the face, refined by colour (look.person) and then cleaned
here in head space (see look.person.GRID): the face itself is cut out along its oval, and only what joins
the hair over the crown or the temples is kept, so a white collar, a lit ear or the background's halo do
not read as hair. The photo's exposure is taken out before this (look.skin), so a dark photo keeps its hair.

Head space: y up, 1 unit = head height; the skull's top is at y = 0.5, the ears at about 0, the chin -0.5.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import binary_opening, label

from .skin import lab

# MediaPipe face mesh: the face's outline (forehead, temples, jaw, chin), in order.
OVAL = [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176,
        149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109]
LENGTHS = ("none", "short", "ear", "shoulder", "long")
# The lowest hair at the sides of the head (head-space y) that each length reaches.
_LENGTH_ENDS = ((-0.12, "short"), (-0.45, "ear"), (-0.95, "shoulder"))
RECEDED = 0.16  # a hairline this far (head heights) above the forehead's top is receding
GREY_SHARE = 0.4  # the share of light, colourless hair pixels above which the hair is grey or white


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


def read_hair(mask: np.ndarray, front: np.ndarray, pixels: np.ndarray, skin: np.ndarray) -> HairRead:
    """Read the hair.

    Args:
        mask: the raw hair mask on GRID (look.person), NaN outside the photo.
        front: the face's landmarks in head space (sculpt.head's fit), (468, 3).
        pixels: (N, 3) uint8 photo pixels of the hair region above the forehead (exposure corrected).
        skin: the skin's colour, sRGB 0-255.
    """
    hair = clean_mask(mask, front)
    x, y = _grid(mask.shape)
    h = np.nan_to_num(hair) > 0.5
    oval = np.asarray(front)[OVAL, :2]
    top = float(oval[:, 1].max())  # the forehead's top (landmark 10): where a full hairline is
    # The crown: is there hair over the top of the head?
    crown = (np.abs(x) < 0.22) & (y > top) & (y < 0.62)
    cover = float(h[crown].mean()) if crown.any() else 0.0
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
    return HairRead(hair, length, receding, bald, color, highlight, grey, volume)


def _colours(pixels: np.ndarray, skin: np.ndarray) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """The hair's main colour and its highlights: the darker side of its pixels (a mixed, salt-and-pepper head
    reads darker than its median) and their lighter strands."""
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
    base = np.median(px[np.abs(lum - lo) <= max(6.0, 0.1 * lo)], axis=0)
    light = np.median(px[np.abs(lum - hi) <= max(6.0, 0.1 * hi)], axis=0)
    b = np.clip(base / 255, 0, 1)
    li = np.clip(light / 255, 0, 1)
    return (float(b[0]), float(b[1]), float(b[2])), (float(li[0]), float(li[1]), float(li[2]))


def _is_grey(color) -> bool:
    c = lab(np.asarray(color, np.float64))
    return bool(np.hypot(c[1], c[2]) < 9 and c[0] > 45)
