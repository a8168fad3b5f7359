"""Campaigns (minime batch) end to end: a 15-person roster made from variations of the test portraits, offline.
The journal and resume contract is tested with a fake maker in test_batch_journal.py."""

from __future__ import annotations

import concurrent.futures
import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PIL import Image, ImageEnhance, ImageOps
from typer.testing import CliRunner

from minime import batch
from minime.cli import app
from minime.errors import MinimeError

from .conftest import FIXTURES

runner = CliRunner()
# (portrait, long side): each face stays 75-100 px wide, enough for the look stage and quick to make
PORTRAITS = (("obama.jpg", 380), ("astronaut.jpg", 460), ("biden_small.jpg", 600))
GOOD, BAD = 10, 5
EVIL_NAME = '<script>alert("x")</script>'


def _variant(i: int) -> Image.Image:
    """Portrait i % 3, flipped, cropped, scaled and colour-shifted by i."""
    name, side = PORTRAITS[i % 3]
    image = Image.open(FIXTURES / name).convert("RGB")
    image.thumbnail((side, side))
    if i % 2:
        image = ImageOps.mirror(image)
    w, h = image.size
    m = (i % 4) * 0.02  # trim up to 6% from each side
    image = image.crop((int(w * m), int(h * m), w - int(w * m), h - int(h * m)))
    scale = 1.0 - (i % 3) * 0.05
    image = image.resize((int(image.width * scale), int(image.height * scale)), Image.Resampling.LANCZOS)
    r, g, b = image.split()
    shift = (i % 5 - 2) * 0.06  # warmer or cooler
    r = r.point(lambda v: min(255, int(v * (1 + shift))))
    b = b.point(lambda v: min(255, int(v * (1 - shift))))
    image = Image.merge("RGB", (r, g, b))
    return ImageEnhance.Brightness(image).enhance(0.9 + (i % 3) * 0.08)


def make_campaign(folder: Path, good: int = GOOD, *, brand: bool = True) -> Path:
    """A brief and a roster of `good` good rows and five bad ones (not an image, no face, missing, a face
    too small, a tagline too long). Returns the brief's path."""
    photos = folder / "photos"
    photos.mkdir(parents=True)
    rows = []
    for i in range(good):
        _variant(i).save(photos / f"p{i:02d}.jpg", quality=88)
        name = EVIL_NAME if i == 3 else f"Person {i:02d}"
        accessories = "guitar;dog" if i % 4 == 0 else ""
        rows.append([f"photos/p{i:02d}.jpg", name, f"Tagline {i}" if i % 2 else "", accessories])
    (photos / "bad.jpg").write_bytes(b"this is not a photo")
    shutil.copy(FIXTURES / "no_face.png", photos / "no_face.png")
    tiny = Image.open(FIXTURES / "obama.jpg").convert("RGB")
    tiny.thumbnail((120, 120))
    tiny.save(photos / "tiny.jpg")
    rows += [["photos/bad.jpg", "Not A Photo", "", ""], ["photos/no_face.png", "No Face", "", ""],
             ["photos/missing.jpg", "Missing", "", ""], ["photos/tiny.jpg", "Tiny", "", ""],
             ["photos/p00.jpg", "Too Long", "x" * 61, ""]]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["photo", "name", "tagline", "accessories"])
    writer.writerows(rows)
    (folder / "people.csv").write_text(buffer.getvalue(), encoding="utf-8")
    # the studio engine: the batch machinery is under test here, not the figure (tests/sculpt has those)
    lines = ["title: Acme offsite", "template: classic", "engine: studio", "defaults: {accessories: [laptop]}",
             "roster: people.csv"]
    if brand:
        shutil.copytree(FIXTURES / "brand", folder / "brand")
        lines.insert(2, "brand: brand/acme.yaml")
    brief = folder / "campaign.yaml"
    brief.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return brief


