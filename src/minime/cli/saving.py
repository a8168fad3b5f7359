"""The files a command writes: names, extras (back, layers, looks), checks before any work, and the report."""

from __future__ import annotations

import os
import time
from pathlib import Path

from ..errors import printable
from .app import err, out, plain, print_json


def default_output(spec, size: str = "feed") -> Path:
    from ..files import free_path, slug
    from ..outputs import PRINT_KIT

    return free_path(Path(f"{slug(spec.name, ascii_only=False)}-minime.{'pdf' if size == PRINT_KIT else 'png'}"))


def _back_path(path: Path) -> Path:
    suffix = ".png" if path.suffix.lower() == ".pdf" else path.suffix
    return path.with_name(f"{path.stem}-back{suffix}")


LAYER_NAMES = ("front.png", "back.png", "figure.png")  # and accessory-KEY.png: what --layers writes


def check_extras(path: Path, back: bool, layers: Path | None, save_figure: Path | None = None, keep: int = 0,
                 inputs: tuple = ()) -> None:
    """Fail before any work if an output cannot be written, is a special file (FIFO, device, link to
    nothing), is one of the files the command reads, or two outputs name the same file; `keep` is the
    number of looks --keep-all saves beside the box, `inputs` the (what, path) pairs the command reads."""
    from ..errors import MinimeError
    from ..files import check_folder, check_target, same_file, shown_path
    from ..outputs import format_of

    names = [("-o", path)] + ([("--back", _back_path(path))] if back else [])
    names += [("--keep-all", variant_path(path, i)) for i in range(1, keep + 1)]
    if save_figure is not None:
        if format_of(save_figure) != "PNG":
            raise MinimeError("the figure layer keeps its transparency only as PNG: use a .png file name for --save-figure")
        names.append(("--save-figure", Path(save_figure)))
    inputs = tuple((what, Path(p)) for what, p in inputs if p is not None)

    def not_an_input(flag: str, name: Path) -> None:
        for what, source in inputs:
            if same_file(name, source):
                raise MinimeError(f"{flag} {shown_path(name)} is the {what} this command reads; minime never "
                                  "writes over its input: give the output another name")

    for i, (flag, name) in enumerate(names):
        not_an_input(flag, name)
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
        if layers.is_dir():  # the layer files it would replace (accessory-*.png: any of them, as the figure decides)
            for name in [layers / n for n in LAYER_NAMES] + sorted(layers.glob("accessory-*.png")):
                not_an_input("--layers", name)
                check_target(name)


def inputs_of(kit=None, **files) -> tuple:
    """The files a command reads, as check_extras takes them: each named one (photo=..., spec_file=...),
    and a brand kit's logo and fonts."""
    pairs = [(what.replace("_", " "), p) for what, p in files.items() if p is not None]
    if kit is not None:
        pairs += [("brand kit's logo", kit.logo)] if kit.logo is not None else []
        pairs += [("brand kit's font", p) for p in kit.fonts.values()]
    return tuple(pairs)


def variant_path(path: Path, i: int) -> Path:
    return path.with_name(f"{path.stem}-v{i}{path.suffix}")


def encode_extras(result, path: Path, back: bool, layers: Path | None, files: dict) -> dict:
    """Encode the back and the layers if asked into `files` (path -> bytes); returns their names, for the report."""
    from ..errors import MinimeError
    from ..outputs import format_for

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


def write_outputs(files: dict, layers: Path | None = None) -> None:
    """Write every output at once, after all of them were made: a failure leaves every file as it was, and
    removes the layers folder if this run made it."""
    from ..errors import MinimeError
    from ..files import write_all

    made: list[Path] = []
    if layers is not None:
        made = [p for p in (layers, *layers.parents) if not p.exists()][::-1]  # outermost first
        try:
            layers.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _remove_folders(made)
            raise MinimeError(f"cannot write layers to {str(layers)!r}: {(exc.strerror or str(exc)).lower()}") from None
    try:
        write_all(files)
    except BaseException:
        _remove_folders(made)
        raise


def _remove_folders(folders: list[Path]) -> None:
    for folder in reversed(folders):  # innermost first; only if still empty
        try:
            folder.rmdir()
        except OSError:
            return


def report_result(result, path: Path, as_json: bool, started: float, extra: dict | None = None, options=None,
            fmt: str | None = None) -> None:
    total = time.perf_counter() - started
    if as_json:
        data = {
            "output": str(path),
            "engine": result.engine,
            "model": result.figure.model,
            "seed": result.figure.seed,
            "template": result.template,
            "size": result.size,
            "width": result.image.width if result.box is not None else None,  # None: no box was drawn (a model file)
            "height": result.image.height if result.box is not None else None,
            "seconds": {k: round(v, 4) for k, v in result.timings.items()},
            "total_seconds": round(total, 4),
            "likeness": result.likeness,
            "quality": result.quality,
            "variants": [{"model": c.figure.model, "seed": c.figure.seed, "likeness": c.likeness, "quality": c.quality}
                         for c in result.candidates],
            "accessories": result.accessories,
            "receipt": result.receipt.to_dict() if result.receipt else None,
            "warnings": result.warnings,
            **_printing(result, path, options),
            **(extra or {}),
        }
        print_json(data)
        return
    for note in result.warnings:
        err.print(f"[yellow]note:[/] {plain(note)}", highlight=False)
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
    from rich.text import Text

    out.print(Text.assemble("wrote ", (printable(path), "bold"),  # the name as typed: a Text, never markup
                            f" ({_what(result, path, options, fmt)}, engine {result.engine}) in {total:.2f}s: {stages}"))
    scores = [f"{what} {value:.0f}/100" for what, value in (("likeness", result.likeness), ("quality", result.quality))
              if value is not None]
    if scores:
        out.print(", ".join(scores), highlight=False)
    if result.receipt is not None:
        out.print(f"footprint: {result.receipt.summary()}", highlight=False)
    for key, value in (extra or {}).items():
        out.print(f"{key}: {plain(', '.join(value) if isinstance(value, list) else value)}", highlight=False)


