"""The look stage: find the people in a photo (faces, face meshes, person mask).

Everything here stays in memory: neither the mask nor the landmarks are written or logged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from minime.errors import LookError
from minime.look.faces import Face, detect_faces, faces_in, one_per_person
from minime.look.segment import mask_of, person_mask

__all__ = ["Face", "Subject", "children", "detect_faces", "look", "look_upright", "person_mask"]

# A face less than this fraction of the largest face's width is a bystander in the background,
# not one of the people the figure is of.
BYSTANDER_FRACTION = 0.5
# A face at most this fraction of the adults' width, with its eyes at least this many of its own widths below
# theirs, is a child's: smaller and lower, as a child stands among adults. A grown-up further back is smaller
# but no lower; one sitting in front is lower but no smaller.
CHILD_FRACTION = 0.8
CHILD_DROP = 0.45
# An upright face scores above this with the detector; below it, the photo may be upside down.
UPRIGHT_SCORE = 0.9
# How much surer the detector must be of a turned photo before it is turned.
TURN_MARGIN = 0.1


@dataclass(repr=False, eq=False)
class Subject:
    """The people in a photo, ready for an engine."""

    image: Image.Image  # RGB working image the coordinates refer to
    faces: list[Face]  # sorted left to right
    mask: np.ndarray  # HxW float32 person mask in [0, 1]
    notes: list[str] = field(default_factory=list)  # who was left out, and why

    def __repr__(self) -> str:  # never print the mask or the landmarks
        w, h = self.image.size
        return f"Subject(image={w}x{h}, faces={len(self.faces)})"


def look(image: Image.Image, *, max_faces: int = 4, min_face_px: int = 64, faces: list[Face] | None = None) -> Subject:
    """Find the faces and the person mask in a photo.

    Args:
        image: the photo (any PIL mode; it is converted to RGB).
        max_faces: the most people allowed in one figure box.
        min_face_px: the smallest face width, in pixels, that gives a recognisable figure.
        faces: the faces `detect_faces` found in this image, if it was already run.

    Returns:
        The Subject: the RGB image, its faces left to right, and the person mask.

    Raises:
        LookError: no face, more than `max_faces` faces, or a face narrower than `min_face_px`.
    """
    rgb_image = image if image.mode == "RGB" else image.convert("RGB")
    return _look(rgb_image, max_faces=max_faces, min_face_px=min_face_px, faces=faces)


def _look(rgb_image: Image.Image, *, max_faces: int = 4, min_face_px: int = 64, faces: list[Face] | None = None) -> Subject:
    """`look` on an RGB photo."""
    if max_faces < 1:
        raise ValueError(f"max_faces must be at least 1, got {max_faces}")
    rgb = np.asarray(rgb_image)
    found = faces_in(rgb_image) if faces is None else faces
    if not found:
        raise LookError(
            "no face found in the photo; use a photo where your face is clearly visible, well lit "
            f"and at least {min_face_px} px wide"
        )
    found = one_per_person(found)
    largest = max(face.size for face in found)
    faces = [face for face in found if face.size >= BYSTANDER_FRACTION * largest]
    notes = []
    if len(faces) < len(found):
        left = len(found) - len(faces)
        notes.append(f"left out {left} small face{'s' if left > 1 else ''} in the background (under half the "
                     "size of the nearest face); crop the photo to the people the figure is of")
    if len(faces) > max_faces:
        people = "person fits" if max_faces == 1 else "people fit"
        raise LookError(f"the photo shows {len(faces)} faces; at most {max_faces} {people} in one box")
    smallest = min(face.size for face in faces)
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
    for face, child in zip(faces, children(faces)):
        face.child = child
    notes += _group_notes(faces, rgb_image.size)
    lifted = _lift_if_dark(rgb)
    mask = mask_of(lifted, rgb_image if lifted is rgb else Image.fromarray(lifted), heads=[face.box for face in faces])
    return Subject(image=rgb_image, faces=faces, mask=mask, notes=notes)


CUT = 0.02  # a face that comes this close to the frame's edge (in face widths) is cut by it: the detector and the
# mesh both stop short of the edge
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def _group_notes(faces: list[Face], size: tuple[int, int]) -> list[str]:
    """What the figures take on trust: a face a side of the frame cuts, and who reads as a child."""
    notes = []
    for k, face in enumerate(faces):
        who = "the face" if len(faces) == 1 else f"the {_ORDINALS[k] if k < len(_ORDINALS) else f'#{k + 1}'} face from the left"
        x0, _, x1, _ = face.whole or face.box
        if face.landmarks is not None:  # the mesh goes on past the frame where the detector's box stops short
            x0, x1 = min(x0, float(face.landmarks[:, 0].min())), max(x1, float(face.landmarks[:, 0].max()))
        # How far past a side of the frame (about 0 where it touches); a close selfie's chin at the bottom is no cut.
        past = max(-x0, x1 - size[0])
        if past > -CUT * face.size:
            notes.append(f"{who} is cut by the photo's edge; its hidden side is guessed")
        if face.child:
            notes.append(f"{who} reads as a child's (smaller and lower than the adults'); its figure is a child")
    return notes


def children(faces: list[Face]) -> list[bool]:
    """Which faces of a group are children's: clearly smaller than the adults' and lower in the photo (see
    CHILD_FRACTION). One face alone is taken as an adult's: there is nothing to measure it against."""
    if len(faces) < 2:
        return [False] * len(faces)
    largest = max(face.size for face in faces)
    adults = [face for face in faces if face.size >= 0.9 * largest]
    eyes = float(np.mean([face.keypoints[:2, 1].mean() for face in adults]))
    return [bool(face.size <= CHILD_FRACTION * largest and face.keypoints[:2, 1].mean() - eyes >= CHILD_DROP * face.size)
            for face in faces]


