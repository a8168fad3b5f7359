"""Sculpted hair: building a style's pieces, fitting them to a head, and picking a style from the photo.

The styles are entries in `recipe.HAIR_STYLES` (see hair_styles.py); each is made of solid shells that
hug the skull (hair_shell.py) and extra closed pieces. A style is picked by matching the photo's hair
against the front-view outlines of the styles its length and texture can be (`styles_for`); the texture
and the parting (look.hair) are then sculpted on the styles that take them.

Head space: origin at the skull's centre, y up, face toward +z, x to the viewer's right, 1 unit = head height.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from ..errors import UnknownNameError
from ..look.hair import HAIRLINE_U, TEXTURES
from .hair_shell import INNER, SKULL, in_face, photo_hairline, smoothstep
from .mesh import Part
from .recipe import HAIR_STYLES, hair_style

__all__ = ["GRID", "INNER", "SKULL", "STYLES", "build_hair", "choose_style", "fit_hair", "in_face", "outline",
           "fit_outline", "part_angle", "render_outline", "styles_for", "unsure_styles"]

STYLES = HAIR_STYLES  # the registry: every style's name, in order
GRID = (160, 128)


def _parts_from(pieces):
    """Each (vertices, faces, shade) piece as compact arrays."""
    return [(np.asarray(v, np.float32), np.asarray(f, np.int32), np.asarray(sh, np.float32)) for v, f, sh in pieces]


@lru_cache(maxsize=64)
def _geometry(style: str, seed: int, texture: str = "straight", part: float | None = None,
              hairline: tuple | None = None):
    entry = hair_style(style)
    salt = list(HAIR_STYLES).index(style)
    extra: dict[str, object] = {}
    if entry.textured and (texture != "straight" or part is not None):
        extra.update(texture=texture, parting=part)
    if entry.hairline and hairline is not None:
        extra.update(hairline=photo_hairline(hairline, np.asarray(HAIRLINE_U) * SKULL[0]))
    return tuple(_parts_from(entry.make(seed, salt, **extra)))


HIGHEST_HAIRLINE = 0.45  # head-space y: a short cut keeps at least its crown, whatever the photo's hairline reads


def _usable(hairline) -> tuple | None:
    """A photo's hairline (look.hair.read_hairline) as a cache key: heights to a hundredth, no higher than
    HIGHEST_HAIRLINE; None if too few are known."""
    if hairline is None or sum(h is not None for h in hairline) < 4:
        return None
    if len(hairline) != len(HAIRLINE_U):
        raise ValueError(f"a hairline has {len(HAIRLINE_U)} heights (HAIRLINE_U), got {len(hairline)}")
    return tuple(None if h is None else round(min(float(h), HIGHEST_HAIRLINE), 2) for h in hairline)


CENTRE_PART = 0.04  # a parting this close to the middle (head-space x) is a centre parting
HAIRLINE = 0.3  # head-space height at which a parting read in the photo meets the hairline


def part_angle(x: float) -> float:
    """The azimuth round the skull (0 at the front, > 0 toward +x) of a parting the photo shows at head-space x
    over the hairline (look.hair), rounded to a hundredth of a radian (the shapes are kept by it)."""
    a, b, c = SKULL
    x = float(np.clip(x, -0.9 * a, 0.9 * a))
    z = c * np.sqrt(max(1 - (x / a) ** 2 - (HAIRLINE / b) ** 2, 0.05))
    return round(float(np.arctan2(x, z)), 2)


def build_hair(style: str, color: tuple[float, float, float], *, seed: int = 0,
               highlight: tuple[float, float, float] | None = None, outline: np.ndarray | None = None,
               texture: str = "straight", parting: float | None = None,
               skin: tuple[float, float, float] | None = None, hairline: tuple | None = None) -> list[Part]:
    """The sculpted hair of one style, painted.

    Args:
        style: a name in STYLES.
        color: the hair's paint, sRGB in [0, 1]; grooves between locks get a darker shade of it.
        seed: varies small details (lock wobble, curl placement, loc lengths); the same seed gives the same hair.
        highlight: the photo's lighter strands, sRGB in [0, 1]: dry-brushed on the crests of the locks that face
            up, in fine strokes (hair_shell.moulded_paint).
        outline: the photo's hair region on GRID (look.hair; NaN outside the photo): the style's volume is
            reshaped around the head to follow it (see `fit_outline`).
        texture: the photo's hair texture (look.hair.TEXTURES): waves or curls on a hanging style's surface
            (the curly, coily and locs styles have their own).
        parting: head-space x where the photo shows a parting (look.hair), or None: the side parting's side, and
            a groove on hanging hair.
        skin: the head's skin, sRGB in [0, 1]: a feathered style's hairline is painted into it stroke by stroke,
            so the hair meets the forehead in a soft edge, not a line.
        hairline: the photo's front hairline (look.hair.read_hairline: heights at HAIRLINE_U of the skull's half
            width, None where unknown), or None: a short cut's forehead edge is taken back to it where it is
            higher than the style's own, so a receding hairline recedes; the skull's skin shows below it.

    Returns:
        Closed parts in head space with material "hair".

    Raises:
        UnknownNameError: an unknown style or texture.
    """
    entry = hair_style(style)
    if texture not in TEXTURES:
        raise UnknownNameError(f"unknown hair texture {texture!r}; choose one of: {', '.join(TEXTURES)}")
    paint = np.clip(np.asarray(color, np.float32), 0, 1)
    pieces = _geometry(style, int(seed), texture, None if parting is None else part_angle(parting),
                       _usable(hairline) if entry.hairline else None)
    keep = [_painted(v, shade) if entry.feathered and skin is not None else None for v, _, shade in pieces]
    if outline is not None:
        pieces = fit_outline(style, pieces, outline)
    parts = []
    for i, (v, f, shade) in enumerate(pieces):
        colors = shade[:, None] * paint
        if highlight is not None:  # the lightest paint, up on the crests, takes the photo's lighter strands
            w = (np.clip((shade - 0.9) / 0.1, 0, 1) * HIGHLIGHT)[:, None]
            colors = colors * (1 - w) + np.clip(np.asarray(highlight, np.float32), 0, 1) * w
        kept = keep[i]
        if kept is not None:
            colors = colors * kept[:, None] + np.clip(np.asarray(skin, np.float32), 0, 1) * (1 - kept[:, None])
        parts.append(Part("hair" if i == 0 else f"hair-{i}", v.copy(), f.copy(), colors, "hair", meta={"style": style}))
    return parts


HIGHLIGHT = 0.55  # how much of the highlight colour the crests take
FEATHER = (0.006, 0.0015)  # head heights of a feathered shell's thickness over which its paint gives way to skin


def _painted(v: np.ndarray, shade: np.ndarray) -> np.ndarray:
    """Per vertex of a feathered shell, how much of it is painted hair (1) rather than skin (0): toward the
    hairline, where the shell thins to nothing, the strokes stop one by one, the faintest (darkest shade) first."""
    v = v.astype(np.float64)
    r = np.linalg.norm(v / SKULL, axis=1)
    thin = smoothstep(*FEATHER, (r - 1) / np.maximum(r, 1e-9) * np.linalg.norm(v, axis=1))
    grain = np.clip((shade - 0.74) / 0.26, 0, 1)
    return np.clip((grain - 0.85 * thin) / 0.25 + 1, 0, 1).astype(np.float32)


_ANGLES = np.radians(np.arange(-30.0, 211.0, 5.0))  # the front view around the skull's centre: 0 right, 90 up
THICKER = (0.7, 1.6)  # the most the photo may thin or thicken a style's hair at one angle


def _extent(cells: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Per angle of _ANGLES, the farthest hair cell from the skull's centre in the front view (0: none; NaN:
    the photo does not show that side)."""
    x, y = _cell_centres()
    ang = np.arctan2(y, x)
    rad = np.hypot(x, y)
    out = np.full(len(_ANGLES), np.nan)
    for i, a in enumerate(_ANGLES):
        ray = (np.abs(np.angle(np.exp(1j * (ang - a)))) < np.radians(4)) & (rad < 1.1)
        if known[ray].mean() < 0.6:
            continue
        hit = ray & cells
        out[i] = rad[hit].max() if hit.any() else 0.0
    return out


