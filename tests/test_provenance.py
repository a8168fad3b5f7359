"""Provenance: XMP label, C2PA manifest signed offline, invisible watermark, verify."""

from __future__ import annotations

import io
import json
import stat

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from minime.provenance import (
    IPTC_TRAINED,
    embed_watermark,
    read_watermark,
    save_options,
    sign_file,
    verify,
    xmp_packet,
)
from minime.provenance import manifest as signing
from minime.provenance.xmp import xmp_field

FORMATS = {"png": "PNG", "jpg": "JPEG", "webp": "WEBP"}


@pytest.fixture
def home(tmp_path, monkeypatch, no_network):
    """A private user dir for keys, with sockets blocked."""
    from minime.settings import settings

    monkeypatch.setenv("MINIME_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MINIME_SIGNING_CERT", raising=False)
    monkeypatch.delenv("MINIME_SIGNING_KEY", raising=False)
    settings.cache_clear()
    yield tmp_path / "home"
    settings.cache_clear()


def natural(seed: int, size=(320, 400)) -> Image.Image:
    """A smooth, photo-like picture: gradients, blobs, a little noise."""
    rng = np.random.default_rng(seed)
    im = Image.fromarray(rng.integers(0, 255, (6, 5, 3), dtype=np.uint8)).resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(im)
    for _ in range(12):
        x, y, r = rng.integers(0, size[0]), rng.integers(0, size[1]), rng.integers(10, size[0] // 3)
        draw.ellipse((x, y, x + r, y + r), fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
    a = np.asarray(im, np.float32) + rng.normal(0, 3, (size[1], size[0], 3))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.8))


def psnr(a: Image.Image, b: Image.Image) -> float:
    mse = np.mean((np.asarray(a, np.float64) - np.asarray(b, np.float64)) ** 2)
    return float(10 * np.log10(255**2 / mse))


def write_output(path, image: Image.Image, *, engine="studio", model="mannequin-1") -> None:
    """What export does: watermark, save with XMP, then sign last."""
    fmt = FORMATS[path.suffix[1:]]
    xmp = xmp_packet(engine=engine, model=model, created="2026-01-02T03:04:05+00:00")
    embed_watermark(image).save(path, fmt, **save_options(fmt, xmp))


def pixel_data_offset(data: bytes, fmt: str) -> int:
    """An offset in the middle of the compressed pixels (IDAT, JPEG scan, VP8 bitstream), not the manifest."""
    if fmt == "png":
        start = data.index(b"IDAT") + 4
        length = int.from_bytes(data[start - 8 : start - 4], "big")
    elif fmt == "jpg":  # walk the segments to the scan: a signature's random bytes may hold FF DA too
        sos = 2
        while data[sos + 1] != 0xDA:
            sos += 2 + int.from_bytes(data[sos + 2 : sos + 4], "big")
        start = sos + 2 + int.from_bytes(data[sos + 2 : sos + 4], "big")
        length = len(data) - 2 - start
    else:
        start = data.index(b"VP8") + 8
        length = int.from_bytes(data[start - 4 : start], "little")
    return start + length // 2


@pytest.mark.parametrize("ext", list(FORMATS))
def test_sign_and_verify_round_trip(home, tmp_path, ext):
    path = tmp_path / f"box.{ext}"
    write_output(path, natural(1))
    sign_file(path, engine="studio", model="mannequin-1", extra={"kwh": 0.0012, "grid": "WORLD"})

    v = verify(path)
    assert v.ok, v.problems
    assert (v.signed, v.valid, v.trusted, v.ai_label, v.watermark, v.tampered) == (True, True, True, True, True, False)
    assert v.engine == "studio"
    assert v.created == "2026-01-02T03:04:05+00:00"
    assert v.problems == []
    # The XMP label survives signing and Pillow still decodes the file.
    with Image.open(path) as im:
        xmp = im.info["xmp"]
        im.load()
    assert IPTC_TRAINED in (xmp.decode() if isinstance(xmp, bytes) else xmp)


