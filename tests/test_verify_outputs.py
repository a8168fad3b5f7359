"""`minime verify` on every output minime writes: images, clips (MP4, GIF, animated WebP: signed), models (STL,
3MF, GLB) and the print kit (PDF), which carry a label and no signature. Each made by minime exits 0 and says
what it carries; a damaged or foreign one exits 1 with one line saying why."""

from __future__ import annotations

import io
import json
import struct
import zipfile

import pytest
from typer.testing import CliRunner

import minime
from minime.cli import app
from minime.outputs import clip
from minime.provenance import verify

from .conftest import FIXTURES

runner = CliRunner()
FORMATS = ["png", "jpg", "webp", "mp4", "gif", "webp-clip", "stl", "3mf", "glb", "pdf"]
SUFFIX = {"webp-clip": "clip.webp"}


@pytest.fixture(scope="module")
def made(gl, tmp_path_factory):
    """One sculpted figure, written in every format (the clips at a small size: what is checked is the file)."""
    result = minime.make(FIXTURES / "obama.jpg", {"name": "Ada"}, likeness=False, record=False)
    folder = tmp_path_factory.mktemp("outputs")
    files = {}
    for fmt in FORMATS:
        if fmt == "pdf":
            data = result.rebox(size="print-kit").encode("pdf")
        elif fmt in ("mp4", "gif", "webp-clip"):
            data = clip.clip_bytes(fmt.split("-")[0], parts=result.figure.mesh, size=(96, 120), label=result.label())
        else:
            data = result.encode(fmt)
        path = folder / f"ada.{SUFFIX.get(fmt, fmt)}"
        path.write_bytes(data)
        files[fmt] = path
    return files


def one_problem(run) -> str:
    lines = [line for line in run.output.splitlines() if line.startswith("problem:")]
    assert run.exit_code == 1 and len(lines) == 1, run.output
    return lines[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_output_minime_writes_verifies(made, fmt):
    v = verify(made[fmt])
    assert v.ok and v.ai_label and not v.tampered and v.problems == [], v.problems
    run = runner.invoke(app, ["verify", str(made[fmt])])
    assert run.exit_code == 0, run.output
    assert "AI label:   yes" in run.output and "not a PNG" not in run.output
    if fmt in ("stl", "3mf", "glb", "pdf"):  # no place for a signature: it says so, and what the file carries
        assert not v.signable and "signature:  none: this format carries no signature" in run.output
        assert "carries:" in run.output
    else:
        assert v.signed and v.valid and "signature:  valid" in run.output and v.engine == "sculpt"


def test_what_each_unsigned_format_carries(made):
    carried = {fmt: " ".join(verify(made[fmt]).carries) for fmt in ("stl", "3mf", "glb", "pdf")}
    assert "'minime figure, AI-generated'" in carried["stl"]
    assert "Application 'minime'" in carried["3mf"] and "Description 'AI-generated figure'" in carried["3mf"]
    assert "generator 'minime'" in carried["glb"] and "trainedAlgorithmicMedia" in carried["glb"]
    assert "Creator 'minime'" in carried["pdf"] and "AI-generated" in carried["pdf"]
    assert "C2PA manifest (AI label, engine, energy receipt)" in verify(made["mp4"]).carries


def _flip(data: bytes, at: float = 0.6) -> bytes:
    out = bytearray(data)
    out[int(len(out) * at)] ^= 0x5A
    return bytes(out)


def _rezip(data: bytes, change) -> bytes:
    """The 3MF with its model part changed by `change` (a whole, valid package: no checksum catches it)."""
    src, buf = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info.filename, change(body) if info.filename.endswith(".model") else body)
    return buf.getvalue()


def _glb_json(data: bytes, change) -> bytes:
    size = struct.unpack_from("<I", data, 12)[0]
    gltf = change(json.loads(data[20:20 + size]))
    js = json.dumps(gltf).encode()
    js += b" " * ((-len(js)) % 4)
    rest = data[20 + size:]
    return struct.pack("<III", 0x46546C67, 2, 20 + len(js) + len(rest)) + struct.pack("<II", len(js), 0x4E4F534A) + js + rest


def _no_extras(gltf):
    gltf["asset"].pop("extras")
    return gltf


@pytest.mark.parametrize("fmt, spoil, needle", [
    ("mp4", _flip, "bmffHash.mismatch"),
    ("gif", _flip, "dataHash.mismatch"),
    ("webp-clip", lambda d: _flip(d, 0.5), "dataHash.mismatch"),
    ("stl", lambda d: d[:-10], "the STL is damaged"),
    ("stl", lambda d: b"Exported from a CAD program".ljust(80) + d[80:], "does not say it is AI-generated"),
    ("3mf", lambda d: _flip(d, 0.5), "the 3MF is damaged"),
    ("3mf", lambda d: _rezip(d, lambda m: m.replace(b"AI-generated figure", b"a figure")),
     "does not say it is AI-generated"),
    ("glb", lambda d: d[:-100], "the GLB is damaged"),
    ("glb", lambda d: _glb_json(d, _no_extras), "does not say it is AI-generated"),
    ("pdf", lambda d: d[:-3000], "the PDF is damaged"),
    ("pdf", lambda d: d.replace(b"/Subject (AI-generated", b"/Subject (A1-generated"),
     "does not say it is AI-generated"),
    ("pdf", lambda d: d.replace(b"/Creator (minime)", b"/Creator (minime) "), "the PDF is damaged"),  # bytes added
])
def test_a_damaged_or_foreign_output_exits_1_with_one_line(made, tmp_path, fmt, spoil, needle):
    path = tmp_path / made[fmt].name
    spoilt = spoil(made[fmt].read_bytes())
    assert spoilt != made[fmt].read_bytes()
    path.write_bytes(spoilt)
    assert not verify(path).ok
    assert needle in one_problem(runner.invoke(app, ["verify", str(path)]))


def test_a_file_minime_does_not_write_is_one_line(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    assert "not a file minime writes" in one_problem(runner.invoke(app, ["verify", str(path)]))
    odd = tmp_path / "odd.zip"  # a zip that is not a 3MF
    with zipfile.ZipFile(odd, "w") as z:
        z.writestr("readme.txt", "hi")
    assert "not a 3MF" in one_problem(runner.invoke(app, ["verify", str(odd)]))


def test_a_zip_bomb_3mf_is_refused_without_unzipping(tmp_path, monkeypatch):
    from minime.provenance import formats

    monkeypatch.setattr(formats, "MAX_UNZIPPED", 1 << 20)  # what it checks is the declared size, not the unzipping
    path = tmp_path / "bomb.3mf"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("3D/3dmodel.model", b"\0" * (3 << 20))
    assert "unzips to" in one_problem(runner.invoke(app, ["verify", str(path)]))
