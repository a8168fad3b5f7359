"""The hair styles: each one entry that makes its pieces (a shell, and a tail, a bun or locs) in head space.

A style's `make(seed, salt)` returns (vertices, faces, shade) pieces; the shade (0-1) darkens the grooves
between locks. The seed varies small details; the salt keeps two styles with the same seed apart. A
`textured` style's make also takes the photo's hair texture (look.hair.TEXTURES) and parting (an azimuth
round the head, 0 at the front, > 0 toward +x; None for none): waves or curls on its surface, a parting's groove.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .hair_shell import Shell, bezier, curtain_paths, ellipsoid_normal, moulded_paint, skull_point, smoothstep, stroke_grain
from .mesh import frame_any, outward, strand, torus, uv_sphere

Piece = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True)
class HairStyle:
    """One sculpted hair style.

    Args:
        name: what it is called.
        make: (seed, salt) -> its pieces, the shell first.
        short: a short cut, the likelier reading of a thin or noisy hair mask.
        prior: how readily the photo's hair is read as this style (tied-up styles need their lump to show).
        textured: make takes `texture` and `parting` keywords too (see above).
        feathered: its shell thins to nothing at the hairline, where its paint gives way to the skin's stroke by
            stroke (a close crop).
        hairline: make takes a `hairline` keyword too: the photo's front hairline (hair_shell.photo_hairline), which
            its forehead edge follows where it is higher than the style's own (a short cut, whose edge shows).
    """

    name: str
    make: Callable[..., list[Piece]]
    short: bool = False
    prior: float = 1.0
    textured: bool = False
    feathered: bool = False
    hairline: bool = False


_SHORT_ENDS = ((0, -0.6), (62, -0.6), (68, -0.04), (78, 0.0), (86, 0.13), (106, 0.12), (125, -0.16),
               (150, -0.3), (180, -0.33))
_TIED_ENDS = ((0, -0.6), (62, -0.6), (68, 0.02), (78, 0.06), (86, 0.13), (106, 0.12), (125, -0.12),
              (150, -0.24), (180, -0.27))


def _long_ends(length: float):
    return ((0, -0.6), (62, -0.6), (68, -0.02), (80, 0.02), (92, 0.13), (108, 0.12), (122, length + 0.08),
            (150, length), (180, length - 0.03))


def _quiff_thickness(p, s, psi):
    front = np.exp(-((np.angle(np.exp(1j * psi))) / 0.75) ** 2)
    lift = smoothstep(0.25, 0.85, s)
    return 0.035 + 0.04 * front + 0.13 * front * lift


SIDE_PART = 0.42  # the side parting's azimuth when the photo shows none: on +x (the figure's left)


def _side_part_thickness(at: float):
    """Short hair combed from a parting at azimuth `at` (> 0) over to the other side, which is fuller."""
    def thickness(p, s, psi):
        heavy = 0.5 + 0.5 * np.cos(psi + 1.2)  # fuller on the side away from the parting
        part = np.exp(-((np.angle(np.exp(1j * (psi - at)))) / 0.05) ** 2) * smoothstep(0.1, 0.3, s)
        return 0.055 + 0.04 * heavy - 0.035 * part
    return thickness


def _afro_shape(p):
    centre, axes = np.array([0.0, 0.1, -0.06]), np.array([0.6, 0.62, 0.6])
    d = p - centre
    out = centre + d / np.linalg.norm(d / axes, axis=-1, keepdims=True)
    # Never thinner than a short cut, never thicker than the afro's volume allows.
    return p + (out - p) * np.clip(np.linalg.norm(out - p, axis=-1, keepdims=True), 0.05, 0.3) \
        / np.maximum(np.linalg.norm(out - p, axis=-1, keepdims=True), 1e-9)


def _curtain_thickness(base, body):
    def thickness(p, s, psi):
        hang = smoothstep(0.0, -0.3, p[..., 1])
        return base + body * hang * (0.6 + 0.4 * smoothstep(0.3, 1.0, s))
    return thickness


def _rng(seed: int, salt: int) -> np.random.Generator:
    return np.random.default_rng([seed, salt, 7])


def _tube_paint(piece: Piece, centre: np.ndarray, sides: int, seed: int, salt: int) -> Piece:
    """A tube of hair (mesh.strand: a tail, a loc) painted as moulded hair (hair_shell.moulded_paint): its
    grooves darker, a highlight in strokes where it faces up, not a stripe down every lobe."""
    v, f, shade = piece
    ring = v[1:-1].reshape(len(centre), sides, 3)
    normal = ring - centre[:, None]
    normal /= np.maximum(np.linalg.norm(normal, axis=-1, keepdims=True), 1e-9)
    ridge = np.clip((shade[1:-1].reshape(len(centre), sides) - 0.72) / 0.28, 0, 1)
    grain = stroke_grain(ridge.shape, np.random.default_rng([seed, salt, 11]), run=4)
    paint = moulded_paint(ridge, normal, grain)
    return v, f, np.concatenate([[paint[0].mean()], paint.ravel(), [paint[-1].mean()]])


# A close crop's sideburns stop halfway down the ear.
# A crop covers the back of the head down to the nape, as short hair does (the neck's top is at y -0.44).
_CROP_ENDS = ((0, -0.1), (62, -0.1), (68, -0.04), (78, 0.0), (86, 0.13), (106, 0.12), (125, -0.24), (150, -0.46),
              (180, -0.52))


def _crop_thickness(p, s, psi):
    """Close to the skull all round, a little fuller over the top."""
    return 0.018 + 0.016 * smoothstep(0.15, 0.45, p[..., 1])


def buzz(seed: int, salt: int, hairline=None) -> list[Piece]:
    """A close crop: a thin shell with a fine grain of short strokes, thinning to nothing at the hairline."""
    return [Shell(ends=_CROP_ENDS, thickness=_crop_thickness, strands=0, stubble=True, depth=0.004, tips=0.0,
                  rim=0.0, taper=0.25, feather=True, floor=0.0005, rows=36, cols=152, inner_rings=4,
                  hairline=hairline, seed=seed, salt=salt).piece()]


def _mirrored(line):
    return lambda x: line(-x)


def side_part(seed: int, salt: int, texture: str = "straight", parting: float | None = None,
              hairline=None) -> list[Piece]:
    """A short cut with a side parting, on the side the photo shows it (the whole cut mirrored for -x)."""
    if parting is not None and abs(parting) < 0.04:  # a centre parting: the cut's own side (hair.CENTRE_PART)
        parting = None
    at = SIDE_PART if parting is None else float(np.clip(abs(parting), 0.25, 0.6))
    if parting is not None and parting < 0 and hairline is not None:  # the cut is made on +x, then mirrored
        hairline = _mirrored(hairline)
    v, f, shade = Shell(ends=_SHORT_ENDS, thickness=_side_part_thickness(at), strands=18, depth=0.022, swirl=0.9,
                        tips=0.06, hairline=hairline, seed=seed, salt=salt).piece()
    if parting is not None and parting < 0:
        v, f = v * np.array([-1.0, 1.0, 1.0]), f[:, ::-1].copy()
    return [(v, f, shade)]


def quiff(seed: int, salt: int, hairline=None) -> list[Piece]:
    return [Shell(ends=_SHORT_ENDS, thickness=_quiff_thickness, strands=20, depth=0.02, swirl=0.0, tips=0.04,
                  taper=0.06, rim=0.45, hairline=hairline, seed=seed, salt=salt).piece()]


def curly_short(seed: int, salt: int) -> list[Piece]:
    return [Shell(ends=_SHORT_ENDS, thickness=0.075, strands=0, curls=0.05, depth=0.03, tips=0.0, rows=44, cols=120,
                  seed=seed, salt=salt).piece()]


def afro(seed: int, salt: int) -> list[Piece]:
    ends = ((0, -0.6), (62, -0.6), (68, -0.05), (80, 0.0), (88, 0.13), (106, 0.12), (125, -0.2),
            (150, -0.32), (180, -0.34))
    return [Shell(ends=ends, shape=_afro_shape, strands=0, curls=0.075, depth=0.04, taper=0.2, rim=0.25, rows=44,
                  cols=120, seed=seed, salt=salt).piece()]


WAVES = 0.014  # head heights the crests of wavy hair stand out of its troughs
HANGING_CURLS = {"curly": 0.06, "coily": 0.06}  # the curls' radius on hanging hair (it has no curly style of its own)


def hanging(length: float, body: float) -> Callable[..., list[Piece]]:
    """Hair that hangs down from the crown to `length` (head space y), `body` thick at the ends: straight, in
    waves or in curls, with a parting's groove where the photo shows one."""
    def make(seed: int, salt: int, texture: str = "straight", parting: float | None = None) -> list[Piece]:
        curls = HANGING_CURLS.get(texture, 0.0)
        return [Shell(curtain=True, ends=_long_ends(length), thickness=_curtain_thickness(0.055, body),
                      strands=0 if curls else 22, curls=curls, waves=WAVES if texture == "wavy" else 0.0, part=parting,
                      depth=0.03 if curls else 0.022, swirl=0.4, tips=0.0 if curls else 0.035,
                      rows={"straight": 44, "wavy": 72}.get(texture, 60), cols=112, seed=seed, salt=salt).piece()]
    return make


