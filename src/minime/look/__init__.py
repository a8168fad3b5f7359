"""The look stage: find the people in a photo (faces, face meshes, person mask).

Everything here stays in memory: neither the mask nor the landmarks are written or logged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from minime.errors import LookError
from minime.look.faces import Face, detect_faces
from minime.look.segment import person_mask

__all__ = ["Face", "Subject", "detect_faces", "look", "person_mask"]

# A face less than this fraction of the largest face's width is a bystander in the background,
# not one of the people the figure is of.
BYSTANDER_FRACTION = 0.5


@dataclass(repr=False, eq=False)
class Subject:
    """The people in a photo, ready for an engine."""

    image: Image.Image  # RGB working image the coordinates refer to
    faces: list[Face]  # sorted left to right
    mask: np.ndarray  # HxW float32 person mask in [0, 1]

    def __repr__(self) -> str:  # never print the mask or the landmarks
        w, h = self.image.size
        return f"Subject(image={w}x{h}, faces={len(self.faces)})"


def look(image: Image.Image, *, max_faces: int = 4, min_face_px: int = 64) -> Subject:
    """Find the faces and the person mask in a photo.

    Args:
        image: the photo (any PIL mode; it is converted to RGB).
        max_faces: the most people allowed in one figure box.
        min_face_px: the smallest face width, in pixels, that gives a recognisable figure.

    Returns:
        The Subject: the RGB image, its faces left to right, and the person mask.

    Raises:
        LookError: no face, more than `max_faces` faces, or a face narrower than `min_face_px`.
    """
    if max_faces < 1:
        raise ValueError(f"max_faces must be at least 1, got {max_faces}")
    rgb_image = image if image.mode == "RGB" else image.convert("RGB")
    rgb = np.asarray(rgb_image)

    found = detect_faces(rgb)
    if not found:
        raise LookError(
            "no face found in the photo; use a photo where your face is clearly visible, well lit "
            f"and at least {min_face_px} px wide"
        )
    largest = max(face.width for face in found)
    faces = [face for face in found if face.width >= BYSTANDER_FRACTION * largest]
    if len(faces) > max_faces:
        people = "person fits" if max_faces == 1 else "people fit"
        raise LookError(f"the photo shows {len(faces)} faces; at most {max_faces} {people} in one box")
    smallest = min(face.width for face in faces)
    if smallest < min_face_px:
        if len(faces) == 1:
            raise LookError(
                f"the face is {smallest:.0f} px wide; use a photo where it is at least {min_face_px} px"
            )
        raise LookError(
            f"the smallest of the {len(faces)} faces is {smallest:.0f} px wide; "
            f"use a photo where every face is at least {min_face_px} px"
        )

    faces.sort(key=lambda face: (face.box[0] + face.box[2]) / 2)
    mask = person_mask(rgb, heads=[face.box for face in faces])
    return Subject(image=rgb_image, faces=faces, mask=mask)
