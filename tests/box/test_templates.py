"""The five packaging templates: goldens per template and size, OCR of the name, layout per aspect, layers."""

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from minime.box.render import SAMPLE_FIGURE, TEMPLATES, accessory_layers, face_aspect, render
from minime.engines import Figure
from minime.outputs import SIZES
from minime.spec import build_spec

from ..conftest import mean_abs_diff
from ._ocr import letters, read_name

GOLDEN = Path(__file__).parent.parent / "golden"
NAMES = list(TEMPLATES)
GOLDEN_WIDTH = 270  # goldens are stored small: layout and colour are what they check


@pytest.fixture(scope="module")
def sample():
    """The bundled sample figure: a real studio-engine figure, the same on every machine."""
    return Figure(Image.open(SAMPLE_FIGURE).convert("RGBA"), "saved")


def test_the_five_genres_are_registered_with_a_summary_each():
    assert {"classic", "window-box", "retro-80s", "collector", "minimal"} <= set(TEMPLATES)
    for name, tpl in TEMPLATES.items():
        assert tpl["name"] == name and tpl["summary"] and "\n" not in tpl["summary"]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("template", NAMES)
def test_golden(template, size, sample):
    w, h, _ = SIZES[size]
    spec = build_spec(name="Ada Lovelace", tagline="Countess of Computing", accessories=["laptop", "coffee cup"],
                      color="#1d4e89")
    box = render(sample, spec, template=template, width=w, height=h)
    assert box.image.size == (w, h) and not box.warnings
    small = box.image.resize((GOLDEN_WIDTH, round(GOLDEN_WIDTH * h / w)), Image.Resampling.BOX)
    path = GOLDEN / f"{template}-{size}.png"
    if os.environ.get("MINIME_UPDATE_GOLDEN") or not path.exists():
        small.save(path)
        if not os.environ.get("MINIME_UPDATE_GOLDEN"):
            pytest.fail(f"golden image {path.name} was missing and has been written; run again")
    assert mean_abs_diff(small, Image.open(path)) < 2.0


@pytest.mark.parametrize("template", NAMES)
@pytest.mark.parametrize("name", ["Grace Hopper", "Ada", "Srinivasa Ramanujan"])
def test_ocr_reads_the_name_on_every_template(template, name, toy_figure, ocr):
    box = render(toy_figure, build_spec(name=name, tagline="Limited edition", color="#c0392b"), template=template,
                 width=1080, height=1350)
    assert not box.warnings
    region = box.image.crop(box.regions["name"])
    assert letters(name) in read_name(ocr, region, name)


@pytest.mark.parametrize("template", NAMES)
def test_each_size_is_laid_out_for_its_aspect_not_stretched(template, toy_figure):
    """The package keeps its proportions in every size; only the room around it changes."""
    ratios = []
    for w, h, _ in SIZES.values():
        layer = render(toy_figure, build_spec(name="Ada"), template=template, width=w, height=h, scene=False).image
        assert layer.mode == "RGBA"
        ratios.append(layer.width / layer.height)
        assert layer.width <= w and layer.height <= h
    assert max(ratios) / min(ratios) < 1.03, ratios
    if TEMPLATES[template]["kind"] in ("blister", "retro", "minimal"):
        assert ratios[0] == pytest.approx(face_aspect(template), rel=0.03)


@pytest.mark.parametrize("template", NAMES)
def test_the_back_carries_the_bio_warning_and_barcode(template, sample, ocr):
    spec = build_spec(name="Grace Hopper", tagline="Amazing Grace", job="Rear admiral", powers=["Finds bugs", "COBOL"],
                      quote="It is easier to ask forgiveness than permission.", stats={"Debugging": 10, "Patience": 4},
                      accessories=["laptop"])
    box = render(sample, spec, template=template, width=1080, height=1350, side="back")
    assert not box.warnings
    assert "GRACEHOPPER" in read_name(ocr, box.image.crop(box.regions["back_name"]), "Grace Hopper")
    front = render(sample, spec, template=template, width=1080, height=1350).image
    assert mean_abs_diff(front, box.image) > 10  # a different picture, not the front again


def test_layers_are_transparent_and_tight(sample):
    front = render(sample, build_spec(name="Ada"), template="classic", width=1080, height=1350, scene=False).image
    alpha = np.asarray(front.getchannel("A"))
    assert alpha[0, 0] == 0 and alpha[alpha.shape[0] // 2, alpha.shape[1] // 2] == 255  # rounded corner, solid card
    assert front.width < 1080 and front.height < 1350
    art = accessory_layers(sample, build_spec(name="Ada", accessories=["guitar", "a purple thing"]))
    assert list(art) == ["guitar", "prop-2"]
    assert all(img.mode == "RGBA" and img.getchannel("A").getextrema()[0] == 0 for img in art.values())


def test_window_box_shows_its_side_panel_at_an_angle(toy_figure):
    box = render(toy_figure, build_spec(name="Ada", color="#2e86de"), template="window-box", width=1080, height=1350)
    x0, y0, x1, y1 = box.regions["name"]
    assert (x0 + x1) / 2 < 1080 * 0.47  # the name is on the front; the side panel takes the right of the picture
    rgb = np.asarray(box.image, np.int16)
    blue = (rgb[:, :, 2] - rgb[:, :, 0]) > 60
    cols = np.nonzero(blue[:, :].mean(0) > 0.2)[0]
    front_h = blue[:, cols[0] + 5].sum()
    far_h = blue[:, cols[-1] - 5].sum()
    assert far_h < front_h * 0.97  # the far edge is shorter: perspective, not a flat card
