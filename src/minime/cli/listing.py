"""The commands that show: demo, verify, footprint, engines, accessories and templates."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from .app import BackOpt, BrandOpt, SizeOpt, app, err, guard, named, out
from .flags import brand_kit
from .saving import check_extras, encode_extras, encode_output, report_result, write_outputs


@app.command()
def demo(output: Annotated[Path, typer.Option("--output", "-o", parser=named("a file name"), metavar="FILE", help="Where to write the demo box.")] = Path("minime-demo.png")) -> None:
    """Make a figure from a bundled public-domain portrait (NASA astronaut Eileen Collins)."""
    started = time.perf_counter()

    def run():
        from importlib.resources import files

        from ..pipeline import make as make_figure

        photo = files("minime") / "assets" / "astronaut.jpg"
        result = make_figure(photo.read_bytes(), {"name": "Eileen Collins", "tagline": "First woman to command a Space Shuttle",
                                                  "accessories": ["rocket", "telescope", "camera"], "color": "#1d4e89"})
        report_result(result, result.save(output), False, started)

    guard(run)


@app.command()
def verify(file: Annotated[Path, typer.Argument(parser=named("the image's file name"), metavar="FILE", help="An image made by minime.")]) -> None:
    """Check a figure's AI label, signature and watermark. Exit 0 only for a valid, untampered figure."""

    def run():
        from ..errors import MinimeError
        from ..provenance import verify as check

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
        from rich.markup import escape

        from ..engines import ENGINES
        from ..engines.cloud import model_choice

        rows = [{"name": info.name, "where": "local" if info.runs_locally else "cloud", "provider": info.provider or None,
                 "summary": info.summary, **(model_choice(info.name) or {})} for info in ENGINES.values()]
        if as_json:
            out.print_json(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            out.print(f"[bold]{row['name']:<10}[/] {row['where']:<6} {escape(row['summary'])}", highlight=False)
            if "model" in row:
                out.print(f"{'':<17} model {escape(row['model'])} ({row['change']})", highlight=False)

    guard(run)


@app.command()
def accessories(
    query: Annotated[list[str] | None, typer.Argument(help="Accessories in your words, e.g. 'my cat' 'a cup of espresso'; none lists the catalogue.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: each input, the piece chosen and its confidence (or the catalogue).")] = False,
) -> None:
    """Search the accessory catalogue: the piece each of your words gives, or every piece."""

    def run():
        from rich.markup import escape

        from ..accessories import catalogue, match_accessory, search
        from ..spec import build_spec

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
        out.print(f"[bold]{name:<12}[/] {get_template(name).get('summary', '')}", highlight=False)


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
        check_extras(output, back, None)
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