def fit_outline(style: str, pieces, mask: np.ndarray):
    """The style's pieces with their hair thickened or thinned, angle by angle around the head, so the front
    outline follows the photo's hair: fuller on one side, flatter on top. The photo's overall size against the
    template skull is not known, so only its shape counts; the back and sides follow the same angle, so the
    volume carries round the head. Angles the photo does not show, or shows no hair at, keep the style's."""
    m = np.asarray(mask, float)
    if m.shape != GRID:
        raise ValueError(f"hair outline must be {GRID[0]}x{GRID[1]} (GRID), got {m.shape}")
    known = ~np.isnan(m)
    r_photo = _extent(np.nan_to_num(m) > 0.5, known)
    r_style = _extent(_outline(style) > 0.5, np.ones(GRID, bool))
    r_skull = 1 / np.sqrt((np.cos(_ANGLES) / SKULL[0]) ** 2 + (np.sin(_ANGLES) / SKULL[1]) ** 2)
    thick = r_style - r_skull
    usable = (thick > 0.02) & (r_photo > 0) & ~np.isnan(r_photo)
    if usable.sum() < 6:
        return pieces
    d = r_photo - r_style
    d = d - np.median(d[usable])
    k = np.where(usable, np.clip((thick + d) / np.where(thick > 0.02, thick, 1), *THICKER), 1.0)
    k = np.convolve(np.pad(k, 3, mode="edge"), np.ones(7) / 7, mode="valid")  # no lumps from a noisy mask
    out = []
    for v, f, shade in pieces:
        v = v.astype(np.float64)
        theta = np.arctan2(v[:, 1], v[:, 0])
        theta = np.where(theta < _ANGLES[0], theta + 2 * np.pi, theta)
        kv = np.interp(theta, _ANGLES, k, left=1.0, right=1.0)
        kv = 1 + (kv - 1) * np.clip((v[:, 1] + 0.45) / 0.3, 0, 1)  # hanging hair below the skull keeps its shape
        on_skull = v / np.linalg.norm(v / INNER, axis=1, keepdims=True)
        outside = np.linalg.norm(v / INNER, axis=1) > 1
        v = np.where(outside[:, None], on_skull + (v - on_skull) * kv[:, None], v)
        out.append((v.astype(np.float32), f, shade))
    return tuple(out)


