"""Campaigns: one figure per person on a roster, from one brief (template, brand kit, defaults).

    template: classic
    brand: brand.yaml              # optional brand kit
    defaults: {accessories: [laptop]}
    roster: people.csv             # photo,name,tagline,accessories (';'-separated); paths relative to the brief

`run` writes into an output folder: `figures/` (one file per good row), `results.csv` (one line per row),
`index.html` (a contact sheet of `thumbs/`, a small JPEG of each figure) and, with a URL, `qr.png` and
`qr.svg`. It is resumable and idempotent: each row is keyed by a hash of its photo's bytes, its spec and the
brief's settings; a row whose key has a finished figure is not made again, a changed row is. The parent
process alone writes the folder: workers hand back each finished figure's encoded, signed bytes and its
thumbnail, the parent writes them into `figures/` and `thumbs/` (`files.write_all`), appends the row to a
journal (`.minime/journal.jsonl`: a made figure's line fsynced at once, failed rows' lines in groups) and then
a line to `results.csv`. A `kill -9` therefore loses nothing finished and leaves no half-written file in sight;
the next run picks up.

Executors: "local" (this process, or `workers` processes that each keep the models loaded) and "ray"
(actors that each keep an engine loaded, with a GPU each when the engine wants one).
"""

from __future__ import annotations

import os
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import MinimeError, UnknownNameError
from ..spec import FigureSpec
from . import executors
from .brief import EXECUTORS, FORMATS, RESULT_COLUMNS, ROSTER_COLUMNS, Brief, Row, load_brief, read_roster
from .executors import Context, actor_resources, init_worker, make_row, needs_gpu
from .sheet import check_url, contact_sheet, results_csv, thumb_name, thumbnail, write_qr, write_thumbs
from .store import Entry, Folder, extra_name, output_name, row_keys

__all__ = ["Brief", "Row", "Summary", "load_brief", "run", "EXECUTORS", "FORMATS", "RESULT_COLUMNS", "ROSTER_COLUMNS",
           "read_roster", "Context", "actor_resources", "init_worker", "make_row", "needs_gpu", "Entry", "Folder",
           "output_name", "row_keys", "check_url", "contact_sheet", "results_csv", "thumbnail", "write_qr"]


@dataclass
class Summary:
    """What a run did."""

    folder: Path
    rows: int
    done: int
    failed: int
    made: int                     # figures made by this run
    reused: int                   # rows already finished by an earlier run, with the same key
    seconds: float                # wall time of this run
    wh: float                     # energy of the figures made by this run
    failures: list[tuple[int, str, str]] = field(default_factory=list)  # (row, name, error)
    qr: list[Path] = field(default_factory=list)

    @property
    def results(self) -> Path:
        return self.folder / "results.csv"

    @property
    def index(self) -> Path:
        return self.folder / "index.html"


def default_folder(brief: Brief) -> Path:
    """`campaign-figures/` beside `campaign.yaml`."""
    return brief.path.with_name(f"{brief.path.stem}-figures")


