"""Hostile and careless input at every door that reads or writes, each case a real `minime` process.

    .venv/bin/python bench/hostile.py [-k WORD]     the command line
    .venv/bin/python bench/hostile.py --web         a live `minime serve` on 127.0.0.1 (bench/hostile_web.py)

Special files (a FIFO, /dev/zero, /dev/urandom) as the photo, spec, brief, roster, brand kit, logo, font and
verify's input; YAML bombs in several fields; files far over their caps; outputs that clash; bad names and
values. For each case it prints the exit code, wall seconds, the process's peak RSS (from wait4, so its own
and its reaped children's), and what the run left: files changed in its folder, temp files, processes that
outlived it. Flags (!) a case over 10 s or 600 MB, an exit other than the one the case expects (2 for a
user's mistake, 0 where the run goes on, as a campaign with a failing row), a traceback, an error of more
than one line, or anything left behind. Nothing here is a timed test.

Round three adds: a full disk (a small tmpfs where `mount` works, else a file-size limit that makes every
write fail after N bytes), kill -9 during a clip, an output that is the input, FIFO and dangling-link
outputs, control characters in roster names, Rich markup in text, 30,000 accessory arguments and flags
that do not apply. It reports the state the code is in; it asserts nothing.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHOTO = ROOT / "tests" / "fixtures" / "obama.jpg"
LIMIT_S, LIMIT_MB, KILL_AFTER_S = 10.0, 600.0, 60.0
HUGE = 10 * 1024**3  # sparse: the size says 10 GB, the disk holds nothing

BOMB = "\n".join([
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    *(f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi")),
]) + "\n"
KIT = "palette: {primary: '#0052cc'}\n"
BRIEF = "roster: people.csv\n"
ROSTER = "photo,name\nphoto.jpg,Ada\n"


@dataclass
class Case:
    name: str
    args: list[str]
    # name -> text, bytes, "fifo", "huge", "->target", "stale" (an old temp file) or "tmpfs:SIZE" (a mount)
    files: dict[str, str | bytes] = field(default_factory=dict)
    python: str | None = None  # run `python -c` with this prelude before the CLI instead of `-m minime`
    expect: tuple[int | str, ...] = (2,)
    kill_after: float | None = None  # kill -9 the run (its whole group) this many seconds in
    may_change: tuple[str, ...] = ()  # names in the folder the run may write (a finished output)
    check: Callable[[Path, str, str], list[str]] | None = None  # (folder, stdout, stderr) -> what is wrong
    limit_s: float = LIMIT_S
    limit_mb: float = LIMIT_MB


def cases() -> list[Case]:
    fifo, huge = "fifo", "huge"
    out: list[Case] = []
    # The photo
    for label, path in (("FIFO", "photo.jpg"), ("/dev/zero", "/dev/zero"), ("/dev/urandom", "/dev/urandom")):
        out.append(Case(f"photo: {label}", ["make", path, "-n", "Ada"], {"photo.jpg": fifo} if label == "FIFO" else {}))
    out += [
        Case("photo: 10 GB (sparse)", ["make", "big.jpg", "-n", "Ada"], {"big.jpg": huge}),
        Case("photo: empty file", ["make", "empty.jpg", "-n", "Ada"], {"empty.jpg": b""}),
        Case("photo: a folder", ["make", "sub", "-n", "Ada"], {"sub/keep.txt": "x"}),
        Case("photo: empty name", ["make", "", "-n", "Ada"]),
        Case("photo: truncated JPEG", ["make", "cut.jpg", "-n", "Ada"], {"cut.jpg": PHOTO.read_bytes()[:4000]}),
    ]
    # The spec
    for label, files, path in (("FIFO", {"spec.yaml": fifo}, "spec.yaml"), ("/dev/zero", {}, "/dev/zero"),
                               ("/dev/urandom", {}, "/dev/urandom"), ("10 GB (sparse)", {"spec.yaml": huge}, "spec.yaml")):
        out.append(Case(f"spec: {label}", ["make", str(PHOTO), "--spec", path], files))
    out.append(Case("spec: spec.yaml linked to /dev/zero", ["make", str(PHOTO), "--spec", "spec.yaml"],
                    {"spec.yaml": "->/dev/zero"}))
    for spec_field in ("stats", "accessories", "tagline", "people", "quote"):
        out.append(Case(f"spec: YAML bomb in {spec_field}", ["make", str(PHOTO), "--spec", "spec.yaml"],
                        {"spec.yaml": BOMB + f"name: Ada\n{spec_field}: *i\n"}))
    out += [
        Case("spec: 100,000 nested lists (JSON)", ["make", str(PHOTO), "--spec", "spec.json"],
             {"spec.json": "[" * 100_000 + "]" * 100_000}),
        Case("spec: 100,000 nested lists (YAML)", ["make", str(PHOTO), "--spec", "spec.yaml"],
             {"spec.yaml": "name: " + "[" * 100_000 + "]" * 100_000}),
        Case("spec: a 900 kB name", ["make", str(PHOTO), "--spec", "spec.yaml"], {"spec.yaml": "name: " + "A" * 900_000}),
        Case("spec: duplicate key", ["make", str(PHOTO), "--spec", "spec.yaml"], {"spec.yaml": "name: Ada\nname: Bo\n"}),
        Case("spec: !!python tag", ["make", str(PHOTO), "--spec", "spec.yaml"],
             {"spec.yaml": "name: !!python/object/apply:os.getcwd []\n"}),
        Case("spec: !!binary tag", ["make", str(PHOTO), "--spec", "spec.yaml"], {"spec.yaml": "name: !!binary QWRh\n"}),
    ]
    # The brand kit, its logo and fonts
    for label, files, path in (("FIFO", {"kit.yaml": fifo}, "kit.yaml"), ("/dev/zero", {}, "/dev/zero"),
                               ("10 GB (sparse)", {"kit.yaml": huge}, "kit.yaml"),
                               ("YAML bomb", {"kit.yaml": BOMB + "palette: {primary: '#0052cc', ink: *i}\n"}, "kit.yaml")):
        out.append(Case(f"brand kit: {label}", ["make", str(PHOTO), "-n", "Ada", "--brand", path], files))
    out.append(Case("brand kit: kit.yaml linked to /dev/zero", ["make", str(PHOTO), "-n", "Ada", "--brand", "kit.yaml"],
                    {"kit.yaml": "->/dev/zero"}))
    for label, entry, files in (("logo FIFO", "logo: logo.png", {"logo.png": fifo}),
                                ("logo /dev/zero", "logo: /dev/zero", {}),
                                ("logo /dev/urandom", "logo: /dev/urandom", {}),
                                ("logo 10 GB (sparse)", "logo: logo.png", {"logo.png": huge}),
                                ("font FIFO", "fonts: {display: font.ttf}", {"font.ttf": fifo}),
                                ("font 10 GB (sparse)", "fonts: {text: font.ttf}", {"font.ttf": huge})):
        out.append(Case(f"brand kit: {label}", ["make", str(PHOTO), "-n", "Ada", "--brand", "kit.yaml"],
                        {"kit.yaml": KIT + entry + "\n", **files}))
    # The brief and its roster
    photo = {"photo.jpg": PHOTO.read_bytes()}
    for label, files, path in (("FIFO", {"brief.yaml": fifo}, "brief.yaml"), ("/dev/zero", {}, "/dev/zero"),
                               ("/dev/urandom", {}, "/dev/urandom"), ("10 GB (sparse)", {"brief.yaml": huge}, "brief.yaml")):
        out.append(Case(f"brief: {label}", ["batch", path, "-q"], files))
    out += [
        Case("brief: brief.yaml linked to /dev/urandom", ["batch", "brief.yaml", "-q"], {"brief.yaml": "->/dev/urandom"}),
        Case("roster: people.csv linked to /dev/zero", ["batch", "brief.yaml", "-q"],
             {"brief.yaml": BRIEF, "people.csv": "->/dev/zero"}),
        Case("brief: YAML bomb in defaults", ["batch", "brief.yaml", "-q"],
             {"brief.yaml": BOMB + "defaults: {stats: *i}\n" + BRIEF, "people.csv": ROSTER, **photo}),
        Case("brief: YAML bomb as the roster", ["batch", "brief.yaml", "-q"], {"brief.yaml": BOMB + "roster: *i\n"}),
        Case("brief: YAML bomb in template", ["batch", "brief.yaml", "-q"], {"brief.yaml": BOMB + "template: *i\n" + BRIEF}),
        Case("roster: FIFO", ["batch", "brief.yaml", "-q"], {"brief.yaml": BRIEF, "people.csv": fifo}),
        Case("roster: /dev/zero", ["batch", "brief.yaml", "-q"],
             {"brief.yaml": "roster: /dev/zero\nallow_paths_outside: true\n"}),
        Case("roster: /dev/urandom", ["batch", "brief.yaml", "-q"],
             {"brief.yaml": "roster: /dev/urandom\nallow_paths_outside: true\n"}),
        Case("roster: 10 GB (sparse)", ["batch", "brief.yaml", "-q"], {"brief.yaml": BRIEF, "people.csv": huge}),
        Case("roster: brand kit logo FIFO", ["batch", "brief.yaml", "-q"],
             {"brief.yaml": BRIEF + "brand: kit.yaml\n", "kit.yaml": KIT + "logo: logo.png\n", "logo.png": fifo,
              "people.csv": ROSTER, **photo}),
    ]
    # A roster whose rows are bad: each row fails alone, the run ends (exit 0 when a row fails is the
    # product's choice; 1 is what a run with failures gives) and writes only its own folder.
    for label, cell, extra in (("a FIFO", "pipe.jpg", {"pipe.jpg": fifo}), ("/dev/zero", "/dev/zero", {}),
                               ("../ outside", "../photo.jpg", {}), ("absolute", str(PHOTO), {}),
                               ("~ home", "~/photo.jpg", {})):
        out.append(Case(f"roster row photo: {label}", ["batch", "brief.yaml", "-q", "-o", "out"],
                        {"brief.yaml": BRIEF, "people.csv": f"photo,name\n{cell},Ada\n", **extra}, expect=(0, 1, 2)))
    for label, cell, extra in (("/dev/zero, paths outside allowed", "/dev/zero", {}),
                               ("a FIFO, paths outside allowed", "pipe.jpg", {"pipe.jpg": fifo}),
                               ("photo.jpg linked to /dev/zero", "photo.jpg", {"photo.jpg": "->/dev/zero"})):
        out.append(Case(f"roster row photo: {label}", ["batch", "brief.yaml", "-q", "-o", "out"],
                        {"brief.yaml": BRIEF + "allow_paths_outside: true\n", "people.csv": f"photo,name\n{cell},Ada\n",
                         **extra}, expect=(0, 1, 2)))
    rows = "".join(f"missing-{i}.jpg,Person {i}\n" for i in range(10_000))
    out.append(Case("roster: 10,000 rows, photos missing", ["batch", "brief.yaml", "-q", "-o", "out"],
                    {"brief.yaml": BRIEF, "people.csv": "photo,name\n" + rows}, expect=(0, 1, 2)))
    # verify's input
    for label, files, path in (("FIFO", {"box.png": fifo}, "box.png"), ("/dev/zero", {}, "/dev/zero"),
                               ("/dev/urandom", {}, "/dev/urandom"), ("10 GB (sparse)", {"box.png": huge}, "box.png"),
                               ("a folder", {"sub/keep.txt": "x"}, "sub"), ("empty name", {}, "")):
        out.append(Case(f"verify: {label}", ["verify", path], files))
    out.append(Case("verify: box.png linked to /dev/zero", ["verify", "box.png"], {"box.png": "->/dev/zero"}))
    out.append(Case("photo: photo.jpg linked to /dev/urandom", ["make", "photo.jpg", "-n", "Ada"],
                    {"photo.jpg": "->/dev/urandom"}))
    # Outputs that clash or cannot be written: refused before any work, nothing replaced
    old = {"box.png": b"the user's old box"}
    nope = ["--engine", "nope"]  # had the clash not been seen first, the engine's name would be the error
    out += [
        Case("output: --save-figure is -o", ["make", str(PHOTO), "-n", "Ada", "-o", "box.png", "--save-figure", "box.png"], old),
        Case("output: --save-figure is -o's --back", ["make", str(PHOTO), "-n", "Ada", "-o", "box.png", "--back",
                                                      "--save-figure", "box-back.png", *nope], old),
        Case("output: --save-figure is a --keep-all look", ["make", str(PHOTO), "-n", "Ada", "-o", "box.png",
                                                            "--variants", "2", "--keep-all", "--save-figure", "box-v2.png",
                                                            *nope], old),
        Case("output: -o inside --layers", ["make", str(PHOTO), "-n", "Ada", "-o", "L/front.png", "--layers", "L", *nope],
             {"L/front.png": b"old"}),
        Case("output: --layers is a file", ["make", str(PHOTO), "-n", "Ada", "-o", "box.png", "--layers", "box.png"], old),
        Case("output: folder missing", ["make", str(PHOTO), "-n", "Ada", "-o", "no/such/box.png"]),
        Case("output: -o is a folder", ["make", str(PHOTO), "-n", "Ada", "-o", "sub"], {"sub/keep.txt": "x"}),
        Case("output: .tiff", ["make", str(PHOTO), "-n", "Ada", "-o", "box.tiff"]),
        Case("output: 5,000-character name", ["make", str(PHOTO), "-n", "Ada", "-o", "b" * 5000 + ".png"]),
        Case("output: --layers 300 characters", ["make", str(PHOTO), "-n", "Ada", "--layers", "L" * 300, *nope]),
        Case("batch -o 300 characters", ["batch", "brief.yaml", "-q", "-o", "o" * 300],
             {"brief.yaml": BRIEF, "people.csv": ROSTER, **photo}),
        Case("photo: a loop of symbolic links", ["make", "a.jpg", "-n", "Ada"], {"a.jpg": "->b.jpg", "b.jpg": "->a.jpg"}),
        Case("output: empty -o", ["make", str(PHOTO), "-n", "Ada", "-o", ""]),
        Case("output: empty --layers", ["make", str(PHOTO), "-n", "Ada", "--layers", ""]),
        Case("batch -o is a file", ["batch", "brief.yaml", "-q", "-o", "box.png"],
             {"brief.yaml": BRIEF, "people.csv": ROSTER, **photo, **old}),
    ]
    # Bad names and values
    for label, value in (("U+202E override", "Ada\u202eevil"), ("U+200F mark", "Ada\u200fBo"), ("41 characters", "A" * 41),
                         ("a control character", "Ada\x07"), ("only spaces", "   "), ("100,000 characters", "A" * 100_000),
                         ("a lone surrogate", "Ada\udcff")):
        out.append(Case(f"name: {label}", ["make", str(PHOTO), "-n", value]))
    out += [
        Case("--variants 9", ["make", str(PHOTO), "-n", "Ada", "--variants", "9"]),
        Case("--engine nope", ["make", str(PHOTO), "-n", "Ada", "--engine", "nope"]),
        Case("--stat Strength=999", ["make", str(PHOTO), "-n", "Ada", "--stat", "Strength=999"]),
        Case("--color blurple", ["make", str(PHOTO), "-n", "Ada", "--color", "blurple"]),
        Case("--engine diffusers, not installed", ["make", str(PHOTO), "-n", "Ada", "--engine", "diffusers", "-o", "box.png"],
             python="import sys; sys.modules['diffusers'] = None"),
        Case("unknown command", ["nosuch"]),
    ]
    return out + round_three()


# ------------------------------------------------------------------------------------------ round three

FULL_MAKE_S, FULL_MAKE_MB = 120.0, 2500.0  # a whole figure (and a clip) is made before these fail or finish
ESC_NAME, BEL_NAME, RLO_NAME = "A\x1b[31mRED", "Bell\x07Ada", "Ada\u202eevil"
MARKUP = ":x: [bold]zq[/bold]"
RAW = {"\x1b": "ESC", "\x07": "BEL", "\x00": "NUL", "\u202e": "U+202E"}


def _can_mount() -> bool:
    """Whether this process may mount a tmpfs (root, outside a locked-down container)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    with tempfile.TemporaryDirectory(prefix="minime-mount-") as probe:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], capture_output=True).returncode == 0
        if ok:
            subprocess.run(["umount", "-l", probe], capture_output=True)
    return ok


