"""The face paint's kernels give the numbers of their plain numpy forms (they are written for speed)."""

import numpy as np
from scipy.ndimage import gaussian_filter


def _bilinear_by_definition(img, cols, rows):
    h, w = img.shape[:2]
    c, r = np.clip(cols, 0, w - 1.001), np.clip(rows, 0, h - 1.001)
    c0, r0 = c.astype(np.int64), r.astype(np.int64)
    fc, fr = c - c0, r - r0
    if img.ndim == 3:
        fc, fr = fc[..., None], fr[..., None]
    top = img[r0, c0] * (1 - fc) + img[r0, c0 + 1] * fc
    bottom = img[r0 + 1, c0] * (1 - fc) + img[r0 + 1, c0 + 1] * fc
    return top * (1 - fr) + bottom * fr


def test_bilinear_sampling_matches_its_definition_in_blocks_and_at_the_edges():
    from minime.sculpt.face_paint import bilinear

    rng = np.random.default_rng(0)
    photo = (rng.random((40, 50, 3)) * 255).astype(np.uint8)
    cols = (rng.random(70_000) * 60 - 5).astype(np.float32)  # several blocks, some points beyond the edges
    rows = (rng.random(70_000) * 50 - 5).astype(np.float32)
    got = bilinear(photo, cols, rows)
    assert np.array_equal(got, _bilinear_by_definition(photo.astype(np.float32), cols, rows))
    grey = photo[..., 0].astype(np.float32)
    grid_c, grid_r = rng.random((6, 7)) * 49, rng.random((6, 7)) * 39
    assert np.array_equal(bilinear(grey, grid_c, grid_r), _bilinear_by_definition(grey, grid_c, grid_r))
    assert bilinear(photo, cols[:0], rows[:0]).shape == (0, 3)


def test_channel_means_and_colour_distances_are_numpys_to_the_bit():
    from minime.sculpt.face_paint import _channel_mean, _distance

    rng = np.random.default_rng(1)
    rgb = (rng.random((64, 48, 3)) * 255).astype(np.float32)
    assert np.array_equal(_channel_mean(rgb), rgb.mean(-1))
    for to in (np.float32([200.5, 150.25, 120.0]), np.asarray((0.3, 0.2, 0.1)) * 255):
        assert np.array_equal(_distance(rgb, to), np.linalg.norm(rgb - to, axis=-1))


def test_the_features_are_filtered_where_they_show_as_over_the_whole_window():
    from minime.imaging import smooth
    from minime.sculpt.face_paint import FEATURE_FLAT, SHARPEN, _add_features

    rng = np.random.default_rng(2)
    k = 1.5
    f = gaussian_filter(rng.random((160, 140, 3)) * 255, (1, 1, 0)).astype(np.float32)
    features = np.zeros((160, 140), np.float32)
    features[50:70, 30:60] = 1  # an eye and a mouth away from the window's edges...
    features[110:125, 45:100] = 1
    features[0:6, 120:140] = 1  # ... and a brow cut by its corner
    feat = gaussian_filter(features, 1.2 * k)[..., None]
    skin = np.float32([200.0, 150.0, 120.0])
    g = smooth(f / 255.0, max(1, round(1.5 * k)), FEATURE_FLAT) * 255
    detail = g + SHARPEN * (g - gaussian_filter(g, (1.2 * k, 1.2 * k, 0)))
    expected = np.full(f.shape, 10, np.float32) + (skin + (detail - skin) * 1.1) * feat
    out = np.full(f.shape, 10, np.float32)
    _add_features(out, f, feat, skin, k)
    # The box filter's running sums start at the patch's edge: the same numbers to float32's last bit or so.
    assert np.allclose(out, expected, rtol=1e-6, atol=1e-4)
    assert np.array_equal(out[feat[..., 0] == 0], expected[feat[..., 0] == 0])


def _glasses_score_by_definition(raw, front):
    from minime.sculpt.face_paint import disc_mean

    gy, gx = np.gradient(gaussian_filter(raw.mean(-1), 1.0))
    mag = np.hypot(gx, gy)
    bridge = disc_mean(mag, front[168] * 0.5 + front[6] * 0.5, 0.025)
    plain = np.median([disc_mean(mag, front[i], 0.03) for i in (205, 425, 199)])
    rims = np.median([disc_mean(mag, front[i], 0.02) for i in (117, 346, 111, 340)])
    return float(np.clip((max(bridge, rims) / max(plain, 1.0) - 3.0) / 2.0 + 0.5, 0, 1))


def test_the_glasses_score_reads_the_edges_as_over_the_whole_paint(subject):
    from minime.sculpt.face_paint import _texel, glasses_score
    from minime.sculpt.head import fit_landmarks

    front = fit_landmarks(subject.faces[0].landmarks, subject.image.size).front
    n = 384
    rng = np.random.default_rng(3)
    noise = gaussian_filter(rng.random((n, n, 3)) * 255, (1.5, 1.5, 0))
    col, row = _texel(front[168] * 0.5 + front[6] * 0.5, n)
    yy, xx = np.mgrid[0:n, 0:n]
    near_bridge = np.hypot(yy - row, xx - col) < 25
    raw = (128 + (noise - noise.mean()) * np.where(near_bridge, 3.5, 1.0)[..., None]).astype(np.float32)
    expected = _glasses_score_by_definition(raw, front)
    assert 0 < expected < 1  # neither clipped: the comparison says something
    assert glasses_score(raw, front) == expected
    used = front[[168, 6, 205, 425, 199, 117, 346, 111, 340], 0]
    moved = front + np.array([0.6 - used.max(), 0.0, 0.0])  # the right-most disc cut by the paint's edge
    assert glasses_score(raw, moved) == _glasses_score_by_definition(raw, moved)
