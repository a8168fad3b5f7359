"""The head: fitted to the face's landmarks, closed, and whole even when the photo shows half a face."""

import numpy as np
from PIL import Image

from minime.sculpt.head import OVAL, build_head, fit_landmarks
from minime.sculpt.mesh import is_closed, signed_volume

from ..conftest import FIXTURES


def _nearest(points: np.ndarray, verts: np.ndarray) -> np.ndarray:
    from scipy.spatial import cKDTree

    return cKDTree(verts).query(points)[0]


def test_the_head_surface_passes_through_the_face_landmarks(subject):
    face = subject.faces[0]
    head = build_head(np.asarray(subject.image), face.landmarks)
    skin = head.parts[0]
    # The eye and mouth openings are closed over, so their inner rims sit a little behind the surface;
    # everywhere else the surface is the person's face.
    from minime.sculpt.head import EYES, LIPS

    keep = np.setdiff1d(np.arange(468), EYES + LIPS)
    err = _nearest(head.landmarks[keep], skin.vertices)
    assert np.median(err) < 0.008  # head heights: under 2 mm on a 23 cm head
    assert np.percentile(err, 95) < 0.02


def test_every_head_part_is_closed_and_faces_outward(subject):
    head = build_head(np.asarray(subject.image), subject.faces[0].landmarks)
    assert {p.name for p in head.parts} >= {"head", "ear", "neck"}
    for part in head.parts:
        assert is_closed(part), part.name
        assert signed_volume(part.vertices, part.faces) > 0, part.name


def test_the_face_is_turned_to_face_forward(subject):
    fit = fit_landmarks(subject.faces[0].landmarks, subject.image.size)
    rim = fit.front[OVAL]
    # Left and right halves of the face's rim mirror each other about x = 0 once frontal.
    assert abs(rim[:, 0].max() + rim[:, 0].min()) < 0.03
    assert abs(fit.yaw) < 15


def test_a_face_cut_by_the_frame_still_gives_a_whole_painted_head():
    from minime.look import look

    photo = Image.open(FIXTURES / "obama.jpg").convert("RGB")
    cut = photo.crop((215, 0, photo.width, photo.height))  # the frame cuts through the face's left half
    subject = look(cut)
    face = subject.faces[0]
    head = build_head(np.asarray(subject.image), face.landmarks)
    assert all(is_closed(p) for p in head.parts)
    assert head.visible < 0.9
    tex = head.texture.astype(float)
    half = tex.shape[1] // 2
    rows = slice(int(tex.shape[0] * 0.35), int(tex.shape[0] * 0.55))  # the eyes' band
    # The unseen half is painted from the mirrored visible half: an eye on both sides, not bare skin.
    left = tex[rows, half - half // 2:half].mean(-1)
    right = tex[rows, half:half + half // 2].mean(-1)
    assert left.std() > 0.5 * right.std()
    assert left.min() < np.median(left) - 40  # a dark eye or brow is painted there
