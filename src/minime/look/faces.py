"""Face detection (BlazeFace) and the 468-point face mesh, in photo pixel coordinates.

The detector runs at several scales so that both close-up selfies and small faces in group
photos are found: the short-range model on the whole photo (and on the photo zoomed out, for
faces that fill the frame), the full-range model on the whole photo, and the full-range model
on overlapping tiles when the photo is large enough that a small face would shrink below what
the detector sees. Each face is then cropped, rotated upright by its eye line and run through
the face-landmark model, as MediaPipe's face mesh does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image

from minime.look import _tflite

SHORT_RANGE = "face_detection_short_range.tflite"
FULL_RANGE = "face_detection_full_range_sparse.tflite"
LANDMARK = "face_landmark.tflite"

# A face is reported when the detector is this sure (after merging scales) and the mesh model
# agrees a face is in the crop; a very sure detection is kept even when the mesh fails.
MIN_SCORE = 0.5
SURE_SCORE = 0.9
MIN_PRESENCE = 0.5
# A detection under SURE_SCORE is kept only when the mesh model is this sure a face is there: real faces, even
# small, dark, turned, cut by the frame or half hidden, score above 0.99; a patch on a spacesuit scored 0.75.
CHECKED_PRESENCE = 0.95
# Candidates below this score are dropped before merging.
CANDIDATE_SCORE = 0.5
NMS_OVERLAP = 0.3
# The full-range model finds faces down to about 6.5% of its window; tiles make sure a face this
# many photo pixels wide is at least that large in some window.
SMALLEST_FACE_PX = 48
FULL_RANGE_MIN_FRACTION = 0.065


@dataclass(eq=False)
class Face:
    """One detected face; every coordinate is in pixels of the photo it was found in."""

    box: tuple[float, float, float, float]  # x0, y0, x1, y1
    score: float
    keypoints: np.ndarray  # (6, 2): right eye, left eye, nose tip, mouth centre, right ear, left ear
    landmarks: np.ndarray | None  # (468, 3) face mesh: x, y in photo px, z on the same scale
    whole: tuple[float, float, float, float] | None = None  # the box before the frame cut it; None: same as box
    child: bool = False  # a child's face, among adults' (set by the look stage, which sees the whole group)

    @property
    def width(self) -> float:
        """Width of the face box in photo pixels."""
        return self.box[2] - self.box[0]

    @property
    def size(self) -> float:
        """The face's width in photo pixels as if the frame did not cut it: a face at the edge is no smaller
        a person for being half out of the picture."""
        x0, _, x1, _ = self.whole or self.box
        return x1 - x0

    @property
    def height(self) -> float:
        """Height of the face box in photo pixels."""
        return self.box[3] - self.box[1]

    def __repr__(self) -> str:  # landmarks are face data: keep them out of logs and tracebacks
        x0, y0, x1, y1 = self.box
        mesh = "yes" if self.landmarks is not None else "no"
        return f"Face(box=({x0:.0f}, {y0:.0f}, {x1:.0f}, {y1:.0f}), score={self.score:.2f}, mesh={mesh})"


# --------------------------------------------------------------------------------------- anchors


def _ssd_anchors(size: int, strides: list[int], per_cell: list[int]) -> np.ndarray:
    """Anchor centres (N, 2) in [0, 1], as MediaPipe's SsdAnchorsCalculator with fixed anchor size."""
    out = []
    for stride, k in zip(strides, per_cell):
        cells = size // stride
        ys, xs = np.mgrid[0:cells, 0:cells]
        centres = np.stack([(xs + 0.5) / cells, (ys + 0.5) / cells], axis=-1).reshape(-1, 1, 2)
        out.append(np.repeat(centres, k, axis=1).reshape(-1, 2))
    return np.concatenate(out).astype(np.float32)


# Short range: strides 8, 16, 16, 16 with two anchors per layer -> 16x16x2 + 8x8x6 = 896.
# Full range: one layer of stride 4 with one anchor -> 48x48 = 2304.
_DETECTORS = {
    SHORT_RANGE: (128, _ssd_anchors(128, [8, 16], [2, 6])),
    FULL_RANGE: (192, _ssd_anchors(192, [4], [1])),
}


