"""Outputs are written whole or not at all, never over the input, never over a special file, and a killed
run leaves nothing behind: a full disk (a writer that runs out after N bytes, or a tiny tmpfs), a failed
rename, `kill -9` during a clip, an output that is the photo, a FIFO or a link to /dev/null."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minime import files
from minime.cli import app
from minime.errors import MinimeError

from .conftest import FIXTURES
from .test_hostile_input import one_line_exit_2

runner = CliRunner()
PHOTO = str(FIXTURES / "obama.jpg")
FAST = ["--name", "X", "--engine", "studio"]

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to tell which file a write is for")


def leftovers(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob(".minime-*"))


@pytest.fixture
def full_disk(monkeypatch):
    """`fill(folder, room)`: from now on the disk under `folder` takes `room` more bytes, then a write comes
    back short and the next fails with ENOSPC, as on a full file system. Writes elsewhere go through."""
    real = os.write
    state: dict = {}

    def write(fd, data):
        try:
            where = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            where = ""
        if state and where.startswith(state["folder"] + os.sep):
            if state["room"] <= 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            data = bytes(memoryview(data)[:state["room"]])
            state["room"] -= len(data)
        return real(fd, data)

    def fill(folder: Path, room: int = 0) -> None:
        state.update(folder=os.path.realpath(folder), room=room)

    monkeypatch.setattr(os, "write", write)
    return fill


@pytest.fixture(params=["unnamed", "named"])
def temp_files(request, monkeypatch):
    """Both ways the writer stages a file: unnamed (O_TMPFILE) and, where a system has none, a named temp file."""
    if request.param == "named":
        monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    elif not hasattr(os, "O_TMPFILE"):
        pytest.skip("no O_TMPFILE here")
    return request.param


# ------------------------------------------------------------------------------------------- item 1


@pytest.mark.parametrize("room", [0, 1000, 3000, 4500, 8000, 11_999])
def test_a_full_disk_changes_nothing_and_leaves_no_temp_file(room, full_disk, temp_files, tmp_path):
    (tmp_path / "sub").mkdir()
    a, b, c = tmp_path / "a.png", tmp_path / "b.3mf", tmp_path / "sub" / "c.mp4"
    a.write_bytes(b"the old a")
    sizes = {a: 3000, b: 5000, c: 4000}
    full_disk(tmp_path, room)
    open_files = len(os.listdir("/proc/self/fd"))
    with pytest.raises(MinimeError) as caught:
        files.write_all({path: b"x" * n for path, n in sizes.items()})
    assert len(os.listdir("/proc/self/fd")) == open_files  # no temp file left open either
    total, failed = 0, None
    for path, n in sizes.items():  # the file being written when the room ran out is the one named
        total += n
        if total > room:
            failed = path
            break
    assert str(failed) in str(caught.value) and "no space left" in str(caught.value)
    assert a.read_bytes() == b"the old a" and not b.exists() and not c.exists()
    assert leftovers(tmp_path) == []


def test_the_same_writer_with_room_enough_writes_everything(full_disk, temp_files, tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    a.write_bytes(b"old")
    full_disk(tmp_path, 4000)  # twice the bytes: where an unnamed file cannot be linked (EXDEV), it is copied
    files.write_all({a: b"1" * 1000, b: b"2" * 1000})
    assert a.read_bytes() == b"1" * 1000 and b.read_bytes() == b"2" * 1000 and leftovers(tmp_path) == []


def test_a_failed_rename_puts_back_the_outputs_already_in_place(monkeypatch, temp_files, tmp_path):
    """The last step can fail too (a folder that needs a new block for the name): what was put in place goes back."""
    layers = tmp_path / "L"
    layers.mkdir()
    box, back, front = tmp_path / "x.png", tmp_path / "x-back.png", layers / "front.png"
    box.write_bytes(b"the old box")
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst) == front:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(MinimeError, match="front.png"):
        files.write_all({box: b"new box", back: b"new back", front: b"new front"})
    assert box.read_bytes() == b"the old box" and not back.exists() and not front.exists()
    assert leftovers(tmp_path) == []


def test_full_layers_folder_writes_no_box_and_no_layer(full_disk, temp_files, tmp_path):
    """`-o x.png --layers L` on a full disk wrote x.png, then failed; and left L/.minime-*.png."""
    out, figure, layers = tmp_path / "x.png", tmp_path / "figure.png", tmp_path / "L"
    out.write_bytes(b"the old box")
    full_disk(layers, 20_000)
    line = one_line_exit_2(runner.invoke(app, ["make", PHOTO, *FAST, "-o", str(out), "--back",
                                               "--save-figure", str(figure), "--layers", str(layers)]))
    assert str(layers) in line and "no space left" in line
    assert out.read_bytes() == b"the old box"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.png"]  # no back, no figure, no L made by this run
    assert leftovers(tmp_path) == []


def test_full_disk_under_save_figure_names_the_figure(full_disk, temp_files, tmp_path):
    """The error named -o's file when --save-figure's could not be written."""
    (tmp_path / "full").mkdir()
    out, figure = tmp_path / "x.png", tmp_path / "full" / "figure.png"
    full_disk(tmp_path / "full", 1000)
    line = one_line_exit_2(runner.invoke(app, ["make", PHOTO, *FAST, "-o", str(out), "--save-figure", str(figure)]))
    assert f"cannot write {str(figure)!r}: no space left on device" in line
    assert not out.exists() and not figure.exists() and leftovers(tmp_path) == []


@pytest.fixture
def tiny_tmpfs(tmp_path):
    """A real 64 kB file system, where mounting is allowed (root on Linux); skipped elsewhere."""
    where = tmp_path / "small"
    where.mkdir()
    mount = shutil.which("mount")
    if mount is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run([mount, "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        if subprocess.run(["umount", str(where)], capture_output=True).returncode != 0:  # busy: a file left open
            subprocess.run(["umount", "-l", str(where)], capture_output=True)


@pytest.mark.parametrize("args", [["-o", "{small}/x.png"], ["-o", "{small}/x.3mf"], ["-o", "{small}/x.glb"],
                                  ["-o", "{tmp}/x.png", "--save-figure", "{small}/figure.png"],
                                  ["-o", "{tmp}/x.png", "--back", "--layers", "{small}/L"]])
def test_a_tiny_tmpfs(args, tiny_tmpfs, tmp_path):
    args = [a.format(small=tiny_tmpfs, tmp=tmp_path) for a in args]
    line = one_line_exit_2(runner.invoke(app, ["make", PHOTO, "--name", "X", *args]))
    assert "no space left on device" in line and str(tiny_tmpfs) in line
    assert list(tiny_tmpfs.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small"]


# ------------------------------------------------------------------------------------------- item 2


def test_clips_are_encoded_without_a_temp_file(monkeypatch):
    """A temp folder in /tmp is left behind by kill -9; the clip is encoded in memory instead."""
    import tempfile

    import numpy as np

    from minime.outputs import clip

    def no_temp(*args, **kwargs):
        raise AssertionError("a clip made a temp file")

    monkeypatch.setattr(tempfile, "mkdtemp", no_temp)
    monkeypatch.setattr(tempfile, "mkstemp", no_temp)
    frames = [np.full((64, 96, 3), i * 8, np.uint8) for i in range(10)]
    for fmt in ("mp4", "gif", "webp"):
        assert len(clip.encode(frames, fmt)) > 100


def test_fast_start_is_ffmpegs_own(tmp_path):
    """The index moved before the frames in memory is byte for byte what FFmpeg's +faststart writes to a file."""
    av = pytest.importorskip("av")
    import numpy as np

    from minime.outputs import clip

    rng = np.random.default_rng(1)
    frames = [rng.integers(0, 255, (64, 96, 3), dtype=np.uint8) for _ in range(20)]
    # Two x264 encoders in one process do not always make the same bits (seen under a busy test run), so the
    # pair is made again when the encoded sizes differ: only a pair with the same video compares containers.
    for attempt in range(5):
        data = clip.encode(frames, "mp4", metadata={"comment": "test"})
        target = tmp_path / f"ffmpeg{attempt}.mp4"
        with av.open(str(target), "w", format="mp4", options={"movflags": "+faststart"}) as out:
            out.metadata["comment"] = "test"
            clip_stream_like(out, av, frames)
        if len(data) == target.stat().st_size:
            break
    assert data.find(b"moov") < data.find(b"mdat")
    assert data == target.read_bytes()
    assert clip.fast_start(data) == data  # already fast: unchanged
    assert clip.fast_start(b"not an mp4") == b"not an mp4"


