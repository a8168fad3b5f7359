"""The outfit's materials put on the built figure: each cloth part's finish and the paint that goes with it."""

from __future__ import annotations

import numpy as np

from .mesh import vertex_normals

_TOP_PARTS = ("torso", "upperarm", "forearm", "jacket", "pocket", "hood", "lapel", "collar", "cuff", "band")
_BOTTOM_PARTS = ("thigh", "shin", "skirt")
# Worn under or with any top, whatever its finish: a shirt's cotton collar, a hood's cords, a silk tie, polished shoes.
_ALWAYS = {"shirt-collar": "cloth", "drawstring": "cloth", "tie": "satin", "shoe": "leather"}


def material_of(finish: str) -> str:
    """The renderer's material for an outfit's finish ("" is plain painted cloth)."""
    return {"": "cloth", "metallic": "metal"}.get(finish, finish)


def finish(parts: list, extras: list, outfit) -> list:
    """Give the body's cloth and the garments' modelled pieces the outfit's materials, in place: the finish
    (matte cloth, gloss, sheen) per part, and the paint that goes with it (sparkle on sequins, a worn fade on
    denim, reflected bands on metal). Buttons, buckles and the like keep what they were made of. Returns `extras`."""
    top, bottom = getattr(outfit, "material", ""), getattr(outfit, "bottom_material", "")
    plated = getattr(outfit, "top", "") == "armour"  # under the plates is padding, not metal
    for part in [*parts, *extras]:
        name = part.name.split(".")[0]
        if part.material != "vinyl":
            continue
        if name in _ALWAYS:
            part.material = _ALWAYS[name]
            continue
        upper = name in _TOP_PARTS or (name == "skirt" and np.allclose(part.colors[0], outfit.top_color))  # a dress's
        kind = ("" if plated else top) if upper else bottom if name in _BOTTOM_PARTS else None
        if kind is None:
            continue
        if not kind:  # plain cloth; a limb the garment leaves bare is skin, as the hands are
            part.material = "skin" if _bare(part.colors, outfit) else "cloth"
            continue
        cloth = outfit.top_color if upper else outfit.bottom_color
        part.material = material_of(kind)
        part.colors = paint_finish(part.vertices, part.faces, part.colors, np.asarray(cloth, np.float32), kind)
    return extras


def _bare(colors: np.ndarray, outfit) -> bool:
    """Most of a part painted the skin's colour."""
    skin = np.asarray(getattr(outfit, "skin", (-1.0, -1.0, -1.0)), np.float32)
    return bool(np.mean(np.abs(colors - skin).max(1) < 0.03) > 0.5)


def paint_finish(v: np.ndarray, faces: np.ndarray, colors: np.ndarray, cloth: np.ndarray, kind: str) -> np.ndarray:
    """The cloth's vertices (those painted the cloth's colour) repainted for a material."""
    on = np.abs(colors - cloth).max(1) < 0.03
    if not on.any():
        return colors
    out = colors.copy()
    if kind == "sequins":  # scattered discs catching the light, the same on every run
        rng = np.random.default_rng(len(v))
        out[on] = np.clip(cloth * rng.uniform(0.7, 1.5, (int(on.sum()), 1)), 0, 1)
    elif kind == "denim":  # indigo fades where it wears: lighter on the fronts of the thighs and the chest
        fade = 0.5 + 0.5 * np.sin(v[on, 1] * 3.1 + 0.6) * np.cos(v[on, 0] * 4.0)
        out[on] = np.clip(cloth + 0.12 * fade[:, None] * (1 - cloth), 0, 1)
    elif kind == "metallic":  # polished metal mirrors the studio: bright toward the key light, a dark band beside it
        light = np.array([-0.4, 0.6, 0.7]) / np.linalg.norm([-0.4, 0.6, 0.7])
        d = vertex_normals(v, faces)[on] @ light
        band = 0.72 + 0.5 * np.clip((d - 0.5) / 0.35, 0, 1) - 0.32 * np.clip(1 - np.abs(d - 0.15) * 6, 0, 1)
        out[on] = np.clip(cloth[None, :] * band[:, None], 0, 1)
    return out

