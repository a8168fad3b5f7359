"""Person mask: MediaPipe selfie segmentation, refined to the photo's edges by a guided filter.

The model sees the photo squeezed to 256x256 (a wide photo in overlapping squares, and each small
face in a head-and-shoulders square of its own), so its mask is coarse. A colour guided filter
(He, Sun and Tang) run at a working resolution fits, in every small window, the mask as a linear
function of the photo's colours; those coefficients are then smoothed, upsampled and applied to
the full-resolution photo ("fast guided filter"), so the edge follows hair and collars at the
photo's own resolution. A final contrast curve trims the soft fringe that would otherwise leave
a halo of background around the cut-out.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided
from PIL import Image

from minime.imaging import box_mean
from minime.look import _tflite

SEGMENTATION = "selfie_segmentation.tflite"
MODEL_SIZE = 256

# Guided filter, at a working resolution whose longest side is WORK_SIZE.
WORK_SIZE = 448
RADIUS = 6  # working pixels
EPS = 2e-3  # regularisation (colours in [0, 1]); smaller follows colour edges more closely
# Contrast curve applied after filtering: values below LOW become 0, above HIGH become 1.
LOW, HIGH = 0.2, 0.8
# The same curve on the model's probability before filtering: regions it is unsure about (a flag,
# a curtain) are settled one way or the other instead of becoming grey blotches.
PRE_LOW, PRE_HIGH = 0.3, 0.7
# Next to a face, a pixel the model gives at least this probability is raised towards 1 (ears).
HEAD_TRUST = 0.3
# A photo up to this many times wider than tall is squeezed into the model's square, as MediaPipe
# does; a wider one is covered by overlapping square windows.
MAX_STRETCH = 1.8
# A face narrower than this fraction of the photo's short side also gets a window of its own,
# HEAD_WINDOW face widths on a side.
SMALL_FACE = 0.2
HEAD_WINDOW = 6.0
# The full-size mask is settled in squares of BLOCK pixels: a square the coefficients hold below 0
# or above 1 for every colour in it is filled, and only the rest (the edge) is computed.
BLOCK = 8
# A bound this far past 0 or 1 settles a square; float32 rounding of a . I + b is far smaller.
SETTLED = 1e-3


def _model_mask(photo: Image.Image, box: tuple[int, int, int, int]) -> np.ndarray:
    """The model's 256x256 person probability for one region of the photo, squeezed to a square."""
    x = np.asarray(photo.resize((MODEL_SIZE, MODEL_SIZE), Image.Resampling.BILINEAR, box=box, reducing_gap=2.0), np.float32)
    outputs = _tflite.run(SEGMENTATION, x[None] * (1.0 / 255.0))
    return np.clip(outputs[0].reshape(MODEL_SIZE, MODEL_SIZE), 0.0, 1.0)


def _scene_windows(w: int, h: int) -> list[tuple[int, int, int, int]]:
    """Regions that together cover the photo: the whole photo, or overlapping squares if it is wide.

    A tall photo is always squeezed whole: the model needs a person's head to see their legs.
    """
    if w <= MAX_STRETCH * h:
        return [(0, 0, w, h)]
    n = int(np.ceil((w - h) / (0.6 * h))) + 1
    return [(x, 0, x + h, h) for x in (round(i * (w - h) / (n - 1)) for i in range(n))]


def _head_windows(w: int, h: int, heads) -> list[tuple[int, int, int, int]]:
    """A head-and-shoulders square around each face that is small in the photo, and around every
    face of a group (the model is made for one person filling the frame)."""
    out = []
    short = min(w, h)
    for x0, y0, x1, y1 in heads:
        face = max(x1 - x0, y1 - y0)
        if face > SMALL_FACE * short and len(heads) == 1:
            continue
        side = min(short, max(16, round(HEAD_WINDOW * face)))
        left = int(np.clip((x0 + x1) / 2 - side / 2, 0, w - side))
        top = int(np.clip((y0 + y1) / 2 - 0.3 * side, 0, h - side))
        out.append((left, top, left + side, top + side))
    return out


