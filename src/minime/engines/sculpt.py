"""The sculpt engine: each person modelled as a 3D action figure and rendered on the CPU.

Head from the face landmarks, hair from a library of sculpted shapes, a posed MakeHuman body in
clothes read from the photo, on one glossy base (see minime.sculpt). Falls back to the studio
engine, with a note, where no OpenGL context can be made.
"""

from __future__ import annotations

import time
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from ..errors import MinimeError
from .base import Figure

if TYPE_CHECKING:
    from ..look.skin import Light
    from ..sculpt.garments import Outfit
    from ..sculpt.mesh import Part
    from ..sculpt.recipe import FigureRecipe

RENDER_HEIGHT = 1100  # the figure layer's height in pixels: the feed bubble shows it at about 0.8x
MAX_REDRAW = 3200  # the tallest a print box draws it again (the print bubble shows it about 2x the layer)
DEFAULT_TURN = 12.0  # a slight three-quarter view reads as a sculpture; 0 is front-on
TURN_LIMIT = 45.0
FINISHES = ((1.0, 0.0), (0.65, 8.0), (1.3, -8.0))  # (gloss, key light swing in degrees) per variant
VARIANT_POSES = ("standing", "hands-on-hips", "arms-crossed", "waving")
# The body a user chooses (spec.body) as the recipe's gender, 0 female .. 1 male; "" leaves it to the clothes.
BODY_GENDER = {"masculine": 0.9, "feminine": 0.25, "neutral": 0.5}


def _check_turn(turn: float | None) -> float | None:
    if turn is None:
        return None
    if not -TURN_LIMIT <= float(turn) <= TURN_LIMIT:
        raise MinimeError(f"--turn must be between -{TURN_LIMIT:.0f} and {TURN_LIMIT:.0f} degrees (got {turn:g}); 0 is front-on")
    return float(turn)


class SculptEngine:
    name = "sculpt"
    runs_locally = True
    generative = False

    def __init__(self, pose: str | None = None, turn: float | None = None):
        if pose is not None:  # (the sculpt modules load only when needed: a campaign's parent only checks options)
            from ..sculpt.recipe import pose as pose_entry

            pose_entry(pose)  # an unknown name: one line that lists the poses
        self.pose = pose
        self.turn = _check_turn(turn)

    def generate(self, subject, spec, *, n: int = 1, seed: int | None = None) -> list[Figure]:
        from ..sculpt import render

        reason = render.available()
        if reason is not None:
            return _fallback(subject, spec, n, seed, reason)
        if any(face.landmarks is None for face in subject.faces):
            return _fallback(subject, spec, n, seed, "a face's landmarks could not be read", what="a face")
        start = time.perf_counter()
        people = read_people(subject, spec, seed=seed or 0)
        turn = self.turn if self.turn is not None else DEFAULT_TURN
        holds = pieces_held(spec, len(people))
        figures = []
        for k in range(n):  # variants: the photo's stance first, then other stances, paint finishes and light
            pose = self.pose or (VARIANT_POSES[k % len(VARIANT_POSES)] if k else None)
            posed = [posed_as(p, pose) for p in people]
            parts = assemble_people(posed)
            gloss, swing = FINISHES[k % len(FINISHES)]
            draw = partial(_draw, parts, turn=turn, gloss=gloss, swing=swing)
            rgba = render.render(parts, height=RENDER_HEIGHT, turn=turn, gloss=gloss, swing=swing)
            held = [h for p, h in zip(posed, holds) if h and _holds(p)]
            figures.append(Figure(image=Image.fromarray(rgba, "RGBA"), engine=self.name, model="sculpt-1",
                                  seed=seed, people=len(people), mesh=parts, held=list(dict.fromkeys(held)), redraw=draw,
                                  notes=list(dict.fromkeys([*(n for p in people for n in p.outfit.notes),
                                                            *kept_in_wells(spec)]))))
        each = (time.perf_counter() - start) / max(1, len(figures))
        for f in figures:
            f.seconds = each
        return figures


def _draw(parts: list[Part], height: int, **light) -> Image.Image:
    """The figure drawn again `height` px tall, lit as before (for a print box: see `Figure.redraw`)."""
    from ..sculpt import render

    return Image.fromarray(render.render(parts, height=min(height, MAX_REDRAW), **light), "RGBA")


def _fallback(subject, spec, n, seed, reason: str, what: str = "") -> list[Figure]:
    from .studio import StudioEngine

    figures = StudioEngine().generate(subject, spec, n=n, seed=seed)
    why = f"{reason}; made the studio bust instead" if what else (
        f"the sculpt engine needs OpenGL ({reason}); made the studio bust instead "
        "(on Linux install Mesa: apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri)")
    for f in figures:
        f.notes.append(why)
    return figures


def sculpt(subject, spec, *, pose: str | None = None, seed: int = 0) -> list[Part]:
    """The whole scene's parts for a subject: every person sculpted, side by side on one base."""
    return assemble_people([posed_as(p, pose) for p in read_people(subject, spec, seed=seed)])


