from pathlib import Path

import numpy as np
import pytest

from minime.box import barcode, text
from minime.box.render import TEMPLATES, render
from minime.errors import UnknownNameError
from minime.outputs import SIZES
from minime.spec import build_spec

from ._ocr import letters, read_name

GOLDEN = Path(__file__).parent.parent / "golden"

# One name per way fitting can go wrong: two letters (the largest size), a usual first and last name,
# accents above the capitals with a lowercase particle, narrow letters in three words, wide letters, and a
# name that must wrap to two lines. Other scripts are checked for glyphs below (tesseract here reads English).
LATIN_NAMES = ["Bo", "Ada Lovelace", "Émilie du Châtelet", "Tim Berners Lee", "Margaret Hamilton",
               "Bartholomew Montgomery Fitzgerald"]

SCRIPTS = {
    "cyrillic": "Мария Иванова",
    "greek": "Ἀλέξανδρος",
    "arabic": "محمد علي",
    "hebrew": "דוד כהן",
    "cjk": "李小龙 山田太郎",
    "korean": "김민준",
    "devanagari": "अर्जुन शर्मा",
}


def _name_text(name: str) -> str:
    return letters(name)


@pytest.mark.parametrize("name", LATIN_NAMES)
def test_ocr_reads_the_name(name, toy_figure, ocr):
    spec = build_spec(name=name, tagline="Limited edition")
    box = render(toy_figure, spec, width=1080, height=1350)
    assert not box.warnings
    region = box.image.crop(box.regions["name"])
    assert _name_text(name) in read_name(ocr, region, name)


def test_long_name_wraps_to_two_lines_and_stays_inside(toy_figure):
    style = text.Style(170, families=tuple(text.DISPLAY), weight=900)
    assert text.fit("ADA", style, 730, 150).lines == 1
    fitted = text.fit("BARTHOLOMEW MONTGOMERY FITZGERALD SMITH", style, 730, 150)
    assert fitted.lines == 2 and not fitted.truncated and fitted.height <= 150
    box = render(toy_figure, build_spec(name="Bartholomew Montgomery Fitzgerald Smith", tagline="x"), width=1080, height=1350)
    assert not box.warnings
    x0, y0, x1, y1 = box.regions["name"]
    assert 1350 * 0.06 < y0 and y1 < 1350 * 0.27  # below the hang hole, above the bubble


def test_unbreakable_name_shrinks_instead_of_clipping():
    style = text.Style(200, families=tuple(text.DISPLAY), weight=900)
    fitted = text.fit("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMN", style, 700, 300, max_lines=2, min_size=20)
    para = text.paragraph(fitted.text, fitted.style, fitted.width)
    assert para.MaxIntrinsicWidth <= 700 + 1 or fitted.lines == 2
    assert para.MinIntrinsicWidth <= 700 + 1
    assert not fitted.truncated


def test_text_that_cannot_fit_is_cut_with_a_warning():
    style = text.Style(60, families=tuple(text.BODY))
    fitted = text.fit("word " * 200, style, 300, 40, max_lines=1, min_size=20)
    assert fitted.truncated and fitted.text.endswith("…")
    assert text.paragraph(fitted.text, fitted.style, 300).Height <= 40 + 1


@pytest.mark.parametrize("script", list(SCRIPTS))
def test_every_script_has_glyphs_and_renders(script, toy_figure):
    name = SCRIPTS[script]
    faces = [text.typeface(f) for f, _ in text.FONT_FILES]
    for ch in text.display_caps(name).replace(" ", ""):
        assert any(face.unicharsToGlyphs([ord(ch)])[0] != 0 for face in faces), f"no glyph for {ch!r} ({script})"
    box = render(toy_figure, build_spec(name=name), width=1080, height=1350)
    x0, y0, x1, y1 = box.regions["name"]
    header = np.asarray(box.image.crop((x0, y0, x1, y1)).convert("L"), np.float32)
    assert (header > 235).mean() > 0.02  # white letters drawn


def test_bidi_controls_cannot_reorder_the_card():
    assert text.clean("\u202eevil\u202c name") == "evil name"


@pytest.mark.parametrize("size", list(SIZES))
def test_sizes_keep_the_card_proportions(size, toy_figure):
    w, h, _ = SIZES[size]
    box = render(toy_figure, build_spec(name="Ada"), width=w, height=h)
    assert box.image.size == (w, h)
    # The card's left and right edges: the backdrop differs from the card colour.
    row = np.asarray(box.image.convert("RGB"), np.int16)[h // 2]
    red = (row[:, 0] - row[:, 1]) > 60
    xs = np.nonzero(red)[0]
    card_w = xs[-1] - xs[0]
    assert card_w > 0.5 * w


def test_unknown_template_lists_the_valid_ones(toy_figure):
    with pytest.raises(UnknownNameError, match="classic"):
        render(toy_figure, build_spec(name="Ada"), template="nope", width=100, height=100)


def test_colour_drives_the_palette(toy_figure):
    blue = render(toy_figure, build_spec(name="Ada", color="#1d4e89"), width=1080, height=1350).image
    red = render(toy_figure, build_spec(name="Ada", color="red"), width=1080, height=1350).image
    pb = np.asarray(blue, np.int16)[700, 150]
    pr = np.asarray(red, np.int16)[700, 150]
    assert pb[2] > pb[0] and pr[0] > pr[2]


def test_barcode_is_a_valid_ean13():
    code = barcode.ean13_for("Ada Lovelace")
    assert len(code) == 13 and code == barcode.ean13_for("Ada Lovelace")
    assert barcode.decode(barcode.modules(code)) == code
    assert barcode.ean13_for("Grace Hopper") != code


def test_templates_registry_has_classic():
    assert "classic" in TEMPLATES


def test_a_kept_shop_backdrop_gives_the_pixels_drawing_it_gives(toy_figure, monkeypatch):
    from minime.box import blister

    def box(name, colour):
        return np.asarray(render(toy_figure, build_spec(name=name, color=colour), width=540, height=675).image)

    blister._backdrops.clear()
    kept = [box("Ada", "#1d4e89"), box("Ada", "red"), box("Grace", "#1d4e89")]  # the third on the first's backdrop
    assert len(blister._backdrops) == 2
    monkeypatch.setattr(blister, "BACKDROP_MAX_PIXELS", 0)  # nothing kept: every box draws its own
    drawn = [box("Ada", "#1d4e89"), box("Ada", "red"), box("Grace", "#1d4e89")]
    assert all(np.array_equal(k, d) for k, d in zip(kept, drawn))
    assert not np.array_equal(drawn[0][:40], drawn[1][:40])  # the wall takes the card's colour
