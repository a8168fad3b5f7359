import json
import subprocess
import sys

import pytest
from PIL import Image
from typer.testing import CliRunner

from minime.cli import app

from .conftest import FIXTURES

runner = CliRunner()


def _run(*args):
    return subprocess.run([sys.executable, "-m", "minime", *args], capture_output=True, text=True, timeout=120)


def test_make_writes_the_box_and_reports_json(tmp_path, ocr):
    out = tmp_path / "ada.png"
    run = _run("make", str(FIXTURES / "obama.jpg"), "--name", "Ada Lovelace", "--accessory", "laptop",
               "--accessory", "coffee cup", "-o", str(out), "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["output"] == str(out) and data["engine"] == "sculpt" and data["template"] == "classic"
    assert data["size"] == "feed" and data["total_seconds"] > 0
    assert set(data["seconds"]) >= {"intake", "look", "engine", "box"}
    assert [a["key"] for a in data["accessories"]] == ["laptop", "coffee-cup"]
    with Image.open(out) as img:
        assert img.size == (1080, 1350)
        assert "ADALOVELACE" in "".join(ch for ch in ocr(img.crop((0, 0, 1080, 380))).upper() if ch.isalpha())


def test_not_an_image_exits_2_with_one_line():
    run = _run("make", "/etc/passwd", "--name", "X")
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    lines = [l for l in run.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and "not an image" in lines[0]


@pytest.mark.parametrize(
    "args, needle",
    [
        (["make", "missing.jpg", "--name", "X"], "not found"),
        (["make", str(FIXTURES / "obama.jpg")], "name"),
        (["make", str(FIXTURES / "obama.jpg"), "--name", "X" * 41], "name"),
        (["make", str(FIXTURES / "obama.jpg"), "--name", "X", "--engine", "nope"], "studio"),
        (["make", str(FIXTURES / "obama.jpg"), "--name", "X", "--template", "nope"], "classic"),
        (["make", str(FIXTURES / "obama.jpg"), "--name", "X", "--size", "huge"], "feed"),
        (["make", str(FIXTURES / "obama.jpg"), "--name", "X", "--color", "blurple"], "color"),
        (["make", str(FIXTURES / "obama.jpg"), "--name", "X", "-o", "out.tiff"], ".png"),
        (["make", str(FIXTURES / "no_face.png"), "--name", "X"], "face"),
    ],
)
def test_user_mistakes_exit_2(args, needle, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert needle in result.output
    assert "Traceback" not in result.output
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_existing_output_is_kept_when_a_run_fails(tmp_path):
    out = tmp_path / "box.png"
    out.write_bytes(b"precious")
    result = runner.invoke(app, ["make", "/etc/passwd", "--name", "X", "-o", str(out)])
    assert result.exit_code == 2 and out.read_bytes() == b"precious"


def test_save_figure_then_box(tmp_path):
    fig, first, second = tmp_path / "fig.png", tmp_path / "a.png", tmp_path / "b.webp"
    r = runner.invoke(app, ["make", str(FIXTURES / "obama.jpg"), "--name", "Ada", "--engine", "studio", "--no-likeness",
                            "-o", str(first), "--save-figure", str(fig)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["box", str(fig), "--name", "Grace", "--color", "teal", "--size", "story", "-o", str(second), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["seconds"].keys() == {"box", "export"}  # no engine: boxing it and writing it
    with Image.open(second) as img:
        assert img.size == (1080, 1920)


def test_demo_writes_a_box(tmp_path):
    out = tmp_path / "demo.png"
    r = runner.invoke(app, ["demo", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert str(out) in r.output.replace("\n", "")
    assert Image.open(out).size == (1080, 1350)


def test_listing_commands_and_version():
    assert "studio" in runner.invoke(app, ["engines"]).output
    assert "classic" in runner.invoke(app, ["templates"]).output
    assert runner.invoke(app, ["--version"]).output.startswith("minime ")


@pytest.mark.parametrize("env, needle", [
    ({"MINIME_CLOUD_RETRIES": "abc"}, "MINIME_CLOUD_RETRIES='abc' is not allowed: Input should be a valid integer"),
    ({"MINIME_WEB_WORKERS": "-1"}, "MINIME_WEB_WORKERS='-1' is not allowed: Input should be greater than or equal to 0"),
])
def test_a_bad_setting_is_one_line_and_exit_2(tmp_path, env, needle):
    from minime.settings import settings

    for args in (["make", str(FIXTURES / "astronaut.jpg"), "--name", "Ada", "-o", str(tmp_path / "a.png")], ["engines"]):
        settings.cache_clear()
        try:
            result = runner.invoke(app, args, env=env)
        finally:
            settings.cache_clear()
        assert result.exit_code == 2, result.output
        assert needle in result.output and result.output.count("\n") == 1
    assert not (tmp_path / "a.png").exists()


@pytest.mark.parametrize("value, on", [("1", True), ("yes", True), ("2", True), ("", False), ("0", False), ("off", False)])
def test_minime_debug_is_a_switch_any_value_turns_on(monkeypatch, value, on):
    from minime.settings import read_settings

    monkeypatch.setenv("MINIME_DEBUG", value)
    assert read_settings().debug is on


def test_an_internal_error_shows_its_traceback_only_with_minime_debug(tmp_path):
    """A bug (here: a broken photo reader) is one line and exit 1; with MINIME_DEBUG=1 the traceback shows."""
    code = ("import sys, minime.photo as p\n"
            "def boom(*a, **k): raise RuntimeError('boom')\n"
            "p.load_photo = boom\n"
            "from minime.cli import main\n"
            "sys.argv = ['minime', 'make', sys.argv[1], '--name', 'Ada', '-o', sys.argv[2]]\n"
            "main()\n")
    args = [sys.executable, "-c", code, str(FIXTURES / "astronaut.jpg"), str(tmp_path / "a.png")]
    quiet = subprocess.run(args, capture_output=True, text=True, env={"MINIME_HOME": str(tmp_path), "PATH": "/usr/bin"})
    loud = subprocess.run(args, capture_output=True, text=True,
                          env={"MINIME_HOME": str(tmp_path), "PATH": "/usr/bin", "MINIME_DEBUG": "1"})
    assert quiet.returncode == 1 and "internal error (RuntimeError: boom)" in quiet.stderr
    assert "Traceback" not in quiet.stderr and "Traceback" in loud.stderr
