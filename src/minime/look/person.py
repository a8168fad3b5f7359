"""What a sculptor reads off one person in the photo: hair (outline and colour), clothes and build.

Everything is sampled from the person mask near that person's face, so things in front of or beside
them (a lectern, a microphone, a neighbour) do not paint the figure. Kept in memory only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..imaging import bilinear
from .hair import read_hair
from .skin import from_lab, lab

GRID = (160, 128)  # the hair outline grid of sculpt/hair.py: x in [-1.2, 1.2], y from 1.0 down to -2.0


@dataclass(repr=False)
class PersonLook:
    """One person's hair, clothes and build, as read from the photo."""

    hair_mask: np.ndarray  # GRID float, NaN outside the photo
    hair_color: tuple[float, float, float]
    skin: tuple[float, float, float]
    top: str  # "jacket", "shirt-tie", "t-shirt" (the photo's best guess)
    top_color: tuple[float, float, float]
    under_color: tuple[float, float, float]
    tie_color: tuple[float, float, float] | None
    bottom_color: tuple[float, float, float]
    stripes: tuple[float, float, float] | None  # the stripes' colour when the top is striped
    build: float  # 0 slim .. 1 broad, from shoulder width against head width
    notes: list[str] = field(default_factory=list)
    hair_length: str = "short"  # look.hair.LENGTHS
    receding: bool = False  # a high hairline, or hair at the sides only
    bald: bool = False  # no hair over the crown
    hair_highlight: tuple[float, float, float] | None = None  # the hair's lighter strands
    hair_volume: float = 0.1  # head heights from the hairline to the hair's top (look.hair)

    def __repr__(self) -> str:  # no colours or masks of a person in logs
        return f"PersonLook(top={self.top!r}, build={self.build:.2f})"


def _rgb01(c) -> tuple[float, float, float]:
    r, g, b = (float(np.clip(v / 255.0, 0, 1)) for v in c)
    return r, g, b


def _dominant(pixels: np.ndarray) -> np.ndarray | None:
    """The main colour of a set of pixels: the median of the largest of a few lightness bins."""
    if len(pixels) < 20:
        return None
    lum = pixels.mean(1)
    bins = np.clip((lum / 256 * 4).astype(int), 0, 3)
    best = np.bincount(bins, minlength=4).argmax()
    return np.median(pixels[bins == best], axis=0)


