"""The commands that show: demo, verify, footprint, engines, accessories and templates."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from .app import BackOpt, BrandOpt, SizeOpt, app, err, guard, named, out, plain, print_json
from .flags import brand_kit
from .saving import check_extras, encode_extras, encode_output, inputs_of, report_result, write_outputs


@app.command()
def demo(output: Annotated[Path, typer.Option("--output", "-o", parser=named("a file name"), metavar="FILE", help="Where to write the demo box.")] = Path("minime-demo.png")) -> None:
    """Make a figure from a bundled public-domain portrait (NASA astronaut Eileen Collins)."""
    started = time.perf_counter()

    def run():
        from importlib.resources import files

        from ..pipeline import make as make_figure

        photo = files("minime") / "assets" / "astronaut.jpg"
        result = make_figure(photo.read_bytes(), {"name": "Eileen Collins", "tagline": "First woman to command a Space Shuttle",
                                                  "accessories": ["rocket", "telescope", "camera"], "color": "#1d4e89"},
                                 record=False)
        try:
            path = result.save(output)  # metered: the receipt and the history count writing it
        finally:
            result.record()
        report_result(result, path, False, started)

    guard(run)


@app.command()
def verify(file: Annotated[Path, typer.Argument(parser=named("the file's name"), metavar="FILE", help="A file made by minime: an image (PNG, JPEG, WebP), a clip (MP4, GIF, WebP), a model (STL, 3MF, GLB) or a print kit (PDF).")]) -> None:
    """Check what a file minime made says about itself: an image's AI label, signature and watermark; a clip's
    signature; a model's or print kit's label (those formats carry no signature). Exit 0 only when everything
    the format can carry is there and checks out."""

    def run():
        from ..errors import MinimeError
        from ..provenance import verify as check
        from ..provenance.formats import UNSIGNED

        try:
            v = check(file)
        except FileNotFoundError:
            raise MinimeError(f"file not found: {file}") from None
        if not v.kind:  # not one of our formats: the one line says so
            err.print(f"[yellow]problem:[/] {plain(v.problems[0])}", highlight=False)
            raise typer.Exit(1)
        yes = lambda ok: "[green]yes[/]" if ok else "[red]no[/]"  # noqa: E731
        out.print(f"file:       {v.format}", highlight=False)
        out.print(f"AI label:   {yes(v.ai_label)}")
        if v.signable:
            signature = "tampered" if v.tampered else ("valid" if v.valid else ("absent" if not v.signed else "invalid"))
            colour = "green" if v.valid and not v.tampered else "red"
            out.print(f"signature:  [{colour}]{signature}[/]" + (", trusted" if v.trusted else ", untrusted signer" if v.signed else ""))
        else:
            out.print(f"signature:  none: {UNSIGNED}", highlight=False)
        if v.kind == "image":
            out.print(f"watermark:  {yes(v.watermark)}")
        for i, what in enumerate(v.carries):  # the file's own words: untrusted
            out.print(f"{'carries:' if i == 0 else '':<12}{plain(what)}", highlight=False)
        if v.kind in ("image", "clip"):
            out.print(f"engine:     {plain(v.engine or '-')}", highlight=False)  # what the file claims: untrusted
            out.print(f"created:    {plain(v.created or '-')}", highlight=False)
        for problem in v.problems:
            err.print(f"[yellow]problem:[/] {plain(problem)}", highlight=False)
        if not v.ok:
            raise typer.Exit(1)

    guard(run)


@app.command()
def footprint() -> None:
    """Totals of the energy your figures took, from the local history (no photos, no names)."""

    def run():
        from ..footprint import totals

        t = totals()
        if not t["figures"]:
            out.print("no figures made yet")
            return
        engines = ", ".join(f"{name} {count}" for name, count in t["engines"].items())
        out.print(f"{t['figures']} figures ({engines}): {t['seconds']:.1f} s, {t['wh']:.4g} Wh, {t['g_co2e']:.4g} g CO2e",
                  highlight=False)

    guard(run)


@app.command()
def engines(as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list: each engine, the model it would use and how to change it.")] = False) -> None:
    """List the engines, and the model each would use."""

    def run():
        from ..engines import ENGINES
        from ..engines.cloud import model_choice

        rows = [{"name": info.name, "where": "local" if info.runs_locally else "cloud", "provider": info.provider or None,
                 "summary": info.summary, **(model_choice(info.name) or {})} for info in ENGINES.values()]
        if as_json:
            print_json(rows)
            return
        for row in rows:
            out.print(f"[bold]{plain(row['name']):<10}[/] {row['where']:<6} {plain(row['summary'])}", highlight=False)
            if "model" in row:  # from a setting: the user's text
                out.print(f"{'':<17} model {plain(row['model'])} ({plain(row['change'])})", highlight=False)

    guard(run)


ACCESSORY_WORDS_MAX = 100  # words `minime accessories` matches in one run (each takes a few milliseconds)


@app.command()
def accessories(
    query: Annotated[list[str] | None, typer.Argument(help=f"Accessories in your words, e.g. 'my cat' 'a cup of espresso', up to {ACCESSORY_WORDS_MAX} at a time; none lists the catalogue.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: each input, the piece chosen and its confidence (or the catalogue).")] = False,
) -> None:
    """Search the accessory catalogue: the piece each of your words gives, or every piece."""

    def run():
        from ..accessories import catalogue, match_accessory, search
        from ..errors import MinimeError, printable
        from ..spec import build_spec

        if not query:
            pieces = catalogue()
            if as_json:
                print_json([vars(p) for p in pieces])
                return
            for p in pieces:
                out.print(f"{p.emoji or ' ':<3}{p.key:<36} {p.label}", highlight=False, markup=False)
            out.print(f"{len(pieces)} pieces ({sum(p.kind == 'drawn' for p in pieces)} drawn, the rest moulded from Noto emoji)",
                      highlight=False)
            return
        if len(query) > ACCESSORY_WORDS_MAX:
            raise MinimeError(f"accessories: at most {ACCESSORY_WORDS_MAX} at a time (got {len(query)}); "
                              "ask for the rest in another run")
        for item in query:  # the same one-line errors as a spec's accessories
            build_spec(name="x", accessories=[item])
        rows = []
        for item in query:
            m = match_accessory(item)
            rows.append({"input": item, "piece": m.key if m.known else None, "label": m.label if m.known else None,
                         "emoji": m.emoji or None, "confidence": m.score,
                         "also": [p.key for p in search(item, 8) if p.key != m.key]})
        if as_json:
            print_json(rows)
            return
        for row in rows:  # the words as typed: no markup, no :emoji: codes
            word = printable(row["input"])
            if row["piece"]:
                out.print(f"{word:<24} -> {row['emoji'] or ' '} {row['piece']} ({row['confidence']:.2f})",
                          highlight=False, markup=False)
            else:
                out.print(f"{word:<24} -> no piece for '{word}'; showing a labelled prop", highlight=False, markup=False)
            if row["also"]:
                out.print(f"{'':<24}    also in the catalogue: {', '.join(row['also'])}", highlight=False, markup=False)

    guard(run)


templates_app = typer.Typer(add_completion=False, rich_markup_mode=None, help="List the box templates, or preview one.")
app.add_typer(templates_app, name="templates")


@templates_app.callback(invoke_without_command=True)
def templates(ctx: typer.Context) -> None:
    """List the box templates."""
    if ctx.invoked_subcommand is not None:
        return
    from ..box.render import get_template, template_names

    for name in template_names():
        out.print(f"[bold]{plain(name):<12}[/] {plain(get_template(name).get('summary', ''))}", highlight=False)


@templates_app.command("show")
def templates_show(
    name: Annotated[str, typer.Argument(help="A template name; see `minime templates`.")],
    output: Annotated[Path, typer.Option("--output", "-o", parser=named("a file name"), metavar="FILE", help="Where to write the preview (.png, .jpg or .webp).")] = Path("preview.png"),
    figure_name: Annotated[str, typer.Option("--name", "-n", help="The name on the preview box.")] = "Eileen Collins",
    size: SizeOpt = "feed",
    brand: BrandOpt = None,
    back: BackOpt = False,
) -> None:
    """Render a preview of a template with the bundled sample figure."""
    started = time.perf_counter()

    def run():
        from ..box.render import SAMPLE_FIGURE, get_template, needs_mesh
        from ..outputs import check_output
        from ..pipeline import box_saved_figure
        from ..spec import build_spec

        get_template(name)
        check_output(output, size)
        spec = build_spec(name=figure_name, tagline="First woman to command a Space Shuttle", template=name,
                          accessories=["rocket", "telescope", "camera"], color="#1d4e89", job="Astronaut and test pilot",
                          powers=["Flies the Space Shuttle", "Keeps calm at Mach 25"], quote="Dream big.",
                          stats={"Courage": 10, "Piloting": 10, "Calm": 9})
        check_extras(output, back, None, inputs=inputs_of(brand_kit(brand) if brand else None, brand_kit=brand))
        if needs_mesh(name):  # a scene shows the figure's 3D model: sculpt the bundled portrait (a few seconds)
            from importlib.resources import files as resources

            from ..pipeline import make as make_figure

            photo = (resources("minime") / "assets" / "astronaut.jpg").read_bytes()
            result = make_figure(photo, spec, size=size, likeness=False, brand=brand_kit(brand), back=back)
        else:
            result = box_saved_figure(SAMPLE_FIGURE, spec, size=size, brand=brand_kit(brand), back=back)
        files = {output: encode_output(result, output)}
        extras = encode_extras(result, output, back, None, files)
        write_outputs(files)
        report_result(result, output, False, started, extras)

    guard(run)
