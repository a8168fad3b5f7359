"""What comes back from a model, made safe and transparent: decode it with limits, key out its background.

Generative engines return untrusted bytes (cloud) or an opaque picture (local models). `decode` opens
them with the same caution as intake: known formats only, a pixel limit, damage reported on one line.
`cut_out` turns a figure on a flat background into RGBA: the background colour is read from the
image's border (green, blue or magenta, whichever the prompt asked for) and removed where it touches
the border, however the model lit it. Soft edges get the key colour unmixed from them, and the key's
light is taken off the figure's outline (spill). When the border is not one flat colour, our person
mask decides. Specks and thin fringes the key leaves are dropped; small loose accessories are kept,
and `split_pieces` takes them off the figure for the box's wells.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from .base import EngineError

MAX_BYTES = 60_000_000
MAX_PIXELS = 40_000_000
FORMATS = ("PNG", "WEBP", "JPEG")

# Colour distance (RGB, 0-255) under which a pixel is the key; the soft edge ramps up to EDGE.
NEAR = 38.0
EDGE = 90.0
SPILL = 0.02  # how far into the figure (share of the long side) the key's light is taken off
SHADE = (0.8, 1.15)  # how much darker or brighter than the border's key the background may be lit
HOLE = 0.0001  # enclosed flat key regions from this share of the image are background
SPECK = 0.0002  # islands smaller than this share of the image are noise the key left
THIN = 0.003  # islands smaller than this are kept only when they are solid, not a thin fringe
JOIN = 0.012  # parts this close to the figure (share of the long side) belong to it, not loose pieces
PIECE_MIN = 96  # pixels on its long side for a model's accessory to fill a blister well


def decode(data: bytes, who: str) -> Image.Image:
    """Open image bytes a model returned, as RGBA with no metadata.

    Args:
        data: the file's bytes.
        who: the provider or model, for the message.
    Raises:
        EngineError: the bytes are not a whole PNG, WebP or JPEG image, or are too large.
    """
    if not data:
        raise EngineError(f"{who} returned an empty image")
    if len(data) > MAX_BYTES:
        raise EngineError(f"{who} returned an image of {len(data) // 1_000_000} MB; the limit is {MAX_BYTES // 1_000_000} MB")
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as img:
            if img.width * img.height > MAX_PIXELS:
                raise EngineError(f"{who} returned an image of {img.width}x{img.height} pixels; the limit is 40 MP")
            img.load()
            rgba = img.convert("RGBA")
    except EngineError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise EngineError(f"{who} returned a damaged or truncated image") from None
    clean = Image.new("RGBA", rgba.size)
    clean.paste(rgba)  # a fresh image: nothing of the file's metadata comes along
    return clean


def has_transparency(image: Image.Image) -> bool:
    """True when the image's border is mostly transparent (the model removed the background itself)."""
    if image.mode != "RGBA":
        return False
    alpha = np.asarray(image.getchannel("A"))
    return float((_border(alpha) < 128).mean()) > 0.5


def cut_out(image) -> Image.Image:
    """The figure alone as RGBA, cropped to it.

    Transparency the model made is kept. Otherwise a flat border colour is keyed out, or, when the
    border is not flat, the person mask decides. When neither finds a figure, the image is returned
    opaque rather than empty (the pick stage judges it by its face).

    Args:
        image: what the model returned, its pixels as a uint8 (H, W, 3) array, or a diffusers pipeline's
            (3, H, W) output tensor in [0, 1] on its device: the per-pixel work is then done there.
    """
    if not isinstance(image, (Image.Image, np.ndarray)):
        rgb, key, dist2 = _on_device(image)
    elif isinstance(image, np.ndarray):
        rgb = image
        key = border_key(rgb)
        dist2 = _key_distance(rgb, key) if key is not None else None
    elif has_transparency(image):
        return _crop(image)
    else:
        rgb = np.asarray(image.convert("RGB"))
        key = border_key(rgb)
        dist2 = _key_distance(rgb, key) if key is not None else None
    if key is not None:
        assert dist2 is not None  # the key's distances are found with the key
        alpha, rim = _key_alpha(dist2)
        out_rgb = _despill(_unmix(rgb, alpha, key, rim), alpha, key)
    else:
        from ..look.segment import person_mask

        alpha = person_mask(rgb).astype(np.float32)
        out_rgb = rgb
    alpha = _drop_specks(alpha)
    if float(alpha.mean()) < 0.01:
        return Image.fromarray(rgb).convert("RGBA")
    # Crop first, then put the channels together: only the figure's box is copied.
    box = _box(alpha > 8.5 / 255, int(max(alpha.shape) * 0.02)) or (slice(None), slice(None))  # all faint: whole
    return Image.fromarray(np.dstack([out_rgb[box], (alpha[box] * 255 + 0.5).astype(np.uint8)]), "RGBA")


