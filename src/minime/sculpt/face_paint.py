"""The face's paint: the photo unwrapped onto the front of the head, its lighting taken out, finished like
factory paint; and what the paint shows (a beard, glasses).

The paint is a frontal texture over head-space x, y (see head.py). What the photo does not show (a turned
face's far side, a part cut by the frame) is painted from the mirrored visible half.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter

from ..imaging import ThinPlate
from ..imaging import smooth as guided

# MediaPipe face mesh indices.
OVAL = [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176,
        149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109]
FOREHEAD, CHIN, NOSE_TIP = 10, 152, 1
RIGHT_EYE_OUT, LEFT_EYE_OUT = 33, 263  # the person's right eye is on the viewer's left
RIGHT_CHEEK, LEFT_CHEEK = 234, 454
EYES = [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246,
        263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466]
BROWS = [70, 63, 105, 66, 107, 55, 65, 52, 53, 46, 300, 293, 334, 296, 336, 285, 295, 282, 283, 276]
LIPS = [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185]

TEX = 384  # the frontal paint's least side, texels (the face spans about half of it): more than a print box's face
TEX_MAX = 1024  # ... and its most, for a face that fills a large photo
SHADE_SIGMA, SHADE_POWER = 18.0, 0.9  # the photo's shading: its scale (texels of TEX) and how much is taken out
FEATURE_FLAT = 0.0004  # the grain within the eyes, brows and lips that is flattened (a guided filter's eps)
SHARPEN = 1.2  # how much harder the eyes', brows' and lips' edges are made than the photo's
SKIN_EVEN = 0.7  # how far the skin's colour is evened out (0: the photo's, 1: one colour)
TEX_HALF = 0.6  # the paint covers head-space x, y in [-0.6, 0.6] (y shifted by TEX_Y)
TEX_Y = -0.1


def tps(points: np.ndarray, values: np.ndarray, smoothing: float = 1e-4):
    return ThinPlate(points, values, smoothing)


def tex_grid(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Head-space x, y of an n x n grid over the paint (row 0 at the top)."""
    t = (np.arange(n) + 0.5) / n
    xs = -TEX_HALF + 2 * TEX_HALF * t
    ys = TEX_Y + TEX_HALF - 2 * TEX_HALF * t
    return np.meshgrid(xs, ys)


def paint_size(front: np.ndarray, p: np.ndarray) -> int:
    """Texels on the paint's side: at least one texel per photo pixel across the face (the photo's full
    resolution), and never fewer than a print-size face has pixels (TEX)."""
    span = np.ptp(front[OVAL, 0]) / (2 * TEX_HALF)  # the face's share of the paint's width
    photo_px = float(np.ptp(p[OVAL, 0]))
    return int(np.clip(np.ceil(photo_px / max(span, 0.2) / 64) * 64, TEX, TEX_MAX))


