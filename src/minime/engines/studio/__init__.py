"""The studio engine: an offline toy finish on the CPU, no model download.

The person is cut out with the person mask, painted like a vinyl collectible (smoothed surfaces,
a reduced factory palette, a sculpt outline, a sheen from the key light at the top left) and set
on a glossy plinth as a collectible bust.
"""

from __future__ import annotations

import time

import numpy as np
from PIL import Image

from ...figure import Figure
from .cut import WORK_HEIGHT, bust_shape, crop_boxes, crop_with_crown, keep_person
from .paint import Outfit, outfit_of, outline, plinth_image, toy_finish
from .parts import FINISHES, POSES, Finish, Pose, bend, find_parts


class StudioEngine:
    name = "studio"
    runs_locally = True
    generative = False  # the figure is the photo, painted
    model = "studio-v1"

    def generate(self, subject, spec, *, n: int = 1, seed: int | None = None) -> list[Figure]:
        """Return `n` figures, each in a different finish (gloss, paint, light) and pose; the seed
        picks where in the lists of finishes and poses to start (one figure is posed facing front)."""
        boxes = crop_boxes(subject, subject.image.width, subject.image.height)
        height = WORK_HEIGHT if len(boxes) == 1 else int(WORK_HEIGHT * 0.8)
        outfit = outfit_of(spec.outfit)
        figures = []
        for i in range(max(1, n)):
            start = time.perf_counter()
            finish = FINISHES[((seed or 0) + i) % len(FINISHES)]
            pose = POSES[((seed or 0) + i) % len(POSES)] if n > 1 else POSES[0]
            busts = [self._bust(subject, face, b, height, outfit, finish, pose, same_scale=len(boxes) > 1)
                     for face, b in zip(subject.faces, boxes)]
            figure = _on_plinth(busts)
            figures.append(Figure(figure, "studio", f"{self.model} ({finish.name}, {pose.name})", seed, "",
                                  time.perf_counter() - start, {}, len(busts)))
        return figures

    @staticmethod
    def _bust(subject, face, box: tuple[int, int, int, int], work_height: int, outfit: Outfit = Outfit(),
              finish: Finish = FINISHES[0], pose: Pose = POSES[0], same_scale: bool = False) -> Image.Image:
        """One person cut out, painted and posed, cropped to their silhouette (RGBA). With `same_scale`
        (a multi-pack) every head comes out the same size, however near the camera each person stood."""
        crop, mask, box = crop_with_crown(subject, face, box)
        left, top, right, bottom = box
        alpha = keep_person(mask * bust_shape(face, box), face, box)
        if same_scale:  # the crop's height had the face been whole in the frame (see crop_boxes)
            scale = work_height / (3.85 * (face.box[3] - face.box[1]))
        else:
            scale = min(1.0, work_height / crop.height)
        if scale != 1.0:
            size = (max(1, round(crop.width * scale)), max(1, round(crop.height * scale)))
            crop = crop.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)
            alpha = np.asarray(Image.fromarray((alpha * 255).astype(np.uint8)).resize(size, Image.Resampling.BILINEAR), np.float32) / 255
        rgb = np.asarray(crop, np.float32) / 255
        parts = find_parts(rgb, alpha, face, (left, top), scale)
        painted = toy_finish(rgb, alpha, parts, outfit, finish)
        line = outline(alpha, max(2, crop.height // 200))
        ink = np.array([0.1, 0.09, 0.12], np.float32)
        out_rgb = painted * alpha[..., None] + ink * line[..., None]
        out_a = np.clip(alpha + line, 0, 1)
        fh = (face.box[3] - face.box[1]) * scale
        pivot = ((face.box[0] + face.box[2]) / 2 - left) * scale, (face.box[3] - top) * scale + 0.1 * fh
        posed = bend(np.dstack([out_rgb, out_a]), pivot, 0.25 * fh, pose)
        out_rgb, out_a = posed[..., :3], np.clip(posed[..., 3], 0, 1)
        rgb8 = np.where(out_a[..., None] > 0, out_rgb / np.maximum(out_a[..., None], 1e-4), 0)
        bust = Image.fromarray(np.dstack([np.clip(rgb8 * 255, 0, 255), out_a * 255]).astype(np.uint8), "RGBA")
        return bust.crop(bust.getchannel("A").getbbox() or (0, 0, bust.width, bust.height))


def _on_plinth(busts: list[Image.Image]) -> Image.Image:
    """Seat the busts side by side in one plinth: the cut at the bottom of each sinks into its top."""
    gap = int(min(b.width for b in busts) * 0.02)
    row_w = sum(b.width for b in busts) + gap * (len(busts) - 1)
    pw = int(row_w * (1.04 if len(busts) == 1 else 1.06))
    ph = int(min(pw * 0.24, max(b.height for b in busts) * 0.3))
    sink = int(ph * 0.21)  # where the plinth's top face is deepest behind the busts
    height = max(b.height for b in busts) + ph - sink
    canvas = Image.new("RGBA", (pw, height), (0, 0, 0, 0))
    plinth = plinth_image(pw, ph)
    py = height - ph
    canvas.alpha_composite(plinth.crop((0, 0, pw, sink)), (0, py))
    x = (pw - row_w) // 2
    for bust in busts:
        canvas.alpha_composite(bust, (x, py + sink - bust.height))
        x += bust.width + gap
    canvas.alpha_composite(plinth.crop((0, sink, pw, ph)), (0, py + sink))
    return canvas
