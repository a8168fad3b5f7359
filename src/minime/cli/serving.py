"""`minime serve` (the web app) and `minime batch` (a campaign)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app, err, guard, named, out, plain


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; 0.0.0.0 lets phones on your network in.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    event: Annotated[Path | None, typer.Option("--event", parser=named("a brief file name"), metavar="FILE", help="A campaign brief (YAML): the page is preset with its brand kit, template and defaults.")] = None,
) -> None:
    """Run the web app: open http://HOST:PORT in a browser (the HTTP API is documented at /docs)."""

    def run():
        from ..errors import MissingExtraError

        try:
            import uvicorn

            from ..web.app import LOOPBACK_HOSTS, create_app
        except ImportError:
            raise MissingExtraError("minime serve needs the web app's packages: pip install 'minime[web]'") from None
        # A server on loopback answers only to loopback names, so no web page can reach it by DNS rebinding.
        hosts = LOOPBACK_HOSTS if host in (*LOOPBACK_HOSTS, "[::1]") else None
        shown = f"[{host}]" if ":" in host else host
        preset = None
        if event is not None:
            from ..batch import load_brief

            preset = load_brief(event, roster=False)
            err.print(f"event mode: {plain(preset.title)} (template {plain(preset.template)})", highlight=False)
        err.print(f"minime is at [bold]http://{plain(shown)}:{port}[/] (the API at /docs); Ctrl+C stops it", highlight=False)
        uvicorn.run(create_app(allowed_hosts=hosts, warm_previews=True, event=preset), host=host, port=port,
                    log_level="warning")

    guard(run)


@app.command()
def batch(
    brief: Annotated[Path, typer.Argument(parser=named("a brief file name"), metavar="BRIEF", help="The campaign brief (YAML): template, brand, defaults, roster.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", parser=named("a folder name"), metavar="FOLDER", help="Output folder; BRIEF-figures beside the brief if not given.")] = None,
    workers: Annotated[int | None, typer.Option("--workers", "-w", min=1, help="Local processes, or Ray actors (default: local 1, Ray one per CPU or GPU).")] = None,
    executor: Annotated[str, typer.Option("--executor", help="local (default) or ray (needs minime[scale]).")] = "local",
    address: Annotated[str | None, typer.Option("--address", help="With --executor ray: the cluster to join, e.g. auto or ray://head:10001.")] = None,
    qr: Annotated[str | None, typer.Option("--qr", metavar="URL", help="Also write qr.png and qr.svg that open this URL (the event page).")] = None,
    allow_cloud: Annotated[bool, typer.Option("--allow-cloud", help="Agree to send the photos to a cloud engine's provider.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Make one figure per roster row; re-running skips finished rows and redoes changed ones."""

    def run():
        from ..batch import run as run_batch

        summary = run_batch(brief, output, workers=workers, executor=executor, address=address, qr=qr,
                            allow_cloud=allow_cloud or None, progress=False if quiet else err)
        for row, name, error in summary.failures:  # a roster's name and the reason: shown, never run by the terminal
            err.print(f"failed: row {row} ({plain(name)}): {plain(error)}", highlight=False)
        made = f"{summary.made} made" + (f", {summary.reused} unchanged" if summary.reused else "")
        out.print(f"{summary.done} of {summary.rows} figures in {plain(summary.folder)} ({made}, {summary.failed} failed) "
                  f"in {summary.seconds:.1f}s, {summary.wh:.4g} Wh", highlight=False)
        out.print(f"contact sheet: {plain(summary.index)}; results: {plain(summary.results)}", highlight=False)
        for path in summary.qr:
            out.print(f"QR code: {plain(path)}", highlight=False)

    guard(run)