def run(brief: Brief | str | Path, folder: str | Path | None = None, *, workers: int | None = None,
        executor: str = "local", address: str | None = None, qr: str | None = None, allow_cloud: bool | None = None,
        progress: Any = True, _ship: bool | None = None) -> Summary:
    """Make every figure of a campaign that is not made yet.

    Args:
        brief: a Brief or the path of a brief YAML.
        folder: the output folder; `<brief>-figures` beside the brief if None.
        workers: processes (local) or actors (ray); local: 1, ray: one per CPU (or GPU) of the cluster if None.
        executor: "local" or "ray".
        address: the Ray cluster to join ("auto", "ray://host:10001"); a new local one if None.
        qr: a URL (the event page): writes qr.png and qr.svg.
        allow_cloud: consent to send the photos to a cloud engine's provider; settings().allow_cloud if None.
        progress: show a progress bar on stderr (True), not (False), or on this rich Console.
    Returns:
        The Summary; per-row failures are in it and in results.csv.
    Raises:
        MinimeError: a bad brief, roster, executor or folder (nothing is made).
    """
    from ..engines.base import check_consent
    from ..settings import settings

    started = time.perf_counter()
    if not isinstance(brief, Brief):
        brief = load_brief(brief)
    if executor not in EXECUTORS:
        raise UnknownNameError(f"unknown executor {executor!r}; choose one of: {', '.join(EXECUTORS)}")
    if workers is not None and workers < 1:
        raise MinimeError(f"--workers must be 1 or more (got {workers})")
    if executor == "ray":
        executors._import_ray()
    qr = check_url(qr) if qr else None
    consent = settings().allow_cloud if allow_cloud is None else allow_cloud
    check_consent(brief.engine, consent)
    from ..engines import get_engine

    get_engine(brief.engine, **brief.engine_options)  # a bad option or a missing extra fails here, not in every worker
    context = Context(brief.engine, brief.engine_options, brief.template, brief.size, brief.likeness, brief.seed,
                      brief.brand, consent)
    folder = Path(folder) if folder is not None else default_folder(brief)
    keys = row_keys(brief)
    rows = {row.number: row for row in brief.rows}

    with Folder(folder) as place:
        journal = place.read_journal()
        ours = os.path.relpath(brief.path, folder.resolve())  # moving the campaign with its folder keeps it ours
        others = [e for e in journal.values() if e.brief not in ("", ours)]
        written = {e.output for e in journal.values() if e.brief in ("", ours) and e.status == "done" and e.output}
        entries: dict[int, Entry] = {}
        todo: list[tuple[Row, FigureSpec]] = []
        reused = 0
        for row in brief.rows:
            key = keys[row.number]
            old = journal.get(key)
            if row.problem is not None:  # unchanged only if an earlier run already reported it
                entries[row.number] = Entry(key, "failed", error=row.problem, brief=ours)
                reused += old is not None
            elif (old is not None and old.status == "done" and (folder / old.output).is_file()
                  and all((folder / extra_name(old.output, fmt)).is_file() for fmt in brief.also)):
                entries[row.number], reused = replace(old, brief=ours), reused + 1
            elif old is not None and old.status == "failed" and old.final:
                entries[row.number], reused = replace(old, brief=ours), reused + 1
            else:
                assert row.spec is not None  # a row without a problem always has its spec
                todo.append((row, row.spec))
        tasks = [{"row": row.number, "key": keys[row.number], "photo": str(row.path),
                  "spec": spec.model_dump(), "format": brief.format, "also": brief.also,
                  "also_options": brief.also_options}
                 for row, spec in todo]
        qr_files = write_qr(place, qr) if qr else []
        made, wh = 0, 0.0
        last_sheet = 0.0

        def publish(final: bool = False, row: Row | None = None) -> None:
            """Show the progress: a finished `row` is appended to results.csv (the journal is the durable
            record, so a rewrite per row would only cost time); at the start and the end it is written whole,
            in roster order."""
            nonlocal last_sheet
            if row is None:
                place.write_text(folder / "results.csv", results_csv(brief.rows, entries))
            else:
                place.append_text(folder / "results.csv", results_csv([row], entries, header=False))
            if final or time.monotonic() - last_sheet > 5:
                place.write_text(folder / "index.html", contact_sheet(brief, entries, qr=qr, running=not final))
                last_sheet = time.monotonic()

        if tasks:  # with nothing to make, the one at the end is all there is to show
            publish()
        bar = _Bar(progress, len(tasks), reused)
        try:
            with bar:
                outcomes = (executors._local(context, tasks, workers or 1) if executor == "local"
                            else executors._ray(context, tasks, workers, address, _ship))
                for out in _closing(outcomes):
                    row = rows[out["row"]]
                    if out["ok"]:
                        output = output_name(row, out["key"], brief.format)
                        files = {output: out.pop("data")}
                        files.update({extra_name(output, fmt): data for fmt, data in out.pop("also", {}).items()})
                        if out.get("thumb"):  # the worker's; a row without one gets it from its file at the end
                            files[thumb_name(output)] = out.pop("thumb")
                        place.place_all(files)
                        entry = Entry(out["key"], "done", output, out.get("likeness"), out.get("seconds"), out.get("wh"),
                                      brief=ours)
                        made += 1
                        wh += out.get("wh") or 0.0
                    else:
                        entry = Entry(out["key"], "failed", error=out["error"], seconds=out.get("seconds"),
                                      final=out.get("final", False), brief=ours)
                    place.append(entry, row)  # in the journal (a made figure durably) before results.csv shows it
                    entries[row.number] = entry
                    publish(row=row)
                    bar.advance(entry.status == "failed")
        finally:
            current = {entries[n].output for n in entries if entries[n].status == "done"}
            place.sweep(written, current)
            place.compact(((rows[n], entries[n]) for n in sorted(entries) if entries[n].status == "done" or entries[n].final),
                          others)
            write_thumbs(place, entries, brief.engine)
            publish(final=True)

    failures = [(row.number, row.name, entries[row.number].error) for row in brief.rows
                if row.number in entries and entries[row.number].status == "failed"]
    done = sum(1 for e in entries.values() if e.status == "done")
    return Summary(folder, len(brief.rows), done, len(failures), made, reused, time.perf_counter() - started, wh,
                   failures, qr_files)


def _closing(outcomes: Generator[dict, None, None]) -> Iterator[dict]:
    """Iterate, and stop the executor (its pool or Ray) at once when the loop ends early (Ctrl+C, an error)."""
    try:
        yield from outcomes
    finally:
        outcomes.close()


class _Bar:
    """A rich progress bar over the rows to make, with an ETA; silent when progress is False."""

    def __init__(self, progress: Any, total: int, reused: int):
        self.progress = None
        self.failed = 0
        if progress is False or total == 0:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        console = progress if isinstance(progress, Console) else Console(stderr=True)
        # two redraws a second, not rich's ten: those took 2% of a core from the workers, and the clocks
        # show whole seconds anyway
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[failed]} failed"), TimeElapsedColumn(), TextColumn("ETA"),
                                 TimeRemainingColumn(), console=console, refresh_per_second=2)
        note = f" ({reused} already done)" if reused else ""
        self.task = self.progress.add_task(f"figures{note}", total=total, failed=0)

    def __enter__(self):
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.progress is not None:
            self.progress.stop()

    def advance(self, failed: bool) -> None:
        self.failed += failed
        if self.progress is not None:
            self.progress.update(self.task, advance=1, failed=self.failed)
