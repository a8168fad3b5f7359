"""Campaigns: one figure per person on a roster, from one brief (template, brand kit, defaults).

    template: classic
    brand: brand.yaml              # optional brand kit
    defaults: {accessories: [laptop]}
    roster: people.csv             # photo,name,tagline,accessories (';'-separated); paths relative to the brief

`run` writes into an output folder: `figures/` (one file per good row), `results.csv` (one line per row),
`index.html` (a contact sheet) and, with a URL, `qr.png` and `qr.svg`. It is resumable and idempotent:
each row is keyed by a hash of its photo's bytes, its spec and the brief's settings; a row whose key has
a finished figure is not made again, a changed row is. The parent process alone writes the folder:
workers hand back each finished figure's encoded, signed bytes, the parent writes them into `figures/`
(`export.atomic_write`), appends the row to a journal (`.minime/journal.jsonl`, fsynced) and rewrites
`results.csv` atomically. A `kill -9`
therefore loses nothing finished and leaves no half-written file in sight; the next run picks up.

Executors: "local" (this process, or `workers` processes that each keep the models loaded) and "ray"
(actors that each keep an engine loaded, with a GPU each when the engine wants one).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import re
import time
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import quote

from .errors import MinimeError, MissingExtraError, SpecError, UnknownNameError, did_you_mean
from .spec import FIELDS, BrandKit, FigureSpec, build_spec, load_brand

__all__ = ["Brief", "Row", "Summary", "load_brief", "run", "EXECUTORS"]

EXECUTORS = ("local", "ray")
FORMATS = ("png", "jpg", "webp")
BRIEF_FIELDS = ("title", "template", "brand", "defaults", "roster", "engine", "model", "size", "format", "likeness", "seed",
                "allow_paths_outside")
REQUIRED_COLUMNS = ("photo", "name")
ROSTER_COLUMNS = ("photo", "name", "tagline", "accessories", "outfit", "color", "job", "powers", "quote")
LIST_COLUMNS = ("accessories", "powers")  # cells hold items separated by ';'
RESULT_COLUMNS = ("row", "photo", "name", "status", "output", "likeness", "seconds", "wh", "error")
BRIEF_MAX_BYTES = 1_000_000
ROSTER_MAX_BYTES = 50_000_000
ROSTER_MAX_ROWS = 100_000
STATE_DIR = ".minime"      # inside the output folder: journal, lock and temp files
FIGURES_DIR = "figures"
KEY_VERSION = "minime-batch-1"  # part of every key: bump it when a change makes old figures wrong
_OUTPUT_NAME = re.compile(r".+-[0-9a-f]{12}\.(?:png|jpg|webp)")
QR_MAX = 1000


# ---------------------------------------------------------------- the brief

@dataclass(frozen=True)
class Row:
    """One roster row: what to make, or why it cannot be made."""

    number: int                 # 1 = the first person under the header
    photo: str                  # as written in the roster
    name: str                   # as written (kept even when the spec is bad)
    path: Path | None           # the photo, resolved against the brief's folder
    spec: FigureSpec | None
    problem: str | None = None  # a bad cell: the row fails without any work


@dataclass(frozen=True)
class Brief:
    """A campaign brief, validated; paths in it are absolute."""

    path: Path
    title: str
    template: str
    brand: BrandKit | None
    defaults: dict[str, Any]
    roster: Path | None
    rows: tuple[Row, ...]
    engine: str = "sculpt"
    engine_options: dict[str, Any] = field(default_factory=dict)
    size: str = "feed"
    format: str = "png"
    likeness: bool = True
    seed: int | None = None


def _show(path: Path | str) -> str:
    text = str(path)
    return text if text.isprintable() else repr(text)[1:-1]


def load_brief(path: str | Path, *, roster: bool = True) -> Brief:
    """Load and check a campaign brief (YAML) and its roster (CSV).

    Args:
        path: the brief.
        roster: also read the roster (False for event mode, which needs only the look).
    Returns:
        The Brief, with one Row per roster line.
    Raises:
        MinimeError: a one-line message naming the file, row or column at fault.
    """
    from .box.render import get_template
    from .engines import ENGINES
    from .export import size_of
    from .spec import read_mapping

    path = Path(path)
    data, shown = read_mapping(path, "brief", max_bytes=BRIEF_MAX_BYTES, example="'roster: people.csv'")
    for key in data:
        if key not in BRIEF_FIELDS:
            raise MinimeError(f"{shown}: unknown field {str(key)!r}{did_you_mean(str(key), BRIEF_FIELDS)}; "
                              f"allowed: {', '.join(BRIEF_FIELDS)}")
    base = path.resolve().parent

    def text(key: str, default: str) -> str:
        value = data.get(key)
        if value is None:
            return default
        if not isinstance(value, str) or not value.strip():
            raise MinimeError(f"{shown}: {key} must be text (got {value!r})")
        return value.strip()

    template = text("template", "classic")
    try:
        get_template(template)
    except UnknownNameError as exc:
        raise MinimeError(f"{shown}: template: {exc}") from None
    engine = text("engine", "sculpt")
    if engine not in ENGINES:
        raise MinimeError(f"{shown}: engine: unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    size = text("size", "feed")
    try:
        size_of(size)
    except UnknownNameError as exc:
        raise MinimeError(f"{shown}: size: {exc}") from None
    if size == "print-kit":
        raise MinimeError(f"{shown}: size: a campaign makes images; use feed, square, story or print")
    fmt = text("format", "png").lower().lstrip(".").replace("jpeg", "jpg")
    if fmt not in FORMATS:
        raise MinimeError(f"{shown}: format: {fmt!r} is not one of {', '.join(FORMATS)}")
    likeness = data.get("likeness", True)
    if not isinstance(likeness, bool):
        raise MinimeError(f"{shown}: likeness must be true or false")
    outside = data.get("allow_paths_outside", False)
    if not isinstance(outside, bool):
        raise MinimeError(f"{shown}: allow_paths_outside must be true or false")
    seed = data.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise MinimeError(f"{shown}: seed must be a whole number")
    options = {"model": text("model", "")} if data.get("model") is not None else {}

    brand = None
    if data.get("brand") is not None:
        brand_path = _relative(base, text("brand", ""))
        brand = load_brand(brand_path)  # its SpecError names the kit's file

    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise MinimeError(f"{shown}: defaults must be a mapping of spec fields, like {{accessories: [laptop]}}")
    for key in defaults:
        if key in ("name", "names"):
            raise MinimeError(f"{shown}: defaults: {key} comes from each roster row, not from the defaults")
        if key == "template":
            raise MinimeError(f"{shown}: defaults: give the template at the top of the brief ('template: {defaults[key]}')")
    try:
        build_spec(name="x", **defaults)
    except SpecError as exc:
        raise MinimeError(f"{shown}: defaults: {exc}") from None
    except TypeError:
        raise MinimeError(f"{shown}: defaults: field names must be text") from None

    title = text("title", brand.name if brand is not None and brand.name else path.stem)
    roster_path, rows = None, ()
    if roster:
        if data.get("roster") is None:
            raise MinimeError(f"{shown}: roster: is required (a CSV file with columns {', '.join(ROSTER_COLUMNS[:4])})")
        roster_path = _relative(base, text("roster", ""))
        rows = tuple(read_roster(roster_path, base=base, defaults=defaults, template=template, outside=outside))
    return Brief(path.resolve(), title, template, brand, dict(defaults), roster_path, rows, engine, options, size, fmt,
                 likeness, seed)


def _relative(base: Path, value: str) -> Path:
    path = Path(value)  # no ~ expansion: a roster names files, not a shell's shorthand
    return path if path.is_absolute() else base / path


def _outside(base: Path, value: str) -> bool:
    """Whether a roster path leaves the brief's folder (absolute, or climbing out with '..' or a link)."""
    if Path(value).is_absolute():
        return True
    return not (base / value).resolve().is_relative_to(base.resolve())