def ponytail(seed: int, salt: int) -> list[Piece]:
    tie_dir = np.array([0.0, 0.8, -0.6])
    shell = Shell(pole=tie_dir, ends=_TIED_ENDS, thickness=0.045, strands=26, depth=0.014, tips=0.03,
                  rows=34, cols=104, seed=seed, salt=salt)
    tie = skull_point(tie_dir) + ellipsoid_normal(skull_point(tie_dir)) * 0.045
    n0 = ellipsoid_normal(tie)
    sway = _rng(seed, salt).uniform(0.08, 0.14)
    centre = bezier([tie - n0 * 0.03, tie + n0 * 0.2 + [0, 0.06, 0], [sway * 0.5, 0.0, -0.74],
                     [sway, -0.62, -0.6]], 40)
    u = np.linspace(0, 1, 40)
    radius = 0.075 + 0.045 * np.sin(np.pi * np.clip(u * 1.5, 0, 1)) ** 0.6
    radius = np.maximum(radius * (1 - 0.75 * u**3), 0.02)
    radius[:4] = 0.055
    tail = _tube_paint(strand(centre, radius, sides=16, lobes=8, twist=1.5, lobe_depth=0.16), centre, 16, seed, salt)
    band_v, band_f = torus(centre[3], centre[4] - centre[2], 0.06, 0.02)
    band = (band_v, band_f, np.full(len(band_v), 0.45))
    return [shell.piece(), tail, band]