def fit_hair(parts: list[Part], skull: tuple[float, float, float]) -> list[Part]:
    """Hair made for the standard skull (SKULL), stretched onto a head whose skull has these semi-axes."""
    scale = np.diag([skull[0] / SKULL[0], skull[1] / SKULL[1], skull[2] / SKULL[2]])
    return [p.transformed(scale) for p in parts]


# ---------------------------------------------------------------- the front view, and picking a style

def _cell_centres():
    rows, cols = GRID
    x = -1.2 + (np.arange(cols) + 0.5) * 2.4 / cols
    y = 1.0 - (np.arange(rows) + 0.5) * 3.0 / rows
    return np.meshgrid(x, y)


def _head_depth() -> np.ndarray:
    """The z of the head's (skull and neck) front surface per grid cell; -inf where the head is not."""
    x, y = _cell_centres()
    q = 1 - (x / SKULL[0]) ** 2 - (y / SKULL[1]) ** 2
    skull = np.where(q > 0, SKULL[2] * np.sqrt(np.maximum(q, 0)) + 0.06 * (q > 0), -np.inf)
    neck = np.where((np.abs(x) < 0.17) & (y < -0.35), -0.05 + np.sqrt(np.maximum(0.17**2 - x**2, 0)), -np.inf)
    return np.maximum(skull, neck)