def read_roster(path: Path, *, base: Path, defaults: dict[str, Any], template: str, outside: bool = False) -> list[Row]:
    """Read a roster CSV into rows. The file's structure (header, columns, fields per line) must be right;
    a bad cell (a name too long, no photo) makes only its row fail."""
    from .files import read_bounded

    shown = _show(path)
    raw = read_bounded(path, "roster", limit=ROSTER_MAX_BYTES)
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MinimeError(f"{shown}: not UTF-8 text (bad byte at offset {exc.start}); save the roster as UTF-8 CSV") from None
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        if header is None:
            raise MinimeError(f"{shown}: the roster is empty; its first line names the columns: {', '.join(ROSTER_COLUMNS[:4])}")
        columns = [cell.strip().lower() for cell in header]
        for position, column in enumerate(columns, start=1):
            if not column:
                raise MinimeError(f"{shown}: column {position} has no name in the header")
            if column not in ROSTER_COLUMNS:
                raise MinimeError(f"{shown}: unknown column {column!r}{did_you_mean(column, ROSTER_COLUMNS)}; "
                                  f"allowed: {', '.join(ROSTER_COLUMNS)}")
            if columns.index(column) != position - 1:
                raise MinimeError(f"{shown}: column {column!r} appears twice in the header")
        for column in REQUIRED_COLUMNS:
            if column not in columns:
                raise MinimeError(f"{shown}: no {column!r} column; the header needs {' and '.join(REQUIRED_COLUMNS)} "
                                  f"(and may have {', '.join(ROSTER_COLUMNS[2:])})")
        rows: list[Row] = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # blank lines are not people
            number = len(rows) + 1
            if len(cells) > len(columns):
                raise MinimeError(f"{shown} row {number} (line {reader.line_num}): {len(cells)} fields but the header has "
                                  f"{len(columns)}; quote a cell that holds a comma")
            if len(rows) >= ROSTER_MAX_ROWS:
                raise MinimeError(f"{shown}: more than {ROSTER_MAX_ROWS} rows; split the campaign into several briefs")
            values = dict(zip(columns, (cell.strip() for cell in cells)))
            rows.append(_row(number, values, base, defaults, template, outside))
    except csv.Error as exc:
        raise MinimeError(f"{shown} line {reader.line_num}: not valid CSV ({exc})") from None
    if not rows:
        raise MinimeError(f"{shown}: the roster has a header but no people")
    return rows


