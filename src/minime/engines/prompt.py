"""The instruction a generative engine gets: the person as a loose toy figure, never the box.

Our renderer draws the box and every letter on it (DESIGN.md), so every prompt asks for the figure
alone, on a background we can remove, with no text, logo, box or packaging. The user's words (outfit,
accessories, style notes) go in as quoted descriptions inside the prompt, and the rules come last,
so nothing the user writes can lift them. The person's name is never sent: a model would try to
write it, and the box spells it right anyway.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from ..errors import SpecError

Family = Literal["openai", "gemini", "flux", "qwen", "sdxl"]
FAMILIES: tuple[str, ...] = ("openai", "gemini", "flux", "qwen", "sdxl")

# The flat backgrounds asked of models that cannot return transparency; cutout.py keys out whichever
# the border shows. Green unless the figure itself would come near it (a green outfit, dyed hair):
# a key close to the figure's colours would cut the figure away with the background.
KEYS: tuple[tuple[tuple[int, int, int], str], ...] = (
    ((0, 177, 64), "flat chroma-key green (#00B140)"),
    ((0, 71, 187), "flat chroma-key blue (#0047BB)"),
    ((255, 0, 255), "flat magenta (#FF00FF)"),
)
KEY_CLEAR = 120.0  # RGB distance from each of the figure's colours at which green is kept
# Colours that words outside CSS's names imply.
IMPLIED = {"camo": (107, 142, 35), "camouflage": (107, 142, 35), "army": (107, 142, 35), "military": (107, 142, 35)}
STYLE_MAX = 200

RULES = ("No text, letters, numbers, logos or watermarks anywhere. No box, no packaging, no blister, "
         "no card, no label, no frame, no scenery: the figure and its loose accessories only.")
# With a guide the model repaints our 3D render rather than inventing a body: the accessories then stay
# where the box expects them.
GUIDE = ("The first image is the photo; the second image is a 3D render of the figure. Repaint that figure as "
         "a photographed collectible, keeping its pose, build, outfit and accessories exactly as the render "
         "shows them, and take the face, skin tone and hair from the photo.")
NEGATIVE = ("text, letters, words, caption, logo, watermark, signature, box, packaging, blister pack, card, "
            "label, frame, border, scenery, floor, photo background, blurry, extra limbs, deformed face")

# Style notes may describe the figure, not ask for what the renderer draws.
_FORBIDDEN = re.compile(
    r"\b(box|boxed|boxes|packag\w*|blister\w*|cardboard|text|texts|letter\w*|typograph\w*|caption\w*|"
    r"logos?|watermarks?|labels?|words?|writ\w*|font\w*|titles?|slogans?|ignore|disregard)\b",
    re.IGNORECASE,
)


def clean_style(style: str) -> str:
    """Check a user's style note: one line of at most 200 characters that describes the figure.

    Raises:
        SpecError: the note spans lines, holds control characters, is too long, or asks for text or packaging.
    """
    style = unicodedata.normalize("NFC", (style or "").strip())
    if not style:
        return ""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in style):
        raise SpecError("style: use plain text on one line (no control or formatting characters)")
    if len(style) > STYLE_MAX:
        raise SpecError(f"style: must be at most {STYLE_MAX} characters (got {len(style)})")
    found = _FORBIDDEN.search(style)
    if found:
        raise SpecError(f"style: {found.group(0)!r} is not allowed; minime draws the box and every letter itself, "
                        "so describe only the figure (look, pose, material, colours)")
    return style


def _quote(text: str) -> str:
    """User text as one quoted phrase: no quotes or line breaks of its own to break out with."""
    text = " ".join(text.split()).replace('"', "'")
    return f'"{text}"'


def _subject(people: int) -> str:
    if people <= 1:
        return "the person in the photo"
    return f"the {people} people in the photo, side by side on one shared base, each keeping their own face"


def named_colours(*texts: str) -> list[tuple[int, int, int]]:
    """Every colour the words name: CSS colour names ("forest green" too) and a few implied ones (camo)."""
    from ..spec import colours_named

    found = []
    for text in texts:
        found += colours_named(text)
        found += [IMPLIED[word] for word in text.casefold().split() if word in IMPLIED]
    return found


def photo_colours(subject, count: int = 8, share: float = 0.04) -> list[tuple[int, int, int]]:
    """The main colours of the people in the photo (hair, skin, clothes): what the model will paint."""
    import numpy as np
    from PIL import Image

    rgb = np.asarray(subject.image.convert("RGB").resize((128, 128), Image.Resampling.BILINEAR))
    mask = np.asarray(Image.fromarray((subject.mask * 255).astype(np.uint8)).resize((128, 128))) > 128
    people = rgb[mask]
    if len(people) < 16:
        return []
    palette = Image.fromarray(people[None]).quantize(count, method=Image.Quantize.MEDIANCUT)
    shares = np.bincount(np.asarray(palette).ravel(), minlength=count) / len(people)
    values = palette.getpalette()
    assert values is not None  # a quantized image always has a palette
    colours = np.asarray(values[:3 * count]).reshape(-1, 3)
    return [(int(r), int(g), int(b)) for k, (r, g, b) in enumerate(colours) if shares[k] >= share]


def choose_key(colours) -> tuple[tuple[int, int, int], str]:
    """The key background (colour, words for the prompt) farthest from the figure's colours; green
    while it stays at least KEY_CLEAR from all of them."""
    def clearance(key) -> float:
        return min((sum((a - b) ** 2 for a, b in zip(key, c)) ** 0.5 for c in colours), default=float("inf"))

    if clearance(KEYS[0][0]) >= KEY_CLEAR:
        return KEYS[0]
    return max(KEYS, key=lambda k: clearance(k[0]))


def key_for(spec, *, style: str = "", avoid=()) -> tuple[tuple[int, int, int], str]:
    """The key background (colour, words) the prompt asks for, for this spec and these figure colours."""
    return choose_key(named_colours(spec.outfit or "", style or "", *spec.accessories) + list(avoid))


def build_prompt(spec, *, family: Family, people: int = 1, style: str = "", avoid=(),
                 transparent: bool | None = None, guide: bool = False) -> str:
    """The instruction for one engine family.

    Args:
        spec: the FigureSpec (outfit and accessories are used; the name and tagline never are).
        family: "openai" (returns transparency), "gemini", "flux", "qwen" (edit models that get a flat key
            background) or "sdxl" (a short tag prompt: its text encoder reads 77 tokens).
        people: how many people the photo shows.
        style: an optional style note from the user, checked by `clean_style`.
        avoid: colours the figure will show besides those the words name (`photo_colours`); the key
            background is chosen away from them all.
        transparent: ask for a transparent background rather than the key; True for "openai" if None.
        guide: a second image, a 3D render of the figure, goes with the photo: the model repaints it.
    Returns:
        The prompt text.
    """
    if family not in FAMILIES:
        raise ValueError(f"unknown prompt family {family!r}; choose one of: {', '.join(FAMILIES)}")
    style = clean_style(style)
    outfit = spec.outfit
    accessories = list(spec.accessories)
    _, key = key_for(spec, style=style, avoid=avoid)
    if family == "sdxl":
        return _tags(outfit, accessories, people, style, key)

    transparent = family == "openai" if transparent is None else transparent
    background = ("a fully transparent background" if transparent
                  else f"a plain {key} background, evenly lit, with no shadow or floor on it")
    parts = [
        f"Turn {_subject(people)} into a full-body collectible action figure: a glossy PVC toy with smooth "
        "painted surfaces, a limited palette, crisp sculpted edges and a soft plastic sheen, standing on a "
        "small round display base, lit by one key light from the top left.",
        "Keep the face clearly recognisable as the same person: the same face shape, eyes, nose, mouth, "
        "skin tone and hairstyle, painted in toy style.",
    ]
    if guide:
        parts.append(GUIDE)
    if outfit:
        parts.append(f"Outfit: {_quote(outfit)}.")
    else:
        parts.append("Outfit: the clothes the person wears in the photo, simplified as a toy would be.")
    parts.append("Pose: as in the render, the whole body in frame." if guide else
                 "Pose: standing, relaxed and confident, facing the viewer, the whole body in frame.")
    if accessories:
        pieces = ", ".join(_quote(a) for a in accessories)
        parts.append(f"Accessories, each as a separate loose toy piece, not held and not touching the figure or "
                     f"each other, laid out beside the figure in this order from top to bottom: {pieces}.")
    else:
        parts.append("No accessories.")
    if style:
        parts.append(f"Style notes from the user (describing the figure only): {_quote(style)}.")
    parts.append(f"Show the figure and its pieces on {background}, centred, with a margin all round.")
    parts.append(RULES)
    return " ".join(parts)


def _tags(outfit: str, accessories: list[str], people: int, style: str, key: str) -> str:
    """SDXL reads 77 tokens: the figure first, the rules as a negative prompt (see NEGATIVE)."""
    who = "a person" if people <= 1 else f"{people} people side by side"
    tags = [f"full-body collectible action figure of {who}", "glossy PVC toy", "same face as the photo"]
    if outfit:
        tags.append(f"wearing {' '.join(outfit.split())}")
    tags.append("standing on a round base")
    if accessories:
        tags.append("separate loose " + ", ".join(" ".join(a.split()) for a in accessories))
    if style:
        tags.append(" ".join(style.split()))
    tags += [f"plain {key} background", "studio lighting", "no text"]
    return ", ".join(tags)


def negative_prompt(family: Family) -> str | None:
    """What to steer away from, for the families that take a negative prompt."""
    return NEGATIVE if family in ("sdxl", "qwen") else None