def _printing(result, path: Path, options) -> dict:
    """For a model or the print kit: how it prints (orientation, supports, volume, grams, filaments)."""
    from ..outputs import MESH_FORMATS

    mesh = getattr(result.figure, "mesh", None)
    if options is None or not mesh or path.suffix.lower() not in (*MESH_FORMATS, ".pdf"):
        return {}
    from ..outputs.printkit import print_facts

    info = print_facts(mesh, options)
    if path.suffix.lower() in (".stl", ".glb"):
        info.pop("filaments", None)  # one colour, or paint per vertex
    return {"print": info}


def _what(result, path: Path, options=None, fmt: str | None = None) -> str:
    """What the file holds, for the summary line: a box's size and template, a model's height and base, or a clip."""
    from ..outputs import MESH_FORMATS, SECONDS, OutputOptions, size_of

    options = options or OutputOptions()
    suffix = path.suffix.lower()
    if suffix in MESH_FORMATS:
        base = options.base
        extra = "" if options.printer == "fdm" else f", for a {options.printer} printer"
        if suffix == ".3mf" and options.colors != 4:  # the default: 4 filaments
            extra += ", paint per vertex" if not options.colors else f", {options.colors} filaments"
        return (f"{suffix[1:].upper()} model, {options.height_mm:g} mm tall, "
                + ("no base" if base == "none" else f"{base} base") + extra)
    if suffix in (".mp4", ".gif") or fmt == "webp-clip":
        w, h, _ = size_of(result.size)
        if suffix == ".gif":  # outputs/clip.py halves a GIF's frames
            w, h = w // 2 // 2 * 2, h // 2 // 2 * 2
        turning = {"figure": "the figure turning", "box": "the box turning", "unbox": "the box, then the figure"}
        return f"{SECONDS} s clip of {turning.get(options.clip, 'the figure')}, {w}x{h}"
    return f"{result.image.width}x{result.image.height}, {result.template}"


HEIGHT_MM, BASE = 100.0, "round"  # the model's defaults, when --height-mm and --base are not given


def output_options(path: Path, height_mm: float | None, base: str | None, clip: str | None, engine: str = "sculpt",
                   back: bool = False, printer: str | None = None, colors: str | None = None):
    """Check the model and clip options before any work; returns the encoder the name picks when it is not
    its extension's (a .webp with --clip is an animated WebP), and the OutputOptions. A flag given for an
    output it does not apply to is refused: None is a flag not given."""
    from ..engines import check_mesh
    from ..errors import MinimeError
    from ..outputs import MESH_FORMATS, OutputOptions, check_base, check_clip, check_height
    from ..outputs.registry import check_colors, check_printer

    suffix = path.suffix.lower()
    model, kit, clips = suffix in MESH_FORMATS, suffix == ".pdf", suffix in (".mp4", ".gif")
    animated = clips or suffix == ".webp" and clip is not None
    what = f"a {suffix} model" if model else f"a {suffix} clip" if animated else f"a {suffix} file"
    for flag, given in (("--height-mm", height_mm is not None), ("--base", base is not None)):
        if given and not (model or kit):
            raise MinimeError(f"{flag} is for a 3D model (-o .stl, .3mf or .glb) or the print kit (.pdf), not "
                              f"{what}; leave it out")
    if printer is not None and not (model or kit):
        raise MinimeError(f"--printer is for a 3D model (-o .stl, .3mf or .glb) or the print kit (.pdf), not {what}; "
                          "leave it out")
    if colors is not None and suffix not in (".3mf", ".pdf"):
        why = "an STL has no colour" if suffix == ".stl" else f"not {what}"
        raise MinimeError(f"--colors is for a .3mf model or the print kit (.pdf), {why}; leave it out")
    if clip is not None and not (clips or suffix == ".webp"):
        raise MinimeError(f"--clip is for a clip (-o .mp4 or .gif, or .webp for an animated WebP), not {what}; "
                          "leave it out")
    if back and (model or animated):
        raise MinimeError(f"--back writes the back of the box as an image, which {what} does not have; leave it "
                          "out (--layers FOLDER writes back.png beside any output)")
    height_mm = check_height(HEIGHT_MM if height_mm is None else height_mm)
    base = check_base(BASE if base is None else base)
    if clip is not None:
        check_clip(clip)
    elif clips:
        clip = "figure"
    # The engine would run for seconds (or a paid cloud call) before the encoder found no mesh to export.
    if model:
        check_mesh(engine, f"a {suffix} model")
    elif clip in ("figure", "unbox"):
        check_mesh(engine, f"--clip {clip}" if suffix == ".webp" else f"a {suffix} clip of the figure")
    fmt = "webp-clip" if suffix == ".webp" and clip is not None else None
    return fmt, OutputOptions(height_mm=height_mm, base=base, clip=clip or "figure",
                              printer=check_printer("fdm" if printer is None else printer),
                              colors=check_colors(4 if colors is None else colors))


def encode_output(result, path: Path, options=None, fmt: str | None = None) -> bytes:
    """The box, or a model or clip of the figure, as the file name (or `fmt`) asks, encoded in memory; the
    encoding is the result's metered "export" stage."""
    from ..outputs import check_output

    return result.encode(fmt or check_output(path, result.size), options)
