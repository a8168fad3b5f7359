"""Many views of one scene from a fixed camera: the parts go to the GPU once, then each frame is a turn.

`render.render` frames each picture tightly, which suits a still; a clip needs the camera to stay put
while the figure turns, or the figure would breathe in and out of the frame. This uses the same
shaders, materials and key light as `render.render`.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from . import render as _r
from .mesh import Part


@dataclass(frozen=True)
class Camera:
    """A perspective camera: where it is, what it looks at, its vertical field of view in degrees."""

    eye: tuple[float, float, float]
    target: tuple[float, float, float]
    fov: float = 18.0

    def matrices(self, width: int, height: int, near: float, far: float) -> tuple[np.ndarray, np.ndarray]:
        view = _r._look_at(np.asarray(self.eye, np.float32), np.asarray(self.target, np.float32))
        f = 1.0 / math.tan(math.radians(self.fov) / 2)
        proj = np.zeros((4, 4), np.float32)
        proj[0, 0], proj[1, 1] = f * height / width, f
        proj[2, 2], proj[2, 3] = (far + near) / (near - far), 2 * far * near / (near - far)
        proj[3, 2] = -1
        return view, proj


def _point(a: np.ndarray) -> tuple[float, float, float]:
    """A 3-vector as the plain (x, y, z) a Camera holds."""
    return float(a[0]), float(a[1]), float(a[2])


def turntable_camera(parts: list[Part], width: int, height: int, *, fill: float = 0.86, fov: float = 18.0,
                     lift: float = 0.08) -> Camera:
    """A camera that keeps the figure, turned any way, inside `fill` of the frame, its feet low in it."""
    pts = np.concatenate([p.vertices for p in parts])
    lo, hi = pts.min(0), pts.max(0)
    axis = np.array([(lo[0] + hi[0]) / 2, 0.0, (lo[2] + hi[2]) / 2], np.float32)
    radius = float(np.sqrt(((pts[:, [0, 2]] - axis[[0, 2]]) ** 2).sum(1)).max())
    tall = float(hi[1] - lo[1])
    half_h = max(tall / 2, radius * height / width) / fill
    dist = half_h / math.tan(math.radians(fov) / 2) + radius
    centre = np.array([axis[0], (lo[1] + hi[1]) / 2, axis[2]], np.float32)
    eye = centre + np.array([0.0, tall * lift, dist], np.float32)
    return Camera(_point(eye), _point(centre), fov)


def render_turns(parts: list[Part], turns: list[float], width: int, height: int, *, camera: Camera | None = None,
                 gloss: float = 1.0, msaa: int = 4, shadow_size: int = 1024, swing: float = 0.0,
                 models: list[np.ndarray] | None = None) -> list[np.ndarray]:
    """RGBA frames of `parts` turned by each angle in `turns` (degrees), seen by one fixed `camera`.

    `models` replaces the turns by a 4x4 matrix per frame (a box that turns and rises, say).

    Raises:
        RenderError: no OpenGL context can be made on this machine.
    """
    camera = camera or turntable_camera(parts, width, height)
    mats = models if models is not None else [_r.yaw_matrix(t) for t in turns]
    return [_r.unpremultiply(raw) for raw in stream_turns(parts, mats, width, height, camera, gloss=gloss, msaa=msaa,
                                                          shadow_size=shadow_size, swing=swing, flip=True)]


def stream_turns(parts: list[Part], models: list[np.ndarray], width: int, height: int, camera: Camera, *,
                 gloss: float = 1.0, msaa: int = 0, shadow_size: int = 1024, swing: float = 0.0,
                 window: tuple[int, int, int, int] | None = None, flip: bool = False,
                 background: np.ndarray | None = None) -> Iterator[np.ndarray]:
    """The frames of `render_turns` one at a time, as premultiplied RGBA: the parts go to the GPU once, and the GL
    thread draws the next frames while the caller uses this one, so a clip holds three at most.

    `window` (x, y, w, h, in pixels from the top left of the width x height frame) draws only that part of the
    frame, as the same camera sees it: a turntable's figure sweeps a fixed part of the frame, and the pixels
    round it are the backdrop's. Frames come bottom row first (as GL reads them) unless `flip`. With a
    `background` (RGB, top row first, width x height) each frame is drawn over it and comes out opaque RGB.

    Raises:
        RenderError: no OpenGL context can be made on this machine.
    """
    x, y, w, h = window or (0, 0, width, height)
    gl = _r._gl_thread()
    back = None if background is None else background[y:y + h, x:x + w]
    scene = _r.Prepared(parts)  # here: the GL thread, which every render shares, only uploads and draws
    session = gl.submit(_Session, scene, width, height, camera, gloss, msaa, shadow_size, swing, (x, y, w, h),
                        back).result()
    ahead: deque = deque()
    try:
        for model in models:
            ahead.append(gl.submit(session.draw, model, flip))
            if len(ahead) > 2:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()
    finally:
        for left in ahead:
            left.cancel()
        if threading.current_thread().name.startswith(_r.GL_THREAD):  # collected on the GL thread itself
            session.close()
        else:
            gl.submit(session.close).result()


class _Session:
    """On the GL thread: one scene's buffers, targets and camera, drawn once per frame, released by `close`."""

    def __init__(self, scene, width, height, camera, gloss, msaa, shadow_size, swing, window, background):
        self.ctx, prog, depth_prog = _r._context()
        self.progs = prog, depth_prog
        key = (_r.yaw_matrix(swing)[:3, :3] @ _r.KEY).astype(np.float32)
        pts = np.concatenate([p.vertices for p in scene.parts])
        lo, hi = pts.min(0), pts.max(0)
        centre = (lo + hi) / 2
        radius = float(np.linalg.norm(hi - lo)) / 2 + 0.1
        self.eye = np.asarray(camera.eye, np.float32)
        dist = float(np.linalg.norm(self.eye - centre))
        view, proj = camera.matrices(width, height, max(0.05, dist - radius * 1.5), dist + radius * 1.5)
        self.view_proj = crop_projection(proj, window, width, height) @ view
        l_view = _r._look_at(centre + key * radius * 2, centre)
        self.light_mvp = _r._ortho(radius, radius, 0.01, radius * 4) @ l_view
        self.key, self.gloss = key, gloss
        self.targets = _r.Targets(self.ctx, window[2], window[3], msaa, shadow_size, background)
        try:
            self.upload = _r.Upload(self.ctx, prog, depth_prog, scene)
        except BaseException:
            self.targets.__exit__()
            raise

    def draw(self, model: np.ndarray, flip: bool) -> np.ndarray:
        model = np.asarray(model, np.float32)
        return self.targets.draw(*self.progs, self.upload, model, self.view_proj @ model, self.light_mvp,
                                 self.key, self.eye, self.gloss, flip=flip)

    def close(self) -> None:
        self.upload.__exit__()
        self.targets.__exit__()