def clip_stream_like(out, av, frames) -> None:
    """The stream `clip._encode` makes for an MP4, for FFmpeg to write with its own fast start."""
    from fractions import Fraction

    from minime.outputs.clip import FPS, mp4_frame, mp4_stream

    stream = mp4_stream(out, frames[0].shape[1], frames[0].shape[0])
    stream.time_base = Fraction(1, FPS)
    for i, rgb in enumerate(frames):
        frame = mp4_frame(rgb)
        frame.pts, frame.time_base = i, Fraction(1, FPS)
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode(None):
        out.mux(packet)


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_runs_temp_files_are_removed_by_the_next_run(tmp_path, monkeypatch):
    # Ten minutes on: a file's age is its newest of mtime and ctime (a hard-linked .old keeps the old
    # file's mtime, and no test can set a ctime back), so the clock moves instead.
    later = time.time() + 600
    monkeypatch.setattr(files, "time", type("Clock", (), {"time": staticmethod(lambda: later)}))
    old = time.time() - 600
    gone = dead_pid()
    stale = [tmp_path / f".minime-{gone}-0123abcd.mp4", tmp_path / f".minime-{gone}-89abcdef.old",
             tmp_path / f".minime-{gone}-00ff00ff"]
    kept = [tmp_path / f".minime-{gone}-deadbeef.png",  # fresh: a run may be writing it
            tmp_path / ".minime-1-0123abcd.png",  # a running process's
            tmp_path / ".minime-notes.txt", tmp_path / "box.minime-1-0123abcd.png"]  # not minime's names
    for path in stale + kept:
        path.write_bytes(b"x")
    for path in stale + kept[1:]:
        os.utime(path, (old, old))
    os.utime(kept[0], (later, later))  # written a moment ago, on the moved clock
    result = runner.invoke(app, ["make", PHOTO, *FAST, "-o", str(tmp_path / "box.png")])
    assert result.exit_code == 0, result.output
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in kept)