def _fsize_prelude(limit: int) -> str:
    """A writer that fails after `limit` bytes: RLIMIT_FSIZE (EFBIG past it; SIGXFSZ ignored)."""
    return (f"import resource, signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
            f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))")


def _raw_controls(folder: Path, stdout: str, stderr: str) -> list[str]:
    """Control and bidi characters that reach the terminal, results.csv or index.html unescaped."""
    found = []
    places = {"the terminal": stdout + stderr}
    for name in ("out/results.csv", "out/index.html"):
        path = folder / name
        if path.is_file():
            places[name] = path.read_text(encoding="utf-8", errors="replace")
    for where, text in places.items():
        raw = [label for char, label in RAW.items() if char in text]
        if raw:
            found.append(f"raw {'/'.join(raw)} in {where}")
    return found


def _markup_eaten(folder: Path, stdout: str, stderr: str) -> list[str]:
    """Rich markup or :emoji: codes in user text that were rendered instead of shown as typed."""
    text = stdout + stderr
    found = ["':x:' shown as an emoji"] if "\u274c" in text else []
    if "zq" in text and "[bold]" not in text:
        found.append("'[bold]' taken as markup")
    return found


def round_three() -> list[Case]:
    photo = str(PHOTO)
    ada = ["make", photo, "-n", "Ada", "--no-likeness"]
    full = {"limit_s": FULL_MAKE_S, "limit_mb": FULL_MAKE_MB}
    out: list[Case] = []
    # A full disk: every temp file goes, several outputs are all or nothing, the error names the right file.
    if _can_mount():
        disk = {"small": "tmpfs:64k"}  # smaller than any output
        for suffix in ("3mf", "glb", "webp", "png", "mp4"):
            out.append(Case(f"full disk (tmpfs 64 kB): -o .{suffix}", [*ada, "-o", f"small/x.{suffix}"], disk,
                            expect=(1, 2), **full))
        out.append(Case("full disk (tmpfs 700 kB): -o x.png --layers L", [*ada, "-o", "small/x.png", "--layers", "small/L"],
                        {"small": "tmpfs:700k"}, expect=(1, 2), **full))
        out.append(Case("full disk (tmpfs 64 kB): --save-figure", [*ada, "-o", "x.png", "--save-figure", "small/f.png"],
                        disk, expect=(1, 2), **full))
    else:  # no mount here: a writer that fails after 256 kB
        for suffix in ("3mf", "glb", "webp", "png", "mp4"):
            out.append(Case(f"writer failing after 64 kB: -o .{suffix}", [*ada, "-o", f"x.{suffix}"],
                            python=_fsize_prelude(64 * 1024), expect=(1, 2), **full))
        out.append(Case("writer failing after 700 kB: -o x.png --layers L", [*ada, "-o", "x.png", "--layers", "L"],
                        python=_fsize_prelude(700 * 1024), expect=(1, 2), **full))
    # kill -9 during a clip: nothing in TMPDIR, no .minime-* beside the output
    for label, args, after in (("mp4, 6 s in", [*ada, "-o", "x.mp4"], 6.0),
                               ("mp4, 10 s in", [*ada, "-o", "x.mp4"], 10.0),
                               ("webp --clip box, 8 s in", [*ada, "-o", "x.webp", "--clip", "box"], 8.0)):
        out.append(Case(f"kill -9 during a clip: {label}", args, kill_after=after, expect=("kill -9", 0),
                        may_change=("x.mp4", "x.webp"), **full))
    photo_bytes = {"photos/ada.jpg": PHOTO.read_bytes()}
    out.append(Case("kill -9 during a clip: batch also: [mp4], 12 s in", ["batch", "brief.yaml", "-q", "-o", "out"],
                    {"brief.yaml": "roster: people.csv\nlikeness: false\nalso: [mp4]\n",
                     "people.csv": "photo,name\nphotos/ada.jpg,Ada\n", **photo_bytes},
                    kill_after=12.0, expect=("kill -9", 0), **full))
    out.append(Case("stale .minime-* of a killed run, then a run", ["make", photo, "-n", "Ada", "--engine", "studio",
                                                                    "--no-likeness", "-o", "x.png"],
                    {".minime-999999-deadbeef.png": "stale"}, expect=(0,), may_change=("x.png",), **full))
    # The output is the input
    jpg = {"p.jpg": PHOTO.read_bytes()}
    nope = ["--engine", "nope"]
    out += [
        Case("output is the input: -o p.jpg", ["make", "p.jpg", "-n", "Ada", "-o", "p.jpg"], jpg, **full),
        Case("output is the input through a link", ["make", "p.jpg", "-n", "Ada", "-o", "link.jpg"],
             {**jpg, "link.jpg": "->p.jpg"}, **full),
        Case("output is the input: --back x-back.png", ["make", "x-back.png", "-n", "Ada", "-o", "x.png", "--back"],
             {"x-back.png": _png_photo()}, **full),
        Case("output is the input: box f.png -o f.png", ["box", "f.png", "-n", "Ada", "-o", "f.png"],
             {"f.png": _figure_layer()}, **full),
    ]
    # Special outputs: refused, never replaced
    for label, target in (("a FIFO", "fifo"), ("a link to /dev/full", "->/dev/full"), ("a link to /dev/null", "->/dev/null"),
                          ("a dangling link", "->missing/nowhere.stl")):
        out.append(Case(f"output -o f.stl is {label}", [*ada, "-o", "f.stl", *nope], {"f.stl": target}))
    # Control characters and Rich markup
    roster = "photo,name\n" + "".join(f"photos/ada.jpg,{n}\n" for n in (ESC_NAME, BEL_NAME, RLO_NAME))
    out += [
        Case("roster names with ESC, BEL, U+202E", ["batch", "brief.yaml", "-q", "-o", "out"],
             {"brief.yaml": "roster: people.csv\nengine: studio\nlikeness: false\n", "people.csv": roster, **photo_bytes},
             expect=(0, 1, 2), check=_raw_controls, **full),
        Case("roster name with NUL", ["batch", "brief.yaml", "-q", "-o", "out"],
             {"brief.yaml": "roster: people.csv\nengine: studio\n", "people.csv": "photo,name\nphotos/ada.jpg,A\x00B\n",
              **photo_bytes}, expect=(0, 1, 2), check=_raw_controls, **full),
        Case("Rich markup in a template name (-t)", [*ada, "-t", MARKUP, "-o", "x.png"], check=_markup_eaten),
        Case("Rich markup in a tagline", [*ada, "--tagline", MARKUP, "-o", "x.png"], expect=(0, 2),
             may_change=("x.png",), check=_markup_eaten, **full),
        Case("Rich markup in accessories", ["accessories", MARKUP], expect=(0,), check=_markup_eaten),
        Case("control characters in accessories", ["accessories", "dog\x1b[31m", "cat\u202e"], expect=(0, 2),
             check=_raw_controls),
    ]
    # Unbounded commands
    out += [
        Case("accessories: 30,000 arguments", ["accessories", *(["cat"] * 30_000)]),
        Case("make: 30,000 -a", ["make", photo, "-n", "Ada", *(["-a", "cat"] * 30_000)]),
    ]
    # Flags that do not apply to the output: one line, before any work
    for label, args in (("--height-mm with .png", ["-o", "x.png", "--height-mm", "50"]),
                        ("--base with .png", ["-o", "x.png", "--base", "square"]),
                        ("--clip unbox with .stl", ["-o", "x.stl", "--clip", "unbox"]),
                        ("--back with .3mf", ["-o", "x.3mf", "--back"]),
                        ("--height-mm with .gif", ["-o", "x.gif", "--height-mm", "50"])):
        out.append(Case(f"flag that does not apply: {label}", [*ada, *args]))
    return out