def crop_projection(proj: np.ndarray, window: tuple[int, int, int, int], width: int, height: int) -> np.ndarray:
    """`proj` narrowed to the pixels of `window` (x, y, w, h from the top left) of a width x height frame: the
    window's pixels are exactly the ones the whole frame would have there."""
    x, y, w, h = window
    if (x, y, w, h) == (0, 0, width, height):
        return proj
    sx, sy = w / width, h / height
    cx = (2 * x + w) / width - 1
    cy = 1 - (2 * y + h) / height
    crop = np.eye(4, dtype=np.float32)
    crop[0, 0], crop[0, 3] = 1 / sx, -cx / sx
    crop[1, 1], crop[1, 3] = 1 / sy, -cy / sy
    return (crop @ proj).astype(np.float32)


def swept_window(parts: list[Part], camera: Camera, width: int, height: int, *, pad: int = 3) -> tuple[int, int, int, int]:
    """The pixels (x, y, w, h) that `parts` can cover while turning about the vertical axis through the origin, as
    `camera` sees them at width x height: each height band of the figure sweeps a disc, and the window holds every
    disc's outline (so it holds any turn, a little more than the figure at most)."""
    pts = np.concatenate([p.vertices for p in parts]).astype(np.float64)
    ys = pts[:, 1]
    bands = np.linspace(ys.min(), ys.max() + 1e-6, 49)
    which = np.clip(np.searchsorted(bands, ys, side="right") - 1, 0, 47)
    reach = np.zeros(48)
    np.maximum.at(reach, which, np.hypot(pts[:, 0], pts[:, 2]))
    angles = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    # A little over each band's radius: the outline between the sampled angles stays inside.
    r = (reach / np.cos(np.pi / 180))[:, None]
    ring_x, ring_z = (r * np.cos(angles)).ravel(), (r * np.sin(angles)).ravel()
    out = []
    for level in (bands[:-1], bands[1:]):
        yy = np.repeat(level, len(angles))
        out.append(np.column_stack([ring_x, yy, ring_z, np.ones_like(yy)]))
    view, proj = camera.matrices(width, height, 0.01, 1000.0)
    clip = np.concatenate(out) @ (proj @ view).T.astype(np.float64)
    front = clip[:, 3] > 1e-6
    if not front.all():  # the camera is inside the sweep: the whole frame
        return 0, 0, width, height
    px = (clip[:, 0] / clip[:, 3] * 0.5 + 0.5) * width
    py = (0.5 - clip[:, 1] / clip[:, 3] * 0.5) * height
    x0, x1 = max(0, int(px.min()) - pad), min(width, int(math.ceil(px.max())) + pad)
    y0, y1 = max(0, int(py.min()) - pad), min(height, int(math.ceil(py.max())) + pad)
    # On the whole frame's 2x2 pixel grid (GL's rows count from the bottom), so the shader's screen-space
    # derivatives, taken per 2x2 block, are the very ones of a whole-frame render.
    x0 -= x0 % 2
    y1 += (height - y1) % 2 if y1 < height else 0
    if x1 - x0 < 2 or y1 - y0 < 2:
        return 0, 0, width, height
    return x0, y0, x1 - x0, y1 - y0
