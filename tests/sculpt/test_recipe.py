"""The figure recipe's registries: each kind of entry can be added and is then used, and unknown names list the
valid ones; the bobblehead body style."""

import numpy as np
import pytest

from minime.errors import UnknownNameError
from minime.sculpt import recipe
from minime.sculpt.body import Outfit, build_body
from minime.sculpt.mesh import is_closed


@pytest.fixture
def added():
    """Registers entries for one test and takes them out again afterwards."""
    tables = (recipe.BODY_STYLES, recipe.TOPS, recipe.BOTTOMS, recipe.PATTERNS, recipe.POSES, recipe.HAIR_STYLES)
    before = [dict(t) for t in tables]
    yield
    for table, old in zip(tables, before):
        table.clear()
        table.update(old)


def _height(parts, prefix: str) -> float:
    ys = np.concatenate([p.vertices[:, 1] for p in parts if p.name.startswith(prefix)])
    return float(ys.max() - ys.min())


def test_a_registered_body_style_is_used(added):
    from minime.sculpt.shape import BodyStyle

    recipe.register_body_style(BodyStyle("test-tall", stature=6.0))
    tall, action = build_body(style="test-tall"), build_body()
    assert abs(tall.neck[1] - 6.0) < 0.1 and abs(action.neck[1] - 5.0) < 0.1


def test_a_registered_garment_is_worn_with_its_own_paint_and_extras(added):
    from minime.sculpt.garments import Top
    from minime.sculpt.mesh import Part, uv_sphere

    class Vest(Top):
        """A sleeveless top with a badge on its chest."""

        name, words, sleeve = "test-vest", ("vest",), 0.0

        def fields(self, fr, f):
            f["badge"] = np.where(fr.chest, np.hypot(fr.v[:, 0] - 0.3, fr.v[:, 1] - (fr.apex + 0.5)) - 0.1, 1.0)

        def paint_top(self, p):
            p.top_rgb[p.on("badge")] = (1.0, 0.85, 0.0)

        def extras(self, w):
            v, f = uv_sphere(6, 8)
            return [Part("pin", v * 0.03 + [0.3, w.apex + 0.5, 1.0], f, (0.8, 0.8, 0.8), "metal")]

    recipe.register_garment(Vest())
    assert recipe.outfit_words()[0]["vest"] == "test-vest"
    body = build_body(outfit=Outfit(top="test-vest", top_color=(0.1, 0.5, 0.1), skin=(0.8, 0.6, 0.5)))
    torso = next(p for p in body.parts if p.name == "torso")
    gold = np.all(np.abs(torso.colors - (1.0, 0.85, 0.0)) < 1e-6, axis=1)
    assert gold.sum() > 20  # its own paint
    arm = next(p for p in body.parts if p.name == "forearm.L")
    assert np.all(np.abs(arm.colors - (0.8, 0.6, 0.5)) < 1e-6, axis=1).mean() > 0.9  # no sleeves: bare arms
    assert any(p.name == "pin" for p in body.parts)  # its extras
    assert all(is_closed(p) for p in body.parts if p.name != "pin")


def test_a_registered_pose_is_struck(added):
    from minime.sculpt.pose import Pose, relaxed, unit

    def salute(side, j):
        if side == "R":  # the figure's right hand up at its brow
            return unit(-1, 0.1, 0.3), ("point", j("shoulder") + [0.45, 0.75, 0.35]), "open"
        return relaxed(side, j)

    recipe.register_pose(Pose("test-salute", salute))
    raised, down = build_body(pose="test-salute"), build_body()
    hand = lambda b: next(p for p in b.parts if p.name == "hand.R").vertices[:, 1].max()  # noqa: E731
    assert hand(raised) > hand(down) + 1.5


def test_a_registered_hair_style_is_built_and_picked_from_its_outline(added):
    from minime.sculpt import hair
    from minime.sculpt.hair_shell import Shell
    from minime.sculpt.hair_styles import HairStyle

    def crest(seed, salt):
        return [Shell(ends=((0, 0.1), (180, 0.1)), thickness=0.2, strands=8, depth=0.02, seed=seed, salt=salt).piece()]

    recipe.register_hair_style(HairStyle("test-crest", crest))
    parts = hair.build_hair("test-crest", (0.9, 0.1, 0.1))
    assert parts and all(is_closed(p) for p in parts)
    assert hair.choose_style(hair.outline("test-crest"))[0] == "test-crest"
    assert "test-crest" not in hair.short_styles()


@pytest.mark.parametrize("lookup, name, listed", [(recipe.body_style, "giant", "action, bobblehead"),
                                                  (recipe.top, "cape", "jacket"),
                                                  (recipe.bottom, "kilt", "skirt"),
                                                  (recipe.pose, "flying", "waving"),
                                                  (recipe.hair_style, "mohawk", "afro")])
def test_an_unknown_name_lists_the_valid_ones(lookup, name, listed):
    with pytest.raises(UnknownNameError, match=f"unknown .* '{name}'; choose one of: .*{listed}"):
        lookup(name)
    with pytest.raises(UnknownNameError, match="did you mean 'bobblehead'"):
        recipe.body_style("bobbelhead")