def _row(number: int, values: dict[str, str], base: Path, defaults: dict[str, Any], template: str,
         outside: bool = False) -> Row:
    photo, name = values.get("photo", ""), values.get("name", "")
    fields = dict(defaults)
    for column, value in values.items():
        if column == "photo" or not value:
            continue  # an empty cell takes the brief's default
        fields[column] = [item.strip() for item in value.split(";") if item.strip()] if column in LIST_COLUMNS else value
    fields["template"] = template
    path = _relative(base, photo) if photo else None
    if not photo:
        return Row(number, photo, name, None, None, f"row {number}: no photo; give a file name in the photo column")
    if not outside and _outside(base, photo):
        return Row(number, photo, name, None, None, f"row {number}: the photo {_show(photo)[:200]} is outside the brief's "
                                                     "folder; move it there, or set allow_paths_outside: true in the brief")
    if not name:
        return Row(number, photo, name, path, None, f"row {number}: no name; give the name for the box")
    try:
        spec = build_spec(**fields)
    except SpecError as exc:
        return Row(number, photo, name, path, None, f"row {number}: {exc}")
    return Row(number, photo, name, path, spec)


# ---------------------------------------------------------------- keys and names

def brief_fingerprint(brief: Brief) -> str:
    """What every figure of the brief depends on besides its row: template, brand (its files' bytes), engine, size."""
    brand = None
    if brief.brand is not None:
        brand = brief.brand.model_dump(mode="json")
        brand["logo"] = _file_hash(brief.brand.logo, "logo") if brief.brand.logo else None
        brand["fonts"] = {slot: _file_hash(font, "font") for slot, font in sorted(brief.brand.fonts.items())}
    data = {"v": KEY_VERSION, "template": brief.template, "brand": brand, "engine": brief.engine,
            "options": brief.engine_options, "size": brief.size, "format": brief.format, "likeness": brief.likeness,
            "seed": brief.seed}
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _file_hash(path: Path, kind: str = "photo") -> str:
    """The SHA-256 of a file read through the bounded reader: a FIFO or a device is refused, never hashed."""
    from .files import read_bounded

    return hashlib.sha256(read_bounded(path, kind)).hexdigest()


