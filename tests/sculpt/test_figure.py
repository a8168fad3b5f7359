"""The figure as a collector's action figure: proportions measured on the built mesh, sculpted hands in each
grip, crossed arms hiding the hands, and the figure filling the bubble of every box template."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from minime.sculpt.body import build_body
from minime.sculpt.hands import GRIP_RADIUS, GRIPS, build_hand
from minime.sculpt.mesh import Part
from minime.spec import FigureSpec


@pytest.fixture(scope="module")
def person(subject):
    from minime.engines.sculpt import read_people

    return read_people(subject, FigureSpec(name="X"))[0]


@pytest.fixture(scope="module")
def other():
    """A second person, another build and hair, from another photo."""
    from minime.engines.sculpt import read_people
    from minime.look import look

    from ..conftest import FIXTURES

    return read_people(look(Image.open(FIXTURES / "biden_small.jpg").convert("RGB")), FigureSpec(name="X"))[0]


def _figure(person, pose="standing", style="action") -> dict[str, Part]:
    from minime.sculpt.scene import build_figure

    parts, _ = build_figure(replace(person, pose=pose, style=style))
    return {p.name: p for p in parts}


def _shoulders(person, pose="standing") -> float:
    return build_body(build=person.build, gender=person.body_gender(), pose=pose, outfit=person.outfit).shoulder_width


@pytest.mark.parametrize("who,pose", [("person", "standing"), ("person", "arms-crossed"), ("person", "holding"),
                                      ("other", "standing")])
def test_action_figure_proportions(who, pose, request):
    person = request.getfixturevalue(who)
    parts = _figure(person, pose)
    height = max(p.vertices[:, 1].max() for p in parts.values() if not p.name.startswith("hand"))
    chin = parts["head"].vertices[:, 1].min()
    head = height - chin  # the crown of the hair to the chin
    assert 6.8 <= height / head <= 7.6  # a 6-inch collector line: 7 to 7.5 heads, a little more with full hair
    crotch = parts["torso"].vertices[:, 1].min()
    assert 0.44 <= crotch / height <= 0.53  # legs about half the height
    shoulders = _shoulders(person, pose)
    assert 1.7 <= shoulders / head <= 2.2  # about two head heights across the shoulders, sleeves included
    # Feet about shoulder-width apart (outside to outside), and under the hips, not a straddle.
    left, right = parts["shoe.L"].vertices, parts["shoe.R"].vertices
    span = max(left[:, 0].max(), right[:, 0].max()) - min(left[:, 0].min(), right[:, 0].min())
    assert 0.65 <= span / shoulders <= 1.05
    hips = parts["thigh.L"].vertices[:, 0].mean() - parts["thigh.R"].vertices[:, 0].mean()
    feet = left[:, 0].mean() - right[:, 0].mean()
    assert feet < 1.6 * hips
    # Weight on the base: both soles flat on it.
    assert abs(left[:, 1].min()) < 1e-4 and abs(right[:, 1].min()) < 1e-4


def _front_view(parts: dict[str, Part], skin, below: float, above: float, cell: float = 0.004) -> dict:
    """What a viewer straight in front sees in each `cell`-sized square from `below` to `above`: "head", "skin"
    (the neck, or bare skin on the torso) or "cloth" (anything else), by a z-buffer of points spread over the
    triangles."""
    rng = np.random.default_rng(0)
    pts, kind = [], []
    for name, p in parts.items():
        t = p.vertices[p.faces].astype(np.float64)
        keep = (t[:, :, 1].max(1) > below) & (t[:, :, 1].min(1) < above)
        t, faces = t[keep], p.faces[keep]
        area = np.linalg.norm(np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0]), axis=1) / 2
        idx = np.repeat(np.arange(len(t)), np.maximum(1, (area / cell ** 2 * 4).astype(int)))
        r1, r2 = np.sqrt(rng.random(len(idx))), rng.random(len(idx))
        q = t[idx, 0] * (1 - r1)[:, None] + t[idx, 1] * (r1 * (1 - r2))[:, None] + t[idx, 2] * (r1 * r2)[:, None]
        colors = np.broadcast_to(p.colors, p.vertices.shape)[faces[idx, 0]]
        bare = (name == "neck") | ((name == "torso") & (np.abs(colors - skin).max(1) < 0.02))
        pts.append(q)
        kind.append(np.where(name == "head", "head", np.where(bare, "skin", "cloth")))
    q, kind = np.concatenate(pts), np.concatenate(kind)
    cells = np.floor(q[:, :2] / cell).astype(np.int64)
    order = np.lexsort((q[:, 2], cells[:, 1], cells[:, 0]))  # per cell, the point nearest the viewer comes last
    last = np.r_[np.any(cells[order][1:] != cells[order][:-1], axis=1), True]
    return {tuple(cells[i]): kind[i] for i in order[last]}


def _visible_neck(parts: dict[str, Part], skin, cell: float = 0.004) -> float:
    """The tallest run of neck (or bare skin) a front view shows under the chin, across the middle of the neck: from
    the lowest head cell in each column down to the first cloth."""
    chin = parts["head"].vertices[:, 1].min()
    neck = parts["neck"].vertices
    view = _front_view(parts, skin, chin - 0.5, chin + 0.2, cell)
    half = 0.6 * np.ptp(neck[:, 0]) / 2
    runs = []
    for col in range(int(np.floor((neck[:, 0].mean() - half) / cell)), int(np.ceil((neck[:, 0].mean() + half) / cell))):
        heads = [row for (c, row), k in view.items() if c == col and k == "head"]
        row = min(heads) - 1
        while view.get((col, row)) == "skin":
            row -= 1
        runs.append((min(heads) - 1 - row) * cell)
    return max(runs)


@pytest.mark.parametrize("top", ["jacket", "t-shirt", "hoodie", "shirt-tie", "leather-jacket"])
def test_a_short_neck_shows_between_the_chin_and_a_collar_standing_round_it(person, top):
    """A collector figure's neck is short: from the front, at most a sliver of it shows between the chin and the
    collar (a shirt's band, a knit's ribbed neck), which stands up round the neck's base."""
    parts = _figure(replace(person, outfit=replace(person.outfit, top=top)))
    chin = parts["head"].vertices[:, 1].min()
    head = parts["head"].vertices[:, 1].max() - chin
    skin = np.asarray(person.outfit.skin, np.float32)
    assert _visible_neck(parts, skin) <= 0.12 * head  # it was a third of a head
    collar = next(p for n, p in parts.items() if "collar" in n).vertices
    neck = parts["neck"].vertices
    front = collar[collar[:, 2] > neck[:, 2].mean()]
    assert 0 < chin - front[:, 1].max() < 0.12 * head  # the chin clears the collar in front, just
    assert np.ptp(collar[:, 1]) > 0.1 * head  # a band standing up, not a line of paint
    assert neck[:, 1].min() < collar[:, 1].max() and neck[:, 1].max() > chin  # one neck from inside the collar into the jaw


