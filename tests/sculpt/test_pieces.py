"""3D accessory pieces: closed painted meshes moulded from the art's layers, held in the hand, shown in the wells."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from minime.sculpt.mesh import is_closed, signed_volume
from minime.sculpt.pieces import THICKNESS, build_piece, held_piece, render_piece, svg_layers


@pytest.mark.parametrize("key", ["coffee-cup", "guitar", "laptop", "prop", "teddy-bear", "beer-mug", "horse", "flag-in-hole"])
def test_every_piece_is_one_closed_outward_painted_mesh(key):
    part = build_piece(key, size=1.0)
    assert is_closed(part) and signed_volume(part.vertices, part.faces) > 0
    size = part.vertices.max(0) - part.vertices.min(0)
    assert max(size[0], size[1]) == pytest.approx(1.0, abs=1e-3)
    assert 0.08 < size[2] < 0.35  # a chunky relief, not a sticker and not a block
    assert part.texture is not None and part.uv.min() >= 0 and part.uv.max() <= 1
    assert part.colors.std() > 0.02  # painted from the art, not one flat colour


def test_layers_stacked_on_others_stand_proud_in_steps():
    part = build_piece("coffee-cup")
    front = part.vertices[:, 2]
    # the coffee sits on the rim, which sits on the cup: more than the plain rise of one layer
    assert front.max() > THICKNESS * 1.4
    assert len(np.unique(np.round(front[front > THICKNESS * 0.9], 2))) > 3


def test_a_tint_repaints_a_drawn_piece_only_in_its_accent():
    red, blue = build_piece("coffee-cup", tint=(220, 30, 40)), build_piece("coffee-cup", tint=(30, 60, 220))
    assert np.array_equal(red.faces, blue.faces)
    assert red.texture[..., 0].mean() > blue.texture[..., 0].mean()


def test_svg_shapes_transforms_and_reused_defs_become_layers():
    svg = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 128 128">
      <defs><path id="a" d="M0 0h10v10H0z"/><clipPath id="c"><use xlink:href="#a"/></clipPath></defs>
      <circle cx="64" cy="64" r="40" fill="#f00"/>
      <g transform="translate(10 20)"><ellipse cx="5" cy="5" rx="5" ry="3"/><use xlink:href="#a" x="30"/></g>
      <path d="M0 0L5 5" fill="none" stroke="#000" stroke-width="2"/>
      <rect x="1" y="1" width="2" height="2" style="fill:none"/>
    </svg>"""
    layers = svg_layers(svg)
    assert len(layers) == 4  # circle, ellipse, the used square, the stroked line; the unpainted rect adds nothing
    b = layers[2].computeTightBounds()
    assert (b.left(), b.top(), b.right(), b.bottom()) == pytest.approx((40, 20, 50, 30))


def test_the_held_piece_sits_at_the_hand_upright():
    hand = np.array([-0.6, 3.0, 0.8], np.float32)
    part = held_piece("coffee-cup", hand)
    assert is_closed(part) and part.name == "held"
    lo, hi = part.vertices.min(0), part.vertices.max(0)
    assert lo[1] < hand[1] < hi[1] and lo[0] < hand[0] < hi[0]
    assert hi[1] - hand[1] > hand[1] - lo[1]  # held low: most of the piece shows above the fist


def test_a_piece_renders_in_3d(gl):
    img = render_piece("cat", 160)
    a = np.asarray(img)
    assert img.mode == "RGBA" and img.height == 160 and (a[..., 3] > 0).mean() > 0.3
    lit = a[..., :3][a[..., 3] == 255].astype(float).mean(axis=1)
    assert lit.std() > 20  # shaded by the key light, not flat paint


def test_the_figure_holds_its_first_piece_and_the_box_gives_it_no_well(gl, subject):
    from minime.box.render import render
    from minime.engines.sculpt import SculptEngine
    from minime.spec import FigureSpec

    spec = FigureSpec(name="Ada", accessories=["a cup of coffee", "gato"])
    fig = SculptEngine(pose="holding").generate(subject, spec, n=1)[0]
    assert fig.held == ["a cup of coffee"]
    held = [p for p in fig.mesh if p.name == "held"]
    assert len(held) == 1 and is_closed(held[0])
    box = render(fig, spec, width=540, height=675)
    assert [a.get("held", False) for a in box.accessories] == [True, False]
    assert [a["key"] for a in box.accessories] == ["coffee-cup", "cat"]


def test_standing_with_a_piece_means_holding_it_but_a_stance_the_photo_shows_stays():
    from minime.engines.sculpt import posed_as
    from minime.sculpt.recipe import FigureRecipe

    def pose(stance, held, asked=None):
        return posed_as(FigureRecipe(head=None, pose=stance, held=held), asked).pose

    assert pose("standing", "laptop") == "holding"
    assert pose("standing", None) == "standing"
    assert pose("arms-crossed", "laptop") == "arms-crossed"
    assert pose("arms-crossed", "laptop", "waving") == "waving"


def test_only_a_piece_is_held_never_a_labelled_prop():
    from minime.engines.sculpt import pieces_held
    from minime.spec import FigureSpec

    spec = FigureSpec(name="Ada", accessories=["zqxv gizmo", "laptop"])
    assert pieces_held(spec, 2) == ["laptop", None]
    assert pieces_held(FigureSpec(name="Ada"), 1) == [None]


