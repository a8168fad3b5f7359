"""The `minime` command. Heavy imports happen inside commands so `minime --help` is instant."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Turn a selfie into a collectible action figure in its toy box. Offline by default.")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

SIZE_HELP = "feed (1080x1350), square (1080x1080), story (1080x1920) or print (2400x3000, 300 dpi)"


def _version(value: bool) -> None:
    if value:
        from . import __version__

        out.print(f"minime {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False) -> None:
    """Turn a selfie into a collectible action figure in its toy box."""


def _fail(message: str, code: int) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


def _guard(fn):
    """Run a command body: user mistakes exit 2 with one line, anything else exits 1 without a trace."""
    from .engines.base import EngineError
    from .errors import MinimeError

    try:
        return fn()
    except MinimeError as exc:
        _fail(str(exc).replace("[", "\\["), 2)
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except EngineError as exc:  # the provider or model failed: one line, exit 1
        _fail(str(exc).replace("[", "\\["), 1)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for the user
        if os.environ.get("MINIME_DEBUG"):
            raise
        _fail(f"internal error ({type(exc).__name__}: {exc}); set MINIME_DEBUG=1 to see the details", 1)


def _cloud_note(engine: str, allow_cloud: bool) -> bool:
    """Consent from the flag or the setting; with it, say once which provider receives the photo."""
    from .engines.base import provider_of
    from .settings import settings

    consent = allow_cloud or settings().allow_cloud
    provider = provider_of(engine)
    if provider and consent:
        err.print(f"[yellow]note:[/] the photo goes to {provider} (the {engine} engine runs in their cloud)", highlight=False)
    return consent


def _spec(name, tagline, accessory, outfit, template, color, spec_file):
    from .spec import build_spec, load_spec

    fields = {"name": name[0] if name else None, "tagline": tagline, "accessories": accessory or None,
              "outfit": outfit, "template": template, "color": color}
    if name and len(name) > 1:
        fields["names"] = list(name)
    fields = {k: v for k, v in fields.items() if v is not None}
    if spec_file:
        return load_spec(spec_file, **fields)
    if "name" not in fields:
        from .errors import SpecError

        raise SpecError("name: required; give --name NAME (or --spec FILE)")
    return build_spec(**fields)


def _default_output(spec) -> Path:
    from .export import free_path

    slug = "".join(ch if ch.isalnum() else "-" for ch in spec.name.casefold()).strip("-")
    slug = "-".join(filter(None, slug.split("-")))[:40] or "figure"
    return free_path(Path(f"{slug}-minime.png"))


def _report(result, path: Path, as_json: bool, started: float) -> None:
    total = time.perf_counter() - started
    if as_json:
        data = {
            "output": str(path),
            "engine": result.engine,
            "model": result.figure.model,
            "template": result.template,
            "size": result.size,
            "width": result.image.width,
            "height": result.image.height,
            "seconds": {k: round(v, 4) for k, v in result.timings.items()},
            "total_seconds": round(total, 4),
            "likeness": result.likeness,
            "variants": [{"model": f.model, "likeness": score} for f, score in result.candidates],
            "accessories": result.box.accessories,
            "receipt": result.receipt.to_dict() if result.receipt else None,
            "warnings": result.warnings,
        }
        out.print_json(json.dumps(data, ensure_ascii=False))
        return
    for note in result.warnings:
        err.print(f"[yellow]note:[/] {note}", highlight=False)
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
    out.print(f"wrote [bold]{path}[/] ({result.image.width}x{result.image.height}, {result.template}, "
              f"engine {result.engine}) in {total:.2f}s: {stages}", highlight=False)
    if result.likeness is not None:
        out.print(f"likeness {result.likeness:.0f}/100", highlight=False)
    if result.receipt is not None:
        out.print(f"footprint: {result.receipt.summary()}", highlight=False)


NameOpt = Annotated[Optional[list[str]], typer.Option("--name", "-n", help="Name on the box (repeat for each person in a group photo).")]
TaglineOpt = Annotated[Optional[str], typer.Option(help="Line under the name, up to 60 characters.")]
AccessoryOpt = Annotated[Optional[list[str]], typer.Option("--accessory", "-a", help="An accessory, in your words (repeat, up to 6).")]
OutfitOpt = Annotated[Optional[str], typer.Option(help="Outfit, e.g. 'red hoodie'.")]
TemplateOpt = Annotated[Optional[str], typer.Option("--template", "-t", help="Box template; see `minime templates`.")]
ColorOpt = Annotated[Optional[str], typer.Option("--color", "-c", help="Box colour: a CSS name or hex like #1a2b3c.")]
SizeOpt = Annotated[str, typer.Option("--size", "-s", help=SIZE_HELP)]
OutOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Output file: .png, .jpg or .webp.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object describing the result.")]
SpecOpt = Annotated[Optional[Path], typer.Option("--spec", help="Read the figure spec from a YAML or JSON file; flags override it.")]


@app.command()
def make(
    photo: Annotated[Path, typer.Argument(help="The selfie: JPEG, PNG, WebP or HEIC.")],
    name: NameOpt = None,
    tagline: TaglineOpt = None,
    accessory: AccessoryOpt = None,
    outfit: OutfitOpt = None,
    template: TemplateOpt = None,
    color: ColorOpt = None,
    size: SizeOpt = "feed",
    engine: Annotated[str, typer.Option("--engine", "-e", help="Engine; see `minime engines`.")] = "studio",
    output: OutOpt = None,
    save_figure: Annotated[Optional[Path], typer.Option(help="Also save the figure layer (PNG) to box it again with `minime box`.")] = None,
    spec_file: SpecOpt = None,
    no_likeness: Annotated[bool, typer.Option("--no-likeness", help="Skip the likeness score (no face embedding is computed).")] = False,
    variants: Annotated[int, typer.Option("--variants", min=1, max=8, help="Make N looks and box the most alike (1-8).")] = 1,
    keep_all: Annotated[bool, typer.Option("--keep-all", help="With --variants, also save every look as NAME-v1.png, NAME-v2.png, ...")] = False,
    allow_cloud: Annotated[bool, typer.Option("--allow-cloud", help="Agree to send the photo to a cloud engine's provider (openai, gemini).")] = False,
    model: Annotated[Optional[str], typer.Option("--model", help="The engine's model: for diffusers klein-4b, kontext-dev, qwen-image-edit, sdxl-turbo, a repo id or a folder; for openai/gemini a model name.")] = None,
    lora: Annotated[Optional[str], typer.Option("--lora", help="A style LoRA for the diffusers engine: a .safetensors file, a folder or a repo id.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Make a boxed action figure from a photo."""
    started = time.perf_counter()

    def run():
        from .export import format_of
        from .pipeline import make as make_figure

        spec = _spec(name, tagline, accessory, outfit, template, color, spec_file)
        path = output or _default_output(spec)
        format_of(path)  # a bad extension fails before any work
        if save_figure is not None:
            format_of(save_figure)
        options = {k: v for k, v in {"model": model, "lora": lora}.items() if v is not None}
        consent = _cloud_note(engine, allow_cloud)
        result = make_figure(photo, spec, engine=engine, size=size, likeness=not no_likeness, n=variants,
                             allow_cloud=consent, engine_options=options)
        written = result.save(path)
        if keep_all:
            from dataclasses import replace

            for i, (figure, score) in enumerate(result.candidates, start=1):
                variant = replace(result, figure=figure, likeness=score).rebox()
                variant.save(path.with_name(f"{path.stem}-v{i}{path.suffix}"))
        if save_figure is not None:
            result.save_figure(save_figure)
        _report(result, written, as_json, started)

    _guard(run)