def _on_device(pixels) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """(uint8 pixels, key, squared key distances) of a (3, H, W) tensor in [0, 1], the per-pixel work done
    with torch on the tensor's device (a GPU's, right after the pipeline); what needs connected regions
    runs on the CPU after it."""
    import torch

    rgb = (pixels.float() * 255).round_().clamp_(0, 255)
    w = max(2, int(min(rgb.shape[1:]) * 0.015))
    ring = torch.cat([rgb[:, :w].reshape(3, -1), rgb[:, -w:].reshape(3, -1),
                      rgb[:, :, :w].reshape(3, -1), rgb[:, :, -w:].reshape(3, -1)], dim=1)
    key = ring.median(dim=1).values
    flat = float(((ring - key[:, None]).square().sum(0) < NEAR**2).float().mean()) >= 0.85
    dist2 = None
    if flat:
        kk = max(float(key @ key), 1.0)
        ck = torch.einsum("chw,c->hw", rgb, key)
        light = (ck / kk).clamp_(SHADE[0], SHADE[1])
        dist2 = (rgb.square().sum(0) - light * (2 * ck - light * kk)).cpu().numpy()
    out = rgb.to(torch.uint8).permute(1, 2, 0).contiguous().cpu().numpy()
    return out, (key.cpu().numpy().astype(np.float32) if flat else None), dist2


def split_pieces(figure: Image.Image, accessories, people: int = 1) -> tuple[Image.Image, dict[str, Image.Image]]:
    """Take the loose accessory pieces a model drew beside the figure off it, so none shows twice.

    The figure is the largest part, with what touches or nearly touches it; in a group, the `people`
    largest parts (a child beside a parent), and any part of about the largest's size. Every other
    part is a loose piece. When there are as many pieces as
    `accessories`, they are those accessories in the order the prompt asked for them (top to bottom,
    then left to right), keyed by the accessory's text; pieces too small to fill a blister well are
    left out, and the box draws its own art there.

    Args:
        figure: RGBA, as `cut_out` returns it.
        accessories: the spec's accessories, in the prompt's order.
        people: how many people the figure shows.
    Returns:
        (the figure alone, cropped; {accessory: its piece as RGBA}).
    """
    from scipy.ndimage import find_objects, label, maximum_filter

    alpha = np.asarray(figure.getchannel("A"))
    labels, count = label(alpha > 8)
    if count <= 1:
        return figure, {}
    sizes = np.bincount(labels.ravel(), minlength=count + 1)
    sizes[0] = 0
    main = int(sizes.argmax())
    gap = max(3, round(max(alpha.shape) * JOIN))
    boxes = find_objects(labels)
    joined = sizes >= 0.3 * sizes[main]
    largest = np.argsort(sizes)[::-1][:max(1, people)]
    joined[largest[sizes[largest] >= 0.1 * sizes[main]]] = True
    for k in np.flatnonzero(~joined[1:]) + 1:
        # Grow the part (small) rather than the figure (large) to see whether they nearly touch.
        ys, xs = boxes[k - 1]
        around = (slice(max(0, ys.start - gap), ys.stop + gap), slice(max(0, xs.start - gap), xs.stop + gap))
        grown = maximum_filter(labels[around] == k, size=2 * gap + 1)
        joined[k] = bool((labels[around][grown] == main).any())
    joined[0] = False
    rgba = np.asarray(figure)
    loose = []
    for k in np.flatnonzero(~joined[1:]) + 1:
        where = boxes[k - 1]
        piece = rgba[where].copy()
        piece[..., 3] = np.where(labels[where] == k, piece[..., 3], 0)
        loose.append(((where[0].start + where[0].stop) / 2, (where[1].start + where[1].stop) / 2, piece))
    if not loose:
        return figure, {}
    alone = rgba.copy()
    alone[..., 3] = np.where(joined[labels], alone[..., 3], 0)
    arts = {}
    if len(loose) == len(accessories):
        loose.sort(key=lambda p: (round(p[0] / (0.1 * alpha.shape[0])), p[1]))  # rows, then left to right
        for item, (_, _, piece) in zip(accessories, loose):
            if max(piece.shape[:2]) >= PIECE_MIN:
                arts[item] = _crop(Image.fromarray(np.pad(piece, ((8, 8), (8, 8), (0, 0)))), margin=0.04)
    return _crop(Image.fromarray(alone, "RGBA")), arts