def _lists(spec, count: int) -> list[list[str]]:
    """Each person's accessories as text: their own list, or with one shared list, all of it for the first."""
    own = getattr(spec, "people", None) or []
    lists = [list(p.accessories) for p in own] if own else [list(spec.accessories)]
    return [lists[i] if i < len(lists) else [] for i in range(count)]


def pieces_held(spec, count: int) -> list[str | None]:
    """The accessory each person holds, as its text in the spec: the first one on their own list that has a
    piece a hand can hold (a labelled prop needs its well to show its label; a worn piece is worn; a house
    stays in its well); with one shared list, the first person holds it."""
    from ..accessories import match_accessory
    from ..sculpt.worn import how_carried

    def holdable(text: str) -> bool:
        m = match_accessory(text)
        return m.known and how_carried(m.key) == "held"

    return [next((a for a in items if holdable(a)), None) for items in _lists(spec, count)]


def pieces_worn(spec, count: int) -> list[tuple[str, ...]]:
    """The catalogue keys of the pieces each person wears (glasses, a hat, a scarf, a cape)."""
    from ..accessories import match_accessory
    from ..sculpt.worn import WORN

    keys = [[match_accessory(a) for a in items] for items in _lists(spec, count)]
    return [tuple(m.key for m in ms if m.known and m.key in WORN) for ms in keys]


def kept_in_wells(spec) -> list[str]:
    """Notes for the accessories no figure can hold or wear (a house): each stays in its well on the card."""
    from ..accessories import match_accessory
    from ..sculpt.worn import how_carried

    items = [a for p in (getattr(spec, "people", None) or []) for a in p.accessories] or list(spec.accessories)
    return [f"{a!r} is too big for the figure to hold or wear: it is not on the figure (the box shows it in a well)"
            for a in dict.fromkeys(items)
            if match_accessory(a).known and how_carried(match_accessory(a).key) == "well"]


def posed_as(recipe: FigureRecipe, pose: str | None) -> FigureRecipe:
    """The recipe in `pose`; with None, the photo's stance, except that a figure with a piece and no other
    stance in the photo holds it out, as a boxed figure does."""
    from ..sculpt.worn import fits_hand

    if pose is None:  # a piece too long for the hand (a guitar) stands beside a figure that stands
        fits = recipe.held is not None and fits_hand(recipe.held)
        pose = "holding" if fits and recipe.pose == "standing" else recipe.pose
    return replace(recipe, pose=pose)


def _holds(recipe: FigureRecipe) -> bool:
    from ..sculpt.recipe import pose
    from ..sculpt.worn import fits_hand

    return recipe.held is not None and pose(recipe.pose).holds and fits_hand(recipe.held)


def assemble_people(people: list[FigureRecipe]) -> list[Part]:
    """Each person's figure built from their recipe, all on one base."""
    from ..sculpt.child import in_a_row, smaller
    from ..sculpt.scene import assemble, build_figure

    built = [build_figure(p) for p in people]
    built = [smaller(parts, width, p.scale) if p.scale != 1.0 else (parts, width) for p, (parts, width) in zip(people, built)]
    if len(people) > 2 and any(p.scale < 1.0 for p in people):  # a child shows in one row, never behind an adult
        return in_a_row([parts for parts, _ in built], [width for _, width in built])
    return assemble([parts for parts, _ in built], [width for _, width in built])


def _exposed(rgb: np.ndarray, landmarks: np.ndarray, light: Light | None = None) -> np.ndarray:
    """The photo with its exposure and colour cast taken out (see look.skin), so the skin read from it does not
    depend on the light; a black and white photo gets a natural skin colour in the face. `light`: the photo's
    `read_light`, if already read."""
    from ..look.skin import colour_face, read_light

    light = light if light is not None else read_light(rgb, landmarks)
    out = light.apply(rgb, landmarks)
    return colour_face(out, landmarks) if light.mono else out


def _cheek_skin(rgb: np.ndarray, landmarks: np.ndarray) -> tuple[float, float, float]:
    """The skin tone around the cheeks, from the photo."""
    from ..look.skin import face_skin

    r, g, b = (float(c) / 255 for c in np.median(face_skin(rgb, landmarks), axis=0))
    return r, g, b


def read_people(subject, spec, *, seed: int = 0) -> list[FigureRecipe]:
    """Every person's recipe, left to right as in the photo, each holding their piece (see `pieces_held`)."""
    from ..accessories import match_accessory

    holds = pieces_held(spec, len(subject.faces))
    worn = pieces_worn(spec, len(subject.faces))
    people = [read_person(subject, i, spec, seed=seed) for i in range(len(subject.faces))]
    return [replace(p, held=match_accessory(h).key if h else None, worn=w, tint=spec.piece_rgb)
            for p, h, w in zip(people, holds, worn)]