def _edge_ramp(n: int, at_start: bool, at_end: bool) -> np.ndarray:
    """1 inside, falling to 0 over the outer fifth at each end that is not the photo's own edge."""
    ramp = np.ones(n, np.float32)
    k = max(1, n // 5)
    fall = np.linspace(0.0, 1.0, k, endpoint=False, dtype=np.float32)
    if not at_start:
        ramp[:k] = np.minimum(ramp[:k], fall)
    if not at_end:
        ramp[n - k :] = np.minimum(ramp[n - k :], fall[::-1])
    return ramp


def _coarse_mask(photo: Image.Image, small: Image.Image, heads) -> np.ndarray:
    """Person probability at the working size of `small`, from the scene and head windows."""
    w, h = photo.size
    ww, wh = small.size
    sx, sy = ww / w, wh / h

    def place(box):
        x0, y0, x1, y1 = box
        X0, Y0 = round(x0 * sx), round(y0 * sy)
        X1, Y1 = max(X0 + 1, round(x1 * sx)), max(Y0 + 1, round(y1 * sy))
        # The working copy is cheaper to sample than the full photo when it has enough pixels.
        if min(X1 - X0, Y1 - Y0) >= MODEL_SIZE:
            prob = _model_mask(small, (X0, Y0, X1, Y1))
        else:
            prob = _model_mask(photo, box)
        prob = Image.fromarray(prob, "F").resize((X1 - X0, Y1 - Y0), Image.Resampling.BILINEAR)
        return (slice(Y0, Y1), slice(X0, X1)), np.array(prob)

    windows = _scene_windows(w, h)
    if len(windows) == 1:
        _, mask = place(windows[0])
    else:
        total = np.zeros((wh, ww), np.float32)
        weight = np.full((wh, ww), 1e-6, np.float32)
        for box in windows:
            where, prob = place(box)
            # A tent across the width, so each pixel leans on the window it is most central in.
            tent = np.maximum(0.05, 1 - np.abs(np.linspace(-1, 1, prob.shape[1], dtype=np.float32)))
            total[where] += prob * tent[None, :]
            weight[where] += tent[None, :]
        mask = total / weight
    # Inside a head window its own view wins (a small person is seen far more sharply there),
    # faded in from the window's edges; overlapping head windows are averaged.
    head_total = np.zeros((wh, ww), np.float32)
    head_weight = np.zeros((wh, ww), np.float32)
    for box in _head_windows(w, h, heads or []):
        where, prob = place(box)
        ramp_y = _edge_ramp(prob.shape[0], box[1] == 0, box[3] == h)
        ramp_x = _edge_ramp(prob.shape[1], box[0] == 0, box[2] == w)
        fade = ramp_y[:, None] * ramp_x[None, :]
        head_total[where] += prob * fade
        head_weight[where] += fade
    if head_weight.any():
        cover = np.minimum(head_weight, 1.0)
        mask = mask * (1.0 - cover) + (head_total / np.maximum(head_weight, 1e-6)) * cover
    return mask


_PAIRS = [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2)]  # the colour covariance's distinct entries