@dataclass
class _Candidates:
    """Detections in photo pixels: boxes (N, 4), scores (N,), keypoints (N, 6, 2)."""

    boxes: np.ndarray
    scores: np.ndarray
    keypoints: np.ndarray

    @staticmethod
    def empty() -> _Candidates:
        return _Candidates(np.zeros((0, 4), np.float32), np.zeros(0, np.float32), np.zeros((0, 6, 2), np.float32))

    @staticmethod
    def concat(parts: list[_Candidates]) -> _Candidates:
        if not parts:
            return _Candidates.empty()
        return _Candidates(
            np.concatenate([p.boxes for p in parts]),
            np.concatenate([p.scores for p in parts]),
            np.concatenate([p.keypoints for p in parts]),
        )


def _run_detector(model: str, window: Image.Image) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run a detector on a square RGB window of its input size; returns scores, boxes, keypoints in [0, 1]."""
    size, anchors = _DETECTORS[model]
    x = np.asarray(window, dtype=np.float32)[None] * (2.0 / 255.0) - 1.0
    outputs = _tflite.run(model, x)
    raw = next(o for o in outputs if o.shape[-1] == 16)[0]
    logits = next(o for o in outputs if o.shape[-1] == 1)[0, :, 0]
    scores = 1.0 / (1.0 + np.exp(-np.clip(logits, -80.0, 80.0)))
    keep = scores >= CANDIDATE_SCORE
    raw, scores, anchors = raw[keep] / size, scores[keep], anchors[keep]
    centre = raw[:, 0:2] + anchors
    half = raw[:, 2:4] / 2
    boxes = np.concatenate([centre - half, centre + half], axis=1)
    keypoints = raw[:, 4:16].reshape(-1, 6, 2) + anchors[:, None, :]
    return scores, boxes, keypoints


def _detect_windows(
    model: str, image: Image.Image, scale: float, origins: list[tuple[float, float]], bounds: tuple[int, int]
) -> _Candidates:
    """Detect in square windows of `image` (the photo resized by `scale`) at `origins` (resized px).

    A detection cut by a window edge that lies inside the photo is dropped: another window sees
    that face whole.
    """
    size = _DETECTORS[model][0]
    parts = []
    w, h = image.size
    for ox, oy in origins:
        window = Image.new("RGB", (size, size))
        crop_box = (max(0, round(ox)), max(0, round(oy)), min(w, round(ox) + size), min(h, round(oy) + size))
        if crop_box[2] <= crop_box[0] or crop_box[3] <= crop_box[1]:
            continue
        window.paste(image.crop(crop_box), (crop_box[0] - round(ox), crop_box[1] - round(oy)))
        scores, boxes, keypoints = _run_detector(model, window)
        if not len(scores):
            continue
        boxes = boxes * size
        keypoints = keypoints * size
        ox, oy = round(ox), round(oy)
        inner = np.array([ox > 0, oy > 0, ox + size < w, oy + size < h])
        margin = 0.02 * size
        cut = (
            (inner[0] & (boxes[:, 0] < margin))
            | (inner[1] & (boxes[:, 1] < margin))
            | (inner[2] & (boxes[:, 2] > size - margin))
            | (inner[3] & (boxes[:, 3] > size - margin))
        )
        keep = ~cut
        offset = np.array([ox, oy], np.float32)
        parts.append(
            _Candidates(
                ((boxes[keep].reshape(-1, 2, 2) + offset) / scale).reshape(-1, 4),
                scores[keep],
                (keypoints[keep] + offset) / scale,
            )
        )
    cands = _Candidates.concat(parts)
    # Drop boxes that lie mostly in the padding outside the photo.
    if len(cands.scores):
        bw, bh = bounds
        cx = (cands.boxes[:, 0] + cands.boxes[:, 2]) / 2
        cy = (cands.boxes[:, 1] + cands.boxes[:, 3]) / 2
        inside = (cx > 0) & (cx < bw) & (cy > 0) & (cy < bh)
        cands = _Candidates(cands.boxes[inside], cands.scores[inside], cands.keypoints[inside])
    return cands


def _letterbox_origins(w: int, h: int, side: float) -> list[tuple[float, float]]:
    """Origin of one window of `side` that centres a w x h image."""
    return [((w - side) / 2, (h - side) / 2)]


def _tile_origins(length: int, side: int) -> list[float]:
    """Window starts along one axis: cover [0, length) with windows of `side` overlapping by 30%."""
    if length <= side:
        return [(length - side) / 2]
    n = math.ceil((length - side) / (0.7 * side)) + 1
    return [i * (length - side) / (n - 1) for i in range(n)]


def _overlap(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Intersection over the smaller area, for boxes of similar size (0 when sizes differ > 3x).

    Stricter than IoU for merging: a coarse window can place a small face's box half a face
    off, and two real faces rarely cover a third of each other. The size rule keeps a spurious
    large box from swallowing a real face inside it.
    """
    x0 = np.maximum(box[0], boxes[:, 0])
    y0 = np.maximum(box[1], boxes[:, 1])
    x1 = np.minimum(box[2], boxes[:, 2])
    y1 = np.minimum(box[3], boxes[:, 3])
    inter = np.clip(x1 - x0, 0, None) * np.clip(y1 - y0, 0, None)
    area = (box[2] - box[0]) * (box[3] - box[1])
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    small, large = np.minimum(area, areas), np.maximum(area, areas)
    return np.where(small >= large / 3, inter / np.maximum(small, 1e-6), 0.0)


