"""The garment catalogue: each top and bottom is one object with its own paint edges, paint and extra pieces.

A garment is painted onto the body, not modelled apart from it. Its paint edges are level sets of scalar
fields on the rest body (`fields`); the body is sliced along them so every edge is crisp. `paint_top` colours
the top's region and sets how far the cloth stands off the skin; `paint` adds what crosses regions (a shirt
collar, a belt, a crease); `extras` gives the closed pieces that are modelled (a skirt, jacket tails, a hood).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .cloth import buttons, skirt, tails
from .mesh import Part, blob, placed, vertex_normals
from .pose import unit

if TYPE_CHECKING:
    from collections.abc import Callable

RGB = tuple[float, float, float]
EDGE = 0.006  # half width of a paint edge


@dataclass
class Outfit:
    """What the figure wears: a top and a bottom by name (see `TOPS` and `BOTTOMS`); colours are sRGB in [0, 1]."""

    top: str = "t-shirt"
    bottom: str = "trousers"  # ignored under a top that covers the legs (a dress)
    top_color: RGB = (0.2, 0.3, 0.6)
    under_color: RGB = (0.95, 0.95, 0.95)  # the shirt under a jacket / the inside of a hood
    tie_color: RGB = (0.6, 0.1, 0.1)
    bottom_color: RGB = (0.15, 0.15, 0.2)
    shoe_color: RGB = (0.08, 0.08, 0.08)
    skin: RGB = (0.85, 0.65, 0.5)
    pattern: str = ""  # "" or "stripes" (horizontal stripes on the top)
    pattern_color: RGB = (1, 1, 1)


@dataclass
class Frame:
    """What a garment reads off the rest body to lay its paint edges (heights are figure units)."""

    v: np.ndarray  # (N, 3) rest vertices
    joint: Callable[[str], np.ndarray]
    arm: np.ndarray  # on either arm
    chest: np.ndarray  # the front of the trunk
    front: np.ndarray  # how far in front of the neck
    cuff: np.ndarray  # distance along each forearm from a little short of the wrist
    legs: np.ndarray  # distance from each leg's centre line
    outfit: Outfit
    neck: float
    neck_z: float
    shoulder_y: float
    hip_y: float
    knee_y: float
    ankle_y: float
    apex: float  # where the lapels meet at the top button
    collar: float = 0.0  # the neckline's height at the back, set from the top
    dip: float = 0.0  # how fast the neckline drops toward the front
    hem: float = 0.0  # the top's hem


class Paint:
    """The paint of one body: per-vertex colour and offset (how far cloth stands off the skin) being built."""

    def __init__(self, f: dict[str, np.ndarray], pos: np.ndarray, frame: Frame, outfit: Outfit):
        self.f, self.frame, self.outfit = f, frame, outfit
        self.n = len(f["neck"])
        self.y = pos[:, 1]
        self.arm = f["arm"] > 0.5
        self.chest = f["chest"] > 0.5
        self.cloth = np.asarray(outfit.top_color, np.float32)
        self.shirt = np.asarray(outfit.under_color, np.float32)
        self.top = (f["collar"] < 0) & (f["sleeve"] < 0) & (f["hem"] > 0)
        self.bottom = (f["hem"] <= 0) & (f["bare"] > 0)
        self.color = np.tile(np.asarray(outfit.skin, np.float32), (self.n, 1))
        self.offset = np.zeros(self.n, np.float32)
        self.top_rgb = np.tile(self.cloth, (self.n, 1))  # the top's own paint, before it is laid on its region
        self.top_off = np.zeros(self.n, np.float32)

    def on(self, name: str) -> np.ndarray:
        """Inside a field's edge (False everywhere when the field is not there)."""
        return self.f[name] < 0 if name in self.f else np.zeros(self.n, bool)

    def line(self, name: str) -> np.ndarray:
        """On a field's edge: a stitched line."""
        return np.abs(self.f[name]) <= EDGE * 1.01 if name in self.f else np.zeros(self.n, bool)


@dataclass
class Worn:
    """What a garment's extra pieces are fitted to: the posed body."""

    body: np.ndarray  # posed points of the torso and legs
    torso: np.ndarray  # posed points of the torso
    rest: np.ndarray  # rest vertices
    joints: dict[str, np.ndarray]
    outfit: Outfit
    neck: float
    apex: float


def seam(rgb) -> np.ndarray:
    """The colour of a stitched line or raised trim on this cloth: darker on light cloth, lighter on dark."""
    c = np.asarray(rgb, np.float32)
    lum = float(c @ [0.3, 0.59, 0.11])
    return c * 0.62 if lum > 0.3 else c + 0.16 * (1 - c)