def _guided_coefficients(guide: np.ndarray, p: np.ndarray, r: int, eps: float) -> np.ndarray:
    """Colour guided filter: per-pixel a (3, h, w) and b (h, w), box-averaged, so q = a . guide + b.

    Args:
        guide: (3, h, w) float32 colours in [0, 1].
        p: (h, w) float32 input to filter.
        r: window radius in pixels.
        eps: regularisation; larger smooths more.

    Returns:
        (4, h, w) float32: a's three planes, then b.
    """
    # Centring the guide keeps the float32 variances accurate; b is shifted back at the end.
    centre = guide.mean(axis=(1, 2), keepdims=True)
    stacked = np.empty((13,) + p.shape, np.float32)  # g, p, g * p, and g_i * g_j for each pair
    g = np.subtract(guide, centre, out=stacked[0:3])
    stacked[3] = p
    np.multiply(g, p, out=stacked[4:7])
    for k, (i, j) in enumerate(_PAIRS):
        np.multiply(g[i], g[j], out=stacked[7 + k])
    means = box_mean(stacked, r)
    mean_i, mean_p, mean_ip, var = means[0:3], means[3], means[4:7], means[7:13]
    # What follows is written into buffers already at hand: stacked's planes (unless box_mean, on
    # an image too small to average, handed them back as the means) and the variances' own.
    scratch = stacked if means is not stacked else np.empty_like(stacked)
    tmp = np.empty_like(mean_p)
    cov_ip = np.multiply(mean_i, mean_p, out=scratch[4:7])
    np.subtract(mean_ip, cov_ip, out=cov_ip)
    for k, (i, j) in enumerate(_PAIRS):  # second moments less the product of the means
        np.multiply(mean_i[i], mean_i[j], out=tmp)
        var[k] -= tmp
    # Solve (Sigma + eps I) a = cov for every pixel with the closed-form symmetric 3x3 inverse.
    var[0] += eps
    var[3] += eps
    var[5] += eps
    rr, rg, rb, gg, gb, bb = var
    inv = scratch[7:13]
    for out, (x, y, u, v) in zip(inv, [(gg, bb, gb, gb), (gb, rb, rg, bb), (rg, gb, gg, rb),
                                       (rr, bb, rb, rb), (rb, rg, rr, gb), (rr, gg, rg, rg)]):
        np.multiply(x, y, out=out)  # x * y - u * v
        np.multiply(u, v, out=tmp)
        out -= tmp
    inv_rr, inv_rg, inv_rb, inv_gg, inv_gb, inv_bb = inv
    det = np.multiply(rr, inv_rr, out=scratch[3])
    det += np.multiply(rg, inv_rg, out=tmp)
    det += np.multiply(rb, inv_rb, out=tmp)
    coef = np.empty((4,) + p.shape, np.float32)
    for out, (x, y, z) in zip(coef, [(inv_rr, inv_rg, inv_rb), (inv_rg, inv_gg, inv_gb), (inv_rb, inv_gb, inv_bb)]):
        np.multiply(x, cov_ip[0], out=out)
        out += np.multiply(y, cov_ip[1], out=tmp)
        out += np.multiply(z, cov_ip[2], out=tmp)
    a = np.divide(coef[:3], det, out=coef[:3])
    np.subtract(mean_p, (a * mean_i).sum(axis=0), out=coef[3])
    coef = box_mean(coef, r)
    # q = a . (I - centre) + b = a . I + (b - a . centre)
    coef[3] -= (coef[:3] * centre).sum(axis=0)
    return coef


def _boost_heads(p: np.ndarray, heads, scale: float) -> np.ndarray:
    """Resolve the model's doubt at the sides of each face: it often half-drops the ears.

    Only pixels the model already gives some weight are raised, so plain background next to a
    head stays background.
    """
    h, w = p.shape
    ys = np.arange(h, dtype=np.float32)[:, None]
    xs = np.arange(w, dtype=np.float32)[None, :]
    prior = np.zeros_like(p)
    for x0, y0, x1, y1 in heads:
        bw, bh = (x1 - x0) * scale, (y1 - y0) * scale
        # An ellipse over the ears: as wide as the head, from the eyes to below the nose.
        cx, cy = (x0 + x1) / 2 * scale, (y0 + y1) / 2 * scale
        d = ((xs - cx) / (0.75 * bw)) ** 2 + ((ys - cy) / (0.45 * bh)) ** 2
        prior = np.maximum(prior, np.clip(1.5 - d, 0.0, 1.0))
    trust = np.clip(p * (1.0 / HEAD_TRUST), 0.0, 1.0)
    return p + (1.0 - p) * prior * trust


def person_mask(rgb: np.ndarray, *, heads=None) -> np.ndarray:
    """Where the person is in a photo, with soft edges that follow hair and clothes.

    Args:
        rgb: the photo, uint8 array of shape (H, W, 3).
        heads: optional face boxes (x0, y0, x1, y1) in photo pixels; ears and hair next to them
            are kept where the model is unsure.

    Returns:
        float32 array of shape (H, W), 1 on the person, 0 on the background, in between at edges.
    """
    rgb = np.asarray(rgb)
    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"person_mask needs a uint8 HxWx3 RGB array, got {rgb.dtype} {rgb.shape}")
    return mask_of(rgb, Image.fromarray(rgb), heads=heads)


