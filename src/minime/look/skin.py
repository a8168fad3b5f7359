"""Skin colour that survives the light: the photo's exposure and colour cast taken out before skin is read.

A photo taken too dark, too bright or under a warm or cool light is, to a good approximation, the well-lit
photo with each channel scaled (a diagonal, von Kries model; a pure power law keeps it diagonal in sRGB too)
and clipped. So the correction is a gain per channel, from what is known in any photo:
- the cast from the photo's greys, found by narrowing in on the near-neutral pixels (whites weigh most), so a red
  curtain or the skin itself does not count; it is kept to what leaves the face's skin a skin hue;
- the exposure from the whites (a dark photo's brightest pixels fall short of white); an overexposed photo is
  one whose whites and face are both clipped, and its face's clipped channels are rebuilt from the others.
A well-lit photo is left as it is, whatever the skin tone: nothing pulls skin toward a standard lightness.
A black and white (or sepia) photo has no colour to correct: its face is painted a natural skin tone of the
same lightness instead (`colour_face`), and the figure says its colours are guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

# sRGB (D65) -> CIE XYZ, and the white point.
_M = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
_WHITE = np.array([0.95047, 1.0, 1.08883])


def linear(srgb: np.ndarray) -> np.ndarray:
    """sRGB in [0, 1] -> linear light."""
    c = np.asarray(srgb, np.float64)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def encode(lin: np.ndarray) -> np.ndarray:
    """Linear light -> sRGB in [0, 1]."""
    c = np.clip(np.asarray(lin, np.float64), 0, None)
    return np.where(c <= 0.0031308, c * 12.92, 1.055 * c ** (1 / 2.4) - 0.055)


def lab(srgb) -> np.ndarray:
    """sRGB in [0, 1] (any shape ending in 3) -> CIELAB (L*, a*, b*)."""
    xyz = linear(srgb) @ _M.T / _WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1)


def delta_e(a, b) -> float:
    """CIE76 colour difference of two sRGB colours in [0, 1]."""
    return float(np.linalg.norm(lab(a) - lab(b)))


def chroma(srgb) -> float:
    """CIELAB chroma of an sRGB colour in [0, 1]."""
    c = lab(srgb)
    return float(np.hypot(c[..., 1], c[..., 2]))


def _smoothstep(e0: float, e1: float, x):
    t = np.clip((np.asarray(x, np.float64) - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3 - 2 * t)


# A well-exposed photo's whites: the 99.5th percentile of its pixels' brightest channel (sRGB, 0-1).
WHITE = 0.97
MAX_LIFT = 10.0  # sRGB gain: a photo at a tenth of its brightness
# A photo with more than this share of its pixels clipped white is taken as overexposed...
CLIPPED_FROM, CLIPPED_FULL = 0.015, 0.07
OVER = 1.5  # ...by at most this factor in sRGB (what is clipped holds no more information)
GAMMA = 2.2
CAST_LIMIT = 1.35  # the most a channel is raised or lowered (sRGB) against green to take out a cast
# Skin's hue angle in CIELAB under a neutral light lies in this band for every skin tone.
SKIN_HUE = (35.0, 80.0)
MONO = 0.015  # chromaticity spread under which a photo is black and white (or one-toned)


@dataclass(frozen=True)
class Light:
    """How a photo's light departs from a well-lit, neutral one, and the gain (sRGB, per channel) that undoes it."""

    gain: tuple[float, float, float]
    exposure: float  # the exposure part of the gain (1 = none, > 1 = brightened)
    mono: bool  # a black and white or one-toned photo: colours must be guessed

    def apply(self, rgb: np.ndarray, landmarks: np.ndarray | None = None) -> np.ndarray:
        """The photo with its light corrected (uint8 in, uint8 out; one lookup table per channel). Where a
        photo is darkened, the face's clipped highlights are first rebuilt from the channels left (see
        `_unclip`), so overexposed skin keeps its hue."""
        if np.allclose(self.gain, 1.0, atol=1e-3):
            return rgb
        ramp = np.arange(256, dtype=np.float64)
        luts = [np.clip(ramp * g + 0.5, 0, 255).astype(np.uint8) for g in self.gain]
        darken = landmarks is not None and max(self.gain) < 0.98
        if not darken and all(np.array_equal(lut, ramp) for lut in luts):  # a gain too small to move a level
            return rgb
        out = np.asarray(Image.fromarray(rgb).point(np.concatenate(luts).tolist()))  # one pass in C
        if darken and landmarks is not None:
            out = out.copy()
            _unclip(rgb, out, landmarks, np.asarray(self.gain))
        return out


