"""The privacy rules of DESIGN.md, as tests: no network, no residue, no input metadata, no personal logs,
and every output signed and labelled as AI-generated."""

import io
import logging
import tempfile

import pytest
from PIL import Image

import minime
from minime.provenance import verify

from .conftest import FIXTURES

SECRET_NAME = "Jane Q. Secretperson"


def _photo_with_gps_and_name() -> bytes:
    img = Image.open(FIXTURES / "obama.jpg")
    exif = Image.Exif()
    exif[0x010E] = f"Portrait of {SECRET_NAME}"  # ImageDescription
    exif[0x013B] = SECRET_NAME  # Artist
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (48.0, 51.0, 29.0), "E", (2.0, 17.0, 40.0)
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif, quality=90)
    return buf.getvalue()


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return tmp


def test_offline_job_leaves_nothing_and_carries_nothing_of_the_input(tmp_path, private_tmp, no_network, caplog):
    data = _photo_with_gps_and_name()
    caplog.set_level(logging.INFO)
    result = minime.make(data, {"name": "Ada"})
    outputs = [result.save(tmp_path / "box.png"), result.save(tmp_path / "box.jpg"), result.save(tmp_path / "box.webp"),
               result.save_figure(tmp_path / "figure.png")]
    assert list(private_tmp.iterdir()) == []  # no residue of the photo, mask or embedding
    for path in outputs:
        raw = path.read_bytes()
        assert SECRET_NAME.encode() not in raw and b"Secretperson" not in raw
        with Image.open(path) as img:
            exif = img.getexif()
            assert not exif.get_ifd(0x8825) and 0x013B not in exif and 0x010E not in exif
        v = verify(path)
        assert v.ok and v.ai_label and v.trusted, v.problems
    assert "Secretperson" not in caplog.text and "Ada" not in caplog.text


@pytest.fixture(scope="module")
def made():
    """One offline figure, shared by the verify tests below."""
    return minime.make(FIXTURES / "obama.jpg", {"name": "Ada"})


def test_one_flipped_pixel_byte_is_caught(tmp_path, made):
    result = made
    path = result.save(tmp_path / "box.png")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    bad = tmp_path / "bad.png"
    bad.write_bytes(bytes(data))
    assert verify(path).ok
    v = verify(bad)
    assert not v.ok and (v.tampered or not v.valid)


def test_verify_command_exit_codes(tmp_path, made):
    from typer.testing import CliRunner

    from minime.cli import app

    good = made.save(tmp_path / "good.jpg")
    plain = tmp_path / "plain.png"
    Image.new("RGB", (300, 300), "white").save(plain)
    runner = CliRunner()
    ok = runner.invoke(app, ["verify", str(good)])
    assert ok.exit_code == 0 and "valid" in ok.output and "sculpt" in ok.output
    assert runner.invoke(app, ["verify", str(plain)]).exit_code == 1
    assert runner.invoke(app, ["verify", str(tmp_path / "missing.png")]).exit_code == 2