def _weighted_nms(c: _Candidates, overlap: float = NMS_OVERLAP) -> _Candidates:
    """MediaPipe's weighted non-maximum suppression: overlapping boxes are averaged by score."""
    order = np.argsort(-c.scores)
    boxes, scores, kps = c.boxes[order], c.scores[order], c.keypoints[order]
    out_b, out_s, out_k = [], [], []
    remaining = np.ones(len(scores), bool)
    for i in range(len(scores)):
        if not remaining[i]:
            continue
        group = remaining & (_overlap(boxes[i], boxes) > overlap)
        group[i] = True
        weights = scores[group][:, None]
        out_b.append((boxes[group] * weights).sum(0) / weights.sum())
        out_k.append((kps[group] * weights[:, :, None]).sum(0) / weights.sum())
        out_s.append(scores[i])
        remaining &= ~group
    if not out_s:
        return _Candidates.empty()
    return _Candidates(np.array(out_b, np.float32), np.array(out_s, np.float32), np.array(out_k, np.float32))


def _detect(photo: Image.Image) -> _Candidates:
    w, h = photo.size
    longest = max(w, h)
    parts = []

    # Whole photo, letterboxed: the full-range model (192 px window) and the short-range model
    # (128 px), plus the short-range model on the photo zoomed out by two for faces that fill it.
    full_size = _DETECTORS[FULL_RANGE][0]
    s = full_size / longest
    small = photo.resize((max(1, round(w * s)), max(1, round(h * s))), Image.Resampling.BILINEAR, reducing_gap=2.0)
    parts.append(_detect_windows(FULL_RANGE, small, s, _letterbox_origins(*small.size, full_size), (w, h)))

    short_size = _DETECTORS[SHORT_RANGE][0]
    for zoom in (1.0, 0.5):
        s = short_size * zoom / longest
        img = small.resize((max(1, round(w * s)), max(1, round(h * s))), Image.Resampling.BILINEAR)
        parts.append(_detect_windows(SHORT_RANGE, img, s, _letterbox_origins(*img.size, short_size), (w, h)))

    # Tiles, for faces too small for the whole-photo passes. The full-range model covers faces
    # from about FULL_RANGE_MIN_FRACTION to 0.3 of its window, so each level of tiles can be up
    # to four times smaller than the one before, down to windows where a SMALLEST_FACE_PX face
    # is just large enough.
    finest = SMALLEST_FACE_PX / FULL_RANGE_MIN_FRACTION
    levels = math.ceil(math.log(longest / finest, 4)) if longest > finest else 0
    for k in range(1, levels + 1):
        side = longest * (finest / longest) ** (k / levels)
        s = full_size / side
        img = photo.resize((max(1, round(w * s)), max(1, round(h * s))), Image.Resampling.BILINEAR, reducing_gap=2.0)
        origins = [(x, y) for y in _tile_origins(img.height, full_size) for x in _tile_origins(img.width, full_size)]
        parts.append(_detect_windows(FULL_RANGE, img, s, origins, (w, h)))

    return _weighted_nms(_Candidates.concat(parts))


