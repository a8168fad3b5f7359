"""`minime make` and `minime box`: a figure from a photo, or a saved figure boxed again."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from .app import (
    AccessoryOpt,
    BackOpt,
    BrandOpt,
    ColorOpt,
    JobOpt,
    JsonOpt,
    LayersOpt,
    NameOpt,
    OutfitOpt,
    OutOpt,
    PowerOpt,
    QuoteOpt,
    SizeOpt,
    SpecOpt,
    StatOpt,
    TaglineOpt,
    TemplateOpt,
    app,
    guard,
    named,
)
from .flags import InOrder, brand_kit, check_style, cloud_note, guide_maker, spec_from_flags
from .saving import (
    check_extras,
    default_output,
    encode_extras,
    encode_output,
    inputs_of,
    output_options,
    report_result,
    variant_path,
    write_outputs,
)

MakeOutOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", parser=named("a file name"), metavar="FILE",
    help="Output file, its kind by its extension: .png, .jpg or .webp (the box); .pdf (the print kit, with --size "
         "print-kit); .stl, .3mf or .glb (a 3D model to print or view); .mp4 or .gif (a 3 s clip), or .webp with "
         "--clip (an animated WebP).")]


@app.command(cls=InOrder)
def make(
    photo: Annotated[Path, typer.Argument(parser=named("the photo's file name"), metavar="PHOTO", help="The selfie: JPEG, PNG, WebP or HEIC.")],
    name: NameOpt = None,
    tagline: TaglineOpt = None,
    accessory: AccessoryOpt = None,
    outfit: OutfitOpt = None,
    template: TemplateOpt = None,
    color: ColorOpt = None,
    size: SizeOpt = "feed",
    engine: Annotated[str, typer.Option("--engine", "-e", help="Engine; see `minime engines`.")] = "sculpt",
    output: MakeOutOpt = None,
    save_figure: Annotated[Path | None, typer.Option(parser=named("a .png file name"), metavar="FILE", help="Also save the figure layer (PNG) to box it again with `minime box`.")] = None,
    spec_file: SpecOpt = None,
    no_likeness: Annotated[bool, typer.Option("--no-likeness", help="Skip the likeness score (no face embedding is computed).")] = False,
    variants: Annotated[int, typer.Option("--variants", min=1, max=8, help="Make N looks (finish, pose, light) and box the best by likeness and quality (1-8).")] = 1,
    keep_all: Annotated[bool, typer.Option("--keep-all", help="With --variants, also save every look as NAME-v1.png, NAME-v2.png, ...")] = False,
    allow_cloud: Annotated[bool, typer.Option("--allow-cloud", help="Agree to send the photo to a cloud engine's provider (openai, gemini).")] = False,
    model: Annotated[str | None, typer.Option("--model", help="The engine's model: for diffusers klein-4b, kontext-dev, qwen-image-edit, sdxl-turbo, a repo id or a folder; for openai/gemini a model name.")] = None,
    lora: Annotated[str | None, typer.Option("--lora", help="A style LoRA for the diffusers engine: a .safetensors file, a folder or a repo id.")] = None,
    seed: Annotated[int | None, typer.Option("--seed", min=0, max=2**31 - 1, help="Seed for engines that sample (diffusers, gemini); variant k uses seed + k, so a run can be made again.")] = None,
    offload: Annotated[bool, typer.Option("--offload", help="diffusers: keep only the active part of the model on the GPU, for GPUs with too little memory (slower).")] = False,
    style: Annotated[str | None, typer.Option("--style", help="sculpt: the figure's body style, action (default) or bobblehead (a big head on a short body).")] = None,
    body: Annotated[str | None, typer.Option("--body", help="sculpt: the figure's body, feminine, masculine or neutral; default: what the clothes suggest (a dress is feminine), else masculine.")] = None,
    pose: Annotated[str | None, typer.Option("--pose", help="sculpt: standing, hands-on-hips, arms-crossed, waving or holding (a hand held out in a grip); default: the stance the photo shows (folded arms stay folded), else holding when there is an accessory with a piece, else standing.")] = None,
    turn: Annotated[float | None, typer.Option("--turn", help="sculpt: turn the figure in the bubble, -45 to 45 degrees; 0 is front-on (default 12, a slight three-quarter view).")] = None,
    guide: Annotated[str | None, typer.Option("--guide", help="sculpt: send a 3D render of the figure beside the photo, for openai, gemini or diffusers (klein-4b) to repaint.")] = None,
    brand: BrandOpt = None,
    back: BackOpt = False,
    layers: LayersOpt = None,
    job: JobOpt = None,
    power: PowerOpt = None,
    quote: QuoteOpt = None,
    stat: StatOpt = None,
    height_mm: Annotated[float | None, typer.Option("--height-mm", help="-o .stl/.3mf/.glb/.pdf: the printed figure's height with its base, 30-300 mm (default 100).")] = None,
    base: Annotated[str | None, typer.Option("--base", help="-o .stl/.3mf/.glb/.pdf: the base plate, round (default), square or none.")] = None,
    printer: Annotated[str | None, typer.Option("--printer", help="-o .stl/.3mf/.glb/.pdf: what prints it, fdm (default), resin or powder; every wall is thickened to its minimum (1.0, 0.8, 2.0 mm).")] = None,
    colors: Annotated[str | None, typer.Option("--colors", metavar="N", help="-o .3mf/.pdf: paint the 3MF in N filaments, 2-8 (default 4), for a multi-material printer; full: paint per vertex, for full-colour services.")] = None,
    clip: Annotated[str | None, typer.Option("--clip", help="-o .mp4/.gif/.webp: a 3 s clip of the figure turning (figure, the default), the box turning (box), or the box then the figure (unbox); with .webp it makes an animated WebP.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Make a boxed action figure from a photo."""
    started = time.perf_counter()

    def run():
        from ..photo import start_loading

        spec = spec_from_flags(name, tagline, accessory, outfit, template, color, spec_file, (job, power, quote, stat), style, body)
        # The photo decodes on a second core while the renderer and the engine are imported (read by make_figure)
        picture = start_loading(photo)

        from ..outputs import check_output, needs_box
        from ..pipeline import make as make_figure

        check_style(spec.style)
        kit = brand_kit(brand)
        path = output or default_output(spec, size)
        check_output(path, size)  # a bad extension or folder fails before any work
        fmt, outputs = output_options(path, height_mm, base, clip, engine, back, printer, colors)
        check_extras(path, back, layers, save_figure, variants if keep_all else 0,
                     inputs_of(kit, photo=photo, spec_file=spec_file, brand_kit=brand))
        options = {k: v for k, v in {"model": model, "lora": lora, "offload": offload or None, "pose": pose,
                                     "turn": turn}.items() if v is not None}
        if guide is not None:
            options["guide"] = guide_maker(guide)
        consent = cloud_note(engine, allow_cloud)
        result = make_figure(picture, spec, engine=engine, size=size, likeness=not no_likeness, n=variants, seed=seed,
                             allow_cloud=consent, engine_options=options, brand=kit, back=back, record=False,
                             boxed=needs_box(fmt or check_output(path, size), outputs) or keep_all or layers is not None)
        try:
            files = {path: encode_output(result, path, outputs, fmt)}  # each output's encoding: the "export" stage
            if keep_all:
                from dataclasses import replace

                for i, c in enumerate(result.candidates, start=1):
                    with result.metered():
                        variant = replace(result, figure=c.figure, likeness=c.likeness, quality=c.quality).rebox()
                        files[variant_path(path, i)] = encode_output(variant, path, outputs, fmt)
            if save_figure is not None:
                files[Path(save_figure)] = result.encode_figure()
            extras = encode_extras(result, path, back, layers, files)
            with result.metered():
                write_outputs(files, layers)
        finally:
            result.record()  # once, with the outputs' stage in it (the energy was spent even if a write failed)
        report_result(result, path, as_json, started, extras, outputs, fmt)

    guard(run)