def test_the_neck_stands_over_the_shoulders_not_in_front_of_them(person):
    parts = _figure(person)
    neck, torso = parts["neck"].vertices, parts["torso"].vertices
    axis = (neck[:, 2].min() + neck[:, 2].max()) / 2
    chest = torso[(np.abs(torso[:, 1] - (torso[:, 1].max() - 0.45)) < 0.05) & (np.abs(torso[:, 0]) < 0.25)]
    back, front = chest[:, 2].min(), chest[:, 2].max()
    assert 0.35 < (axis - back) / (front - back) < 0.7  # over the spine, a little forward; it stood at the front edge


def test_bobblehead_keeps_its_big_head_on_a_short_body(person):
    parts = _figure(person, style="bobblehead")
    height = max(p.vertices[:, 1].max() for p in parts.values())
    head = height - parts["head"].vertices[:, 1].min()
    assert 1.8 <= height / head <= 2.6


def _hand(grip: str):
    # A left hand hanging down, its palm toward the body (-x), its thumb forward (+z).
    return build_hand(np.zeros(3), [0.0, -1.0, 0.0], [0.0, 0.0, 1.0], [-1.0, 0.0, 0.0], grip, 0.6, (0.8, 0.6, 0.5))


def _shells(part: Part) -> int:
    """How many separate closed pieces a part is made of (connected by shared vertices)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    f = part.faces
    n = len(part.vertices)
    edges = np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]])
    graph = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    return connected_components(graph, directed=False)[0]


@pytest.mark.parametrize("grip", sorted(GRIPS))
def test_a_hand_has_a_thumb_and_four_fingers_with_knuckles(grip):
    from minime.sculpt.mesh import is_closed

    hand = _hand(grip)
    assert len(hand.digits) == 5
    assert [len(d) for d in hand.digits] == [4, 4, 4, 4, 4]  # every digit: three segments and a tip
    assert is_closed(hand.part)
    # A palm and its thenar pad, each finger one tube with a knuckle on the back of the hand, a thumb: not a mitt.
    assert _shells(hand.part) == 2 + 4 * 2 + 1
    tips = np.array([d[-1] for d in hand.digits[1:]])
    assert np.ptp(tips[:, 2]) > 0.12  # the four fingertips stand side by side across the hand


def _reach(grip: str) -> float:
    """How far the middle fingertip is from the wrist along the hand."""
    return float(-_hand(grip).digits[2][-1][1])


def test_grips_differ_open_reaches_furthest_a_fist_is_closed():
    assert _reach("open") > 0.55 > _reach("relaxed") > _reach("grip") > 0.0
    assert _reach("fist") < 0.3
    tip = _hand("open").digits[2][-1]
    assert abs(tip[0]) < 0.05  # open: the fingers straight out in the palm's plane
    assert -_hand("relaxed").digits[2][-1][0] > 0.08  # relaxed: curled a little toward the palm


def test_a_gripping_hand_wraps_its_handle():
    hand = _hand("grip")
    axis = np.array([0.0, 0.0, 1.0])  # the handle runs across the hand, through the grip centre
    for finger in hand.digits[1:]:
        d = finger - hand.grip
        d -= np.outer(d @ axis, axis)
        dist = np.linalg.norm(d, axis=1)
        assert (dist - 0.6 * 0.068 > GRIP_RADIUS * 0.8).all()  # round the handle (less the finger's thickness)
        angles = np.degrees(np.arctan2(d[:, 1], d[:, 0]))
        span = np.ptp(np.unwrap(np.radians(angles)))
        assert np.degrees(span) > 150  # the finger wraps at least about half way round
    thumb_tip = hand.digits[0][-1] - hand.grip
    assert np.linalg.norm(thumb_tip - axis * (thumb_tip @ axis)) < 0.2  # the thumb closes over it


def _hidden(parts: dict[str, Part], name: str, cell: float = 0.04) -> float:
    """The share of a part's vertices that other parts hide from a viewer in front (a coarse z-buffer)."""
    others = [p for n, p in parts.items() if n != name and not n.startswith("hand")]
    pts = []
    for p in others:
        t = p.vertices[p.faces]
        pts += [p.vertices, t.mean(1), (t[:, 0] + t[:, 1]) / 2, (t[:, 1] + t[:, 2]) / 2, (t[:, 2] + t[:, 0]) / 2]
    pts = np.concatenate(pts)
    key = lambda v: (np.floor(v[:, 0] / cell).astype(np.int64) * 100003 + np.floor(v[:, 1] / cell).astype(np.int64))  # noqa: E731
    order = np.argsort(key(pts))
    keys, zs = key(pts)[order], pts[order, 2]
    uniq, start = np.unique(keys, return_index=True)
    front = np.maximum.reduceat(zs, start)
    hand = parts[name].vertices
    k = key(hand)
    i = np.clip(np.searchsorted(uniq, k), 0, len(uniq) - 1)
    covered = (uniq[i] == k) & (front[i] > hand[:, 2])
    return float(covered.mean())