# ------------------------------------------------------------------------------------- landmarks

LANDMARK_SIZE = 192
ROI_SCALE = 1.5
# Face-mesh points on the outer eye corners (subject's right, then left), used for the rotation.
_MESH_RIGHT_EYE, _MESH_LEFT_EYE = 33, 263


def _rotation(start: np.ndarray, end: np.ndarray) -> float:
    """MediaPipe's ROI rotation: the angle that brings the start->end line horizontal."""
    return -math.atan2(-(end[1] - start[1]), end[0] - start[0])


def _run_mesh(photo: Image.Image, cx: float, cy: float, side: float, theta: float) -> tuple[np.ndarray, float]:
    """Run the face-landmark model on a square ROI; returns (468, 3) photo-px landmarks and presence."""
    n = LANDMARK_SIZE
    k = side / n
    cos, sin = math.cos(theta), math.sin(theta)
    # The ROI's axis-aligned bounds, so a large face is downsampled (antialiased) before rotating.
    half = side * (abs(cos) + abs(sin)) / 2 + 2
    x0, y0 = math.floor(cx - half), math.floor(cy - half)
    x1, y1 = math.ceil(cx + half), math.ceil(cy + half)
    region = photo.crop((x0, y0, x1, y1))
    factor = max(1, int(k))
    if factor > 1:
        region = region.reduce(factor)
    # Map crop pixel U, V (continuous) to region pixels: photo = c + R (U - n/2, V - n/2) k.
    a, b = k * cos / factor, -k * sin / factor
    d, e = k * sin / factor, k * cos / factor
    c = (cx - x0) / factor - a * n / 2 - b * n / 2
    f = (cy - y0) / factor - d * n / 2 - e * n / 2
    crop = region.transform((n, n), Image.Transform.AFFINE, (a, b, c, d, e, f), resample=Image.Resampling.BILINEAR)
    x = np.asarray(crop, dtype=np.float32)[None] * (1.0 / 255.0)
    outputs = _tflite.run(LANDMARK, x)
    mesh = next(o for o in outputs if o.size == 468 * 3).reshape(468, 3)
    logit = float(next(o for o in outputs if o.size == 1).reshape(()))
    presence = 1.0 / (1.0 + math.exp(-max(-100.0, min(100.0, logit))))
    u, v = mesh[:, 0] - n / 2, mesh[:, 1] - n / 2
    out = np.empty((468, 3), np.float32)
    out[:, 0] = cx + k * (cos * u - sin * v)
    out[:, 1] = cy + k * (sin * u + cos * v)
    out[:, 2] = mesh[:, 2] * k
    return out, presence


def _mesh_roi(mesh: np.ndarray) -> tuple[float, float, float, float]:
    """ROI (cx, cy, side, theta) around a face mesh, as MediaPipe's landmarks-to-ROI step."""
    theta = _rotation(mesh[_MESH_RIGHT_EYE, :2], mesh[_MESH_LEFT_EYE, :2])
    cos, sin = math.cos(theta), math.sin(theta)
    pts = mesh[:, :2]
    centre = pts.mean(0)
    # Bounds in the face's own (upright) frame.
    rel = pts - centre
    u = rel[:, 0] * cos + rel[:, 1] * sin
    v = -rel[:, 0] * sin + rel[:, 1] * cos
    mu, mv = (u.max() + u.min()) / 2, (v.max() + v.min()) / 2
    cx = centre[0] + mu * cos - mv * sin
    cy = centre[1] + mu * sin + mv * cos
    side = max(u.max() - u.min(), v.max() - v.min()) * ROI_SCALE
    return float(cx), float(cy), float(side), theta