def triangle(u, d, *corners):
    """A signed distance-like field, negative inside the triangle with these (u, d) corners."""
    pts = np.asarray(corners, np.float32)
    out = np.full_like(u, -np.inf)
    for k in range(3):
        p, q, r = pts[k], pts[(k + 1) % 3], pts[(k + 2) % 3]
        n = np.array([q[1] - p[1], p[0] - q[0]], np.float32)
        n /= np.linalg.norm(n)
        if n @ (r - p) > 0:
            n = -n
        out = np.maximum(out, (u - p[0]) * n[0] + (d - p[1]) * n[1])
    return out


class Top:
    """A garment over the trunk (and arms). Subclasses set the numbers and override the hooks they need."""

    name = ""
    words: tuple[str, ...] = ()  # words in --outfit that ask for it
    collar = 0.1  # the neckline's drop below the neck cut, at the back
    dip = 0.7  # how fast the neckline drops toward the front
    sleeve = 9.0  # fraction of the upper arm left covered (long sleeves: all of it)
    standoff = 0.03  # how far the cloth stands off the skin
    covers_legs = False  # a dress: the bottom is not worn
    gender: float | None = None  # the body it suggests (0 female .. 1 male), or None

    def hem(self, fr: Frame) -> float:
        return fr.hip_y + 0.3

    def bare(self, fr: Frame) -> float:
        """Where bare legs begin, for a top that covers the legs."""
        return -1.0

    def fields(self, fr: Frame, f: dict) -> None:
        """Add this top's paint edges to `f` (the order is the slicing order)."""

    def paint_top(self, p: Paint) -> None:
        """Paint the top's own region (p.top_rgb, p.top_off)."""

    def paint(self, p: Paint) -> None:
        """Paint over the laid-out colours (p.color, p.offset)."""

    def extras(self, w: Worn) -> list[Part]:
        return []


class Bottom:
    """A garment over the legs."""

    name = ""
    words: tuple[str, ...] = ()
    gender: float | None = None

    def bare(self, fr: Frame) -> float:
        return -1.0

    def fields(self, fr: Frame, f: dict) -> None:
        pass

    def paint(self, p: Paint) -> None:
        pass

    def extras(self, w: Worn) -> list[Part]:
        return []


# ---------------------------------------------------------------- shared trim


def _bands(p: Paint, names) -> None:
    """Ribbed bands (collar, hem, sleeve hems) standing proud, stitched where they start."""
    f = p.f
    for band in names:
        ribbed = (f[band] > 0) & (f["collar"] < 0) if band == "rib" else (f[band] < 0) & (f["hem"] > 0)
        ribbed = ribbed & (f["sleeve"] + 0.06 > 0) if band == "sleeve_hem" else ribbed
        p.top_off[ribbed] += 0.018
        p.top_rgb[p.line(band) & p.top] = seam(p.cloth)


def _shirt_fields(fr: Frame, f: dict) -> None:
    """A shirt's collar: a band round the neck above the neckline and two points down the front; and a tie."""
    x, y = fr.v[:, 0], fr.v[:, 1]
    collar, dip = fr.collar, fr.dip
    f["shirt_collar"] = y - (collar + 0.07 - dip * fr.front)
    depth = collar - dip * fr.front - y
    f["points"] = np.where(fr.chest, triangle(np.abs(x), depth, (0.05, -0.03), (0.3, -0.03), (0.17, 0.3)), 1.0)
    tip = fr.apex - 0.05
    width = (0.05 + 0.05 * np.clip((collar - y) / (collar - tip), 0, 1)) * np.clip((y - tip) / 0.12, 0.05, 1)
    f["tie"] = np.where(fr.chest & (y > tip) & (y < collar + 0.1), np.abs(x) - width, 1.0)
    f["knot"] = np.where(fr.chest, np.maximum(np.abs(x) - 0.075, depth - 0.15), 1.0)


def _shirt_front(p: Paint, front: np.ndarray) -> None:
    """The shirt's collar points, the tie and its knot, where the shirt front shows."""
    points = front & p.on("points")
    p.top_rgb[points] = p.shirt
    p.top_rgb[front & p.line("points")] = seam(p.shirt)
    p.top_off[points] = p.top_off[points] + 0.02
    tie = front & p.on("tie")
    p.top_rgb[tie] = np.asarray(p.outfit.tie_color, np.float32)
    p.top_off[tie] = p.top_off[tie] + 0.012
    knot = tie & p.on("knot")
    p.top_off[knot] += 0.02
    p.top_rgb[tie & p.line("knot")] = seam(p.outfit.tie_color)


def _shirt_collar(p: Paint) -> None:
    band = (p.f["collar"] >= 0) & p.on("shirt_collar") & ~p.arm
    p.color[band] = p.shirt
    p.offset[band] = 0.035
    p.color[band & p.line("shirt_collar")] = seam(p.shirt)


# ---------------------------------------------------------------- tops