def test_a_figure_without_a_mesh_keeps_the_flat_art_in_its_wells():
    from minime.box.render import render
    from minime.engines.base import Figure
    from minime.spec import FigureSpec

    fig = Figure(image=Image.new("RGBA", (200, 400), (200, 100, 80, 255)), engine="studio", held=["laptop"])
    spec = FigureSpec(name="Ada", accessories=["laptop", "cat"])
    box = render(fig, spec, width=432, height=540)
    assert [a.get("held", False) for a in box.accessories] == [True, False]


def test_each_accessory_after_a_name_is_that_person_s(tmp_path):
    from typer.testing import CliRunner

    from minime import cli
    from minime.cli import making

    seen = {}
    real = making.spec_from_flags

    def spy(*args, **kwargs):
        seen["spec"] = real(*args, **kwargs)
        raise SystemExit(0)

    making.spec_from_flags, runner = spy, CliRunner()
    try:
        runner.invoke(cli.app, ["make", str(tmp_path / "g.png"), "--name", "Ada", "-a", "laptop", "--tagline", "--name",
                                "--name", "Grace", "-a", "compass", "-a", "cat", "--json"])
        mine = seen.pop("spec")
        runner.invoke(cli.app, ["make", str(tmp_path / "g.png"), "--name", "Ada", "--name", "Grace", "-a", "laptop"])
        shared = seen.pop("spec")
    finally:
        making.spec_from_flags = real
    assert [(p.name, p.accessories) for p in mine.people] == [("Ada", ["laptop"]), ("Grace", ["compass", "cat"])]
    assert mine.tagline == "--name" and mine.accessories == ["laptop", "compass", "cat"]
    assert shared.people == [] and shared.accessories == ["laptop"]


def test_people_in_yaml_give_names_and_every_accessory(tmp_path):
    from minime.engines.sculpt import pieces_held
    from minime.errors import SpecError
    from minime.spec import load_spec

    f = tmp_path / "group.yaml"
    f.write_text("people:\n  - {name: Ada, accessories: [laptop, cat]}\n  - {name: Grace, accessories: [compass]}\n")
    spec = load_spec(f)
    assert spec.name == "Ada" and spec.names == ["Ada", "Grace"] and spec.accessories == ["laptop", "cat", "compass"]
    assert pieces_held(spec, 2) == ["laptop", "compass"]
    f.write_text("name: Ada\naccessories: [dog]\npeople:\n  - {name: Ada, accessories: [laptop]}\n")
    with pytest.raises(SpecError, match="not both"):
        load_spec(f)
    f.write_text("people:\n  - {name: Ada, acc: [laptop]}\n")
    with pytest.raises(SpecError, match="people item 1: unknown field 'acc'"):
        load_spec(f)


def test_a_piece_is_rendered_once_per_size_and_each_box_gets_its_own_copy(gl, monkeypatch):
    from minime.sculpt import pieces

    first = render_piece("cat", 120)
    monkeypatch.setattr("minime.sculpt.render.render", lambda *a, **k: pytest.fail("rendered again"))
    again = render_piece("cat", 120)
    assert again is not first and again.tobytes() == first.tobytes()
    again.putpixel((0, 0), (1, 2, 3, 4))  # a box that draws on its copy leaves the next box's alone
    assert render_piece("cat", 120).tobytes() == first.tobytes()
    assert pieces._rendered.cache_info().hits >= 2


def test_the_paint_is_finer_than_the_mesh_and_fills_past_the_outline():
    from minime.sculpt.pieces import PAINT

    part = build_piece("coffee-cup")
    assert part.texture.shape == (PAINT, PAINT, 3)
    assert part.texture[:8, :8].max() > 0  # the rim's colour carried out to the corner, not transparent black


def test_a_layer_painted_over_another_hides_it_and_stands_flat():
    import skia

    from minime.sculpt.pieces import TEXTURE, _coverage

    handle = skia.Path.Rect(skia.Rect.MakeLTRB(150, 100, 220, 140))
    body = skia.Path.Rect(skia.Rect.MakeLTRB(40, 40, 180, 200))  # painted after, over the handle's near end
    stack = _coverage([handle, body], TEXTURE)
    assert stack[60:190, 50:170].min() == pytest.approx(2.0) == stack[60:190, 50:170].max()
    assert stack[120, 200] == pytest.approx(1.0)


def test_a_flat_face_is_evenly_shaded():
    from minime.sculpt import shade
    from minime.sculpt.mesh import vertex_normals

    part = build_piece("coffee-cup")
    n = vertex_normals(part.vertices, part.faces)
    v = part.vertices
    flat = (n[:, 2] > 0.999) & (np.abs(v[:, 0] + 0.1) < 0.15) & (np.abs(v[:, 1] + 0.05) < 0.15)
    flat &= np.abs(v[:, 2] - np.median(v[flat, 2])) < 1e-4  # one plateau (a higher one is more in the open)
    ao = shade.occlusion([part], [n])[0][flat]
    assert flat.sum() > 200 and ao.std() < 0.01  # no plaid where the mesh and the light's grid beat (was 0.07)


@pytest.mark.parametrize("key", ["coffee-cup", "dog", "guitar"])
def test_the_rim_runs_evenly_round_the_outline(key):
    from scipy.spatial import cKDTree

    part = build_piece(key)
    v = part.vertices[: len(part.vertices) // 2]
    rim = v[v[:, 2] < v[:, 2].min() + 1e-5, :2]
    gap = cKDTree(rim).query(rim, k=2)[0][:, 1]
    # Rim vertices evenly spaced along the outline (the grid's steps slid onto it bunch them: 0.1-0.2).
    assert np.percentile(gap, 1) > 0.4 * np.median(gap)
