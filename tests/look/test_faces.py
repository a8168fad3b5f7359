"""Face detection and face mesh on real portraits and synthetic group shots."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from minime.look import Face, detect_faces

from .conftest import PORTRAITS, load, members, side_by_side

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


# --- groups: each person once, a child, a face the frame cuts -------------------------------------------------

def family(child_x: int | None = None, height: int = 520) -> Image.Image:
    """Two adults and, lower and smaller, a child (a portrait scaled down) beside them; `child_x` places the
    child's photo (a large value pushes its face past the right edge of the frame)."""
    adult_a, adult_b, child = load("obama.jpg"), load("biden_small.jpg").crop((0, 0, 300, 400)), load("astronaut.jpg")
    # Faces: Obama's about 144 px in the fixture, Biden's about 98, the astronaut's 96; here 110, 110 and 70.
    adult_a = adult_a.resize((round(adult_a.width * 0.76), round(adult_a.height * 0.76)))
    adult_b = adult_b.resize((round(adult_b.width * 1.12), round(adult_b.height * 1.12)))
    child = child.resize((373, 373))
    canvas = Image.new("RGB", (1000, height), (150, 150, 150))
    canvas.paste(adult_a, (0, 40))
    canvas.paste(adult_b, (350, 30))
    canvas.paste(child, (690 if child_x is None else child_x, 170))
    return canvas


def test_a_child_among_adults_is_one_person_built_as_a_child():
    from minime.look import look

    subject = look(family())
    assert len(subject.faces) == 3
    centres = [(f.box[0] + f.box[2]) / 2 for f in subject.faces]
    assert centres == sorted(centres)
    assert [f.child for f in subject.faces] == [False, False, True]
    assert any("third face from the left reads as a child" in n for n in subject.notes)


def test_a_face_cut_by_the_frame_is_still_one_person():
    from minime.look import look

    photo = family(child_x=800)  # the child's face a quarter out of the frame
    faces = detect_faces(np.asarray(photo))
    assert len(faces) == 3
    cut = faces[-1]
    assert cut.box[2] <= photo.width and cut.size > cut.width  # its size counts the part the frame hides
    subject = look(photo)
    assert len(subject.faces) == 3 and subject.faces[-1].child
    assert any("cut by the photo's edge" in n for n in subject.notes)


def test_each_person_once():
    """A second detection whose face mesh settled on a face already found is the same person, not another."""
    from minime.look.faces import one_per_person

    face = detect_faces(np.asarray(load("obama.jpg")))[0]
    twin = Face(box=tuple(v + 30 for v in face.box), score=face.score - 0.2, keypoints=face.keypoints + 30,
                landmarks=face.landmarks + np.array([6.0, 4.0, 0.0], np.float32))
    assert one_per_person([twin, face]) == [face]
    elsewhere = Face(box=(0.0, 0.0, 40.0, 40.0), score=0.6, keypoints=face.keypoints, landmarks=face.landmarks)
    assert one_per_person([face, elsewhere]) == [face]  # its mesh left its box for another face


def test_a_bystander_is_left_out_with_a_note():
    from minime.look import look

    photo = side_by_side([load("obama.jpg")], height=560)
    far = load("astronaut.jpg").resize((280, 280))  # a face about 52 px: far behind
    canvas = Image.new("RGB", (photo.width + 320, photo.height), (150, 150, 150))
    canvas.paste(photo, (0, 0))
    canvas.paste(far, (photo.width + 20, 60))
    assert len(detect_faces(np.asarray(canvas))) == 2
    subject = look(canvas, min_face_px=20)
    assert len(subject.faces) == 1 and not subject.faces[0].child
    assert len(subject.notes) == 1 and subject.notes[0].startswith("left out 1 small face in the background")


def test_a_badge_on_a_spacesuit_is_not_another_person():
    """The detector half-sees a face in the patch on the child's suit; the mesh model doubts it: three people."""
    def scaled(name, k):
        im = load(name)
        return im.resize((round(im.width * k), round(im.height * k)))

    photo = Image.new("RGB", (1000, 540), (150, 150, 150))
    photo.paste(scaled("obama.jpg", 0.76), (0, 40))
    photo.paste(scaled("biden_small.jpg", 1.12).crop((0, 0, 336, 448)), (350, 30))
    photo.paste(scaled("astronaut.jpg", 0.73), (800, 170))
    faces = detect_faces(np.asarray(photo))
    assert len(faces) == 3 and all(f.box[1] < 300 for f in faces)