DARK = 0.2  # median lightness under which the segmentation sees a lifted copy of the photo


def _lift_if_dark(rgb: np.ndarray) -> np.ndarray:
    """An underexposed photo, brightened (a gamma curve) so the segmentation can tell hair from a
    dark background; other photos unchanged."""
    sample = rgb[:: max(1, rgb.shape[0] // 64), :: max(1, rgb.shape[1] // 64)]
    median = float(np.median(sample.mean(-1))) / 255
    if median >= DARK or median <= 0:
        return rgb
    gamma = np.log(0.45) / np.log(max(median, 0.02))  # the median goes to 0.45
    lut = np.clip(255 * (np.arange(256) / 255) ** gamma + 0.5, 0, 255).astype(np.uint8)
    return lut[rgb]


def look_upright(image: Image.Image, **kwargs) -> tuple[Subject, int]:
    """`look`, after turning a photo stored sideways or upside down with no orientation tag.

    A sideways face is found, and its eyes-to-mouth line says which way is up. The detector's
    keypoints assume an upright face, so when the detector is unsure (an upside-down face, or a
    sideways one it missed) the photo is tried turned; a turn wins when the detector is much surer there.

    Returns:
        The Subject of the upright photo and the turn applied (degrees counter-clockwise: 0, 90, 180 or 270).
    """
    rgb_image = image if image.mode == "RGB" else image.convert("RGB")
    found = faces_in(rgb_image)
    turn = _keypoint_turn(found) if found else 0
    best = max((f.score for f in found), default=0.0)
    if not turn and best < UPRIGHT_SCORE:
        for t in (90, 180, 270):
            turned = faces_in(rgb_image.rotate(t, expand=True))
            score = max((f.score for f in turned), default=0.0)
            if turned and score > best + TURN_MARGIN and not _keypoint_turn(turned):
                turn, best = t, score
    if not turn:
        return _look(rgb_image, faces=found, **kwargs), 0
    upright = rgb_image.rotate(turn, expand=True)
    return look(upright, **kwargs), turn


def _keypoint_turn(faces: list[Face]) -> int:
    """Degrees (a multiple of 90, counter-clockwise) that make the largest face upright, from its
    eyes-to-mouth line; 0 if it is upright (or upside down, which the keypoints cannot tell)."""
    face = max(faces, key=lambda f: f.width)
    eyes = (face.keypoints[0] + face.keypoints[1]) / 2
    mx, my = face.keypoints[3] - eyes
    # The eyes-to-mouth line points straight down (90 degrees, y growing downward) in an upright face.
    off = math.degrees(math.atan2(my, mx)) - 90.0
    off = (off + 180.0) % 360.0 - 180.0
    return int(round(off / 90.0)) % 4 * 90 if abs(off) > 50 else 0
