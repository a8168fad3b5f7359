"""The one bounded reader for files a user names, and the one writer of every output.

Reading: regular files only, never more than a cap per kind. A FIFO would block forever, /dev/zero never
ends, a 10 GB "spec" would fill memory: each is refused with one line before a byte is read.

Writing: `atomic_write(path, data)` (and `write_all` for several files) is the only code that puts an
output on disk, so a failed or killed run never leaves half a file, nor a whole one without its AI label.
A run's outputs are written all or none; a failure (a full disk) removes every temp file, and a temp file
left by a killed run is removed by the next write into its folder. An output never replaces a special file
(a FIFO, /dev/null through a link) nor a link to nothing (`check_target`).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import time
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
    """Fail if `path` names a folder, a special file (FIFO, device, socket), a symbolic link to one or to
    nothing, or its folder does not exist or cannot be written."""
    path = Path(path)
    if str(path) in ("", ".") or path.is_dir():
        raise MinimeError(f"cannot write {str(path)!r}: it is a folder; give a file name like box.png")
    check_target(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise MinimeError(f"cannot write {str(path)!r}: the folder {str(parent)!r} does not exist")
    try:  # not the folder's mode, which is not the whole story (a read-only mount, a kernel folder, root): try it
        fd, probe = _create_temp(parent, "", 0o600)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise MinimeError(f"cannot write {str(path)!r}: the folder {str(parent)!r} is not writable "
                          f"({(exc.strerror or type(exc).__name__).lower()})") from None


def check_target(path: str | Path) -> None:
    """Fail if an output's name is taken by something other than a regular file (or a link to one): a
    FIFO, a device such as /dev/null, a socket, or a link to nothing. Writing would replace it with a file."""
    path = Path(path)
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    what, link = None, stat.S_ISLNK(info.st_mode)
    if link:
        try:
            info = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            what = "a symbolic link to a missing file"
        except OSError as exc:
            what = f"a symbolic link that cannot be followed ({(exc.strerror or type(exc).__name__).lower()})"
    if what is None and stat.S_ISDIR(info.st_mode):
        what = "a folder"
    elif what is None and not stat.S_ISREG(info.st_mode):
        what = ("a symbolic link to " if link else "") + "a pipe, device or socket, not a regular file"
    if what is not None:
        raise MinimeError(f"cannot write {shown_path(path)}: it is {what}; give the name of a file, or a new name")


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two names are one file: the same path once links are followed, or the same inode (hard links)."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        x, y = os.stat(a), os.stat(b)
    except OSError:
        return False
    return (x.st_dev, x.st_ino) == (y.st_dev, y.st_ino)


def atomic_write(path: str | Path, data: bytes, *, mode: int | None = None) -> Path:
    """Write `data` to `path` whole or not at all; the only code that writes an output file.

    The bytes go to an unnamed file in the destination folder (O_TMPFILE where the system has it), are
    synced, and only then get a name and are renamed over `path`: a crash or `kill -9` leaves the old file
    or the new one, never half of one, and, on Linux, no temp file beside it (where one is left, by a
    kill in the instant before the rename or on a system without unnamed files, the next write into that
    folder removes it: `sweep_stale`).

    Args:
        path: the destination; its folder must exist.
        data: the whole file.
        mode: permission bits (default: 0o666 less the umask, like any new file).
    Returns:
        The path written.
    Raises:
        MinimeError: the name is a folder or special file, or the write failed (disk full, ...); the
            message names the file, and no temp file is left.
    """
    return write_all({Path(path): data}, mode=mode)[0]


def write_all(files: dict[Path, bytes], *, mode: int | None = None) -> list[Path]:
    """Write several files, all or none.

    Every file is staged (written and synced, unnamed where the system allows) and given a temp name, and
    every file it replaces is kept under a temp name, before the first is put in place; if putting one in
    place fails, those already put back are undone. On any failure (a full disk, a quota, Ctrl-C) every
    temp file goes, and the error names the file that failed.
    """
    mode = (0o666 & ~_umask()) if mode is None else mode
    paths = [Path(p) for p in files]
    staged: list[_Staged] = []
    current = paths[0] if paths else Path("")
    try:
        for current in paths:
            check_folder(current)
        for folder in dict.fromkeys(p.parent if str(p.parent) else Path(".") for p in paths):
            sweep_stale(folder)
        for current, data in zip(paths, files.values(), strict=True):
            staged.append(_Staged(current, data, mode))
        for each in staged:
            current = each.path
            each.name_it()
        if len(staged) > 1:  # one rename is all or nothing by itself; several need the old files kept
            for each in staged:
                current = each.path
                each.keep_old()
        for each in staged:
            current = each.path
            each.put()
    except BaseException as exc:
        kept = []
        if len(staged) > 1:  # one rename is whole by itself: a file put in place stays, the old one is gone
            for each in reversed(staged):
                left = each.undo()
                if left is not None:
                    kept.append(f"; the old {shown_path(each.path)} could not be put back and is kept as {shown_path(left)}")
        if isinstance(exc, OSError):
            raise MinimeError(f"cannot write {shown_path(current)}: {(exc.strerror or str(exc)).lower()}"
                              + "".join(kept)) from None
        raise
    finally:
        for each in staged:
            each.discard()
    return paths


def shown_path(path) -> str:
    text = str(path)
    return repr(text if len(text) <= 200 else text[:200] + "...")


# Temp files: `.minime-PID-RANDOM.ext` beside the output (`.old`: a replaced file, kept until the run is done).
TEMP_PREFIX = ".minime-"
_TEMP_NAME = re.compile(r"\.minime-(\d{1,10})-[0-9a-f]{8}(?:\.[A-Za-z0-9]{1,10})?")
STALE_SECONDS = 60.0  # a temp file untouched this long, of a process that is gone, is a killed run's
_SWEPT: set[str] = set()  # folders (and ages) already swept by this process


def _temp_name(folder: Path, suffix: str) -> Path:
    """A fresh name for one of minime's own temp files in `folder` (the name `sweep_stale` knows)."""
    suffix = suffix if re.fullmatch(r"\.[A-Za-z0-9]{1,10}", suffix) else ""
    return folder / f"{TEMP_PREFIX}{os.getpid()}-{os.urandom(4).hex()}{suffix}"


