"""The one bounded reader for files a user names, and the one writer of every output.

Reading: regular files only, never more than a cap per kind. A FIFO would block forever, /dev/zero never
ends, a 10 GB "spec" would fill memory: each is refused with one line before a byte is read.

Writing: `atomic_write(path, data)` (and `write_all` for several files) is the only code that puts an
output on disk, so a failed or killed run never leaves half a file, nor a whole one without its AI label.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import MinimeError

MB = 1_000_000
# The largest file accepted of each kind.
LIMITS: dict[str, int] = {
    "photo": 80 * MB,
    "figure": 80 * MB,
    "spec file": 1 * MB,
    "brand kit": 1 * MB,
    "brief": 1 * MB,
    "roster": 50 * MB,
    "logo": 10 * MB,
    "font": 20 * MB,
    "image to verify": 200 * MB,
}


def shown(path: str | Path) -> str:
    """A path as a message shows it: printable, never unbounded."""
    text = str(path)
    text = text if text.isprintable() else repr(text)[1:-1]
    return text if len(text) <= 200 else text[:200] + "..."


def _a(kind: str) -> str:
    """The kind with its article: "a photo", "an image to verify"."""
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}"


def _size(limit: int) -> str:
    return f"{limit // MB} MB" if limit >= MB else f"{limit // 1000} kB"


def read_bounded(path: str | Path, kind: str, *, limit: int | None = None, error: type[MinimeError] = MinimeError,
                 too_big: Callable[[int | None], str] | None = None) -> bytes:
    """The whole of a regular file, or one clear error.

    Args:
        path: the file.
        kind: what it is, for the message and the default cap ("photo", "brief", "roster", ...; see LIMITS).
        limit: the cap in bytes, if not the kind's.
        error: the MinimeError subclass to raise.
        too_big: the message for a file over the cap, from its size (None: it grew while being read).
    Raises:
        `error`: not found, a folder, not a regular file (FIFO, device, socket), unreadable, or over the cap.
    """
    limit = LIMITS[kind] if limit is None else limit
    name = shown(path)
    if str(path) == "":
        raise error(f"no {kind} given: pass a file name")
    try:
        # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except (FileNotFoundError, NotADirectoryError):
        raise error(f"{kind} not found: {name}") from None
    except IsADirectoryError:
        raise error(f"{name} is a directory; pass {_a(kind)}") from None
    except OSError as exc:
        raise error(f"cannot read {kind} {name}: {(exc.strerror or type(exc).__name__).lower()}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise error(f"{name} is a directory; pass {_a(kind)}")
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{name} is not a regular file (a pipe, device or socket); pass {_a(kind)}")
        if info.st_size > limit:
            raise error(too_big(info.st_size) if too_big else f"{name} is too big for {_a(kind)}; the limit is {_size(limit)}")
        os.set_blocking(fd, True)
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # it grew after the check
            raise error(too_big(None) if too_big else f"{name} is too big for {_a(kind)}; the limit is {_size(limit)}")
        return b"".join(chunks)
    except OSError as exc:
        raise error(f"cannot read {kind} {name}: {(exc.strerror or type(exc).__name__).lower()}") from None
    finally:
        os.close(fd)


# ------------------------------------------------------------------------------------------- writing


def check_folder(path: str | Path) -> None:
    """Fail if `path` names a folder, or its folder does not exist."""
    path = Path(path)
    if str(path) in ("", ".") or path.is_dir():
        raise MinimeError(f"cannot write {str(path)!r}: it is a folder; give a file name like box.png")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise MinimeError(f"cannot write {str(path)!r}: the folder {str(parent)!r} does not exist")
    try:  # not the folder's mode, which is not the whole story (a read-only mount, a kernel folder, root): try it
        fd, probe = tempfile.mkstemp(prefix=".minime-", dir=parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise MinimeError(f"cannot write {str(path)!r}: the folder {str(parent)!r} is not writable "
                          f"({(exc.strerror or type(exc).__name__).lower()})") from None


def atomic_write(path: str | Path, data: bytes, *, mode: int | None = None) -> Path:
    """Write `data` to `path` whole or not at all; the only code that writes an output file.

    The bytes go to an unnamed file in the destination folder (O_TMPFILE where the system has it), are
    synced, and only then get a name and are renamed over `path`: a crash or `kill -9` leaves the old file
    or the new one, never half of one, and, on Linux, no temp file beside it.

    Args:
        path: the destination; its folder must exist.
        data: the whole file.
        mode: permission bits (default: 0o666 less the umask, like any new file).
    Returns:
        The path written.
    """
    return write_all({Path(path): data}, mode=mode)[0]


def write_all(files: dict[Path, bytes], *, mode: int | None = None) -> list[Path]:
    """Write several files, all or none: every one is staged (written and synced, unnamed where the system
    allows) before the first is put in place, so a failure while staging changes nothing on disk."""
    mode = (0o666 & ~_umask()) if mode is None else mode
    staged: list[_Staged] = []
    try:
        for path, data in files.items():
            path = Path(path)
            check_folder(path)
            staged.append(_Staged(path, data, mode))
        for each in staged:
            each.commit()
    except OSError as exc:
        failed = next((s.path for s in staged if not s.done), None) or next(iter(files), "")
        raise MinimeError(f"cannot write {shown_path(failed)}: {(exc.strerror or str(exc)).lower()}") from None
    finally:
        for each in staged:
            each.discard()
    return [Path(p) for p in files]


def shown_path(path) -> str:
    text = str(path)
    return repr(text if len(text) <= 200 else text[:200] + "...")


class _Staged:
    """One file's bytes on disk, synced, not yet under its name."""

    def __init__(self, path: Path, data: bytes, mode: int):
        self.path, self.done, self.data, self.mode = path, False, data, mode  # data: for a named copy if need be
        self.parent = path.parent if str(path.parent) else Path(".")
        self.fd: int | None = None
        self.name: Path | None = None
        flag = getattr(os, "O_TMPFILE", None)
        if flag is not None and self.parent.stat().st_dev not in _NO_TMPFILE and os.path.isdir("/proc/self/fd"):
            try:
                self.fd = os.open(self.parent, flag | os.O_WRONLY, mode)
            except OSError as exc:
                if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.EISDIR):
                    raise
                _NO_TMPFILE.add(self.parent.stat().st_dev)
        if self.fd is None:
            fd, name = tempfile.mkstemp(prefix=".minime-", suffix=path.suffix, dir=self.parent)
            self.fd, self.name = fd, Path(name)
        os.fchmod(self.fd, mode)
        _write_all(self.fd, data)

    def commit(self) -> None:
        if self.name is None:  # unnamed: give it a name for the instant before the rename
            name = self.parent / f".minime-{os.getpid()}-{os.urandom(4).hex()}{self.path.suffix}"
            try:
                os.link(f"/proc/self/fd/{self.fd}", name)
            except OSError:  # some file systems (overlays, FUSE) cannot name an unnamed file
                _NO_TMPFILE.add(self.parent.stat().st_dev)
                name = self._copy_named()
            self.name = name
        os.replace(self.name, self.path)
        self.done = True

    def _copy_named(self) -> Path:
        fd, name = tempfile.mkstemp(prefix=".minime-", suffix=self.path.suffix, dir=self.parent)
        try:
            os.fchmod(fd, self.mode)
            _write_all(fd, self.data)
        finally:
            os.close(fd)
        return Path(name)

    def discard(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if not self.done and self.name is not None:
            self.name.unlink(missing_ok=True)


_NO_TMPFILE: set[int] = set()  # devices where unnamed files failed once: don't try again


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def free_path(path: str | Path) -> Path:
    """`path`, or `name-2.png`, `name-3.png`, ... if it exists, so a default name never overwrites."""
    path = Path(path)
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def slug(text: str, *, limit: int = 40, ascii_only: bool = True) -> str:
    """A file-name part from any text: letters and digits joined by '-', e.g. 'ada-lovelace' (`ascii_only`
    for names a browser sends in a header; the CLI keeps other scripts)."""
    out = "".join(ch if ch.isalnum() and (ch.isascii() or not ascii_only) else "-" for ch in text.casefold())
    return "-".join(filter(None, out.split("-")))[:limit].strip("-") or "figure"
