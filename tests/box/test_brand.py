"""Brand kits: loading with clear errors, exact colours on every template, logos (SVG and PNG) and fonts."""

from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image

from minime.box import text
from minime.box.render import TEMPLATES, render
from minime.errors import SpecError
from minime.spec import BrandKit, build_spec, load_brand

from ..conftest import FIXTURES, mean_abs_diff

ACME = FIXTURES / "brand" / "acme.yaml"
FONTS = Path(text.FONT_DIR)
PRIMARY, SECONDARY = (0, 82, 204), (255, 171, 0)


def _kit(tmp_path: Path, **fields) -> Path:
    data = {"name": "Acme", "palette": {"primary": "#0052cc", "secondary": "#ffab00"}, **fields}
    path = tmp_path / "brand.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _share(image: Image.Image, rgb) -> float:
    return float((np.asarray(image.convert("RGB")) == rgb).all(-1).mean())


def test_the_example_kit_loads_with_absolute_paths():
    kit = load_brand(ACME)
    assert isinstance(kit, BrandKit) and kit.logo.is_absolute() and kit.logo.name == "acme.svg"
    assert kit.rgb("primary") == PRIMARY and kit.rgb("secondary") == SECONDARY and kit.slogan


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_brand_colours_come_out_exactly(template, toy_figure):
    """Flat brand-coloured areas hold the exact RGB values, on every template."""
    box = render(toy_figure, build_spec(name="Ada Lovelace", tagline="Countess of Computing", accessories=["laptop"]),
                 template=template, width=1080, height=1350, brand=load_brand(ACME))
    assert not box.warnings
    assert _share(box.image, PRIMARY) > 0.02, "too little of the exact primary colour"
    assert _share(box.image, SECONDARY) > 0.0005, "the exact secondary colour is missing"


def test_svg_and_png_logos_draw_the_same_mark(tmp_path, toy_figure):
    spec = build_spec(name="Ada")
    svg = render(toy_figure, spec, template="minimal", width=1080, height=1350, brand=load_brand(ACME)).image
    (tmp_path / "acme.png").write_bytes((FIXTURES / "brand" / "acme.png").read_bytes())
    png = render(toy_figure, spec, template="minimal", width=1080, height=1350,
                 brand=load_brand(_kit(tmp_path, logo="acme.png"))).image
    plain = render(toy_figure, spec, template="minimal", width=1080, height=1350,
                   brand=load_brand(_kit(tmp_path))).image
    top = (0, 0, 1080, 200)
    assert mean_abs_diff(svg.crop(top), png.crop(top)) < 3  # the same logo either way
    assert mean_abs_diff(svg.crop(top), plain.crop(top)) > 0.5  # and it is really drawn


def test_brand_fonts_are_registered_at_run_time(tmp_path, toy_figure):
    spec = build_spec(name="Ada Lovelace")
    plain = render(toy_figure, spec, template="classic", width=1080, height=1350, brand=load_brand(_kit(tmp_path)))
    serif = load_brand(_kit(tmp_path, fonts={"display": str(FONTS / "NotoSerifDisplay-Bold.ttf")}))
    branded = render(toy_figure, spec, template="classic", width=1080, height=1350, brand=serif)
    region = plain.regions["name"]
    assert mean_abs_diff(plain.image.crop(region), branded.image.crop(region)) > 3


@pytest.mark.parametrize(
    "fields, needle",
    [
        ({"palette": {"primary": "blurple"}}, "primary"),
        ({"palette": {"secondary": "#fff"}}, "primary"),
        ({"palette": {"primary": "#000", "tertiary": "#fff"}}, "tertiary"),
        ({"logo": "missing.svg"}, "not found"),
        ({"logo": "brand.yaml"}, ".png or .svg"),
        ({"fonts": {"display": "brand.yaml"}}, ".ttf or .otf"),
        ({"fonts": {"heading": "x.ttf"}}, "heading"),
        ({"colour": "#fff"}, "unknown field"),
        ({"slogan": "x" * 200}, "slogan"),
    ],
)
def test_bad_kits_are_refused_with_one_line(fields, needle, tmp_path):
    path = tmp_path / "brand.yaml"
    data = {"palette": {"primary": "#0052cc"}, **fields}
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_brand(path)
    assert needle in str(info.value) and "\n" not in str(info.value)


def test_a_kit_that_is_not_yaml_or_not_there(tmp_path):
    with pytest.raises(SpecError, match="not found"):
        load_brand(tmp_path / "nope.yaml")
    bad = tmp_path / "kit.json"
    bad.write_text("{}")
    with pytest.raises(SpecError, match=".yaml"):
        load_brand(bad)


def test_a_font_file_that_is_not_a_font_is_a_clear_error(tmp_path, toy_figure):
    fake = tmp_path / "fake.ttf"
    fake.write_bytes(b"not a font at all")
    kit = load_brand(_kit(tmp_path, fonts={"text": str(fake)}))
    with pytest.raises(SpecError, match="font"):
        render(toy_figure, build_spec(name="Ada"), width=400, height=500, brand=kit)


def test_a_broken_logo_is_a_clear_error(tmp_path, toy_figure):
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    kit = load_brand(_kit(tmp_path, logo="logo.png"))
    with pytest.raises(SpecError, match="logo"):
        render(toy_figure, build_spec(name="Ada"), width=400, height=500, brand=kit)
