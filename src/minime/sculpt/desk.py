"""The desk-figurine scene: the figure on a clear round acrylic base on a wooden desk, its box beside it,
and behind them a monitor showing the figure's own model as a sculpting app would (clay and wireframe).

Everything is 3D and lit by the one key light; the background (monitor, far desk) is thrown out of focus
so the figure and its box read as the subject, as in a photo taken with a fast lens. The name appears
only on the box art.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .mesh import Part, outward

SCREEN = (720, 450)  # the monitor is out of focus: more pixels would not show
SHADOW = 1024


def _slab(name, x0, x1, y0, y1, z0, z1, color, material="vinyl", texture=None, face="front") -> Part:
    """A box; `texture` covers its front (z1) or top (y1) face."""
    v = np.array([[x, y, z] for x in (x0, x1) for y in (y0, y1) for z in (z0, z1)], np.float32)
    f = np.array([[0, 2, 3], [0, 3, 1], [4, 5, 7], [4, 7, 6], [0, 1, 5], [0, 5, 4],
                  [2, 6, 7], [2, 7, 3], [0, 4, 6], [0, 6, 2], [1, 3, 7], [1, 7, 5]], np.int32)
    if texture is None:
        return Part(name, v, outward(v, f), color, material)
    # Give the textured face its own four vertices so its UVs do not smear round the edges.
    if face == "front":
        quad = np.array([[x0, y0, z1], [x1, y0, z1], [x1, y1, z1], [x0, y1, z1]], np.float32)
    else:
        quad = np.array([[x0, y1, z1], [x1, y1, z1], [x1, y1, z0], [x0, y1, z0]], np.float32)
    quad += np.array([0, 0, 1e-4] if face == "front" else [0, 1e-4, 0], np.float32)
    v2 = np.concatenate([v, quad])
    f2 = np.concatenate([outward(v, f), [[8, 9, 10], [8, 10, 11]]]).astype(np.int32)
    uv = np.zeros((12, 2), np.float32)
    uv[8:] = [[0, 0], [1, 0], [1, 1], [0, 1]]
    paint = np.zeros(12, np.float32)
    paint[8:] = 1
    return Part(name, v2, f2, color, material, uv=uv, texture=np.asarray(texture)[..., :3], paint=paint)


def _disc(radius, height, y0, color) -> Part:
    from .scene import plinth

    p = plinth(radius, radius, height, color, sides=96)
    p = Part("acrylic", p.vertices + np.array([0, y0, 0], np.float32), p.faces, color, "clear")
    return p


def _wood(w=1024, h=512, seed=7) -> np.ndarray:
    """Walnut-like planks: stretched noise for the grain, a few plank seams."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=(h // 8, w // 64)).astype(np.float32)
    grain = np.asarray(Image.fromarray(((noise - noise.min()) / np.ptp(noise) * 255).astype(np.uint8))
                       .resize((w, h), Image.Resampling.BICUBIC), np.float32) / 255
    fine: np.ndarray = rng.normal(size=(h, w // 16)).astype(np.float32)
    fine = np.asarray(Image.fromarray(((fine - fine.min()) / np.ptp(fine) * 255).astype(np.uint8))
                      .resize((w, h), Image.Resampling.BILINEAR), np.float32) / 255
    t = 0.55 * grain + 0.45 * fine
    t = 0.5 + 0.5 * np.sin(t * 18)
    light, dark = np.array([150, 98, 60], np.float32), np.array([92, 56, 32], np.float32)
    img = dark + (light - dark) * t[..., None]
    for y in range(0, h, h // 4):
        img[y:y + 2] *= 0.6
    return np.clip(img, 0, 255).astype(np.uint8)


def _screen(parts: list[Part]) -> np.ndarray:
    """The monitor's picture: a sculpting app, its viewport showing the figure in clay with its wireframe drawn
    over it, between the app's toolbar, tool strip and properties panel, so the screen reads as a screen."""
    w, h = SCREEN
    top, left, right = int(h * 0.08), int(w * 0.07), int(w * 0.2)
    vw, vh = w - left - right, h - top
    app = Image.new("RGB", (w, h), (30, 31, 36))
    app.paste(Image.fromarray(_viewport(parts, vw, vh)), (left, top))
    d = ImageDraw.Draw(app)
    d.rectangle([0, 0, w, top - 2], fill=(22, 23, 27))
    for i in range(5):  # the menu
        d.rectangle([12 + i * 46, top * 0.35, 44 + i * 46, top * 0.6], fill=(92, 94, 102))
    for i in range(8):  # the tools, one of them chosen
        y = top + 14 + i * 34
        d.rounded_rectangle([left * 0.2, y, left * 0.8, y + 24], 4, fill=(70, 130, 200) if i == 2 else (62, 64, 72))
    x0 = w - right + 14
    for i in range(9):  # the properties: labels and sliders
        y = top + 18 + i * 30
        d.rectangle([x0, y, x0 + right * 0.35, y + 6], fill=(96, 98, 106))
        d.rectangle([x0, y + 12, w - 14, y + 16], fill=(52, 54, 60))
        d.rectangle([x0, y + 12, x0 + (w - 14 - x0) * (0.3 + 0.07 * i), y + 16], fill=(70, 130, 200))
    d.rectangle([0, 0, w - 1, h - 1], outline=(20, 20, 24), width=6)
    return np.asarray(app)


def _viewport(parts: list[Part], w: int, h: int) -> np.ndarray:
    """The app's 3D view: the figure in clay, its wireframe over it, on a grey with a grid floor."""
    from .turntable import render_turns, turntable_camera

    clay = [Part(p.name, p.vertices, p.faces, np.asarray((0.72, 0.68, 0.64), np.float32), "skin") for p in parts]
    cam = turntable_camera(clay, w, h, fill=0.75)
    frame = render_turns(clay, [25.0], w, h, camera=cam, msaa=0, shadow_size=512)[0]
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    back = (np.array([58, 60, 66], np.float32) * (1 - y) + np.array([34, 35, 40], np.float32) * y) * np.ones((1, w, 1), np.float32)
    a = frame[..., 3:4].astype(np.float32) / 255
    img = Image.fromarray((frame[..., :3] * a + back * (1 - a)).astype(np.uint8))
    # The wireframe, in the same camera: project each part's vertices and draw its triangles' edges.
    view, proj = cam.matrices(w, h, 0.1, 100.0)
    from .render import yaw_matrix

    mvp = proj @ view @ yaw_matrix(25.0)
    overlay = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(overlay)
    for p in clay:
        hv = np.hstack([p.vertices, np.ones((len(p.vertices), 1), np.float32)]) @ mvp.T
        xy = np.column_stack([(hv[:, 0] / hv[:, 3] * 0.5 + 0.5) * w, (0.5 - hv[:, 1] / hv[:, 3] * 0.5) * h])
        faces = p.faces[:: max(1, len(p.faces) // 900)]  # a readable mesh, not a solid blue smear
        for tri in xy[faces]:
            d.line([tuple(tri[0]), tuple(tri[1]), tuple(tri[2]), tuple(tri[0])], fill=(120, 190, 255, 90), width=1)
    img = img.convert("RGBA")
    img.alpha_composite(overlay)
    d = ImageDraw.Draw(img)
    for i in range(1, 12):  # the grid floor
        d.line([(i * w / 12, h * 0.86), (w / 2 + (i * w / 12 - w / 2) * 1.6, h)], fill=(80, 82, 90, 255))
    return np.asarray(img.convert("RGB"))


def desk_scene(figure_parts: list[Part], box_image: Image.Image, width: int, height: int) -> Image.Image:
    """The photo-like desk scene as an RGB image of `width` x `height`.

    Args:
        figure_parts: the figure's mesh (its own base is replaced by the acrylic disc).
        box_image: the front of its box (the only place the name appears).
    """
    from .turntable import Camera, render_turns

    figure = [p for p in figure_parts if p.material != "base" and p.name != "base"]
    lo = np.concatenate([p.vertices for p in figure]).min(0)
    hi = np.concatenate([p.vertices for p in figure]).max(0)
    tall = float(hi[1] - lo[1])
    s = 1.0 / tall  # the figure one unit tall; desk units below are in that
    shift = np.array([-(lo[0] + hi[0]) / 2, -lo[1], -(lo[2] + hi[2]) / 2], np.float32)
    disc_h = 0.05
    m: np.ndarray = np.eye(4, dtype=np.float32)  # the figure's placement; reused below for its mask
    m[:3, :3] *= s
    m[:3, 3] = shift * s + np.array([0, disc_h, 0], np.float32)
    turn = np.eye(4, dtype=np.float32)
    a = math.radians(-18)
    turn[0, 0], turn[0, 2], turn[2, 0], turn[2, 2] = math.cos(a), math.sin(a), -math.sin(a), math.cos(a)
    fig = [p.transformed(turn @ m) for p in figure]
    foot = max(float(np.abs(hi[0] - lo[0])) * s, float(np.abs(hi[2] - lo[2])) * s) / 2 + 0.06
    acrylic = _disc(max(0.28, foot), disc_h, 0.0, (0.62, 0.68, 0.72))

    desk = _slab("desk", -3.0, 3.0, -0.08, 0.0, -2.6, 1.2, (0.4, 0.25, 0.15), "base", _wood(), face="top")
    bw = 0.62
    bh = bw * box_image.height / box_image.width
    box = _slab("box", 0.0, bw, 0.0, bh, -0.09, 0.0, (0.5, 0.5, 0.52), "vinyl", np.asarray(box_image.convert("RGB")))
    rot = np.eye(4, dtype=np.float32)
    b = math.radians(-14)
    rot[0, 0], rot[0, 2], rot[2, 0], rot[2, 2] = math.cos(b), math.sin(b), -math.sin(b), math.cos(b)
    rot[:3, 3] = (0.36, 0.0, -0.2)
    box = box.transformed(rot)

    sw, sh = 1.8, 1.1  # a screen well behind the figure (one unit is the figure's height), its top edge in frame
    screen = _screen(figure)
    monitor = _slab("monitor", -sw / 2, sw / 2, 0.55, 0.55 + sh, -2.05, -1.98, (0.05, 0.05, 0.06), "vinyl", screen)
    bezel = _slab("bezel", -sw / 2 - 0.04, sw / 2 + 0.04, 0.51, 0.59 + sh, -2.12, -2.0, (0.06, 0.06, 0.07))
    stand = _slab("stand", -0.08, 0.08, 0.0, 0.6, -2.25, -2.12, (0.12, 0.12, 0.13), "metal")
    foot_plate = _slab("foot", -0.4, 0.4, 0.0, 0.03, -2.45, -1.9, (0.12, 0.12, 0.13), "metal")
    back_parts = [desk, monitor, bezel, stand, foot_plate]
    front_parts = fig + [acrylic, box]

    cam = Camera((0.3, 0.95, 3.7), (0.3, 0.5, -0.4), 26.0)
    full = render_turns(back_parts + front_parts, [0.0], width, height, camera=cam, msaa=4,
                        shadow_size=SHADOW, swing=-10)[0]
    # Where the figure, its base and its box are: the same camera, at half size (only its outline is used).
    hw, hh = max(16, width // 2), max(16, height // 2)
    solid = [replace(p, material="vinyl") if p.material == "clear" else p for p in front_parts]
    near = render_turns(solid, [0.0], hw, hh, camera=cam, msaa=0, shadow_size=256, swing=-10)[0]
    m = np.asarray(Image.fromarray(near[..., 3]).resize((width, height), Image.Resampling.BILINEAR), np.float32)
    m = (m / 255)[..., None]
    # Soft studio light: a warm wall behind everything, the lamp's falloff toward the corners.
    rows = np.linspace(0, 1, height, dtype=np.float32)[:, None, None]
    wall = np.array([208, 200, 188], np.float32) * (1 - rows) + np.array([150, 140, 128], np.float32) * rows
    af = full[..., 3:4].astype(np.float32) / 255
    photo = full[..., :3] * af + wall * (1 - af)
    # Shallow depth of field: what is behind the figure's plane is blurred, leaving the figure and its box
    # out of the blur (a masked blur), so no halo of their colours spreads onto the background.
    layer = Image.fromarray(np.dstack([photo, (1 - m) * 255]).astype(np.uint8), "RGBA").convert("RGBa")
    blurred = np.asarray(layer.filter(ImageFilter.GaussianBlur(width / 160)).convert("RGBA"), np.float32)[..., :3]
    focus = np.clip((rows - 0.55) / 0.2, 0, 1)  # the desk in front of the figure comes back into focus
    base = blurred * (1 - focus) + photo * focus
    out = photo * m + base * (1 - m)
    x = np.linspace(-1, 1, width, dtype=np.float32)[None, :, None]
    vignette = 1 - 0.18 * (x ** 2 + (rows * 2 - 1) ** 2) / 2
    return Image.fromarray(np.clip(out * vignette, 0, 255).astype(np.uint8))

