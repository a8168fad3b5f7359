"""A hoodie's hood, down: a thick rolled rim round the back and sides of the neck that shows from the front,
the hood's bag lying on the upper back, and two drawstrings with tipped ends hanging on the chest."""

from __future__ import annotations

import numpy as np

from .mesh import Part, blob, placed, tube
from .pose import unit


def _ring(torso: np.ndarray, y: float, cz: float, angles: np.ndarray, margin: float) -> np.ndarray:
    """The torso's outline at height y, as a radius per angle round (0, cz) (0 is the back), plus a margin."""
    slab = torso[np.abs(torso[:, 1] - y) < 0.06]
    theta = np.arctan2(slab[:, 0], cz - slab[:, 2])
    r = np.hypot(slab[:, 0], slab[:, 2] - cz)
    out = np.empty(len(angles))
    for k, a in enumerate(angles):
        near = np.abs((theta - a + np.pi) % (2 * np.pi) - np.pi) < 0.3
        out[k] = r[near].max() if near.any() else r.max()
    return out + margin


def hood(torso: np.ndarray, neck: float, color, lining, cord) -> list[Part]:
    """The hood's parts round a posed torso whose neck cut is at `neck`."""
    band = torso[np.abs(torso[:, 1] - (neck - 0.15)) < 0.06]
    cz = float((band[:, 2].min() + band[:, 2].max()) / 2)
    color = np.asarray(color, np.float32)
    # The rim: a horseshoe of thick cloth round the neck, lowest where its two ends meet at the front.
    ang = np.linspace(-2.55, 2.55, 40)
    front = (1 - np.cos(ang)) / 2  # 0 at the back, 1 at the front
    ys = neck - 0.12 - 0.28 * front ** 1.5
    radius = np.array([_ring(torso, yy, cz, np.array([a]), 0.07)[0] for yy, a in zip(ys, ang)])
    radius = np.convolve(np.pad(radius, 3, mode="edge"), np.ones(7) / 7, "valid")
    rim = np.stack([radius * np.sin(ang), ys, cz - radius * np.cos(ang)], 1)
    rv, rf = tube(rim, 0.085, loop=False, sides=14)
    shade = color + 0.08 * (1 - color)
    parts = [Part("hood", rv, rf, shade)]
    # The bag: the hood's crown lying flat on the upper back, its opening (lined) facing up toward the neck.
    back = torso[np.abs(torso[:, 1] - (neck - 0.5)) < 0.08]
    bz = float(back[:, 2].min())
    v, fc = blob(14, 24, 0.75)
    bv, bf = placed(v * [0.4, 0.34, 0.1], fc, np.array([0.0, neck - 0.48, bz - 0.05], np.float32),
                    (unit(1, 0, 0), unit(0, 1, 0.25), unit(0, -0.25, 1)))
    bc = np.tile(color, (len(bv), 1))
    bc[bv[:, 1] > neck - 0.2] = lining
    parts.append(Part("hood", bv, bf, bc))
    # Drawstrings from the rim's two front ends, hanging down the chest; plastic tips (aglets) on their ends.
    for end in (rim[0], rim[-1]):
        side = np.sign(end[0]) or 1.0
        start = end + np.array([-side * 0.04, -0.03, 0.02])
        t = np.linspace(0, 1, 12)[:, None]
        path = start + t * np.array([side * 0.03, -0.5, 0.0]) + np.sin(t * np.pi) * np.array([0, 0, 0.04])
        path[:, 2] = np.maximum(path[:, 2], _front_z(torso, path) + 0.03)
        sv, sf = tube(path, 0.018, loop=False, sides=8)
        parts.append(Part("drawstring", sv, sf, cord))
        tip = path[-1] + np.array([0, -0.05, 0.0])
        tv, tf = tube(np.stack([path[-1] + [0, 0.01, 0], tip]), 0.026, loop=False, sides=8)
        parts.append(Part("aglet", tv, tf, np.array([0.75, 0.76, 0.78], np.float32), "metal"))
    return parts


def _front_z(torso: np.ndarray, path: np.ndarray) -> np.ndarray:
    """The torso's front at each path point's height and side."""
    out = np.empty(len(path))
    for k, (x, y, _) in enumerate(path):
        near = torso[(np.abs(torso[:, 1] - y) < 0.06) & (np.abs(torso[:, 0] - x) < 0.08)]
        out[k] = near[:, 2].max() if len(near) else path[k, 2]
    return out
