"""Face detection and face mesh on real portraits and synthetic group shots."""

from __future__ import annotations

import numpy as np
import pytest

from minime.look import Face, detect_faces

from .conftest import PORTRAITS, members, side_by_side

RIGHT_EYE, LEFT_EYE, NOSE, MOUTH = 0, 1, 2, 3


def _inside(points: np.ndarray, box, margin: float = 0.0) -> bool:
    x0, y0, x1, y1 = box
    mx, my = (x1 - x0) * margin, (y1 - y0) * margin
    return bool(
        np.all(points[:, 0] >= x0 - mx) and np.all(points[:, 0] <= x1 + mx)
        and np.all(points[:, 1] >= y0 - my) and np.all(points[:, 1] <= y1 + my)
    )


@pytest.mark.parametrize("name", PORTRAITS + ["camera.png"])
def test_one_face_per_portrait(portraits, name):
    rgb = np.asarray(portraits[name])
    faces = detect_faces(rgb)
    assert len(faces) == 1
    face = faces[0]
    assert isinstance(face, Face)
    h, w = rgb.shape[:2]
    x0, y0, x1, y1 = face.box
    assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h
    assert face.width == pytest.approx(x1 - x0)
    assert 60 < face.width < 0.6 * w
    assert 0.5 <= face.score <= 1.0

    kp = face.keypoints
    assert kp.shape == (6, 2)
    assert _inside(kp[:4], face.box)
    eyes_y = kp[[RIGHT_EYE, LEFT_EYE], 1]
    assert eyes_y.max() < kp[NOSE, 1] < kp[MOUTH, 1]
    if name != "camera.png":  # the cameraman is in profile; frontal faces show the right eye on the left
        assert kp[RIGHT_EYE, 0] < kp[NOSE, 0] < kp[LEFT_EYE, 0]

    mesh = face.landmarks
    assert mesh is not None and mesh.shape == (468, 3)
    assert _inside(mesh[:, :2], face.box, margin=0.3)
    # Mesh point 1 is the nose tip: it agrees with the detector's nose keypoint.
    assert np.hypot(*(mesh[1, :2] - kp[NOSE])) < 0.15 * face.width


def test_group_found_left_to_right():
    images = members()
    group = side_by_side(images, height=400)
    faces = detect_faces(np.asarray(group))
    assert len(faces) == 3
    centres = [(f.box[0] + f.box[2]) / 2 for f in faces]
    assert centres == sorted(centres)
    # Each face lies in its own third of the row.
    edges = np.cumsum([0] + [round(im.width * 400 / im.height) + 8 for im in images])
    for face, left, right in zip(faces, edges[:-1], edges[1:]):
        assert left <= face.box[0] and face.box[2] <= right + 8
        assert face.landmarks is not None


def test_small_faces_in_a_large_photo():
    """Faces some 45 px wide in a 1600 px photo are found by the tiled pass."""
    images = members()
    row = side_by_side(images, height=200)
    canvas = np.full((1200, 1600, 3), 100, np.uint8)
    canvas[700:700 + row.height, 900:900 + row.width] = np.asarray(row)
    faces = detect_faces(canvas)
    assert len(faces) == 3
    assert all(30 < f.width < 80 for f in faces)


def test_no_face_in_gradient_or_noise(gradient):
    assert detect_faces(np.asarray(gradient)) == []
    noise = np.random.default_rng(0).integers(0, 256, (300, 400, 3), dtype=np.uint8)
    assert detect_faces(noise) == []


def test_rejects_wrong_array():
    with pytest.raises(ValueError, match="uint8"):
        detect_faces(np.zeros((10, 10), np.float32))


def test_repr_hides_landmarks(portraits):
    face = detect_faces(np.asarray(portraits["obama.jpg"]))[0]
    text = repr(face)
    assert "box=" in text and "array" not in text and len(text) < 120
