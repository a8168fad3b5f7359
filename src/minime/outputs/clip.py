"""Turntable clips: the figure turning on its base, the whole box turning in the light, or the camera moving
in from the box to the figure. 3 s at 30 fps, encoded with PyAV (H.264 yuv420p MP4 tagged BT.709, GIF with a
palette of its own, animated WebP). Frames are made one at a time and go straight into the encoder.

The MP4 carries the AI label and the energy receipt in its metadata; every clip (MP4, GIF, animated WebP)
carries a signed C2PA manifest, and shows "AI-generated" in its frame.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import struct
from collections.abc import Generator, Iterable, Iterator
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageDraw

from ..errors import MinimeError
from ..figure import NO_MESH
from .registry import Encoder, OutputOptions, check_clip, register, size_of

if TYPE_CHECKING:
    from ..pipeline import Result

CLIP_FORMATS = {".mp4": "mp4", ".gif": "gif", ".webp": "webp"}
FPS = 30
SECONDS = 3
FRAMES = FPS * SECONDS
LABEL = "AI-generated"
# Frames render at this fraction of the clip's size with no MSAA, then are scaled up: on a 2-core CPU a
# feed-size frame with 4x MSAA takes 0.8 s, which would make a 3 s clip take over a minute.
RENDER_SCALE = 0.75


Frames = Generator[np.ndarray, None, None]  # RGB frames, made one at a time


def _ease(t: float) -> float:
    return 0.5 - 0.5 * math.cos(math.pi * min(max(t, 0.0), 1.0))


def _backdrop(width: int, height: int, top=(236, 238, 242), bottom=(176, 182, 194)) -> np.ndarray:
    """A studio sweep: light above, a little darker toward the floor, a soft vignette."""
    y = np.linspace(0, 1, height, dtype=np.float32)[:, None, None]
    x = np.linspace(-1, 1, width, dtype=np.float32)[None, :, None]
    grad = np.asarray(top, np.float32) * (1 - y) + np.asarray(bottom, np.float32) * y
    vignette = 1 - 0.12 * (x ** 2)
    return np.clip(grad * vignette, 0, 255).astype(np.uint8)


def _label(frame: np.ndarray) -> np.ndarray:
    """The visible AI label in the lower corner, as on every box's fine print (drawn on the frame, in place)."""
    if not frame.flags.writeable:
        frame = frame.copy()
    h, w = frame.shape[:2]
    x0, y0, shadow, text = _label_masks(w, h)
    corner = frame[y0:, x0:].astype(np.float32) * (1 - shadow)  # a black drop shadow, then white letters
    frame[y0:, x0:] = (corner * (1 - text) + 255 * text + 0.5).astype(np.uint8)
    return frame