def test_the_recipe_takes_its_body_from_the_garments():
    r = recipe.FigureRecipe(head=None, outfit=Outfit(top="dress"))
    assert r.body_gender() == 0.25
    assert recipe.FigureRecipe(head=None).body_gender() == 0.7
    assert recipe.FigureRecipe(head=None, gender=0.4, outfit=Outfit(bottom="skirt")).body_gender() == 0.4
    assert "head" not in repr(r)


@pytest.fixture(scope="module")
def head(subject):
    from minime.sculpt.head import build_head

    return build_head(np.asarray(subject.image), subject.faces[0].landmarks)


def test_a_bobblehead_has_a_head_two_and_a_half_times_as_big_on_a_shorter_body(head):
    from minime.sculpt.scene import build_figure

    def built(style):
        parts, width = build_figure(recipe.FigureRecipe(head=head, style=style))
        return parts, width

    (action, action_w), (bobble, bobble_w) = built("action"), built("bobblehead")
    ratio = _height(bobble, "head") / _height(action, "head")
    assert 3.3 < ratio < 4.2  # the action figure's head is a collector line's, about 1/7 of its height
    # The same face paint, only bigger.
    face = [next(p for p in parts if p.name == "head") for parts in (action, bobble)]
    assert face[0].texture is face[1].texture
    body = lambda parts: max(p.vertices[:, 1].max() for p in parts if p.name == "torso")  # noqa: E731
    assert body(bobble) < 0.85 * body(action)
    head_h, body_h = _height(bobble, "head"), body(bobble)
    assert 0.6 < head_h / body_h < 1.2  # the head about as tall as the body under it
    assert bobble_w >= action_w
    bobble_body = [p for p in bobble if not p.name.startswith(("head", "hair", "ear", "neck", "glasses"))]
    assert all(is_closed(p) for p in bobble_body)


def test_an_action_figure_has_a_collector_lines_proportions(head):
    """A 6-inch collector line: the head 1/7 to 1/7.5 of the height, legs about half of it, a man's shoulders
    (sleeves included) about two head heights across, a woman's less."""
    from minime.sculpt.scene import build_figure

    def built(gender):
        return build_figure(recipe.FigureRecipe(head=head, gender=gender, outfit=Outfit(top="jacket")))[0]

    man, woman = built(0.7), built(0.25)
    head_h = _height(man, "head")
    tall = max(p.vertices[:, 1].max() for p in man)
    assert 6.9 < tall / head_h < 7.6
    crotch = min(p.vertices[:, 1].max() for p in man if p.name.startswith("thigh"))
    assert 0.42 < crotch / tall < 0.55

    def shoulders(parts):
        chin = min(p.vertices[:, 1].min() for p in parts if p.name == "head")
        v = np.concatenate([p.vertices for p in parts if p.name == "torso" or p.name.startswith("upperarm")])
        return np.ptp(v[(v[:, 1] > chin - 0.7) & (v[:, 1] < chin - 0.4), 0]) / head_h

    assert 1.75 < shoulders(man) < 2.2
    assert 1.5 < shoulders(woman) < shoulders(man) - 0.1


def test_a_bobblehead_box_renders_at_feed_size(gl):
    import minime

    from ..conftest import FIXTURES

    result = minime.make(FIXTURES / "obama.jpg", {"name": "Bob", "style": "bobblehead"}, engine="sculpt", likeness=False)
    assert result.image.size == (1080, 1350)
    assert result.spec.style == "bobblehead"
    heads = [p for p in result.figure.mesh if p.name == "head"]
    assert len(heads) == 1 and _height(heads, "head") > 2.5


def test_an_unknown_style_is_one_line_before_any_work(tmp_path):
    from typer.testing import CliRunner

    from minime import cli

    from ..conftest import FIXTURES

    run = CliRunner().invoke(cli.app, ["make", str(FIXTURES / "obama.jpg"), "--name", "Bob", "--style", "bigheed",
                                       "-o", str(tmp_path / "b.png")])
    assert run.exit_code == 2
    assert "unknown body style 'bigheed'; choose one of: action, bobblehead" in run.output
    assert not (tmp_path / "b.png").exists()


@pytest.mark.parametrize("u, v", [((0, -1, 0), (0, 1, 0)), ((0.3, -1, 0.2), (-0.3, 1, -0.2)), ((0, -1, 0), (0.06, -1, 0)),
                                  ((1, 0, 0), (1, 0, 0))])
def test_the_smallest_rotation_turns_a_direction_onto_another_even_its_opposite(u, v):
    from minime.sculpt.pose import rotation

    u, v = np.asarray(u, float), np.asarray(v, float)
    r = rotation(u, v)
    np.testing.assert_allclose(r @ (u / np.linalg.norm(u)), v / np.linalg.norm(v), atol=1e-6)
    np.testing.assert_allclose(r @ r.T, np.eye(3), atol=1e-6)
    assert np.linalg.det(r) > 0