def row_keys(brief: Brief) -> dict[int, str]:
    """Each row's key: a hash of its photo's bytes, its spec and the brief's fingerprint. Identical rows get
    distinct keys (by their order among equals), so each has its own figure."""
    base = brief_fingerprint(brief)
    keys: dict[int, str] = {}
    seen: dict[str, int] = {}
    for row in brief.rows:
        digest = hashlib.sha256(base.encode())
        try:
            photo = _file_hash(row.path) if row.path is not None else "no photo"
        except MinimeError:
            photo = f"unreadable {row.photo}"  # as written: moving the campaign's folder changes no key
        spec = row.spec.model_dump_json() if row.spec is not None else f"bad {row.problem}"
        digest.update(f"\0{photo}\0{spec}".encode())
        key = digest.hexdigest()
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = hashlib.sha256(f"{key}#{seen[key]}".encode()).hexdigest()
        keys[row.number] = key
    return keys


def output_name(row: Row, key: str, fmt: str) -> str:
    """`figures/ada-lovelace-3f2a9c0d1e2b.png`: readable, and unique to the row's key."""
    from .export import slug

    return f"{FIGURES_DIR}/{slug(row.spec.name if row.spec else row.name)}-{key[:12]}.{fmt}"


# ---------------------------------------------------------------- the output folder

@dataclass
class Entry:
    """What happened to one row: a line of results.csv and of the journal."""

    key: str
    status: str                  # done | failed
    output: str = ""
    likeness: float | None = None
    seconds: float | None = None
    wh: float | None = None
    error: str = ""
    final: bool = True           # a failure that would happen again (bad photo, no face): not retried
    brief: str = ""              # the brief that wrote it: a folder may hold the figures of several briefs


class Folder:
    """The output folder: a lock, the journal, temp files and atomic writes."""

    def __init__(self, path: Path):
        self.path = path
        self.state = path / STATE_DIR
        self.tmp = self.state / "tmp"
        self.journal_path = self.state / "journal.jsonl"
        self._journal = None
        self._lock = None

    def __enter__(self) -> "Folder":
        if self.path.exists() and not self.path.is_dir():
            raise MinimeError(f"cannot write the campaign to {_show(self.path)}: it is a file; give a folder")
        try:
            (self.path / FIGURES_DIR).mkdir(parents=True, exist_ok=True)
            self.tmp.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise MinimeError(f"cannot write to {_show(self.path)}: {exc.strerror or exc}") from None
        self._lock = open(self.state / "lock", "a+")
        try:
            import fcntl

            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # no fcntl (Windows): one run at a time is then up to the user
            pass
        except OSError:
            self._lock.close()
            raise MinimeError(f"another minime batch is writing to {_show(self.path)}; wait for it or use another -o") from None
        for leftover in self.tmp.iterdir():  # half-written files of a run that was killed
            if leftover.is_file():
                leftover.unlink(missing_ok=True)
        return self

    def __exit__(self, *exc) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def read_journal(self) -> dict[str, Entry]:
        """The latest entry per key. A line cut short by a crash is ignored."""
        entries: dict[str, Entry] = {}
        try:
            text = self.journal_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return entries
        for line in text.splitlines():
            try:
                data = json.loads(line)
                entry = Entry(**{k: data[k] for k in Entry.__dataclass_fields__ if k in data})
            except (ValueError, TypeError, KeyError):
                continue
            if entry.status in ("done", "failed") and isinstance(entry.key, str):
                entries[entry.key] = entry
        return entries

    def append(self, entry: Entry, row: Row) -> None:
        """Add one finished row to the journal, durably, before anything else shows it."""
        if self._journal is None:
            self._journal = open(self.journal_path, "a+", encoding="utf-8")
            if self._journal.tell() > 0:
                self._journal.seek(self._journal.tell() - 1)
                if self._journal.read(1) != "\n":  # a line cut short by a crash: start a new one after it
                    self._journal.write("\n")
        line = json.dumps({"row": row.number, "name": row.name, **entry.__dict__}, ensure_ascii=False)
        self._journal.write(line + "\n")
        self._journal.flush()
        os.fsync(self._journal.fileno())

    def compact(self, entries: Iterable[tuple[Row, Entry]], others: Iterable[Entry] = ()) -> None:
        """Rewrite the journal with only the current rows' entries, and `others` (other briefs') untouched."""
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        lines = [json.dumps(entry.__dict__, ensure_ascii=False) + "\n" for entry in others]
        lines += [json.dumps({"row": row.number, "name": row.name, **entry.__dict__}, ensure_ascii=False) + "\n"
                  for row, entry in entries]
        self.write_text(self.journal_path, "".join(lines))

    def write_text(self, path: Path, text: str) -> None:
        """Write a file whole or not at all."""
        from .export import atomic_write

        atomic_write(path, text.encode("utf-8"))

    def place(self, data: bytes, output: str) -> None:
        """Write a finished figure to its place in the folder."""
        from .export import atomic_write

        atomic_write(self.path / output, data)

    def sweep(self, written: set[str], keep: set[str]) -> list[str]:
        """Remove the figures this brief `written` earlier that no current row refers to (a changed row's old
        figure). Nothing else is touched: not a user's file, not another brief's figure."""
        removed = []
        for relative in sorted(written - keep):
            file = self.path / relative
            if _OUTPUT_NAME.fullmatch(file.name) and file.parent == self.path / FIGURES_DIR and file.is_file():
                file.unlink(missing_ok=True)
                removed.append(relative)
        return removed


