"""The batch journal and resume contract: with a fake row maker (no model, no photo decoding) for the folder's
bookkeeping, and with a fake engine registered like any other (the real worker, pipeline and encoder) for
what a run makes, keeps and retries.

What a run promises: a row whose key has a finished figure is not made again; a changed row is, and its old
figure goes; a failure that would happen again is not retried, one that might pass is; a run stopped
mid-way keeps every finished row, and the next run makes only the rest.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from minime import batch
from minime.batch import executors

PNG = io.BytesIO()
Image.new("RGB", (4, 4), (200, 40, 40)).save(PNG, "PNG")
PNG = PNG.getvalue()


class FakeMaker:
    """Stands in for `executors.make_row`: names starting 'Fail' fail for good, 'Flaky' fail once."""

    def __init__(self, stop_after: int | None = None):
        self.made: list[str] = []
        self.stop_after = stop_after
        self.flaky_seen: set[str] = set()

    def __call__(self, task: dict) -> dict:
        if self.stop_after is not None and len(self.made) >= self.stop_after:
            raise KeyboardInterrupt
        name = task["spec"]["name"]
        self.made.append(name)
        out = {"row": task["row"], "key": task["key"], "seconds": 0.01}
        if name.startswith("Fail"):
            return {**out, "ok": False, "error": "no face in the photo", "final": True}
        if name.startswith("Flaky") and name not in self.flaky_seen:
            self.flaky_seen.add(name)
            return {**out, "ok": False, "error": "the provider is busy", "final": False}
        return {**out, "ok": True, "data": PNG, "likeness": 70.0, "wh": 0.001}


@pytest.fixture
def fake(monkeypatch):
    def install(maker: FakeMaker) -> FakeMaker:
        monkeypatch.setattr(executors, "make_row", maker)
        monkeypatch.setattr(executors, "init_worker", lambda context, **_: None)
        return maker

    return install


def campaign(folder: Path, names: list[str]) -> Path:
    photos = folder / "photos"
    photos.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["photo", "name"])
    for i, name in enumerate(names):
        (photos / f"p{i}.jpg").write_bytes(f"photo of {name}".encode())
        writer.writerow([f"photos/p{i}.jpg", name])
    (folder / "people.csv").write_text(buffer.getvalue(), encoding="utf-8")
    brief = folder / "campaign.yaml"
    brief.write_text("title: Journal\nengine: studio\nroster: people.csv\n", encoding="utf-8")
    return brief


def rows(out: Path) -> dict[str, dict]:
    with open(out / "results.csv", newline="", encoding="utf-8") as handle:
        return {line["name"]: line for line in csv.DictReader(handle)}


def test_a_second_run_makes_nothing_and_touches_no_figure(tmp_path, fake):
    brief = campaign(tmp_path, ["Ada", "Grace", "Fail One"])
    first = fake(FakeMaker())
    summary = batch.run(brief, tmp_path / "out", progress=False)
    assert (summary.made, summary.failed, summary.reused) == (2, 1, 0)
    assert sorted(first.made) == ["Ada", "Fail One", "Grace"]
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out" / "figures").iterdir()}
    journal = tmp_path / "out" / ".minime" / "journal.jsonl"
    inode = journal.stat().st_ino
    shown = {name: (tmp_path / "out" / name).read_text(encoding="utf-8") for name in ("results.csv", "index.html")}

    second = fake(FakeMaker())
    summary = batch.run(brief, tmp_path / "out", progress=False)
    assert second.made == [] and summary.reused == 3 and summary.made == 0
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out" / "figures").iterdir()} == stamps
    assert journal.stat().st_ino == inode  # nothing new in it: not rewritten
    assert {name: (tmp_path / "out" / name).read_text(encoding="utf-8") for name in shown} == shown


def test_a_changed_row_is_made_again_and_only_its_old_figure_goes(tmp_path, fake):
    brief = campaign(tmp_path, ["Ada", "Grace"])
    fake(FakeMaker())
    batch.run(brief, tmp_path / "out", progress=False)
    before = rows(tmp_path / "out")
    (tmp_path / "photos" / "p1.jpg").write_bytes(b"a new photo of Grace")

    maker = fake(FakeMaker())
    batch.run(brief, tmp_path / "out", progress=False)
    after = rows(tmp_path / "out")
    assert maker.made == ["Grace"]
    assert after["Ada"]["output"] == before["Ada"]["output"]
    assert after["Grace"]["output"] != before["Grace"]["output"]
    assert not (tmp_path / "out" / before["Grace"]["output"]).exists()
    assert (tmp_path / "out" / after["Grace"]["output"]).read_bytes() == PNG
    thumbs = sorted(p.name for p in (tmp_path / "out" / "thumbs").iterdir())  # the old figure's thumbnail went too
    assert thumbs == sorted(Path(after[name]["output"]).stem + ".jpg" for name in ("Ada", "Grace"))


def test_a_figure_without_a_thumbnail_gets_one_on_the_next_run(tmp_path, fake):
    brief = campaign(tmp_path, ["Ada"])
    fake(FakeMaker())
    batch.run(brief, tmp_path / "out", progress=False)
    (thumb,) = (tmp_path / "out" / "thumbs").iterdir()  # as after a crash between the figure and its thumbnail
    thumb.unlink()
    maker = fake(FakeMaker())
    batch.run(brief, tmp_path / "out", progress=False)
    assert maker.made == [] and thumb.is_file()
    assert f'src="thumbs/{thumb.name}"' in (tmp_path / "out" / "index.html").read_text()


def test_a_failure_that_may_pass_is_retried_and_a_final_one_is_not(tmp_path, fake):
    brief = campaign(tmp_path, ["Flaky", "Fail Always"])
    maker = fake(FakeMaker())
    summary = batch.run(brief, tmp_path / "out", progress=False)
    assert summary.failed == 2
    maker.made.clear()
    summary = batch.run(brief, tmp_path / "out", progress=False)
    assert maker.made == ["Flaky"]  # the same maker: Flaky passes the second time
    assert summary.done == 1 and summary.failed == 1
    assert rows(tmp_path / "out")["Fail Always"]["error"] == "no face in the photo"


def test_a_stopped_run_keeps_what_it_finished_and_the_next_makes_the_rest(tmp_path, fake):
    names = [f"Person {i}" for i in range(6)]
    brief = campaign(tmp_path, names)
    fake(FakeMaker(stop_after=2))
    with pytest.raises(KeyboardInterrupt):
        batch.run(brief, tmp_path / "out", progress=False)
    journal = (tmp_path / "out" / ".minime" / "journal.jsonl").read_text().splitlines()
    assert [json.loads(line)["name"] for line in journal] == names[:2]
    assert sorted(rows(tmp_path / "out")) == names[:2]
    assert len(list((tmp_path / "out" / "figures").iterdir())) == 2

    maker = fake(FakeMaker())
    summary = batch.run(brief, tmp_path / "out", progress=False)
    assert maker.made == names[2:] and summary.reused == 2 and summary.done == 6


def test_a_journal_line_cut_short_is_ignored(tmp_path, fake):
    brief = campaign(tmp_path, ["Ada", "Grace"])
    fake(FakeMaker())
    batch.run(brief, tmp_path / "out", progress=False)
    journal = tmp_path / "out" / ".minime" / "journal.jsonl"
    journal.write_text(journal.read_text() + '{"row": 3, "key": "abc", "sta')
    maker = fake(FakeMaker())
    summary = batch.run(brief, tmp_path / "out", progress=False)
    assert maker.made == [] and summary.reused == 2


def test_a_fresh_run_counts_a_bad_row_as_failed_not_unchanged(tmp_path, fake):
    from typer.testing import CliRunner

    from minime.cli import app

    brief = campaign(tmp_path, ["Ada", "B" * 200])  # a name too long for the box
    fake(FakeMaker())
    summary = batch.run(brief, tmp_path / "out", progress=False)
    assert (summary.reused, summary.made, summary.failed) == (0, 1, 1)
    result = CliRunner().invoke(app, ["batch", str(brief), "-o", str(tmp_path / "fresh"), "-q"])
    assert result.exit_code == 0 and "(1 made, 1 failed)" in result.output and "unchanged" not in result.output
    result = CliRunner().invoke(app, ["batch", str(brief), "-o", str(tmp_path / "fresh"), "-q"])
    assert "(0 made, 2 unchanged, 1 failed)" in result.output  # the second run: both rows as the first left them


def test_only_what_a_brief_wrote_is_ever_removed(tmp_path, fake):
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    mine = out / "figures" / "holiday-0123456789ab.png"  # a user's file that looks like an output
    mine.write_bytes(b"keep me")
    first = campaign(tmp_path / "a", ["Ada", "Grace"])
    second = campaign(tmp_path / "b", ["Linus"])
    fake(FakeMaker())
    batch.run(first, out, progress=False)
    made_by_first = sorted(p.name for p in (out / "figures").iterdir() if p != mine)
    batch.run(second, out, progress=False)
    assert mine.read_bytes() == b"keep me"
    assert set(made_by_first) <= {p.name for p in (out / "figures").iterdir()}
    # the first brief again: its figures are reused, the second brief's stays
    summary = batch.run(first, out, progress=False)
    assert summary.reused == 2 and len(list((out / "figures").iterdir())) == 4


def test_roster_paths_stay_inside_the_briefs_folder(tmp_path, fake):
    brief = campaign(tmp_path / "c", ["Ada"])
    outside = tmp_path / "elsewhere.jpg"
    outside.write_bytes(b"photo")
    roster = tmp_path / "c" / "people.csv"
    roster.write_text(f"photo,name\n../elsewhere.jpg,Up\n{outside},Absolute\n~/x.jpg,Tilde\nphotos/p0.jpg,Ada\n")
    maker = fake(FakeMaker())
    summary = batch.run(brief, tmp_path / "out", progress=False)
    assert maker.made == ["Tilde", "Ada"] and summary.failed == 2  # "~" is a folder named "~" beside the brief
    errors = rows(tmp_path / "out")
    assert "outside the brief's folder" in errors["Up"]["error"] and "allow_paths_outside" in errors["Absolute"]["error"]
    brief.write_text(brief.read_text() + "allow_paths_outside: true\n")
    maker = fake(FakeMaker())
    batch.run(brief, tmp_path / "out", progress=False)
    assert sorted(maker.made) == ["Absolute", "Up"]


def test_results_csv_cells_never_run_as_formulas(tmp_path, fake):
    brief = campaign(tmp_path, ["=HYPERLINK(\"http://x\")", "@SUM(A1)", "+1", "-2"])
    fake(FakeMaker())
    batch.run(brief, tmp_path / "out", progress=False)
    text = (tmp_path / "out" / "results.csv").read_text()
    for line in text.splitlines()[1:]:
        cells = next(csv.reader([line]))
        assert all(cell[:1] not in ("=", "+", "-", "@", "\t", "\r") for cell in cells), cells


def test_a_special_file_on_the_roster_fails_its_row_at_once(tmp_path, fake):
    import os

    brief = campaign(tmp_path, ["Ada", "Pipe"])
    fifo = tmp_path / "photos" / "p1.jpg"
    fifo.unlink()
    os.mkfifo(fifo)
    maker = fake(FakeMaker())
    summary = batch.run(brief, tmp_path / "out", progress=False)
    # the key hashing refused the FIFO instead of waiting on it; intake then fails the row the same way
    assert maker.made == ["Ada", "Pipe"] and summary.done == 2


def test_results_csv_gets_a_line_per_row_not_a_rewrite(tmp_path, fake, monkeypatch):
    from minime.batch.store import Folder

    brief = campaign(tmp_path, [f"Fail {i}" for i in range(40)] + ["Ada"])
    whole: list[str] = []
    write_text = Folder.write_text
    monkeypatch.setattr(Folder, "write_text", lambda self, path, text: (whole.append(path.name), write_text(self, path, text)))
    maker, seen = FakeMaker(), []

    def counting(task: dict) -> dict:  # what results.csv holds when each row starts: every row before it
        seen.append((tmp_path / "out" / "results.csv").read_text().count("\n"))
        return maker(task)

    fake(counting)
    summary = batch.run(brief, tmp_path / "out", progress=False)
    assert summary.failed == 40 and summary.done == 1
    assert whole.count("results.csv") == 2  # written whole at the start and at the end, appended to in between
    assert seen == [1 + i for i in range(41)]
    lines = rows(tmp_path / "out")
    assert len(lines) == 41 and lines["Fail 7"]["error"] == "no face in the photo" and lines["Ada"]["status"] == "done"


# ------------------------------------------------ the same contract through the real row maker and pipeline

class PlainEngine:
    """An engine registered the way an engine file registers itself, that paints a plain figure at once:
    the rows go through the real worker code, photo intake, look stage, box, encoder and signature.
    'Busy' names fail once as a provider's hiccup would (EngineError), 'Refused' names are refused for
    their content (a final failure); after `stop_after` figures the run is interrupted, as by Ctrl+C."""

    name = "plain"
    runs_locally = True
    generative = False
    model = "plain-1"

    def __init__(self, stop_after: int | None = None):
        self.made: list[str] = []
        self.stop_after = stop_after
        self.busy_seen: set[str] = set()

    def generate(self, subject, spec, *, n: int = 1, seed: int | None = None):
        from minime.engines.base import EngineError, Figure, RefusedError

        if self.stop_after is not None and len(self.made) >= self.stop_after:
            raise KeyboardInterrupt
        self.made.append(spec.name)
        if spec.name.startswith("Busy") and spec.name not in self.busy_seen:
            self.busy_seen.add(spec.name)
            raise EngineError("the provider is busy; try again")
        if spec.name.startswith("Refused"):
            raise RefusedError("the provider refused this figure's content")
        return [Figure(Image.new("RGBA", (240, 480), (40, 90, 200, 255)), self.name, self.model, seed)]


@pytest.fixture
def plain(monkeypatch):
    from minime.engines.base import ENGINES, register

    def install(engine: PlainEngine) -> PlainEngine:
        monkeypatch.setitem(ENGINES, "plain", ENGINES["studio"])  # so the registry is put back after the test
        register("plain", "a plain figure, for tests", True, lambda **options: engine)
        return engine

    return install


def portrait_campaign(folder: Path, names: list[str], extra: str = "") -> Path:
    """A brief on the plain engine whose rows all use one small portrait (their names make their keys)."""
    from .conftest import FIXTURES

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "face.jpg").write_bytes((FIXTURES / "obama.jpg").read_bytes())
    (folder / "no_face.png").write_bytes((FIXTURES / "no_face.png").read_bytes())
    lines = ["photo,name"] + [f"{'no_face.png' if name == 'No Face' else 'face.jpg'},{name}" for name in names]
    (folder / "people.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    brief = folder / "campaign.yaml"
    brief.write_text(f"engine: plain\nlikeness: false\nroster: people.csv\n{extra}", encoding="utf-8")
    return brief


def test_a_real_engine_stopped_mid_run_resumes_and_then_makes_nothing(tmp_path, plain):
    from minime.provenance import verify

    names = ["Ada", "Grace", "Linus", "Radia"]
    brief = portrait_campaign(tmp_path, names)
    out = tmp_path / "out"
    plain(PlainEngine(stop_after=2))
    with pytest.raises(KeyboardInterrupt):
        batch.run(brief, out, progress=False)
    kept = {p.name: p.stat().st_mtime_ns for p in (out / "figures").iterdir()}
    assert sorted(rows(out)) == ["Ada", "Grace"] and len(kept) == 2
    for figure in (out / "figures").iterdir():  # whole, signed figures, labelled as AI-generated
        check = verify(figure)
        assert check.ok and check.engine == "plain"

    engine = plain(PlainEngine())
    summary = batch.run(brief, out, progress=False)
    assert engine.made == ["Linus", "Radia"] and (summary.made, summary.reused, summary.done) == (2, 2, 4)
    assert {name: kept[name] for name in kept} == {p.name: p.stat().st_mtime_ns for p in (out / "figures").iterdir()
                                                   if p.name in kept}

    engine = plain(PlainEngine())
    summary = batch.run(brief, out, progress=False)
    assert engine.made == [] and (summary.made, summary.reused) == (0, 4)
    assert len(list((out / "figures").iterdir())) == len(list((out / "thumbs").iterdir())) == 4


def test_a_real_engine_s_failures_are_retried_only_when_they_may_pass(tmp_path, plain):
    brief = portrait_campaign(tmp_path, ["Ada", "Busy Bee", "Refused Rex", "No Face"])
    out = tmp_path / "out"
    engine = plain(PlainEngine())
    summary = batch.run(brief, out, progress=False)
    assert engine.made == ["Ada", "Busy Bee", "Refused Rex"]  # no face: the look stage fails it before the engine
    assert (summary.done, summary.failed) == (1, 3)
    errors = {name: line["error"] for name, line in rows(out).items()}
    assert "busy" in errors["Busy Bee"] and "refused" in errors["Refused Rex"] and "face" in errors["No Face"]

    summary = batch.run(brief, out, progress=False)  # the same engine: Busy Bee passes this time
    assert engine.made[3:] == ["Busy Bee"] and (summary.done, summary.failed, summary.made) == (2, 2, 1)


# ------------------------------------------------ how often the journal is synced to disk

@pytest.fixture
def fsyncs(monkeypatch):
    """Every os.fsync of the run, as the name of the file it synced."""
    import os

    synced: list[str] = []
    real = os.fsync

    def counting(fd):
        synced.append(os.path.basename(os.readlink(f"/proc/self/fd/{fd}")) if os.path.exists("/proc/self/fd") else "?")
        return real(fd)

    monkeypatch.setattr(os, "fsync", counting)
    return synced


def test_a_large_failing_roster_syncs_its_journal_in_groups_not_per_row(tmp_path, monkeypatch, fsyncs):
    from minime.batch import store

    monkeypatch.setattr(store, "SYNC_SECONDS", 3600.0)  # only the count groups them, whatever the machine's speed
    (tmp_path / "people.csv").write_text("photo,name\n" + "".join(f"missing-{i}.jpg,Person {i}\n" for i in range(600)))
    brief = tmp_path / "campaign.yaml"
    brief.write_text("roster: people.csv\n", encoding="utf-8")
    summary = batch.run(brief, tmp_path / "out", progress=False)  # the real row maker: each photo is not found
    assert (summary.failed, summary.done) == (600, 0)
    assert "not found" in summary.failures[0][2]
    assert len(fsyncs) <= 12, fsyncs  # was one per row
    if "?" not in fsyncs:
        assert fsyncs.count("journal.jsonl") == 600 // store.SYNC_ROWS  # every 256 rows; the end is compacted,
        assert sum(name.endswith(".jsonl") for name in fsyncs) == 600 // store.SYNC_ROWS + 1  # rewritten whole
    journal = (tmp_path / "out" / ".minime" / "journal.jsonl").read_text().splitlines()
    assert len(journal) == 600 and all(json.loads(line)["final"] for line in journal)
    maker = FakeMaker()
    monkeypatch.setattr(executors, "make_row", maker)
    assert batch.run(brief, tmp_path / "out", progress=False).reused == 600 and maker.made == []


def test_a_made_figure_is_synced_at_once_with_the_failures_before_it(tmp_path, monkeypatch, fsyncs):
    from minime.batch import store
    from minime.batch.brief import Row

    monkeypatch.setattr(store, "SYNC_ROWS", 3)
    monkeypatch.setattr(store, "SYNC_SECONDS", 3600.0)
    with store.Folder(tmp_path / "out") as folder:
        journal = folder.journal_path

        def add(number: int, status: str) -> None:
            folder.append(store.Entry(f"k{number}", status, error="" if status == "done" else "photo not found"),
                          Row(number, f"p{number}.jpg", f"Person {number}", None, None))

        add(1, "failed")
        add(2, "failed")
        assert fsyncs == [] and len(journal.read_text().splitlines()) == 2  # written at once, not yet synced
        add(3, "done")
        assert len(fsyncs) == 1  # the figure, and the two failures before it
        add(4, "failed")
        add(5, "failed")
        add(6, "failed")
        assert len(fsyncs) == 2  # three failures: a group
        add(7, "failed")
        assert len(fsyncs) == 2
    assert len(fsyncs) == 3  # the last one when the folder is closed
    assert [json.loads(line)["row"] for line in journal.read_text().splitlines()] == [1, 2, 3, 4, 5, 6, 7]


def test_results_csv_appended_to_and_then_written_whole_holds_each_once(tmp_path):
    from minime.batch import store

    with store.Folder(tmp_path / "out") as folder:
        results = folder.path / "results.csv"
        folder.write_text(results, "header\n")
        folder.append_text(results, "row 1\n")
        folder.append_text(results, "row 2\n")
        assert results.read_text() == "header\nrow 1\nrow 2\n"  # each line is in the file at once
        folder.write_text(results, "header\nrow 1\nrow 2\n")  # written whole: the open file is let go
        folder.append_text(results, "row 3\n")
        assert results.read_text() == "header\nrow 1\nrow 2\nrow 3\n"
    assert results.read_text() == "header\nrow 1\nrow 2\nrow 3\n"


class MeshEngine(PlainEngine):
    """The plain engine's figure with a 3D mesh (a body on a base), as the sculpt engine's carry."""

    name = "meshy"

    def generate(self, subject, spec, *, n: int = 1, seed: int | None = None):
        import numpy as np

        from minime.sculpt.mesh import Part, outward, uv_sphere
        from minime.sculpt.scene import plinth

        (figure,) = super().generate(subject, spec, n=n, seed=seed)
        v, f = uv_sphere(12, 16)
        body = Part("torso", v * np.float32([0.4, 1.0, 0.3]) + np.float32([0, 1.3, 0]), outward(v, f), (0.8, 0.2, 0.1))
        figure.mesh = [body, plinth(0.7, 0.7, 0.28, (0.1, 0.1, 0.1))]
        return [figure]


def test_a_missing_model_beside_a_figure_is_made_again(tmp_path, monkeypatch):
    """`also: [stl]`: the model is written beside each figure at the brief's height; one deleted is made again on
    the next run (with its figure: the row's key is unchanged), the others are left alone."""
    import trimesh

    from minime.engines.base import ENGINES, register

    engine = MeshEngine()
    monkeypatch.setitem(ENGINES, "meshy", ENGINES["studio"])  # so the registry is put back after the test
    register("meshy", "a figure with a mesh, for tests", True, lambda **options: engine, mesh=True)
    brief = portrait_campaign(tmp_path, ["Ada", "Grace"], "also: [stl]\nheight_mm: 60\nbase: square\n")
    brief.write_text(brief.read_text(encoding="utf-8").replace("engine: plain", "engine: meshy"), encoding="utf-8")
    out = tmp_path / "out"
    assert batch.run(brief, out, progress=False).made == 2
    models = sorted((out / "figures").glob("*.stl"))
    assert len(models) == 2 and all(m.read_bytes().startswith(b"minime figure") for m in models)
    solid = trimesh.load(models[0], force="mesh")  # the brief's height, on a square plate
    assert abs(solid.extents.max() - 60) < 0.6
    kept = models[1].stat().st_mtime_ns
    models[0].unlink()
    assert batch.run(brief, out, progress=False).made == 1 and models[0].is_file()
    assert models[0].name.startswith("ada-") and engine.made == ["Ada", "Grace", "Ada"]  # only Ada's row again
    assert models[1].stat().st_mtime_ns == kept
    assert batch.run(brief, out, progress=False).made == 0
