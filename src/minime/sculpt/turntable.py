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
from .mesh import Part, vertex_normals


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
    return Camera(tuple(float(x) for x in eye), tuple(float(x) for x in centre), fov)


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

    buffers = []
    try:
        shadow_tex = ctx.depth_texture((shadow_size, shadow_size))
        shadow_tex.compare_func = "<="
        shadow_tex.filter = (ctx.LINEAR, ctx.LINEAR)
        shadow_fbo = ctx.framebuffer(depth_attachment=shadow_tex)
        color = ctx.renderbuffer((width, height), 4, samples=msaa)
        depth = ctx.depth_renderbuffer((width, height), samples=msaa)
        fbo = ctx.framebuffer(color, depth)
        out_color = ctx.renderbuffer((width, height), 4)
        out = ctx.framebuffer(out_color)
        buffers += [shadow_tex, shadow_fbo, color, depth, fbo, out_color, out]
        draws = []
        for part in parts:
            n = vertex_normals(part.vertices, part.faces)
            uv = part.uv if part.uv is not None else np.zeros((len(part.vertices), 2), np.float32)
            pw = part.paint if part.paint is not None else np.zeros(len(part.vertices), np.float32)
            data = np.hstack([part.vertices, n, part.colors, uv, pw[:, None]]).astype("f4")
            vbo = ctx.buffer(data.tobytes())
            ibo = ctx.buffer(part.faces.astype("i4").tobytes())
            vao = ctx.vertex_array(prog, [(vbo, "3f 3f 3f 2f 1f", "in_pos", "in_normal", "in_color", "in_uv", "in_paint")], ibo)
            dvao = ctx.vertex_array(depth_prog, [(vbo, "3f 36x", "in_pos")], ibo)
            tex = None
            if part.texture is not None:
                t = np.ascontiguousarray(part.texture[::-1, :, :3])
                tex = ctx.texture((t.shape[1], t.shape[0]), 3, t.tobytes())
                tex.build_mipmaps()
                tex.filter = (ctx.LINEAR_MIPMAP_LINEAR, ctx.LINEAR)
                buffers.append(tex)
            buffers += [vbo, ibo, vao, dvao]
            draws.append((part, vao, dvao, tex))

        ctx.enable(ctx.DEPTH_TEST)
        ctx.disable(ctx.CULL_FACE)
        frames = []
        for model in mats:
            model = np.asarray(model, np.float32)
            shadow_fbo.use()
            shadow_fbo.clear(depth=1.0)
            ctx.viewport = (0, 0, shadow_size, shadow_size)
            depth_prog["light_mvp"].write(light_mvp.T.astype("f4").tobytes())
            depth_prog["model"].write(model.T.astype("f4").tobytes())
            for part, _, dvao, _ in draws:
                if part.material != "clear":
                    dvao.render()
            fbo.use()
            ctx.viewport = (0, 0, width, height)
            fbo.clear(0.0, 0.0, 0.0, 0.0, depth=1.0)
            prog["mvp"].write((proj @ view @ model).T.astype("f4").tobytes())
            prog["model"].write(model.T.astype("f4").tobytes())
            prog["light_mvp"].write(light_mvp.T.astype("f4").tobytes())
            prog["key"].value = tuple(float(x) for x in key)
            prog["eye"].value = tuple(float(x) for x in eye)
            prog["texel"].value = 1.0 / shadow_size
            prog["shadow"].value = 1
            prog["paint"].value = 0
            shadow_tex.use(location=1)
            for part, vao, _, tex in draws:
                s, shin, rim, trans, coat = _r.MATERIAL[part.material]
                prog["mat"].value = (s * gloss, shin * gloss, rim, trans)
                prog["coat"].value = coat * gloss
                if tex is not None:
                    tex.use(location=0)
                vao.render()
            if msaa:
                ctx.copy_framebuffer(out, fbo)
                raw = out.read(components=4, alignment=1)
            else:
                raw = fbo.read(components=4, alignment=1)
            frames.append(_unpremultiply(np.frombuffer(raw, np.uint8).reshape(height, width, 4)[::-1]))
        return frames
    finally:
        for b in buffers:
            b.release()


def _unpremultiply(raw: np.ndarray) -> np.ndarray:
    """The resolve averages samples with the transparent clear colour: undo that at the edges only."""
    a = raw[..., 3]
    edge = (a > 0) & (a < 255)
    out = raw.copy()
    if edge.any():
        rgb = raw[edge][:, :3].astype(np.float32) * (255.0 / a[edge][:, None])
        out[edge, :3] = np.clip(rgb, 0, 255).astype(np.uint8)
    return out
