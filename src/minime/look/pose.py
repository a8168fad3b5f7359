"""The stance a person holds in the photo (arms crossed, hands on hips, waving), from MediaPipe's pose landmarks.

The pose model looks at a square around the body below the face; its 33 landmarks stay in memory.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image

from . import _tflite

MODEL = "pose_landmark_full.tflite"
SIZE = 256
# Landmark indices (MediaPipe BlazePose).
NOSE = 0
L_SHOULDER, R_SHOULDER, L_ELBOW, R_ELBOW, L_WRIST, R_WRIST, L_HIP, R_HIP = 11, 12, 13, 14, 15, 16, 23, 24
BLANK = 0  # a neighbour's part of the crop, blanked as the frame's padding is (grey reads as a body)
NEIGHBOUR_REACH = 1.0  # a neighbour's column: their face's centre, this many of their face widths either side
SEEN = 0.5  # the model's visibility above which a landmark is trusted


def landmarks(rgb: np.ndarray, face_box: tuple[float, float, float, float],
              others: Sequence[tuple[float, float, float, float]] = ()) -> np.ndarray | None:
    """(33, 3) pose landmarks (x, y in photo px, visibility 0-1) of the person whose face is at `face_box`,
    or None when the model finds no body there.

    In a group, `others` are the other people's face boxes: each neighbour's column of the photo is blanked
    before the model looks, so each person's stance is read from their own arms, never a neighbour's; and a
    body the model places under another face is not this person's.
    """
    x0, y0, x1, y1 = face_box
    fh = max(y1 - y0, 1.0)
    cx, cy = (x0 + x1) / 2, y1 + 1.6 * fh
    side = 6.5 * fh
    left, top = cx - side / 2, cy - side / 2
    crop = Image.fromarray(rgb).transform((SIZE, SIZE), Image.Transform.EXTENT, (left, top, left + side, top + side),
                                          Image.Resampling.BILINEAR, fillcolor=(0, 0, 0))
    k = side / SIZE
    if others:
        pixels = np.array(crop)
        for ox0, _, ox1, _ in others:
            # The neighbour's own column (their face and body under it), never nearer than halfway: a child's
            # small face beside an adult leaves the adult's folded elbow in view.
            ocx, reach = (ox0 + ox1) / 2, NEIGHBOUR_REACH * (ox1 - ox0)
            split = max(ocx - reach, (ocx + cx) / 2) if ocx > cx else min(ocx + reach, (ocx + cx) / 2)
            col = int(round((split - left) / k))
            if ocx > cx:
                pixels[:, max(0, col):] = BLANK
            else:
                pixels[:, :max(0, min(SIZE, col))] = BLANK
        crop = Image.fromarray(pixels)
    out = _tflite.run(MODEL, np.asarray(crop, np.float32)[None] / 255.0)
    flag = next(o for o in out if o.size == 1)
    if float(flag.reshape(())) < 0.5:
        return None
    raw = next(o for o in out if o.size == 195).reshape(39, 5)[:33]
    vis = 1 / (1 + np.exp(-np.clip(raw[:, 3], -50, 50)))
    points = np.stack([left + raw[:, 0] * k, top + raw[:, 1] * k, vis], 1)
    nose = points[NOSE, :2]
    w = x1 - x0
    if not (x0 - 0.5 * w <= nose[0] <= x1 + 0.5 * w and y0 - 0.5 * fh <= nose[1] <= y1 + 0.5 * fh):
        return None  # the body found is not under this face
    return points


def stance(points: np.ndarray | None) -> str | None:
    """The figure pose the photo shows ("arms-crossed", "hands-on-hips", "waving"), or None for none clear."""
    if points is None:
        return None
    p, seen = points[:, :2], points[:, 2] > SEEN
    if not (seen[L_SHOULDER] and seen[R_SHOULDER]):
        return None
    mid = (p[L_SHOULDER, 0] + p[R_SHOULDER, 0]) / 2
    half = abs(p[L_SHOULDER, 0] - p[R_SHOULDER, 0]) / 2
    shoulder_y = (p[L_SHOULDER, 1] + p[R_SHOULDER, 1]) / 2
    # The person's left side is on the viewer's right: sign +1 for it.
    side = {L_WRIST: np.sign(p[L_SHOULDER, 0] - mid), R_WRIST: np.sign(p[R_SHOULDER, 0] - mid)}
    for w in (L_WRIST, R_WRIST):
        if seen[w] and p[w, 1] < shoulder_y - 0.3 * half:
            return "waving"
    # Folded arms: a forearm held across the body (its wrist inward of its elbow, not hanging below it) with the
    # wrist past the midline at chest height; the other wrist is often hidden under the arm. No arm hangs.
    elbow = {L_WRIST: L_ELBOW, R_WRIST: R_ELBOW}

    def folded(w):
        e = elbow[w]
        return seen[e] and side[w] * (p[w, 0] - p[e, 0]) < -0.2 * half and p[w, 1] - p[e, 1] < 0.9 * half

    def across(w):
        return side[w] * (p[w, 0] - mid) < 0.0 and shoulder_y + 0.3 * half < p[w, 1] < shoulder_y + 3.4 * half

    def hanging(w):
        e = elbow[w]
        return seen[e] and p[w, 1] - p[e, 1] > 1.0 * half and abs(p[w, 0] - p[e, 0]) < 0.5 * half
    wrists = [w for w in (L_WRIST, R_WRIST) if seen[w]]
    if any(folded(w) and across(w) for w in wrists) and not any(hanging(w) for w in wrists):
        return "arms-crossed"
    if all(seen[i] for i in (L_WRIST, R_WRIST, L_ELBOW, R_ELBOW, L_HIP, R_HIP)):
        hip_y = (p[L_HIP, 1] + p[R_HIP, 1]) / 2
        near_hips = all(abs(p[w, 1] - hip_y) < 0.8 * half for w in (L_WRIST, R_WRIST))
        elbows_out = all(abs(p[e, 0] - mid) > 1.25 * half for e in (L_ELBOW, R_ELBOW))
        if near_hips and elbows_out:
            return "hands-on-hips"
    return None