def bun(seed: int, salt: int) -> list[Piece]:
    bun_dir = np.array([0.0, 0.75, -0.66])
    shell = Shell(pole=bun_dir, ends=_TIED_ENDS, thickness=0.045, strands=26, depth=0.014, tips=0.03,
                  rows=34, cols=104, seed=seed, salt=salt)
    base = skull_point(bun_dir)
    n0 = ellipsoid_normal(base)
    a, b, c = frame_any(n0)
    v, f = uv_sphere(18, 36)
    # Spherical coordinates around the bun's own axis give its coiled grooves.
    polar = np.arccos(np.clip(v[:, 1], -1, 1))
    az = np.arctan2(v[:, 0], v[:, 2])
    coil = np.sin(np.pi * np.mod(3 * az / (2 * np.pi) + 2.2 * polar / np.pi, 1.0)) ** 0.6
    r = 1 - 0.1 * (1 - coil)
    local = v * r[:, None] * np.array([0.16, 0.12, 0.16])
    bun_v = base + n0 * 0.12 + local[:, 0:1] * b + local[:, 1:2] * a + local[:, 2:3] * c
    normal = v[:, 0:1] * b + v[:, 1:2] * a + v[:, 2:3] * c
    grain = stroke_grain((len(v), 1), np.random.default_rng([seed, salt, 11]))[:, 0]
    return [shell.piece(), (bun_v, outward(bun_v - bun_v.mean(0), f), moulded_paint(coil, normal, grain))]


def locs(seed: int, salt: int) -> list[Piece]:
    rng = _rng(seed, salt)
    shell = Shell(ends=_SHORT_ENDS, thickness=0.06, strands=24, depth=0.03, swirl=0.2, tips=0.08,
                  rows=20, cols=96, seed=seed, salt=salt)
    pieces = [shell.piece()]
    count = 20
    for psi in np.radians(np.linspace(122, 238, count)):
        length = -0.7 - 0.15 * rng.random() - 0.1 * np.cos(np.radians(180) - psi) ** 2
        r0 = 0.032 + 0.006 * rng.random()
        path = curtain_paths(np.array([psi]), k=400, extra=0.05 + r0, depth=0.44 + r0)[:, 0]
        keep = (path[:, 1] < 0.3 + 0.08 * rng.random()) & (path[:, 1] > length)
        centre = path[keep][:: max(1, keep.sum() // 18)]
        u = np.linspace(0, 1, len(centre))
        seg = np.abs(np.sin(np.pi * u * len(centre) / 3.2 + rng.random() * 3))
        radius = r0 * (0.86 + 0.2 * seg**0.5) * (1 - 0.35 * u**4)
        v, f, _ = strand(centre, radius, sides=8)
        shade = np.concatenate([[0.8], np.repeat(0.72 + 0.28 * seg**0.5, 8), [0.8]])  # its segments' grooves
        pieces.append(_tube_paint((v, f, shade), centre, 8, seed, salt + len(pieces)))
    return pieces


def bald(seed: int, salt: int) -> list[Piece]:
    """A fringe of short hair round the back and sides, the crown bare."""
    ends = ((0, 9.0), (80, 9.0), (86, 0.05), (100, 0.05), (115, -0.24), (180, -0.3))
    tops = ((0, 0.0), (80, 0.0), (86, 0.19), (130, 0.16), (180, 0.1))
    return [Shell(pole=(0, -0.08, -1.0), ends=ends, top=tops, thickness=0.035, strands=0, curls=0.022, depth=0.008,
                  tips=0.0, rim=0.5, taper=0.15, rows=26, cols=104, seed=seed, salt=salt).piece()]


# The order is part of each style's look: a style's place in it salts its random details.
BUILT_IN = (
    HairStyle("buzz", buzz, short=True, feathered=True, hairline=True),
    HairStyle("side-part", side_part, short=True, textured=True, hairline=True),
    HairStyle("quiff", quiff, short=True, hairline=True),
    HairStyle("curly-short", curly_short, short=True),
    HairStyle("afro", afro),
    HairStyle("bob", hanging(-0.52, 0.07), textured=True),
    HairStyle("shoulder", hanging(-0.88, 0.05), textured=True),
    HairStyle("long", hanging(-1.4, 0.045), textured=True),
    HairStyle("ponytail", ponytail, prior=0.97),
    HairStyle("bun", bun, prior=0.97),
    HairStyle("locs", locs, prior=0.97),
    HairStyle("bald", bald, short=True),
)