def read_light(rgb: np.ndarray, landmarks: np.ndarray | None = None) -> Light:
    """The photo's exposure and colour cast.

    Args:
        rgb: the photo, uint8 (H, W, 3).
        landmarks: the face's mesh points in photo pixels, if known: a cast is only taken out as far as it
            keeps the skin's hue in (or brings it toward) the band every skin tone lies in, and a photo is only
            taken as overexposed where the face itself is clipped.
    """
    px = _sample(rgb)
    mono = _mono(px)
    cast = np.ones(3) if mono else _cast(px)
    if landmarks is not None and not mono:
        skin = np.median(face_skin(rgb, landmarks), 0) / 255.0
        if skin.max() < 0.97:  # a clipped channel has lost the skin's hue: nothing to check against
            cast = _toward_skin(cast, skin)
    # Exposure from the whites, after the cast is taken out; or, for a photo clipped over a large area, down.
    top = float(np.percentile((px * cast).max(1), 99.5))
    if top < WHITE:
        exposure = min(MAX_LIFT, WHITE / max(top, 1 / 255))
    else:
        # A white backdrop is not an overexposed photo: the face must be clipped too.
        clipped = float((px.min(1) >= 0.98).mean()) * _face_clipped(rgb, landmarks)
        exposure = 1 / (1 + (OVER - 1) * float(_smoothstep(CLIPPED_FROM, CLIPPED_FULL, clipped)))
    gain = cast * exposure
    return Light((float(gain[0]), float(gain[1]), float(gain[2])), exposure, mono)


def is_mono(rgb: np.ndarray) -> bool:
    """A black and white (or one-toned) photo: its colours must be guessed."""
    return _mono(_sample(rgb))


def _sample(rgb: np.ndarray, most: int = 40_000) -> np.ndarray:
    """An even sample of the photo's pixels, (N, 3) in [0, 1]: statistics of the whole photo, cheaply."""
    step = max(1, int(np.ceil(np.sqrt(rgb.shape[0] * rgb.shape[1] / most))))
    return rgb[::step, ::step].reshape(-1, 3).astype(np.float32) / np.float32(255.0)


def _mono(px: np.ndarray) -> bool:
    # One chromaticity everywhere: grey, or a sepia or blue-toned print (whose colour says nothing of the person).
    total = px.sum(1)
    lit = px[total > 0.15] / total[total > 0.15, None]
    return len(lit) > 100 and float(np.percentile(np.abs(lit - np.median(lit, 0)).max(1), 95)) < MONO


def _face_box(rgb: np.ndarray, landmarks: np.ndarray, grow: float = 0.0) -> tuple[slice, slice]:
    lm = np.asarray(landmarks)[:, :2]
    (x0, y0), (x1, y1) = lm.min(0), lm.max(0)
    gx, gy = grow * (x1 - x0), grow * (y1 - y0)
    h, w = rgb.shape[:2]
    return (slice(int(np.clip(y0 - gy, 0, h)), int(np.clip(y1 + gy, 0, h))),
            slice(int(np.clip(x0 - gx, 0, w)), int(np.clip(x1 + gx, 0, w))))