def photo_paint(photo: np.ndarray, front: np.ndarray, p: np.ndarray, vis: np.ndarray,
                n: int = TEX) -> tuple[np.ndarray, np.ndarray]:
    """The frontal paint (n x n x 3, float 0-255) sampled from the photo at its own resolution, and its 0-1
    coverage (where the face is)."""
    # Head-space (x, y) -> photo (col, row) through the landmarks, and the same for the mirror image.
    coarse = 48
    gx, gy = tex_grid(coarse)
    g = np.stack([gx.ravel(), gy.ravel()], 1)
    keep = np.unique(np.concatenate([np.arange(0, len(front), 2), OVAL, EYES, LIPS, BROWS]))
    to_photo = tps(front[keep, :2], np.stack([p[keep, 0], -p[keep, 1]], 1), smoothing=1e-3)
    vis_map = tps(front[keep, :2], vis[keep, None], smoothing=1e-1)
    uv, seen = to_photo.along(g, vis_map)
    uv = uv.reshape(coarse, coarse, 2)
    seen = np.clip(seen.reshape(coarse, coarse), 0, 1)
    # The grid is symmetric about x = 0, so the maps at the mirrored points are the maps' columns reversed (the
    # same numbers to a millionth of a millionth of a pixel, for half the spline evaluations): see below.

    def up(a: np.ndarray) -> np.ndarray:  # coarse grid -> paint resolution, bilinear
        from PIL import Image

        chans = a[..., None] if a.ndim == 2 else a
        out = np.stack([np.asarray(Image.fromarray(chans[..., i].astype(np.float32)).resize((n, n), Image.Resampling.BILINEAR))
                        for i in range(chans.shape[-1])], -1)
        return out[..., 0] if a.ndim == 2 else out

    h, w = photo.shape[:2]
    uv_f, a = up(uv), up(seen)
    inside = (uv_f[..., 0] >= 0) & (uv_f[..., 0] < w) & (uv_f[..., 1] >= 0) & (uv_f[..., 1] < h)
    a = a * inside
    # The mirrored maps are these columns reversed (the resize of the reversed grid, to float32's rounding).
    b = a[:, ::-1]
    # The visible side wins; where both are seen the photo's own side is kept (the person's asymmetry). The weight
    # is blurred from every fourth texel (all wide_blur reads), so only those are worked out.
    a4, b4 = a[::4, ::4], b[::4, ::4]
    wa = np.clip((a4 - b4) * 3 + 0.5 + 0.5 * (a4 > 0.6), 0, 1) * (a4 > 0.05)
    wa = np.where(b4 < 0.05, (a4 > 0.05).astype(np.float64), wa)
    wa = np.clip(quarter_blur(wa.astype(np.float32), 4 * n / TEX, (n, n)), 0, 1)
    known = np.clip(np.maximum(a, b) * 4, 0, 1)
    # Only the texels that show the face are sampled (at n = 1024 the whole grid would cost a second).
    rim = front[OVAL, :2]
    need = polygon_mask(rim.mean(0) + (rim - rim.mean(0)) * 1.15, n) > 0.5
    rgb = np.zeros((n, n, 3), np.float32)
    # The texels are picked by flat index: one gather each, where boolean masks over (n, n, k) arrays cost more; the
    # samples' products are worked out a channel at a time, and texels set as 12-byte words (rows of three float32).
    px, w_own, at = rgb.reshape(-1, 3), wa.reshape(-1), uv_f.reshape(-1, 2)
    own = np.flatnonzero(need & (wa > 1e-3))
    other = np.flatnonzero(need & (wa < 1 - 1e-3))
    col = other % n
    sampled = _sample(photo, np.concatenate([at[own], at[other + (n - 1 - 2 * col)]]))  # the mirrored texel's map
    part, weight = np.empty((len(own), 3), np.float32), w_own[own]
    for i, plane in enumerate(sampled[:len(own)].T):
        np.multiply(plane, weight, out=part[:, i])  # = the sample * its weight, in float32
    _words(px)[own] = _words(part)
    part, weight = _words(px)[other].view(np.float32).reshape(-1, 3), 1 - w_own[other]
    for i, plane in enumerate(sampled[len(own):].T):
        part[:, i] += plane * weight
    _words(px)[other] = _words(part)
    return rgb, known


def _words(a: np.ndarray) -> np.ndarray:
    """A C-contiguous (N, k) array's rows as N items of one (void) type: numpy copies those by index faster."""
    return a.view(np.dtype((np.void, a.shape[1] * a.itemsize))).reshape(-1)


def _sample(photo: np.ndarray, uv: np.ndarray) -> np.ndarray:
    """The photo at (col, row) points, (N, 3) as a view of channel planes; only the face's region of the photo is
    converted."""
    h, w = photo.shape[:2]
    if not len(uv):
        return np.zeros((0, 3), np.float32)
    c0 = int(np.clip(np.floor(uv[:, 0].min()), 0, w - 2))
    r0 = int(np.clip(np.floor(uv[:, 1].min()), 0, h - 2))
    c1 = int(np.clip(np.ceil(uv[:, 0].max()) + 2, c0 + 2, w))
    r1 = int(np.clip(np.ceil(uv[:, 1].max()) + 2, r0 + 2, h))
    # The photo's own bytes are sampled: the weights are float64, so uint8 texels weigh exactly as float32 ones would.
    return bilinear(photo[r0:r1, c0:c1, :3], uv[:, 0] - c0, uv[:, 1] - r0, planar=True)