@lru_cache(maxsize=8)
def _label_masks(w: int, h: int) -> tuple[int, int, np.ndarray, np.ndarray]:
    """Where the label's corner starts, and its shadow's and letters' coverage there: drawn once per clip size."""
    size = max(12, h // 60)
    font = _label_font(size)
    x, y = w - font.getlength(LABEL) - size, h - size * 2
    x0, y0 = max(0, int(x) - 2), max(0, int(y) - 2)
    masks = []
    for dx in (1, 0):
        mask = Image.new("L", (w - x0, h - y0), 0)
        ImageDraw.Draw(mask).text((x - x0 + dx, y - y0 + dx), LABEL, font=font, fill=255)
        masks.append(np.asarray(mask, np.float32)[..., None] / 255)
    return x0, y0, masks[0], masks[1]


@lru_cache(maxsize=4)
def _label_font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.truetype(str(_inter()), size)
    except Exception:  # noqa: BLE001 - any font problem: Pillow's own face still says it
        return ImageFont.load_default()


def _inter():
    from pathlib import Path

    fonts = Path(__file__).parents[1] / "box" / "fonts"
    for name in [fonts / "Inter-SemiBold.otf", *sorted(fonts.glob("*.ttf"))]:
        return name
    raise FileNotFoundError("no font")


def figure_frames(parts: list, width: int, height: int, *, msaa: int = 0, frames: int = FRAMES,
                  start: float = -30.0, scale: float = RENDER_SCALE) -> Frames:
    """The figure turning once round on a studio backdrop: RGB frames, made one at a time."""
    from ..sculpt.render import yaw_matrix
    from ..sculpt.turntable import stream_turns, swept_window, turntable_camera

    rw, rh = _render_size(width, height, scale)
    camera = turntable_camera(parts, rw, rh)
    # Only the pixels the turning figure can reach are drawn; the rest of every frame is the backdrop.
    window = swept_window(parts, camera, rw, rh)
    mats = [yaw_matrix(start + 360.0 * i / frames) for i in range(frames)]
    rendered = stream_turns(parts, mats, rw, rh, camera, msaa=msaa, shadow_size=512, window=window,
                            background=_backdrop(rw, rh))
    yield from _Layers(_backdrop(width, height), (rw, rh), window).frames(rendered)


def _render_size(width: int, height: int, scale: float) -> tuple[int, int]:
    return max(16, int(width * scale) // 2 * 2), max(16, int(height * scale) // 2 * 2)


class _Layers:
    """Rendered frames (RGB, bottom row first: `window` of a render-size frame, drawn over the backdrop at that size)
    scaled up to the clip's size and set into its backdrop. Frames render at a fraction of the clip's size with no
    MSAA: upsampling softens the edges as multisampling would, at a third of its cost on a CPU."""

    def __init__(self, backdrop: np.ndarray, render_size: tuple[int, int], window: tuple[int, int, int, int]):
        self.backdrop = backdrop
        height, width = backdrop.shape[:2]
        sx, sy = width / render_size[0], height / render_size[1]
        x, y, w, h = window
        # The clip's pixels whose centres fall inside the window, and where in the window they sample.
        x0, y0 = max(0, math.ceil(x * sx)), max(0, math.ceil(y * sy))
        x1, y1 = min(width, math.floor((x + w) * sx)), min(height, math.floor((y + h) * sy))
        self.box = x0, y0, x1, y1
        self.source = (x0 / sx - x, y0 / sy - y, x1 / sx - x, y1 / sy - y)
        self.window = w, h

    def frames(self, rendered: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
        x0, y0, x1, y1 = self.box
        for raw in rendered:
            layer = Image.frombuffer("RGB", self.window, raw, "raw", "RGB", 0, -1)  # GL's rows run bottom up
            layer = layer.resize((x1 - x0, y1 - y0), Image.Resampling.BILINEAR, box=self.source)
            frame = self.backdrop.copy()
            frame[y0:y1, x0:x1] = np.asarray(layer)
            yield frame


def _box_part(image: Image.Image):
    """The box art on the front of a card 8 mm deep (figure units: the card's height is 1)."""
    from ..sculpt.mesh import Part, outward

    img = image.convert("RGB")
    w = img.width / img.height
    d = 0.03
    x, y = w / 2, 0.5
    v = np.array([[-x, -y, d], [x, -y, d], [x, y, d], [-x, y, d],
                  [-x, -y, -d], [x, -y, -d], [x, y, -d], [-x, y, -d]], np.float32)
    f = np.array([[0, 1, 2], [0, 2, 3], [5, 4, 7], [5, 7, 6], [4, 0, 3], [4, 3, 7],
                  [1, 5, 6], [1, 6, 2], [3, 2, 6], [3, 6, 7], [4, 5, 1], [4, 1, 0]], np.int32)
    uv = np.array([[0, 0], [1, 0], [1, 1], [0, 1]] * 2, np.float32)
    paint = np.array([1, 1, 1, 1, 0, 0, 0, 0], np.float32)
    tex = np.asarray(img)
    side = np.asarray(img.resize((1, 1)), np.float32).reshape(3) / 255 * 0.7
    return Part("box", v, outward(v, f), side, "vinyl", uv=uv, texture=tex, paint=paint)


def box_frames(box_image: Image.Image, width: int, height: int, *, msaa: int = 0, frames: int = FRAMES,
               swing: float = 28.0, scale: float = RENDER_SCALE) -> Frames:
    """The box swinging left and right (never so far that the name stops reading), the bubble catching
    the key light as it turns: RGB frames, made one at a time."""
    from ..sculpt.render import yaw_matrix
    from ..sculpt.turntable import Camera, stream_turns

    part = _box_part(box_image)
    aspect = box_image.width / box_image.height
    fov = 20.0
    # Fit the card, turned to its widest, with some air round it.
    half_h = max(0.5, aspect / 2 * height / width) / 0.84
    dist = half_h / math.tan(math.radians(fov) / 2)
    cam = Camera((0.0, 0.05, dist), (0.0, 0.0, 0.0), fov)
    mats = []
    for i in range(frames):
        turn = swing * math.sin(2 * math.pi * i / frames)
        m = yaw_matrix(turn)
        tilt = math.radians(3 * math.cos(2 * math.pi * i / frames))
        r = np.eye(4, dtype=np.float32)
        r[1, 1], r[1, 2], r[2, 1], r[2, 2] = math.cos(tilt), -math.sin(tilt), math.sin(tilt), math.cos(tilt)
        mats.append(r @ m)
    rw, rh = _render_size(width, height, scale)
    # A flat card casts no shadow on itself: the smallest shadow map does.
    dark = (70, 72, 80), (24, 25, 30)
    rendered = stream_turns([part], mats, rw, rh, cam, msaa=msaa, gloss=1.3, shadow_size=256,
                            background=_backdrop(rw, rh, *dark))
    yield from _Layers(_backdrop(width, height, *dark), (rw, rh), (0, 0, rw, rh)).frames(rendered)


def unbox_frames(box_image: Image.Image, parts: list, width: int, height: int, *, msaa: int = 0,
                 frames: int = FRAMES) -> Frames:
    """The camera on the whole box, moving in to the bubble, then the figure itself turning."""
    hold = frames // 2
    box = np.asarray(box_image.convert("RGB").resize(_fit(box_image.size, (width, height)), Image.Resampling.LANCZOS))
    canvas = _backdrop(width, height, (70, 72, 80), (24, 25, 30))
    oy, ox = (height - box.shape[0]) // 2, (width - box.shape[1]) // 2
    canvas[oy:oy + box.shape[0], ox:ox + box.shape[1]] = box
    full = Image.fromarray(canvas)
    # The bubble sits in the box's middle: move in on it over the first half.
    last = canvas
    for i in range(hold):
        t = _ease(i / max(1, hold - 1))
        zoom = 1 + 1.6 * t
        cw, ch = width / zoom, height / zoom
        cx, cy = width / 2, height / 2 + height * 0.06 * t
        last = np.asarray(full.resize((width, height), Image.Resampling.BILINEAR,
                                      box=(cx - cw / 2, cy - ch / 2, cx + cw / 2, cy + ch / 2)))
        yield last
    fade = 8
    turning = figure_frames(parts, width, height, msaa=msaa, frames=frames - hold, start=-20.0)
    for i, frame in enumerate(turning):
        if i < fade:
            a = (i + 1) / (fade + 1)
            frame = (frame * a + last * (1 - a)).astype(np.uint8)
        yield frame


def _fit(size, box) -> tuple[int, int]:
    s = min(box[0] / size[0], box[1] / size[1])
    return max(2, int(size[0] * s)), max(2, int(size[1] * s))


def encode(frames: Iterable[np.ndarray], fmt: str, *, metadata: dict[str, str] | None = None) -> bytes:
    """Encode RGB frames at 30 fps: "mp4" (H.264, yuv420p, BT.709 limited range, fast start), "gif" (one palette
    for the whole clip, only what changed in each frame) or "webp" (animated). Each frame is encoded as it comes
    (`frames` may be a generator), so a clip never holds all its frames."""
    frames = iter(frames)
    first = next(frames, None)
    if first is None:
        raise MinimeError("cannot encode a clip with no frames")
    h, w = first.shape[:2]
    if fmt == "mp4" and (w % 2 or h % 2):
        raise MinimeError(f"cannot encode {w}x{h} as H.264 yuv420p: both sides must be even")
    # In memory: a file on disk (even a private temp folder) is left behind when the process is killed.
    # FFmpeg's own fast start re-reads the finished file by name, so it is done here (`fast_start`).
    target = io.BytesIO()
    _encode(itertools.chain([first], frames), fmt, target, metadata, w, h)
    data = target.getvalue()
    return fast_start(data) if fmt == "mp4" else data


def fast_start(data: bytes) -> bytes:
    """The MP4 with its index (moov) moved before the frames (mdat), as FFmpeg's `+faststart` writes it, so a
    page plays it while it loads; the chunk offsets in the index move with the frames. Unchanged if the
    index is already first, or the file is not laid out as expected."""
    try:
        top = list(_atoms(data, 0, len(data)))
    except ValueError:
        return data
    kinds = [kind for kind, *_ in top]
    if b"moov" not in kinds or b"mdat" not in kinds or kinds.index(b"moov") < kinds.index(b"mdat") or kinds[0] != b"ftyp":
        return data
    _, start, end, _ = top[kinds.index(b"moov")]
    moov = bytearray(data[start:end])
    if not _shift_offsets(moov, 0, len(moov), end - start):
        return data
    head = top[0][2]  # the end of ftyp
    return data[:head] + bytes(moov) + data[head:start] + data[end:]


def _atoms(data, start: int, end: int):
    """(type, start, end, header size) of each box between start and end."""
    while start + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, start)
        head = 8
        if size == 1:
            size, head = struct.unpack_from(">Q", data, start + 8)[0], 16
        elif size == 0:
            size = end - start
        if size < head or start + size > end:
            raise ValueError("a box runs past its parent")
        yield kind, start, start + size, head
        start += size


def _shift_offsets(moov: bytearray, start: int, end: int, shift: int) -> bool:
    """Add `shift` to every chunk offset (stco, co64) in the boxes between start and end; False if a
    32-bit offset would overflow."""
    for kind, a, b, head in _atoms(moov, start, end):
        if kind in (b"moov", b"trak", b"mdia", b"minf", b"stbl"):
            if not _shift_offsets(moov, a + head, b, shift):
                return False
        elif kind in (b"stco", b"co64"):
            width = 4 if kind == b"stco" else 8
            code = ">I" if width == 4 else ">Q"
            (count,) = struct.unpack_from(">I", moov, a + head + 4)
            for i in range(count):
                at = a + head + 8 + i * width
                value = struct.unpack_from(code, moov, at)[0] + shift
                if value >= 1 << (8 * width):
                    return False
                struct.pack_into(code, moov, at, value)
    return True


def _encode(frames: Iterator[np.ndarray], fmt: str, target, metadata, w: int, h: int) -> None:
    import av

    try:
        with av.open(target, "w", format=fmt) as out:
            for key, value in (metadata or {}).items():
                out.metadata[key] = value
            if fmt == "mp4":
                stream = mp4_stream(out, w, h)
                pictures: Iterator = (mp4_frame(rgb) for rgb in frames)
            elif fmt == "gif":
                stream = out.add_stream("gif", rate=FPS)
                stream.pix_fmt = "pal8"
                pictures = _paletted(frames, w, h)
            else:
                stream = out.add_stream("libwebp", rate=FPS)
                stream.pix_fmt = "yuv420p"
                stream.options = {"quality": "80", "loop": "0", "preset": "picture"}
                pictures = (av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb[..., :3]), format="rgb24")
                            for rgb in frames)
            stream.width, stream.height = w, h
            stream.time_base = Fraction(1, FPS)
            for i, frame in enumerate(pictures):
                frame.pts = i
                frame.time_base = Fraction(1, FPS)
                for packet in stream.encode(frame):
                    out.mux(packet)
            for packet in stream.encode(None):
                out.mux(packet)
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        raise MinimeError(f"cannot encode the clip as {fmt}: {exc}") from None