def test_manifest_has_action_receipt_and_no_ingredient_or_thumbnail(home, tmp_path):
    import c2pa

    path = tmp_path / "box.png"
    write_output(path, natural(2))
    sign_file(path, engine="openai", model="img-x", extra={"kwh": 0.5, "provider": "openai"})

    with c2pa.Reader(str(path), context=signing._context("read", signing._trust_anchors())) as reader:
        raw = reader.json()
    store = json.loads(raw)
    manifest = store["manifests"][store["active_manifest"]]
    assert not manifest.get("ingredients")
    assert "thumbnail" not in manifest
    assert "thumbnail" not in raw.lower()
    labels = [a["label"] for a in manifest["assertions"]]
    assert not any(label.startswith("c2pa.thumbnail") for label in labels)
    actions = next(a["data"]["actions"] for a in manifest["assertions"] if a["label"].startswith("c2pa.actions"))
    assert actions[0]["action"] == "c2pa.created"
    assert actions[0]["digitalSourceType"] == IPTC_TRAINED
    data = {a["label"]: a["data"] for a in manifest["assertions"]}
    assert data["org.minime.generator"]["engine"] == "openai"
    assert data["org.minime.generator"]["model"] == "img-x"
    assert data["org.minime.receipt"] == {"kwh": 0.5, "provider": "openai"}
    assert "title" not in manifest  # the file name may be personal


@pytest.mark.parametrize("ext", list(FORMATS))
def test_flipped_pixel_byte_is_tampered(home, tmp_path, ext):
    path = tmp_path / f"box.{ext}"
    write_output(path, natural(3))
    sign_file(path, engine="studio", model="m")
    data = bytearray(path.read_bytes())
    data[pixel_data_offset(bytes(data), ext)] ^= 0x5A
    path.write_bytes(bytes(data))

    v = verify(path)
    assert v.signed and v.tampered
    assert not v.valid and not v.ok
    assert any("dataHash" in p for p in v.problems), v.problems


def test_unsigned_and_non_image_files(home, tmp_path):
    path = tmp_path / "plain.png"
    write_output(path, natural(4))
    v = verify(path)
    assert not v.signed and not v.ok
    assert v.ai_label and v.watermark  # the XMP label and the mark are there; only the signature is missing
    assert any("not signed" in p for p in v.problems)

    text = tmp_path / "notes.png"
    text.write_text("not an image at all")
    v = verify(text)
    assert not v.ok and not v.signed and v.problems

    truncated = tmp_path / "cut.jpg"
    write_output(truncated, natural(5))
    sign_file(truncated, engine="studio", model="m")
    truncated.write_bytes(truncated.read_bytes()[:-500])
    v = verify(truncated)
    assert not v.ok

    with pytest.raises(FileNotFoundError):
        verify(tmp_path / "missing.png")


def test_signing_replaces_in_place_and_keeps_mode(home, tmp_path):
    path = tmp_path / "box.webp"
    write_output(path, natural(6))
    path.chmod(0o644)
    sign_file(path, engine="studio", model="m")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["box.webp"]  # no temp file left


def test_unsupported_file_cannot_be_signed(home, tmp_path):
    from minime.errors import MinimeError

    path = tmp_path / "box.gif"
    natural(7).save(path)
    with pytest.raises(MinimeError, match="PNG, JPEG and WebP"):
        sign_file(path, engine="studio", model="m")


def test_keys_are_private_and_reused(home, tmp_path):
    first = tmp_path / "a.png"
    write_output(first, natural(8))
    sign_file(first, engine="studio", model="m")
    folder = home / "signing"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "key.pem").stat().st_mode) == 0o600
    key, chain = (folder / "key.pem").read_bytes(), (folder / "chain.pem").read_bytes()

    signing._cache.clear()  # a new process: keys come from disk, not made again
    second = tmp_path / "b.png"
    write_output(second, natural(9))
    sign_file(second, engine="studio", model="m")
    assert (folder / "key.pem").read_bytes() == key
    assert (folder / "chain.pem").read_bytes() == chain
    assert verify(first).trusted and verify(second).trusted