class Jacket(Top):
    """A suit jacket over a shirt and tie: lapels, a lapped front, a breast pocket welt, tails and buttons."""

    name = "jacket"
    words = ("jacket", "blazer", "suit", "coat", "tuxedo")
    standoff = 0.06

    def hem(self, fr: Frame) -> float:
        return fr.hip_y - 0.35

    def fields(self, fr: Frame, f: dict) -> None:
        x, y = fr.v[:, 0], fr.v[:, 1]
        _shirt_fields(fr, f)
        apex, chest = fr.apex, fr.chest
        f["cuff"] = fr.cuff
        reach = fr.collar - 0.12 - apex
        f["vee"] = np.where(chest & (y > apex), np.abs(x) - 0.36 * (y - apex), 1.0)
        f["lapel"] = f["vee"] - (0.07 + 0.09 * np.clip((y - apex) / reach, 0, 1))
        f["collar_band"] = f["collar"] + 0.09
        f["closure"] = np.where(chest & (y <= apex + 0.02), x, 1.0)
        wy = apex + 0.6
        f["welt"] = np.where(chest, np.maximum(np.abs(x - 0.6) - 0.15, np.abs(y - wy + 0.12 * (x - 0.6)) - 0.028), 1.0)

    def paint_top(self, p: Paint) -> None:
        f, cloth = p.f, p.cloth
        lapel = ((f["lapel"] < 0) & (f["vee"] > 0)) | ((f["collar_band"] > 0) & (f["vee"] > 0))
        p.top_rgb[lapel] = cloth + 0.1 * (1 - cloth)  # satin-faced lapels catch more light
        p.top_off[lapel] += 0.025
        p.top_off[p.chest & (f["closure"] < 0) & (p.y > p.frame.hip_y)] += 0.014  # the left front laps over the right
        welt = f["welt"] < 0
        p.top_off[welt] += 0.012
        p.top_rgb[p.line("welt")] = seam(cloth)
        under = f["vee"] < 0
        p.top_rgb[under] = p.shirt
        p.top_off[under] = 0.02
        cuffed = p.arm & (f["cuff"] > 0)
        p.top_rgb[cuffed] = p.shirt
        p.top_off[cuffed] = 0.03
        _shirt_front(p, under)

    def paint(self, p: Paint) -> None:
        _shirt_collar(p)

    def extras(self, w: Worn) -> list[Part]:
        hip_y = w.joints["l-upper-leg"][1]
        shade = np.asarray(w.outfit.top_color, np.float32) * 0.5 + 0.15
        return tails(w.body, hip_y + 0.25, hip_y - 0.52, w.outfit) + buttons(w.torso, (w.apex - 0.04, w.apex - 0.42), shade)


class ShirtTie(Top):
    """A shirt and tie, tucked in: a belt shows over trousers."""

    name = "shirt-tie"
    words = ("shirt", "tie")
    standoff = 0.025

    def fields(self, fr: Frame, f: dict) -> None:
        _shirt_fields(fr, f)
        if fr.outfit.bottom == "trousers":
            f["belt"] = np.where(fr.arm, 1.0, fr.v[:, 1] - (fr.hem - 0.1))

    def paint_top(self, p: Paint) -> None:
        _shirt_front(p, p.top)

    def paint(self, p: Paint) -> None:
        _shirt_collar(p)
        if "belt" in p.f:
            belt = p.bottom & (p.f["belt"] > 0)
            p.color[belt] = (0.12, 0.08, 0.05)
            p.offset[belt] = 0.035


class Hoodie(Top):
    """A hoodie: ribbed neck, hem and cuffs, a kangaroo pocket, and a hood down on the back."""

    name = "hoodie"
    words = ("hoodie", "sweatshirt")
    standoff = 0.045

    def fields(self, fr: Frame, f: dict) -> None:
        x, y = fr.v[:, 0], fr.v[:, 1]
        f["rib"] = f["collar"] + 0.06
        f["hem_band"] = f["hem"] - 0.07
        f["cuff"] = np.where(fr.arm, fr.cuff - 0.04, -1.0)
        py = fr.hip_y + 0.55
        f["pocket"] = np.where(fr.chest, np.maximum(np.abs(x) - (0.4 - 0.25 * (y - py)), np.abs(y - py) - 0.22), 1.0)

    def paint_top(self, p: Paint) -> None:
        p.top_off[p.on("pocket")] += 0.03
        p.top_rgb[(p.f["pocket"] < 0) & (p.f["pocket"] > -0.025)] = seam(p.cloth)
        _bands(p, ("rib", "hem_band"))
        cuffed = p.arm & (p.f["cuff"] > 0)
        p.top_off[cuffed] += 0.018
        p.top_rgb[p.line("cuff") & p.arm] = seam(p.cloth)

    def extras(self, w: Worn) -> list[Part]:
        neck_ring = w.rest[np.abs(w.rest[:, 1] - (w.neck - 0.25)) < 0.06]
        v, fc = blob(12, 24, 0.8)
        hv, hf = placed(v * [0.42, 0.2, 0.16], fc, np.array([0, w.neck - 0.22, neck_ring[:, 2].min() - 0.02], np.float32),
                        (unit(1, 0, 0), unit(0, 1, 0.35), unit(0, -0.35, 1)))
        hc = np.tile(np.asarray(w.outfit.top_color, np.float32), (len(hv), 1))
        hc[vertex_normals(hv.astype(np.float32), hf)[:, 2] > 0.6] = w.outfit.under_color
        return [Part("hood", hv, hf, hc)]