@app.command()
def box(
    figure: Annotated[Path, typer.Argument(help="A figure layer saved with `minime make --save-figure`.")],
    name: NameOpt = None,
    tagline: TaglineOpt = None,
    accessory: AccessoryOpt = None,
    template: TemplateOpt = None,
    color: ColorOpt = None,
    size: SizeOpt = "feed",
    output: OutOpt = None,
    spec_file: SpecOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Box a saved figure again (new name, colour, template or size) without generating it again."""
    started = time.perf_counter()

    def run():
        from .export import format_of
        from .pipeline import box_saved_figure

        spec = _spec(name, tagline, accessory, None, template, color, spec_file)
        path = output or _default_output(spec)
        format_of(path)
        result = box_saved_figure(figure, spec, size=size)
        _report(result, result.save(path), as_json, started)

    _guard(run)


@app.command()
def demo(output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the demo box.")] = Path("minime-demo.png")) -> None:
    """Make a figure from a bundled public-domain portrait (NASA astronaut Eileen Collins)."""
    started = time.perf_counter()

    def run():
        from importlib.resources import files

        from .pipeline import make as make_figure

        photo = files("minime") / "assets" / "astronaut.jpg"
        result = make_figure(photo.read_bytes(), {"name": "Eileen Collins", "tagline": "First woman to command a Space Shuttle",
                                                  "accessories": ["rocket", "helmet", "camera"], "color": "#1d4e89"})
        _report(result, result.save(output), False, started)

    _guard(run)


@app.command()
def verify(file: Annotated[Path, typer.Argument(help="An image made by minime.")]) -> None:
    """Check a figure's AI label, signature and watermark. Exit 0 only for a valid, untampered figure."""

    def run():
        from .errors import MinimeError
        from .provenance import verify as check

        try:
            v = check(file)
        except FileNotFoundError:
            raise MinimeError(f"file not found: {file}") from None
        yes = lambda ok: "[green]yes[/]" if ok else "[red]no[/]"  # noqa: E731
        out.print(f"AI label:   {yes(v.ai_label)}")
        signature = "tampered" if v.tampered else ("valid" if v.valid else ("absent" if not v.signed else "invalid"))
        colour = "green" if v.valid and not v.tampered else "red"
        out.print(f"signature:  [{colour}]{signature}[/]" + (", trusted" if v.trusted else ", untrusted signer" if v.signed else ""))
        out.print(f"watermark:  {yes(v.watermark)}")
        out.print(f"engine:     {v.engine or '-'}", highlight=False)
        out.print(f"created:    {v.created or '-'}", highlight=False)
        for problem in v.problems:
            err.print(f"[yellow]problem:[/] {problem}", highlight=False)
        if not v.ok:
            raise typer.Exit(1)

    _guard(run)


@app.command()
def footprint() -> None:
    """Totals of the energy your figures took, from the local history (no photos, no names)."""

    def run():
        from .footprint import totals

        t = totals()
        if not t["figures"]:
            out.print("no figures made yet")
            return
        engines = ", ".join(f"{name} {count}" for name, count in t["engines"].items())
        out.print(f"{t['figures']} figures ({engines}): {t['seconds']:.1f} s, {t['wh']:.4g} Wh, {t['g_co2e']:.4g} g CO2e",
                  highlight=False)

    _guard(run)


@app.command()
def engines() -> None:
    """List the engines."""
    from .engines import ENGINES

    for info in ENGINES.values():
        where = "local" if info.runs_locally else "cloud"
        out.print(f"[bold]{info.name:<10}[/] {where:<6} {info.summary}", highlight=False)


@app.command()
def templates() -> None:
    """List the box templates."""
    from .box.render import TEMPLATES

    for name, tpl in TEMPLATES.items():
        out.print(f"[bold]{name:<12}[/] {tpl.get('summary', '')}", highlight=False)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
