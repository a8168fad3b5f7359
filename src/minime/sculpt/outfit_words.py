"""Reading --outfit for the sculpted figure: garments, materials and colours, each word to the garment it names.

"red hoodie, blue jeans" paints the hoodie red and the jeans blue: colours and materials go to the garment
word that follows them (else the one before, else the top). A material changes the garment where it has
to ("denim jacket" is a trucker jacket over the photo's shirt, not the photo's suit in blue) and gives the
cloth its finish. A word that is not understood is left out with a note, never guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..spec import CSS_COLORS
from . import recipe
from .garments import Bottom, Outfit, Top
from .materials import FINISHES

RGB = tuple[float, float, float]

MATERIAL_WORDS = {
    "leather": "leather", "latex": "leather", "pvc": "leather", "patent": "leather", "suede": "leather",
    "denim": "denim", "jean": "denim",
    "metallic": "metallic", "metal": "metallic", "chrome": "metallic", "foil": "metallic", "steel": "metallic",
    "knit": "knit", "knitted": "knit", "wool": "knit", "woollen": "knit", "woolen": "knit", "cable-knit": "knit",
    "sequin": "sequins", "sequins": "sequins", "sequined": "sequins", "sequinned": "sequins", "glitter": "sequins",
    "glittery": "sequins", "sparkly": "sequins",
}
METALS: dict[str, RGB] = {"gold": (0.86, 0.66, 0.24), "golden": (0.86, 0.66, 0.24), "silver": (0.78, 0.79, 0.83),
                          "chrome": (0.8, 0.82, 0.86), "steel": (0.6, 0.63, 0.67), "bronze": (0.66, 0.44, 0.22),
                          "copper": (0.74, 0.42, 0.25), "iron": (0.45, 0.46, 0.48)}
# A material's own colour, when the words name none.
MATERIAL_COLOURS: dict[str, RGB] = {"leather": (0.1, 0.085, 0.08), "denim": (0.24, 0.36, 0.56),
                                    "metallic": METALS["silver"]}
SHADES = {"dark": 0.6, "deep": 0.7, "light": -0.45, "pale": -0.55, "pastel": -0.5, "bright": -0.15, "neon": -0.1}
# Garment words beyond the registered tops' and bottoms' own: (top or bottom, its name, the material it implies).
EXTRA_GARMENTS: dict[str, tuple[str, str, str]] = {
    "jeans": ("bottom", "trousers", "denim"),
    "sweater": ("top", "sweater", "knit"), "jumper": ("top", "sweater", "knit"), "cardigan": ("top", "sweater", "knit"),
    "pullover": ("top", "sweater", "knit"),
}
FILLER = {"a", "an", "and", "with", "in", "the", "of", "on", "over", "under", "plus", "wearing", "&", "+", "-", "/",
          "his", "her", "their", "my", "style", "colour", "color", "coloured", "colored", "knight", "knightly"}
# A jacket in one of these materials is cut as that kind of jacket, not as a suit's.
CASUAL_JACKETS = {"leather": "leather-jacket", "denim": "denim-jacket"}
SUIT_TOPS = {"jacket", "shirt-tie"}


@dataclass
class _Wish:
    """What the words ask of one garment."""

    colours: list[RGB] = field(default_factory=list)
    material: str = ""
    pattern: str = ""
    shade: float = 0.0


def _tokens(words: str) -> list[str]:
    return [t for t in re.split(r"[\s,;:/&+()]+|(?<!\w)-|-(?!\w)", words.casefold()) if t]


def _colour(token: str) -> RGB | None:
    name = token.replace("-", "").replace("grey", "gray")
    if name in CSS_COLORS:
        h = CSS_COLORS[name].lstrip("#")
        r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))
        return r, g, b
    return None


def _shaded(c: RGB, shade: float) -> RGB:
    if shade > 0:
        r, g, b = (v * shade for v in c)
    elif shade < 0:
        r, g, b = (v + -shade * (1 - v) for v in c)
    else:
        r, g, b = c
    return r, g, b


def read_outfit(words: str, photo: Outfit) -> Outfit:
    """The photo's outfit with the --outfit words applied; `notes` says what was not understood or not built."""
    tops, bottoms, patterns = recipe.outfit_words()
    tokens = _tokens(words)
    named: list[tuple[str, str, str, _Wish]] = []  # (top|bottom, name, word, wish)
    pending = _Wish()
    unknown: list[str] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        two = _colour(t + tokens[i + 1]) if i + 1 < len(tokens) and t not in METALS else None
        plain = t.replace("-", "")
        if two is not None:  # "dark blue", "hot pink", "navy blue"
            pending.colours.append(two)
            i += 2
            continue
        one = _colour(t)
        single = t[:-1] if t.endswith("s") and t not in tops and t not in bottoms and t[:-1] in {**tops, **bottoms} else t
        if t in FILLER:
            pass
        elif t in METALS:
            pending.colours.append(METALS[t])
            pending.material = pending.material or "metallic"
        elif t in MATERIAL_WORDS:
            pending.material = MATERIAL_WORDS[t]
        elif t in EXTRA_GARMENTS or single in tops or plain in tops or single in bottoms:
            kind, name, implied = EXTRA_GARMENTS.get(t) or (("top", tops.get(single) or tops[plain], "")
                                                            if single in tops or plain in tops else ("bottom", bottoms[single], ""))
            if implied and not pending.material:
                pending.material = implied
            named.append((kind, name, t, pending))
            pending = _Wish()
        elif t in patterns or plain in patterns:
            pending.pattern = patterns.get(t) or patterns[plain]
        elif t in SHADES:
            pending.shade = SHADES[t]
        elif one is not None:
            pending.colours.append(one)
        else:
            unknown.append(t)
            if i + 1 == len(tokens) or tokens[i + 1] in FILLER:  # "pink kilt": the colour was the kilt's
                pending = _Wish()
        i += 1
    return _apply(photo, named, pending, unknown)


