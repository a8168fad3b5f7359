"""The figure's materials, named once: how each shades in the renderer and what it is in a glTF file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Material:
    """One plastic (or metal) finish.

    Args:
        specular: strength of the key light's highlight.
        shininess: how tight that highlight is.
        rim: strength of the Fresnel rim.
        translucency: light wrapping round the terminator (skin).
        clearcoat: a second, sharper gloss layer.
        opacity: 1 for solid parts; clear acrylic lets what is behind show.
        metallic: glTF's metallic factor.
        roughness: glTF's roughness factor.
    """

    specular: float
    shininess: float
    rim: float
    translucency: float
    clearcoat: float
    opacity: float
    metallic: float
    roughness: float


MATERIALS: dict[str, Material] = {
    "vinyl": Material(0.55, 60.0, 0.35, 0.0, 0.25, 1.0, metallic=0.0, roughness=0.35),
    # Soft, light-wrapping shading keeps the face's own paint readable.
    "skin": Material(0.3, 40.0, 0.2, 0.7, 0.1, 1.0, metallic=0.0, roughness=0.5),
    "hair": Material(0.3, 22.0, 0.25, 0.0, 0.0, 1.0, metallic=0.0, roughness=0.6),  # satin, as painted hair is
    "metal": Material(0.9, 90.0, 0.5, 0.0, 0.4, 1.0, metallic=1.0, roughness=0.25),
    # Acrylic: mostly see-through, more reflective toward its edges (Fresnel), its highlights opaque.
    "clear": Material(1.0, 120.0, 0.7, 0.0, 0.6, 0.12, metallic=0.0, roughness=0.05),
    "base": Material(0.8, 80.0, 0.3, 0.0, 0.5, 1.0, metallic=0.0, roughness=0.2),
    # The outfit's material finishes (see `finish`): each reads apart from plain painted cloth under one key light.
    "leather": Material(0.85, 70.0, 0.3, 0.0, 0.5, 1.0, metallic=0.0, roughness=0.3),
    "denim": Material(0.12, 10.0, 0.25, 0.0, 0.0, 1.0, metallic=0.0, roughness=0.85),
    "knit": Material(0.05, 6.0, 0.5, 0.15, 0.0, 1.0, metallic=0.0, roughness=0.95),
    "sequins": Material(1.0, 140.0, 0.5, 0.0, 0.6, 1.0, metallic=0.6, roughness=0.15),
    # Painted cloth (wool suiting, cotton): matte, no gloss coat to mirror the studio; a faint broad sheen where the
    # key light falls and a soft one at grazing angles, so folds and edges still read on dark cloth.
    "cloth": Material(0.1, 10.0, 0.3, 0.0, 0.0, 1.0, metallic=0.0, roughness=0.8),
    "satin": Material(0.3, 24.0, 0.3, 0.0, 0.0, 1.0, metallic=0.0, roughness=0.5),  # a silk tie's soft sheen
}

FINISHES = ("leather", "denim", "metallic", "knit", "sequins")  # what an outfit's material may be ("" is plain cloth)