def _png_photo() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.open(PHOTO).convert("RGB").save(buf, "PNG")
    return buf.getvalue()


def _figure_layer() -> bytes:
    """A transparent figure layer, as --save-figure writes one."""
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (400, 620), (0, 0, 0, 0))
    ImageDraw.Draw(img).ellipse((100, 40, 300, 600), fill=(40, 90, 200, 255))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _make_files(folder: Path, files: dict[str, str | bytes]) -> list[Path]:
    """Make the case's files; returns the tmpfs mounts made (to unmount after the run)."""
    mounts = []
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str) and content.startswith("tmpfs:"):
            path.mkdir()
            subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={content[6:]}", "tmpfs", str(path)], check=True)
            mounts.append(path)
        elif content == "stale":  # a temp file of a killed run, an hour old
            path.write_bytes(b"half a file")
            old = time.time() - 3600
            os.utime(path, (old, old))
        elif content == "fifo":
            os.mkfifo(path)
        elif isinstance(content, str) and content.startswith("->"):  # a link with the right name to a device
            path.symlink_to(content[2:])
        elif content == "huge":
            with open(path, "wb") as handle:
                handle.truncate(HUGE)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return mounts


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every entry under `folder` with its size and modification time."""
    seen = {}
    for path in folder.rglob("*"):
        info = path.lstat()
        seen[str(path.relative_to(folder))] = (info.st_size, info.st_mtime_ns)
    return seen


def _survivors(marker: str) -> list[int]:
    """Processes still running with `marker` in their environment: the run's children that outlived it."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def run(case: Case, base: Path, number: int) -> dict:
    folder, tmp, home = base / f"case-{number}", base / f"tmp-{number}", base / f"home-{number}"
    for path in (folder, tmp, home):
        path.mkdir()
    mounts = _make_files(folder, case.files)
    before = _snapshot(folder)
    marker = f"MINIME_HOSTILE_CASE={os.getpid()}-{number}"
    env = {**os.environ, "TMPDIR": str(tmp), "MINIME_HOME": str(home), "MINIME_HOSTILE_CASE": marker.split("=", 1)[1],
           "PYTHONUNBUFFERED": "1"}
    if case.python:
        command = [sys.executable, "-c", f"{case.python}\nfrom minime.cli import main; main()", *case.args]
    else:
        command = [sys.executable, "-m", "minime", *case.args]
    started = time.perf_counter()
    with open(base / "stdout", "wb") as out, open(base / "stderr", "wb") as err:
        proc = subprocess.Popen(command, cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                start_new_session=True)
        killed: str | bool = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            elapsed = time.perf_counter() - started
            if elapsed > KILL_AFTER_S or (case.kill_after is not None and elapsed > case.kill_after):
                os.killpg(proc.pid, signal.SIGKILL)
                killed = "killed" if elapsed > KILL_AFTER_S else "kill -9"
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    time.sleep(0.3)  # children that were told to end have a moment to do so
    survivors = _survivors(marker)
    for pid in survivors:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    stderr = (base / "stderr").read_text(encoding="utf-8", errors="replace")
    stdout = (base / "stdout").read_text(encoding="utf-8", errors="replace")
    lines = [line for line in stderr.splitlines() if line.strip()]
    after = _snapshot(folder)
    roots = {str(m.relative_to(folder)) for m in mounts}  # a mount's own folder changes as files come and go
    changed = sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name) and name not in roots)
    temp = sorted(str(p.relative_to(base)) for p in (*tmp.rglob("*"), *folder.rglob(".minime-*")))
    notes = case.check(folder, stdout, stderr) if case.check else []
    for mount in mounts:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)
    return {"case": case.name, "exit": killed or proc.returncode, "seconds": seconds,
            "rss_mb": usage.ru_maxrss / 1024, "changed": changed, "temp": temp, "orphans": len(survivors),
            "traceback": "Traceback" in stderr, "lines": len(lines), "expect": case.expect,
            "message": lines[-1] if lines else "", "notes": notes, "may_change": case.may_change,
            "limit_s": case.limit_s, "limit_mb": case.limit_mb}


