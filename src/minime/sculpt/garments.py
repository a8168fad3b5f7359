"""The garment catalogue: each top and bottom is one object with its own paint edges, paint and extra pieces.

A garment is painted onto the body, not modelled apart from it. Its paint edges are level sets of scalar
fields on the rest body (`fields`); the body is sliced along them so every edge is crisp. `paint_top` colours
the top's region and sets how far the cloth stands off the skin; `paint` adds what crosses regions (a shirt
collar, a belt, a crease); `extras` gives the closed pieces that are modelled (a skirt, jacket tails, a hood).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .cloth import Surface, buttons, collar, lapels, open_lapels, seam, skirt, tails, tie
from .mesh import Part, blob, placed
from .pose import unit

if TYPE_CHECKING:
    from collections.abc import Callable

RGB = tuple[float, float, float]
EDGE = 0.006  # half width of a paint edge
HOOD_RISE = 0.1  # how far under the jaw hood() expects the neck cut: the neck is now cut that much lower (Hoodie)


@dataclass
class Outfit:
    """What the figure wears: a top and a bottom by name (see `TOPS` and `BOTTOMS`); colours are sRGB in [0, 1]."""

    top: str = "t-shirt"
    bottom: str = "trousers"  # ignored under a top that covers the legs (a dress)
    top_color: RGB = (0.2, 0.3, 0.6)
    under_color: RGB = (0.95, 0.95, 0.95)  # the shirt under a jacket / the inside of a hood
    tie_color: RGB = (0.6, 0.1, 0.1)
    tie_stripe: RGB | None = None  # a striped tie's second colour, in diagonal bands over tie_color
    bottom_color: RGB = (0.15, 0.15, 0.2)
    shoe_color: RGB = (0.08, 0.08, 0.08)
    skin: RGB = (0.85, 0.65, 0.5)
    pattern: str = ""  # "" or "stripes" (horizontal stripes on the top)
    pattern_color: RGB = (1, 1, 1)
    material: str = ""  # the top's finish: "" (plain painted cloth) or one of materials.FINISHES
    bottom_material: str = ""
    notes: list[str] = field(default_factory=list)  # where the outfit departs from the words asked for


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
        self.pos, self.y = pos, pos[:, 1]
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
        """On a field's edge: a stitched line. With its `_stitch` twin (see `stitched`) the line is the strip between
        the two, cut on both sides, so it is crisp; otherwise its paint fades over the triangles either side."""
        if name not in self.f:
            return np.zeros(self.n, bool)
        twin = self.f.get(name + "_stitch")
        if twin is None:
            return np.abs(self.f[name]) <= EDGE * 1.01
        return (self.f[name] >= EDGE * 0.98) & (twin <= -EDGE * 0.98)


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
    pieces: dict[str, np.ndarray] = field(default_factory=dict)  # posed points per body piece: forearm.L, hand.L, shoe.L...


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
    # The neckline sits high round the short neck of a collector figure, its collar standing up round the neck's
    # base: under the chin, at most a sliver of neck shows between the chin and the collar.
    collar = 0.13  # the neckline's drop below the neck cut, at the back
    dip = 0.7  # how fast the neckline drops in front of the throat
    sleeve = 9.0  # fraction of the upper arm left covered (long sleeves: all of it)
    standoff = 0.03  # how far the cloth stands off the skin
    covers_legs = False  # a dress: the bottom is not worn
    gender: float | None = None  # the body it suggests (0 female .. 1 male), or None

    def hem(self, fr: Frame) -> float:
        return fr.hip_y + 0.3

    def fit(self, v: np.ndarray, joints: dict[str, np.ndarray]) -> np.ndarray:
        """The rest body as this garment shapes it, before it is cut and painted (a tailored sleeve's tube)."""
        return v

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

    def fit(self, v: np.ndarray, joints: dict[str, np.ndarray]) -> np.ndarray:
        """The rest body as this garment shapes it, before it is cut and painted (a trouser leg's tube)."""
        return v

    def fields(self, fr: Frame, f: dict) -> None:
        pass

    def paint(self, p: Paint) -> None:
        pass

    def extras(self, w: Worn) -> list[Part]:
        return []


# ---------------------------------------------------------------- shared trim


def _bands(p: Paint, names) -> None:
    """Ribbed bands (hem, sleeve hems) standing proud, stitched where they start (the neck's is modelled)."""
    f = p.f
    for band in names:
        ribbed = (f[band] < 0) & (f["hem"] > 0)
        ribbed = ribbed & (f["sleeve"] + 0.06 > 0) if band == "sleeve_hem" else ribbed
        p.top_off[ribbed] += 0.018
        p.top_rgb[p.line(band) & p.top] = seam(p.cloth)


def stitched(f: dict, *names: str, width: float = 0.026) -> None:
    """Give each field a twin `width` further out, so that `Paint.line` draws its edge as a crisp strip."""
    for name in names:
        f[name + "_stitch"] = f[name] - width


def _front(fr: Frame) -> np.ndarray:
    """Negative on the front of the trunk, positive behind: a smooth field, so that what it bounds has a clean edge
    (a per-vertex mask would bound it by a saw-tooth along the mesh's edges)."""
    return (fr.neck_z - 0.1) - fr.v[:, 2]


def _shirt_fields(fr: Frame, f: dict) -> None:
    """A shirt's collar: a band round the neck above the neckline and two points down the front; and a tie."""
    x, y = fr.v[:, 0], fr.v[:, 1]
    collar, dip = fr.collar, fr.dip
    f["shirt_collar"] = _band_top(fr)
    depth = collar - dip * fr.front - y
    front = _front(fr)  # smooth bounds everywhere: a per-vertex mask would leave a saw-tooth edge
    f["points"] = np.maximum(triangle(np.abs(x), depth, (0.05, -0.03), (0.25, -0.03), (0.14, 0.22)), front)
    tip = fr.apex - 0.05
    width = (0.05 + 0.05 * np.clip((collar - y) / (collar - tip), 0, 1)) * np.clip((y - tip) / 0.12, 0.05, 1)
    f["tie"] = np.maximum.reduce([np.abs(x) - width, tip - y, y - (collar + 0.1), front])
    f["knot"] = np.maximum.reduce([np.abs(x) - 0.075, depth - 0.15, front])
    stitched(f, "points", "shirt_collar")


def _band_top(fr: Frame) -> np.ndarray:
    """The shirt collar's top edge: a band standing up round the neck above the neckline, as tall at the back as
    a collar is, and taller in front, where it drops half as fast as the neckline toward the knot."""
    return fr.v[:, 1] - (fr.collar + 0.075 - 0.5 * fr.dip * fr.front)


def _shirt_front(p: Paint, front: np.ndarray) -> None:
    """The shirt's collar points, the tie and its knot, where the shirt front shows."""
    points = front & p.on("points")
    p.top_rgb[points] = p.shirt
    p.top_rgb[front & p.line("points")] = seam(p.shirt)  # outlined, not raised: a step here crumples
    tie = front & p.on("tie")
    p.top_rgb[tie] = np.asarray(p.outfit.tie_color, np.float32)  # under the modelled tie (see cloth.tie)


EASED = 0.35  # the share of its standoff a jacket keeps at its neckline (see _ease_neck)


def _ease_neck(p: Paint, reach: float = 0.12) -> None:
    """Thin the cloth toward the neckline: at the base of the neck the body curves too fast for a tall step to stay
    clean (it crumples); a low edge there ramps up to the full standoff a little below."""
    below = np.clip(-p.f["collar"] / reach, 0, 1)
    p.top_off *= np.where(p.arm, 1.0, EASED + (1 - EASED) * below)


def _has_tie(outfit: Outfit) -> bool:
    """Whether a tie is worn: the photo's open collar paints the "tie" as the shirt."""
    return bool(np.abs(np.subtract(outfit.tie_color, outfit.under_color)).max() > 0.02)


def _satin(cloth) -> np.ndarray:
    """A suit's satin-faced lapels catch more light than its cloth."""
    c = np.asarray(cloth, np.float32)
    return c + 0.1 * (1 - c)


def _shirt_collar(p: Paint) -> None:
    """The neck under the modelled collar (see `_neckband`) painted as the shirt, at the skin: it only shows
    through where the band is open."""
    band = (p.f["collar"] >= 0) & p.on("shirt_collar") & ~p.arm
    p.color[band] = p.shirt
    p.offset[band] = 0.0


def _gorge(shoulder_y: float) -> float:
    """Where a suit's lapels end at the top, at the gorge: a little above the shoulder joints."""
    return shoulder_y + 0.18


def _knot(w: Worn) -> float:
    """The height a tie is laid out from (see cloth.tie): its knot sits between the collar's ends, under the chin."""
    return w.neck - 0.04


def _neckband(w: Worn, top: Top, color, *, under: float, tie: bool = True) -> Part:
    """The collar standing up round the neck's base, from the top's neckline to just under the neck cut: a shirt's
    collar band (open at the front over an open collar) or a knit's ribbed neckband. `under` is how far the
    top's cloth stands off the neck at its neckline: the band stands a little prouder, so it is a ledge."""
    from .shape import rig

    shirt = not np.allclose(color, w.outfit.top_color)  # a shirt's collar under a jacket keeps the shirt's finish
    return collar(w.rest, rig().faces, w.neck, top.collar, 0.01, np.asarray(color, np.float32), out=under + 0.025,
                  under=under, dip=0.03, gap=0.0 if tie else 0.35, name="shirt-collar" if shirt else "collar")


# ---------------------------------------------------------------- tops


class Jacket(Top):
    """A suit jacket over a shirt and tie: lapels, a lapped front, a breast pocket welt, tails and buttons."""

    name = "jacket"
    words = ("jacket", "blazer", "suit", "coat", "tuxedo")
    standoff = 0.06

    def hem(self, fr: Frame) -> float:
        return fr.hip_y - 0.35

    def fit(self, v: np.ndarray, joints: dict[str, np.ndarray]) -> np.ndarray:
        from .shape import straight_sleeves

        return straight_sleeves(v, joints)

    def fields(self, fr: Frame, f: dict) -> None:
        x, y = fr.v[:, 0], fr.v[:, 1]
        _shirt_fields(fr, f)
        apex = fr.apex
        f["cuff"] = fr.cuff - 0.075  # a finger's width of shirt cuff shows past the sleeve
        reach = _gorge(fr.shoulder_y) + 0.08 - apex  # as cloth.lapels lays the modelled lapels
        front = _front(fr)
        f["vee"] = np.maximum(np.abs(x) - 0.36 * (y - apex), front)
        f["lapel"] = f["vee"] - (0.07 + 0.09 * np.clip((y - apex) / reach, 0, 1))
        f["collar_band"] = f["collar"] + 0.09
        f["closure"] = np.maximum.reduce([x, y - (apex + 0.02), front])
        wy = apex + 0.6
        f["welt"] = np.maximum.reduce([np.abs(x - 0.6) - 0.15, np.abs(y - wy + 0.12 * (x - 0.6)) - 0.028, front])
        stitched(f, "welt")

    def paint_top(self, p: Paint) -> None:
        f, cloth = p.f, p.cloth
        # The lapels are modelled (see extras); the collar band round the neck is cloth standing proud.
        lapel = (f["lapel"] < 0) & (f["vee"] > 0)
        band = (f["collar_band"] > 0) & (f["vee"] > 0)
        p.top_rgb[lapel | band] = _satin(cloth)
        p.top_off[p.chest & (f["closure"] < 0) & (p.y > p.frame.hip_y)] += 0.014  # the left front laps over the right
        welt = f["welt"] < 0
        p.top_off[welt] += 0.012
        p.top_rgb[p.line("welt")] = seam(cloth)
        # The shirt shows in the open front at the jacket's own depth: the modelled lapels give the edge, and a
        # painted step there would crumple over the base of the neck.
        under = f["vee"] < 0
        p.top_rgb[under] = p.shirt
        cuffed = p.arm & (f["cuff"] > 0)
        p.top_rgb[cuffed] = p.shirt
        p.top_off[cuffed] = 0.03
        p.top_off[p.arm & ~cuffed] = 0.04  # a sleeve hangs closer to the arm than the jacket's body
        _shirt_front(p, under)
        _ease_neck(p)

    def paint(self, p: Paint) -> None:
        _shirt_collar(p)

    def extras(self, w: Worn) -> list[Part]:
        hip_y = w.joints["l-upper-leg"][1]
        shade = np.asarray(w.outfit.top_color, np.float32) * 0.5 + 0.15
        surface = Surface(w.torso)
        gorge = _gorge(w.joints["l-shoulder"][1])
        parts = lapels(surface, w.apex, gorge, _satin(np.asarray(w.outfit.top_color, np.float32)))
        parts.append(_neckband(w, self, w.outfit.under_color, under=EASED * self.standoff, tie=_has_tie(w.outfit)))
        if _has_tie(w.outfit):
            parts += tie(surface, w.apex + 0.04, _knot(w), w.outfit.tie_color, w.outfit.tie_stripe)
        return parts + tails(w.body, hip_y + 0.25, hip_y - 0.36, w.outfit) + buttons(w.torso, (w.apex - 0.04, w.apex - 0.42),
                                                                                   shade)


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

    def extras(self, w: Worn) -> list[Part]:
        band = [_neckband(w, self, w.outfit.under_color, under=self.standoff, tie=_has_tie(w.outfit))]
        if not _has_tie(w.outfit):
            return band
        return band + tie(Surface(w.torso), w.apex - 0.05, _knot(w), w.outfit.tie_color, w.outfit.tie_stripe)


class Hoodie(Top):
    """A hoodie: ribbed neck, hem and cuffs, a kangaroo pocket, and a hood down on the back."""

    name = "hoodie"
    words = ("hoodie", "sweatshirt")
    dip = 0.2
    standoff = 0.045

    def fields(self, fr: Frame, f: dict) -> None:
        x, y = fr.v[:, 0], fr.v[:, 1]
        f["hem_band"] = f["hem"] - 0.07
        f["cuff"] = np.where(fr.arm, fr.cuff - 0.04, -1.0)
        py = fr.hip_y + 0.55
        f["pocket"] = np.maximum.reduce([np.abs(x) - (0.4 - 0.25 * (y - py)), np.abs(y - py) - 0.22, _front(fr)])
        stitched(f, "hem_band", "cuff", "pocket")

    def paint_top(self, p: Paint) -> None:
        p.top_off[p.on("pocket")] += 0.012
        p.top_rgb[p.line("pocket")] = seam(p.cloth)
        _bands(p, ("hem_band",))
        cuffed = p.arm & (p.f["cuff"] > 0)
        p.top_off[cuffed] += 0.018
        p.top_rgb[p.line("cuff") & p.arm] = seam(p.cloth)

    def extras(self, w: Worn) -> list[Part]:
        from .hood import hood

        # The hood's rim rolls round the neck's base: hood() lays it out from the height of a neck cut under the
        # jaw, HOOD_RISE above the cut the body now has (the neck is cut low, where it is a round column).
        return [_neckband(w, self, w.outfit.top_color, under=self.standoff),
                *hood(w.torso, w.neck + HOOD_RISE, w.outfit.top_color, w.outfit.under_color, w.outfit.under_color)]


class TShirt(Top):
    """A t-shirt: short sleeves, a round ribbed neck."""

    name = "t-shirt"
    words = ("t-shirt", "tshirt", "tee")
    dip, sleeve = 0.15, 0.5

    def fields(self, fr: Frame, f: dict) -> None:
        f["hem_band"] = f["hem"] - 0.07
        f["sleeve_hem"] = f["sleeve"] + 0.06
        stitched(f, "hem_band", "sleeve_hem")

    def paint_top(self, p: Paint) -> None:
        _bands(p, ("hem_band", "sleeve_hem"))

    def extras(self, w: Worn) -> list[Part]:
        return [_neckband(w, self, w.outfit.top_color, under=self.standoff)]


class Dress(Top):
    """A dress to the knee: a scoop neck, cap sleeves, a stitched waist and a flared skirt."""

    name = "dress"
    words = ("dress", "gown")
    collar, dip, sleeve = 0.18, 1.4, 0.3  # a boat neck, well down the neck (cut low, see shape.NECK_CUT)
    covers_legs = True
    gender = 0.25

    def hem(self, fr: Frame) -> float:
        return fr.knee_y + 0.1

    def bare(self, fr: Frame) -> float:
        return fr.knee_y + 0.05

    def fields(self, fr: Frame, f: dict) -> None:
        f["waist"] = fr.v[:, 1] - (fr.hip_y + 0.45)
        stitched(f, "waist")

    def paint_top(self, p: Paint) -> None:
        p.top_rgb[p.line("waist")] = seam(p.cloth)
        p.top_off[p.f["waist"] < 0] += 0.012

    def extras(self, w: Worn) -> list[Part]:
        waist = w.joints["l-upper-leg"][1] + 0.35
        return [skirt(w.body, waist, w.joints["l-knee"][1] + 0.1, 0.35, w.outfit.top_color)]


class Sweater(Top):
    """A knitted sweater: long sleeves, a ribbed crew neck, ribbed cuffs and a ribbed hem band."""

    name = "sweater"
    words = ()  # asked for as "sweater", "jumper" or "cardigan" (see outfit_words): a knit
    dip = 0.15
    standoff = 0.045

    def fields(self, fr: Frame, f: dict) -> None:
        f["hem_band"] = f["hem"] - 0.1
        f["cuff"] = np.where(fr.arm, fr.cuff - 0.06, -1.0)
        # Knitted cables down the body: raised bands with crisp sides (each side is a cut in the mesh).
        # A triangle wave, linear between its peaks, so each cut along a mesh edge falls exactly on a straight side.
        phase = np.abs((fr.v[:, 0] / 0.22) % 1.0 - 0.5) * 0.22
        f["cable"] = phase - 0.045  # down the sleeves too
        stitched(f, "hem_band", "cuff")

    def paint_top(self, p: Paint) -> None:
        cable = p.f["cable"] > 0
        low = cable & (p.y < p.frame.shoulder_y - 0.35)  # raised below the chest; over the shoulders paint only
        p.top_off[low] += 0.006
        p.top_rgb[cable] = p.cloth * 1.08 + 0.02
        _bands(p, ("hem_band",))
        cuffed = p.arm & (p.f["cuff"] > 0)
        p.top_off[cuffed] += 0.02
        p.top_rgb[p.line("cuff") & p.arm] = seam(p.cloth)

    def extras(self, w: Worn) -> list[Part]:
        return [_neckband(w, self, w.outfit.top_color, under=self.standoff)]


class OpenJacket(Top):
    """A casual jacket worn open over the photo's shirt (no tie), cut straight to the hip: a waistband, cuffs,
    and the front edges standing proud of the shirt. Subclasses add their own details and stitching."""

    standoff = 0.055
    stitch: RGB | None = None  # contrast stitching, or None for a seam in the cloth's own colour
    width = (0.1, 0.2)  # the opening's half width at the hem and at the collar

    def hem(self, fr: Frame) -> float:
        return fr.hip_y + 0.12

    def fields(self, fr: Frame, f: dict) -> None:
        x, y = fr.v[:, 0], fr.v[:, 1]
        rise = np.clip((y - fr.hem) / (fr.collar - fr.hem), 0, 1) ** 2
        f["opening"] = np.maximum(np.abs(x) - (self.width[0] + (self.width[1] - self.width[0]) * rise), _front(fr))
        f["waistband"] = f["hem"] - 0.11
        f["cuff"] = np.where(fr.arm, fr.cuff - 0.07, -1.0)
        f["shirt_collar"] = _band_top(fr)
        stitched(f, "waistband", "cuff", "shirt_collar")

    def paint_top(self, p: Paint) -> None:
        f = p.f
        line = np.asarray(self.stitch, np.float32) if self.stitch is not None else seam(p.cloth)
        band = (f["waistband"] < 0) & (f["hem"] > 0)
        p.top_off[band] += 0.015
        p.top_rgb[p.line("waistband") & p.top] = line
        cuffed = p.arm & (f["cuff"] > 0)
        p.top_off[cuffed] += 0.015
        p.top_rgb[p.line("cuff") & p.arm] = line
        self.details(p, line)
        shirt = f["opening"] < 0
        p.top_rgb[shirt] = p.shirt
        p.top_off[shirt] = 0.02
        _ease_neck(p)

    def details(self, p: Paint, line: np.ndarray) -> None:
        """Pockets, seams and stitching on the jacket's own cloth."""

    def paint(self, p: Paint) -> None:
        _shirt_collar(p)

    def extras(self, w: Worn) -> list[Part]:
        band = [_neckband(w, self, w.outfit.under_color, under=EASED * self.standoff, tie=_has_tie(w.outfit))]
        if not _has_tie(w.outfit):
            return band
        return band + tie(Surface(w.torso), w.joints["l-upper-leg"][1] + 0.45, _knot(w), w.outfit.tie_color, w.outfit.tie_stripe)


class DenimJacket(OpenJacket):
    """A trucker-style denim jacket: a yoke seam, two flapped chest pockets, a placket, gold contrast stitching and
    copper buttons."""

    name = "denim-jacket"
    words = ()  # asked for as "denim jacket" or "jean jacket" (see outfit_words)
    stitch = (0.82, 0.58, 0.27)

    def fields(self, fr: Frame, f: dict) -> None:
        super().fields(fr, f)
        x, y = fr.v[:, 0], fr.v[:, 1]
        front = _front(fr)
        f["yoke"] = y - (fr.shoulder_y - 0.32)
        f["placket"] = np.maximum(np.abs(x) - (self.width[0] + 0.09), front)
        py = fr.shoulder_y - 0.62
        f["pocket"] = np.maximum(np.maximum(np.abs(np.abs(x) - 0.44) - 0.15, np.abs(y - py) - 0.17), front)
        f["flap"] = np.maximum(np.maximum(np.abs(np.abs(x) - 0.44) - 0.16, np.abs(y - py - 0.12) - 0.07), front)
        stitched(f, "yoke", "placket", "pocket", "flap", width=0.02)

    def details(self, p: Paint, line: np.ndarray) -> None:
        f = p.f
        p.top_off[(f["yoke"] > 0) & p.chest] += 0.006
        p.top_off[f["pocket"] < 0] += 0.012
        p.top_off[f["flap"] < 0] += 0.014
        for name in ("yoke", "placket", "pocket", "flap"):
            p.top_rgb[p.line(name) & p.top & ~p.arm & (f["opening"] > 0)] = line

    def extras(self, w: Worn) -> list[Part]:
        surface = Surface(w.torso)
        parts = super().extras(w)
        copper = np.asarray((0.72, 0.45, 0.22), np.float32)
        hip = w.joints["l-upper-leg"][1]
        x = self.width[0] + 0.05
        ys = np.linspace(hip + 0.35, w.apex + 0.75, 4)
        at = [surface.on(x, yy, 0.0) for yy in ys]
        shoulder = w.joints["l-shoulder"][1]
        at += [surface.on(sx * 0.44, shoulder - 0.56, 0.01) for sx in (1, -1)]  # the pocket flaps' buttons
        v, fc = blob(6, 12, 0.8)
        for pt in at:
            bv, bf = placed(v * [0.04, 0.04, 0.02], fc, pt, (unit(1, 0, 0), unit(0, 1, 0), unit(0, 0, 1)))
            parts.append(Part("button", bv, bf, copper, "metal"))
        return parts


class LeatherJacket(OpenJacket):
    """A leather jacket: wide lapels lying open, a zip up one front edge, a slanted zipped pocket, a belted hem."""

    name = "leather-jacket"
    words = ()  # asked for as "leather jacket" (see outfit_words)
    width = (0.12, 0.26)

    def fields(self, fr: Frame, f: dict) -> None:
        super().fields(fr, f)
        x, y = fr.v[:, 0], fr.v[:, 1]
        front = _front(fr)
        f["zip"] = np.maximum(np.abs(x - (self.width[0] + 0.03 + 0.1 * np.clip((y - fr.hem) / 1.4, 0, 1) ** 2)) - 0.012,
                              front)
        py = fr.hip_y + 0.5
        f["pocket"] = np.maximum(np.maximum(np.abs(x + 0.45 + 0.25 * (y - py)) - 0.012, np.abs(y - py) - 0.18), front)

    def details(self, p: Paint, line: np.ndarray) -> None:
        f = p.f
        metal = np.asarray((0.72, 0.73, 0.76), np.float32)
        p.top_rgb[(f["zip"] < 0) | (f["pocket"] < 0)] = metal

    def _lapels(self, w: Worn) -> list[Part]:
        """The wide lapels lying open on the chest, modelled as a suit's are: from a point low on the front edge
        up to the shoulders, widening as they go, along the opening's own edge (see OpenJacket.fields)."""
        hip, shoulder = w.joints["l-upper-leg"][1], w.joints["l-shoulder"][1]
        hem, collar, bottom = hip + 0.12, w.neck - self.collar, shoulder - 0.75
        w0, w1 = self.width

        def inner(y):
            return w0 + (w1 - w0) * np.clip((y - hem) / (collar - hem), 0, 1) ** 2

        def outer(y):
            wide = w1 + 0.12 * np.clip((y - bottom) / 0.7, 0, 1)
            return inner(y) + (wide - inner(y)) * np.sqrt(np.clip((y - bottom) / 0.15, 0, 1))  # to a point below

        facing = np.asarray(w.outfit.top_color, np.float32)
        return open_lapels(Surface(w.torso), bottom, _gorge(shoulder), inner, outer, facing + 0.08 * (1 - facing))

    def extras(self, w: Worn) -> list[Part]:
        surface = Surface(w.torso)
        hip = w.joints["l-upper-leg"][1]
        v, fc = blob(6, 12, 0.5)
        buckle = surface.on(0.0, hip + 0.18, 0.0)
        bv, bf = placed(v * [0.11, 0.08, 0.03], fc, buckle + [self.width[0] + 0.12, 0, 0],
                        (unit(1, 0, 0), unit(0, 1, 0), unit(0, 0, 1)))
        pull = surface.on(self.width[0] + 0.03, w.apex + 0.35, 0.02)
        pv, pf = placed(v * [0.025, 0.06, 0.015], fc, pull, (unit(1, 0, 0), unit(0, 1, 0), unit(0, 0, 1)))
        steel = np.array([0.72, 0.73, 0.76], np.float32)
        return super().extras(w) + self._lapels(w) + [Part("buckle", bv, bf, steel, "metal"),
                                                      Part("zip", pv, pf, steel, "metal")]


class Armour(Top):
    """Sculpted plate armour over a dark padded undersuit: a breastplate with a centre ridge, a skirt of lames at
    the hips, layered plates on the shoulders and bracers on the forearms (see armour.py)."""

    name = "armour"
    words = ("armour", "armor", "breastplate", "plate")
    collar, dip = 0.04, 0.7
    standoff = 0.03

    def fields(self, fr: Frame, f: dict) -> None:
        f["rib"] = f["collar"] + 0.06
        stitched(f, "rib")

    def paint_top(self, p: Paint) -> None:
        p.top_rgb[:] = (0.17, 0.13, 0.11)  # dark leather padding, so the plates read
        p.top_rgb[p.line("rib")] = seam(p.top_rgb[0])

    def extras(self, w: Worn) -> list[Part]:
        from .armour import plates

        return plates(w)


# ---------------------------------------------------------------- bottoms


CREASE = 0.15  # how far across the leg a trouser crease's ridge spreads either side of its crest


class Trousers(Bottom):
    """Suit trousers: each leg a straight tube hanging from the thigh (see shape.straight_legs), pressed to a
    crease down the front and back, a soft fold behind the knee and a break where the hem meets the shoe."""

    name = "trousers"
    words = ("trousers", "jeans", "pants", "slacks")

    def fit(self, v: np.ndarray, joints: dict[str, np.ndarray]) -> np.ndarray:
        from .shape import straight_legs

        return straight_legs(v, joints)

    def paint(self, p: Paint) -> None:
        from .shape import leg_tubes

        legs = p.bottom & ~p.arm
        fr, pos = p.frame, p.pos[legs]
        x, y, z = pos.T
        p.offset[legs] += 0.02
        # The pressed crease: a ridge down the front of each leg (and a fainter one down the back), fading in
        # under the seat. It is no paint edge: a line cut along it would break the tube's smooth shading into
        # facets, so it is a broad, smooth rise the leg's own vertices carry.
        tubes = leg_tubes(fr.v, {n: fr.joint(n) for n in ("l-upper-leg", "l-ankle", "r-ankle")})
        across = np.where(x > 0, tubes["L"].crease(pos), tubes["R"].crease(pos))
        front = np.where(x > 0, fr.joint("l-knee")[2], fr.joint("r-knee")[2])
        side = np.clip((z - front) / 0.1, -1, 1)
        ridge = np.cos(np.clip(across / CREASE, 0, 1) * np.pi / 2) ** 2
        below = np.clip((tubes["L"].top - 0.1 - y) / 0.3, 0, 1)
        pressed = 0.0 if p.outfit.bottom_material == "denim" else 0.025  # jeans take no crease
        p.offset[legs] += pressed * below * ridge * (0.6 + 0.4 * side)
        # Soft folds where the cloth bunches: behind the knee, and the break over the shoe in front.
        behind, ahead = np.clip(-side, 0, 1), np.clip(side, 0, 1)
        for at, reach, depth, where in ((fr.knee_y - 0.05, 0.14, 0.018, behind), (fr.ankle_y + 0.2, 0.12, 0.02, ahead)):
            d = np.clip((y - at) / reach, -1, 1)
            p.offset[legs] += depth * where * np.cos(d * np.pi / 2) ** 2


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


BUILT_IN: tuple[Top | Bottom | Pattern, ...] = (Jacket(), ShirtTie(), Hoodie(), TShirt(), Dress(), Sweater(), DenimJacket(),
                                                LeatherJacket(), Armour(), Trousers(), Skirt(), Stripes())