# `minime make` with the clip encoder marking (in a file) the moment it starts: the kill lands mid-encode.
MARKED = """
import pathlib, sys
from minime.outputs import clip
mark, real = pathlib.Path(sys.argv[1]), clip._encode
def marked(*args, **kwargs):
    mark.touch()
    return real(*args, **kwargs)
clip._encode = marked
from minime.cli import main
sys.argv = ["minime", *sys.argv[2:]]
main()
"""


@pytest.mark.slow
def test_kill_9_during_a_clip_leaves_nothing_in_tmp(tmp_path):
    """`kill -9` while the clip was encoded left /tmp/minime-clip-*/clip.mp4."""
    private, folder, mark = tmp_path / "tmp", tmp_path / "out", tmp_path / "encoding"
    private.mkdir()
    folder.mkdir()
    out = folder / "me.mp4"
    env = {**os.environ, "TMPDIR": str(private), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-c", MARKED, str(mark), "make", PHOTO, "--name", "X", "--size", "square",
                             "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        while proc.poll() is None and not mark.exists():
            time.sleep(0.02)
        time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert mark.exists(), "the run ended before it encoded the clip"
    assert list(private.iterdir()) == []
    assert all(p.name.startswith(".minime-") for p in folder.iterdir())  # no half clip under its name
    for path in folder.glob(".minime-*"):  # the next run removes what this one left, once it is stale
        os.utime(path, (time.time() - 600,) * 2)
    result = runner.invoke(app, ["make", PHOTO, *FAST, "-o", str(folder / "box.png")])
    assert result.exit_code == 0, result.output
    assert leftovers(folder) == []


# ------------------------------------------------------------------------------------------- item 3


@pytest.fixture
def photo(tmp_path):
    from PIL import Image

    path = tmp_path / "p.png"
    Image.open(PHOTO).save(path)
    return path


@pytest.mark.parametrize("how", ["same", "symlink", "hardlink", "relative", "back", "save-figure", "keep-all",
                                 "layers", "spec"])
def test_an_output_that_is_the_input_is_refused(how, photo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = photo.read_bytes()
    args = ["make", str(photo), "--name", "X"]
    if how == "same":
        args += ["-o", str(photo)]
    elif how == "symlink":
        (tmp_path / "link.png").symlink_to(photo)
        args += ["-o", str(tmp_path / "link.png")]
    elif how == "hardlink":
        os.link(photo, tmp_path / "hard.png")
        args += ["-o", str(tmp_path / "hard.png")]
    elif how == "relative":
        (tmp_path / "sub").mkdir()
        args += ["-o", "sub/../p.png"]
    elif how == "back":
        photo = photo.rename(tmp_path / "x-back.png")
        args = ["make", str(photo), "--name", "X", "-o", str(tmp_path / "x.png"), "--back"]
    elif how == "save-figure":
        args += ["-o", str(tmp_path / "x.png"), "--save-figure", str(photo)]
    elif how == "keep-all":
        photo = photo.rename(tmp_path / "x-v2.png")
        args = ["make", str(photo), "--name", "X", "-o", str(tmp_path / "x.png"), "--variants", "2", "--keep-all"]
    elif how == "layers":
        (tmp_path / "L").mkdir()
        photo = photo.rename(tmp_path / "L" / "front.png")
        args = ["make", str(photo), "--name", "X", "-o", str(tmp_path / "x.png"), "--layers", str(tmp_path / "L")]
    else:
        spec = tmp_path / "spec.yaml"
        spec.write_text("name: Ada\n")
        (tmp_path / "spec.png").symlink_to(spec)
        before = spec.read_bytes()
        args += ["--spec", str(spec), "-o", str(tmp_path / "spec.png")]
        photo = spec
    line = one_line_exit_2(runner.invoke(app, args))
    assert "never writes over its input" in line
    assert photo.read_bytes() == before
    assert not (tmp_path / "x.png").exists() and leftovers(tmp_path) == []


def test_box_refuses_to_write_over_its_figure(tmp_path):
    figure = tmp_path / "f.png"
    result = runner.invoke(app, ["make", PHOTO, *FAST, "-o", str(tmp_path / "x.png"), "--save-figure", str(figure)])
    assert result.exit_code == 0, result.output
    before = figure.read_bytes()
    line = one_line_exit_2(runner.invoke(app, ["box", str(figure), "--name", "Y", "-o", str(figure)]))
    assert "is the figure this command reads" in line and figure.read_bytes() == before


def test_an_existing_output_is_still_replaced(tmp_path):
    """Re-runs replace their outputs, --back's included: only the input is protected."""
    out, back = tmp_path / "x.png", tmp_path / "x-back.png"
    out.write_bytes(b"old box")
    back.write_bytes(b"old back")
    result = runner.invoke(app, ["make", PHOTO, *FAST, "-o", str(out), "--back"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:4] == b"\x89PNG" and back.read_bytes()[:4] == b"\x89PNG"


# ------------------------------------------------------------------------------------------- item 4


def _special(kind: str, path: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to({"null": "/dev/null", "full": "/dev/full", "dangling": str(path.parent / "no" / "such")}[kind])


@pytest.mark.parametrize("kind", ["fifo", "null", "full", "dangling"])
@pytest.mark.parametrize("flag", ["-o", "--back", "--save-figure", "--layers"])
def test_a_special_output_is_refused_and_kept(kind, flag, tmp_path):
    out = tmp_path / "f.stl"
    args = ["make", PHOTO, "--name", "X", "-o", str(out)]
    special = out
    if flag == "--back":
        out = tmp_path / "x.png"
        special = tmp_path / "x-back.png"
        args = ["make", PHOTO, "--name", "X", "-o", str(out), "--back"]
    elif flag == "--save-figure":
        out, special = tmp_path / "x.png", tmp_path / "figure.png"
        args = ["make", PHOTO, "--name", "X", "-o", str(out), "--save-figure", str(special)]
    elif flag == "--layers":
        (tmp_path / "L").mkdir()
        out, special = tmp_path / "x.png", tmp_path / "L" / "back.png"
        args = ["make", PHOTO, "--name", "X", "-o", str(out), "--layers", str(tmp_path / "L")]
    _special(kind, special)
    before = os.lstat(special)
    line = one_line_exit_2(runner.invoke(app, args))
    assert str(special) in line and ("pipe, device or socket" in line or "missing file" in line)
    after = os.lstat(special)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)  # the FIFO or the link is still there
    assert not out.exists() or out == special


def test_a_link_to_a_regular_file_is_still_an_output(tmp_path):
    """Not special: a link to a file is replaced as any existing output is (the file it named is kept)."""
    target = tmp_path / "old.png"
    target.write_bytes(b"old")
    (tmp_path / "x.png").symlink_to(target)
    result = runner.invoke(app, ["make", PHOTO, *FAST, "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x.png").read_bytes()[:4] == b"\x89PNG" and target.read_bytes() == b"old"
