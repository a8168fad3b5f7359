"""Hostile and careless input at every door that reads or writes, each case a real `minime` process.

    .venv/bin/python bench/hostile.py [-k WORD]

Special files (a FIFO, /dev/zero, /dev/urandom) as the photo, spec, brief, roster, brand kit, logo, font and
verify's input; YAML bombs in several fields; files far over their caps; outputs that clash; bad names and
values. For each case it prints the exit code, wall seconds, the process's peak RSS (from wait4, so its own
and its reaped children's), and what the run left: files changed in its folder, temp files, processes that
outlived it. Flags (!) a case over 10 s or 600 MB, an exit other than the one the case expects (2 for a
user's mistake, 0 where the run goes on, as a campaign with a failing row), a traceback, an error of more
than one line, or anything left behind. Nothing here is a timed test.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
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
    files: dict[str, str | bytes] = field(default_factory=dict)  # name -> text, bytes, "fifo", "huge" or "->target"
    python: str | None = None  # run `python -c` with this prelude before the CLI instead of `-m minime`
    expect: tuple[int, ...] = (2,)


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
    return out


def _make_files(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content == "fifo":
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
    _make_files(folder, case.files)
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
        killed = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > KILL_AFTER_S:
                os.killpg(proc.pid, signal.SIGKILL)
                killed = True
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
    lines = [line for line in stderr.splitlines() if line.strip()]
    after = _snapshot(folder)
    changed = sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
    temp = sorted(str(p.relative_to(base)) for p in (*tmp.rglob("*"), *folder.rglob(".minime-*")))
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)
    return {"case": case.name, "exit": "killed" if killed else proc.returncode, "seconds": seconds,
            "rss_mb": usage.ru_maxrss / 1024, "changed": changed, "temp": temp, "orphans": len(survivors),
            "traceback": "Traceback" in stderr, "lines": len(lines), "expect": case.expect,
            "message": lines[-1] if lines else ""}


def _stray(row: dict) -> list[str]:
    """A failed run changes nothing; a batch run that ends writes its own output folder "out" and nothing else."""
    return [name for name in row["changed"] if not (name == "out" or name.startswith("out/"))]


def problems(row: dict) -> list[str]:
    found = []
    if row["exit"] not in row["expect"]:
        found.append(f"exit {row['exit']}")
    if row["seconds"] > LIMIT_S:
        found.append(f"over {LIMIT_S:.0f} s")
    if row["rss_mb"] > LIMIT_MB:
        found.append(f"over {LIMIT_MB:.0f} MB")
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
    return found


def main() -> None:
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