def mp4_stream(out, w: int, h: int):
    """The H.264 stream of a clip in the container `out`: tagged BT.709, limited range (what `mp4_frame` makes),
    as players and social apps assume for HD video; x264 splits each frame among its threads, one per core."""
    stream = out.add_stream("libx264", rate=FPS)
    stream.pix_fmt = "yuv420p"
    # Phones and social apps: the high profile, no B-frame pyramid surprises, a sane bitrate.
    stream.options = {"preset": "veryfast", "crf": "20", "profile": "high", "tune": "animation"}
    cc = stream.codec_context
    # Slices, not frame threads: as fast here, and frame threads hold a dozen more frames (70 MB at feed size).
    cc.thread_type, cc.thread_count = "SLICE", 0
    cc.colorspace = cc.color_primaries = cc.color_trc = 1  # BT.709
    cc.color_range = 1  # limited ("MPEG", 16-235)
    stream.width, stream.height = w, h
    return stream


def mp4_frame(rgb: np.ndarray):
    """An RGB frame as the MP4 stream takes it: yuv420p by the BT.709 matrix in limited range (FFmpeg's own
    conversion would use BT.601's matrix, which shifts the colours of a file tagged BT.709)."""
    import av

    frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb[..., :3]), format="rgb24")
    return frame.reformat(format="yuv420p", dst_colorspace="ITU709", dst_color_range="MPEG",
                          dst_color_trc=1, dst_color_primaries=1)