def _chroma_distance(pixels: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Colour distance that weighs hue more than lightness, so shaded skin still reads as skin."""
    p = pixels.astype(np.float32) + 1
    r = ref.astype(np.float32) + 1
    pc, rc = p / p.sum(-1, keepdims=True), r / r.sum()
    lum = np.log(p.sum(-1) / r.sum())
    return np.linalg.norm(pc - rc, axis=-1) * 12 + np.abs(lum) * 0.8


def read_person(rgb: np.ndarray, mask: np.ndarray, face, fit, skin: tuple[float, float, float],
                others: Sequence = (), *, mono: bool = False) -> PersonLook:
    """Read one person. `fit` maps head space to the photo (see sculpt.head.fit_landmarks); `others` are the
    other people's faces, whose side of the photo is not sampled. A `mono` (black and white) photo's colours
    are guessed from their lightness, with a note."""
    h, w = rgb.shape[:2]
    x0, y0, x1, y1 = face.box
    fw, fh = x1 - x0, y1 - y0
    cx = (x0 + x1) / 2
    lm = face.landmarks
    chin_y = float(lm[152, 1]) if lm is not None else y1
    skin255 = np.array(skin) * 255
    # Keep to this person's side of any neighbour.
    left, right = 0.0, float(w)
    for o in others:
        ocx = (o.box[0] + o.box[2]) / 2
        if ocx < cx:
            left = max(left, (ocx + cx) / 2)
        else:
            right = min(right, (ocx + cx) / 2)
    own = np.zeros((h, w), bool)
    own[:, int(left):int(np.ceil(right))] = True
    person = (mask > 0.5) & own

    # Hair: person pixels above and beside the face that are not skin.
    top_y = int(max(0, y0 - 0.9 * fh))
    band = person[top_y:int(max(top_y + 1, y0 + 0.1 * fh)), int(max(0, cx - 0.6 * fw)):int(min(w, cx + 0.6 * fw))]
    band_px = rgb[top_y:int(max(top_y + 1, y0 + 0.1 * fh)), int(max(0, cx - 0.6 * fw)):int(min(w, cx + 0.6 * fw))][band]
    hair_px = band_px[_chroma_distance(band_px, skin255) > 0.9] if len(band_px) else band_px
    if len(hair_px) > 0.15 * max(1, len(band_px)) and len(hair_px) >= 20:
        hair = np.median(hair_px, axis=0)
    else:
        hair = skin255 * 0.35  # a shaved head: a dark stubble tone, used only for a buzz cut or a fringe

    # The hair mask on the outline grid: head space -> photo through the face fit.
    rows, cols = GRID
    gx = -1.2 + (np.arange(cols) + 0.5) * 2.4 / cols
    gy = 1.0 - (np.arange(rows) + 0.5) * 3.0 / rows
    X, Y = np.meshgrid(gx, gy)
    px, py = fit.to_photo(X.ravel(), Y.ravel())
    px, py = px.reshape(X.shape), py.reshape(X.shape)
    outside = (px < 0) | (px > w - 1) | (py < 0) | (py > h - 1)
    m = bilinear(person.astype(np.float32), py, px, edge="zero")
    samples = np.stack([bilinear(rgb[..., i].astype(np.float32), py, px, edge="nearest") for i in range(3)], -1)
    not_skin = np.clip(_chroma_distance(samples, skin255) - 0.6, 0, 1)
    like_hair = np.clip(1.6 - _chroma_distance(samples, hair) * 0.9, 0, 1)
    hair_mask = m * not_skin * like_hair
    hair_mask[outside] = np.nan

    # Clothes: the upper torso under the chin, this person's mask only, skin and hair left out.
    def region(dx0, dx1, dy0, dy1):
        ya, yb = int(np.clip(chin_y + dy0 * fh, 0, h)), int(np.clip(chin_y + dy1 * fh, 0, h))
        xa, xb = int(np.clip(cx + dx0 * fw, left, right)), int(np.clip(cx + dx1 * fw, left, right))
        if yb <= ya or xb <= xa:
            return np.zeros((0, 3))
        sel = person[ya:yb, xa:xb]
        px_ = rgb[ya:yb, xa:xb][sel].astype(np.float32)
        keep = (_chroma_distance(px_, skin255) > 0.7) & (_chroma_distance(px_, hair) > 0.5 if len(hair_px) else True)
        return px_[keep]

    sides = np.concatenate([region(-1.3, -0.45, 0.5, 1.5), region(0.45, 1.3, 0.5, 1.5)])
    centre = region(-0.2, 0.2, 0.05, 0.9)
    top = _dominant(sides)
    notes: list[str] = []
    if top is None:
        top = _dominant(centre)
    if top is None:
        top = np.array([60.0, 80.0, 140.0])
    kind, under, tie_c = "t-shirt", top, None
    # An inner layer shows between the lapels: a shirt, and on it perhaps a tie.
    inner = centre[np.linalg.norm(centre - top, axis=1) > 60] if len(centre) else centre
    lighter = len(inner) >= 20 and np.median(inner.mean(1)) > top.mean() + 25
    if len(inner) >= 20 and len(inner) > 0.15 * len(centre) and lighter:  # a shirt shows lighter than its jacket
        kind = "jacket"
        lum = inner.mean(1)
        # The shirt is the light, plain part of the inner layer (a tie is the coloured or patterned rest).
        plain = inner[(inner.max(1) - inner.min(1) < 45) & (lum >= np.percentile(lum, 40))]
        under = np.median(plain if len(plain) >= 10 else inner[lum >= np.percentile(lum, 70)], axis=0)
        dark = inner[np.linalg.norm(inner - under, axis=1) > 60]
        if len(dark) > 0.1 * len(centre) and np.linalg.norm(np.median(dark, axis=0) - under) > 50:
            tie_c = np.median(dark, axis=0)
    stripes = _stripes(rgb, person, cx, fw, chin_y, fh, left, right)

    # Build: the shoulders' width against the head's, where the photo shows both shoulders.
    build = 0.5
    row = int(chin_y + 0.9 * fh)
    if 0 <= row < h:
        xs = np.flatnonzero(person[row])
        if len(xs) and xs[0] > 1 and xs[-1] < w - 2:
            ratio = (xs[-1] - xs[0]) / max(fw, 1)
            build = float(np.clip((ratio - 2.3) / 1.4, 0, 1))
    bottom = _dominant(region(-0.8, 0.8, 4.2, 5.5)) if chin_y + 5.5 * fh < h else None
    if bottom is None and kind == "jacket":  # the photo ends at the chest: a suit's trousers are its jacket's cloth
        bottom = top.copy()
    elif bottom is None:  # ...otherwise dark trousers that go with the top
        bottom = np.array([40.0, 42, 52]) if top.mean() > 90 else np.array([30.0, 30, 34])
    if np.linalg.norm(hair - top) < 50:
        # Hair and clothes of one colour cannot be told apart below the chin: read the hair above it only.
        hair_mask[Y < -0.45] = np.where(np.isnan(hair_mask[Y < -0.45]), np.nan, 0.0)
    else:
        near_top = np.linalg.norm(samples - top, axis=-1) < 40
        hair_mask[near_top & ~np.isnan(hair_mask)] = 0.0
    hair = read_hair(hair_mask, fit.front, _above_forehead(rgb, person, face, skin255), skin255)
    look = PersonLook(hair.mask, hair.color, skin, kind, _rgb01(top), _rgb01(under),
                      _rgb01(tie_c) if tie_c is not None else None, _rgb01(bottom),
                      _rgb01(stripes) if stripes is not None else None, build, notes,
                      hair.length, hair.receding, hair.bald, hair.highlight, hair.volume)
    return guess_colours(look) if mono else look


def _above_forehead(rgb: np.ndarray, person: np.ndarray, face, skin255: np.ndarray) -> np.ndarray:
    """Hair pixels: the person, not skin, from the top of the forehead up, over the middle of the face."""
    lm = face.landmarks
    h, w = person.shape
    fw, fh = face.box[2] - face.box[0], face.box[3] - face.box[1]
    top = float(lm[10, 1]) if lm is not None else face.box[1]
    xa, xb = (float(lm[:, 0].min()), float(lm[:, 0].max())) if lm is not None else (face.box[0], face.box[2])
    ya, yb = int(np.clip(top - 0.6 * fh, 0, h)), int(np.clip(top, 0, h))
    xa, xb = int(np.clip(xa + 0.15 * fw, 0, w)), int(np.clip(xb - 0.15 * fw, 0, w))
    if yb <= ya or xb <= xa:
        return np.zeros((0, 3), np.uint8)
    px = rgb[ya:yb, xa:xb][person[ya:yb, xa:xb]]
    return px[_chroma_distance(px, skin255) > 0.9] if len(px) else px


# Natural colours (CIELAB a*, b*) for what a black and white photo shows, by lightness: (dark, mid, light).
_GUESSES = {
    "top": ((-1.0, -9.0), (-3.0, -14.0), (0.0, 2.0)),  # a navy suit, a denim-blue top, a cream one
    "under": ((-2.0, -10.0), (-4.0, -12.0), (0.0, -3.0)),  # a shirt: navy, light blue, white
    "tie": ((18.0, 6.0), (22.0, 10.0), (6.0, -14.0)),  # burgundy, red, light blue
    "bottom": ((0.0, -5.0), (-2.0, -18.0), (1.0, 12.0)),  # charcoal-navy, jeans, khaki
    "hair": ((2.0, 5.0), (7.0, 17.0), (0.0, 2.0)),  # near black, brown, grey or white
}


def _guess(rgb01, what: str) -> tuple[float, float, float]:
    L = float(lab(np.asarray(rgb01, np.float64))[0])
    dark, mid, light = _GUESSES[what]
    t = float(np.clip((L - 28) / 18, 0, 1)) if L < 46 else 1 + float(np.clip((L - 46) / 16, 0, 1))
    pairs = (dark, mid, light)
    i = min(int(t), 1)
    ab = np.array(pairs[i]) + (np.array(pairs[i + 1]) - np.array(pairs[i])) * (t - i)
    r, g, b = (float(c) for c in from_lab(np.array([L, ab[0], ab[1]])))
    return r, g, b


def guess_colours(look: PersonLook) -> PersonLook:
    """A black and white photo's person in natural colours of the same lightness (the skin is done on the photo)."""
    suit = look.top == "jacket" and np.allclose(look.bottom_color, look.top_color)  # a suit's one cloth stays one
    look.top_color = _guess(look.top_color, "top")
    look.under_color = _guess(look.under_color, "under")
    look.tie_color = _guess(look.tie_color, "tie") if look.tie_color is not None else None
    look.bottom_color = look.top_color if suit else _guess(look.bottom_color, "bottom")
    look.hair_color = _guess(look.hair_color, "hair")
    look.hair_highlight = _guess(look.hair_highlight, "hair") if look.hair_highlight is not None else None
    if look.stripes is not None:
        look.stripes = _guess(look.stripes, "under")
    look.notes.append("the photo is black and white: the skin, hair and clothes colours are guessed")
    return look


def _stripes(rgb, person, cx, fw, chin_y, fh, left, right) -> np.ndarray | None:
    """The second colour of a horizontally striped top, or None: a strong, regular lightness rhythm down the chest."""
    h, w = person.shape
    ya, yb = int(np.clip(chin_y + 0.6 * fh, 0, h)), int(np.clip(chin_y + 2.2 * fh, 0, h))
    xa, xb = int(np.clip(cx - 0.7 * fw, left, right)), int(np.clip(cx + 0.7 * fw, left, right))
    if yb - ya < 24 or xb - xa < 8:
        return None
    patch = rgb[ya:yb, xa:xb].astype(np.float32)
    sel = person[ya:yb, xa:xb]
    if sel.mean() < 0.8:
        return None
    profile = patch.mean(-1).mean(1)
    profile = profile - profile.mean()
    if profile.std() < 18:
        return None
    power = np.abs(np.fft.rfft(profile)) ** 2
    k = int(np.argmax(power[3:]) + 3)
    if k > len(profile) // 6 or power[k - 1:k + 2].sum() < 0.45 * power[1:].sum():
        return None
    light = patch.reshape(-1, 3)
    lum = light.mean(1)
    return np.median(light[lum > np.median(lum)], axis=0)
