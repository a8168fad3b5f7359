"""The sculpted armour: a full suit of closed, thick plates over every limb, in the metal the words name, that
moves with the pose and keeps clear of the face and the fingers."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
import trimesh

from minime.sculpt.body import Body, build_body
from minime.sculpt.garments import Outfit, Worn
from minime.sculpt.mesh import is_closed, signed_volume
from minime.sculpt.outfit_words import METALS, read_outfit

# What the photo of a man in a dark suit reads as, before the words dress him.
SUIT = Outfit(top="jacket", top_color=(0.1, 0.13, 0.2), under_color=(0.84, 0.92, 0.99), bottom_color=(0.12, 0.12, 0.13))
TRUNK_AND_LEGS = ("breastplate", "backplate", "lame", "tasset", "cuisse", "poleyn", "greave")
ARMS_AND_FEET = ("pauldron", "vambrace", "gauntlet", "couter", "sabaton")
# The arms' and the feet's plates are fitted to the posed pieces the body hands its garments.
posed_pieces = pytest.mark.skipif("pieces" not in Worn.__dataclass_fields__,
                                  reason="garments.Worn does not carry the posed body pieces (Worn.pieces)")


@cache
def _body(pose: str = "standing", words: str = "gold armour") -> Body:
    return build_body(outfit=read_outfit(words, SUIT), pose=pose)


def _plates(body: Body, name: str | None = None) -> list:
    return [p for p in body.parts if p.material == "metal" and (name is None or p.name == name)]


def _piece(body: Body, name: str) -> np.ndarray:
    return next(p.vertices for p in body.parts if p.name == name)


def _arm(body: Body, side: str) -> tuple[np.ndarray, np.ndarray]:
    """The posed elbow and wrist of one arm: the wrist the hand was built on, the elbow the far end of the forearm."""
    wrist = body.meta["wrists"][side][0]
    fore = _piece(body, f"forearm.{side}")
    return fore[np.argmax(np.linalg.norm(fore - wrist, axis=1))], wrist


def _along(point: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Where a point lies along the segment a-b (0 at a, 1 at b) and how far it is from the segment's line."""
    u = b - a
    t = float((point - a) @ u / (u @ u))
    return t, float(np.linalg.norm(point - (a + t * u)))


def _nearest(plates: list, point: np.ndarray):
    return min(plates, key=lambda p: np.linalg.norm(p.vertices.mean(0) - point))