def _stray(row: dict) -> list[str]:
    """A failed run changes nothing; a batch run that ends writes its own output folder "out" and nothing else;
    a run that finishes writes its own outputs (`may_change`), and a killed one nothing but whole outputs."""
    allowed = set(row.get("may_change", ()))
    return [name for name in row["changed"]
            if not (name == "out" or name.startswith("out/") or (name in allowed and row["exit"] in (0, "kill -9"))
                    or name.startswith(".minime-"))]  # a temp file that is still there is counted as one


def problems(row: dict) -> list[str]:
    found = []
    if row["exit"] not in row["expect"]:
        found.append(f"exit {row['exit']}")
    if row["seconds"] > row.get("limit_s", LIMIT_S) and row["exit"] != "kill -9":
        found.append(f"over {row.get('limit_s', LIMIT_S):.0f} s")
    if row["rss_mb"] > row.get("limit_mb", LIMIT_MB):
        found.append(f"over {row.get('limit_mb', LIMIT_MB):.0f} MB")
    if row["traceback"]:
        found.append("traceback")
    if row["exit"] == 2 and row["lines"] != 1:
        found.append(f"{row['lines']} lines")
    if row["temp"]:
        found.append(f"temp files {row['temp'][:3]}")
    if row["orphans"]:
        found.append(f"{row['orphans']} processes outlived it")
    stray = _stray(row)
    if stray:
        found.append(f"changed {stray[:3]}")
    found += row.get("notes", [])
    return found