def test_crossed_arms_tuck_one_hand_and_lay_the_other_over_the_arm(person):
    crossed, standing = _figure(person, "arms-crossed"), _figure(person, "standing")
    assert _hidden(crossed, "hand.L") > 0.8  # the fist tucked into the crook of the right arm
    assert _hidden(crossed, "hand.R") < 0.5  # the hand laid over the left biceps shows
    for side in "LR":
        assert _hidden(standing, f"hand.{side}") < 0.5


def test_the_figure_fills_the_bubble_in_every_template(person):
    """Placed in each box, the figure on its base stands at least 85% of the bubble's (window's) inner height."""
    from minime.box import blister, carton, minimal
    from minime.box import render as box
    from minime.figure import Figure
    from minime.sculpt import render
    from minime.sculpt.scene import assemble, build_figure

    seen: list[tuple[float, float]] = []
    place = blister.place_figure

    def spy(ctx, r, u, **kw):
        dst = place(ctx, r, u, **kw)
        seen.append((r.height(), dst.height()))
        return dst

    mp = pytest.MonkeyPatch()
    for module in (blister, carton, minimal):
        mp.setattr(module, "place_figure", spy)
    try:
        for pose in ("waving", "arms-crossed"):
            parts, width = build_figure(replace(person, pose=pose))
            image = Image.fromarray(render.render(assemble([parts], [width]), height=500, turn=12.0), "RGBA")
            figure = Figure(image=image, engine="sculpt", model="sculpt-1", seed=0, people=1)
            for template in box.template_names():
                if box.needs_mesh(template):  # the desk scene has no bubble: the figure stands on a desk
                    continue
                seen.clear()
                box.render(figure, FigureSpec(name="X"), template=template, width=540, height=675)
                assert seen, template
                for inner, placed in seen:
                    assert placed / inner >= 0.85, (template, pose, placed / inner)
    finally:
        mp.undo()


def test_a_waving_hand_shows_its_palm():
    body = build_body(pose="waving")
    hand = next(p for p in body.parts if p.name == "hand.L").vertices
    _, _, axes = np.linalg.svd(hand - hand.mean(0), full_matrices=False)
    assert abs(axes[2][2]) > 0.8  # the flat of the open hand faces the front, not its edge
    assert np.linalg.norm(body.meta["grip_axis"]) == pytest.approx(1.0, abs=1e-3)