def _unclip(rgb: np.ndarray, out: np.ndarray, landmarks: np.ndarray, gain: np.ndarray) -> None:
    """Rebuild the face's clipped channels from the ones left, at the skin's own ratios (R/G and G/B of its
    unclipped pixels), then darken: the skin of an overexposed photo keeps its hue. Pure whites stay white."""
    where = _face_box(rgb, landmarks, 0.15)
    patch = rgb[where].astype(np.float64)
    if patch.size == 0:
        return
    inner = rgb[_face_box(rgb, landmarks, -0.2)].reshape(-1, 3).astype(np.float64)
    clean = inner[(inner.max(1) < 245) & (inner.min(1) > 30)]
    if len(clean) < 30:
        return
    rg = float(np.median(clean[:, 0] / clean[:, 1]))
    gb = float(np.median(clean[:, 1] / clean[:, 2]))
    top = patch >= 250
    some_left = ~top.all(-1)
    g = np.where(top[..., 1] & some_left, np.maximum(patch[..., 1], patch[..., 2] * gb), patch[..., 1])
    r = np.where(top[..., 0] & some_left, np.maximum(patch[..., 0], g * rg), patch[..., 0])
    rebuilt = np.stack([r, g, patch[..., 2]], -1) * gain
    out[where] = np.clip(rebuilt + 0.5, 0, 255).astype(np.uint8)


def _face_clipped(rgb: np.ndarray, landmarks: np.ndarray | None) -> float:
    """0 where the face has no clipped highlights, 1 where a good share of it is clipped (1 with no face)."""
    if landmarks is None:
        return 1.0
    lm = np.asarray(landmarks)[:, :2]
    (x0, y0), (x1, y1) = lm.min(0), lm.max(0)
    h, w = rgb.shape[:2]
    xa, xb = int(np.clip(x0 + 0.2 * (x1 - x0), 0, w)), int(np.clip(x1 - 0.2 * (x1 - x0), 0, w))
    ya, yb = int(np.clip(y0 + 0.1 * (y1 - y0), 0, h)), int(np.clip(y1 - 0.2 * (y1 - y0), 0, h))
    patch = rgb[ya:yb, xa:xb]
    if patch.size == 0:
        return 1.0
    return float(_smoothstep(0.005, 0.04, (patch.max(-1) >= 250).mean()))


def _cast(px: np.ndarray) -> np.ndarray:
    """The gain (sRGB, per channel, green 1) that makes the photo's greys grey again.

    The greys are found iteratively: pixels near neutral under the current estimate, the window narrowing each
    round, so coloured things (a red curtain, skin) drop out and a cast, however strong, is followed. Clipped
    and the darkest pixels (quantised, noisy) are left out by rank, the same pixels at any exposure.
    """
    bright = px.max(1)
    ok = (bright < 0.98) & (bright > np.percentile(bright, 20))
    if ok.sum() < 200:
        return np.ones(3)
    lin = np.maximum(px[ok], 1 / 255) ** GAMMA  # a pure power: a cast in sRGB stays a cast in linear light
    logs = np.log(lin)
    est = np.zeros(3)
    for window in (1.2, 0.8, 0.5, 0.3, 0.2):
        d = logs - est
        off = np.maximum(np.abs(d[:, 0] - d[:, 1]), np.abs(d[:, 2] - d[:, 1]))
        sel = off < window
        if sel.sum() < 100:
            break
        weights = lin[sel].sum(1) ** 2  # whites are the surest greys
        mean = (lin[sel] * weights[:, None]).sum(0) / weights.sum()
        est = np.log(mean / mean[1])
    cast = np.exp(-est / GAMMA)
    return np.clip(cast / cast[1], 1 / CAST_LIMIT, CAST_LIMIT)


def _hue(srgb: np.ndarray) -> float:
    c = lab(np.clip(srgb, 0, 1))
    return float(np.degrees(np.arctan2(c[2], c[1])))


def _toward_skin(cast: np.ndarray, skin: np.ndarray) -> np.ndarray:
    """The cast correction, kept to the share of it that leaves the skin's hue inside SKIN_HUE (or, for skin
    that is outside it, that brings it closer)."""
    before = _hue(skin)
    lo, hi = SKIN_HUE
    off = max(lo - before, before - hi, 0.0)
    best, best_off = np.ones(3), off
    for share in np.linspace(1.0, 0.0, 11):
        trial = cast**share
        h = _hue(skin * trial)
        o = max(lo - h, h - hi, 0.0)
        if o <= 1e-6 or o < best_off - 1e-6:
            return trial
    return best


