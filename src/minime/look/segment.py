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


def _guided_coefficients(guide: np.ndarray, p: np.ndarray, r: int, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """Colour guided filter: per-pixel a (3, h, w) and b (h, w), box-averaged, so q = a . guide + b.

    Args:
        guide: (3, h, w) float32 colours in [0, 1].
        p: (h, w) float32 input to filter.
        r: window radius in pixels.
        eps: regularisation; larger smooths more.
    """
    # Centring the guide keeps the float32 variances accurate; b is shifted back at the end.
    centre = guide.mean(axis=(1, 2), keepdims=True)
    g = guide - centre
    pairs = [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2)]
    stacked = np.concatenate([g, p[None], g * p, np.stack([g[i] * g[j] for i, j in pairs])])
    means = box_mean(stacked, r)
    mean_i, mean_p, mean_ip, second = means[0:3], means[3], means[4:7], means[7:13]
    cov_ip = mean_ip - mean_i * mean_p
    var = {pair: second[k] - mean_i[pair[0]] * mean_i[pair[1]] for k, pair in enumerate(pairs)}
    # Solve (Sigma + eps I) a = cov for every pixel with the closed-form symmetric 3x3 inverse.
    rr, rg, rb = var[0, 0] + eps, var[0, 1], var[0, 2]
    gg, gb, bb = var[1, 1] + eps, var[1, 2], var[2, 2] + eps
    inv_rr = gg * bb - gb * gb
    inv_rg = gb * rb - rg * bb
    inv_rb = rg * gb - gg * rb
    inv_gg = rr * bb - rb * rb
    inv_gb = rb * rg - rr * gb
    inv_bb = rr * gg - rg * rg
    det = rr * inv_rr + rg * inv_rg + rb * inv_rb
    cr, cg, cb = cov_ip
    a = np.stack(
        [
            inv_rr * cr + inv_rg * cg + inv_rb * cb,
            inv_rg * cr + inv_gg * cg + inv_gb * cb,
            inv_rb * cr + inv_gb * cg + inv_bb * cb,
        ]
    ) / det
    b = mean_p - (a * mean_i).sum(axis=0)
    smoothed = box_mean(np.concatenate([a, b[None]]), r)
    a, b = smoothed[:3], smoothed[3]
    # q = a . (I - centre) + b = a . I + (b - a . centre)
    return a, b - (a * centre).sum(axis=0)


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
    h, w = rgb.shape[:2]
    photo = Image.fromarray(rgb)
    scale = min(1.0, WORK_SIZE / max(h, w))
    ww, wh = max(1, round(w * scale)), max(1, round(h * scale))
    small = photo.resize((ww, wh), Image.Resampling.BILINEAR, reducing_gap=2.0) if scale < 1 else photo
    guide = np.asarray(small, np.float32).transpose(2, 0, 1) * (1.0 / 255.0)
    p = _coarse_mask(photo, small, heads)
    if heads:
        p = _boost_heads(p, heads, scale)
    p = np.clip((p - PRE_LOW) / (PRE_HIGH - PRE_LOW), 0.0, 1.0)

    radius = max(1, round(RADIUS * max(ww, wh) / WORK_SIZE))
    a, b = _guided_coefficients(guide, p, radius, EPS)
    # Fold the 0..255 scale of the full-size photo and the final contrast curve into a and b, so
    # the full-resolution work is one multiply-add per channel.
    gain = 1.0 / (HIGH - LOW)
    a *= gain / 255.0
    b = (b - LOW) * gain

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