def _paletted(frames: Iterator[np.ndarray], w: int, h: int) -> Iterator:
    """The frames in one 256-colour palette made for this clip (FFmpeg's palettegen over every frame), dithered
    only where a frame differs from the last (paletteuse's rectangle mode), so the GIF encoder can keep just the
    changed pixels of each frame. The palette needs every frame first: the filter holds them until the end."""
    import av

    graph = av.filter.Graph()
    src = graph.add_buffer(width=w, height=h, format=av.VideoFormat("rgb24"), time_base=Fraction(1, FPS))
    split = graph.add("split")
    gen = graph.add("palettegen", "max_colors=256:stats_mode=full")
    use = graph.add("paletteuse", "dither=sierra2_4a:diff_mode=rectangle")
    sink = graph.add("buffersink")
    src.link_to(split)
    split.link_to(gen, 0, 0)
    split.link_to(use, 1, 0)
    gen.link_to(use, 0, 1)
    use.link_to(sink)
    graph.configure()
    for i, rgb in enumerate(frames):
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb[..., :3]), format="rgb24")
        frame.pts, frame.time_base = i, Fraction(1, FPS)
        graph.push(frame)
    graph.push(None)
    while True:
        try:
            yield graph.pull()
        except (av.error.EOFError, av.error.BlockingIOError):
            return


