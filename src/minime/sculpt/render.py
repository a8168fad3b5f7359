"""Render sculpted parts as painted PVC (vinyl, matte cloth, leather, metal) with moderngl on headless EGL.

One key light from the top left (as on the box), a soft fill, a Fresnel rim, a shadow map, slight
translucency on skin, see-through clear parts (drawn last, blended over the rest) and 4x MSAA. The result
is RGBA with a transparent background.
"""

from __future__ import annotations

import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np

from .materials import MATERIALS
from .mesh import Part, vertex_normals

KEY = np.array([-0.55, 0.75, 0.65], np.float32)  # toward the key light: up, left, in front
KEY /= np.linalg.norm(KEY)


class RenderError(RuntimeError):
    """No OpenGL context could be made on this machine (no EGL / Mesa)."""


_VERT = """
#version 330
uniform mat4 mvp;
uniform mat4 model;
uniform mat4 light_mvp;
in vec3 in_pos;
in vec3 in_normal;
in vec3 in_color;
in vec2 in_uv;
in float in_paint;
in float in_ao;
out vec3 v_pos;
out vec3 v_obj;
out float v_ao;
out vec3 v_normal;
out vec3 v_color;
out vec2 v_uv;
out float v_paint;
out vec4 v_light;
void main() {
    vec4 world = model * vec4(in_pos, 1.0);
    v_pos = world.xyz;
    v_obj = in_pos;
    v_ao = in_ao;
    v_normal = mat3(model) * in_normal;
    v_color = in_color;
    v_uv = in_uv;
    v_paint = in_paint;
    v_light = light_mvp * world;
    gl_Position = mvp * vec4(in_pos, 1.0);
}
"""