def results_csv(rows: Iterable[Row], entries: dict[int, Entry], *, header: bool = True) -> str:
    """results.csv: one line per finished row, in roster order (without the header: lines to append)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(RESULT_COLUMNS)
    for row in rows:
        entry = entries.get(row.number)
        if entry is None:
            continue
        writer.writerow([row.number, _cell(row.photo), _cell(row.name), entry.status, _cell(entry.output),
                         "" if entry.likeness is None else f"{entry.likeness:.1f}",
                         "" if entry.seconds is None else f"{entry.seconds:.2f}",
                         "" if entry.wh is None else f"{entry.wh:.6f}", _cell(entry.error)])
    return buffer.getvalue()


def _cell(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP's advice on CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def contact_sheet(brief: Brief, entries: dict[int, Entry], *, qr: str | None = None, running: bool = False) -> str:
    """index.html: every figure with its name, and every failure with its reason. All user text is escaped."""
    esc = lambda value: html.escape(str(value), quote=True)  # noqa: E731
    done = sum(1 for e in entries.values() if e.status == "done")
    failed = sum(1 for e in entries.values() if e.status == "failed")
    cards = []
    for row in brief.rows:
        entry = entries.get(row.number)
        tagline = row.spec.tagline if row.spec is not None else ""
        if entry is not None and entry.status == "done":
            src = quote(entry.output)
            likeness = f"<span class=\"meta\">likeness {entry.likeness:.0f}/100</span>" if entry.likeness is not None else ""
            cards.append(f'<figure class="card"><a href="{esc(src)}"><img src="{esc(src)}" alt="{esc(row.name)}" '
                         f'loading="lazy"></a><figcaption><b>{esc(row.name)}</b><span>{esc(tagline)}</span>{likeness}'
                         f'</figcaption></figure>')
        elif entry is not None:
            cards.append(f'<figure class="card failed"><div class="why">{esc(entry.error)}</div><figcaption>'
                         f'<b>{esc(row.name or "(no name)")}</b><span>row {row.number}: {esc(row.photo)}</span></figcaption></figure>')
    pending = len(brief.rows) - done - failed
    status = f"{done} made, {failed} failed" + (f", {pending} to go" if pending else "")
    code = (f'<p class="qr"><img src="qr.svg" alt="QR code" width="160" height="160"><br>'
            f'<a href="{esc(qr)}">{esc(qr)}</a></p>') if qr else ""
    refresh = '<meta http-equiv="refresh" content="10">' if running else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">{refresh}
<title>{esc(brief.title)} · minime campaign</title>
<style>
body{{font:15px/1.4 system-ui,sans-serif;margin:0;padding:24px;background:#f6f3ee;color:#222}}
h1{{margin:0 0 4px}} .sub{{color:#666;margin:0 0 20px}}
.grid{{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:16px}}
.card{{margin:0;background:#fff;border-radius:10px;padding:8px;box-shadow:0 1px 3px #0002}}
.card img{{width:100%;height:auto;display:block;border-radius:6px}}
figcaption{{display:flex;flex-direction:column;padding:6px 2px 0;overflow-wrap:anywhere}}
figcaption span{{color:#666;font-size:13px}} .meta{{color:#2a7d4f}}
.failed{{background:#fff4f2}} .why{{color:#a02020;font-size:13px;min-height:80px;overflow-wrap:anywhere}}
.qr{{float:right;text-align:center;margin:0 0 12px 12px;font-size:13px}}
</style></head><body>
{code}<h1>{esc(brief.title)}</h1>
<p class="sub">{esc(status)} · template {esc(brief.template)} · engine {esc(brief.engine)} · every figure is AI-generated ·
<a href="results.csv">results.csv</a></p>
<main class="grid">
{chr(10).join(cards)}
</main></body></html>
"""


