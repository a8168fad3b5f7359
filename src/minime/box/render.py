"""The box renderer: draws the packaging around a figure from the spec, a template and an optional brand kit.

A template is data (`templates/<name>.toml`); its `kind` picks the drawing code:

    blister     classic.py-style card with a clear bubble (blister.py)
    retro       an 80s graphic card: chrome name, starburst, sunset grid (retro.py)
    minimal     a clean, brand-first card (minimal.py)
    window-box  a carton with a die-cut window, at an angle with its side panel (carton.py)
    collector   a premium dark box with a foil name and a numbered edition (carton.py)

Each kind has a front face (flat art, also used by the print kit), a side panel and a scene that
places the package in the picture. One key light from the top left lights every part. All lengths are
fractions of the face, so every size is laid out, not stretched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import skia
from PIL import Image

from ..errors import UnknownNameError
from . import back as back_face
from . import blister, carton, minimal, retro
from .brand import resolve
from .paint import Ctx, Palette, fit_rect
from .template import SceneTemplate, TemplateError, load_template

if TYPE_CHECKING:
    from ..figure import Figure
    from ..spec import BrandKit, FigureSpec

TEMPLATE_DIR = Path(__file__).parent / "templates"
# A figure made by the studio engine from the bundled public-domain NASA portrait, for template previews.
SAMPLE_FIGURE = Path(__file__).parent / "assets" / "sample-figure.png"
TEMPLATES: dict[str, dict] = {}
# Templates that show a package in a photographed scene rather than being one (`desk`: the figure's model
# on a desk beside its box). Their `box` key names the package template drawn inside the scene.
SCENES: dict[str, dict] = {}
SCENE_KINDS = ("desk",)


@dataclass(frozen=True)
class Kind:
    """The drawing code for one kind of package."""

    front: Callable[[Ctx, skia.Rect], None]            # the flat front art, filling the rect
    scene: Callable[[Ctx, int, int], None]             # the package in the picture
    side: Callable[[Ctx, skia.Rect], None] = carton.side_panel


KINDS: dict[str, Kind] = {
    "blister": Kind(blister.classic, lambda ctx, w, h: _card_scene(ctx, w, h, blister.classic)),
    "retro": Kind(retro.face, lambda ctx, w, h: _card_scene(ctx, w, h, retro.face)),
    "minimal": Kind(minimal.face, lambda ctx, w, h: _card_scene(ctx, w, h, minimal.face)),
    "window-box": Kind(carton.window_face, carton.window_scene, carton.window_side),
    "collector": Kind(carton.collector_face, carton.collector_scene, carton.collector_side),
}


def register_template(path: Path) -> None:
    """Add a template file (TOML) to the registry under its `name`, checked on load (`template.py`): a
    mistyped key or a wrong type raises a one-line TemplateError naming the file and the key. The registry
    keeps the keys the file gives, so the drawing code's own defaults apply to the rest."""
    tpl = load_template(path, scene_kinds=SCENE_KINDS)
    data = tpl.model_dump(exclude_unset=True)
    if isinstance(tpl, SceneTemplate):
        if tpl.box not in TEMPLATES:
            raise TemplateError(f"template {path.name}: its box {tpl.box[:40]!r} is not a package template; "
                                f"choose one of: {', '.join(TEMPLATES)}")
        SCENES[tpl.name] = data
        return
    TEMPLATES[tpl.name] = data


# classic first (the default), scenes after the packages they draw
for _path in sorted(TEMPLATE_DIR.glob("*.toml"), key=lambda p: (p.stem != "classic", p.stem == "desk", p.stem)):
    register_template(_path)


def template_names() -> list[str]:
    """Every name --template takes: the packages, then the scenes."""
    return [*TEMPLATES, *SCENES]


def get_template(name: str) -> dict:
    if name in SCENES:
        return SCENES[name]
    if name not in TEMPLATES:
        raise UnknownNameError(f"unknown template {name!r}; choose one of: {', '.join(template_names())}")
    return TEMPLATES[name]


def package_template(name: str) -> str:
    """The package template `name` draws: itself, or the box a scene template shows."""
    tpl = get_template(name)
    return tpl["box"] if tpl["kind"] in SCENE_KINDS else name


def needs_mesh(name: str) -> bool:
    """Whether the template renders the figure's 3D model (so only a mesh-making engine can fill it)."""
    return get_template(name)["kind"] in SCENE_KINDS


@dataclass
class Box:
    """A rendered box: the image and anything the user should know about it."""

    image: Image.Image
    template: str
    warnings: list[str] = field(default_factory=list)
    accessories: list[dict] = field(default_factory=list)  # how each free-text accessory was matched
    regions: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # where each slot was drawn


