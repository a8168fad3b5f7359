"""The output folder: row keys, figure names, the journal of what each brief wrote, atomic writes."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import MinimeError
from .brief import ALSO, FIGURES_DIR, KEY_VERSION, STATE_DIR, Brief, Row, _show

_OUTPUT_NAME = re.compile(r".+-[0-9a-f]{12}\.(?:png|jpg|webp)")
THUMBS_DIR = "thumbs"  # the contact sheet's thumbnails (sheet.py), one per figure
SYNC_ROWS, SYNC_SECONDS = 256, 0.5  # journal lines of failed rows are synced in groups: this many, or this often

def brief_fingerprint(brief: Brief) -> str:
    """What every figure of the brief depends on besides its row: template, brand (its files' bytes), engine, size."""
    brand: dict[str, Any] | None = None
    if brief.brand is not None:
        brand = brief.brand.model_dump(mode="json")
        brand["logo"] = _file_hash(brief.brand.logo, "logo") if brief.brand.logo else None
        brand["fonts"] = {slot: _file_hash(font, "font") for slot, font in sorted(brief.brand.fonts.items())}
    data: dict[str, Any] = {"v": KEY_VERSION, "template": brief.template, "brand": brand, "engine": brief.engine,
            "options": brief.engine_options, "size": brief.size, "format": brief.format, "likeness": brief.likeness,
            "seed": brief.seed}
    if brief.also:  # only when asked for: a brief without extras keeps the keys it always had
        data["also"] = sorted(brief.also)
        data["also_options"] = brief.also_options
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _file_hash(path: Path, kind: str = "photo") -> str:
    """The SHA-256 of a file read through the bounded reader: a FIFO or a device is refused, never hashed."""
    from ..files import read_bounded

    return hashlib.sha256(read_bounded(path, kind)).hexdigest()


def _unasked(spec) -> dict | None:
    """The fields added since the first campaigns, left at their defaults: left out of a row's key, so campaigns
    made before body styles and body choices existed keep their keys."""
    unasked: dict = {}
    if spec.style == "action":
        unasked["style"] = True
    if not spec.body:
        unasked["body"] = True
    if spec.people and not any(p.body for p in spec.people):
        unasked["people"] = {"__all__": {"body"}}
    return unasked or None


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
        spec = (row.spec.model_dump_json(exclude=_unasked(row.spec)) if row.spec is not None
                else f"bad {row.problem}")
        digest.update(f"\0{photo}\0{spec}".encode())
        key = digest.hexdigest()
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = hashlib.sha256(f"{key}#{seen[key]}".encode()).hexdigest()
        keys[row.number] = key
    return keys


def output_name(row: Row, key: str, fmt: str) -> str:
    """`figures/ada-lovelace-3f2a9c0d1e2b.png`: readable, and unique to the row's key."""
    from ..files import slug

    return f"{FIGURES_DIR}/{slug(row.spec.name if row.spec else row.name)}-{key[:12]}.{fmt}"


def thumb_name(output: str) -> str:
    """`thumbs/ada-lovelace-3f2a9c0d1e2b.jpg` for `figures/ada-lovelace-3f2a9c0d1e2b.png`."""
    return f"{THUMBS_DIR}/{Path(output).stem}.jpg"


def extra_name(output: str, fmt: str) -> str:
    """A file made beside a figure (its model, its clip): `figures/ada-lovelace-3f2a9c0d1e2b.3mf`."""
    return f"{output.rsplit('.', 1)[0]}.{fmt}"


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
        self._journal: IO[str] | None = None
        self._unsynced = 0           # journal lines written but not yet synced
        self._synced_at = 0.0        # time.monotonic() of the last sync
        self._appending: dict[Path, IO[str]] = {}  # files appended to line by line (results.csv), kept open
        self._read: str | None = None  # the journal as read, while no line has been added since
        self._lock: IO[str] | None = None

    def __enter__(self) -> Folder:
        if self.path.exists() and not self.path.is_dir():
            raise MinimeError(f"cannot write the campaign to {_show(self.path)}: it is a file; give a folder")
        try:
            (self.path / FIGURES_DIR).mkdir(parents=True, exist_ok=True)
            (self.path / THUMBS_DIR).mkdir(exist_ok=True)
            self.tmp.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise MinimeError(f"cannot write to {_show(self.path)}: {exc.strerror or exc}") from None
        self._lock = lock = open(self.state / "lock", "a+")
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # no fcntl (Windows): one run at a time is then up to the user
            pass
        except OSError:
            lock.close()
            raise MinimeError(f"another minime batch is writing to {_show(self.path)}; wait for it or use another -o") from None
        for leftover in self.tmp.iterdir():  # half-written files of a run that was killed
            if leftover.is_file():
                leftover.unlink(missing_ok=True)
        from ..files import sweep_stale

        # The lock is ours: a temp file of a process that is gone is a killed run's however new it is.
        for folder in (FIGURES_DIR, THUMBS_DIR):
            sweep_stale(self.path / folder, age=0.0)
        return self

    def __exit__(self, *exc) -> None:
        for handle in self._appending.values():
            handle.close()
        self._appending.clear()
        if self._journal is not None:
            self.sync()
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
        self._read = text
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
        """Add one finished row to the journal before anything else shows it.

        Every line reaches the system at once, so a killed run loses none. A made figure is also synced to
        disk at once, with every line before it: a power cut never loses a row that cost real work. A failed
        row is synced with others, every SYNC_ROWS rows or SYNC_SECONDS seconds and when the folder is closed:
        a power cut may lose a few, and the next run tries them again (a photo that is missing fails again
        at no cost). A roster of 10,000 failing rows thus costs tens of syncs, not 10,000."""
        self._read = None
        journal = self._journal
        if journal is None:
            journal = self._journal = open(self.journal_path, "a+", encoding="utf-8")
            if journal.tell() > 0:
                journal.seek(journal.tell() - 1)
                if journal.read(1) != "\n":  # a line cut short by a crash: start a new one after it
                    journal.write("\n")
            self._synced_at = time.monotonic()
        line = json.dumps({"row": row.number, "name": row.name, **entry.__dict__}, ensure_ascii=False)
        journal.write(line + "\n")
        journal.flush()
        self._unsynced += 1
        if (entry.status == "done" or self._unsynced >= SYNC_ROWS
                or time.monotonic() - self._synced_at >= SYNC_SECONDS):
            self.sync()

    def sync(self) -> None:
        """Put the journal's lines written so far on disk."""
        if self._journal is not None and self._unsynced:
            os.fsync(self._journal.fileno())
            self._unsynced = 0
        self._synced_at = time.monotonic()

    def compact(self, entries: Iterable[tuple[Row, Entry]], others: Iterable[Entry] = ()) -> None:
        """Rewrite the journal with only the current rows' entries, and `others` (other briefs') untouched;
        one that would not change (a run that made nothing) is left as it is."""
        if self._journal is not None:  # its lines are rewritten below, whole and synced
            self._journal.close()
            self._journal = None
            self._unsynced = 0
        lines = [json.dumps(entry.__dict__, ensure_ascii=False) + "\n" for entry in others]
        lines += [json.dumps({"row": row.number, "name": row.name, **entry.__dict__}, ensure_ascii=False) + "\n"
                  for row, entry in entries]
        text = "".join(lines)
        if text != self._read:
            self.write_text(self.journal_path, text)
            self._read = text

    def write_text(self, path: Path, text: str) -> None:
        """Write a file whole or not at all."""
        from ..files import atomic_write

        if path in self._appending:  # the new file replaces the one appended to
            self._appending.pop(path).close()
        atomic_write(path, text.encode("utf-8"))

    def append_text(self, path: Path, text: str) -> None:
        """Add `text` at the end of a file, at once (a killed run keeps it) but without a sync: a line of
        results.csv, which the journal backs. The file stays open until it is written whole or the folder
        is closed, so a roster of 10,000 rows opens it once, not 10,000 times."""
        handle = self._appending.get(path)
        if handle is None:
            handle = self._appending[path] = open(path, "a", encoding="utf-8", newline="")
        handle.write(text)
        handle.flush()

    def place(self, data: bytes, output: str) -> None:
        """Write a finished figure to its place in the folder."""
        from ..files import atomic_write

        atomic_write(self.path / output, data)

    def place_all(self, files: dict[str, bytes]) -> None:
        """Write several files (a figure and its thumbnail) to their places, each whole."""
        from ..files import write_all

        write_all({self.path / relative: data for relative, data in files.items()})

    def sweep(self, written: set[str], keep: set[str]) -> list[str]:
        """Remove the figures this brief `written` earlier that no current row refers to (a changed row's old
        figure). Nothing else is touched: not a user's file, not another brief's figure."""
        removed = []
        for relative in sorted(written - keep):
            file = self.path / relative
            if _OUTPUT_NAME.fullmatch(file.name) and file.parent == self.path / FIGURES_DIR and file.is_file():
                file.unlink(missing_ok=True)
                (self.path / thumb_name(relative)).unlink(missing_ok=True)
                for fmt in ALSO:  # its model and clip, if the brief asked for them
                    (self.path / extra_name(relative, fmt)).unlink(missing_ok=True)
                removed.append(relative)
        return removed