def body_gender(spec, index: int) -> float | None:
    """The gender of person `index`'s body as the user chose it: their own `body` in `people`, else the spec's;
    None when neither is given (the recipe takes it from the clothes)."""
    own = getattr(spec, "people", None) or []
    body = (own[index].body if index < len(own) else "") or getattr(spec, "body", "")
    return BODY_GENDER.get(body)


def read_person(subject, index: int, spec, *, seed: int = 0) -> FigureRecipe:
    """Read one person into a recipe: their head sculpted from the photo, hair, clothes, build and stance."""
    from ..look.hair import read_hairline, read_texture
    from ..look.person import read_person as read_look
    from ..look.pose import landmarks as pose_landmarks
    from ..look.pose import stance
    from ..look.skin import read_light
    from ..sculpt.child import BUILD as CHILD_BUILD
    from ..sculpt.child import GENDER as CHILD_GENDER
    from ..sculpt.child import SCALE as CHILD_SCALE
    from ..sculpt.child import beardless, child_style
    from ..sculpt.hair import choose_style, styles_for, unsure_styles
    from ..sculpt.head import build_head, fit_landmarks
    from ..sculpt.recipe import FigureRecipe, Hair, body_style

    face = subject.faces[index]
    photo = np.asarray(subject.image)
    light = read_light(photo, face.landmarks)
    rgb = _exposed(photo, face.landmarks, light)
    fit = fit_landmarks(face.landmarks, subject.image.size)
    others = [f for j, f in enumerate(subject.faces) if j != index]
    look = read_look(rgb, subject.mask, face, fit, _cheek_skin(rgb, face.landmarks), others, mono=light.mono)
    child = bool(getattr(face, "child", False))  # a child among adults (look.children): no beard, a child's body
    head = build_head(beardless(rgb, face.landmarks) if child else rgb, face.landmarks, hair_color=look.hair_color,
                      fit=fit)
    texture = read_texture(rgb, look.hair_mask, fit.front, fit.to_photo)  # straight .. locs, and a parting
    allowed = styles_for(look.hair_length, look.bald, look.hair_volume, texture.texture if texture.seen else None,
                         texture.parting)
    style, sure = choose_style(look.hair_mask, allowed=allowed)
    if sure < 0.2:  # a thin or noisy hair mask: the likeliest reading is a short cut of that length and texture
        style, _ = choose_style(look.hair_mask, allowed=unsure_styles(allowed))
    body = getattr(spec, "style", "action")
    body_style(body)
    # The stance from this person's own arms: the photo toward each neighbour is blanked for the pose model.
    pose = stance(pose_landmarks(rgb, face.box, [f.box for f in others])) or "standing"
    outfit = _outfit(look, head.skin, spec.outfit)
    outfit.notes[:0] = look.notes  # where the figure departs from the photo (guessed colours), shown with the outfit's
    # The photo's hair region shapes the style, unless the mask is too thin to trust (the style stands alone).
    # The front hairline is read whatever the style: a short cut's forehead edge follows it.
    hairline = read_hairline(look.hair_mask, fit.front, head.skull[0], fit.yaw, photo=rgb, to_photo=fit.to_photo)
    hair = Hair(style, look.hair_color, seed, look.hair_highlight, look.hair_mask if sure >= 0.2 else None,
                texture=texture.texture if texture.seen else "straight", parting=texture.parting, hairline=hairline)
    recipe = FigureRecipe(head=head, hair=hair, outfit=outfit, build=look.build, gender=body_gender(spec, index),
                          pose=pose, style=body)
    if child:  # a child's body: slim, flat-chested, smaller than the adults' beside it
        recipe = replace(recipe, style=child_style(body), build=CHILD_BUILD, gender=CHILD_GENDER, scale=CHILD_SCALE)
    return recipe


def _outfit(look, skin, words: str) -> Outfit:
    """The clothes: read from the photo, then the --outfit words (garment, material, pattern and colour) win."""
    from ..sculpt.garments import Outfit
    from ..sculpt.outfit_words import read_outfit

    outfit = Outfit(top=look.top, top_color=look.top_color, under_color=look.under_color,
                    # no tie seen: an open collar, the "tie" painted as the shirt
                    tie_color=look.tie_color or look.under_color, tie_stripe=look.tie_stripe,
                    bottom_color=look.bottom_color, skin=skin,
                    pattern="stripes" if look.stripes is not None else "", pattern_color=look.stripes or (1, 1, 1))
    return read_outfit(words, outfit) if words.strip() else outfit


def guide_image(subject, spec) -> Image.Image:
    """The sculpted figure rendered front-on, for a generative engine to repaint (`--guide sculpt`)."""
    from ..sculpt import render

    reason = render.available()
    if reason is not None:
        raise MinimeError(f"--guide sculpt needs OpenGL: {reason}")
    return Image.fromarray(render.render(sculpt(subject, spec), height=1024, turn=0.0), "RGBA")