_FRAG = """
#version 330
uniform vec3 key;
uniform vec3 eye;
uniform vec4 mat;        // specular, shininess, rim, translucency
uniform float coat;
uniform float opacity;   // below 1: a clear part, blended over what is behind it
uniform sampler2D paint;
uniform sampler2DShadow shadow;
uniform float texel;
uniform mat3 boxes[2];      // the key's softbox and the strip light behind: (toward it, across, up) each
uniform vec3 sheen;         // softbox reflection: strength, edge softness, metal (tints it by the paint)
uniform sampler2D contact;  // the contact shadow on the base (shade.contact), over...
uniform vec4 contact_box;   // ...x0, z0, 1/width, 1/depth in the parts' own coordinates
uniform vec2 ground;        // the base's top height and how near to it a surface counts as on it
uniform float receiver;     // 1 while a base is drawn
in vec3 v_pos;
in vec3 v_obj;
in float v_ao;
in vec3 v_normal;
in vec3 v_color;
in vec2 v_uv;
in float v_paint;
in vec4 v_light;
out vec4 f_color;

vec3 to_linear(vec3 c) { return pow(c, vec3(2.2)); }

float lit() {
    vec3 p = v_light.xyz / v_light.w * 0.5 + 0.5;
    if (p.x <= 0.0 || p.x >= 1.0 || p.y <= 0.0 || p.y >= 1.0) return 1.0;
    // The 3x3 filter's corners first: where they agree (fully lit or fully in shadow, most of the figure) the
    // other five taps would too, and a CPU rasteriser is spared them.
    float d = texel * 1.5, z = p.z - 0.002;
    float s = texture(shadow, vec3(p.xy + vec2(-d, -d), z)) + texture(shadow, vec3(p.xy + vec2(d, -d), z))
            + texture(shadow, vec3(p.xy + vec2(-d, d), z)) + texture(shadow, vec3(p.xy + vec2(d, d), z));
    if (s == 0.0 || s == 4.0) return s * 0.25;
    s += texture(shadow, vec3(p.xy, z)) + texture(shadow, vec3(p.xy + vec2(-d, 0.0), z))
       + texture(shadow, vec3(p.xy + vec2(d, 0.0), z)) + texture(shadow, vec3(p.xy + vec2(0.0, -d), z))
       + texture(shadow, vec3(p.xy + vec2(0.0, d), z));
    return s / 9.0;
}

// A softbox as a glossy surface mirrors it: a bright rounded rectangle of half-size s round the direction f[0].
float softbox(vec3 r, mat3 f, vec2 s, float soft) {
    float d = dot(r, f[0]);
    if (d <= 0.05) return 0.0;
    vec2 q = abs(vec2(dot(r, f[1]), dot(r, f[2])) / d) / s;
    return (1.0 - smoothstep(1.0 - soft, 1.0, q.x)) * (1.0 - smoothstep(1.0 - soft, 1.0, q.y));
}

void main() {
    vec3 n = normalize(v_normal);
    if (!gl_FrontFacing) n = -n;
    vec3 v = normalize(eye - v_pos);
    vec3 base = v_color;
    if (v_paint > 0.0) base = mix(base, texture(paint, v_uv).rgb, clamp(v_paint, 0.0, 1.0));
    vec3 albedo = to_linear(base);
    float ndl = dot(n, key);
    float sh = lit();
    // Where the figure stands on its base, the base is in its soft contact shadow.
    float touch = 0.0;
    if (receiver > 0.5) {
        float on = step(0.5, n.y) * (1.0 - smoothstep(0.0, ground.y, abs(v_obj.y - ground.x)));
        touch = on * texture(contact, (v_obj.xz - contact_box.xy) * contact_box.zw).r;
    }
    float ao = v_ao;  // creases see less of the room
    // Wrapped diffuse on skin: light bleeds a little past the terminator, as through soft vinyl.
    float wrap = mat.w;
    float diff = max((ndl + wrap) / (1.0 + wrap), 0.0) * mix(0.35, 1.0, sh) * mix(1.0, ao, 0.4);
    vec3 fill_dir = normalize(vec3(0.7, 0.2, 0.6));
    float fill = max(dot(n, fill_dir), 0.0) * 0.28 * ao;
    float sky = 0.5 + 0.5 * n.y;
    vec3 ambient = mix(vec3(0.16, 0.15, 0.14), vec3(0.32, 0.33, 0.36), sky) * ao;
    vec3 h = normalize(key + v);
    float spec = pow(max(dot(n, h), 0.0), mat.y) * mat.x * sh * step(0.0, ndl);
    float broad = pow(max(dot(n, h), 0.0), 8.0) * coat * sh * step(0.0, ndl);
    float ndv = max(dot(n, v), 0.0);
    float fres = pow(1.0 - ndv, 3.0);
    vec3 rim = vec3(0.85, 0.9, 1.0) * fres * mat.z * (0.4 + 0.6 * sky) * ao;
    // The studio as gloss mirrors it: the key's big softbox and a tall strip light behind, stronger at grazing
    // angles (Fresnel), kept out of the creases; metal tints it with its own colour.
    vec3 r = reflect(-v, n);
    // Where the reflection turns fast across a pixel (a tight edge), its outline is blurred, not aliased.
    float swing = length(fwidth(r));
    float soft = min(1.0, sheen.y + 3.0 * swing);
    float env = (softbox(r, boxes[0], vec2(0.55, 0.42), soft) + 0.8 * softbox(r, boxes[1], vec2(0.16, 1.2), soft))
              / (1.0 + 2.0 * swing) + 0.08 * smoothstep(-0.1, 0.7, r.y);
    float schlick = 0.04 + 0.96 * pow(1.0 - ndv, 5.0);
    vec3 refl = env * sheen.x * (1.3 + 2.5 * schlick) * v_ao * mix(vec3(1.0), albedo * 2.0, sheen.z);
    vec3 col = albedo * (vec3(1.0, 0.98, 0.95) * diff * 1.15 + ambient + fill)
             + vec3(spec + broad * 0.35) + rim + refl;
    if (wrap > 0.0) col += albedo * vec3(0.9, 0.35, 0.25) * wrap * 0.25 * (1.0 - max(ndl, 0.0));
    col *= 1.0 - 0.8 * touch;  // the contact shadow takes the highlights too: little light reaches under a shoe
    col = col / (1.0 + 0.15 * col);  // soft shoulder so highlights do not clip flat
    float alpha = 1.0;
    if (opacity < 1.0) {
        float shine = dot(vec3(spec + broad * 0.35) + rim + refl, vec3(0.333));
        alpha = clamp(opacity + 0.55 * fres + shine, 0.0, 1.0);
    }
    f_color = vec4(pow(clamp(col, 0.0, 1.0), vec3(1.0 / 2.2)), alpha);
}
"""

