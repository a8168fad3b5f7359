"""Template files are checked when they are loaded: a typo names the file and the key, on one line."""

import pytest

from minime.box.render import KINDS, SCENE_KINDS, TEMPLATE_DIR, TEMPLATES, register_template
from minime.box.template import REQUIRED, PackageTemplate, SceneTemplate, TemplateError, load_template
from minime.errors import MinimeError

CLASSIC = (TEMPLATE_DIR / "classic.toml").read_text(encoding="utf-8")


def test_every_shipped_template_loads_and_each_kind_has_its_rules():
    for path in TEMPLATE_DIR.glob("*.toml"):
        tpl = load_template(path)
        assert isinstance(tpl, SceneTemplate if tpl.kind in SCENE_KINDS else PackageTemplate)
    assert set(REQUIRED) == set(KINDS)


@pytest.mark.parametrize("change, needle", [
    (("aspect = 0.68", "aspct = 0.68"), "[card] unknown key 'aspct' (did you mean 'aspect'?); allowed: aspect, corner"),
    (("[colors]", "[colours]"), "unknown key 'colours' (did you mean 'colors'?)"),
    (("aspect = 0.68", 'aspect = "0.68"'), "[card] aspect: input should be a valid number (got str)"),
    (("burst_rays = 18", "burst_rays = 18.5"), "[card] burst_rays: input should be a valid integer (got float)"),
    (("top = 0.885", "top = 1.885"), "[foot] top: input should be less than or equal to 1 (got float)"),
    (('accent = "#ffd23f"', 'accent = "yellow"'), "[colors] accent: string should match pattern"),
    (("burst_rays = 18", ""), "a blister template needs [card] burst_rays"),
    (('kind = "blister"', 'kind = "blistr"'), "kind: 'blistr' is not a kind; choose one of: 'blister'"),
    (('name = "classic"', 'name = "Classic Card"'), "name: string should match pattern"),
    (("[foot]\ntop = 0.885", "", 'kind = "blister"', 'kind = "blister"\nfoot = 3'), "foot must be a table"),
    (('kind = "blister"', 'kind = "blister'), "cannot be read (Illegal character"),
])
def test_a_typo_in_a_template_fails_on_load_with_one_line(tmp_path, change, needle):
    text = CLASSIC
    for old, new in zip(change[::2], change[1::2]):
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        register_template(path)
    message = str(caught.value)
    assert message.startswith("template mine.toml: ") and needle in message and "\n" not in message, message
    assert isinstance(caught.value, MinimeError)  # the CLI shows it as one line and exits 2
    assert "mine" not in TEMPLATES and "Classic Card" not in TEMPLATES


def test_a_scene_must_show_a_known_package(tmp_path):
    path = tmp_path / "shelf.toml"
    path.write_text('name = "shelf"\nsummary = "a shelf"\nkind = "desk"\nbox = "clasic"\n', encoding="utf-8")
    with pytest.raises(TemplateError, match=r"^template shelf.toml: its box 'clasic' is not a package template; "
                                            r"choose one of: classic"):
        register_template(path)
    path.write_text('name = "shelf"\nsummary = "a shelf"\nkind = "desk"\nbox = "classic"\npaper = [1, 2]\n')
    with pytest.raises(TemplateError, match=r"^template shelf.toml: paper: list should have at least 3 items"):
        register_template(path)


@pytest.mark.parametrize("shipped", ["minimal", "collector", "window-box"])
def test_a_template_without_colours_draws_with_the_defaults(tmp_path, shipped):
    """[colors] is optional: a template that leaves it out loads and draws (no KeyError at render time)."""
    import re

    from PIL import Image

    from minime.box.render import render
    from minime.engines import Figure
    from minime.spec import build_spec

    text = (TEMPLATE_DIR / f"{shipped}.toml").read_text(encoding="utf-8")
    text = re.sub(r"\n\[colors\]\n(?:[^\[\n][^\n]*\n?)*", "\n", text).replace(f'name = "{shipped}"', 'name = "plain-mine"')
    assert "[colors]" not in text
    path = tmp_path / "plain-mine.toml"
    path.write_text(text, encoding="utf-8")
    try:
        register_template(path)
        figure = Figure(Image.new("RGBA", (64, 96), (200, 40, 40, 255)), "studio")
        box = render(figure, build_spec(name="Ada", template="plain-mine"), template="plain-mine", width=360, height=450)
        assert box.image.size == (360, 450)
    finally:
        TEMPLATES.pop("plain-mine", None)
