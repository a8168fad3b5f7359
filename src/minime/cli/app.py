"""The `minime` app: its consoles, one-line errors for user mistakes, the options commands share, and main()."""

from __future__ import annotations

import atexit
import errno
import gc
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Turn a selfie into a collectible action figure in its toy box. Offline by default.")
# No :emoji: codes: user text (a name, a template, an accessory) is printed as typed.
out = Console(soft_wrap=True, emoji=False)
err = Console(stderr=True, soft_wrap=True, emoji=False)

SIZE_HELP = ("feed (1080x1350), square (1080x1080), story (1080x1920), print (2400x3000, 300 dpi) "
             "or print-kit (a PDF: the box's dieline and a stand-up figure to print, cut and fold)")


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        out.print(f"minime {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False) -> None:
    """Turn a selfie into a collectible action figure in its toy box."""


def named(what: str):
    """A parser for a file or folder argument: Click turns "" into Path("."), which then reads as "'.' is a
    directory" or, for --layers, writes into the current folder; an empty name is refused instead."""

    def parse(value) -> Path:
        if isinstance(value, Path):
            return value
        if not str(value).strip():
            raise typer.BadParameter(f"empty; give {what}")
        return Path(value)

    return parse


# What Rich would read as a tag, and the backslashes before it (rich.markup.escape's pattern).
_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def plain(text: object) -> str:
    """Text that may hold the user's words, for a line with Rich markup: printable (control and bidi characters
    shown as `\\x1b`, `U+202E`) and taken literally (`[bold]` stays `[bold]`). Unlike rich.markup.escape it
    leaves a trailing backslash single, so put no tag right after it."""
    from ..errors import printable

    return _TAG.sub(lambda m: f"{m[1]}{m[1]}\\{m[2]}", printable(text))


# The characters json.dumps leaves raw that change what a terminal shows.
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def print_json(data) -> None:
    """Print JSON on stdout with DEL, the C1 controls and the bidi characters as \\u escapes: json.dumps
    escapes only the C0 controls, and Rich's print_json would decode the escapes again."""
    import json

    from rich.highlighter import JSONHighlighter

    text = _JSON_RAW.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(data, ensure_ascii=False, indent=2))
    out.print(JSONHighlighter()(text), soft_wrap=True)


def _fail(message: str, code: int) -> None:
    err.print(f"[bold red]error:[/] {plain(message)}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


def guard(fn):
    """Run a command body: user mistakes exit 2 with one line, anything else exits 1 without a trace."""
    from ..engines.base import EngineError
    from ..errors import MinimeError

    try:
        return fn()
    except MinimeError as exc:
        _fail(str(exc), 2)
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except EngineError as exc:  # the provider or model failed: one line, exit 1
        _fail(str(exc), 1)
    except OSError as exc:
        if exc.errno in (errno.ENAMETOOLONG, errno.ELOOP):  # a name the user gave that no file system takes
            from ..files import shown

            why = ("too long: at most 255 bytes a name and 4096 a path" if exc.errno == errno.ENAMETOOLONG
                   else "a loop of symbolic links")
            _fail(f"{shown(exc.filename or '')[:80]}{'...' if len(str(exc.filename or '')) > 80 else ''}: the file name "
                  f"is {why}; give another name", 2)
        _internal(exc)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for the user
        _internal(exc)


def _internal(exc: Exception) -> None:
    from ..errors import MinimeError
    from ..settings import settings

    try:
        debug = settings().debug
    except MinimeError:  # a bad setting is its own one-line error; here it only means no debugging
        debug = False
    if debug:
        raise exc
    _fail(f"internal error ({type(exc).__name__}: {exc}); set MINIME_DEBUG=1 to see the details", 1)


NameOpt = Annotated[list[str] | None, typer.Option("--name", "-n", help="Name on the box. A group photo takes one name for everyone (e.g. 'The Smiths') or one per face, left to right (repeat it).")]
TaglineOpt = Annotated[str | None, typer.Option(help="Line under the name, up to 60 characters.")]
AccessoryOpt = Annotated[list[str] | None, typer.Option("--accessory", "-a", help="An accessory, in your words (repeat, up to 6).")]
OutfitOpt = Annotated[str | None, typer.Option(help="Outfit: a colour and a material, e.g. 'red hoodie', 'black leather jacket', 'gold armour'.")]
TemplateOpt = Annotated[str | None, typer.Option("--template", "-t", help="Box template; see `minime templates`.")]
ColorOpt = Annotated[str | None, typer.Option("--color", "-c", help="Box colour: a CSS name or hex like #1a2b3c.")]
SizeOpt = Annotated[str, typer.Option("--size", "-s", help=SIZE_HELP)]
OutOpt = Annotated[Path | None, typer.Option("--output", "-o", parser=named("a file name"), metavar="FILE", help="Output file: .png, .jpg or .webp.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object describing the result.")]
SpecOpt = Annotated[Path | None, typer.Option("--spec", parser=named("a spec file name"), metavar="FILE", help="Read the figure spec from a YAML or JSON file; flags override it.")]
BrandOpt = Annotated[Path | None, typer.Option("--brand", parser=named("a brand kit file name"), metavar="FILE", help="A brand kit (YAML): logo, exact colours, fonts, slogan, legal line.")]
BackOpt = Annotated[bool, typer.Option("--back", help="Also render the back of the box (bio, stats, warnings) as NAME-back.png.")]
LayersOpt = Annotated[Path | None, typer.Option("--layers", parser=named("a folder name"), metavar="FOLDER", help="Also write front, back, figure and accessories as PNGs into this folder.")]
JobOpt = Annotated[str | None, typer.Option("--job", help="Back of the box: the figure's job.")]
PowerOpt = Annotated[list[str] | None, typer.Option("--power", help="Back of the box: a power (repeat, up to 4).")]
QuoteOpt = Annotated[str | None, typer.Option("--quote", help="Back of the box: a quote, up to 120 characters.")]
StatOpt = Annotated[list[str] | None, typer.Option("--stat", help="Back of the box: a stat bar as LABEL=0..10 (repeat, up to 5).")]


# The cyclic garbage collector's first threshold while `minime make` runs (Python's default is 700). It makes
# most of its objects once (about a thousand modules' functions, classes and constants) and keeps them to the
# end; at the default pace the collector walked them again and again, 0.1 s of the command. Long-running
# commands (serve, batch) keep the default, so cyclic garbage holding images is freed at the usual pace.
GC_THRESHOLD = 50_000


def _freeze_at_exit() -> None:
    """Move every object left to the collector's permanent generation, so the interpreter's last collections
    at exit pass over none of them (they took 0.1 s after a `minime make`). Objects are still freed one by
    one as the modules go; only cyclic garbage is left to the operating system, which takes it all."""
    gc.freeze()


def main() -> None:
    # Typer carries its own copy of Click: its exceptions are the ones raised here
    from typer import _click as click

    threshold = gc.get_threshold()
    if sys.argv[1:2] == ["make"]:
        gc.set_threshold(max(threshold[0], GC_THRESHOLD), *threshold[1:])
    atexit.unregister(_freeze_at_exit)  # once, however often main() runs in one process
    atexit.register(_freeze_at_exit)
    try:
        code = app(standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        err.print(exc.format_message(), highlight=False, markup=False)
        sys.exit(2)
    except click.exceptions.UsageError as exc:  # a bad flag or value: one line, like every other mistake
        err.print(f"[bold red]error:[/] {plain(' '.join(exc.format_message().split()))}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        err.print("interrupted")
        sys.exit(130)
    finally:
        gc.set_threshold(*threshold)
    sys.exit(code if isinstance(code, int) else 0)
