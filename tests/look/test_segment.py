"""Person mask: shape, range, and that it covers the person and not the background."""

from __future__ import annotations

import numpy as np
import pytest

from minime.look import detect_faces, person_mask

from .conftest import PORTRAITS, members, side_by_side


@pytest.mark.parametrize("name", PORTRAITS + ["camera.png"])
def test_mask_covers_person_not_background(portraits, name):
    rgb = np.asarray(portraits[name])
    face = detect_faces(rgb)[0]
    mask = person_mask(rgb, heads=[face.box])
    h, w = rgb.shape[:2]
    assert mask.shape == (h, w) and mask.dtype == np.float32
    assert mask.min() >= 0.0 and mask.max() <= 1.0

    x0, y0, x1, y1 = (int(v) for v in face.box)
    cx = (x0 + x1) // 2
    assert mask[y0 + (y1 - y0) // 4 : y1 - (y1 - y0) // 4, x0 + (x1 - x0) // 4 : x1 - (x1 - x0) // 4].mean() > 0.95
    torso_y = min(h - 1, int(y1 + 0.8 * (y1 - y0)))
    assert mask[torso_y, cx] > 0.9
    k = max(4, min(h, w) // 10)  # the top corners are background in every portrait
    assert mask[:k, :k].mean() < 0.05 and mask[:k, -k:].mean() < 0.05


def test_mask_is_soft_only_at_the_edge(portraits):
    mask = person_mask(np.asarray(portraits["obama.jpg"]))
    soft = (mask > 0.05) & (mask < 0.95)
    assert 0.001 < soft.mean() < 0.08  # a feathered edge, not a blurred blob


def test_mask_without_heads_and_tiny_image():
    rgb = np.random.default_rng(1).integers(0, 256, (7, 5, 3), dtype=np.uint8)
    mask = person_mask(rgb)
    assert mask.shape == (7, 5) and np.all((mask >= 0) & (mask <= 1))


def test_wide_group_mask_covers_everyone():
    """A row of people far wider than tall: each one is masked, not squeezed out."""
    group = side_by_side(members(), height=400)
    rgb = np.asarray(group)
    faces = detect_faces(rgb)
    assert len(faces) == 3
    mask = person_mask(rgb, heads=[f.box for f in faces])
    for face in faces:
        x0, y0, x1, y1 = (int(v) for v in face.box)
        assert mask[(y0 + y1) // 2, (x0 + x1) // 2] > 0.95
        assert mask[min(mask.shape[0] - 1, int(y1 + 0.8 * (y1 - y0))), (x0 + x1) // 2] > 0.9
    assert mask[:40, :40].mean() < 0.05 and mask[:40, -40:].mean() < 0.05


@pytest.mark.parametrize("size", [(1200, 1600), (455, 568), (704, 1600), (9, 700), (700, 9)])
def test_full_size_mask_is_the_resized_multiply_add(size):
    """Settling squares from the coarse coefficients and upsampling only the rest gives, bit for bit, PIL's
    BILINEAR resize of every coefficient plane followed by the multiply-add and the clip."""
    from PIL import Image

    from minime.look import segment

    w, h = size
    scale = segment.WORK_SIZE / max(w, h)
    ww, wh = max(1, round(w * scale)), max(1, round(h * scale))
    rng = np.random.default_rng(w + h)
    # A disc of person on a background with a soft rim, b from 1.5 inside to -0.5 outside, colours mattering a little.
    yy, xx = np.mgrid[0:wh, 0:ww]
    r = np.hypot(yy - wh / 2, xx - ww / 2) - min(wh, ww) / 3
    coef = np.empty((4, wh, ww), np.float32)
    coef[:3] = rng.normal(0, 3e-4, (3, wh, ww))
    coef[3] = np.clip(0.5 - r / 3, -0.5, 1.5)
    rgb = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)

    planes = [np.asarray(Image.fromarray(ch, "F").resize((w, h), Image.Resampling.BILINEAR)) for ch in coef]
    expected = planes[3].copy()
    for c in range(3):
        expected += planes[c] * rgb[:, :, c]
    np.clip(expected, 0.0, 1.0, out=expected)
    got = segment._full_size(coef, rgb)
    assert got.dtype == np.float32 and got.shape == (h, w)
    assert np.array_equal(got, expected)

