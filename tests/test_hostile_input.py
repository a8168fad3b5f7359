"""Hostile and careless input at every door that reads or writes: special files, YAML bombs, clashing outputs.

Each case ends at once with one line and exit 2, and changes nothing on disk.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minime.cli import app

from .conftest import FIXTURES

runner = CliRunner()
PHOTO = str(FIXTURES / "obama.jpg")

BOMB = "\n".join([
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    *(f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi")),
])


def one_line_exit_2(result) -> str:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe.jpg"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_verify_refuses_special_files(special, fifo):
    path = str(fifo) if special == "fifo" else special
    assert "not a regular file" in one_line_exit_2(runner.invoke(app, ["verify", path]))


@pytest.mark.parametrize("flag", ["--spec", "--brand"])
def test_special_files_as_a_spec_or_brand_kit(flag, fifo, tmp_path):
    target = tmp_path / "pipe.yaml"
    os.mkfifo(target)
    for path in (target, "/dev/zero"):
        line = one_line_exit_2(runner.invoke(app, ["make", PHOTO, "--name", "X", flag, str(path)]))
        assert "not a regular file" in line or "yaml" in line.lower()


def test_special_file_as_the_photo(fifo):
    assert "regular file" in one_line_exit_2(runner.invoke(app, ["make", str(fifo), "--name", "X"]))


@pytest.mark.parametrize("field", ["stats", "accessories", "name", "powers"])
def test_yaml_bombs_are_refused_before_they_grow(field, tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(BOMB + f"\n{field}: *i\n")
    line = one_line_exit_2(runner.invoke(app, ["make", PHOTO, "--spec", str(spec)]))
    assert "expands to more than" in line and len(line) < 300


@pytest.mark.parametrize("text, needle", [
    ("name: Ada\nname: Grace\n", "appears twice"),
    ("name: !!binary QWRh\n", "!!binary"),
    ("name: Ada\naccessories: !!set {laptop: null}\n", "!!set"),
    ("name: !!python/object/apply:os.getcwd []\n", "!!python"),
])
def test_yaml_duplicate_keys_and_tags(text, needle, tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(text)
    assert needle in one_line_exit_2(runner.invoke(app, ["make", PHOTO, "--spec", str(spec)]))


def test_a_brief_bomb_is_refused(tmp_path):
    brief = tmp_path / "campaign.yaml"
    brief.write_text(BOMB + "\ndefaults: {stats: *i}\nroster: people.csv\n")
    assert "expands to more than" in one_line_exit_2(runner.invoke(app, ["batch", str(brief)]))


def test_save_figure_on_the_output_is_refused_before_any_work(tmp_path):
    out = tmp_path / "box.png"
    line = one_line_exit_2(runner.invoke(app, ["make", PHOTO, "--name", "X", "-o", str(out), "--save-figure", str(out)]))
    assert "same file" in line and not out.exists()


def test_a_bad_layers_folder_changes_nothing(tmp_path):
    out = tmp_path / "box.png"
    out.write_bytes(b"the user's old box")
    layers = tmp_path / "layers"
    layers.write_text("a file, not a folder")
    line = one_line_exit_2(runner.invoke(app, ["make", PHOTO, "--name", "X", "-o", str(out), "--layers", str(layers)]))
    assert "layers" in line
    assert out.read_bytes() == b"the user's old box"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["box.png", "layers"]


def test_a_missing_output_folder_fails_before_the_engine(tmp_path):
    line = one_line_exit_2(runner.invoke(app, ["make", PHOTO, "--name", "X", "-o", str(tmp_path / "no" / "box.png")]))
    assert "does not exist" in line


def test_all_outputs_of_a_run_are_written_together(tmp_path):
    out, figure, layers = tmp_path / "box.png", tmp_path / "figure.png", tmp_path / "layers"
    result = runner.invoke(app, ["make", PHOTO, "--name", "X", "--engine", "studio", "-o", str(out), "--back",
                                 "--save-figure", str(figure), "--layers", str(layers)])
    assert result.exit_code == 0, result.output
    assert {p.name for p in tmp_path.iterdir()} == {"box.png", "box-back.png", "figure.png", "layers"}
    assert {"front.png", "back.png", "figure.png"} <= {p.name for p in layers.iterdir()}
    assert not list(tmp_path.rglob(".minime-*"))


def test_kill_9_leaves_no_temp_file_beside_the_output(tmp_path):
    """Killed at any moment, make leaves the old file or the new one, and no .minime-* file."""
    out = tmp_path / "box.png"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for delay in (1.0, 2.5, 4.0):
        proc = subprocess.Popen([sys.executable, "-m", "minime", "make", PHOTO, "--name", "X", "--engine", "studio",
                                 "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        try:
            proc.wait(delay)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        assert not list(tmp_path.glob(".minime-*")), sorted(p.name for p in tmp_path.iterdir())
        if out.exists():
            from minime.provenance import verify

            assert verify(out).ai_label  # a file in place is always a finished, labelled one


@pytest.mark.parametrize("args", [["make", PHOTO, "--name", "X", "--variants", "9"], ["make", PHOTO, "--bogus"], ["nosuch"]])
def test_a_bad_flag_is_one_line_and_exit_2(args):
    run = subprocess.run([sys.executable, "-m", "minime", *args], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), run.stderr


def main_line(args, capsys, monkeypatch) -> str:
    """Run the installed entry point in this process (Click's own errors are formatted there): exit 2, one line."""
    from minime.cli import main

    monkeypatch.setattr(sys, "argv", ["minime", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    captured = capsys.readouterr()
    lines = [line for line in (captured.out + captured.err).splitlines() if line.strip()]
    assert exit_.value.code == 2 and len(lines) == 1, captured
    assert "Traceback" not in captured.err and lines[0].startswith("error:")
    return lines[0]


@pytest.mark.parametrize("args, needle", [
    (["make", ""], "'PHOTO': empty"),
    (["box", "", "--name", "X"], "'FIGURE': empty"),
    (["verify", ""], "'FILE': empty"),
    (["make", PHOTO, "--name", "X", "--spec", ""], "'--spec': empty"),
    (["make", PHOTO, "--name", "X", "--brand", ""], "'--brand': empty"),
    (["make", PHOTO, "--name", "X", "--layers", ""], "'--layers': empty"),
    (["make", PHOTO, "--name", "X", "--save-figure", ""], "'--save-figure': empty"),
    (["batch", ""], "'BRIEF': empty"),
])
def test_an_empty_file_name_is_refused_not_read_as_the_current_folder(args, needle, capsys, monkeypatch, tmp_path):
    """Click turns "" into Path("."): `make ""` said "'.' is a directory" and `--layers ""` wrote into the current folder."""
    monkeypatch.chdir(tmp_path)
    line = main_line(args, capsys, monkeypatch)
    assert needle in line and "give" in line and "directory" not in line
    assert not list(tmp_path.iterdir())


def test_an_image_to_verify_reads_as_english(capsys, monkeypatch):
    assert main_line(["verify", "/dev/zero"], capsys, monkeypatch).endswith("; pass an image to verify")


@pytest.mark.parametrize("entry, needle", [
    ("logo: pipe.png", "logo pipe.png is not a regular file"),
    ("logo: /dev/zero", "logo /dev/zero is not a regular file"),
    ("fonts: {display: pipe.ttf}", "fonts.display pipe.ttf is not a regular file"),
    ("logo: assets", "logo assets is a directory"),
    ("logo: ''", "logo is empty"),
])
def test_a_brand_kit_asset_that_is_no_regular_file(entry, needle, tmp_path):
    os.mkfifo(tmp_path / "pipe.png")
    os.mkfifo(tmp_path / "pipe.ttf")
    (tmp_path / "assets").mkdir()
    kit = tmp_path / "kit.yaml"
    kit.write_text(f"palette: {{primary: '#0052cc'}}\n{entry}\n")
    assert needle in one_line_exit_2(runner.invoke(app, ["make", PHOTO, "--name", "X", "--brand", str(kit)]))


def test_a_logo_swapped_for_a_pipe_after_loading_is_refused_when_drawn(tmp_path):
    from minime.box.brand import resolve
    from minime.errors import SpecError
    from minime.spec import load_brand

    logo = tmp_path / "logo.png"
    logo.write_bytes(b"not read yet")
    kit = tmp_path / "kit.yaml"
    kit.write_text("palette: {primary: '#0052cc'}\nlogo: logo.png\n")
    loaded = load_brand(kit)
    logo.unlink()
    os.mkfifo(logo)
    with pytest.raises(SpecError, match="not a regular file"):
        resolve(loaded)  # returns at once: a pipe with no writer would have blocked read_bytes() forever


@pytest.mark.parametrize("where, text", [
    ("brand", "palette: {primary: '#0052cc', secondary: *i}\n"),
    ("spec", "name: Ada\npeople: *i\n"),
    ("spec", "name: Ada\ntagline: *i\n"),
    ("spec", "name: Ada\nquote: *i\n"),
    ("brief", "roster: *i\n"),
    ("brief", "template: *i\nroster: people.csv\n"),
])
def test_yaml_bombs_in_more_fields(where, text, tmp_path):
    path = tmp_path / f"{where}.yaml"
    path.write_text(BOMB + "\n" + text)
    args = {"brand": ["make", PHOTO, "--name", "X", "--brand", str(path)], "spec": ["make", PHOTO, "--spec", str(path)],
            "brief": ["batch", str(path)]}[where]
    line = one_line_exit_2(runner.invoke(app, args))
    assert "expands to more than" in line and len(line) < 300


@pytest.mark.parametrize("args, needle", [
    (["-o", "box.png", "--keep-all", "--variants", "2", "--save-figure", "box-v2.png"], "--save-figure and --keep-all"),
    (["-o", "box.png", "--keep-all", "--variants", "2", "--back", "--save-figure", "box-back.png"], "--save-figure and --back"),
    (["-o", "layers/front.png", "--layers", "layers"], "a file --layers writes"),
    (["-o", "layers/accessory-cat.png", "--layers", "layers/"], "a file --layers writes"),
])
def test_outputs_that_clash_are_refused_before_any_work(args, needle, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "layers").mkdir()
    # An engine name that does not exist: had the clash not been caught first, the line would name the engine.
    line = one_line_exit_2(runner.invoke(app, ["make", PHOTO, "--name", "X", "--engine", "nope", *args]))
    assert needle in line
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["layers"]


def test_diffusers_without_its_extra_is_one_line_and_exit_2(tmp_path):
    """The import of diffusers fails as on a machine without minime[local]: exit 2 and the install hint."""
    code = ("import sys; sys.modules['diffusers'] = None\n"  # None in sys.modules: `import diffusers` raises ImportError
            "from minime.cli import main; main()")
    run = subprocess.run([sys.executable, "-c", code, "make", PHOTO, "--name", "X", "--engine", "diffusers",
                          "-o", str(tmp_path / "box.png")], capture_output=True, text=True, timeout=120)
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert run.returncode == 2 and len(lines) == 1, run.stderr
    assert "pip install 'minime[local]'" in lines[0]
    assert not list(tmp_path.iterdir())


def test_diffusers_on_a_machine_with_too_little_memory_is_exit_2(tmp_path, monkeypatch, no_network):
    """Too little memory for the model is the user's choice to change (a smaller model, another engine): exit 2."""
    from minime.engines import diffusers as engine_module

    monkeypatch.setattr(engine_module, "free_memory", lambda torch, device: 2e9)  # what this machine would report
    engine_module._CACHE.clear()
    line = one_line_exit_2(runner.invoke(app, ["make", PHOTO, "--name", "X", "--engine", "diffusers",
                                               "-o", str(tmp_path / "box.png")]))
    assert "needs about" in line and "2 GB is free" in line and "studio engine" in line
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("args", [
    ["make", PHOTO, "--name", "X", "-o", "b" * 5000 + ".png"],
    ["make", PHOTO, "--name", "X", "--engine", "nope", "--layers", "b" * 300],
    ["batch", "brief.yaml", "-o", "b" * 300],
])
def test_a_file_name_too_long_for_the_file_system_is_a_user_mistake(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "brief.yaml").write_text("roster: people.csv\n")
    (tmp_path / "people.csv").write_text("photo,name\nmissing.jpg,Ada\n")
    line = one_line_exit_2(runner.invoke(app, args))
    assert "the file name is too long" in line and len(line) < 300
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.yaml", "people.csv"]


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux's sysfs, where nobody may create a file")
def test_an_unwritable_folder_is_refused_before_any_work(tmp_path):
    """Even for root, whose folder modes always say writable: the folder is tried before the engine runs."""
    from minime.engines.base import ENGINES

    result = runner.invoke(app, ["make", str(FIXTURES / "astronaut.jpg"), "--name", "Ada", "-o", "/sys/kernel/minime.png",
                                 "--engine", "no-such-engine"])
    # The folder is checked first: the bad engine name would be the error if the engine came before it.
    assert "no-such-engine" not in ENGINES
    assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
    assert "cannot write '/sys/kernel/minime.png': the folder '/sys/kernel' is not writable" in result.output


# ---------------------------------------------------------------- user text is echoed, never obeyed

def test_control_and_bidi_characters_are_shown_escaped():
    from minime.errors import printable

    assert printable("A\x1b[31mRED\x07\x00\x7f\x9b\t\n") == "A\\x1b[31mRED\\x07\\x00\\x7f\\x9b\\t\\n"
    assert printable("\u202eevil\u2066\u2069\u200e\u200f\u061c\u2028") == "U+202EevilU+2066U+2069U+200EU+200FU+061CU+2028"
    assert printable("Zoë 日本 [bold] :x: \\x1b") == "Zoë 日本 [bold] :x: \\x1b"  # the rest as it is


@pytest.mark.parametrize("args, shown", [
    (["make", PHOTO, "--name", "X", "--b\u202e\x07ogus"], "--bU+202E\\x07ogus"),
])
def test_click_errors_show_control_and_bidi_characters_escaped(args, shown, capsys, monkeypatch):
    line = main_line(args, capsys, monkeypatch)
    assert shown in line and "\x1b" not in line and "\u202e" not in line and "\x07" not in line


def test_user_text_is_printed_literally_not_as_markup_or_emoji(tmp_path):
    """`-t ':x: [bold]q[/bold]'` showed as "❌ q"; a file name with U+202E turned the line around."""
    line = one_line_exit_2(runner.invoke(app, ["make", PHOTO, "--name", "X", "-t", ":x: [bold]q[/bold]",
                                               "-o", str(tmp_path / "a.png")]))
    assert "':x: [bold]q[/bold]'" in line and "❌" not in line
    out = tmp_path / "[bold]\u202eA\x1b.png"
    result = runner.invoke(app, ["make", PHOTO, "--name", "X", "-a", "[red]zorblax :dog:", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file()
    assert f"wrote {tmp_path}/[bold]U+202EA\\x1b.png (" in result.output
    assert "no piece for '[red]zorblax :dog:'" in result.output  # the note, as typed
    assert "\u202e" not in result.output and "\x1b" not in result.output and "🐕" not in result.output


def test_json_output_escapes_what_json_leaves_raw(capsys):
    """json.dumps escapes only C0 controls: DEL, C1 (U+009B is a terminal's CSI) and bidi controls went out raw."""
    import json

    from minime.cli.app import print_json

    data = {"name": "A\x1b\x7f\x9b\u202eB", "ok": "Zoë 日本"}
    print_json(data)
    text = capsys.readouterr().out
    assert json.loads(text) == data
    assert not any(ch in text for ch in "\x1b\x7f\x9b\u202e") and "Zoë 日本" in text


# ---------------------------------------------------------------- a flag that does not apply to the output

@pytest.mark.parametrize("args, needle", [
    (["-o", "a.png", "--height-mm", "50"], "--height-mm is for a 3D model (-o .stl, .3mf or .glb) or the print kit"),
    (["-o", "a.gif", "--height-mm", "100"], "--height-mm is for a 3D model"),  # the default, given, is still given
    (["-o", "a.mp4", "--base", "square"], "--base is for a 3D model"),
    (["-o", "a.jpg", "--base", "round"], "--base is for a 3D model"),
    (["-o", "a.stl", "--clip", "unbox"], "--clip is for a clip (-o .mp4 or .gif, or .webp for an animated WebP), not a .stl model"),
    (["-o", "a.png", "--clip", "box"], "--clip is for a clip"),
    (["-o", "a.jpg", "--clip", "figure"], "--clip is for a clip"),
    (["-o", "a.pdf", "--size", "print-kit", "--clip", "box"], "--clip is for a clip"),
    (["-o", "a.3mf", "--back"], "--back writes the back of the box as an image, which a .3mf model does not have"),
    (["-o", "a.mp4", "--back"], "which a .mp4 clip does not have"),
    (["-o", "a.webp", "--clip", "box", "--back"], "which a .webp clip does not have"),
])
def test_a_flag_that_does_not_apply_to_the_output_is_refused_before_any_work(args, needle, tmp_path, monkeypatch):
    """`--back` with .3mf failed only after 5.6 s; `--height-mm` with .png and `--clip` with .stl were ignored."""
    import minime.pipeline

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(minime.pipeline, "make", lambda *a, **k: pytest.fail("the engine ran"))
    line = one_line_exit_2(runner.invoke(app, ["make", PHOTO, "--name", "X", *args]))
    assert needle in line and "leave it out" in line
    assert not list(tmp_path.iterdir())


def test_flags_that_apply_pass_and_the_defaults_come_after():
    from minime.cli.saving import output_options
    from minime.outputs import OutputOptions

    assert output_options(Path("a.stl"), None, None, None) == (None, OutputOptions(100.0, "round", "figure"))
    assert output_options(Path("a.3mf"), 150, "square", None) == (None, OutputOptions(150.0, "square", "figure"))
    assert output_options(Path("k.pdf"), 60, "none", None, back=True)[1] == OutputOptions(60.0, "none", "figure")
    assert output_options(Path("a.webp"), None, None, "box") == ("webp-clip", OutputOptions(clip="box"))
    assert output_options(Path("a.gif"), None, None, None)[1].clip == "figure"
    assert output_options(Path("a.png"), None, None, None, back=True) == (None, OutputOptions())


# ---------------------------------------------------------------- help and messages say what there is

def test_make_help_lists_every_output_kind_and_the_readme_s_pose_default():
    import re

    result = runner.invoke(app, ["make", "--help"], terminal_width=100)
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    output_help = text[text.index("--output FILE"):text.index("--save-figure")]
    for kind in (".png", ".jpg", ".webp", ".pdf", ".stl", ".3mf", ".glb", ".mp4", ".gif", "print-kit", "--clip"):
        assert kind in output_help, kind
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `--pose` |"))
    default = re.search(r"default: (.*?) \|", row)[1].replace("`", "")
    assert f"default: {default}" in text, (default, text[text.index("--pose"):][:400])


def test_messages_name_only_templates_that_exist():
    import re

    from minime.box.render import template_names

    line = one_line_exit_2(runner.invoke(app, ["make", PHOTO, "--name", "X", "-t", "Retro_Card"]))
    named = re.findall(r"'([a-z0-9]+(?:-[a-z0-9]+)*)'", line)
    assert named and set(named) <= set(template_names()), line
    src = Path(__file__).parent.parent / "src" / "minime"
    assert not [p for p in src.rglob("*.py") if "retro-card" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("invisible", ["\u200d", "\u200d\u200d", "\u200b\u2060\ufeff"])
def test_an_accessory_of_only_invisible_characters_is_refused(invisible, tmp_path):
    out = tmp_path / "box.png"
    result = CliRunner().invoke(app, ["make", str(FIXTURES / "obama.jpg"), "--name", "Ada", "--accessory", invisible,
                                      "-o", str(out)])
    assert result.exit_code == 2
    assert "no visible character" in result.output and result.output.count("\n") == 1
    assert not out.exists()
