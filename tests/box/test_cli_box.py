"""The box features from the command line: templates show, --brand, --back, --layers, --size print-kit."""

import json

import pytest
from PIL import Image
from typer.testing import CliRunner

from minime.box.render import SAMPLE_FIGURE, TEMPLATES, template_names
from minime.cli import app

from ..conftest import FIXTURES

runner = CliRunner()
ACME = FIXTURES / "brand" / "acme.yaml"


def test_templates_lists_every_template_one_line_each():
    result = runner.invoke(app, ["templates"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert [line.split()[0] for line in lines] == template_names() == [*TEMPLATES, "desk"]


def test_a_saved_figure_layer_cannot_go_on_the_desk(tmp_path):
    result = runner.invoke(app, ["box", str(SAMPLE_FIGURE), "--name", "Ada", "-t", "desk", "-o", str(tmp_path / "d.png")])
    assert result.exit_code == 2 and "3D mesh" in result.output
    assert not (tmp_path / "d.png").exists()


@pytest.mark.parametrize("template", ["window-box", "collector"])
def test_templates_show_writes_a_preview(template, tmp_path):
    out = tmp_path / "preview.png"
    result = runner.invoke(app, ["templates", "show", template, "-o", str(out), "--brand", str(ACME)])
    assert result.exit_code == 0, result.output
    assert Image.open(out).size == (1080, 1350)


def test_templates_show_an_unknown_name_lists_the_valid_ones(tmp_path):
    result = runner.invoke(app, ["templates", "show", "nope", "-o", str(tmp_path / "p.png")])
    assert result.exit_code == 2 and "classic" in result.output


def test_box_with_brand_back_and_layers(tmp_path):
    out, layers = tmp_path / "ada.png", tmp_path / "layers"
    result = runner.invoke(app, ["box", str(SAMPLE_FIGURE), "--name", "Ada", "-t", "minimal", "-a", "laptop",
                                 "--brand", str(ACME), "--back", "--job", "Analyst", "--power", "Notes",
                                 "--stat", "Maths=10", "--quote", "Hello", "--layers", str(layers), "-o", str(out),
                                 "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["back"] == str(tmp_path / "ada-back.png") and Image.open(data["back"]).size == (1080, 1350)
    names = sorted(p.name for p in layers.iterdir())
    assert names == ["accessory-laptop.png", "back.png", "figure.png", "front.png"]
    assert Image.open(layers / "front.png").mode == "RGBA"


def test_print_kit_writes_a_pdf_and_wants_a_pdf_name(tmp_path):
    ok = runner.invoke(app, ["box", str(SAMPLE_FIGURE), "--name", "Ada", "--size", "print-kit", "-o", str(tmp_path / "kit.pdf")])
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "kit.pdf").read_bytes().startswith(b"%PDF")
    bad = runner.invoke(app, ["box", str(SAMPLE_FIGURE), "--name", "Ada", "--size", "print-kit", "-o", str(tmp_path / "kit.png")])
    assert bad.exit_code == 2 and ".pdf" in bad.output
    pdf_without_kit = runner.invoke(app, ["box", str(SAMPLE_FIGURE), "--name", "Ada", "-o", str(tmp_path / "x.pdf")])
    assert pdf_without_kit.exit_code == 2 and "print-kit" in pdf_without_kit.output


@pytest.mark.parametrize("ext, fmt", [(".jpg", "JPEG"), (".webp", "WEBP"), (".png", "PNG")])
def test_formats_by_extension(ext, fmt, tmp_path):
    out = tmp_path / f"box{ext}"
    result = runner.invoke(app, ["box", str(SAMPLE_FIGURE), "--name", "Ada", "-t", "retro-80s", "-s", "square", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with Image.open(out) as img:
        assert img.format == fmt and img.size == (1080, 1080)


@pytest.mark.parametrize("args, needle", [
    (["--stat", "Strength"], "LABEL=N"),
    (["--stat", "Strength=11"], "0-10"),
    (["--brand", "missing.yaml"], "not found"),
])
def test_bad_box_flags_exit_2(args, needle, tmp_path):
    result = runner.invoke(app, ["box", str(SAMPLE_FIGURE), "--name", "Ada", "-o", str(tmp_path / "x.png"), *args])
    assert result.exit_code == 2, result.output
    assert needle in result.output