def _face_mesh(photo: Image.Image, box: np.ndarray, keypoints: np.ndarray) -> tuple[np.ndarray | None, float]:
    """The face mesh for one detection and the model's face presence (mesh None if absent)."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    side = max(box[2] - box[0], box[3] - box[1]) * ROI_SCALE
    theta = _rotation(keypoints[0], keypoints[1])
    if side < 4:
        return None, 0.0
    mesh, presence = _run_mesh(photo, float(cx), float(cy), float(side), theta)
    if presence < MIN_PRESENCE:
        return None, presence
    # A second pass on the ROI the first mesh gives, as MediaPipe does when tracking: it is tighter
    # and better aligned than the one from the detector box.
    roi = _mesh_roi(mesh)
    if roi[2] < 4:
        return mesh, presence
    mesh2, presence2 = _run_mesh(photo, *roi)
    if presence2 >= presence:
        return mesh2, presence2
    return mesh, presence


# ------------------------------------------------------------------------------------------ API


def detect_faces(rgb: np.ndarray) -> list[Face]:
    """Find the faces in a photo and their face meshes.

    Args:
        rgb: the photo, uint8 array of shape (H, W, 3).

    Returns:
        Confident faces, left to right, with box, keypoints and landmarks in photo pixels.
    """
    rgb = np.asarray(rgb)
    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"detect_faces needs a uint8 HxWx3 RGB array, got {rgb.dtype} {rgb.shape}")
    return faces_in(Image.fromarray(rgb))


def faces_in(photo: Image.Image) -> list[Face]:
    """`detect_faces` on an RGB PIL image, for a caller that holds the photo as one already."""
    width, height = photo.size
    cands = _detect(photo)
    faces = []
    for box, score, kps in zip(cands.boxes, cands.scores, cands.keypoints):
        if score < MIN_SCORE:
            continue
        landmarks, presence = _face_mesh(photo, box, kps)
        if score < SURE_SCORE and presence < CHECKED_PRESENCE:
            continue  # an unsure detection the mesh model doubts too: a badge or a print on a shirt, not a person
        x0, y0, x1, y1 = (float(v) for v in box)
        faces.append(
            Face(
                # A face cut by the frame keeps only its visible part, so crops stay inside the photo.
                box=(max(0.0, x0), max(0.0, y0), min(float(width), x1), min(float(height), y1)),
                score=float(score),
                keypoints=kps.astype(np.float32),
                landmarks=landmarks,
                whole=_whole((x0, y0, x1, y1), landmarks, width),
            )
        )
    faces = one_per_person(faces)
    faces.sort(key=lambda face: (face.box[0] + face.box[2]) / 2)
    return faces


# A face box this close to a side of the photo (in face widths) may be cut by it.
EDGE = 0.1


def _whole(box: tuple[float, float, float, float], landmarks: np.ndarray | None,
           width: int) -> tuple[float, float, float, float]:
    """The face's box as if the photo's side did not cut it. The detector boxes only what it sees, so a face a
    quarter out of the frame looks a quarter smaller (and a bystander's size); its height, brow to chin on the
    mesh, is cut far less, and a face is about as wide as that."""
    x0, y0, x1, y1 = box
    if landmarks is None:
        return box
    tall = float(np.hypot(*(landmarks[152, :2] - landmarks[10, :2])))  # mesh: top of the forehead, chin
    near = EDGE * (x1 - x0)
    if tall > x1 - x0:
        if min(x0, landmarks[:, 0].min()) <= near:
            x0 = x1 - tall
        elif max(x1, landmarks[:, 0].max()) >= width - near:
            x1 = x0 + tall
    return x0, y0, x1, y1


# Two meshes whose nose tips are closer than this (in face widths) are one person's face.
SAME_PERSON = 0.35


def one_per_person(faces: list[Face]) -> list[Face]:
    """Each person once: a detection whose face mesh settled on a face another, surer detection already holds
    (a raised hand or a shoulder next to a face; the mesh's second pass drifts to the face beside it) is the
    same person twice, and is dropped. So is a detection whose mesh left its box for somewhere else."""
    kept: list[Face] = []
    for face in sorted(faces, key=lambda f: -f.score):
        if face.landmarks is not None:
            nose = face.landmarks[1, :2]
            x0, y0, x1, y1 = face.whole or face.box
            if not (x0 <= nose[0] <= x1 and y0 <= nose[1] <= y1):
                continue
            if any(other.landmarks is not None
                   and np.hypot(*(other.landmarks[1, :2] - nose)) < SAME_PERSON * max(face.size, other.size)
                   for other in kept):
                continue
        kept.append(face)
    return kept