def mask_of(rgb: np.ndarray, photo: Image.Image, *, heads=None) -> np.ndarray:
    """`person_mask` for a caller that holds the photo both as the array `rgb` and as the RGB PIL
    image `photo` of the same pixels."""
    h, w = rgb.shape[:2]
    scale = min(1.0, WORK_SIZE / max(h, w))
    ww, wh = max(1, round(w * scale)), max(1, round(h * scale))
    small = photo.resize((ww, wh), Image.Resampling.BILINEAR, reducing_gap=2.0) if scale < 1 else photo
    guide = np.asarray(small, np.float32).transpose(2, 0, 1) * (1.0 / 255.0)
    p = _coarse_mask(photo, small, heads)
    if heads:
        p = _boost_heads(p, heads, scale)
    p = np.clip((p - PRE_LOW) / (PRE_HIGH - PRE_LOW), 0.0, 1.0)

    radius = max(1, round(RADIUS * max(ww, wh) / WORK_SIZE))
    coef = _guided_coefficients(guide, p, radius, EPS)
    # Fold the 0..255 scale of the full-size photo and the final contrast curve into a and b, so
    # the full-resolution work is one multiply-add per channel.
    gain = 1.0 / (HIGH - LOW)
    a, b = coef[:3], coef[3]
    a *= gain / 255.0
    b -= LOW
    b *= gain

    if (ww, wh) != (w, h) and min(h, w) >= BLOCK:
        return _full_size(coef, rgb)
    planes: np.ndarray | list[np.ndarray] = a  # a's three channels, at full size
    if (ww, wh) != (w, h):
        planes = [np.asarray(Image.fromarray(ch, "F").resize((w, h), Image.Resampling.BILINEAR)) for ch in a]
        b = np.asarray(Image.fromarray(b, "F").resize((w, h), Image.Resampling.BILINEAR))
    q = np.array(b, dtype=np.float32)
    tmp = np.empty_like(q)
    for c in range(3):
        np.multiply(planes[c], rgb[:, :, c], out=tmp)
        q += tmp
    np.clip(q, 0.0, 1.0, out=q)
    return q


