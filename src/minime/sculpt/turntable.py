"""Many views of one scene from a fixed camera: the parts go to the GPU once, then each frame is a turn.

`render.render` frames each picture tightly, which suits a still; a clip needs the camera to stay put
while the figure turns, or the figure would breathe in and out of the frame. This uses the same
shaders, materials and key light as `render.render`.
"""

from __future__ import annotations

import math
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

    def job():
        ctx, prog, depth_prog = _r._context()
        return _frames(ctx, prog, depth_prog, parts, mats, width, height, camera, gloss, msaa, shadow_size, swing)

    return _r._gl_thread().submit(job).result()


def _frames(ctx, prog, depth_prog, parts, mats, width, height, camera, gloss, msaa, shadow_size, swing):
    key = (_r.yaw_matrix(swing)[:3, :3] @ _r.KEY).astype(np.float32)
    pts = np.concatenate([p.vertices for p in parts])
    lo, hi = pts.min(0), pts.max(0)
    centre = (lo + hi) / 2
    radius = float(np.linalg.norm(hi - lo)) / 2 + 0.1
    eye = np.asarray(camera.eye, np.float32)
    dist = float(np.linalg.norm(eye - centre))
    view, proj = camera.matrices(width, height, max(0.05, dist - radius * 1.5), dist + radius * 1.5)
    l_view = _r._look_at(centre + key * radius * 2, centre)
    light_mvp = _r._ortho(radius, radius, 0.01, radius * 4) @ l_view

    frames = []
    with _r.Targets(ctx, width, height, msaa, shadow_size) as targets, _r.Upload(ctx, prog, depth_prog, parts) as draws:
        for model in mats:
            model = np.asarray(model, np.float32)
            raw = targets.draw(prog, depth_prog, draws, model, proj @ view @ model, light_mvp, key, eye, gloss)
            frames.append(_r.unpremultiply(raw))
    return frames