def write_qr(folder: Folder, url: str) -> list[Path]:
    """A QR code that opens `url` (the event page), as qr.png and qr.svg in the output folder."""
    try:
        import segno
    except ImportError:
        raise MissingExtraError("--qr needs segno: pip install segno") from None
    from .export import atomic_write

    code = segno.make(url, error="m", micro=False)
    written = []
    for name, options in (("qr.png", {"scale": 10, "border": 4}), ("qr.svg", {"scale": 4, "border": 4, "title": url})):
        buffer = io.BytesIO()
        code.save(buffer, kind=name[-3:], **options)
        written.append(atomic_write(folder.path / name, buffer.getvalue()))
    return written


def check_url(url: str) -> str:
    url = url.strip()
    if not re.fullmatch(r"https?://[^\s]+", url) or len(url) > QR_MAX:
        raise MinimeError(f"--qr: {url[:60]!r} is not a web address; give one like http://192.168.1.20:8000/")
    return url


# ---------------------------------------------------------------- making one row (in a worker)

@dataclass(frozen=True)
class Context:
    """What every row of a run shares; sent once to each worker."""

    engine: str
    engine_options: dict[str, Any]
    template: str
    size: str
    likeness: bool
    seed: int | None
    brand: BrandKit | None
    allow_cloud: bool


_WORKER: dict[str, Any] = {}


def init_worker(context: Context, *, ignore_interrupt: bool = False, warm: bool = True) -> None:
    """Set a worker up: build the engine once and (`warm`) load every model with a sample figure, so that
    workers started together are all ready before the first row."""
    if ignore_interrupt:  # Ctrl+C goes to the parent, which stops the run cleanly
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)
    from .engines import ENGINES, get_engine

    options = dict(context.engine_options)
    if context.engine == "diffusers":
        options.setdefault("progress", False)
    _WORKER["context"] = context
    _WORKER["engine"] = engine = get_engine(context.engine, **options)
    if warm and ENGINES[context.engine].runs_locally:  # never send a sample photo to a cloud provider
        _warm(context, engine)


def _init_pool_worker(context: Context) -> None:
    _end_with_parent()
    init_worker(context, ignore_interrupt=True)


def _end_with_parent() -> None:
    """End this worker process when the run that started it dies (even by kill -9): a worker holds a
    loaded engine, hundreds of MB, and nobody would ever send it another row."""
    import threading

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="minime-parent-watch", daemon=True).start()


def _warm(context: Context, engine) -> None:
    from importlib.resources import files

    from .pipeline import make
    from .settings import settings

    cfg = settings()
    keep, cfg.history = cfg.history, False  # a warm-up is not a figure anyone made
    try:
        sample = (files("minime") / "assets" / "astronaut.jpg").read_bytes()
        make(sample, {"name": "Warm up"}, engine=engine, template=context.template, size=context.size,
             likeness=context.likeness, brand=context.brand, seed=context.seed)
    except Exception:  # noqa: BLE001 - a real row will report the problem
        pass
    finally:
        cfg.history = keep


def make_row(task: dict[str, Any]) -> dict[str, Any]:
    """Make one row's figure; return numbers and the encoded, signed file's bytes (the parent writes them)."""
    from .engines.base import EngineError
    from .export import encode
    from .pipeline import make

    context: Context = _WORKER["context"]
    started = time.perf_counter()
    out = {"row": task["row"], "key": task["key"]}
    try:
        photo = task["photo_bytes"] if task.get("photo_bytes") is not None else Path(task["photo"])
        result = make(photo, task["spec"], engine=_WORKER["engine"], template=context.template, size=context.size,
                      likeness=context.likeness, seed=context.seed, brand=context.brand, allow_cloud=context.allow_cloud)
        out["data"] = encode(result, task["format"])
        out.update(ok=True, likeness=result.likeness, wh=result.receipt.wh if result.receipt else None)
    except MinimeError as exc:  # the photo or the spec: it would fail again
        out.update(ok=False, error=str(exc), final=True)
    except EngineError as exc:  # the provider or model: worth another try
        out.update(ok=False, error=str(exc), final=False)
    except Exception as exc:  # noqa: BLE001 - one row's surprise must not stop the campaign
        out.update(ok=False, error=f"internal error ({type(exc).__name__}: {exc})", final=False)
    out["seconds"] = time.perf_counter() - started
    return out