def _create_temp(folder: Path, suffix: str, mode: int) -> tuple[int, Path]:
    """A new, empty temp file in `folder` named as minime names its own: (fd, path)."""
    for _ in range(100):
        name = _temp_name(folder, suffix)
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), mode), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temp file name", str(folder))


def sweep_stale(folder: str | Path, *, age: float = STALE_SECONDS) -> list[Path]:
    """Remove the temp files a killed run left in `folder`: minime's own names only, older than `age`
    seconds, of no running process (their name holds the process id). Once per folder and process;
    returns what it removed. Never fails: a folder it cannot read is left as it is."""
    key = f"{os.path.abspath(folder)}\0{age}"
    if key in _SWEPT:
        return []
    _SWEPT.add(key)
    removed = []
    now = time.time()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                match = _TEMP_NAME.fullmatch(entry.name)
                if match is None:
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                    if not stat.S_ISREG(info.st_mode) or now - max(info.st_mtime, info.st_ctime) < age:
                        continue
                    if _running(int(match.group(1))):
                        continue
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
                except OSError:
                    continue
    except OSError:
        pass
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except PermissionError:  # someone else's, and running
        return True
    except (OSError, OverflowError):
        return False
    return True


_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


class _Staged:
    """One file's bytes on disk, synced, not yet under its name; `undo` puts back what it replaced."""

    def __init__(self, path: Path, data: bytes, mode: int):
        self.path, self.done, self.data, self.mode = path, False, data, mode  # data: for a named copy if need be
        self.parent = path.parent if str(path.parent) else Path(".")
        self.fd: int | None = None
        self.name: Path | None = None
        self.old: Path | None = None  # the file it replaces, kept under a temp name
        self.existed = False
        try:
            flag = getattr(os, "O_TMPFILE", None)
            if flag is not None and self.parent.stat().st_dev not in _NO_TMPFILE and os.path.isdir("/proc/self/fd"):
                try:
                    self.fd = os.open(self.parent, flag | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), mode)
                except OSError as exc:
                    if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.EISDIR):
                        raise
                    _NO_TMPFILE.add(self.parent.stat().st_dev)
            if self.fd is None:
                self.fd, self.name = _create_temp(self.parent, path.suffix, mode)
            os.fchmod(self.fd, mode)
            _write_all(self.fd, data)
        except BaseException:
            self.discard()
            raise

    def name_it(self) -> None:
        """Give an unnamed file a (temp) name in its folder, ready for the rename."""
        if self.name is not None:
            return
        name = _temp_name(self.parent, self.path.suffix)
        try:
            os.link(f"/proc/self/fd/{self.fd}", name)
            self.name = name
        except OSError as exc:  # some file systems (overlays, FUSE) cannot name an unnamed file
            if exc.errno in _SPACE:
                raise
            _NO_TMPFILE.add(self.parent.stat().st_dev)
            self._copy_named()

    def _copy_named(self) -> None:
        fd, self.name = _create_temp(self.parent, self.path.suffix, self.mode)
        try:
            os.fchmod(fd, self.mode)
            _write_all(fd, self.data)
        finally:
            os.close(fd)

    def keep_old(self) -> None:
        """Keep the file this one replaces under a temp name (a hard link), for `undo`."""
        try:
            os.lstat(self.path)
        except FileNotFoundError:
            return
        self.existed = True
        old = _temp_name(self.parent, ".old")
        try:
            os.link(self.path, old, follow_symlinks=False)
        except OSError as exc:
            if exc.errno in _SPACE:
                raise
            return  # a file system without hard links (FAT): this one cannot be put back
        self.old = old

    def put(self) -> None:
        assert self.name is not None
        os.replace(self.name, self.path)
        self.name, self.done = None, True

    def undo(self) -> Path | None:
        """Put back what `put` replaced. Where that fails, the old file is kept under a name no sweep
        removes, and that name is returned for the error message."""
        if not self.done:
            return None
        try:
            if self.old is not None:
                os.replace(self.old, self.path)
                self.old = None
            elif not self.existed:
                os.unlink(self.path)
            self.done = False
        except OSError:
            if self.old is not None:
                kept = self.path.with_name(f"{self.path.name}.old-{os.urandom(3).hex()}")
                try:
                    os.replace(self.old, kept)
                except OSError:
                    kept = self.old
                self.old = None  # not for `discard`: it is the only copy left
                return kept
        return None

    def discard(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        for name in (self.name, self.old):
            if name is not None:
                try:
                    os.unlink(name)
                except OSError:
                    pass
        self.name = self.old = None


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