def test_other_signer_is_valid_but_not_trusted(home, tmp_path, monkeypatch):
    from minime.settings import settings

    path = tmp_path / "box.jpg"
    write_output(path, natural(10))
    sign_file(path, engine="studio", model="m")
    monkeypatch.setenv("MINIME_HOME", str(tmp_path / "someone-else"))
    settings.cache_clear()
    v = verify(path)
    assert v.ok and v.valid and not v.tampered
    assert not v.trusted
    assert any("not trusted" in p for p in v.problems)


def test_brand_certificate_from_settings(home, tmp_path, monkeypatch):
    from minime.settings import settings

    brand = tmp_path / "brand"
    brand.mkdir()
    signing._make_local_ca(brand)  # stands in for a certificate a brand bought
    monkeypatch.setenv("MINIME_SIGNING_CERT", str(brand / "chain.pem"))
    monkeypatch.setenv("MINIME_SIGNING_KEY", str(brand / "key.pem"))
    settings.cache_clear()
    path = tmp_path / "box.png"
    write_output(path, natural(11))
    sign_file(path, engine="studio", model="m")
    v = verify(path)
    assert v.ok and v.trusted, v.problems
    assert not (home / "signing").exists()  # no local key is made when a brand signs


def test_xmp_packet_and_save_options():
    xmp = xmp_packet(engine='a"b<c', model="m&1", created="2026-01-01T00:00:00Z")
    text = xmp.decode()
    assert f'Iptc4xmpExt:DigitalSourceType="{IPTC_TRAINED}"' in text
    assert xmp_field(text, "engine") == 'a"b<c'
    assert xmp_field(text, "model") == "m&1"
    assert set(save_options("jpg", xmp)) == {"xmp"}
    assert set(save_options("WEBP", xmp)) == {"xmp"}
    assert set(save_options("PNG", xmp)) == {"pnginfo"}
    for fmt in FORMATS.values():
        buf = io.BytesIO()
        Image.new("RGB", (8, 8)).save(buf, fmt, **save_options(fmt, xmp))
        with Image.open(io.BytesIO(buf.getvalue())) as im:
            got = im.info["xmp"]
        assert IPTC_TRAINED in (got.decode() if isinstance(got, bytes) else got)


# ------------------------------------------------------------------------------------------ watermark


def jpeg(image: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def test_watermark_is_invisible_and_robust():
    for seed in range(3):
        original = natural(100 + seed, (1080, 1350))
        marked = embed_watermark(original)
        assert marked.mode == "RGB" and marked.size == original.size
        assert psnr(original, marked) >= 38
        assert read_watermark(marked) == b"minime-ai"
        assert read_watermark(jpeg(marked, 90)) == b"minime-ai"
        half = marked.resize((540, 675), Image.Resampling.LANCZOS)
        assert read_watermark(half) == b"minime-ai"
        assert read_watermark(jpeg(half, 90)) == b"minime-ai"


def test_watermark_custom_payload_and_alpha():
    rgba = natural(200).convert("RGBA")
    rgba.putalpha(200)
    marked = embed_watermark(rgba, b"brand-42")
    assert marked.mode == "RGBA" and marked.getchannel("A").getextrema() == (200, 200)
    assert read_watermark(marked) == b"brand-42"
    with pytest.raises(Exception, match="at most"):
        embed_watermark(rgba, b"x" * 11)


def test_no_watermark_in_clean_images():
    images = [natural(300 + i, (300 + 37 * i, 420)) for i in range(10)]
    rng = np.random.default_rng(7)
    images += [Image.fromarray(rng.integers(0, 256, (240 + 10 * i, 320, 3), dtype=np.uint8)) for i in range(8)]
    images += [Image.new("RGB", (400, 300), (255, 255, 255)), Image.new("RGB", (400, 300), (0, 0, 0))]
    assert len(images) == 20
    assert [read_watermark(im) for im in images] == [None] * 20


@pytest.mark.timeout(60)
def test_watermark_at_full_feed_size_is_embedded_and_read():
    """At the size a box is shared (a hang or an accidental slow path fails on the timeout, not on a clock)."""
    image = natural(400, (1080, 1350))
    marked = embed_watermark(image)
    assert marked.size == image.size and read_watermark(marked) is not None
