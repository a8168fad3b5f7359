"""The scene: each person's head, hair and body put together from their recipe, side by side on one glossy base."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from .mesh import Part, outward
from .shape import ACTION, BodyStyle

if TYPE_CHECKING:
    from .recipe import FigureRecipe


def place_head(parts: list[Part], neck: np.ndarray, style: BodyStyle = ACTION, neck_radius: float = 0.2) -> list[Part]:
    """Head-space parts (head, hair, glasses) moved so the neck joint sits on the body's neck.

    The head takes the style's scale and stands `lift` above the stump; the neck peg is fitted to the stump
    instead: as wide as it, from inside it up into the jaw, so a neck shows between the collar and the chin.
    """
    from .head import NECK_DROP

    scale = style.head
    joint = neck + np.array([0.0, style.lift * scale, 0.04], np.float32)  # the head's neck joint
    out = []
    for p in parts:
        if p.name == "neck":
            out.append(_neck_peg(p, neck, joint, neck_radius * NECK_SLIM, scale))
            continue
        m = np.diag([scale, scale, scale, 1.0]).astype(np.float32)
        m[:3, 3] = joint + np.array([0.0, NECK_DROP * scale, 0.0])
        out.append(p.transformed(m))
    return out


# A collector figure's neck is slimmer than the body's neck stump (a person's neck under a figure's head reads as
# a column): the peg is this share of the stump's radius, and the stump above the collar is drawn in to it.
NECK_SLIM = 0.75


def _neck_peg(peg: Part, stump: np.ndarray, joint: np.ndarray, radius: float, scale: float) -> Part:
    """The head's neck peg fitted between the body and the head: from inside the body's neck stump (drawn in
    to this radius by `_slim_stump`, so no rim shows), tapering up into the skull behind the jaw."""
    v = peg.vertices.astype(np.float32).copy()
    lo, hi = v[:, 1].min(), v[:, 1].max()
    centre = (v[:, [0, 2]].max(0) + v[:, [0, 2]].min(0)) / 2
    half = (v[:, [0, 2]].max(0) - v[:, [0, 2]].min(0)) / 2
    bottom, top = stump[1] - 0.12, joint[1] + 0.3 * scale
    v[:, 1] = bottom + (v[:, 1] - lo) / (hi - lo) * (top - bottom)
    up = np.clip((v[:, 1] - stump[1]) / max(top - stump[1], 1e-6), 0, 1)[:, None]
    axis = (1 - up) * [stump[0], stump[2]] + up * [joint[0], joint[2] - 0.06 * scale]
    v[:, [0, 2]] = (v[:, [0, 2]] - centre) / half * radius * (1.02 - 0.3 * up) + axis
    return replace(peg, vertices=v)


def _slim_stump(torso: Part, stump: np.ndarray, radius: float, skin) -> Part:
    """The torso's bare neck above the collar drawn in inside the neck peg, so none of it shows past the peg
    (its throat would stand out of a slim neck as a shadowed crescent). Cloth (the collar) is left as it is."""
    v = torso.vertices.astype(np.float32).copy()
    colors = np.broadcast_to(torso.colors, v.shape)
    # Bare skin; and anything at the very top of the stump, where the paint blends from the collar to skin.
    bare = (np.abs(colors - np.asarray(skin, np.float32)).max(1) < 0.02) | (v[:, 1] > stump[1] - 0.02)
    axis = np.array([stump[0], stump[2]], np.float32)
    d = v[:, [0, 2]] - axis
    dist = np.linalg.norm(d, axis=1)
    # Fully drawn in from a little under the stump's top; not at all lower down, where a neckline shows skin.
    t = np.clip((v[:, 1] - (stump[1] - 0.14)) / 0.1, 0, 1)
    ramp = t * t * (3 - 2 * t) * (bare & (dist < 0.45))
    inner = 0.85 * radius  # well inside the peg's few long facets
    fit = np.where(dist > inner, inner / np.maximum(dist, 1e-6), 1.0)
    v[:, [0, 2]] = axis + d * (1 - ramp * (1 - fit))[:, None]
    return replace(torso, vertices=v)


def build_figure(recipe: FigureRecipe) -> tuple[list[Part], float]:
    """One figure standing at the origin, feet on y = 0, from its recipe; and the width it needs on a base."""
    from .body import build_body
    from .hair import build_hair, fit_hair
    from .recipe import body_style, pose

    style = body_style(recipe.style)
    holds = pose(recipe.pose).holds
    body = build_body(build=recipe.build, gender=recipe.body_gender(), pose=recipe.pose, outfit=recipe.outfit,
                      style=recipe.style)
    hair = fit_hair(build_hair(recipe.hair.style, recipe.hair.color, seed=recipe.hair.seed,
                                 highlight=recipe.hair.highlight, outline=recipe.hair.outline,
                                 texture=recipe.hair.texture, parting=recipe.hair.parting,
                                 skin=recipe.head.skin, hairline=recipe.hair.hairline), recipe.head.skull)
    from .pieces import build_piece, held_piece
    from .worn import body_worn, fits_hand, head_worn, held_size, standing_beside

    head = place_head(recipe.head.parts + hair + head_worn(list(recipe.worn), recipe.head, recipe.tint), body.neck,
                      style, body.neck_radius)
    body_parts = [_slim_stump(p, body.neck, body.neck_radius * NECK_SLIM, recipe.outfit.skin)
                  if p.name == "torso" else p for p in body.parts]
    parts = body_parts + head + body_worn(list(recipe.worn), body, recipe.tint)
    # Wide enough for the head, the shoulders and the hands: a neighbour's hand must not touch this one's.
    reach = float(np.ptp(np.concatenate([p.vertices[:, 0] for p in body.parts])))
    span = max(float(np.ptp(np.concatenate([p.vertices[:, 0] for p in head]))) + 0.25, body.shoulder_width + 0.25,
               reach + 0.05)
    if recipe.held is not None:
        if holds and fits_hand(recipe.held):
            parts.append(held_piece(recipe.held, body.hand, size=held_size(recipe.held), tint=recipe.tint))
        else:  # busy hands (arms crossed), or a guitar: the piece stands on the base beside the feet
            piece = build_piece(recipe.held, size=held_size(recipe.held), tint=recipe.tint)
            parts, span = standing_beside(parts, piece, span)
    return parts, span


def plinth(half_width: float, half_depth: float, height: float, color, *, sides: int = 96) -> Part:
    """A closed, bevelled base: a round disc for one figure, a rounded slab for a group."""
    t = np.linspace(0, 2 * np.pi, sides, endpoint=False)
    # A superellipse outline: a circle when the base is round, a rounded rectangle when it is long.
    power = 2.0 if abs(half_width - half_depth) < 1e-6 else 4.0
    ux = np.sign(np.cos(t)) * np.abs(np.cos(t)) ** (2 / power)
    uz = np.sign(np.sin(t)) * np.abs(np.sin(t)) ** (2 / power)
    bevel = 0.06
    profile = [(1.0, 0.0), (1.0, height - bevel), (1.0 - bevel * 0.35 / half_width, height - bevel * 0.25),
               (1.0 - bevel / half_width, height)]
    rings = [np.stack([ux * half_width * s, np.full(sides, y), uz * half_depth * s], 1) for s, y in profile]
    v = np.concatenate([*rings, [[0.0, 0.0, 0.0], [0.0, height, 0.0]]])
    faces = []
    for j in range(len(rings) - 1):
        for i in range(sides):
            a, b = j * sides + i, j * sides + (i + 1) % sides
            c, d = a + sides, b + sides
            faces += [(a, c, b), (b, c, d)]
    bottom, top = len(v) - 2, len(v) - 1
    last = (len(rings) - 1) * sides
    for i in range(sides):
        faces.append((bottom, i, (i + 1) % sides))
        faces.append((top, last + (i + 1) % sides, last + i))
    f = outward(v, np.asarray(faces, np.int32))
    return Part("base", v, f, color, "base")


STEP = 0.9  # how much higher the back row of a group stands, so every face shows
ROW_GAP = 1.5  # how far behind the front row the back row stands


def _row(figures, widths, z: float, y: float, gap: float = 0.12) -> tuple[list[Part], float]:
    total = sum(widths) + gap * (len(widths) - 1)
    x = -total / 2
    out: list[Part] = []
    for parts, width in zip(figures, widths):
        m = np.eye(4, dtype=np.float32)
        m[:3, 3] = (x + width / 2, y, z)
        out += [p.transformed(m) for p in parts]
        x += width + gap
    return out, total


def assemble(figures: list[list[Part]], widths: list[float], *, base_color=(0.07, 0.07, 0.08),
             base_height: float = 0.28) -> list[Part]:
    """Figures (each standing at the origin, feet on y = 0) on one base, lifted onto it.

    One or two stand side by side. Three or four stand in two staggered rows, the back row on a step,
    so a group is about as tall as it is wide and fills a box's bubble as one figure does.
    """
    depth = 0.95
    if len(figures) <= 2:
        out, total = _row(figures, widths, 0.0, base_height)
        return out + [plinth(max(depth, total / 2 + 0.25), depth, base_height, base_color)]
    back_idx = [0, 2] if len(figures) == 3 else [1, 2]
    front_idx = [i for i in range(len(figures)) if i not in back_idx]
    gap = 0.12 if len(front_idx) == 1 else max(widths[i] for i in back_idx) * 1.05
    front, front_w = _row([figures[i] for i in front_idx], [widths[i] for i in front_idx], 0.25, base_height, gap)
    back, back_w = _row([figures[i] for i in back_idx], [widths[i] for i in back_idx], -ROW_GAP + 0.25,
                        base_height + STEP)
    half = max(front_w, back_w) / 2 + 0.25
    step = plinth(half * 0.96, depth * 0.9, base_height + STEP, base_color)
    step = step.transformed(np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, -ROW_GAP + 0.25], [0, 0, 0, 1]], np.float32))
    base = plinth(half, depth + ROW_GAP / 2, base_height, base_color)
    base = base.transformed(np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0.25 - ROW_GAP / 2], [0, 0, 0, 1]], np.float32))
    return front + back + [base, step]
