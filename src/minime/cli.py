"""The `minime` command. Heavy imports happen inside commands so `minime --help` is instant."""

from __future__ import annotations

import errno
import json
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from typer.core import TyperCommand

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Turn a selfie into a collectible action figure in its toy box. Offline by default.")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

SIZE_HELP = ("feed (1080x1350), square (1080x1080), story (1080x1920), print (2400x3000, 300 dpi) "
             "or print-kit (a PDF: the box's dieline and a stand-up figure to print, cut and fold)")


def _version(value: bool) -> None:
    if value:
        from . import __version__

        out.print(f"minime {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False) -> None:
    """Turn a selfie into a collectible action figure in its toy box."""


def _named(what: str):
    """A parser for a file or folder argument: Click turns "" into Path("."), which then reads as "'.' is a
    directory" or, for --layers, writes into the current folder; an empty name is refused instead."""

    def parse(value) -> Path:
        if isinstance(value, Path):
            return value
        if not str(value).strip():
            raise typer.BadParameter(f"empty; give {what}")
        return Path(value)

    return parse


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
    except OSError as exc:
        if exc.errno in (errno.ENAMETOOLONG, errno.ELOOP):  # a name the user gave that no file system takes
            from .files import shown

            why = ("too long: at most 255 bytes a name and 4096 a path" if exc.errno == errno.ENAMETOOLONG
                   else "a loop of symbolic links")
            _fail(f"{shown(exc.filename or '')[:80]}{'...' if len(str(exc.filename or '')) > 80 else ''}: the file name "
                  f"is {why}; give another name".replace("[", "\\["), 2)
        _internal(exc)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for the user
        _internal(exc)


def _internal(exc: Exception) -> None:
    from .errors import MinimeError
    from .settings import settings

    try:
        debug = settings().debug
    except MinimeError:  # a bad setting is its own one-line error; here it only means no debugging
        debug = False
    if debug:
        raise exc
    _fail(f"internal error ({type(exc).__name__}: {exc}); set MINIME_DEBUG=1 to see the details".replace("[", "\\["), 1)


def _cloud_note(engine: str, allow_cloud: bool) -> bool:
    """Consent from the flag or the setting; with it, say once which provider receives the photo."""
    from .engines.base import provider_of
    from .settings import settings

    consent = allow_cloud or settings().allow_cloud
    provider = provider_of(engine)
    if provider and consent:
        err.print(f"[yellow]note:[/] the photo goes to {provider} (the {engine} engine runs in their cloud)", highlight=False)
    return consent


def _guide(name: str):
    """What --guide names: a maker of the guide image from (subject, spec), imported only when asked for."""
    from .errors import MinimeError, UnknownNameError

    if name != "sculpt":
        raise UnknownNameError(f"unknown guide {name!r}; the guide is sculpt (the sculpt engine's 3D render)")
    try:
        from .engines.sculpt import guide_image
    except ImportError as exc:
        why = "" if getattr(exc, "name", "") in ("minime.engines.sculpt", None) else f" ({exc})"
        raise MinimeError(f"--guide sculpt needs the sculpt engine's guide_image, which this install does not "
                          f"have{why}; leave out --guide") from None
    return guide_image


class _InOrder(TyperCommand):
    """Keeps the command line as typed: Click gathers each repeated option into its own list, and which
    --accessory follows which --name says whose it is."""

    def parse_args(self, ctx, args):
        global _TYPED
        flags = {o for p in self.params if getattr(p, "is_flag", False) for o in (*p.opts, *p.secondary_opts)}
        _TYPED = (list(args), flags)
        return super().parse_args(ctx, args)


_TYPED: tuple[list[str], set[str]] | None = None  # the running command's words and its options that take no value


def _owners(argv: list[str], flags: set[str]) -> list[int]:
    """For each --accessory on the command line, the index of the --name before it (-1: none yet);
    `flags` are the options that take no value."""
    owners, person, i = [], -1, 0
    while i < len(argv) and argv[i] != "--":
        arg = argv[i]
        flag = arg.split("=", 1)[0] if arg.startswith("--") else arg[:2]
        takes = "=" not in arg and (arg.startswith("--") or len(arg) == 2)  # its value is the next word
        if flag in ("--name", "-n"):
            person += 1
        elif flag in ("--accessory", "-a"):
            owners.append(person)
        elif arg.startswith("-") and takes and flag not in flags:
            i += 1  # another option's value, even one that looks like --name
        i += 1
    return owners


def _people(name, accessory) -> list[dict] | None:
    """One accessory list per person when some --accessory comes between two --names; None for a shared list."""
    from .errors import SpecError

    if _TYPED is None or not name or len(name) < 2 or not accessory:
        return None
    owners = _owners(*_TYPED)
    if len(owners) != len(accessory) or all(o == owners[0] for o in owners) and owners[0] in (-1, len(name) - 1):
        return None  # all before the first name or after the last: the group shares the list
    if min(owners) < 0:
        raise SpecError("accessories: put each person's --accessory after their --name (or all after the last "
                        "--name, to share them)")
    return [{"name": n, "accessories": [a for a, o in zip(accessory, owners) if o == k]} for k, n in enumerate(name)]


def _spec(name, tagline, accessory, outfit, template, color, spec_file, bio=None):
    from .spec import build_spec, load_spec

    fields = {"name": name[0] if name else None, "tagline": tagline, "accessories": accessory or None,
              "outfit": outfit, "template": template, "color": color, **_bio(*(bio or ()))}
    if name and len(name) > 1:
        fields["names"] = list(name)
    people = _people(name, accessory)
    if people:
        fields["people"] = people
        fields.pop("accessories")
    fields = {k: v for k, v in fields.items() if v is not None}
    if spec_file:
        return load_spec(spec_file, **fields)
    if "name" not in fields:
        from .errors import SpecError

        raise SpecError("name: required; give --name NAME (or --spec FILE)")
    return build_spec(**fields)


def _bio(job=None, power=None, quote=None, stat=None) -> dict:
    """The back-of-box fields from flags; --stat takes LABEL=N."""
    from .errors import SpecError

    stats = {}
    for item in stat or []:
        label, sep, value = item.rpartition("=")
        if not sep or not label.strip() or not value.strip().isdigit():
            raise SpecError(f"stats: {item!r} is not LABEL=N, like --stat Strength=8")
        stats[label.strip()] = int(value)
    return {"job": job, "powers": power or None, "quote": quote, "stats": stats or None}


def _brand(path):
    from .spec import load_brand

    return load_brand(path) if path is not None else None


def _default_output(spec, size: str = "feed") -> Path:
    from .export import PRINT_KIT, free_path, slug

    return free_path(Path(f"{slug(spec.name, ascii_only=False)}-minime.{'pdf' if size == PRINT_KIT else 'png'}"))


def _back_path(path: Path) -> Path:
    suffix = ".png" if path.suffix.lower() == ".pdf" else path.suffix
    return path.with_name(f"{path.stem}-back{suffix}")


LAYER_NAMES = ("front.png", "back.png", "figure.png")  # and accessory-KEY.png: what --layers writes


def _check_extras(path: Path, back: bool, layers: Path | None, save_figure: Path | None = None, keep: int = 0) -> None:
    """Fail before any work if an extra output cannot be written, or two outputs name the same file;
    `keep` is the number of looks --keep-all saves beside the box."""
    from .errors import MinimeError
    from .export import check_folder, format_of

    names = [("-o", path)] + ([("--back", _back_path(path))] if back else [])
    names += [("--keep-all", _variant_path(path, i)) for i in range(1, keep + 1)]
    if save_figure is not None:
        if format_of(save_figure) != "PNG":
            raise MinimeError("the figure layer keeps its transparency only as PNG: use a .png file name for --save-figure")
        names.append(("--save-figure", Path(save_figure)))
    for i, (flag, name) in enumerate(names):
        check_folder(name)
        for other_flag, other in names[:i]:
            if os.path.abspath(name) == os.path.abspath(other):
                raise MinimeError(f"{flag} and {other_flag} name the same file {str(name)!r}; give each its own name")
    if layers is not None:
        if layers.exists() and not layers.is_dir():
            raise MinimeError(f"cannot write layers to {str(layers)!r}: it is a file; give a folder")
        existing = next((p for p in (layers, *layers.absolute().parents) if p.exists()), Path("."))
        if not os.access(existing, os.W_OK | os.X_OK):
            raise MinimeError(f"cannot write layers to {str(layers)!r}: the folder {str(existing)!r} is not writable")
        for flag, name in names:
            if (os.path.abspath(name.parent) == os.path.abspath(layers)
                    and (name.name in LAYER_NAMES or name.name.startswith("accessory-"))):
                raise MinimeError(f"{flag} {str(name)!r} is a file --layers writes ({', '.join(LAYER_NAMES)}, "
                                  "accessory-*.png); give it another name or folder")


def _variant_path(path: Path, i: int) -> Path:
    return path.with_name(f"{path.stem}-v{i}{path.suffix}")


def _extras(result, path: Path, back: bool, layers: Path | None, files: dict) -> dict:
    """Encode the back and the layers if asked into `files` (path -> bytes); returns their names, for the report."""
    from .errors import MinimeError
    from .export import format_for

    written: dict = {}
    if back:
        files[_back_path(path)] = result.encode_back("png" if path.suffix.lower() == ".pdf" else format_for(path))
        written["back"] = str(_back_path(path))
    if layers is not None:
        layer_files = result.encode_layers()
        for name, data in layer_files.items():
            if layers / name in files:  # a layer named like no other: refused before any work, but never overwrite
                raise MinimeError(f"--layers would write {str(layers / name)!r} over another output; give another folder")
            files[layers / name] = data
        written["layers"] = [str(layers / name) for name in layer_files]
    return written


def _write(files: dict, layers: Path | None = None) -> None:
    """Write every output at once, after all of them were made: a failure leaves every file as it was."""
    from .errors import MinimeError
    from .export import write_all

    if layers is not None:
        try:
            layers.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise MinimeError(f"cannot write layers to {str(layers)!r}: {(exc.strerror or str(exc)).lower()}") from None
    write_all(files)


def _report(result, path: Path, as_json: bool, started: float, extra: dict | None = None) -> None:
    total = time.perf_counter() - started
    if as_json:
        data = {
            "output": str(path),
            "engine": result.engine,
            "model": result.figure.model,
            "seed": result.figure.seed,
            "template": result.template,
            "size": result.size,
            "width": result.image.width,
            "height": result.image.height,
            "seconds": {k: round(v, 4) for k, v in result.timings.items()},
            "total_seconds": round(total, 4),
            "likeness": result.likeness,
            "quality": result.quality,
            "variants": [{"model": c.figure.model, "seed": c.figure.seed, "likeness": c.likeness, "quality": c.quality}
                         for c in result.candidates],
            "accessories": result.box.accessories,
            "receipt": result.receipt.to_dict() if result.receipt else None,
            "warnings": result.warnings,
            **(extra or {}),
        }
        out.print_json(json.dumps(data, ensure_ascii=False))
        return
    for note in result.warnings:
        err.print(f"[yellow]note:[/] {note}", highlight=False)
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
    out.print(f"wrote [bold]{path}[/] ({_what(result, path)}, engine {result.engine}) in {total:.2f}s: {stages}",
              highlight=False)
    scores = [f"{what} {value:.0f}/100" for what, value in (("likeness", result.likeness), ("quality", result.quality))
              if value is not None]
    if scores:
        out.print(", ".join(scores), highlight=False)
    if result.receipt is not None:
        out.print(f"footprint: {result.receipt.summary()}", highlight=False)
    for key, value in (extra or {}).items():
        out.print(f"{key}: {', '.join(value) if isinstance(value, list) else value}", highlight=False)


def _what(result, path: Path) -> str:
    """What the file holds, for the summary line: a box's size and template, a model's height and base, or a clip."""
    from .clip import SECONDS
    from .export import size_of
    from .export3d import MESH_FORMATS

    outputs = getattr(result, "output_options", None) or {}
    suffix = path.suffix.lower()
    if suffix in MESH_FORMATS:
        base = outputs.get("base", "round")
        return (f"{suffix[1:].upper()} model, {outputs.get('height_mm', 100.0):g} mm tall, "
                + ("no base" if base == "none" else f"{base} base"))
    if suffix in (".mp4", ".gif") or outputs.get("format") == "webp-clip":
        w, h, _ = size_of(result.size)
        if suffix == ".gif":  # clip.py halves a GIF's frames
            w, h = w // 2 // 2 * 2, h // 2 // 2 * 2
        turning = {"figure": "the figure turning", "box": "the box turning", "unbox": "the box, then the figure"}
        return f"{SECONDS} s clip of {turning.get(outputs.get('clip', 'figure'), 'the figure')}, {w}x{h}"
    return f"{result.image.width}x{result.image.height}, {result.template}"


def _output_options(path: Path, height_mm: float, base: str, clip: str | None, engine: str = "sculpt") -> dict:
    """Check the model and clip options before any work; a .webp with --clip is an animated WebP."""
    from .clip import check_clip
    from .engines import check_mesh
    from .export3d import MESH_FORMATS, check_base, check_height

    check_height(height_mm)
    check_base(base)
    suffix = path.suffix.lower()
    if clip is not None:
        check_clip(clip)
    elif suffix in (".mp4", ".gif"):
        clip = "figure"
    # The engine would run for seconds (or a paid cloud call) before the encoder found no mesh to export.
    if suffix in MESH_FORMATS:
        check_mesh(engine, f"a {suffix} model")
    elif clip in ("figure", "unbox"):
        check_mesh(engine, f"--clip {clip}" if suffix == ".webp" else f"a {suffix} clip of the figure")
    fmt = "webp-clip" if suffix == ".webp" and clip is not None else None
    return {"height_mm": height_mm, "base": base, "clip": clip or "figure", "format": fmt}


def _encode(result, path: Path, outputs: dict) -> bytes:
    """The box, or a model or clip of the figure, as the file name asks, encoded in memory."""
    from .export import check_output, encode

    result.output_options = outputs
    return encode(result, outputs.get("format") or check_output(path, result.size))


NameOpt = Annotated[Optional[list[str]], typer.Option("--name", "-n", help="Name on the box (repeat for each person in a group photo).")]
TaglineOpt = Annotated[Optional[str], typer.Option(help="Line under the name, up to 60 characters.")]
AccessoryOpt = Annotated[Optional[list[str]], typer.Option("--accessory", "-a", help="An accessory, in your words (repeat, up to 6).")]
OutfitOpt = Annotated[Optional[str], typer.Option(help="Outfit: a colour and a material, e.g. 'red hoodie', 'black leather jacket', 'gold armour'.")]
TemplateOpt = Annotated[Optional[str], typer.Option("--template", "-t", help="Box template; see `minime templates`.")]
ColorOpt = Annotated[Optional[str], typer.Option("--color", "-c", help="Box colour: a CSS name or hex like #1a2b3c.")]
SizeOpt = Annotated[str, typer.Option("--size", "-s", help=SIZE_HELP)]
OutOpt = Annotated[Optional[Path], typer.Option("--output", "-o", parser=_named("a file name"), metavar="FILE", help="Output file: .png, .jpg or .webp.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object describing the result.")]
SpecOpt = Annotated[Optional[Path], typer.Option("--spec", parser=_named("a spec file name"), metavar="FILE", help="Read the figure spec from a YAML or JSON file; flags override it.")]
BrandOpt = Annotated[Optional[Path], typer.Option("--brand", parser=_named("a brand kit file name"), metavar="FILE", help="A brand kit (YAML): logo, exact colours, fonts, slogan, legal line.")]
BackOpt = Annotated[bool, typer.Option("--back", help="Also render the back of the box (bio, stats, warnings) as NAME-back.png.")]
LayersOpt = Annotated[Optional[Path], typer.Option("--layers", parser=_named("a folder name"), metavar="FOLDER", help="Also write front, back, figure and accessories as PNGs into this folder.")]
JobOpt = Annotated[Optional[str], typer.Option("--job", help="Back of the box: the figure's job.")]
PowerOpt = Annotated[Optional[list[str]], typer.Option("--power", help="Back of the box: a power (repeat, up to 4).")]
QuoteOpt = Annotated[Optional[str], typer.Option("--quote", help="Back of the box: a quote, up to 120 characters.")]
StatOpt = Annotated[Optional[list[str]], typer.Option("--stat", help="Back of the box: a stat bar as LABEL=0..10 (repeat, up to 5).")]


@app.command(cls=_InOrder)
def make(
    photo: Annotated[Path, typer.Argument(parser=_named("the photo's file name"), metavar="PHOTO", help="The selfie: JPEG, PNG, WebP or HEIC.")],
    name: NameOpt = None,
    tagline: TaglineOpt = None,
    accessory: AccessoryOpt = None,
    outfit: OutfitOpt = None,
    template: TemplateOpt = None,
    color: ColorOpt = None,
    size: SizeOpt = "feed",
    engine: Annotated[str, typer.Option("--engine", "-e", help="Engine; see `minime engines`.")] = "sculpt",
    output: OutOpt = None,
    save_figure: Annotated[Optional[Path], typer.Option(parser=_named("a .png file name"), metavar="FILE", help="Also save the figure layer (PNG) to box it again with `minime box`.")] = None,
    spec_file: SpecOpt = None,
    no_likeness: Annotated[bool, typer.Option("--no-likeness", help="Skip the likeness score (no face embedding is computed).")] = False,
    variants: Annotated[int, typer.Option("--variants", min=1, max=8, help="Make N looks (finish, pose, light) and box the best by likeness and quality (1-8).")] = 1,
    keep_all: Annotated[bool, typer.Option("--keep-all", help="With --variants, also save every look as NAME-v1.png, NAME-v2.png, ...")] = False,
    allow_cloud: Annotated[bool, typer.Option("--allow-cloud", help="Agree to send the photo to a cloud engine's provider (openai, gemini).")] = False,
    model: Annotated[Optional[str], typer.Option("--model", help="The engine's model: for diffusers klein-4b, kontext-dev, qwen-image-edit, sdxl-turbo, a repo id or a folder; for openai/gemini a model name.")] = None,
    lora: Annotated[Optional[str], typer.Option("--lora", help="A style LoRA for the diffusers engine: a .safetensors file, a folder or a repo id.")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", min=0, max=2**31 - 1, help="Seed for engines that sample (diffusers, gemini); variant k uses seed + k, so a run can be made again.")] = None,
    offload: Annotated[bool, typer.Option("--offload", help="diffusers: keep only the active part of the model on the GPU, for GPUs with too little memory (slower).")] = False,
    pose: Annotated[Optional[str], typer.Option("--pose", help="sculpt: standing, hands-on-hips, arms-crossed, waving or holding (a hand held out in a grip); default: the stance the photo shows, else standing.")] = None,
    turn: Annotated[Optional[float], typer.Option("--turn", help="sculpt: turn the figure in the bubble, -45 to 45 degrees; 0 is front-on (default 12, a slight three-quarter view).")] = None,
    guide: Annotated[Optional[str], typer.Option("--guide", help="sculpt: send a 3D render of the figure beside the photo, for openai, gemini or diffusers (klein-4b) to repaint.")] = None,
    brand: BrandOpt = None,
    back: BackOpt = False,
    layers: LayersOpt = None,
    job: JobOpt = None,
    power: PowerOpt = None,
    quote: QuoteOpt = None,
    stat: StatOpt = None,
    height_mm: Annotated[float, typer.Option("--height-mm", help="-o .stl/.3mf/.glb: the printed figure's height with its base, 30-300 mm.")] = 100.0,
    base: Annotated[str, typer.Option("--base", help="-o .stl/.3mf/.glb: the base plate, round, square or none.")] = "round",
    clip: Annotated[Optional[str], typer.Option("--clip", help="-o .mp4/.gif/.webp: a 3 s clip of the figure turning (figure), the box turning (box), or the box then the figure (unbox).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Make a boxed action figure from a photo."""
    started = time.perf_counter()

    def run():
        from .export import check_output
        from .pipeline import make as make_figure

        spec = _spec(name, tagline, accessory, outfit, template, color, spec_file, (job, power, quote, stat))
        kit = _brand(brand)
        path = output or _default_output(spec, size)
        check_output(path, size)  # a bad extension or folder fails before any work
        outputs = _output_options(path, height_mm, base, clip, engine)
        _check_extras(path, back, layers, save_figure, variants if keep_all else 0)
        options = {k: v for k, v in {"model": model, "lora": lora, "offload": offload or None, "pose": pose,
                                     "turn": turn}.items() if v is not None}
        if guide is not None:
            options["guide"] = _guide(guide)
        consent = _cloud_note(engine, allow_cloud)
        result = make_figure(photo, spec, engine=engine, size=size, likeness=not no_likeness, n=variants, seed=seed,
                             allow_cloud=consent, engine_options=options, brand=kit, back=back)
        files = {path: _encode(result, path, outputs)}
        if keep_all:
            from dataclasses import replace

            for i, c in enumerate(result.candidates, start=1):
                variant = replace(result, figure=c.figure, likeness=c.likeness, quality=c.quality).rebox()
                files[_variant_path(path, i)] = _encode(variant, path, outputs)
        if save_figure is not None:
            files[Path(save_figure)] = result.encode_figure()
        extras = _extras(result, path, back, layers, files)
        _write(files, layers)
        _report(result, path, as_json, started, extras)

    _guard(run)


@app.command(cls=_InOrder)
def box(
    figure: Annotated[Path, typer.Argument(parser=_named("a saved figure's file name"), metavar="FIGURE", help="A figure layer saved with `minime make --save-figure`.")],
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
        from .export import check_output
        from .pipeline import box_saved_figure

        spec = _spec(name, tagline, accessory, None, template, color, spec_file, (job, power, quote, stat))
        kit = _brand(brand)
        path = output or _default_output(spec, size)
        check_output(path, size)
        _check_extras(path, back, layers)
        result = box_saved_figure(figure, spec, size=size, brand=kit, back=back)
        files = {path: _encode(result, path, {})}
        extras = _extras(result, path, back, layers, files)
        _write(files, layers)
        _report(result, path, as_json, started, extras)

    _guard(run)


@app.command()
def demo(output: Annotated[Path, typer.Option("--output", "-o", parser=_named("a file name"), metavar="FILE", help="Where to write the demo box.")] = Path("minime-demo.png")) -> None:
    """Make a figure from a bundled public-domain portrait (NASA astronaut Eileen Collins)."""
    started = time.perf_counter()

    def run():
        from importlib.resources import files

        from .pipeline import make as make_figure

        photo = files("minime") / "assets" / "astronaut.jpg"
        result = make_figure(photo.read_bytes(), {"name": "Eileen Collins", "tagline": "First woman to command a Space Shuttle",
                                                  "accessories": ["rocket", "telescope", "camera"], "color": "#1d4e89"})
        _report(result, result.save(output), False, started)

    _guard(run)


@app.command()
def verify(file: Annotated[Path, typer.Argument(parser=_named("the image's file name"), metavar="FILE", help="An image made by minime.")]) -> None:
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
def engines(as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list: each engine, the model it would use and how to change it.")] = False) -> None:
    """List the engines, and the model each would use."""

    def run():
        from rich.markup import escape

        from .engines import ENGINES
        from .engines.cloud import model_choice

        rows = [{"name": info.name, "where": "local" if info.runs_locally else "cloud", "provider": info.provider or None,
                 "summary": info.summary, **(model_choice(info.name) or {})} for info in ENGINES.values()]
        if as_json:
            out.print_json(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            out.print(f"[bold]{row['name']:<10}[/] {row['where']:<6} {escape(row['summary'])}", highlight=False)
            if "model" in row:
                out.print(f"{'':<17} model {escape(row['model'])} ({row['change']})", highlight=False)

    _guard(run)


@app.command()
def accessories(
    query: Annotated[Optional[list[str]], typer.Argument(help="Accessories in your words, e.g. 'my cat' 'a cup of espresso'; none lists the catalogue.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: each input, the piece chosen and its confidence (or the catalogue).")] = False,
) -> None:
    """Search the accessory catalogue: the piece each of your words gives, or every piece."""

    def run():
        from rich.markup import escape

        from .box.icons import catalogue, match_accessory, search
        from .spec import build_spec

        if not query:
            pieces = catalogue()
            if as_json:
                out.print_json(json.dumps([vars(p) for p in pieces], ensure_ascii=False))
                return
            for p in pieces:
                out.print(f"{p.emoji or ' ':<3}{p.key:<36} {escape(p.label)}", highlight=False)
            out.print(f"{len(pieces)} pieces ({sum(p.kind == 'drawn' for p in pieces)} drawn, the rest moulded from Noto emoji)",
                      highlight=False)
            return
        for item in query:  # the same one-line errors as a spec's accessories
            build_spec(name="x", accessories=[item])
        rows = []
        for item in query:
            m = match_accessory(item)
            rows.append({"input": item, "piece": m.key if m.known else None, "label": m.label if m.known else None,
                         "emoji": m.emoji or None, "confidence": m.score,
                         "also": [p.key for p in search(item, 8) if p.key != m.key]})
        if as_json:
            out.print_json(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            if row["piece"]:
                out.print(f"{escape(row['input'])!s:<24} -> {row['emoji'] or ' '} {row['piece']} ({row['confidence']:.2f})",
                          highlight=False)
            else:
                out.print(f"{escape(row['input'])!s:<24} -> no piece for {row['input']!r}; showing a labelled prop", highlight=False)
            if row["also"]:
                out.print(f"{'':<24}    also in the catalogue: {', '.join(row['also'])}", highlight=False)

    _guard(run)


templates_app = typer.Typer(add_completion=False, rich_markup_mode=None, help="List the box templates, or preview one.")
app.add_typer(templates_app, name="templates")


@templates_app.callback(invoke_without_command=True)
def templates(ctx: typer.Context) -> None:
    """List the box templates."""
    if ctx.invoked_subcommand is not None:
        return
    from .box.render import get_template, template_names

    for name in template_names():
        out.print(f"[bold]{name:<12}[/] {get_template(name).get('summary', '')}", highlight=False)


@templates_app.command("show")
def templates_show(
    name: Annotated[str, typer.Argument(help="A template name; see `minime templates`.")],
    output: Annotated[Path, typer.Option("--output", "-o", parser=_named("a file name"), metavar="FILE", help="Where to write the preview (.png, .jpg or .webp).")] = Path("preview.png"),
    figure_name: Annotated[str, typer.Option("--name", "-n", help="The name on the preview box.")] = "Eileen Collins",
    size: SizeOpt = "feed",
    brand: BrandOpt = None,
    back: BackOpt = False,
) -> None:
    """Render a preview of a template with the bundled sample figure."""
    started = time.perf_counter()

    def run():
        from .box.render import SAMPLE_FIGURE, get_template, needs_mesh
        from .export import check_output
        from .pipeline import box_saved_figure
        from .spec import build_spec

        get_template(name)
        check_output(output, size)
        spec = build_spec(name=figure_name, tagline="First woman to command a Space Shuttle", template=name,
                          accessories=["rocket", "telescope", "camera"], color="#1d4e89", job="Astronaut and test pilot",
                          powers=["Flies the Space Shuttle", "Keeps calm at Mach 25"], quote="Dream big.",
                          stats={"Courage": 10, "Piloting": 10, "Calm": 9})
        _check_extras(output, back, None)
        if needs_mesh(name):  # a scene shows the figure's 3D model: sculpt the bundled portrait (a few seconds)
            from importlib.resources import files as resources

            from .pipeline import make as make_figure

            photo = (resources("minime") / "assets" / "astronaut.jpg").read_bytes()
            result = make_figure(photo, spec, size=size, likeness=False, brand=_brand(brand), back=back)
        else:
            result = box_saved_figure(SAMPLE_FIGURE, spec, size=size, brand=_brand(brand), back=back)
        files = {output: _encode(result, output, {})}
        extras = _extras(result, output, back, None, files)
        _write(files)
        _report(result, output, False, started, extras)

    _guard(run)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; 0.0.0.0 lets phones on your network in.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    event: Annotated[Optional[Path], typer.Option("--event", parser=_named("a brief file name"), metavar="FILE", help="A campaign brief (YAML): the page is preset with its brand kit, template and defaults.")] = None,
) -> None:
    """Run the web app: open http://HOST:PORT in a browser (the HTTP API is documented at /docs)."""

    def run():
        from .errors import MissingExtraError

        try:
            import uvicorn

            from .web.app import LOOPBACK_HOSTS, create_app
        except ImportError:
            raise MissingExtraError("minime serve needs the web app's packages: pip install 'minime[web]'") from None
        # A server on loopback answers only to loopback names, so no web page can reach it by DNS rebinding.
        hosts = LOOPBACK_HOSTS if host in (*LOOPBACK_HOSTS, "[::1]") else None
        shown = f"[{host}]" if ":" in host else host
        preset = None
        if event is not None:
            from .batch import load_brief

            preset = load_brief(event, roster=False)
            err.print(f"event mode: {preset.title} (template {preset.template})", highlight=False, markup=False)
        err.print(f"minime is at [bold]http://{shown}:{port}[/] (the API at /docs); Ctrl+C stops it", highlight=False)
        uvicorn.run(create_app(allowed_hosts=hosts, warm_previews=True, event=preset), host=host, port=port,
                    log_level="warning")

    _guard(run)


@app.command()
def batch(
    brief: Annotated[Path, typer.Argument(parser=_named("a brief file name"), metavar="BRIEF", help="The campaign brief (YAML): template, brand, defaults, roster.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", parser=_named("a folder name"), metavar="FOLDER", help="Output folder; BRIEF-figures beside the brief if not given.")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", "-w", min=1, help="Local processes, or Ray actors (default: local 1, Ray one per CPU or GPU).")] = None,
    executor: Annotated[str, typer.Option("--executor", help="local (default) or ray (needs minime[scale]).")] = "local",
    address: Annotated[Optional[str], typer.Option("--address", help="With --executor ray: the cluster to join, e.g. auto or ray://head:10001.")] = None,
    qr: Annotated[Optional[str], typer.Option("--qr", metavar="URL", help="Also write qr.png and qr.svg that open this URL (the event page).")] = None,
    allow_cloud: Annotated[bool, typer.Option("--allow-cloud", help="Agree to send the photos to a cloud engine's provider.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Make one figure per roster row; re-running skips finished rows and redoes changed ones."""

    def run():
        from .batch import run as run_batch

        summary = run_batch(brief, output, workers=workers, executor=executor, address=address, qr=qr,
                            allow_cloud=allow_cloud or None, progress=False if quiet else err)
        for row, name, error in summary.failures:
            err.print(f"failed: row {row} ({name}): {error}", highlight=False, markup=False)
        made = f"{summary.made} made" + (f", {summary.reused} unchanged" if summary.reused else "")
        out.print(f"{summary.done} of {summary.rows} figures in {summary.folder} ({made}, {summary.failed} failed) "
                  f"in {summary.seconds:.1f}s, {summary.wh:.4g} Wh", highlight=False, markup=False)
        out.print(f"contact sheet: {summary.index}; results: {summary.results}", highlight=False, markup=False)
        for path in summary.qr:
            out.print(f"QR code: {path}", highlight=False, markup=False)

    _guard(run)


def main() -> None:
    # Typer carries its own copy of Click: its exceptions are the ones raised here
    from typer import _click as click

    try:
        code = app(standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        err.print(exc.format_message(), highlight=False, markup=False)
        sys.exit(2)
    except click.exceptions.UsageError as exc:  # a bad flag or value: one line, like every other mistake
        from rich.markup import escape

        err.print(f"[bold red]error:[/] {escape(' '.join(exc.format_message().split()))}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        err.print("interrupted")
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