def render(figure: Figure, spec: FigureSpec, *, template: str = "classic", width: int, height: int,
           brand: BrandKit | None = None, side: str = "front", scene: bool = True) -> Box:
    """Draw the box around `figure` at width x height pixels.

    Args:
        figure: the engine's figure (RGBA, transparent background).
        spec: what the card says and its colour.
        template: a registered template name.
        width, height: the output size in pixels.
        brand: a brand kit (logo, exact colours, fonts, slogan, legal line) applied to the template.
        side: "front" or "back" (the figure's bio, the warning block and the barcode).
        scene: False draws the package alone on a transparent background (RGBA), for designers' layers.
    Returns:
        The rendered Box (image, warnings, accessory matches, slot regions).
    """
    tpl = get_template(template)
    if side not in ("front", "back"):
        raise UnknownNameError(f"unknown side {side!r}; choose front or back")
    if tpl["kind"] in SCENE_KINDS:
        return _scene(figure, spec, tpl, width, height, brand=brand, side=side, scene=scene)
    kit = resolve(brand)
    surface = skia.Surface(width, height)
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorTRANSPARENT)
    held = [a for a in getattr(figure, "held", []) if a in spec.accessories] if side == "front" else []
    # A piece the figure holds shows in its hand, so the front gives it no well (the back still lists it).
    shown = spec.model_copy(update={"accessories": [a for a in spec.accessories if a not in held]}) if held else spec
    ctx = Ctx(canvas, figure, shown, tpl, Palette.make(spec, tpl, kit), kit, [], {})
    ctx.scene = scene
    if side == "front":
        KINDS[tpl["kind"]].scene(ctx, width, height)
    else:
        _card_scene(ctx, width, height, back_face.face, punch=tpl["kind"] in ("blister", "retro", "minimal"))
    rgba = surface.makeImageSnapshot().toarray(colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kUnpremul_AlphaType)
    # Opaque: PIL reads the RGB out of the RGBA bytes in one pass (no RGBA image to convert).
    image = Image.frombytes("RGB", (width, height), rgba, "raw", "RGBX") if scene else Image.fromarray(rgba, "RGBA")
    if not scene and image.getbbox():
        image = image.crop(image.getchannel("A").getbbox())
    if held:
        from ..accessories import match_accessory

        for item in held:
            m = match_accessory(item)
            ctx.accessories.insert(spec.accessories.index(item), {
                "text": item, "key": m.key, "label": m.label, "known": m.known, "score": round(m.score, 3),
                "emoji": m.emoji, "engine_art": False, "held": True})
    people = getattr(spec, "people", None) or []
    if people and side == "front":  # the wells are the group's; say whose each piece is
        for entry in ctx.accessories:
            entry["people"] = [p.name for p in people if entry["text"] in p.accessories]
        ctx.warnings.append("accessories per person: " + "; ".join(
            f"{p.name}: " + (", ".join(f"{a} (held)" if a in held else a for a in p.accessories) or "none")
            for p in people))
    return Box(image, template, ctx.warnings, ctx.accessories, ctx.regions)


def _scene(figure: Figure, spec: FigureSpec, tpl: dict, width: int, height: int, *,
           brand: BrandKit | None, side: str, scene: bool) -> Box:
    """A scene template: its package drawn flat, then shown beside the figure's model. The back and the
    designers' layers are the package's own."""
    if side == "back" or not scene:
        package = render(figure, spec, template=tpl["box"], width=width, height=height, brand=brand, side=side,
                         scene=scene)
        package.template = tpl["name"]
        return package
    box_width = round(width * 0.6)  # the desk shows it about a third of the frame wide: this keeps the name crisp
    package = render(figure, spec, template=tpl["box"], width=box_width, height=round(box_width / face_aspect(tpl["box"])),
                     brand=brand, scene=False)
    from .scenes import get_scene

    parts = figure.need_mesh()
    # The package is drawn with a transparent surround (a hang card's euro slot, rounded corners): seen on a
    # desk it is printed card, so what shows through is the card's own paper.
    art = package.image
    paper = Image.new("RGB", art.size, tuple(int(c) for c in tpl.get("paper", (236, 232, 224))))
    paper.paste(art, mask=art.getchannel("A"))
    image = get_scene(tpl["kind"])(parts, paper, width, height)
    return Box(image, tpl["name"], package.warnings, package.accessories, {})


def _card_scene(ctx: Ctx, width: int, height: int, face: Callable[[Ctx, skia.Rect], None], punch: bool = True) -> None:
    tpl = ctx.tpl
    aspect = tpl.get("card", {}).get("aspect") or tpl.get("box", {}).get("aspect", 0.7)
    card = fit_rect(width, height, aspect, 0.045 * min(width, height), lift=0.25)
    corner = tpl.get("card", {}).get("corner", 0.02)
    blister.hang_card(ctx, width, height, card, face, corner=corner, punch=punch)


def face_aspect(template: str) -> float:
    """Width / height of a template's front face."""
    tpl = get_template(package_template(template))
    return tpl.get("card", {}).get("aspect") or tpl["box"]["aspect"]


def accessory_layers(figure: Figure, spec: FigureSpec, size: int = 512) -> dict[str, Image.Image]:
    """Each accessory as its own transparent image, by its library key (the engine's piece if it drew one)."""
    from ..accessories import match_accessory, render_accessory

    layers: dict[str, Image.Image] = {}
    for item in spec.accessories:
        m = match_accessory(item)
        art = figure.accessories.get(item)
        key = m.key if m.known else f"prop-{len(layers) + 1}"
        layers[key] = art if art is not None else render_accessory(m.key, size, tint=spec.piece_rgb)
    return layers