# ---------------------------------------------------------------- executors

def _local(context: Context, tasks: list[dict], workers: int) -> Iterator[dict]:
    """This process (one worker) or a pool of processes, each warmed once by its initializer."""
    if workers <= 1:
        init_worker(context, warm=False)  # alone, the first row loads the models as well as a sample would
        for task in tasks:
            yield make_row(task)
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    queue = deque(tasks)
    breaks = 0
    while queue:
        # spawn, not fork: a fresh interpreter, with no copy of this one's threads or locks
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_pool_worker, initargs=(context,))
        running: dict = {}
        broken = False
        try:
            while queue or running:
                while queue and len(running) < workers * 2 and not broken:
                    task = queue.popleft()
                    running[pool.submit(make_row, task)] = task
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    task = running.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        broken = True
                        yield _failure(task, "a worker process died (out of memory?); it is tried again on the next run")
                if broken and not running:
                    break
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        if broken:
            breaks += 1
            if breaks >= 3:
                for task in queue:
                    yield _failure(task, "worker processes keep dying; stopped the run")
                return


def _failure(task: dict, message: str) -> dict:
    return {"row": task["row"], "key": task["key"], "ok": False, "error": message, "final": False, "seconds": None}


def _import_ray():
    try:
        import ray
    except ImportError:
        raise MissingExtraError("--executor ray needs Ray: pip install 'minime[scale]'") from None
    return ray


class RowActor:
    """A Ray actor that keeps one engine loaded and makes rows on it."""

    def __init__(self, context: Context):
        init_worker(context)

    def make(self, task: dict) -> dict:
        if task.get("photo_ref") is not None:
            import ray

            task = {**task, "photo_bytes": ray.get(task["photo_ref"][0])}
        return make_row(task)


def needs_gpu(engine: str, options: dict[str, Any]) -> bool:
    """Whether a row on this engine wants a GPU of its own (diffusers, unless told to use the CPU)."""
    return engine == "diffusers" and options.get("device") not in ("cpu", "mps")


def actor_resources(engine: str, options: dict[str, Any], cluster: dict[str, float]) -> dict[str, int]:
    """What each actor asks Ray for: a CPU, and a whole GPU when the engine wants one and the cluster has one."""
    gpu = needs_gpu(engine, options) and cluster.get("GPU", 0) >= 1
    return {"num_cpus": 1, "num_gpus": 1 if gpu else 0}


def _ray(context: Context, tasks: list[dict], workers: int | None, address: str | None,
         ship: bool | None = None) -> Iterator[dict]:
    """The same rows as Ray actor calls. With other machines in the cluster, photos travel through Ray's
    object store instead of this machine's disk (finished files always do)."""
    ray = _import_ray()
    started_here = not ray.is_initialized()
    if started_here:
        try:
            if address:
                ray.init(address=address, log_to_driver=False)
            else:
                ray.init(include_dashboard=False, log_to_driver=False)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise MinimeError(f"cannot reach the Ray cluster at {address or 'a new local one'}: "
                              f"{' '.join(str(exc).split())[:200]}") from None
    actors = []
    try:
        resources = ray.cluster_resources()
        wants = actor_resources(context.engine, context.engine_options, resources)
        size = workers or max(1, int(resources.get("GPU" if wants["num_gpus"] else "CPU", 1)))
        if ship is None:
            here = ray.get_runtime_context().get_node_id()
            ship = any(node["Alive"] and node["NodeID"] != here for node in ray.nodes())
        maker = ray.remote(max_restarts=0, **wants)(RowActor)
        actors = [maker.remote(context) for _ in range(size)]
        idle = list(actors)
        queue = deque(tasks)
        running: dict = {}
        while queue or running:
            while idle and queue:
                actor, task = idle.pop(), queue.popleft()
                if ship:
                    # a one-element list keeps the ref from being resolved before the actor asks for it
                    task = {**task, "photo_ref": [ray.put(Path(task["photo"]).read_bytes())]}
                running[actor.make.remote(task)] = (actor, task)
            ready, _ = ray.wait(list(running), num_returns=1)
            for ref in ready:
                actor, task = running.pop(ref)
                try:
                    out = ray.get(ref)
                except Exception as exc:  # noqa: BLE001 - the actor died (node lost, out of memory)
                    out = _failure(task, f"the Ray worker failed ({type(exc).__name__}); tried again on the next run")
                    ray.kill(actor)
                    actor = maker.remote(context)
                    actors.append(actor)
                idle.append(actor)
                yield out
    finally:
        for actor in actors:
            try:
                ray.kill(actor)
            except Exception:  # noqa: BLE001
                pass
        if started_here:
            ray.shutdown()