def from_lab(c) -> np.ndarray:
    """CIELAB -> sRGB in [0, 1] (clipped to the gamut)."""
    c = np.asarray(c, np.float64)
    fy = (c[..., 0] + 16) / 116
    f = np.stack([fy + c[..., 1] / 500, fy, fy - c[..., 2] / 200], -1)
    xyz = np.where(f > 6 / 29, f**3, 3 * (6 / 29) ** 2 * (f - 4 / 29)) * _WHITE
    return np.clip(encode(xyz @ np.linalg.inv(_M).T), 0, 1)


def natural_skin(lightness) -> np.ndarray:
    """A natural skin colour (CIELAB a*, b*) for an L*: deeper skin a little richer and redder, lighter skin
    a little more yellow; very dark and very light tones (pupils, eye whites, teeth) fade to neutral."""
    L = np.asarray(lightness, np.float64)
    chroma = np.clip(24 - 0.12 * (L - 40), 15, 24) * _smoothstep(8, 26, L) * (1 - _smoothstep(82, 94, L))
    hue = np.radians(np.clip(48 + 0.25 * (L - 50), 42, 62))
    return np.stack([chroma * np.cos(hue), chroma * np.sin(hue)], -1)


def colour_face(rgb: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """A black and white photo with natural skin colour painted into the face, ears and neck (lightness kept)."""
    h, w = rgb.shape[:2]
    lm = np.asarray(landmarks)[:, :2]
    x0, y0 = lm.min(0)
    x1, y1 = lm.max(0)
    fw, fh = x1 - x0, y1 - y0
    xa, xb = int(max(0, x0 - 0.35 * fw)), int(min(w, x1 + 0.35 * fw + 1))
    ya, yb = int(max(0, y0 - 0.45 * fh)), int(min(h, y1 + 0.5 * fh + 1))
    if xb <= xa or yb <= ya:
        return rgb
    patch = rgb[ya:yb, xa:xb].astype(np.float32)
    # Where to paint: an ellipse over the face and ears that runs down into the neck, feathered.
    yy, xx = np.mgrid[ya:yb, xa:xb].astype(np.float32)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    face = ((xx - cx) / (0.68 * fw)) ** 2 + ((yy - cy) / (0.62 * fh)) ** 2
    neck = np.where(yy > cy, ((xx - cx) / (0.4 * fw)) ** 2, np.inf)
    weight = np.clip(1.3 - np.minimum(face, neck), 0, 1)[..., None]
    # A one-toned photo holds one number per pixel: a table from its luma to skin of the same lightness.
    grey = np.repeat((np.arange(256) / 255.0)[:, None], 3, 1)
    L = lab(grey)[:, 0]
    table = (from_lab(np.concatenate([L[:, None], natural_skin(L)], 1)) * 255).astype(np.float32)
    luma = np.clip(patch @ np.array([0.299, 0.587, 0.114], np.float32) + 0.5, 0, 255).astype(np.uint8)
    out = rgb.copy()
    out[ya:yb, xa:xb] = np.clip(table[luma] * weight + patch * (1 - weight) + 0.5, 0, 255).astype(np.uint8)
    return out


CHEEKS = (50, 280, 117, 346, 205, 425)  # face-mesh points on the cheeks, clear of beard, brows and shadowed sides


def face_skin(rgb: np.ndarray, landmarks: np.ndarray, r: int = 2) -> np.ndarray:
    """Skin pixels (N, 3) from small patches on the cheeks."""
    h, w = rgb.shape[:2]
    px = []
    for i in CHEEKS:
        x, y = int(np.clip(landmarks[i, 0], 0, w - 1)), int(np.clip(landmarks[i, 1], 0, h - 1))
        px.append(rgb[max(0, y - r):y + r + 1, max(0, x - r):x + r + 1].reshape(-1, 3))
    return np.concatenate(px)
