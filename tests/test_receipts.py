"""The footprint counts every stage a user waits for: encoding the box, a model or a clip is the "export"
stage of the receipt, of `--json` seconds, of a campaign row's Wh and of the local history, recorded once."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import pytest
from PIL import Image

import minime
import minime.settings
from minime import footprint

from .conftest import FIXTURES


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("MINIME_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MINIME_HISTORY", raising=False)
    # The CPU-time counter: every stage that does work reads more than zero (a GPU counter steps coarsely).
    monkeypatch.setattr(footprint, "hardware_counters", lambda *a, **k: [])
    minime.settings.settings.cache_clear()
    yield tmp_path / "home"
    minime.settings.settings.cache_clear()


def history(home) -> list[dict]:
    path = home / "history.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_encoding_is_the_export_stage_and_the_history_gets_it_once(home):
    result = minime.make(FIXTURES / "obama.jpg", {"name": "Bo"}, engine="studio", likeness=False, record=False)
    before = result.receipt
    assert "export" not in result.timings and history(home) == []  # record=False: nothing yet

    data = result.encode("png")
    assert data.startswith(b"\x89PNG")
    export = [r for r in result.receipt.readings if r.stage == "export"]
    assert len(export) == 1 and export[0].wh > 0 and result.timings["export"] > 0
    assert result.receipt.wh > before.wh and result.receipt.seconds > before.seconds
    assert result.receipt.seconds == pytest.approx(sum(result.timings.values()))

    result.encode_layers()  # the figure layer inside the layers is counted once, by the outer stage
    assert [r.stage for r in result.receipt.readings].count("export") == 2

    result.record()
    result.record()
    (line,) = history(home)
    assert line["wh"] == pytest.approx(result.receipt.wh) and line["seconds"] == pytest.approx(result.receipt.seconds, abs=1e-3)


def test_make_still_records_at_once_by_default(home):
    result = minime.make(FIXTURES / "obama.jpg", {"name": "Bo"}, engine="studio", likeness=False)
    assert len(history(home)) == 1
    result.record()  # already recorded: not twice
    assert len(history(home)) == 1


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".mp4", ".glb"])
def test_json_seconds_and_receipt_include_the_export_of_a_clip_or_model(tmp_path, suffix, gl):
    home = tmp_path / "home"
    out = tmp_path / f"fp{suffix}"
    env = {**os.environ, "MINIME_HOME": str(home)}
    env.pop("MINIME_HISTORY", None)
    run = subprocess.run([sys.executable, "-m", "minime", "make", str(FIXTURES / "obama.jpg"), "-n", "Ada",
                          "--no-likeness", "-o", str(out), "--json"], capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    seconds, receipt = data["seconds"], data["receipt"]
    assert seconds["export"] > 0
    assert "export" in [r["stage"] for r in receipt["readings"]]
    assert receipt["seconds"] == pytest.approx(sum(seconds.values()), rel=1e-3, abs=1e-3)  # the receipt covers it
    assert receipt["seconds"] >= seconds["export"]
    (line,) = history(home)  # one line, written after the export
    assert line["seconds"] == pytest.approx(receipt["seconds"], abs=1e-3) and line["wh"] == pytest.approx(receipt["wh"])

    verified = subprocess.run([sys.executable, "-m", "minime", "verify", str(out)], capture_output=True, text=True,
                              timeout=120, env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr


@pytest.mark.slow
def test_a_campaign_rows_wh_includes_its_also_outputs(tmp_path, home, gl):
    from minime import batch

    (tmp_path / "photos").mkdir()
    Image.open(FIXTURES / "obama.jpg").save(tmp_path / "photos" / "ada.jpg", quality=90)
    (tmp_path / "people.csv").write_text("photo,name\nphotos/ada.jpg,Ada Lovelace\n", encoding="utf-8")
    brief = tmp_path / "campaign.yaml"
    brief.write_text("roster: people.csv\nengine: sculpt\nlikeness: false\nalso: [stl]\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = batch.run(brief, out, progress=False)
    assert summary.made == 1
    with open(out / "results.csv", newline="", encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    row_wh = float(row["wh"])
    with Image.open(out / row["output"]) as figure:  # the receipt in the file was taken before its own export
        embedded = json.loads(figure.text["minime:receipt"])
    assert "export" not in [r["stage"] for r in embedded["readings"]]
    assert row_wh > embedded["wh"]
    assert summary.wh == pytest.approx(row_wh, rel=1e-3)
    (line,) = history(home)
    assert line["wh"] == pytest.approx(row_wh, rel=1e-3)
