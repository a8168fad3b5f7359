"""Any script on any template, bidi safety, emoji, and hostile text: rendered safely or refused clearly."""


import numpy as np
import pytest

from minime.box import text
from minime.box.render import TEMPLATES, render
from minime.errors import SpecError
from minime.spec import FigureSpec, build_spec

from ..conftest import mean_abs_diff

SCRIPTS = {
    "arabic": "محمد علي",
    "hebrew": "דוד כהן",
    "cjk": "李小龙",
    "korean": "김민준",
    "devanagari": "अर्जुन शर्मा",
    "emoji": "Zoë 🚀👩‍💻",
    "greek": "Ἀλέξανδρος",
}


def _raw(**fields) -> FigureSpec:
    """A spec that skips validation, as a library caller could build one: the renderer must still be safe."""
    base = dict(name="Ada", tagline="", accessories=[], outfit="", template="classic", color="#d62839", names=[],
                job="", powers=[], quote="", stats={})
    return FigureSpec.model_construct(**{**base, **fields})


def _ink(box) -> float:
    """How much of the name slot differs from its own median colour: letters were drawn."""
    x0, y0, x1, y1 = box.regions["name"]
    rgb = np.asarray(box.image.crop((x0, y0, x1, y1)).convert("RGB"), np.int16)
    return float((np.abs(rgb - np.median(rgb.reshape(-1, 3), 0)).sum(-1) > 90).mean())


@pytest.mark.parametrize("template", list(TEMPLATES))
@pytest.mark.parametrize("script", list(SCRIPTS))
def test_names_in_every_script_render_on_every_template(template, script, toy_figure):
    box = render(toy_figure, build_spec(name=SCRIPTS[script], tagline="Limited edition"), template=template,
                 width=540, height=675)
    assert not box.warnings
    assert _ink(box) > 0.03


def test_emoji_are_drawn_in_colour():
    style = text.Style(80, families=tuple(text.BODY))
    fitted = text.fit("🚀", style, 200, 120)
    import skia

    surface = skia.Surface(200, 120)
    surface.getCanvas().clear(skia.ColorWHITE)
    fitted.draw(surface.getCanvas(), 0, 0)
    rgb = surface.makeImageSnapshot().toarray(colorType=skia.kRGBA_8888_ColorType)[:, :, :3].astype(int)
    saturated = (rgb.max(-1) - rgb.min(-1)) > 80
    assert saturated.mean() > 0.02  # a colour glyph, not a black outline or a tofu box


def test_an_rtl_name_cannot_reverse_the_rest_of_the_card(toy_figure):
    """Each slot is its own paragraph: an Arabic name (or stripped override characters) leaves the rest as is."""
    latin = render(toy_figure, build_spec(name="Ada", tagline="Limited edition"), width=1080, height=1350)
    arabic = render(toy_figure, build_spec(name="محمد علي", tagline="Limited edition"), width=1080, height=1350)
    override = render(toy_figure, _raw(name="\u202eAda\u202c", tagline="Limited edition"), width=1080, height=1350)
    below = (0, latin.regions["name"][3] + 4, 1080, 1350)
    assert mean_abs_diff(latin.image.crop(below), arabic.image.crop(below)) < 0.5
    assert mean_abs_diff(latin.image, override.image) == 0  # the override was stripped, nothing reversed


def test_spec_refuses_hostile_text_with_clear_errors():
    cases = {
        "A" * 10_000: "1-40 characters",
        "Ada\u202e": "bidi control",
        "Ada\x00": "control character",
        "Ada\x1b[31m": "control character",
        "Ada\u2028Lovelace": "line break",
        "\ud800": "surrogate",
    }
    for name, needle in cases.items():
        with pytest.raises(SpecError) as info:
            build_spec(name=name)
        assert needle in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("template", list(TEMPLATES))
@pytest.mark.timeout(120)  # a hang or a quadratic blow-up fails here, not a slow machine
def test_ten_thousand_characters_render_safely_and_warn(template, toy_figure):
    box = render(toy_figure, _raw(name="A" * 10_000, tagline="word " * 2_000, quote="q" * 10_000), template=template,
                 width=540, height=675)
    assert any("name was too long" in w for w in box.warnings)
    assert all(len(w) < 150 for w in box.warnings)
    back = render(toy_figure, _raw(name="B" * 10_000, quote="q" * 10_000, job="j" * 5000), template=template,
                  width=540, height=675, side="back")
    assert back.warnings


def test_control_characters_and_mark_towers_are_neutralised(toy_figure):
    assert text.clean("a\x00b\x1b[31mc\u2028d") == "a b [31mc d"
    assert text.clean("x\ud800y") == "x\ufffdy"
    zalgo = "Z" + "\u0335\u0321\u031b\u0320\u0334\u0336" * 20
    assert len(text.clean(zalgo)) == 1 + text.MAX_MARKS  # three marks kept (NFC may reorder them)
    family = "👩\u200d👩\u200d👧\u200d👦"
    assert text.clean(family) == family  # joiners stay: the family is one emoji
    assert text.clean("a\u200bb\u2060c") == "abc"  # invisible format characters go
    box = render(toy_figure, _raw(name=zalgo * 5), width=540, height=675)
    x0, y0, x1, y1 = box.regions["name"]
    assert y1 < 675 * 0.3  # marks cannot tower down over the bubble


def test_a_cut_never_splits_an_emoji_sequence():
    style = text.Style(40, families=tuple(text.BODY))
    family = "👩\u200d👩\u200d👧\u200d👦"
    fitted = text.fit(family * 30, style, 200, 50, max_lines=1, min_size=30)
    assert fitted.truncated
    body = fitted.text.rstrip("…")
    assert len(body) % len(family) == 0 and body == family * (len(body) // len(family))


def test_a_name_with_nothing_visible_is_refused(toy_figure):
    for name in ("\u200b", "\u200d\u200d", "\u0301"):
        with pytest.raises(SpecError, match="visible"):
            render(toy_figure, _raw(name=name), width=400, height=500)