_DEPTH_VERT = """
#version 330
uniform mat4 mvp;
in vec3 in_pos;
void main() { gl_Position = mvp * vec4(in_pos, 1.0); }
"""

# A backdrop under the figure, drawn into the frame first: a clip's frames then come out finished (no alpha to
# lay over a backdrop on the CPU), and clear parts blend over the backdrop itself.
_BACK_VERT = """
#version 330
in vec2 in_pos;
out vec2 v_uv;
void main() { v_uv = in_pos * 0.5 + 0.5; gl_Position = vec4(in_pos, 0.0, 1.0); }
"""

_BACK_FRAG = """
#version 330
uniform sampler2D back;
in vec2 v_uv;
out vec4 f_color;
void main() { f_color = vec4(texture(back, v_uv).rgb, 1.0); }
"""

_DEPTH_FRAG = """
#version 330
void main() {}
"""

_lock = threading.Lock()
_thread: ThreadPoolExecutor | None = None
GL_THREAD = "minime-gl"  # the name of the thread that owns the GL context


def _gl_thread() -> ThreadPoolExecutor:
    """The one thread that owns the GL context: a context is current on one thread only, and the web app
    and batch runner call engines from worker threads."""
    global _thread
    with _lock:
        if _thread is None:
            _thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix=GL_THREAD)
        return _thread


def _after_fork() -> None:  # a forked worker inherits neither the thread nor a usable context
    global _thread, _kept
    _thread = None
    _kept = None
    _context.cache_clear()
    _backdrop_quad.cache_clear()


@lru_cache(maxsize=1)
def _context():
    """One headless GL context per process (creating one costs 0.1-0.2 s)."""
    try:
        import moderngl
    except ImportError as exc:  # pragma: no cover - moderngl is a core dependency
        raise RenderError(f"moderngl is not installed ({exc})") from None
    first = None
    for kwargs in ({"backend": "egl"}, {}):  # headless EGL, else the platform's own (macOS, Windows, a desktop)
        try:
            ctx = moderngl.create_standalone_context(require=330, **kwargs)
            break
        except Exception as exc:  # noqa: BLE001 - every backend failure means the same to the user
            first = first or exc
    else:
        line = (str(first).splitlines() or [type(first).__name__])[0]
        raise RenderError(f"no OpenGL context could be made: {line}")
    prog = ctx.program(vertex_shader=_VERT, fragment_shader=_FRAG)
    depth = ctx.program(vertex_shader=_DEPTH_VERT, fragment_shader=_DEPTH_FRAG)
    return ctx, prog, depth


@lru_cache(maxsize=1)
def _backdrop_quad():
    """The backdrop's program and its full-frame quad, made once per process (on the GL thread)."""
    ctx = _context()[0]
    prog = ctx.program(vertex_shader=_BACK_VERT, fragment_shader=_BACK_FRAG)
    vbo = ctx.buffer(np.array([-1, -1, 1, -1, -1, 1, 1, 1], "f4").tobytes())
    return prog, ctx.vertex_array(prog, [(vbo, "2f", "in_pos")])


@lru_cache(maxsize=1)
def _gl_finish():
    """glFinish, called through ctypes, which lets go of the GIL while the rasteriser's threads finish a frame:
    moderngl holds it through that wait, so a clip's encoding (another thread) would wait too. None where no
    such library is found (moderngl's own read still waits, holding the GIL)."""
    import ctypes
    import ctypes.util

    for name in ("libGL.so.1", "libOpenGL.so.0", ctypes.util.find_library("GL")):
        if not name:
            continue
        try:
            return ctypes.CDLL(name).glFinish
        except (OSError, AttributeError):
            continue
    return None


def _try_context() -> str | None:
    try:
        _context()
    except RenderError as exc:
        return str(exc)
    return None


def available() -> str | None:
    """None when a GL context can be made here, else the reason it cannot."""
    return _gl_thread().submit(_try_context).result()


os.register_at_fork(after_in_child=_after_fork)


def _look_at(eye: np.ndarray, target: np.ndarray, up=(0.0, 1.0, 0.0)) -> np.ndarray:
    f = target - eye
    f = f / np.linalg.norm(f)
    s = np.cross(f, up)
    s = s / np.linalg.norm(s)
    u = np.cross(s, f)
    m = np.eye(4, dtype=np.float32)
    m[0, :3], m[1, :3], m[2, :3] = s, u, -f
    m[:3, 3] = -m[:3, :3] @ eye
    return m


