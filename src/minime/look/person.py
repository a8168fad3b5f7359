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
from .skin import encode, from_lab, lab, linear

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
    tie_stripe: tuple[float, float, float] | None = None  # a striped tie's second colour (tie_color is its ground)

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
    # The sums and the norm over the three channels written out: the same numbers as sum(-1) and
    # linalg.norm(axis=-1), without numpy's slow reductions over a length-3 axis.
    total = p[..., 0] + p[..., 1] + p[..., 2]
    r_total = r.sum()
    rc = r / r_total
    d0 = p[..., 0] / total - rc[0]
    d1 = p[..., 1] / total - rc[1]
    d2 = p[..., 2] / total - rc[2]
    lum = np.log(total / r_total)
    return np.sqrt(d0 * d0 + d1 * d1 + d2 * d2) * 12 + np.abs(lum) * 0.8


def _sample_rgb(rgb: np.ndarray, y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """float32 colours at the points (y, x), bilinear, a point past the edge taking the edge pixel's: the same
    numbers as imaging.bilinear(edge="nearest") on each channel, with the taps found once for all three."""
    h, w = rgb.shape[:2]
    y, x = np.clip(np.asarray(y, np.float64), 0, h - 1), np.clip(np.asarray(x, np.float64), 0, w - 1)
    y0, x0 = np.floor(y).astype(np.intp), np.floor(x).astype(np.intp)
    ty, tx = (y - y0)[..., None], (x - x0)[..., None]
    y1, x1 = np.minimum(y0 + 1, h - 1), np.minimum(x0 + 1, w - 1)

    def tap(yy, xx):
        return rgb[yy, xx].astype(np.float32).astype(np.float64)

    out = tap(y0, x0) * (1 - ty) * (1 - tx)
    out += tap(y0, x1) * (1 - ty) * tx
    out += tap(y1, x0) * ty * (1 - tx)
    out += tap(y1, x1) * ty * tx
    return out.astype(np.float32)


def _face_extent(face, w: int, h: int) -> tuple[float, float, float, float]:
    """The face's box; where the frame cuts it, grown to the landmarks (the mesh runs on past the photo's edge),
    so the face keeps its real size and centre and the clothes are sampled where they are."""
    x0, y0, x1, y1 = face.box
    if face.landmarks is None or (x0 > 1 and y0 > 1 and x1 < w - 2 and y1 < h - 2):
        return x0, y0, x1, y1
    (lx0, ly0), (lx1, ly1) = face.landmarks[:, :2].min(0), face.landmarks[:, :2].max(0)
    return min(x0, float(lx0)), min(y0, float(ly0)), max(x1, float(lx1)), max(y1, float(ly1))


def _shirt(inner: np.ndarray) -> np.ndarray:
    """The shirt between the lapels: the plain (nearly colourless) inner pixels near the lightest, so its lit
    cloth counts and the tie's dark stripes and the shadows under the collar do not. With few plain pixels (a
    coloured shirt) it is the lightest part of the inner layer."""
    plain = inner[inner.max(1) - inner.min(1) < 45]
    lum = plain.mean(1)
    if len(plain) >= max(10, 0.05 * len(inner)):
        lit = plain[lum >= np.percentile(lum, 97) - 40]
        if len(lit) >= 10:
            return np.median(lit, axis=0)
    lum = inner.mean(1)
    return np.median(inner[lum >= np.percentile(lum, 85)], axis=0)


def _tie_pixels(patch: np.ndarray, keep: np.ndarray, shirt: np.ndarray, jacket: np.ndarray) -> np.ndarray:
    """The tie's pixels in the window between the lapels: row by row, from the first to the last pixel that is
    clearly neither shirt nor jacket (another hue, or far off in lightness), so a stripe as dark as the jacket
    (navy on a black suit) counts where it lies across the tie."""
    d = lab(patch / 255) - lab(np.asarray(jacket) / 255)
    not_shirt = keep & (np.linalg.norm(patch - shirt, axis=-1) > 60)
    clear = not_shirt & (np.hypot(d[..., 1], d[..., 2]) + 0.5 * np.abs(d[..., 0]) > 18)
    count = np.cumsum(clear, axis=1)
    total = count[:, -1:]
    lo = np.argmax(count >= 0.1 * total + 0.5, axis=1)  # the 10th and 90th percentile of the clear pixels' x
    hi = np.argmax(count >= 0.9 * total, axis=1)
    x = np.arange(patch.shape[1])
    span = (x >= lo[:, None]) & (x <= hi[:, None]) & (total >= 3)
    return patch[span & not_shirt]


def _tie(pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """A tie's colour, and a second one where it shows two clear colours (stripes): split into darker and
    lighter pixels, each a good share and of different hues (not one colour in light and shade, nor a blue tie
    with small white dots). The ground is the larger share, or the darker where the two are even."""
    pixels = pixels[::len(pixels) // 3000 + 1]
    lum = pixels.mean(1)
    cut = float(np.median(lum))
    for _ in range(4):  # two-means on lightness
        lo, hi = lum[lum <= cut], lum[lum > cut]
        if not len(lo) or not len(hi):
            return np.median(pixels, axis=0), None
        cut = (lo.mean() + hi.mean()) / 2
    dark, light = pixels[lum <= cut], pixels[lum > cut]
    share = len(dark) / len(pixels)
    a, b = np.median(dark, axis=0), np.median(light, axis=0)
    hues = np.linalg.norm(lab(a / 255)[1:] - lab(b / 255)[1:])
    if min(share, 1 - share) < 0.25 or hues < TIE_HUES:
        return np.median(pixels, axis=0), None
    return (b, a) if share < 0.35 else (a, b)


TIE_HUES = 20.0  # CIELAB a*b* distance between a striped tie's two colours

WHITE_CHROMA = 7.0  # CIELAB chroma under which a light shirt is white (or light grey) in the room's light
WHITE_FROM = 55.0  # ...and the lightness over which it is


def _white_gain(shirt: np.ndarray) -> np.ndarray:
    """The room's cast, from a light, nearly colourless shirt (a white reference): the gain, in linear light,
    that makes it grey; ones where the shirt is coloured or dark (no white reference is there)."""
    L, a, b = (float(v) for v in lab(np.asarray(shirt, np.float64) / 255))
    if L < WHITE_FROM or np.hypot(a, b) > WHITE_CHROMA:
        return np.ones(3)
    lin = np.maximum(linear(np.clip(shirt / 255, 0, 1)), 1e-4)
    return np.clip(lin.mean() / lin, 0.85, 1.18)


def _balanced(colour: np.ndarray, gain: np.ndarray) -> np.ndarray:
    """A colour (sRGB 0-255) under neutral light: the white reference's gain applied in linear light."""
    if np.allclose(gain, 1):
        return colour
    return np.clip(encode(linear(np.clip(colour / 255, 0, 1)) * gain), 0, 1) * 255


def _clean_white(shirt: np.ndarray) -> np.ndarray:
    """A light, nearly colourless shirt as a person sees it: clean white, or a light grey where it is darker
    (a shirt in the shade of its collar reads lighter to the eye than its pixels)."""
    L, a, b = (float(v) for v in lab(np.asarray(shirt, np.float64) / 255))
    if L < WHITE_FROM or np.hypot(a, b) > WHITE_CHROMA:
        return shirt
    grey = min(95.0, 60.0 + (L - WHITE_FROM) * 1.6)
    return np.asarray(from_lab(np.array([grey, 0.0, 0.0]))) * 255


def read_person(rgb: np.ndarray, mask: np.ndarray, face, fit, skin: tuple[float, float, float],
                others: Sequence = (), *, mono: bool = False) -> PersonLook:
    """Read one person. `fit` maps head space to the photo (see sculpt.head.fit_landmarks); `others` are the
    other people's faces, whose side of the photo is not sampled. A `mono` (black and white) photo's colours
    are guessed from their lightness, with a note."""
    h, w = rgb.shape[:2]
    lm = face.landmarks
    x0, y0, x1, y1 = _face_extent(face, w, h)
    fw, fh = x1 - x0, y1 - y0
    cx = (x0 + x1) / 2
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
    # Sampled from the rows and columns the grid reaches (the photo's edge pixels where it runs past): the same
    # numbers as from the whole photo, without converting all of it to float.
    ya, yb = int(np.clip(np.floor(py.min()), 0, h - 1)), int(np.clip(np.floor(py.max()) + 2, 1, h))
    xa, xb = int(np.clip(np.floor(px.min()), 0, w - 1)), int(np.clip(np.floor(px.max()) + 2, 1, w))
    sy, sx = py - ya, px - xa
    m = bilinear(person[ya:yb, xa:xb].astype(np.float32), sy, sx, edge="zero")
    samples = _sample_rgb(rgb, py, px)
    not_skin = np.clip(_chroma_distance(samples, skin255) - 0.6, 0, 1)
    like_hair = np.clip(1.6 - _chroma_distance(samples, hair) * 0.9, 0, 1)
    hair_mask = m * not_skin * like_hair
    hair_mask[outside] = np.nan

    # Clothes: the upper torso under the chin, this person's mask only, skin and hair left out.
    # A big face (a 12 MP photo) is sampled every few pixels: its clothes' statistics hold with far fewer.
    every = max(1, int(round(fw / 200)))

    def region(dx0, dx1, dy0, dy1, step=None, hair_out=True):
        """The clothes' pixels in a window (face widths from the centre, face heights below the chin), and the
        window itself (every `step`-th pixel, with which of them count). Hair-coloured pixels are left out
        unless `hair_out` is False (under the chin, where white hair would take a white shirt with it)."""
        step = step or every
        ya, yb = int(np.clip(chin_y + dy0 * fh, 0, h)), int(np.clip(chin_y + dy1 * fh, 0, h))
        xa, xb = int(np.clip(cx + dx0 * fw, left, right)), int(np.clip(cx + dx1 * fw, left, right))
        if yb <= ya or xb <= xa:
            return np.zeros((0, 3)), np.zeros((0, 0, 3)), np.zeros((0, 0), bool)
        patch = rgb[ya:yb:step, xa:xb:step].astype(np.float32)
        keep = person[ya:yb:step, xa:xb:step] & (_chroma_distance(patch, skin255) > 0.7)
        if len(hair_px) and hair_out:
            keep &= _chroma_distance(patch, hair) > 0.5
        return patch[keep], patch, keep

    sides = np.concatenate([region(-1.3, -0.45, 0.5, 1.5)[0], region(0.45, 1.3, 0.5, 1.5)[0]])
    centre = region(-0.2, 0.2, 0.05, 0.9)[0]
    top = _dominant(sides)
    notes: list[str] = []
    if top is None:
        top = _dominant(centre)
    if top is None:
        top = np.array([60.0, 80.0, 140.0])
    kind, under, tie_c, tie_s = "t-shirt", top, None, None
    # An inner layer shows between the lapels: a shirt, and on it perhaps a tie.
    inner = centre[np.linalg.norm(centre - top, axis=1) > 60] if len(centre) else centre
    lighter = len(inner) >= 20 and np.median(inner.mean(1)) > top.mean() + 25
    if len(inner) >= 20 and len(inner) > 0.15 * len(centre) and lighter:  # a shirt shows lighter than its jacket
        kind = "jacket"
        step = every * (int(np.sqrt(len(centre) / 3000)) + 1)  # a sample of the window: the statistics hold, cheaply
        shirt = region(-0.2, 0.2, 0.05, 0.9, step, hair_out=False)[0]
        under = _shirt(shirt[np.linalg.norm(shirt - top, axis=1) > 60])
        dark = inner[np.linalg.norm(inner - under, axis=1) > 60]
        if len(dark) > 0.1 * len(centre) and np.linalg.norm(np.median(dark, axis=0) - under) > 50:
            _, patch, keep = region(-0.2, 0.2, 0.05, 0.9, step)
            tie_px = _tie_pixels(patch, keep, under, top)
            tie_c, tie_s = _tie(tie_px if len(tie_px) >= 20 else dark)
    # A white shirt shows the room's light: its cast is taken out of every garment, and the shirt painted white.
    gain = _white_gain(under) if kind == "jacket" else np.ones(3)
    seen_top = top  # the photo's own pixels, to tell the hair from the clothes by
    top, under = _balanced(top, gain), _clean_white(_balanced(under, gain))
    tie_c, tie_s = (_balanced(c, gain) if c is not None else None for c in (tie_c, tie_s))
    stripes = _stripes(rgb, person, cx, fw, chin_y, fh, left, right)
    stripes = _balanced(stripes, gain) if stripes is not None else None

    # Build: the shoulders' width against the head's, where the photo shows both shoulders.
    build = 0.5
    row = int(chin_y + 0.9 * fh)
    if 0 <= row < h:
        xs = np.flatnonzero(person[row])
        if len(xs) and xs[0] > 1 and xs[-1] < w - 2:
            ratio = (xs[-1] - xs[0]) / max(fw, 1)
            build = float(np.clip((ratio - 2.3) / 1.4, 0, 1))
    bottom = _dominant(region(-0.8, 0.8, 4.2, 5.5)[0]) if chin_y + 5.5 * fh < h else None
    bottom = _balanced(bottom, gain) if bottom is not None else None
    if bottom is None and kind == "jacket":  # the photo ends at the chest: a suit's trousers are its jacket's cloth
        bottom = top.copy()
    elif bottom is None:  # ...otherwise dark trousers that go with the top
        bottom = np.array([40.0, 42, 52]) if top.mean() > 90 else np.array([30.0, 30, 34])
    if np.linalg.norm(hair - seen_top) < 50:
        # Hair and clothes of one colour cannot be told apart below the chin: read the hair above it only.
        hair_mask[Y < -0.45] = np.where(np.isnan(hair_mask[Y < -0.45]), np.nan, 0.0)
    else:
        near_top = np.linalg.norm(samples - seen_top, axis=-1) < 40
        hair_mask[near_top & ~np.isnan(hair_mask)] = 0.0
    hair = read_hair(hair_mask, fit.front, _above_forehead(rgb, person, face, skin255), skin255)
    look = PersonLook(hair.mask, hair.color, skin, kind, _rgb01(top), _rgb01(under),
                      _rgb01(tie_c) if tie_c is not None else None, _rgb01(bottom),
                      _rgb01(stripes) if stripes is not None else None, build, notes,
                      hair.length, hair.receding, hair.bald, hair.highlight, hair.volume,
                      _rgb01(tie_s) if tie_s is not None else None)
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
    "hair": ((2.0, 5.0), (7.0, 17.0), (4.0, 20.0)),  # near black, brown, dark blonde
    "grey hair": ((2.0, 5.0), (7.0, 17.0), (0.0, 2.0)),  # ...and for an older person: grey or white
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
    hair = "grey hair" if look.receding or look.bald else "hair"  # a receding hairline reads as older
    look.hair_color = _guess(look.hair_color, hair)
    look.hair_highlight = _guess(look.hair_highlight, hair) if look.hair_highlight is not None else None
    look.tie_stripe = _guess(look.tie_stripe, "tie") if look.tie_stripe is not None else None
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
    sel = person[ya:yb, xa:xb]
    if sel.mean() < 0.8:
        return None
    patch = rgb[ya:yb, xa:xb].astype(np.float32)
    lum = patch[..., 0] + patch[..., 1] + patch[..., 2]  # patch.mean(-1) to the bit, without its slow reduction
    lum /= 3
    profile = lum.mean(1)
    profile = profile - profile.mean()
    if profile.std() < 18:
        return None
    power = np.abs(np.fft.rfft(profile)) ** 2
    k = int(np.argmax(power[3:]) + 3)
    if k > len(profile) // 6 or power[k - 1:k + 2].sum() < 0.45 * power[1:].sum():
        return None
    light = patch.reshape(-1, 3)
    lum = lum.ravel()
    return np.median(light[lum > np.median(lum)], axis=0)
