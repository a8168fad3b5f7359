"""A child among adults: the `child` body style, a smaller figure, and a face with no beard.

The look stage marks a face as a child's by its size and height next to the adults' (see look.children); the
sculpt engine then builds that person with a child's proportions (a big head, short legs, narrow shoulders) and
stands the figure smaller beside the adults'.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy.ndimage import gaussian_filter

from .mesh import Part
from .recipe import register_body_style
from .shape import ACTION

# A child of about eight next to a 6-inch adult figure: the head near a fifth of the height (an adult figure's is
# near a seventh), legs and arms short for the body, narrower and less chunky.
# Made from the action figure's own proportions, so the child keeps in step with the adults beside it.
CHILD = register_body_style(replace(ACTION, name="child", legs=0.62, arms=0.8, head=ACTION.head * 1.26))
# The child's figure next to the adults', feet on the same base: its top near an adult's shoulder.
SCALE = 0.74
BUILD = 0.15  # slim, with no adult muscle
GENDER = 0.85  # a child's flat chest and narrow hips: the body's female targets carry an adult's bust


def child_style(style: str) -> str:
    """The body style a child gets in a group made in `style`: the child style for the default action figure;
    another style the user chose (a bobblehead) is kept, and the figure is only made smaller."""
    return CHILD.name if style == "action" else style


def smaller(parts: list[Part], width: float, scale: float = SCALE) -> tuple[list[Part], float]:
    """A figure built standing at the origin (feet on y = 0), scaled about its feet, and the width it needs."""
    m = np.diag([scale, scale, scale, 1.0]).astype(np.float32)
    return [p.transformed(m) for p in parts], width * scale


# Face-mesh points: the mouth's corners, the lips' outer top and bottom, the nose's base and the chin.
_MOUTH_L, _MOUTH_R, _LIP_TOP, _LIP_BOTTOM, _NOSE_BASE, _CHIN = 61, 291, 0, 17, 2, 152
_CHEEKS = (50, 280, 117, 346, 205, 425)
_JAW = (172, 136, 150, 149, 176, 148, 152, 377, 400, 378, 379, 365, 397)


def beardless(rgb: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """The photo with the chin and the band over the upper lip evened to the cheeks' tone, for a child's face:
    a shadow there is not a beard, and the head sculpt would model and paint one. The lips are kept."""
    h, w = rgb.shape[:2]
    pts = landmarks[:, :2]
    face_w = float(np.ptp(pts[:, 0])) or 1.0
    x0, y0 = np.floor(pts.min(0) - 0.1 * face_w).astype(int)
    x1, y1 = np.ceil(pts.max(0) + 0.1 * face_w).astype(int)
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return rgb
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    jaw = pts[list(_JAW)]
    mid_x = float(pts[[_MOUTH_L, _MOUTH_R], 0].mean())
    half = abs(float(pts[_MOUTH_R, 0] - pts[_MOUTH_L, 0])) / 2
    lip_bottom, lip_top, nose = float(pts[_LIP_BOTTOM, 1]), float(pts[_LIP_TOP, 1]), float(pts[_NOSE_BASE, 1])
    jaw_half = float(np.ptp(jaw[:, 0])) / 2
    chin = (ys > lip_bottom + 0.02 * face_w) & (ys < pts[_CHIN, 1] + 0.02 * face_w) & (np.abs(xs - mid_x) < jaw_half)
    # Under the jaw line only: the jaw points' height at each column, as a smooth curve.
    order = np.argsort(jaw[:, 0])
    jaw_y = np.interp(xs, jaw[order, 0], jaw[order, 1])
    chin &= ys < jaw_y
    lip = (ys > nose + 0.01 * face_w) & (ys < lip_top - 0.01 * face_w) & (np.abs(xs - mid_x) < half * 1.1)
    region = gaussian_filter((chin | lip).astype(np.float32), max(1.0, 0.015 * face_w))
    if not region.any():
        return rgb
    cheek = []
    for i in _CHEEKS:
        cx, cy = int(np.clip(pts[i, 0], 0, w - 1)), int(np.clip(pts[i, 1], 0, h - 1))
        cheek.append(rgb[max(0, cy - 2):cy + 3, max(0, cx - 2):cx + 3].reshape(-1, 3))
    tone = np.median(np.concatenate(cheek), axis=0).astype(np.float32)
    out = rgb.copy()
    patch = out[y0:y1, x0:x1].astype(np.float32)
    out[y0:y1, x0:x1] = np.clip(patch * (1 - region[..., None]) + tone * region[..., None], 0, 255).astype(np.uint8)
    return out


def in_a_row(figures: list[list[Part]], widths: list[float], *, base_color=(0.07, 0.07, 0.08),
             base_height: float = 0.28, gap: float = 0.12) -> list[Part]:
    """Figures side by side on one base, left to right. A group with a child stands in one row: on the back
    step of a two-row group a child's figure would stand hidden behind an adult's."""
    from .scene import plinth

    total = sum(widths) + gap * (len(widths) - 1)
    x = -total / 2
    out: list[Part] = []
    for parts, width in zip(figures, widths):
        m = np.eye(4, dtype=np.float32)
        m[:3, 3] = (x + width / 2, base_height, 0.0)
        out += [p.transformed(m) for p in parts]
        x += width + gap
    return out + [plinth(max(0.95, total / 2 + 0.25), 0.95, base_height, base_color)]