def sign_clip(data: bytes, fmt: str, *, engine: str, model: str, extra: dict | None = None) -> bytes:
    """The clip with a signed C2PA manifest, as the images get: c2pa-python embeds one in an MP4 (ISO BMFF),
    a GIF and an animated WebP, and `minime verify` checks it."""
    from ..provenance.manifest import CLIP_MIME, sign_media

    return sign_media(data, CLIP_MIME[fmt], engine=engine, model=model, extra=extra, name="the clip")


def clip_bytes(fmt: str, *, kind: str = "figure", parts: list | None = None, box_image: Image.Image | None = None,
               size: tuple[int, int] = (1080, 1350), label: dict | None = None, msaa: int = 0) -> bytes:
    """A finished clip file's bytes.

    Args:
        fmt: "mp4", "gif" or "webp".
        kind: "figure" (the figure turning), "box" (the box turning) or "unbox" (box, then the figure).
        parts: the figure's mesh (for "figure" and "unbox").
        box_image: the box (for "box" and "unbox").
        size: (width, height) in pixels.
        label: {"engine", "model", "receipt"}: recorded in the MP4's metadata, and every clip is signed (C2PA).
        msaa: anti-aliasing samples per pixel for the 3D frames.
    """
    check_clip(kind)
    if fmt not in CLIP_FORMATS.values():
        raise MinimeError(f"unknown clip format {fmt!r}; choose one of: {', '.join(CLIP_FORMATS.values())}")
    w, h = size
    if fmt == "gif":  # a GIF of a full feed frame is tens of megabytes: half size is plenty for a loop
        w, h = w // 2 // 2 * 2, h // 2 // 2 * 2
    if kind == "figure":
        frames = figure_frames(_mesh(parts), w, h, msaa=msaa)
    elif kind == "box":
        frames = box_frames(_box(box_image, kind), w, h, msaa=msaa)
    else:
        mesh = _mesh(parts)
        frames = unbox_frames(_box(box_image, kind), mesh, w, h, msaa=msaa)
    meta = {"title": "minime figure", "comment": "AI-generated figure (trainedAlgorithmicMedia)",
            "description": "AI-generated figure"}
    if label is not None:
        meta["comment"] = json.dumps({"label": "AI-generated figure", "DigitalSourceType": "trainedAlgorithmicMedia",
                                      "engine": label.get("engine"), "model": label.get("model"),
                                      "receipt": label.get("receipt")}, default=str)
    try:
        data = encode((_label(f) for f in frames), fmt, metadata=meta)
    finally:
        frames.close()  # a failed encode gives the GL buffers back at once
    if label is not None:
        data = sign_clip(data, fmt, engine=label["engine"], model=label.get("model", ""), extra=label.get("receipt"))
    return data


def _mesh(parts: list | None) -> list:
    if not parts:
        raise MinimeError(NO_MESH)
    return parts


def _box(box_image: Image.Image | None, kind: str) -> Image.Image:
    if box_image is None:
        raise MinimeError(f"a {kind!r} clip needs the box image")
    return box_image


# --- the output table: `-o me.mp4`, `outputs.encode(result, "mp4", options)` ---------------------------

def _clip_encoder(fmt: str):
    def encode_clip(result: Result, options: OutputOptions) -> bytes:
        kind = check_clip(options.clip)
        parts = result.figure.mesh
        if kind != "box" and not parts:
            result.figure.need_mesh()
        w, h, _ = size_of(result.size)
        box_image = result.image if kind != "figure" else None  # a figure clip is made without a box
        return clip_bytes(fmt, kind=kind, parts=parts, box_image=box_image, size=(w, h), label=result.label())

    return encode_clip


def _shows_box(options: OutputOptions) -> bool:
    return options.clip != "figure"


# A .webp name stays a still image; the web page and API ask for "webp-clip".
register(Encoder("mp4", ".mp4", "video/mp4", _clip_encoder("mp4"), shows_box=_shows_box))
register(Encoder("gif", ".gif", "image/gif", _clip_encoder("gif"), shows_box=_shows_box))
register(Encoder("webp-clip", ".webp-clip", "image/webp", _clip_encoder("webp"), shows_box=_shows_box))
