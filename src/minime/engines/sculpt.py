"""The sculpt engine: each person modelled as a 3D action figure and rendered on the CPU.

Head from the face landmarks, hair from a library of sculpted shapes, a posed MakeHuman body in
clothes read from the photo, on one glossy base (see minime.sculpt). Falls back to the studio
engine, with a note, where no OpenGL context can be made.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from ..errors import MinimeError
from .base import Figure

if TYPE_CHECKING:
    from ..sculpt.garments import Outfit
    from ..sculpt.mesh import Part
    from ..sculpt.recipe import FigureRecipe

RENDER_HEIGHT = 1100  # the figure layer's height in pixels: the feed bubble shows it at about 0.8x
DEFAULT_TURN = 12.0  # a slight three-quarter view reads as a sculpture; 0 is front-on
TURN_LIMIT = 45.0
FINISHES = ((1.0, 0.0), (0.65, 8.0), (1.3, -8.0))  # (gloss, key light swing in degrees) per variant
VARIANT_POSES = ("standing", "hands-on-hips", "arms-crossed", "waving")


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
        from ..sculpt.recipe import pose as pose_entry

        if pose is not None:
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
            rgba = render.render(parts, height=RENDER_HEIGHT, turn=turn, gloss=gloss, swing=swing)
            held = [h for p, h in zip(posed, holds) if h and _holds(p)]
            figures.append(Figure(image=Image.fromarray(rgba, "RGBA"), engine=self.name, model="sculpt-1",
                                  seed=seed, people=len(people), mesh=parts, held=list(dict.fromkeys(held))))
        each = (time.perf_counter() - start) / max(1, len(figures))
        for f in figures:
            f.seconds = each
        return figures


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


def pieces_held(spec, count: int) -> list[str | None]:
    """The accessory each person holds, as its text in the spec: the first one on their own list that has a
    piece (a labelled prop needs its well to show its label); with one shared list, the first person holds it."""
    from ..accessories import match_accessory

    own = getattr(spec, "people", None) or []
    lists = [list(p.accessories) for p in own] if own else [list(spec.accessories)]
    return [next((a for a in (lists[i] if i < len(lists) else []) if match_accessory(a).known), None)
            for i in range(count)]


def posed_as(recipe: FigureRecipe, pose: str | None) -> FigureRecipe:
    """The recipe in `pose`; with None, the photo's stance, except that a figure with a piece and no other
    stance in the photo holds it out, as a boxed figure does."""
    if pose is None:
        pose = "holding" if recipe.held and recipe.pose == "standing" else recipe.pose
    return replace(recipe, pose=pose)


def _holds(recipe: FigureRecipe) -> bool:
    from ..sculpt.recipe import pose

    return bool(recipe.held) and pose(recipe.pose).holds


def assemble_people(people: list[FigureRecipe]) -> list[Part]:
    """Each person's figure built from their recipe, all on one base."""
    from ..sculpt.scene import assemble, build_figure

    built = [build_figure(p) for p in people]
    return assemble([parts for parts, _ in built], [width for _, width in built])


DARK_FACE = 0.3  # the face's median lightness under which the photo is lifted before it paints the figure