@app.command(cls=InOrder)
def box(
    figure: Annotated[Path, typer.Argument(parser=named("a saved figure's file name"), metavar="FIGURE", help="A figure layer saved with `minime make --save-figure`.")],
    name: NameOpt = None,
    tagline: TaglineOpt = None,
    accessory: AccessoryOpt = None,
    template: TemplateOpt = None,
    color: ColorOpt = None,
    size: SizeOpt = "feed",
    output: OutOpt = None,
    spec_file: SpecOpt = None,
    brand: BrandOpt = None,
    back: BackOpt = False,
    layers: LayersOpt = None,
    job: JobOpt = None,
    power: PowerOpt = None,
    quote: QuoteOpt = None,
    stat: StatOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Box a saved figure again (new name, colour, template, size or brand) without generating it again."""
    started = time.perf_counter()

    def run():
        from ..outputs import check_output
        from ..pipeline import box_saved_figure

        spec = spec_from_flags(name, tagline, accessory, None, template, color, spec_file, (job, power, quote, stat))
        kit = brand_kit(brand)
        path = output or default_output(spec, size)
        check_output(path, size)
        check_extras(path, back, layers, inputs=inputs_of(kit, figure=figure, spec_file=spec_file, brand_kit=brand))
        result = box_saved_figure(figure, spec, size=size, brand=kit, back=back)
        files = {path: encode_output(result, path)}
        extras = encode_extras(result, path, back, layers, files)
        write_outputs(files, layers)
        report_result(result, path, as_json, started, extras)

    guard(run)