def _rasterize_depth(v: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Nearest z per grid cell of triangles seen from the front (orthographic along -z)."""
    rows, cols = GRID
    cx = (v[:, 0] + 1.2) * cols / 2.4 - 0.5
    cy = (1.0 - v[:, 1]) * rows / 3.0 - 0.5
    tri = np.stack([cx[f], cy[f], v[f, 2]], -1)  # (m, 3 corners, 3)
    lo = np.floor(tri[:, :, :2].min(1)).astype(int) + 1
    hi = np.floor(tri[:, :, :2].max(1)).astype(int)
    zbuf = np.full(GRID, -np.inf)
    win = 6
    big = np.any(hi - lo >= win, axis=1)
    groups = [(np.nonzero(~big)[0], win)] + [(np.array([i]), int(max(hi[i] - lo[i]) + 1)) for i in np.nonzero(big)[0]]
    for idx, w in groups:
        if len(idx) == 0:
            continue
        t = tri[idx]
        ox, oy = np.meshgrid(np.arange(w), np.arange(w))
        px = lo[idx, 0][:, None] + ox.ravel()[None]
        py = lo[idx, 1][:, None] + oy.ravel()[None]
        (x0, y0, z0), (x1, y1, z1), (x2, y2, z2) = [t[:, k, :].T[:, :, None] for k in range(3)]
        den = (y1 - y2) * (x0 - x2) + (x2 - x1) * (y0 - y2)
        ok = np.abs(den) > 1e-12
        den = np.where(ok, den, 1.0)
        a = ((y1 - y2) * (px - x2) + (x2 - x1) * (py - y2)) / den
        b = ((y2 - y0) * (px - x2) + (x0 - x2) * (py - y2)) / den
        c = 1 - a - b
        hit = ok & (a >= -1e-6) & (b >= -1e-6) & (c >= -1e-6) & (px >= 0) & (px < cols) & (py >= 0) & (py < rows)
        z = a * z0 + b * z1 + c * z2
        np.maximum.at(zbuf, (py[hit], px[hit]), z[hit])
    return zbuf


def render_outline(style: str) -> np.ndarray:
    """Rasterise a style's front outline (what assets/hair_outlines.npz holds, made by tools/vendor_hair.py)."""
    zbuf = np.full(GRID, -np.inf)
    for v, f, _ in _geometry(style, 0):
        zbuf = np.maximum(zbuf, _rasterize_depth(v.astype(float), f))
    return (zbuf > _head_depth()).astype(np.float32)


_OUTLINES = Path(__file__).parent / "assets" / "hair_outlines.npz"


@lru_cache(maxsize=1)
def _stored_outlines() -> dict[str, np.ndarray]:
    """The built-in styles' outlines, rasterised once ahead of time: building all twelve shapes costs seconds."""
    with np.load(_OUTLINES) as data:
        return {s: np.unpackbits(data[s])[: GRID[0] * GRID[1]].reshape(GRID).astype(np.float32) for s in data.files}


@cache
def _outline(style: str) -> np.ndarray:
    stored = _stored_outlines()
    out = stored[style] if style in stored else render_outline(style)  # a style added since: drawn once
    out.setflags(write=False)
    return out


def outline(style: str) -> np.ndarray:
    """Where this style's hair shows in the front view, not counting the head itself.

    Returns:
        (160, 128) float32 in [0, 1] on GRID (row 0 at y = 1.0, column 0 at x = -1.2).
    """
    hair_style(style)
    return _outline(style).copy()


def _blur(a: np.ndarray, r: int = 2) -> np.ndarray:
    """Box blur, so a mask that is off by a cell or two still overlaps its style."""
    from scipy.ndimage import uniform_filter

    return uniform_filter(np.asarray(a, np.float64), 2 * r + 1, mode="constant")


@cache
def _blurred_outline(style: str) -> np.ndarray:
    return _blur(_outline(style))


def choose_style(mask: np.ndarray, *, head: np.ndarray | None = None,
                 allowed: tuple[str, ...] | None = None) -> tuple[str, float]:
    """The style whose front-view outline best matches the person's hair.

    Args:
        mask: (160, 128) hair coverage in [0, 1] on GRID; NaN marks cells outside the photo (ignored).
        head: optional (160, 128) coverage of the person's head (face and skin); its cells are not hair and
            count as known-empty.
        allowed: the styles to choose from (all by default).

    Returns:
        (style, confidence in [0, 1]).
    """
    m = np.asarray(mask, float)
    if m.shape != GRID:
        raise ValueError(f"hair mask must be {GRID[0]}x{GRID[1]} (GRID), got {m.shape[0]}x{m.shape[1]}"
                         if m.ndim == 2 else f"hair mask must be 2-D {GRID}, got shape {m.shape}")
    valid = ~np.isnan(m)
    m = np.where(valid, np.clip(m, 0, 1), 0.0)
    if head is not None:
        m = m * (1 - np.clip(np.nan_to_num(np.asarray(head, float)), 0, 1))
    names = list(HAIR_STYLES)
    shapes = np.stack([_blurred_outline(s) for s in names]) * valid
    # A majority vote over each cell's neighbours drops speckle from the segmenter before matching.
    seen = (_blur(m, 1) >= 0.5) * valid
    if seen.sum() < 4.0:  # nothing worth calling hair: a shaved or bald head
        return "bald", 0.5
    inter = np.minimum(shapes, seen).sum((1, 2))
    union = np.maximum(shapes, seen).sum((1, 2))
    prior = np.array([HAIR_STYLES[s].prior for s in names])
    score = inter / np.maximum(union, 1e-9) * prior * np.isin(names, names if allowed is None else allowed)
    order = np.argsort(score)[::-1]
    best, second = score[order[0]], score[order[1]]
    confidence = float(np.clip(best * (0.5 + 0.5 * min(1.0, (best - second) / 0.15)), 0, 1))
    return names[int(order[0])], confidence


def short_styles() -> tuple[str, ...]:
    """The short cuts: what a thin or noisy hair mask most likely shows."""
    return tuple(name for name, s in HAIR_STYLES.items() if s.short)


# The styles each length of hair (look.hair.LENGTHS) can be, likeliest first; tied-up hair looks short from the front.
_BY_LENGTH = {
    "none": ("bald",),
    "short": ("buzz", "side-part", "quiff", "curly-short", "afro", "ponytail", "bun"),
    "ear": ("bob", "curly-short", "afro", "side-part", "ponytail", "bun"),
    "shoulder": ("shoulder", "bob", "locs", "afro", "ponytail"),
    "long": ("long", "shoulder", "locs"),
}
# What each texture (look.hair.TEXTURES) can be at each length, where it is not the length's own list above:
# curls and coils are the curly cuts or, longer, the hanging styles sculpted in curls; locs are locs.
_BY_TEXTURE: dict[str, dict[str, tuple[str, ...]]] = {
    "curly": {"short": ("curly-short", "afro", "ponytail", "bun"), "ear": ("curly-short", "bob", "afro", "ponytail", "bun"),
              "shoulder": ("shoulder", "bob", "afro", "ponytail"), "long": ("long", "shoulder", "afro")},
    "coily": {"short": ("curly-short", "afro", "ponytail", "bun"), "ear": ("afro", "curly-short", "ponytail", "bun"),
              "shoulder": ("afro", "ponytail", "bun"), "long": ("afro", "ponytail", "bun")},
    "locs": {"short": ("locs",), "ear": ("locs",), "shoulder": ("locs",), "long": ("locs",)},
}
CURLS_ONLY = ("curly-short", "locs")  # what hair is never sculpted as unless the photo shows curls or locs
AFRO = ("afro",)  # nor hair the photo shows straight or wavy


TALL = 0.12  # hair volume (head heights, look.hair) under which short hair is a flat cap, not a quiff or an afro


def styles_for(length: str, bald: bool = False, volume: float = 1.0, texture: str | None = None,
               parting: float | None = None) -> tuple[str, ...]:
    """The styles a head of hair of this length and texture can be (any added style of the same kind joins its
    length: a short one joins the short cuts). Curly and coily hair is a curly cut or hanging curls; locs are
    locs; straight or wavy hair is neither, nor an afro; hair whose texture the photo does not show (None) is no
    curls or locs either, but may be an afro where its outline is one. Only a head with no hair over the crown
    may be the bald fringe: short, receding or white hair stays hair. A flat cap is not a quiff or an afro, nor
    a side parting unless the photo shows the parting."""
    own = _BY_TEXTURE.get(texture or "", {}).get(length)
    names = [s for s in (own or _BY_LENGTH.get(length, tuple(HAIR_STYLES))) if s in HAIR_STYLES]
    if own is None:
        if length == "short":
            names += [s for s, entry in HAIR_STYLES.items() if entry.short and s not in names and s != "bald"]
        smooth = CURLS_ONLY + (AFRO if texture in ("straight", "wavy") else ())
        names = [s for s in names if s not in smooth] or names
    if bald and "bald" not in names and length in ("none", "short", "ear"):
        names.append("bald")
    if not bald and length != "none" and "bald" in names:
        names.remove("bald")
    if volume < TALL:
        names = [s for s in names if s not in ("quiff", "afro")]
    if "buzz" in names and "side-part" in names:
        # One outline, the two told apart by thickness alone: a few cells of the photo's mask would decide, one
        # way in one photo of a head and the other way in the next. The hair's height decides instead.
        side = parting is not None and abs(parting) >= CENTRE_PART  # a centre parting is no side parting
        names.remove("side-part" if volume < TALL and not side else "buzz")
    return tuple(names) or tuple(HAIR_STYLES)


def unsure_styles(allowed: tuple[str, ...]) -> tuple[str, ...]:
    """What to choose from when the photo's hair region is too thin or noisy to trust: the short cuts among
    `allowed` (a close crop is the likeliest reading), or all of them where none is short."""
    return tuple(s for s in allowed if s in short_styles()) or allowed