def _ortho(half_w: float, half_h: float, near: float, far: float) -> np.ndarray:
    m = np.eye(4, dtype=np.float32)
    m[0, 0], m[1, 1] = 1 / half_w, 1 / half_h
    m[2, 2], m[2, 3] = -2 / (far - near), -(far + near) / (far - near)
    return m


def yaw_matrix(degrees: float) -> np.ndarray:
    """A turn about the vertical axis; positive turns the figure's front toward the viewer's right."""
    a = math.radians(degrees)
    m = np.eye(4, dtype=np.float32)
    m[0, 0], m[0, 2], m[2, 0], m[2, 2] = math.cos(a), math.sin(a), -math.sin(a), math.cos(a)
    return m


def render(parts: list[Part], *, height: int = 1024, turn: float = 0.0, gloss: float = 1.0, swing: float = 0.0,
           fov: float = 18.0, margin: float = 0.04, msaa: int = 4, shadow_size: int = 1024) -> np.ndarray:
    """Render parts to an RGBA uint8 array, framed tightly, the figure turned by `turn` degrees.

    `gloss` scales the specular finish (below 1 satin, above 1 high gloss); `swing` moves the key light
    round the figure by that many degrees (it stays at the top left).

    Raises:
        RenderError: no OpenGL context can be made on this machine.
    """
    scene = Prepared(parts)  # on this thread: the GL thread, which every render shares, only uploads and draws

    def job():
        ctx, prog, depth_prog = _context()
        return _render(ctx, prog, depth_prog, scene, height, turn, gloss, swing, fov, margin, msaa, shadow_size)

    return unpremultiply(_gl_thread().submit(job).result())


def _render(ctx, prog, depth_prog, prepared: Prepared, height, turn, gloss, swing, fov, margin, msaa,
            shadow_size) -> np.ndarray:
    parts = prepared.parts
    model = yaw_matrix(turn)
    key = (yaw_matrix(swing)[:3, :3] @ KEY).astype(np.float32)
    pts = np.concatenate([p.vertices for p in parts])
    world = pts @ model[:3, :3].T
    lo, hi = world.min(0), world.max(0)
    centre = (lo + hi) / 2
    size = hi - lo
    # A long lens, the camera a little above the figure's middle, looking slightly down, as at a toy on a shelf.
    half_h = size[1] / 2 * (1 + margin)
    dist = half_h / math.tan(math.radians(fov) / 2) + size[2]
    eye = centre + np.array([0.0, size[1] * 0.08, dist], np.float32)
    view = _look_at(eye, centre)
    cam = world @ view[:3, :3].T + view[:3, 3]
    # Frame the projected bounds exactly (perspective makes them a little off-centre).
    f = 1.0 / math.tan(math.radians(fov) / 2)
    ndc_x, ndc_y = cam[:, 0] / -cam[:, 2] * f, cam[:, 1] / -cam[:, 2] * f
    pad = 1 + margin
    x0, x1 = ndc_x.min() * pad, ndc_x.max() * pad
    y0, y1 = ndc_y.min() * pad, ndc_y.max() * pad
    width = max(16, int(round(height * (x1 - x0) / (y1 - y0))))
    near, far = max(0.1, -cam[:, 2].max() - 1), -cam[:, 2].min() + 1
    proj = np.zeros((4, 4), np.float32)
    proj[0, 0], proj[0, 2] = 2 * f / (x1 - x0), (x1 + x0) / (x1 - x0)
    proj[1, 1], proj[1, 2] = 2 * f / (y1 - y0), (y1 + y0) / (y1 - y0)
    proj[2, 2], proj[2, 3] = (far + near) / (near - far), 2 * far * near / (near - far)
    proj[3, 2] = -1
    mvp = proj @ view @ model

    # The key light's shadow map, an orthographic view along the key direction over the whole scene.
    radius = float(np.linalg.norm(size)) / 2 + 0.1
    l_view = _look_at(centre + key * radius * 2, centre)
    light_mvp = _ortho(radius, radius, 0.01, radius * 4) @ l_view

    targets = _targets(ctx, width, height, msaa, shadow_size)
    try:
        with Upload(ctx, prog, depth_prog, prepared) as scene:
            return targets.draw(prog, depth_prog, scene, model, mvp, light_mvp, key, eye, gloss)
    finally:
        _keep(targets)


