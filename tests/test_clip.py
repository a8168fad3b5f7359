"""Turntable clips: real encoders, the right frame count, duration, size and pixel format, and no half file."""

import io

import numpy as np
import pytest
from PIL import Image

from minime.errors import MinimeError
from minime.outputs import clip

av = pytest.importorskip("av")


@pytest.fixture(scope="module")
def parts(gl):
    from minime.sculpt.mesh import Part, outward, uv_sphere
    from minime.sculpt.scene import plinth

    v, f = uv_sphere(12, 16)
    body = Part("torso", v * np.float32([0.4, 1.0, 0.3]) + np.float32([0, 1.3, 0]), outward(v, f), (0.8, 0.2, 0.1))
    head = Part("head", v * 0.45 + np.float32([0, 2.7, 0]), outward(v, f), (0.9, 0.7, 0.6), "skin")
    return [body, head, plinth(0.7, 0.7, 0.28, (0.1, 0.1, 0.1))]


def _decode(data: bytes):
    with av.open(io.BytesIO(data)) as c:
        s = c.streams.video[0]
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(s)]
        duration = float(c.duration / av.time_base) if c.duration else None
        return frames, s.codec_context.name, s.codec_context.pix_fmt, duration


def test_mp4_is_h264_yuv420p_3s_at_30fps(parts):
    data = clip.clip_bytes("mp4", kind="figure", parts=parts, size=(96, 120))
    frames, codec, pix, duration = _decode(data)
    assert (codec, pix) == ("h264", "yuv420p")
    assert len(frames) == 90 and frames[0].shape == (120, 96, 3)
    assert duration == pytest.approx(3.0, abs=0.05)
    assert np.abs(frames[0].astype(int) - frames[22].astype(int)).mean() > 1  # it turns
    assert data.find(b"moov") < data.find(b"mdat")  # fast start: a page plays it while it loads


@pytest.mark.parametrize("fmt", ["gif", "webp"])
def test_animated_gif_and_webp(parts, fmt):
    box = Image.new("RGB", (80, 100), (200, 30, 40))
    data = clip.clip_bytes(fmt, kind="unbox", parts=parts, box_image=box, size=(96, 120))
    img = Image.open(io.BytesIO(data))  # FFmpeg decodes no animated WebP; Pillow reads both
    assert img.format == fmt.upper() and img.n_frames == 90 and img.is_animated


def test_box_clip_keeps_the_box_facing_the_viewer():
    box = Image.new("RGB", (80, 100), (20, 90, 200))
    frames = clip.box_frames(box, 96, 120, frames=30)
    blue = [(f[..., 2].astype(int) - f[..., 0] > 80).mean() for f in frames]
    assert min(blue) > 0.25  # never edge-on


def test_a_clip_that_cannot_be_encoded_leaves_no_file(tmp_path):
    from minime.files import atomic_write

    odd = [np.zeros((121, 95, 3), np.uint8)] * 3
    target = tmp_path / "me.mp4"
    with pytest.raises(MinimeError, match="even"):
        atomic_write(target, clip.encode(odd, "mp4"))
    assert list(tmp_path.iterdir()) == []


def test_signed_mp4_carries_a_manifest(parts):
    data = clip.clip_bytes("mp4", kind="figure", parts=parts, size=(64, 80),
                           label={"engine": "sculpt", "model": "test", "receipt": {"wh": 0.01}})
    assert b"c2pa" in data and b"trainedAlgorithmicMedia" in data
    frames, codec, *_ = _decode(data)
    assert codec == "h264" and len(frames) == 90


def test_unknown_clip_kind():
    with pytest.raises(MinimeError, match="figure, box, unbox"):
        clip.check_clip("spin")


def test_mp4_is_tagged_bt709_limited_range_and_keeps_its_colours():
    """Players read the tags; the pixels are converted by the same BT.709 matrix, so a colour comes back."""
    red = [np.full((64, 96, 3), (200, 30, 40), np.uint8)] * 3
    with av.open(io.BytesIO(clip.encode(red, "mp4"))) as c:
        cc = c.streams.video[0].codec_context
        assert (cc.color_range, cc.colorspace, cc.color_primaries, cc.color_trc) == (1, 1, 1, 1)  # tv, bt709
        back = next(c.decode(video=0)).to_ndarray(format="rgb24")[32, 48]
    assert np.abs(back.astype(int) - (200, 30, 40)).max() <= 4


def test_gif_has_one_palette_and_stores_only_what_changed():
    """A still backdrop with a small moving square: each later frame is a small rectangle of the first one's size."""
    rng = np.random.default_rng(3)
    back = np.clip(np.linspace(120, 230, 120)[:, None, None] + rng.normal(0, 6, (120, 96, 3)), 0, 255).astype(np.uint8)
    frames = []
    for i in range(20):
        f = back.copy()
        f[40:56, 10 + i * 3:26 + i * 3] = (200, 30, 40)
        frames.append(f)
    img = Image.open(io.BytesIO(clip.encode(frames, "gif")))
    assert img.n_frames == 20
    areas = []
    for i in range(1, 20):
        img.seek(i)
        x0, y0, x1, y1 = img.tile[0][1]
        areas.append((x1 - x0) * (y1 - y0))
    assert max(areas) < 96 * 120 / 4
    img.seek(5)
    shown = np.asarray(img.convert("RGB"), int)
    assert np.abs(shown[48, 10 + 5 * 3 + 8] - (200, 30, 40)).max() < 30  # the palette has the square's red


def test_signed_gif_carries_a_c2pa_manifest(parts):
    c2pa = pytest.importorskip("c2pa")
    data = clip.clip_bytes("gif", kind="figure", parts=parts, size=(64, 80),
                           label={"engine": "sculpt", "model": "test", "receipt": {"wh": 0.01}})
    reader = c2pa.Reader("image/gif", io.BytesIO(data))
    assert "trainedAlgorithmicMedia" in reader.json()


def test_frames_stream_one_at_a_time(parts):
    """A clip's frames are made as the encoder takes them; stopping early releases the GL buffers cleanly."""
    frames = clip.figure_frames(parts, 96, 120, frames=12)
    assert not isinstance(frames, list)
    first = next(frames)
    assert first.shape == (120, 96, 3)
    frames.close()
    assert len(list(clip.figure_frames(parts, 96, 120, frames=4))) == 4


def test_the_figure_layer_matches_a_whole_frame_render(parts):
    """Drawing only the window the turning figure sweeps gives the pixels a whole-frame render has there."""
    from minime.sculpt.render import yaw_matrix
    from minime.sculpt.turntable import stream_turns, swept_window, turntable_camera

    w, h = 120, 150
    cam = turntable_camera(parts, w, h)
    x, y, ww, hh = swept_window(parts, cam, w, h)
    assert ww < w and hh <= h
    mats = [yaw_matrix(t) for t in (0, 70, 200)]
    whole = list(stream_turns(parts, mats, w, h, cam, flip=True))
    part = list(stream_turns(parts, mats, w, h, cam, window=(x, y, ww, hh), flip=True))
    for full, win in zip(whole, part):
        outside = full[..., 3].copy()
        outside[y:y + hh, x:x + ww] = 0
        assert outside.max() == 0  # the figure never leaves the window
        assert np.abs(full[y:y + hh, x:x + ww].astype(int) - win).max() <= 2