def _exposed(rgb: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
    """The photo, brightened (a gamma curve) when the face in it is underexposed, so a dark photo does not paint
    a figure in the dark. Judged on the face, not the whole photo: a dark suit or background is not a dark photo."""
    lum = float(np.mean(_cheek_skin(rgb, landmarks)))
    if lum >= DARK_FACE or lum <= 0:
        return rgb
    gamma = np.log(0.55) / np.log(max(lum, 0.02))  # the face goes to a mid skin tone
    lut = np.clip(255 * (np.arange(256) / 255) ** gamma + 0.5, 0, 255).astype(np.uint8)
    return lut[rgb]


def _cheek_skin(rgb: np.ndarray, landmarks: np.ndarray) -> tuple[float, float, float]:
    """The skin tone around the cheeks, from the photo."""
    h, w = rgb.shape[:2]
    px = []
    for i in (50, 280, 117, 346, 205, 425):
        x, y = int(np.clip(landmarks[i, 0], 0, w - 1)), int(np.clip(landmarks[i, 1], 0, h - 1))
        px.append(rgb[max(0, y - 2):y + 3, max(0, x - 2):x + 3].reshape(-1, 3))
    r, g, b = (float(c) / 255 for c in np.median(np.concatenate(px), axis=0))
    return r, g, b


def read_people(subject, spec, *, seed: int = 0) -> list[FigureRecipe]:
    """Every person's recipe, each holding their piece (see `pieces_held`)."""
    from ..accessories import match_accessory

    holds = pieces_held(spec, len(subject.faces))
    people = [read_person(subject, i, spec, seed=seed) for i in range(len(subject.faces))]
    return [replace(p, held=match_accessory(h).key if h else None, tint=spec.rgb) for p, h in zip(people, holds)]


def read_person(subject, index: int, spec, *, seed: int = 0) -> FigureRecipe:
    """Read one person into a recipe: their head sculpted from the photo, hair, clothes, build and stance."""
    from ..look.person import read_person as read_look
    from ..look.pose import landmarks as pose_landmarks
    from ..look.pose import stance
    from ..sculpt.hair import choose_style, short_styles
    from ..sculpt.head import build_head, fit_landmarks
    from ..sculpt.recipe import FigureRecipe, Hair, body_style

    face = subject.faces[index]
    rgb = _exposed(np.asarray(subject.image), face.landmarks)
    fit = fit_landmarks(face.landmarks, subject.image.size)
    others = [f for j, f in enumerate(subject.faces) if j != index]
    look = read_look(rgb, subject.mask, face, fit, _cheek_skin(rgb, face.landmarks), others)
    head = build_head(rgb, face.landmarks, hair_color=look.hair_color, fit=fit)
    style, sure = choose_style(look.hair_mask)
    if sure < 0.2:  # a thin or noisy hair mask: the likeliest reading is a short cut
        style, _ = choose_style(look.hair_mask, allowed=short_styles())
    body = getattr(spec, "style", "action")
    body_style(body)
    return FigureRecipe(head=head, hair=Hair(style, look.hair_color, seed), outfit=_outfit(look, head.skin, spec.outfit),
                        build=look.build, pose=stance(pose_landmarks(rgb, face.box)) or "standing", style=body)


def _outfit(look, skin, words: str) -> Outfit:
    """The clothes: read from the photo, then the --outfit words (garment, pattern and colour) win."""
    from ..sculpt.garments import Outfit
    from ..sculpt.recipe import outfit_words
    from ..spec import colours_named

    outfit = Outfit(top=look.top, top_color=look.top_color, under_color=look.under_color,
                    # no tie seen: an open collar, the "tie" painted as the shirt
                    tie_color=look.tie_color or look.under_color, bottom_color=look.bottom_color, skin=skin,
                    pattern="stripes" if look.stripes is not None else "", pattern_color=look.stripes or (1, 1, 1))
    tops, bottoms, patterns = outfit_words()
    text = words.casefold()
    tokens = text.replace(",", " ").split()
    for t in tokens:
        if t.rstrip("s") in tops or t in tops:
            outfit.top = tops[t] if t in tops else tops[t.rstrip("s")]
        if t in bottoms:
            outfit.bottom = bottoms[t]
    if "jeans" in tokens or "denim" in tokens:
        outfit.bottom_color = (0.16, 0.25, 0.42)
    for t in tokens:
        if t in patterns:
            outfit.pattern = patterns[t]
    colours = [(r / 255, g / 255, b / 255) for r, g, b in colours_named(words)]
    if colours:
        outfit.top_color = colours[0]
        if len(colours) > 1:
            if outfit.pattern == "stripes":
                outfit.pattern_color = colours[1]
            else:
                outfit.bottom_color = colours[1]
    if outfit.top != "jacket" and outfit.top != "shirt-tie":
        outfit.under_color = outfit.top_color if outfit.top != "hoodie" else outfit.under_color
    return outfit


def guide_image(subject, spec) -> Image.Image:
    """The sculpted figure rendered front-on, for a generative engine to repaint (`--guide sculpt`)."""
    from ..sculpt import render

    reason = render.available()
    if reason is not None:
        raise MinimeError(f"--guide sculpt needs OpenGL: {reason}")
    return Image.fromarray(render.render(sculpt(subject, spec), height=1024, turn=0.0), "RGBA")