def bilinear(img: np.ndarray, cols: np.ndarray, rows: np.ndarray, *, planar: bool = False) -> np.ndarray:
    """Sample an (H, W) or (H, W, C) array at fractional (col, row) positions (arrays of one shape), clamped at the
    edges. `planar`: RGB bytes' samples (N, 3) come as a view of (3, N) channel planes."""
    h, w = img.shape[:2]
    cols, rows = np.asarray(cols), np.asarray(rows)
    shape = cols.shape
    # A block of points at a time: the same sums, on temporaries that stay in the cache.
    at = range(0, cols.size, max(1, cols.size // max(1, cols.size // 32768)))
    cols, rows = cols.ravel(), rows.ravel()
    if img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3:  # RGB bytes as one 4-byte word a texel:
        # numpy gathers those several times faster than 3-byte rows (the same bytes come back)
        words = np.zeros((h, w, 4), np.uint8)
        words[..., :3] = img
        texels = words.view(np.uint32).reshape(-1)
        kind = np.result_type(cols.dtype, np.float64)  # the weights' type, as `_bilinear` makes them
        out = np.empty((3, cols.size), kind).T if planar else np.empty((cols.size, 3), kind)
        for start in at:
            part = np.s_[start:start + at.step]
            _bilinear(texels, w, h, cols[part], rows[part], out[part])
        return out.reshape(*shape, 3)
    texels = np.reshape(img, (h * w, *img.shape[2:]))
    blocks = [_bilinear(texels, w, h, cols[start:start + at.step], rows[start:start + at.step])
              for start in at] or [_bilinear(texels, w, h, cols, rows)]
    return np.concatenate(blocks).reshape(*shape, *img.shape[2:])


def _bilinear(texels: np.ndarray, w: int, h: int, cols: np.ndarray, rows: np.ndarray,
              out: np.ndarray | None = None) -> np.ndarray:
    c = np.clip(cols, 0, w - 1.001)
    r = np.clip(rows, 0, h - 1.001)
    c0, r0 = c.astype(np.int64), r.astype(np.int64)
    fc, fr = c - c0, r - r0
    # The four neighbours in one gather from the flattened image (several times faster than four 2-D indexings).
    at = np.empty((4, len(c0)), np.int64)
    np.multiply(r0, w, out=at[0])
    at[0] += c0
    np.add(at[0], 1, out=at[1])
    np.add(at[0], w, out=at[2])
    np.add(at[0], w + 1, out=at[3])
    near = np.take(texels, at, axis=0)
    if out is not None:  # RGB bytes packed by `bilinear`, into `out` a channel at a time (on planes of
        # adjacent numbers, several times faster than the (N, 3) rows the same sums make)
        planes = near.view(np.uint8).reshape(4, -1, 4)
        gc, gr = 1 - fc, 1 - fr
        for i in range(3):
            n0, n1, n2, n3 = planes[..., i].astype(out.dtype)
            top = n0 * gc
            top += n1 * fc
            bottom = n2 * gc
            bottom += n3 * fc
            top *= gr
            bottom *= fr
            top += bottom
            out[:, i] = top
        return out
    if near.ndim == 3:
        fc, fr = fc[:, None], fr[:, None]
    # (n0 (1 - fc) + n1 fc) (1 - fr) + (n2 (1 - fc) + n3 fc) fr, in place
    gc = 1 - fc
    top = near[0] * gc
    top += near[1] * fc
    bottom = near[2] * gc
    bottom += near[3] * fc
    top *= 1 - fr
    bottom *= fr
    top += bottom
    return top


def wide_blur(a: np.ndarray, sigma: float) -> np.ndarray:
    """A wide Gaussian blur, computed at a quarter of the resolution (its result is smooth anyway)."""
    if a.ndim != 2:  # left at a quarter of the resolution
        return gaussian_filter(a[::4, ::4], (sigma / 4, sigma / 4) + (0,) * (a.ndim - 2))
    return quarter_blur(a[::4, ::4], sigma, a.shape)


def quarter_blur(small: np.ndarray, sigma: float, shape: tuple[int, int]) -> np.ndarray:
    """wide_blur of a 2-D array of `shape` from its every fourth texel alone (`small`, its [::4, ::4]): a
    product to be blurred need only be worked out there."""
    from PIL import Image

    h, w = shape
    out = gaussian_filter(small, (sigma / 4, sigma / 4))
    return np.asarray(Image.fromarray(out.astype(np.float32)).resize((w, h), Image.Resampling.BILINEAR))


def polygon_mask(poly: np.ndarray, n: int, grow: float = 0.0) -> np.ndarray:
    """0/1 raster (n x n paint texels) of a head-space polygon, optionally grown by `grow` units."""
    return _polygons_mask([poly], n, grow)


def _polygons_mask(polys: list[np.ndarray], n: int, grow: float = 0.0) -> np.ndarray:
    """polygon_mask of the union of `polys`, drawn on one raster."""
    from PIL import Image, ImageDraw

    def texel(pt):
        return ((pt[0] + TEX_HALF) / (2 * TEX_HALF) * n, (TEX_Y + TEX_HALF - pt[1]) / (2 * TEX_HALF) * n)

    img = Image.new("L", (n, n), 0)
    d = ImageDraw.Draw(img)
    for poly in polys:
        d.polygon([texel(pt) for pt in poly], fill=255)
    m = np.asarray(img, np.float32) / 255
    if grow:
        from scipy.ndimage import binary_dilation

        r = max(1, int(round(grow / (2 * TEX_HALF) * n)))
        m = binary_dilation(m > 0.5, iterations=r).astype(np.float32)
    return m


def factory_finish(rgb: np.ndarray, face: np.ndarray, features: np.ndarray, forehead: np.ndarray,
                   front: np.ndarray | None = None, hair=None) -> tuple[np.ndarray, tuple]:
    """Photo paint -> factory paint: lighting taken out, skin smoothed by edge-keeping filters, the eyes,
    brows and lips kept crisp (sharpened, never blurred), the eyes painted as a figure's (iris, pupil,
    catch-light), a reduced palette, and stray hair on the forehead painted over (the hair is sculpted)."""
    n = rgb.shape[0]
    k = n / TEX  # filter sizes are in texels of the least paint size
    lum = _channel_mean(rgb)
    weight = face + 1e-4
    # Large-scale shading on the skin (features excluded), divided out: the render's light does the shading.
    skin_w = weight * (1 - features)
    lit = lum * skin_w
    target = float(np.sum(lit) / max(np.sum(skin_w), 1e-4))
    # The gain, the flat colour and the stray hair are worked out on the window that reads them: the face's (with
    # the filters' margin; the skin's texels are in it) and the forehead's.
    in_face, above = face > 0.01, forehead > 0.5
    face_box, top_box = _box(in_face, 8), _box(above, 0)
    r0, r1, c0, c1 = _union(face_box, top_box) or (0, 0, 0, 0)
    part = np.s_[r0:r1, c0:c1]
    blur_l = wide_blur(lit, SHADE_SIGMA * k)[part] / np.maximum(wide_blur(skin_w, SHADE_SIGMA * k)[part], 1e-4)
    gain = np.clip((target / np.maximum(blur_l, 1.0)) ** SHADE_POWER, 0.6, 1.8)
    flat = np.clip(rgb[part] * gain[..., None], 0, 255)
    sel = skin_w[part] > 0.5
    skin = _median(flat, np.flatnonzero(sel)) if sel.any() else np.array([205.0, 160.0, 130.0])
    # Hair the photo shows over the forehead: whatever there is far from the skin's colour becomes skin.
    stray = np.zeros((n, n), bool)
    stray[part] = _distance(flat, skin) > 45
    at = np.flatnonzero(above.ravel())
    if hair is not None and sel.any() and len(at):  # ... or nearer the hair's colour than the skin's (fair hair on
        # fair skin), in the photo's own colours, as the hair's was read (taking out the shading lifts dark hair to a
        # skin's tone); the skin's from every other texel, which is as good and a quarter of the work
        px = rgb.reshape(-1, 3)[at]
        r, c = np.nonzero(skin_w[::2, ::2] > 0.5)
        raw_skin = _median(rgb, 2 * r * n + 2 * c)
        stray.reshape(-1)[at] |= _distance(px, np.asarray(hair) * 255) < _distance(px, raw_skin)
    flat = flat.astype(np.result_type(flat, skin), copy=False)  # painted over in place, in the type skin and flat make
    hide = _grown(stray & above, above, max(1, round(2 * k)))
    flat[hide[part]] = skin
    out = np.empty((n, n, 3), np.float32)
    out.reshape(n, -1)[:] = np.tile(np.asarray(skin, np.float32), n)  # = skin, a row at a time (a 3-long broadcast is slow)
    if face_box is not None:  # only the face's window of the paint is filtered
        win = np.s_[face_box[0]:face_box[1], face_box[2]:face_box[3]]
        f = flat[face_box[0] - r0:face_box[1] - r0, face_box[2] - c0:face_box[3] - c0]
        # Skin: edge-keeping smoothing (a self-guided filter): pores go, creases and the nose's edge stay.
        # Smoothing harder than this costs likeness (measured with bench/sculpt.py: the creases are the person's).
        smooth = guided(f / 255.0, max(3, round(3 * k)), 0.0015) * 255
        # One skin colour, as a painted figure has: blotches and flushes of colour are evened out, while the
        # light and dark that shape the face stay.
        lum_s = np.maximum(_channel_mean(smooth)[..., None], 1.0)
        chroma = smooth / lum_s
        even = np.stack([wide_blur(chroma[..., i], 8 * k) for i in range(3)], -1)
        smooth = lum_s * (chroma * (1 - SKIN_EVEN) + even * SKIN_EVEN)
        # The features' weight, blurred on the window its blur reaches (0 beyond it: there the skin is kept whole).
        feat = np.zeros((*smooth.shape[:2], 1), np.float32)
        feat_win = blur_window(features[win], 1.2 * k)
        if feat_win is not None:
            feat[feat_win] = gaussian_filter(features[win][feat_win], 1.2 * k)[..., None]
            smooth[feat_win] *= 1 - feat[feat_win]
        out[win] = smooth
        _add_features(out[win], f, feat, skin, k)  # the eyes, brows and lips: crisp, over the skin
    if hide.any():  # ... in the finished tone of the skin round it: no seam shows where the hair was
        _fill(out, hide, (face > 0.99) & ~hide & ~stray & (features < 0.5), 12 * k)
    if front is not None:
        paint_eyes(out, front, skin)
    out /= 6  # factory paint has few tones (in place: round(out / 6) * 6's numbers)
    np.round(out, out=out)
    out *= 6
    return np.clip(out, 0, 255, out=out), tuple(float(c) / 255 for c in skin)


def _box(mask: np.ndarray, margin: int) -> tuple[int, int, int, int] | None:
    """The rows r0:r1 and columns c0:c1 of `mask`'s True texels, grown by `margin` within the array; None if none."""
    rows, cols = np.flatnonzero(mask.any(1)), np.flatnonzero(mask.any(0))
    if not len(rows):
        return None
    h, w = mask.shape
    return (max(rows[0] - margin, 0), min(rows[-1] + margin + 1, h), max(cols[0] - margin, 0),
            min(cols[-1] + margin + 1, w))


def _union(a: tuple | None, b: tuple | None) -> tuple[int, int, int, int] | None:
    """The least box holding boxes `a` and `b` (either may be None)."""
    if a is None or b is None:
        return a or b
    return min(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3])


def blur_window(a: np.ndarray, sigma: float) -> tuple[slice, slice] | None:
    """The window of `a` (2-D) outside which its Gaussian blur (scipy's, truncated at 4 sigma) is exactly 0: its
    nonzero texels' box grown by the kernel's reach. Blurred alone, the window gives the same numbers as the
    whole array does (what it reflects at an inner edge is zeros). None where `a` is all 0."""
    box = _box(a != 0, int(4.0 * sigma + 0.5))
    return None if box is None else np.s_[box[0]:box[1], box[2]:box[3]]


def _median(a: np.ndarray, at: np.ndarray) -> np.ndarray:
    """np.median(a.reshape(-1, 3)[at], axis=0) of an (H, W, 3) array at flat texel indices `at`: the same numbers, a
    channel at a time (faster than a median along an axis three long)."""
    at = at * 3
    flat = a.reshape(-1)
    return np.array([np.median(np.take(flat, at + i)) for i in range(3)], a.dtype)


def _fill(out: np.ndarray, hole: np.ndarray, source: np.ndarray, sigma: float) -> None:
    """Paint `hole` in place with the broad colour of the `source` texels round it (a normalised blur), its edge
    feathered; where no source is near, the hole keeps its paint."""
    box = _box(hole, int(3 * sigma) + 4)  # the blur's reach: the hole's window and this margin are worked on
    if box is None:
        return
    win = np.s_[box[0]:box[1], box[2]:box[3]]
    hole, source, part = hole[win], source[win], out[win]
    norm = wide_blur(source.astype(np.float32), sigma)
    near_any = np.clip(norm * 20, 0, 1)
    w = np.maximum(np.clip(wide_blur(hole.astype(np.float32), sigma / 6), 0, 1), hole) * near_any
    quarter, source4 = part[::4, ::4], source[::4, ::4]  # what wide_blur reads of the weighted paint
    for i in range(3):
        near = quarter_blur(quarter[..., i] * source4, sigma, source.shape) / np.maximum(norm, 1e-3)
        part[..., i] += (near - part[..., i]) * w


def _grown(m: np.ndarray, within: np.ndarray, r: int) -> np.ndarray:
    """`m` grown by `r` texels, kept `within` (worked out on `within`'s window only): the soft edge of a strand of
    hair, half hair and half skin, is painted over with the strand."""
    from scipy.ndimage import binary_dilation

    out = np.zeros_like(m)
    box = _box(within, 0)
    if box is not None and m.any():
        win = np.s_[box[0]:box[1], box[2]:box[3]]
        out[win] = binary_dilation(m[win], iterations=r) & within[win]
    return out


def _add_features(out: np.ndarray, f: np.ndarray, feat: np.ndarray, skin: np.ndarray, k: float) -> None:
    """Add the eyes', brows' and lips' paint, weighted by `feat` (H, W, 1), to `out` in place: the photo's own texels
    `f` with their edges made harder (an unsharp mask one texel wide), as a pad print: crisp, never softened with
    the skin. Worked out only where they show (feat > 0: each separate box of them, such as the eyes and brows
    apart from the lips, on its own) and a margin that holds both filters' reach, so the texels there come out as
    filtering the whole window gives them."""
    radius = max(1, round(1.5 * k))
    reach = int(4.0 * 1.2 * k + 0.5) + 2 * radius + 1  # the Gaussian's truncated kernel, the guided filter's two boxes
    h, w = feat.shape[:2]
    for r0, r1, c0, c1 in _boxes(feat[..., 0] > 0):
        top, left = max(r0 - reach, 0), max(c0 - reach, 0)
        part = f[top:min(r1 + reach, h), left:min(c1 + reach, w)]
        g = guided(part / 255.0, radius, FEATURE_FLAT) * 255  # the grain flattened, edges kept
        detail = g + SHARPEN * (g - gaussian_filter(g, (1.2 * k, 1.2 * k, 0)))
        detail = skin + (detail - skin) * 1.1
        out[r0:r1, c0:c1] += detail[r0 - top:r1 - top, c0 - left:c1 - left] * feat[r0:r1, c0:c1]


def _boxes(mask: np.ndarray, r0: int = 0, c0: int = 0) -> list[tuple[int, int, int, int]]:
    """Boxes (rows r0:r1, columns c0:c1) that hold `mask`'s True texels, none overlapping: its box, cut again and
    again along the rows or columns that hold none."""
    def runs(any_) -> list[tuple[int, int]]:
        at = np.flatnonzero(any_)
        cut = np.flatnonzero(np.diff(at) > 1)
        return list(zip(at[np.r_[0, cut + 1]], at[np.r_[cut, -1]] + 1)) if len(at) else []

    rows, cols = runs(mask.any(1)), runs(mask.any(0))
    if len(rows) > 1:
        return [b for a, e in rows for b in _boxes(mask[a:e], r0 + a, c0)]
    if len(cols) > 1:
        return [b for a, e in cols for b in _boxes(mask[:, a:e], r0, c0 + a)]
    return [(r0 + rows[0][0], r0 + rows[0][1], c0 + cols[0][0], c0 + cols[0][1])] if rows else []


def _channel_mean(a: np.ndarray) -> np.ndarray:
    """The mean over the last axis of an (..., 3) array: the same numbers as a.mean(-1), summed in its order, several
    times faster than a reduction along an axis three long."""
    return (a[..., 0] + a[..., 1] + a[..., 2]) / 3


def _distance(a: np.ndarray, to: np.ndarray) -> np.ndarray:
    """The distance of each (..., 3) colour in `a` to the colour `to`: np.linalg.norm(a - to, axis=-1)'s numbers,
    a channel at a time (no (..., 3) temporaries, no slow reduction along an axis three long)."""
    d0, d1, d2 = (a[..., i] - to[i] for i in range(3))
    return np.sqrt(d0 * d0 + d1 * d1 + d2 * d2)


def _texel(pt: np.ndarray, n: int) -> tuple[float, float]:
    """Head-space (x, y) -> paint (col, row)."""
    return (pt[0] + TEX_HALF) / (2 * TEX_HALF) * n, (TEX_Y + TEX_HALF - pt[1]) / (2 * TEX_HALF) * n


def paint_eyes(tex: np.ndarray, front: np.ndarray, skin) -> None:
    """Paint each eye as a figure's is painted, in place: the person's iris colour in a hard-edged disc with a
    darker rim, a black pupil, a white catch-light toward the key light, a clean white and a lash line."""
    from PIL import Image, ImageDraw

    n = tex.shape[0]
    for idx in (EYES[:16], EYES[16:]):
        pts = np.array([_texel(pt, n) for pt in front[idx, :2]])
        c0, r0 = np.floor(pts.min(0)).astype(int) - 3
        c1, r1 = np.ceil(pts.max(0)).astype(int) + 4
        c0, r0, c1, r1 = max(c0, 0), max(r0, 0), min(c1, n), min(r1, n)
        if c1 - c0 < 6 or r1 - r0 < 3:
            continue
        m = Image.new("L", (c1 - c0, r1 - r0), 0)
        ImageDraw.Draw(m).polygon([(x - c0, y - r0) for x, y in pts], fill=255)
        inside = np.asarray(m) > 127
        if inside.sum() < 12:
            continue
        win = tex[r0:r1, c0:c1]
        lum = win.mean(-1)
        dark = inside & (lum <= np.percentile(lum[inside], 30))
        rr, cc = np.nonzero(dark)
        cy, cx = rr.mean(), cc.mean()
        width = np.ptp(pts[:, 0])
        radius = 0.22 * width
        yy, xx = np.mgrid[0:r1 - r0, 0:c1 - c0]
        d = np.hypot(yy - cy, xx - cx)
        iris = inside & (d <= radius)
        ring = iris & (d > 0.45 * radius)
        if not ring.any():
            continue
        colour = np.median(win[ring], axis=0)  # the person's iris colour
        white = inside & ~iris
        if white.any():  # the white of the eye: cleaner and lighter than a photo's, still the photo's hue
            bright = win[white][win[white].mean(-1) >= np.percentile(win[white].mean(-1), 60)]
            sclera = np.clip(np.median(bright, axis=0) * 1.12 + 12, 0, 235)
            win[white] = win[white] * 0.5 + sclera * 0.5
        # Flat iris colour with a darker rim, mixed with the photo's iris so its pattern still reads.
        flat_iris = colour * np.where(d[iris] > 0.8 * radius, 0.6, 1.0)[:, None]
        win[iris] = win[iris] * 0.35 + flat_iris * 0.65
        win[inside & (d <= 0.38 * radius)] = (20.0, 18.0, 18.0)
        # The lash line: the upper lid as a hard dark stroke.
        lid = Image.new("L", (c1 - c0, r1 - r0), 0)
        upper = [*range(8, 16), 0]  # the contour from the inner corner over the top to the outer one
        ImageDraw.Draw(lid).line([(pts[i, 0] - c0, pts[i, 1] - r0) for i in upper], fill=255,
                                 width=max(1, round(width * 0.06)))
        line = np.asarray(lid) > 127
        win[line] = win[line] * 0.25 + np.asarray(skin) * 0.05
        # The catch-light toward the key light (top left), moved into the open eye where the lids cover that spot.
        gy, gx = cy - 0.36 * radius, cx - 0.3 * radius
        ir, ic = np.nonzero(iris)
        if len(ir):
            j = np.argmin(np.hypot(ir - gy, ic - gx))
            gy, gx = ir[j], ic[j]
        glint = np.hypot(yy - gy, xx - gx) <= max(1.0, 0.18 * radius)
        win[glint & inside] = (248.0, 248.0, 244.0)


def features_mask(front: np.ndarray, n: int) -> np.ndarray:
    """Where the eyes, brows and lips are on the paint (kept crisp, never flattened)."""
    hulls = []
    for idx in (EYES[:16], EYES[16:], LIPS, BROWS[:10], BROWS[10:]):
        pts = front[idx, :2]
        c = pts.mean(0)
        hull = convex_hull(c + (pts - c) * 1.25)
        if len(hull) >= 3:  # degenerate points: skip this feature
            hulls.append(hull)
    return _polygons_mask(hulls, n)


def convex_hull(pts: np.ndarray) -> np.ndarray:
    """The corners of the convex hull of 2-D points, counter-clockwise (Andrew's monotone chain)."""
    pts = np.asarray(pts, np.float64)
    order = np.lexsort((pts[:, 1], pts[:, 0]))

    def half(indices) -> list[int]:
        chain: list[int] = []
        for i in indices:
            while len(chain) >= 2:
                o, a = pts[chain[-2]], pts[chain[-1]]
                if (a[0] - o[0]) * (pts[i][1] - o[1]) - (a[1] - o[1]) * (pts[i][0] - o[0]) > 0:
                    break
                chain.pop()
            chain.append(i)
        return chain

    lower, upper = half(order), half(order[::-1])
    return pts[lower[:-1] + upper[:-1]]



def _disc_box(centre: np.ndarray, radius: float, n: int) -> tuple[int, int, int, int]:
    """The rows y0:y1 and columns x0:x1 of the n x n paint that `disc_mean` averages for a head-space disc."""
    col = (centre[0] + TEX_HALF) / (2 * TEX_HALF) * n
    row = (TEX_Y + TEX_HALF - centre[1]) / (2 * TEX_HALF) * n
    r = max(2, int(radius / (2 * TEX_HALF) * n))
    return int(max(0, row - r)), int(min(n, row + r + 1)), int(max(0, col - r)), int(min(n, col + r + 1))


def disc_mean(tex: np.ndarray, centre: np.ndarray, radius: float) -> np.ndarray:
    """Mean paint in a head-space disc."""
    y0, y1, x0, x1 = _disc_box(centre, radius, tex.shape[0])
    patch = tex[y0:y1, x0:x1].reshape(-1, tex.shape[-1]) if tex.ndim == 3 else tex[y0:y1, x0:x1].ravel()
    return patch.mean(0) if patch.size else np.zeros(tex.shape[-1] if tex.ndim == 3 else 1)


CHEEKS = [50, 280, 117, 346]
RIM_SHARE = 0.93  # the face's skin out to this share of its outline gives the tone the skull, ears and neck take
RIM_CORE = 0.72  # inside this share of the outline the paint keeps the photo's broad colour; beyond it, the skin's
BEARD = [152, 175, 199, 148, 377, 172, 397, 136, 365]
MOUSTACHE = [164, 167, 393, 165, 391]


def _scaled_oval(front: np.ndarray, share: float) -> np.ndarray:
    """The face's outline shrunk toward its middle to `share` of its size (head-space x, y)."""
    rim = front[OVAL, :2]
    mid = rim.mean(0)
    return mid + (rim - mid) * share


def rim_tone(tex: np.ndarray, front: np.ndarray, features: np.ndarray, skin) -> tuple[float, float, float]:
    """The finished paint's skin tone (sRGB 0-1) across the face between the eyes' and the mouth's height, out to
    its outer band (RIM_SHARE): the skin colour of everything beyond the face (the skull, the ears, the neck), which
    `even_rim` draws the face's rim to, so the paint runs into it with no step. (The outer band alone holds the
    photo's shade at the face's sides: a skull in that tone is darker than the face it rings.) The median; kept
    near the skin's median (`skin`), should the face be shadowed or covered."""
    n = tex.shape[0]
    ys = tex_grid(n)[1][:, :1]
    band = (polygon_mask(_scaled_oval(front, RIM_SHARE), n) > 0.5) & (features < 0.5)
    band &= (ys < front[EYES, 1].mean()) & (ys > front[LIPS, 1].mean())
    base = np.asarray(skin, np.float64)
    if band.sum() < 20:
        r, g, b = (float(c) for c in base)
        return r, g, b
    tone = _median(tex, np.flatnonzero(band)) / 255
    r, g, b = (float(c) for c in np.clip(tone, base - 0.015, base + 0.015))
    return r, g, b


def even_rim(tex: np.ndarray, front: np.ndarray, face: np.ndarray, features: np.ndarray, skin,
             window: tuple[slice, slice] | None = None) -> np.ndarray:
    """The paint with its broad colour drawn to `skin` (sRGB 0-1) from RIM_CORE of the face's outline outward,
    its fine detail (creases, brows, the jaw's edge) kept: the face runs into the skull's plain skin with no step
    of tone, and the photo's shadow along the jaw and hair at the temples do not ring the face. `window`: only that
    window of it is wanted (and returned)."""
    n = tex.shape[0]
    k = n / TEX
    want = (0, n, 0, n) if window is None else tuple(v for s in window for v in s.indices(n)[:2])
    out = tex[want[0]:want[1], want[2]:want[3]].copy()
    # Worked out over the face's window (beyond it the paint is faded to the skin tone anyway).
    box = _box(face > 0.01, int(24 * k) + 4)
    if box is None:
        return out
    win = np.s_[box[0]:box[1], box[2]:box[3]]
    w = (face * (1 - features))[win]
    norm = np.maximum(wide_blur(w, 8 * k), 1e-3)
    part = tex[win]
    w4, quarter = w[::4, ::4], part[::4, ::4]  # what wide_blur reads of the weighted paint
    lows = [quarter_blur(quarter[..., i] * w4, 8 * k, w.shape) for i in range(3)]
    reach = 1 - np.clip(wide_blur(polygon_mask(_scaled_oval(front, RIM_CORE), n)[win], 4 * k), 0, 1)
    # ... and set where it is wanted.
    r0, r1, c0, c1 = max(box[0], want[0]), min(box[1], want[1]), max(box[2], want[2]), min(box[3], want[3])
    if r0 >= r1 or c0 >= c1:
        return out
    at = np.s_[r0 - box[0]:r1 - box[0], c0 - box[2]:c1 - box[2]]
    low = np.stack([low[at] / norm[at] for low in lows], -1)
    out[r0 - want[0]:r1 - want[0], c0 - want[2]:c1 - want[2]] = (
        part[at] + (np.asarray(skin, np.float32) * 255 - low) * reach[at][..., None])
    return out


def beard_scores(tex: np.ndarray, front: np.ndarray, face: np.ndarray, skin) -> tuple[float, float]:
    """How sure (0-1) a beard and a moustache are: hair-dark paint on the chin or the upper lip, against the cheeks."""
    def lum(centre: np.ndarray, radius: float) -> np.ndarray:
        """disc_mean of the paint's luminance, the luminance worked out on the disc's texels alone."""
        y0, y1, x0, x1 = _disc_box(centre, radius, tex.shape[0])
        patch = _channel_mean(tex[y0:y1, x0:x1]).ravel()
        return patch.mean(0) if patch.size else np.zeros(1)

    cheek = np.median([lum(front[i], 0.03) for i in CHEEKS])
    if cheek <= 1:
        return 0.0, 0.0
    chin = np.median([lum(front[i] + np.array([0, 0.03, 0]), 0.03) for i in BEARD])
    lip = np.median([lum(front[i], 0.015) for i in MOUSTACHE])
    beard = float(np.clip((0.72 - chin / cheek) / 0.15 + 0.5, 0, 1))
    moustache = float(np.clip((0.68 - lip / cheek) / 0.15 + 0.5, 0, 1))
    return beard, moustache


def glasses_score(raw: np.ndarray, front: np.ndarray) -> float:
    """How sure (0-1) the person wears glasses: a frame's hard edges across the nose bridge and under the brows."""
    n = raw.shape[0]

    def edges(centre: np.ndarray, radius: float) -> np.ndarray:
        """The mean edge strength in a disc (as disc_mean of the gradient's length on the lightly blurred
        luminance), worked out on the disc's patch and a margin that holds the blur's and the gradient's reach
        (4 + 1 texels), not over the whole paint: the same numbers, for a few patches' work."""
        y0, y1, x0, x1 = _disc_box(centre, radius, n)
        if y1 <= y0 or x1 <= x0:  # a disc off the paint: as disc_mean takes it
            lum = _channel_mean(raw)
            gy, gx = np.gradient(gaussian_filter(lum, 1.0))
            return disc_mean(np.hypot(gx, gy), centre, radius)
        top, left = max(0, y0 - 6), max(0, x0 - 6)
        lum = _channel_mean(raw[top:min(n, y1 + 6), left:min(n, x1 + 6)])
        gy, gx = np.gradient(gaussian_filter(lum, 1.0))
        return np.hypot(gx, gy)[y0 - top:y1 - top, x0 - left:x1 - left].ravel().mean(0)

    bridge = edges(front[168] * 0.5 + front[6] * 0.5, 0.025)
    # Against skin a frame never covers: the lower cheeks and the chin.
    plain = np.median([edges(front[i], 0.03) for i in (205, 425, 199)])
    rims = np.median([edges(front[i], 0.02) for i in (117, 346, 111, 340)])
    score = max(bridge, rims) / max(plain, 1.0)
    return float(np.clip((score - 3.0) / 2.0 + 0.5, 0, 1))