def _segment_distance(point: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    t = np.clip((point - a) @ (b - a) / ((b - a) @ (b - a)), 0, 1)
    return float(np.linalg.norm(point - (a + t * (b - a))))


def _own(body: Body, side: str) -> dict[str, list]:
    """One arm's vambrace, cuff and couter: the arm plates nearer that forearm than the other one."""
    mine, other = _arm(body, side), _arm(body, "R" if side == "L" else "L")
    out: dict[str, list] = {"vambrace": [], "gauntlet": [], "couter": []}
    for p in _plates(body):
        c = p.vertices.mean(0)
        if p.name in out and _segment_distance(c, *mine) < _segment_distance(c, *other):
            out[p.name].append(p)
    return out


@pytest.mark.parametrize("words, metal", [("gold armour", METALS["gold"]), ("silver armor", METALS["silver"]),
                                          ("armor", METALS["silver"]), ("knight armour", METALS["silver"]),
                                          ("bronze armour", METALS["bronze"]), ("black armour", (0.0, 0.0, 0.0))])
def test_armour_words_give_plates_in_that_metal(words, metal):
    o = read_outfit(words, SUIT)
    assert (o.top, o.material) == ("armour", "metallic")
    body = _body("standing", words)
    plates = _plates(body)
    assert {p.name for p in plates} >= set(TRUNK_AND_LEGS)
    rgb = np.median(np.concatenate([p.colors for p in plates]), axis=0)
    if max(metal) > 0:  # the metal's own hue, polished into bright and dark bands
        assert np.abs(rgb / rgb.max() - np.asarray(metal) / max(metal)).max() < 0.08
    else:  # blackened steel: dark, yet its bevels still catch the light
        assert 0.05 < rgb.max() < 0.3
    shade = _plates(body, "breastplate")[0].colors.mean(1)
    assert np.ptp(shade) > 0.4 * shade.max()  # polished: bright and dark bands, not one flat colour


@posed_pieces
def test_a_full_suit_plates_every_limb():
    body = _body()
    assert {p.name for p in _plates(body)} >= set(TRUNK_AND_LEGS + ARMS_AND_FEET)
    for side, sx in (("L", 1.0), ("R", -1.0)):
        thigh, shin, shoe = (_piece(body, f"{n}.{side}") for n in ("thigh", "shin", "shoe"))
        hip, knee, ankle = thigh[:, 1].max(), shin[:, 1].max(), shin[:, 1].min()
        mine = [p for p in _plates(body) if p.vertices[:, 0].mean() * sx > 0.1]
        at = {n: [p.vertices.mean(0) for p in mine if p.name == n] for n in ARMS_AND_FEET + TRUNK_AND_LEGS}
        assert all(knee < c[1] < hip for c in at["cuisse"] + at["tasset"])  # on the thigh
        assert all(abs(c[1] - knee) < 0.2 for c in at["poleyn"])  # on the knee
        assert all(ankle - 0.2 < c[1] < knee for c in at["greave"])  # round the shin, down onto the shoe
        assert len(at["sabaton"]) == 3 and all(c[1] > shoe[:, 1].mean() for c in at["sabaton"])  # over the shoe
        # Round the forearm between the elbow and the wrist, and a cuff at the wrist.
        elbow, wrist = _arm(body, side)
        t, off = _along(at["vambrace"][0], elbow, wrist)
        assert 0.25 < t < 0.75 and off < 0.1
        t, off = _along(at["gauntlet"][0], elbow, wrist)
        assert 0.75 < t < 1.0 and off < 0.1
        assert len(at["pauldron"]) == 3 and all(c[1] > elbow[1] for c in at["pauldron"])


def _thickness(part, samples: int = 80) -> float:
    """The median wall of a closed part: from points on its surface, how far it is through it, straight in."""
    m = trimesh.Trimesh(part.vertices, part.faces, process=False)
    faces = np.random.default_rng(0).choice(len(m.faces), samples, p=m.area_faces / m.area)
    start = m.triangles_center[faces] - m.face_normals[faces] * 1e-4
    hit, ray, _ = m.ray.intersects_location(start, -m.face_normals[faces], multiple_hits=False)
    return float(np.median(np.linalg.norm(hit - start[ray], axis=1)))


def test_plates_are_closed_shells_a_millimetre_thick_at_a_100mm_print():
    plates = _plates(_body())
    kinds = {p.name: p for p in plates}  # one of each
    assert all(is_closed(p) and signed_volume(p.vertices, p.faces) > 0 for p in plates)
    for name, part in kinds.items():
        assert _thickness(part) >= 0.07, name  # one unit is one head height: 0.07 is 1 mm on a 100 mm figure


def test_trunk_and_leg_plates_have_no_flat_ceilings():
    """Every edge that faces down is chamfered back into the body: what faces steeply down is inside the body
    or under another plate, not a ledge over the air."""
    body = _body()
    meshes = [(p, trimesh.Trimesh(p.vertices, p.faces, process=False)) for p in body.parts]
    for part, m in meshes:
        if part.name not in TRUNK_AND_LEGS:
            continue
        down = m.face_normals[:, 1] < -0.8
        below = m.triangles_center[down] - [0.0, 0.005, 0.0]
        covered = np.zeros(len(below), bool)
        for other, om in meshes:
            near = ~covered & np.all((below > om.bounds[0]) & (below < om.bounds[1]), 1)
            if other is not part and near.any():
                covered[near] = om.contains(below[near])
        assert m.area_faces[down][~covered].sum() < 0.015 * m.area, part.name


@posed_pieces
@pytest.mark.parametrize("pose", ["arms-crossed", "waving", "holding"])
def test_the_arms_plates_move_with_the_pose(pose):
    still, moved = _body(), _body(pose)
    for side in "LR":
        elbow, wrist = _arm(moved, side)
        own = _own(moved, side)
        # The fist tucked into the crook of the other arm lies against that arm: its cuff gives way to it.
        tucked = pose == "arms-crossed" and side == "L"
        assert [len(own[n]) for n in ("vambrace", "gauntlet", "couter")] == [1, 0 if tucked else 1, 1]
        for name, lo, hi in (("vambrace", 0.1, 0.75), ("gauntlet", 0.75, 1.0), ("couter", -0.1, 0.1)):
            for plate in own[name]:
                t, off = _along(plate.vertices.mean(0), elbow, wrist)
                assert lo < t < hi and off < 0.2, (side, name, t, off)
        upper = _piece(moved, f"upperarm.{side}")
        lame = _nearest(_plates(moved, "pauldron")[1:], upper.mean(0))
        assert np.linalg.norm(lame.vertices.mean(0) - upper.mean(0)) < 0.45
    # The forearms that moved took their plates with them.
    for side in ("L",) if pose == "waving" else ("R",) if pose == "holding" else "LR":
        before = _nearest(_plates(still, "vambrace"), np.mean(_arm(still, side), 0)).vertices.mean(0)
        after = _nearest(_plates(moved, "vambrace"), np.mean(_arm(moved, side), 0)).vertices.mean(0)
        assert np.linalg.norm(after - before) > 0.3, side


@posed_pieces
@pytest.mark.parametrize("pose", ["standing", "arms-crossed", "waving", "holding", "hands-on-hips"])
def test_plates_keep_clear_of_the_face_and_the_fingers(pose):
    body = _body(pose)
    plates = _plates(body)
    for p in plates:  # nothing comes near the neck, under the chin, or rises past it, save an arm raised beside it
        x, y = np.abs(p.vertices[:, 0]), p.vertices[:, 1]
        assert not np.any((x < 0.42) & (y > body.neck[1] - 0.3)), p.name
        assert not np.any(y > body.neck[1]) or p.name in ("vambrace", "gauntlet", "couter", "pauldron"), p.name
    for side in "LR":
        hand = _piece(body, f"hand.{side}")
        elbow, wrist = _arm(body, side)
        fingers = hand[np.linalg.norm(hand - wrist, axis=1) > 0.2]
        # The arm's own vambrace, cuff and couter cover none of its fingers; a free hand meets no plate at all.
        own = [p for group in _own(body, side).values() for p in group]
        free = pose in ("standing", "waving", "holding")  # no hand tucked into an arm or pressed to a hip
        for p in plates if free else own:
            m = trimesh.Trimesh(p.vertices, p.faces, process=False)
            near = np.all((fingers > m.bounds[0]) & (fingers < m.bounds[1]), 1)
            assert not near.any() or not m.contains(fingers[near]).any(), (side, p.name)