# ---------------------------------------------------------------- the run

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
    from .engines.base import check_consent
    from .settings import settings

    started = time.perf_counter()
    if not isinstance(brief, Brief):
        brief = load_brief(brief)
    if executor not in EXECUTORS:
        raise UnknownNameError(f"unknown executor {executor!r}; choose one of: {', '.join(EXECUTORS)}")
    if workers is not None and workers < 1:
        raise MinimeError(f"--workers must be 1 or more (got {workers})")
    if executor == "ray":
        _import_ray()
    qr = check_url(qr) if qr else None
    consent = settings().allow_cloud if allow_cloud is None else allow_cloud
    check_consent(brief.engine, consent)
    from .engines import get_engine

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
        todo: list[Row] = []
        reused = 0
        for row in brief.rows:
            key = keys[row.number]
            old = journal.get(key)
            if row.problem is not None:  # unchanged only if an earlier run already reported it
                entries[row.number] = Entry(key, "failed", error=row.problem, brief=ours)
                reused += old is not None
            elif old is not None and old.status == "done" and (folder / old.output).is_file():
                entries[row.number], reused = replace(old, brief=ours), reused + 1
            elif old is not None and old.status == "failed" and old.final:
                entries[row.number], reused = replace(old, brief=ours), reused + 1
            else:
                todo.append(row)
        tasks = [{"row": row.number, "key": keys[row.number], "photo": str(row.path),
                  "spec": row.spec.model_dump(), "format": brief.format}
                 for row in todo]
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
                with open(folder / "results.csv", "a", encoding="utf-8", newline="") as handle:
                    handle.write(results_csv([row], entries, header=False))
            if final or time.monotonic() - last_sheet > 5:
                place.write_text(folder / "index.html", contact_sheet(brief, entries, qr=qr, running=not final))
                last_sheet = time.monotonic()

        publish(final=not tasks)
        bar = _Bar(progress, len(tasks), reused)
        try:
            with bar:
                outcomes = (_local(context, tasks, workers or 1) if executor == "local"
                            else _ray(context, tasks, workers, address, _ship))
                for out in _closing(outcomes):
                    row = rows[out["row"]]
                    if out["ok"]:
                        output = output_name(row, out["key"], brief.format)
                        place.place(out.pop("data"), output)
                        entry = Entry(out["key"], "done", output, out.get("likeness"), out.get("seconds"), out.get("wh"),
                                      brief=ours)
                        made += 1
                        wh += out.get("wh") or 0.0
                    else:
                        entry = Entry(out["key"], "failed", error=out["error"], seconds=out.get("seconds"),
                                      final=out.get("final", False), brief=ours)
                    place.append(entry, row)  # durable before results.csv or the summary show it
                    entries[row.number] = entry
                    publish(row=row)
                    bar.advance(entry.status == "failed")
        finally:
            current = {entries[n].output for n in entries if entries[n].status == "done"}
            place.sweep(written, current)
            place.compact(((rows[n], entries[n]) for n in sorted(entries) if entries[n].status == "done" or entries[n].final),
                          others)
            publish(final=True)

    failures = [(row.number, row.name, entries[row.number].error) for row in brief.rows
                if row.number in entries and entries[row.number].status == "failed"]
    done = sum(1 for e in entries.values() if e.status == "done")
    return Summary(folder, len(brief.rows), done, len(failures), made, reused, time.perf_counter() - started, wh,
                   failures, qr_files)


def _closing(outcomes: Iterator[dict]) -> Iterator[dict]:
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
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        console = progress if isinstance(progress, Console) else Console(stderr=True)
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[failed]} failed"), TimeElapsedColumn(), TextColumn("ETA"),
                                 TimeRemainingColumn(), console=console)
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
