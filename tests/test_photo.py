"""Intake: decoding, orientation, colour, metadata stripping and every refusal. Images are made in code."""

from __future__ import annotations

import io
import os
import random
import struct
import zlib

import numpy as np
import pillow_heif
import pytest
from PIL import Image, ImageCms, PngImagePlugin

from minime import photo as photo_module
from minime.errors import PhotoError
from minime.photo import MAX_PIXELS, Photo, load_photo

pillow_heif.register_heif_opener()

RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)


# --- helpers -----------------------------------------------------------------------------------

def encode(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def scene(size=(96, 64)) -> Image.Image:
    """Green image with a red block in the top-left corner and a blue one in the bottom-right."""
    image = Image.new("RGB", size, GREEN)
    image.paste(RED, (0, 0, 16, 16))
    image.paste(BLUE, (size[0] - 16, size[1] - 16, size[0], size[1]))
    return image


def close(pixel, expected, tolerance=12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


def assert_clean(result: Photo) -> None:
    image = result.image
    assert isinstance(result, Photo)
    assert image.mode == "RGB"
    assert image.info == {}
    assert len(image.getexif()) == 0
    assert result.size == image.size


def refused(src) -> str:
    with pytest.raises(PhotoError) as info:
        load_photo(src)
    message = str(info.value)
    assert message and "\n" not in message and "\r" not in message
    return message


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims width x height, with almost no data behind it: cheap to make, huge if decoded."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grayscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def icc_matrix_profile(red_xyz, green_xyz, blue_xyz, gamma=1.0, name="minime test RGB") -> bytes:
    """A minimal ICC v2 RGB matrix/TRC display profile."""

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(values) -> bytes:
        return b"XYZ \0\0\0\0" + b"".join(s15(v) for v in values)

    ascii_name = name.encode("ascii") + b"\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(ascii_name)) + ascii_name + struct.pack(">IIHB", 0, 0, 0, 0) + b"\0" * 67
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(gamma * 256)) + b"\0\0"
    d50 = (0.9642, 1.0, 0.8249)
    tags = [
        (b"desc", desc),
        (b"cprt", b"text\0\0\0\0public domain\0"),
        (b"wtpt", xyz(d50)),
        (b"rXYZ", xyz(red_xyz)),
        (b"gXYZ", xyz(green_xyz)),
        (b"bXYZ", xyz(blue_xyz)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (
        struct.pack(">I", size)
        + b"lcms"
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + struct.pack(">6H", 2024, 1, 1, 0, 0, 0)
        + b"acsp"
        + b"\0" * 24  # platform, flags, manufacturer, model, attributes
        + struct.pack(">I", 0)  # rendering intent
        + b"".join(s15(v) for v in d50)
        + b"lcms"
        + b"\0" * 44  # profile ID + reserved
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


# sRGB's primaries adapted to D50, as an ICC matrix profile stores them.
SRGB_RED = (0.4361, 0.2225, 0.0139)
SRGB_GREEN = (0.3851, 0.7169, 0.0971)
SRGB_BLUE = (0.1431, 0.0606, 0.7141)


# --- round trips -------------------------------------------------------------------------------

@pytest.mark.parametrize(("fmt", "params"), [("JPEG", {"quality": 95}), ("PNG", {}), ("WEBP", {"quality": 95}), ("HEIF", {"quality": 95})])
def test_round_trip(fmt, params):
    result = load_photo(encode(scene(), fmt, **params))
    assert_clean(result)
    assert result.format == fmt
    assert result.size == (96, 64)
    assert result.notes == []
    assert close(result.image.getpixel((4, 4)), RED, 40)
    assert close(result.image.getpixel((48, 32)), GREEN, 40)
    assert close(result.image.getpixel((92, 60)), BLUE, 40)


def test_heic_from_path(tmp_path):
    path = tmp_path / "selfie.heic"
    path.write_bytes(encode(scene(), "HEIF"))
    result = load_photo(path)
    assert result.format == "HEIF"
    assert_clean(result)


@pytest.mark.parametrize("as_str", [False, True])
def test_path_and_str(tmp_path, as_str):
    path = tmp_path / "selfie.png"
    path.write_bytes(encode(scene(), "PNG"))
    result = load_photo(str(path) if as_str else path)
    assert result.format == "PNG"
    assert result.image.getpixel((4, 4)) == RED


def test_bytearray_and_memoryview():
    data = encode(scene(), "PNG")
    assert load_photo(bytearray(data)).size == (96, 64)
    assert load_photo(memoryview(data)).size == (96, 64)


def test_output_is_a_fresh_image():
    result = load_photo(encode(scene(), "JPEG"))
    assert not hasattr(result.image, "fp") or result.image.fp is None  # not backed by the input file
    assert type(result.image) is Image.Image


def test_gif_is_accepted():
    result = load_photo(encode(scene().convert("P"), "GIF"))
    assert result.format == "GIF"
    assert result.image.getpixel((4, 4)) == RED


# --- orientation -------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_exif_orientation_6_is_applied(fmt):
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: rotate 90 degrees clockwise to view
    result = load_photo(encode(scene(), fmt, exif=exif.tobytes()))
    assert result.size == (64, 96)
    image = result.image
    # The red top-left block is now at the top right; the blue bottom-right block at the bottom left.
    assert close(image.getpixel((60, 4)), RED, 40)
    assert close(image.getpixel((4, 4)), GREEN, 40)
    assert close(image.getpixel((4, 92)), BLUE, 40)
    assert len(image.getexif()) == 0


def test_exif_orientation_3_is_applied():
    exif = Image.Exif()
    exif[0x0112] = 3  # upside down
    result = load_photo(encode(scene(), "PNG", exif=exif.tobytes()))
    assert result.size == (96, 64)
    assert result.image.getpixel((92, 60)) == RED


def test_heic_orientation():
    exif = Image.Exif()
    exif[0x0112] = 6
    result = load_photo(encode(scene(), "HEIF", exif=exif.tobytes()))
    assert result.size == (64, 96)
    assert close(result.image.getpixel((60, 4)), RED, 40)


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_damaged_exif_keeps_the_photo():
    data = encode(scene(), "PNG", exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff")
    result = load_photo(data)
    assert result.size == (96, 64)
    assert_clean(result)


# --- metadata ----------------------------------------------------------------------------------

def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0112] = 1
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (52.0, 31.0, 12.0)
    gps[3] = "E"
    gps[4] = (13.0, 24.0, 36.0)
    return exif


def test_jpeg_metadata_is_stripped():
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(
        scene(), "JPEG", exif=gps_exif(), comment="secret comment", xmp=b"<x:xmpmeta>secret-xmp</x:xmpmeta>",
        dpi=(300, 300), icc_profile=icc,
    )
    original = Image.open(io.BytesIO(data))
    assert {"exif", "comment", "xmp", "icc_profile", "dpi"} <= set(original.info)
    assert original.getexif().get_ifd(0x8825)  # the input really has GPS

    result = load_photo(data)
    assert_clean(result)
    assert result.image.getexif().get_ifd(0x8825) == {}
    for fmt in ("PNG", "JPEG"):
        out = encode(result.image, fmt)
        assert b"secret" not in out and b"SecretCam" not in out


def test_png_metadata_is_stripped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret comment")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>secret-xmp</x:xmpmeta>")
    info.add_text("Author", "secret author", zip=True)
    data = encode(scene(), "PNG", pnginfo=info, exif=gps_exif(), dpi=(72, 72))
    assert {"Comment", "XML:com.adobe.xmp", "exif", "dpi"} <= set(Image.open(io.BytesIO(data)).info)
    result = load_photo(data)
    assert_clean(result)
    assert b"secret" not in encode(result.image, "PNG")


def test_webp_and_heic_metadata_is_stripped():
    for fmt in ("WEBP", "HEIF"):
        data = encode(scene(), fmt, exif=gps_exif().tobytes(), xmp=b"<x:xmpmeta>secret-xmp</x:xmpmeta>")
        result = load_photo(data)
        assert_clean(result)


# --- colour ------------------------------------------------------------------------------------

def test_srgb_profile_is_applied_and_dropped():
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    result = load_photo(encode(scene(), "PNG", icc_profile=icc))
    assert_clean(result)
    assert "icc_profile" not in result.image.info
    assert close(result.image.getpixel((4, 4)), RED, 3)
    assert close(result.image.getpixel((48, 32)), GREEN, 3)


def test_non_srgb_profile_is_converted():
    # A profile whose "red" channel is sRGB's green and vice versa: honest colour management turns
    # the stored red pixels green. Ignoring the profile would leave them red.
    swapped = icc_matrix_profile(SRGB_GREEN, SRGB_RED, SRGB_BLUE)
    result = load_photo(encode(scene(), "PNG", icc_profile=swapped))
    assert_clean(result)
    assert result.notes == []
    assert close(result.image.getpixel((4, 4)), GREEN, 10)
    assert close(result.image.getpixel((48, 32)), RED, 10)
    assert close(result.image.getpixel((92, 60)), BLUE, 10)


def test_wide_gamut_profile_desaturates_nothing_it_should_not():
    # The same matrix as sRGB but with a linear curve: mid grey gets lighter, extremes stay put.
    linear = icc_matrix_profile(SRGB_RED, SRGB_GREEN, SRGB_BLUE, gamma=1.0)
    grey = Image.new("RGB", (64, 64), (128, 128, 128))
    grey.paste(WHITE, (0, 0, 8, 8))
    result = load_photo(encode(grey, "PNG", icc_profile=linear))
    assert result.image.getpixel((32, 32))[0] > 160
    assert close(result.image.getpixel((2, 2)), WHITE, 2)


def test_jpeg_with_profile_is_converted():
    swapped = icc_matrix_profile(SRGB_GREEN, SRGB_RED, SRGB_BLUE)
    result = load_photo(encode(scene(), "JPEG", quality=95, icc_profile=swapped))
    assert close(result.image.getpixel((4, 4)), GREEN, 40)


def test_damaged_profile_is_ignored_with_a_note():
    result = load_photo(encode(scene(), "PNG", icc_profile=b"not a profile at all"))
    assert_clean(result)
    assert result.image.getpixel((4, 4)) == RED
    assert any("colour profile" in note for note in result.notes)


def test_mismatched_profile_is_ignored_with_a_note():
    rgb_profile = icc_matrix_profile(SRGB_GREEN, SRGB_RED, SRGB_BLUE)
    result = load_photo(encode(Image.new("L", (64, 64), 100), "PNG", icc_profile=rgb_profile))
    assert result.image.getpixel((5, 5)) == (100, 100, 100)
    assert any("colour profile" in note for note in result.notes)


# --- pixel modes -------------------------------------------------------------------------------

def test_grayscale():
    result = load_photo(encode(Image.new("L", (64, 80), 77), "PNG"))
    assert_clean(result)
    assert result.image.getpixel((10, 10)) == (77, 77, 77)


def test_one_bit():
    image = Image.new("1", (64, 64), 1)
    image.paste(0, (0, 0, 8, 8))
    result = load_photo(encode(image, "PNG"))
    assert result.image.getpixel((2, 2)) == (0, 0, 0)
    assert result.image.getpixel((40, 40)) == WHITE


def test_rgba_is_composited_on_white():
    image = Image.new("RGBA", (64, 64), (255, 0, 0, 0))
    image.paste((255, 0, 0, 255), (0, 0, 16, 16))
    image.paste((0, 0, 255, 128), (32, 32, 64, 64))
    result = load_photo(encode(image, "PNG"))
    assert_clean(result)
    assert result.image.getpixel((4, 4)) == RED
    assert result.image.getpixel((20, 20)) == WHITE  # fully transparent red becomes white, not red or black
    assert close(result.image.getpixel((40, 40)), (127, 127, 255), 2)


def test_la_is_composited_on_white():
    image = Image.new("LA", (64, 64), (0, 0))
    image.paste((0, 255), (0, 0, 8, 8))
    result = load_photo(encode(image, "PNG"))
    assert result.image.getpixel((2, 2)) == (0, 0, 0)
    assert result.image.getpixel((30, 30)) == WHITE


def test_palette_with_and_without_transparency():
    palette_image = scene().convert("P", palette=Image.Palette.ADAPTIVE, colors=8)
    result = load_photo(encode(palette_image, "PNG"))
    assert close(result.image.getpixel((4, 4)), RED, 8)

    transparent = Image.new("P", (64, 64), 0)
    transparent.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    transparent.paste(1, (0, 0, 8, 8))
    result = load_photo(encode(transparent, "PNG", transparency=0))
    assert result.image.getpixel((2, 2)) == RED
    assert result.image.getpixel((30, 30)) == WHITE


def test_png_colour_key_transparency():
    image = Image.new("RGB", (64, 64), (1, 2, 3))
    image.paste(RED, (0, 0, 8, 8))
    result = load_photo(encode(image, "PNG", transparency=(1, 2, 3)))
    assert result.image.getpixel((2, 2)) == RED
    assert result.image.getpixel((30, 30)) == WHITE


def test_sixteen_bit_grayscale_is_scaled_not_clipped():
    values = np.full((64, 64), 0x8000, dtype=np.uint16)
    values[:8, :8] = 0xFFFF
    values[-8:, -8:] = 0x0100
    image = Image.fromarray(values)
    assert image.mode == "I;16"
    result = load_photo(encode(image, "PNG"))
    assert_clean(result)
    assert result.image.getpixel((30, 30)) == (128, 128, 128)
    assert result.image.getpixel((2, 2)) == WHITE
    assert result.image.getpixel((60, 60)) == (1, 1, 1)


def test_sixteen_bit_rgb():
    values = np.zeros((64, 64, 3), dtype=np.uint16)
    values[..., 0] = 0xFFFF
    data = io.BytesIO()
    # Pillow writes 48-bit RGB PNGs only through raw encoding; build the file by hand.
    raw = b"".join(b"\x00" + values[row].astype(">u2").tobytes() for row in range(64))
    data.write(
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 64, 16, 2, 0, 0, 0))
        + png_chunk(b"IDAT", zlib.compress(raw))
        + png_chunk(b"IEND", b"")
    )
    result = load_photo(data.getvalue())
    assert result.image.getpixel((10, 10)) == RED


def test_cmyk_jpeg():
    image = Image.new("CMYK", (64, 64), (255, 0, 0, 0))  # pure cyan
    image.paste((0, 0, 0, 255), (0, 0, 8, 8))  # black
    result = load_photo(encode(image, "JPEG", quality=95))
    assert_clean(result)
    assert close(result.image.getpixel((30, 30)), (0, 255, 255), 20)
    assert close(result.image.getpixel((2, 2)), (0, 0, 0), 20)


# --- animation ---------------------------------------------------------------------------------

def frames():
    return [Image.new("RGB", (64, 64), colour) for colour in (RED, BLUE, GREEN)]


@pytest.mark.parametrize(("fmt", "params"), [("GIF", {}), ("PNG", {}), ("WEBP", {"lossless": True})])
def test_animated_first_frame(fmt, params):
    first, *rest = frames()
    data = encode(first, fmt, save_all=True, append_images=rest, duration=100, loop=0, **params)
    assert getattr(Image.open(io.BytesIO(data)), "n_frames", 1) == 3
    result = load_photo(data)
    assert_clean(result)
    assert result.format == fmt
    assert result.notes == ["animated image: used the first frame"]
    assert close(result.image.getpixel((10, 10)), RED, 4)


def test_pil_animated_image_uses_first_frame_and_keeps_callers_position():
    first, *rest = frames()
    source = Image.open(io.BytesIO(encode(first, "GIF", save_all=True, append_images=rest)))
    source.seek(2)
    result = load_photo(source)
    assert result.notes == ["animated image: used the first frame"]
    assert close(result.image.getpixel((10, 10)), RED, 4)
    assert source.tell() == 2


# --- PIL images --------------------------------------------------------------------------------

def test_pil_image_is_copied_and_cleaned():
    source = Image.new("RGBA", (80, 64), (0, 0, 255, 0))
    source.info["comment"] = b"secret"
    result = load_photo(source)
    assert_clean(result)
    assert result.image is not source
    assert result.format == "PIL"
    assert result.image.getpixel((5, 5)) == WHITE
    assert source.mode == "RGBA" and source.info["comment"] == b"secret"  # the caller's image is untouched


def test_pil_image_from_file_is_oriented():
    exif = Image.Exif()
    exif[0x0112] = 6
    source = Image.open(io.BytesIO(encode(scene(), "JPEG", exif=exif.tobytes())))
    result = load_photo(source)
    assert result.format == "JPEG"
    assert result.size == (64, 96)
    assert source.size == (96, 64)
    assert_clean(result)


def test_pil_16bit_int_image():
    source = Image.fromarray(np.full((64, 64), 0xFF00, dtype=np.int32))
    assert source.mode == "I"
    assert load_photo(source).image.getpixel((0, 0)) == WHITE


def test_pil_image_limits_apply():
    assert "at least 64 px" in refused(Image.new("RGB", (63, 500)))


def test_wrong_type():
    with pytest.raises(TypeError):
        load_photo(12345)  # type: ignore[arg-type]


# --- refusals ----------------------------------------------------------------------------------

def test_missing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert refused("x.jpg") == "photo not found: x.jpg"
    assert refused(tmp_path / "a" / "b.png") == f"photo not found: {tmp_path / 'a' / 'b.png'}"


def test_directory(tmp_path):
    message = refused(tmp_path)
    assert "is a directory" in message and str(tmp_path) in message


def test_empty_file(tmp_path):
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    assert refused(path) == f"'{path}' is empty (0 bytes); use a JPEG, PNG, WebP or HEIC photo"
    assert "empty" in refused(b"")


def test_text_file_is_not_an_image(tmp_path):
    path = tmp_path / "passwd"
    path.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n")
    assert refused(path) == f"'{path}' is not an image; use a JPEG, PNG, WebP or HEIC photo"
    if os.path.isfile("/etc/passwd"):
        assert refused("/etc/passwd") == "'/etc/passwd' is not an image; use a JPEG, PNG, WebP or HEIC photo"


@pytest.mark.parametrize(("fmt", "what"), [("BMP", "a BMP"), ("TIFF", "a TIFF"), ("PDF", "a PDF"), ("ICO", "an ICO")])
def test_unsupported_formats_name_what_is_allowed(fmt, what):
    message = refused(encode(scene(), fmt))
    assert message == f"the file is {what} file; use a JPEG, PNG, WebP or HEIC photo"


def test_svg_is_refused():
    assert "SVG" in refused(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>')


def test_device_file_is_refused():
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    assert "not a regular file" in refused("/dev/zero")


def test_odd_file_names_stay_on_one_line(tmp_path):
    refused(tmp_path / "line\nbreak.jpg")
    path = tmp_path / "evil\rname.jpg"
    path.write_text("hello")
    refused(path)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF", "GIF"])
def test_truncated_file(fmt):
    data = encode(Image.effect_noise((128, 128), 64).convert("RGB"), fmt)
    message = refused(data[: len(data) // 2])
    assert "damaged or truncated" in message


def test_truncated_file_on_disk(tmp_path):
    data = encode(Image.effect_noise((128, 128), 64).convert("RGB"), "JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) // 2])
    assert refused(path) == f"'{path}' is damaged or truncated and cannot be decoded; use a JPEG, PNG, WebP or HEIC photo"


def test_corrupt_bytes():
    assert "damaged" in refused(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    assert "damaged" in refused(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    png = bytearray(encode(scene(), "PNG"))
    png[40] ^= 0xFF  # breaks a CRC inside the image data
    refused(bytes(png))
    assert "not an image" in refused(os.urandom(4096).replace(b"\xff\xd8", b"\x00\x00"))


def test_random_damage_never_escapes_as_a_traceback():
    rng = random.Random(1234)
    sources = [encode(scene((64, 64)), fmt) for fmt in ("JPEG", "PNG", "WEBP", "HEIF", "GIF")]
    for data in sources:
        for _ in range(40):
            damaged = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            if rng.random() < 0.3:
                damaged = damaged[: rng.randrange(1, len(damaged))]
            try:
                result = load_photo(bytes(damaged))
            except PhotoError as exc:
                assert "\n" not in str(exc)
            else:
                assert result.image.mode == "RGB" and result.image.info == {}


def test_over_the_pixel_limit_from_the_header():
    data = png_header_only(8000, 5125)  # 41 MP in a file of a few dozen bytes
    assert len(data) < 200
    assert refused(data) == "the photo is 41 MP (8000x5125); the limit is 40 MP"


def test_jpeg_header_claiming_a_huge_size():
    data = bytearray(encode(scene(), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 9000, 9000)
    assert refused(bytes(data)).startswith("the photo is 81 MP")


def test_just_over_the_limit_is_not_rounded_down():
    width, height = 8000, 5001  # 40.008 MP
    assert refused(png_header_only(width, height)).startswith("the photo is 40.1 MP")


def test_pixel_limit_boundary(monkeypatch):
    monkeypatch.setattr(photo_module, "MAX_PIXELS", 100 * 100)
    assert load_photo(encode(scene((100, 100)), "PNG")).size == (100, 100)
    assert "the limit is 0 MP" in refused(encode(scene((100, 101)), "PNG"))
    assert MAX_PIXELS == 40_000_000


@pytest.mark.parametrize(("width", "height", "mp"), [(10_000, 10_000, "100"), (20_000, 20_000, "400"), (65_535, 65_535, "4295")])
def test_decompression_bombs(width, height, mp):
    # 100 MP trips Pillow's bomb warning, 400 MP its bomb error: both become one-line refusals.
    assert refused(png_header_only(width, height)).startswith(f"the photo is {mp} MP")


def test_too_small():
    assert refused(encode(Image.new("RGB", (63, 200)), "PNG")) == (
        "the photo is 63x200 px; it must be at least 64 px on each side"
    )
    assert refused(encode(Image.new("RGB", (200, 10)), "JPEG")).startswith("the photo is 200x10 px")
    assert load_photo(encode(Image.new("RGB", (64, 64)), "PNG")).size == (64, 64)


def test_file_too_big(tmp_path):
    path = tmp_path / "huge.jpg"
    with path.open("wb") as handle:
        handle.truncate(81_000_000)  # sparse: costs no disk
    assert refused(path) == f"'{path}' is 81 MB; the limit is 80 MB"


def test_bytes_too_big():
    assert refused(b"\0" * 80_000_001) == "the file is 80.1 MB; the limit is 80 MB"
    message = refused(b"\0" * 81_000_000)
    assert message == "the file is 81 MB; the limit is 80 MB"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.jpg"
    path.write_bytes(encode(scene(), "JPEG"))
    path.chmod(0)
    try:
        assert refused(path).startswith("cannot read photo")
    finally:
        path.chmod(0o600)