def results(out: Path) -> list[dict]:
    with open(out / "results.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def check_agreement(out: Path, rows: int | None = None) -> list[dict]:
    """results.csv and the folder agree: each done row has its own complete figure, nothing else is there."""
    lines = results(out)
    if rows is not None:
        assert [int(line["row"]) for line in lines] == list(range(1, rows + 1))
    assert set(lines[0]) == set(batch.RESULT_COLUMNS)
    done = [line["output"] for line in lines if line["status"] == "done"]
    assert len(done) == len(set(done)), "two rows share a figure"
    on_disk = sorted(f"figures/{p.name}" for p in (out / "figures").iterdir())
    assert sorted(done) == on_disk
    for output in done:
        with Image.open(out / output) as image:
            image.load()  # a half-written file would fail here
    assert not list((out / ".minime" / "tmp").iterdir())
    return lines


@pytest.fixture(scope="module")
def campaign(tmp_path_factory):
    """The 15-person campaign, made once with two worker processes."""
    folder = tmp_path_factory.mktemp("campaign")
    brief = make_campaign(folder)
    out = folder / "out"
    summary = batch.run(brief, out, workers=2, progress=False)
    return brief, out, summary


def test_the_campaign_is_made_and_bad_rows_are_reported(campaign):
    brief, out, summary = campaign
    assert (summary.rows, summary.done, summary.failed, summary.made) == (GOOD + BAD, GOOD, BAD, GOOD)
    lines = check_agreement(out, GOOD + BAD)
    by_name = {line["name"]: line for line in lines}
    assert by_name["Not A Photo"]["status"] == "failed" and "not an image" in by_name["Not A Photo"]["error"]
    assert by_name["No Face"]["status"] == "failed" and "face" in by_name["No Face"]["error"]
    assert by_name["Missing"]["status"] == "failed" and "not found" in by_name["Missing"]["error"]
    assert by_name["Tiny"]["status"] == "failed" and "at least 64 px" in by_name["Tiny"]["error"]
    assert by_name["Too Long"]["status"] == "failed" and f"row {GOOD + BAD}: tagline" in by_name["Too Long"]["error"]
    for line in lines:
        if line["status"] == "done":
            assert float(line["likeness"]) > 50 and float(line["seconds"]) > 0 and float(line["wh"]) > 0
            assert line["error"] == ""
    assert {f[1] for f in summary.failures} == {"Not A Photo", "No Face", "Missing", "Tiny", "Too Long"}
    with Image.open(out / by_name["Person 00"]["output"]) as image:  # the brand kit's exact blue is on the box
        assert (0, 0x52, 0xCC) in {c for _, c in image.convert("RGB").getcolors(1 << 20)}


def test_the_contact_sheet_escapes_user_text(campaign):
    _, out, _ = campaign
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert page.count('<figure class="card">') == GOOD and page.count('<figure class="card failed">') == BAD
    assert "Acme offsite" in page and 'http-equiv="refresh"' not in page


def test_the_contact_sheet_shows_thumbnails_that_link_to_the_figures(campaign):
    from minime.provenance import IPTC_TRAINED

    _, out, _ = campaign
    page = (out / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<a href="([^"]+)"><img src="([^"]+)"', page)
    assert len(cards) == GOOD
    for href, src in cards:
        assert href.startswith("figures/") and src.startswith("thumbs/")
        with Image.open(out / href) as figure, Image.open(out / src) as thumb:
            assert thumb.format == "JPEG" and max(thumb.size) == 360 < max(figure.size)
            assert abs(thumb.width / thumb.height - figure.width / figure.height) < 0.01
            assert IPTC_TRAINED in thumb.info["xmp"].decode()  # labelled AI-generated like the figure
    assert sorted(p.name for p in (out / "thumbs").iterdir()) == sorted(Path(src).name for _, src in cards)


def test_a_second_run_makes_nothing(campaign, tmp_path, monkeypatch):
    brief, out, _ = campaign
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    before = {p.name: p.stat().st_mtime_ns for p in (copy / "figures").iterdir()}

    def no_pool(*args, **kwargs):
        raise AssertionError("a worker pool was started for a run with nothing to make")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    summary = batch.run(brief, copy, workers=2, progress=False)
    assert summary.made == 0 and summary.reused == GOOD + BAD and summary.done == GOOD
    assert {p.name: p.stat().st_mtime_ns for p in (copy / "figures").iterdir()} == before
    assert [(r["row"], r["status"], r["output"], r["seconds"]) for r in results(copy)] == \
           [(r["row"], r["status"], r["output"], r["seconds"]) for r in results(out)]


def test_a_changed_row_is_made_again_and_its_old_figure_removed(campaign, tmp_path):
    brief, out, _ = campaign
    folder = tmp_path / "campaign"
    shutil.copytree(brief.parent, folder, ignore=shutil.ignore_patterns("out"))
    shutil.copytree(out, folder / "out")
    roster = (folder / "people.csv").read_text(encoding="utf-8")
    roster = roster.replace("Person 05,Tagline 5", "Person 05,A new tagline")
    (folder / "people.csv").write_text(roster, encoding="utf-8")
    _variant(8).save(folder / "photos" / "p07.jpg")  # a new photo for row 8
    old = {line["name"]: line["output"] for line in results(out)}
    summary = batch.run(folder / "campaign.yaml", folder / "out", progress=False)
    assert summary.made == 2 and summary.reused == GOOD + BAD - 2
    new = {line["name"]: line["output"] for line in check_agreement(folder / "out", GOOD + BAD)}
    assert new["Person 05"] != old["Person 05"] and new["Person 07"] != old["Person 07"]
    assert new["Person 06"] == old["Person 06"]
    assert not (folder / "out" / old["Person 05"]).exists()


def _changes(folder: Path):
    """Yield each time a file in `folder` is written or created (Linux inotify): a wait on another process's
    progress that needs no polling interval."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(os.O_CLOEXEC)
    if fd < 0 or libc.inotify_add_watch(fd, str(folder).encode(), 0x2 | 0x8 | 0x100) < 0:  # modify, close write, create
        raise OSError(ctypes.get_errno(), "inotify")
    try:
        while True:
            yield
            os.read(fd, 65536)  # blocks until the next change
    finally:
        os.close(fd)


def _group(pgid: int) -> list[int]:
    """The processes of a process group, from /proc."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid:
            pids.append(int(stat.parent.name))
    return pids


def _wait_all_exit(pids: list[int]) -> None:
    """Block until every process in `pids` has ended (a pidfd turns readable when its process exits)."""
    import select

    fds = []
    for pid in pids:
        try:
            fds.append(os.pidfd_open(pid))
        except ProcessLookupError:
            continue  # already gone
    try:
        pending = set(fds)
        while pending:
            ready, _, _ = select.select(list(pending), [], [])
            pending -= set(ready)
    finally:
        for fd in fds:
            os.close(fd)


@pytest.mark.timeout(300)
@pytest.mark.slow
def test_kill_9_mid_run_loses_nothing_and_the_resume_finishes(tmp_path):
    good = 8
    brief = make_campaign(tmp_path, good=good, brand=False)
    out = tmp_path / "out"
    (out / ".minime").mkdir(parents=True)
    journal = out / ".minime" / "journal.jsonl"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    changes = _changes(out / ".minime")
    next(changes)  # watching before the run starts: no write is missed
    proc = subprocess.Popen([sys.executable, "-m", "minime", "batch", str(brief), "-o", str(out), "--workers", "2", "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        for _ in changes:  # a hang here is ended by pytest-timeout
            done = journal.read_text().count('"status": "done"') if journal.exists() else 0
            if done >= 3 or proc.poll() is not None:
                break
        changes.close()
        assert proc.poll() is None, f"the run ended before it could be killed: {proc.stderr.read()!r}"
        workers = [pid for pid in _group(proc.pid) if pid != proc.pid]
        os.kill(proc.pid, signal.SIGKILL)  # the parent alone, mid-row: its workers must end by themselves
    finally:
        proc.wait(30)
    assert len(workers) >= 2  # the two workers (and the resource tracker) were there to outlive it
    _wait_all_exit(workers)  # every process of the run is gone; pytest-timeout fails the test if one lives on
    # Right after the crash: every file in sight is whole, and results.csv claims nothing that is not there.
    for figure in (out / "figures").iterdir():
        with Image.open(figure) as image:
            image.load()
    claimed = [line["output"] for line in results(out) if line["status"] == "done"]
    assert all((out / output).is_file() for output in claimed)
    finished = {json.loads(line)["key"] for line in journal.read_text().splitlines()
                if line.endswith("}") and json.loads(line)["status"] == "done"}
    assert 3 <= len(finished) < good
    kept = {p.name: p.stat().st_ino for p in (out / "figures").iterdir()
            if any(p.name.endswith(f"-{key[:12]}.png") for key in finished)}

    summary = batch.run(brief, out, progress=False)
    lines = check_agreement(out, good + BAD)
    assert summary.done == good and summary.made == good - len(finished)
    assert sum(line["status"] == "done" for line in lines) == good
    assert len(kept) == len(finished)
    for name, inode in kept.items():  # figures journaled before the crash were not made again
        assert (out / "figures" / name).stat().st_ino == inode


@pytest.mark.slow
def test_ray_executor_on_a_local_ray(tmp_path):
    ray = pytest.importorskip("ray")
    brief = make_campaign(tmp_path, good=3, brand=False)
    roster = tmp_path / "people.csv"
    lines = roster.read_text(encoding="utf-8").splitlines()
    roster.write_text("\n".join(lines[:4] + lines[5:6]) + "\n", encoding="utf-8")  # 3 good rows and one bad photo
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        summary = batch.run(brief, tmp_path / "out", executor="ray", workers=2, progress=False)
        assert (summary.rows, summary.done, summary.failed, summary.made) == (4, 3, 1, 3)
        check_agreement(tmp_path / "out", 4)
        # A changed row, with photos and files shipped through the object store as for a remote node.
        roster.write_text(roster.read_text(encoding="utf-8").replace("Person 01", "Person One"), encoding="utf-8")
        summary = batch.run(brief, tmp_path / "out", executor="ray", workers=1, progress=False, _ship=True)
        assert summary.made == 1 and summary.reused == 3
        check_agreement(tmp_path / "out", 4)
        assert ray.is_initialized()  # a Ray the caller started is left running
    finally:
        ray.shutdown()


def test_a_journal_line_cut_short_by_a_crash_costs_nothing_after_it(campaign, tmp_path):
    brief, out, _ = campaign
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    journal = copy / ".minime" / "journal.jsonl"
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    first = json.loads(lines[0])
    assert first["status"] == "done"
    journal.write_text("".join(lines[1:]) + lines[0][:25], encoding="utf-8")  # killed while writing row 1's line
    with batch.Folder(copy) as folder:  # the next line written after the cut one is read back whole
        folder.append(batch.Entry("k" * 64, "failed", error="x"), batch.Row(99, "p.jpg", "P", None, None))
        assert "k" * 64 in folder.read_journal() and first["key"] not in folder.read_journal()
    summary = batch.run(brief, copy, progress=False)
    assert summary.made == 1 and summary.done == GOOD  # row 1 again (its figure is replaced whole)
    check_agreement(copy, GOOD + BAD)


def test_ray_actors_ask_for_a_gpu_only_when_the_engine_wants_one():
    gpu_cluster, cpu_cluster = {"CPU": 16.0, "GPU": 2.0}, {"CPU": 16.0}
    assert batch.actor_resources("diffusers", {}, gpu_cluster) == {"num_cpus": 1, "num_gpus": 1}
    assert batch.actor_resources("diffusers", {}, cpu_cluster) == {"num_cpus": 1, "num_gpus": 0}
    assert batch.actor_resources("diffusers", {"device": "cpu"}, gpu_cluster)["num_gpus"] == 0
    assert batch.actor_resources("studio", {}, gpu_cluster)["num_gpus"] == 0


def test_a_worker_makes_no_sample_figure_before_its_first_row(monkeypatch):
    from minime.batch import executors

    samples: list = []
    monkeypatch.setattr(executors, "_warm", lambda *args: samples.append(args))
    monkeypatch.setattr(executors, "_WORKER", {})
    context = batch.Context("studio", {}, "classic", "feed", False, None, None, False)
    executors.init_worker(context)  # as each pool process and Ray actor sets itself up
    assert samples == []  # a whole figure's work that no row needs: the first row loads the models
    assert executors._WORKER["context"] == context and executors._WORKER["engine"].name == "studio"


def test_a_qr_code_opens_the_event_page(campaign, tmp_path):
    brief, out, _ = campaign
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    summary = batch.run(brief, copy, qr="http://192.168.1.20:8000/?a=1&b=2", progress=False)
    assert sorted(p.name for p in summary.qr) == ["qr.png", "qr.svg"]
    with Image.open(copy / "qr.png") as image:
        assert image.width == image.height >= 250
    page = (copy / "index.html").read_text(encoding="utf-8")
    assert 'src="qr.svg"' in page and "http://192.168.1.20:8000/?a=1&amp;b=2" in page
    with pytest.raises(MinimeError, match="not a web address"):
        batch.run(brief, copy, qr="javascript:alert(1)", progress=False)


# ---------------------------------------------------------------- mistakes in the brief: one line, exit 2

def _brief(tmp_path: Path, text: str, roster: str | None = "photo,name\nphotos/p00.jpg,Ada\n") -> Path:
    if roster is not None:
        (tmp_path / "people.csv").write_text(roster, encoding="utf-8")
    path = tmp_path / "campaign.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, roster, needle", [
    ("roster: nobody.csv\n", None, "roster not found: "),
    ("roster: people.csv\n", "photo,name,taglines\na.jpg,Ada,Hi\n", "unknown column 'taglines' (did you mean 'tagline'?)"),
    ("roster: people.csv\n", "photo,tagline\na.jpg,Hi\n", "no 'name' column"),
    ("roster: people.csv\n", "photo,name\na.jpg,Ada,extra\n", "people.csv row 1 (line 2): 3 fields but the header has 2"),
    ("roster: people.csv\n", "photo,name\n", "a header but no people"),
    ("roster: people.csv\ntemplate: fancy\n", None, "template: unknown template 'fancy'; choose one of: classic"),
    ("roster: people.csv\ntemplat: classic\n", None, "unknown field 'templat' (did you mean 'template'?)"),
    ("roster: people.csv\nbrand: nope.yaml\n", None, "brand kit not found"),
    ("roster: people.csv\ndefaults: {colour: red}\n", None, "defaults: unknown field 'colour'"),
    ("template: classic\n", None, "roster: is required"),
    ("roster: people.csv\nlikeness: maybe\n", None, "likeness: must be true or false (got text)"),
    ("roster: people.csv\nseed: 1.5\n", None, "seed: must be a whole number"),
    ("roster: people.csv\nformat: gif\n", None, "format: 'gif' is not one of png, jpg, webp"),
    ("roster: people.csv\nsize: print-kit\n", None, "size: a campaign makes images; use feed, square, story or print"),
    ("roster: people.csv\nsize: huge\n", None, "size: unknown size 'huge'; choose one of: feed, square, story, print"),
    ("roster: people.csv\nengine: nope\n", None, "engine: unknown engine 'nope'; choose one of: sculpt"),
    ("roster: people.csv\ndefaults: [laptop]\n", None, "defaults: must be a mapping of spec fields"),
    ("roster: people.csv\ndefaults: {name: Ada}\n", None, "defaults: name comes from each roster row"),
    ("roster: people.csv\ntitle: [1, 2]\n", None, "title: must be text (got a list)"),
    ("roster: [people.csv]\n", None, "roster: must be text (got a list)"),
    ("roster: people.csv\ntemplate: " + "x" * 50_000 + "\n", None, "template: unknown template (50000 characters); choose"),
    ("roster: people.csv\nalso: [obj]\n", None, "also: 'obj' is not one of stl, 3mf, glb, mp4, gif"),
    ("roster: people.csv\nheight_mm: 500\n", None, "height_mm: 500 is outside 30-300 mm"),
    ("roster: people.csv\nheight_mm: tall\n", None, "height_mm: must be a number of millimetres, 30-300"),
    ("roster: people.csv\nbase: hexagon\n", None, "base: unknown base 'hexagon'; choose one of: round, square, none"),
    ("roster: people.csv\nclip: spin\n", None, "clip: unknown clip 'spin'; choose one of: figure, box, unbox"),
    ("roster: people.csv\nengine: studio\nalso: [3mf]\n", None,
     "also: .3mf needs the figure's 3D mesh, which the studio engine does not make: use engine: sculpt"),
])
def test_brief_mistakes_exit_2_with_one_line(tmp_path, text, roster, needle):
    path = _brief(tmp_path, text, roster)
    result = runner.invoke(app, ["batch", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert needle in result.output and result.output.count("\n") == 1, result.output
    assert not (tmp_path / "out").exists()  # nothing is made or written


def test_the_cli_runs_a_campaign_and_a_busy_folder_is_refused(tmp_path):
    path = make_campaign(tmp_path, good=1, brand=False)
    roster = tmp_path / "people.csv"
    roster.write_text("\n".join(roster.read_text().splitlines()[:3]) + "\n")  # one good row, one bad photo
    result = runner.invoke(app, ["batch", str(path), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    assert "1 of 2 figures" in result.output and "failed: row 2 (Not A Photo)" in result.output
    import fcntl

    with open(tmp_path / "out" / ".minime" / "lock", "a+") as lock:  # another run holds the folder
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = runner.invoke(app, ["batch", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "another minime batch is writing to" in result.output


def test_control_and_bidi_characters_are_shown_escaped_in_the_failures_the_csv_and_the_page(tmp_path):
    """A roster name with ESC was echoed raw in "failed: row 1 (...)", and results.csv and index.html kept raw
    ESC, BEL, NUL and U+202E."""
    evil = "A\x1b[31mRED\x07\x00\u202eevil"
    shown = "A\\x1b[31mRED\\x07\\x00U+202Eevil"
    roster = f"photo,name,tagline\nnope\x1b.jpg,{evil},hi\x1bX\n"
    path = _brief(tmp_path, 'roster: people.csv\ntitle: "Camp\\e[31m\\u202e"\n', roster)
    result = runner.invoke(app, ["batch", str(path), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    assert f"failed: row 1 ({shown}): row 1: name: contains a control character" in result.output
    csv_text = (tmp_path / "out" / "results.csv").read_text(encoding="utf-8")
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    for text in (result.output, csv_text, page):
        assert not any(ch in text for ch in "\x1b\x07\x00\u202e"), repr(text)
    assert next(csv.DictReader(io.StringIO(csv_text)))["name"] == shown
    assert f"<b>{shown}</b>" in page and "<h1>Camp\\x1b[31mU+202E</h1>" in page and "nope\\x1b.jpg" in page
    with pytest.raises(MinimeError, match="not a web address"):
        batch.check_url("http://192.168.1.20:8000/\x1b[2J")


def test_event_mode_presets_the_page_and_brands_every_figure(tmp_path):
    pytest.importorskip("fastapi")
    import httpx

    from minime.web import create_app
    from minime.web.jobs import default_maker

    shutil.copytree(FIXTURES / "brand", tmp_path / "brand")
    path = _brief(tmp_path, "title: <b>Acme</b> day\ntemplate: retro-80s\nbrand: brand/acme.yaml\n"
                            "defaults: {accessories: [laptop, coffee cup], tagline: Builder}\nroster: missing.csv\n", None)
    event = batch.load_brief(path, roster=False)  # the roster is not needed to serve the page
    app_ = create_app(event=event)
    made = []
    called = threading.Event()

    def fake(photo, spec, **options):
        made.append((spec, options))
        called.set()
        raise MinimeError("stop here")

    fake_app = create_app(event=event, maker=fake)
    try:
        assert app_.state.jobs.maker.func is default_maker and app_.state.jobs.maker.keywords["brand"] == event.brand

        async def go():
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=fake_app), base_url="http://testserver",
                                         headers={"x-minime-request": "1"}) as client:
                page = (await client.get("/")).text
                r = await client.post("/api/figures", files={"photo": ("p.jpg", (FIXTURES / "obama.jpg").read_bytes(), "image/jpeg")},
                                      data={"spec": json.dumps({"name": "Ada"})})
                assert r.status_code == 202, r.text
                assert await asyncio.to_thread(called.wait, 300)  # set by the job's worker thread; 300 s is a hang
                return page

        import asyncio

        page = asyncio.run(go())
    finally:
        app_.state.jobs.close()
        fake_app.state.jobs.close()
    assert "&lt;b&gt;Acme&lt;/b&gt; day" in page and "<b>Acme</b>" not in page
    assert 'value="retro-80s" checked' in page
    assert "coffee cup" in page and "Builder" in page  # in the page's config, for the form to start from
    spec, _ = made[0]
    assert spec.template == "retro-80s" and spec.accessories == ["laptop", "coffee cup"] and spec.tagline == "Builder"


def test_a_brief_s_null_fields_take_their_defaults_and_the_loaded_brief_is_frozen(tmp_path):
    import pydantic

    path = _brief(tmp_path, "roster: people.csv\ntemplate:\nformat: JPEG\nseed: 7\nmodel: ' tiny '\n")
    brief = batch.load_brief(path)
    assert (brief.template, brief.format, brief.seed, brief.engine_options, brief.title) == \
           ("classic", "jpg", 7, {"model": "tiny"}, "campaign")
    assert [(row.number, row.name, row.path) for row in brief.rows] == [(1, "Ada", tmp_path / "photos" / "p00.jpg")]
    with pytest.raises(pydantic.ValidationError):
        brief.template = "retro-80s"


@pytest.mark.slow
def test_a_brief_may_ask_for_a_model_and_a_clip_beside_each_figure(tmp_path, gl):
    """`also: [3mf, gif]`: each row's printable model and turntable clip are written with its figure and
    linked from the contact sheet; the next run makes nothing again."""
    import av
    import trimesh

    (tmp_path / "photos").mkdir()
    _variant(1).save(tmp_path / "photos" / "ada.jpg", quality=90)
    (tmp_path / "people.csv").write_text("photo,name\nphotos/ada.jpg,Ada Lovelace\n", encoding="utf-8")
    brief = tmp_path / "campaign.yaml"
    brief.write_text("roster: people.csv\nengine: sculpt\nlikeness: false\nalso: [3MF, gif, gif]\n", encoding="utf-8")
    out = tmp_path / "out"
    assert batch.run(brief, out, progress=False).made == 1
    (line,) = results(out)
    figure = out / line["output"]
    model, clip = figure.with_suffix(".3mf"), figure.with_suffix(".gif")
    solid = trimesh.load(model, force="mesh")
    assert solid.is_watertight and solid.volume > 0
    with av.open(str(clip)) as video:
        assert sum(1 for _ in video.decode(video=0)) == 90
    sheet = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{model.relative_to(out)}" download>3MF' in sheet and f'href="{clip.relative_to(out)}" download>GIF' in sheet
    assert batch.run(brief, out, progress=False).made == 0


def test_row_keys_are_those_campaigns_already_have(tmp_path):
    """A campaign made before body styles existed keeps its keys: re-running it redoes nothing."""
    from minime.batch.store import row_keys

    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "p.jpg").write_bytes((FIXTURES / "obama.jpg").read_bytes())
    roster = "photo,name,tagline\nphotos/p.jpg,Ada,Hi\nphotos/p.jpg,Grace,\n"
    path = _brief(tmp_path, "roster: people.csv\ntemplate: classic\ndefaults: {color: teal}\n", roster)
    assert row_keys(batch.load_brief(path)) == {  # as the release before body styles made them
        1: "7ef76c2349fc66da8fbd0966fa0d13e9325ce7a2b31ae6246a1bcc0bb1bf1196",
        2: "2bdd96a6f648a564b1424513e5b2f79f8b2e31f600a009ec89d32ecb5dfcb08e"}
    path.write_text("roster: people.csv\ntemplate: classic\ndefaults: {color: teal, style: bobblehead}\n", encoding="utf-8")
    assert row_keys(batch.load_brief(path))[1] != "7ef76c2349fc66da8fbd0966fa0d13e9325ce7a2b31ae6246a1bcc0bb1bf1196"