def main() -> None:
    if "--web" in sys.argv:
        import hostile_web  # beside this file

        hostile_web.main()
        return
    only = sys.argv[sys.argv.index("-k") + 1].lower() if "-k" in sys.argv else ""
    chosen = [case for case in cases() if only in case.name.lower()]
    flagged = 0
    print(f"{'case':46} {'exit':>6} {'s':>6} {'MB':>6} {'left behind':12}  message")
    with tempfile.TemporaryDirectory(prefix="minime-hostile-") as tmp:
        for number, case in enumerate(chosen):
            row = run(case, Path(tmp), number)
            found = problems(row)
            flagged += bool(found)
            left = "YES" if row["temp"] or row["orphans"] or _stray(row) else "nothing"
            message = row["message"][:90]
            print(f"{'!' if found else ' '}{case.name[:45]:45} {row['exit']!s:>6} {row['seconds']:6.2f} "
                  f"{row['rss_mb']:6.0f} {left:12}  {message}" + (f"  <- {'; '.join(found)}" if found else ""), flush=True)
    print(f"{len(chosen)} cases, {flagged} flagged (limits: {LIMIT_S:.0f} s, {LIMIT_MB:.0f} MB, the expected exit, "
          "one line, nothing left behind)")


if __name__ == "__main__":
    main()