KEEP_PIXELS = 1_200_000  # render targets up to this size are kept for the next render (a figure's: 0.5 MP, 20 MB)
_kept: Targets | None = None  # ... on the GL thread, which alone uses them


def _targets(ctx, width: int, height: int, msaa: int, shadow_size: int) -> Targets:
    """Render targets for a width x height frame: the last render's when the frame fits in them (making them costs
    about 10 ms, most of it the multisampled buffers), else new ones with room for a slightly wider figure."""
    global _kept
    kept, _kept = _kept, None
    if kept is not None:
        if kept.ctx is ctx and kept.fits(width, height, msaa, shadow_size):
            kept.frame(width, height)
            return kept
        kept.__exit__()
    room = (-(-width // 64) * 64, height)  # figures differ in width, not in height: the next 64 px
    return Targets(ctx, width, height, msaa, shadow_size, room=room if room[0] * room[1] <= KEEP_PIXELS else None)


def _keep(targets: Targets) -> None:
    """Keep a render's targets for the next one, or release them (too large to hold on to)."""
    global _kept
    if targets.room[0] * targets.room[1] > KEEP_PIXELS:
        targets.__exit__()
        return
    if _kept is not None:
        _kept.__exit__()
    _kept = targets


class Targets:
    """The shadow map and the (multisampled) colour target of one render, released on exit.

    With a `background` (RGB, top row first, the target's size) each frame starts from it and comes out opaque RGB;
    without, from transparent black, as premultiplied RGBA. `room` (at least width x height) makes the buffers that
    large, the frame drawn in their lower left corner, so that they can be kept for other frames that fit (`frame`)."""

    def __init__(self, ctx, width: int, height: int, msaa: int, shadow_size: int, background: np.ndarray | None = None,
                 room: tuple[int, int] | None = None):
        self.ctx, self.width, self.height, self.msaa, self.shadow_size = ctx, width, height, msaa, shadow_size
        self.room = room or (width, height)
        self.shadow_tex = ctx.depth_texture((shadow_size, shadow_size))
        self.shadow_tex.compare_func = "<="
        self.shadow_tex.filter = (ctx.LINEAR, ctx.LINEAR)
        self.shadow_fbo = ctx.framebuffer(depth_attachment=self.shadow_tex)
        self._color = ctx.renderbuffer(self.room, 4, samples=msaa)
        self._depth = ctx.depth_renderbuffer(self.room, samples=msaa)
        self.fbo = ctx.framebuffer(self._color, self._depth)
        self._out_color = ctx.renderbuffer(self.room, 4)
        self.out = ctx.framebuffer(self._out_color)
        self._buffers = [self.shadow_tex, self.shadow_fbo, self._color, self._depth, self.fbo, self._out_color, self.out]
        self.back = None
        if background is not None:
            rows = np.ascontiguousarray(background[::-1, :, :3])  # GL's rows run bottom up
            self.back = ctx.texture((width, height), 3, rows.tobytes())
            self.back.filter = (ctx.NEAREST, ctx.NEAREST)
            self._buffers.append(self.back)

    def __enter__(self) -> Targets:
        return self

    def __exit__(self, *exc) -> None:
        for b in self._buffers:
            b.release()

    def fits(self, width: int, height: int, msaa: int, shadow_size: int) -> bool:
        """Whether a width x height frame, so sampled and shadowed, can be drawn in these buffers."""
        return (self.back is None and width <= self.room[0] and height <= self.room[1] and msaa == self.msaa
                and shadow_size == self.shadow_size)

    def frame(self, width: int, height: int) -> None:
        """Draw width x height frames from now on (see `fits`)."""
        self.width, self.height = width, height

    def draw(self, prog, depth_prog, scene: Upload, model, mvp, light_mvp, key, eye, gloss, *,
             flip: bool = True) -> np.ndarray:
        """The shadow pass, then the lit pass; the pixels, top row first (bottom row first, as GL reads them,
        without `flip`)."""
        ctx, shadow_size = self.ctx, self.shadow_size
        ctx.enable(ctx.DEPTH_TEST)
        self.shadow_fbo.use()
        self.shadow_fbo.clear(depth=1.0)
        ctx.viewport = (0, 0, shadow_size, shadow_size)
        depth_prog["mvp"].write((light_mvp @ model).T.astype("f4").tobytes())
        for part, _, dvao, _, closed in scene.draws:
            if part.material != "clear":
                _cull(ctx, closed)
                dvao.render()

        self.fbo.use()
        ctx.viewport = (0, 0, self.width, self.height)
        self.fbo.clear(0.0, 0.0, 0.0, 0.0, depth=1.0)
        if self.back is not None:
            quad_prog, quad = _backdrop_quad()
            ctx.disable(ctx.DEPTH_TEST)
            self.back.use(location=3)
            quad_prog["back"].value = 3
            quad.render(ctx.TRIANGLE_STRIP)
            ctx.enable(ctx.DEPTH_TEST)
        prog["mvp"].write(mvp.T.astype("f4").tobytes())
        prog["model"].write(model.T.astype("f4").tobytes())
        prog["light_mvp"].write(light_mvp.T.astype("f4").tobytes())
        prog["key"].value = tuple(float(x) for x in key)
        prog["boxes"].write(_softboxes(key).tobytes())
        prog["eye"].value = tuple(float(x) for x in eye)
        prog["texel"].value = 1.0 / shadow_size
        prog["shadow"].value = 1
        prog["paint"].value = 0
        prog["contact"].value = 2
        self.shadow_tex.use(location=1)
        contact = scene.contact
        if contact is not None and scene.contact_tex is not None:
            scene.contact_tex.use(location=2)
            x0, z0, w, d = contact.box
            prog["contact_box"].value = (x0, z0, 1.0 / w, 1.0 / d)
            prog["ground"].value = (contact.ground, contact.onto)
        # Opaque parts first; then clear ones over them, blended (premultiplied, like the resolve) and
        # leaving the depth buffer as the opaque parts made it, so what is behind still shows.
        ordered = sorted(scene.draws, key=lambda d: MATERIALS[d[0].material].opacity < 1.0)
        for part, vao, _, tex, closed in ordered:
            m = MATERIALS[part.material]
            s, shin, rim, trans, coat, opacity = m.specular, m.shininess, m.rim, m.translucency, m.clearcoat, m.opacity
            if opacity < 1.0:
                ctx.enable(ctx.BLEND)
                ctx.blend_func = ctx.SRC_ALPHA, ctx.ONE_MINUS_SRC_ALPHA, ctx.ONE, ctx.ONE_MINUS_SRC_ALPHA
                ctx.depth_mask = False
            _cull(ctx, closed)
            prog["mat"].value = (s * gloss, shin * gloss, rim, trans)
            prog["coat"].value = coat * gloss
            # Glossier, smoother plastics mirror the softboxes more brightly and with crisper edges.
            prog["sheen"].value = (coat * (1.0 - m.roughness) * gloss, 0.3 + 0.6 * m.roughness, m.metallic)
            prog["receiver"].value = 1.0 if contact is not None and part.material == "base" else 0.0
            prog["opacity"].value = opacity
            if tex is not None:
                tex.use(location=0)
            vao.render()
        ctx.disable(ctx.BLEND)
        ctx.disable(ctx.CULL_FACE)
        ctx.depth_mask = True
        finish = _gl_finish()
        if finish is not None:
            finish()
        components = 3 if self.back is not None else 4
        frame = (0, 0, self.width, self.height)
        if self.msaa:
            ctx.copy_framebuffer(self.out, self.fbo)
            raw = self.out.read(viewport=frame, components=components, alignment=1)
        else:
            raw = self.fbo.read(viewport=frame, components=components, alignment=1)
        pixels = np.frombuffer(raw, np.uint8).reshape(self.height, self.width, components)
        return pixels[::-1] if flip else pixels


def _cull(ctx, closed: bool) -> None:
    """Skip back faces where none can show: on a closed part, seen from outside (about half its triangles)."""
    if closed:
        ctx.enable(ctx.CULL_FACE)
    else:
        ctx.disable(ctx.CULL_FACE)


def _softboxes(key: np.ndarray) -> np.ndarray:
    """The studio's two lights as the gloss mirrors them, each (toward it, across, up) as a GLSL mat3's columns: a
    big softbox at the key, and a strip light behind the figure on the side away from the key, a little above."""
    strip = np.array([-float(key[0]), 0.25, -abs(float(key[2]))], np.float64)
    frames = []
    for c in (np.asarray(key, np.float64), strip):
        c = c / np.linalg.norm(c)
        across = np.cross([0.0, 1.0, 0.0], c)
        across /= np.linalg.norm(across)
        frames.append(np.stack([c, across, np.cross(c, across)]))
    return np.asarray(frames, "f4")


class Prepared:
    """What the GPU is given of a scene's parts, worked out off the GL thread (so that while one figure is drawn,
    the next one's is worked out): each part's interleaved vertex data with its vertex normals and ambient
    occlusion, its triangles, its texture (rows bottom up, as GL reads them) and whether it is closed, and the
    contact shadow on the base."""

    def __init__(self, parts: list[Part]):
        from . import shade

        self.parts = parts
        normals = [vertex_normals(p.vertices, p.faces) for p in parts]
        ambient = shade.occlusion(parts, normals)
        self.data, self.faces, self.textures, self.closed = [], [], [], []
        for part, n, ao in zip(parts, normals, ambient):
            uv = part.uv if part.uv is not None else np.zeros((len(part.vertices), 2), np.float32)
            pw = part.paint if part.paint is not None else np.zeros(len(part.vertices), np.float32)
            self.data.append(np.hstack([part.vertices, n, part.colors, uv, pw[:, None], ao[:, None]]).astype("f4"))
            self.faces.append(part.faces.astype("i4"))
            self.textures.append(None if part.texture is None else
                                 np.ascontiguousarray(part.texture[::-1, :, :3]))  # GL's rows run bottom up
            self.closed.append(part.material != "clear" and shade.closed(part.vertices, part.faces))
        self.contact = shade.contact(parts)


class Upload:
    """Parts uploaded to the GL context: `draws` as (part, lit vertex array, depth vertex array, texture, closed),
    with each vertex's ambient occlusion, and the contact shadow on the base; released on exit."""

    def __init__(self, ctx, prog, depth_prog, scene: Prepared):
        self._buffers = []
        self.draws = []
        for part, data, faces, t, closed in zip(scene.parts, scene.data, scene.faces, scene.textures, scene.closed):
            vbo = ctx.buffer(data.tobytes())
            ibo = ctx.buffer(faces.tobytes())
            vao = ctx.vertex_array(prog, [(vbo, "3f 3f 3f 2f 1f 1f", "in_pos", "in_normal", "in_color", "in_uv",
                                           "in_paint", "in_ao")], ibo)
            dvao = ctx.vertex_array(depth_prog, [(vbo, "3f 40x", "in_pos")], ibo)
            tex = None
            if t is not None:
                tex = ctx.texture((t.shape[1], t.shape[0]), 3, t.tobytes())
                tex.build_mipmaps()
                tex.filter = (ctx.LINEAR_MIPMAP_LINEAR, ctx.LINEAR)
                self._buffers.append(tex)
            self._buffers += [vbo, ibo, vao, dvao]
            self.draws.append((part, vao, dvao, tex, closed))
        self.contact = scene.contact
        self.contact_tex = None
        if self.contact is not None:
            c = self.contact.texels
            self.contact_tex = ctx.texture((c.shape[1], c.shape[0]), 1, np.ascontiguousarray(c).tobytes(), dtype="f4")
            self.contact_tex.repeat_x = self.contact_tex.repeat_y = False
            self._buffers.append(self.contact_tex)

    def __enter__(self) -> Upload:
        return self

    def __exit__(self, *exc) -> None:
        for b in self._buffers:
            b.release()


def unpremultiply(raw: np.ndarray) -> np.ndarray:
    """The resolve averages samples with the transparent clear colour: undo that where the figure is partly covered."""
    out = raw.copy()  # C order, whatever the strides of `raw` (GL's rows come flipped)
    px = out.reshape(-1, 4)
    a = px[:, 3]
    edge = np.flatnonzero((a > 0) & (a < 255))  # few pixels: picked by index, not by a mask over the frame
    if len(edge):
        part = px[edge]
        rgb = part[:, :3].astype(np.float32) * (255.0 / part[:, 3:])
        px[edge, :3] = np.clip(rgb, 0, 255).astype(np.uint8)
    px[a == 0, :3] = 0
    return out