def _apply(photo: Outfit, named, rest: _Wish, unknown: list[str]) -> Outfit:
    out = replace(photo, notes=list(photo.notes))
    # Words left after the last garment describe the one before them, or the top when none is named.
    if rest.colours or rest.material or rest.pattern:
        if named:
            kind, name, word, wish = named[-1]
            wish.colours += rest.colours
            wish.material = wish.material or rest.material
            wish.pattern = wish.pattern or rest.pattern
            wish.shade = wish.shade or rest.shade
        else:
            named.append(("top", "", "", rest))
    layered = any(k == "top" and w not in ("shirt", "tie", "") for k, _, w, _ in named)  # a jacket over the shirt
    for kind, name, word, wish in named:
        if word in ("shirt", "tie") and (layered or word == "tie"):
            # "white shirt and red tie", "blue suit, white shirt": the layers under the top keep the top
            if word == "tie" and out.top not in SUIT_TOPS and not out.top.endswith("-jacket"):
                out.top = "shirt-tie"
            if wish.colours:
                if word == "tie":
                    out.tie_color, out.tie_stripe = _shaded(wish.colours[0], wish.shade), None  # a plain tie of that colour
                else:
                    out.under_color = _shaded(wish.colours[0], wish.shade)
            continue
        # Blue denim is indigo, not the screen's pure blue.
        colours = [MATERIAL_COLOURS["denim"] if wish.material == "denim" and c == _colour("blue") else c
                   for c in wish.colours]
        colours = [_shaded(c, wish.shade) for c in colours]
        if kind == "bottom":
            out.bottom = name
            out.bottom_material = wish.material or out.bottom_material
            if colours:
                out.bottom_color = colours[0]
            elif wish.material in MATERIAL_COLOURS:
                out.bottom_color = MATERIAL_COLOURS[wish.material]
            continue
        before = out.top
        if name:
            out.top = name
        out.material = wish.material or (out.material if not name else "")
        if out.top == "armour" and out.material != "metallic":
            out.material = "metallic"
        if out.top == "jacket" and out.material in CASUAL_JACKETS and word not in ("blazer", "suit", "tuxedo"):
            out.top = CASUAL_JACKETS[out.material]  # a leather or denim jacket replaces the suit's
        if wish.pattern:
            out.pattern = wish.pattern
        if colours:
            out.top_color = colours[0]
            if len(colours) > 1:
                if out.pattern:
                    out.pattern_color = colours[1]
                elif not any(k == "bottom" for k, *_ in named):
                    out.bottom_color = colours[1]
        elif out.material in MATERIAL_COLOURS or out.top == "armour":
            out.top_color = MATERIAL_COLOURS.get(out.material, MATERIAL_COLOURS["metallic"])
        if before in SUIT_TOPS and out.top not in SUIT_TOPS and not any(w == "tie" for *_, w, _ in named):
            out.tie_color, out.tie_stripe = out.under_color, None  # an open collar: the photo's tie goes with its suit
        if out.top == "shirt-tie" or (out.top not in SUIT_TOPS and not out.top.endswith("-jacket") and out.top != "hoodie"):
            out.under_color = out.top_color
    if unknown:
        out.notes.append(f"outfit: {', '.join(repr(w) for w in dict.fromkeys(unknown))} not understood, so left out "
                         f"(the figure wears {describe(out)}); the sculpted figure knows {known_words()}")
    return out


def describe(outfit: Outfit) -> str:
    """The outfit in a few words, for a note: "a black leather-jacket and trousers"."""
    finish = f"{outfit.material} " if outfit.material and outfit.top != "armour" else ""
    if recipe.top(outfit.top).covers_legs:
        return f"a {finish}{outfit.top}"
    legs = f"{outfit.bottom_material} {outfit.bottom}" if outfit.bottom_material else outfit.bottom
    return f"a {finish}{outfit.top} and {legs}"


def known_words() -> str:
    """The garment and material words, for a note."""
    worn: list[Top | Bottom] = [*recipe.TOPS.values(), *recipe.BOTTOMS.values()]
    garments = [g.words[0] for g in worn if g.words]
    garments += ["jeans", "sweater", "stripes"]
    return f"garments ({', '.join(garments)}), materials ({', '.join(FINISHES)}) and colour names"