def _border(a: np.ndarray) -> np.ndarray:
    """The pixels of a ring along the image's edge, about 1.5% of the short side wide."""
    w = max(2, int(min(a.shape[:2]) * 0.015))
    return np.concatenate([a[:w].reshape(-1, *a.shape[2:]), a[-w:].reshape(-1, *a.shape[2:]),
                           a[:, :w].reshape(-1, *a.shape[2:]), a[:, -w:].reshape(-1, *a.shape[2:])])


def border_key(rgb: np.ndarray) -> np.ndarray | None:
    """The background colour, when at least 85% of the border is one flat colour; else None."""
    ring = _border(rgb).astype(np.float32)
    key = np.median(ring, axis=0)
    near = np.square(ring - key).sum(axis=1) < NEAR**2
    return key if float(near.mean()) >= 0.85 else None


def _key_distance(rgb: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Squared distance of each pixel to the key as lit at that pixel (l * key): a background that darkens
    towards a corner or brightens under the light is still the key, a darker or lighter paint of another
    colour is not. |c - l k|^2 = |c|^2 - l (2 c.k - l |k|^2); the root is taken only where it is needed."""
    key = key.astype(np.float32)
    kk = max(float(key @ key), 1.0)
    # One plane per channel: numpy's element-wise loops run several times faster on planes than on
    # interleaved RGB, and a 3-wide matrix product is slower still.
    planes = np.ascontiguousarray(rgb.transpose(2, 0, 1)).astype(np.float32)
    ck = planes[0] * key[0]
    dist2 = np.square(planes[0])
    for k in (1, 2):
        ck += planes[k] * key[k]
        dist2 += np.square(planes[k], out=planes[k])
    light = np.clip(ck * (1 / kk), SHADE[0], SHADE[1])
    ck *= 2
    ck -= light * kk
    ck *= light
    dist2 -= ck
    return dist2


def _key_alpha(dist2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Alpha from the distance to the key: zero for key-coloured regions joined to the border (and
    large enclosed ones, like the gap between an arm and the body), a soft ramp along their edge.
    Also returns the edge's pixels (flat indices): only they can be part key, part figure."""
    from scipy.ndimage import label

    labels, count = label(dist2 < NEAR**2)
    if count == 0:
        return np.ones(dist2.shape, np.float32), np.empty(0, np.intp)
    edge_labels = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    is_bg = np.zeros(count + 1, bool)
    is_bg[edge_labels] = True
    is_bg[0] = False  # label 0 is the figure's own pixels, which may touch the border too
    # Enclosed key-coloured regions are background too when they are really flat: the gap between
    # an arm and the body, the hole in a mug's handle.
    inside = np.flatnonzero(~is_bg)[1:]  # the key regions that do not touch the border
    if inside.size > 32:  # many: one pass over the image
        sizes = np.bincount(labels.ravel(), minlength=count + 1)
        enclosed = inside[sizes[inside] >= HOLE * dist2.size]
        if enclosed.size:
            spread = np.bincount(labels.ravel(), weights=dist2.ravel(), minlength=count + 1) / np.maximum(sizes, 1)
            is_bg[enclosed] = spread[enclosed] < (NEAR / 2) ** 2
    else:  # a few (a mug's handle, the gap under an arm): one compare each, cheaper than finding every box
        for k in inside:
            where = labels == k
            if np.count_nonzero(where) >= HOLE * dist2.size:
                is_bg[k] = float(dist2[where].mean()) < (NEAR / 2) ** 2
    chosen = np.flatnonzero(is_bg)
    background = labels == chosen[0] if chosen.size == 1 else is_bg[labels]  # one compare for the usual one region
    alpha = np.logical_not(background).astype(np.float32)
    box = _box(alpha > 0, 3)  # the edge lies within 3 pixels of the figure's bounding box
    if box is None:
        return alpha, np.empty(0, np.intp)
    near = background[box]
    ys, xs = np.nonzero(_grow(near, 3) & ~near)
    rim = (ys + box[0].start) * dist2.shape[1] + xs + box[1].start
    alpha.ravel()[rim] = np.clip((np.sqrt(np.maximum(dist2.ravel()[rim], 0)) - NEAR) / (EDGE - NEAR), 0, 1)
    return alpha, rim


def _box(mask: np.ndarray, pad: int = 0) -> tuple[slice, slice] | None:
    """The bounding box of a mask's pixels, `pad` wider on each side (within the image); None if empty."""
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if not rows.size:
        return None
    return (slice(max(0, rows[0] - pad), rows[-1] + pad + 1), slice(max(0, cols[0] - pad), cols[-1] + pad + 1))


def _grow(mask: np.ndarray, steps: int) -> np.ndarray:
    """The mask grown by `steps` pixels, four-connected (scipy's binary_dilation with its default cross,
    without its per-iteration overhead)."""
    out = mask.copy()
    for _ in range(steps):
        prev = out.copy()
        out[1:] |= prev[:-1]
        out[:-1] |= prev[1:]
        out[:, 1:] |= prev[:, :-1]
        out[:, :-1] |= prev[:, 1:]
    return out


def _unmix(rgb: np.ndarray, alpha: np.ndarray, key: np.ndarray, rim) -> np.ndarray:
    """Take the key colour out of soft edge pixels (c = a*fg + (1-a)*key), so no coloured fringe stays.
    Only the edge is computed: elsewhere the colour is the image's own (uint8 in, uint8 out)."""
    a = alpha.ravel()[rim]
    soft = (a > 0.02) & (a < 0.98)
    index, a = rim[soft], a[soft][:, None]
    fg = (rgb.reshape(-1, 3)[index].astype(np.float32) - (1 - a) * key.astype(np.float32)) / a
    out = rgb.copy()
    out.reshape(-1, 3)[index] = np.clip(fg + 0.5, 0, 255).astype(np.uint8)
    return out


def _despill(rgb: np.ndarray, alpha: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Take the key's light off the figure near its outline (the green a glossy toy picks up from a
    green background): where a pixel leans toward the key's hue more than any paint of its own would,
    the key's channels come down to the others'. Fades out SPILL of the long side into the figure."""
    from scipy.ndimage import map_coordinates, uniform_filter

    high = key > 128
    if high.all() or not high.any():
        return rgb
    h, w = alpha.shape
    step = 4  # the band is found on a quarter-size copy: it only needs to be smooth
    size = (max(1, w // step), max(1, h // step))
    clear = Image.fromarray(alpha < 0.02).convert("L")
    background = np.asarray(clear.resize(size, Image.Resampling.BOX), np.float32) / 255
    near = uniform_filter(background, size=2 * max(1, round(max(h, w) * SPILL / step)) + 1, mode="nearest")
    by, bx = np.nonzero((near > 0.01) & (background < 0.99))
    # Every pixel of those blocks that shows the figure, as flat indices.
    dy, dx = np.divmod(np.arange(step * step), step)
    ys, xs = (by[:, None] * step + dy).ravel(), (bx[:, None] * step + dx).ravel()
    index = (ys * w + xs)[(ys < h) & (xs < w)]
    index = index[alpha.ravel()[index] > 0.02]
    flat = rgb.reshape(-1, 3)
    c = flat[index].astype(np.float32)
    spill = c[:, high].min(axis=1) - c[:, ~high].max(axis=1)
    leaning = spill > 0  # only these change: the weight is found for them alone
    if not leaning.any():
        return rgb
    index, c, spill = index[leaning], c[leaning], spill[leaning]
    ys, xs = np.divmod(index, w)
    weight = map_coordinates(near, [(ys + 0.5) / step - 0.5, (xs + 0.5) / step - 0.5], order=1, mode="nearest")
    c[:, high] -= (spill * np.clip(weight * 4, 0, 1))[:, None]
    out = rgb.copy()
    out.reshape(-1, 3)[index] = np.clip(c + 0.5, 0, 255).astype(np.uint8)
    return out


def _drop_specks(alpha: np.ndarray) -> np.ndarray:
    """Remove what the key left behind: specks, and thin fringes along an edge. Loose accessories
    stay, however small, as long as they are solid (a phone, a ring, a pen)."""
    from scipy.ndimage import binary_erosion, find_objects, label

    solid = alpha > 0.5
    box = _box(solid)
    if box is None:
        return alpha
    labels, count = label(solid[box])
    if count <= 1:
        return alpha
    sizes = np.bincount(labels.ravel(), minlength=count + 1)
    keep = sizes >= SPECK * alpha.size
    small = np.flatnonzero(keep & (sizes < THIN * alpha.size))
    boxes = find_objects(labels) if small.size else []
    for k in small:
        # A fringe is at most a few pixels wide: little of it survives two steps of erosion.
        island = labels[boxes[k - 1]] == k
        core = binary_erosion(np.pad(island, 2), iterations=2).sum()
        keep[k] = core >= 0.25 * sizes[k]
    keep[0] = True  # the soft edge around kept pieces
    if keep.all():
        return alpha
    out = alpha.copy()
    out[box] = np.where(keep[labels], alpha[box], 0.0)
    return out


def _crop(image: Image.Image, margin: float = 0.02) -> Image.Image:
    """Crop to the visible pixels plus a small margin."""
    box = image.getchannel("A").point(lambda v: 255 if v > 8 else 0).getbbox()
    if box is None:
        return image
    pad = int(max(image.size) * margin)
    x0, y0, x1, y1 = box
    return image.crop((max(0, x0 - pad), max(0, y0 - pad), min(image.width, x1 + pad), min(image.height, y1 + pad)))