class TShirt(Top):
    """A t-shirt: short sleeves, a round ribbed neck."""

    name = "t-shirt"
    words = ("t-shirt", "tshirt", "tee")
    collar, dip, sleeve = 0.2, 0.9, 0.5

    def fields(self, fr: Frame, f: dict) -> None:
        f["rib"] = f["collar"] + 0.06
        f["hem_band"] = f["hem"] - 0.07
        f["sleeve_hem"] = f["sleeve"] + 0.06

    def paint_top(self, p: Paint) -> None:
        _bands(p, ("rib", "hem_band", "sleeve_hem"))


class Dress(Top):
    """A dress to the knee: a scoop neck, cap sleeves, a stitched waist and a flared skirt."""

    name = "dress"
    words = ("dress", "gown")
    collar, dip, sleeve = 0.28, 1.4, 0.3
    covers_legs = True
    gender = 0.25

    def hem(self, fr: Frame) -> float:
        return fr.knee_y + 0.1

    def bare(self, fr: Frame) -> float:
        return fr.knee_y + 0.05

    def fields(self, fr: Frame, f: dict) -> None:
        f["waist"] = fr.v[:, 1] - (fr.hip_y + 0.45)

    def paint_top(self, p: Paint) -> None:
        p.top_rgb[p.line("waist")] = seam(p.cloth)
        p.top_off[p.f["waist"] < 0] += 0.012

    def extras(self, w: Worn) -> list[Part]:
        waist = w.joints["l-upper-leg"][1] + 0.35
        return [skirt(w.body, waist, w.joints["l-knee"][1] + 0.1, 0.35, w.outfit.top_color)]


# ---------------------------------------------------------------- bottoms


class Trousers(Bottom):
    """Trousers with a crease down the front of each leg and a hem that breaks over the shoe."""

    name = "trousers"
    words = ("trousers", "jeans", "pants", "slacks")

    def fields(self, fr: Frame, f: dict) -> None:
        f["crease"] = np.where(fr.arm, 1.0, fr.legs)

    def paint(self, p: Paint) -> None:
        legs = p.bottom & ~p.arm
        crease = legs & p.line("crease") & (p.f["leg_front"] > 0.5)
        p.color[crease] = seam(p.outfit.bottom_color)
        p.offset[crease] += 0.008
        # Trouser legs widen into a hem that breaks over the shoe.
        p.offset[legs] += 0.05 * np.clip((p.frame.ankle_y + 0.35 - p.y[legs]) / 0.3, 0, 1)


class Skirt(Bottom):
    """A flared skirt over the knee."""

    name = "skirt"
    words = ("skirt",)
    gender = 0.25

    def bare(self, fr: Frame) -> float:
        return fr.knee_y + 0.25

    def extras(self, w: Worn) -> list[Part]:
        waist = w.joints["l-upper-leg"][1] + 0.35
        return [skirt(w.body, waist, w.joints["l-knee"][1] + 0.3, 0.2, w.outfit.bottom_color)]


# ---------------------------------------------------------------- patterns on the top


class Pattern:
    """A pattern printed on the top's cloth (and sleeves)."""

    name = ""
    words: tuple[str, ...] = ()

    def fields(self, fr: Frame, f: dict) -> None:
        pass

    def paint(self, p: Paint) -> None:
        """Paint p.top_rgb, before the top's own trim."""


class Stripes(Pattern):
    """Horizontal stripes in the pattern colour."""

    name = "stripes"
    words = ("stripes", "striped")

    def fields(self, fr: Frame, f: dict) -> None:
        y = fr.v[:, 1]
        f["stripes"] = np.where(fr.arm | (y > fr.hem), np.sin(y * (2 * np.pi / 0.3)), -1.0)

    def paint(self, p: Paint) -> None:
        p.top_rgb[p.f["stripes"] > 0] = np.asarray(p.outfit.pattern_color, np.float32)


BUILT_IN: tuple[Top | Bottom | Pattern, ...] = (Jacket(), ShirtTie(), Hoodie(), TShirt(), Dress(), Trousers(), Skirt(),
                                                Stripes())