def _upscale_taps(n_in: int, n_out: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """PIL's BILINEAR enlargement along one axis, as Resample.c's precompute_coeffs: output i is
    float32(v[i0] * w0 + v[i1] * w1), in double. Only two taps ever have weight; w1 is 0 where one does.
    """
    centre = (np.arange(n_out, dtype=np.float64) + 0.5) * (n_in / n_out)
    first = np.maximum((centre - 1.0 + 0.5).astype(np.intp), 0)
    count = np.minimum((centre + 1.0 + 0.5).astype(np.intp), n_in) - first
    weights = np.zeros((3, n_out))
    for t in range(3):
        d = np.abs((first + t) - centre + 0.5)
        weights[t] = np.where((t < count) & (d < 1.0), 1.0 - d, 0.0)
    weights /= weights[0] + weights[1] + weights[2]
    lead = np.argmax(weights > 0.0, axis=0)
    i = np.arange(n_out)
    i0 = first + lead
    w1 = np.where(lead < 2, weights[np.minimum(lead + 1, 2), i], 0.0)
    return i0, weights[lead, i], np.minimum(i0 + 1, n_in - 1), w1


def _squares(x: np.ndarray, side: int) -> np.ndarray:
    """View of every side x side square of an (h, w, ...) array, indexed by its top-left pixel."""
    h, w = x.shape[:2]
    return as_strided(x, (h - side + 1, w - side + 1, side, side) + x.shape[2:], x.strides[:2] * 2 + x.strides[2:])


def _full_size(coef: np.ndarray, rgb: np.ndarray) -> np.ndarray:
    """clip(a . rgb + b, 0, 1), with coef = (a0, a1, a2, b) at working size upsampled to the photo's
    size exactly as PIL's BILINEAR resize would.

    Each upsampled value is a convex combination of the coarse samples around it, so those samples
    bound a . I + b over a square for any colour in it: a square held below 0 or above 1 is filled,
    and the squares left (the person's edge) are upsampled and computed, bit for bit as the resize.
    """
    h, w = rgb.shape[:2]
    a, b = coef[:3], coef[3]
    wh, ww = b.shape
    n = BLOCK
    xi0, xw0, xi1, xw1 = _upscale_taps(ww, w)
    yi0, yw0, yi1, yw1 = _upscale_taps(wh, h)
    # Squares on a grid of n; the last row and column are moved in to end at the photo's edge.
    ny, nx = -(-h // n), -(-w // n)
    top = np.minimum(np.arange(ny) * n, h - n)
    left = np.minimum(np.arange(nx) * n, w - n)
    # The coarse rows and columns each square reads (a window of KR x KC, repeated at its end).
    r0, r1 = yi0[top], yi1[top + n - 1] + 1
    c0, c1 = xi0[left], xi1[left + n - 1] + 1
    kr, kc = int((r1 - r0).max()), int((c1 - c0).max())
    rows = np.minimum(r0[:, None] + np.arange(kr), r1[:, None] - 1)
    cols = np.minimum(c0[:, None] + np.arange(kc), c1[:, None] - 1)
    # First for any colour at all: a . I + b over I in [0, 255].
    high = b + 255.0 * np.maximum(a, 0.0).sum(axis=0)
    low = b + 255.0 * np.minimum(a, 0.0).sum(axis=0)
    high = high[rows].max(axis=1)[:, cols].max(axis=2)
    low = low[rows].min(axis=1)[:, cols].min(axis=2)
    ones = low > 1.0 + SETTLED
    q = ones.astype(np.float32).take(np.arange(h) // n, axis=0, mode="clip").take(np.arange(w) // n, axis=1, mode="clip")
    sy, sx = np.nonzero((high >= -SETTLED) & ~ones)
    if not len(sy):
        return q
    # Then for the colours each square holds.
    pix = _squares(rgb, n)[top[sy], left[sx]].reshape(len(sy), n, n * 3)
    lo_px, hi_px = pix[:, 0].copy(), pix[:, 0].copy()
    for k in range(1, n):
        np.minimum(lo_px, pix[:, k], out=lo_px)
        np.maximum(hi_px, pix[:, k], out=hi_px)
    lo_rgb = lo_px.reshape(-1, n, 3).min(axis=1).astype(np.float32)
    hi_rgb = hi_px.reshape(-1, n, 3).max(axis=1).astype(np.float32)
    coef = coef.reshape(4, -1)
    s = coef.take((rows[sy][:, :, None] * ww + cols[sx][:, None, :]).reshape(len(sy), -1), axis=1)
    high, low = s[3].copy(), s[3].copy()
    for c in range(3):
        at_lo, at_hi = s[c] * lo_rgb[:, c : c + 1], s[c] * hi_rgb[:, c : c + 1]
        high += np.maximum(at_lo, at_hi)
        low += np.minimum(at_lo, at_hi)
    ones = low.min(axis=1) > 1.0 + SETTLED
    if ones.any():
        _squares(q, n)[top[sy[ones]], left[sx[ones]]] = 1.0
    edge = (high.max(axis=1) >= -SETTLED) & ~ones
    sy, sx, pix = sy[edge], sx[edge], pix[edge]
    m = len(sy)
    if not m:
        return q
    # The edge squares: PIL's horizontal pass on the coarse rows each one reads, then its vertical pass.
    x = left[sx][:, None] + np.arange(n)  # (m, n) photo columns
    y = top[sy][:, None] + np.arange(n)
    rows = rows[sy]
    at = rows[:, :, None] * ww
    across = np.multiply(coef.take(at + xi0[x][:, None, :], axis=1), xw0[x][:, None, :])
    across += np.multiply(coef.take(at + xi1[x][:, None, :], axis=1), xw1[x][:, None, :])
    across = across.astype(np.float32).reshape(4, -1)  # (4, m * kr * n)
    at = (np.arange(m) * (kr * n))[:, None, None] + np.arange(n)
    up = np.multiply(across.take(at + ((yi0[y] - rows[:, :1]) * n)[:, :, None], axis=1), yw0[y][:, :, None])
    up += np.multiply(across.take(at + ((yi1[y] - rows[:, :1]) * n)[:, :, None], axis=1), yw1[y][:, :, None])
    up = up.astype(np.float32)  # (4, m, n, n): a0, a1, a2, b
    pix = pix.reshape(m, n, n, 3)
    out = up[3]
    for c in range(3):
        out += up[c] * pix[..., c]
    np.clip(out, 0.0, 1.0, out=out)
    _squares(q, n)[top[sy], left[sx]] = out
    return q
